from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.workdays import DEFAULT_ESCALATION_AFTER, WorkCalendar, escalation_due

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))

CAL = WorkCalendar()


def test_spring_festival_2019() -> None:
    cal = WorkCalendar()
    expected = {
        date(2019, 2, 1): True,  # Friday
        date(2019, 2, 2): True,  # Saturday, 调休 make-up day
        date(2019, 2, 3): True,  # Sunday, 调休 make-up day too
        date(2019, 2, 4): False,  # 除夕
        date(2019, 2, 5): False,  # Tuesday, 春节
        date(2019, 2, 8): False,
        date(2019, 2, 9): False,
        date(2019, 2, 10): False,
        date(2019, 2, 11): True,
        date(2019, 1, 26): False,  # an ordinary Saturday
    }
    assert {d: cal.is_working_day(d) for d in expected} == expected
    assert cal.unknown_years_seen() == ()


def test_neighbours_across_the_holiday() -> None:
    cal = WorkCalendar()
    assert cal.next_working_day(date(2019, 2, 3)) == date(2019, 2, 11)
    assert cal.previous_working_day(date(2019, 2, 11)) == date(2019, 2, 3)
    assert cal.next_working_day(date(2019, 2, 1)) == date(2019, 2, 2)
    assert cal.shift_to_working_day_before(date(2019, 2, 5)) == date(2019, 2, 3)
    assert cal.shift_to_working_day_before(date(2019, 2, 2)) == date(2019, 2, 2)
    assert cal.shift_to_working_day_before(date(2019, 1, 27)) == date(2019, 1, 25)


def test_2027_is_weekends_only_and_recorded_once() -> None:
    warned: list[int] = []
    cal = WorkCalendar(on_unknown_year=warned.append)
    # 2027-02-06 is a Saturday; 2027-02-08 a Monday (Spring Festival 2027 is unknown here).
    assert not cal.is_working_day(date(2027, 2, 6))
    assert cal.is_working_day(date(2027, 2, 8))
    assert cal.is_working_day(date(2027, 10, 1))  # a Friday: National Day is not known
    assert cal.next_working_day(date(2027, 1, 1)) == date(2027, 1, 4)
    assert warned == [2027]
    assert cal.unknown_years_seen() == (2027,)
    assert not cal.is_known_year(2027)
    assert cal.is_known_year(2026)
    assert warned == [2027]


def test_years_before_the_data_are_unknown_too() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(date(2003, 1, 1))  # a Wednesday; New Year unknown
    assert cal.unknown_years_seen() == (2003,)


def test_working_days_between_crosses_years() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(date(2019, 1, 31), date(2019, 2, 11)) == 4
    assert cal.working_days_between(date(2019, 2, 11), date(2019, 1, 31)) == -4
    assert cal.working_days_between(date(2019, 2, 11), date(2019, 2, 11)) == 0
    # 2018-12-29 (Saturday) was a make-up day for New Year 2019; 12-30..01-01 holidays.
    assert cal.working_days_between(date(2018, 12, 28), date(2019, 1, 2)) == 2
    # Into 2027, weekends only: New Year's Day 2027 (a Friday) counts as a working day.
    assert cal.working_days_between(date(2026, 12, 31), date(2027, 1, 8)) == 6
    assert cal.unknown_years_seen() == (2027,)


def test_shangqiu_task_1_17_overdue_working_days() -> None:
    """Task 1-17 is due 2019-01-31; k counts working days after it, today included.

    The brief expected 02-11 to be k = 3; the calendar says 02-03 (a make-up Sunday) is
    k = 3, so 02-11 is k = 4 — exactly DESIGN's "escalation from working day N + 1", N = 3,
    which is issue 8's escalation day.
    """
    cal = WorkCalendar()
    due = date(2019, 1, 31)
    assert cal.overdue_working_day(due, date(2019, 1, 31)) == 0
    assert cal.overdue_working_day(due, date(2019, 1, 20)) == 0
    assert cal.overdue_working_day(due, date(2019, 2, 1)) == 1
    assert cal.overdue_working_day(due, date(2019, 2, 2)) == 2
    assert cal.overdue_working_day(due, date(2019, 2, 3)) == 3
    assert cal.overdue_working_day(due, date(2019, 2, 5)) == 3  # holiday: count so far
    assert cal.overdue_working_day(due, date(2019, 2, 11)) == 4
    escalations = [
        d for d in (due + timedelta(days=i) for i in range(16)) if escalation_due(due, d, cal=cal)
    ]
    assert escalations[0] == date(2019, 2, 11)
    assert escalations == [
        date(2019, 2, 11),
        date(2019, 2, 12),
        date(2019, 2, 13),
        date(2019, 2, 14),
        date(2019, 2, 15),
    ]
    assert DEFAULT_ESCALATION_AFTER == 3
    assert escalation_due(due, date(2019, 2, 3), n=2, cal=cal)
    assert not escalation_due(due, date(2019, 2, 5), n=2, cal=cal)  # not on a holiday


@given(dates)
def test_shift_returns_a_working_day_not_after(d: date) -> None:
    shifted = CAL.shift_to_working_day_before(d)
    assert shifted <= d
    assert CAL.is_working_day(shifted)
    assert all(
        not CAL.is_working_day(shifted + timedelta(days=i))
        for i in range(1, (d - shifted).days + 1)
    )


@given(dates)
def test_neighbours_are_adjacent_working_days(d: date) -> None:
    nxt = CAL.next_working_day(d)
    prev = CAL.previous_working_day(d)
    assert prev < d < nxt
    assert CAL.previous_working_day(nxt) == CAL.shift_to_working_day_before(d)
    assert CAL.working_days_between(prev, nxt) == 1 + CAL.is_working_day(d)


@given(dates, dates, dates)
def test_working_days_between_chains(a: date, b: date, c: date) -> None:
    assert CAL.working_days_between(a, b) + CAL.working_days_between(
        b, c
    ) == CAL.working_days_between(a, c)


@given(dates, st.integers(0, 60))
def test_working_days_between_matches_counting(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    counted = sum(CAL.is_working_day(a + timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.working_days_between(a, b) == counted


@given(dates, dates, st.integers(1, 40))
def test_overdue_working_day_is_monotone(due: date, today: date, step: int) -> None:
    later = today + timedelta(days=step)
    k, k_later = CAL.overdue_working_day(due, today), CAL.overdue_working_day(due, later)
    assert 0 <= k <= k_later <= k + step
    if today > due and CAL.is_working_day(today):
        assert k >= 1


@pytest.mark.parametrize("n", [0, 1, 3, 5])
@given(due=dates)
def test_escalation_starts_on_working_day_n_plus_one(n: int, due: date) -> None:
    first = due
    for _ in range(n + 1):
        first = CAL.next_working_day(first)
    assert escalation_due(due, first, n, cal=CAL)
    assert not escalation_due(due, CAL.previous_working_day(first), n, cal=CAL)
