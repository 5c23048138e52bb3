"""Calls and results stay inside the Bot API spec (``api.min.json``, Bot API 10.0).

The local Bot API is only a faithful stand-in if it refuses what Telegram refuses and answers
what Telegram answers.  These tests check the checker itself, then run a session through
every method the bot uses and require zero violations in either direction.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Update,
)
from telegram.error import EndPointNotFound, NetworkError
from telegram.ext import CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.botapi_spec import SPEC_ENV, BotApiSpec, load_spec
from bot.clock import DEFAULT_TZ, VirtualClock
from bot.localapi import LocalBotAPI
from bot.localapi.core import JSON
from tests.test_localapi import (  # noqa: F401  (fixtures are used by name)
    ADMIN,
    TOKEN,
    no_network,
    png_bytes,
    running,
    timedelta_retry_after,
)

USED_METHODS = {
    "getMe", "getUpdates", "deleteWebhook", "getWebhookInfo", "setMyCommands",
    "getMyCommands", "deleteMyCommands", "sendMessage", "editMessageText",
    "editMessageReplyMarkup", "editMessageCaption", "deleteMessage", "answerCallbackQuery",
    "sendPhoto", "sendDocument", "sendMediaGroup", "sendChatAction", "getFile", "getChat",
    "close", "logOut",
}  # fmt: skip


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    loaded = load_spec()
    if loaded is None:
        if os.environ.get("RECTIBOT_REQUIRE_BOTAPI_SPEC"):
            pytest.fail("the Bot API spec is required (RECTIBOT_REQUIRE_BOTAPI_SPEC) but missing")
        pytest.skip(f"Bot API spec not found; set {SPEC_ENV}")
    return loaded


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(datetime(2026, 11, 23, 9, 0, tzinfo=DEFAULT_TZ))


@pytest.fixture
def api(tmp_path: Path, clock: VirtualClock, spec: BotApiSpec) -> Iterator[LocalBotAPI]:
    yield LocalBotAPI(tmp_path / "localapi", clock, token=TOKEN, spec=spec)


def _message(**extra: Any) -> JSON:
    return {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, **extra}


# ---------------------------------------------------------------------------- the checker


def test_spec_is_the_version_ptb_speaks(spec: BotApiSpec) -> None:
    assert spec.version == "Bot API 10.0"
    assert USED_METHODS <= set(spec.methods)


def test_calls_unknown_method_unknown_parameter_missing_required(spec: BotApiSpec) -> None:
    assert spec.check_call("sendMessage", {"chat_id": 1, "text": "x"}) == []
    assert spec.check_call("SENDMESSAGE", {"chat_id": "@chan", "text": "x"}) == []
    assert spec.check_call("sendMesage", {}) == ["sendMesage: no such Bot API method"]
    assert spec.check_call("sendMessage", {"chat_id": 1, "text": "x", "reply_to": 3}) == [
        "sendMessage: unknown parameter 'reply_to'"
    ]
    assert spec.check_call("sendMessage", {"chat_id": 1}) == [
        "sendMessage: required parameter 'text' missing"
    ]
    assert spec.check_call("sendMessage", {"chat_id": 1.5, "text": "x"}) == [
        "sendMessage.chat_id: expected Integer, got 1.5"
    ]


def test_call_parameters_are_checked_recursively(spec: BotApiSpec) -> None:
    good = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    assert spec.check_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": good}) == []
    bad = {"inline_keyboard": [[{"label": "a", "callback_data": "b"}]]}
    problems = spec.check_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": bad})
    assert any("unknown field 'label'" in p for p in problems)
    assert any("required field 'text' of InlineKeyboardButton missing" in p for p in problems)


def test_results_are_checked_recursively(spec: BotApiSpec) -> None:
    assert spec.check_result("sendMessage", _message(text="hi")) == []
    assert spec.check_result("sendMessage", {"message_id": 1, "date": 0, "chat": {"id": 1}}) == [
        "sendMessage().chat: required field 'type' of Chat missing"
    ]
    nested = _message(reply_to_message=_message(from_={"id": 1}))
    assert spec.check_result("sendMessage", nested) == [
        "sendMessage().reply_to_message: unknown field 'from_' for Message"
    ]
    no_name = _message(**{"from": {"id": 1, "is_bot": False}})
    assert spec.check_result("sendMessage", no_name) == [
        "sendMessage().from: required field 'first_name' of User missing"
    ]
    updates = [{"update_id": 1, "message": _message()}, {"update_id": "2"}]
    assert spec.check_result("getUpdates", updates) == [
        "getUpdates()[1].update_id: expected Integer, got '2'"
    ]
    assert spec.check_result("editMessageText", True) == []
    assert spec.check_result("editMessageText", _message(text="x")) == []
    assert spec.check_result("deleteMessage", "true") == [
        "deleteMessage(): expected Boolean, got 'true'"
    ]
    sizes = [{"file_id": "a", "file_unique_id": "b", "width": 1}]
    assert spec.check_result("sendPhoto", _message(photo=sizes)) == [
        "sendPhoto().photo[0]: required field 'height' of PhotoSize missing"
    ]


def test_abstract_types_accept_any_of_their_subtypes(spec: BotApiSpec) -> None:
    user = {"id": 1, "is_bot": False, "first_name": "A"}
    query = {"id": "1", "from": user, "chat_instance": "1", "data": "x", "message": _message()}
    assert spec.check_object("CallbackQuery", query) == []
    inaccessible = {"chat": {"id": 1, "type": "private"}, "message_id": 1, "date": 0}
    assert spec.check_object("CallbackQuery", {**query, "message": inaccessible}) == []
    assert spec.check_object("CallbackQuery", {**query, "message": {"date": 0}}) != []


def test_every_served_method_is_a_bot_api_method(spec: BotApiSpec) -> None:
    served = {name[len("_m_") :] for name in dir(LocalBotAPI) if name.startswith("_m_")}
    assert all(spec.method(name) is not None for name in served), served
    assert {m.lower() for m in USED_METHODS} <= served


def test_missing_spec_warns_and_the_local_api_still_serves(
    tmp_path: Path, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "absent" / "api.min.json"))
    with caplog.at_level(logging.WARNING, logger="bot.botapi_spec"):
        assert load_spec() is None
    assert "conformance checks are off" in caplog.text
    local = LocalBotAPI(tmp_path / "localapi", clock, token=TOKEN)
    assert local.spec is None
    local.send_text(ADMIN, "/start")
    status, body = asyncio.run(local.call("sendMessage", {"chat_id": ADMIN, "text": "ok"}))
    assert status == 200 and body["result"]["text"] == "ok"


# ---------------------------------------------------------------------------- strictness


async def test_strict_mode_refuses_and_records_what_telegram_would_not_accept(
    api: LocalBotAPI,
) -> None:
    api.send_text(ADMIN, "/start")
    status, body = await api.call("sendMessage", {"chat_id": ADMIN, "text": "x", "colour": "red"})
    assert status == 400 and "unknown parameter 'colour'" in body["description"]
    status, body = await api.call("sendMessage", {"chat_id": ADMIN})
    assert status == 400 and "required parameter 'text' missing" in body["description"]
    async with Bot(TOKEN, request=api.request()) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy", {"chat_id": ADMIN})
    assert len(api.violations) == 3
    with pytest.raises(AssertionError, match="colour"):
        api.assert_conformant()


async def test_strict_mode_catches_a_malformed_result(
    api: LocalBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.send_text(ADMIN, "/start")

    def broken_get_me(params: JSON) -> JSON:
        return {"id": 1, "is_bot": True}

    monkeypatch.setattr(api, "_m_getme", broken_get_me)
    with pytest.raises(NetworkError, match="first_name"):
        async with Bot(TOKEN, request=api.request()) as bot:
            await bot.get_me()
    assert api.violations == ["getMe(): required field 'first_name' of User missing"]


# ---------------------------------------------------------------------------- a full session


async def test_a_session_using_every_method_stays_inside_the_spec(
    api: LocalBotAPI, tmp_path: Path
) -> None:
    photo = tmp_path / "a.png"
    photo.write_bytes(png_bytes(32, 16))

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        await context.bot.send_chat_action(message.chat_id, "typing")
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="ok")]])
        await message.reply_text("<b>选择</b>", parse_mode="HTML", reply_markup=markup)

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.photo
        data = await (await message.photo[-1].get_file()).download_as_bytearray()
        sent = await message.reply_photo(bytes(data), caption="原图")
        await context.bot.edit_message_caption(message.chat_id, sent.message_id, caption="新说明")
        await message.reply_media_group(
            [
                InputMediaDocument(b"1", filename="a.txt"),
                InputMediaDocument(b"2", filename="b.txt", caption="两份"),
            ]
        )
        doc = await message.reply_document(b"x,y\n", filename="t.csv")
        await context.bot.delete_message(message.chat_id, doc.message_id)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer("收到", show_alert=True)
        await context.bot.edit_message_reply_markup(
            query.message.chat.id, query.message.message_id, reply_markup=None
        )
        await context.bot.edit_message_text(
            "已选择", query.message.chat.id, query.message.message_id
        )

    handlers = [
        MessageHandler(filters.TEXT, on_text),
        MessageHandler(filters.PHOTO, on_photo),
        CallbackQueryHandler(on_button),
    ]
    async with running(api, handlers) as app:
        bot = app.bot
        await bot.set_my_commands([BotCommand("start", "开始")], language_code="zh")
        await bot.get_my_commands(language_code="zh")
        await bot.delete_my_commands(language_code="zh")
        await bot.get_webhook_info()
        api.send_text(ADMIN, "开始")
        await asyncio.wait_for(api.wait_outbox(1), 5)
        api.press(ADMIN, "好")
        await asyncio.wait_for(api.wait_outbox(4), 5)
        api.send_photo(ADMIN, photo)
        records = await asyncio.wait_for(api.wait_outbox(9), 5)
        await bot.get_chat(ADMIN)
        await bot.log_out()
        await bot.close()
    assert [r.get("text", r.get("callback_answer")) for r in records] == [
        "选择",
        "收到",
        "选择",
        "已选择",
        "原图",
        "新说明",
        None,
        "两份",
        None,
    ]
    called = {method for method, _ in api.calls}
    assert USED_METHODS <= called, USED_METHODS - called
    assert api.violations == []
    for method, params in api.calls:
        assert api.spec is not None
        assert api.spec.check_call(method, params) == []
