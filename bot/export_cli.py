"""``rectibot export [--out PATH] [--date YYYY-MM-DD] [--json]``: the 台账 without a chat.

The 整改办 often needs the ledger on the office PC before the morning meeting; this
writes the same workbook as ``/export`` for every live task. stdout carries only the
result (the path, or JSON); problems go to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path

from bot.clock import WallClock
from bot.config import Settings
from bot.export import default_name, export_ledger
from bot.i18n import Translator
from storage.db import create_engine, session_factory, transaction, upgrade


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="where to write the .xlsx (default: ./整改台账-YYYYMMDD.xlsx)")
    parser.add_argument("--date", help="the ledger's day, YYYY-MM-DD (default: today)")
    parser.add_argument("--json", action="store_true")


async def _export(settings: Settings, out: Path | None, day: date | None) -> dict[str, object]:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        today = day or WallClock(settings.timezone).now().date()
        path = out or Path.cwd() / default_name(Translator(settings.locale), today)
        async with transaction(session_factory(engine)) as session:
            result = await export_ledger(session, path, today=today, tz=settings.timezone, lang=settings.locale)
    finally:
        await engine.dispose()
    return {"path": str(result.path), "tasks": result.tasks, "rows": result.rows, "date": today.isoformat()}


def run(args: argparse.Namespace, settings: Settings) -> int:
    day: date | None = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            print(f"rectibot: --date: expected YYYY-MM-DD, got {args.date!r}", file=sys.stderr)
            return 2
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.is_dir():
        out = out / default_name(Translator(settings.locale), day or WallClock(settings.timezone).now().date())
    try:
        result = asyncio.run(_export(settings, out, day))
    except OSError as exc:
        print(f"rectibot: cannot write the ledger: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False) if args.json else result["path"])
    return 0
