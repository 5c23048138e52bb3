"""Queries for sign-off (销号) requests and the per-unit state they change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SignOff, TaskUnit


async def add(session: AsyncSession, row: SignOff) -> SignOff:
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, signoff_id: int) -> SignOff | None:
    return await session.get(SignOff, signoff_id)


async def pending_of(session: AsyncSession, task_id: int, unit_id: int | None) -> list[SignOff]:
    query = select(SignOff).where(SignOff.task_id == task_id, SignOff.state == "pending")
    if unit_id is not None:
        query = query.where(SignOff.unit_id == unit_id)
    return list((await session.execute(query.order_by(SignOff.id))).scalars())


async def task_units(session: AsyncSession, task_id: int) -> list[TaskUnit]:
    rows = await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id).order_by(TaskUnit.id))
    return list(rows.scalars())


async def signed_off_since(session: AsyncSession, since: datetime, until: datetime) -> list[TaskUnit]:
    rows = await session.execute(
        select(TaskUnit)
        .where(
            TaskUnit.signoff_state == "approved",
            TaskUnit.signed_off_at.is_not(None),
            TaskUnit.signed_off_at > since,
            TaskUnit.signed_off_at <= until,
        )
        .order_by(TaskUnit.id)
    )
    return list(rows.scalars())


async def task_unit(session: AsyncSession, task_unit_id: int) -> TaskUnit | None:
    return await session.get(TaskUnit, task_unit_id)
