"""Handled update ids: the record that makes a redelivered update change nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HandledUpdate


async def was_handled(session: AsyncSession, update_id: int) -> bool:
    return await session.get(HandledUpdate, update_id) is not None


async def mark_handled(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """Claim the update inside the caller's transaction; False if another claim won."""
    try:
        async with session.begin_nested():
            session.add(HandledUpdate(update_id=update_id, handled_at=now))
    except IntegrityError:
        return False
    return True


async def prune(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
