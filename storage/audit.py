"""Audit rows and the head row that appends lock on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, AuditHead


async def lock_head(session: AsyncSession) -> AuditHead:
    """The chain head, locked for this transaction.

    PostgreSQL: the row is created if missing without ever failing on a concurrent
    creator, then locked FOR UPDATE, so appends queue one behind the other. SQLite:
    the engine starts every transaction with BEGIN IMMEDIATE, which already
    serialises writers.
    """
    dialect = session.get_bind().dialect.name
    values = {"id": 1, "last_id": 0, "mac": ""}
    if dialect == "postgresql":
        await session.execute(pg_insert(AuditHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    else:
        await session.execute(sqlite_insert(AuditHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    head = (
        await session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
        )
    ).scalar_one()
    return head


async def events(session: AsyncSession, subject: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    return list((await session.execute(query)).scalars())


async def events_about(session: AsyncSession, subjects: list[str], limit: int) -> list[AuditEvent]:
    """The newest ``limit`` events about any of ``subjects``, oldest first."""
    rows = await session.execute(
        select(AuditEvent).where(AuditEvent.subject.in_(subjects)).order_by(AuditEvent.id.desc()).limit(limit)
    )
    return list(reversed(list(rows.scalars())))


async def head(session: AsyncSession) -> AuditHead | None:
    return await session.get(AuditHead, 1)
