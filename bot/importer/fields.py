"""Field labels (责任单位, 整改时限 …) and numbered items (一、 (一) 1. 一是) of a task.

Labels are written with or without a colon, with spaces between the characters, and in
documents copied out of tables glued to the previous field's value; numbered items restart,
nest and also occur inside running text. Both are recognised here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import cn2an

from bot.importer.cleaning import is_full, tidy, wrap_width

ROLE_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "progress": (
        "整改主要工作及成效", "整改措施落实情况", "整改完成情况", "整改落实情况", "整改进展情况",
        "进展情况", "完成情况", "整改情况", "整改进展", "整改进度", "推进情况", "工作进度", "工作进展", "整改成效",
        "落实情况", "完成进度", "目前进展",
    ),
    "problem": ("整改任务", "反馈问题", "存在问题", "督察问题", "问题描述", "主要问题", "具体问题", "问题表现", "问题清单", "问题"),
    "goal": ("整改目标任务", "整改目标", "工作目标", "目标任务", "目标", "整改要求"),
    "measures": ("具体整改措施", "主要整改措施", "整改措施", "主要措施", "具体措施", "工作措施", "整改举措", "任务清单", "措施"),
    "leaders": (
        "责任市领导", "责任县领导", "责任区领导", "责任省领导", "牵头市领导", "牵头县领导", "责任领导", "牵头领导",
        "分管领导", "分管市领导", "分管县领导", "分管区领导", "包联领导", "包案领导", "包保领导", "联系领导",
        "督办领导", "领导责任", "督导领导", "挂点领导", "联系县领导", "联系市领导", "联系区领导",
    ),
    "lead_units": ("整改牵头单位", "牵头责任单位", "牵头责任部门", "牵头单位", "牵头部门", "牵头股室", "牵头科室", "牵头处室", "主责单位", "主办单位", "主责部门"),
    "units": (
        "整改责任单位", "整改责任部门", "主要责任单位", "责任单位(市级)", "责任单位", "责任部门", "责任股室", "责任科室", "责任处室",
        "整改单位", "落实单位", "承办单位", "实施单位", "责任主体",
    ),
    "supporting_units": ("配合单位", "配合部门", "配合股室", "配合科室", "配合处室", "协办单位", "协同单位", "参与单位", "协同部门", "协作单位"),
    "supervisors": ("监管责任", "监管单位"),
    "principals": ("主体责任",),
    "persons": ("整改责任人", "具体责任人", "直接责任人", "责任人", "联络员"),
    # the 责任清单 of a 三个清单 table: leaders and units in one cell (党组书记 刘军;办公室)
    "duty": ("责任清单",),
    "deadline": (
        "整改完成时限", "整改完成时间", "整改时限", "完成时限", "整改期限", "完成期限", "办结时限", "完成时间", "时限要求",
        "整改时间节点", "完成时间节点", "时间节点", "整改时间", "时限", "完成时限要求", "整改时限要求", "时间要求",
        "办结时间",
    ),
    # 立行立改 / 分阶段整改 / 持续整改: how the task is worked, i.e. the deadline's flags
    "mode": ("整改类型", "整改方式", "报送要求", "报送时间", "报送频次", "报送时限", "进展报送", "调度频次"),
    # a ledger's remarks: kept with the deadline or the progress, never a measure or a unit
    "note": ("备注", "备注说明"),
    "no": ("序号", "编号"),
    "category": ("问题类别", "问题类型", "问题分类", "类别", "分类", "领域"),
}
# Column names of ledgers that are too common as words to open a field in running text.
HEADER_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "goal": ("整改要求",),
    # a 隐患 ledger (安全生产, 校园安全) names its problem column after the hazard
    "problem": ("审计发现问题", "巡察发现问题", "发现问题", "整改事项", "隐患描述", "隐患内容", "隐患问题", "隐患情况", "存在隐患"),
    "progress": ("办理情况", "整改结果"),
    "status": ("是否完成", "是否整改到位", "是否销号", "是否办结", "是否整改完成", "完成状态", "整改状态", "销号情况", "办结情况"),
}
_LABEL_ROLE: Final = {label: role for role, labels in ROLE_LABELS.items() for label in labels}
_HEADER_ROLE: Final = _LABEL_ROLE | {label: role for role, labels in HEADER_LABELS.items() for label in labels}
# Labels that can be glued to their value without a colon in real plans; the others are
# ordinary words too often and need a colon or a line of their own.
_GLUE_OK: Final = frozenset(
    {"整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改责任单位", "配合单位",
     "监管责任", "主体责任", "责任人", "整改时限", "完成时限", "整改期限"}
)
_CORE: Final = frozenset({"units", "lead_units", "deadline", "leaders", "goal", "measures", "persons", "duty"})


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in label)


_ALL_LABELS: Final = sorted(_LABEL_ROLE, key=len, reverse=True)
_LABEL_AT_START: Final = re.compile(
    r"^\s*(?P<label>" + "|".join(_label_pattern(label) for label in _ALL_LABELS) + r")\s*(?P<colon>[:：])?\s*"
)
# Two-character labels open a field inside a line only where a task's fields are written
# side by side ("目标:隐患整改率100%  时限:2024年9月30日前"); 问题: there is mostly prose.
_SHORT_GLUED: Final = ("时限", "目标", "措施")
_LABEL_GLUED: Final = re.compile(
    r"(?<=.)(?P<label>"
    + "|".join(
        _label_pattern(label)
        for label in _ALL_LABELS
        if (len(label) >= 3 or label in _SHORT_GLUED) and _LABEL_ROLE[label] not in {"no", "category"}
    )
    + r")\s*[:：]"
)


_HEADER_LABELS: Final = sorted(_HEADER_ROLE, key=len, reverse=True)
_BRACKETED_LABEL: Final = re.compile(
    r"[【\[〔]\s*(" + "|".join(_label_pattern(label) for label in _ALL_LABELS) + r")\s*[】\]〕]\s*[:：]?\s*"
)


def unbracket_labels(line: str) -> str:
    """Labels set in brackets (【整改措施】…【责任单位】…) written the usual way, label and
    colon, so that they open fields like any other; a heading over fields of its own
    (责任清单：责任领导：…；牵头单位：…) gives way to them."""
    line = _BRACKETED_NUMBER.sub(_bracketed_number, line)
    line = _BRACKETED_LABEL.sub(lambda m: m.group(1) + ":", line)
    wrapper = _WRAPPER.match(line)
    return line[wrapper.end() :] if wrapper and match_label(line[wrapper.end() :]) else line


# 【问题一】…, 〔一〕…, [3]…: a heading's number set in brackets
_BRACKETED_NUMBER: Final = re.compile(
    r"^\s*[【\[〔［]\s*(?P<word>问题|任务|事项|隐患|反馈问题|整改任务|整改事项)?\s*(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*[】\]〕］]\s*[:：]?\s*"
)


def _bracketed_number(m: re.Match[str]) -> str:
    return f"{m.group('word')}{m.group('n')}:" if m.group("word") else f"({m.group('n')})"


_WRAPPER: Final = re.compile(r"^\s*(?:责任清单|责任分工|责任主体及分工)\s*[:：]\s*")


def label_role(cell: str) -> str | None:
    """Role of a table header cell; header cells carry the label alone or with a qualifier."""
    english = _ENGLISH_HEADERS.get(re.sub(r"[^a-z]+", " ", cell.lower()).strip())
    if english is not None:
        return english
    text = re.sub(r"\s+", "", cell)
    # a note in brackets says what to fill in (完成情况(已完成/推进中)), not what the column is
    text = re.sub(r"^(.{2,}?)[(（][^()（）]*[)）]$", r"\1", text)
    if not text:
        return None
    if _NOT_THE_PROBLEM.search(text):  # 问题来源 (巡视, 审计) is where a problem came from
        return "no" if text.endswith("编号") else None
    if _NUMBER_COLUMN.fullmatch(text):  # 问题序号, 任务序号: a number, not the problem or the task
        return "no"
    for label in _HEADER_LABELS:
        if text == label or (text.startswith(label) and len(text) <= len(label) + 6 and label not in _WORDS):
            return _HEADER_ROLE[label]
    for label in _HEADER_LABELS:
        if label in text and len(text) <= 12 and len(label) >= 2 and label not in _WORDS:
            return _HEADER_ROLE[label]
    return None


_NOT_THE_PROBLEM: Final = re.compile(r"^问题(?:来源|出处|编号)$")
_NUMBER_COLUMN: Final = re.compile(r"[\u4e00-\u9fff]{1,4}(?:序号|编号)")

# The column names of a ledger kept in English (a joint venture's or a foreign-owned plant's
# audit action plan), lower case with marks as spaces: whole names only, since these are
# everyday words.
_ENGLISH_HEADERS: Final[dict[str, str]] = {
    **dict.fromkeys(("no", "s n", "item no", "ref", "ref no", "serial no"), "no"),
    **dict.fromkeys(("finding", "findings", "issue", "issues", "problem", "problems", "observation", "non conformity",
                     "nonconformity", "problem description", "issue description"), "problem"),
    **dict.fromkeys(("corrective action", "corrective actions", "action", "actions", "measures", "rectification measures",
                     "action plan", "actions to be taken"), "measures"),
    **dict.fromkeys(("goal", "target", "objective", "expected result"), "goal"),
    **dict.fromkeys(("responsible leader", "accountable leader", "leader in charge"), "leaders"),
    **dict.fromkeys(("lead department", "lead unit", "lead dept", "leading department"), "lead_units"),
    **dict.fromkeys(("responsible department", "responsible unit", "responsible dept", "department", "owner department"), "units"),
    **dict.fromkeys(("supporting department", "supporting unit", "supporting dept", "support department"), "supporting_units"),
    **dict.fromkeys(("person in charge", "responsible person", "owner", "pic", "contact person"), "persons"),
    **dict.fromkeys(("deadline", "due date", "target date", "completion date", "due", "timeline", "time limit"), "deadline"),
    **dict.fromkeys(("progress", "progress update", "current progress", "implementation status"), "progress"),
    **dict.fromkeys(("status", "completion status"), "status"),
    **dict.fromkeys(("remarks", "remark", "notes", "comments"), "note"),
    **dict.fromkeys(("category", "type"), "category"),
}


def form_label(cell: str) -> str:
    """The label of a form's row as running text reads it: a column name too common as a
    word to open a field in text (审计发现问题, 整改要求) is unambiguous alone in its cell, so
    it stands for a label of its role."""
    role = label_role(cell)
    if role is None or role not in ROLE_LABELS or match_label(f"{cell}:") is not None:
        return cell
    return min(ROLE_LABELS[role], key=len)


# The 三张清单 of a 巡视 plan label their fields in text only with a colon: alone on a line
# they title a list (and 整改要求 a plan's closing section).
_COLON_ONLY: Final = frozenset({"问题清单", "任务清单", "责任清单", "整改要求"})

# Labels that are plain words in a column name (目标完成情况, 措施落实情况): a header only alone.
_WORDS: Final = frozenset({"目标", "措施"})


def match_label(line: str, *, glued: bool = True) -> tuple[str, str] | None:
    """(role, value) when the line opens a field; ``glued=False`` demands a colon or a label
    alone on its line, for lines that may merely continue a wrapped sentence."""
    m = _LABEL_AT_START.match(line)
    if not m:
        return _english_label(line)
    label = re.sub(r"\s+", "", m.group("label"))
    rest = line[m.end():]
    role = _LABEL_ROLE[label]
    if role in {"no", "category"}:
        return None
    if m.group("colon"):
        return role, rest
    if label in _COLON_ONLY:
        return None
    if not rest.strip():
        return role, ""
    if glued and label in _GLUE_OK and not re.match(r"[\d(（员的是要为及和、,，]|主要|负责|常务|分管", rest):
        return role, rest
    if glued and label in _GLUE_OK and role == "deadline" and re.match(r"(?:19|20)\d{2}\s*[年./-]", rest):
        return role, rest  # 完成时限 2024年6月底前: a date, set apart by a space instead of a colon
    return None


_ENGLISH_LABEL: Final = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ./]{1,30}?)\s*:\s*")


def _english_label(line: str) -> tuple[str, str] | None:
    """A field of a plan written in English (Deadline: 2024-05-31): its words are everyday
    ones, so only with a colon and only the whole column names a ledger would use."""
    m = _ENGLISH_LABEL.match(line)
    role = _ENGLISH_HEADERS.get(re.sub(r"[^a-z]+", " ", m.group("label").lower()).strip()) if m else None
    if m is None or role is None or role in {"no", "category"}:
        return None
    return role, line[m.end() :]


def first_glued_label(text: str) -> int | None:
    """Where the first ``label:`` inside running text begins, if any."""
    m = _LABEL_GLUED.search(text)
    return m.start() if m else None


def split_glued_fields(line: str, *, inside: str | None = None) -> list[str]:
    """A field line that carries further ``label:`` fields is cut before each of them; so is
    a continuation line of field ``inside``, where a wrap may have hidden the glued label
    (a label of that same field there is only quoted text: "第四十六项整改任务:")."""
    leading = _LABEL_AT_START.match(line) if match_label(line) else None
    if leading is None and inside is None:
        return [line]
    parts: list[str] = []
    start = 0
    for m in _LABEL_GLUED.finditer(line, leading.end() if leading else 0):
        role = _LABEL_ROLE[re.sub(r"\s+", "", m.group("label"))]
        if m.start() <= start + 1 or role == inside or _in_brackets(line, m.start()):
            continue
        parts.append(line[start : m.start()])
        start = m.start()
    parts.append(line[start:])
    return [p for p in parts if p.strip()]


def _in_brackets(line: str, at: int) -> bool:
    """Whether ``at`` stands inside a bracket that closes later on the line: a measure's own
    fields ("一是…排查(责任单位:县市场监管局);二是…") end there, not at the next label."""
    before = line[:at]
    opened = before.count("(") + before.count("（") - before.count(")") - before.count("）")
    return opened > 0 and (")" in line[at:] or "）" in line[at:])


def core_fields(lines: list[str]) -> set[str]:
    """The core fields (units, deadline, leaders …) the lines open; a task has several."""
    roles: set[str] = set()
    current: str | None = None
    for line in lines:
        # a printed page wraps a field's line anywhere, so the next field may open mid-line
        for part in split_glued_fields(line, inside=current):
            found = match_label(part)
            if found:
                current = found[0]
                if found[0] in _CORE:
                    roles.add(found[0])
    return roles


@dataclass
class MeasureFields:
    """Fields written in brackets after one measure (…改造。(责任单位:…;完成时限:…)):
    ``line`` is the measure's line without them."""

    line: str
    values: dict[str, str]


@dataclass
class Fields:
    preamble: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    per_measure: list[MeasureFields] = field(default_factory=list)

    def text(self, role: str) -> str:
        return "\n".join(self.values.get(role, [])).strip()


_BRACKET_ROLES: Final = frozenset({"leaders", "lead_units", "units", "supporting_units", "supervisors", "persons", "deadline"})


def trailing_fields(line: str) -> tuple[str, str, str] | None:
    """(text before, fields, text after) when a line ends with task fields in brackets:
    "…改造。(责任单位:市生态环境局;完成时限:2024年10月底前);"."""
    stripped = line.rstrip()
    body = stripped.rstrip("。;；,，. ")
    if not body.endswith(")"):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(body[i], 0)
        if depth == 0:
            content = body[i + 1 : -1]
            found = match_label(content, glued=False)
            if found is None or found[0] not in _BRACKET_ROLES or not found[1].strip():
                return None
            return body[:i], content, stripped[len(body) :]
    return None


def holds_bracketed_fields(text: str) -> bool:
    """Whether a bracket inside ``text`` holds task fields ("…排查(责任单位:…;完成时限:…);")."""
    for inner in re.findall(r"\(([^()]*)\)", text):
        found = match_label(inner, glued=False)
        if found is not None and found[0] in _BRACKET_ROLES and found[1].strip():
            return True
    return False


def bracket_values(content: str) -> dict[str, str]:
    """The fields inside one bracket, each value without the separator that ended it."""
    values: dict[str, str] = {}
    for part in split_glued_fields(content):
        found = match_label(part)
        if found and found[1].strip(" ;；,，。"):
            values[found[0]] = found[1].strip(" ;；,，。")
    return values


def parse_fields(lines: list[str]) -> Fields:
    """Field values by role. A section heading inside a task's lines (二、整改措施落实情况)
    opens the field it names; one naming none (四、销号意见) ends a deadline, goal or name
    field above it, whose value never has sections, so that 整改时限 does not run on into
    the report below it."""
    result = Fields()
    current: list[str] | None = None
    current_role: str | None = None
    width = wrap_width(lines)
    previous = ""
    for raw in lines:
        section = _section_heading(raw)
        if section is not None and match_label(section):
            raw = f"{section}:"
        elif section is not None and current_role in _CLOSED_BY_SECTION:
            current, current_role = [], "section"
            continue
        bracket = trailing_fields(raw) if current_role == "measures" else None
        if bracket is not None:
            raw = bracket[0] + bracket[2]
            result.per_measure.append(MeasureFields(raw, bracket_values(bracket[1])))
        for line in split_glued_fields(raw, inside=current_role):
            found = match_label(line, glued=not is_full(previous, width))
            if found:
                role, value = found
                current_role = role
                current = result.values.setdefault(role, [])
                if value.strip():
                    current.append(value.strip())
            elif current is not None:
                current.append(line)
            else:
                result.preamble.append(line)
        previous = raw
    _split_wrapped_labels(result)
    return result


INHERITED_ROLES: Final = ("leaders", "lead_units", "units", "supporting_units", "supervisors", "principals", "persons", "deadline", "mode")


def list_fields(head: list[str]) -> dict[str, list[str]]:
    """Field lines right above a list's first item or a task table (责任领导:县委常委 王五
    under the title of an annexed list) hold for every task of the list that does not name
    its own."""
    start = len(head)
    while start > 0 and match_label(head[start - 1], glued=False):
        start -= 1
    own = parse_fields(head[start:]).values
    return {role: own[role] for role in INHERITED_ROLES if own.get(role)}


_CLOSED_BY_SECTION: Final = frozenset({"goal", "leaders", "lead_units", "units", "supporting_units", "supervisors", "principals", "persons", "deadline"})


def _section_heading(line: str) -> str | None:
    """The title of a numbered section (二、整改成效), short and without a sentence."""
    m = re.match(r"^[一二三四五六七八九十]{1,3}\s*、\s*(.{2,16})$", line.strip())
    if m is None or re.search(r"[。;；,，:：]", m.group(1)):
        return None
    return m.group(1)


_JOINED_ROLES: Final = ("leaders", "lead_units", "units", "supporting_units", "supervisors", "principals", "persons", "deadline")


def _split_wrapped_labels(fields: Fields) -> None:
    """A label wrapped over two lines (主体责\n任:) is only visible once a field's lines are
    joined, as name and deadline fields are; such a field is cut there."""
    for role in _JOINED_ROLES:
        lines = fields.values.get(role)
        if not lines or len(lines) < 2:
            continue
        joined = "".join(line.strip() for line in lines)
        parts = split_glued_fields(joined, inside=role)
        if len(parts) < 2:
            continue
        fields.values[role] = [parts[0]]
        for part in parts[1:]:
            found = match_label(part)
            if found and found[0] not in fields.values:
                fields.values[found[0]] = [found[1]] if found[1].strip() else []


# ---- numbered items -------------------------------------------------------------------



def number_value(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):  # cn2an on 十十五 and the like
        return None
    return int(value) if float(value).is_integer() and value > 0 else None


# The mark after an item number. 、 is never a decimal point, so a digit may follow it
# (2、2024年…); after a point only a date may (3.2024年…, 3.12月底前…), not 3.5万元.
NUMBER_MARK: Final = r"(?:、|\.(?!\d)|\.(?=(?:19|20)\d{2}\s*年|\d{1,2}\s*月))"


@dataclass
class Heading:
    style: str
    number: int
    text: str
    written: str = ""  # the whole number of an outline numbered 2.1 / 2.1.1, which is the ref


_ROMAN: Final = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"


_HEADING_STYLES: Final[list[tuple[str, re.Pattern[str]]]] = [
    ("item", re.compile(r"^第([一二三四五六七八九十百零〇\d]{1,5})[项条]\s*[:、.]?\s*(.*)$")),
    # 第一部分 省委巡视反馈问题整改 / 第二部分 …: several plans in one document
    ("part", re.compile(r"^第([一二三四五六七八九十\d]{1,3})(?:部分|篇)\s*[:、.]?\s*(.*)$")),
    ("labelled", re.compile(r"^(?:反馈问题|整改任务|整改事项|问题|任务|隐患|事项)\s*(?:(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[:、.]|[(]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)]\s*[:、.]?)\s*(.*)$")),
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.]\s*(.*)$")),
    ("paren_cn", re.compile(r"^[(]\s*([一二三四五六七八九十]{1,3})\s*[)]\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*" + NUMBER_MARK + r"\s*(.*)$")),
    ("paren_ar", re.compile(r"^[(]\s*(\d{1,2})\s*[)]\s*(.*)$")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")),
    # No.1 / NO. 2: items numbered the English way
    ("english", re.compile(r"^(?:No|NO)\s*\.\s*(\d{1,3})\s*[:、.]?\s*(.*)$")),
    # Ⅰ、党的建设方面: Roman numerals (the Unicode ones) over the outline
    ("roman", re.compile(r"^([ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ])\s*[、.]?\s*(.*)$")),
    # a company's decimal outline: 2 整改任务 / 2.1 …问题 / 2.1.1 …措施
    ("dotted3", re.compile(r"^(\d{1,2}\.\d{1,2}\.(\d{1,2}))\.?(?![\d.])\s*(?![万亿元千百%])(.*)$")),
    ("dotted2", re.compile(r"^(\d{1,2}\.(\d{1,2}))\.?(?![\d.])\s*(?![万亿元千百%])(?=\S)(.*)$")),
    ("spaced", re.compile(r"^(\d{1,2})[ \t\u3000]+(?![年月日个万亿元千百项家人名次%])(?=[\u4e00-\u9fff])(.*)$")),
]
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def heading_of(line: str) -> Heading | None:
    for style, pattern in _HEADING_STYLES:
        m = pattern.match(line)
        if not m:
            continue
        if style.startswith("dotted"):
            written, last, text = m.groups()
            if style == "dotted2" and not re.match(r"[\u4e00-\u9fff“\"(（]", text.strip()[:1] or "x"):
                continue  # 3.5万元, 1.2亿: a decimal, not a number of the outline
            return Heading(style, int(last), text.strip(), written)
        raw, text = next(g for g in m.groups()[:-1] if g is not None), m.groups()[-1]
        number: int | None
        if style == "circled":
            number = _CIRCLED.index(raw) + 1
        elif style == "roman":
            number = _ROMAN.index(raw) + 1
        else:
            number = number_value(raw)
        if number is None:
            continue
        return Heading(style, number, text.strip())
    return None


# ---- measures -------------------------------------------------------------------------

_ARABIC: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*(\d{1,2})[ \t]*" + NUMBER_MARK)
# Table cells keep their full-width brackets, so both forms are read; 1) is a number too.
_PAREN_ARABIC: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*[(（](\d{1,2})[)）]")
_HALF_PAREN: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*(\d{1,2})[)）]")
_CIRCLED_ITEM: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")
# (一)(二) under a task numbered 1. 2.: the outline's lower style used for measures
_PAREN_CN_ITEM: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*[(（]([一二三四五六七八九十]{1,2})[)）]")
_CN_ITEM: Final = re.compile(r"(?m)^[ \t]*([一二三四五六七八九十]{1,2})、")
# A.开展排查; B.实施工程; (a)…: measures lettered in order
_LETTER_ITEM: Final = re.compile(
    r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*(?:[(（]?([A-Ha-h])(?:[.、．]|[)）])[ \t]*(?=[\u4e00-\u9fff“\"])|[(（]([a-h])[)）][ \t]*(?=[A-Z]))"
)
# 2.1.1 修订…; 2.1.2 …: an outline's full numbers, counted by their last part
_DOTTED_ITEM: Final = re.compile(r"(?m)(?:^|(?<=[。;；!?！？]))[ \t]*(?:\d{1,2}\.){1,3}(\d{1,2})\.?(?![\d.])(?=[ \t]*[\u4e00-\u9fff“\"(（])(?![ \t]*[万亿元千百])")
_SHI: Final = re.compile(r"(?:^|(?<=[。;；,，:：!?！？\s]))(一|二|三|四|五|六|七|八|九|十|十一|十二)是")


def _sequential(cands: list[tuple[int, int, int]], expected: int = 1) -> list[tuple[int, int]]:
    """From (start, end, number) candidates keep the run 1, 2, 3… in text order."""
    out: list[tuple[int, int]] = []
    for start, end, number in cands:
        if number == expected and (not out or start >= out[-1][1]):
            out.append((start, end))
            expected += 1
    return out


def _continued(cands: list[tuple[int, int, int]], text: str) -> list[tuple[int, int]]:
    """Word's list numbering runs on across tasks (4、5、6、 under the second task): a run of
    two or more lines numbered on from the first one's number is a list too."""
    starts = [c for c in cands if c[0] == 0 or text[c[0] - 1] == "\n"]
    if not starts or starts[0][2] == 1:
        return []
    run = _sequential(starts, starts[0][2])
    return run if len(run) >= 2 and len(run) == len(starts) else []


def strip_number(text: str) -> str:
    """An item's text without the number that opens it (1. (1) ① (一) 一、 一是)."""
    return re.sub(
        r"^\s*(?:(?:\d{1,2}\.){1,3}\d{1,2}(?![\d.])\s|[(（]?[A-Ha-h](?:[.、]|[)）])(?=[\u4e00-\u9fff])|\d{1,2}\s*" + NUMBER_MARK + r"|[(（](?:\d{1,2}|[一二三四五六七八九十]{1,2})[)）]|\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,2}[是、])\s*",
        "",
        text,
    )


def split_measures(lines: list[str]) -> tuple[str, list[str]]:
    """(intro, measures). Numbered items (1. (1) ① (一)) at line starts or after a sentence,
    一、 at line starts, then 一是/二是, then one measure per paragraph — the order in which
    plans actually number."""
    lines = [ln for ln in (line.strip() for line in lines) if ln]
    if not lines:
        return "", []
    found = _measure_runs(lines)
    if found is not None:
        return _cut(*found)
    bulleted = _bulleted(lines)
    if bulleted is not None:
        return bulleted
    paragraphs = [tidy(p) for p in _paragraphs(lines) if tidy(p)]
    if len(paragraphs) == 1:
        # One unnumbered block of parallel actions: "开展集中整顿;建立销号台账" is two measures.
        parts = [part for part in re.split(r"(?<=[;；])", paragraphs[0]) if part.strip()]
        if len(parts) > 1 and all(len(part.strip(" ;；。")) >= 4 for part in parts):
            return "", [part.strip() for part in parts]
    return "", paragraphs


# ——制定责任清单; ●开展排查: measures set off by a dash or bullet instead of a number
_BULLET: Final = re.compile(r"^(?:—{1,2}|-{1,2}|[●•■◆▲★☆◇□▪►※·])\s*(?=\S)")


def _bulleted(lines: list[str]) -> tuple[str, list[str]] | None:
    """(intro, measures) when two or more lines open with a bullet: each opens a measure,
    and a line without one wraps the measure above it."""
    if sum(1 for line in lines if _BULLET.match(line)) < 2:
        return None
    intro: list[str] = []
    measures: list[list[str]] = []
    for line in lines:
        mark = _BULLET.match(line)
        if mark:
            measures.append([line[mark.end() :]])
        elif measures:
            measures[-1].append(line)
        else:
            intro.append(line)
    return tidy("\n".join(intro)), [tidy("\n".join(m)) for m in measures]


def _measure_runs(lines: list[str]) -> tuple[str, list[tuple[int, int]]] | None:
    """The text and the (start, end) of each item number of the first numbering style that
    runs 1, 2, 3… through the lines."""
    for pattern in (_ARABIC, _PAREN_ARABIC, _HALF_PAREN, _CIRCLED_ITEM, _PAREN_CN_ITEM, _CN_ITEM, _DOTTED_ITEM, _LETTER_ITEM, _SHI):
        # 一是 runs inside paragraphs, so a wrap may fall between 一 and 是
        text = "".join(lines) if pattern is _SHI else "\n".join(lines)
        cands = []
        for m in pattern.finditer(text):
            raw = m.group(1) or (m.group(2) if pattern is _LETTER_ITEM else None) or ""
            if pattern is _LETTER_ITEM:
                number: int | None = "abcdefgh".index(raw.lower()) + 1
            else:
                number = _CIRCLED.index(raw) + 1 if raw in _CIRCLED else number_value(raw)
            if number:
                cands.append((m.start(), m.end(), number))
        runs = _sequential(cands) or (_continued(cands, text) if pattern is not _SHI else [])
        at_line_start = bool(runs) and (runs[0][0] == 0 or text[runs[0][0] - 1] == "\n")
        if (pattern is not _SHI and runs and at_line_start) or len(runs) >= 2:
            return text, runs
    return None


def listed_measures(text: str) -> tuple[str, str]:
    """(before, measures) of a heading that goes on to list its measures ("加强治理。针对…
    问题,一是…;二是…"); ("text", "") when it lists fewer than two."""
    found = _measure_runs([text.strip()])
    if found is None or len(found[1]) < 2 or found[1][0][0] == 0:
        return text, ""
    joined, runs = found
    return joined[: runs[0][0]].strip(), joined[runs[0][0] :]


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines re-joined into paragraphs. In a wrapped (printed) text a line reaching the wrap
    width continues; otherwise a line that does not end a sentence is taken as wrapped."""
    width = wrap_width(lines)
    out: list[str] = []
    previous = ""
    for line in lines:
        continues = is_full(previous, width) if width else not re.search(r"[。;；!?！？:：]$", previous)
        if out and continues:
            out[-1] += line
        else:
            out.append(line)
        previous = line
    return out


def _cut(text: str, runs: list[tuple[int, int]]) -> tuple[str, list[str]]:
    intro = tidy(text[: runs[0][0]])
    measures = []
    for i, (_start, end) in enumerate(runs):
        stop = runs[i + 1][0] if i + 1 < len(runs) else len(text)
        body = tidy(text[end:stop])
        if body:
            measures.append(body)
    return intro, measures
