"""Running on real Telegram: migrate, then poll without dropping pending updates."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.app import build_application
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


def run_telegram(settings: Settings) -> int:
    asyncio.run(migrate(settings))
    app = build_application(settings, WallClock(settings.timezone))
    log.info("starting on Telegram")
    # Never drop pending updates: they are what officials sent while the bot was down.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0
