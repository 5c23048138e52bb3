"""Everything no feature handler took: stickers, voice, unknown commands, stray text."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, MessageHandler, filters

from bot.turns import Turn
from handlers.common import turn_handler


@turn_handler
async def unknown_command(turn: Turn) -> None:
    message = turn.update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "/"
    await turn.reply(turn.tr("fallback.unknown_command", command=command.split("@")[0]))


@turn_handler
async def sticker(turn: Turn) -> None:
    if not turn.in_group:
        await turn.reply(turn.tr("fallback.sticker"))


@turn_handler
async def voice(turn: Turn) -> None:
    if not turn.in_group:
        await turn.reply(turn.tr("fallback.voice"))


@turn_handler
async def location(turn: Turn) -> None:
    if not turn.in_group:
        await turn.reply(turn.tr("fallback.location"))


@turn_handler
async def unsupported(turn: Turn) -> None:
    if not turn.in_group:
        await turn.reply(turn.tr("fallback.unsupported"))


@turn_handler
async def text(turn: Turn) -> None:
    """Plain text nobody else claimed: explain, but never log noise as progress."""
    message = turn.update.effective_message
    body = (message.text or "") if message else ""
    if turn.in_group:
        return
    if not body.strip():
        await turn.reply(turn.tr("fallback.empty"))
    elif turn.person is None and not turn.is_admin:
        await turn.reply(turn.tr("unbound.text"))
    else:
        await turn.reply(turn.tr("report.hint", **await turn.examples()))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    new = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(new & filters.Sticker.ALL, sticker))
    application.add_handler(MessageHandler(new & (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE), voice))
    application.add_handler(MessageHandler(new & (filters.LOCATION | filters.VENUE), location))
    application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, text))
    application.add_handler(MessageHandler(new, unsupported))
