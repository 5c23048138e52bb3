"""Find which parts of a text document are tasks (DESIGN.md "Which parts are tasks").

Annexed task lists win; else numbered items that carry task fields anywhere in the document;
else the top-level items of the measures section; else, for a completion report, the whole
document is one task. The numbering styles are not fixed per level: whatever style carries
the fields is the task level, styles above it are categories, styles below are measures.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.importer.cleaning import clean_lines, is_full, normalize_line, tidy, wrap_width
from bot.importer.fields import (
    INHERITED_ROLES,
    Fields,
    Heading,
    core_fields,
    first_glued_label,
    heading_of,
    holds_bracketed_fields,
    label_role,
    list_fields,
    listed_measures,
    match_label,
    number_value,
    parse_fields,
    split_glued_fields,
    split_measures,
    trailing_fields,
    unbracket_labels,
)
from bot.importer.readers import Table, table_as_lines
from bot.importer.tasks import TaskDraft, title_of

_ANNEX: Final = re.compile(r"^附\s*件\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})(?![.、\d])\s*[:：]?\s*(.*)$")
_MEASURE_SECTION: Final = re.compile(
    r"主要措施|整改措施|整改工作举措|重点任务|主要任务|工作措施|整改举措|具体措施|整改任务"
)
_NOT_TASKS: Final = re.compile(r"指导思想|基本原则|总体要求|工作目标|整改目标|整改原则|保障措施|组织保障|工作要求")
_LIST_OPENING: Final = re.compile(r"清单|台账|附\s*件|如下[:：]?$")
_ENUMERATED: Final = re.compile(r"[一二三四五六七八九十]是|[。;；,，]\s*(?:\d{1,2}[.、]|[(]\d{1,2}[)])")
_REPORT_TITLE: Final = re.compile(r"完成情况|整改情况|销号|公示|落实情况")


@dataclass
class Item:
    heading: Heading
    line: int
    end: int = 0


def find_drafts(lines: list[str]) -> list[TaskDraft]:
    parallel = _parallel_lists([unbracket_labels(line) for line in lines])
    if parallel:
        return parallel
    lines = _unbracket(_measure_fields_bracketed([unbracket_labels(line) for line in _numbered_fields(lines)]))
    annexes = _annexes(lines)
    drafts: list[TaskDraft] = []
    for number, body in annexes:
        drafts.extend(_field_tasks(body, prefix=f"{number}-"))
    if drafts:
        return drafts
    drafts = _field_tasks(lines, prefix="")
    coded = _coded_tasks(lines)
    if len(coded) > len(drafts):
        return coded
    if drafts:
        return drafts
    drafts = _measure_section_tasks(lines)
    if drafts:
        return drafts
    return _single_report(lines)


_LIST_ROLE: Final = {"问题": "problem", "任务": "measures", "措施": "measures", "责任": "duty", "时限": "deadline"}
_LIST_TITLE: Final = re.compile(r"^(?:整改)?(问题|任务|措施|责任|时限)清单\s*[:：]?$")


def _parallel_lists(lines: list[str]) -> list[TaskDraft]:
    """三张清单 written one after another (一、问题清单 1.… 2.…; 二、任务清单 1.… 2.…; 三、责任清单
    1.责任领导:…): the items numbered alike across the lists are one task."""
    sections: list[tuple[int, str, str | None]] = []  # line, role, the heading's style
    for i, line in enumerate(lines):
        heading = heading_of(line)
        m = _LIST_TITLE.match(heading.text if heading is not None else line)
        if m:
            sections.append((i, _LIST_ROLE[m.group(1)], heading.style if heading is not None else None))
    roles = [role for _, role, _ in sections]
    if "problem" not in roles or len(set(roles)) < 2 or len(set(roles)) != len(roles):
        return []
    parts: dict[int, dict[str, list[str]]] = {}
    for k, (start, role, style) in enumerate(sections):
        end = sections[k + 1][0] if k + 1 < len(sections) else len(lines)
        if style is not None:  # 四、保障措施 after the last list closes it
            end = next((j for j in range(start + 1, end) if (h := heading_of(lines[j])) is not None and h.style == style), end)
        items: list[tuple[int, list[str]]] = []
        item_style = None
        for line in lines[start + 1 : end]:
            heading = heading_of(line)
            if heading is not None and item_style in (None, heading.style):
                item_style = heading.style
                items.append((heading.number, [heading.text]))
            elif items:
                items[-1][1].append(line)
        for number, texts in items:
            values = parts.setdefault(number, {})
            if role == "duty":
                named = parse_fields(texts).values
                if any(r in named for r in ("leaders", "units", "lead_units", "persons", "deadline")):
                    for r, v in named.items():
                        values.setdefault(r, v)
                    continue
            values.setdefault(role, texts)
    drafts = []
    for number, values in parts.items():
        if not values.get("problem"):
            continue
        drafts.append(TaskDraft(ref=str(number), heading=tidy("\n".join(values["problem"])), fields=Fields(values=values)))
    return drafts if len(drafts) == len(parts) else []


def _numbered_fields(lines: list[str]) -> list[str]:
    """A task's fields numbered as sub-items ((一)问题表现:… (二)整改目标:… (三)整改措施:…) are
    its field lines, not tasks. A labelled problem ("1.问题:…") is a task's heading unless
    the next item of its style opens another field."""
    labelled: list[tuple[int, Heading, str, str]] = []  # line, heading, its text, the field's role
    for i, line in enumerate(lines):
        heading = heading_of(line)
        text = unbracket_labels(heading.text) if heading is not None else ""
        found = match_label(text, glued=False) if re.match(r"^[^:：]{2,8}[:：]", text) else None
        if heading is not None and found is not None and found[1].strip():
            labelled.append((i, heading, text, found[0]))
    out = list(lines)
    for k, (i, heading, text, role) in enumerate(labelled):
        after = next((item for item in labelled[k + 1 :] if item[1].style == heading.style), None)
        follows = after is not None and after[1].number == heading.number + 1 and after[3] != "problem"
        if role != "problem" or follows:
            out[i] = text
    return out


def _measure_fields_bracketed(lines: list[str]) -> list[str]:
    """Numbered measures under a 整改措施 label that each go on into fields of their own
    ("(1)开展专项整治。责任单位:执法大队;完成时限:2024年6月底前。") are measures with their
    fields in brackets, as "(1)开展专项整治。(责任单位:…;完成时限:…)" is: not tasks."""
    out: list[str] = []
    role: str | None = None
    style: str | None = None  # the measures' numbering, from the first one (numbered 1)
    for line in lines:
        heading = heading_of(line)
        if heading is None:
            found = match_label(line)
            if found is not None:
                role, style = found[0], None
            out.append(line)
            continue
        if role != "measures" or (style is None and heading.number != 1) or style not in (None, heading.style):
            role, style = None, None
            out.append(line)
            continue
        style = heading.style
        start = first_glued_label(line)
        fields = line[start:].rstrip(" 。.;；,，") if start is not None else ""
        found = match_label(fields) if fields else None
        if start is None or found is None or found[0] not in _BRACKETABLE or match_label(heading.text) or re.search(r"[()]", fields):
            out.append(line)
            continue
        out.append(f"{line[:start]}({fields})")
    return out


_BRACKETABLE: Final = frozenset({"leaders", "lead_units", "units", "supporting_units", "persons", "deadline"})


def _unbracket(lines: list[str]) -> list[str]:
    """Task fields written in brackets after the task's text ("1.问题。整改措施:一是…。(责任
    领导:…;完成时限:…)") or on a line of their own become a field line. Brackets that close
    a bare numbered measure ("1.深化治理。(责任单位:…)") stay: they are that measure's fields
    (``parse_fields``); a bracket after several measures (…一是…;二是…。(责任领导:…)) closes
    the task that lists them."""
    out: list[str] = []
    for line in lines:
        found = trailing_fields(line)
        if found is None:
            out.append(line)
            continue
        before, content, _after = found
        if before.strip() and first_glued_label(before) is None and not match_label(before) and not _lists_measures(before):
            out.append(line)
            continue
        if holds_bracketed_fields(before):  # each measure closes with its own: so does the last
            out.append(line)
            continue
        out.extend(part for part in (before.strip(), content) if part)
    return out


def _lists_measures(text: str) -> bool:
    heading = heading_of(text)
    return len(split_measures([heading.text if heading else text])[1]) >= 2 and bool(_ENUMERATED.search(text))


def _annexes(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Annexed task lists. A lone 附件1 over the first line is the document itself, sent as
    the annex of a notice: its tasks are not qualified by it."""
    starts: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        m = _ANNEX.match(line)
        if m and len(m.group(2)) <= 40:
            number = number_value(m.group(1))
            if number:
                starts.append((i, number))
    if len(starts) == 1 and starts[0][0] == 0:
        return []
    out = []
    for k, (i, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        out.append((number, lines[i + 1 : end]))
    return out


def _items(lines: list[str]) -> list[Item]:
    """Numbered headings in sequence. A number out of its style's run (a wrapped line that
    happens to start with 一、) is text; a run restarts at 1 only under a heading of a style
    that appeared before it, or where a list opens (an annex or 任务清单 whose 附件 line was
    lost). A run that restarts where it may not is text until the task's other fields
    close it: the (二) after a rejected (一) is that list's, not the next heading."""
    items: list[Item] = []
    last: dict[str, int] = {}
    order: list[str] = []
    shadow: dict[str, int] = {}  # a run taken as text ((一)(二) measures under 1.), by style
    for i, line in enumerate(lines):
        heading = heading_of(line)
        if heading is None:
            found = match_label(line) if shadow else None
            if found is not None and found[0] != "measures":
                shadow.clear()  # the task's other fields close its list of measures
            continue
        style, number = heading.style, heading.number
        if style in shadow and number == shadow[style] + 1:
            shadow[style] = number
            continue
        if style not in last:
            order.append(style)
        elif number == last[style] and _repeated_task(lines, items, style, i):
            pass  # a task numbered like the one before it (a typo): still a task, its ref made unique later
        elif not (last[style] < number <= last[style] + 2):
            higher = set(order[: order.index(style)])
            since = [it for it in reversed(items) if it.heading.style == style]
            restarted = number == 1 and (
                any(it.heading.style in higher for it in items if not since or it.line > since[0].line)
                or any(_LIST_OPENING.search(ln) for ln in lines[max(0, i - 3) : i])
            )
            if not restarted:
                if number == 1:
                    shadow[style] = 1
                continue
        shadow.pop(style, None)
        last[style] = number
        items.append(Item(heading, i))
    return items


_ANNEX_MARK: Final = re.compile(r"^附\s*件\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?$")


def _annexed_since(lines: list[str], start: int, end: int) -> bool:
    return any(_ANNEX_MARK.match(line) for line in lines[start + 1 : end])


def _repeated_task(lines: list[str], items: list[Item], style: str, at: int) -> bool:
    """Whether the item at ``at``, numbered as the last one of its style, is a task of its
    own: both that item and this one carry their own task fields."""
    before = next((it for it in reversed(items) if it.heading.style == style), None)
    if before is None:
        return False
    end = next((j for j in range(at + 1, len(lines)) if heading_of(lines[j]) is not None), len(lines))
    return len(core_fields(lines[before.line + 1 : at])) >= 2 and len(core_fields(lines[at + 1 : end])) >= 2


def _spans(items: list[Item], style: str, rank: dict[str, int], total: int) -> list[Item]:
    """Items of one style, each ending at the next item of that style or of a higher one."""
    chosen: list[Item] = []
    open_item: Item | None = None
    for it in items:
        if rank[it.heading.style] <= rank[style] and open_item is not None:
            open_item.end = it.line
            open_item = None
        if it.heading.style == style:
            chosen.append(it)
            open_item = it
    if open_item is not None:
        open_item.end = total
    return chosen


def _field_tasks(lines: list[str], prefix: str) -> list[TaskDraft]:
    items = _items(lines)
    if not items:
        return []
    rank: dict[str, int] = {}
    for it in items:
        rank.setdefault(it.heading.style, len(rank))
    best: tuple[int, str, bool] | None = None  # score, style, whether its items hold fields themselves
    for style in rank:
        chosen = _spans(items, style, rank, len(lines))
        has = {it.line for it in chosen if len(core_fields(_item_lines(lines, it))) >= 2}
        # a category spans several tasks and so repeats its fields
        repeated = {it.line for it in chosen if it.line in has and _repeats_fields(_item_lines(lines, it))}
        if not has or _fields_only_after_runs(items, style, rank, has):
            continue
        score = len(has - repeated)
        own = any(_own_fields(lines, items, it) for it in chosen if it.line in has)
        # a tie goes to the outer style (第十二项 over its report's sections 一、基本情况…),
        # unless its items only hold the fields of deeper ones that all have fields (一、整改
        # 任务 over the plan's one task 1.…)
        if best is None or score > best[0] or (score == best[0] and not best[2] and len(has) == len(chosen)):
            best = (score, style, own)
    if best is None or best[0] == 0:
        return []
    task_style = best[1]
    tasks = [it for it in _spans(items, task_style, rank, len(lines)) if core_fields(_item_lines(lines, it))]
    categories = [it for it in items if rank[it.heading.style] < rank[task_style]]
    numbers = [it.heading.number for it in tasks]
    # numbering that goes back restarts under a heading; a number merely repeated is a typo
    under = [next((c.line for c in reversed(categories) if c.line < it.line), -1) for it in tasks]
    restarts = any(
        b < a or (b == a and under[k] != under[k + 1]) for k, (a, b) in enumerate(itertools.pairwise(numbers))
    )
    dotted = restarts and bool(categories)
    runs = _run_numbers(numbers) if restarts and not categories else None
    outline = [c for c in categories if not _inside_task(lines, c, tasks)]
    chained = _chained_refs(tasks, categories, rank) if dotted else None
    drafts = []
    top = list_fields(lines[: items[0].line])
    loose: list[Item] = []  # category headings found at the end of a task's lines
    for k, it in enumerate(tasks):
        category = next((c for c in reversed(categories) if c.line < it.line), None)
        if category is not None and _annexed_since(lines, category.line, it.line):
            category = None  # 三、保障措施 of the prose is no group of the list annexed below it
        ref = f"{category.heading.number}.{it.heading.number}" if dotted and category else str(it.heading.number)
        ref = chained[k] if chained else ref
        ref = it.heading.written or ref  # 2.1: the outline numbers its items in full
        if runs:
            ref = f"{runs[k]}-{ref}"  # task lists one after another, like annexes
        body = lines[it.line + 1 : it.end]
        while body and _LIST_OPENING.search(body[-1]) and not match_label(body[-1]):
            body.pop()  # the title and intro of the next task list
        later = next((c for c in reversed(loose) if c.line < it.line), None)
        if later is not None and (category is None or later.line > category.line):
            category = later
        heading = _category_after(body, task_style)
        if heading is not None:
            body.pop()
            loose.append(Item(heading, it.line + 1 + len(body)))
        heading_text, opened = _cut_at_label(it.heading.text)
        fields = parse_fields([*opened, *body])
        if not fields.values.get("measures"):
            heading_text, listed = _heading_measures(heading_text)
            if listed:
                fields.values["measures"] = [listed]
        for role, value in {**top, **_inherited(lines, items, outline, rank, it)}.items():
            fields.values.setdefault(role, value)
        if not fields.values.get("measures"):
            fields.preamble, listed_lines = _unlabelled_measures(fields.preamble)
            if listed_lines:
                fields.values["measures"] = listed_lines
        problem = [heading_text, *fields.preamble]
        if not fields.values.get("problem"):
            fields.values["problem"] = [p for p in problem if p]
        drafts.append(
            TaskDraft(
                ref=prefix + ref,
                heading=heading_text or tidy("\n".join(fields.values["problem"])),
                fields=Fields(preamble=[], values=fields.values, per_measure=fields.per_measure),
                category=tidy(category.heading.text) if category else "",
            )
        )
    return drafts


def _chained_refs(tasks: list[Item], categories: list[Item], rank: dict[str, int]) -> list[str] | None:
    """Refs for tasks whose nearest heading repeats its number (第一部分 一、整改任务 (一)…,
    第二部分 一、整改任务 (一)…): the numbers of every heading level that tells the tasks
    apart, from the top (1.1, 2.1). None where the nearest heading alone does, or where
    even the whole path does not."""
    nearest = [next((c for c in reversed(categories) if c.line < it.line), None) for it in tasks]
    simple = [f"{c.heading.number}.{it.heading.number}" if c else str(it.heading.number) for c, it in zip(nearest, tasks, strict=True)]
    if len(set(simple)) == len(simple):
        return None
    levels = sorted({rank[c.heading.style] for c in categories})
    paths = []
    for it in tasks:
        above = [c for c in categories if c.line < it.line]
        paths.append([next((c.heading.number for c in reversed(above) if rank[c.heading.style] == level), 0) for level in levels])
    telling = [k for k in range(len(levels)) if len({path[k] for path in paths}) > 1]
    refs = [".".join([*(str(path[k]) for k in telling), str(it.heading.number)]) for path, it in zip(paths, tasks, strict=True)]
    return refs if telling and len(set(refs)) == len(refs) else None


# 问题编号:HB-2024-05 (or 问题1-3:…) opening each problem of a 督察 feedback list: the code
# is the task's own number, and no numbered heading marks the tasks
_CODE_LINE: Final = re.compile(
    r"^(?:(?:问题|任务|事项|隐患)?编\s*号\s*[:：]\s*(?P<code>[A-Za-z]{0,8}[-_]?\d[A-Za-z0-9_.-]*)[\s,，。;；]*"
    r"|(?:问题|任务|事项|隐患)\s*(?P<pair>\d{1,2}\s*-\s*\d{1,3})\s*[:：、.]\s*)(?P<rest>.*)$"
)


def _coded_tasks(lines: list[str]) -> list[TaskDraft]:
    """Tasks opened by a coded number line instead of a numbered heading; a top-level
    section (三、保障措施) ends the last one, and a heading above a code is the category of
    the tasks from there on."""
    starts = [(i, m) for i, line in enumerate(lines) if (m := _CODE_LINE.match(line))]
    if len(starts) < 2:
        return _problem_blocks(lines)
    return _blocks(lines, starts)


def _problem_blocks(lines: list[str]) -> list[TaskDraft]:
    """Tasks without any number: each opens with its problem's label (反馈问题:…), the
    others' fields follow, and the next problem label opens the next task."""
    starts: list[tuple[int, re.Match[str] | None]] = []
    for i, line in enumerate(lines):
        found = match_label(line, glued=False)
        if found is not None and found[0] == "problem" and found[1].strip():
            above = heading_of(lines[i - 1]) if i > 0 else None
            if above is not None and _section_line(lines[i - 1]) is None:
                return []  # a numbered task's own problem field: not a task of its own
            starts.append((i, None))
    return _blocks(lines, starts) if len(starts) >= 2 else []


def _blocks(lines: list[str], starts: Sequence[tuple[int, re.Match[str] | None]]) -> list[TaskDraft]:
    drafts: list[TaskDraft] = []
    category = ""
    for k, (i, m) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = lines[i + 1 : end]
        cut = next((j for j, ln in enumerate(body) if _section_line(ln) is not None), len(body))
        above = lines[i - 1] if i > 0 else ""
        section = _section_line(above)
        if section is not None:
            category = tidy(section)
        body = body[:cut]
        if len(core_fields(body)) < 2:
            return []
        # what follows the code is the problem, whatever word it opens with (主体责任落实不到位)
        problem, opened = _cut_at_label(m.group("rest")) if m is not None else ("", [lines[i]])
        fields = parse_fields([*opened, *body])
        if not fields.values.get("problem"):
            fields.values["problem"] = [p for p in [problem, *fields.preamble] if p]
        drafts.append(
            TaskDraft(
                ref=re.sub(r"\s+", "", m.group("code") or m.group("pair")).rstrip(".") if m is not None else str(k + 1),
                heading=tidy("\n".join(fields.values["problem"])),
                fields=Fields(preamble=[], values=fields.values, per_measure=fields.per_measure),
                category=category,
            )
        )
    return drafts


def _section_line(line: str) -> str | None:
    """The title of a 一、 or (一) section line, unless it opens a field."""
    heading = heading_of(line)
    if heading is None or heading.style not in ("cn", "paren_cn") or match_label(heading.text):
        return None
    return heading.text


_MEASURE_OPENING: Final = re.compile(
    r"^\s*(?:\d{1,2}\s*[.、)）]|[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,2}是)"
)


def _unlabelled_measures(preamble: list[str]) -> tuple[list[str], list[str]]:
    """(the rest, measures) of the lines between a task's heading and its first field: items
    numbered (一)(二) or 1. 2. there, with no 整改措施 label anywhere in the task, are its
    measures, not more of its problem."""
    starts = [j for j, line in enumerate(preamble) if _MEASURE_OPENING.match(line)]
    if len(starts) < 2 or split_measures(preamble[starts[0] :])[0]:
        return preamble, []
    return preamble[: starts[0]], preamble[starts[0] :]


def _own_fields(lines: list[str], items: list[Item], item: Item) -> bool:
    """Whether an item's lines before the next numbered item open a field."""
    end = next((it.line for it in items if it.line > item.line), len(lines))
    return bool(core_fields(_item_lines(lines, Item(item.heading, item.line, end))))


def _inside_task(lines: list[str], heading: Item, tasks: list[Item]) -> bool:
    """Whether a heading above the task level is a measure of a task: inside its lines, or
    right after a task that has no fields but measures, whose fields then follow it."""
    before = [t for t in tasks if t.line < heading.line]
    if any(t.line < heading.line < t.end for t in before):
        return True
    return bool(before) and not core_fields(_item_lines(lines, before[-1])) - {"measures", "goal"}


def _inherited(lines: list[str], items: list[Item], categories: list[Item], rank: dict[str, int], task: Item) -> dict[str, list[str]]:
    """Fields written under a category heading before its first task (一、关于…的问题 /
    责任领导:… / 牵头单位:…) hold for each task of that category that does not name its own;
    the nearest category speaks first. Headings inside a task (its measures (一)(二)) are
    not passed in."""
    out: dict[str, list[str]] = {}
    top = len(rank)
    for category in reversed([c for c in categories if c.line < task.line]):
        if rank[category.heading.style] >= top:
            continue
        top = rank[category.heading.style]
        end = next((it.line for it in items if it.line > category.line), task.line)
        own = parse_fields(lines[category.line + 1 : end])
        for role in INHERITED_ROLES:
            if own.values.get(role) and role not in out:
                out[role] = own.values[role]
    return out


def _item_lines(lines: list[str], it: Item) -> list[str]:
    """An item's lines with its heading cut where a field opens: a task written as one
    paragraph ("(一)关于…的问题。整改目标:…。责任单位:…") carries its fields there. Fields in
    brackets after a measure ("1.深化治理。(责任单位:…)") belong to that measure, not to an item."""
    text, opened = _cut_at_label(it.heading.text)
    if text.count("(") > text.count(")"):
        opened = []
    return [lines[it.line], *opened, *lines[it.line + 1 : it.end]]


def _category_after(body: list[str], task_style: str) -> Heading | None:
    """A short heading closing a task's lines ((二)选人用人方面) names the group of the tasks
    that follow; numbered out of the document's outline, it was not seen as a category, and
    it is no part of the last field. A heading of a run the task itself lists ((一)…(二)…)
    is a measure."""
    if not body:
        return None
    heading = heading_of(body[-1])
    if (
        heading is None
        or heading.style == task_style
        or heading.style not in {"cn", "paren_cn"}
        or len(heading.text) > 20
        or re.search(r"[。;；,，:：]", heading.text)
        or match_label(heading.text)
    ):
        return None
    earlier = [h for h in map(heading_of, body[:-1]) if h is not None and h.style == heading.style]
    return None if earlier else heading


def _heading_measures(text: str) -> tuple[str, str]:
    """A task written as one paragraph names its measures after its title ("加强治理。针对…
    问题,一是…;二是…") when no 整改措施 label opens them; a list after "主要表现在:" is
    the problem's detail, not measures."""
    before, listed = listed_measures(text)
    if not listed or re.search(r"[:：]$|表现|体现", before):
        return text, ""
    return before.rstrip(" ,，:："), listed


def _cut_at_label(text: str) -> tuple[str, list[str]]:
    """A task heading that runs on into its fields ("思政教育实效性不强。整改措施:一是…") is
    cut where the first field opens."""
    start = first_glued_label(text)
    if start is None or match_label(text[start:]) is None:
        return _unlabelled(text), []
    return _unlabelled(text[:start].strip().rstrip(";；,，")), [text[start:]]


def _unlabelled(heading: str) -> str:
    """A heading that opens with its own label ("1.问题:食品安全…") is the problem without it."""
    found = match_label(heading, glued=False)
    return found[1].strip() if found and found[0] == "problem" and found[1].strip() else heading


def _fields_only_after_runs(items: list[Item], style: str, rank: dict[str, int], has: set[int]) -> bool:
    """Measures numbered 1. 2. 3. are followed by the task's fields, so only the last item of
    each run seems to carry fields; a task style carries them in every item. A run ends at a
    heading of a higher style."""
    runs: list[list[Item]] = [[]]
    for it in items:
        if it.heading.style == style:
            runs[-1].append(it)
        elif rank[it.heading.style] < rank[style] and runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    if not any(len(run) > 1 for run in runs):
        return False
    return all(it.line not in has for run in runs for it in run[:-1])


def _run_numbers(numbers: list[int]) -> list[int]:
    """Which run (1, 2, …) each number belongs to; a run ends where numbering goes back."""
    runs, run = [], 1
    for k, number in enumerate(numbers):
        if k and number < numbers[k - 1]:
            run += 1
        runs.append(run)
    return runs


def _repeats_fields(lines: list[str]) -> bool:
    counts: dict[str, int] = {}
    for line in lines:
        for part in split_glued_fields(line):
            found = match_label(part)
            if found and found[0] in {"deadline", "units", "lead_units"}:
                counts[found[0]] = counts.get(found[0], 0) + 1
    return any(n > 1 for n in counts.values())


def _measure_section_tasks(lines: list[str]) -> list[TaskDraft]:
    items = _items(lines)
    if not items:
        return []
    section = _numbered_section(items, len(lines)) or _titled_section(lines)
    if section is None:
        return []
    begin, end = section
    inner = [it for it in items if begin < it.line < end]
    if not inner:
        return []
    style = inner[0].heading.style
    tasks = [it for it in inner if it.heading.style == style]
    width = wrap_width(lines)
    drafts = []
    for k, it in enumerate(tasks):
        stop = tasks[k + 1].line if k + 1 < len(tasks) else end
        heading, first = it.heading.text, it.line + 1
        while is_full(lines[first - 1], width) and first < stop:
            heading += lines[first]
            first += 1
        title = title_of(heading)
        rest = heading[len(title) :].lstrip("。;；").strip()
        measure_lines = [rest, *lines[first:stop]] if rest else lines[first:stop]
        drafts.append(
            TaskDraft(ref=str(it.heading.number), heading=title, fields=Fields(values={"measures": measure_lines}))
        )
    return drafts


def _is_measures_title(text: str) -> bool:
    return bool(_MEASURE_SECTION.search(text[:20])) and not _NOT_TASKS.search(text[:8])


def _numbered_section(items: list[Item], total: int) -> tuple[int, int] | None:
    """The measures section as a numbered heading (四、主要措施), in the outermost style that
    has one; it ends at the next heading of that style or an outer one."""
    rank: dict[str, int] = {}
    for it in items:
        rank.setdefault(it.heading.style, len(rank))
    for style in rank:
        for k, it in enumerate(items):
            if it.heading.style != style or not _is_measures_title(it.heading.text):
                continue
            end = next((o.line for o in items[k + 1 :] if rank[o.heading.style] <= rank[style]), total)
            return it.line, end
    return None


def _titled_section(lines: list[str]) -> tuple[int, int] | None:
    """The measures section under an unnumbered title line (主要措施), up to the next
    unnumbered title of a closing section (保障措施)."""
    def is_title(line: str) -> bool:
        return len(line) <= 15 and not re.search(r"[。,，;；:：]", line)

    for i, line in enumerate(lines):
        if is_title(line) and _is_measures_title(line):
            end = next((j for j in range(i + 1, len(lines)) if is_title(lines[j]) and _NOT_TASKS.search(lines[j])), len(lines))
            return i, end
    return None


def form_drafts(tables: list[Table]) -> list[TaskDraft]:
    """Several label/value forms (one table per task, as completion reports are often
    laid out) are one task each; a single form is left to the text reading. A numbered
    heading just above a form (问题1:…) is its problem and number."""
    forms: list[tuple[list[str], str, str]] = []
    for table in tables:
        rows, number = _numbered_rows(table.rows)
        lines = clean_lines(table_as_lines(rows))
        if len(core_fields(lines)) >= 2:
            forms.append((lines, number, table.caption))
    if len(forms) < 2:
        return []
    drafts: list[TaskDraft] = []
    for k, (lines, number, caption) in enumerate(forms, 1):
        heading = heading_of(normalize_line(caption)) if caption else None
        for draft in _single_report(lines):
            if heading is not None and not draft.fields.values.get("problem"):
                draft.ref, draft.heading = str(heading.number), heading.text
                draft.fields.values["problem"] = [heading.text]
            elif number:
                draft.ref = number
            elif draft.ref == "1":
                draft.ref = str(k)
            drafts.append(draft)
    return drafts


def _numbered_rows(rows: list[list[str]]) -> tuple[list[list[str]], str]:
    """A form's own 序号 row is its task's number, not a line of its text."""
    for i, row in enumerate(rows):
        cells = list(dict.fromkeys(c.strip() for c in row if c and c.strip()))
        if len(cells) == 2 and label_role(cells[0]) == "no" and re.fullmatch(r"[\w.-]{1,10}", normalize_line(cells[1])):
            return [*rows[:i], *rows[i + 1 :]], normalize_line(cells[1])
    return rows, ""


def _single_report(lines: list[str]) -> list[TaskDraft]:
    """A completion report or 公示 about one task: its fields without task headings."""
    fields = parse_fields(lines)
    if len([r for r in fields.values if r in {"problem", "measures", "units", "goal", "progress", "deadline"}]) < 2:
        return []
    head = "\n".join(fields.preamble[:4])
    m = re.search(r"第([一二三四五六七八九十百零〇\d]{1,6})项", head + "\n" + fields.text("problem")[:60])
    ref = str(number_value(m.group(1)) or 1) if m else "1"
    return [
        TaskDraft(
            ref=ref,
            heading="",
            fields=Fields(values=fields.values, per_measure=fields.per_measure),
            completion_report=bool(_REPORT_TITLE.search(head)),
        )
    ]


def reflow(lines: list[str]) -> list[str]:
    """A page flattened into one line gets its line breaks back before headings, accepting a
    number only as the next in its style's run so that 统一、 or 1、2月 stay text."""
    if not lines or (max(len(ln) for ln in lines) < 1500 and sum(map(len, lines)) / len(lines) < 350):
        return lines
    out: list[str] = []
    expected = {"cn": 1, "paren_cn": 1, "arabic": 1}
    order = ["cn", "paren_cn", "arabic"]
    pattern = re.compile(
        r"(?P<cn>(?<=[。;；!?！？\s])[一二三四五六七八九十]{1,3}、)|"
        r"(?P<paren_cn>\([一二三四五六七八九十]{1,3}\))|"
        r"(?P<arabic>(?<![\d.])\d{1,2}、)"
    )
    for line in lines:
        cuts = [0]
        for m in pattern.finditer(line):
            style = m.lastgroup or ""
            number = number_value(re.sub(r"[、()]", "", m.group()))
            if number is None:
                continue
            if number == expected[style]:
                if m.start() > 0:
                    cuts.append(m.start())
                expected[style] = number + 1
                for lower in order[order.index(style) + 1 :]:
                    expected[lower] = 1
        cuts.append(len(line))
        out.extend(line[a:b].strip() for a, b in itertools.pairwise(cuts) if line[a:b].strip())
    return out
