"""Queries behind the admins' people-and-units commands and /history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Evidence,
    Extension,
    GroupChat,
    Invitation,
    Person,
    Report,
    SignOff,
    Task,
    TaskParty,
    TaskUnit,
    Unit,
    UnitAlias,
)


async def unit_names(session: AsyncSession) -> list[str]:
    names = await session.execute(select(Unit.name).where(Unit.retired.is_(False)))
    aliases = await session.execute(select(UnitAlias.alias))
    return [r[0] for r in names] + [r[0] for r in aliases]


async def units(session: AsyncSession, *, include_retired: bool = False) -> list[Unit]:
    query = select(Unit).order_by(Unit.name)
    if not include_retired:
        query = query.where(Unit.retired.is_(False))
    return list((await session.execute(query)).scalars())


async def aliases(session: AsyncSession) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in await session.execute(select(UnitAlias.alias, UnitAlias.unit_id))}


async def person_names(session: AsyncSession) -> list[str]:
    rows = await session.execute(select(Person.name).where(Person.retired.is_(False)).distinct())
    return [r[0] for r in rows]


async def persons(session: AsyncSession, *, unit_id: int | None = None, only_plan: bool = False) -> list[Person]:
    query = select(Person).where(Person.retired.is_(False)).order_by(Person.unit_id, Person.name)
    if unit_id is not None:
        query = query.where(Person.unit_id == unit_id)
    return list((await session.execute(query)).scalars())


async def person_by_id(session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def tasks_by_ref(session: AsyncSession, ref: str) -> list[Task]:
    """``1-10`` in every plan, or ``<plan id>:1-10`` in one."""
    plan_id, _, bare = ref.rpartition(":")
    query = select(Task).where(Task.ref == bare).order_by(Task.plan_id)
    if plan_id:
        if not plan_id.isdigit():
            return []
        query = query.where(Task.plan_id == int(plan_id))
    return list((await session.execute(query)).scalars())


async def add_alias(session: AsyncSession, alias: str, unit_id: int) -> None:
    existing = (await session.execute(select(UnitAlias).where(UnitAlias.alias == alias))).scalar_one_or_none()
    if existing is None:
        session.add(UnitAlias(alias=alias, unit_id=unit_id))
    else:
        existing.unit_id = unit_id
    await session.flush()


async def merge_units(session: AsyncSession, source: Unit, target: Unit) -> dict[str, Any]:
    """Everything that named ``source`` names ``target``; a task both share keeps the target's progress."""
    dropped: list[dict[str, Any]] = []
    source_rows = (await session.execute(select(TaskUnit).where(TaskUnit.unit_id == source.id))).scalars()
    for row in list(source_rows):
        twin = (
            await session.execute(
                select(TaskUnit).where(TaskUnit.task_id == row.task_id, TaskUnit.unit_id == target.id)
            )
        ).scalar_one_or_none()
        if twin is None:
            row.unit_id = target.id
        else:
            dropped.append({"task_id": row.task_id, "status": row.status, "percent": row.percent})
            await session.delete(row)
    await session.flush()
    for model in (TaskParty, Person, Report, Evidence, SignOff, Extension, GroupChat, Invitation):
        column = model.unit_id
        await session.execute(update(model).where(column == source.id).values(unit_id=target.id))
    await session.execute(update(UnitAlias).where(UnitAlias.unit_id == source.id).values(unit_id=target.id))
    await session.flush()
    await _dedupe_parties(session, target.id)
    return {"dropped_task_units": dropped}


async def _dedupe_parties(session: AsyncSession, unit_id: int) -> None:
    seen: set[tuple[int, str]] = set()
    rows = await session.execute(select(TaskParty).where(TaskParty.unit_id == unit_id).order_by(TaskParty.id))
    for party in list(rows.scalars()):
        key = (party.task_id, party.kind)
        if key in seen:
            await session.execute(delete(TaskParty).where(TaskParty.id == party.id))
        seen.add(key)
    await session.flush()


async def unit_load(session: AsyncSession, unit_id: int) -> tuple[int, int]:
    """(open shares on live tasks, bound people) of a unit: what retiring it would strand."""
    shares = await session.scalar(
        select(func.count())
        .select_from(TaskUnit)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(
            TaskUnit.unit_id == unit_id,
            TaskUnit.signed_off_at.is_(None),
            Task.archived.is_(False),
        )
    )
    bound = await session.scalar(
        select(func.count())
        .select_from(Person)
        .where(Person.unit_id == unit_id, Person.telegram_id.is_not(None), Person.retired.is_(False))
    )
    return int(shares or 0), int(bound or 0)
