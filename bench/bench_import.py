"""Time the importer on the five seed plans and the Word/PDF fixtures.

Run: ``.venv/bin/python bench/bench_import.py``. Prints the best of a few runs per document
and its ratio to the fastest, measured in this one run (no absolute bounds: machines differ).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.importer import parse_bytes  # noqa: E402

DATA = ROOT / "tests" / "data" / "import"
REPEAT = 3


def best_of(data: bytes, name: str) -> tuple[float, int, int]:
    times = []
    tasks = measures = 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        plan = parse_bytes(data, name)
        times.append(time.perf_counter() - start)
        tasks, measures = len(plan.tasks), sum(len(t.measures) for t in plan.tasks)
    return min(times), tasks, measures


def main() -> None:
    rows = []
    for path in sorted(DATA.iterdir()):
        if path.suffix in {".txt", ".docx", ".pdf", ".xlsx"}:
            rows.append((path.name, *best_of(path.read_bytes(), path.name)))
    fastest = min(r[1] for r in rows)
    print(f"{'document':45} {'seconds':>8} {'x fastest':>9} {'tasks':>6} {'measures':>8}")
    for name, seconds, tasks, measures in rows:
        print(f"{name:45} {seconds:8.3f} {seconds / fastest:9.1f} {tasks:6d} {measures:8d}")
    text_total = sum(r[1] for r in rows if r[0].endswith(".txt"))
    print(f"{'all text seeds together':45} {text_total:8.3f}")


if __name__ == "__main__":
    main()
