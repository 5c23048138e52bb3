"""The daily push: each working morning, one message per person with what is due or late.

DESIGN.md's "Reminder rules" decide *which* days (bot.periods, bot.workdays); this module
decides *who* hears *what*. A unit member hears about their unit's open shares: due in
7/3/1 days, due today, overdue (with days), and ongoing tasks the unit has not reported on
in the current 旬 (on the 旬's last working day and the next). Admins and leaders are not
pushed here unless they are unit members; they hear through escalations and digests.

The day is computed in one pass — one query for the day's tasks (each with its units, and
its leaders when overdue), one for the people — because a per-person query loop does not
survive 10,000 people, and each task's line is rendered once for everyone who reads it. Exactly-once comes from
the outbox key (person, "daily_push", date): a second slot, a restart or a second process
on the same day queues nothing new.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import short
from bot.config import Settings
from bot.extensions import Outcome
from bot.i18n import DEFAULT_LOCALE, Translator, catalog
from bot.periods import Xun, deadline_reminder_dues, xun_reminders_on
from bot.permissions import Action, Scope, may, scope
from bot.scheduler import action, calendar_of
from bot.turns import Button, keyboard
from bot.unit_names import shared_levels
from bot.workdays import DEFAULT_ESCALATION_AFTER, WorkCalendar
from storage import reminders as rq
from storage import schedules as schedules_q
from storage.models import Outbox, Person, Schedule

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

KIND = "daily_push"
DEFAULT_SCHEDULE = "daily-push"
DEFAULT_PUSH_TIME = "09:00"
MAX_BUTTON_TASKS = 6
MAX_ITEMS = 40
TITLE_CHARS = 40
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

# Order of the groups in a message: the most urgent first.
GROUPS = ("overdue", "d0", "d1", "d3", "d7", "xun")


def parse_hhmm(value: str) -> str | None:
    """``9:5`` is not a time; ``9:05`` and ``09:05`` are (normalised to ``09:05``)."""
    m = _HHMM.match(value.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def push_time(settings: Settings) -> str:
    """RECTIBOT_PUSH_TIME (HH:MM), default 09:00; a bad value falls back with a log line."""
    raw = settings.extra.get("RECTIBOT_PUSH_TIME")
    if raw:
        parsed = parse_hhmm(raw)
        if parsed:
            return parsed
        log.warning("RECTIBOT_PUSH_TIME=%r is not HH:MM; using %s", raw, DEFAULT_PUSH_TIME)
    return DEFAULT_PUSH_TIME


def escalate_after(settings: Settings) -> int:
    """RECTIBOT_ESCALATE_AFTER: N of DESIGN.md (escalate from overdue working day N+1)."""
    raw = settings.extra.get("RECTIBOT_ESCALATE_AFTER")
    if raw and raw.strip().isdigit():
        return int(raw.strip())
    return DEFAULT_ESCALATION_AFTER


def schedule_name(at: str) -> str:
    return f"{DEFAULT_SCHEDULE}-{at}"


async def ensure_reminder_schedules(session: AsyncSession, settings: Settings | None = None) -> None:
    """The default push schedule follows the setting; personal times get a schedule each."""
    default = push_time(settings) if settings is not None else DEFAULT_PUSH_TIME
    row = await schedules_q.ensure(
        session, name=DEFAULT_SCHEDULE, kind=KIND, rule="workdays", at=default, params={"default": True}
    )
    if settings is not None and row.params.get("setting") != default:
        # The setting changed since the row was made: follow it (an explicit choice by the admins).
        row.at = default
        row.params = {"default": True, "setting": default}
    for at in sorted(await rq.reminder_times_in_use(session)):
        await ensure_time_schedule(session, at)


async def ensure_time_schedule(session: AsyncSession, at: str) -> Schedule:
    return await schedules_q.ensure(session, name=schedule_name(at), kind=KIND, rule="workdays", at=at)


# --- what a day holds ------------------------------------------------------------------------


class Item(NamedTuple):
    """One task line of a push: which group it is in and the numbers it shows."""

    task_id: int
    ref: str
    title: str
    group: str
    due: date | None
    days: int  # days overdue, or days left


@dataclass(slots=True)
class Push:
    """One message to one person (a daily push or an escalation)."""

    kind: str
    key: str
    chat_id: int
    person_id: int | None
    name: str
    lang: str
    at: str
    day: date
    text: str
    items: list[Item]
    unit: str | None = None
    buttons: list[list[Button]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "chat_id": self.chat_id,
            "person": self.name,
            "unit": self.unit,
            "at": self.at,
            "tasks": [{"ref": i.ref, "group": i.group, "due": i.due.isoformat() if i.due else None, "days": i.days}
                      for i in self.items],
            "text": self.text,
        }


@dataclass
class DayPlan:
    day: date
    working_day: bool
    paused: bool
    pushes: list[Push]


def push_key(recipient: str, kind: str, day: date) -> str:
    return f"{recipient}:{kind}:{day.isoformat()}"


def person_key(person_id: int) -> str:
    return f"p{person_id}"


@functools.cache
def scope_of(roles: tuple[str, ...], what: Action) -> Scope:
    """``permissions.scope`` for a roles tuple; 10,000 people share a handful of role sets."""
    return scope(roles, what)


def may_act(roles: tuple[str, ...]) -> bool:
    return scope_of(roles, Action.REPORT) is not Scope.NONE


def esc(text: str) -> str:
    """html.escape, skipped for the usual text without markup characters (most of it)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text)
    return text


def unit_items(
    tasks: Sequence[rq.DayTask], today: date, dues: dict[date, list[str]]
) -> dict[int, list[Item]]:
    """unit id -> the lines its members will read today, most urgent first.

    A task's line is the same for every unit it names, so each Item is made once; the tasks
    are put in order once, and each unit's list then comes out in order as it is filled.
    """
    rank = {g: i for i, g in enumerate(GROUPS)}
    xun_rank = rank["xun"]
    make = functools.partial(tuple.__new__, Item)  # Item(...) without its Python-level __new__
    # due date -> (group, days shown, rank, days to sort by), or None: few distinct dates.
    by_due: dict[date | None, tuple[str, int, int, int] | None] = {None: None}
    # (rank, days to sort by, task id, Item, units): sorted as plain tuples, no key objects.
    # Task ids follow the plan's own order (2-2 before 2-10), which the refs as text do not.
    keyed: list[tuple[int, int, int, Item, Sequence[int]]] = []
    for task_id, ref, title, due, _ongoing, units, _leaders in tasks:
        if due in by_due:
            dated = by_due[due]
        else:
            assert due is not None
            if due < today:
                days = (today - due).days
                dated = ("overdue", days, rank["overdue"], -days)
            elif due in dues:
                days = (due - today).days
                dated = (dues[due][0], days, rank[dues[due][0]], days)
            else:
                dated = None
            by_due[due] = dated
        if dated is None:  # no dated reminder: the query only lets it through for the 旬 question
            keyed.append((xun_rank, 0, task_id, make((task_id, ref, title, "xun", due, 0)), units))
        else:
            keyed.append((dated[2], dated[3], task_id, make((task_id, ref, title, dated[0], due, dated[1])), units))
    keyed.sort()
    by_unit: defaultdict[int, list[Item]] = defaultdict(list)
    for _rank, _days, _task_id, item, units in keyed:
        for unit_id in units:
            by_unit[unit_id].append(item)
    return dict(by_unit)


async def add_shared_items(session: AsyncSession, by_unit: dict[int, list[Item]], member_units: dict[int, str]) -> None:
    """A county's (township's) lines for the tasks naming 各县(市、区) (各乡镇) as a whole.

    Such a task has one share for all counties until a county reports its own; each county
    government still has to act on it, so its members read the stand-in's lines for every
    task where their county has no share of its own yet (once it has, that share decides).
    """
    levels = {uid: shared_levels(name) for uid, name in member_units.items()}
    levels = {uid: lv for uid, lv in levels.items() if lv}
    if not levels:
        return
    stand_ins = {lv: await rq.units_named_like(session, lv) for lv in set(levels.values())}
    own = await rq.shares_of_units(session, levels)
    rank = {g: i for i, g in enumerate(GROUPS)}

    def order(item: Item) -> tuple[int, int, int]:
        return rank[item.group], -item.days if item.group == "overdue" else item.days, item.task_id

    for uid, lv in levels.items():
        extra = {
            item.task_id: item
            for stand_in in stand_ins[lv] if stand_in != uid
            for item in by_unit.get(stand_in, ())
            if item.task_id not in own[uid]
        }
        if extra:
            by_unit[uid] = sorted([*by_unit.get(uid, ()), *extra.values()], key=order)


def template(tr: Translator, key: str) -> str:
    """The raw catalog text of ``key``, to format many times without the lookups."""
    text = catalog(tr.lang).get(key) or catalog(DEFAULT_LOCALE).get(key)
    if text is None:
        raise KeyError(f"message {key!r} is in no catalog")
    return text


def frame(text: str, order: Sequence[str], **fixed: object) -> str:
    """``text`` with ``fixed`` filled in and the fields named in ``order`` left as ``{0}``, ``{1}``…

    A day's lines differ only in a task's names: the date and day counts are shared by
    thousands of them. Filling those once per date and the names per task halves the
    formatting work; literal braces, in the catalog or in the values, survive both passes.
    """
    slots = {name: f"\x00{i}\x00" for i, name in enumerate(order)}
    filled = text.format(**fixed, **slots).replace("{", "{{").replace("}", "}}")
    for i, slot in enumerate(slots.values()):
        filled = filled.replace(slot, f"{{{i}}}")
    return filled


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """A title on one line, cut to ``limit`` characters, escaped for HTML."""
    return esc(short(title, limit))


class LineCache:
    """Rendered task lines of one language for one day's Items (one Item per task).

    A task shared by several units, and a unit shared by several members, is rendered once:
    at 10,000 people formatting is most of the day's work.
    """

    def __init__(self, tr: Translator) -> None:
        self.tr = tr
        self._dates: dict[date, str] = {}
        self._stamps: dict[date, str] = {}
        self._lines: dict[int, str] = {}
        self._templates = {g: template(tr, f"remind.line.{g}") for g in GROUPS}
        self._frames: dict[tuple[str, date | None], str] = {}
        self._headers: dict[tuple[str, Xun | None, int], str] = {}
        self.foot = tr("remind.push.foot")
        self.head = template(tr, "remind.push.head")
        self.ack_label = tr("remind.btn.ack")
        self.report_label = template(tr, "remind.btn.report")
        self.extend_label = template(tr, "remind.btn.extend")

    def header(self, group: str, xun: Xun | None, days: int = 0) -> str:
        """A group's heading. A reminder day moved before a weekend or holiday reaches a
        deadline 4 or 8 days off, or tomorrow's on "today": the heading says the real count."""
        if group in ("d0", "d1", "d3", "d7"):
            group = "d0" if days <= 0 else "d1" if days == 1 else group
        key = (group, xun, days)
        text = self._headers.get(key)
        if text is None:
            text = self._headers[key] = self.tr(f"remind.group.{group}", xun=self.xun_name(xun), days=days)
        return text

    def xun_name(self, xun: Xun | None) -> str:
        """"2019年1月下旬", "the last ten days of 1/2019": each language names the 旬 its own way."""
        if xun is None:
            return ""
        part = self.tr(f"remind.xun.part{xun.part}")
        return self.tr("remind.xun.name", y=xun.start.year, m=xun.start.month, part=part)

    def stamp(self, d: date) -> str:
        """The day in button data (``r:p:20190211:17``): one strftime a day, not one per unit."""
        text = self._stamps.get(d)
        if text is None:
            text = self._stamps[d] = d.strftime("%Y%m%d")
        return text

    def date(self, d: date) -> str:
        text = self._dates.get(d)
        if text is None:
            text = self._dates[d] = self.tr("remind.date", y=d.year, m=d.month, d=d.day)
        return text

    def line(self, item: Item) -> str:
        text = self._lines.get(item[0])
        return text if text is not None else self._render(item)

    def _render(self, item: Item) -> str:
        task_id, ref, title, group, due, days = item
        # A group's lines of one due date differ only in the task (days follow the date).
        found = self._frames.get((group, due))
        if found is None:
            found = self._frames[(group, due)] = frame(
                self._templates[group], ("ref", "title"), days=days, due=self.date(due) if due else ""
            )
        text = self._lines[task_id] = found.format(esc(ref), short_title(title))
        return text

    def body(self, items: Sequence[Item], xun: Xun | None) -> list[str]:
        """The lines of a push under their group headings, at most MAX_ITEMS tasks."""
        lines: list[str] = []
        append = lines.append
        current = None
        rendered = self._lines
        for item in items[:MAX_ITEMS]:
            if item[3] != current:
                current = item[3]
                append("")
                append(self.header(current, xun, item[5]))
            text = rendered.get(item[0])
            append(text if text is not None else self._render(item))
        return lines


def render_head(tr: Translator, *, name: str, unit: str, day: date, cache: LineCache | None = None) -> str:
    c = cache or LineCache(tr)
    return c.head.format(date=c.date(day), name=esc(name), unit=esc(unit))


def render_body(
    tr: Translator, *, day: date, items: Sequence[Item], xun: Xun | None, cache: LineCache | None = None
) -> tuple[str, list[list[Button]]]:
    """The task lines and buttons; callback data is checked against the sent message later."""
    c = cache or LineCache(tr)
    lines = c.body(items, xun)
    if len(items) > MAX_ITEMS:
        lines.append(tr("remind.more", n=len(items) - MAX_ITEMS))
    lines.append("")
    lines.append(c.foot)
    stamp = c.stamp(day)
    buttons: list[list[Button]] = []
    for item in items[:MAX_BUTTON_TASKS]:
        row: list[Button] = [(c.report_label.format(ref=item.ref), f"r:p:{stamp}:{item.task_id}")]
        if item.due is not None:
            row.append((c.extend_label.format(ref=item.ref), f"r:x:{stamp}:{item.task_id}"))
        buttons.append(row)
    buttons.append([(c.ack_label, f"r:a:{stamp}")])
    return "\n".join(lines), buttons


def _xun_window(today: date, cal: WorkCalendar, tz: Any) -> tuple[datetime | None, Xun | None]:
    reminders = xun_reminders_on(today, cal)
    if not reminders:
        return None, None
    xun = reminders[0].xun  # follow-ups first: the older 旬 is the stricter question
    return datetime.combine(xun.start, time(0), tzinfo=tz), xun


async def plan_day(
    session: AsyncSession,
    settings: Settings,
    cal: WorkCalendar,
    today: date,
    *,
    slot_at: str | None = None,
    include_default: bool = True,
) -> DayPlan:
    """Every push and escalation of ``today``; with ``slot_at``, only recipients at that time.

    A recipient belongs to a slot when their own reminder time is ``slot_at``, or when they
    have none and this is the default slot (``include_default``).
    """
    with _collector_paused():
        return await _plan_day(
            session, settings, cal, today, slot_at=slot_at, include_default=include_default
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the day's planning.

    Planning 10,000 pushes allocates a few hundred thousand small containers without a
    single reference cycle, and every allocation burst would start a collection walking
    them all again: measured, a third of the planning time. Pausing alone only moves that
    walk to the first allocation after the pause, so on the way out everything tracked is
    handed to the oldest generation at once (``gc.freeze`` then ``gc.unfreeze``, two list
    splices): the young generations have nothing left to walk, reference counting frees
    the plan when it is dropped, and cycles among the rest are found by the next full
    collection as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


async def _plan_day(
    session: AsyncSession,
    settings: Settings,
    cal: WorkCalendar,
    today: date,
    *,
    slot_at: str | None,
    include_default: bool,
) -> DayPlan:
    from bot.escalation import plan_escalations

    working = cal.is_working_day(today)
    if not working:
        return DayPlan(today, False, False, [])
    paused = await rq.pause_on(session, today) is not None
    if paused:
        return DayPlan(today, True, True, [])
    default_at = push_time(settings)

    def in_slot(own: str | None) -> bool:
        if slot_at is None:
            return True
        return own == slot_at or (own is None and include_default)

    dues: dict[date, list[str]] = {d: list(labels) for d, labels in deadline_reminder_dues(today, cal).items()}
    xun_start, xun = _xun_window(today, cal, settings.timezone)
    # The escalation must see overdue tasks of every unit, so the query is not narrowed to members' units.
    # The day is planned in a transaction that has changed no plan data (the scheduler has
    # only recorded its slot, the dry run reads): a second connection sees the same plan.
    async with await rq.start_day_tasks(
        session, today=today, reminder_dues=dues, xun_since=xun_start, spare_connection=True
    ) as day_tasks:
        everyone = await rq.recipients(session)
        mutes = await rq.active_mutes(session, today)
        # The overdue tasks are all dated: the escalations are planned while the database
        # is still reading the ongoing tasks.
        escalations = await plan_escalations(
            session, settings, cal, today, tasks=await day_tasks.dated(), everyone=everyone, mutes=mutes,
            n=escalate_after(settings), in_slot=in_slot, include_default=include_default, slot_at=slot_at,
        )
        tasks = await day_tasks.all()
    members = [r for r in everyone if r.unit_id is not None and may_act(r.roles) and in_slot(r.at)]
    pushes: list[Push] = []
    by_unit = unit_items(tasks, today, dues)
    member_units = {m.unit_id for m in members if m.unit_id is not None}
    await add_shared_items(session, by_unit, await rq.unit_names(session, member_units))
    names = await rq.unit_names(session, {m.unit_id for m in members if m.unit_id in by_unit})
    # Members of one unit read the same lines; only the greeting differs.
    rendered: dict[tuple[int, str], tuple[str, list[list[Button]]]] = {}
    caches: dict[str, LineCache] = {}
    for member in members:
        assert member.unit_id is not None
        items = by_unit.get(member.unit_id)
        if not items:
            continue
        lang = member.language or settings.locale
        cache = caches.get(lang)
        if cache is None:
            cache = caches[lang] = LineCache(Translator(lang))
        muted = mutes.get(member.person_id)
        if muted:
            items = [i for i in items if i.task_id not in muted]
            if not items:
                continue
            body, buttons = render_body(cache.tr, day=today, items=items, xun=xun, cache=cache)
        else:
            found = rendered.get((member.unit_id, lang))
            if found is None:
                found = rendered[(member.unit_id, lang)] = render_body(
                    cache.tr, day=today, items=items, xun=xun, cache=cache
                )
            body, buttons = found
        unit = names.get(member.unit_id, "")
        pushes.append(
            Push(
                kind=KIND,
                key=push_key(person_key(member.person_id), KIND, today),
                chat_id=member.telegram_id,
                person_id=member.person_id,
                name=member.name,
                lang=lang,
                at=member.at or default_at,
                day=today,
                text=f"{render_head(cache.tr, name=member.name, unit=unit, day=today, cache=cache)}\n{body}",
                items=items,  # shared by the unit's members, never changed
                unit=unit,
                buttons=buttons,
            )
        )
    pushes.extend(escalations)
    return DayPlan(today, True, False, pushes)


async def queue_pushes(session: AsyncSession, pushes: Sequence[Push], now: datetime) -> int:
    """Write the day's pushes to the outbox under their keys; returns how many are new."""
    if not pushes:
        return 0
    keys = [p.key for p in pushes]
    existing = await rq.existing_keys(session, keys)
    fresh = [p for p in pushes if p.key not in existing]
    rows = [_outbox_row(p, now) for p in fresh]
    if await rq.add_outbox_rows(session, rows):
        return len(rows)
    # Another process queued some of them in between: fall back to one row at a time.
    from storage import outbox as outbox_q

    queued = 0
    for p in fresh:
        row = _outbox_row(p, now)
        if await outbox_q.enqueue(
            session, key=row.key, kind=row.kind, chat_id=row.chat_id, method=row.method, payload=row.payload,
            now=now, push=True, person_id=row.person_id,
        ):
            queued += 1
    return queued


def _outbox_row(p: Push, now: datetime) -> Outbox:
    payload: dict[str, Any] = {"chat_id": p.chat_id, "text": p.text, "parse_mode": "HTML"}
    if p.buttons:
        payload["reply_markup"] = keyboard(p.buttons)
    return Outbox(
        key=p.key, kind=p.kind, chat_id=p.chat_id, person_id=p.person_id, method="sendMessage", payload=payload,
        push=True, status="pending", attempts=0, created_at=now,
    )


@action(KIND)
async def daily_push(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    """A push slot: this slot's recipients' pushes and escalations, queued in its transaction."""
    cal = calendar_of(services)
    default = bool((schedule.params or {}).get("default")) or schedule.name == DEFAULT_SCHEDULE
    today = slot.astimezone(services.settings.timezone).date()
    plan = await plan_day(session, services.settings, cal, today, slot_at=schedule.at, include_default=default)
    if plan.paused:
        log.info("pushes paused on %s", today)
        return
    queued = await queue_pushes(session, plan.pushes, services.clock.now())
    log.info("daily push %s %s: %d queued of %d", schedule.name, today, queued, len(plan.pushes))


def push_day(stamp: str) -> date | None:
    try:
        return datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return None


# --- the push's buttons -----------------------------------------------------------------------

_CALLBACK = re.compile(r"^r:(p|x|a|xa|xr):(\d{8}|\d{1,12})(?::(\d{1,12}))?$")


def _buttons_of(row: Outbox) -> set[str]:
    markup = (row.payload or {}).get("reply_markup") or {}
    return {
        str(b.get("callback_data"))
        for line in markup.get("inline_keyboard", [])
        for b in line
        if isinstance(b, dict) and b.get("callback_data")
    }


async def press(
    session: AsyncSession, services: Services, *, telegram_id: int, person: Person | None, roles: set[str],
    is_admin: bool, data: str, now: datetime, lang: str,
) -> Outcome:
    """A button with "r:" data. Forged, foreign or stale data changes nothing and says so.

    A push button is honoured only if that very data was on the push sent to the presser
    that day, so a button cannot be replayed from someone else's chat or made up; the
    permission to act on the task is checked again, since a binding may have changed.
    """
    from bot import extensions

    m = _CALLBACK.match(data)
    if m is None:
        return Outcome("remind.bad_button", alert=True)
    verb, first, second = m.group(1), m.group(2), m.group(3)
    if verb in ("xa", "xr"):
        if second is not None:
            return Outcome("remind.bad_button", alert=True)
        if verb == "xr":
            return await extensions.start_reject(
                session, telegram_id=telegram_id, is_admin=is_admin, extension_id=int(first), now=now
            )
        return await extensions.decide(
            session, services, extension_id=int(first), approve=True, reason=None, admin_telegram_id=telegram_id,
            admin_person=person, is_admin=is_admin, now=now, lang=lang,
        )
    day = push_day(first) if len(first) == 8 else None
    if day is None or person is None or (verb == "a") != (second is None):
        return Outcome("remind.bad_button", alert=True)
    row = await rq.outbox_row(session, push_key(person_key(person.id), KIND, day))
    if row is None or row.chat_id != telegram_id or data not in _buttons_of(row):
        return Outcome("remind.not_yours", alert=True)
    if verb == "a":
        return await acknowledge(session, services, person=person, day=day, row=row, now=now)
    assert second is not None
    task_id = int(second)
    if verb == "x":
        return await extensions.start_request(
            session, telegram_id=telegram_id, person=person, roles=roles, task_id=task_id, now=now, lang=lang
        )
    return await hand_over_report(session, telegram_id=telegram_id, person=person, roles=roles, task_id=task_id, now=now)


async def acknowledge(
    session: AsyncSession, services: Services, *, person: Person, day: date, row: Outbox, now: datetime,
    words: bool = False,
) -> Outcome:
    """已阅 (签收): recorded once per push, by the button or by "收到" written under it."""
    if not await rq.record_ack(session, person_id=person.id, day=day, now=now):
        return Outcome("remind.already_acked", alert=not words)
    payload: dict[str, Any] = {"day": day.isoformat(), "outbox": row.id}
    if words:
        payload["in_words"] = True
    await services.auditor.append(
        session, actor=f"person:{person.id}", action="reminder.ack", subject=f"person:{person.id}",
        payload=payload, now=now,
    )
    return Outcome("remind.words.acked" if words else "remind.acked")


REPORT_PROMPT_TTL = timedelta(hours=12)


async def hand_over_report(
    session: AsyncSession, *, telegram_id: int, person: Person | None, roles: set[str], task_id: int, now: datetime
) -> Outcome:
    """报告进展: name the task and remember it, so the reporting flow can take the answer."""
    task = await rq.task(session, task_id)
    if task is None or task.archived or not await may(session, person, roles, Action.REPORT, task_id):
        return Outcome("remind.not_allowed", alert=True)
    await rq.set_prompt(session, telegram_id, kind="report", task_id=task_id, expires_at=now + REPORT_PROMPT_TTL)
    return Outcome("remind.report_prompt", {"ref": html.escape(task.ref), "title": html.escape(task.title)})


async def pending_report_task(session: AsyncSession, telegram_id: int, now: datetime) -> int | None:
    """The task a 报告进展 button named for this account, if the reporting flow wants it."""
    prompt = await rq.prompt_of(session, telegram_id, now)
    return prompt.task_id if prompt is not None and prompt.kind == "report" else None


async def clear_report_prompt(session: AsyncSession, telegram_id: int) -> None:
    """The reporting flow calls this once it recorded the report the button asked for."""
    prompt = await rq.prompt_of(session, telegram_id, None)
    if prompt is not None and prompt.kind == "report":
        await rq.clear_prompt(session, telegram_id)
