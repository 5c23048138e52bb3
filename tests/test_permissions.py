"""DESIGN.md's permission table, role × action, checked against the policy and the plan's data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import cache

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.binding import bind_member, bind_person
from bot.config import Settings
from bot.importer import ParsedPlan, parse_path
from bot.permissions import (
    POLICY,
    PRIVATE,
    ROLES,
    Action,
    Audience,
    Denied,
    Scope,
    may,
    render_table,
    require,
    scope,
    task_ids_in_scope,
    visible,
)
from bot.plans import import_plan_files
from storage.db import create_engine, session_factory, transaction, upgrade
from storage.models import Task, Unit
from tests.conftest import REPO

PLAN = REPO / "examples" / "shangqiu-plan.txt"
NOW = datetime(2019, 1, 10, 1, 0, tzinfo=UTC)
A, L, U, N = Scope.ALL, Scope.LED, Scope.OWN_UNIT, Scope.NONE

# Written out by hand from DESIGN.md's table (not derived from POLICY), one row per action:
#                                   admin leader member observer
EXPECTED: dict[Action, tuple[Scope, Scope, Scope, Scope]] = {
    Action.SEE_TASK:          (A, A, U, A),
    Action.REPORT:            (A, N, U, N),
    Action.ADD_EVIDENCE:      (A, N, U, N),
    Action.REQUEST_SIGNOFF:   (A, N, U, N),
    Action.REQUEST_EXTENSION: (A, N, U, N),
    Action.REPORT_ON_BEHALF:  (A, N, N, N),
    Action.APPROVE_SIGNOFF:   (A, N, N, N),
    Action.APPROVE_EXTENSION: (A, N, N, N),
    Action.MOVE_REPORT:       (A, N, N, N),
    Action.IMPORT:            (A, N, N, N),
    Action.INVITE:            (A, N, N, N),
    Action.BIND:              (A, N, N, N),
    Action.ROLES:             (A, N, N, N),
    Action.EXPORT:            (A, A, N, N),
    Action.AUDIT:             (A, N, N, N),
    Action.DIGEST:            (A, L, N, N),
    Action.ESCALATION:        (A, L, N, N),
    Action.CHASE:             (A, L, N, N),
    Action.MANAGE_PEOPLE:     (A, N, N, N),
    Action.REGISTER_GROUP:    (A, N, N, N),
    Action.SETTINGS:          (A, N, N, N),
}


def test_the_table_names_every_action_and_every_role() -> None:
    assert set(EXPECTED) == set(Action)
    assert ROLES == ("admin", "leader", "member", "observer")


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ["admin", "leader", "member", "observer"])
def test_policy_matches_the_design_table(role: str, action: Action) -> None:
    expected = EXPECTED[action][ROLES.index(role)]
    assert scope([role], action) is expected
    if expected is N:
        with pytest.raises(Denied):
            require([role], action)
    else:
        require([role], action)


def test_the_widest_role_wins_and_unknown_roles_grant_nothing() -> None:
    assert scope(["member", "leader"], Action.SEE_TASK) is A
    assert scope(["member", "leader"], Action.REPORT) is U
    assert scope(["member", "leader"], Action.DIGEST) is L
    assert scope(["root"], Action.SEE_TASK) is N
    assert scope([], Action.SEE_TASK) is N


def test_the_docs_show_the_table_rendered_from_the_policy() -> None:
    table = render_table()
    assert len(table.strip().splitlines()) == 2 + len(Action)
    assert table in (REPO / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert set(POLICY) == set(ROLES)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    await import_plan_files(settings, [PLAN], now=NOW)
    yield engine
    await engine.dispose()


async def _task_ids(session: AsyncSession) -> dict[str, int]:
    return {ref: tid for tid, ref in await session.execute(select(Task.id, Task.ref))}


@cache
def _plan() -> ParsedPlan:
    return parse_path(PLAN)


def _refs_naming(unit: str) -> set[str]:
    plan = _plan()
    return {
        t.ref for t in plan.tasks
        if unit in (*t.lead_units, *t.units, *t.supporting_units, *t.supervisors)
    }


def _refs_led_by(name: str) -> set[str]:
    return {t.ref for t in _plan().tasks if name in t.leaders}


async def test_scopes_on_the_shangqiu_plan_for_every_role(engine: AsyncEngine, settings: Settings) -> None:
    from bot.audit import Auditor

    auditor = Auditor(settings.audit_key, settings.data_dir)
    async with transaction(session_factory(engine)) as session:
        ids = await _task_ids(session)
        by_id = {v: k for k, v in ids.items()}
        leader = await bind_person(session, auditor, telegram_id=1002, name="倪玉民", role=None, now=NOW, actor="test")
        member = await bind_member(session, auditor, telegram_id=2001, unit="市水利局", name="李明", role=None, now=NOW, actor="test")
        everything = set(ids.values())
        water = _refs_naming("市水利局")
        led = _refs_led_by("倪玉民")
        assert water and led and water != set(ids) and led != set(ids)
        expected_sets = {A: everything, L: {ids[r] for r in led}, U: {ids[r] for r in water}, N: set()}
        people = {"admin": leader, "leader": leader, "member": member, "observer": member}
        for action, row in EXPECTED.items():
            for role, expected in zip(ROLES, row, strict=True):
                got = await task_ids_in_scope(session, people[role], [role], action)
                got_set = everything if got is None else got
                assert got_set == expected_sets[expected], (role, action, sorted(by_id[i] for i in got_set))


async def test_a_member_may_not_see_or_report_another_units_task(engine: AsyncEngine, settings: Settings) -> None:
    from bot.audit import Auditor

    auditor = Auditor(settings.audit_key, settings.data_dir)
    async with transaction(session_factory(engine)) as session:
        ids = await _task_ids(session)
        member = await bind_member(session, auditor, telegram_id=2001, unit="市水利局", name="李明", role=None, now=NOW, actor="test")
        other = next(ref for ref in ids if ref not in _refs_naming("市水利局"))
        own = next(iter(sorted(_refs_naming("市水利局"))))
        for action in (Action.SEE_TASK, Action.REPORT, Action.ADD_EVIDENCE, Action.REQUEST_SIGNOFF):
            assert not await may(session, member, ["member"], action, ids[other])
            assert await may(session, member, ["member"], action, ids[own])
        member.unit_id = None
        assert not await may(session, member, ["member"], Action.SEE_TASK, ids[own])


async def test_group_audiences_narrow_what_an_answer_may_show(engine: AsyncEngine, settings: Settings) -> None:
    async with transaction(session_factory(engine)) as session:
        ids = await _task_ids(session)
        water_unit = (await session.execute(select(Unit).where(Unit.name == "市水利局"))).scalar_one()
        water = {ids[r] for r in _refs_naming("市水利局")}
        admin_private = await visible(session, None, ["admin"], Action.SEE_TASK, PRIVATE)
        assert admin_private.task_ids is None and not admin_private.counts_only
        in_unit_group = await visible(session, None, ["admin"], Action.SEE_TASK, Audience("unit", water_unit.id))
        assert in_unit_group.task_ids == water
        office = await visible(session, None, ["leader"], Action.SEE_TASK, Audience("office"))
        assert office.task_ids is None
        unregistered = await visible(session, None, ["admin"], Action.SEE_TASK, Audience("unregistered"))
        assert unregistered.counts_only and not unregistered.allows(next(iter(water)))
