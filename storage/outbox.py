"""The outbox table: queued, claimed, sent.

A row is claimed with a conditional UPDATE (``status='pending'`` in the WHERE); on
PostgreSQL a second claimer blocks on the row lock and then finds it no longer
pending, so one row is sent by one process however many senders run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Outbox


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    now: datetime,
    push: bool = False,
    person_id: int | None = None,
    update_id: int | None = None,
    not_before: datetime | None = None,
) -> Outbox | None:
    """Queue a message under a unique key; None if that key was already queued."""
    row = Outbox(
        key=key,
        kind=kind,
        chat_id=chat_id,
        method=method,
        payload=payload,
        push=push,
        person_id=person_id,
        update_id=update_id,
        status="pending",
        attempts=0,
        not_before=not_before,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


async def pending_ids(
    session: AsyncSession,
    now: datetime,
    *,
    include_push: bool,
    ids: Sequence[int] | None = None,
    update_id: int | None = None,
    limit: int = 500,
) -> list[int]:
    # A chat waiting out a retry_after gets nothing else first: its messages stay in order.
    waiting = select(Outbox.chat_id).where(Outbox.status == "pending", Outbox.not_before > now)
    query = select(Outbox.id).where(
        Outbox.status == "pending",
        or_(Outbox.not_before.is_(None), Outbox.not_before <= now),
        Outbox.chat_id.not_in(waiting),
    )
    if not include_push:
        query = query.where(Outbox.push.is_(False))
    if ids is not None:
        query = query.where(Outbox.id.in_(list(ids)))
    if update_id is not None:
        query = query.where(Outbox.update_id == update_id)
    return list((await session.execute(query.order_by(Outbox.id).limit(limit))).scalars())


async def claim(
    session: AsyncSession, row_id: int, worker: str, now: datetime, *, skip_chats: set[int] | None = None
) -> Outbox | None:
    conditions = [Outbox.id == row_id, Outbox.status == "pending"]
    if skip_chats:
        conditions.append(Outbox.chat_id.not_in(list(skip_chats)))
    result = await session.execute(
        update(Outbox)
        .where(*conditions)
        .values(status="sending", claimed_by=worker, claimed_at=now, attempts=Outbox.attempts + 1)
        .returning(Outbox)
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def mark(
    session: AsyncSession,
    row_id: int,
    status: str,
    *,
    now: datetime,
    message_id: int | None = None,
    error: str | None = None,
    not_before: datetime | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "error": error}
    if status == "sent":
        values.update(sent_at=now, message_id=message_id)
    if status == "pending":
        values.update(not_before=not_before, claimed_by=None, claimed_at=None)
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))


async def stuck_sending(session: AsyncSession) -> list[Outbox]:
    return list(
        (await session.execute(select(Outbox).where(Outbox.status == "sending").order_by(Outbox.id))).scalars()
    )


async def listing(session: AsyncSession, status: str | None = None, limit: int = 200) -> list[Outbox]:
    query = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
    if status:
        query = query.where(Outbox.status == status)
    return list((await session.execute(query)).scalars())


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
    return {status: int(n) for status, n in rows}


async def sent_for_update(session: AsyncSession, update_id: int) -> list[Outbox]:
    return list(
        (
            await session.execute(
                select(Outbox).where(Outbox.update_id == update_id).order_by(Outbox.id)
            )
        ).scalars()
    )
