"""What people may change about their reminders, and the admins' pause.

A member can mute one task for N days (the push leaves it out, escalations too) and pick
their own push time; a time inside quiet hours is refused, since the bot would have to
hold the message until morning anyway. Admins can pause every push over a period (a
holiday DESIGN's calendar does not know, an inspection week). All of it is audited.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import festivals
from bot.delivery import in_quiet_hours
from bot.english_dates import NUMBER_WORDS
from bot.example_refs import example_ref
from bot.extensions import Outcome
from bot.extract import extract_dates, to_int
from bot.permissions import Action, may
from bot.reminders import ensure_time_schedule, parse_hhmm, push_time
from bot.scheduler import calendar_of
from bot.workdays import WorkCalendar
from storage import reminders as rq
from storage.models import Person

if TYPE_CHECKING:
    from bot.services import Services

MAX_MUTE_DAYS = 90
MAX_PAUSE_DAYS = 366
RESET_WORDS = ("默认", "恢复", "default", "reset", "off")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


# "8点半", "上午8点15分", "下午3点": a time as people say it, for /remindtime.
_SPOKEN_TIME: Final = re.compile(
    r"^(?P<part>上午|早上|早晨|中午|下午|傍晚|晚上)?\s*(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*[点時时]"
    r"(?:\s*(?P<half>半)|\s*(?P<m>\d{1,2}|[零一二三四五六七八九十]{1,3})\s*分?)?$"
)


def spoken_time(text: str) -> str | None:
    """"8点半" -> "08:30"; None when it is not such a time."""
    m = _SPOKEN_TIME.match(text.strip())
    if m is None:
        return None
    hours, minutes = to_int(m.group("h")), 30 if m.group("half") else to_int(m.group("m") or "0")
    if hours is None or minutes is None:
        return None
    if m.group("part") in ("下午", "傍晚", "晚上") and hours < 12:
        hours += 12
    return f"{hours:02d}:{minutes:02d}" if hours < 24 and minutes < 60 else None


# "1-17这几天别提醒我了", "1-10先暂停提醒一周": /mute said in words (a task number is needed).
_MUTE_WORDS: Final = re.compile(r"(?:别|不要|不用|暂停|先别|停止|暂时不要|暂时别)\s*(?:再)?\s*(?:提醒|催|推送)|免打扰")
_MUTE_REF: Final = re.compile(r"(?<![\d.-])(\d{1,3}(?:-\d{1,3})+)(?![\d-])")
_PROGRESS: Final = re.compile(r"完成|完工|到位|验收|推进|开展|整改|\d+\s*[%％]")
_MUTE_SPAN: Final = re.compile(r"(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>天|日|周|个?星期|个?月)")


# "no reminders for 1-17 this week", "mute 1-17 for 3 days", "stop reminding me about 1-17".
_MUTE_EN: Final = re.compile(r"\b(?:no|stop|don'?t|do not)\s+(?:more\s+)?(?:remind\w*|push\w*)|\bmute\b", re.I)
_PROGRESS_EN: Final = re.compile(r"\b(?:done|complete[d]?|finished|inspected|\d+\s*%)", re.I)
_SPAN_EN: Final = re.compile(r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|ten)\s+(?P<unit>days?|weeks?|months?)\b", re.I)


def _english_mute_days(text: str) -> int:
    span = _SPAN_EN.search(text)
    if span is not None:
        word = span.group("n").lower()
        n = int(word) if word.isdigit() else int(NUMBER_WORDS[word])
        unit = span.group("unit").lower()
        return n * 30 if unit.startswith("month") else n * 7 if unit.startswith("week") else n
    if re.search(r"\bfew days\b|\bcouple of days\b", text, re.I):
        return 3
    return 30 if re.search(r"\bthis month\b", text, re.I) else 7


def mute_request(text: str) -> tuple[str, int] | None:
    """(task ref, days) of a mute asked for in words; a week when no span is said."""
    english = _MUTE_EN.search(text) is not None and _PROGRESS_EN.search(text) is None
    if len(text) > (120 if english else 60) or not (_MUTE_WORDS.search(text) or english) or _PROGRESS.search(text):
        return None  # "1-17已完成，不用再催了" is a report first: the reporting flow takes it
    refs = set(_MUTE_REF.findall(text))
    if len(refs) != 1:
        return None
    if english and not _MUTE_WORDS.search(text):
        return refs.pop(), max(1, min(_english_mute_days(text), MAX_MUTE_DAYS))
    span = _MUTE_SPAN.search(text)
    if span is not None:
        n = to_int(span.group("n")) or 0
        unit = span.group("unit")
        days = n * 30 if "月" in unit else n * 7 if ("周" in unit or "星期" in unit) else n
    elif re.search(r"这几天|最近几天|这两天|几天", text):
        days = 3
    elif "这个月" in text or "本月" in text:
        days = 30
    else:
        days = 7
    return refs.pop(), max(1, days)


def _actor(person: Person | None, telegram_id: int) -> str:
    return f"person:{person.id}" if person else f"telegram:{telegram_id}"


async def mute(
    session: AsyncSession, services: Services, *, person: Person | None, roles: set[str], telegram_id: int,
    args: list[str], now: datetime,
) -> Outcome:
    """/mute <task ref> <days>."""
    if person is None:
        return Outcome("remind.not_bound")
    if len(args) != 2 or not args[1].isdigit():
        return Outcome("remind.mute.usage", {"ref": await example_ref(session, person)})
    days = int(args[1])
    if not 1 <= days <= MAX_MUTE_DAYS:
        return Outcome("remind.mute.bad_days", {"max": MAX_MUTE_DAYS})
    tasks = await rq.tasks_by_ref(session, args[0])
    visible = [t for t in tasks if await may(session, person, roles, Action.SEE_TASK, t.id)]
    if not visible:
        return Outcome("remind.mute.no_task", {"ref": html.escape(args[0])})
    if len(visible) > 1:
        return Outcome("remind.mute.ambiguous", {"ref": html.escape(args[0])})
    task = visible[0]
    today = now.astimezone(services.settings.timezone).date()
    until = today + timedelta(days=days)
    await rq.set_mute(session, person_id=person.id, task_id=task.id, until=until, now=now)
    await services.auditor.append(
        session, actor=_actor(person, telegram_id), action="reminder.mute", subject=f"task:{task.id}",
        payload={"person": person.id, "days": days, "until": until.isoformat()}, now=now,
    )
    last = until - timedelta(days=1)
    return Outcome("remind.mute.done", {"ref": html.escape(task.ref), "days": days, "month": last.month, "day": last.day})


async def set_time(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, args: list[str],
    now: datetime,
) -> Outcome:
    """/remindtime HH:MM (or 默认 to go back to the bot-wide time)."""
    if person is None:
        return Outcome("remind.not_bound")
    default = push_time(services.settings)
    if len(args) > 1 and spoken_time("".join(args)) is not None:  # "/remindtime 上午 8点"
        args = ["".join(args)]
    if len(args) != 1:
        return Outcome("remind.time.usage", {"default": default})
    if args[0].lower() in RESET_WORDS:
        await rq.set_time(session, person.id, None)
        at = None
    else:
        at = parse_hhmm(args[0]) or spoken_time(args[0])
        if at is None:
            return Outcome("remind.time.usage", {"default": default})
        hours, minutes = (int(x) for x in at.split(":"))
        quiet_start, quiet_end = services.settings.quiet_start, services.settings.quiet_end
        if in_quiet_hours(datetime.combine(date(2000, 1, 1), time(hours, minutes)), quiet_start, quiet_end):
            return Outcome(
                "remind.time.quiet",
                {"start": quiet_start.strftime("%H:%M"), "end": quiet_end.strftime("%H:%M")},
            )
        await rq.set_time(session, person.id, at)
        await ensure_time_schedule(session, at)
    await services.auditor.append(
        session, actor=_actor(person, telegram_id), action="reminder.time", subject=f"person:{person.id}",
        payload={"at": at}, now=now,
    )
    return Outcome("remind.time.done", {"at": at or default}) if at else Outcome("remind.time.reset", {"at": default})


def _parse_day(word: str, today: date) -> date | None:
    if _ISO.match(word):
        try:
            y, m, d = (int(x) for x in word.split("-"))
            return date(y, m, d)
        except ValueError:
            return None
    found = extract_dates(word, today)
    return found[0] if len(found) == 1 else None


_CANCEL_WORDS: Final = frozenset({"取消", "撤销", "恢复", "解除", "off", "cancel", "resume"})
_FESTIVAL_ARG: Final = re.compile(rf"^({festivals.WORDS})(?:假期|期间|放假|长假|节)?$")


def holiday_of(word: str, today: date, cal: WorkCalendar) -> tuple[date, date] | None:
    """The days off around the coming (or current) festival: the calendar's holiday block."""
    for year in (today.year, today.year + 1):
        day = festivals.festival_day(word, year)
        if day is None or day + timedelta(days=10) < today:
            continue
        if cal.is_working_day(day):
            return day, day
        start = end = day
        while not cal.is_working_day(start - timedelta(days=1)) and (day - start).days < 10:
            start -= timedelta(days=1)
        while not cal.is_working_day(end + timedelta(days=1)) and (end - day).days < 10:
            end += timedelta(days=1)
        return start, end
    return None


async def _pauses_listed(session: AsyncSession, today: date) -> Outcome:
    rows = await rq.pauses_from(session, today)
    if not rows:
        return Outcome("remind.pause.none")
    lines = "\n".join(f"#{r.id} {r.start.isoformat()} — {r.end.isoformat()}" for r in rows)
    return Outcome("remind.pause.list", {"lines": lines})


async def _cancel_pause(
    session: AsyncSession, services: Services, person: Person | None, telegram_id: int, args: list[str],
    today: date, now: datetime,
) -> Outcome:
    rows = await rq.pauses_from(session, today)
    wanted = [r for r in rows if args and args[0].lstrip("#") == str(r.id)] if args else rows
    if len(wanted) != 1:
        return await _pauses_listed(session, today) if rows else Outcome("remind.pause.none")
    row = wanted[0]
    await rq.delete_pause(session, row)
    await services.auditor.append(
        session, actor=_actor(person, telegram_id), action="reminder.unpause", subject=f"pause:{row.id}",
        payload={"start": row.start.isoformat(), "end": row.end.isoformat()}, now=now,
    )
    return Outcome("remind.pause.cancelled", {"start": row.start.isoformat(), "end": row.end.isoformat()})


async def pause(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, is_admin: bool,
    args: list[str], now: datetime,
) -> Outcome:
    """/pause <from> <to>: no pushes or escalations on those days (inclusive).

    Also /pause 春节 (the festival's holiday, as the working-day calendar has it), /pause
    alone (the pauses to come, each with its number) and /pause 取消 N (lift one).
    """
    if not is_admin:
        return Outcome("remind.pause.admin_only")
    today = now.astimezone(services.settings.timezone).date()
    if not args:
        return await _pauses_listed(session, today)
    if args[0].lower() in _CANCEL_WORDS:
        return await _cancel_pause(session, services, person, telegram_id, args[1:], today, now)
    festival = _FESTIVAL_ARG.match(" ".join(args))
    if festival is not None:
        span = holiday_of(festival.group(1), today, calendar_of(services))
        if span is None:
            return Outcome("remind.pause.usage")
        start, end = span
    elif len(args) != 2:
        return Outcome("remind.pause.usage")
    else:
        found = _parse_day(args[0], today), _parse_day(args[1], today)
        if found[0] is None or found[1] is None:
            return Outcome("remind.pause.usage")
        start, end = found[0], found[1]
    if end < start or (end - start).days > MAX_PAUSE_DAYS:
        return Outcome("remind.pause.bad_range", {"max": MAX_PAUSE_DAYS})
    if end < today:
        return Outcome("remind.pause.past", {"start": start.isoformat(), "end": end.isoformat()})
    row = await rq.add_pause(session, start=start, end=end, created_by=telegram_id, now=now)
    await services.auditor.append(
        session, actor=_actor(person, telegram_id), action="reminder.pause", subject=f"pause:{row.id}",
        payload={"start": start.isoformat(), "end": end.isoformat()}, now=now,
    )
    return Outcome("remind.pause.done", {"start": start.isoformat(), "end": end.isoformat()})
