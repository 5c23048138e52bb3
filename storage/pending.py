"""Requests waiting for the office: 销号, extensions and self-service bindings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.invitations import BindRequest
from storage.models import Extension, SignOff, Task, Unit


async def signoffs(session: AsyncSession) -> list[tuple[SignOff, Task, str | None]]:
    rows = await session.execute(
        select(SignOff, Task, Unit.name)
        .join(Task, Task.id == SignOff.task_id)
        .outerjoin(Unit, Unit.id == SignOff.unit_id)
        .where(SignOff.state == "pending", Task.archived.is_(False))
        .order_by(SignOff.requested_at, SignOff.id)
    )
    return [(s, t, None if u is None else str(u)) for s, t, u in rows]


async def extensions(session: AsyncSession) -> list[tuple[Extension, Task, str | None]]:
    rows = await session.execute(
        select(Extension, Task, Unit.name)
        .join(Task, Task.id == Extension.task_id)
        .outerjoin(Unit, Unit.id == Extension.unit_id)
        .where(Extension.state == "pending", Task.archived.is_(False))
        .order_by(Extension.requested_at, Extension.id)
    )
    return [(e, t, None if u is None else str(u)) for e, t, u in rows]


async def bind_requests(session: AsyncSession) -> list[tuple[BindRequest, str | None]]:
    rows = await session.execute(
        select(BindRequest, Unit.name)
        .outerjoin(Unit, Unit.id == BindRequest.unit_id)
        .where(BindRequest.state == "pending")
        .order_by(BindRequest.created_at, BindRequest.id)
    )
    return [(r, None if u is None else str(u)) for r, u in rows]
