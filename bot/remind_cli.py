"""``rectibot remind --dry-run [--at DATETIME] [--json]``: who would get what, sending nothing.

The admins' way to check a day before it happens (a new plan, a changed calendar, a pause):
the same ``plan_day`` the scheduler runs, for every recipient whatever their own time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import datetime
from typing import Any

from bot.clock import WallClock
from bot.config import Settings
from bot.reminders import plan_day
from bot.workdays import WorkCalendar
from storage.db import create_engine, session_factory, transaction, upgrade

_TAGS = re.compile(r"<[^>]+>")


def parse_at(value: str | None, settings: Settings) -> datetime:
    if not value:
        return WallClock(settings.timezone).now()
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=settings.timezone) if when.tzinfo is None else when.astimezone(settings.timezone)


async def dry_run(settings: Settings, at: datetime) -> dict[str, Any]:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with transaction(session_factory(engine)) as session:
            plan = await plan_day(session, settings, WorkCalendar(), at.date())
    finally:
        await engine.dispose()
    return {
        "date": plan.day.isoformat(),
        "working_day": plan.working_day,
        "paused": plan.paused,
        "pushes": [p.to_json() for p in sorted(plan.pushes, key=lambda p: (p.at, p.kind, p.chat_id))],
    }


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.dry_run:
        print("rectibot: remind only supports --dry-run (the scheduler sends the real pushes)", file=sys.stderr)
        return 2
    try:
        at = parse_at(args.at, settings)
    except ValueError:
        print(f"rectibot: --at needs an ISO date-time like 2019-01-24T09:00, not {args.at!r}", file=sys.stderr)
        return 2
    result = asyncio.run(dry_run(settings, at))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    state = "paused" if result["paused"] else ("working day" if result["working_day"] else "not a working day")
    print(f"{result['date']} ({state}): {len(result['pushes'])} messages")
    for push in result["pushes"]:
        refs = ", ".join(t["ref"] for t in push["tasks"])
        print(f"{push['at']} {push['kind']} → {push['person']} ({push['chat_id']}): {refs}")
        for line in _TAGS.sub("", push["text"]).splitlines():
            print(f"    {line}")
    return 0
