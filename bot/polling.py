"""Long polling that confirms an update only after it has been handled.

PTB's Updater asks for the next batch (and so confirms the current one) while the
current one is still being processed; a crash then loses what officials sent. Here
the next ``getUpdates`` offset moves past an update only once its turn committed, so
a crash means redelivery, and the handled-update record makes redelivery harmless.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)

App = Any  # telegram.ext.Application; kept loose to avoid its six type parameters here


class Poller:
    def __init__(self, app: App, *, timeout: int = 30, backoff_max: float = 60.0) -> None:
        self.app = app
        self.timeout = timeout
        self.backoff_max = backoff_max
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def _fetch(self) -> list[Update]:
        updates = await self.app.bot.get_updates(
            offset=self.offset,
            timeout=self.timeout,
            allowed_updates=Update.ALL_TYPES,
            read_timeout=self.timeout + 10,
        )
        return list(updates)

    async def run(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            try:
                updates = await self._fetch()
                delay = 1.0
            except RetryAfter as exc:
                retry = exc.retry_after
                await asyncio.sleep(retry if isinstance(retry, (int, float)) else retry.total_seconds())
                continue
            except Conflict:
                log.error("another process is polling with this token (409 Conflict); retrying")
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            except (TimedOut, NetworkError) as exc:
                log.warning("getUpdates failed: %s; retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            for update in updates:
                await self.app.update_queue.put(update)
                await self.app.update_queue.join()
                self.offset = update.update_id + 1

    def start(self) -> asyncio.Task[None]:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="rectibot-poller")
        return self._task

    async def stop(self) -> None:
        """Graceful stop: confirm what was handled so it is not delivered again."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self.offset is not None:
            try:
                await self.app.bot.get_updates(offset=self.offset, timeout=0, allowed_updates=Update.ALL_TYPES)
            except (NetworkError, TimedOut) as exc:
                log.warning("could not confirm the last updates: %s", exc)

    def kill(self) -> None:
        """Stop without confirming anything, as a crash would (for tests)."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
