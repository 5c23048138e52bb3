"""The body of ``rectibot match``: one JSON object per input line (DESIGN.md contract).

Kept apart from argument parsing so the CLI, tests and benchmarks run the same code;
the caller supplies the tasks (from ``--plan`` or ``--db``) and writes the dicts out.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from bot.matching import Matcher, MatchTask

MAX_MESSAGE = 4096
"""Telegram's longest text message; anything longer is matched on its first part."""

QUALIFIER = ":"


def _parse_line(line: str) -> tuple[str, str | None]:
    """A raw message, or ``{"text", "unit"}``; anything else on the line is plain text."""
    stripped = line.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            obj = json.loads(stripped)
        except ValueError:
            return line, None
        if isinstance(obj, dict):
            text = obj.get("text")
            unit = obj.get("unit")
            return (
                text if isinstance(text, str) else "",
                unit if isinstance(unit, str) and unit.strip() else None,
            )
    return line, None


def _matcher(
    tasks: Matcher | Sequence[MatchTask] | Mapping[str, Sequence[MatchTask]],
    plan_qualified: bool,
) -> Matcher:
    if isinstance(tasks, Matcher):
        return tasks
    if isinstance(tasks, Mapping):
        merged: list[MatchTask] = []
        for plan_id, plan_tasks in tasks.items():
            for task in plan_tasks:
                if plan_qualified:
                    task = dataclasses.replace(task, ref=f"{plan_id}{QUALIFIER}{task.ref}", label=task.label or task.ref)
                merged.append(task)
        return Matcher.build(merged)
    return Matcher.build(tasks)


def run_match(
    lines: Iterable[str],
    tasks: Matcher | Sequence[MatchTask] | Mapping[str, Sequence[MatchTask]],
    *,
    top: int = 3,
    unit: str | None = None,
    plan_qualified: bool = False,
) -> Iterator[dict[str, Any]]:
    """Match each line and yield ``{"text", "intent", "candidates", "accepted"}``.

    ``tasks`` is a built :class:`Matcher`, one plan's tasks, or ``{plan id: tasks}``;
    with ``plan_qualified`` (the database holds several plans) refs of a mapping are
    written ``<plan id>:<ref>``. A line's own ``unit`` overrides ``unit``. The index is
    built once, before the first line is read, so a pipe of messages is answered as
    they arrive.
    """
    matcher = _matcher(tasks, plan_qualified)
    top = max(1, top)
    for raw in lines:
        line = raw.rstrip("\r\n")
        text, line_unit = _parse_line(line)
        result = matcher.match(text[:MAX_MESSAGE], unit=line_unit or unit, top=top)
        yield {
            "text": text,
            "intent": result.intent,
            "candidates": [c.to_json() for c in result.candidates],
            "accepted": result.accepted,
        }
