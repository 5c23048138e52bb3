"""Free-text progress reports, edited reports, /report (guided), and the admins' /movereport, /onbehalf."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import guided_report, reporting
from bot.intent import is_chitchat
from bot.services import Services
from bot.turns import Turn
from handlers.common import Callback, command_args, services_of


def incoming(turn: Turn) -> reporting.Incoming | None:
    message = turn.update.effective_message
    if message is None:
        return None
    reply = message.reply_to_message
    return reporting.Incoming(
        text=message.text or message.caption or "",
        chat_id=message.chat_id,
        message_id=message.message_id,
        update_id=turn.update.update_id,
        reply_to=reply.message_id if reply is not None else None,
    )


def with_services(fn: Callable[[Services, Turn], Awaitable[None]]) -> Callback:
    """A turn handler that also gets the services (the auditor, the matcher cache)."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = services_of(context)

        async def run(turn: Turn) -> None:
            await fn(services, turn)

        await services.run_turn(update, run)

    return callback


@with_services
async def text(services: Services, turn: Turn) -> None:
    msg = incoming(turn)
    if msg is None:
        return
    if turn.person is None and not turn.is_admin:
        if not turn.in_group:
            await turn.reply(turn.tr("unbound.text"))
        return
    await reporting.on_text(services, turn, msg)


@with_services
async def edited(services: Services, turn: Turn) -> None:
    msg = incoming(turn)
    if msg is not None and turn.person is not None:
        await reporting.on_edit(services, turn, msg)


@with_services
async def report_command(services: Services, turn: Turn) -> None:
    await guided_report.guided_start(services, turn)


@with_services
async def move_command(services: Services, turn: Turn) -> None:
    await reporting.move_report(services, turn, command_args(turn))


@with_services
async def behalf_command(services: Services, turn: Turn) -> None:
    msg = incoming(turn)
    if msg is not None:
        await reporting.report_on_behalf(services, turn, command_args(turn), msg)


GUIDE_GROUP = -3
"""Ahead of the other areas: "收到" or "好的" while /report waits for a step answers the
guide, not today's push or small talk."""


async def maybe_guided(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user, message = update.effective_user, update.effective_message
    if user is None or user.is_bot or message is None or not is_chitchat(message.text or ""):
        return
    if not await guided_report.waits_for(services_of(context), user.id, message.chat_id):
        return
    await text(update, context)
    raise ApplicationHandlerStop


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, maybe_guided), group=GUIDE_GROUP
    )
    application.add_handler(CommandHandler("report", report_command))
    application.add_handler(CommandHandler("movereport", move_command))
    application.add_handler(CommandHandler("onbehalf", behalf_command))
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND, edited)
    )
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, text))
