"""The sender: 429 and 403 from Telegram, quiet hours, and two processes on one database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.clock import VirtualClock
from bot.config import Settings
from bot.delivery import in_quiet_hours
from bot.localbot import LocalBot, migrate
from storage import outbox as outbox_q
from storage.db import create_engine, session_factory, transaction
from storage.models import Outbox, TelegramUser
from tests.scenario import texts

TZ = ZoneInfo("Asia/Shanghai")
REPO = Path(__file__).resolve().parent.parent


async def queue_push(bot: LocalBot, key: str, chat: int, text: str) -> None:
    async with transaction(bot.services.factory) as session:
        await outbox_q.enqueue(
            session,
            key=key,
            kind="push",
            chat_id=chat,
            method="sendMessage",
            payload={"chat_id": chat, "text": text},
            now=bot.clock.now(),
            push=True,
        )


async def test_a_429_waits_and_resumes_without_loss_or_repeat(settings: Settings) -> None:
    bot = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 10, 0, tzinfo=TZ)))
    await bot.start()
    try:
        bot.local.send_text({"id": 1002}, "/start")
        await bot.wait_idle()
        # Beyond AIORateLimiter's three retries: the row goes back to the outbox.
        bot.local.inject_error("sendMessage", 429, retry_after=1, chat_id=1002, times=4)
        await queue_push(bot, "push:1002:a", 1002, "第一条提醒")
        await queue_push(bot, "push:1002:b", 1002, "第二条提醒")
        assert bot.services.sender is not None
        await bot.services.sender.deliver()
        async with transaction(bot.services.factory) as session:
            waiting = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
            )
        assert waiting >= 1
        bot.clock.advance(2)  # type: ignore[attr-defined]
        await bot.services.sender.deliver()
        await bot.services.sender.deliver()
    finally:
        await bot.stop()
    sent = texts(bot.local.outbox, 1002)
    assert sent.count("第一条提醒") == 1 and sent.count("第二条提醒") == 1
    assert sent.index("第一条提醒") < sent.index("第二条提醒")


async def test_one_429_is_retried_by_the_rate_limiter(settings: Settings) -> None:
    bot = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 10, 0, tzinfo=TZ)))
    await bot.start()
    try:
        bot.local.inject_error("sendMessage", 429, retry_after=1, times=1)
        bot.local.send_text({"id": 1002}, "/help")
        await bot.wait_idle()
    finally:
        await bot.stop()
    assert len(texts(bot.local.outbox, 1002)) == 1


async def test_a_403_marks_unreachable_and_tells_admins_once(settings: Settings) -> None:
    bot = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 10, 0, tzinfo=TZ)))
    await bot.start()
    try:
        bot.local.send_text({"id": 1}, "/start")
        bot.local.send_text({"id": 1002, "first_name": "李明"}, "/start")
        await bot.wait_idle()
        bot.local.block(1002)
        await queue_push(bot, "push:1002:1", 1002, "提醒一")
        await queue_push(bot, "push:1002:2", 1002, "提醒二")
        assert bot.services.sender is not None
        await bot.services.sender.deliver()
        async with transaction(bot.services.factory) as session:
            user = await session.get(TelegramUser, 1002)
            assert user is not None and user.reachable is False
            failed = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.status == "failed")
            )
        assert failed == 2
        notices = [t for t in texts(bot.local.outbox, 1) if "无法向" in t]
        assert len(notices) == 1 and "李明" in notices[0]
        # Any later private message from them clears it.
        bot.local.send_text({"id": 1002}, "好的")
        await bot.wait_idle()
        async with transaction(bot.services.factory) as session:
            user = await session.get(TelegramUser, 1002)
            assert user is not None and user.reachable is True
    finally:
        await bot.stop()


async def test_quiet_hours_hold_pushes_but_not_replies(settings: Settings) -> None:
    bot = LocalBot(settings, VirtualClock(datetime(2019, 1, 28, 22, 0, tzinfo=TZ)))
    await bot.start()
    try:
        bot.local.send_text({"id": 1002}, "/start")
        await bot.wait_idle()
        await queue_push(bot, "push:1002:night", 1002, "夜间不发")
        assert bot.services.sender is not None
        await bot.services.sender.deliver()
        assert "夜间不发" not in texts(bot.local.outbox, 1002)
        assert texts(bot.local.outbox, 1002)  # the /start reply went out at 22:00
        await bot.walk_to(datetime(2019, 1, 29, 8, 0, tzinfo=TZ))
    finally:
        await bot.stop()
    pushed = [o for o in bot.local.outbox if o.get("text") == "夜间不发"]
    assert len(pushed) == 1 and pushed[0]["at"].startswith("2019-01-29T08:00")


def test_quiet_hours_wrap_midnight() -> None:
    from datetime import time

    q = (time(21, 0), time(8, 0))
    assert in_quiet_hours(datetime(2019, 1, 1, 21, 0, tzinfo=TZ), *q)
    assert in_quiet_hours(datetime(2019, 1, 1, 3, 0, tzinfo=TZ), *q)
    assert not in_quiet_hours(datetime(2019, 1, 1, 8, 0, tzinfo=TZ), *q)
    assert not in_quiet_hours(datetime(2019, 1, 1, 20, 59, tzinfo=TZ), *q)


async def test_two_sender_processes_deliver_each_row_exactly_once(
    settings: Settings, env: dict[str, str]
) -> None:
    await migrate(settings)
    engine = create_engine(settings.database_url)
    groups = [-1000 - i for i in range(50)]
    now = datetime(2019, 1, 28, 10, 0, tzinfo=TZ)
    try:
        async with transaction(session_factory(engine)) as session:
            for n in range(1000):
                chat = groups[n % len(groups)]
                await outbox_q.enqueue(
                    session,
                    key=f"bulk:{n}",
                    kind="push",
                    chat_id=chat,
                    method="sendMessage",
                    payload={"chat_id": chat, "text": f"第{n}条"},
                    now=now,
                    push=True,
                )
    finally:
        await engine.dispose()

    async def worker(name: str) -> dict[str, object]:
        worker_env = {**os.environ, **env, "RECTIBOT_DATA_DIR": str(settings.data_dir / name)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.sender_worker",
            *map(str, groups),
            cwd=REPO,
            env=worker_env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()[-2000:]
        result: dict[str, object] = json.loads(out.decode().strip().splitlines()[-1])
        return result

    first, second = await asyncio.gather(worker("p1"), worker("p2"))
    a, b = set(first["sent"]), set(second["sent"])  # type: ignore[call-overload]
    assert not a & b
    assert len(a | b) == 1000
    assert first["delivered"] + second["delivered"] == 1000  # type: ignore[operator]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            counts = await outbox_q.counts(session)
    finally:
        await engine.dispose()
    assert counts == {"sent": 1000}
