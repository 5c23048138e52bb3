"""Invitations, wrong-code attempts and self-service binding requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import TS, Base, Invitation


class InviteFailure(Base):
    """A wrong code typed by an account; counted to slow down guessing."""

    __tablename__ = "invite_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(TS)


class BindRequest(Base):
    """An unbound user's "我是市水利局李明", waiting for an admin's approval."""

    __tablename__ = "bind_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(String(100), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(TS)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(TS)


async def add_invitation(session: AsyncSession, invitation: Invitation) -> Invitation:
    session.add(invitation)
    await session.flush()
    return invitation


async def invitation_by_hash(session: AsyncSession, code_hash: bytes) -> Invitation | None:
    """The invitation, locked so two accounts cannot use one code at the same moment."""
    return (
        await session.execute(select(Invitation).where(Invitation.code_hash == code_hash).with_for_update())
    ).scalar_one_or_none()


async def record_failure(session: AsyncSession, telegram_id: int, now: datetime, keep_since: datetime) -> None:
    await session.execute(
        delete(InviteFailure).where(InviteFailure.telegram_id == telegram_id, InviteFailure.at < keep_since)
    )
    session.add(InviteFailure(telegram_id=telegram_id, at=now))
    await session.flush()


async def failures_since(session: AsyncSession, telegram_id: int, since: datetime) -> list[datetime]:
    rows = await session.execute(
        select(InviteFailure.at)
        .where(InviteFailure.telegram_id == telegram_id, InviteFailure.at > since)
        .order_by(InviteFailure.at)
    )
    return [r[0] for r in rows]


async def pending_requests_of(session: AsyncSession, telegram_id: int) -> list[BindRequest]:
    rows = await session.execute(
        select(BindRequest).where(BindRequest.telegram_id == telegram_id, BindRequest.state == "pending")
    )
    return list(rows.scalars())


async def add_request(session: AsyncSession, request: BindRequest) -> BindRequest:
    session.add(request)
    await session.flush()
    return request


async def request_locked(session: AsyncSession, request_id: int) -> BindRequest | None:
    """The request row locked for a decision: two admins pressing at once decide once."""
    return (
        await session.execute(select(BindRequest).where(BindRequest.id == request_id).with_for_update())
    ).scalar_one_or_none()



async def invitations_of_unit(session: AsyncSession, unit_id: int) -> list[Invitation]:
    """Invitations issued to members of a unit, newest first."""
    rows = await session.execute(
        select(Invitation).where(Invitation.unit_id == unit_id).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(rows.scalars())


async def open_invitations_named(session: AsyncSession, name: str, now: datetime) -> list[Invitation]:
    """Unused, unexpired invitations issued under ``name``, newest first."""
    rows = await session.execute(
        select(Invitation)
        .where(Invitation.name == name, Invitation.used_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(rows.scalars())
