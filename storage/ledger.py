"""Queries behind the ledger (台账): tasks with their parties, shares, reports and evidence.

Every view of the leaders' area — /status, /overdue, cards, the Excel export, charts and
digests — reads through here, in a handful of set-based queries per call rather than a
query per task, so a 10,000-task plan costs the same number of round trips as a small one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Evidence,
    Extension,
    Invitation,
    Person,
    Plan,
    Report,
    SignOff,
    Task,
    TaskParty,
    TaskUnit,
    Unit,
    UnitAlias,
)
from storage.plans import TASK_DETAIL

UNIT_PARTY_KINDS = ("lead", "responsible", "supporting", "supervising")


Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


def _in(query: Q, column: Any, ids: set[int] | None) -> Q:
    return query if ids is None else query.where(column.in_(sorted(ids)))


async def tasks(session: AsyncSession, task_ids: set[int] | None = None) -> list[Task]:
    """Live (not archived) tasks with measures, milestones and parties, in plan order."""
    query = (
        select(Task)
        .where(Task.archived.is_(False))
        .options(*TASK_DETAIL)
        .order_by(Task.plan_id, Task.id)
    )
    return list((await session.execute(_in(query, Task.id, task_ids))).scalars())


async def shares(session: AsyncSession, task_ids: set[int] | None = None) -> list[tuple[TaskUnit, str]]:
    """Every task × unit share with its unit's name."""
    query = select(TaskUnit, Unit.name).join(Unit, Unit.id == TaskUnit.unit_id).order_by(TaskUnit.id)
    rows = await session.execute(_in(query, TaskUnit.task_id, task_ids))
    return [(share, str(name)) for share, name in rows]


async def latest_reports(session: AsyncSession, task_ids: set[int] | None = None) -> list[Report]:
    """The newest live report of each (task, unit, measure), measure None included.

    Ties on the timestamp go to the higher id, so two reports in one second still give one
    answer.
    """
    ranked = (
        select(
            Report.id.label("id"),
            func.row_number()
            .over(
                partition_by=(Report.task_id, Report.unit_id, Report.measure_no),
                order_by=(Report.created_at.desc(), Report.id.desc()),
            )
            .label("n"),
        ).where(Report.undone.is_(False))
    )
    newest = _in(ranked, Report.task_id, task_ids).subquery()
    query = select(Report).join(newest, newest.c.id == Report.id).where(newest.c.n == 1)
    return list((await session.execute(query.order_by(Report.created_at, Report.id))).scalars())


async def report_counts(session: AsyncSession, task_ids: set[int] | None = None) -> dict[tuple[int, int | None], int]:
    query = select(Report.task_id, Report.unit_id, func.count()).where(Report.undone.is_(False))
    query = _in(query, Report.task_id, task_ids).group_by(Report.task_id, Report.unit_id)
    return {(int(t), None if u is None else int(u)): int(n) for t, u, n in await session.execute(query)}


async def evidence_counts(session: AsyncSession, task_ids: set[int] | None = None) -> dict[tuple[int, int | None], int]:
    """Evidence files per (task, unit); evidence without a task is not counted anywhere."""
    query = select(Evidence.task_id, Evidence.unit_id, func.count()).where(Evidence.task_id.is_not(None))
    query = _in(query, Evidence.task_id, task_ids).group_by(Evidence.task_id, Evidence.unit_id)
    return {(int(t), None if u is None else int(u)): int(n) for t, u, n in await session.execute(query) if t is not None}


async def reports_between(
    session: AsyncSession, start: datetime, end: datetime, task_ids: set[int] | None = None
) -> list[tuple[Report, str | None, str | None]]:
    """Live reports with start <= created_at < end, newest first, with unit and person names."""
    query = (
        select(Report, Unit.name, Person.name)
        .outerjoin(Unit, Unit.id == Report.unit_id)
        .outerjoin(Person, Person.id == Report.person_id)
        .where(Report.undone.is_(False), Report.created_at >= start, Report.created_at < end)
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
    rows = await session.execute(_in(query, Report.task_id, task_ids))
    return [(r, None if u is None else str(u), None if p is None else str(p)) for r, u, p in rows]


async def reported_shares_between(
    session: AsyncSession, start: datetime, end: datetime, task_ids: set[int] | None = None
) -> dict[tuple[int, int | None], datetime]:
    """(task, unit) -> first report time in [start, end): who reported within a period."""
    query = (
        select(Report.task_id, Report.unit_id, func.min(Report.created_at))
        .where(Report.undone.is_(False), Report.created_at >= start, Report.created_at < end)
        .group_by(Report.task_id, Report.unit_id)
    )
    rows = await session.execute(_in(query, Report.task_id, task_ids))
    # min() keeps the column's type, so the times come back aware on every backend.
    return {(int(t), None if u is None else int(u)): first for t, u, first in rows}


async def percent_history(session: AsyncSession, task_ids: set[int] | None = None) -> list[tuple[int, int | None, datetime, int]]:
    """(task, unit, time, percent) of every live report that stated a percent, oldest first."""
    query = (
        select(Report.task_id, Report.unit_id, Report.created_at, Report.percent)
        .where(Report.undone.is_(False), Report.percent.is_not(None))
        .order_by(Report.created_at, Report.id)
    )
    rows = await session.execute(_in(query, Report.task_id, task_ids))
    return [(int(t), None if u is None else int(u), at, int(p or 0)) for t, u, at, p in rows]


async def task_reports(session: AsyncSession, task_id: int) -> list[tuple[Report, str | None, str | None, int]]:
    """A task's live reports, newest first, with unit and person names and evidence files each."""
    files = (
        select(Evidence.report_id, func.count().label("n"))
        .where(Evidence.report_id.is_not(None))
        .group_by(Evidence.report_id)
        .subquery()
    )
    query = (
        select(Report, Unit.name, Person.name, func.coalesce(files.c.n, 0))
        .outerjoin(Unit, Unit.id == Report.unit_id)
        .outerjoin(Person, Person.id == Report.person_id)
        .outerjoin(files, files.c.report_id == Report.id)
        .where(Report.task_id == task_id, Report.undone.is_(False))
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
    return [
        (r, None if u is None else str(u), None if p is None else str(p), int(n))
        for r, u, p, n in await session.execute(query)
    ]


async def reports_by(
    session: AsyncSession, *, person_id: int | None = None, unit_id: int | None = None,
    task_ids: set[int] | None = None, limit: int = 100, since: datetime | None = None, until: datetime | None = None,
) -> list[tuple[Report, str | None, str | None, Task]]:
    """The newest live reports of one person or one unit on live tasks, with names and the task;
    ``since``/``until`` (until exclusive) when a span was asked ("本周报了吗")."""
    query = (
        select(Report, Unit.name, Person.name, Task)
        .join(Task, Task.id == Report.task_id)
        .outerjoin(Unit, Unit.id == Report.unit_id)
        .outerjoin(Person, Person.id == Report.person_id)
        .where(Report.undone.is_(False), Task.archived.is_(False))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    if person_id is not None:
        query = query.where(Report.person_id == person_id)
    if unit_id is not None:
        query = query.where(Report.unit_id == unit_id)
    if since is not None:
        query = query.where(Report.created_at >= since)
    if until is not None:
        query = query.where(Report.created_at < until)
    rows = await session.execute(_in(query, Report.task_id, task_ids))
    return [(r, None if u is None else str(u), None if p is None else str(p), t) for r, u, p, t in rows]


async def report_count_of(
    session: AsyncSession, unit_id: int, task_ids: set[int] | None, since: datetime, until: datetime | None,
) -> int:
    """How many live reports a unit sent on live tasks in a span (until exclusive)."""
    query = (
        select(func.count()).select_from(Report).join(Task, Task.id == Report.task_id)
        .where(Report.unit_id == unit_id, Report.undone.is_(False), Task.archived.is_(False), Report.created_at >= since)
    )
    if until is not None:
        query = query.where(Report.created_at < until)
    return int(await session.scalar(_in(query, Report.task_id, task_ids)) or 0)


async def units_nobody_bound(session: AsyncSession) -> list[tuple[str, int]]:
    """Units that lead or carry a live task and have no one bound, with how many tasks they have;
    the 各县(市、区) a plan names together is no unit anyone binds to."""
    bound = select(Person.unit_id).where(
        Person.telegram_id.is_not(None), Person.retired.is_(False), Person.unit_id.is_not(None)
    )
    query = (
        select(Unit.name, func.count(func.distinct(TaskParty.task_id)))
        .join(TaskParty, TaskParty.unit_id == Unit.id)
        .join(Task, Task.id == TaskParty.task_id)
        .where(
            TaskParty.kind.in_(("lead", "responsible")), Task.archived.is_(False), Unit.retired.is_(False),
            Unit.id.not_in(bound), ~Unit.name.startswith("各"),
        )
        .group_by(Unit.name)
        .order_by(func.count(func.distinct(TaskParty.task_id)).desc(), Unit.name)
    )
    return [(str(name), int(n)) for name, n in await session.execute(query)]


async def leaders_unbound(session: AsyncSession) -> list[str]:
    """The 责任领导 of live tasks not yet bound to a Telegram account."""
    query = (
        select(Person.name)
        .join(TaskParty, TaskParty.person_id == Person.id)
        .join(Task, Task.id == TaskParty.task_id)
        .where(TaskParty.kind == "leader", Task.archived.is_(False), Person.telegram_id.is_(None), Person.retired.is_(False))
        .group_by(Person.name)
        .order_by(Person.name)
    )
    return [str(name) for (name,) in await session.execute(query)]


async def invitations_open(session: AsyncSession, now: datetime) -> list[tuple[str, str | None, datetime]]:
    """Invitations not yet used and not expired: the invitee's name, unit and when invited."""
    query = (
        select(Invitation.name, Person.name, Unit.name, Invitation.created_at)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(Unit, Unit.id == func.coalesce(Invitation.unit_id, Person.unit_id))
        .where(Invitation.used_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at)
    )
    return [(str(name or person or ""), None if unit is None else str(unit), created)
            for name, person, unit, created in await session.execute(query)]


async def latest_signoffs(
    session: AsyncSession, task_ids: set[int],
) -> dict[tuple[int, int | None], tuple[str, datetime, datetime | None, str | None]]:
    """Each (task, unit)'s newest sign-off request: state, asked, decided, reason; a returned one
    is where the unit's 销号 stands until it asks again."""
    query = (
        select(SignOff.task_id, SignOff.unit_id, SignOff.state, SignOff.requested_at, SignOff.decided_at, SignOff.reason)
        .where(SignOff.task_id.in_(sorted(task_ids)))
        .order_by(SignOff.requested_at, SignOff.id)
    )
    newest: dict[tuple[int, int | None], tuple[str, datetime, datetime | None, str | None]] = {}
    for task_id, unit_id, state, asked, decided, reason in await session.execute(query):
        newest[(int(task_id), None if unit_id is None else int(unit_id))] = (str(state), asked, decided, reason)
    return newest


async def persons_named(session: AsyncSession) -> list[tuple[int, str, bool]]:
    """Every live person's id and name, and whether the plan names them 责任领导 of a live task."""
    leading = (
        select(TaskParty.person_id)
        .join(Task, Task.id == TaskParty.task_id)
        .where(TaskParty.kind == "leader", TaskParty.person_id.is_not(None), Task.archived.is_(False))
        .distinct()
    )
    led = {int(pid) for (pid,) in await session.execute(leading) if pid is not None}
    rows = await session.execute(select(Person.id, Person.name).where(Person.retired.is_(False)).order_by(Person.id))
    return [(int(pid), str(name), int(pid) in led) for pid, name in rows if name]


async def task_extensions(session: AsyncSession, task_id: int) -> list[tuple[Extension, str | None]]:
    """A task's extension requests, with the requesting unit's name."""
    query = (
        select(Extension, Unit.name)
        .outerjoin(Unit, Unit.id == Extension.unit_id)
        .where(Extension.task_id == task_id)
        .order_by(Extension.requested_at, Extension.id)
    )
    return [(e, None if u is None else str(u)) for e, u in await session.execute(query)]


async def pending_extensions(
    session: AsyncSession, task_ids: set[int] | None = None
) -> dict[tuple[int, int | None], date]:
    """(task, unit) -> the date an extension awaiting the office's decision asks for."""
    query = select(Extension.task_id, Extension.unit_id, Extension.new_due).where(Extension.state == "pending")
    return {(t, u): d for t, u, d in (await session.execute(_in(query, Extension.task_id, task_ids))).all()}


async def units_with_aliases(session: AsyncSession) -> list[tuple[int, str, list[str]]]:
    """Every live unit with its aliases, for finding a unit named in a question."""
    units = (await session.execute(select(Unit).where(Unit.retired.is_(False)).order_by(Unit.id))).scalars()
    aliases: dict[int, list[str]] = {}
    for alias, unit_id in await session.execute(select(UnitAlias.alias, UnitAlias.unit_id)):
        aliases.setdefault(int(unit_id), []).append(str(alias))
    return [(u.id, u.name, aliases.get(u.id, [])) for u in units]


async def task_ids_of_unit(session: AsyncSession, unit_id: int) -> set[int]:
    rows = await session.execute(
        select(TaskParty.task_id).where(TaskParty.unit_id == unit_id, TaskParty.kind.in_(UNIT_PARTY_KINDS))
    )
    shared = await session.execute(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id))
    return {int(r[0]) for r in rows} | {int(r[0]) for r in shared}


async def task_ids_led_by(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.execute(
        select(TaskParty.task_id).where(TaskParty.kind == "leader", TaskParty.person_id == person_id)
    )
    return {int(r[0]) for r in rows}


async def task_by_ref(session: AsyncSession, ref: str, plan_id: int | None = None) -> list[Task]:
    query = select(Task).where(Task.ref == ref, Task.archived.is_(False)).order_by(Task.plan_id)
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    return list((await session.execute(query)).scalars())


async def live_task(session: AsyncSession, task_id: int) -> Task | None:
    task = await session.get(Task, task_id)
    return task if task is not None and not task.archived else None



async def plan_signature(session: AsyncSession) -> tuple[tuple[int, str, str], ...]:
    """What identifies the current plan set; a matcher built for it stays valid until it changes."""
    rows = await session.execute(select(Plan.id, Plan.source_sha256, Plan.imported_at).order_by(Plan.id))
    return tuple((int(i), str(s), str(at)) for i, s, at in rows)



async def bound_persons_of_units(session: AsyncSession, unit_ids: Iterable[int]) -> list[Person]:
    """People of these units who can be reached in chat (bound, not retired)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return []
    query = (
        select(Person)
        .where(Person.unit_id.in_(ids), Person.telegram_id.is_not(None), Person.retired.is_(False))
        .order_by(Person.id)
    )
    return list((await session.execute(query)).scalars())


async def bound_leaders(session: AsyncSession) -> list[Person]:
    query = (
        select(Person)
        .where(Person.telegram_id.is_not(None), Person.retired.is_(False))
        .order_by(Person.id)
    )
    return [p for p in (await session.execute(query)).scalars() if "leader" in (p.roles or [])]


async def person_by_telegram(session: AsyncSession, telegram_id: int) -> Person | None:
    return (
        await session.execute(select(Person).where(Person.telegram_id == telegram_id, Person.retired.is_(False)))
    ).scalar_one_or_none()


async def plans(session: AsyncSession) -> list[Plan]:
    return list((await session.execute(select(Plan).order_by(Plan.id))).scalars())


async def extension_requests(
    session: AsyncSession, task_ids: set[int] | None = None, unit_id: int | None = None
) -> list[tuple[Extension, Task, str | None]]:
    """Extension requests on live tasks, newest first, with the task and the requesting unit's name."""
    query = (
        select(Extension, Task, Unit.name)
        .join(Task, Task.id == Extension.task_id)
        .outerjoin(Unit, Unit.id == Extension.unit_id)
        .where(Task.archived.is_(False))
        .order_by(Extension.requested_at.desc(), Extension.id.desc())
    )
    if unit_id is not None:
        query = query.where(Extension.unit_id == unit_id)
    rows = await session.execute(_in(query, Extension.task_id, task_ids))
    return [(e, t, None if u is None else str(u)) for e, t, u in rows]


async def unit_report_counts(
    session: AsyncSession, task_ids: set[int] | None = None, since: datetime | None = None
) -> dict[int, int]:
    """Live reports per unit (reports without a unit are not counted), optionally since a time."""
    query = select(Report.unit_id, func.count()).where(Report.undone.is_(False), Report.unit_id.is_not(None))
    if since is not None:
        query = query.where(Report.created_at >= since)
    query = _in(query, Report.task_id, task_ids).group_by(Report.unit_id)
    return {int(u): int(n) for u, n in await session.execute(query) if u is not None}


async def task_evidence(session: AsyncSession, task_id: int) -> list[tuple[Evidence, str | None, str | None]]:
    """A task's evidence files, oldest first, with the unit's and the sender's names."""
    query = (
        select(Evidence, Unit.name, Person.name)
        .outerjoin(Unit, Unit.id == Evidence.unit_id)
        .outerjoin(Person, Person.id == Evidence.person_id)
        .where(Evidence.task_id == task_id)
        .order_by(Evidence.created_at, Evidence.id)
    )
    return [(e, None if u is None else str(u), None if p is None else str(p)) for e, u, p in await session.execute(query)]


async def person_card(session: AsyncSession, person_id: int) -> tuple[str, str, str | None, bool] | None:
    """A live person's name, post, unit name and whether they are bound to a Telegram account."""
    row = (
        await session.execute(
            select(Person.name, Person.post, Unit.name, Person.telegram_id)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(Person.id == person_id, Person.retired.is_(False))
        )
    ).first()
    if row is None:
        return None
    name, post, unit, telegram_id = row
    return str(name), str(post or ""), None if unit is None else str(unit), telegram_id is not None
