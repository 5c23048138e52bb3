"""``rectibot console``: chat with the real bot in a terminal, no token and no network.

The same Application runs on the local Bot API with the wall clock, the example plan
loaded and demo identities bound, so a newcomer can try every conversation before
asking @BotFather for a token.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from bot.binding import BindError, bind_admin, bind_member, bind_person
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.i18n import t
from bot.localapi import LocalApiUsageError
from bot.localbot import LocalBot, migrate
from storage import kv
from storage.db import create_engine, session_factory, transaction

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_PLAN = EXAMPLES / "shangqiu-plan.txt"
IDENTITIES = EXAMPLES / "demo-identities.json"
CLOCK_KEY = "console.clock"


@dataclass
class Identity:
    user: int
    label: str
    spec: dict[str, Any]


def load_identities() -> list[Identity]:
    raw = json.loads(IDENTITIES.read_text(encoding="utf-8"))
    result = []
    for spec in raw["identities"]:
        label = spec.get("person") or " ".join(x for x in (spec.get("unit"), spec.get("name")) if x) or spec.get("role", "")
        result.append(Identity(int(spec["user"]), f"{label} ({spec.get('role', 'member')})", spec))
    return result


class Console:
    def __init__(self, settings: Settings, out: TextIO = sys.stdout) -> None:
        self.settings = settings
        self.out = out
        self.clock = ShiftedClock(settings.timezone)
        self.bot = LocalBot(settings, self.clock, virtual=False)
        self.identities = load_identities()
        self.current = self.identities[0]
        self.lang = settings.locale
        self.cursor = 0

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def _set_clock(self) -> None:
        """The demo's day: where the last session left it, else the example's own day.

        Kept as (real instant, demo instant) so time runs on between sessions as it does
        in the real world, and a restart neither repeats nor skips a day's schedules.
        """
        engine = create_engine(self.settings.database_url)
        try:
            async with transaction(session_factory(engine)) as session:
                kept = await kv.get(session, CLOCK_KEY)
                if kept:
                    self.clock.offset = datetime.fromisoformat(kept["demo"]) - datetime.fromisoformat(kept["real"])
                    return
                start = json.loads(IDENTITIES.read_text(encoding="utf-8")).get("today")
                if start:
                    self.clock.offset = datetime.fromisoformat(start).replace(tzinfo=self.clock.tz) - self.clock.wall_now()
                await self._keep_clock(session)
        finally:
            await engine.dispose()

    async def _keep_clock(self, session: Any) -> None:
        real = self.clock.wall_now()
        await kv.put(session, CLOCK_KEY, {"real": real.isoformat(), "demo": (real + self.clock.offset).isoformat()})

    async def move_clock(self, arg: str) -> None:
        """``:date today`` or ``:date 2019-02-11 [09:30]``: forward only, then today's schedules run."""
        if arg.lower() in ("today", "今天", "now"):
            when = self.clock.wall_now()
        else:
            try:
                when = datetime.fromisoformat(arg.replace("T", " ")).replace(tzinfo=self.clock.tz)
            except ValueError:
                self.say(t(self.lang, "console.date_usage"))
                return
            if len(arg) <= 10:
                when = when.replace(hour=9, minute=5)
        if when < self.clock.now() - timedelta(minutes=1):
            self.say(t(self.lang, "console.date_back", when=f"{self.clock.now():%Y-%m-%d %H:%M}"))
            return
        self.clock.move_to(max(when, self.clock.now()))
        async with transaction(self.bot.services.factory) as session:
            await self._keep_clock(session)
        from bot.scheduler import tick

        await tick(self.bot.services)
        self.say(t(self.lang, "console.date", when=f"{self.clock.now():%Y-%m-%d %H:%M}"))

    async def prepare(self) -> None:
        """Load the example plan and bind the demo identities, once per database."""
        await migrate(self.settings)
        from bot.plans import import_plan_files

        await self._set_clock()
        await import_plan_files(self.settings, [EXAMPLE_PLAN], now=self.clock.now())
        await self.bot.start()
        services = self.bot.services
        async with transaction(services.factory) as session:
            if not await kv.put_once(session, "console.demo_identities", {"file": IDENTITIES.name}):
                return
            now = services.clock.now()
            for ident in self.identities:
                spec = ident.spec
                try:
                    if "person" in spec:
                        await bind_person(session, services.auditor, telegram_id=ident.user, name=spec["person"], role=spec.get("role"), now=now, actor="console")
                    elif "unit" in spec:
                        await bind_member(session, services.auditor, telegram_id=ident.user, unit=spec["unit"], name=spec.get("name", ""), role=spec.get("role"), now=now, actor="console")
                    else:
                        await bind_admin(session, services.auditor, telegram_id=ident.user, now=now, actor="console", name=spec.get("name"))
                except BindError as exc:
                    self.say(t(self.lang, "console.bad_input", reason=str(exc)))

    def show_new(self) -> None:
        items = self.bot.local.outbox_since(self.cursor)
        self.cursor += len(items)
        for item in items:
            if "callback_answer" in item:
                if item.get("callback_answer"):
                    self.say(f"  ({item['callback_answer']})")
                continue
            prefix = "" if item["chat"] == self.current.user else f"[→ {item['chat']}] "
            edited = "(edited) " if item.get("edited") else ""
            self.say(f"\n{prefix}{edited}{item.get('text') or ''}")
            for kind in ("photo", "document"):
                if item.get(kind):
                    self.say(f"  📎 {item[kind]}")
            for n, (label, url) in enumerate(zip(item.get("buttons") or [], item.get("urls") or [], strict=False), 1):
                self.say(f"  [{n}] {label}" + (f"  {url}" if url else ""))

    def newest_buttons(self) -> list[str]:
        for message in reversed(self.bot.local.bot_messages(self.current.user)):
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            labels = [b.get("text", "") for row in rows for b in row]
            if labels:
                return labels
        return []

    def send_file(self, user: dict[str, Any], command: str, args: list[str]) -> None:
        """A path typed at the terminal becomes an upload, as from a phone's gallery."""
        path = os.path.expanduser(args[0])
        caption = " ".join(args[1:]) or None
        if command == "photo":
            self.bot.local.send_photo(user, path, caption)
        else:
            self.bot.local.send_document(user, path, caption)

    async def handle(self, line: str) -> bool:
        """One line typed by the person at the terminal; False to quit."""
        line = line.strip()
        if not line:
            return True
        user = {"id": self.current.user, "first_name": self.current.label.split(" (")[0]}
        try:
            if line.startswith(":"):
                parts = shlex.split(line[1:])
                command, args = (parts[0].lower(), parts[1:]) if parts else ("help", [])
                if command in ("quit", "q", "exit"):
                    return False
                if command == "help":
                    self.say(t(self.lang, "console.help"))
                elif command == "who":
                    self.say(t(self.lang, "console.identities"))
                    for ident in self.identities:
                        mark = "*" if ident is self.current else " "
                        self.say(f" {mark} {ident.user:>6}  {ident.label}")
                elif command == "as" and args and args[0].lstrip("-").isdigit():
                    wanted = int(args[0])
                    found = next((i for i in self.identities if i.user == wanted), None)
                    self.current = found or Identity(wanted, str(wanted), {})
                    self.say(t(self.lang, "console.switched", who=self.current.label))
                elif command in ("press",) or command.isdigit():
                    number = int(command if command.isdigit() else args[0])
                    labels = self.newest_buttons()
                    if not 1 <= number <= len(labels):
                        self.say(t(self.lang, "console.no_buttons"))
                        return True
                    self.bot.local.press(user, labels[number - 1])
                elif command in ("photo", "file", "document") and args:
                    self.send_file(user, command, args)
                elif command == "date" and args:
                    await self.move_clock(" ".join(args))
                else:
                    self.say(t(self.lang, "console.help"))
                    return True
            else:
                self.bot.local.send_text(user, line)
        except (LocalApiUsageError, OSError, ValueError, IndexError) as exc:
            self.say(t(self.lang, "console.bad_input", reason=str(exc)))
            return True
        await self.bot.wait_idle()
        self.show_new()
        return True

    async def run(self, lines: TextIO = sys.stdin) -> int:
        await self.prepare()
        try:
            self.cursor = len(self.bot.local.outbox)
            self.say(t(self.lang, "console.banner", who=self.current.label))
            self.say(t(self.lang, "console.date", when=f"{self.clock.now():%Y-%m-%d %H:%M}"))
            loop = asyncio.get_running_loop()
            while True:
                self.out.write(f"{self.current.label}> ")
                self.out.flush()
                line = await loop.run_in_executor(None, lines.readline)
                if not line:
                    break
                if not await self.handle(line):
                    break
        finally:
            await self.bot.stop()
        return 0


def run_console(settings: Settings) -> int:
    try:
        return asyncio.run(Console(settings).run())
    except KeyboardInterrupt:
        return 130
