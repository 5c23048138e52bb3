"""Plan storage: what a stored plan looks like, and what a re-import keeps, changes and archives.

The edited plan is the Shangqiu seed edited as an office would edit it: one measure
reworded (1-10), one task dropped (2-15), one task added (2-17). Reports, evidence,
finished milestones and approved extensions are history and must survive every re-import.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from bot.audit import Auditor
from bot.config import Settings
from bot.importer import parse_path
from bot.localbot import migrate
from bot.plandata import Measure as ParsedMeasure
from bot.plandata import ParsedPlan
from bot.plans import import_paths_json, import_plan_files, store_plan
from storage import plans as plans_q
from storage.db import create_engine, session_factory, transaction
from storage.models import (
    AuditEvent,
    Evidence,
    Extension,
    Milestone,
    Person,
    Plan,
    Report,
    Task,
    TaskParty,
    TaskUnit,
    Unit,
    UnitAlias,
)
from tests.scenario import converse

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "examples" / "shangqiu-plan.txt"
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2019, 1, 2, 9, 0, tzinfo=TZ)
LATER = datetime(2019, 2, 1, 9, 0, tzinfo=TZ)
T = TypeVar("T")


def edited_plan_text() -> str:
    """The seed with 1-10's first measure reworded, 2-15 dropped and a 2-17 added."""
    text = PLAN.read_text(encoding="utf-8")
    assert text.count("1.加快进度。") == 1
    text = text.replace("1.加快进度。", "1.全力加快进度。")
    start = text.index("十五、优化运输结构")
    end = text.index("十六、强化区域联防联控")
    text = text[:start] + text[end:]
    tail = text.rindex("附件1")
    block = text[text.index("十六、强化区域联防联控") : tail]
    added = block.replace(
        block.splitlines()[0], "十七、餐饮油烟污染治理不到位,群众反映强烈"
    ).replace("责任领导:倪玉民,刘明亮", "责任领导:刘明亮")
    return text[:tail] + added + text[tail:]


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Settings]:
    await migrate(settings)
    yield settings


async def _one(settings: Settings, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``fn`` in one committed transaction on its own engine, as the CLI and the bot do."""
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return await fn(session)
    finally:
        await engine.dispose()


async def _count(settings: Settings, model: type[Any], *where: ColumnElement[bool]) -> int:
    async def run(session: AsyncSession) -> int:
        query = select(func.count()).select_from(model)
        for clause in where:
            query = query.where(clause)
        return int((await session.execute(query)).scalar_one())

    return await _one(settings, run)


async def _task(session: AsyncSession, ref: str) -> Task:
    plan = (await plans_q.plans(session))[0]
    tasks = {t.ref: t for t in await plans_q.tasks_of(session, plan.id, include_archived=True)}
    return tasks[ref]


async def _store(settings: Settings, parsed: ParsedPlan, when: datetime = LATER) -> dict[str, list[str]] | None:
    async def run(session: AsyncSession) -> dict[str, list[str]] | None:
        auditor = Auditor(settings.audit_key, settings.data_dir)
        _plan, changes = await store_plan(session, parsed, auditor=auditor, now=when, actor="test")
        return changes

    return await _one(settings, run)


async def test_shangqiu_is_stored_with_units_shares_leaders_and_aliases(db: Settings) -> None:
    await import_plan_files(db, [PLAN], now=NOW)

    async def check(session: AsyncSession) -> None:
        plan = (await plans_q.plans(session))[0]
        assert plan.year == 2019 and plan.source_name == PLAN.name and len(plan.source_sha256) == 64
        tasks = await plans_q.tasks_of(session, plan.id)
        refs = [t.ref for t in tasks]
        assert refs == [f"1-{i}" for i in range(1, 20)] + [f"2-{i}" for i in range(1, 17)]
        for task in tasks:
            reporting = {p.unit_id for p in task.parties if p.kind in ("lead", "responsible")}
            shares = {s.unit_id for s in await plans_q.task_units(session, task.id)}
            assert shares == reporting, task.ref
            assert all(s.signoff_state == "none" for s in await plans_q.task_units(session, task.id))
        by_ref = {t.ref: t for t in tasks}

        leaders = {p.person.name for p in by_ref["1-10"].parties if p.kind == "leader" and p.person}
        assert leaders == {"张家明", "倪玉民"}
        assert not [p for p in by_ref["1-6"].parties if p.kind == "leader"]
        for person in (await session.execute(select(Person))).scalars():
            assert "leader" in person.roles
        assert [(m.due, m.text[:4]) for m in by_ref["1-10"].milestones] == [
            (date(2018, 12, 31), "完成我市"),
            (date(2019, 12, 31), "完成县级"),
        ]
        assert by_ref["1-5"].ongoing and [m.due for m in by_ref["1-5"].milestones] == [date(2019, 3, 31)]
        assert len(by_ref["1-9"].measures) == 1

        # 市扬尘办 is another name of 市城管局: one unit, with the alias kept.
        lead_2_8 = [p.unit for p in by_ref["2-8"].parties if p.kind == "lead"]
        assert [u.name for u in lead_2_8 if u] == ["市城管局"]
        assert (await session.execute(select(Unit).where(Unit.name == "市扬尘办"))).first() is None
        alias = (await session.execute(select(UnitAlias).where(UnitAlias.alias == "市扬尘办"))).scalar_one()
        in_1_10 = [p.unit_id for p in by_ref["1-10"].parties if p.unit and p.unit.name == "市城管局"]
        assert lead_2_8[0] is not None and alias.unit_id == lead_2_8[0].id == in_1_10[0]
        assert plan.aliases == {"市散烧办": "市市场监督管理局", "市扬尘办": "市城管局"}

    await _one(db, check)
    assert await _count(db, AuditEvent, AuditEvent.action == "import") == 1


async def test_reimport_of_the_same_file_changes_nothing(db: Settings) -> None:
    first, code = await import_paths_json(db, [PLAN])
    assert code == 0 and first["plans"][0]["changes"] is None and len(first["plans"][0]["tasks"]) == 35
    counts = [await _count(db, model) for model in (Task, TaskParty, TaskUnit, Milestone, Unit, Person)]
    again, code = await import_paths_json(db, [PLAN])
    assert code == 0
    assert again["plans"][0]["changes"] == {"added": [], "removed": [], "changed": []}
    assert [await _count(db, model) for model in (Task, TaskParty, TaskUnit, Milestone, Unit, Person)] == counts
    assert await _count(db, AuditEvent, AuditEvent.action == "import") == 1


async def test_same_content_in_a_new_file_reports_no_change(db: Settings) -> None:
    await import_plan_files(db, [PLAN], now=NOW)
    parsed = parse_path(PLAN)
    parsed.source_sha256 = "0" * 64  # re-saved: other bytes, same plan
    assert await _store(db, parsed) == {"added": [], "removed": [], "changed": []}
    assert await _count(db, Task) == 35


async def _history(settings: Settings) -> dict[str, int]:
    """A report with evidence on 1-10, a report on 2-15, and 1-10's first milestone done."""

    async def run(session: AsyncSession) -> dict[str, int]:
        t110, t215 = await _task(session, "1-10"), await _task(session, "2-15")
        unit = (await session.execute(select(Unit).where(Unit.name == "市生态环境局"))).scalar_one()
        first = Report(task_id=t110.id, unit_id=unit.id, measure_no=1, text="界碑已设立", percent=80, created_at=NOW)
        other = Report(task_id=t215.id, unit_id=unit.id, text="运输结构调整方案已印发", created_at=NOW)
        session.add_all([first, other])
        await session.flush()
        session.add(
            Evidence(
                report_id=first.id, task_id=t110.id, unit_id=unit.id, kind="photo", tg_file_id="f",
                tg_file_unique_id="u", sha256="a" * 64, stored_path="evidence/a.jpg", size=3, created_at=NOW,
            )
        )
        share = next(s for s in await plans_q.task_units(session, t110.id) if s.unit_id == unit.id)
        share.percent, share.last_report_at = 80, NOW
        t110.milestones[0].done_at = NOW
        return {"measure": t110.measures[0].id, "milestone": t110.milestones[0].id, "task": t215.id}

    return await _one(settings, run)


async def test_edited_plan_updates_by_ref_archives_the_dropped_task_and_keeps_history(
    db: Settings, tmp_path: Path
) -> None:
    await import_plan_files(db, [PLAN], now=NOW)
    ids = await _history(db)
    edited = tmp_path / PLAN.name
    edited.write_text(edited_plan_text(), encoding="utf-8")

    result, code = await import_paths_json(db, [edited])
    assert code == 0
    assert result["plans"][0]["changes"] == {"added": ["2-17"], "removed": ["2-15"], "changed": ["1-10"]}

    async def check(session: AsyncSession) -> None:
        assert len(await plans_q.plans(session)) == 1
        task_110, task_215, task_217 = [await _task(session, r) for r in ("1-10", "2-15", "2-17")]
        assert task_110.measures[0].text.startswith("全力加快进度") and task_110.measures[0].id == ids["measure"]
        assert task_110.milestones[0].id == ids["milestone"] and task_110.milestones[0].done_at is not None
        assert task_215.archived and task_215.id == ids["task"]
        assert not task_217.archived and [p.person.name for p in task_217.parties if p.person] == ["刘明亮"]
        live = await plans_q.tasks_of(session, task_110.plan_id)
        assert len(live) == 35 and "2-15" not in {t.ref for t in live}
        reports = (await session.execute(select(Report).order_by(Report.id))).scalars().all()
        assert [(r.task_id, r.text) for r in reports] == [(task_110.id, "界碑已设立"), (task_215.id, "运输结构调整方案已印发")]
        shares = await plans_q.task_units(session, task_110.id)
        assert any(s.percent == 80 for s in shares)

    await _one(db, check)
    assert await _count(db, Evidence) == 1

    # Importing the old version again brings 2-15 back with its report and archives 2-17.
    back, _ = await import_paths_json(db, [PLAN])
    assert back["plans"][0]["changes"] == {"added": ["2-15"], "removed": ["2-17"], "changed": ["1-10"]}
    assert await _count(db, Task, Task.archived.is_(True)) == 1
    assert await _count(db, Report) == 2


async def test_milestones_keep_done_and_approved_extensions_and_release_removed_ones(db: Settings) -> None:
    await import_plan_files(db, [PLAN], now=NOW)

    async def prepare(session: AsyncSession) -> None:
        t15, t110 = await _task(session, "1-5"), await _task(session, "1-10")
        t15.milestones[0].due = date(2019, 5, 31)  # an approved extension moved it
        session.add_all(
            [
                Extension(task_id=t15.id, milestone_id=t15.milestones[0].id, new_due=date(2019, 5, 31),
                          requested_at=NOW, state="approved"),
                Extension(task_id=t110.id, milestone_id=t110.milestones[1].id, new_due=date(2020, 3, 31),
                          requested_at=NOW, state="pending"),
            ]
        )
        t110.milestones[0].done_at = NOW

    await _one(db, prepare)
    parsed = parse_path(PLAN)
    edited = copy.deepcopy(parsed)
    edited.source_sha256 = "1" * 64
    t110 = next(t for t in edited.tasks if t.ref == "1-10")
    del t110.deadline.milestones[1]
    t110.measures.append(ParsedMeasure(no=4, text="加强水源地日常巡查。"))
    changes = await _store(db, edited)
    assert changes == {"added": [], "removed": [], "changed": ["1-10"]}

    async def check(session: AsyncSession) -> None:
        t15, t110 = await _task(session, "1-5"), await _task(session, "1-10")
        assert [m.due for m in t15.milestones] == [date(2019, 5, 31)]
        assert [(m.due, m.done_at is not None) for m in t110.milestones] == [(date(2018, 12, 31), True)]
        assert [m.no for m in t110.measures] == [1, 2, 3, 4]
        pending = (await session.execute(select(Extension).where(Extension.state == "pending"))).scalar_one()
        assert pending.milestone_id is None and pending.task_id == t110.id

    await _one(db, check)

    # A later date in the document itself overrides the extension.
    later = copy.deepcopy(edited)
    later.source_sha256 = "2" * 64
    next(t for t in later.tasks if t.ref == "1-5").deadline.milestones[0].due = date(2019, 6, 30)
    assert await _store(db, later) == {"added": [], "removed": [], "changed": ["1-5"]}

    async def check_later(session: AsyncSession) -> None:
        assert [m.due for m in (await _task(session, "1-5")).milestones] == [date(2019, 6, 30)]

    await _one(db, check_later)


async def test_a_unit_taken_off_a_task_loses_its_share_unless_it_reported(db: Settings) -> None:
    await import_plan_files(db, [PLAN], now=NOW)
    parsed = parse_path(PLAN)
    t110 = next(t for t in parsed.tasks if t.ref == "1-10")
    assert {"市生态环境局", "市公路养护中心"} <= {*t110.lead_units, *t110.units}

    async def report(session: AsyncSession) -> None:
        task = await _task(session, "1-10")
        unit = (await session.execute(select(Unit).where(Unit.name == "市生态环境局"))).scalar_one()
        session.add(Report(task_id=task.id, unit_id=unit.id, text="已完成一半", created_at=NOW))

    await _one(db, report)
    edited = copy.deepcopy(parsed)
    edited.source_sha256 = "3" * 64
    e110 = next(t for t in edited.tasks if t.ref == "1-10")
    e110.lead_units = [u for u in e110.lead_units if u != "市生态环境局"]
    e110.units = [u for u in e110.units if u != "市公路养护中心"]
    assert await _store(db, edited) == {"added": [], "removed": [], "changed": ["1-10"]}

    async def check(session: AsyncSession) -> None:
        task = await _task(session, "1-10")
        names = {u.id: u.name for u in (await session.execute(select(Unit))).scalars()}
        shares = {names[s.unit_id] for s in await plans_q.task_units(session, task.id)}
        assert "市生态环境局" in shares and "市公路养护中心" not in shares
        assert "市生态环境局" not in {p.unit.name for p in task.parties if p.unit}

    await _one(db, check)


async def test_simulate_with_the_same_plan_twice_imports_once(db: Settings) -> None:
    events: list[dict[str, Any]] = [{"clock": "2019-01-02T09:00"}, {"as": 1, "text": "/start"}]
    await converse(db, events, plans=[PLAN])
    counts = [await _count(db, model) for model in (Plan, Task, TaskParty, TaskUnit, Milestone, AuditEvent)]
    await converse(db, [{"clock": "2019-01-03T09:00"}], plans=[PLAN], name="again")
    assert [await _count(db, model) for model in (Plan, Task, TaskParty, TaskUnit, Milestone)] == counts[:5]
    assert await _count(db, AuditEvent, AuditEvent.action == "import") == 1
