"""Schedules and the slots that have run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Schedule, ScheduleRun


async def enabled(session: AsyncSession) -> list[Schedule]:
    return list(
        (await session.execute(select(Schedule).where(Schedule.enabled.is_(True)).order_by(Schedule.id))).scalars()
    )


async def all_schedules(session: AsyncSession) -> list[Schedule]:
    return list((await session.execute(select(Schedule).order_by(Schedule.id))).scalars())


async def ensure(
    session: AsyncSession, *, name: str, kind: str, rule: str, at: str, params: dict[str, Any] | None = None
) -> Schedule:
    """Create a schedule once; an admin's later change of time or rule is kept."""
    row = (await session.execute(select(Schedule).where(Schedule.name == name))).scalar_one_or_none()
    if row is None:
        row = Schedule(name=name, kind=kind, rule=rule, at=at, params=params or {}, enabled=True)
        session.add(row)
        await session.flush()
    return row


async def has_run(session: AsyncSession, schedule_id: int, slot: datetime) -> bool:
    row = (
        await session.execute(
            select(ScheduleRun.id).where(ScheduleRun.schedule_id == schedule_id, ScheduleRun.slot == slot)
        )
    ).first()
    return row is not None


async def record_run(
    session: AsyncSession, schedule_id: int, slot: datetime, now: datetime, outcome: str = "ran"
) -> bool:
    """Claim a slot; False if it was already claimed (by us earlier or by another process)."""
    try:
        async with session.begin_nested():
            session.add(ScheduleRun(schedule_id=schedule_id, slot=slot, ran_at=now, outcome=outcome))
    except IntegrityError:
        return False
    return True


async def runs(session: AsyncSession, limit: int = 100) -> list[ScheduleRun]:
    return list(
        (await session.execute(select(ScheduleRun).order_by(ScheduleRun.slot.desc()).limit(limit))).scalars()
    )
