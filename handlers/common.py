"""Glue between PTB callbacks and our turns (one transaction per update)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services
from bot.turns import Turn

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    services = context.bot_data["services"]
    assert isinstance(services, Services)
    return services


def turn_handler(fn: Callable[[Turn], Awaitable[Any]]) -> Callback:
    """Run ``fn`` inside the update's turn; PTB sees an ordinary callback."""

    @functools.wraps(fn)
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await services_of(context).run_turn(update, fn)

    return callback


def command_args(turn: Turn) -> list[str]:
    message = turn.update.effective_message
    text = (message.text or "") if message else ""
    return text.split()[1:]
