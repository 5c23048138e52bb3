"""Quality figures of the matcher on a labelled dev set (issue 6's "done when").

Shared by ``tests/test_matching.py`` (which asserts the targets) and
``bench/bench_matcher.py`` (which prints them), so both report the same numbers.

A dev-set line is ``{"text", "kind": "report"|"question"|"none", "refs": [...],
"measure": n|null, "clear": bool}``; ``refs`` lists every task a careful human would
accept for the report, first the most likely; an empty list means the report names no
task at all and must never be accepted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.matching import MatchResult


@dataclass(frozen=True)
class DevItem:
    text: str
    kind: str
    refs: tuple[str, ...]
    measure: int | None
    clear: bool


def load_devset(path: Path) -> list[DevItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw: dict[str, Any] = json.loads(line)
        items.append(
            DevItem(
                text=raw["text"],
                kind=raw["kind"],
                refs=tuple(raw.get("refs") or ()),
                measure=raw.get("measure"),
                clear=bool(raw.get("clear")),
            )
        )
    return items


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


@dataclass
class Quality:
    """Counts behind each figure, so a failing target shows its denominator."""

    accepted: int = 0
    accepted_right: int = 0
    clear: int = 0
    clear_accepted_right: int = 0
    with_refs: int = 0
    among_candidates: int = 0
    measure_named: int = 0
    measure_right: int = 0
    not_reports: int = 0
    not_reports_taken: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def accept_precision(self) -> float:
        return _ratio(self.accepted_right, self.accepted)

    @property
    def clear_accept_rate(self) -> float:
        return _ratio(self.clear_accepted_right, self.clear)

    @property
    def candidate_recall(self) -> float:
        return _ratio(self.among_candidates, self.with_refs)

    @property
    def measure_accuracy(self) -> float:
        return _ratio(self.measure_right, self.measure_named)

    @property
    def false_report_rate(self) -> float:
        return 1.0 - _ratio(self.not_reports - self.not_reports_taken, self.not_reports)

    def figures(self) -> dict[str, float]:
        return {
            "accepted_right": self.accept_precision,
            "clear_accepted": self.clear_accept_rate,
            "right_among_candidates": self.candidate_recall,
            "measure_right": self.measure_accuracy,
            "non_reports_taken_for_reports": self.false_report_rate,
        }

    def lines(self) -> list[str]:
        return [
            f"auto-accepted reports right      {self.accept_precision:7.1%}  "
            f"({self.accepted_right}/{self.accepted}, target >= 98%)",
            f"clear reports accepted           {self.clear_accept_rate:7.1%}  "
            f"({self.clear_accepted_right}/{self.clear}, target >= 60%)",
            f"right task among candidates      {self.candidate_recall:7.1%}  "
            f"({self.among_candidates}/{self.with_refs}, target >= 98%)",
            f"measure right when named         {self.measure_accuracy:7.1%}  "
            f"({self.measure_right}/{self.measure_named}, target >= 90%)",
            f"chit-chat/questions as reports   {self.false_report_rate:7.1%}  "
            f"({self.not_reports_taken}/{self.not_reports}, target <= 3%)",
        ]


def evaluate(items: Iterable[DevItem], match: Callable[[str], MatchResult]) -> Quality:
    """Run ``match`` over the dev set and count issue 6's figures."""
    q = Quality()
    for item in items:
        result = match(item.text)
        if item.kind != "report":
            q.not_reports += 1
            if result.intent == "report":
                q.not_reports_taken += 1
                q.mistakes.append(f"taken as report: {item.text}")
            continue
        refs = set(item.refs)
        right = result.accepted is not None and result.accepted in refs
        if result.accepted is not None:
            q.accepted += 1
            q.accepted_right += right
            if not right:
                q.mistakes.append(f"wrong accept {result.accepted} (want {item.refs}): {item.text}")
            elif item.measure is not None:
                q.measure_named += 1
                if result.accepted_measure == item.measure:
                    q.measure_right += 1
                else:
                    q.mistakes.append(
                        f"measure {result.accepted_measure} (want {item.measure}) "
                        f"{result.accepted}: {item.text}"
                    )
        if item.clear:
            q.clear += 1
            q.clear_accepted_right += right
        if refs:
            q.with_refs += 1
            if any(c.ref in refs for c in result.candidates):
                q.among_candidates += 1
            else:
                got = [(c.ref, c.score) for c in result.candidates]
                q.mistakes.append(f"not among candidates {got} (want {item.refs}): {item.text}")
    return q
