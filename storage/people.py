"""Queries about Telegram accounts, persons and their bindings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invitation, Person, TelegramUser, Unit, UnitAlias


async def get_user(session: AsyncSession, telegram_id: int) -> TelegramUser | None:
    return await session.get(TelegramUser, telegram_id)


async def touch_user(
    session: AsyncSession,
    telegram_id: int,
    *,
    first_name: str,
    username: str | None,
    language: str | None,
    now: datetime,
) -> tuple[TelegramUser, bool]:
    """Record that the account was seen; return it and whether this is the first contact."""
    user = await session.get(TelegramUser, telegram_id)
    if user is None:
        user = TelegramUser(
            telegram_id=telegram_id,
            first_name=first_name,
            username=username,
            language=language,
            first_seen=now,
            last_seen=now,
            reachable=True,
        )
        session.add(user)
        await session.flush()
        return user, True
    user.first_name = first_name or user.first_name
    user.username = username
    user.last_seen = now
    return user, False


async def person_by_telegram(session: AsyncSession, telegram_id: int) -> Person | None:
    return (
        await session.execute(
            select(Person).where(Person.telegram_id == telegram_id, Person.retired.is_(False))
        )
    ).scalar_one_or_none()


async def unit_name(session: AsyncSession, unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    unit = await session.get(Unit, unit_id)
    return unit.name if unit else None


async def admin_chat_ids(session: AsyncSession, configured: Iterable[int]) -> list[int]:
    """Admins are the configured ids plus every bound person holding the admin role."""
    ids = set(configured)
    rows = await session.execute(
        select(Person.telegram_id, Person.roles).where(
            Person.telegram_id.is_not(None), Person.retired.is_(False)
        )
    )
    for tg_id, roles in rows:
        if tg_id is not None and "admin" in (roles or []):
            ids.add(int(tg_id))
    return sorted(ids)


async def find_unit(session: AsyncSession, name: str) -> Unit | None:
    """A unit by its name or one of its aliases."""
    unit = (await session.execute(select(Unit).where(Unit.name == name))).scalar_one_or_none()
    if unit is not None:
        return unit
    alias = (
        await session.execute(select(UnitAlias).where(UnitAlias.alias == name))
    ).scalar_one_or_none()
    return await session.get(Unit, alias.unit_id) if alias else None


async def ensure_unit(session: AsyncSession, name: str) -> Unit:
    unit = await find_unit(session, name)
    if unit is None:
        unit = Unit(name=name)
        session.add(unit)
        await session.flush()
    return unit


async def persons_named(session: AsyncSession, name: str) -> list[Person]:
    return list(
        (
            await session.execute(
                select(Person).where(Person.name == name, Person.retired.is_(False))
            )
        ).scalars()
    )


async def persons_of_unit(session: AsyncSession, unit_id: int, name: str) -> list[Person]:
    return list(
        (
            await session.execute(
                select(Person).where(
                    Person.unit_id == unit_id, Person.name == name, Person.retired.is_(False)
                )
            )
        ).scalars()
    )


async def unbind_telegram(session: AsyncSession, telegram_id: int, keep: Person) -> None:
    """A Telegram account belongs to one person at a time."""
    others = await session.execute(
        select(Person).where(
            Person.telegram_id == telegram_id, or_(Person.id != keep.id, Person.id.is_(None))
        )
    )
    for other in others.scalars():
        other.telegram_id = None


async def person_name(session: AsyncSession, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    person = await session.get(Person, person_id)
    return person.name if person is not None and not person.retired else None


async def open_invitations_for(
    session: AsyncSession, *, person_id: int | None, unit_id: int | None, name: str, now: datetime
) -> list[Invitation]:
    """Unused, unexpired invitations issued for this person, or for this name in this unit:
    a self-introduction for the same person must not silently pass them by."""
    same: list[Any] = []
    if person_id is not None:
        same.append(Invitation.person_id == person_id)
    if unit_id is not None and name:
        same.append((Invitation.unit_id == unit_id) & (Invitation.name == name))
    if not same:
        return []
    query = (
        select(Invitation)
        .where(Invitation.used_at.is_(None), Invitation.expires_at > now, or_(*same))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list((await session.execute(query)).scalars())
