"""Members' messages, round 13: a long spoken report that names its task only in words,
a figure typed with a space inside it, and a word typed while /report waits for its step."""

from __future__ import annotations

from bot.config import Settings
from storage.models import Report, TaskUnit
from tests.scenario import converse, texts
from tests.test_reporting import LI, PLAN, START, rows, task_id, unit_id

JACK = {"bind": {"user": 2006, "unit": "市生态环境局", "name": "Jack Li"}}
EN = {"lang": "en"}


async def test_a_long_spoken_report_is_read_for_its_topic(settings: Settings) -> None:
    said = [
        "今天跟大家汇报一下我们这边的情况，散乱污企业排查了86家，已经关停取缔的有40家，剩下的正在整改，预计月底前能全部完成",
        "各位领导好，向大家报告一下，我们这边柴油货车尾气治理装置又安装了12台，目前完成八成，照片稍后发群里",
        "报告各位领导，黑臭水体整治方面，城区7条已经完成5条，另外2条正在施工，预计6月底前完工，谢谢",
    ]
    out = await converse(settings, [START, LI, *({"as": 2001, "text": s} for s in said)], plans=[PLAN])
    replies = texts(out, 2001)
    assert replies[0].startswith("已记录") and "2-14" in replies[0]
    assert replies[1].startswith("已记录") and "2-10" in replies[1] and "80%" in replies[1]
    reports = await rows(settings, Report)
    assert replies[2].startswith("已记录") and "1-12" in replies[2]
    assert [r.task_id for r in reports] == [await task_id(settings, ref) for ref in ("2-14", "2-10", "1-12")]


async def test_a_figure_typed_with_a_space_inside_is_one_figure_or_asked_about(settings: Settings) -> None:
    said = ["1-10 完成8 0%", "1-14 已完成 9 5 %", "1-17 完成 八 十%", "1-12 完成百分之 七 十", "1-16 2 0%", "2-10 措施 2 5%"]
    out = await converse(
        settings,
        [START, LI, JACK, *({"as": 2001, "text": s} for s in said), {"as": 2006, "text": "2-11 done 6 0%", **EN}],
        plans=[PLAN],
    )
    replies = texts(out, 2001)
    assert "80%" in replies[0] and "95%" in replies[1] and "80%" in replies[2] and "70%" in replies[3]
    assert all("未作记录" in r and "中间有空格" in r for r in replies[4:])
    assert "“2 0%”" in replies[4] and "“2 5%”" in replies[5]
    english = texts(out, 2006)[0]
    assert "space inside the figure" in english and "nothing was recorded" in english
    reports = await rows(settings, Report)
    assert [r.percent for r in reports] == [80, 95, 80, 70]
    assert all(r.percent != 0 for r in reports)


async def test_an_acknowledgement_while_report_waits_goes_to_the_guide(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "/report"}, {"as": 2001, "press": "1-17"}, {"as": 2001, "press": "1."},
         {"as": 2001, "text": "收到"}, {"as": 2001, "text": "八成"}, {"as": 2001, "text": "好的"},
         {"as": 2001, "text": "永城两座尾矿库已排查一座"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "请点选上面的选项" in said[3]  # the percent step asks again, not small talk
    assert "请用一句话写明进展情况" in said[5] and "取消" in said[5]  # "好的" is not the progress
    assert "已记录" in said[6] and "80%" in said[6]
    reports = await rows(settings, Report)
    assert [(r.text, r.percent) for r in reports] == [("永城两座尾矿库已排查一座", 80)]


async def test_an_english_share_in_words_is_that_share_not_done(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "text": "2-10 about seventy percent done", **EN},
         {"as": 2006, "text": "2-11 sixty-five per cent complete", **EN}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert "in progress · 70%" in said[0] and "in progress · 65%" in said[1]
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(70, "正在推进"), (65, "正在推进")]


async def test_same_as_last_time_is_nothing_new_on_that_task(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-17 完成60%"}, {"as": 2001, "text": "1-17 同上"},
         {"as": 2001, "text": "1-14 与上期相同"}, {"as": 2001, "text": "同上"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert all("本期无新进展" in r and "进度不变" in r for r in said[1:3])
    assert "未作记录" in said[3]  # no task named, no push waiting: nothing to say it of
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(60, "正在推进"), (None, None), (None, None)]


async def test_counts_in_wan_are_whole_numbers(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "2-14 散乱污企业共1.2万家，已完成整治9000家"},
         {"as": 2001, "text": "1-16 共排查1.5万户，已完成改造1.2万户"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "75%" in said[0] and "80%" in said[1]
    reports = await rows(settings, Report)
    assert [r.percent for r in reports] == [75, 80]


async def test_one_measure_done_and_another_not_begun_leaves_the_task_under_way(settings: Settings) -> None:
    out = await converse(settings, [START, LI, {"as": 2001, "text": "1-16 措施1完成，措施2还没开始"}], plans=[PLAN])
    said = texts(out, 2001)[0]
    assert "第1项 已完成" in said and "第2项 未开始" in said and "进展：正在推进" in said
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-16"),
                       TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert share[0].status == "正在推进"


async def test_no_news_this_week_is_the_units_word_not_a_question(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}, {"as": 2002, "text": "本周无进展"},
         {"as": 2002, "text": "1-18 本周无进展"}],
        plans=[PLAN],
    )
    said = texts(out, 2002)
    assert said[-2].startswith("未作记录：请写明是哪项任务本期无新进展") and "以来的进展" not in said[-2]
    assert said[-1].startswith("已记录") and "本期无新进展" in said[-1]
