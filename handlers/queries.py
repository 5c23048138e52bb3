"""/status, /overdue, /task, /unit, /mine, /export, /chart, /chase and their ``q:`` buttons.

/export, /chart, /chase and the digest also answer a message asking in words (导出台账, 催办1-17,
本旬通报), in private or in a group; a group sees what its registration allows.

Each handler reads its arguments, calls one service of the leaders' area (``bot.cards``,
``bot.questions``, ``bot.export``, ``bot.charts``, ``bot.chase``) and queues the answer.
Button data is parsed strictly and the view is rendered again for whoever pressed, so a
forged or forwarded button shows nothing its presser may not see.
"""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import cards, charts, chase, digest, export, pending, questions
from bot.cards import Viewer, ViewRef
from bot.services import Services
from bot.turns import Turn
from handlers.common import Callback, in_words, services_of, turn_handler


def _with_services(fn: Callable[[Turn, Services], Awaitable[None]]) -> Callback:
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = services_of(context)

        async def run(turn: Turn) -> None:
            await fn(turn, services)

        await services.run_turn(update, run)

    return callback


def _in_words(fn: Callable[[Turn, Services], Awaitable[None]]) -> Callable[[Turn, Services], Awaitable[None]]:
    """A request in words; in a group, only from someone the bot knows (the chat is not ours)."""

    async def run(turn: Turn, services: Services) -> None:
        if turn.in_group and turn.person is None and not turn.is_admin:
            return
        await fn(turn, services)

    return run


def _args_text(turn: Turn) -> str:
    message = turn.update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def _show(turn: Turn, ref: ViewRef) -> None:
    page = await cards.render(turn.session, Viewer.of(turn), ref)
    await turn.reply(page.text, buttons=page.buttons or None)


def _stamp(turn: Turn) -> str:
    return f"{turn.now:%Y%m%d}-{turn.update.update_id}"


@turn_handler
async def status(turn: Turn) -> None:
    await _show(turn, ViewRef("s"))


@turn_handler
async def overdue(turn: Turn) -> None:
    await _show(turn, ViewRef("o"))


@turn_handler
async def mine(turn: Turn) -> None:
    await _show(turn, ViewRef("m"))


@turn_handler
async def task(turn: Turn) -> None:
    page = await questions.task_page(turn.session, Viewer.of(turn), _args_text(turn))
    await turn.reply(page.text, buttons=page.buttons or None)


@turn_handler
async def history(turn: Turn) -> None:
    page = await questions.history_page(turn.session, Viewer.of(turn), _args_text(turn))
    await turn.reply(page.text, buttons=page.buttons or None)


@turn_handler
async def pending_command(turn: Turn) -> None:
    page = await pending.pending_page(turn.session, Viewer.of(turn))
    await turn.reply(page.text)


async def _answer(turn: Turn, services: Services) -> None:
    await questions.answer(turn)


async def _pending(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    page = await pending.pending_page(turn.session, Viewer.of(turn), (message.text or "") if message else "")
    await turn.reply(page.text)


@turn_handler
async def unit(turn: Turn) -> None:
    page = await questions.unit_page(turn.session, Viewer.of(turn), _args_text(turn))
    await turn.reply(page.text, buttons=page.buttons or None)


async def _export(turn: Turn, services: Services) -> None:
    result = await export.export_for(turn.session, Viewer.of(turn), Path(services.settings.data_dir), _stamp(turn))
    if isinstance(result, str):
        await turn.reply(result)
    else:
        await turn.send_file(str(result.path), caption=result.caption, document=True, filename=result.filename)


async def _chart(turn: Turn, services: Services) -> None:
    result = await charts.chart_for(turn.session, Viewer.of(turn), Path(services.settings.data_dir), _stamp(turn))
    if isinstance(result, str):
        await turn.reply(result)
    else:
        await turn.send_file(str(result.path), caption=result.caption)


async def _digest(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    asked = digest.digest_request(message.text or "") if message else None
    assert asked is not None
    roles = (*turn.roles, "admin") if turn.is_admin else tuple(turn.roles)
    text = await digest.digest_for(
        turn.session, roles=roles, person_id=turn.person.id if turn.person else None, kind=asked[0],
        previous=asked[1], tr=turn.tr, now=turn.now, part=digest.named_xun(message.text or "") if message else None,
    )
    await turn.reply(text if text is not None else turn.tr("q.digest.not_allowed"))


async def _chase_task(turn: Turn, services: Services, task_id: int) -> str:
    result = await chase.chase(
        turn.session, services.auditor, Viewer.of(turn), task_id, default_lang=services.settings.locale
    )
    turn.outbox_ids.extend(result.outbox_ids)
    return chase.describe(turn.tr, result, (await turn.examples())["ref"])


async def _chase(turn: Turn, services: Services) -> None:
    await _chase_words(turn, services, _args_text(turn))


async def _chase_in_words(turn: Turn, services: Services) -> None:
    message = turn.update.effective_message
    await _chase_words(turn, services, questions.chase_request(message.text or "") or "" if message else "")


async def _chase_words(turn: Turn, services: Services, words: str) -> None:
    viewer = Viewer.of(turn)
    if not viewer.known:
        await turn.reply(turn.tr("q.unbound"))
        return
    if not words.strip():
        await turn.reply(turn.tr("q.chase.usage", **await turn.examples()))
        return
    unit = await questions.unit_only(turn.session, words)
    if unit is not None:  # "催一下市交通运输局": chasing goes by task, not by a whole unit
        await turn.reply(turn.tr("q.chase.by_task", **{**await turn.examples(), "unit": html.escape(unit)}))
        return
    found = await questions.find_tasks(turn.session, viewer, words)
    if not found:
        await turn.reply(turn.tr("q.task.not_found", **await turn.examples()))
    elif len(found) > 1:
        page = questions.choose_page(viewer, found)
        await turn.reply(page.text, buttons=page.buttons)
    else:
        await turn.reply(await _chase_task(turn, services, found[0].id))


async def _press(turn: Turn, services: Services) -> None:
    query = turn.update.callback_query
    data = query.data if query is not None and isinstance(query.data, str) else ""
    chase_id = chase.parse_chase(data)
    if chase_id is not None:
        text = await _chase_task(turn, services, chase_id)
        await turn.answer_callback()
        await turn.reply(text)
        return
    ref = ViewRef.parse(data)
    if ref is None:
        await turn.answer_callback(turn.tr("q.error.stale"), alert=True)
        return
    page = await cards.render(turn.session, Viewer.of(turn), ref)
    await turn.answer_callback()
    message = query.message if query is not None else None
    if ref.kind == "k" or message is None:
        await turn.reply(page.text, buttons=page.buttons or None)
    else:
        await turn.edit(message.message_id, page.text, buttons=page.buttons or None)


@turn_handler
async def question(turn: Turn) -> None:
    await questions.answer(turn)


class _Question(filters.MessageFilter):
    """Text that reads as a question (used only while no reporting area takes all text)."""

    def filter(self, message: Any) -> bool:
        return bool(message.text) and questions.is_question(message.text)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("status", status))
    application.add_handler(CommandHandler("overdue", overdue))
    application.add_handler(CommandHandler("task", task))
    application.add_handler(CommandHandler("unit", unit))
    application.add_handler(CommandHandler("history", history))
    application.add_handler(CommandHandler("pending", pending_command))
    application.add_handler(CommandHandler("mine", mine))
    application.add_handler(CommandHandler("export", _with_services(_export)))
    application.add_handler(CommandHandler("chart", _with_services(_chart)))
    application.add_handler(CommandHandler("chase", _with_services(_chase)))
    for reads, answer in (
        (questions.asks_for_ledger, _export),
        (questions.asks_for_chart, _chart),
        (digest.digest_request, _digest),
        (questions.chase_request, _chase_in_words),
        (questions.asks_about_extensions, _answer),  # "有哪些单位申请了延期": decided ones too
        (questions.asks_about_signed_off, _answer),  # "销号了几个": a count, not a request to sign off
        (pending.asks_for_pending, _pending),
    ):
        application.add_handler(MessageHandler(in_words(reads), _with_services(_in_words(answer))))
    application.add_handler(CallbackQueryHandler(_with_services(_press), pattern=r"^q:"))
    if importlib.util.find_spec("handlers.reporting") is None:
        application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & _Question(), question)
        )
