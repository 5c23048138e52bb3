"""Members' messages, round 12: a share typed with spaces or in words, a task that does
not concern the unit, work not yet begun or only begun, the wrong figure named beside
the right one, and money or items counted rather than a share of the work."""

from __future__ import annotations

from bot.config import Settings
from storage.models import Report, TaskUnit
from tests.scenario import converse, texts
from tests.test_reporting import LI, PLAN, START, rows, task_id, unit_id

YONGCHENG = {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}}
JACK = {"bind": {"user": 2006, "unit": "市生态环境局", "name": "Jack Li"}}
EN = {"lang": "en"}


async def test_a_share_reads_the_same_however_it_is_typed(settings: Settings) -> None:
    said = ["1-10 完成 8 成", "1-14 完成 八 成", "1-16 完成８ 成", "1-12 完成七 八 成", "2-10 目前完成约 6 成左右"]
    out = await converse(settings, [START, LI, *({"as": 2001, "text": s} for s in said)], plans=[PLAN])
    replies = texts(out, 2001)
    assert len(replies) == 5 and all("已记录" in r and "正在推进" in r and "已完成" not in r for r in replies)
    assert "80%" in replies[0] and "80%" in replies[1] and "70%" in replies[3]
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(80, "正在推进")] * 3 + [(70, "正在推进"), (60, "正在推进")]
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-10"),
                       TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert (share[0].status, share[0].percent) == ("正在推进", 80)


async def test_a_task_that_does_not_concern_the_unit_is_noted_for_the_office(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, YONGCHENG, LI, JACK, {"as": 1, "text": "/start"},
         {"as": 2005, "text": "1-7 我们没有涉及，怎么填报？"},
         {"as": 2005, "text": "黄河湿地这项我们不涉及"},
         {"as": 2001, "text": "1-7 我单位不涉及"},
         {"as": 2006, "text": "2-11 not applicable to our bureau, how should I report?", **EN}],
        plans=[PLAN],
    )
    county = texts(out, 2005)
    assert county[0].startswith("已记录") and "1-7" in county[0] and "不涉及" in county[0]
    assert "无需填写进度" in county[0] and "已转告整改办" in county[0] and "状态：" not in county[0]
    assert "请写明不涉及的任务编号" in county[1]  # no task named: which one, not a guess
    assert "不在市生态环境局的责任范围内" in texts(out, 2001)[0]  # not theirs at all: nothing noted
    english = texts(out, 2006)[0]
    assert english.startswith("Recorded") and "does not apply" in english and "no progress figure" in english
    alerts = [t for t in texts(out, 1) if t.startswith("【不涉及说明】")]
    assert len(alerts) == 2 and all("请核定是否调整该任务的责任单位" in t for t in alerts)
    assert not any(t.startswith("【协调请求】") for t in texts(out, 1))
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent, r.status_word) for r in reports] == [
        (await task_id(settings, "1-7"), None, None), (await task_id(settings, "2-11"), None, None),
    ]
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-7"),
                       TaskUnit.unit_id == await unit_id(settings, "永城市人民政府"))
    assert (share[0].status, share[0].percent) == (None, None)  # nothing false in the ledger


async def test_work_not_begun_or_only_begun_is_not_done(settings: Settings) -> None:
    said = ["2-12 没开工", "2-13 尚未开工", "1-16 只完成了一小部分", "1-13 完成部分整改", "1-12 城区段已整治完成，农村段未启动"]
    out = await converse(settings, [START, LI, *({"as": 2001, "text": s} for s in said)], plans=[PLAN])
    replies = texts(out, 2001)
    assert "未开始" in replies[0] and "未开始" in replies[1]
    assert all("正在推进" in r and "100%" not in r for r in replies[2:])
    reports = await rows(settings, Report)
    assert [r.status_word for r in reports] == ["未开始", "未开始", "正在推进", "正在推进", "正在推进"]
    assert all(r.percent is None for r in reports)


async def test_the_wrong_figure_named_beside_the_right_one_corrects_the_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-14 完成70%"}, {"as": 2001, "text": "1-14 不是70%，是50%"},
         {"as": 2001, "text": "1-16 完成八成"}, {"as": 2001, "text": "应该是六成，不是八成"}],
        plans=[PLAN],
    )
    replies = texts(out, 2001)
    assert "已按您的更正修改" in replies[1] and "50%" in replies[1] and "70%" not in replies[1]
    assert "已按您的更正修改" in replies[3] and "60%" in replies[3]
    assert out[1]["buttons"] == ["撤销"]  # the corrected record says "撤销" can be pressed: it can
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent) for r in reports] == [
        (await task_id(settings, "1-14"), 50), (await task_id(settings, "1-16"), 60),
    ]


async def test_money_and_items_counted_are_not_the_work_done(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-16 累计完成投资1200万元"},
         {"as": 2001, "text": "2-14 整改到位18个，还有2个正在整改"}],
        plans=[PLAN],
    )
    replies = texts(out, 2001)
    assert "已完成" not in replies[0] and "100%" not in replies[0]
    assert "基本完成 · 90%" in replies[1]
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(None, "正在推进"), (90, "基本完成")]


async def test_the_guided_report_takes_a_share_typed_in_words(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "/report"}, {"as": 2001, "press": "1-17"}, {"as": 2001, "press": "1."},
         {"as": 2001, "text": "八成"}, {"as": 2001, "text": "永城两座尾矿库已排查一座"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已记录" in said[-1] and "80%" in said[-1] and "第1项" in said[-1]
    report = (await rows(settings, Report))[0]
    assert (report.text, report.percent, report.source) == ("永城两座尾矿库已排查一座", 80, "guided")



async def test_a_measure_that_does_not_apply_is_not_the_measure_reported(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, YONGCHENG, {"as": 2005, "text": "1-10 措施3不涉及，其余已完成"},
         {"as": 2005, "text": "1-12 措施2我县不涉及，措施1完成80%"}],
        plans=[PLAN],
    )
    said = texts(out, 2005)
    assert "已完成 · 100%" in said[0] and "措施" not in said[0]  # all that concerns the county is done
    assert "措施：第1项" in said[1] and "80%" in said[1] and "None" not in said[1]
    reports = await rows(settings, Report)
    assert [(r.measure_no, r.percent, r.status_word) for r in reports] == [(None, 100, "已完成"), (1, 80, "正在推进")]


async def test_an_english_correction_and_money_spent(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "text": "2-10 80% done", **EN},
         {"as": 2006, "text": "Correction: 2-10 is not 80%, it is 60%", **EN},
         {"as": 2006, "text": "2-13 we invested 5 million yuan so far", **EN}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert said[1].startswith("Corrected") and "60%" in said[1] and out[1]["buttons"] == ["Undo"]
    assert said[2].startswith("Recorded") and "2-13" in said[2]
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(60, "正在推进"), (None, None)]
