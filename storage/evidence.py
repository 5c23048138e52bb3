"""Queries for evidence files (photos and documents attached to reports)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Evidence


async def add(session: AsyncSession, row: Evidence) -> Evidence:
    session.add(row)
    await session.flush()
    return row


async def same_file(session: AsyncSession, sha256: str, task_id: int | None, media_group_id: str | None) -> Evidence | None:
    """The file already on record for this task (or for this still-unassigned album)."""
    query = select(Evidence).where(Evidence.sha256 == sha256)
    if task_id is not None:
        query = query.where(Evidence.task_id == task_id)
    elif media_group_id is not None:
        query = query.where(Evidence.media_group_id == media_group_id)
    else:
        return None
    return (await session.execute(query.order_by(Evidence.id))).scalars().first()


async def of_group(session: AsyncSession, media_group_id: str) -> list[Evidence]:
    rows = await session.execute(select(Evidence).where(Evidence.media_group_id == media_group_id).order_by(Evidence.id))
    return list(rows.scalars())


async def of_task(session: AsyncSession, task_id: int, unit_ids: set[int] | None = None) -> list[Evidence]:
    query = select(Evidence).where(Evidence.task_id == task_id)
    if unit_ids is not None:
        query = query.where(Evidence.unit_id.in_(unit_ids))
    return list((await session.execute(query.order_by(Evidence.created_at, Evidence.id))).scalars())


async def of_report(session: AsyncSession, report_id: int) -> list[Evidence]:
    rows = await session.execute(select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id))
    return list(rows.scalars())


async def attach_ids(session: AsyncSession, ids: list[int], *, report_id: int, task_id: int, unit_id: int | None) -> None:
    if ids:
        await session.execute(
            update(Evidence).where(Evidence.id.in_(ids)).values(report_id=report_id, task_id=task_id, unit_id=unit_id)
        )


async def detach_report(session: AsyncSession, report_id: int) -> None:
    """An undone report's files stay on the task but no longer point at the report."""
    await session.execute(update(Evidence).where(Evidence.report_id == report_id).values(report_id=None))


async def count_of_sha(session: AsyncSession, sha256: str) -> int:
    return int((await session.execute(select(func.count(Evidence.id)).where(Evidence.sha256 == sha256))).scalar_one())


async def recent_of_person(session: AsyncSession, person_id: int, since: datetime) -> list[Evidence]:
    """A person's files received since ``since``, oldest first."""
    rows = await session.execute(
        select(Evidence).where(Evidence.person_id == person_id, Evidence.created_at >= since).order_by(Evidence.id)
    )
    return list(rows.scalars())


async def hold_again(session: AsyncSession, ids: list[int]) -> None:
    """Files placed by a guess, taken off it: the words about them decide where they go."""
    if ids:
        await session.execute(update(Evidence).where(Evidence.id.in_(ids)).values(report_id=None, task_id=None))


async def explain(session: AsyncSession, ids: list[int], caption: str) -> None:
    """The words sent after captionless files, kept as their caption (the 说明 of the export)."""
    if ids:
        await session.execute(update(Evidence).where(Evidence.id.in_(ids), Evidence.caption.is_(None)).values(caption=caption))


async def counts_of_unit(session: AsyncSession, unit_id: int) -> list[tuple[int, str, int]]:
    """(task id, kind, files) for a unit's evidence filed under a task."""
    rows = await session.execute(
        select(Evidence.task_id, Evidence.kind, func.count(Evidence.id))
        .where(Evidence.unit_id == unit_id, Evidence.task_id.is_not(None))
        .group_by(Evidence.task_id, Evidence.kind)
    )
    return [(int(task_id or 0), str(kind), int(n)) for task_id, kind, n in rows.all()]
