"""Queries about plans, tasks and their parties."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Extension, Plan, Report, Task, TaskParty, TaskUnit, Unit, UnitAlias

# What every view of a task needs, loaded in a few queries instead of one per task.
TASK_DETAIL = (
    selectinload(Task.measures),
    selectinload(Task.milestones),
    selectinload(Task.parties).selectinload(TaskParty.unit),
    selectinload(Task.parties).selectinload(TaskParty.person),
)


async def plan_by_title(session: AsyncSession, title: str) -> Plan | None:
    return (await session.execute(select(Plan).where(Plan.title == title).order_by(Plan.id))).scalars().first()


async def plan_by_id(session: AsyncSession, plan_id: int) -> Plan | None:
    return await session.get(Plan, plan_id)


async def task_names(session: AsyncSession) -> list[tuple[int, str, str]]:
    """(plan id, ref, title) of every task in force: what a renamed plan is recognised by."""
    rows = await session.execute(select(Task.plan_id, Task.ref, Task.title).where(Task.archived.is_(False)))
    return [(int(plan_id), ref, title) for plan_id, ref, title in rows]


async def plans(session: AsyncSession) -> list[Plan]:
    return list((await session.execute(select(Plan).order_by(Plan.id))).scalars())


async def tasks_of(session: AsyncSession, plan_id: int, *, include_archived: bool = False) -> list[Task]:
    query = (
        select(Task)
        .where(Task.plan_id == plan_id)
        .options(*TASK_DETAIL)
        .order_by(Task.id)
    )
    if not include_archived:
        query = query.where(Task.archived.is_(False))
    return list((await session.execute(query)).scalars())


async def all_tasks(session: AsyncSession, *, include_archived: bool = False) -> list[Task]:
    query = (
        select(Task)
        .options(*TASK_DETAIL)
        .order_by(Task.plan_id, Task.id)
    )
    if not include_archived:
        query = query.where(Task.archived.is_(False))
    return list((await session.execute(query)).scalars())


async def task_units(session: AsyncSession, task_id: int) -> list[TaskUnit]:
    return list((await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id))).scalars())


async def ensure_task_unit(session: AsyncSession, task_id: int, unit_id: int) -> TaskUnit:
    row = (
        await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id))
    ).scalar_one_or_none()
    if row is None:
        row = TaskUnit(task_id=task_id, unit_id=unit_id, signoff_state="none")
        session.add(row)
        await session.flush()
    return row


async def extended_milestones(session: AsyncSession, plan_id: int) -> set[int]:
    """Milestones of the plan whose due date an approved extension has moved."""
    rows = await session.execute(
        select(Extension.milestone_id)
        .join(Task, Task.id == Extension.task_id)
        .where(Task.plan_id == plan_id, Extension.state == "approved", Extension.milestone_id.is_not(None))
    )
    return {row for row in rows.scalars() if row is not None}


async def unit_index(session: AsyncSession) -> dict[str, Unit]:
    """Every unit by its name and by each of its aliases."""
    units = {u.name: u for u in (await session.execute(select(Unit))).scalars()}
    by_id = {u.id: u for u in units.values()}
    for alias in (await session.execute(select(UnitAlias))).scalars():
        if alias.unit_id in by_id:
            units.setdefault(alias.alias, by_id[alias.unit_id])
    return units


async def shares_of_plan(session: AsyncSession, plan_id: int) -> dict[int, set[int]]:
    rows = await session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id).join(Task, Task.id == TaskUnit.task_id).where(Task.plan_id == plan_id)
    )
    shares: dict[int, set[int]] = {}
    for task_id, unit_id in rows:
        shares.setdefault(task_id, set()).add(unit_id)
    return shares


async def detach_extensions(session: AsyncSession, milestone_ids: list[int]) -> None:
    """Let extension requests forget milestones a re-import removes (the request stays)."""
    if milestone_ids:
        await session.execute(
            update(Extension).where(Extension.milestone_id.in_(milestone_ids)).values(milestone_id=None)
        )


async def drop_unreported_shares(session: AsyncSession, task_id: int, unit_ids: set[int]) -> None:
    """Remove these units' shares of a task unless the unit reported on it or a sign-off
    was asked: that history stays visible in the ledger."""
    reported = (
        select(Report.id)
        .where(Report.task_id == TaskUnit.task_id, Report.unit_id == TaskUnit.unit_id)
        .correlate(TaskUnit)
        .exists()
    )
    await session.execute(
        delete(TaskUnit)
        .where(
            TaskUnit.task_id == task_id,
            TaskUnit.unit_id.in_(sorted(unit_ids)),
            TaskUnit.signoff_state == "none",
            ~reported,
        )
        .execution_options(synchronize_session=False)
    )


UNIT_PARTY_KINDS = ("lead", "responsible", "supporting", "supervising")


async def task_ids_led_by(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.execute(
        select(TaskParty.task_id).where(TaskParty.kind == "leader", TaskParty.person_id == person_id)
    )
    return {int(r[0]) for r in rows}


async def task_ids_naming_unit(session: AsyncSession, unit_id: int) -> set[int]:
    """Tasks naming the unit in any unit role (lead, responsible, supporting, supervising)."""
    rows = await session.execute(
        select(TaskParty.task_id).where(TaskParty.kind.in_(UNIT_PARTY_KINDS), TaskParty.unit_id == unit_id)
    )
    return {int(r[0]) for r in rows}


async def unit_parties(session: AsyncSession, task_id: int, unit_id: int) -> list[TaskParty]:
    """How the task names the unit (lead, responsible, …), the document's and the office's."""
    rows = await session.execute(
        select(TaskParty).where(
            TaskParty.task_id == task_id, TaskParty.unit_id == unit_id, TaskParty.kind.in_(UNIT_PARTY_KINDS)
        )
    )
    return list(rows.scalars())


async def assign_unit(session: AsyncSession, task_id: int, unit_id: int, kind: str) -> TaskParty:
    last = (
        await session.execute(select(func.max(TaskParty.position)).where(TaskParty.task_id == task_id))
    ).scalar_one_or_none()
    party = TaskParty(task_id=task_id, unit_id=unit_id, kind=kind, assigned=True, position=(last or 0) + 1)
    session.add(party)
    await session.flush()
    return party


async def example_ref(session: AsyncSession, *, unit_id: int | None, person_id: int | None) -> str | None:
    """A task number this reader knows: their unit's, the tasks they lead, else the newest plan's first."""
    live = select(Task.ref).where(Task.archived.is_(False)).order_by(Task.plan_id.desc(), Task.id).limit(1)
    if unit_id is not None:
        ref = (await session.execute(live.join(TaskUnit, TaskUnit.task_id == Task.id).where(TaskUnit.unit_id == unit_id))).scalar()
        if ref is not None:
            return str(ref)
    if person_id is not None:
        led = live.join(TaskParty, TaskParty.task_id == Task.id).where(
            TaskParty.kind == "leader", TaskParty.person_id == person_id
        )
        ref = (await session.execute(led)).scalar()
        if ref is not None:
            return str(ref)
    ref = (await session.execute(live)).scalar()
    return None if ref is None else str(ref)


async def example_unit(session: AsyncSession) -> str | None:
    """A unit the plans name as lead (the ones leaders ask about most), else any unit."""
    lead = (
        select(Unit.name).join(TaskParty, TaskParty.unit_id == Unit.id)
        .where(TaskParty.kind == "lead", Unit.retired.is_(False)).order_by(TaskParty.id).limit(1)
    )
    name = (await session.execute(lead)).scalar()
    if name is None:
        name = (await session.execute(select(Unit.name).where(Unit.retired.is_(False)).order_by(Unit.id).limit(1))).scalar()
    return None if name is None else str(name)


async def refs_naming_person(session: AsyncSession, person_id: int) -> list[str]:
    """The task numbers that name this person as 责任人 (kind "person")."""
    rows = await session.execute(
        select(Task.ref).join(TaskParty, TaskParty.task_id == Task.id)
        .where(TaskParty.kind == "person", TaskParty.person_id == person_id, Task.archived.is_(False))
        .order_by(Task.id)
    )
    return [str(r[0]) for r in rows]
