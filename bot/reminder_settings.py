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
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import in_quiet_hours
from bot.example_refs import example_ref
from bot.extensions import Outcome
from bot.extract import extract_dates
from bot.permissions import Action, may
from bot.reminders import ensure_time_schedule, parse_hhmm, push_time
from storage import reminders as rq
from storage.models import Person

if TYPE_CHECKING:
    from bot.services import Services

MAX_MUTE_DAYS = 90
MAX_PAUSE_DAYS = 366
RESET_WORDS = ("默认", "恢复", "default", "reset", "off")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


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
    if len(args) != 1:
        return Outcome("remind.time.usage", {"default": default})
    if args[0].lower() in RESET_WORDS:
        await rq.set_time(session, person.id, None)
        at = None
    else:
        at = parse_hhmm(args[0])
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


async def pause(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, is_admin: bool,
    args: list[str], now: datetime,
) -> Outcome:
    """/pause <from> <to>: no pushes or escalations on those days (inclusive)."""
    if not is_admin:
        return Outcome("remind.pause.admin_only")
    today = now.astimezone(services.settings.timezone).date()
    if len(args) != 2:
        return Outcome("remind.pause.usage")
    start, end = _parse_day(args[0], today), _parse_day(args[1], today)
    if start is None or end is None:
        return Outcome("remind.pause.usage")
    if end < start or (end - start).days > MAX_PAUSE_DAYS:
        return Outcome("remind.pause.bad_range", {"max": MAX_PAUSE_DAYS})
    row = await rq.add_pause(session, start=start, end=end, created_by=telegram_id, now=now)
    await services.auditor.append(
        session, actor=_actor(person, telegram_id), action="reminder.pause", subject=f"pause:{row.id}",
        payload={"start": start.isoformat(), "end": end.isoformat()}, now=now,
    )
    return Outcome("remind.pause.done", {"start": start.isoformat(), "end": end.isoformat()})
