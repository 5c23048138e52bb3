"""The local Bot API behaves like Telegram where the bot can tell the difference.

Every test drives the real PTB ``Application`` (or ``Bot``) through the local transport, so
what passes here exercises PTB's own encoding, error mapping, polling and rate limiting.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import types
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import telegram.ext._aioratelimiter as ptb_ratelimiter
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import DEFAULT_TZ, VirtualClock
from bot.localapi import LocalApiUsageError, LocalBotAPI
from bot.localapi.core import LONG_POLL_CAP

TOKEN = "123456:LOCAL"
ADMIN = 1001
MEMBER = 2001
GROUP = -100123

AnyApp = Application[Any, Any, Any, Any, Any, Any]
_LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


def _guarded(original: Callable[..., Any]) -> Callable[..., Any]:
    def connect(sock: socket.socket, address: Any, *args: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if not host.startswith(_LOOPBACK_PREFIXES):
                raise AssertionError(f"test tried to reach non-loopback address {address!r}")
        return original(sock, address, *args)

    return connect


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that would open a connection beyond loopback."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(socket.socket.connect_ex))
    yield


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB warns on every RetryAfter unless opted in to timedelta; warnings are errors here."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(datetime(2026, 11, 23, 9, 0, tzinfo=DEFAULT_TZ))


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "localapi"


@pytest.fixture
def api(state_dir: Path, clock: VirtualClock) -> Iterator[LocalBotAPI]:
    local = LocalBotAPI(state_dir, clock, token=TOKEN)
    yield local
    local.assert_conformant()


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A valid PNG, so PhotoSize dimensions come from a real header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def read_bytes(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def build_app(api: LocalBotAPI, rate_limiter: AIORateLimiter | None = None) -> AnyApp:
    """The Application exactly as production builds it, with only the transport swapped."""
    builder: Any = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    return builder.build()


@asynccontextmanager
async def running(
    api: LocalBotAPI,
    handlers: Sequence[BaseHandler[Any, Any, Any]],
    rate_limiter: AIORateLimiter | None = None,
) -> AsyncIterator[AnyApp]:
    app = build_app(api, rate_limiter)
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def outbox(api: LocalBotAPI, count: int) -> list[dict[str, Any]]:
    async with asyncio.timeout(5):
        return list(await api.wait_outbox(count))


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


# ---------------------------------------------------------------------------- basics


async def test_echo_through_real_application(api: LocalBotAPI, clock: VirtualClock) -> None:
    async with running(api, [MessageHandler(filters.TEXT, echo)]):
        api.send_text(ADMIN, "你好")
        api.send_text(MEMBER, "第一条")
        api.send_text(ADMIN, "再来")
        records = await outbox(api, 3)
        async with asyncio.timeout(5):
            await api.wait_confirmed()
    by_chat: dict[int, list[dict[str, Any]]] = {}
    for rec in records:
        by_chat.setdefault(rec["chat"], []).append(rec)
    assert [r["text"] for r in by_chat[ADMIN]] == ["echo: 你好", "echo: 再来"]
    assert [r["id"] for r in by_chat[ADMIN]] == [3, 4]
    assert [r["id"] for r in by_chat[MEMBER]] == [2]
    assert records[0] == {
        "id": records[0]["id"],
        "chat": records[0]["chat"],
        "text": records[0]["text"],
        "buttons": [],
        "urls": [],
        "photo": None,
        "document": None,
        "edited": False,
        "at": "2026-11-23T09:00:00+08:00",
    }
    called = {method for method, _ in api.calls}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= called
    assert api.is_idle() and api.pending_updates() == 0


async def test_bot_command_entities_as_telegram_sends_them(api: LocalBotAPI) -> None:
    update = api.send_text(ADMIN, "/start")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    update = api.send_text(ADMIN, "请看 /help@rectibot_local_bot 说明")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 3, "length": 24}]
    assert "entities" not in api.send_text(ADMIN, "a/b 不是命令")["message"]

    seen: list[str] = []

    async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text("ok")

    async with running(api, [CommandHandler(["start", "help"], on_command)]):
        api.send_text(ADMIN, "/help@rectibot_local_bot", chat_id=GROUP)
        api.send_text(ADMIN, "/help@some_other_bot", chat_id=GROUP)
        api.send_text(ADMIN, "/start")
        await outbox(api, 3)
        async with asyncio.timeout(5):
            await api.wait_confirmed()
    assert seen == ["/start", "/help@rectibot_local_bot", "/start"]


# ---------------------------------------------------------------------------- buttons


async def test_press_finds_buttons_and_callback_answers_are_logged(
    api: LocalBotAPI, clock: VirtualClock
) -> None:
    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("✅ 确认收到", callback_data="ack:1"),
                    InlineKeyboardButton("稍后", callback_data="later:1"),
                ],
                [InlineKeyboardButton("打开台账", url="https://example.org/ledger")],
            ]
        )
        await update.effective_message.reply_text("请确认", reply_markup=keyboard)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"已记录 {query.data}", show_alert=query.data == "later:1")
        await query.edit_message_text(f"完成: {query.data}")

    async with running(api, [CommandHandler("menu", menu), CallbackQueryHandler(on_button)]):
        api.send_text(ADMIN, "/menu")
        first = (await outbox(api, 1))[0]
        assert first["buttons"] == ["✅ 确认收到", "稍后", "打开台账"]
        assert first["urls"] == [None, None, "https://example.org/ledger"]
        update = api.press(ADMIN, "确认")
        assert update["callback_query"]["data"] == "ack:1"
        records = await outbox(api, 3)
    answer, edited = records[1], records[2]
    assert answer == {
        "callback_answer": "已记录 ack:1",
        "alert": False,
        "chat": ADMIN,
        "at": "2026-11-23T09:00:00+08:00",
    }
    assert edited["edited"] is True and edited["id"] == first["id"]
    assert edited["text"] == "完成: ack:1" and edited["buttons"] == []
    with pytest.raises(LocalApiUsageError, match=r"(?i)no button containing"):
        api.press(ADMIN, "确认")
    with pytest.raises(LocalApiUsageError, match=r"(?i)no button containing"):
        api.press(MEMBER, "确认")


async def test_press_refuses_url_buttons_and_forged_callbacks_reach_the_bot(
    api: LocalBotAPI,
) -> None:
    answers: list[str | None] = []

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        answers.append(update.callback_query.data)
        await update.callback_query.answer()

    async with running(api, [CallbackQueryHandler(on_button)]) as app:
        api.send_text(ADMIN, "hi")
        msg = await app.bot.send_message(
            ADMIN,
            "链接",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("台账", url="https://x.org")]]
            ),
        )
        with pytest.raises(LocalApiUsageError, match=r"(?i)no callback data"):
            api.press(ADMIN, "台账")
        api.callback(ADMIN, "forged:999", msg.message_id)
        records = await outbox(api, 2)
    assert answers == ["forged:999"]
    assert records[1]["callback_answer"] is None and records[1]["chat"] == ADMIN


async def test_answering_a_callback_twice_or_late_is_refused(
    api: LocalBotAPI, clock: VirtualClock
) -> None:
    api.send_text(ADMIN, "hi")
    async with Bot(TOKEN, request=api.request()) as bot:
        msg = await bot.send_message(
            ADMIN,
            "x",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]]),
        )
        q1 = api.press(ADMIN, "a")["callback_query"]["id"]
        assert await bot.answer_callback_query(q1)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(q1)
        q2 = api.callback(ADMIN, "a", msg.message_id)["callback_query"]["id"]
        clock.advance(120)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(q2)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query("nonsense")


# ---------------------------------------------------------------------------- files


async def test_files_in_and_out(api: LocalBotAPI, tmp_path: Path) -> None:
    photo = tmp_path / "现场.png"
    photo.write_bytes(png_bytes(640, 480))
    pdf = tmp_path / "整改报告.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake report")
    downloaded: dict[str, bytes] = {}

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.photo
        file = await message.photo[-1].get_file()
        downloaded["photo"] = bytes(await file.download_as_bytearray())
        await message.reply_photo(downloaded["photo"], caption="收到照片")
        await message.reply_document(b"col1,col2\n1,2\n", filename="台账.csv", caption="台账")
        await message.reply_media_group(
            [
                InputMediaPhoto(downloaded["photo"], caption="一"),
                InputMediaPhoto(message.photo[-1].file_id),
            ]
        )

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.document
        file = await message.document.get_file()
        target = await file.download_to_drive(tmp_path / "got.pdf")
        downloaded["document"] = read_bytes(target)
        await message.reply_text(f"文件 {message.document.file_name}")

    handlers = [
        MessageHandler(filters.PHOTO, on_photo),
        MessageHandler(filters.Document.ALL, on_document),
    ]
    async with running(api, handlers):
        update = api.send_photo(ADMIN, photo, caption="整改前后对比")
        sizes = update["message"]["photo"]
        assert [(s["width"], s["height"]) for s in sizes] == [(90, 68), (320, 240), (640, 480)]
        records = await outbox(api, 4)
        api.send_document(ADMIN, pdf)
        records = await outbox(api, 5)
    assert downloaded == {"photo": read_bytes(photo), "document": read_bytes(pdf)}
    photo_rec, doc_rec, group1, group2, reply = records
    assert photo_rec["text"] == "收到照片" and read_bytes(photo_rec["photo"]) == read_bytes(photo)
    assert doc_rec["text"] == "台账" and Path(doc_rec["document"]).name == "台账.csv"
    assert read_bytes(doc_rec["document"]) == b"col1,col2\n1,2\n"
    assert (group1["text"], group2["text"]) == ("一", None)
    assert group2["id"] == group1["id"] + 1 and group1["photo"] and group2["photo"]
    assert reply["text"] == "文件 整改报告.pdf"
    for rec in records:
        assert rec["photo"] is None or Path(rec["photo"]).is_relative_to(api.state_dir)


async def test_album_is_several_updates_sharing_a_media_group(
    api: LocalBotAPI, tmp_path: Path
) -> None:
    paths = []
    for i in range(3):
        p = tmp_path / f"p{i}.png"
        p.write_bytes(png_bytes(10 + i, 10))
        paths.append(p)
    updates = api.send_album(MEMBER, paths, caption="三张现场照片")
    groups = {u["message"]["media_group_id"] for u in updates}
    assert len(groups) == 1
    assert [u["message"].get("caption") for u in updates] == ["三张现场照片", None, None]
    assert [u["update_id"] for u in updates] == [1, 2, 3]
    assert api.pending_updates() == 3


async def test_sticker_voice_location_and_edits_arrive_as_telegram_sends_them(
    api: LocalBotAPI,
) -> None:
    kinds: list[str] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        if update.edited_message:
            kinds.append(f"edited:{message.text}")
        elif message.sticker:
            kinds.append("sticker")
        elif message.voice:
            kinds.append("voice")
        elif message.location:
            kinds.append("location")
        else:
            kinds.append(f"text:{message.text}")
        await message.reply_text("ok")

    async with running(api, [MessageHandler(filters.ALL, record)]):
        first = api.send_text(ADMIN, "进度 50%")
        api.send_sticker(ADMIN)
        api.send_voice(ADMIN, duration=4)
        api.send_location(ADMIN)
        api.edit_text(ADMIN, first["message"]["message_id"], "进度 60%")
        await outbox(api, 5)
    assert kinds == ["text:进度 50%", "sticker", "voice", "location", "edited:进度 60%"]
    with pytest.raises(LocalApiUsageError):
        api.edit_text(MEMBER, first["message"]["message_id"], "not mine")


# ---------------------------------------------------------------------------- updates


async def test_offset_confirmation_and_redelivery_after_restart(
    state_dir: Path, clock: VirtualClock
) -> None:
    api = LocalBotAPI(state_dir, clock, token=TOKEN)
    api.send_text(ADMIN, "一")
    api.send_text(ADMIN, "二")
    async with Bot(TOKEN, request=api.request(), get_updates_request=api.request()) as bot:
        got = await bot.get_updates(timeout=0)
        assert [u.update_id for u in got] == [1, 2]
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [1, 2], "fetched is not confirmed"
        await bot.get_updates(offset=2, timeout=0)
    assert api.pending_updates() == 1
    api.assert_conformant()

    restarted = LocalBotAPI(state_dir, clock, token=TOKEN)
    assert restarted.pending_updates() == 1
    async with Bot(
        TOKEN, request=restarted.request(), get_updates_request=restarted.request()
    ) as bot:
        redelivered = await bot.get_updates(timeout=0)
        assert [(u.update_id, u.message and u.message.text) for u in redelivered] == [(2, "二")]
        restarted.send_text(ADMIN, "三")
        fresh = await bot.get_updates(offset=3, timeout=0)
        assert [u.update_id for u in fresh] == [3]
        await bot.get_updates(offset=4, timeout=0)
    assert restarted.is_idle()
    restarted.assert_conformant()


async def test_restart_keeps_update_ids_started_users_and_message_ids(
    state_dir: Path, clock: VirtualClock
) -> None:
    first = LocalBotAPI(state_dir, clock, token=TOKEN)
    async with running(first, [MessageHandler(filters.TEXT, echo)]):
        first.send_text(ADMIN, "/start")
        first.send_text(MEMBER, "在群里说话", chat_id=GROUP)
        await outbox(first, 2)
        async with asyncio.timeout(5):
            await first.wait_confirmed()
    first.assert_conformant()

    second = LocalBotAPI(state_dir, clock, token=TOKEN)
    assert second.is_idle()
    update = second.send_text(ADMIN, "又来了")
    assert update["update_id"] == 3
    assert update["message"]["message_id"] == 3
    async with Bot(TOKEN, request=second.request()) as bot:
        sent = await bot.send_message(ADMIN, "重启后主动推送")
        assert sent.message_id == 4
        with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
            await bot.send_message(MEMBER, "你没有点过 /start")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "陌生人")
        group_msg = await bot.send_message(GROUP, "群通知")
        assert group_msg.message_id == 3
        second.block(ADMIN)
        with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
            await bot.send_message(ADMIN, "被拉黑")
    second.send_text(ADMIN, "我又回来了")
    async with Bot(TOKEN, request=second.request()) as bot:
        assert (await bot.send_message(ADMIN, "好的")).message_id == 6
    second.assert_conformant()


async def test_long_poll_returns_at_once_when_an_update_arrives(api: LocalBotAPI) -> None:
    loop = asyncio.get_running_loop()
    async with Bot(TOKEN, request=api.request(), get_updates_request=api.request()) as bot:
        started = loop.time()
        assert await bot.get_updates(timeout=30) == ()
        assert loop.time() - started <= LONG_POLL_CAP + 0.3
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0)
        api.send_text(ADMIN, "来了")
        async with asyncio.timeout(LONG_POLL_CAP + 0.3):
            got = await poll
        assert [u.effective_message.text for u in got if u.effective_message] == ["来了"]


async def test_two_pollers_conflict(api: LocalBotAPI) -> None:
    async with Bot(TOKEN, request=api.request(), get_updates_request=api.request()) as bot:
        first = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        second = asyncio.create_task(bot.get_updates(timeout=30))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
            await first
        assert await second == ()


async def test_drop_pending_updates_discards_the_queue(api: LocalBotAPI) -> None:
    api.send_text(ADMIN, "会被丢掉")
    async with Bot(TOKEN, request=api.request()) as bot:
        assert (await bot.get_webhook_info()).pending_update_count == 1
        assert await bot.delete_webhook(drop_pending_updates=True)
    assert api.is_idle()


# ---------------------------------------------------------------------------- limits


async def test_text_limits_and_html_validation(api: LocalBotAPI) -> None:
    api.send_text(ADMIN, "/start")
    async with Bot(TOKEN, request=api.request()) as bot:
        assert (await bot.send_message(ADMIN, "字" * 4096)).text == "字" * 4096
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(ADMIN, "字" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(ADMIN, "😀" * 2049)
        tagged = "<b>" + "字" * 4096 + "</b>"
        assert (await bot.send_message(ADMIN, tagged, parse_mode="HTML")).text == "字" * 4096
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(ADMIN, "  \n ")
        for bad, why in [
            ("a < b", 'Unsupported start tag ""'),
            ("<b>粗体", 'Can\'t find end tag corresponding to start tag "b"'),
            ("<b>x</i>", "Unmatched end tag"),
            ("<div>x</div>", 'Unsupported start tag "div"'),
            ("x</b>", "Unexpected end tag"),
            ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
        ]:
            with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as err:
                await bot.send_message(ADMIN, bad, parse_mode="HTML")
            assert why.lower() in str(err.value).lower()
        ok = await bot.send_message(
            ADMIN,
            '😀<b>逾期</b> &lt;3&gt; <a href="https://x.org/?a=1&amp;b=2">台账</a>',
            parse_mode="HTML",
        )
        assert ok.text == "😀逾期 <3> 台账"
        assert [(e.type, e.offset, e.length, e.url) for e in ok.entities] == [
            ("bold", 2, 2, None),
            ("text_link", 9, 2, "https://x.org/?a=1&b=2"),
        ]
        with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
            await bot.send_photo(ADMIN, png_bytes(), caption="字" * 1025)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "😀逾期 <3> 台账", ADMIN, ok.message_id, entities=ok.entities
            )
        edited = await bot.edit_message_text("已更新", ADMIN, ok.message_id)
        assert isinstance(edited, type(ok)) and edited.edit_date is not None
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("x", ADMIN, 9999)
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(
                ADMIN,
                "x",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("b", callback_data="d" * 65)]]
                ),
            )
        assert await bot.delete_message(ADMIN, ok.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(ADMIN, ok.message_id)


async def test_flood_limits_on_the_virtual_clock(api: LocalBotAPI, clock: VirtualClock) -> None:
    users = list(range(3001, 3032))
    for uid in users:
        api.send_text(uid, "/start")
    api.add_group(GROUP)
    async with Bot(TOKEN, request=api.request()) as bot:
        for i in range(5):
            await bot.send_message(users[0], f"burst {i}")
        with pytest.raises(RetryAfter) as err:
            await bot.send_message(users[0], "too fast")
        assert err.value.retry_after == timedelta(seconds=1)
        clock.advance(1)
        await bot.send_message(users[0], "after one second")

        for i in range(20):
            await bot.send_message(GROUP, f"群 {i}")
            clock.advance(0.05)
        with pytest.raises(RetryAfter) as err:
            await bot.send_message(GROUP, "群 21")
        assert err.value.retry_after == timedelta(seconds=2)

        clock.advance(60)
        for uid in users[:30]:
            await bot.send_message(uid, "overall")
        with pytest.raises(RetryAfter):
            await bot.send_message(users[30], "the 31st in one second")
        clock.advance(1)
        await bot.send_message(users[30], "next second")


async def test_rate_limiter_retries_through_flood_on_the_bot_clock(
    api: LocalBotAPI, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AIORateLimiter sleeps on the event loop; here its retry wait must pass on the virtual
    # clock the local Bot API counts on, as it would pass in real time in production.
    virtual_asyncio = types.SimpleNamespace(**vars(asyncio))
    virtual_asyncio.sleep = clock.sleep
    monkeypatch.setattr(ptb_ratelimiter, "asyncio", virtual_asyncio)

    async def burst(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        for i in range(8):
            await update.effective_message.reply_text(f"第 {i + 1} 条")

    start = clock.monotonic()
    async with running(api, [MessageHandler(filters.TEXT, burst)], AIORateLimiter(max_retries=3)):
        api.send_text(ADMIN, "开始")
        records = await outbox(api, 8)
    assert [r["text"] for r in records] == [f"第 {i + 1} 条" for i in range(8)]
    assert clock.monotonic() - start >= 3
    assert records[-1]["at"] > records[0]["at"]


async def test_forced_429_is_retried_and_forced_403_surfaces(api: LocalBotAPI) -> None:
    api.inject_error("sendMessage", 429, retry_after=1)
    async with running(api, [MessageHandler(filters.TEXT, echo)], AIORateLimiter(max_retries=3)):
        api.send_text(ADMIN, "重试我")
        records = await outbox(api, 1)
    assert records[0]["text"] == "echo: 重试我"
    api.inject_error("sendMessage", 403, chat_id=ADMIN)
    async with Bot(TOKEN, request=api.request()) as bot:
        with pytest.raises(Forbidden, match=r"(?i)blocked"):
            await bot.send_message(ADMIN, "x")
        await bot.send_message(ADMIN, "the injection was used up")


# ---------------------------------------------------------------------------- bot setup


async def test_commands_chat_and_identity(api: LocalBotAPI) -> None:
    from telegram import BotCommand, BotCommandScopeAllPrivateChats

    api.send_text(ADMIN, "hi")
    api.add_group(GROUP, "整改办工作群")
    async with Bot(TOKEN, request=api.request()) as bot:
        me = await bot.get_me()
        assert (me.id, me.username, me.can_read_all_group_messages) == (
            123456,
            "rectibot_local_bot",
            True,
        )
        scope = BotCommandScopeAllPrivateChats()
        assert await bot.set_my_commands([BotCommand("start", "开始")], scope=scope)
        assert await bot.set_my_commands(
            [BotCommand("start", "Start")], scope=scope, language_code="en"
        )
        assert [c.description for c in await bot.get_my_commands(scope=scope)] == ["开始"]
        assert [
            c.description for c in await bot.get_my_commands(scope=scope, language_code="en")
        ] == ["Start"]
        assert api.my_commands({"type": "all_private_chats"}, "en") == [
            {"command": "start", "description": "Start"}
        ]
        with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand("Bad-Name", "x")])
        assert await bot.delete_my_commands(scope=scope, language_code="en")
        assert await bot.get_my_commands(scope=scope, language_code="en") == ()
        chat = await bot.get_chat(GROUP)
        assert (chat.type, chat.title) == ("supergroup", "整改办工作群")
        assert (await bot.get_chat(ADMIN)).type == "private"
        assert await bot.send_chat_action(ADMIN, "typing")
        with pytest.raises(BadRequest):
            await bot.get_file("no-such-file")
        assert await bot.log_out() and await bot.close()


async def test_wrong_token_is_unauthorized(api: LocalBotAPI) -> None:
    from telegram.error import InvalidToken

    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", request=api.request()) as bot:
            await bot.get_me()


async def test_markdown_modes_fail_as_telegram_does(api: LocalBotAPI) -> None:
    api.send_text(ADMIN, "/start")
    async with Bot(TOKEN, request=api.request()) as bot:
        with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
            await bot.send_message(ADMIN, "完成率 50%.", parse_mode="MarkdownV2")
        ok = await bot.send_message(
            ADMIN, r"*逾期* 3 天\. [台账](https://x.org)", parse_mode="MarkdownV2"
        )
        assert ok.text == "逾期 3 天. 台账"
        assert [(e.type, e.offset, e.length) for e in ok.entities] == [
            ("bold", 0, 2),
            ("text_link", 8, 2),
        ]
        with pytest.raises(BadRequest, match=r"(?i)can't find end of italic entity"):
            await bot.send_message(ADMIN, r"_未闭合", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match=r"(?i)can't find end of the entity"):
            await bot.send_message(ADMIN, "a*b", parse_mode="Markdown")
        assert (await bot.send_message(ADMIN, "1.5-2 *b*", parse_mode="Markdown")).text == "1.5-2 b"


async def test_bots_cannot_download_files_over_20_mb(api: LocalBotAPI, tmp_path: Path) -> None:
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"\0" * (20 * 1024 * 1024 + 1))
    small = tmp_path / "小.pdf"
    small.write_bytes(b"%PDF small")
    big_id = api.send_document(MEMBER, big)["message"]["document"]["file_id"]
    small_id = api.send_document(MEMBER, small)["message"]["document"]["file_id"]
    async with Bot(TOKEN, request=api.request()) as bot:
        with pytest.raises(BadRequest, match=r"(?i)file is too big"):
            await bot.get_file(big_id)
        file = await bot.get_file(small_id)
        assert bytes(await file.download_as_bytearray()) == b"%PDF small"


async def test_message_ids_survive_a_crash_before_the_state_file_was_written(
    state_dir: Path, clock: VirtualClock
) -> None:
    api = LocalBotAPI(state_dir, clock, token=TOKEN)
    api.send_text(ADMIN, "/start")
    stale_state = (state_dir / "state.json").read_bytes()
    async with Bot(TOKEN, request=api.request()) as bot:
        assert (await bot.send_message(ADMIN, "a")).message_id == 2
    (state_dir / "state.json").write_bytes(stale_state)
    with (state_dir / "messages.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"chat_id": 1001, "message_id": 3, "mess')
    restarted = LocalBotAPI(state_dir, clock, token=TOKEN)
    async with Bot(TOKEN, request=restarted.request()) as bot:
        assert (await bot.send_message(ADMIN, "b")).message_id == 3
    async with Bot(
        TOKEN, request=restarted.request(), get_updates_request=restarted.request()
    ) as bot:
        restarted.inject_error("*", 400, "Bad Request: forced")
        assert [u.update_id for u in await bot.get_updates(timeout=0)] == [1]
        with pytest.raises(BadRequest, match="Forced"):
            await bot.send_message(ADMIN, "c")
    restarted.assert_conformant()


async def test_delete_rules(api: LocalBotAPI, clock: VirtualClock) -> None:
    mine = api.send_text(ADMIN, "私聊里用户的消息")["message"]["message_id"]
    in_group = api.send_text(MEMBER, "群里别人的消息", chat_id=GROUP)["message"]["message_id"]
    async with Bot(TOKEN, request=api.request()) as bot:
        assert await bot.delete_message(ADMIN, mine)
        with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
            await bot.delete_message(GROUP, in_group)
        old = await bot.send_message(GROUP, "两天前")
        clock.advance(48 * 3600 + 1)
        with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
            await bot.delete_message(GROUP, old.message_id)
        assert await bot.edit_message_text("旧消息仍可编辑", GROUP, old.message_id)
