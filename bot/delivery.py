"""The sender: delivers outbox rows and records what happened to each.

Rows are claimed (committed as "sending") before the Telegram call and marked "sent"
with the message id after it. A crash between the two leaves "sending", which the
next start reports to the admins instead of resending: a possibly lost message is
better than a duplicated order from the 整改办.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from bot.i18n import t
from storage import outbox as outbox_q
from storage import people
from storage.db import transaction
from storage.models import Outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def in_quiet_hours(now: datetime, start: time, end: time) -> bool:
    """Quiet hours may wrap midnight (21:00–08:00)."""
    current = now.timetz().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= current < end
    return current >= start or current < end


def _markup(payload: dict[str, Any], bot: Bot) -> InlineKeyboardMarkup | None:
    raw = payload.get("reply_markup")
    return InlineKeyboardMarkup.de_json(raw, bot) if raw else None


async def call(bot: Bot, method: str, payload: dict[str, Any]) -> int | None:
    """Perform one queued Bot API call; return the message id it produced, if any."""
    p = dict(payload)
    markup = _markup(p, bot)
    p.pop("reply_markup", None)
    if isinstance(p.get("reply_parameters"), dict):
        p["reply_parameters"] = ReplyParameters(**p["reply_parameters"])
    if method == "sendMessage":
        msg = await bot.send_message(reply_markup=markup, **p)
        return msg.message_id
    if method == "editMessageText":
        try:
            result = await bot.edit_message_text(reply_markup=markup, **p)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return int(p.get("message_id") or 0) or None
            raise
        return result.message_id if isinstance(result, Message) else p.get("message_id")
    if method == "editMessageReplyMarkup":
        try:
            await bot.edit_message_reply_markup(reply_markup=markup, **p)
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise
        return p.get("message_id")
    if method == "answerCallbackQuery":
        await bot.answer_callback_query(**p)
        return None
    if method == "sendPhoto":
        photo = await asyncio.to_thread(Path(p.pop("path")).read_bytes)
        msg = await bot.send_photo(photo=photo, reply_markup=markup, **p)
        return msg.message_id
    if method == "sendDocument":
        path = Path(p.pop("path"))
        filename = p.pop("filename", path.name)
        document = await asyncio.to_thread(path.read_bytes)
        msg = await bot.send_document(document=document, filename=filename, reply_markup=markup, **p)
        return msg.message_id
    if method == "sendMediaGroup":
        media: list[InputMediaPhoto | InputMediaDocument] = []
        for item in p.pop("media"):
            data = await asyncio.to_thread(Path(item["path"]).read_bytes)
            cls = InputMediaPhoto if item.get("type", "photo") == "photo" else InputMediaDocument
            media.append(cls(media=data, caption=item.get("caption"), parse_mode=item.get("parse_mode")))
        msgs = await bot.send_media_group(media=media, **p)
        return msgs[0].message_id if msgs else None
    raise ValueError(f"outbox method not supported: {method}")


class Sender:
    """Delivers pending rows; safe to run in several processes at once."""

    def __init__(
        self,
        bot: Bot,
        factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        quiet: tuple[time, time],
        admins: Sequence[int],
        default_lang: str,
    ) -> None:
        self.bot = bot
        self.factory = factory
        self.clock = clock
        self.quiet = quiet
        self.admins = tuple(admins)
        self.default_lang = default_lang
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def quiet_now(self) -> bool:
        return in_quiet_hours(self.clock.now(), *self.quiet)

    async def deliver(
        self, ids: Sequence[int] | None = None, *, update_id: int | None = None, limit: int = 500
    ) -> int:
        """Send what is pending (optionally only ``ids`` or one update's replies)."""
        sent = 0
        held: set[int] = set()
        while True:
            async with transaction(self.factory) as session:
                batch = await outbox_q.pending_ids(
                    session,
                    self.clock.now(),
                    include_push=not self.quiet_now(),
                    ids=ids,
                    update_id=update_id,
                    limit=limit,
                )
            if not batch:
                return sent
            progressed = False
            for row_id in batch:
                async with transaction(self.factory) as session:
                    row = await outbox_q.claim(session, row_id, self.worker, self.clock.now(), skip_chats=held)
                if row is None:
                    continue
                progressed = True
                result = await self._send(row)
                if result == "sent":
                    sent += 1
                elif result == "retry":
                    # Keep a chat's messages in order: nothing more to it until the wait is over.
                    held.add(row.chat_id)
            if not progressed or ids is not None or update_id is not None:
                # Targeted deliveries are one pass; rows put back for later stay for the loop.
                return sent

    async def _send(self, row: Outbox) -> str:
        try:
            message_id = await call(self.bot, row.method, row.payload)
        except RetryAfter as exc:
            retry = exc.retry_after if isinstance(exc.retry_after, timedelta) else timedelta(seconds=float(exc.retry_after))
            async with transaction(self.factory) as session:
                await outbox_q.mark(
                    session, row.id, "pending", now=self.clock.now(), not_before=self.clock.now() + retry,
                    error="retry_after",
                )
            return "retry"
        except Forbidden as exc:
            async with transaction(self.factory) as session:
                await outbox_q.mark(session, row.id, "failed", now=self.clock.now(), error=exc.message)
                if row.chat_id > 0:
                    await self._mark_unreachable(session, row.chat_id)
            return "failed"
        except (BadRequest, ValueError, OSError) as exc:
            log.warning("outbox row %s failed: %s", row.id, exc)
            async with transaction(self.factory) as session:
                await outbox_q.mark(session, row.id, "failed", now=self.clock.now(), error=str(exc))
            return "failed"
        except (NetworkError, TelegramError) as exc:
            status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            async with transaction(self.factory) as session:
                await outbox_q.mark(
                    session, row.id, status, now=self.clock.now(), error=str(exc),
                    not_before=self.clock.now() + timedelta(seconds=5 * row.attempts),
                )
            return "retry" if status == "pending" else "failed"
        async with transaction(self.factory) as session:
            await outbox_q.mark(session, row.id, "sent", now=self.clock.now(), message_id=message_id)
        return "sent"

    async def _mark_unreachable(self, session: AsyncSession, chat_id: int) -> None:
        user = await people.get_user(session, chat_id)
        if user is None or not user.reachable:
            return
        user.reachable = False
        person = await people.person_by_telegram(session, chat_id)
        name = person.name if person else (user.first_name or str(chat_id))
        now = self.clock.now()
        await notify_admins(
            session,
            self.admins,
            key=f"unreachable:{chat_id}:{now.isoformat()}",
            message="notify.unreachable",
            params={"name": name},
            now=now,
            default_lang=self.default_lang,
            skip={chat_id},
        )


async def notify_admins(
    session: AsyncSession,
    configured_admins: Sequence[int],
    *,
    key: str,
    message: str,
    params: dict[str, Any],
    now: datetime,
    default_lang: str,
    skip: set[int] | None = None,
) -> int:
    """Queue one notice per admin, in each admin's language, under ``key``."""
    queued = 0
    for admin in await people.admin_chat_ids(session, configured_admins):
        if skip and admin in skip:
            continue
        user = await people.get_user(session, admin)
        lang = (user.language if user and user.language else None) or default_lang
        row = await outbox_q.enqueue(
            session,
            key=f"{key}:{admin}",
            kind="admin_notice",
            chat_id=admin,
            method="sendMessage",
            payload={"chat_id": admin, "text": t(lang, message, **params), "parse_mode": "HTML"},
            now=now,
            push=True,
        )
        queued += row is not None
    return queued
