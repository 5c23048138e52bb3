"""Running on real Telegram: migrate, then poll without dropping pending updates."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import RunningBot, build_application
from bot.clock import WallClock
from bot.config import Settings
from storage.db import create_engine, upgrade

log = logging.getLogger(__name__)


async def migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def serve(settings: Settings) -> None:
    await migrate(settings)
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
    asyncio.run(serve(settings))
    return 0
