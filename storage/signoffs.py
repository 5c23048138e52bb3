"""Queries for sign-off (销号) requests, the per-unit state they change, and their evidence.

A request's evidence is linked through KeyValue records (``signoff.evidence:<id>`` lists the
Evidence ids, ``signoff.group:<media_group_id>`` names the request an album belongs to), so
an Evidence row keeps ``report_id`` null and no core table changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import kv
from storage.models import SignOff, TaskUnit


async def add(session: AsyncSession, row: SignOff) -> SignOff:
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, signoff_id: int) -> SignOff | None:
    return await session.get(SignOff, signoff_id)


async def pending_of(session: AsyncSession, task_id: int, unit_id: int | None) -> list[SignOff]:
    query = select(SignOff).where(SignOff.task_id == task_id, SignOff.state == "pending")
    if unit_id is not None:
        query = query.where(SignOff.unit_id == unit_id)
    return list((await session.execute(query.order_by(SignOff.id))).scalars())


async def task_units(session: AsyncSession, task_id: int) -> list[TaskUnit]:
    rows = await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id).order_by(TaskUnit.id))
    return list(rows.scalars())


async def signed_off_since(session: AsyncSession, since: datetime, until: datetime) -> list[TaskUnit]:
    rows = await session.execute(
        select(TaskUnit)
        .where(
            TaskUnit.signoff_state == "approved",
            TaskUnit.signed_off_at.is_not(None),
            TaskUnit.signed_off_at > since,
            TaskUnit.signed_off_at <= until,
        )
        .order_by(TaskUnit.id)
    )
    return list(rows.scalars())


async def task_unit(session: AsyncSession, task_unit_id: int) -> TaskUnit | None:
    return await session.get(TaskUnit, task_unit_id)


async def latest_pending(
    session: AsyncSession, unit_id: int, *, task_id: int | None = None, person_id: int | None = None,
    since: datetime | None = None,
) -> SignOff | None:
    """The unit's newest pending request, narrowed by task, requester and request time."""
    query = select(SignOff).where(SignOff.unit_id == unit_id, SignOff.state == "pending")
    if task_id is not None:
        query = query.where(SignOff.task_id == task_id)
    if person_id is not None:
        query = query.where(SignOff.requested_by == person_id)
    if since is not None:
        query = query.where(SignOff.requested_at >= since)
    rows = await session.execute(query.order_by(SignOff.requested_at.desc(), SignOff.id.desc()))
    return rows.scalars().first()


async def evidence_ids(session: AsyncSession, signoff_id: int) -> list[int]:
    value = await kv.get(session, f"signoff.evidence:{signoff_id}")
    return [int(i) for i in (value or {}).get("ids", [])]


async def link_evidence(session: AsyncSession, signoff_id: int, evidence_id: int, media_group_id: str | None) -> bool:
    """Link one file to the request; False when it was linked already."""
    ids = await evidence_ids(session, signoff_id)
    if media_group_id is not None:
        await kv.put_once(session, f"signoff.group:{media_group_id}", {"signoff": signoff_id})
    if evidence_id in ids:
        return False
    await kv.put(session, f"signoff.evidence:{signoff_id}", {"ids": [*ids, evidence_id]})
    return True


async def of_group(session: AsyncSession, media_group_id: str) -> SignOff | None:
    """The request an album was attached to, if any."""
    value = await kv.get(session, f"signoff.group:{media_group_id}")
    return await get(session, int(value["signoff"])) if value and value.get("signoff") else None


async def last_returned(session: AsyncSession, task_id: int, unit_id: int, *, before: int) -> SignOff | None:
    """The unit's latest request on the task before ``before``, if it was returned."""
    rows = await session.execute(
        select(SignOff)
        .where(SignOff.task_id == task_id, SignOff.unit_id == unit_id, SignOff.id < before)
        .order_by(SignOff.id.desc())
        .limit(1)
    )
    last = rows.scalars().first()
    return last if last is not None and last.state == "returned" else None
