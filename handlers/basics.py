"""/start, /help, /language."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot import accounts
from bot.cancel import cancel_waiting
from bot.i18n import from_choice
from bot.small_talk import asks_for_help, help_topic, is_greeting
from bot.turns import Turn
from handlers.common import command_args, in_words, turn_handler


def _roles_text(turn: Turn, roles: tuple[str, ...]) -> str:
    return "、".join(turn.tr(f"role.{r}") for r in roles) if roles else turn.tr("role.none")


@turn_handler
async def start(turn: Turn) -> None:
    me = await accounts.identity(turn)
    if "admin" in me.roles and me.unit is None:
        await turn.reply(turn.tr("start.admin", name=me.name))
    elif "leader" in me.roles and "member" not in me.roles:
        await turn.reply(turn.tr("start.leader", name=me.name, **await turn.examples()))
    elif me.bound:
        await turn.reply(
            turn.tr("start.bound", name=me.name, unit=me.unit or turn.tr("unit.none"), roles=_roles_text(turn, me.roles))
        )
    else:
        greeting = f"，{me.name}" if turn.lang == "zh_CN" and me.name else (f", {me.name}" if me.name else "")
        await turn.reply(turn.tr("start.unbound", name=greeting))


@turn_handler
async def help_command(turn: Turn) -> None:
    me = await accounts.identity(turn)
    message = turn.update.effective_message
    said = (message.text or "") if message else ""
    topic = None if said.startswith("/") or not me.bound else help_topic(said)
    if topic is not None:
        await turn.reply(turn.tr(f"help.topic.{topic}", **await turn.examples()))
        return
    if "admin" in me.roles:
        key = "help.admin"
    elif "leader" in me.roles:
        key = "help.leader"
    elif me.bound:
        key = "help.member"
    else:
        key = "help.unbound"
    await turn.reply(turn.tr(key, **await turn.examples()))


@turn_handler
async def cancel(turn: Turn) -> None:
    user = turn.update.effective_user
    dropped = user is not None and await cancel_waiting(turn.session, user.id, turn.now)
    await turn.reply(turn.tr("cancel.done" if dropped else "cancel.nothing"))


@turn_handler
async def language(turn: Turn) -> None:
    args = command_args(turn)
    if not args:
        await turn.reply(turn.tr("language.current"))
        return
    lang = from_choice(args[0])
    if lang is None:
        await turn.reply(turn.tr("language.unknown"))
        return
    await accounts.set_language(turn.session, turn, lang)
    await turn.reply(turn.tr("language.changed"))


MAX_TEXT = 2000


class _TooLong(filters.MessageFilter):
    """Text no official types as a report; refused before any feature sees it."""

    def filter(self, message: Message) -> bool:
        return len(message.text or message.caption or "") > MAX_TEXT


@turn_handler
async def too_long(turn: Turn) -> None:
    message = turn.update.effective_message
    length = len((message.text or message.caption or "") if message else "")
    await turn.reply(turn.tr("fallback.too_long", length=length, limit=MAX_TEXT))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGES & _TooLong(), too_long))
    application.add_handler(CommandHandler("start", start, has_args=False))  # /start CODE: handlers/binding.py
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("language", language))
    application.add_handler(CommandHandler("cancel", cancel))
    # In words: help anywhere (it answers the asker's role), a greeting only in private.
    application.add_handler(MessageHandler(in_words(asks_for_help), help_command))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & in_words(is_greeting), start))
