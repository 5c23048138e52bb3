"""Tasks due within a period a leader names: "下周有哪些任务到期", "3月底前要完成的任务".

/overdue and the 临期 list answer "what is late" and "what is due within days"; planning
a week or a month needs the deadlines falling inside it, whatever their state today.
The period travels in the button data as one number (start date and length in days), so
paging a list keeps the same window even days later.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import festivals
from bot.cards import (
    Page,
    Viewer,
    ViewRef,
    counts_only,
    earliest_open_due,
    fmt_date,
    listing,
    names,
    paginate,
    state_text,
    task_head,
)
from bot.extract import to_int
from bot.i18n import Translator
from bot.ledger import TaskView
from bot.periods import month_bounds
from bot.status import StatusClass

MAX_DAYS = 999

_DUE_WORD = re.compile(
    r"到期|截止|届满|时限|(?:要|须|需|需要|应|应该|该|得|必须|计划|预计)(?:在)?完成|(?:能|能够|可以|可)(?:在)?完成的|完成(?:时限|期限)|"
    r"^(?:本|这个?)?月底(?:前|之前|以前)(?:的|有|要|还)|\bdue\b|\bdeadlines?\b|"
    r"\b(?:must|to|should) be (?:completed|done|finished)\b",
    re.I,
)
_NUM = r"(\d{1,3}|[一二三四五六七八九十两]{1,3})"
_SPAN = re.compile(rf"(?:未来|近|最近|接下来的?)?{_NUM}\s*(?:个)?(天|日|周|星期|礼拜|月)(?:内|以内|之内|里)?")
_MONTH = re.compile(rf"{_NUM}\s*月(?:份)?\s*(?:{_NUM}\s*[日号])?\s*(底|末|初|上旬|中旬|下旬)?\s*(前|之前|以前|内)?")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_MONTH = re.compile(
    r"(end of|by|before|until|in|during)?\s*(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b",
    re.I,
)
_QUARTER = re.compile(rf"(本|这个?|当|下个?|第?{_NUM})季度")


def _quarter_window(text: str, today: date) -> tuple[date, date] | None:
    m = _QUARTER.search(text)
    if m is None:
        return None
    current = (today.month - 1) // 3 + 1
    word = m.group(1)
    if word.startswith("下"):
        number, year = current % 4 + 1, today.year + (current == 4)
    elif word[0] in "本这当":
        number, year = current, today.year
    else:
        found = to_int(m.group(2) or "")
        if found is None or not 1 <= found <= 4:
            return None
        number, year = found, today.year + (found < current - 1)
    first = date(year, 3 * number - 2, 1)
    return first, month_bounds(date(year, 3 * number, 1))[1]


def _month_window(m: re.Match[str], today: date) -> tuple[date, date] | None:
    month = to_int(m.group(1))
    day = to_int(m.group(2)) if m.group(2) else None
    if month is None or not 1 <= month <= 12:
        return None
    year = today.year
    first, last = month_bounds(date(year, month, 1))
    if last < today - timedelta(days=62):  # "3月底前" asked in December: next year's March
        first, last = month_bounds(date(year + 1, month, 1))
    part, before = m.group(3), m.group(4)
    if day is not None:
        try:
            end = first.replace(day=day)
        except ValueError:
            return None
        return (today, end) if before and before != "内" else (end, end)
    if part == "初" or part == "上旬":
        first, last = first, first.replace(day=10)
    elif part == "中旬":
        first, last = first.replace(day=11), first.replace(day=20)
    elif part == "下旬":
        first = first.replace(day=21)
    if before in ("前", "之前", "以前") or (part in ("底", "末") and before):
        return (min(today, last), last)
    return first, last


def asked_window(text: str, today: date) -> tuple[date, date] | None:
    """The period a question about deadlines names, or None if it names no deadline period.

    Only a question about deadlines (到期, 要完成, 截止…) has one: "本周有什么进展" asks about
    reports, not deadlines.
    """
    clean = unicodedata.normalize("NFKC", text)
    if not _DUE_WORD.search(clean):
        return None
    week = today - timedelta(days=today.weekday())
    day = _WEEKDAY.search(clean)
    if day is not None:
        # "本周五前要完成的": that very day (by it, with 前), not the whole week
        which = day.group(1) or ""
        due = week + timedelta(days=(7 if which.startswith("下") else 0) + "一二三四五六日".index(day.group(2).replace("天", "日")))
        if not which and due < today:
            due += timedelta(days=7)  # "周三前" asked on a Thursday: the coming one
        return (today, due) if day.group(3) and due >= today else (due, due)
    if re.search(r"下(?:个)?(?:周|星期|礼拜)|next week", clean, re.I):
        return week + timedelta(days=7), week + timedelta(days=13)
    if re.search(r"(?:本|这|这个)(?:周|星期|礼拜)|this week", clean, re.I):
        return week, week + timedelta(days=6)
    if re.search(r"下(?:个)?月|next month", clean, re.I):
        return month_bounds(month_bounds(today)[1] + timedelta(days=1))
    m = _MONTH.search(clean)
    if m:
        return _month_window(m, today)
    part = _PART.search(clean)
    if part is not None:
        # "下旬要完成的": this month's; one already over is next month's
        which = part.group(2)
        first = today.replace(day=1 + 10 * "上中下".index(which))
        last = month_bounds(today)[1] if which == "下" else first + timedelta(days=9)
        if last < today and not part.group(1):
            first = (month_bounds(today)[1] + timedelta(days=1)).replace(day=first.day)
            last = month_bounds(first)[1] if which == "下" else first + timedelta(days=9)
        return first, last
    if re.search(r"月底前|月底之前|月底以前|本月底|这个月底", clean):
        return today, month_bounds(today)[1]
    if re.search(r"(?:本|这个?|当)月|this month", clean, re.I):
        return month_bounds(today)
    quarter = _quarter_window(clean, today)
    if quarter is not None:
        return quarter
    english = _ENGLISH_MONTH.search(clean)
    if english and (english.group(1) or english.group(2).lower() != "may"):  # "may" alone is a verb
        month = _MONTHS.index(english.group(2).lower()[:3]) + 1
        first, last = month_bounds(date(today.year, month, 1))
        if last < today - timedelta(days=62):
            first, last = month_bounds(date(today.year + 1, month, 1))
        before = (english.group(1) or "").lower() not in ("", "in", "during")
        return (min(today, last), last) if before else (first, last)
    if re.search(r"年底前|年底之前|年内|今年|本年度?", clean):
        return today, date(today.year, 12, 31)
    if "明天" in clean:
        return today + timedelta(days=1), today + timedelta(days=1)
    if "今天" in clean or "今日" in clean:
        return today, today
    festival = _FESTIVAL.search(clean)
    word = festival.group(1) if festival else next((w for e, w in _ENGLISH_FESTIVALS.items() if e in clean.lower()), None)
    if word is not None and (eve := festivals.next_eve(word, today)) is not None:
        return today, eve  # "春节前要完成的任务": by the coming festival's eve
    m = _SPAN.search(clean)
    if m and (n := to_int(m.group(1))) is not None:
        unit = m.group(2)
        days = n * 7 if unit in ("周", "星期", "礼拜") else n * 30 if unit == "月" else n
        return today, today + timedelta(days=min(days, MAX_DAYS))
    return None


_PART = re.compile(r"(本月|这个?月|当月)?(?<![一个])(上|中|下)旬")
_WEEKDAY = re.compile(r"(本|这个?|下个?)?(?:周|星期|礼拜)([一二三四五六日天])(前|之前|以前)?")
_FESTIVAL = re.compile(rf"({festivals.WORDS})\s*(?:假期|长假|放假)?\s*(?:前(?!后)|之前|以前)")
_ENGLISH_FESTIVALS = {"before the spring festival": "春节", "before spring festival": "春节",
                      "before chinese new year": "春节", "before national day": "国庆", "before the national day": "国庆",
                      "before mid-autumn": "中秋", "before the mid-autumn": "中秋"}
_BEFORE = re.compile(r"前|之前|以前|为止|\bby\b|\bbefore\b|\buntil\b|end of", re.I)


def includes_late(text: str) -> bool:
    """"3月底前要完成的": what must be done by then includes what is already late."""
    return bool(_BEFORE.search(unicodedata.normalize("NFKC", text)))


def window_ref(start: date, end: date, late: bool = False, mine: bool = False) -> ViewRef:
    """``mine``: only the asker's own tasks ("我分管的本月有哪些到期"), carried in the last digit with ``late``."""
    days = min(max((end - start).days, 0), MAX_DAYS)
    return ViewRef("p", int(f"{start:%Y%m%d}{days:03d}{int(late) + 2 * int(mine)}"))


def window_of(ref: ViewRef) -> tuple[date, date, bool] | None:
    raw = str(ref.arg or 0)
    if len(raw) not in (11, 12):
        return None
    try:
        start = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        return None
    return start, start + timedelta(days=int(raw[8:11])), raw[11:] in ("1", "3")


def _mine(ref: ViewRef) -> bool:
    return str(ref.arg or 0)[11:] in ("2", "3")


def due_in(task: TaskView, start: date, end: date) -> date | None:
    """The first open deadline of ``task`` inside [start, end], if any."""
    dues = [m.due for m in task.milestones if m.done_at is None and m.due is not None and start <= m.due <= end]
    return min(dues) if dues else None


def _line(tr: Translator, task: TaskView, due: date, today: date) -> str:
    state = state_text(tr, task.status, task.days_overdue, earliest_open_due(task), task.percent, today)
    # a 临期 state already names this very date
    same = task.status is StatusClass.DUE_SOON and due == task.next_due
    lines = [task_head(task), "　" + (state if same else tr("q.window.line", due=fmt_date(tr, due, today), state=state))]
    open_units = [s.unit for s in task.shares if s.unit and s.status is not StatusClass.SIGNED_OFF]
    if open_units:
        lines.append("　" + tr("q.window.units", units=names(tr, open_units)))
    return "\n".join(lines)


async def due_window_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    window = window_of(ref)
    if window is None:
        return Page(tr("q.error.stale"))
    start, end, late = window
    ledger = await listing(session, viewer, mine=_mine(ref))
    if ledger is None:
        return await counts_only(session, viewer)
    first = date.min if late else start
    found = [(due, t) for t in ledger if t.status is not StatusClass.SIGNED_OFF and (due := due_in(t, first, end))]
    found.sort(key=lambda pair: (pair[0], pair[1].plan_id, pair[1].id))
    span = (
        tr("q.window.day", day=fmt_date(tr, start, viewer.today)) if start == end
        else tr("q.window.span", start=fmt_date(tr, start, viewer.today), end=fmt_date(tr, end, viewer.today))
    )
    scope = "\n" + tr("q.window.mine") if _mine(ref) else ""  # not to be read as the whole plan's
    if late:
        overdue = sum(1 for due, _ in found if due < start)
        by = fmt_date(tr, end, viewer.today)
        if not found:
            return Page(tr("q.window.none_by", end=by) + scope)
        head = tr("q.window.title_by", end=by, n=len(found), late=overdue) + scope
        return paginate(head, [_line(tr, t, due, viewer.today) for due, t in found], ref, tr)
    if not found:
        return Page(tr("q.window.none", span=span) + scope)
    head = tr("q.window.title", span=span, n=len(found)) + scope
    return paginate(head, [_line(tr, t, due, viewer.today) for due, t in found], ref, tr)
