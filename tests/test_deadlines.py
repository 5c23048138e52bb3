from __future__ import annotations

from datetime import date

import pytest

from bot.deadlines import parse_deadline


def dues(text: str, plan_year: int | None = None) -> list[date | None]:
    return [m.due for m in parse_deadline(text, plan_year).milestones]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年3月底前", date(2019, 3, 31)),
        ("2018年年底前", date(2018, 12, 31)),
        ("2018年底前", date(2018, 12, 31)),
        ("20193月底前", date(2019, 3, 31)),
        ("2019年2月底前", date(2019, 2, 28)),
        ("2020年2月底前", date(2020, 2, 29)),
        ("2021年10月底", date(2021, 10, 31)),
        ("2019年上半年", date(2019, 6, 30)),
        ("2019年下半年", date(2019, 12, 31)),
        ("2019年一季度", date(2019, 3, 31)),
        ("2019年第三季度", date(2019, 9, 30)),
        ("2019年6月中旬", date(2019, 6, 20)),
        ("2019年6月上旬", date(2019, 6, 10)),
        ("2019年6月下旬", date(2019, 6, 30)),
        ("2019年7月1日起", date(2019, 7, 1)),
        ("20181221日前", date(2018, 12, 21)),
        ("2019.6.30前", date(2019, 6, 30)),
        ("二〇一九年十二月底前", date(2019, 12, 31)),
        ("2019年4月15日前完成", date(2019, 4, 15)),
        ("2019年年内", date(2019, 12, 31)),
        ("2019年内完成", date(2019, 12, 31)),
        ("2019年第二季度末", date(2019, 6, 30)),
    ],
)
def test_single_dates(text: str, expected: date) -> None:
    assert dues(text) == [expected]


def test_dates_without_year_take_the_plan_year() -> None:
    assert dues("6月中旬", 2019) == [date(2019, 6, 20)]
    assert dues("上半年", 2020) == [date(2020, 6, 30)]
    assert dues("一季度", 2021) == [date(2021, 3, 31)]
    assert dues("年底前", 2019) == [date(2019, 12, 31)]
    assert dues("明年6月底前", 2019) == [date(2020, 6, 30)]


def test_without_a_plan_year_a_yearless_date_stays_undated() -> None:
    deadline = parse_deadline("6月底前完成整改")
    assert deadline.milestones == []
    assert deadline.text == "6月底前完成整改"


def test_day_only_takes_month_and_year_from_the_date_before() -> None:
    deadline = parse_deadline("2019年3月5日前完成排查,10日前完成整改")
    assert [(m.due, m.text) for m in deadline.milestones] == [
        (date(2019, 3, 5), "完成排查"),
        (date(2019, 3, 10), "完成整改"),
    ]
    assert dues("10日前", 2019) == []


def test_several_milestones_each_with_what_is_due() -> None:
    deadline = parse_deadline(
        "2018年年底前完成我市境内市级地表饮用水水源地整治任务,2019年年底前完成县级水源地问题整治任务"
    )
    assert [(m.due, m.text) for m in deadline.milestones] == [
        (date(2018, 12, 31), "完成我市境内市级地表饮用水水源地整治任务"),
        (date(2019, 12, 31), "完成县级水源地问题整治任务"),
    ]
    assert not deadline.immediate and not deadline.ongoing


def test_ranges_have_a_start() -> None:
    (m,) = parse_deadline("2020年6月至2021年12月").milestones
    assert (m.start, m.due) == (date(2020, 6, 1), date(2021, 12, 31))
    (m,) = parse_deadline("2019年3月至12月完成改造").milestones
    assert (m.start, m.due, m.text) == (date(2019, 3, 1), date(2019, 12, 31), "完成改造")
    (m,) = parse_deadline("2018-2020年").milestones
    assert (m.start, m.due) == (date(2018, 1, 1), date(2020, 12, 31))


@pytest.mark.parametrize(
    ("text", "immediate", "ongoing"),
    [
        ("立行立改,持续推进", True, True),
        ("立即整改,持续推进", True, True),
        ("立行立改,长期坚持", True, True),
        ("长期坚持", False, True),
        ("持续推进", False, True),
        ("立即整改", True, False),
        ("20193月底前,持续推进", False, True),
    ],
)
def test_flags(text: str, immediate: bool, ongoing: bool) -> None:
    deadline = parse_deadline(text)
    assert (deadline.immediate, deadline.ongoing) == (immediate, ongoing)


def test_event_deadline_is_kept_as_text_without_a_date() -> None:
    deadline = parse_deadline("立即整改,省、市、县机构改革结束前完成")
    assert deadline.immediate
    assert deadline.milestones == []
    assert deadline.text == "立即整改,省、市、县机构改革结束前完成"


def test_years_named_as_objects_are_not_deadlines() -> None:
    assert dues("按时完成2018年、2019年水污染防治攻坚重点工程") == []


def test_recurring_deadline_is_ongoing_not_dated() -> None:
    deadline = parse_deadline("每月10日前报送进展", 2019)
    assert deadline.ongoing and deadline.milestones == []


def test_impossible_dates_are_dropped() -> None:
    assert dues("2019年2月30日前") == []
    assert dues("2019年13月底前") == []


def test_words_that_only_look_like_dates_stay_text() -> None:
    assert dues("加强末梢水管理", 2019) == []
    assert dues("完成2-3台设备购置", 2019) == []


def test_json_shape() -> None:
    assert parse_deadline("2019年3月底前完成排查", 2019).to_json() == {
        "text": "2019年3月底前完成排查",
        "immediate": False,
        "ongoing": False,
        "milestones": [{"start": None, "due": "2019-03-31", "text": "完成排查"}],
    }


def test_a_quarters_end_leaves_no_stray_word_in_the_milestone() -> None:
    (milestone,) = parse_deadline("2019年一季度末前完成排查", None).milestones
    assert (milestone.due, milestone.text) == (date(2019, 3, 31), "完成排查")


@pytest.mark.parametrize(
    ("text", "plan_year", "issued", "expected"),
    [
        ("2019年春节前全面完成", None, None, date(2019, 2, 4)),  # 除夕: the Spring Festival fell on 2019-02-05
        ("2020年元旦前", None, None, date(2019, 12, 31)),
        ("国庆节前完成主体工程", 2024, None, date(2024, 9, 30)),
        ("端午节假期前", 2024, None, date(2024, 6, 9)),
        ("中秋、国庆前完成", 2019, None, date(2019, 9, 30)),  # the later of the two
        ("清明节前完成", 2025, None, date(2025, 4, 3)),
        # A plan dated in November means the coming Spring Festival, not the one past.
        ("春节前完成欠薪清零", 2018, date(2018, 11, 20), date(2019, 2, 4)),
        ("元旦前完成", 2019, date(2019, 3, 1), date(2019, 12, 31)),
    ],
)
def test_festival_deadlines_are_the_festivals_eve(
    text: str, plan_year: int | None, issued: date | None, expected: date
) -> None:
    assert [m.due for m in parse_deadline(text, plan_year, issued).milestones] == [expected]


def test_a_festival_after_a_dated_stage_is_the_next_one() -> None:
    deadline = parse_deadline("2024年6月底前完成排查，春节前全面完成", 2024)
    assert [(m.due, m.text) for m in deadline.milestones] == [
        (date(2024, 6, 30), "完成排查"),
        (date(2025, 1, 28), "全面完成"),
    ]


def test_around_a_festival_or_without_any_year_is_no_deadline() -> None:
    assert dues("春节前后开展专项检查", 2019) == []
    assert dues("春节前完成") == []  # no plan year, no plan date: which Spring Festival is unknown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("分阶段(2024年9月底前完成排查,2025年3月底前全面完成)", ["完成排查", "全面完成"]),
        ("分阶段:2024年10月底前盘活50%,2025年3月底前全部盘活", ["盘活50%", "全部盘活"]),
        ("2024年10月底前完成清退,制度修订于年底前完成", ["完成清退", "制度修订完成"]),
        ("2024年6月底前、2024年12月底前", ["", ""]),
        ("截至2024年12月31日", [""]),
        ("阶段性目标：2024年底；最终目标：2025年6月底前", ["阶段性目标", "最终目标"]),
        ("近期目标：2024年6月底前完成排查", ["完成排查"]),
        ("2024年12月底前(长期坚持)", [""]),
        ("2024年6月底前（立行立改）", [""]),
        ("即日起至2024年6月底完成排查，2024年12月底前全面整改", ["完成排查", "全面整改"]),
    ],
)
def test_what_is_due_without_the_words_around_the_dates(text: str, expected: list[str]) -> None:
    assert [m.text for m in parse_deadline(text, 2024).milestones] == expected


def test_the_closing_mark_is_not_part_of_the_deadline() -> None:
    assert parse_deadline("立行立改并长期坚持。").text == "立行立改并长期坚持"


def test_within_the_year_and_spans_of_months() -> None:
    assert dues("年内", 2024) == [date(2024, 12, 31)]
    assert dues("力争年内完成", 2024) == [date(2024, 12, 31)]
    assert dues("三年内完成", 2024) == [] and dues("半年内完成", 2024) == []
    for text in ("2024年7-9月", "2024年7月至9月"):
        (milestone,) = parse_deadline(text, 2024).milestones
        assert (milestone.start, milestone.due) == (date(2024, 7, 1), date(2024, 9, 30))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("即日起至2024年12月31日", date(2024, 12, 31)),
        ("自即日起至2024年9月底", date(2024, 9, 30)),
        ("从现在起到年底", date(2024, 12, 31)),
        ("自本方案印发之日起至2024年10月底前", date(2024, 10, 31)),
    ],
)
def test_a_span_from_now_starts_on_the_plans_date(text: str, due: date) -> None:
    issued = date(2024, 6, 18)
    (milestone,) = parse_deadline(text, 2024, issued).milestones
    assert (milestone.start, milestone.due, milestone.text) == (issued, due, "")


def test_a_span_from_now_without_the_plans_date_has_no_start() -> None:
    (milestone,) = parse_deadline("即日起至2024年12月31日", 2024).milestones
    assert (milestone.start, milestone.text) == (None, "")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("本年度内", date(2024, 12, 31)),
        ("当年完成", date(2024, 12, 31)),
        ("2024年度", date(2024, 12, 31)),
        ("2024年全年", date(2024, 12, 31)),
    ],
)
def test_the_year_as_a_whole(text: str, due: date) -> None:
    (milestone,) = parse_deadline(text, 2024).milestones
    assert milestone.due == due and milestone.text in {"", "完成"}


def test_a_month_the_work_starts_in_is_no_deadline() -> None:
    deadline = parse_deadline("自2024年5月起长期坚持", 2024)
    assert deadline.ongoing and deadline.milestones == []
    (span,) = parse_deadline("2024年5月起至2024年10月", 2024).milestones
    assert (span.start, span.due, span.text) == (date(2024, 5, 1), date(2024, 10, 31), "")
    assert parse_deadline("即时整改").immediate


def test_a_list_of_quarters_is_due_at_the_end_of_the_last() -> None:
    (milestone,) = parse_deadline("2024年第三、四季度", 2024).milestones
    assert (milestone.due, milestone.text) == (date(2024, 12, 31), "")
    assert dues("今年三、四季度", 2024) == [date(2024, 12, 31)]


@pytest.mark.parametrize("text", ["自即日起", "即日起", "从即日起", "自本方案印发之日起", "即日起至整改完成"])
def test_from_now_on_without_an_end_is_ongoing_from_the_plan_date(text: str) -> None:
    deadline = parse_deadline(text, 2019, date(2019, 3, 5))
    assert (deadline.ongoing, deadline.immediate, deadline.milestones) == (True, False, [])


def test_from_now_on_with_an_end_is_not_open() -> None:
    (m,) = parse_deadline("即日起至2019年底", 2019, date(2019, 3, 5)).milestones
    assert (m.start, m.due) == (date(2019, 3, 5), date(2019, 12, 31))
    assert not parse_deadline("即日起至2019年底", 2019).ongoing
    assert not parse_deadline("自印发之日起3个月内完成", 2019).ongoing


@pytest.mark.parametrize(
    ("text", "plan_year", "expected"),
    [
        ("19年底前", None, [date(2019, 12, 31)]),
        ("20年6月", 2019, [date(2020, 6, 30)]),
        ("21年3月底前完成", 2020, [date(2021, 3, 31)]),
        ("19年上半年", 2019, [date(2019, 6, 30)]),
        ("19年12月31日前", None, [date(2019, 12, 31)]),
        ("99年底前", 2001, [date(1999, 12, 31)]),
        ("用10年时间", 2019, []),
        ("3年内完成", 2019, []),
        ("20年内完成", 2019, []),
    ],
)
def test_two_digit_years(text: str, plan_year: int | None, expected: list[date]) -> None:
    assert dues(text, plan_year) == expected


def test_two_digit_year_span() -> None:
    (m,) = parse_deadline("19年至20年", 2019).milestones
    assert (m.start, m.due, m.text) == (date(2019, 1, 1), date(2020, 12, 31), "")
    assert [m.text for m in parse_deadline("20年6月底前完成", 2019).milestones] == ["完成"]


@pytest.mark.parametrize(
    ("text", "due", "what"),
    [
        ("自本方案印发之日起3个月内完成整改", date(2024, 4, 30), "完成整改"),
        ("自印发之日起三个月内", date(2024, 4, 30), ""),
        ("即日起30日内完成排查", date(2024, 3, 1), "完成排查"),
        ("自即日起半年内", date(2024, 7, 31), ""),
        ("即日起2周内", date(2024, 2, 14), ""),
    ],
)
def test_a_span_from_the_plan_date_is_due_that_long_after_it(text: str, due: date, what: str) -> None:
    (m,) = parse_deadline(text, 2024, date(2024, 1, 31)).milestones
    assert (m.start, m.due, m.text) == (date(2024, 1, 31), due, what)


def test_a_span_without_the_plan_date_or_in_working_days_stays_text() -> None:
    assert parse_deadline("自印发之日起3个月内完成", 2024).milestones == []
    assert parse_deadline("即日起15个工作日内", 2024, date(2024, 1, 31)).milestones == []
    assert parse_deadline("3个月内完成", 2024, date(2024, 1, 31)).milestones == []
