"""What a plan document says, before it is stored: the importer's output.

These plain dataclasses are the boundary between reading documents (``bot.importer``),
the matcher, and storage. Their JSON form is the ``rectibot import --json`` contract of
DESIGN.md, so field names follow that contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Milestone:
    due: date | None
    text: str = ""
    start: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "text": self.text,
        }


@dataclass
class Deadline:
    text: str = ""
    immediate: bool = False
    ongoing: bool = False
    milestones: list[Milestone] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "immediate": self.immediate,
            "ongoing": self.ongoing,
            "milestones": [m.to_json() for m in self.milestones],
        }


@dataclass
class Measure:
    no: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"no": self.no, "text": self.text}


@dataclass
class Progress:
    text: str
    status: str | None = None
    percent: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "status": self.status, "percent": self.percent}


@dataclass
class PlanTask:
    ref: str
    title: str
    problem: str = ""
    goal: str = ""
    measures: list[Measure] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)
    principals: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    progress: Progress | None = None
    category: str = ""

    def all_units(self) -> list[str]:
        """Every unit named on the task, in role order, without repeats."""
        seen: dict[str, None] = {}
        for name in [*self.lead_units, *self.units, *self.supporting_units, *self.supervisors]:
            seen.setdefault(name, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "problem": self.problem,
            "goal": self.goal,
            "measures": [m.to_json() for m in self.measures],
            "leaders": list(self.leaders),
            "lead_units": list(self.lead_units),
            "units": list(self.units),
            "supporting_units": list(self.supporting_units),
            "supervisors": list(self.supervisors),
            "principals": list(self.principals),
            "persons": list(self.persons),
            "deadline": self.deadline.to_json(),
            "progress": self.progress.to_json() if self.progress else None,
        }


@dataclass(frozen=True)
class ImportNote:
    """Something the importer could not read with certainty, for the admin to check.

    Kept as data, not a sentence: the preview says it in the reader's language
    (``imports.note.<kind>``), naming the task and the words concerned.
    """

    kind: str  # unit_repaired | not_leaders | undated_deadline | hidden_rows | hidden_sheet | hidden_sheet_read
    ref: str
    text: str
    read_as: str = ""

    def __str__(self) -> str:
        # For logs and test failures only; people read the catalog's wording.
        return f"{self.ref}: {self.kind}: {self.text}" + (f" -> {self.read_as}" if self.read_as else "")


@dataclass
class ParsedPlan:
    title: str
    year: int | None = None
    issuer: str = ""
    source_name: str = ""
    source_sha256: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    tasks: list[PlanTask] = field(default_factory=list)
    warnings: list[ImportNote] = field(default_factory=list)

    def to_json(self, changes: dict[str, list[str]] | None = None) -> dict[str, Any]:
        return {
            "title": self.title,
            "year": self.year,
            "aliases": dict(self.aliases),
            "changes": changes,
            "tasks": [t.to_json() for t in self.tasks],
        }
