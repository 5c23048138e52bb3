"""Glue between PTB callbacks and our turns (one transaction per update)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, filters

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


class TextReads(filters.MessageFilter):
    """A text message that ``reads`` recognises: one filter for every request made in words
    (导出台账, 申请销号, 1-17申请延期…), each area bringing its own reading."""

    def __init__(self, reads: Callable[[str], object]) -> None:
        super().__init__()
        self.reads = reads

    def filter(self, message: Any) -> bool:
        return bool(message.text) and bool(self.reads(message.text))


def in_words(reads: Callable[[str], object]) -> filters.BaseFilter:
    """New text messages, not commands, that ``reads`` recognises."""
    return filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & TextReads(reads)


def command_args(turn: Turn) -> list[str]:
    message = turn.update.effective_message
    text = (message.text or "") if message else ""
    return text.split()[1:]
