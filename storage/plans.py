"""Queries about plans, tasks and their parties."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Plan, Task, TaskParty, TaskUnit


async def plan_by_title(session: AsyncSession, title: str) -> Plan | None:
    return (await session.execute(select(Plan).where(Plan.title == title).order_by(Plan.id))).scalars().first()


async def plans(session: AsyncSession) -> list[Plan]:
    return list((await session.execute(select(Plan).order_by(Plan.id))).scalars())


async def tasks_of(session: AsyncSession, plan_id: int, *, include_archived: bool = False) -> list[Task]:
    query = (
        select(Task)
        .where(Task.plan_id == plan_id)
        .options(
            selectinload(Task.measures),
            selectinload(Task.milestones),
            selectinload(Task.parties).selectinload(TaskParty.unit),
            selectinload(Task.parties).selectinload(TaskParty.person),
        )
        .order_by(Task.id)
    )
    if not include_archived:
        query = query.where(Task.archived.is_(False))
    return list((await session.execute(query)).scalars())


async def all_tasks(session: AsyncSession, *, include_archived: bool = False) -> list[Task]:
    query = (
        select(Task)
        .options(
            selectinload(Task.measures),
            selectinload(Task.milestones),
            selectinload(Task.parties).selectinload(TaskParty.unit),
            selectinload(Task.parties).selectinload(TaskParty.person),
        )
        .order_by(Task.plan_id, Task.id)
    )
    if not include_archived:
        query = query.where(Task.archived.is_(False))
    return list((await session.execute(query)).scalars())


async def task_units(session: AsyncSession, task_id: int) -> list[TaskUnit]:
    return list((await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id))).scalars())


async def ensure_task_unit(session: AsyncSession, task_id: int, unit_id: int) -> TaskUnit:
    row = (
        await session.execute(select(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id))
    ).scalar_one_or_none()
    if row is None:
        row = TaskUnit(task_id=task_id, unit_id=unit_id, signoff_state="none")
        session.add(row)
        await session.flush()
    return row
