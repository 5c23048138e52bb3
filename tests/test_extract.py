"""Percent, status words, dates and counts as officials write them in chat."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.extract import (
    DONE,
    LATE,
    MOSTLY_DONE,
    NOT_STARTED,
    ONGOING,
    STARTED,
    STATUSES,
    Counts,
    counted_percent,
    extract,
    extract_counts,
    extract_dates,
    extract_percent,
    extract_status,
    to_int,
)

TODAY = date(2019, 4, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("黄土裸露整治完成了75%", 75),
        ("集聚区管网配套完成８０％", 80),
        ("电代煤气代煤入户改造完成九成", 90),
        ("永城矿山治理推进中，完成八成五", 85),
        ("铺轨完成一半", 50),
        ("整治任务已过半", 50),
        ("完成了百分之六十", 60),
        ("完成三分之二", 67),
        ("都弄完了", None),
        ("完成了不到一半", None),  # a bound, not the figure
        ("不足三成", None),
    ],
)
def test_percent(text: str, percent: int | None) -> None:
    assert extract_percent(text) == percent


@pytest.mark.parametrize(
    "text",
    ["建成区绿化覆盖率已经到35.6%", "今年煤炭消费总量下降11%", "全市党员干部参学率95%"],
)
def test_a_measured_rate_is_not_progress(text: str) -> None:
    assert extract_percent(text) is None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("农用地土壤污染状况详查已完成", DONE),
        ("市生态环境局已完成", DONE),
        ("散乱污那几家都弄完了", DONE),
        ("搞定了", DONE),
        ("尾矿库汛期风险评估报告编好了，已备案", DONE),
        ("基本完成，就差验收", MOSTLY_DONE),
        ("县里两个水源地的界碑都立好了，剩一个在验收", MOSTLY_DONE),
        ("完成3个，剩2个", ONGOING),
        ("1-17 排查了12家尾矿库，整改完成9家", ONGOING),  # 75%, not done
        ("1-10 年前能完成", None),  # a forecast
        ("1-10还差界碑没立，其他都弄完了", MOSTLY_DONE),
        ("1-16 已完成危废企业检查20家", ONGOING),  # a round of checks, not the task
        ("1-18 已完成第一轮河道巡查", ONGOING),
        ("1-17 部分完成", ONGOING),  # part of the task, said of the task
        ("初步完成", ONGOING),
        ("1-16 已完成项目选址", ONGOING),  # a first step
        ("已完成第一阶段任务", ONGOING),
        ("完成2公里管网改造", ONGOING),  # a stretch of it, the whole unknown
        ("主体完工", MOSTLY_DONE),
        ("已完成督查", ONGOING),  # a round of checks
        ("完成了不到一半", ONGOING),
        ("已完成全部12座尾矿库排查", DONE),
        ("双替代完成8000户，剩2000户年底前完成", ONGOING),  # 80% done
        ("遥感监测设备到了，正在调试", ONGOING),
        ("完成了80%", ONGOING),
        ("还没完成，在抓紧", ONGOING),
        ("静脉产业园项目已启动", STARTED),
        ("铸造产业园上周开工了", STARTED),
        ("这项进度滞后，拆迁卡住了", LATE),
        ("还没动", NOT_STARTED),
        ("尚未启动", NOT_STARTED),
        ("收到", None),
        ("预计月底前完成", None),
    ],
)
def test_status(text: str, status: str | None) -> None:
    assert extract_status(text) == status


def test_statuses_are_the_six_ledger_words() -> None:
    assert set(STATUSES) == {"已完成", "基本完成", "正在推进", "已启动", "滞后", "未开始"}


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("剩两个", Counts(remaining=2)),
        ("完成3个", Counts(done=3)),
        ("县里两个水源地的界碑都立好了，剩一个在验收", Counts(done=2, remaining=1)),
        ("入河直排口共排查出17个，已整治12个", Counts(done=12, remaining=5, total=17)),
        ("10个完成了8个", Counts(done=8, remaining=2, total=10)),
        ("5家企业已关停3家", Counts(done=3, remaining=2, total=5)),
        ("还有3家没整改到位", Counts(remaining=3)),
        ("取缔了十二家", Counts(done=12)),
        ("完成3个，剩2个", Counts(done=3, remaining=2, total=5)),
        ("整改完成8处，剩余2处待验收", Counts(done=8, remaining=2)),  # built, waiting for a check
        ("已完成验收3个，剩余2个正在推进", Counts(done=3, remaining=2, total=5)),
        ("完成改造5个小区，共12个", Counts(done=5, remaining=7, total=12)),
        ("1-17 应排查尾矿库15座，现已排查12座", Counts(done=12, remaining=3, total=15)),
        ("已排查7座，还剩永城2座未到现场", Counts(done=7, remaining=2, total=9)),
        ("界碑已完成安装32块，还差8块", Counts(done=32, remaining=8, total=40)),
        ("9个支部完成标准化建设7个", Counts(done=7, remaining=2, total=9)),
        ("已清退76户中的41户", Counts(done=41, remaining=35, total=76)),
        ("已排查尾矿库8座，还有4座在排查中", Counts(done=8, remaining=4, total=12)),
    ],
)
def test_counts(text: str, counts: Counts) -> None:
    assert extract_counts(text) == counts


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("3月15日验收", [date(2019, 3, 15)]),
        ("三月十五号验收完", [date(2019, 3, 15)]),
        ("2019年4月1日起实施", [date(2019, 4, 1)]),
        ("2019-03-02已公开", [date(2019, 3, 2)]),
        ("上周五已经全部整改完毕", [date(2019, 4, 5)]),
        ("本周一开的会", [date(2019, 4, 8)]),
        ("下周三复查", [date(2019, 4, 17)]),
        ("昨天验收的", [date(2019, 4, 9)]),
        ("前天拆的", [date(2019, 4, 8)]),
        ("15号前报送", [date(2019, 4, 15)]),
        ("月底前完成", [date(2019, 4, 30)]),
        ("上个月底就建好了", [date(2019, 3, 31)]),
        ("没有日期", []),
    ],
)
def test_dates_relative_to_today(text: str, dates: list[date]) -> None:
    assert extract_dates(text, TODAY) == dates


def test_a_date_without_year_is_the_nearest_one() -> None:
    assert extract_dates("12月28日已完成", date(2020, 1, 3)) == [date(2019, 12, 28)]
    assert extract_dates("1月2日开工", date(2019, 12, 30)) == [date(2020, 1, 2)]


def test_impossible_dates_are_ignored() -> None:
    assert extract_dates("2月30日", TODAY) == []
    assert extract_dates("13月5日", TODAY) == []


def test_extract_combines_everything() -> None:
    got = extract("民权县水源地界碑3月15日立好了，完成了80%，剩两个", today=TODAY)
    assert got.percent == 80
    assert got.status == ONGOING
    assert got.dates == (date(2019, 3, 15),)
    assert got.counts.remaining == 2
    assert got.has_progress


def test_chit_chat_has_no_progress() -> None:
    assert not extract("好的领导", today=TODAY).has_progress


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("12", 12), ("十二", 12), ("两", 2), ("一百二十", 120), ("", None), ("个", None)],
)
def test_numerals(numeral: str, value: int | None) -> None:
    assert to_int(numeral) == value


@given(st.text(max_size=200))
def test_extract_never_fails(text: str) -> None:
    got = extract(text, today=TODAY)
    assert got.percent is None or 0 <= got.percent <= 100
    assert got.status is None or got.status in STATUSES


@pytest.mark.parametrize(
    ("text", "status", "percent"),
    [
        ("完成率85%", "正在推进", 85),
        ("工程进度达到60%", None, 60),
        ("绿化覆盖率35.6%", None, None),  # a measured rate, not the work's progress
        ("共12处，已整改9处", "正在推进", 75),
        ("共排查出17个，已整改17个", "已完成", 100),
    ],
)
def test_the_works_own_rate_and_counted_shares_are_progress(text: str, status: str | None, percent: int | None) -> None:
    found = extract(text, today=date(2019, 2, 11))
    assert (found.status, found.percent) == (status, percent)


def test_a_percent_over_100_is_a_slip_not_progress() -> None:
    from bot.extract import percent_over_100

    assert percent_over_100("1-17 完成120%")
    assert not percent_over_100("完成80%") and not percent_over_100("产值增长120%")


def test_english_reports_count_too() -> None:
    assert extract_counts("1-17: 10 of 12 sites inspected") == Counts(done=10, remaining=2, total=12)
    assert extract("8 out of 10 done", today=date(2019, 1, 14)).percent == 80


def test_the_remainder_and_the_whole_give_the_share_done() -> None:
    assert counted_percent(extract_counts("还剩两个项目没完成，共五个")) == 60


@pytest.mark.parametrize(
    ("text", "percent", "status"),
    [
        ("1-17 力争3月底前完成100%", None, None),  # a target, not the work done
        ("争取月底完成80%", None, None),
        ("春节前完成七成", None, None),
        ("1-17 下一步将全面完成尾矿库排查", None, None),
        ("下一步将加快推进", None, None),
        ("预计下周基本完成", None, None),
        ("目前完成60%，预计月底完成100%", 60, ONGOING),  # what is done now, beside the aim
        ("截至目前完成90%，力争月底全部完成", 90, MOSTLY_DONE),
        ("年度计划完成80%", 80, None),  # how far the year's plan got
        ("按计划正在推进", None, ONGOING),
        ("争取到国家湿地保护项目资金800万", None, None),
    ],
)
def test_what_a_clause_aims_for_is_not_progress(text: str, percent: int | None, status: str | None) -> None:
    assert extract_percent(text) == percent and extract_status(text) == status


def test_work_on_a_problem_found_again_is_under_way() -> None:
    assert extract_status("尾矿库排查又发现新问题，在整改") == ONGOING


@pytest.mark.parametrize(
    ("text", "percent", "status"),
    [
        ("尾矿库那块八九成了", 80, None),  # a span, at its lower end
        ("扬尘治理完成了七八成", 70, ONGOING),
        ("1-17完成了9成", 90, MOSTLY_DONE),
        ("1-18完成了八成5", 85, ONGOING),
        ("1-17 进展顺利 完成了百分之六七十", 60, ONGOING),
        ("1-17 完成 百分之 九十", 90, MOSTLY_DONE),
        ("一成不变", None, None),
        ("黑臭水体治理完成一大半了", None, ONGOING),  # most of it, not all
        ("1-17的进度是60%左右，措施2还没开始", 60, ONGOING),  # a part not started, the work under way
        ("1-17 完成不了，需要延期", None, LATE),
        ("柴油货车路检完成三轮", None, ONGOING),  # rounds of checks
        ("1-17第一条第二条措施都落实了", None, DONE),
        ("1-17永城两座尾矿库闭库已完成一座 另一座正在施工", None, MOSTLY_DONE),  # a space for a comma
    ],
)
def test_how_officials_put_figures_and_words(text: str, percent: int | None, status: str | None) -> None:
    assert extract_percent(text) == percent and extract_status(text) == status


def test_a_dash_between_numbers_is_a_hyphen() -> None:
    from bot.extract import normalize

    assert normalize("1—17完成８０％") == "1-17完成80%" and normalize("1 – 17") == "1-17"


def test_a_stray_space_after_a_negation_does_not_make_it_done() -> None:
    for text in ("尚未 完成", "1-17 还没 完成", "1-17 没有 完成验收"):
        assert extract(text, today=date(2019, 2, 1)).status != "已完成", text


@pytest.mark.parametrize(
    ("text", "percent", "status"),
    [
        ("已完成排查", None, ONGOING),  # a step of the work, not the work
        ("已完成采购，设备下周安装", None, ONGOING),
        ("完成了第一阶段", None, ONGOING),
        ("招标已完成，计划下月开工", None, ONGOING),
        ("第一阶段工作已结束", None, ONGOING),
        ("已完成整改方案编制", None, ONGOING),
        ("已完成采购，完成60%", 60, ONGOING),
        ("已全部完成", None, DONE),
        ("整改完成", None, DONE),
        ("已完成整改", None, DONE),
        ("任务已完成", None, DONE),
        ("已完成排查整治", None, DONE),  # the step does not end its phrase: the work itself
        ("1-17 已经全部完成排查", None, DONE),
        ("尾矿库排查已完成", None, DONE),  # 排查 said first may be the task's own goal
        ("1-17已经全部搞定 等待验收", None, DONE),  # done; the check is the office's
        ("已完成，正在验收", None, MOSTLY_DONE),
        ("1-17还剩1处隐患没整改", None, ONGOING),
        ("1-13已通过终验", None, DONE),
        ("1-12 完成了百分80", 80, ONGOING),
        ("1-15完成七层", None, ONGOING),  # floors of a building, not the task
        ("收到！坚决完成任务", None, None),  # a resolve
        ("1-16: two thirds done", 67, ONGOING),
        ("procurement for 1-12 completed", None, ONGOING),
        ("all procurement completed", None, DONE),
        ("1-8 今年的重点工程开工了5个，完工2个", None, ONGOING),  # two works finished, not the task
        ("尾矿库已经闭库两座了，还剩一座", 67, ONGOING),
        ("1-2 已完成2018年度任务", None, ONGOING),  # one year's share of a task that goes on
        ("1-12 完成了30多", 30, ONGOING),  # the percent sign left off, "多" after it
        ("1-12 we have completed 3/4 of the work", 75, ONGOING),
    ],
)
def test_a_step_done_and_the_work_done_are_told_apart(text: str, percent: int | None, status: str | None) -> None:
    found = extract(text, today=TODAY)
    assert (found.percent, found.status) == (percent, status)


def test_a_step_done_is_known_as_one() -> None:
    from bot.extract import completes_a_step

    assert completes_a_step("1-17已完成尾矿库排查") and completes_a_step("已完成招标")
    assert not completes_a_step("已完成整改") and not completes_a_step("1-17 已经全部完成排查")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("1-18 river patrols done three times this week, 2 illegal sand mining sites closed", ONGOING),
        ("monitoring done twice, no new violations", ONGOING),
        ("all patrols completed", DONE),
        ("tailings pond inspection completed, awaiting acceptance", DONE),
    ],
)
def test_routine_rounds_and_counts_done_in_english_are_no_finished_task(text: str, status: str) -> None:
    """As 完成巡查3次 and 完成2处 are: work under way, not the task done."""
    assert extract_status(text) == status
