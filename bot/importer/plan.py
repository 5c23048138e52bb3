"""Assemble a ParsedPlan from a read document: title, year, tasks, names, aliases.

Names are resolved only after every task is found, because a unit glued to its neighbour or
cut at a line break is recognised by the names the rest of the plan spells out.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import date
from typing import Final

from bot.importer.cleaning import (
    clean_lines,
    fold,
    is_contents,
    is_signer,
    normalize_line,
    strip_closing,
    tidy,
)
from bot.importer.counties import merge_counties
from bot.importer.errors import PlanReadError
from bot.importer.names import is_post, split_people
from bot.importer.punctuation import restore, writes_full_width
from bot.importer.readers import Hidden, RawDocument
from bot.importer.structure import find_drafts, form_drafts, reflow
from bot.importer.tables import tables_drafts
from bot.importer.tasks import (
    TaskDraft,
    build_task,
    repair_truncated,
    states_done,
    task_deadline,
    unit_names,
)
from bot.plandata import ImportNote, ParsedPlan, PlanTask

_TITLE_WORDS: Final = re.compile(r"(?i:\b(?:plan|ledger|tracker|checklist)\b)|方案|清单|计划|报告|情况表|公示|台账|通知|意见|(?:分解|任务|明细|一览|统计|进度|销号|对照|分工|督办|推进|落实)表")
_ANNEX_MARK: Final = re.compile(r"^附\s*件\s*[0-9一二三四五六七八九十]{0,3}\s*[:：]?$")
_REPORT: Final = re.compile(r"完成情况|销号|公示|整改情况")
_QUOTED_TITLE: Final = re.compile(r"《([^》]{6,80}?(?:方案|清单|计划|报告))》")
_DATE_LINE: Final = re.compile(
    r"^(?:发布时间\s*[:：]?\s*|印发日期\s*[:：]?\s*|成文日期\s*[:：]?\s*)?\(?((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?"
)
_DATE_ANYWHERE: Final = re.compile(
    r"(?:发布时间|印发日期|成文日期|(?:填报|制表|统计)(?:时间|日期))\s*[:：]?\s*((?:19|20)\d{2})\s*[年./-]"
)
# "(2024年5月)" under the title: the plan's month, written without a day
_MONTH_LINE: Final = re.compile(r"^[(（]?((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月[)）]?$")


def parse_document(raw: RawDocument, source_name: str, plan_year: int | None = None) -> ParsedPlan:
    if raw.unhidden is not None and not tables_drafts(raw.tables) and tables_drafts(raw.unhidden.tables):
        # A workbook whose only ledger sheet is hidden (a cover or 填报说明 sheet on show) was
        # sent to be imported: the clerk wants its tasks, not "no tasks found" and a hunt for
        # Excel's Unhide. Nothing is stored before Import, and the preview's first note says
        # which hidden sheet the tasks come from, so a sheet hidden on purpose costs a Cancel.
        raw = raw.unhidden
    lines = reflow(clean_lines(raw.lines))
    title = _title(lines)
    body = _without_running_title(lines, title)
    drafts = tables_drafts(raw.tables) or form_drafts(raw.tables) or find_drafts(strip_closing(body))
    if not drafts:
        raise PlanReadError("not_a_plan", source_name)
    plan = ParsedPlan(title=title or source_name, source_name=source_name)
    plan.warnings.extend(_hidden_notes(raw.hidden))
    if len(drafts) == 1 and _REPORT.search(plan.title):
        drafts[0].completion_report = True
    known: set[str] = set()
    tasks: list[PlanTask] = []
    for _ in range(2):  # the second pass splits glued units by the names of the first
        aliases: dict[str, str] = {}
        tasks = [build_task(d, known, aliases) for d in drafts]
        known = unit_names(tasks) | set(aliases) | set(aliases.values())
    plan.aliases = aliases
    plan.warnings.extend(repair_truncated(tasks, known))
    issued = _issued(raw.lines)
    plan.year = plan_year or _date_line_year(raw.lines) or _common_deadline_year(tasks)
    plan.issuer = _issuer(lines)
    for task, draft in zip(tasks, drafts, strict=True):
        if plan.year:
            task.deadline = task_deadline(
                draft.fields,
                [m.text for m in task.measures],
                plan.year,
                issued if issued and issued.year == plan.year else None,
            )
    plan.tasks = tasks
    cells = (cell or "" for table in raw.tables for row in table.rows for cell in row)
    if writes_full_width([*raw.lines, *cells]):
        restore(plan)
    counties = list(dict.fromkeys(d.county for d in drafts if d.county))
    if counties:  # fewer tasks than rows in the workbook: the preview says why
        plan.warnings.append(ImportNote("county_sheets", "", "、".join(counties)))
    plan.tasks = _unique_refs(merge_counties(tasks, drafts))
    plan.warnings.extend(dict.fromkeys(_unread(tasks, drafts)))  # the counties' copies of a task say it once
    return plan


def _hidden_notes(hidden: list[Hidden]) -> list[ImportNote]:
    """The preview says what a workbook hid and the import left out, so that an office
    which hid a live row by mistake sees it before pressing Import: a sheet by its name, rows
    by their numbers (5-7,9) on their sheet."""
    notes = []
    for each in hidden:
        if each.read:
            notes.append(ImportNote("hidden_sheet_read", each.sheet, each.sheet))
        elif not each.rows:
            notes.append(ImportNote("hidden_sheet", each.sheet, each.sheet))
        else:
            notes.append(ImportNote("hidden_rows", each.sheet, _row_runs(each.rows)))
    return notes


def _row_runs(rows: list[int]) -> str:
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _without_running_title(lines: list[str], title: str) -> list[str]:
    """The title printed again as a running header between the tasks of a scanned or
    extracted text (its page numbers are gone already) is no part of the task it interrupts."""
    if not title:
        return lines
    key = re.sub(r"\s+", "", title)
    return [*lines[:8], *(ln for ln in lines[8:] if re.sub(r"\s+", "", ln) != key)]


def _unread(tasks: list[PlanTask], drafts: list[TaskDraft]) -> list[ImportNote]:
    """What the preview must show as not understood: leader entries that are not names and
    deadlines that name no date (an event, or text the parser does not know)."""
    notes: list[ImportNote] = []
    for task, draft in zip(tasks, drafts, strict=True):
        rejected = [n for n in split_people(fold(draft.fields.text("leaders"))) if n not in task.leaders]
        rejected = [n for n in rejected if not any(leader in n for leader in task.leaders) and not is_post(n)]
        if rejected:
            notes.append(ImportNote("not_leaders", task.ref, "、".join(rejected)))
        d = task.deadline
        dues = {m.due for m in d.milestones}
        # 2024年前 in a 2024 plan: the end of 2023 or of 2024, the office must say, also
        # where another stage of the deadline (2025年前完成整治) is dated
        vague = [year for m in _YEAR_BEFORE.finditer(fold(d.text)) if date(year := int(m.group(1)) - 1, 12, 31) not in dues]
        if vague and not states_done(d.text):
            notes.append(ImportNote("year_before", task.ref, d.text, str(vague[0])))
        elif d.text and not d.milestones and not d.immediate and not d.ongoing and not states_done(d.text):
            notes.append(ImportNote("undated_deadline", task.ref, d.text))
    return notes


_YEAR_BEFORE: Final = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:之前|以前|前(?!后))")


def _title(lines: list[str]) -> str:
    """A short line naming a 方案/清单/报告 near the top (possibly over two lines); else a
    quoted 《…方案》; else the opening words of a flattened first line."""
    head = [_NOTE_AFTER_TITLE.sub("", tidy(line)) for line in lines[:8]]  # 整 改 方 案: a spaced scan
    depth = 0
    for i, line in enumerate(head):
        inside_quote = depth > 0
        depth = max(0, depth + line.count("《") - line.count("》"))
        if (
            inside_quote
            or depth > 0
            or len(line) > 80
            or not _TITLE_WORDS.search(line)
            or re.match(r"^(根据|为|按照|经|\d{4}年(?!度))", line)
            or re.search(r"[。,，;；:：]", line)
        ):
            continue
        quoted = _QUOTED_TITLE.search(line)
        if quoted:
            return quoted.group(1)
        title = line
        before = head[i - 1] if i > 0 else ""
        if (
            before
            and len(before) <= 40
            and not re.search(r"[。;；,，:：]$", before)
            and not _TITLE_WORDS.search(before)
            and not _ANNEX_MARK.match(before)  # 附件1 above the title of the annexed plan
        ):
            title = before + (" " if re.search(r"[A-Za-z]$", before) and re.match(r"[A-Za-z]", title) else "") + title
        return _sent_plan(tidy(title))
    m = _QUOTED_TITLE.search("".join(head))
    if m:
        return m.group(1)
    for line in head:
        if _ITEM_NUMBER.match(line):  # "2.完成时限按整改方案填写": a numbered note, not a title
            continue
        cut = re.match(r"^(?:附\s*件\s*[0-9一二三四五六七八九十]{0,3}\s*)?(.{6,60}?(?:方案|清单|计划|报告|情况表))", line)
        if cut:
            return tidy(cut.group(1))
    return ""


# 某县巡察整改台账(填报时间:2024年5月6日): a note on the title's line, not part of it
_NOTE_AFTER_TITLE: Final = re.compile(r"\s*[(（][^()（）]*(?:时间|日期|单位|填报|制表)[^()（）]*[)）]\s*$")
# 某区人民政府办公室关于印发某区…整改方案的通知: the notice sends the plan, which is named
_SENDS: Final = re.compile(r"^.*?关于(?:印发|转发|下发)\s*《?(.{6,80}?)》?\s*的通知$")


def _sent_plan(title: str) -> str:
    m = _SENDS.match(title)
    return m.group(1) if m and _TITLE_WORDS.search(m.group(1)) else title


_ITEM_NUMBER: Final = re.compile(r"^\s*(?:\d{1,2}\s*[.、]|[(（]\d{1,2}[)）])")
_ISSUER: Final = re.compile(
    r"((?:中共)?[\u4e00-\u9fff]{2,10}?(?:省委|市委|县委|区委|州委)"
    r"(?:[、,，\s]*[\u4e00-\u9fff]{2,10}?(?:人民政府|政府))?)(?:办公室|办公厅)?(?:联合)?印发"
)
_SIGNATURE: Final = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{2,12}(?:委员会|省委|市委|县委|区委|人民政府|政府|办公室|办公厅|党组|党委)$")


def _issuer(lines: list[str]) -> str:
    """Who issued the plan: "中共保定市委、保定市人民政府印发…" near the top, or the signature
    lines above the closing date."""
    for line in lines[:6]:
        m = _ISSUER.search(line)
        if m:
            return m.group(1)
    tail = lines[-8:]
    for i, line in enumerate(tail):
        if _DATE_LINE.match(line) and len(line) < 20:
            names = [ln for ln in tail[max(0, i - 3) : i] if _SIGNATURE.match(ln)]
            if names:
                return "、".join(names)
    # a 通知 or a plan signed above its date before the 附件 that holds the task table
    for i, line in enumerate(lines):
        if not (_DATE_LINE.match(line) and len(line) < 20):
            continue
        names = list(itertools.takewhile(lambda ln: bool(_SIGNATURE.match(ln)), reversed(lines[max(0, i - 3) : i])))
        if names:
            return "、".join(reversed(names))
    return ""


def _issued(raw_lines: list[str]) -> date | None:
    """The plan's own date, when whole: a dated label near the top (印发日期, 填报时间:
    2024年5月6日), the line under its title or above the signature, or a date right under a
    signature anywhere (a 通知 sending the plan signs and dates it above the 附件)."""
    lines = [ln for ln in (normalize_line(raw) for raw in raw_lines) if ln and not is_contents(ln)]
    for line in [*lines[:10], *lines[10:][-6:]]:
        m = _DATED_LABEL.search(line)
        if m:
            found = _whole_date(m.group(1), m.group(2), m.group(3))
            if found:
                return found
    for line in [*lines[:5], *lines[-12:]]:
        m = _DATE_LINE.match(line)
        if m and (len(line) < 30 or "印发" in line[:40]):
            return _whole_date(m.group(1), m.group(2), m.group(3))
    for before, line in itertools.pairwise(lines):
        m = _DATE_LINE.match(line)
        if m and len(line) < 20 and (_SIGNATURE.match(before) or is_signer(before)) and len(before) <= 20:
            return _whole_date(m.group(1), m.group(2), m.group(3))
    return None


_DATED_LABEL: Final = re.compile(
    r"(?:发布时间|印发日期|成文日期|(?:填报|制表|统计)(?:时间|日期))\s*[:：]?\s*((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})"
)


def _whole_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_line_year(raw_lines: list[str]) -> int | None:
    lines = [normalize_line(ln) for ln in raw_lines]
    lines = [ln for ln in lines if ln and not is_contents(ln)]
    for line in lines[:10]:
        m = _DATE_ANYWHERE.search(line)
        if m:
            return int(m.group(1))
    for line in [*lines[:5], *lines[-12:]]:
        m = _DATE_LINE.match(line) or _MONTH_LINE.match(line)
        if m and (len(line) < 30 or "印发" in line[:40]):
            return int(m.group(1))
    issued = _issued(raw_lines)
    return issued.year if issued else None


def _common_deadline_year(tasks: list[PlanTask]) -> int | None:
    years = Counter(m.due.year for t in tasks for m in t.deadline.milestones if m.due)
    if not years:
        return None
    top = max(years.values())
    return max(year for year, n in years.items() if n == top)


def _unique_refs(tasks: list[PlanTask]) -> list[PlanTask]:
    """Refs are the key of re-imports; a document that numbers two tasks alike still yields
    distinct refs, in order."""
    seen: Counter[str] = Counter()
    for task in tasks:
        seen[task.ref] += 1
        if seen[task.ref] > 1:
            task.ref = f"{task.ref}.{seen[task.ref]}"
    return tasks
