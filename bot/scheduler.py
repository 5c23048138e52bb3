"""Schedules in our own tables, and ``due(now)``: what must happen at ``now``.

PTB's JobQueue keeps jobs in memory and skips late ones after a second of grace; a
restart would lose them. Here a schedule is a row, each slot that fires is a row with
a unique (schedule, slot) key, and one every-minute job (or ``simulate``'s clock
walk) calls ``tick``. Two processes ticking at once fire a slot once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import in_quiet_hours, notify_admins
from bot.periods import month_bounds, xun_of
from bot.workdays import WorkCalendar
from storage import kv
from storage import schedules as schedules_q
from storage import updates as updates_q
from storage.db import transaction
from storage.models import Schedule

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

Action = Callable[[AsyncSession, "Services", Schedule, datetime], Awaitable[None]]
ACTIONS: dict[str, Action] = {}
RULES = ("daily", "workdays", "xun_end", "month_end")
HANDLED_UPDATE_TTL = timedelta(days=7)


def action(kind: str) -> Callable[[Action], Action]:
    """Register what a schedule of ``kind`` does when its slot fires."""

    def register(fn: Action) -> Action:
        ACTIONS[kind] = fn
        return fn

    return register


def calendar_of(services: Services) -> WorkCalendar:
    """The process's one working-day calendar (its year tables are costly to rebuild)."""
    cal = services.extras.get("calendar")
    if not isinstance(cal, WorkCalendar):
        cal = WorkCalendar()
        services.extras["calendar"] = cal
    return cal


def parse_at(at: str) -> time:
    hours, minutes = at.split(":")
    return time(int(hours), int(minutes))


def runs_on(rule: str, day: date, cal: WorkCalendar) -> bool:
    """Whether a schedule with ``rule`` has a slot on ``day``."""
    if rule == "daily":
        return True
    if rule == "workdays":
        return cal.is_working_day(day)
    if rule == "xun_end":
        end = xun_of(day).end
        return cal.is_working_day(day) and day == cal.shift_to_working_day_before(end)
    if rule == "month_end":
        end = month_bounds(day)[1]
        return cal.is_working_day(day) and day == cal.shift_to_working_day_before(end)
    raise ValueError(f"unknown schedule rule {rule!r}")


def slot_on(schedule: Schedule, day: date, tz: object) -> datetime:
    return datetime.combine(day, parse_at(schedule.at), tzinfo=tz)  # type: ignore[arg-type]


def slots_between(
    schedule: Schedule, after: datetime, until: datetime, cal: WorkCalendar
) -> Iterator[datetime]:
    """Slots t with after < t <= until, in order."""
    tz = until.tzinfo
    day = after.astimezone(tz).date()
    last = until.date()
    while day <= last:
        if runs_on(schedule.rule, day, cal):
            slot = slot_on(schedule, day, tz)
            if after < slot <= until:
                yield slot
        day += timedelta(days=1)


@dataclass(frozen=True)
class Due:
    schedule: Schedule
    slot: datetime


async def due(session: AsyncSession, now: datetime, cal: WorkCalendar) -> list[Due]:
    """Today's slots at or before ``now`` that have not run; earlier days are catch-up's."""
    start_of_day = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    result = []
    for schedule in await schedules_q.enabled(session):
        for slot in slots_between(schedule, start_of_day - timedelta(microseconds=1), now, cal):
            if not await schedules_q.has_run(session, schedule.id, slot):
                result.append(Due(schedule, slot))
    return sorted(result, key=lambda d: (d.slot, d.schedule.id))


async def next_instants(services: Services, after: datetime, until: datetime) -> list[datetime]:
    """Every scheduled instant in (after, until], for simulate's clock walk."""
    cal = calendar_of(services)
    async with transaction(services.factory) as session:
        instants = {
            slot
            for schedule in await schedules_q.enabled(session)
            for slot in slots_between(schedule, after, until, cal)
        }
    return sorted(instants)


async def tick(services: Services) -> int:
    """Fire what is due now; each slot in its own transaction with its outbox rows."""
    now = services.clock.now()
    cal = calendar_of(services)
    fired = 0
    async with transaction(services.factory) as session:
        pending = await due(session, now, cal)
        await kv.put(session, "scheduler.last_tick", {"at": now.isoformat()})
    quiet = in_quiet_hours(now, services.settings.quiet_start, services.settings.quiet_end)
    for item in pending:
        async with transaction(services.factory) as session:
            if quiet and item.schedule.kind != "housekeeping":
                # Past today's quiet-hours start a missed push is not sent late.
                if await schedules_q.record_run(session, item.schedule.id, item.slot, now, outcome="missed"):
                    await _tell_missed(session, services, [item], now)
                continue
            if not await schedules_q.record_run(session, item.schedule.id, item.slot, now):
                continue
            fn = ACTIONS.get(item.schedule.kind)
            if fn is None:
                log.error("schedule %s has no action %r", item.schedule.name, item.schedule.kind)
                continue
            await fn(session, services, item.schedule, item.slot)
            fired += 1
        await warn_unknown_years(services, cal)
    if services.sender:
        await services.sender.deliver()
    return fired


async def catch_up(services: Services) -> list[Due]:
    """At start-up: slots missed on earlier days are listed to the admins, never sent late."""
    now = services.clock.now()
    cal = calendar_of(services)
    async with transaction(services.factory) as session:
        last = await kv.get(session, "scheduler.last_tick")
        if last is None:
            await kv.put(session, "scheduler.last_tick", {"at": now.isoformat()})
            return []
        since = datetime.fromisoformat(last["at"]).astimezone(now.tzinfo)
        start_of_today = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
        missed: list[Due] = []
        for schedule in await schedules_q.enabled(session):
            if schedule.kind == "housekeeping":
                continue
            for slot in slots_between(schedule, since, start_of_today - timedelta(microseconds=1), cal):
                if await schedules_q.record_run(session, schedule.id, slot, now, outcome="missed"):
                    missed.append(Due(schedule, slot))
        if missed:
            await _tell_missed(session, services, missed, now)
    return missed


async def _tell_missed(session: AsyncSession, services: Services, missed: list[Due], now: datetime) -> None:
    items = "\n".join(f"• {d.schedule.name} {d.slot.strftime('%Y-%m-%d %H:%M')}" for d in missed)
    await notify_admins(
        session,
        sorted(services.settings.admins),
        key=f"missed:{missed[0].slot.isoformat()}:{now.isoformat()}",
        message="notify.missed_pushes",
        params={"items": items},
        now=now,
        default_lang=services.settings.locale,
    )


async def warn_unknown_years(services: Services, cal: WorkCalendar) -> None:
    """Tell the admins once per year that holidays for it are unknown."""
    for year in cal.unknown_years_seen():
        async with transaction(services.factory) as session:
            if await kv.put_once(session, f"calendar.unknown_year.{year}", {"year": year}):
                await notify_admins(
                    session,
                    sorted(services.settings.admins),
                    key=f"unknown_year:{year}",
                    message="notify.unknown_year",
                    params={"year": year},
                    now=services.clock.now(),
                    default_lang=services.settings.locale,
                )


async def ensure_default_schedules(session: AsyncSession, settings: Settings | None = None) -> None:
    await schedules_q.ensure(session, name="prune-updates", kind="housekeeping", rule="daily", at="03:30")
    from bot.reminders import ensure_reminder_schedules

    await ensure_reminder_schedules(session, settings)
    from bot.digest import ensure_schedules as ensure_digest_schedules

    await ensure_digest_schedules(session, settings)


@action("housekeeping")
async def _housekeeping(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    removed = await updates_q.prune(session, services.clock.now() - HANDLED_UPDATE_TTL)
    log.info("pruned %d handled update ids", removed)
