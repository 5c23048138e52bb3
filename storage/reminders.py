"""Reminder tables and the one-pass queries behind the daily push.

The daily push for 100,000 tasks must not ask the database once per person: the day's
tasks (with their units aggregated) come from two queries of one JSON document each, the
recipients from another, and the grouping happens in Python. Per-person preferences (mutes, reminder times) and the
admins' pause periods live in small tables of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    delete,
    func,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import (
    TS,
    Base,
    Extension,
    Milestone,
    Outbox,
    Person,
    Task,
    TaskParty,
    TaskUnit,
    TelegramUser,
    Unit,
)

SIGNED_OFF_STATES = ("signed_off", "approved", "closed")


class ReminderMute(Base):
    """A person silenced one task's reminders until ``until`` (exclusive)."""

    __tablename__ = "reminder_mutes"
    __table_args__ = (UniqueConstraint("person_id", "task_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TS)


class ReminderTime(Base):
    """A person's own push time (HH:MM), instead of the bot-wide one."""

    __tablename__ = "reminder_times"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[str] = mapped_column(String(5))


class PushPause(Base):
    """Admins paused every push from ``start`` to ``end`` (inclusive)."""

    __tablename__ = "push_pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(TS)


class ReminderAck(Base):
    """已阅 (签收): a person acknowledged the day's push."""

    __tablename__ = "reminder_acks"
    __table_args__ = (UniqueConstraint("person_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(TS)


class ReminderPrompt(Base):
    """What the bot asked a chat account last and waits for (extension date/reason, …).

    Keyed by Telegram id: a configured admin may have no Person row and still has to give
    the reason for a rejection.
    """

    __tablename__ = "reminder_prompts"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extensions.id", ondelete="CASCADE"))
    new_due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime] = mapped_column(TS)
    position: Mapped[int] = mapped_column(Integer, default=0)


# --- the day's candidates ---------------------------------------------------------------------


class DayTask(NamedTuple):
    """A task with something to say today, and the units it says it to.

    ``units``: when the task has a dated reminder (its earliest open milestone is due on a
    reminder date or already past), every unit whose share is still open; otherwise (an
    ongoing task on a 旬 reminder day) only the units that have not reported since the
    旬 start asked about.
    """

    task_id: int
    ref: str
    title: str
    next_due: date | None
    ongoing: bool
    units: Sequence[int]
    leaders: Sequence[int] = ()  # its 责任领导 (person ids) when it is overdue, for the escalation


def _open_share() -> Any:
    return and_(
        TaskUnit.signed_off_at.is_(None),
        or_(TaskUnit.signoff_state.is_(None), TaskUnit.signoff_state.not_in(SIGNED_OFF_STATES)),
    )


REPORTED_DONE = "已完成"
"""The status word of a share whose unit reported the work done (awaiting 销号)."""


def _not_reported_done() -> Any:
    """A unit that reported its share done waits for 销号: its deadline no longer concerns it.

    Unless the office returned the 销号: the work was not accepted, so the deadline counts
    again until the unit asks anew.
    """
    return or_(TaskUnit.status.is_(None), TaskUnit.status != REPORTED_DONE, TaskUnit.signoff_state == "returned")


def _open_milestone() -> Any:
    return and_(Milestone.done_at.is_(None), Milestone.due.is_not(None))


def _json_forms(dialect: str) -> tuple[Any, Any, Any]:
    """(row, aggregate, embed): one JSON array per row, rows gathered into one document.

    SQLite's JSON value loses its JSON type on the way out of a subquery (it would be
    quoted as a string), so it is read again with ``json()``; PostgreSQL keeps the type.
    """
    if dialect == "postgresql":
        return func.json_build_array, func.json_agg, lambda value: value
    return func.json_array, func.json_group_array, func.json


async def day_tasks(
    session: AsyncSession,
    *,
    today: date,
    reminder_dues: Iterable[date],
    xun_since: datetime | None,
    spare_connection: bool = False,
) -> list[DayTask]:
    """Every task with something to say on ``today``, with its units (see ``DayTasks``)."""
    async with await start_day_tasks(
        session, today=today, reminder_dues=reminder_dues, xun_since=xun_since, spare_connection=spare_connection
    ) as found:
        return await found.all()


async def start_day_tasks(
    session: AsyncSession,
    *,
    today: date,
    reminder_dues: Iterable[date],
    xun_since: datetime | None,
    spare_connection: bool = False,
) -> DayTasks:
    """Start the day's task queries; the dated tasks can be read before the ongoing ones.

    With ``spare_connection`` the ongoing query starts at once on a connection of its own,
    so the caller can work on the dated tasks (the escalation needs nothing else) while the
    database is still reading the ongoing ones. Use it as ``async with``: a caller that
    fails half-way does not leave the ongoing query running.
    """
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    return DayTasks(
        engine, await session.connection(), today=today, reminder_dues=reminder_dues, xun_since=xun_since,
        parallel=spare_connection and engine.url.database not in (None, "", ":memory:"),
    )


class DayTasks:
    """The day's task queries, running.

    A share qualifies when its task's earliest undone milestone is due on one of
    ``reminder_dues`` (7/3/1/0 days, shifted), or is already past, or — when ``xun_since``
    is given (a 旬 reminder day) — the task is ongoing and the unit has not reported since.

    The dated tasks are found from the due-date index (only milestones due by the last
    reminder date), not by aggregating every task's milestones, and their open units and
    leaders are read per task from covering indexes (migration 0003). The ongoing ones are
    a second query, asked only on 旬 reminder days; a task both dated and ongoing keeps its
    dated row, which names every open unit.

    Each query returns one JSON document, not a row per task: SQLite's driver takes the
    GIL to build every row, while one document is built by the database alone and handed
    over once. When ``parallel`` (the caller's transaction has changed no task, share or
    milestone, so another connection sees the same plan) the dated tasks come in two halves
    on two connections, and the ongoing ones on a third once a half is in: the dated ones,
    which the caller needs first, have both cores, and the ongoing query runs while the
    caller works on them.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        conn: AsyncConnection,
        *,
        today: date,
        reminder_dues: Iterable[date],
        xun_since: datetime | None,
        parallel: bool,
    ) -> None:
        self._conn = conn
        self._engine = engine
        self._parallel = parallel
        row, gather, embed = _json_forms(engine.dialect.name)
        dues = sorted(set(reminder_dues))
        horizon = max([*dues, today - timedelta(days=1)])
        # On spare connections the dated tasks come in two halves (odd and even ids), so the
        # three queries share two cores evenly; alone, one query does it all.
        parts = 2 if parallel else 1
        self._dated_queries = [
            _dated_document(today, dues, horizon, part, parts, row, gather, embed) for part in range(parts)
        ]
        self._stale_query = None if xun_since is None else _stale_document(xun_since, row, gather, embed)
        self._stale: asyncio.Task[list[list[Any]]] | None = None
        self._dated: list[DayTask] | None = None
        self._seen: set[int] = set()

    async def dated(self) -> list[DayTask]:
        """The tasks due on a reminder date or overdue: all the escalation needs."""
        if self._dated is None:
            try:
                if self._parallel:
                    docs = await self._dated_in_parallel()
                else:
                    docs = [await _fetch_document(self._conn, q) for q in self._dated_queries]
            except BaseException:
                await self._drop_stale()
                raise
            rows = [r for doc in docs for r in doc]
            self._seen = {r[0] for r in rows}
            self._dated = _day_tasks_of(rows)
        return self._dated

    async def _dated_in_parallel(self) -> list[list[list[Any]]]:
        """The dated halves at once; the ongoing query starts as soon as one half is in, so it
        takes the core that half leaves free and runs on while the caller escalates."""
        first, *rest = self._dated_queries
        halves = [
            asyncio.ensure_future(_fetch_document(self._conn, first)),
            *[asyncio.ensure_future(_fetch_on_spare(self._engine, q)) for q in rest],
        ]
        try:
            await asyncio.wait(halves, return_when=asyncio.FIRST_COMPLETED)
            if self._stale_query is not None:
                self._stale = asyncio.ensure_future(_fetch_on_spare(self._engine, self._stale_query))
            return [await half for half in halves]
        except BaseException:
            for half in halves:
                half.cancel()
            await asyncio.gather(*halves, return_exceptions=True)
            raise

    async def all(self) -> list[DayTask]:
        """The dated tasks, then the ongoing ones not reported in the 旬 (a task both dated and
        ongoing keeps its dated row)."""
        dated = await self.dated()
        if self._stale_query is None:
            return dated
        if self._stale is not None:
            stale_doc = await self._stale
        else:
            stale_doc = await _fetch_document(self._conn, self._stale_query)
        seen = self._seen
        return dated + _day_tasks_of([r for r in stale_doc if r[0] not in seen])

    async def __aenter__(self) -> DayTasks:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._drop_stale()

    async def _drop_stale(self) -> None:
        if self._stale is not None:
            self._stale.cancel()  # no-op once it is done; its outcome is then collected below
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._stale


def _dated_document(
    today: date, dues: Sequence[date], horizon: date, part: int, parts: int, row: Any, gather: Any, embed: Any
) -> Any:
    """The tasks whose earliest open milestone is due on a reminder date or past (those
    with ``id % parts == part``), with their open units and, when overdue, their leaders."""
    # Some open milestone due by the horizon <=> the earliest one is: min() over those is the true one.
    first_due = func.min(Milestone.due)
    mine = [Milestone.task_id % parts == part] if parts > 1 else []
    dated = (
        select(Milestone.task_id.label("task_id"), first_due.label("next_due"))
        .where(_open_milestone(), Milestone.due <= horizon, *mine)
        .group_by(Milestone.task_id)
        .having(or_(first_due < today, first_due.in_(dues)) if dues else first_due < today)
        .cte("dated")
    )
    # Per task, a lookup in the covering share index: cheaper than joining every share and
    # grouping the rows again. A task left with no open share comes back without units.
    open_units = (
        select(gather(TaskUnit.unit_id))
        .where(TaskUnit.task_id == dated.c.task_id, _open_share(), _not_reported_done())
        .scalar_subquery()
    )
    leaders = (
        select(gather(TaskParty.person_id))
        .where(TaskParty.task_id == Task.id, TaskParty.kind == "leader", TaskParty.person_id.is_not(None))
        .scalar_subquery()
    )
    rows = (
        select(
            Task.id.label("id"),
            Task.ref.label("ref"),
            Task.title.label("title"),
            dated.c.next_due.label("due"),
            Task.ongoing.label("ongoing"),
            open_units.label("units"),
            case((dated.c.next_due < today, leaders), else_=None).label("leaders"),
        )
        .select_from(dated)
        .join(Task, Task.id == dated.c.task_id)
        .where(Task.archived.is_(False))
        .subquery()
    )
    return _document(rows, row, gather, embed)


def _stale_document(xun_since: datetime, row: Any, gather: Any, embed: Any) -> Any:
    """Ongoing tasks with a unit that has not reported since ``xun_since``, with those units."""
    first_open = select(func.min(Milestone.due)).where(Milestone.task_id == Task.id, _open_milestone())
    rows = (
        select(
            Task.id.label("id"),
            Task.ref.label("ref"),
            Task.title.label("title"),
            first_open.scalar_subquery().label("due"),
            Task.ongoing.label("ongoing"),
            gather(TaskUnit.unit_id).label("units"),
            null().label("leaders"),  # not overdue: nobody to escalate to
        )
        .join(TaskUnit, TaskUnit.task_id == Task.id)
        .where(
            Task.ongoing.is_(True),
            Task.archived.is_(False),
            _open_share(),
            or_(TaskUnit.last_report_at.is_(None), TaskUnit.last_report_at < xun_since),
        )
        .group_by(Task.id)
        .subquery()
    )
    return _document(rows, row, gather, embed)


def _document(rows: Any, row: Any, gather: Any, embed: Any) -> Any:
    c = rows.c
    return select(
        type_coerce(
            gather(row(c.id, c.ref, c.title, c.due, c.ongoing, embed(c.units), embed(c.leaders))), JSON
        )
    ).select_from(rows)


async def _fetch_document(conn: AsyncConnection, query: Any) -> list[list[Any]]:
    return (await conn.execute(query)).scalar() or []


async def _fetch_on_spare(engine: AsyncEngine, query: Any) -> list[list[Any]]:
    """``query`` on a connection of its own, in a read transaction (SQLite: a plain BEGIN,
    not the writers' BEGIN IMMEDIATE, which would wait for the caller's own lock)."""
    async with engine.connect() as spare:
        await spare.execution_options(read_only=True)
        try:
            return await _fetch_document(spare, query)
        finally:
            await spare.rollback()


def _day_tasks_of(rows: Sequence[list[Any]]) -> list[DayTask]:
    """The rows of a document as DayTasks."""
    parsed: dict[Any, date | None] = {None: None}
    make = functools.partial(tuple.__new__, DayTask)  # DayTask(...) without its Python-level __new__
    for due in {r[3] for r in rows}:
        if due not in parsed:
            parsed[due] = date.fromisoformat(str(due)[:10])
    return [
        make((task_id, ref, title, parsed[due], bool(ongoing), units, leaders or ()))
        for task_id, ref, title, due, ongoing, units, leaders in rows
        if units  # a task with no open share left (SQLite gives [], PostgreSQL null)
    ]


class Recipient(NamedTuple):
    """A bound, reachable person with their unit, roles, language and own push time."""

    person_id: int
    telegram_id: int
    name: str
    unit_id: int | None
    roles: tuple[str, ...]
    language: str | None
    at: str | None


async def recipients(session: AsyncSession) -> list[Recipient]:
    """Bound persons the bot may message (they have talked to it and are reachable)."""
    await session.flush()  # Core reads below do not autoflush
    conn = await session.connection()
    result = await conn.execute(
        select(
            Person.id,
            Person.telegram_id,
            Person.name,
            Person.unit_id,
            type_coerce(Person.roles, Text),
            TelegramUser.language,
            ReminderTime.at,
        )
        .join(TelegramUser, TelegramUser.telegram_id == Person.telegram_id)
        .outerjoin(ReminderTime, ReminderTime.person_id == Person.id)
        .where(Person.retired.is_(False), TelegramUser.reachable.is_(True))
        .order_by(Person.id)
    )
    # Roles come as JSON text and are decoded once per distinct set: 10,000 people share a few.
    role_sets: dict[str | None, tuple[str, ...]] = {None: ()}
    found: list[Recipient] = []
    make = functools.partial(tuple.__new__, Recipient)
    rows: Sequence[Any] = result.all()  # the join leaves no NULL telegram id
    for pid, tg, name, uid, raw, lang, at in rows:
        roles = role_sets.get(raw) if raw is None or isinstance(raw, str) else None
        if roles is None:
            decoded = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
            roles = tuple(decoded or ())
            if isinstance(raw, str):
                role_sets[raw] = roles
        found.append(make((pid, tg, name, uid, roles, lang, at)))
    return found


async def unit_names(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, str]:
    """Names of the given units; one scan of the (small) unit table, no long IN lists."""
    wanted = set(unit_ids)
    if not wanted:
        return {}
    conn = await session.connection()
    rows = (await conn.execute(select(Unit.id, Unit.name))).all()
    return {int(uid): name for uid, name in rows if uid in wanted}


async def units_named_like(session: AsyncSession, patterns: Sequence[str]) -> list[int]:
    """Ids of the live units named like ``patterns`` (the 各县(市、区)… stand-ins of a plan)."""
    if not patterns:
        return []
    rows = await session.execute(
        select(Unit.id).where(Unit.retired.is_(False), or_(*[Unit.name.like(p) for p in patterns]))
    )
    return [int(uid) for (uid,) in rows]


async def shares_of_units(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """unit id -> tasks it has a share of, open or not."""
    ids = sorted(set(unit_ids))
    found: dict[int, set[int]] = {uid: set() for uid in ids}
    if ids:
        rows = await session.execute(select(TaskUnit.unit_id, TaskUnit.task_id).where(TaskUnit.unit_id.in_(ids)))
        for uid, tid in rows:
            found[int(uid)].add(int(tid))
    return found


async def active_mutes(session: AsyncSession, today: date) -> dict[int, set[int]]:
    """person id -> task ids muted on ``today``."""
    rows = await session.execute(select(ReminderMute.person_id, ReminderMute.task_id).where(ReminderMute.until > today))
    mutes: dict[int, set[int]] = {}
    for pid, tid in rows:
        mutes.setdefault(int(pid), set()).add(int(tid))
    return mutes


async def pause_on(session: AsyncSession, day: date) -> PushPause | None:
    return (
        await session.execute(
            select(PushPause).where(PushPause.start <= day, PushPause.end >= day).order_by(PushPause.id).limit(1)
        )
    ).scalar_one_or_none()


async def pauses_from(session: AsyncSession, day: date) -> list[PushPause]:
    """Pauses not over by ``day``, in date order."""
    rows = await session.execute(select(PushPause).where(PushPause.end >= day).order_by(PushPause.start, PushPause.id))
    return list(rows.scalars())


async def delete_pause(session: AsyncSession, row: PushPause) -> None:
    await session.delete(row)
    await session.flush()


async def add_pause(session: AsyncSession, *, start: date, end: date, created_by: int | None, now: datetime) -> PushPause:
    row = PushPause(start=start, end=end, created_by=created_by, created_at=now)
    session.add(row)
    await session.flush()
    return row


async def set_mute(session: AsyncSession, *, person_id: int, task_id: int, until: date, now: datetime) -> None:
    row = (
        await session.execute(
            select(ReminderMute).where(ReminderMute.person_id == person_id, ReminderMute.task_id == task_id)
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(ReminderMute(person_id=person_id, task_id=task_id, until=until, created_at=now))
    else:
        row.until = until
        row.created_at = now
    await session.flush()


async def set_time(session: AsyncSession, person_id: int, at: str | None) -> None:
    row = await session.get(ReminderTime, person_id)
    if at is None:
        if row is not None:
            await session.delete(row)
    elif row is None:
        session.add(ReminderTime(person_id=person_id, at=at))
    else:
        row.at = at
    await session.flush()


async def record_ack(session: AsyncSession, *, person_id: int, day: date, now: datetime) -> bool:
    """True if this is the first 签收 of that day's push."""
    try:
        async with session.begin_nested():
            session.add(ReminderAck(person_id=person_id, day=day, at=now))
    except IntegrityError:
        return False
    return True


async def outbox_row(session: AsyncSession, key: str) -> Outbox | None:
    return (await session.execute(select(Outbox).where(Outbox.key == key))).scalar_one_or_none()


async def existing_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 2000):
        rows = await session.execute(select(Outbox.key).where(Outbox.key.in_(list(keys[i : i + 2000]))))
        found.update(k for (k,) in rows)
    return found


async def add_outbox_rows(session: AsyncSession, rows: list[Outbox]) -> bool:
    """Insert many rows at once; False (and nothing inserted) if any key already exists."""
    if not rows:
        return True
    try:
        async with session.begin_nested():
            session.add_all(rows)
    except IntegrityError:
        return False
    return True


# --- prompts (what the bot waits for) ---------------------------------------------------------


async def prompt_of(session: AsyncSession, telegram_id: int, now: datetime | None) -> ReminderPrompt | None:
    """The open prompt of an account; with ``now``, an expired one counts as none."""
    row = await session.get(ReminderPrompt, telegram_id)
    if row is not None and now is not None and row.expires_at <= now:
        return None
    return row


async def set_prompt(
    session: AsyncSession,
    telegram_id: int,
    *,
    kind: str,
    expires_at: datetime,
    task_id: int | None = None,
    extension_id: int | None = None,
    new_due: date | None = None,
    note: str = "",
) -> ReminderPrompt:
    await session.execute(delete(ReminderPrompt).where(ReminderPrompt.telegram_id == telegram_id))
    row = ReminderPrompt(
        telegram_id=telegram_id, kind=kind, task_id=task_id, extension_id=extension_id, new_due=new_due,
        note=note, expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def clear_prompt(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(ReminderPrompt).where(ReminderPrompt.telegram_id == telegram_id))


# --- tasks and extensions ---------------------------------------------------------------------


async def task(session: AsyncSession, task_id: int) -> Task | None:
    return await session.get(Task, task_id)


async def tasks_by_ref(session: AsyncSession, ref: str) -> list[Task]:
    return list(
        (await session.execute(select(Task).where(Task.ref == ref, Task.archived.is_(False)).order_by(Task.id))).scalars()
    )


async def earliest_open_milestone(session: AsyncSession, task_id: int) -> Milestone | None:
    return (
        await session.execute(
            select(Milestone)
            .where(Milestone.task_id == task_id, Milestone.done_at.is_(None), Milestone.due.is_not(None))
            .order_by(Milestone.due, Milestone.position)
            .limit(1)
        )
    ).scalar_one_or_none()


async def pending_extension(session: AsyncSession, task_id: int, unit_id: int | None) -> Extension | None:
    query = select(Extension).where(Extension.task_id == task_id, Extension.state == "pending")
    if unit_id is not None:
        query = query.where(Extension.unit_id == unit_id)
    return (await session.execute(query.order_by(Extension.id).limit(1))).scalar_one_or_none()


async def pending_extensions(session: AsyncSession, task_id: int | None) -> list[Extension]:
    """Requests still waiting for the office, oldest first; all tasks' when ``task_id`` is None."""
    query = select(Extension).where(Extension.state == "pending")
    if task_id is not None:
        query = query.where(Extension.task_id == task_id)
    return list((await session.execute(query.order_by(Extension.id))).scalars())


async def extension(session: AsyncSession, extension_id: int) -> Extension | None:
    return await session.get(Extension, extension_id)


async def person(session: AsyncSession, person_id: int | None) -> Person | None:
    return await session.get(Person, person_id) if person_id is not None else None


async def person_chat(session: AsyncSession, person_id: int | None) -> tuple[int, str | None] | None:
    """The Telegram chat and language of a person, if bound."""
    if person_id is None:
        return None
    row = (
        await session.execute(
            select(Person.telegram_id, TelegramUser.language)
            .outerjoin(TelegramUser, TelegramUser.telegram_id == Person.telegram_id)
            .where(Person.id == person_id)
        )
    ).first()
    if row is None or row[0] is None:
        return None
    return int(row[0]), row[1]


async def user_language(session: AsyncSession, telegram_id: int) -> str | None:
    user = await session.get(TelegramUser, telegram_id)
    return user.language if user else None


async def units_of_task(session: AsyncSession, task_id: int) -> list[int]:
    rows = await session.execute(select(TaskUnit.unit_id).where(TaskUnit.task_id == task_id))
    return [int(u) for (u,) in rows]


async def reminder_times_in_use(session: AsyncSession) -> set[str]:
    return {at for (at,) in await session.execute(select(ReminderTime.at).distinct())}


async def users(session: AsyncSession, telegram_ids: Iterable[int]) -> dict[int, tuple[str | None, bool, str]]:
    """telegram id -> (language, reachable, first name) for accounts the bot has seen."""
    ids = sorted(set(telegram_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(TelegramUser.telegram_id, TelegramUser.language, TelegramUser.reachable, TelegramUser.first_name)
        .where(TelegramUser.telegram_id.in_(ids))
    )
    return {int(tg): (lang, bool(reachable), name or "") for tg, lang, reachable, name in rows}
