"""Reminder buttons (报告进展, 申请延期, 已阅, the admins' 批准/驳回), /mute, /remindtime, /pause,
and 申请延期 written in a message.

An answer to an extension prompt (the new date, the reason, a rejection reason) must reach
this area before the reporting flow reads it as progress, so a check runs in an earlier
handler group and stops the update there only when such a prompt is open.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import (
    extension_decisions,
    extensions,
    reminder_settings,
    reminder_words,
    reminders,
    reporting,
)
from bot.extensions import Outcome
from bot.services import Services
from bot.turns import Button, Turn
from handlers.common import Callback, command_args, in_words, services_of

PROMPT_GROUP = -1
LEAVE_GROUP = -2  # before the queries; an open extension prompt is left to PROMPT_GROUP
# Outcomes that only need a short toast on the button, not a message.
TOASTS = ("remind.acked",)


async def _answer(turn: Turn, outcome: Outcome) -> None:
    text = turn.tr(outcome.key, **outcome.params)
    if turn.update.callback_query is not None:
        if outcome.alert:
            await turn.answer_callback(text, alert=True)
            return
        if outcome.key in TOASTS:
            await turn.answer_callback(text)
            return
        await turn.answer_callback()
    await turn.reply(text)


async def _say(turn: Turn, said: reminder_words.Said) -> None:
    buttons: list[list[Button]] = [[(turn.tr(label), data) for label, data in row] for row in said.buttons]
    await turn.reply(turn.tr(said.key, **said.params), buttons=buttons or None)


def _with_services(fn: Callable[[Turn, Services], Awaitable[None]]) -> Callback:
    """Like ``turn_handler``, for services that also queue messages to others (admins, requesters)."""

    @functools.wraps(fn)
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = services_of(context)

        async def run(turn: Turn) -> None:
            await fn(turn, services)

        await services.run_turn(update, run)
        if services.sender is not None:
            # Notices to others (admins, the requester) are queued outside the turn's replies.
            await services.sender.deliver()

    return callback


@_with_services
async def extension_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    outcome = await extensions.request_from_chat(services, turn, (message.text or "") if message else "")
    if outcome is not None:
        await _answer(turn, outcome)


@_with_services
async def decision_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    cards = await extension_decisions.decide_in_words(
        turn.session, services, is_admin=turn.is_admin, text=(message.text or "") if message else "", lang=turn.lang,
    )
    for said in cards:
        await _say(turn, said)


@_with_services
async def extend_command(turn: Turn, services: Services) -> None:
    """/extend 1-17 3月31日 需补充第三方评估: the request of the push's button, typed."""
    args = command_args(turn)
    if not args:
        await turn.reply(turn.tr("remind.ext.usage", **await turn.examples()))
        return
    rest = " ".join(args[1:])
    outcome = await extensions.request_from_chat(services, turn, f"{args[0]}申请延期至{rest}" if rest else f"{args[0]}申请延期")
    if outcome is not None:
        await _answer(turn, outcome)


def _telegram_id(turn: Turn) -> int:
    user = turn.update.effective_user
    assert user is not None
    return user.id


@_with_services
async def button(turn: Turn, services: Services) -> None:
    query = turn.update.callback_query
    assert query is not None
    outcome = await reminders.press(
        turn.session, services, telegram_id=_telegram_id(turn), person=turn.person, roles=turn.roles,
        is_admin=turn.is_admin, data=query.data or "", now=turn.now, lang=turn.lang,
    )
    await _answer(turn, outcome)


@_with_services
async def prompt_answer(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    outcome = await extensions.take_text(
        turn.session, services, telegram_id=_telegram_id(turn), person=turn.person, roles=turn.roles,
        is_admin=turn.is_admin, text=(message.text or "") if message else "", now=turn.now, lang=turn.lang,
    )
    await _answer(turn, outcome or Outcome("remind.ext.cancelled"))


async def maybe_prompt_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = services_of(context)
    kind = await extensions.awaiting(services, user.id)
    if kind is None:
        return
    message = update.effective_message
    today = services.clock.now().astimezone(services.settings.timezone).date()
    if not extensions.answers_prompt(kind, (message.text or "") if message else "", today):
        await extensions.drop_prompt(services, user.id)
        return
    await prompt_answer(update, context)
    raise ApplicationHandlerStop


async def maybe_leave_to_extend(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"1-17能不能延期？" from a unit's member is a request, not a question about the task:
    taken ahead of the queries, which would answer it with the task's card."""
    user, message = update.effective_user, update.effective_message
    if user is None or user.is_bot or message is None or not extensions.asks_leave_to_extend(message.text or ""):
        return
    services = services_of(context)
    if await extensions.awaiting(services, user.id) is not None or not await extensions.may_ask_for_time(services, user.id):
        return
    await extension_in_words(update, context)
    raise ApplicationHandlerStop


@_with_services
async def mute(turn: Turn, services: Services) -> None:
    outcome = await reminder_settings.mute(
        turn.session, services, person=turn.person, roles=turn.roles, telegram_id=_telegram_id(turn),
        args=command_args(turn), now=turn.now,
    )
    await _answer(turn, outcome)


@_with_services
async def mute_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    asked = reminder_settings.mute_request((message.text or "") if message else "")
    if asked is None:
        return
    outcome = await reminder_settings.mute(
        turn.session, services, person=turn.person, roles=turn.roles, telegram_id=_telegram_id(turn),
        args=[asked[0], str(asked[1])], now=turn.now,
    )
    await _answer(turn, outcome)


@_with_services
async def remind_time(turn: Turn, services: Services) -> None:
    outcome = await reminder_settings.set_time(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn),
        args=command_args(turn), now=turn.now,
    )
    await _answer(turn, outcome)


@_with_services
async def pause(turn: Turn, services: Services) -> None:
    outcome = await reminder_settings.pause(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn), is_admin=turn.is_admin,
        args=command_args(turn), now=turn.now,
    )
    await _answer(turn, outcome)


@_with_services
async def pause_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    said = await reminder_words.pause_in_words(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn), is_admin=turn.is_admin,
        text=(message.text or "") if message else "", now=turn.now,
    )
    await _say(turn, said)


@_with_services
async def pause_pressed(turn: Turn, services: Services) -> None:
    query = turn.update.callback_query
    assert query is not None
    outcome = await reminder_words.confirm_pause(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn), is_admin=turn.is_admin,
        data=query.data or "", now=turn.now,
    )
    if outcome.alert:
        await turn.answer_callback(turn.tr(outcome.key, **outcome.params), alert=True)
        return
    await turn.answer_callback()
    message = turn.update.effective_message
    if message is not None:  # the proposal becomes its result, so it cannot be pressed again
        await turn.edit(message.message_id, turn.tr(outcome.key, **outcome.params))


@_with_services
async def time_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    outcome = await reminder_words.time_in_words(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn),
        text=(message.text or "") if message else "", now=turn.now,
    )
    await _answer(turn, outcome)


@_with_services
async def ack_in_words(turn: Turn, services: Services) -> None:
    """"收到" under today's push signs it; elsewhere it is small talk and gets its short word."""
    outcome = await reminder_words.ack_in_words(
        turn.session, services, person=turn.person, telegram_id=_telegram_id(turn), now=turn.now
    )
    if outcome is not None:
        await _answer(turn, outcome)
        return
    message = turn.update.effective_message
    await reporting.small_talk(turn, (message.text or "") if message else "")


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, maybe_prompt_answer),
        group=PROMPT_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, maybe_leave_to_extend),
        group=LEAVE_GROUP,
    )
    application.add_handler(CallbackQueryHandler(button, pattern=r"^r:"))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & in_words(extension_decisions.decision_words), decision_in_words)
    )
    application.add_handler(
        MessageHandler(in_words(extensions.asks_for_extension), extension_in_words)
    )
    application.add_handler(CommandHandler("extend", extend_command))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & in_words(reminder_settings.mute_request), mute_in_words)
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & in_words(reminder_words.pause_words), pause_in_words))
    application.add_handler(MessageHandler(private & in_words(reminder_words.time_words), time_in_words))
    application.add_handler(MessageHandler(private & in_words(reminder_words.ack_words), ack_in_words))
    application.add_handler(CallbackQueryHandler(pause_pressed, pattern=rf"^{reminder_words.PAUSE_CALLBACK}:"))
    application.add_handler(CommandHandler("mute", mute))
    application.add_handler(CommandHandler("remindtime", remind_time))
    application.add_handler(CommandHandler("pause", pause))
