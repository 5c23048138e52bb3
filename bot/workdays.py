"""Chinese working days: which mornings the bot may push on, and how late a task is.

Reminders, overdue counts and escalations are counted in working days, and a Chinese
working day is not "Monday to Friday": statutory holidays close weekdays and 调休 make-up
days open weekends (2019-02-02, a Saturday, was a working day; 2019-02-05, a Tuesday, was
not). ``chinese_calendar`` knows these only for the years the State Council has published,
so for any other year this module falls back to weekends only and records the year, because
a reminder sent on an unannounced holiday is the admins' call to make, not ours to hide.

Everything here is a pure function of dates; nothing reads the clock.
"""

from __future__ import annotations

import calendar
from array import array
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar

DEFAULT_ESCALATION_AFTER = 3
"""N of DESIGN.md: escalation starts on overdue working day N + 1."""

_ONE_DAY = timedelta(days=1)


class _Year:
    """One year's working-day flags and running counts, so counting is O(1) within a year."""

    __slots__ = ("first_ordinal", "flags", "known", "prefix", "total")

    def __init__(self, year: int, known: bool) -> None:
        first = date(year, 1, 1)
        days = 366 if calendar.isleap(year) else 365
        self.known = known
        self.first_ordinal = first.toordinal()
        flags = bytearray(days)
        prefix = array("H", bytes(2 * days))
        running = 0
        for i in range(days):
            d = first + timedelta(days=i)
            working = chinese_calendar.is_workday(d) if known else d.weekday() < 5
            flags[i] = working
            running += working
            prefix[i] = running
        self.flags = bytes(flags)
        self.prefix = prefix
        self.total = running


class WorkCalendar:
    """Working days from ``chinese_calendar``, weekends only where it has no data.

    A year outside the package's data (before 2004, or after the last published year: 2026
    for chinesecalendar 1.11) is still answered, Monday to Friday, and recorded: the first
    time such a year is consulted ``on_unknown_year(year)`` is called, and
    ``unknown_years_seen()`` lists every such year so far. "Once" is per calendar object;
    callers that must warn once across restarts key the warning by year in the outbox.

    Year tables are built lazily and kept, so one long-lived calendar per process is cheap
    for the 100,000-task daily push.
    """

    def __init__(self, on_unknown_year: Callable[[int], None] | None = None) -> None:
        self._years: dict[int, _Year] = {}
        self._unknown: list[int] = []
        self._on_unknown_year = on_unknown_year

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                known = True
            except NotImplementedError:
                known = False
            table = self._years[year] = _Year(year, known)
            if not known:
                self._unknown.append(year)
                if self._on_unknown_year is not None:
                    self._on_unknown_year(year)
        return table

    def is_known_year(self, year: int) -> bool:
        """Whether holidays of ``year`` are known; consulting an unknown year records it."""
        return self._year(year).known

    def unknown_years_seen(self) -> tuple[int, ...]:
        """Years answered with weekends only so far, in the order first consulted."""
        return tuple(self._unknown)

    def is_working_day(self, d: date) -> bool:
        """Statutory holidays and 调休 make-up days where known; Monday to Friday otherwise."""
        table = self._year(d.year)
        return bool(table.flags[d.toordinal() - table.first_ordinal])

    def _rank(self, d: date) -> int:
        """Working days from 1 January of ``d``'s year up to and including ``d``."""
        table = self._year(d.year)
        return table.prefix[d.toordinal() - table.first_ordinal]

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        d -= _ONE_DAY
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def shift_to_working_day_before(self, d: date) -> date:
        """``d`` itself if it is a working day, else the working day before it.

        DESIGN.md: "a reminder day that is not a working day moves to the previous working
        day" — a reminder due on a Sunday is better a Friday early than a Monday late.
        """
        return d if self.is_working_day(d) else self.previous_working_day(d)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days ``d`` with ``start < d <= end``; negated when ``end < start``.

        Half-open on the left so that counts chain (``between(a, b) + between(b, c) ==
        between(a, c)``) and so that "working days since the due date" excludes the due
        date itself.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = self._rank(end) - self._rank(start)
        for year in range(start.year, end.year):
            count += self._year(year).total
        return count

    def overdue_working_day(self, due: date, today: date) -> int:
        """k such that ``today`` is overdue working day k; 0 when not past due.

        Overdue working day k is the k-th working day after ``due``, ``today`` included
        (DESIGN.md), so the first working day after the due date is k = 1. On a non-working
        day this is the count of working days so far; pushes happen on working days only.
        """
        if today <= due:
            return 0
        return self.working_days_between(due, today)


def escalation_due(
    due: date, today: date, n: int = DEFAULT_ESCALATION_AFTER, *, cal: WorkCalendar
) -> bool:
    """Whether ``today`` is a day to escalate a task due on ``due`` to its 责任领导 and admins.

    DESIGN.md: escalation starts on overdue working day N + 1, once per working day; so it
    is due on every working day with k >= N + 1. ``due`` is the earliest undone milestone.

    Issue 8's example (task 1-17 of the Shangqiu plan, due 2019-01-31, N = 3, escalation on
    2019-02-11) agrees with this wording once the real calendar is used: 2019-02-01 is k = 1,
    the make-up Saturday 02-02 is k = 2, the make-up *Sunday* 02-03 is k = 3, the holiday
    runs 02-04..02-10, and 02-11 is k = 4 = N + 1. (Counting 02-11 as k = 3 — forgetting
    02-03 — would wrongly suggest escalation "from working day N".)
    """
    return cal.is_working_day(today) and cal.overdue_working_day(due, today) >= n + 1
