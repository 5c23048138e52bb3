"""Plan documents sent by an admin in private chat: preview, then Import or Cancel.

This handler sits in a handler group before the default one. A document it does not
take (a non-admin's, a reply, one captioned like a report, one of another type) goes
on to the evidence area untouched; one it takes stops there. The download is the only
Telegram call, made before the turn opens, after the size check (getFile refuses
files over 20 MB).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import import_chat
from handlers.common import services_of

log = logging.getLogger(__name__)

# Runs before the default group (0), where the evidence area takes every document.
GROUP = -10


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.document is None:
        return
    doc = message.document
    if not import_chat.wants(doc.file_name, message.caption):
        return
    services = services_of(context)
    if not await import_chat.is_admin(services, user.id):
        return
    size = doc.file_size or 0
    data: bytes | None = None
    if not import_chat.too_large(size):
        try:
            found = await context.bot.get_file(doc.file_id)
            data = bytes(await found.download_as_bytearray())
        except TelegramError:
            log.warning("could not download plan upload %s", doc.file_id, exc_info=True)
    upload = import_chat.Upload(
        file_name=doc.file_name or "", size=max(size, len(data or b"")), uploader=user.id,
        chat_id=message.chat_id, data=data,
    )
    await import_chat.receive(services, update, upload)
    raise ApplicationHandlerStop


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await import_chat.decide(services_of(context), update)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.Document.ALL & ~filters.REPLY,
            document,
        ),
        group=GROUP,
    )
    application.add_handler(CallbackQueryHandler(press, pattern=rf"^{import_chat.CALLBACK_KIND}:"))
