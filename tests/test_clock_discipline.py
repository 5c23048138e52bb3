"""Only the bot's clock reads the time: tests move it, and a console session starts in 2019.

A stray ``date.today()`` answers by the machine's day instead of the bot's, which a
scenario on the virtual clock never notices until the two days differ in what they mean.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WALL_CLOCK = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.utcnow|datetime\.today)\(")


def test_no_module_but_the_clock_reads_the_wall_clock() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "handlers", "storage")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "bot" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
