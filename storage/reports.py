"""Queries for chat reports: the rows a report touches and how a message finds its report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    GroupChat,
    Outbox,
    Person,
    Plan,
    Report,
    Task,
    TaskParty,
    TaskUnit,
    Unit,
    UnitAlias,
)


async def add(session: AsyncSession, report: Report) -> Report:
    session.add(report)
    await session.flush()
    return report


async def get(session: AsyncSession, report_id: int) -> Report | None:
    return await session.get(Report, report_id)


async def by_message(session: AsyncSession, chat_id: int, message_id: int) -> Report | None:
    """The live report a user's own message produced."""
    rows = await session.execute(
        select(Report)
        .where(Report.chat_id == chat_id, Report.message_id == message_id, Report.undone.is_(False))
        .order_by(Report.id.desc())
    )
    return rows.scalars().first()


async def by_update(session: AsyncSession, update_id: int) -> Report | None:
    rows = await session.execute(
        select(Report).where(Report.update_id == update_id, Report.undone.is_(False)).order_by(Report.id.desc())
    )
    return rows.scalars().first()


async def sent_message(session: AsyncSession, chat_id: int, message_id: int) -> list[Outbox]:
    """The outbox rows that sent or edited the bot's message ``message_id`` in ``chat_id``, newest first."""
    rows = await session.execute(
        select(Outbox).where(Outbox.chat_id == chat_id, Outbox.message_id == message_id).order_by(Outbox.id.desc())
    )
    return list(rows.scalars())


async def recent_of(
    session: AsyncSession, person_id: int, chat_id: int, since: datetime, task_ids: Sequence[int] | None = None
) -> Report | None:
    query = select(Report).where(
        Report.person_id == person_id,
        Report.chat_id == chat_id,
        Report.undone.is_(False),
        Report.created_at >= since,
    )
    if task_ids is not None:
        query = query.where(Report.task_id.in_(list(task_ids)))
    rows = await session.execute(query.order_by(Report.created_at.desc(), Report.id.desc()))
    return rows.scalars().first()


async def recent_tasks(session: AsyncSession, person_id: int, since: datetime, limit: int) -> list[int]:
    """The tasks a person reported on lately, most recent first."""
    rows = await session.execute(
        select(Report.task_id, func.max(Report.created_at).label("last"))
        .where(Report.person_id == person_id, Report.undone.is_(False), Report.created_at >= since)
        .group_by(Report.task_id)
        .order_by(func.max(Report.created_at).desc(), Report.task_id)
        .limit(limit)
    )
    return [int(task_id) for task_id, _last in rows]


async def live_of_task_unit(session: AsyncSession, task_id: int, unit_id: int) -> list[Report]:
    rows = await session.execute(
        select(Report)
        .where(Report.task_id == task_id, Report.unit_id == unit_id, Report.undone.is_(False))
        .order_by(Report.created_at, Report.id)
    )
    return list(rows.scalars())


async def task_unit(session: AsyncSession, task_id: int, unit_id: int) -> TaskUnit | None:
    rows = await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id))
    return rows.scalar_one_or_none()


async def task(session: AsyncSession, task_id: int) -> Task | None:
    rows = await session.execute(
        select(Task)
        .where(Task.id == task_id)
        .options(selectinload(Task.measures), selectinload(Task.milestones), selectinload(Task.plan))
    )
    return rows.scalar_one_or_none()


async def tasks_by_ref(session: AsyncSession, ref: str) -> list[Task]:
    """Live tasks with ``ref``; ``<plan id>:<ref>`` names one plan's."""
    plan_id: int | None = None
    if ":" in ref:
        head, _, ref = ref.partition(":")
        if not head.isdigit():
            return []
        plan_id = int(head)
    query = select(Task).where(Task.ref == ref, Task.archived.is_(False)).order_by(Task.plan_id)
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    return list((await session.execute(query)).scalars())


async def plan_count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count(Plan.id)))).scalar_one())


async def task_signature(session: AsyncSession) -> tuple[int, int, str]:
    """Changes whenever a plan is imported again or a task is added or archived."""
    count = (await session.execute(select(func.count(Task.id)).where(Task.archived.is_(False)))).scalar_one()
    plans = (await session.execute(select(func.count(Plan.id)))).scalar_one()
    latest = (await session.execute(select(func.max(Plan.imported_at)))).scalar_one()
    return int(count), int(plans), latest.isoformat() if latest else ""


async def unit_aliases(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(UnitAlias.alias, Unit.name).join(Unit, Unit.id == UnitAlias.unit_id))
    return {str(alias): str(name) for alias, name in rows}


async def unit(session: AsyncSession, unit_id: int) -> Unit | None:
    return await session.get(Unit, unit_id)


async def unit_tasks(session: AsyncSession, unit_id: int) -> set[int]:
    rows = await session.execute(select(TaskParty.task_id).where(TaskParty.unit_id == unit_id))
    return {int(r[0]) for r in rows}


async def county_share_tasks(session: AsyncSession, patterns: Sequence[str] = ("各县%",)) -> set[int]:
    """Tasks naming 各县(市、区) (or 各乡镇, …): each such government reports its own share of them."""
    rows = await session.execute(
        select(TaskParty.task_id)
        .join(Unit, Unit.id == TaskParty.unit_id)
        .where(or_(*[Unit.name.like(p) for p in patterns]), TaskParty.kind.in_(("lead", "responsible")))
    )
    return {int(r[0]) for r in rows}


async def group_chat(session: AsyncSession, chat_id: int) -> GroupChat | None:
    return await session.get(GroupChat, chat_id)


async def person(session: AsyncSession, person_id: int | None) -> Person | None:
    return await session.get(Person, person_id) if person_id is not None else None


async def unit_members(session: AsyncSession, unit_id: int) -> list[Person]:
    rows = await session.execute(
        select(Person)
        .where(Person.unit_id == unit_id, Person.telegram_id.is_not(None), Person.retired.is_(False))
        .order_by(Person.id)
    )
    return list(rows.scalars())
