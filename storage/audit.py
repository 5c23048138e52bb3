"""Audit rows and the head row that appends lock on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, AuditHead


async def lock_head(session: AsyncSession) -> AuditHead:
    """The chain head, locked for this transaction (FOR UPDATE; SQLite already holds BEGIN IMMEDIATE)."""
    head = (
        await session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_id=0, mac="")
        session.add(head)
        await session.flush()
    return head


async def events(session: AsyncSession, subject: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    return list((await session.execute(query)).scalars())


async def head(session: AsyncSession) -> AuditHead | None:
    return await session.get(AuditHead, 1)
