from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import DEFAULT_TZ
from bot.status import (
    MilestoneState,
    ShareState,
    StatusClass,
    classify,
    classify_many,
    classify_task,
    classify_tasks,
    combine,
    days_overdue,
    task_days_overdue,
)

S = StatusClass
JAN_10 = date(2019, 1, 10)
REPORTED_THIS_XUN = datetime(2019, 1, 3, 10, 0, tzinfo=DEFAULT_TZ)


def due(d: date | None, done: date | None = None, start: date | None = None) -> MilestoneState:
    return MilestoneState(start, d, done)


def share(
    *milestones: MilestoneState,
    signed_off: bool = False,
    last_report_at: datetime | date | None = None,
) -> ShareState:
    return ShareState(signed_off, milestones, last_report_at)


# Shangqiu plan, as issue 7 uses it on 2019-01-10.
TASK_1_10 = share(due(date(2018, 12, 31)), due(date(2019, 12, 31)))  # 水源地: 2018 / 2019 年底
TASK_2_3 = share(
    due(date(2018, 12, 31)), last_report_at=REPORTED_THIS_XUN
)  # 2018年年底前…并持续推进
TASK_1_17 = share(due(date(2019, 1, 31)), last_report_at=REPORTED_THIS_XUN)  # 2019年1月底前
TASK_1_1 = share(last_report_at=REPORTED_THIS_XUN)  # 立行立改，持续推进: undated


def test_issue_7_overdue_on_2019_01_10() -> None:
    classes = classify_many([TASK_1_10, TASK_2_3, TASK_1_17, TASK_1_1], JAN_10)
    assert classes == [S.OVERDUE, S.OVERDUE, S.ON_TRACK, S.ON_TRACK]
    assert days_overdue(TASK_1_10, JAN_10) == 10
    assert days_overdue(TASK_2_3, JAN_10) == 10
    # 1-17 is 21 days away: neither late nor 临期.
    assert days_overdue(TASK_1_17, JAN_10) == 0
    assert classify(TASK_1_17, date(2019, 1, 24)) is S.DUE_SOON


def test_check_order() -> None:
    overdue_and_signed = share(due(date(2019, 1, 1)), signed_off=True)
    assert classify(overdue_and_signed, JAN_10) is S.SIGNED_OFF
    assert days_overdue(overdue_and_signed, JAN_10) == 0
    # Overdue beats due soon; due soon beats not reported.
    assert classify(share(due(date(2019, 1, 9)), due(date(2019, 1, 12))), JAN_10) is S.OVERDUE
    assert classify(share(due(date(2019, 1, 12))), JAN_10) is S.DUE_SOON
    assert classify(share(), JAN_10) is S.NOT_REPORTED


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2019, 1, 9), S.OVERDUE),
        (date(2019, 1, 10), S.DUE_SOON),  # due today: not over yet
        (date(2019, 1, 17), S.DUE_SOON),  # 7 calendar days: the d7 reminder day
        (date(2019, 1, 18), S.ON_TRACK),
    ],
)
def test_due_soon_window(due_on: date, expected: StatusClass) -> None:
    assert classify(share(due(due_on), last_report_at=REPORTED_THIS_XUN), JAN_10) is expected


def test_done_and_undated_milestones_never_make_a_task_late() -> None:
    done = share(due(date(2018, 12, 31), done=date(2018, 12, 20)), last_report_at=REPORTED_THIS_XUN)
    assert classify(done, JAN_10) is S.ON_TRACK
    undated = share(due(None), last_report_at=REPORTED_THIS_XUN)
    assert classify(undated, date(2030, 1, 5)) is S.NOT_REPORTED
    assert days_overdue(undated, date(2030, 1, 5)) == 0


def test_days_overdue_from_the_earliest_undone_milestone() -> None:
    staged = share(
        due(date(2018, 11, 30), done=date(2018, 11, 29)),
        due(date(2019, 1, 5), start=date(2018, 12, 1)),
        due(date(2018, 12, 31)),
    )
    assert staged.next_due == date(2018, 12, 31)
    assert days_overdue(staged, JAN_10) == 10


def test_report_in_the_current_xun() -> None:
    today = date(2019, 1, 11)  # 中旬 starts today
    before = share(last_report_at=datetime(2019, 1, 10, 23, 59, tzinfo=DEFAULT_TZ))
    midnight = share(last_report_at=datetime(2019, 1, 11, 0, 0, tzinfo=DEFAULT_TZ))
    # 2019-01-10 16:30 UTC is 2019-01-11 00:30 in Shanghai: already in 中旬.
    utc = share(last_report_at=datetime(2019, 1, 10, 16, 30, tzinfo=UTC))
    as_date = share(last_report_at=date(2019, 1, 11))
    assert classify_many([before, midnight, utc, as_date], today) == [
        S.NOT_REPORTED,
        S.ON_TRACK,
        S.ON_TRACK,
        S.ON_TRACK,
    ]
    assert classify(share(last_report_at=date(2019, 1, 10)), today) is S.NOT_REPORTED


def test_task_combines_unit_shares() -> None:
    signed = share(signed_off=True)
    on_track = share(last_report_at=REPORTED_THIS_XUN)
    late = share(due(date(2019, 1, 1)))
    quiet = share()
    assert classify_task([signed, signed], JAN_10) is S.SIGNED_OFF
    assert classify_task([signed, on_track], JAN_10) is S.ON_TRACK
    assert classify_task([on_track, quiet, signed], JAN_10) is S.NOT_REPORTED
    assert classify_task([quiet, late, signed], JAN_10) is S.OVERDUE
    assert task_days_overdue([quiet, late, signed], JAN_10) == 9
    assert classify_tasks([[signed], [signed, late], [on_track]], JAN_10) == [
        S.SIGNED_OFF,
        S.OVERDUE,
        S.ON_TRACK,
    ]
    with pytest.raises(ValueError):
        combine([])


def test_values_are_stable_keys() -> None:
    assert [c.value for c in S] == ["signed_off", "overdue", "due_soon", "not_reported", "on_track"]
    assert sorted(S, key=lambda c: c.severity, reverse=True)[:2] == [S.OVERDUE, S.DUE_SOON]


def test_classify_many_on_a_large_batch() -> None:
    shares = [TASK_1_10, TASK_2_3, TASK_1_17, TASK_1_1, share()] * 20_000
    classes = classify_many(shares, JAN_10)
    assert len(classes) == 100_000
    assert classes[:5] == [S.OVERDUE, S.OVERDUE, S.ON_TRACK, S.ON_TRACK, S.NOT_REPORTED]
    assert classes[-5:] == classes[:5]


day_offsets = st.integers(-40, 40)
milestones = st.lists(st.tuples(st.one_of(st.none(), day_offsets), st.booleans()), max_size=4).map(
    lambda items: tuple(
        MilestoneState(
            None, None if o is None else JAN_10 + timedelta(days=o), JAN_10 if d else None
        )
        for o, d in items
    )
)
shares = st.builds(
    ShareState,
    signed_off=st.booleans(),
    milestones=milestones,
    last_report_at=st.one_of(st.none(), day_offsets.map(lambda o: JAN_10 + timedelta(days=o))),
)


@given(shares, st.integers(0, 60))
def test_overdue_iff_days_overdue(s: ShareState, offset: int) -> None:
    today = JAN_10 + timedelta(days=offset)
    cls = classify(s, today)
    assert (cls is S.OVERDUE) == (days_overdue(s, today) > 0)
    assert classify_many([s], today) == [cls]


@given(st.lists(shares, min_size=1, max_size=5))
def test_task_class_is_signed_off_only_when_all_shares_are(group: list[ShareState]) -> None:
    cls = classify_task(group, JAN_10)
    assert (cls is S.SIGNED_OFF) == all(s.signed_off for s in group)
    open_classes = [classify(s, JAN_10) for s in group if not s.signed_off]
    if open_classes:
        assert cls.severity == max(c.severity for c in open_classes)
