"""Status classes (DESIGN.md "Status classes"): the one answer to "how is this task doing".

Every view — /status counts, /overdue, the 台账 fills, charts, digests — must put a task in
the same class on the same day, so the rule lives here once, as a pure function of the
task's state and ``today``. Day counts are calendar days; working days matter only for when
the bot pushes (``bot.periods``), not for what state a task is in.

Progress is per task × unit ("share"): one county's 已完成 must not complete the task for
all. A share is classified alone; a task combines its shares (``combine``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from bot.clock import DEFAULT_TZ
from bot.periods import xun_of

DUE_SOON_DAYS = 7
"""临期 window: an undone milestone due within this many calendar days, today included."""


class StatusClass(enum.Enum):
    """The five classes, declared in DESIGN.md's check order (first match wins).

    ``value`` is a stable key for locale catalogs and exports; ``severity`` orders them for
    combining shares and for sorting "worst first" (higher is worse).
    """

    SIGNED_OFF = "signed_off"  # 已销号
    OVERDUE = "overdue"  # 逾期
    DUE_SOON = "due_soon"  # 临期
    NOT_REPORTED = "not_reported"  # 未报告
    ON_TRACK = "on_track"  # 按期推进

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {
    StatusClass.SIGNED_OFF: 0,
    StatusClass.ON_TRACK: 1,
    StatusClass.NOT_REPORTED: 2,
    StatusClass.DUE_SOON: 3,
    StatusClass.OVERDUE: 4,
}


class MilestoneState(NamedTuple):
    """A milestone as status needs it. ``start`` is carried but never decides a class."""

    start: date | None
    due: date | None
    done_at: date | datetime | None


@dataclass(frozen=True, slots=True)
class ShareState:
    """One task × unit share: what the status rule reads.

    ``next_due`` (the earliest due date of an undone dated milestone) is computed once here
    so that classifying 100,000 shares per day is a few comparisons each. Undated milestones
    — 立行立改, 持续推进, "before the reform ends" — have nothing to be late against, which is
    why an undated ongoing task is never 逾期; ``immediate`` and ``ongoing`` therefore do not
    enter the rule and are not fields here.

    ``last_report_at`` is an aware datetime (compared against the current 旬's start at
    midnight in the bot's zone, whatever zone it carries), or a date in the bot's zone.
    """

    signed_off: bool = False
    milestones: Sequence[MilestoneState] = ()
    last_report_at: datetime | date | None = None
    next_due: date | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        open_dues = [m.due for m in self.milestones if m.done_at is None and m.due is not None]
        object.__setattr__(self, "next_due", min(open_dues) if open_dues else None)


class _Day:
    """Per-day constants of the rule, computed once per ``classify_many`` call."""

    __slots__ = ("soon_limit", "today", "xun_start", "xun_start_at")

    def __init__(self, today: date, tz: tzinfo) -> None:
        self.today = today
        self.soon_limit = today + timedelta(days=DUE_SOON_DAYS)
        self.xun_start = xun_of(today).start
        self.xun_start_at = datetime.combine(self.xun_start, time(), tzinfo=tz)


def _classify(share: ShareState, day: _Day) -> StatusClass:
    if share.signed_off:
        return StatusClass.SIGNED_OFF
    due = share.next_due
    if due is not None:
        if due < day.today:
            return StatusClass.OVERDUE
        if due <= day.soon_limit:
            return StatusClass.DUE_SOON
    reported = share.last_report_at
    if reported is None:
        return StatusClass.NOT_REPORTED
    if isinstance(reported, datetime):
        if reported < day.xun_start_at:
            return StatusClass.NOT_REPORTED
    elif reported < day.xun_start:
        return StatusClass.NOT_REPORTED
    return StatusClass.ON_TRACK


def classify(share: ShareState, today: date, tz: tzinfo = DEFAULT_TZ) -> StatusClass:
    """The class of one share on ``today`` (a date in the bot's zone ``tz``).

    Checked in DESIGN.md's order: 已销号; 逾期 if an undone milestone's due date is before
    today; 临期 if one is due today or within 7 calendar days; 未报告 if no report since the
    current 旬 began; else 按期推进. A milestone due today is 临期, not 逾期: the day is not
    over.
    """
    return _classify(share, _Day(today, tz))


def classify_many(
    shares: Iterable[ShareState], today: date, tz: tzinfo = DEFAULT_TZ
) -> list[StatusClass]:
    """``classify`` for many shares on one day, with the per-day values computed once."""
    day = _Day(today, tz)
    return [_classify(share, day) for share in shares]


def days_overdue(share: ShareState, today: date) -> int:
    """Calendar days since the earliest undone milestone's due date; 0 when not overdue.

    Counted from the *earliest* undone milestone (DESIGN.md), so a task late on its first
    stage stays late by that much even when a later stage is also late. Signed-off shares
    are never overdue.
    """
    if share.signed_off or share.next_due is None or share.next_due >= today:
        return 0
    return (today - share.next_due).days


def combine(classes: Iterable[StatusClass]) -> StatusClass:
    """A task's class from its shares' classes.

    A task is complete (已销号) when all its shares are signed off. Otherwise it is the worst
    class among the shares *not* signed off (逾期 > 临期 > 未报告 > 按期推进): a signed-off
    county neither completes the task nor hides a late one, and a task with one signed-off
    unit and one on-track unit is 按期推进.

    Raises ``ValueError`` for a task with no shares: it has no one to be complete or late.
    """
    worst: StatusClass | None = None
    for cls in classes:
        if worst is None or _SEVERITY[cls] > _SEVERITY[worst]:
            worst = cls
    if worst is None:
        raise ValueError("a task without unit shares has no status class")
    return worst


def classify_task(
    shares: Iterable[ShareState], today: date, tz: tzinfo = DEFAULT_TZ
) -> StatusClass:
    """The class of a task from its unit shares (see ``combine``)."""
    return combine(classify_many(shares, today, tz))


def classify_tasks(
    tasks: Iterable[Sequence[ShareState]], today: date, tz: tzinfo = DEFAULT_TZ
) -> list[StatusClass]:
    """``classify_task`` for many tasks on one day, with the per-day values computed once.

    Severity 0 for 已销号 makes "all signed off, else the worst open share" a plain maximum.
    """
    day = _Day(today, tz)
    severity = _SEVERITY
    result: list[StatusClass] = []
    for shares in tasks:
        worst: StatusClass | None = None
        for share in shares:
            cls = _classify(share, day)
            if worst is None or severity[cls] > severity[worst]:
                worst = cls
        if worst is None:
            raise ValueError("a task without unit shares has no status class")
        result.append(worst)
    return result


def task_days_overdue(shares: Iterable[ShareState], today: date) -> int:
    """Days overdue of a task: the most of its shares' (its earliest undone milestone)."""
    return max((days_overdue(share, today) for share in shares), default=0)
