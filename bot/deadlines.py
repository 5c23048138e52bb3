"""Read a deadline as officials write it (整改时限) into dated milestones and two flags.

The text is kept whole in ``Deadline.text``; milestones carry only dates the text states, so
an unreadable or event-bound deadline ("机构改革结束前") stays text rather than becoming a
guessed date. Reminders and the 逾期 class rest on these dates, so guessing would be worse
than missing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final

import cn2an

from bot import festivals
from bot.plandata import Deadline, Milestone

_IMMEDIATE: Final = re.compile(r"(?i:\bimmediate(?:ly)?\b|\bat once\b)|立行立改|立即整改|立查立改|即知即改|即时整改|即查即改|边查边改|立即(?:执行|落实|开展|纠正|停止)|马上(?:办|改)|立改立行")
_ONGOING: Final = re.compile(
    r"(?i:\bongoing\b|\bcontinuous(?:ly)?\b|\blong[- ]term\b|\b(?:weekly|monthly|quarterly|annually)\b)|持续推进|长期坚持|持续整改|长期整改|持续开展|长期推进|持续巩固|常态化|久久为功|常抓不懈|长效常治|长期|持续|"
    r"每(?:个)?(?:月|季度?|年|周|旬|半年)"
)
_RECURRING: Final = re.compile(r"每(?:个)?(?:月|季度?|年|周|旬|半年)")
# 2024年9月底前(每月5日前报送进度): the bracket is read as a clause after the others, so
# that the recurring report it asks for does not take the date before it along
_RECURRING_ASIDE: Final = re.compile(r"[(（]([^()（）]*每(?:个)?(?:月|季度?|年|周|旬|半年)[^()（）]*)[)）]")
# 即日起至…, 从现在起到…: the work starts when the plan does; the words name no work due
_FROM_NOW: Final = re.compile(
    r"(?:自|从)?\s*(?:即日|今日|今天|现在|当前|(?:本方案)?(?:印发|下发|发布)之日)\s*起?\s*(?:至|到)?"
)

_Y = r"(?P<y>(?:19|20)\d{2})"
_M = r"(?P<m>1[0-2]|0?[1-9])(?!\d)"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
_PART = r"(?P<part>上旬|中旬|下旬|月?底|月?末|月?初)"
# 第三、四季度 is due at the end of the last quarter named
_QUARTERS = r"第?[一二三四1-4](?:\s*[、,，和至到-]\s*第?[一二三四1-4])*季度(?:末|底)?"
_QUARTER = rf"(?P<q>上半年|下半年|{_QUARTERS}|年底|年末|底|末)"
_QUARTER_ALONE = rf"(?P<q>上半年|下半年|{_QUARTERS}|年底|年末)"

# Order matters only for equal starts: longer matches win anyway.
_PATTERNS: Final[list[re.Pattern[str]]] = [
    re.compile(rf"{_Y}(?P<m>1[0-2]|0[1-9])(?P<d>[0-3]\d)日?"),  # 20181221日 (年 and 月 lost)
    re.compile(rf"{_Y}\s*[-./]\s*{_M}(?:\s*[-./]\s*{_D})?"),
    re.compile(rf"{_Y}\s*年?\s*{_M}\s*月份?\s*(?:{_D}\s*[日号]|{_PART})?"),
    # 2024年7-9月, 2024年7月至9月: a span of months, due at the end of the last
    re.compile(rf"{_Y}\s*年\s*(?P<m0>1[0-2]|0?[1-9])\s*月?\s*(?:至|到|[-—–~～])\s*{_M}\s*月份?\s*{_PART}?"),
    re.compile(rf"(?P<y0>(?:19|20)\d{{2}})\s*年?\s*(?:至|到|[-—–~～])\s*{_Y}\s*年"),
    re.compile(rf"{_Y}\s*年\s*{_QUARTER}?"),
    re.compile(rf"(?<![\d年])(?P<rel>今年|明年|本年度?|当年|次年|翌年|下一?年度?)\s*(?:{_M}\s*月份?\s*(?:{_D}\s*[日号]|{_PART})?|{_QUARTER})?"),
    re.compile(rf"(?<![\d年今明]){_QUARTER_ALONE}"),
    # 年内 alone is within the plan's year; 三年内 and 半年内 are spans, not dates
    re.compile(r"(?<![\d年今明本当一二两三四五六七八九十百个半多几])(?P<q>年内)"),
    re.compile(rf"(?<![\d./-]){_M}\s*月份?\s*(?:{_D}\s*[日号]|{_PART})?"),
    re.compile(rf"(?<![\d月./-]){_D}\s*[日号]\s*(?=前|之前|以前)"),
    # 春节前, 2020年元旦前, 中秋、国庆前 (the later one); not 春节前后 (around the festival, no deadline).
    re.compile(
        rf"(?:{_Y}\s*年\s*)?(?:(?:{festivals.WORDS})\s*[、和与及]?\s*)*(?P<fest>{festivals.WORDS})"
        rf"\s*(?:假期|长假|放假)?\s*(?=前(?!后)|之前|以前)"
    ),
]
_BARE_YEAR_OK: Final = re.compile(r"^\s*(?:度|全年)?\s*(?:前(?!后)|以前|之前|年?内|年?以内|完成|全面|基本|实现|[,，;；。)）]|$)")
# 2024年5月起: when the work starts, not when it is due (a day, 7月1日起, is both)
_STARTS: Final = re.compile(r"^\s*(?:起|开始)(?!\s*(?:至|到|[-—–~～]))")
_CLAUSE: Final = re.compile(r"[^,，;；。\n]+")
_CN_YEAR: Final = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_CN_NUMBER: Final = re.compile(r"[一二三四五六七八九十]{1,3}(?=\s*(?:月|日|号))")
_DIGITS: Final = str.maketrans("〇零一二三四五六七八九", "00123456789")


_THIS_YEAR: Final = -1
_NEXT_YEAR: Final = -2
# 次年 is the year after the date before it (2024年底前排查，次年6月底前整治), else the plan's
_YEAR_AFTER: Final = -3
_REL_YEARS: Final = {"明年": _NEXT_YEAR, "次年": _YEAR_AFTER, "翌年": _YEAR_AFTER}


@dataclass
class _Point:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    part: str
    bare_year: bool = False
    from_year: int | None = None
    festival: str = ""
    from_month: int | None = None


def only_time_limit(text: str) -> bool:
    """Whether a remark (a ledger's 备注) says only when the work is due or how long it runs
    (长期坚持; 2025年6月底前全部完成), not what was done or anything else: only then does it
    belong with the deadline."""
    work = _four_digit_years(_arabic(fold_width(text)), None)
    if re.search(r"已|正在|目前", work):
        return False
    clauses = [c.group().strip() for c in _CLAUSE.finditer(work) if c.group().strip()]
    for clause in clauses:
        if _FLAG_ONLY.fullmatch(clause):
            continue
        dated = _clause_milestones(clause, 2000, [])
        if not dated or any(len(m.text) > 8 for m in dated):
            return False
    return bool(clauses)


def fold_width(text: str) -> str:
    return text.translate({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})


def parse_deadline(
    text: str, plan_year: int | None = None, issued: date | None = None, *, stated_alone: bool = False
) -> Deadline:
    """``plan_year`` dates the deadlines that name no year; without it they stay undated.

    ``issued`` (the plan's date, when it has one) says which festival a yearless "春节前"
    means: the first one after it, and where 限期2个月 and 自印发之日起3个月内 count from.

    ``stated_alone``: the text is a time limit written on its own (a 整改时限 cell or line,
    a deadline typed as the answer to "by when"), so a bare "3个月内完成" is the time given
    from ``issued``; inside running text the same words are a span with no stated start.
    """
    original = (text or "").strip().rstrip("。;；")
    work = _arabic(fold_width(_JOINED_CYCLE.sub("，", original)))
    work = _four_digit_years(work, plan_year or (issued.year if issued else None))
    work = _RECURRING_ASIDE.sub("", work) + "".join("，" + aside for aside in _RECURRING_ASIDE.findall(work))
    deadline = Deadline(text=original)
    deadline.immediate = bool(_IMMEDIATE.search(work))
    deadline.ongoing = bool(_ONGOING.search(work))
    for clause in _CLAUSE.finditer(work):
        deadline.milestones.extend(_clause_milestones(clause.group(), plan_year, deadline.milestones, issued))
    started = _from_start(work, plan_year)
    if started and all(m.due is not None and started[0].start and m.due <= started[0].start for m in deadline.milestones):
        deadline.milestones = started  # 从7月1日开始，30日内完成: the day is the start, not the due date
    deadline.ongoing |= not deadline.immediate and _open_ended(work, deadline.milestones)
    if not deadline.milestones and issued is not None:
        deadline.milestones.extend(_after_span(work, issued, stated_alone))
    return deadline


# 自2024年7月起 / 从2024年7月1日开始: when the work starts; the end is a span after it
_STARTED: Final = re.compile(r"(?:自|从)\s*(?P<when>[^,，;；。起]{4,14}?)\s*(?:起|开始)")
_SPAN_AFTER: Final = re.compile(
    r"(?:用|利用|力争|在)?\s*(?P<n>[\d一二两三四五六七八九十半]+)\s*(?P<unit>个月|年|天|日|周)\s*(?:左右)?\s*(?:内|之内|以内|时间)"
)


def _from_start(work: str, plan_year: int | None) -> list[Milestone]:
    """自2024年7月起，6个月内完成 / 用两年时间完成: due that long after the stated start (the
    day before the same day that many months on), the start kept as the milestone's. Without
    a span the start alone dates nothing: the words stay text, listed as undated."""
    started = _STARTED.search(work)
    if started is None:
        return []
    points = [p for p in _points(started.group("when")) if not p.festival]
    span = _SPAN_AFTER.search(work, started.end())
    if len(points) != 1 or span is None:
        return []
    point = points[0]
    bounds = _span(_year(point, None, plan_year), point.month, point.day, point.part)
    count = 0.5 if span.group("n") == "半" else _number(span.group("n"))
    unit = span.group("unit")
    if bounds is None or not count or (unit != "年" and not float(count).is_integer()):
        return []
    start = bounds[0]
    if unit in ("天", "日", "周"):
        due = start + timedelta(days=int(count) * (7 if unit == "周" else 1) - 1)
    else:
        months = int(count * 12) if unit == "年" else int(count)
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        due = date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1])) - timedelta(days=1)
    what = work[span.end() :].strip(" ,，;；。")
    return [Milestone(due=due, text="" if not what or _FLAG_ONLY.fullmatch(what) else what, start=start)]


def _after_span(work: str, issued: date, stated_alone: bool) -> list[Milestone]:
    """自本方案印发之日起3个月内完成, 限期2个月, or a bare 3个月内完成 stated alone as the
    time limit: due that long after the plan's date (working days are left to the text: the
    calendar of a year to come is not known)."""
    found = _SPAN.search(work)
    if found is None or not _FROM_NOW_ON.search(work[: found.start()]):
        found = _LIMIT.search(work) or (_BARE_LIMIT.match(work) if stated_alone else None)
    if found is None or found.group("unit") == "个工作日":
        return []
    count = 0.5 if found.group("n") == "半" else _number(found.group("n"))
    unit = found.group("unit")
    if not count or (unit != "年" and not float(count).is_integer()):
        return []
    if unit in ("天", "日", "周"):
        due = issued + timedelta(days=int(count) * (7 if unit == "周" else 1))
    else:
        months = int(count * 12) if unit == "年" else int(count)
        year, month = divmod(issued.month - 1 + months, 12)
        year += issued.year
        due = date(year, month + 1, min(issued.day, calendar.monthrange(year, month + 1)[1]))
    what = work[found.end() :].strip(" ,，;；。")
    return [Milestone(due=due, text="" if _FLAG_ONLY.fullmatch(what) else what, start=issued)]


def _number(text: str) -> float | None:
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


# 即日起 / 自本方案印发之日起 with no end: the work starts with the plan and goes on
_FROM_NOW_ON: Final = re.compile(r"(?:即日|今日|今天|现在|(?:本方案|本通知)?(?:印发|下发|发布)之日)\s*(?:起|开始)")
_LIMIT: Final = re.compile(r"限期\s*(?P<n>[\d一二两三四五六七八九十半]+)\s*(?P<unit>个月|个工作日|天|日|周|年)(?:内|之内|以内)?")
_SPAN: Final = re.compile(r"(?P<n>[\d一二两三四五六七八九十半]+)\s*(?P<unit>个月|个工作日|天|日|周|年)\s*(?:内|之内|以内)")
# 3个月内, 三个月内完成整改, 30日内 opening the text: a time limit without 限期 (not 三年内,
# which is a span of the plan's years)
_BARE_LIMIT: Final = re.compile(r"\s*(?:在|于)?\s*(?P<n>[\d一二两三四五六七八九十半]+)\s*(?P<unit>个月|天|日|周)\s*(?:内|之内|以内)")
# 2024年9月底前完成修订并每月报送进展: the cycle joined to a dated clause is a clause of its
# own, so that it makes the task ongoing and leaves the date standing
_JOINED_CYCLE: Final = re.compile(
    r"(?<=[^\s,，;；。、(（])\s*(?:并且?|且|同时|此后|之后|期间|其间)?\s*、?\s*(?=每(?:个)?(?:月|季度?|年|周|旬|半年))"
    r"|(?<=[^\s,，;；。、(（])\s*(?:直至|直到)\s*(?=(?:19|20)\d{2}|\d{1,2}\s*月|年底|年末)"
)


def _open_ended(work: str, milestones: list[Milestone]) -> bool:
    """"自即日起" alone is no date and no error: the task runs from the plan's date on, as
    持续推进 does; with an end (即日起至2024年底, 起3个月内) it is not open, and with 立行立改
    it is done at once."""
    return bool(_FROM_NOW_ON.search(work)) and not milestones and not _SPAN.search(work)


# 19年底前, 20年6月, 19年至20年: a year written with two digits, where a month, a part of
# the year or a second year follows (so 10年内, 20年来 and 3年 stay spans of years)
_SHORT_YEAR: Final = re.compile(
    r"(?<![\d./-])(\d{2})(?=\s*年\s*(?:\d{1,2}\s*月|年?底|年?末|上半年|下半年|第?[一二三四1-4]\s*季度))"
)
_SHORT_YEARS: Final = re.compile(r"(?<![\d./-])(\d{2})(\s*年?\s*(?:至|到|[-—–~～])\s*)(\d{2})(?=\s*年)")


def _four_digit_years(text: str, near: int | None) -> str:
    """Two-digit years written out, in the century that puts them nearest the plan's year
    (the 2000s when it is unknown)."""
    center = near or 2000

    def full(short: str) -> str:
        years = (center // 100 * 100 + shift + int(short) for shift in (-100, 0, 100))
        return str(min(years, key=lambda y: abs(y - center)))

    def one(m: re.Match[str]) -> str:
        return full(m.group(1))

    def two(m: re.Match[str]) -> str:
        return full(m.group(1)) + m.group(2) + full(m.group(3))

    return _SHORT_YEAR.sub(one, _SHORT_YEARS.sub(two, text))


def _arabic(text: str) -> str:
    """Chinese numerals in dates (二〇一九年三月) as digits; the rest of the text is left
    alone so that words such as 三大 or 一季度 keep their meaning."""
    text = _CN_YEAR.sub(lambda m: m.group().translate(_DIGITS), text)
    return _CN_NUMBER.sub(_numeral, text)


def _numeral(match: re.Match[str]) -> str:
    try:
        return str(cn2an.cn2an(match.group(), "smart"))
    except (ValueError, KeyError, IndexError):  # not a well-formed numeral (一一十, 十十五)
        return match.group()


def _clause_milestones(
    clause: str, plan_year: int | None, earlier: list[Milestone], issued: date | None = None
) -> list[Milestone]:
    if _RECURRING.search(clause):
        return []
    points = _points(clause)
    if not points:
        return []
    label = _label(clause, points)
    context_year = earlier[-1].due.year if earlier and earlier[-1].due else None
    context_month = earlier[-1].due.month if earlier and earlier[-1].due else None
    out: list[Milestone] = []
    i = 0
    while i < len(points):
        point = points[i]
        nxt = points[i + 1] if i + 1 < len(points) else None
        if point.festival:
            since = ([*earlier, *out][-1].due if earlier or out else None) or issued
            if since is None and plan_year:
                since = date(plan_year, 1, 1)
            due = _festival_due(point, since)
            if due is not None:
                out.append(Milestone(due=due, text=label))
                context_year, context_month = due.year, due.month
            i += 1
            continue
        if not point.festival and point.day is None and _STARTS.match(clause[point.end :]):
            i += 1
            continue
        year = _year(point, context_year, plan_year)
        month = point.month or (context_month if point.day else None)
        first = _span(year, month, point.day, point.part)
        if first and year and point.year is None and context_year is None and issued and first[1] < issued:
            # 3月底前 in a plan dated 2024年11月: the first March after the plan
            year += 1
            first = _span(year, month, point.day, point.part)
        gap = clause[point.end : nxt.start] if nxt is not None else ""
        is_range = nxt is not None and not nxt.festival and re.fullmatch(r"\s*(?:起|开始)?\s*(?:至|到|[-—–~～])\s*", gap) is not None
        if is_range and nxt is not None:
            end_year = _year(nxt, year, plan_year)
            second = _span(end_year, nxt.month or (month if nxt.day else None), nxt.day, nxt.part)
            if first and second:
                out.append(Milestone(due=second[1], text=label, start=first[0]))
                context_year, context_month = second[1].year, second[1].month
            i += 2
            continue
        if first and year and point.from_month and point.from_month <= first[1].month:
            out.append(Milestone(due=first[1], text=label, start=date(year, point.from_month, 1)))
            context_year, context_month = first[1].year, first[1].month
        elif first and point.from_year and point.from_year <= first[1].year:
            out.append(Milestone(due=first[1], text=label, start=date(point.from_year, 1, 1)))
            context_year, context_month = first[1].year, first[1].month
        elif first and point.bare_year and _BEFORE_YEAR.match(clause[point.end :]):
            before = _before_year(year, plan_year)
            if before is not None:
                out.append(Milestone(due=before, text=label))
                context_year, context_month = before.year, before.month
        elif first and not (point.bare_year and not _BARE_YEAR_OK.match(clause[point.end :])):
            out.append(Milestone(due=first[1], text=label))
            context_year, context_month = first[1].year, first[1].month
        i += 1
    return _from_now(clause, points, out, issued)


def _from_now(clause: str, points: list[_Point], out: list[Milestone], issued: date | None) -> list[Milestone]:
    """A span opened by 即日起 starts on the plan's date, when the plan states one."""
    found = _FROM_NOW.search(clause[: points[0].start])
    if found is None or not out or out[0].start is not None or issued is None or out[0].due is None:
        return out
    if issued <= out[0].due:
        out[0] = replace(out[0], start=issued)
    return out


# 2026年前: before the year begins, as 春节前 is before the festival; 2024年前后 is around it
_BEFORE_YEAR: Final = re.compile(r"\s*(?:之前|以前|前(?!后))")


def _before_year(year: int | None, plan_year: int | None) -> date | None:
    """2026年前 is the last day of 2025, as plans write it (2025年底前 when they mean the end
    of 2025). Where that day falls before the plan's own year (2024年前 in a 2024 plan) the
    writer cannot have meant it, but whether the end of that year was meant is a guess: the
    words stay text, listed in the preview as undated. 前后 (around) is no deadline."""
    if year is None or year <= 0:
        return None
    if plan_year is not None and year - 1 < plan_year:
        return None
    return date(year - 1, 12, 31)


def _festival_due(point: _Point, since: date | None) -> date | None:
    """The festival's eve: of the year written, else the first one after ``since``."""
    if point.year is not None and point.year > 0:
        return festivals.eve(point.festival, point.year)
    return festivals.next_eve(point.festival, since) if since is not None else None


def _year(point: _Point, context: int | None, plan_year: int | None) -> int | None:
    if point.year == _THIS_YEAR:
        return plan_year
    if point.year == _NEXT_YEAR:
        return plan_year + 1 if plan_year else None
    if point.year == _YEAR_AFTER:
        base = context or plan_year
        return base + 1 if base else None
    return point.year or context or plan_year


def _points(clause: str) -> list[_Point]:
    found: list[_Point] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(clause):
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            part = groups.get("part") or groups.get("q") or ""
            if groups.get("rel"):
                rel = groups["rel"]
                year = _REL_YEARS.get(rel, _YEAR_AFTER if rel.startswith("下") else _THIS_YEAR)
            found.append(
                _Point(
                    m.start(),
                    m.end(),
                    year,
                    int(groups["m"]) if groups.get("m") else None,
                    int(groups["d"]) if groups.get("d") else None,
                    part,
                    bare_year=year is not None and not groups.get("m") and not part and not groups.get("y0"),
                    from_year=int(groups["y0"]) if groups.get("y0") else None,
                    festival=groups.get("fest") or "",
                    from_month=int(groups["m0"]) if groups.get("m0") else None,
                )
            )
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    chosen: list[_Point] = []
    for point in found:
        if chosen and point.start < chosen[-1].end:
            continue
        chosen.append(point)
    return chosen


def _span(year: int | None, month: int | None, day: int | None, part: str) -> tuple[date, date] | None:
    """First and last day a written date stands for; a deadline means the last one."""
    if year is None or year < 0:
        return None
    try:
        if month is None:
            return None if day is not None else _year_span(year, part)
        last = calendar.monthrange(year, month)[1]
        if day is not None:
            one = date(year, month, day)
            return one, one
        part = part.removeprefix("月")
        if part in ("上旬", "初"):
            return date(year, month, 1), date(year, month, 10)
        if part in ("中旬", "中"):
            return date(year, month, 11), date(year, month, 20)
        if part == "下旬":
            return date(year, month, 21), date(year, month, last)
        return date(year, month, 1), date(year, month, last)
    except ValueError:
        return None


def _year_span(year: int, part: str) -> tuple[date, date] | None:
    if part == "上半年":
        return date(year, 1, 1), date(year, 6, 30)
    if part == "下半年":
        return date(year, 7, 1), date(year, 12, 31)
    quarters = re.findall(r"[一二三四1-4]", part) if "季度" in part else []
    if quarters:
        last = quarters[-1]
        q = "一二三四".find(last) + 1 if last in "一二三四" else int(last)
        end_month = q * 3
        return date(year, end_month - 2, 1), date(year, end_month, calendar.monthrange(year, end_month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def _label(clause: str, points: list[_Point]) -> str:
    """What is due: the clause without its dates and the 前/底前 that bind them."""
    text = clause
    for point in reversed(points):
        text = text[: point.start] + " " + text[point.end :]
    head = text.index(" ")
    # 分阶段(…: a frame around the dates, not what is due; 阶段性目标: names it when nothing follows
    names_it = re.search(r"目标\s*[:：]\s*$", text[:head]) and not re.sub(r"[\s前之以底内]", "", text[head:])
    if re.search(r"[:：(（]\s*$", text[:head]) and not names_it:
        text = text[head:]
    text = _FROM_NOW.sub(" ", re.sub(r"[()（）]", "", text))
    text = re.sub(r"(?:^|(?<=\s))(?:自|从)(?=\s)", " ", text)  # 自2024年7月起至…: the 自 of a removed date
    text = re.sub(r"(?:于|在)\s(?=\S)", " ", text)  # 制度修订于年底前完成
    text = re.sub(r"\s(?:之前|以前|前)", " ", text)  # the 前 that binds a date
    text = re.sub(r"^\s*(?:年底|底|度|全年|之前|以前|前|年内|内|以内|起|开始|至|到)+", "", text.strip())
    text = re.sub(r"\s*(?:之前|以前|前)\s*(?=完成|实现|全面|基本)", "", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^[-—–~～]*(?:截至|截止到?|到|至|在|于|力争|确保)*", "", text)
    text = text.strip(" ,，;；。、:-—–~～")
    # 完成并长期坚持, 完成(长期坚持): the flag after the work is the deadline's, not what is due
    text = re.sub(r"[/、]?(?:并|且|此后|之后|后)?(?:长期坚持|持续推进|长期推进|持续巩固|持续开展|常抓不懈|长效常治|常态化)$", "", text)
    return "" if _FLAG_ONLY.fullmatch(text) else text


# A bracket after the date that only says how the task is worked (2024年底前(长期坚持)).
_FLAG_ONLY: Final = re.compile(rf"(?:{_IMMEDIATE.pattern}|{_ONGOING.pattern})")
