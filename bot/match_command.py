"""``rectibot match (--plan PATH | --db URL) [--top N] [--unit NAME] --json`` (DESIGN.md contract).

stdout carries one JSON object per input line and nothing else; a plan that cannot be
read or a database that cannot be opened is said on stderr with exit 1, a bad argument
with exit 2. Refs are plan-qualified (``<plan id>:1-10``) only when the database holds
several plans; with several ``--plan`` files the plan id is the file's 1-based position.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.match_cli import run_match
from bot.matching import MatchTask

log = logging.getLogger(__name__)


class SourceError(Exception):
    """The tasks could not be read (exit 1)."""


def tasks_from_plans(paths: Sequence[str]) -> dict[str, list[MatchTask]]:
    from bot.importer import PlanReadError, parse_path

    plans: dict[str, list[MatchTask]] = {}
    for n, raw in enumerate(paths, 1):
        try:
            parsed = parse_path(Path(raw))
        except PlanReadError as exc:
            raise SourceError(f"{raw}: {exc}") from None
        plans[str(n)] = [MatchTask.from_plan_task(t) for t in parsed.tasks]
    return plans


async def tasks_from_db(url: str) -> dict[str, list[MatchTask]]:
    from bot.matcher_cache import match_task
    from storage import plans as plans_q
    from storage.db import create_engine, session_factory, transaction

    try:
        engine = create_engine(url)
    except Exception as exc:
        raise SourceError(f"cannot open the database: {exc}") from None
    try:
        async with transaction(session_factory(engine)) as session:
            plans: dict[str, list[MatchTask]] = {}
            for task in await plans_q.all_tasks(session):
                plans.setdefault(str(task.plan_id), []).append(match_task(task, ref=task.ref))
            return plans
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"cannot read tasks from the database: {type(exc).__name__}: {exc}") from None
    finally:
        await engine.dispose()


def write_matches(lines: TextIO, out: TextIO, plans: dict[str, list[MatchTask]], *, top: int, unit: str | None, qualified: bool) -> None:
    source: dict[str, list[MatchTask]] | list[MatchTask]
    source = plans if qualified else [t for tasks in plans.values() for t in tasks]
    for item in run_match(lines, source, top=top, unit=unit, plan_qualified=qualified):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        out.flush()


def run_match_command(args: argparse.Namespace, settings: Settings | None) -> int:
    if args.top is not None and args.top < 1:
        print("--top must be 1 or more", file=sys.stderr)
        return 2
    try:
        if args.plan:
            plans = tasks_from_plans(args.plan)
        else:
            plans = asyncio.run(tasks_from_db(args.db))
    except SourceError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    qualified = len(plans) > 1
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    write_matches(stdin, sys.stdout, plans, top=args.top or 3, unit=args.unit, qualified=qualified)
    return 0
