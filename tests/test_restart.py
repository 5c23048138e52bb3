"""The bot restarted, or killed: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.clock import VirtualClock
from bot.config import Settings
from bot.delivery import Sender
from bot.localbot import LocalBot
from storage import outbox as outbox_q
from storage.db import transaction
from storage.models import HandledUpdate, Outbox, TelegramUser
from tests.scenario import converse, texts

TZ = ZoneInfo("Asia/Shanghai")


def clock() -> VirtualClock:
    return VirtualClock(datetime(2019, 1, 10, 9, 0, tzinfo=TZ))


async def test_two_simulate_runs_are_one_bot_restarted(settings: Settings) -> None:
    await converse(settings, [{"clock": "2019-01-10T09:00"}, {"as": 1002, "text": "/start"}], name="first")
    bot = LocalBot(settings, clock())
    first_next_id = bot.local.next_update_id
    assert 1002 in bot.local.started
    await bot.start()
    try:
        # A user who pressed /start in the first run can be messaged in the second.
        async with transaction(bot.services.factory) as session:
            row = await outbox_q.enqueue(
                session, key="test:hello", kind="notice", chat_id=1002, method="sendMessage",
                payload={"chat_id": 1002, "text": "再次问候"}, now=bot.clock.now(),
            )
            assert row is not None
        assert bot.services.sender is not None
        await bot.services.sender.deliver()
        update = bot.local.send_text({"id": 1002}, "/help")
        assert update["update_id"] == first_next_id
        await bot.wait_idle()
    finally:
        await bot.stop()
    sent = [o for o in bot.local.outbox if o.get("chat") == 1002]
    assert any(o["text"] == "再次问候" for o in sent)


async def test_killed_after_commit_before_confirm_gives_one_effect_one_reply(settings: Settings) -> None:
    bot = LocalBot(settings, clock())
    await bot.start()
    assert bot.services.sender is not None

    async def lost_delivery(self: Sender, *args: object, **kwargs: object) -> int:
        # The effects are committed; the process dies before replying or confirming.
        assert bot.running is not None
        bot.running.poller.kill()
        killed.set()
        return 0

    killed = asyncio.Event()
    original = Sender.deliver
    Sender.deliver = lost_delivery  # type: ignore[method-assign]
    try:
        bot.local.send_text({"id": 1002}, "/language en")
        await asyncio.wait_for(killed.wait(), 10)
        assert bot.running is not None
        await bot.running.app.update_queue.join()
    finally:
        Sender.deliver = original  # type: ignore[method-assign]
    await bot.crash()

    again = LocalBot(settings, bot.clock)
    # The update was never confirmed: Telegram delivers it again.
    assert any("/language en" in str(u) for u in again.local.pending)
    cursor = again.local.outbox_cursor()
    await again.start()
    try:
        await again.wait_idle()
        async with transaction(again.services.factory) as session:
            handled = await session.scalar(select(func.count()).select_from(HandledUpdate))
            replies = await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "reply"))
            user = await session.get(TelegramUser, 1002)
    finally:
        await again.stop()
    assert handled == 1
    assert replies == 1
    assert user is not None and user.language == "en"
    assert texts(again.local.outbox_since(cursor), 1002) == ["Switched to English."]


async def test_redelivered_update_whose_reply_was_sent_changes_nothing(settings: Settings) -> None:
    bot = LocalBot(settings, clock())
    await bot.start()
    bot.local.send_text({"id": 1002}, "/start")
    await bot.wait_idle()
    await bot.crash()  # handled and answered, but never confirmed
    again = LocalBot(settings, bot.clock)
    cursor = again.local.outbox_cursor()
    await again.start()
    await again.wait_idle()
    await again.stop()
    assert texts(again.local.outbox_since(cursor)) == []


async def test_a_row_left_sending_is_reported_to_admins_not_resent(settings: Settings) -> None:
    bot = LocalBot(settings, clock())
    await bot.start()
    bot.local.send_text({"id": 1}, "/start")
    bot.local.send_text({"id": 1002}, "/start")
    await bot.wait_idle()
    async with transaction(bot.services.factory) as session:
        row = await outbox_q.enqueue(
            session, key="push:1002:x", kind="push", chat_id=1002, method="sendMessage",
            payload={"chat_id": 1002, "text": "可能已发出的提醒"}, now=bot.clock.now(), push=True,
        )
        assert row is not None
        row_id = row.id
    async with transaction(bot.services.factory) as session:
        assert await outbox_q.claim(session, row_id, "dead-process", bot.clock.now()) is not None
    await bot.crash()

    again = LocalBot(settings, bot.clock)
    cursor = again.local.outbox_cursor()
    await again.start()
    await again.stop()
    out = again.local.outbox_since(cursor)
    assert "可能已发出的提醒" not in texts(out)
    notices = [t for t in texts(out, 1) if "可能未送达" in t]
    assert len(notices) == 1 and f"#{row_id}" in notices[0]


async def test_handled_update_ids_are_pruned_after_seven_days(settings: Settings) -> None:
    bot = LocalBot(settings, clock())
    await bot.start()
    try:
        bot.local.send_text({"id": 1002}, "/start")
        await bot.wait_idle()
        await bot.walk_to(datetime(2019, 1, 16, 12, 0, tzinfo=TZ))
        async with transaction(bot.services.factory) as session:
            assert await session.scalar(select(func.count()).select_from(HandledUpdate)) == 1
        await bot.walk_to(datetime(2019, 1, 18, 4, 0, tzinfo=TZ))
        async with transaction(bot.services.factory) as session:
            assert await session.scalar(select(func.count()).select_from(HandledUpdate)) == 0
    finally:
        await bot.stop()
