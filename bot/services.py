"""The application's services, shared by handlers, the scheduler and the command line.

Everything here is Telegram-free except the Sender's bot handle, so services run
the same under the real Application, ``simulate`` and plain unit tests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update

from bot.audit import Auditor
from bot.clock import Clock
from bot.config import Settings
from bot.delivery import Sender
from bot.i18n import normalize
from bot.turns import Turn
from storage import people
from storage import updates as updates_q
from storage.db import transaction

log = logging.getLogger(__name__)

TurnFn = Callable[[Turn], Awaitable[None]]


@dataclass
class Services:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    factory: async_sessionmaker[AsyncSession]
    sender: Sender | None = None
    extras: dict[str, object] = field(default_factory=dict)
    background: set[asyncio.Task[Any]] = field(default_factory=set)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run work after a turn (album grouping, …); simulate waits for these to be idle."""
        task = asyncio.get_running_loop().create_task(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task

    @property
    def auditor(self) -> Auditor:
        return Auditor(self.settings.audit_key, self.settings.data_dir)

    def is_configured_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admins

    async def run_turn(self, update: Update, fn: TurnFn) -> None:
        """Handle ``update`` exactly once: effects, handled id and replies in one commit."""
        redelivered = False
        turn: Turn | None = None
        try:
            async with transaction(self.factory) as session:
                if not await updates_q.mark_handled(session, update.update_id, self.clock.now()):
                    redelivered = True
                else:
                    turn = await self._open_turn(session, update)
                    await fn(turn)
        except Exception:
            log.exception("update %s failed; answering with an apology", update.update_id)
            turn = await self._apologise(update)
        if redelivered:
            log.info("update %s was already handled; resending unsent replies", update.update_id)
            if self.sender:
                await self.sender.deliver(update_id=update.update_id)
            return
        if turn is not None and self.sender and turn.outbox_ids:
            await self.sender.deliver(turn.outbox_ids)

    async def _open_turn(self, session: AsyncSession, update: Update) -> Turn:
        now = self.clock.now()
        tg_user = update.effective_user
        user = None
        person = None
        lang = self.settings.locale
        if tg_user is not None and not tg_user.is_bot:
            user, _first = await people.touch_user(
                session,
                tg_user.id,
                first_name=tg_user.first_name or "",
                username=tg_user.username,
                language=normalize(tg_user.language_code, self.settings.locale),
                now=now,
            )
            chat = update.effective_chat
            if chat is not None and chat.type == "private" and not user.reachable:
                # Any private message proves the person can be reached again.
                user.reachable = True
            lang = user.language or self.settings.locale
            person = await people.person_by_telegram(session, tg_user.id)
        is_admin = tg_user is not None and (
            self.is_configured_admin(tg_user.id) or (person is not None and "admin" in (person.roles or []))
        )
        return Turn(
            session=session, update=update, now=now, lang=lang, user=user, person=person, is_admin=is_admin
        )

    async def _apologise(self, update: Update) -> Turn | None:
        try:
            async with transaction(self.factory) as session:
                if not await updates_q.mark_handled(session, update.update_id, self.clock.now()):
                    return None
                turn = await self._open_turn(session, update)
                if update.effective_chat is not None:
                    await turn.reply(turn.tr("error.internal"))
                return turn
        except Exception:
            log.exception("could not record the failure of update %s", update.update_id)
            return None
