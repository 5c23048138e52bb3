"""Photos, albums and documents as evidence; /evidence <task> sends a task's files back.

The download is the only Telegram call here: it happens before the turn opens, so a
slow file never holds a database transaction, and the bytes go to the service.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot import evidence, questions
from bot.i18n import normalize
from bot.services import Services
from bot.turns import Turn
from handlers.common import command_args, in_words, services_of
from handlers.reporting import with_services

log = logging.getLogger(__name__)


def _file_in(update: Update) -> evidence.FileIn | None:
    message = update.effective_message
    if message is None:
        return None
    reply = message.reply_to_message
    common: dict[str, Any] = {
        "caption": message.caption or "",
        "media_group_id": message.media_group_id,
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "update_id": update.update_id,
        "reply_to": reply.message_id if reply is not None else None,
    }
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return evidence.FileIn(
            kind="photo", file_id=largest.file_id, unique_id=largest.file_unique_id,
            name=f"{largest.file_unique_id}.jpg", mime="image/jpeg", size=largest.file_size or 0, **common,
        )
    document = message.document
    if document is None:
        return None
    return evidence.FileIn(
        kind="document", file_id=document.file_id, unique_id=document.file_unique_id,
        name=document.file_name or "", mime=document.mime_type, size=document.file_size or 0, **common,
    )


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    incoming = _file_in(update)
    if incoming is None:
        return
    data: bytes | None = None
    if evidence.refusal(incoming) is None:
        try:
            found = await context.bot.get_file(incoming.file_id)
            data = bytes(await found.download_as_bytearray())
        except TelegramError:
            log.warning("could not download %s", incoming.file_id, exc_info=True)

    async def run(turn: Turn) -> None:
        await evidence.on_file(services, turn, incoming, data)

    await services.run_turn(update, run)
    if incoming.media_group_id:
        user = update.effective_user
        lang = normalize(user.language_code if user else None, services.settings.locale)
        evidence.summarize_album_later(services, incoming.media_group_id, incoming.chat_id, lang)


@with_services
async def evidence_command(services: Services, turn: Turn) -> None:
    await evidence.send_back(services, turn, command_args(turn))


@with_services
async def evidence_in_words(services: Services, turn: Turn) -> None:
    if turn.in_group and turn.person is None and not turn.is_admin:
        return  # people talking in a group the bot does not know
    message = turn.update.effective_message
    text = (message.text or "") if message else ""
    ref = evidence.evidence_request(text)
    await evidence.send_back(services, turn, [ref] if ref else [], evidence.requested_kinds(text))


@with_services
async def unit_evidence_in_words(services: Services, turn: Turn) -> None:
    if turn.in_group and turn.person is None and not turn.is_admin:
        return
    message = turn.update.effective_message
    name = evidence.unit_evidence_request((message.text or "") if message else "")
    if turn.person is None and not turn.is_admin:
        await turn.reply(turn.tr("unbound.text"))
    elif name is None or not await evidence.unit_listing(turn, name):
        await questions.answer(turn)  # not a unit of the plan: asked as any question


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("evidence", evidence_command))
    application.add_handler(MessageHandler(in_words(evidence.evidence_request), evidence_in_words))
    application.add_handler(MessageHandler(in_words(evidence.unit_evidence_request), unit_evidence_in_words))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL), media))
