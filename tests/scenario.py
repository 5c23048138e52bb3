"""Helpers that let a test read like a conversation: events in, the bot's messages out."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.simulate import simulate

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_LAST_CLOCK: dict[Path, dict[str, Any]] = {}


def _on_the_same_clock(settings: Settings, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A script without a clock event goes on at the time the previous script on the same
    data ended, as a restart a moment later would.

    ``simulate`` would start it at the machine's "now": years after the scripts' 2019, so the
    scheduler would catch up every slot in between at start-up (slow, and a test's outcome
    must not depend on the day it runs).
    """
    clocks = [e for e in events if "clock" in e]
    if clocks:
        _LAST_CLOCK[settings.data_dir] = clocks[-1]
        return events
    last = _LAST_CLOCK.get(settings.data_dir)
    return [last, *events] if last else events


async def converse(
    settings: Settings, events: list[dict[str, Any]], *, plans: list[Path] | None = None, name: str = "script"
) -> list[dict[str, Any]]:
    """Run ``events`` through ``rectibot simulate`` in-process and return its output items."""
    script = settings.data_dir.parent / f"{name}.jsonl"
    script.parent.mkdir(parents=True, exist_ok=True)
    events = _on_the_same_clock(settings, events)
    script.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events), encoding="utf-8")
    output, code = await simulate(settings, script, plans or [])
    assert code == 0, output
    unfilled = [o["text"] for o in output if _PLACEHOLDER.search(o.get("text") or "")]
    assert not unfilled, f"a message went out with a placeholder left in it: {unfilled[0]!r}"
    return output


def texts(output: list[dict[str, Any]], chat: int | None = None) -> list[str]:
    return [o["text"] for o in output if "text" in o and (chat is None or o["chat"] == chat)]
