"""Small remembered facts (one warning per year, last catch-up, …)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KeyValue


async def get(session: AsyncSession, key: str) -> dict[str, Any] | None:
    row = await session.get(KeyValue, key)
    return row.value if row else None


async def put(session: AsyncSession, key: str, value: dict[str, Any]) -> None:
    row = await session.get(KeyValue, key)
    if row is None:
        session.add(KeyValue(key=key, value=value))
    else:
        row.value = value
    await session.flush()


async def put_once(session: AsyncSession, key: str, value: dict[str, Any]) -> bool:
    """Store ``key`` unless present; True if this call stored it (the caller acts once)."""
    if await session.get(KeyValue, key) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(KeyValue(key=key, value=value))
    except IntegrityError:
        return False
    return True


async def delete(session: AsyncSession, key: str) -> None:
    row = await session.get(KeyValue, key)
    if row is not None:
        await session.delete(row)
        await session.flush()
