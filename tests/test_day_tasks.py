"""The daily push's one query against the rules read share by share, on random plans.

``storage.reminders.day_tasks`` folds the reminder rules into SQL (the due-date index for
dated tasks, a second branch for ongoing ones on 旬 days, units aggregated per task); here
the same rules are applied to every share in Python and both answers must agree, on
SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.reminders import frame, short_title
from storage.db import create_engine, session_factory, transaction
from storage.models import Milestone, Person, Plan, Task, TaskParty, TaskUnit, Unit
from storage.reminders import SIGNED_OFF_STATES, day_tasks, start_day_tasks

TODAY = date(2019, 2, 11)
DUES = [date(2019, 2, 11), date(2019, 2, 12), date(2019, 2, 14), date(2019, 2, 18)]
XUN_SINCE = datetime(2019, 1, 31, 16, 0, tzinfo=UTC)
NOW = datetime(2019, 2, 1, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def random_plan(
    session: AsyncSession, seed: int
) -> tuple[list[Task], list[TaskUnit], dict[int, date]]:
    rng = random.Random(seed)
    units = [Unit(name=f"单位{i}") for i in range(6)]
    plan = Plan(title="随机方案", source_sha256="0" * 64, imported_at=NOW)
    tasks = []
    open_dues: list[list[date]] = []
    for t in range(60):
        task = Task(ref=f"1-{t}", title=f"任务{t}", ongoing=rng.random() < 0.4, archived=rng.random() < 0.1)
        for position in range(rng.choice((0, 1, 1, 2, 3))):
            due = rng.choice([None, *DUES, TODAY + timedelta(days=rng.randint(-40, 40))])
            done = NOW if rng.random() < 0.3 else None
            task.milestones.append(Milestone(position=position, due=due, done_at=done))
        open_dues.append([m.due for m in task.milestones if m.done_at is None and m.due is not None])
        plan.tasks.append(task)
        tasks.append(task)
    session.add_all([*units, plan])
    await session.flush()
    shares = []
    for task in tasks:
        for unit in rng.sample(units, rng.randint(1, 3)):
            shares.append(
                TaskUnit(
                    task_id=task.id,
                    unit_id=unit.id,
                    signoff_state=rng.choice(["none", "none", "pending", *SIGNED_OFF_STATES]),
                    signed_off_at=NOW if rng.random() < 0.1 else None,
                    last_report_at=rng.choice([None, XUN_SINCE - timedelta(days=1), XUN_SINCE + timedelta(days=1)]),
                )
            )
    session.add_all(shares)
    leaders = [Person(name=f"领导{i}", roles=["leader"]) for i in range(4)]
    session.add_all(leaders)
    await session.flush()
    for task in tasks:
        for position, leader in enumerate(rng.sample(leaders, rng.randint(0, 2))):
            session.add(TaskParty(task_id=task.id, kind="leader", person_id=leader.id, position=position))
        if rng.random() < 0.2:  # a leader named in the plan but not (yet) a person of ours
            session.add(TaskParty(task_id=task.id, kind="leader", person_id=None, position=9))
    await session.flush()
    next_dues = {task.id: min(dues) for task, dues in zip(tasks, open_dues, strict=True) if dues}
    return tasks, shares, next_dues


def by_the_rules(
    tasks: list[Task], shares: list[TaskUnit], next_dues: dict[int, date], xun: bool
) -> dict[int, tuple[date | None, set[int]]]:
    """task id -> (earliest open due, units told), one share at a time."""
    expected: dict[int, tuple[date | None, set[int]]] = {}
    by_id = {task.id: task for task in tasks}
    for share in shares:
        task = by_id[share.task_id]
        if task.archived or share.signed_off_at is not None or share.signoff_state in SIGNED_OFF_STATES:
            continue
        next_due = next_dues.get(task.id)
        dated = next_due is not None and (next_due < TODAY or next_due in DUES)
        stale = share.last_report_at is None or share.last_report_at < XUN_SINCE
        if dated or (xun and task.ongoing and stale):
            expected.setdefault(task.id, (next_due, set()))[1].add(share.unit_id)
    return expected


async def leaders_of(session: AsyncSession) -> dict[int, list[int]]:
    rows = await session.execute(select(TaskParty.task_id, TaskParty.person_id).where(TaskParty.kind == "leader"))
    named: dict[int, list[int]] = {}
    for task_id, person_id in rows:
        if person_id is not None:
            named.setdefault(task_id, []).append(person_id)
    return {task_id: sorted(ids) for task_id, ids in named.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_day_tasks_agrees_with_the_rules_share_by_share(engine: AsyncEngine, seed: int) -> None:
    factory = session_factory(engine)
    async with transaction(factory) as session:
        tasks, shares, next_dues = await random_plan(session, seed)
        for xun in (False, True):
            rows = await day_tasks(session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE if xun else None)
            got = {r.task_id: (r.next_due, set(r.units)) for r in rows}
            assert len(got) == len(rows), "one row per task"
            assert got == by_the_rules(tasks, shares, next_dues, xun)
            # The leaders come along for overdue tasks only: the escalation needs no second query.
            named = await leaders_of(session)
            for row in rows:
                overdue = row.next_due is not None and row.next_due < TODAY
                assert sorted(row.leaders) == (named.get(row.task_id, []) if overdue else [])
            ongoing = {t.id: t.ongoing for t in tasks}
            assert all(r.ongoing == ongoing[r.task_id] for r in rows)



async def test_a_spare_connection_reads_the_same_plan_while_the_caller_holds_the_write_lock(engine: AsyncEngine) -> None:
    """The scheduler's transaction has already recorded its slot (SQLite: BEGIN IMMEDIATE,
    the writers' lock) when it plans the day; the ongoing tasks are then read on a second
    connection at the same time. It must neither wait for that lock nor see another plan."""
    factory = session_factory(engine)
    async with transaction(factory) as session:
        await random_plan(session, 4)
    async with transaction(factory) as session:
        await session.execute(select(Task.id).limit(1))  # the transaction (and its lock) has begun
        alone = await day_tasks(session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE)
        spared = await day_tasks(session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE, spare_connection=True)
    assert any(row.next_due is None for row in alone), "the plan has ongoing tasks without a date"
    assert sorted(spared) == sorted(alone)

async def test_the_dated_tasks_come_first_and_hold_every_task_to_escalate(engine: AsyncEngine) -> None:
    """The day's plan escalates from the dated tasks while the ongoing ones are still being
    read: every overdue task, with its leaders, must be among them, and the whole day the
    same as when read in one go."""
    factory = session_factory(engine)
    async with transaction(factory) as session:
        await random_plan(session, 5)
    async with transaction(factory) as session:
        alone = await day_tasks(session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE)
        async with await start_day_tasks(
            session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE, spare_connection=True
        ) as found:
            dated = await found.dated()
            whole = await found.all()
        # A caller that stops after the dated tasks leaves no query running behind it.
        async with await start_day_tasks(
            session, today=TODAY, reminder_dues=DUES, xun_since=XUN_SINCE, spare_connection=True
        ) as early:
            assert await early.dated() == dated
    assert sorted(whole) == sorted(alone) and whole[: len(dated)] == dated
    overdue = {r.task_id: r.leaders for r in alone if r.next_due is not None and r.next_due < TODAY}
    assert overdue and {r.task_id: r.leaders for r in dated if r.task_id in overdue} == overdue
    assert any(r.next_due is None for r in whole[len(dated):]), "ongoing tasks come after the dated ones"


def test_a_frame_keeps_literal_braces_and_the_order_it_is_given() -> None:
    text = "{title} 《{ref}》 {{注}} 逾期{days}天（{due}）"
    framed = frame(text, ("ref", "title"), days=3, due="{1月31日}")
    assert framed.format("1-17", "扬尘治理") == "扬尘治理 《1-17》 {注} 逾期3天（{1月31日}）"


def test_short_titles_are_one_line_cut_and_escaped() -> None:
    assert short_title("加强\n扬尘  治理") == "加强 扬尘 治理"
    assert short_title("a<b" * 30, limit=10) == "a&lt;ba&lt;ba&lt;b…"
