"""销号 and /signoff (a unit asks to sign off its share), /closetask (admin closes for all), /reopen."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot import signoff
from bot.services import Services
from bot.turns import Turn
from handlers.common import command_args, in_words
from handlers.reporting import with_services


@with_services
async def request(services: Services, turn: Turn) -> None:
    message = turn.update.effective_message
    await signoff.request(services, turn, (message.text or "") if message else "")


@with_services
async def decide_in_words(services: Services, turn: Turn) -> None:
    message = turn.update.effective_message
    await signoff.decide_in_words(services, turn, (message.text or "") if message else "")


@with_services
async def confirm_return(services: Services, turn: Turn) -> None:
    await signoff.confirm_return(services, turn)


@with_services
async def file_on_behalf(services: Services, turn: Turn) -> None:
    await signoff.file_on_behalf(services, turn)


@with_services
async def close_task(services: Services, turn: Turn) -> None:
    await signoff.close_for_all(services, turn, command_args(turn))


@with_services
async def reopen(services: Services, turn: Turn) -> None:
    await signoff.reopen(services, turn, command_args(turn))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("signoff", request))
    application.add_handler(CommandHandler("closetask", close_task))
    application.add_handler(CommandHandler("reopen", reopen))
    application.add_handler(MessageHandler(in_words(signoff.decision_in_words), decide_in_words))
    application.add_handler(
        MessageHandler(in_words(signoff.asks_for_signoff), request)
    )
    application.add_handler(CallbackQueryHandler(confirm_return, pattern=rf"^{signoff.WORDS_CALLBACK}:"))
    application.add_handler(CallbackQueryHandler(file_on_behalf, pattern=rf"^{signoff.BEHALF_CALLBACK}:"))
