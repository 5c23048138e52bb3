"""The real Application wired to the in-process local Bot API.

``simulate``, the console and the tests all run the bot this way; the only thing
missing compared with production is the network.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.app import LOCAL_TOKEN, RunningBot, build_application
from bot.clock import Clock
from bot.config import Settings
from bot.localapi import LocalBotAPI
from bot.scheduler import next_instants, tick
from bot.services import Services
from storage import db as storage_db

IDLE_SETTLE_ROUNDS = 3


async def migrate(settings: Settings) -> None:
    await storage_db.migrate(settings.database_url)


class LocalBot:
    def __init__(self, settings: Settings, clock: Clock, *, virtual: bool = True) -> None:
        self.settings = settings
        self.clock = clock
        self.virtual = virtual
        self.local = LocalBotAPI(settings.localapi_dir, clock, token=LOCAL_TOKEN)
        self.running: RunningBot | None = None

    @property
    def services(self) -> Services:
        assert self.running is not None, "the bot is not running"
        return self.running.services

    async def start(self) -> LocalBot:
        await migrate(self.settings)
        app = build_application(
            self.settings,
            self.clock,
            request=self.local.request(),
            updates_request=self.local.request(),
            virtual=self.virtual,
        )
        self.running = RunningBot(app, poll_timeout=1)
        await self.running.__aenter__()
        await self.wait_idle()
        return self

    async def stop(self) -> None:
        if self.running is not None:
            await self.running.__aexit__(None, None, None)
            self.running = None

    async def crash(self) -> None:
        """Die without confirming updates: the next start gets them again."""
        if self.running is not None:
            await self.running.crash()
            self.running = None

    async def wait_idle(self) -> None:
        """Until every queued update is fetched and handled and no background work is left."""
        assert self.running is not None
        app = self.running.app
        for _ in range(4000):
            if self.local.pending_updates() == 0:
                break
            await asyncio.sleep(0.005)
        else:
            raise RuntimeError("the bot stopped taking updates")
        settled = 0
        while settled < IDLE_SETTLE_ROUNDS:
            await app.update_queue.join()
            tasks = [t for t in self.services.background if not t.done()]
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
                settled = 0
                continue
            if self.local.pending_updates():
                await asyncio.sleep(0.005)
                settled = 0
                continue
            settled += 1
            await asyncio.sleep(0)

    async def walk_to(self, target: datetime) -> None:
        """Move a virtual clock to ``target``, firing every scheduled instant on the way."""
        set_clock = getattr(self.clock, "set", None)
        assert set_clock is not None, "walk_to needs a virtual clock"
        for instant in await next_instants(self.services, self.clock.now(), target):
            if instant > self.clock.now():
                set_clock(instant)
            await tick(self.services)
            await self.wait_idle()
        if target > self.clock.now():
            set_clock(target)
        await tick(self.services)
        await self.wait_idle()
