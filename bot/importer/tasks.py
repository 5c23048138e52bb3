"""Build a PlanTask from the fields found for it, whatever layout they came from.

Text plans, Word tables, PDF tables and Excel ledgers all end here, so a task reads the
same from every format and a re-import of the same plan in another format changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.deadlines import parse_deadline
from bot.extract import DONE, MOSTLY_DONE, ONGOING, extract_percent, extract_status
from bot.importer.cleaning import tidy
from bot.importer.fields import Fields, split_measures
from bot.importer.names import UNIT_SUFFIX, person_names, split_units, split_written
from bot.plandata import ImportNote, Measure, PlanTask, Progress

_LEDGER_ONGOING: Final = re.compile(r"长期坚持|序时进度|序时推进|持续整改|常态化")
_SENTENCE: Final = re.compile(r"[^。;；!?！？]+[。;；!?！？]?")


@dataclass
class TaskDraft:
    """A task before its names are resolved: unit splitting needs every unit of the plan."""

    ref: str
    heading: str
    fields: Fields
    category: str = ""
    completion_report: bool = False


def title_of(text: str) -> str:
    """The first sentence: what the task is called in lists and matched against."""
    text = re.sub(r"^.{0,40}?第[一二三四五六七八九十百\d]+项整改任务\s*[:：]", "", text)
    m = _SENTENCE.match(text)
    return (m.group() if m else text).strip().rstrip("。;；")


def build_task(draft: TaskDraft, known_units: set[str], aliases: dict[str, str]) -> PlanTask:
    f = draft.fields
    heading = tidy(draft.heading)
    problem = tidy(f.text("problem"))
    intro, measures = split_measures(f.values.get("measures", []))
    goal = tidy(f.text("goal"))
    task = PlanTask(
        ref=draft.ref,
        title=title_of(problem or heading),
        problem=problem,
        goal=goal or intro,
        measures=[Measure(i, text) for i, text in enumerate(measures, 1)],
        category=draft.category,
    )
    task.leaders = person_names(f.text("leaders"))
    for role in ("lead_units", "units", "supporting_units", "supervisors"):
        split = split_units(f.text(role), known_units)
        aliases.update(split.aliases)
        setattr(task, role, split.names)
    task.principals = [tidy(p) for p in split_written(f.text("principals"))]
    task.persons = person_names(f.text("persons"))
    task.deadline = parse_deadline(tidy(f.text("deadline")))
    progress_text = tidy(f.text("progress"))
    if progress_text:
        task.progress = _progress(progress_text, draft.completion_report)
    return task


def _progress(text: str, completion_report: bool) -> Progress:
    """Status in the project's six words (bot.extract), read from the head of the text, where
    a 台账 column states it; ledger phrases chat never uses (长期坚持, 达到序时进度) count as
    正在推进. A completion report is complete unless its head says otherwise; its head often
    mixes "均完成" with "某市未完成", which chat reading calls 基本完成."""
    head = _SENTENCE.match(text)
    first = head.group() if head else text
    status = extract_status(first[:40])
    if status is None and _LEDGER_ONGOING.search(first[:20]):
        status = ONGOING
    if completion_report and status in {None, MOSTLY_DONE}:
        status = DONE
    percent = extract_percent(first)
    if percent is None and status == DONE:
        percent = 100
    return Progress(text=text, status=status, percent=percent)


def unit_names(tasks: list[PlanTask]) -> set[str]:
    return {name for task in tasks for name in task.all_units()}


def repair_truncated(tasks: list[PlanTask], known: set[str]) -> list[ImportNote]:
    """A unit name that lost its last character or two at a line or cell break (市发展改革)
    is the one longer name of the plan it begins, when there is exactly one; a name that
    ends like a unit (市委) is complete and left alone."""
    notes: list[ImportNote] = []
    for task in tasks:
        for role in ("lead_units", "units", "supporting_units", "supervisors"):
            names = getattr(task, role)
            fixed = []
            for name in names:
                longer = [k for k in known if k != name and k.startswith(name) and len(k) - len(name) <= 2]
                if len(name) >= 4 and len(longer) == 1 and not UNIT_SUFFIX.search(name):
                    notes.append(ImportNote("unit_repaired", task.ref, name, longer[0]))
                    fixed.append(longer[0])
                else:
                    fixed.append(name)
            setattr(task, role, list(dict.fromkeys(fixed)))
    return notes
