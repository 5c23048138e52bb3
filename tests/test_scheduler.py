"""Schedules in the database, fired on the virtual clock: once per working day, never late."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import VirtualClock
from bot.config import Settings
from bot.localbot import LocalBot
from bot.scheduler import action
from bot.services import Services
from storage import outbox as outbox_q
from storage import schedules as schedules_q
from storage.db import transaction
from storage.models import Schedule

TZ = ZoneInfo("Asia/Shanghai")
ADMIN = 1


@action("test-push")
async def _push(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    await outbox_q.enqueue(
        session,
        key=f"push:{ADMIN}:{schedule.name}:{slot.date().isoformat()}",
        kind="push",
        chat_id=ADMIN,
        method="sendMessage",
        payload={"chat_id": ADMIN, "text": f"push {slot.date().isoformat()}"},
        now=services.clock.now(),
        push=True,
    )


async def started_bot(settings: Settings, at: datetime) -> LocalBot:
    bot = LocalBot(settings, VirtualClock(at))
    await bot.start()
    async with transaction(bot.services.factory) as session:
        await schedules_q.ensure(session, name="morning", kind="test-push", rule="workdays", at="09:00")
    return bot


def pushes(bot: LocalBot, cursor: int = 0) -> list[str]:
    return [o["text"] for o in bot.local.outbox_since(cursor) if o.get("text", "").startswith("push ")]


async def test_daily_push_follows_chinese_working_days(settings: Settings) -> None:
    bot = await started_bot(settings, datetime(2019, 1, 28, 8, 0, tzinfo=TZ))
    bot.local.send_text({"id": ADMIN}, "/start")
    await bot.wait_idle()
    await bot.walk_to(datetime(2019, 2, 12, 12, 0, tzinfo=TZ))
    await bot.stop()
    sent = pushes(bot)
    expected = [
        "2019-01-28", "2019-01-29", "2019-01-30", "2019-01-31", "2019-02-01",
        "2019-02-02", "2019-02-03",  # 调休: the weekend before the Spring Festival works
        "2019-02-11", "2019-02-12",  # 02-04 … 02-10 are the holiday (02-05 included)
    ]
    assert sent == [f"push {d}" for d in expected]
    at = [o["at"] for o in bot.local.outbox if o.get("text", "").startswith("push ")]
    assert all(a.endswith("T09:00:00+08:00") or "T09:00:0" in a for a in at)


async def test_unknown_year_is_weekdays_only_with_one_warning(settings: Settings) -> None:
    bot = await started_bot(settings, datetime(2026, 12, 31, 8, 0, tzinfo=TZ))
    bot.local.send_text({"id": ADMIN}, "/start")
    await bot.wait_idle()
    await bot.walk_to(datetime(2027, 1, 12, 12, 0, tzinfo=TZ))
    await bot.stop()
    sent = pushes(bot)
    days = [date.fromisoformat(s.split()[1]) for s in sent]
    assert date(2026, 12, 31) in days
    assert all(d.weekday() < 5 for d in days if d.year == 2027)
    assert len([d for d in days if d.year == 2027]) == 8  # Jan 1, 4–8, 11, 12
    warnings = [o["text"] for o in bot.local.outbox if "2027" in o.get("text", "") and "节假日" in o["text"]]
    assert len(warnings) == 1

    again = LocalBot(settings, bot.clock)
    cursor = again.local.outbox_cursor()
    await again.start()
    await again.walk_to(datetime(2027, 1, 13, 12, 0, tzinfo=TZ))
    await again.stop()
    assert pushes(again, cursor) == ["push 2027-01-13"]
    assert [o for o in again.local.outbox_since(cursor) if "节假日" in o.get("text", "")] == []


async def test_stopped_before_nine_started_after_sends_once(settings: Settings) -> None:
    bot = await started_bot(settings, datetime(2019, 1, 28, 8, 0, tzinfo=TZ))
    bot.local.send_text({"id": ADMIN}, "/start")
    await bot.wait_idle()
    await bot.walk_to(datetime(2019, 1, 28, 8, 59, tzinfo=TZ))
    await bot.stop()
    assert pushes(bot) == []

    later = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 9, 5, tzinfo=TZ)))
    cursor = later.local.outbox_cursor()
    await later.start()
    await later.walk_to(datetime(2019, 1, 28, 10, 0, tzinfo=TZ))
    await later.stop()
    third = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 10, 30, tzinfo=TZ)))
    await third.start()
    await third.walk_to(datetime(2019, 1, 28, 11, 0, tzinfo=TZ))
    await third.stop()
    assert pushes(later, cursor) == ["push 2019-01-28"]
    assert pushes(third) == []


async def test_stopped_overnight_does_not_send_yesterdays_and_tells_admins(settings: Settings) -> None:
    bot = await started_bot(settings, datetime(2019, 1, 28, 8, 0, tzinfo=TZ))
    bot.local.send_text({"id": ADMIN}, "/start")
    await bot.wait_idle()
    await bot.walk_to(datetime(2019, 1, 28, 8, 59, tzinfo=TZ))
    await bot.stop()

    next_day = LocalBot(settings, VirtualClock(datetime(2019, 1, 29, 9, 5, tzinfo=TZ)))
    cursor = next_day.local.outbox_cursor()
    await next_day.start()
    await next_day.stop()
    out = next_day.local.outbox_since(cursor)
    assert pushes(next_day, cursor) == ["push 2019-01-29"]
    notices = [o["text"] for o in out if "未按时发送" in o.get("text", "")]
    assert len(notices) == 1 and "2019-01-28 09:00" in notices[0]


async def test_a_slot_missed_until_quiet_hours_is_listed_not_sent(settings: Settings) -> None:
    bot = await started_bot(settings, datetime(2019, 1, 28, 8, 0, tzinfo=TZ))
    bot.local.send_text({"id": ADMIN}, "/start")
    await bot.wait_idle()
    await bot.walk_to(datetime(2019, 1, 28, 8, 30, tzinfo=TZ))
    await bot.stop()
    late = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 22, 0, tzinfo=TZ)))
    cursor = late.local.outbox_cursor()
    await late.start()
    await late.walk_to(datetime(2019, 1, 29, 8, 30, tzinfo=TZ))
    await late.stop()
    assert pushes(late, cursor) == []
    notices = [o for o in late.local.outbox_since(cursor) if "未按时发送" in o.get("text", "")]
    # Told at 08:00 when quiet hours end, not at night.
    assert len(notices) == 1 and notices[0]["at"].startswith("2019-01-29T08:")
