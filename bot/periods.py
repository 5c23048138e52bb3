"""旬 and month arithmetic, and the days on which the periodic rules fire.

The rectification office works in 旬 (ten-day periods: 上旬 1–10, 中旬 11–20, 下旬 21 to
month end) and months: units report every 旬, leaders get a digest every 旬 and month.
These functions say, for a date, which period it is in and whether it is a reminder,
follow-up or digest day, so the scheduler, reminders and digests agree on the calendar.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from bot.workdays import WorkCalendar

_PART_NAMES = ("上旬", "中旬", "下旬")

ReminderLabel = Literal["d7", "d3", "d1", "d0"]

_DEADLINE_OFFSETS: tuple[tuple[ReminderLabel, int], ...] = (
    ("d0", 0),
    ("d1", 1),
    ("d3", 3),
    ("d7", 7),
)


class Xun(NamedTuple):
    """A 旬 as its first and last day (inclusive); unpacks as ``(start, end)``."""

    start: date
    end: date

    @property
    def part(self) -> int:
        """0 for 上旬, 1 for 中旬, 2 for 下旬 (for locales that name them otherwise)."""
        return (self.start.day - 1) // 10

    @property
    def label(self) -> str:
        """``2019年1月上旬``: the form ledgers and digests use."""
        return f"{self.start.year}年{self.start.month}月{_PART_NAMES[self.part]}"


def month_bounds(d: date) -> tuple[date, date]:
    """First and last day of ``d``'s month (February 29 in leap years)."""
    last = calendar.monthrange(d.year, d.month)[1]
    return d.replace(day=1), d.replace(day=last)


def xun_of(d: date) -> Xun:
    """The 旬 containing ``d``: 1–10, 11–20, or 21 to the end of the month."""
    if d.day <= 10:
        return Xun(d.replace(day=1), d.replace(day=10))
    if d.day <= 20:
        return Xun(d.replace(day=11), d.replace(day=20))
    return Xun(d.replace(day=21), month_bounds(d)[1])


def xun_label(d: date) -> str:
    """Label of the 旬 containing ``d``, e.g. ``2019年2月下旬``."""
    return xun_of(d).label


def next_xun(x: Xun) -> Xun:
    """The 旬 right after ``x``."""
    return xun_of(x.end + timedelta(days=1))


def previous_xun(x: Xun) -> Xun:
    """The 旬 right before ``x``."""
    return xun_of(x.start - timedelta(days=1))


def last_working_day_of_xun(d: date, cal: WorkCalendar) -> date:
    """The last working day of the 旬 containing ``d``: its end, or the working day before.

    In principle this can fall before the 旬 starts (a 旬 with no working day at all);
    it is still the right reminder day, since DESIGN.md always moves days backwards.
    """
    return cal.shift_to_working_day_before(xun_of(d).end)


def _xuns_ending_in(first: date, last: date) -> list[Xun]:
    """旬 whose last day lies in ``[first, last)``."""
    found: list[Xun] = []
    x = xun_of(first)
    while x.end < last:
        found.append(x)
        x = next_xun(x)
    return found


def xun_digests_on(today: date, cal: WorkCalendar) -> list[Xun]:
    """The 旬 whose digest goes out on ``today`` (usually none or one).

    A 旬's digest day is its last day, or the working day before it (DESIGN.md). So
    ``today`` serves exactly the 旬 ending on ``today`` or on the non-working days right
    after it, i.e. those ending in ``[today, next working day)``. Several are possible in
    theory (a 旬 with no working day), never in the published calendars.
    """
    if not cal.is_working_day(today):
        return []
    return _xuns_ending_in(today, cal.next_working_day(today))


def is_xun_digest_day(today: date, cal: WorkCalendar) -> bool:
    """Whether a 旬 digest goes out on ``today``."""
    return bool(xun_digests_on(today, cal))


def month_digests_on(today: date, cal: WorkCalendar) -> list[tuple[date, date]]:
    """Months (as their bounds) whose digest (通报) goes out on ``today``.

    Same rule as the 旬 digest, on month ends; a month's digest day is always its 下旬's.
    """
    if not cal.is_working_day(today):
        return []
    until = cal.next_working_day(today)
    found: list[tuple[date, date]] = []
    bounds = month_bounds(today)
    while bounds[1] < until:
        found.append(bounds)
        bounds = month_bounds(bounds[1] + timedelta(days=1))
    return found


def is_month_digest_day(today: date, cal: WorkCalendar) -> bool:
    """Whether a monthly digest goes out on ``today``."""
    return bool(month_digests_on(today, cal))


@dataclass(frozen=True, slots=True)
class XunReminder:
    """An ongoing-task 旬 reminder falling on a day.

    ``kind`` is ``"xun"`` on the 旬's last working day and ``"followup"`` on the next working
    day. The caller sends it to a unit with no report in ``xun``; for the follow-up, a report
    made since the 旬 ended (already in the next 旬) also answers it — the unit did report.
    """

    kind: Literal["xun", "followup"]
    xun: Xun


def xun_reminders_on(today: date, cal: WorkCalendar) -> list[XunReminder]:
    """The ongoing-task 旬 reminders that fall on ``today``.

    DESIGN.md: the 旬 reminder goes on the last working day of each 旬 and again on the next
    working day if still no report. The follow-up of a 旬 is therefore on the working day
    whose previous working day was that 旬's reminder day. Usually the list is empty or has
    one entry; a day can in theory be both a follow-up and the next 旬's reminder day (a 旬
    whose only working day is its first), so all are returned, follow-ups first.
    """
    if not cal.is_working_day(today):
        return []
    before = cal.previous_working_day(today)
    reminders = [XunReminder("followup", x) for x in _xuns_ending_in(before, today)]
    reminders.extend(XunReminder("xun", x) for x in xun_digests_on(today, cal))
    return reminders


def deadline_reminder_day(due: date, label: ReminderLabel, cal: WorkCalendar) -> date:
    """The day the ``label`` reminder for ``due`` goes out.

    Day counts are calendar days; a day that is not a working day moves to the previous
    working day (DESIGN.md), so a Monday due date gets its "due in 1 day" on Friday.
    """
    offset = dict(_DEADLINE_OFFSETS)[label]
    return cal.shift_to_working_day_before(due - timedelta(days=offset))


def deadline_reminder_dues(today: date, cal: WorkCalendar) -> dict[date, list[ReminderLabel]]:
    """Every due date that gets a deadline reminder on ``today``, with its labels.

    The per-day form of ``deadline_reminders_on``: computed once per day, it turns the daily
    push for 100,000 tasks into one dictionary look-up each (or one ``due IN (...)`` query).
    A reminder day ``due - offset`` lands on ``today`` exactly when it lies in
    ``[today, next working day)``: the day itself, or a non-working day shifted back to it.
    """
    if not cal.is_working_day(today):
        return {}
    span = (cal.next_working_day(today) - today).days
    dues: dict[date, list[ReminderLabel]] = {}
    for label, offset in _DEADLINE_OFFSETS:
        for i in range(span):
            dues.setdefault(today + timedelta(days=offset + i), []).append(label)
    return dues


def deadline_reminders_on(today: date, due: date, cal: WorkCalendar) -> list[ReminderLabel]:
    """Which of the "due in 7, 3, 1 days" / "due today" reminders fall on ``today``.

    Returned most urgent first (``d0``, ``d1``, ``d3``, ``d7``). After shifting several can
    coincide (a Monday due date: d1 on Sunday and d3 on Friday both move to Friday), so the
    caller takes the first. Empty on non-working days and once the due date has passed.
    """
    if today > due or not cal.is_working_day(today):
        return []
    gap = (due - today).days
    span = (cal.next_working_day(today) - today).days
    return [label for label, offset in _DEADLINE_OFFSETS if 0 <= gap - offset < span]
