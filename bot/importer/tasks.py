"""Build a PlanTask from the fields found for it, whatever layout they came from.

Text plans, Word tables, PDF tables and Excel ledgers all end here, so a task reads the
same from every format and a re-import of the same plan in another format changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from bot.deadlines import only_time_limit, parse_deadline
from bot.extract import (
    DONE,
    LATE,
    MOSTLY_DONE,
    NOT_STARTED,
    ONGOING,
    extract_percent,
    extract_status,
)
from bot.importer.cleaning import fold, tidy
from bot.importer.fields import (
    Fields,
    MeasureFields,
    bracket_values,
    split_measures,
    strip_number,
    trailing_fields,
)
from bot.importer.names import (
    UNIT_SUFFIX,
    UnitSplit,
    people_beside_units,
    person_names,
    split_duty,
    split_units,
    split_written,
)
from bot.plandata import Deadline, ImportNote, Measure, PlanTask, Progress

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
    progress_rows: list[str] = field(default_factory=list)
    # in a workbook of a sheet per county: the county whose copy this is ("" the city's sheet)
    county: str | None = None


def title_of(text: str) -> str:
    """The first sentence: what the task is called in lists and matched against, without the
    "…第十二项(整改任务):" a report opens its problem with."""
    text = re.sub(r"^.{0,40}?第[一二三四五六七八九十百\d]+项(?:整改任务|整改问题|问题|任务)?\s*[:：]", "", text)
    m = _SENTENCE.match(text)
    return _POINT_AT_END.sub("", (m.group() if m else text).strip().rstrip("。;；"))


# 不规范. typed with a point; an English sentence's full stop
_POINT_AT_END: Final = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=%)|(?<=[a-z]))\.$")


_MODE_CATEGORY: Final = re.compile(
    r"^(立行立改|立即整改|即知即改|限期整改|分阶段整改|阶段性整改|持续整改|长期整改|长期坚持|持续推进)"
    r"(?:类|的|型)?(?:问题|任务|事项|清单)?\s*(?:\(.*\))?[:：]?$"
)


def build_task(draft: TaskDraft, known_units: set[str], aliases: dict[str, str]) -> PlanTask:
    f = draft.fields
    kind = _MODE_CATEGORY.match(fold(draft.category))
    if kind and not f.values.get("mode"):
        f.values["mode"] = [kind.group(1)]  # tasks listed under 立行立改问题 are worked that way
    heading = tidy(draft.heading)
    problem = tidy(f.text("problem"))
    intro, measures = split_measures(f.values.get("measures", []))
    goal = tidy(f.text("goal"))
    task = PlanTask(
        ref=draft.ref,
        title=title_of(_named(draft, heading, problem) or problem or heading),
        problem=problem,
        goal=goal or intro,
        measures=[Measure(i, text) for i, text in enumerate(measures, 1)],
        category=draft.category,
    )
    own = _bracketed_measures(measures)
    duty = dict(zip(("leaders", "units"), split_duty(fold(f.text("duty"))), strict=True))
    task.leaders = person_names(_joined(_with_measures(f, "leaders", own), duty["leaders"]))
    marked = UnitSplit()
    beside: list[str] = []
    for role in ("lead_units", "units", "supporting_units", "supervisors"):
        written, people = people_beside_units(_joined(_with_measures(f, role, own), duty.get(role, "")))
        beside.extend(people)
        split = split_units(written, known_units)
        aliases.update(split.aliases)
        moved = split.supporting if role == "lead_units" else split.lead if role == "supporting_units" else []
        setattr(task, role, [name for name in split.names if name not in moved])
        marked.lead.extend(split.lead if role in ("units", "supporting_units") else [])
        marked.supporting.extend(split.supporting if role in ("units", "lead_units") else [])
    _marked_roles(task, marked)
    task.principals = [tidy(p) for p in split_written(f.text("principals"))]
    task.persons = list(dict.fromkeys([*person_names(_with_measures(f, "persons", own)), *beside]))
    task.deadline = task_deadline(f, [m.text for m in task.measures])
    progress_text = tidy(f.text("progress"))
    if progress_text:
        task.progress = _progress(progress_text, draft.completion_report, draft.progress_rows)
    task.progress = _with_percent(task.progress, tidy(f.text("percent")))
    task.progress = _stage_done(_stated(task.progress, tidy(f.text("status"))), task.deadline)
    task.progress = _noted(task.progress, tidy(f.text("note")), draft.completion_report)
    if task.progress is None and states_done(task.deadline.text):
        task.progress = _progress(task.deadline.text, draft.completion_report)
    return task


# a ledger's 完成时限 cell filled in as the work ended: it reports the task done, no date
_DONE_INSTEAD_OF_DATE: Final = re.compile(r"(?:已|已经)于?(?:完成|整改完成|整改到位|整改完毕|整改|办结|销号)(?:整改)?")
_WHEN: Final = re.compile(r"(?:(?:19|20)\d{2}\s*[年./-]\s*)?(?:\d{1,2}\s*[月./-]\s*(?:\d{1,2}\s*日?)?(?:底|末|份)?)?")


def states_done(deadline_text: str) -> bool:
    """Whether a deadline cell says the task is done instead of when it is due, possibly
    saying when it was (已于2024年3月完成, 2024年3月已完成)."""
    text = fold(deadline_text).strip(" 。.")
    return bool(_DONE_INSTEAD_OF_DATE.fullmatch(text) or _DONE_INSTEAD_OF_DATE.fullmatch(_WHEN.sub("", text)))


# "备注：本表由各责任单位填报" after the last task speaks of the document, not of the task
_ABOUT_THE_LIST: Final = re.compile(r"^(?:\d[.、])?\s*(?:本方案|本表|本清单|本台账|此表|表中|以上)")


def _noted(progress: Progress | None, note: str, completion_report: bool) -> Progress | None:
    """A remark (备注) that is not a time limit stays with the progress, which every card
    and export shows: after the progress text, or as the progress where it reports one
    (已于5月通过验收), else marked as the remark it is."""
    if not note or only_time_limit(note) or _ABOUT_THE_LIST.match(note):
        return progress
    if progress is not None:
        ended = re.search(r"[。;；!?！？]$", progress.text)
        return replace(progress, text=f"{progress.text}{'' if ended else '；'}备注：{note}")
    said = _progress(note, completion_report)
    if said.status is not None:
        return said
    return Progress(text=f"备注：{note}")


def _joined(*texts: str) -> str:
    return "、".join(text for text in texts if text)


def _with_measures(fields: Fields, role: str, measures: list[MeasureFields]) -> str:
    """A name field of the task together with the same field of each of its measures, folded:
    table cells keep the document's full-width marks, and a name has one spelling
    (各县(市、区)人民政府) and its role note (牵头) is read whatever the format."""
    parts = [fields.text(role), *(each.values.get(role, "") for each in [*fields.per_measure, *measures])]
    return fold("、".join(part.rstrip(" ;；,，。、") for part in parts if part.strip()))


def _named(draft: TaskDraft, heading: str, problem: str) -> str:
    """A task's own short name above a problem labelled apart ("(一)党建引领作用发挥不充分"
    over "问题：部分基层党组织…") is what it is called; a heading that opens the problem is
    the problem, and a report's heading names the report."""
    if draft.completion_report or not heading or not problem or len(heading) > 40:
        return ""
    return "" if problem.startswith(title_of(heading)) else heading


def task_deadline(
    fields: Fields, measures: list[str], plan_year: int | None = None, issued: date | None = None
) -> Deadline:
    """The task's own deadline and those of its measures: each dated measure is a milestone
    named after the measure (unless its deadline names what is due), a measure to be kept up
    makes the task ongoing, and so does a 整改类型 of 持续整改 (立行立改 there: immediate).
    Without a deadline of its own the task's text lists the measures'."""
    deadline = read_deadline(tidy(fields.text("deadline")), plan_year, issued)
    mode = parse_deadline(tidy(fields.text("mode")))  # a 整改类型 column: 立行立改, 持续整改
    deadline.immediate |= mode.immediate
    deadline.ongoing |= mode.ongoing
    texts = []
    for each in [*fields.per_measure, *_bracketed_measures(measures)]:
        text = tidy(each.values.get("deadline", ""))
        if not text:
            continue
        texts.append(text)
        own = read_deadline(text, plan_year, issued)
        deadline.immediate |= own.immediate
        deadline.ongoing |= own.ongoing
        label = _measure_label(each.line, measures)
        deadline.milestones.extend(replace(m, text=m.text or label) for m in own.milestones)
    if texts:
        deadline.milestones.sort(key=lambda m: m.due or date.max)
        deadline.text = deadline.text or "；".join(dict.fromkeys(texts))
    if not deadline.text and (mode.immediate or mode.ongoing):
        deadline.text = mode.text  # 立行立改 is the time limit the list sets for its tasks
    return _with_note(deadline, tidy(fields.text("note")), plan_year, issued)


def read_deadline(text: str, plan_year: int | None = None, issued: date | None = None) -> Deadline:
    """A plan's 整改时限 field: ``parse_deadline`` of a time limit stated alone, where a bare
    3个月内完成 counts from the plan's date."""
    return parse_deadline(text, plan_year, issued, stated_alone=True)


def _with_note(deadline: Deadline, note: str, plan_year: int | None, issued: date | None) -> Deadline:
    """A remark that only says when (长期坚持, 2025年6月底前全部完成) adds to the deadline."""
    if not note or not only_time_limit(note):
        return deadline
    own = read_deadline(note, plan_year, issued)
    deadline.text = "；".join(t for t in (deadline.text, own.text) if t)
    deadline.immediate |= own.immediate
    deadline.ongoing |= own.ongoing
    deadline.milestones = sorted([*deadline.milestones, *own.milestones], key=lambda m: m.due or date.max)
    return deadline


_TRAILING_BRACKET: Final = re.compile(r"[(（]([^()（）]{2,30})[)）][。;；,，.\s]*$")


def _bracketed_measures(measures: list[str]) -> list[MeasureFields]:
    """Measures that end with their own fields in brackets ("一是…排查(责任单位:县市场监管局;
    完成时限:2024年6月底前);二是…", written in one paragraph) or with their deadline alone
    there ("开展管网排查(2024年6月底前);", "(长期坚持)"): each deadline is a milestone of the
    task and each name is the task's, as a bracket closing a line of its own would be."""
    out = []
    for measure in measures:
        labelled = trailing_fields(fold(measure))
        if labelled is not None:
            out.append(MeasureFields(labelled[0], bracket_values(labelled[1])))
            continue
        m = _TRAILING_BRACKET.search(measure)
        if m is None:
            continue
        own = parse_deadline(m.group(1), 2000)  # any year: only whether it is a deadline
        if not (own.immediate or own.ongoing or own.milestones):
            continue
        if any(len(ms.text) > 6 for ms in own.milestones) or re.search(r"已|完成\d|共|累计", m.group(1)):
            continue
        out.append(MeasureFields(measure[: m.start()], {"deadline": m.group(1)}))
    return out


def _unbracketed(measure: str) -> str:
    """A measure without the bracket of fields or deadline that closes it."""
    labelled = trailing_fields(fold(measure))
    return labelled[0] if labelled is not None else _TRAILING_BRACKET.sub("", measure)


def _measure_label(line: str, measures: list[str]) -> str:
    """What a measure's milestone is called: the opening clause of the measure; none where
    one row lists several measures (1.…；2.…) under one deadline, which is all of theirs."""
    if len(split_measures([line])[1]) > 1 and strip_number(tidy(line)) != tidy(line):
        return ""
    tail = tidy(line).rstrip("。;；,，")[-8:]
    found = next((m for m in measures if tail and tail in fold(m)), None)
    sentence = title_of(_unbracketed(found) if found is not None else strip_number(tidy(line)))
    clause = re.split(r"[,，:：]", sentence)[0]
    return clause if len(clause) >= 4 else sentence


def _marked_roles(task: PlanTask, split: UnitSplit) -> None:
    """A units field that says who leads and who helps (市住建局(牵头)、市财政局; 市城管局牵头，
    市应急局配合) fills 牵头单位 and 配合单位 as those columns would; the names stay units
    too, since the field named them as responsible."""
    task.lead_units = list(dict.fromkeys([*task.lead_units, *split.lead]))
    task.supporting_units = list(dict.fromkeys([*task.supporting_units, *split.supporting]))


def _progress(text: str, completion_report: bool, rows: list[str] | None = None) -> Progress:
    """Status in the project's six words (bot.extract), read from the head of the text, where
    a 台账 column states it; ledger phrases chat never uses (长期坚持, 达到序时进度) count as
    正在推进. A completion report is complete unless its head says otherwise; its head often
    mixes "均完成" with "某市未完成", which chat reading calls 基本完成. A ledger task with one
    progress cell per measure row is as far as its least advanced row, and so is a cell that
    numbers its items (1.已完成制度修订；2.正在开展培训)."""
    if rows and len(rows) > 1:
        return _rows_progress(text, rows)
    items = split_measures([text])[1] if strip_number(text) != text and not completion_report else []
    if len(items) > 1:
        return _rows_progress(text, items)
    head = _SENTENCE.match(text)
    first = head.group() if head else text
    status = _status_of(first)
    if completion_report and status in {None, MOSTLY_DONE}:
        status = DONE
    percent = extract_percent(first)
    if percent is None and status == DONE:
        percent = 100
    if status is None and percent is not None:
        status = _percent_status(percent)
    return Progress(text=text, status=status, percent=percent)


def _percent_status(percent: int) -> str:
    """How far a percent of progress (a 完成进度 cell of "30%", 已收回…占33.8%) says the
    work is, where no word states it."""
    return DONE if percent >= 100 else ONGOING if percent > 0 else NOT_STARTED


def _status_of(text: str) -> str | None:
    status = extract_status(text[:40])
    if status is None and _LEDGER_DONE.search(text[:20]):
        status = DONE
    if status is None and _LEDGER_ONGOING.search(text[:20]):
        status = ONGOING
    return status


# An audit ledger's money is settled in full: 已全部收回88万元, 已足额缴库.
_LEDGER_DONE: Final = re.compile(
    r"^(?:已|均已)?(?:全部|全额|足额)(?:收回|追回|清退|退回|退还|缴库|上缴|拨付|归还|补缴|整改到位)"
)


def _rows_progress(text: str, rows: list[str]) -> Progress:
    """Rows of one task, one measure each: done only when every row says so; a percent of
    one row is not the task's."""
    statuses = [s for s in (_status_of(tidy(row)) for row in rows) if s]
    undone = [s for s in statuses if s != DONE]
    if statuses and not undone:
        return Progress(text=text, status=DONE, percent=100)
    if LATE in undone:
        status: str | None = LATE
    elif len(set(undone)) == 1:
        status = undone[0] if undone[0] != NOT_STARTED or len(undone) == len(statuses) else ONGOING
    else:
        status = ONGOING if undone else None
    return Progress(text=text, status=status, percent=None)


def _with_percent(progress: Progress | None, cell: str) -> Progress | None:
    """A 完成进度 column beside the progress text: its percent is the task's (100% is done,
    less is not), the text stays the words the unit wrote."""
    percent = extract_percent(cell) if cell else None
    if percent is None:
        return progress
    said = _percent_status(percent)
    if progress is None:
        return Progress(text=cell, status=said, percent=percent)
    status = progress.status or said
    if status in {DONE, MOSTLY_DONE} and percent < 100:
        status = MOSTLY_DONE if percent >= 90 else ONGOING
    return replace(progress, status=status, percent=percent)


_YES: Final = re.compile(r"^(?:是|已完成|完成|已整改|已销号|已办结|办结|整改到位|已整改到位)$")
_NO: Final = re.compile(r"^(?:否|未完成|未整改|未销号|未办结|正在整改|整改中)$")


def _stated(progress: Progress | None, stated: str) -> Progress | None:
    """A 是否完成/完成状态 column states the status: 是 completes the task, 否 beside reported
    progress (已完成 of one step, 已发放80%) keeps the task under way; a status word (正在推进) there gives the
    status a progress cell of facts (已划定疏导点12处) does not."""
    if not stated:
        return progress
    text = progress.text if progress else stated
    if _YES.match(stated):
        return Progress(text=text if progress else DONE, status=DONE, percent=100)
    if _NO.match(stated):
        if progress is None:
            return Progress(text="未完成" if stated == "否" else stated, status=None, percent=None)
        status = progress.status if progress.status not in {None, DONE} else ONGOING
        percent = progress.percent if progress.percent != 100 else None
        return Progress(text=text, status=status, percent=percent)
    said = _progress(stated, False)
    if progress is None:
        return said
    return replace(progress, status=progress.status or said.status)


def _stage_done(progress: Progress | None, deadline: Deadline) -> Progress | None:
    """完成排查 under 9月底前完成排查，12月底前完成整改 is the first stage done, not the task."""
    stages = [m.text for m in deadline.milestones if m.text]
    if progress is None or progress.status != DONE or len(stages) < 2 or _names(progress.text, stages[-1]):
        return progress
    if any(_names(progress.text, stage) for stage in stages[:-1]):
        return replace(progress, status=ONGOING, percent=None)
    return progress


def _names(text: str, stage: str) -> bool:
    """Whether progress speaks of a stage: 完成工程建设 as written, or its work the other way
    round (工程建设已完成)."""
    work = re.sub(r"^(?:全面|基本|全部)?完成", "", stage)
    return stage in text or (len(work) >= 2 and work != stage and work in text)


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
