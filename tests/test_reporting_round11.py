"""Members' messages, round 11: a task number with a word of how it goes, a pasted notice,
a question asked beside a report, a message sent twice, another unit's task named in
words, the bot's question answered by pointing back, and traditional characters."""

from __future__ import annotations

from bot.config import Settings
from storage.models import Report, TaskUnit
from tests.scenario import converse, texts
from tests.test_reporting import LI, PLAN, START, rows, task_id, unit_id

WATER = {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}
YONGCHENG = {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}}
JACK = {"bind": {"user": 2006, "unit": "市生态环境局", "name": "Jack Li"}}
GROUP = -100300
EN = {"lang": "en"}


async def test_a_task_number_with_a_word_of_how_it_goes_is_work_under_way(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, WATER, {"as": 2002, "text": "1-18 进展顺利"}, {"as": 2002, "text": "1-18进展正常"},
         {"as": 2002, "text": "1-18 一切正常"}, {"as": 2002, "text": "1-18 顺利"},
         {"as": 2002, "text": "1-10 完成60%"}, {"as": 2002, "text": "1-10 目前推进顺利"},
         JACK, {"as": 2006, "text": "2-10 on track", **EN}, {"as": 2006, "text": "2-14 going well", **EN}],
        plans=[PLAN],
    )
    said = texts(out, 2002)
    assert all("已记录" in s and "进展：正在推进" in s and "%" not in s for s in said[:4])  # no figure made up
    assert all("in progress" in s for s in texts(out, 2006))
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(None, "正在推进")] * 4 + [(60, "正在推进")] + [(None, "正在推进")] * 3
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-10"),
                       TaskUnit.unit_id == await unit_id(settings, "市水利局"))
    assert (share[0].status, share[0].percent) == ("正在推进", 60)  # "顺利" keeps the figure last reported


async def test_a_pasted_notice_is_not_the_members_progress(settings: Settings) -> None:
    notices = [
        "关于印发《商丘市2019年大气污染防治攻坚战实施方案》的通知 各县（市、区）人民政府，市直有关单位：现将《商丘市2019年"
        "大气污染防治攻坚战实施方案》印发给你们，请认真贯彻落实。",
        "各县区、各单位：根据省整改办要求，请于2月25日前将整改任务完成情况报送市整改办，已完成的任务请附佐证材料。联系人：张三",
        "【转发】市整改办通知：请各责任单位于每旬最后一个工作日前报送整改进展，截至目前已完成整改任务12项，其余任务正在推进。",
        "市整改办：截至2月15日，全市35项整改任务已完成18项，基本完成10项，正在推进7项。请各单位加快进度。",
    ]
    out = await converse(
        settings,
        [START, LI, *({"as": 2001, "text": n} for n in notices), {"as": 1, "text": "/group 市生态环境局", "chat": GROUP},
         {"as": 2001, "text": notices[2], "chat": GROUP}, {"as": 2001, "text": "关于1-10水源地整治，我局已完成80%"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert all(s.startswith("这条是转发的通知，未作为本单位进展记录") for s in said[:4])
    assert "已记录" in said[4] and len(said) == 5
    assert texts(out, GROUP)[1:] == []  # in the group: nothing after the registration
    assert not any(o.get("buttons") and "撤销" not in o["buttons"][0] for o in out)  # never "which task?"
    assert [(r.task_id, r.percent) for r in await rows(settings, Report)] == [(await task_id(settings, "1-10"), 80)]


async def test_a_question_beside_a_report_gets_its_word_and_the_report_is_kept(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-14 饮用水安全这项，农村饮水工程完成九成，这个需要上传什么材料？"},
         {"as": 2001, "text": "2-14已全部整治到位，什么时候可以销号？"},
         JACK, {"as": 2006, "text": "2-10: remote sensing stations installed, roadside checks continuing. Do I need to upload photos?", **EN}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已记录" in said[0] and "90%" in said[0] and "关于材料：" in said[0] and "归入 1-14" in said[0]
    assert "已记录" in said[1] and "关于销号：" in said[1] and "销号 2-14" in said[1]
    english = texts(out, 2006)[0]
    assert english.startswith("Recorded") and "About files" in english  # a report, not a question about 2-10
    assert len(await rows(settings, Report)) == 3


async def test_the_same_message_sent_again_is_recorded_once(settings: Settings) -> None:
    again = "1-10 整改已完成，已于1月23日通过市级验收，材料已上传"
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": again}, {"as": 2001, "text": again},
         {"as": 2001, "text": "1-16 本周巡查2次"}, {"as": 2001, "text": "1-16 本周巡查 2次"},
         {"clock": "2019-01-25T10:00"}, {"as": 2001, "text": "1-16 本周巡查2次"}],
        plans=[PLAN],
    )
    said = [s for s in texts(out, 2001) if "1-10" in s or "1-16" in s]
    assert "内容相同，未重复记录" in said[1] and "#1" in said[1] and "内容相同" in said[3]
    assert "已记录" in said[-1]  # a day later the same words are that day's report
    reports = await rows(settings, Report)
    assert [r.task_id for r in reports] == [await task_id(settings, "1-10")] + [await task_id(settings, "1-16")] * 2


async def test_the_matter_named_in_words_decides_whose_task_and_which_measure(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "矿山整治完成80%"}, {"as": 2001, "text": "黑臭水体整治完成大部份"},
         {"as": 2001, "text": "2-14散乱污整治完成95%，2-10遥感监测点建设已完工"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert said[0].startswith("这条进展说的似乎是 1-9「") and "不在市生态环境局的责任范围内" in said[0]
    assert out[0].get("buttons") in (None, [])  # no task of its own offered for a tap
    reports = await rows(settings, Report)
    assert [r.task_id for r in reports] == [await task_id(settings, s) for s in ("1-12", "2-14", "2-10")]
    assert (reports[2].measure_no, reports[2].status_word, reports[2].percent) == (2, "正在推进", None)  # one measure of five


async def test_the_question_answered_by_pointing_back_at_the_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "水源地整治完成了75%"}, {"as": 2001, "text": "上面那条是水源地保护区整治的"},
         {"as": 2001, "text": "水源地整治完成了80%"}, {"as": 2001, "text": "饮用水那个吧"}, {"as": 2001, "text": "第一个"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "哪项任务" in said[0] and "已记录" in said[1] and "1-10" in said[1]
    assert "哪项任务" in said[2] and said[3].startswith("请点选上面的任务")  # 饮用水 is in both titles: asked again
    assert "已记录" in said[4]
    water = await task_id(settings, "1-10")
    assert [(r.task_id, r.percent) for r in await rows(settings, Report)] == [(water, 75), (water, 80)]


async def test_traditional_characters_read_as_simplified(settings: Settings) -> None:
    await converse(
        settings,
        [START, YONGCHENG, {"as": 2005, "text": "1-17 尾礦庫排查已於1月20日全部完成，監管責任已落實到各鄉鎮"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(100, "已完成")]  # the stage due, not one measure of it
    assert reports[0].text == "1-17 尾矿库排查已于1月20日全部完成，监管责任已落实到各乡镇"
