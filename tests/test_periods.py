from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.periods import (
    Xun,
    deadline_reminder_day,
    deadline_reminder_dues,
    deadline_reminders_on,
    is_month_digest_day,
    is_xun_digest_day,
    last_working_day_of_xun,
    month_bounds,
    month_digests_on,
    next_xun,
    previous_xun,
    xun_digests_on,
    xun_label,
    xun_of,
    xun_reminders_on,
)
from bot.workdays import WorkCalendar

CAL = WorkCalendar()
dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("d", "start", "end", "label"),
    [
        (date(2019, 1, 1), date(2019, 1, 1), date(2019, 1, 10), "2019年1月上旬"),
        (date(2019, 1, 10), date(2019, 1, 1), date(2019, 1, 10), "2019年1月上旬"),
        (date(2019, 1, 11), date(2019, 1, 11), date(2019, 1, 20), "2019年1月中旬"),
        (date(2019, 1, 31), date(2019, 1, 21), date(2019, 1, 31), "2019年1月下旬"),
        (date(2019, 4, 30), date(2019, 4, 21), date(2019, 4, 30), "2019年4月下旬"),
        (date(2019, 2, 21), date(2019, 2, 21), date(2019, 2, 28), "2019年2月下旬"),
        (date(2020, 2, 29), date(2020, 2, 21), date(2020, 2, 29), "2020年2月下旬"),
        (date(2100, 2, 25), date(2100, 2, 21), date(2100, 2, 28), "2100年2月下旬"),
    ],
)
def test_xun_of(d: date, start: date, end: date, label: str) -> None:
    x = xun_of(d)
    assert x == (start, end)
    assert x.label == xun_label(d) == label


def test_month_bounds_and_neighbours() -> None:
    assert month_bounds(date(2020, 2, 10)) == (date(2020, 2, 1), date(2020, 2, 29))
    assert month_bounds(date(2019, 2, 10)) == (date(2019, 2, 1), date(2019, 2, 28))
    assert month_bounds(date(2019, 12, 31)) == (date(2019, 12, 1), date(2019, 12, 31))
    last_2019 = xun_of(date(2019, 12, 25))
    assert next_xun(last_2019) == Xun(date(2020, 1, 1), date(2020, 1, 10))
    assert previous_xun(next_xun(last_2019)) == last_2019
    assert previous_xun(xun_of(date(2020, 3, 1))) == Xun(date(2020, 2, 21), date(2020, 2, 29))


def test_last_working_day_of_xun_2019() -> None:
    # 2019-02 上旬 ends on a holiday Sunday; its last working day is the make-up Sunday 02-03.
    assert last_working_day_of_xun(date(2019, 2, 5), CAL) == date(2019, 2, 3)
    assert last_working_day_of_xun(date(2019, 2, 15), CAL) == date(2019, 2, 20)
    assert last_working_day_of_xun(date(2019, 2, 25), CAL) == date(2019, 2, 28)
    # 2019-08-10 is a Saturday.
    assert last_working_day_of_xun(date(2019, 8, 1), CAL) == date(2019, 8, 9)
    # 2019-09-30 is a Monday; National Day 10-01..07, 10-08 back to work.
    assert last_working_day_of_xun(date(2019, 9, 30), CAL) == date(2019, 9, 30)


def test_digest_days_spring_2019() -> None:
    feb = _days(date(2019, 1, 28), date(2019, 3, 5))
    xun_days = [d for d in feb if is_xun_digest_day(d, CAL)]
    month_days = [d for d in feb if is_month_digest_day(d, CAL)]
    assert xun_days == [date(2019, 1, 31), date(2019, 2, 3), date(2019, 2, 20), date(2019, 2, 28)]
    assert month_days == [date(2019, 1, 31), date(2019, 2, 28)]
    assert xun_digests_on(date(2019, 2, 3), CAL) == [Xun(date(2019, 2, 1), date(2019, 2, 10))]
    assert month_digests_on(date(2019, 2, 28), CAL) == [(date(2019, 2, 1), date(2019, 2, 28))]


def test_digest_on_the_working_day_before_a_weekend_month_end() -> None:
    # 2019-03-31 is a Sunday: March's digest goes on Friday 03-29.
    assert month_digests_on(date(2019, 3, 29), CAL) == [(date(2019, 3, 1), date(2019, 3, 31))]
    assert not is_month_digest_day(date(2019, 3, 31), CAL)
    assert not is_month_digest_day(date(2019, 3, 30), CAL)


def test_2027_digests_weekends_only() -> None:
    cal = WorkCalendar()
    # 2027-01-10 is a Sunday, so 上旬's digest is Friday 01-08; 2027-01-31 is a Sunday too.
    assert is_xun_digest_day(date(2027, 1, 8), cal)
    assert is_month_digest_day(date(2027, 1, 29), cal)
    assert cal.unknown_years_seen() == (2027,)


def test_xun_reminders_spring_2019() -> None:
    found = {
        d: [(r.kind, r.xun.label) for r in xun_reminders_on(d, CAL)]
        for d in _days(date(2019, 1, 28), date(2019, 2, 25))
    }
    found = {d: r for d, r in found.items() if r}
    assert found == {
        date(2019, 1, 31): [("xun", "2019年1月下旬")],
        date(2019, 2, 1): [("followup", "2019年1月下旬")],
        date(2019, 2, 3): [("xun", "2019年2月上旬")],
        # The follow-up waits out the holiday: first working day after 02-03.
        date(2019, 2, 11): [("followup", "2019年2月上旬")],
        date(2019, 2, 20): [("xun", "2019年2月中旬")],
        date(2019, 2, 21): [("followup", "2019年2月中旬")],
    }


def test_shangqiu_task_1_17_deadline_reminders() -> None:
    """Issue 8: task 1-17 due 2019-01-31 (a Thursday): d7 01-24, d3 01-28, d1 01-30, d0 01-31.

    Issue 8 lists the member's pushes as 01-24, 01-28, 02-01 and 02-02; 01-30 and 01-31
    (d1, due today) are pushes too by DESIGN's rule — the issue's list is not exhaustive —
    and 02-01/02-02 are overdue days, which ``WorkCalendar.overdue_working_day`` covers.
    """
    due = date(2019, 1, 31)
    found = {
        d: deadline_reminders_on(d, due, CAL) for d in _days(date(2019, 1, 20), date(2019, 2, 12))
    }
    assert {d: r for d, r in found.items() if r} == {
        date(2019, 1, 24): ["d7"],
        date(2019, 1, 28): ["d3"],
        date(2019, 1, 30): ["d1"],
        date(2019, 1, 31): ["d0"],
    }


def test_reminders_coincide_after_shifting() -> None:
    # Due Monday 2019-03-11: d1 (Sunday) and d3 (Friday) both land on Friday 03-08;
    # d7 (Monday 03-04) stays.
    due = date(2019, 3, 11)
    assert deadline_reminders_on(date(2019, 3, 8), due, CAL) == ["d1", "d3"]
    assert deadline_reminders_on(date(2019, 3, 4), due, CAL) == ["d7"]
    assert deadline_reminders_on(date(2019, 3, 11), due, CAL) == ["d0"]
    # Due on the holiday 2019-02-05: d0, d1 (02-04) and d3 (02-02, make-up Saturday) ...
    holiday_due = date(2019, 2, 5)
    assert deadline_reminders_on(date(2019, 2, 3), holiday_due, CAL) == ["d0", "d1"]
    assert deadline_reminders_on(date(2019, 2, 2), holiday_due, CAL) == ["d3"]
    assert deadline_reminder_day(holiday_due, "d7", CAL) == date(2019, 1, 29)
    assert deadline_reminders_on(date(2019, 2, 5), holiday_due, CAL) == []


@given(dates)
def test_xun_partition(d: date) -> None:
    x = xun_of(d)
    assert x.start <= d <= x.end
    assert x.start.month == x.end.month == d.month
    assert next_xun(x).start == x.end + timedelta(days=1)
    assert x.part == min((d.day - 1) // 10, 2)


@given(dates)
def test_digest_day_is_a_working_day_not_after_the_end(d: date) -> None:
    for x in xun_digests_on(d, CAL):
        assert CAL.is_working_day(d)
        assert d <= x.end
        assert d == last_working_day_of_xun(x.end, CAL)
    candidates = (xun_of(d), next_xun(xun_of(d)))
    assert is_xun_digest_day(d, CAL) == any(
        last_working_day_of_xun(x.end, CAL) == d for x in candidates
    )


@given(dates)
def test_every_xun_has_one_reminder_and_one_followup(d: date) -> None:
    x = xun_of(d)
    reminder = last_working_day_of_xun(d, CAL)
    followup = CAL.next_working_day(reminder)
    kinds = {
        day: [r.kind for r in xun_reminders_on(day, CAL) if r.xun == x]
        for day in _days(reminder - timedelta(days=3), followup + timedelta(days=3))
    }
    assert {day: k for day, k in kinds.items() if k} == {reminder: ["xun"], followup: ["followup"]}


@given(dates, st.integers(0, 30))
def test_deadline_reminders_match_their_days(due: date, before: int) -> None:
    today = due - timedelta(days=before)
    labels = deadline_reminders_on(today, due, CAL)
    for label in ("d0", "d1", "d3", "d7"):
        assert (label in labels) == (deadline_reminder_day(due, label, CAL) == today)
    assert labels == sorted(labels, key=lambda label: int(label[1:]))


@given(dates, st.integers(-3, 30))
def test_per_day_table_agrees_with_per_task_answer(today: date, ahead: int) -> None:
    due = today + timedelta(days=ahead)
    assert deadline_reminder_dues(today, CAL).get(due, []) == deadline_reminders_on(today, due, CAL)
