"""Registered work groups (工作群)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import GroupChat


async def group(session: AsyncSession, chat_id: int) -> GroupChat | None:
    return await session.get(GroupChat, chat_id)


async def register(
    session: AsyncSession, chat_id: int, *, title: str, unit_id: int | None, is_office: bool, now: datetime
) -> GroupChat:
    row = await session.get(GroupChat, chat_id)
    if row is None:
        row = GroupChat(chat_id=chat_id, title=title, unit_id=unit_id, is_office=is_office, registered_at=now)
        session.add(row)
    else:
        row.title, row.unit_id, row.is_office, row.registered_at = title, unit_id, is_office, now
    await session.flush()
    return row


async def unregister(session: AsyncSession, chat_id: int) -> bool:
    row = await session.get(GroupChat, chat_id)
    if row is None:
        return False
    await session.delete(row)
    await session.flush()
    return True


async def groups(session: AsyncSession) -> list[GroupChat]:
    return list((await session.execute(select(GroupChat).order_by(GroupChat.chat_id))).scalars())
