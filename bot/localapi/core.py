"""The Telegram side of the local Bot API: updates, chats, messages, files, limits.

``simulate``, the console and the tests run the real python-telegram-bot Application; only
the HTTP transport is replaced (see :mod:`bot.localapi.request`).  Everything Telegram would
remember lives here and is persisted under ``state_dir`` so that a second process on the same
directory is the same Telegram seen by a restarted bot: update ids continue, unconfirmed
updates are redelivered, users who pressed /start can still be messaged.

``state.json`` (small, rewritten atomically) holds counters, users, chats, files and pending
updates; ``messages.jsonl`` is an append-only log of message snapshots, so that sending a
thousand messages does not rewrite a growing file a thousand times.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import mimetypes
import os
import re
import struct
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.botapi_spec import BotApiSpec, load_spec
from bot.clock import Clock
from bot.localapi.flood import FloodControl
from bot.localapi.markup import (
    MAX_CAPTION,
    MAX_TEXT,
    EntityParseError,
    command_entities,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    strip_text,
    utf16_len,
)

_LOG = logging.getLogger(__name__)

JSON = dict[str, Any]

LONG_POLL_CAP = 0.5
DELETE_WINDOW = 48 * 3600
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024
CALLBACK_TTL = 60.0
_STATE_VERSION = 1
_SEND_METHODS = {
    "sendmessage", "sendphoto", "senddocument", "sendmediagroup", "sendsticker",
    "sendvoice", "sendaudio", "sendvideo", "sendanimation", "sendlocation",
    "copymessage", "forwardmessage",
}  # fmt: skip
_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
_DEFAULT_ALLOWED = {"chat_member", "message_reaction", "message_reaction_count"}
_FILES = "\x00files"
_IMAGE_EXT = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"}


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code", "description", "parameters"?}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class SpecViolation(AssertionError):
    """The bot or the local API left the Bot API spec; tests must fail on it."""


class LocalApiUsageError(ValueError):
    """A user-side helper was asked for something a Telegram user could not do."""


@dataclass
class Upload:
    """A multipart file part, standing for an ``InputFile`` parameter."""

    filename: str
    content: bytes
    mimetype: str


@dataclass
class _Injected:
    method: str
    code: int
    description: str
    retry_after: int | None
    chat_id: int | None
    times: int


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG/GIF/JPEG header, so PhotoSize looks like the real photo."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (
                0xC0,
                0xC1,
                0xC2,
                0xC3,
                0xC5,
                0xC6,
                0xC7,
                0xC9,
                0xCA,
                0xCB,
                0xCD,
                0xCE,
                0xCF,
            ):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            seg = struct.unpack(">H", data[i + 2 : i + 4])[0]
            i += 2 + seg
    return None


def _safe_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-()\u4e00-\u9fff]+", "_", name).strip("._") or "file"
    return name[:120]


def _buttons(markup: Mapping[str, Any] | None) -> tuple[list[str], list[str | None]]:
    labels: list[str] = []
    urls: list[str | None] = []
    for row in (markup or {}).get("inline_keyboard", []) or []:
        for button in row:
            labels.append(str(button.get("text", "")))
            urls.append(button.get("url"))
    return labels, urls


class LocalBotAPI:
    """An in-process Telegram for one bot token, persisted under ``state_dir``.

    The bot side talks to it through :meth:`request` (a PTB ``BaseRequest``); the user side
    through ``send_text``, ``send_photo``, ``press`` and the other helpers, which queue
    updates exactly as Telegram would deliver them.  Every answer the bot sends is appended
    to :attr:`outbox` in the record format ``simulate --json`` prints.

    Every call and result is checked against the Bot API spec when it is available and
    problems are kept in :attr:`violations`.  ``strict`` (the default, for tests and
    simulate) also refuses such calls with a 400 and raises :class:`SpecViolation` on a
    malformed result, so that a drift from Telegram fails loudly instead of passing.
    """

    def __init__(
        self,
        state_dir: Path,
        clock: Clock,
        token: str = "123456:LOCAL",
        bot_username: str = "rectibot_local_bot",
        strict: bool = True,
        spec: BotApiSpec | None = None,
        bot_name: str = "整改助手",
    ) -> None:
        self.state_dir = Path(state_dir)
        self.files_dir = self.state_dir / "files"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.token = token
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.bot_id = int(token.split(":", 1)[0])
        self.strict = strict
        self.spec = spec if spec is not None else load_spec()
        self.flood = FloodControl(clock)
        self.violations: list[str] = []
        self.calls: deque[tuple[str, JSON]] = deque(maxlen=10_000)
        self.outbox: list[JSON] = []
        self._injected: list[_Injected] = []
        self._events: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._poll_generation = 0
        self._load()

    # ------------------------------------------------------------------ persistence

    @property
    def _state_path(self) -> Path:
        return self.state_dir / "state.json"

    @property
    def _messages_path(self) -> Path:
        return self.state_dir / "messages.jsonl"

    def _load(self) -> None:
        raw: JSON = {}
        if self._state_path.is_file():
            raw = json.loads(self._state_path.read_text(encoding="utf-8"))
        self.next_update_id: int = int(raw.get("next_update_id", 1))
        self.pending: list[JSON] = list(raw.get("pending", []))
        self.users: dict[int, JSON] = {int(k): v for k, v in raw.get("users", {}).items()}
        self.started: set[int] = set(raw.get("started", []))
        self.blocked: set[int] = set(raw.get("blocked", []))
        self.chats: dict[int, JSON] = {int(k): v for k, v in raw.get("chats", {}).items()}
        self.next_message_id: dict[int, int] = {
            int(k): int(v) for k, v in raw.get("next_message_id", {}).items()
        }
        self.files: dict[str, JSON] = dict(raw.get("files", {}))
        self.callbacks: dict[str, JSON] = dict(raw.get("callbacks", {}))
        self.commands: dict[str, list[JSON]] = dict(raw.get("commands", {}))
        self.webhook_url: str = str(raw.get("webhook_url", ""))
        self.allowed_updates: list[str] | None = raw.get("allowed_updates")
        self._seq: int = int(raw.get("seq", 1))
        self.messages: dict[tuple[int, int], JSON] = {}
        if self._messages_path.is_file():
            with self._messages_path.open(encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    key = (int(rec["chat_id"]), int(rec["message_id"]))
                    if rec.get("deleted"):
                        self.messages.pop(key, None)
                    else:
                        self.messages[key] = rec["message"]
                    # A crash between this log and state.json must not reuse a message id.
                    if self.next_message_id.get(key[0], 1) <= key[1]:
                        self.next_message_id[key[0]] = key[1] + 1

    def _save(self) -> None:
        raw = {
            "version": _STATE_VERSION,
            "next_update_id": self.next_update_id,
            "pending": self.pending,
            "users": {str(k): v for k, v in self.users.items()},
            "started": sorted(self.started),
            "blocked": sorted(self.blocked),
            "chats": {str(k): v for k, v in self.chats.items()},
            "next_message_id": {str(k): v for k, v in self.next_message_id.items()},
            "files": self.files,
            "callbacks": self.callbacks,
            "commands": self.commands,
            "webhook_url": self.webhook_url,
            "allowed_updates": self.allowed_updates,
            "seq": self._seq,
        }
        tmp = self._state_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._state_path)

    def _log_message(self, chat_id: int, message_id: int, message: JSON | None) -> None:
        rec: JSON = {"chat_id": chat_id, "message_id": message_id}
        if message is None:
            rec["deleted"] = True
        else:
            rec["message"] = message
        with self._messages_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # ------------------------------------------------------------------ waiting

    def _event(self, name: str) -> asyncio.Event:
        """One event per purpose and event loop: tests run each case on a fresh loop."""
        loop = asyncio.get_running_loop()
        held = self._events.get(name)
        if held is None or held[0] is not loop:
            held = (loop, asyncio.Event())
            self._events[name] = held
        return held[1]

    def _signal(self, name: str) -> None:
        held = self._events.get(name)
        if held is not None:
            held[1].set()

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a later getUpdates offset."""
        return len(self.pending)

    def is_idle(self) -> bool:
        return not self.pending

    async def wait_confirmed(self) -> None:
        """Return once every queued update has been confirmed; bound it with asyncio.timeout."""
        while self.pending:
            event = self._event("confirmed")
            event.clear()
            await event.wait()

    # ------------------------------------------------------------------ tests' levers

    def request(self, read_timeout: float | None = 5.0) -> Any:
        """A fresh PTB ``BaseRequest`` bound to this API (one per Bot/Updater channel)."""
        from bot.localapi.request import LocalRequest

        return LocalRequest(self, read_timeout=read_timeout)

    def inject_error(
        self,
        method: str,
        code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``code``.

        ``"*"`` matches any method but getUpdates, so the background poll cannot swallow an
        error meant for the bot's next send.  ``chat_id`` narrows it to calls for that chat.
        A 429 carries ``parameters.retry_after`` (default 1) exactly as Telegram sends it.
        """
        if description is None:
            if code == 429:
                retry_after = retry_after or 1
                description = f"Too Many Requests: retry after {retry_after}"
            elif code == 403:
                description = "Forbidden: bot was blocked by the user"
            elif code == 400:
                description = "Bad Request: injected error"
            elif code == 502:
                description = "Bad Gateway"
            else:
                description = "Internal Server Error"
        elif code == 429 and retry_after is None:
            retry_after = 1
        self._injected.append(
            _Injected(method.lower(), code, description, retry_after, chat_id, times)
        )

    def block(self, user_id: int) -> None:
        """The user blocks the bot: private sends answer 403 until they write again."""
        self.blocked.add(user_id)
        self._save()

    def add_group(self, chat_id: int, title: str | None = None) -> JSON:
        """A supergroup the bot is a member of (privacy mode off)."""
        if chat_id >= 0:
            raise LocalApiUsageError("group chat ids are negative")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = {"id": chat_id, "type": "supergroup", "title": title or f"Group {chat_id}"}
            self.chats[chat_id] = chat
            self._save()
        elif title and chat.get("title") != title:
            chat["title"] = title
            self._save()
        return chat

    def outbox_cursor(self) -> int:
        return len(self.outbox)

    def outbox_since(self, cursor: int) -> list[JSON]:
        return self.outbox[cursor:]

    async def wait_outbox(self, count: int) -> list[JSON]:
        """Return the outbox once it holds ``count`` records; bound it with asyncio.timeout."""
        while len(self.outbox) < count:
            event = self._event("outbox")
            event.clear()
            await event.wait()
        return self.outbox

    def assert_conformant(self) -> None:
        if self.violations:
            raise SpecViolation("Bot API spec violations:\n" + "\n".join(self.violations))

    def my_commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JSON]:
        return list(self.commands.get(self._commands_key(scope, language_code), []))

    def bot_messages(self, chat_id: int) -> list[JSON]:
        """Messages the bot sent in a chat and that still exist, oldest first."""
        found = [
            m for (c, _), m in self.messages.items()
            if c == chat_id and m.get("from", {}).get("id") == self.bot_id
        ]  # fmt: skip
        return sorted(found, key=lambda m: m["message_id"])

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        return self.messages.get((chat_id, message_id))

    # ------------------------------------------------------------------ the bot side

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        read_timeout: float | None = None,
        files: Mapping[str, Upload] | None = None,
    ) -> tuple[int, JSON]:
        """Serve one Bot API call; returns (HTTP status, JSON body) like the real server.

        ``params`` holds the parameters' Python values (an ``InputFile`` parameter as an
        :class:`Upload`); ``files`` the multipart parts that ``attach://`` values refer to.
        """
        params = dict(params)
        self.calls.append((method, params))
        if self.spec is not None:
            problems = self.spec.check_call(method, params)
            if problems:
                self._violate(problems)
                if self.spec.method(method) is None:
                    return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
                if self.strict:
                    return 400, ApiError(400, "Bad Request: " + "; ".join(problems)).payload()
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            self._violate([f"{method}: not served by the local Bot API"])
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            self._apply_injected(method, params)
            if method.lower() == "getupdates":
                result = await self._m_getupdates(params, read_timeout)
            else:
                result = handler({**params, _FILES: dict(files or {})})
        except ApiError as exc:
            return exc.code, exc.payload()
        if self.spec is not None:
            problems = self.spec.check_result(method, result)
            if problems:
                self._violate(problems)
                if self.strict:
                    raise SpecViolation("; ".join(problems))
        return 200, {"ok": True, "result": result}

    def download(self, file_path: str) -> tuple[int, bytes]:
        """Serve ``base_file_url/<file_path>`` from ``state_dir/files``."""
        target = (self.files_dir / file_path).resolve()
        if self.files_dir.resolve() not in target.parents or not target.is_file():
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        return 200, target.read_bytes()

    def _violate(self, problems: Sequence[str]) -> None:
        for problem in problems:
            _LOG.error("Bot API spec violation: %s", problem)
        self.violations.extend(problems)

    def _apply_injected(self, method: str, params: Mapping[str, Any]) -> None:
        lower = method.lower()
        for item in self._injected:
            if item.method != lower and (item.method != "*" or lower == "getupdates"):
                continue
            if item.chat_id is not None and self._maybe_int(params.get("chat_id")) != item.chat_id:
                continue
            item.times -= 1
            if item.times <= 0:
                self._injected.remove(item)
            raise ApiError(item.code, item.description, item.retry_after)

    @staticmethod
    def _maybe_int(value: Any) -> int | None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _now_ts(self) -> int:
        return int(self.clock.now().timestamp())

    def _at(self) -> str:
        return self.clock.now().isoformat()

    def _chat_for_send(self, raw: Any) -> JSON:
        """Resolve ``chat_id`` as Telegram does, with its 400/403 answers."""
        chat_id = self._maybe_int(raw)
        if chat_id is None:
            username = str(raw).lstrip("@").lower()
            for chat in self.chats.values():
                if str(chat.get("username", "")).lower() == username:
                    chat_id = int(chat["id"])
                    break
            else:
                raise _bad("chat not found")
        found = self.chats.get(chat_id)
        if chat_id > 0:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started:
                if chat_id in self.users:
                    raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
                raise _bad("chat not found")
        if found is None:
            raise _bad("chat not found")
        return found

    def _take_flood(self, chat_id: int) -> None:
        retry_after = self.flood.take(chat_id)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def _store_message(self, message: JSON) -> None:
        chat_id = int(message["chat"]["id"])
        self.messages[(chat_id, int(message["message_id"]))] = message
        self._log_message(chat_id, int(message["message_id"]), message)

    def _new_message(self, chat: JSON, sender: JSON, content: JSON) -> JSON:
        chat_id = int(chat["id"])
        message_id = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = message_id + 1
        message: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": dict(chat),
            "date": self._now_ts(),
        }
        message.update(content)
        self._store_message(message)
        return message

    def _reply_to(self, chat_id: int, params: Mapping[str, Any]) -> JSON:
        reply = params.get("reply_parameters")
        reply_id: int | None = None
        allow_missing = False
        if isinstance(reply, Mapping):
            reply_id = self._maybe_int(reply.get("message_id"))
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            if reply.get("chat_id") not in (None, chat_id):
                raise _bad("replies to other chats are not supported by the local Bot API")
        if reply_id is None:
            return {}
        target = self.messages.get((chat_id, reply_id))
        if target is None:
            if allow_missing:
                return {}
            raise _bad("message to be replied not found")
        return {"reply_to_message": {k: v for k, v in target.items() if k != "reply_to_message"}}

    def _formatted(
        self, text: Any, parse_mode: Any, entities: Any, limit: int, what: str
    ) -> tuple[str, list[JSON]]:
        raw = "" if text is None else str(text)
        mode = str(parse_mode or "").lower()
        parsed_entities: list[JSON]
        if mode == "html":
            try:
                plain, parsed_entities = parse_html(raw)
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        elif mode in ("", "none"):
            plain = raw
            parsed_entities = [dict(e) for e in entities] if isinstance(entities, list) else []
        elif mode in ("markdown", "markdownv2"):
            parser = parse_markdown_v2 if mode == "markdownv2" else parse_markdown
            try:
                plain, parsed_entities = parser(raw)
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        else:
            raise _bad(f"unsupported parse_mode {parse_mode!r}")
        plain, parsed_entities = strip_text(plain, parsed_entities)
        if utf16_len(plain) > limit:
            raise _bad("message is too long" if what == "text" else "message caption is too long")
        return plain, parsed_entities

    def _markup(self, markup: Any) -> JSON:
        """Validate reply_markup; only inline keyboards become part of the Message."""
        if not isinstance(markup, Mapping):
            return {}
        if "inline_keyboard" not in markup:
            return {}
        rows = markup.get("inline_keyboard") or []
        if sum(len(row) for row in rows) > 100:
            raise _bad("BUTTONS_TOO_MUCH")
        for row in rows:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
                    raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
        if not rows:
            return {}
        return {"reply_markup": {"inline_keyboard": [[dict(b) for b in row] for row in rows]}}

    def _record(self, message: JSON, edited: bool) -> None:
        labels, urls = _buttons(message.get("reply_markup"))
        photo = message.get("photo")
        document = message.get("document")
        self.outbox.append(
            {
                "id": message["message_id"],
                "chat": message["chat"]["id"],
                "text": message.get("text", message.get("caption")),
                "buttons": labels,
                "urls": urls,
                "photo": self._saved_path(photo[-1]["file_id"]) if photo else None,
                "document": self._saved_path(document["file_id"]) if document else None,
                "edited": edited,
                "at": self._at(),
            }
        )
        self._signal("outbox")

    # ------------------------------------------------------------------ files

    def _saved_path(self, file_id: str) -> str | None:
        info = self.files.get(file_id)
        return str(self.files_dir / info["path"]) if info else None

    def _store_file(self, content: bytes, filename: str, mimetype: str | None, kind: str) -> JSON:
        """Keep the bytes once; return the file record (file_id, unique id, path, size)."""
        unique = "AQAD" + hashlib.sha256(content).hexdigest()[:16]
        seq = self._next_seq()
        file_id = f"{kind[:2].upper()}{seq:06d}_{unique}"
        name = _safe_name(filename)
        rel = f"{unique}/{name}"
        target = self.files_dir / rel
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(content)
            os.replace(tmp, target)
        info = {
            "file_unique_id": unique,
            "path": rel,
            "size": len(content),
            "mime_type": mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream",
            "file_name": Path(filename).name or name,
            "kind": kind,
        }
        self.files[file_id] = info
        return {"file_id": file_id, **info}

    def _photo_sizes(self, content: bytes, filename: str) -> list[JSON]:
        dims = _image_size(content) or (800, 600)
        w, h = dims
        sizes: list[JSON] = []
        for side in (90, 320, 800):
            scale = min(1.0, side / max(w, h, 1))
            sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
            if sizes and (sw, sh) == (sizes[-1]["width"], sizes[-1]["height"]):
                continue
            rec = self._store_file(content, filename, None, "photo")
            sizes.append(
                {
                    "file_id": rec["file_id"],
                    "file_unique_id": f"{rec['file_unique_id']}{side}",
                    "file_size": rec["size"],
                    "width": sw,
                    "height": sh,
                }
            )
            self.files[rec["file_id"]]["file_unique_id"] = sizes[-1]["file_unique_id"]
        return sizes

    def _document(self, content: bytes, filename: str, mimetype: str | None) -> JSON:
        rec = self._store_file(content, filename, mimetype, "document")
        return {
            "file_id": rec["file_id"],
            "file_unique_id": rec["file_unique_id"],
            "file_name": rec["file_name"],
            "mime_type": rec["mime_type"],
            "file_size": rec["size"],
        }

    def _input_file(self, value: Any, files: Mapping[str, Upload], name: str) -> Upload | str:
        """An upload, or the file_id of a file Telegram already has."""
        if isinstance(value, Upload):
            if len(value.content) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value[len("attach://") :])
            if part is None:
                raise _bad(f"file of {name} not found in the request")
            return self._input_file(part, files, name)
        if isinstance(value, str):
            if value in self.files:
                return value
            if re.match(r"^https?://", value):
                raise _bad("failed to get HTTP URL content")
            raise _bad("wrong file identifier/HTTP URL specified")
        raise _bad(f"there is no {name} in the request")

    def _media_content(self, kind: str, source: Upload | str) -> JSON:
        if isinstance(source, str):
            info = self.files[source]
            if kind == "photo":
                existing = [
                    m["photo"] for m in self.messages.values()
                    if m.get("photo") and any(p["file_id"] == source for p in m["photo"])
                ]  # fmt: skip
                if existing:
                    return {"photo": existing[0]}
                content = (self.files_dir / info["path"]).read_bytes()
                return {"photo": self._photo_sizes(content, info["file_name"])}
            return {
                "document": {
                    "file_id": source,
                    "file_unique_id": info["file_unique_id"],
                    "file_name": info["file_name"],
                    "mime_type": info["mime_type"],
                    "file_size": info["size"],
                }
            }
        if kind == "photo":
            return {"photo": self._photo_sizes(source.content, source.filename)}
        return {"document": self._document(source.content, source.filename, source.mimetype)}

    # ------------------------------------------------------------------ methods

    def _m_getme(self, params: JSON) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getupdates(self, params: JSON, read_timeout: float | None) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = self._maybe_int(params.get("offset"))
        limit = self._maybe_int(params.get("limit")) or 100
        if not 1 <= limit <= 100:
            limit = 100
        timeout = float(self._maybe_int(params.get("timeout")) or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal("poll")
        loop = asyncio.get_running_loop()
        wait = min(timeout, LONG_POLL_CAP)
        if read_timeout is not None:
            wait = min(wait, max(0.0, read_timeout - 0.05))
        deadline = loop.time() + wait
        while not self.pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            event = self._event("poll")
            event.clear()
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                break
            if self._poll_generation != generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return [dict(u) for u in self.pending[:limit]]

    def _confirm(self, offset: int | None) -> None:
        if offset is None or not self.pending:
            return
        before = len(self.pending)
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if len(self.pending) != before:
            self._save()
        if not self.pending:
            self._signal("confirmed")

    def _m_deletewebhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.pending = []
            self._signal("confirmed")
        self._save()
        return True

    def _m_setwebhook(self, params: JSON) -> bool:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        if params.get("drop_pending_updates"):
            self.pending = []
            self._signal("confirmed")
        self._save()
        return True

    def _m_getwebhookinfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> str:
        scope_json = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return f"{scope_json}|{language_code or ''}"

    def _m_setmycommands(self, params: JSON) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise _bad("too many commands")
        for command in commands:
            name = str(command.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        self._save()
        return True

    def _m_getmycommands(self, params: JSON) -> list[JSON]:
        return self.my_commands(params.get("scope"), str(params.get("language_code") or ""))

    def _m_deletemycommands(self, params: JSON) -> bool:
        self.commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        self._save()
        return True

    def _m_close(self, params: JSON) -> bool:
        return True

    def _m_logout(self, params: JSON) -> bool:
        return True

    def _m_getchat(self, params: JSON) -> JSON:
        chat_id = self._maybe_int(params.get("chat_id"))
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise _bad("chat not found")
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_sendchataction(self, params: JSON) -> bool:
        self._chat_for_send(params.get("chat_id"))
        if str(params.get("action")) not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _m_sendmessage(self, params: JSON) -> JSON:
        chat = self._chat_for_send(params.get("chat_id"))
        text, entities = self._formatted(
            params.get("text"), params.get("parse_mode"), params.get("entities"), MAX_TEXT, "text"
        )
        if not text:
            raise _bad("message text is empty")
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        content.update(self._reply_to(int(chat["id"]), params))
        content.update(self._markup(params.get("reply_markup")))
        self._take_flood(int(chat["id"]))
        message = self._new_message(chat, self._bot_user(), content)
        self._save()
        self._record(message, edited=False)
        return message

    def _caption(self, params: Mapping[str, Any]) -> JSON:
        caption, entities = self._formatted(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            MAX_CAPTION,
            "caption",
        )
        content: JSON = {}
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        return content

    def _send_file(self, params: JSON, kind: str) -> JSON:
        chat = self._chat_for_send(params.get("chat_id"))
        files: dict[str, Upload] = params.get(_FILES, {})
        source = self._input_file(params.get(kind), files, kind)
        content = self._caption(params)
        content.update(self._reply_to(int(chat["id"]), params))
        content.update(self._markup(params.get("reply_markup")))
        self._take_flood(int(chat["id"]))
        content.update(self._media_content(kind, source))
        message = self._new_message(chat, self._bot_user(), content)
        self._save()
        self._record(message, edited=False)
        return message

    def _m_sendphoto(self, params: JSON) -> JSON:
        return self._send_file(params, "photo")

    def _m_senddocument(self, params: JSON) -> JSON:
        return self._send_file(params, "document")

    def _m_sendmediagroup(self, params: JSON) -> list[JSON]:
        chat = self._chat_for_send(params.get("chat_id"))
        media = params.get("media") or []
        if not 2 <= len(media) <= 10:
            raise _bad("wrong number of messages in the media group; must be 2-10")
        kinds = {str(m.get("type")) for m in media}
        if not kinds <= {"photo", "video", "document", "audio"}:
            raise _bad("unsupported media type in the media group")
        if "document" in kinds and kinds != {"document"}:
            raise _bad("documents can't be mixed with other media types")
        files: dict[str, Upload] = params.get(_FILES, {})
        prepared = []
        for item in media:
            kind = "photo" if item.get("type") == "photo" else "document"
            source = self._input_file(item.get("media"), files, kind)
            prepared.append((kind, source, self._caption(item)))
        reply = self._reply_to(int(chat["id"]), params)
        self._take_flood(int(chat["id"]))
        group_id = str(10_000_000_000 + self._next_seq())
        messages = []
        for kind, source, caption in prepared:
            content: JSON = {"media_group_id": group_id, **caption, **reply}
            content.update(self._media_content(kind, source))
            message = self._new_message(chat, self._bot_user(), content)
            messages.append(message)
        self._save()
        for message in messages:
            self._record(message, edited=False)
        return messages

    def _target_message(self, params: JSON, action: str) -> JSON:
        if params.get("inline_message_id") is not None:
            raise _bad("inline messages are not supported by the local Bot API")
        chat_id = self._maybe_int(params.get("chat_id"))
        message_id = self._maybe_int(params.get("message_id"))
        if chat_id is None or message_id is None:
            raise _bad("message identifier is not specified")
        if chat_id not in self.chats:
            raise _bad("chat not found")
        message = self.messages.get((chat_id, message_id))
        if message is None:
            raise _bad(f"message to {action} not found")
        return message

    def _apply_edit(self, old: JSON, new: JSON) -> JSON:
        comparable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(old.get(k) == new.get(k) for k in comparable):
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        new["edit_date"] = self._now_ts()
        self._store_message(new)
        self._save()
        self._record(new, edited=True)
        return new

    def _check_editable(self, message: JSON) -> None:
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")

    def _m_editmessagetext(self, params: JSON) -> JSON:
        message = self._target_message(params, "edit")
        self._check_editable(message)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        text, entities = self._formatted(
            params.get("text"), params.get("parse_mode"), params.get("entities"), MAX_TEXT, "text"
        )
        if not text:
            raise _bad("message text is empty")
        new = {k: v for k, v in message.items() if k not in ("entities", "reply_markup")}
        new["text"] = text
        if entities:
            new["entities"] = entities
        new.update(self._markup(params.get("reply_markup")))
        return self._apply_edit(message, new)

    def _m_editmessagecaption(self, params: JSON) -> JSON:
        message = self._target_message(params, "edit")
        self._check_editable(message)
        if "text" in message:
            raise _bad("there is no caption in the message to edit")
        new = {
            k: v
            for k, v in message.items()
            if k not in ("caption", "caption_entities", "reply_markup")
        }
        new.update(self._caption(params))
        new.update(self._markup(params.get("reply_markup")))
        return self._apply_edit(message, new)

    def _m_editmessagereplymarkup(self, params: JSON) -> JSON:
        message = self._target_message(params, "edit")
        self._check_editable(message)
        new = {k: v for k, v in message.items() if k != "reply_markup"}
        new.update(self._markup(params.get("reply_markup")))
        return self._apply_edit(message, new)

    def _m_deletemessage(self, params: JSON) -> bool:
        message = self._target_message(params, "delete")
        chat_id = int(message["chat"]["id"])
        too_old = self._now_ts() - int(message["date"]) > DELETE_WINDOW
        others_in_group = chat_id < 0 and message.get("from", {}).get("id") != self.bot_id
        if too_old or others_in_group:
            raise _bad("message can't be deleted")
        del self.messages[(chat_id, int(message["message_id"]))]
        self._log_message(chat_id, int(message["message_id"]), None)
        return True

    def _m_answercallbackquery(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id"))
        query = self.callbacks.get(query_id)
        now = self.clock.now().timestamp()
        if query is None or query.get("answered") or now - float(query["at"]) > CALLBACK_TTL:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        self._save()
        self.outbox.append(
            {
                "callback_answer": text,
                "alert": bool(params.get("show_alert", False)),
                "chat": query.get("chat"),
                "at": self._at(),
            }
        )
        self._signal("outbox")
        return True

    def _m_getfile(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        info = self.files.get(file_id)
        if info is None:
            raise _bad("invalid file_id")
        if int(info["size"]) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": info["file_unique_id"],
            "file_size": info["size"],
            "file_path": info["path"],
        }

    # ------------------------------------------------------------------ the user side

    def _user(self, user: Mapping[str, Any] | int, lang: str | None) -> JSON:
        base: JSON
        if isinstance(user, int):
            known = self.users.get(user)
            base = (
                dict(known)
                if known
                else {"id": user, "is_bot": False, "first_name": f"User {user}"}
            )
        else:
            if "id" not in user:
                raise LocalApiUsageError("a user needs an id")
            base = {**(self.users.get(int(str(user["id"]))) or {}), "is_bot": False, **user}
            base.setdefault("first_name", f"User {base['id']}")
        if lang and not (isinstance(user, Mapping) and "language_code" in user):
            base["language_code"] = lang
        self.users[int(base["id"])] = base
        return base

    def _user_chat(self, sender: JSON, chat_id: int | None) -> JSON:
        uid = int(sender["id"])
        if chat_id is None or chat_id == uid:
            chat = {"id": uid, "type": "private", "first_name": sender["first_name"]}
            for key in ("last_name", "username"):
                if sender.get(key):
                    chat[key] = sender[key]
            self.chats[uid] = chat
            self.started.add(uid)
            self.blocked.discard(uid)
            return chat
        if chat_id > 0:
            raise LocalApiUsageError(f"user {uid} cannot write in the private chat of {chat_id}")
        return self.add_group(chat_id)

    def _queue(self, kind: str, payload: JSON) -> JSON:
        allowed = self.allowed_updates
        if allowed is not None:
            if (allowed and kind not in allowed) or (not allowed and kind in _DEFAULT_ALLOWED):
                return {}
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        if self.spec is not None:
            problems = self.spec.check_object("Update", update, "Update")
            if problems:
                self._violate(problems)
                if self.strict:
                    raise SpecViolation("; ".join(problems))
        self.pending.append(update)
        self._save()
        self._signal("poll")
        return update

    def _user_message(
        self,
        user: Mapping[str, Any] | int,
        chat_id: int | None,
        content: JSON,
        lang: str | None,
        reply_to: int | None = None,
    ) -> JSON:
        sender = self._user(user, lang)
        chat = self._user_chat(sender, chat_id)
        if reply_to is not None:
            target = self.messages.get((int(chat["id"]), reply_to))
            if target is None:
                raise LocalApiUsageError(f"no message {reply_to} in chat {chat['id']} to reply to")
            content = {
                **content,
                "reply_to_message": {k: v for k, v in target.items() if k != "reply_to_message"},
            }
        message = self._new_message(chat, sender, content)
        return self._queue("message", message)

    def last_message_id(self, chat_id: int) -> int | None:
        """Newest message id in a chat (for ``reply_to: "last"``)."""
        ids = [mid for (c, mid) in self.messages if c == chat_id]
        return max(ids) if ids else None

    def send_text(
        self,
        user: Mapping[str, Any] | int,
        text: str,
        chat_id: int | None = None,
        reply_to: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        """A user writes ``text``; /commands get ``bot_command`` entities as on Telegram.

        Text longer than 4,096 characters is delivered whole although official clients would
        split it: the bot's own length guard has to be reachable by a test.
        """
        if not text:
            raise LocalApiUsageError("Telegram clients cannot send an empty message")
        content: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(user, chat_id, content, lang, reply_to)

    def _read(self, path: Path | str) -> tuple[bytes, str]:
        p = Path(path)
        return p.read_bytes(), p.name

    def send_photo(
        self,
        user: Mapping[str, Any] | int,
        path: Path | str,
        caption: str | None = None,
        chat_id: int | None = None,
        media_group_id: str | None = None,
        lang: str | None = "zh-hans",
        reply_to: int | None = None,
    ) -> JSON:
        content_bytes, name = self._read(path)
        content: JSON = {"photo": self._photo_sizes(content_bytes, name)}
        if caption:
            content["caption"] = caption
            entities = command_entities(caption)
            if entities:
                content["caption_entities"] = entities
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self._user_message(user, chat_id, content, lang, reply_to)

    def send_document(
        self,
        user: Mapping[str, Any] | int,
        path: Path | str,
        caption: str | None = None,
        chat_id: int | None = None,
        media_group_id: str | None = None,
        lang: str | None = "zh-hans",
        reply_to: int | None = None,
    ) -> JSON:
        content_bytes, name = self._read(path)
        mimetype = mimetypes.guess_type(name)[0]
        content: JSON = {"document": self._document(content_bytes, name, mimetype)}
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self._user_message(user, chat_id, content, lang, reply_to)

    def send_album(
        self,
        user: Mapping[str, Any] | int,
        paths: Sequence[Path | str],
        caption: str | None = None,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> list[JSON]:
        """N updates sharing one media_group_id, the caption on the first, as Telegram sends."""
        if not 2 <= len(paths) <= 10:
            raise LocalApiUsageError("an album has 2 to 10 items")
        group_id = str(20_000_000_000 + self._next_seq())
        updates = []
        for i, path in enumerate(paths):
            first_caption = caption if i == 0 else None
            if Path(path).suffix.lower() in _IMAGE_EXT:
                updates.append(self.send_photo(user, path, first_caption, chat_id, group_id, lang))
            else:
                updates.append(
                    self.send_document(user, path, first_caption, chat_id, group_id, lang)
                )
        return updates

    def send_sticker(
        self,
        user: Mapping[str, Any] | int,
        emoji: str = "👍",
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        rec = self._store_file(f"sticker {emoji}".encode(), "sticker.webp", "image/webp", "sticker")
        sticker = {
            "file_id": rec["file_id"],
            "file_unique_id": rec["file_unique_id"],
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": rec["size"],
        }
        return self._user_message(user, chat_id, {"sticker": sticker}, lang)

    def send_voice(
        self,
        user: Mapping[str, Any] | int,
        duration: int = 3,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        rec = self._store_file(b"OggS" + bytes(duration * 16), "voice.ogg", "audio/ogg", "voice")
        voice = {
            "file_id": rec["file_id"],
            "file_unique_id": rec["file_unique_id"],
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": rec["size"],
        }
        return self._user_message(user, chat_id, {"voice": voice}, lang)

    def send_location(
        self,
        user: Mapping[str, Any] | int,
        latitude: float = 39.9042,
        longitude: float = 116.4074,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        location = {"latitude": float(latitude), "longitude": float(longitude)}
        return self._user_message(user, chat_id, {"location": location}, lang)

    def edit_text(
        self,
        user: Mapping[str, Any] | int,
        message_id: int,
        new_text: str,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        """The user edits their message: an ``edited_message`` update with ``edit_date``."""
        sender = self._user(user, lang)
        cid = int(sender["id"]) if chat_id is None else chat_id
        message = self.messages.get((cid, message_id))
        if message is None or message.get("from", {}).get("id") != sender["id"]:
            raise LocalApiUsageError(
                f"user {sender['id']} has no message {message_id} in chat {cid}"
            )
        if "text" not in message:
            raise LocalApiUsageError("only text messages can be edited by this helper")
        new = {k: v for k, v in message.items() if k != "entities"}
        new["text"] = new_text
        entities = command_entities(new_text)
        if entities:
            new["entities"] = entities
        new["from"] = sender
        new["edit_date"] = self._now_ts()
        self._store_message(new)
        return self._queue("edited_message", new)

    def press(
        self,
        user: Mapping[str, Any] | int,
        label: str,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        """Press the button whose label contains ``label`` on the newest message having one."""
        sender = self._user(user, lang)
        cid = int(sender["id"]) if chat_id is None else chat_id
        for message in reversed(self.bot_messages(cid)):
            buttons = [
                b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
            ]
            matching = [b for b in buttons if b.get("text") == label] or [
                b for b in buttons if label in str(b.get("text", ""))
            ]
            if not matching:
                continue
            button = matching[0]
            if button.get("callback_data") is None:
                raise LocalApiUsageError(
                    f"button {button.get('text')!r} in message {message['message_id']} "
                    "has no callback data (a URL or other non-callback button)"
                )
            return self._callback_update(sender, message, str(button["callback_data"]))
        shown = [
            b.get("text")
            for m in self.bot_messages(cid)[-3:]
            for row in m.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
        ]
        raise LocalApiUsageError(
            f"no button containing {label!r} in chat {cid}; newest buttons: {shown}"
        )

    def callback(
        self,
        user: Mapping[str, Any] | int,
        data: str,
        message_id: int,
        chat_id: int | None = None,
        lang: str | None = "zh-hans",
    ) -> JSON:
        """Arbitrary callback data on a message, as a forged client could send."""
        sender = self._user(user, lang)
        cid = int(sender["id"]) if chat_id is None else chat_id
        message = self.messages.get((cid, message_id))
        if message is None:
            raise LocalApiUsageError(f"no message {message_id} in chat {cid}")
        return self._callback_update(sender, message, data)

    def _callback_update(self, sender: JSON, message: JSON, data: str) -> JSON:
        query_id = str(4_000_000_000_000 + self._next_seq())
        chat_id = int(message["chat"]["id"])
        self.callbacks = {
            k: v
            for k, v in self.callbacks.items()
            if self.clock.now().timestamp() - float(v["at"]) <= CALLBACK_TTL
        }
        self.callbacks[query_id] = {"at": self.clock.now().timestamp(), "chat": chat_id}
        instance = hashlib.sha256(f"{chat_id}:{self.bot_id}".encode()).hexdigest()[:16]
        query = {
            "id": query_id,
            "from": sender,
            "message": message,
            "chat_instance": str(int(instance, 16)),
            "data": data,
        }
        return self._queue("callback_query", query)
