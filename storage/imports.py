"""Plan documents sent in chat and waiting for the admin's Import or Cancel.

The row (not memory) holds the pending upload, so a preview answered after a restart
still works; the bytes themselves sit under ``$RECTIBOT_DATA_DIR/imports/<sha256>``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import TS, Base


class PendingImport(Base):
    """One previewed upload; ``state`` goes pending → imported | cancelled | stale, once."""

    __tablename__ = "pending_imports"
    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(Text, default="")
    uploader: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(TS)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    decided_at: Mapped[datetime | None] = mapped_column(TS)
    plan_id: Mapped[int | None] = mapped_column(Integer)


async def add(session: AsyncSession, row: PendingImport) -> PendingImport:
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, token: str) -> PendingImport | None:
    return await session.get(PendingImport, token)


async def lock(session: AsyncSession, token: str) -> PendingImport | None:
    """The row, locked until the transaction ends, so two presses cannot both decide it."""
    query = select(PendingImport).where(PendingImport.token == token).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def others_pending(session: AsyncSession, sha256: str, token: str) -> int:
    """How many other pending uploads share these bytes (the stored file is shared)."""
    rows = await session.execute(
        select(PendingImport.token).where(
            PendingImport.sha256 == sha256, PendingImport.state == "pending", PendingImport.token != token
        )
    )
    return len(list(rows.scalars()))
