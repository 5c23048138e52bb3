"""``rectibot simulate``: the real Application driven by a script, on a virtual clock.

Events go in through the local Bot API exactly as Telegram would deliver them; after
each event we wait until the bot is idle, so the output is deterministic.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.binding import BindError, bind_admin, bind_member, bind_person
from bot.clock import VirtualClock, WallClock
from bot.config import Settings
from bot.localapi import LocalApiUsageError
from bot.localbot import LocalBot, migrate
from bot.services import Services
from storage.db import transaction

log = logging.getLogger(__name__)

EVENT_KINDS = ("bind", "clock", "text", "photo", "album", "document", "press", "callback", "sticker", "voice", "location", "edit")


class ScriptError(Exception):
    """A bad script: the message names the line (exit 2)."""


@dataclass
class Event:
    line: int
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        if "bind" in self.data:
            return "bind"
        if "clock" in self.data:
            return "clock"
        for kind in ("edit", "text", "photo", "album", "document", "press", "callback", "sticker", "voice", "location"):
            if kind in self.data:
                return kind
        raise ScriptError(f"line {self.line}: unknown event {json.dumps(self.data, ensure_ascii=False)}")

    def fail(self, message: str) -> ScriptError:
        return ScriptError(f"line {self.line}: {message}")


def parse_clock(value: str, tz: Any) -> datetime:
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)


def read_script(path: Path) -> list[Event]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"cannot read {path}: {exc}") from None
    events = []
    for n, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ScriptError(f"line {n}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ScriptError(f"line {n}: an event is a JSON object")
        event = Event(n, data)
        kind = event.kind
        if kind not in ("bind", "clock") and not isinstance(data.get("as"), int):
            raise event.fail('needs "as": <user id>')
        events.append(event)
    return events


class Simulation:
    def __init__(self, settings: Settings, script: Path, events: list[Event], clock: VirtualClock) -> None:
        self.settings = settings
        self.base = script.parent
        self.events = events
        self.clock = clock
        self.bot = LocalBot(settings, clock)
        self.local = self.bot.local
        self.cursor = self.local.outbox_cursor()

    @property
    def services(self) -> Services:
        return self.bot.services

    def _path(self, event: Event, name: Any) -> Path:
        if not isinstance(name, str):
            raise event.fail("a file name is expected")
        path = (self.base / name).resolve()
        if not path.is_file():
            raise event.fail(f"no such file: {name}")
        return path

    async def bind(self, event: Event) -> None:
        spec = event.data["bind"]
        if not isinstance(spec, dict) or not isinstance(spec.get("user"), int):
            raise event.fail('bind needs {"user": <id>, ...}')
        user = int(spec["user"])
        role = spec.get("role")
        now = self.clock.now()
        actor = f"simulate:line{event.line}"
        auditor = self.services.auditor
        try:
            async with transaction(self.services.factory) as session:
                if "person" in spec:
                    await bind_person(session, auditor, telegram_id=user, name=str(spec["person"]), role=role, now=now, actor=actor)
                elif "unit" in spec:
                    await bind_member(
                        session, auditor, telegram_id=user, unit=str(spec["unit"]), name=str(spec.get("name", "")),
                        role=role, now=now, actor=actor,
                    )
                elif role == "admin":
                    await bind_admin(session, auditor, telegram_id=user, now=now, actor=actor, name=spec.get("name"))
                else:
                    raise event.fail('bind needs "person", "unit" or "role": "admin"')
        except BindError as exc:
            raise event.fail(str(exc)) from None

    def inject(self, event: Event) -> None:
        d = event.data
        user: dict[str, Any] = {"id": d["as"]}
        lang = d.get("lang", "zh-hans")
        chat = d.get("chat")
        if chat is not None and not isinstance(chat, int):
            raise event.fail('"chat" is a chat id')
        chat_id = chat if chat is not None else d["as"]
        try:
            kind = event.kind
            reply_to = d.get("reply_to")
            if reply_to == "last":
                reply_to = self.local.last_message_id(chat_id)
            elif reply_to is not None and not isinstance(reply_to, int):
                raise event.fail('"reply_to" is a message id or "last"')
            if kind == "text":
                self.local.send_text(user, str(d["text"]), chat_id=chat, reply_to=reply_to, lang=lang)
            elif kind == "photo":
                self.local.send_photo(
                    user, self._path(event, d["photo"]), d.get("caption"), chat_id=chat, lang=lang, reply_to=reply_to
                )
            elif kind == "album":
                paths = [self._path(event, p) for p in d["album"]]
                self.local.send_album(user, paths, d.get("caption"), chat_id=chat, lang=lang)
            elif kind == "document":
                self.local.send_document(
                    user, self._path(event, d["document"]), d.get("caption"), chat_id=chat, lang=lang, reply_to=reply_to
                )
            elif kind == "press":
                self.local.press(user, str(d["press"]), chat_id=chat, lang=lang)
            elif kind == "callback":
                if not isinstance(d.get("on"), int):
                    raise event.fail('"callback" needs "on": <message id>')
                self.local.callback(user, str(d["callback"]), int(d["on"]), chat_id=chat, lang=lang)
            elif kind == "sticker":
                self.local.send_sticker(user, str(d["sticker"] or "👍"), chat_id=chat, lang=lang)
            elif kind == "voice":
                self.local.send_voice(user, chat_id=chat, lang=lang)
            elif kind == "location":
                self.local.send_location(user, chat_id=chat, lang=lang)
            elif kind == "edit":
                self.local.edit_text(user, int(d["edit"]), str(d["text"]), chat_id=chat, lang=lang)
        except LocalApiUsageError as exc:
            raise event.fail(str(exc)) from None

    async def run(self, plans: list[Path]) -> list[dict[str, Any]]:
        if plans:
            from bot.importer import PlanReadError
            from bot.plans import import_plan_files

            await migrate(self.settings)
            try:
                await import_plan_files(self.settings, plans, now=self.clock.now())
            except PlanReadError as exc:
                raise ScriptError(f"--plan: {exc}") from None
        await self.bot.start()
        try:
            for event in self.events:
                if event.kind == "clock":
                    try:
                        target = parse_clock(str(event.data["clock"]), self.settings.timezone)
                    except ValueError:
                        raise event.fail("clock needs an ISO date-time like 2019-01-24T09:30") from None
                    if target < self.clock.now():
                        raise event.fail(f"the clock cannot go back to {target.isoformat()}")
                    await self.bot.walk_to(target)
                elif event.kind == "bind":
                    await self.bind(event)
                else:
                    self.inject(event)
                    await self.bot.wait_idle()
        finally:
            await self.bot.stop()
        return self.local.outbox_since(self.cursor)


async def simulate(settings: Settings, script: Path, plans: list[Path]) -> tuple[list[dict[str, Any]], int]:
    events = read_script(script)
    first_clock = next((e for e in events if e.kind == "clock"), None)
    if first_clock is not None:
        try:
            start = parse_clock(str(first_clock.data["clock"]), settings.timezone)
        except ValueError:
            raise first_clock.fail("clock needs an ISO date-time like 2019-01-24T09:30") from None
    else:
        start = WallClock(settings.timezone).now()
    sim = Simulation(settings, script, events, VirtualClock(start, settings.timezone))
    try:
        output = await sim.run(plans)
    except ScriptError:
        raise
    except Exception:
        log.exception("the Application crashed")
        return sim.local.outbox_since(sim.cursor), 1
    if sim.local.violations:
        # The bot called the Bot API in a way Telegram would refuse: that is a crash too.
        for problem in sim.local.violations:
            log.error("Bot API spec violation: %s", problem)
        return output, 1
    return output, 0
