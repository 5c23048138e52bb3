"""Running on real Telegram: migrate, then poll without dropping pending updates."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import InvalidToken, NetworkError

from bot.app import RunningBot, build_application
from bot.clock import WallClock
from bot.config import Settings
from storage.db import migrate

log = logging.getLogger(__name__)


async def serve(settings: Settings) -> None:
    await migrate(settings.database_url)
    app = build_application(settings, WallClock(settings.timezone))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # A webhook left by another deployment would make getUpdates fail; pending
    # updates are kept: they are what officials sent while the bot was down.
    await app.bot.delete_webhook(drop_pending_updates=False)
    async with RunningBot(app) as running:
        log.info("running on Telegram as @%s", app.bot.username)
        task = running.poller._task
        waiters = [loop.create_task(stop.wait())] + ([task] if task else [])
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)


def run_telegram(settings: Settings) -> int:
    try:
        asyncio.run(serve(settings))
    except InvalidToken:
        log.error("Telegram refused the token (TELEGRAM_BOT_TOKEN); check it with @BotFather")
        return 2
    except NetworkError as exc:
        # Officials in mainland China usually need RECTIBOT_PROXY or TELEGRAM_API_BASE_URL.
        log.error("cannot reach the Telegram Bot API (%s); set RECTIBOT_PROXY or TELEGRAM_API_BASE_URL", exc)
        return 1
    return 0
