"""Task tables (Word, PDF) and ledgers (Excel): one task per numbered row group.

Columns are recognised by their header names in any order, the header may sit under a title
row, a task may span several rows (merged cells, one measure per row), and a PDF table
continues a row cut by the page break in the first row of the next page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from bot.importer.cleaning import fold, normalize_line
from bot.importer.counties import county_sheets, mark_county, place_of
from bot.importer.fields import (
    Fields,
    MeasureFields,
    heading_of,
    label_role,
    list_fields,
    match_label,
    number_value,
    parse_fields,
    split_glued_fields,
    split_measures,
    strip_number,
)
from bot.importer.readers import Table
from bot.importer.tasks import TaskDraft

_MIN_COLUMNS: Final = 3
_CATEGORY_MARK: Final = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十\d]{1,3}(?:部分|篇)\s*[、.．:：]?)\s*"
)
# rows that sum the table up or sign it (合计 3项; 填表人:张晓 审核人:李华; 注:…): no tasks
_TALLY_ROW: Final = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|共\s*计|汇\s*总)(?![\u4e00-\u9fff])|^(?:填表人|填报人|审核人|制表人|联系人|联系电话|单位负责人|分管领导签字|负责人签字|注|说明|填表说明|(?:填报|填表|制表|统计)(?:时间|日期))\s*[:：]")
_ROW_ROLES: Final = ("problem", "goal", "measures", "leaders", "lead_units", "units",
                     "supporting_units", "supervisors", "principals", "persons", "duty", "deadline", "mode", "progress", "percent", "status", "note")
_NOT_TEXT: Final = frozenset({"no", "category", "item_no"})


def header_of(table: Table) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(table.rows[:10]):
        columns: dict[int, str] = {}
        for col, cell in enumerate(row):
            role = label_role(cell)
            if role == "problem" and _task_column(cell, row):
                role = "measures"
            if role == "progress" and role in columns.values():
                _percent_column(columns, row, col)
            elif role and role not in columns.values():
                columns[col] = role
        parts = [col for col, cell in enumerate(row) if _MEASURE_PART.match(re.sub(r"\s+", "", fold(cell)))]
        if len(parts) >= 2:  # 措施1 | 措施2 | 措施3: one measure a column
            columns = {col: role for col, role in columns.items() if role != "measures"}
            columns.update(dict.fromkeys(parts, _MEASURE_PART_ROLE))
        known = {r for r in columns.values() if r not in _NOT_TEXT}
        if len(known) >= _MIN_COLUMNS and ({"measures", "problem", "units", "lead_units", "deadline"} & known):
            return _second_header_row(table, index, columns)
    return None


def _task_column(cell: str, row: list[str]) -> bool:
    """Whether a 整改任务 column beside a problem column (反馈问题 | 整改任务) is what is to
    be done about it, the measures, as in a ledger without a 整改措施 column; alone it names
    the task, as a problem column does."""
    roles = [label_role(c) for c in row]
    return "任务" in cell and "measures" not in roles and any(
        role == "problem" and "任务" not in c for c, role in zip(row, roles, strict=True)
    )


_MEASURE_PART: Final = re.compile(
    r"^(?:整改|具体|工作|主要)?措施\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2}|\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*\))$"
)
_MEASURE_PART_ROLE: Final = "measure_part"
_PERCENT_HEADER: Final = re.compile(r"进度|比例|完成率|百分比|%")


def _percent_column(columns: dict[int, str], row: list[str], col: int) -> None:
    """Of two progress columns (完成进度 | 整改进展情况) the one that reads as a measure of
    how far (进度, 比例, %) holds the percent, the other the text."""
    first = next(c for c, role in columns.items() if role == "progress")
    if _PERCENT_HEADER.search(row[col]) and not _PERCENT_HEADER.search(row[first]):
        columns[col] = "percent"
    elif _PERCENT_HEADER.search(row[first]) and not _PERCENT_HEADER.search(row[col]):
        columns[first], columns[col] = "percent", "progress"


def _second_header_row(table: Table, index: int, columns: dict[int, str]) -> tuple[int, dict[int, str]]:
    """A grouped header (责任主体 over 责任领导 | 牵头单位 | 责任单位) names its columns in
    the row below; that row then ends the header. Under a spanned 整改措施 the sub-columns
    序号 | 措施内容 are the measure's number and its text."""
    if index + 1 >= len(table.rows):
        return index, columns
    below = table.rows[index + 1]
    extra: dict[int, str] = {}
    inherited: list[int] = []
    for col, cell in enumerate(below):
        parent = _spanning_role(table.rows[index], col)
        role = label_role(cell)
        if role is None and parent in _UNIT_ROLES:  # 责任单位 over 牵头 | 配合
            role = _UNIT_PART.get(re.sub(r"\s+", "", fold(cell)))
        if role == "no" and parent not in {None, "no"}:
            extra[col] = "item_no"
        elif role is None and cell.strip() and parent and _spans(table.rows[index], col):
            extra[col] = parent
            inherited.append(col)
        elif role and (role not in columns.values() or role == parent) and role not in extra.values():
            extra[col] = role
    named = {role for col, role in extra.items() if col not in inherited}
    for col in inherited:  # 审计发现问题 over 问题描述 | 涉及金额: the column named for it holds it
        if extra[col] in named:
            del extra[col]
    if len(extra) < 2:
        return index, columns
    merged = {col: role for col, role in columns.items() if col not in extra} | extra
    return index + 1, merged


_UNIT_ROLES: Final = frozenset({"units", "lead_units", "supporting_units"})
_UNIT_PART: Final = {
    "牵头": "lead_units", "主责": "lead_units", "主办": "lead_units", "牵头单位": "lead_units",
    "配合": "supporting_units", "协办": "supporting_units", "协助": "supporting_units", "参与": "supporting_units",
    "责任": "units", "责任单位": "units",
}


def _spanning_role(row: list[str], col: int) -> str | None:
    """The role of the header cell over a column: its own, or that of the merged cell it
    belongs to (Word leaves the merged columns empty, Excel repeats the text)."""
    while col > 0 and not row[col].strip():
        col -= 1
    return label_role(row[col]) if col < len(row) else None


def _spans(row: list[str], col: int) -> bool:
    """True when the header cell over ``col`` is merged over several columns."""
    start = col
    while start > 0 and (not row[start].strip() or row[start] == row[start - 1]):
        start -= 1
    end = start + 1
    while end < len(row) and (not row[end].strip() or row[end] == row[start]):
        end += 1
    return end - start > 1


def _keyed_tables(tables: list[Table]) -> list[Table]:
    """三张清单 as separate tables (问题清单 | 任务清单 | 责任清单), each numbered by 序号 with
    one part of every task: one table whose rows join the parts by number, in the order
    of the problems. The tables as they are when no such set is found."""
    parts: list[tuple[Table, dict[int, str], int]] = []
    for table in tables:
        if not table.rows:
            continue
        index = next((i for i, row in enumerate(table.rows[:3]) if any(label_role(c) == "no" for c in row)), None)
        if index is None:
            continue
        columns = {col: role for col, cell in enumerate(table.rows[index]) if (role := label_role(cell))}
        if len(columns) >= 2:
            parts.append((table, columns, index))
    if len(parts) < 2:
        return tables
    roles = [set(columns.values()) - {"no"} for _, columns, _ in parts]
    union = set().union(*roles)
    if "problem" not in union or not union & {"measures", "units", "duty", "leaders", "lead_units"}:
        return tables
    if sum(1 for r in roles if "problem" in r) != 1 or sum(len(r) for r in roles) != len(union):
        return tables  # task tables of their own (附件1, 附件2), or tables that overlap
    keys = [{_key(row[columns_no]) for row in table.rows[index + 1 :] if columns_no < len(row)} - {""}
            for table, columns, index in parts for columns_no in [next(c for c, r in columns.items() if r == "no")]]
    problems = keys[next(k for k, r in enumerate(roles) if "problem" in r)]
    if any(not each <= problems for each in keys):
        return tables  # another table numbers other things
    first = next(k for k, r in enumerate(roles) if "problem" in r)
    parts.insert(0, parts.pop(first))  # the tasks in the order of their problems
    header: list[str] = []
    keyed: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for table, columns, index in parts:
        no = next(col for col, role in columns.items() if role == "no")
        names = [(col, table.rows[index][col]) for col in sorted(columns) if col != no]
        header.extend(name for _, name in names)
        for row in table.rows[index + 1 :]:
            key = _key(row[no]) if no < len(row) else ""
            if not key:
                continue
            if key not in keyed:
                keyed[key] = {}
                order.append(key)
            for col, name in names:
                if col < len(row) and row[col].strip():
                    keyed[key][name] = row[col]
    rows = [["序号", *header], *([key, *(keyed[key].get(name, "") for name in header)] for key in order)]
    return [Table(rows, above=parts[0][0].above)]  # its caption names a list, not a group


def _key(cell: str) -> str:
    return re.sub(r"\s+", "", fold(cell))


def tables_drafts(tables: list[Table]) -> list[TaskDraft]:
    """Tasks of every task table. A table without a header of its own continues the one
    before when it has as many columns (Word splits long tables, Excel has one per sheet);
    numbering that restarts per table is qualified by the table (``2-3``)."""
    per_table: list[list[TaskDraft]] = []
    places: list[str] = []  # the place each table's sheet is of, if it is a county's
    names: list[str] = []
    previous: tuple[int, dict[int, str]] | None = None
    width = 0
    top: dict[str, list[str]] = {}
    for table in _keyed_tables(tables):
        header = header_of(table)
        row_width = max((len(r) for r in table.rows), default=0)
        if header is None and previous is not None and row_width == width:
            header = (-1, previous[1])
        if header is None:
            continue
        if header[0] >= 0:
            top = _list_fields(table, header[0])
        previous, width = header, row_width
        drafts = _captioned(table_drafts(table, header), table, header[1])
        group = _caption_group(table, header[1])
        for draft in drafts:
            draft.category = draft.category or group
        for draft in drafts:
            for role, value in top.items():
                draft.fields.values.setdefault(role, value)
        if drafts:
            per_table.append(drafts)
            places.append(place_of(table.name, table.rows[: max(header[0], 0)]))
            names.append(table.name)
    if county_sheets(list(zip(places, per_table, strict=True))):
        # a sheet per county repeating the city's tasks: one task each, merged once built
        for name, place, drafts in zip(names, places, per_table, strict=True):
            mark_county(drafts, name, place)
        return [d for drafts in per_table for d in drafts]
    refs = [d.ref for drafts in per_table for d in drafts]
    if len(per_table) > 1 and len(refs) != len(set(refs)):
        for k, drafts in enumerate(per_table, 1):
            for draft in drafts:
                draft.ref = f"{k}-{draft.ref}"
    return [d for drafts in per_table for d in drafts]


def _captioned(drafts: list[TaskDraft], table: Table, columns: dict[int, str]) -> list[TaskDraft]:
    """A table of one task's measures and names, without a problem column, under the
    numbered problem it answers (问题1:… then the table): that heading is the task."""
    heading = heading_of(normalize_line(table.caption)) if table.caption else None
    if heading is None or not heading.text or len(drafts) != 1 or "problem" in columns.values():
        return drafts
    draft = drafts[0]
    draft.ref, draft.heading = str(heading.number), heading.text
    draft.fields.values.setdefault("problem", [heading.text])
    return drafts


def _caption_group(table: Table, columns: dict[int, str]) -> str:
    """A numbered heading over a table of problems ((一)大气污染防治, then its table) is the
    group of the table's tasks, as the same heading over numbered paragraphs would be."""
    heading = heading_of(normalize_line(table.caption)) if table.caption else None
    if heading is None or "problem" not in columns.values() or not heading.text or len(heading.text) > 30:
        return ""
    if match_label(heading.text) or re.search(r"[。;；:：]", heading.text):
        return ""
    return heading.text


def _list_fields(table: Table, header: int) -> dict[str, list[str]]:
    """Fields stated once for the whole table (责任领导:县委常委 王五 in a paragraph above
    it, or in a row above its header) hold for each of its tasks without its own."""
    rows = [next((c.strip() for c in row if c and c.strip()), "") for row in table.rows[:header]]
    return list_fields([normalize_line(line) for line in [*table.above, *rows] if line.strip()])


def table_drafts(table: Table, header: tuple[int, dict[int, str]]) -> list[TaskDraft]:
    start, columns = header
    header_cells = [re.sub(r"\s+", "", c) for c in table.rows[start]] if start >= 0 else []
    groups: list[tuple[str, dict[str, list[str]], str]] = []
    dated: list[list[tuple[str, str]]] = []  # (measure, deadline) written on one row
    category = _sheet_category(table.name)
    # a 序号 column left empty (or numbered by formulas saved without their values) numbers nothing
    no = [col for col, role in columns.items() if role == "no"]
    has_numbers = bool(no) and any(
        no[0] < len(row) and row[no[0]].strip() and not _column_numbers(row) for row in table.rows[start + 1 :]
    )
    page_starts = set(table.page_starts)
    for index in range(start + 1, len(table.rows)):
        row = table.rows[index]
        if [re.sub(r"\s+", "", c) for c in row] == header_cells:
            if index in page_starts:  # a header repeated on each page: the page starts below it
                page_starts.add(index + 1)
            continue
        if _column_numbers(row) or _tally_row(row):
            continue
        cells = {role: (fold(row[col]).strip() if col < len(row) else "") for col, role in columns.items()}
        if _MEASURE_PART_ROLE in cells:
            cells.pop(_MEASURE_PART_ROLE)
            cells["measures"] = _measure_parts(row, columns)
        if cells.get("deadline"):
            cells["deadline"] = _serial_date(cells["deadline"])
        values = _labelled_texts(_labelled_names({role: text for role, text in cells.items() if role not in _NOT_TEXT and text}))
        # without a 序号 column a task is a row with a problem of its own
        number = cells.get("no", "") if has_numbers else cells.get("problem", "")
        if cells.get("category"):
            category = cells["category"]
        continues_page = table.split_rows_continue and index in page_starts and not number
        if not continues_page and _is_category_row(row):
            heading = next(c.strip() for c in row if c and c.strip())
            category = _CATEGORY_MARK.sub("", heading)
            continue
        group_name = _numbered_group(table.rows[index + 1 :], columns, number, values) if has_numbers else ""
        if group_name:
            category = group_name
            continue
        if not values:
            continue
        sub = bool(groups and has_numbers) and _measure_row(number, values.get("problem", ""), groups[-1])
        # the same 序号 over another problem (3, 3 by mistake) is another task; a merged
        # problem repeats its text on each of its rows
        again = bool(groups and has_numbers and number == groups[-1][0] and values.get("problem")) and values.get(
            "problem"
        ) not in groups[-1][1].get("problem", [values.get("problem")])
        if not groups or again or (number and number != groups[-1][0] and not sub):
            if groups and has_numbers and not values.get("problem") and groups[-1][2] == category:
                # rows 1, 2 under one problem, its cell blank below the first: the problem
                # is theirs as it is when the cell is merged down over them
                values = {**dict.fromkeys(["problem"], groups[-1][1].get("problem", [""])[0]), **values}
                values = {role: text for role, text in values.items() if text}
            groups.append((number or "1", {r: [t] for r, t in values.items()}, category))
            dated.append([])
            _pair(dated[-1], values)
            continue
        root = _SUB_NUMBER.fullmatch(groups[-1][0])
        if sub and root is not None:
            groups[-1] = (root.group(1), groups[-1][1], groups[-1][2])
        current = groups[-1][1]
        glue = continues_page
        if not glue:
            _pair(dated[-1], values)
        for role, text in values.items():
            bucket = current.setdefault(role, [])
            if glue and bucket:
                bucket[-1] += text
            elif text not in bucket:
                bucket.append(text)
    groups = _sub_numbered_alone(groups)
    refs = [_ref(number, k) if has_numbers else str(k) for k, (number, _, _) in enumerate(groups, 1)]
    categories = list(dict.fromkeys(cat for _, _, cat in groups))
    if len(refs) != len(set(refs)) and len(categories) > 1:
        # numbering restarts under each category: a dotted path, as DESIGN.md asks
        refs = [f"{categories.index(cat) + 1}.{ref}" for ref, (_, _, cat) in zip(refs, groups, strict=True)]
    drafts: list[TaskDraft] = []
    shared = _shared_problems(groups)
    for ref, (_number, grouped, cat), pairs in zip(refs, groups, dated, strict=True):
        if not table.split_rows_continue:
            grouped["measures"] = _typed_lines(grouped.get("measures", []))
        texts = {role: _row_lines(role, grouped.get(role, [])) for role in _ROW_ROLES}
        texts["problem"] = _unnumbered(texts["problem"], ref)
        problem = texts["problem"]
        per_measure = _measure_deadlines(pairs, grouped.get("deadline", [])) or _numbered_deadlines(
            texts["measures"], grouped.get("deadline", [])
        )
        if per_measure:
            texts.pop("deadline")
        heading = "\n".join(problem)
        if heading in shared and len(texts["measures"]) == 1 and len(strip_number(texts["measures"][0])) <= 40:
            heading = strip_number(texts["measures"][0])  # what tells it from the other tasks of its problem
        drafts.append(
            TaskDraft(
                ref=ref,
                heading=heading,
                fields=Fields(values={r: v for r, v in texts.items() if v}, per_measure=per_measure),
                category=cat,
                progress_rows=grouped.get("progress", []),
            )
        )
    return drafts


def _shared_problems(groups: list[_Group]) -> set[str]:
    """Problems that several tasks of the table answer (a problem merged down over rows
    numbered 1, 2, 3, each a task of its own): those tasks are named by their measures."""
    seen = [tuple(values.get("problem", [])) for _, values, _ in groups]
    return {"\n".join(p) for p in seen if p and seen.count(p) > 1}


_SUB_NUMBER: Final = re.compile(r"(\d{1,3})\s*[.．\-—－]\s*\d{1,2}")
_Group = tuple[str, dict[str, list[str]], str]


def _measure_row(number: str, problem: str, group: _Group) -> bool:
    """Whether a row numbered under another (1.1 under 1; 1-2 after 1-1) is a measure of
    that row's task: it is when it has no problem of its own, its problem cell left blank
    under the first row or merged or copied down from it. DESIGN.md's task is the problem
    with its numbered measures, each row's units and deadline the task's and that
    measure's, so that the rows of one problem are one task whichever way the cell was laid
    out; a row with another problem stays a task of its own (1-1, 1-2 as annex 1's items)."""
    if problem not in ("", *group[1].get("problem", [])[:1]):
        return False
    m = _SUB_NUMBER.fullmatch(number)
    if m is None:
        # 一 over (1) (2), 1 over ① ②: a number of a lower outline level than the row's
        level, above = _outline_level(number), _outline_level(group[0])
        return level is not None and above is not None and level > above
    own = _SUB_NUMBER.fullmatch(group[0])
    return group[0] == m.group(1) or (own is not None and own.group(1) == m.group(1))


# the levels of a Chinese outline: 一、 (一) 1. (1) ①
_OUTLINE: Final = (
    re.compile(r"[一二三四五六七八九十]{1,3}\s*[、.]?"),
    re.compile(r"\(\s*[一二三四五六七八九十]{1,3}\s*\)"),
    re.compile(r"\d{1,3}\s*[、.]?"),
    re.compile(r"\(\s*\d{1,2}\s*\)|\d{1,2}\s*\)"),
    re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"),
)


def _outline_level(number: str) -> int | None:
    return next((k for k, pattern in enumerate(_OUTLINE) if pattern.fullmatch(number.strip())), None)


def _sub_numbered_alone(groups: list[_Group]) -> list[_Group]:
    """Where a ledger's problems carry their measures as 1-1, 1-2 (one task numbered 1), a
    problem with a single measure row (2-1) is task 2 as well, unless another task shares
    its number (2-1 and 2-2 with problems of their own keep their numbers)."""
    roots = [m.group(1) if (m := _SUB_NUMBER.fullmatch(number)) else number for number, _, _ in groups]
    if not any(number == root for (number, _, _), root in zip(groups, roots, strict=True)) or not any(
        _SUB_NUMBER.fullmatch(n) for n, _, _ in groups
    ):
        return groups
    shared = {root for root in roots if roots.count(root) > 1}
    return [(root if root not in shared else number, values, cat) for (number, values, cat), root in zip(groups, roots, strict=True)]


def _numbered_group(below: list[list[str]], columns: dict[int, str], number: str, values: dict[str, str]) -> str:
    """The name of a group of tasks written as a row of the table (一 | 大气污染防治方面, its
    number in the 序号 column, its name in the next one), which the rows under it, numbered
    one outline level lower and each with a problem of its own, belong to. A row so numbered
    whose name is a sentence, or over rows without problems of their own, is a task."""
    texts = set(values.values())
    level = _outline_level(number)
    if len(texts) != 1 or level is None:
        return ""
    name = texts.pop()
    if len(name) > 30 or re.search(r"[。;；:：]", name) or match_label(name):
        return ""
    no = next(col for col, role in columns.items() if role == "no")
    texts_of = {col for col, role in columns.items() if role == "problem"} or {
        col for col, role in columns.items() if role not in _NOT_TEXT
    }
    for row in below:
        following = fold(row[no]).strip() if no < len(row) else ""
        if not following:
            continue
        own = {fold(row[col]).strip() for col in texts_of if col < len(row)} - {"", name}
        lower = _outline_level(following)
        return name if lower is not None and lower > level and own else ""
    return ""


def _measure_parts(row: list[str], columns: dict[int, str]) -> str:
    """The measures of a row written one a column, numbered in column order so that each
    stays a measure; a lone one is the row's measures cell as written."""
    parts = [fold(row[col]).strip() for col, role in sorted(columns.items()) if role == _MEASURE_PART_ROLE and col < len(row)]
    parts = [strip_number(p) for p in parts if p]
    if len(parts) == 1:
        return parts[0]
    return "\n".join(f"{k}.{part}" for k, part in enumerate(parts, 1))


_COLUMN_NUMBER: Final = re.compile(r"^[(（]?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]?$")


def _column_numbers(row: list[str]) -> bool:
    """The row under a ledger's header that numbers its columns ((1) (2) (3) or 1 2 3) is
    no task: every filled cell a number, rising (a hidden column leaves a gap)."""
    filled = [c.strip() for c in row if c and c.strip()]
    if len(filled) < 3 or not all(_COLUMN_NUMBER.match(c) for c in filled):
        return False
    numbers = [number_value(re.sub(r"[()（）\s]", "", c)) for c in filled]
    values = [n for n in numbers if n is not None]
    return len(values) == len(numbers) and values == sorted(set(values)) and values[0] <= 2


def _tally_row(row: list[str]) -> bool:
    first = next((fold(c).strip() for c in row if c and c.strip()), "")
    return bool(_TALLY_ROW.match(re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", first)))


def _serial_date(text: str) -> str:
    """A deadline cell holding a bare Excel day number (45657: the cell lost its date
    format) as the date it stands for."""
    if not re.fullmatch(r"\d{5}", text) or not 36526 <= int(text) <= 54788:  # 2000–2049
        return text
    day = date(1899, 12, 30) + timedelta(days=int(text))
    return f"{day.year}年{day.month}月{day.day}日"


def _labelled_names(values: dict[str, str]) -> dict[str, str]:
    """A name cell that labels its names (牵头单位:市住建局 / 责任单位:市城管局、各区政府)
    gives each label's names to that role, as separate columns would."""
    out = dict(values)
    for role, text in values.items():
        if role not in _NAME_ROLES:
            continue
        found: dict[str, list[str]] = {}
        current = role
        for line in text.splitlines():
            for part in split_glued_fields(line.strip()):
                label = match_label(part, glued=False)
                if label and label[0] in _NAME_ROLES:
                    current = label[0]
                    part = label[1]
                if part.strip(" ;；,，。"):
                    found.setdefault(current, []).append(part.strip(" ;；,，。"))
        if set(found) == {role}:
            continue
        out[role] = "、".join(found.pop(role, []))
        for other, names in found.items():
            out[other] = "、".join([*([out[other]] if out.get(other) else []), *names])
    return {role: text for role, text in out.items() if text}


_TEXT_ROLES: Final = frozenset({"problem", "goal", "measures", "deadline"})


def _labelled_texts(values: dict[str, str]) -> dict[str, str]:
    """A column that joins two fields (整改目标及措施) labels each part in its cell
    (目标:…\n措施:1.…); each part goes to its field, as separate columns would."""
    out = dict(values)
    for role, text in values.items():
        if role not in _TEXT_ROLES:
            continue
        found = parse_fields(text.splitlines())
        parts = {r: "\n".join(lines) for r, lines in found.values.items() if r in _TEXT_ROLES and "".join(lines).strip()}
        if not set(parts) - {role} or not match_label(text.lstrip(), glued=False):
            continue
        out[role] = "\n".join([*found.preamble, parts.pop(role, "")]).strip()
        for other, part in parts.items():
            out[other] = "\n".join(p for p in (out.get(other, ""), part) if p)
    return {role: text for role, text in out.items() if text}


def _sheet_category(name: str) -> str:
    """A sheet named for what it lists (党的建设), not Excel's default (Sheet1, 工作表1) nor
    the kind of list it is (审计整改台账)."""
    return "" if _LIST_SHEET.fullmatch(name.strip()) else name.strip()


_LIST_SHEET: Final = re.compile(
    r"(?i)(?:sheet|工作表|表)\s*\d*|.*(?:台账|清单|明细表?|一览表|情况表|汇总表|任务表|分解表)"
    r"|(?:corrective\s+)?actions?(?:\s+plan)?|ledger|tracker|findings|issues|capa"
)


def _pair(pairs: list[tuple[str, str]], values: dict[str, str]) -> None:
    if "measures" in values and "deadline" in values:
        pairs.append((values["measures"], values["deadline"]))


def _measure_deadlines(pairs: list[tuple[str, str]], deadlines: list[str]) -> list[MeasureFields]:
    """One row per measure, each with a deadline of its own: every deadline is that
    measure's milestone, named after it, as a bracket after a measure is in a text plan."""
    if len({d for _, d in pairs}) < 2 or not set(deadlines) <= {d for _, d in pairs}:
        return []
    return [MeasureFields(measure, {"deadline": deadline}) for measure, deadline in pairs]


def _numbered_deadlines(measures: list[str], deadlines: list[str]) -> list[MeasureFields]:
    """A deadline cell numbering its lines as the measures cell numbers its measures
    (1.2024年6月底前 beside 1.开展专项检查) gives each measure its own milestone."""
    lines = [ln for value in deadlines for ln in value.splitlines() if ln.strip()]
    if len(lines) < 2 or not all(_NUMBERED.match(ln) for ln in lines):
        return []
    _intro, listed = split_measures(measures)
    if len(listed) != len(lines):
        return []
    return [MeasureFields(measure, {"deadline": strip_number(line)}) for measure, line in zip(listed, lines, strict=True)]


_NAME_ROLES: Final = frozenset({"leaders", "lead_units", "units", "supporting_units", "supervisors", "persons", "principals", "duty"})
_NUMBERED: Final = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）]|[(（]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")


def _row_lines(role: str, values: list[str]) -> list[str]:
    """A field's lines from the rows of one task. Rows under one 序号 (merged cells) are
    separate entries, not a wrapped sentence: names are listed with 、, deadlines and
    progress with ；,
    and unnumbered measures are numbered in row order so each stays a measure of its own."""
    lines = [[ln for ln in value.splitlines() if ln.strip()] for value in values]
    if role in {"deadline", "mode"}:
        return ["；".join(_entries(each) for each in lines)] if lines else []
    if len(values) > 1 and role in _NAME_ROLES:
        return ["、".join(ln for each in lines for ln in each)]
    if len(values) > 1 and role in {"progress", "percent", "status", "note"}:
        return ["；".join("".join(each) for each in lines)]
    if len(values) > 1 and role == "measures" and not any(_NUMBERED.match(each[0]) for each in lines if each):
        return [f"{k}.{ln}" if i == 0 else ln for k, each in enumerate(lines, 1) for i, ln in enumerate(each)]
    return [ln for each in lines for ln in each]


def _typed_lines(values: list[str]) -> list[str]:
    """A Word or Excel cell breaks its lines where the writer did (a PDF's cell where the
    column is full): unnumbered lines of a measures cell that each end a clause are measures
    of their own, like the rows of one task."""
    out: list[str] = []
    for value in values:
        lines = [ln.strip() for ln in value.splitlines() if ln.strip()]
        separate = len(lines) > 1 and not any(_NUMBERED.match(ln) for ln in lines) and all(
            len(ln) >= 4 and not re.search(r"[,，、:：(（]$", ln) for ln in lines
        )
        out.extend(lines if separate else [value])
    return out


def _entries(lines: list[str]) -> str:
    """A deadline cell's lines are entries of their own (2024年6月底前(阶段性目标) over
    2024年12月底前(全面完成); 立行立改 over 长期坚持); a line ending in a comma runs on, and
    so does a date the narrow column wrapped (2024年 over 12月底前)."""
    out = ""
    for line in (ln.strip() for ln in lines):
        runs_on = re.search(r"[,，、;；:：]$", out) or (_DATE_CUT.search(out) and _DATE_REST.match(line))
        out += ("；" if out and not runs_on else "") + line
    return out


_DATE_CUT: Final = re.compile(r"(?:(?:19|20)\d{2}\s*年|(?<!\d)\d{1,2}\s*月)$")
_DATE_REST: Final = re.compile(r"\d{1,2}\s*[月日号]|(?:底|末|初|上旬|中旬|下旬)|(?:前|之前|以前)$")


_OWN_NUMBER: Final = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*)?(?:第\s*)?([0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})"
    r"\s*(?:、|[.．](?![0-9０-９])|项\s*[:：]?)\s*"
)
_NEXT_ITEM: Final = re.compile(r"(?:^|[\n。;；])\s*[2２]\s*(?:、|[.．](?![0-9０-９]))")
_DIGITS: Final = str.maketrans("０１２３４５６７８９", "0123456789")


def _unnumbered(problem: list[str], ref: str) -> list[str]:
    """A problem cell that repeats the row's number ((一)1.扬尘管控不到位 in row 1) is the
    problem without it: the number is the ref, and a title that opens with it reads wrong
    in every list. Another number (2.… in row 1), or the first of a numbered list of
    problems (1.…;2.…), is part of the text."""
    m = _OWN_NUMBER.match(problem[0]) if problem else None
    if m is None or number_value(m.group(1).translate(_DIGITS)) != number_value(re.split(r"[.-]", ref)[-1]):
        return problem
    if _NEXT_ITEM.search("\n".join(problem)[m.end() :]):
        return problem
    rest = problem[0][m.end() :]
    return [rest, *problem[1:]] if rest else problem[1:]


def _is_category_row(row: list[str]) -> bool:
    """A heading row spans the table: one merged cell, every cell the same (Excel merge
    filled in), or text only in the first cell."""
    filled = [c.strip() for c in row if c and c.strip()]
    if not filled:
        return False
    if len(row) == 1 or (len(set(filled)) == 1 and len(filled) == len(row) and len(row) > 2):
        return True
    return len(filled) == 1 and bool(row[0].strip()) and not re.fullmatch(r"\d+", filled[0])


def _ref(number: str, fallback: int) -> str:
    text = re.sub(r"[\s、()（）第项]|\.$", "", number)
    value = number_value(text) if text else None
    if value is not None:
        return str(value)
    return text or str(fallback)
