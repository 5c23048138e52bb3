"""Members' messages, round 10: small talk answered as small talk, an album answered once,
a step of the work told from the work done, figures as members type them, words about the
files just sent, and the clause that goes on about the thing the one before it named."""

from __future__ import annotations

from bot.config import Settings
from storage.models import Evidence, Report
from tests.scenario import converse, texts
from tests.test_evidence import image
from tests.test_reporting import LI, PLAN, START, rows, task_id

WATER = {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}
CITY = {"bind": {"user": 2004, "unit": "市城管局", "name": "陈静"}}
YONGCHENG = {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}}
JACK = {"bind": {"user": 2006, "unit": "市生态环境局", "name": "Jack Li"}}
GROUP = -100200
EN = {"lang": "en"}


async def test_small_talk_gets_a_short_polite_word_and_is_never_a_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "大家辛苦了，周末愉快"}, {"as": 2001, "text": "好的，马上落实"},
         {"as": 2001, "text": "收到，正在办"}, {"as": 2001, "text": "收到，已转达单位主要领导"},
         {"as": 2001, "text": "收到！坚决完成任务"}, {"as": 2001, "text": "谢谢提醒，马上报"},
         {"as": 2001, "text": "我们正在整理材料，下午报"}, {"as": 2001, "text": "感谢整改办的指导"},
         JACK, {"as": 2006, "text": "Noted with thanks", **EN}, {"as": 2006, "text": "Thanks all, have a nice weekend!", **EN},
         WATER, {"as": 1, "text": "/group 市水利局", "chat": GROUP},
         {"as": 2002, "text": "大家辛苦了，周末愉快", "chat": GROUP}, {"as": 2002, "text": "收到，正在办", "chat": GROUP},
         {"as": 2002, "text": "收到！坚决完成任务", "chat": GROUP}],
        plans=[PLAN],
    )
    li = texts(out, 2001)
    assert li[0] == "谢谢，您也辛苦了！" and li[1] == "好的。"
    assert all(s.startswith("好的，辛苦了。有了进展") for s in li[2:-1])  # a promise to act: how to report when there is progress
    assert li[-1] == "不客气。"
    assert texts(out, 2006) == ["OK.", "Thank you, and all the best to you too!"]
    assert texts(out, GROUP)[1:] == []  # in the group: nothing after the registration
    assert not any(o.get("buttons") for o in out)  # never "which task?"
    assert await rows(settings, Report) == []


async def test_an_album_is_answered_once_with_every_photo_counted(settings: Settings) -> None:
    folder = settings.data_dir.parent
    first = [image(folder, f"a{k}.png", (30 * k, 60, 90)) for k in range(3)]
    second = [image(folder, f"b{k}.png", (90, 30 * k, 60)) for k in range(2)]
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "album": first, "caption": "1-16 危废处置中心施工完成60%"},
         {"as": 2001, "album": second, "caption": "水源地整治完成80%"}, {"as": 2001, "press": "1-10"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert len(said) == 3  # the record, the question, the choice (an edit)
    assert "已记录" in said[0] and "1-16" in said[0] and "60%" in said[0] and "佐证材料 3 份" in said[0]
    assert out[0]["buttons"] == ["撤销"]
    assert "哪项任务" in said[1] and "2 份材料" in said[1] and "1-10" in out[1]["buttons"][0]
    assert "已记录" in said[2] and "2 份材料已一并归档" in said[2]
    reports = await rows(settings, Report)
    evidence = await rows(settings, Evidence)
    assert [len([e for e in evidence if e.report_id == r.id]) for r in reports] == [3, 2]


async def test_a_step_done_is_work_under_way_and_the_task_done_is_done(settings: Settings) -> None:
    await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-13已完成排查"}, {"as": 2001, "text": "1-16已完成采购，设备下周安装"},
         {"as": 2001, "text": "1-12完成了第一阶段"}, {"as": 2001, "text": "1-12 已完成招标，下月进场施工"},
         {"as": 2001, "text": "1-13已全部完成"}, {"as": 2001, "text": "1-14已完成整改"},
         {"as": 2001, "text": "1-15任务已完成"}, {"as": 2001, "text": "1-17已完成尾矿库排查"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [
        (None, "正在推进"), (None, "正在推进"), (None, "正在推进"), (None, "正在推进"),
        (100, "已完成"), (100, "已完成"), (100, "已完成"),
        (100, "已完成"),  # 1-17 is due "完成尾矿库排查": that stage is what was asked
    ]


async def test_figures_and_slips_as_members_type_them(settings: Settings) -> None:
    await converse(
        settings,
        [START, YONGCHENG, {"as": 2005, "text": "矿山整治完成了三分之二"},
         {"as": 2005, "text": "1-9 十个矿点完成了8个，剩2个下周一前完成"}, {"as": 2005, "text": "刚才说错了，是完成了7个"},
         {"as": 2005, "text": "1-9 完成了百分80"}, {"as": 2005, "text": "1-9 完成七层"},
         {"as": 2005, "text": "1-17还剩1处隐患没整改"}, {"as": 2005, "text": "1-17已经全部搞定 等待验收"},
         {"as": 2005, "text": "1-16已通过终验"}, {"as": 2005, "text": "1-8 今年的重点工程开工了5个，完工2个"},
         {"as": 2005, "text": "尾矿库已经闭库两座了，还剩一座"}, {"as": 2005, "text": "1-2 已完成2018年度任务"},
         {"as": 2005, "text": "1-18 本周巡查河道120公里"}, {"as": 2005, "text": "1-18 刚才那条数字说错了，是150公里"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [
        (67, "正在推进"), (70, "正在推进"), (80, "正在推进"), (None, "正在推进"),
        (None, "正在推进"), (100, "已完成"), (100, "已完成"),
        (None, "正在推进"), (67, "正在推进"), (None, "正在推进"), (None, None),
    ]
    assert reports[-1].text.endswith("是150公里")  # the figure put right on the record, not a second report


async def test_english_fractions_steps_and_typos(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "text": "1-16: two thirds done", **EN},
         {"as": 2006, "text": "procurement for 1-12 completed", **EN},
         {"as": 2006, "text": "8 of 10 sites done for 1-14", **EN}, {"as": 2006, "text": "sorry typo, 1-14 is 9 of 10", **EN}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert "in progress · 67%" in said[0] and "in progress" in said[1] and "100%" not in said[1]
    assert "Corrected" in said[3] and "90%" in said[3]
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(67, "正在推进"), (None, "正在推进"), (90, "正在推进")]


async def test_words_about_the_files_just_sent_put_them_where_they_belong(settings: Settings) -> None:
    folder = settings.data_dir.parent
    photo = image(folder, "site.png", (200, 10, 10))
    (folder / "验收报告.pdf").write_bytes(b"%PDF-1.4\n% acceptance report\n")
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-13正在办"}, {"as": 2001, "photo": photo},
         {"as": 2001, "text": "这是1-13的现场照片"}, {"as": 2001, "document": "验收报告.pdf"},
         {"as": 2001, "text": "以上材料是1-16的验收报告"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已收到佐证材料 1 份" in said[1] and "1-13" in said[1]  # filed by a guess: the last report
    assert said[2].startswith("好的，刚才的 1 份材料已归入") and "1-13" in said[2]
    assert "已记录" in said[4] and "1-16" in said[4] and "刚才发送的 1 份材料已一并归档" in said[4]
    evidence = {e.kind: e for e in await rows(settings, Evidence)}
    assert evidence["document"].task_id == await task_id(settings, "1-16")
    assert evidence["photo"].task_id == await task_id(settings, "1-13")  # explained once, not moved by later words
    assert evidence["photo"].caption == "这是1-13的现场照片"


async def test_an_album_asked_about_goes_with_the_report_typed_after_it(settings: Settings) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"c{k}.png", (5, 90, 40 * k)) for k in range(2)]
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-10 完成30%"}, {"clock": "2019-01-24T10:30"},
         {"as": 2001, "album": names, "caption": "现场照片"},
         {"as": 2001, "text": "以上是1-16整改照片，已完成50%"}, {"as": 2001, "press": "1-10"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "哪项任务" in said[1] and "2 份材料" in said[1] and len([s for s in said if "哪项任务" in s]) == 1
    assert "已记录" in said[2] and "1-16" in said[2] and "刚才发送的 2 份材料已一并归档" in said[2]
    assert out[-1].get("alert") and "已" in out[-1]["callback_answer"]  # the question was answered by the words
    reports = await rows(settings, Report)
    assert [r.task_id for r in reports] == [await task_id(settings, "1-10"), await task_id(settings, "1-16")]
    assert {e.report_id for e in await rows(settings, Evidence)} == {reports[1].id}


async def test_a_clause_about_the_other_one_stays_with_its_task(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, YONGCHENG, {"as": 2005, "text": "尾矿库已完成闭库治理一座，另一座正在施工"},
         CITY, {"as": 2004, "text": "黑臭水体整治完成了第一批5条，第二批正在施工"},
         WATER, {"as": 2002, "text": "采砂基本完成"}, {"as": 2002, "text": "河道采砂这块这周又查了两起"},
         {"as": 2002, "text": "1-18 没啥进展"}],
        plans=[PLAN],
    )
    assert not any(o.get("buttons") and "撤销" not in o["buttons"][0] for o in out)  # nothing asked
    reports = await rows(settings, Report)
    assert [(r.task_id, r.status_word) for r in reports] == [
        (await task_id(settings, "1-17"), "基本完成"), (await task_id(settings, "1-12"), "正在推进"),
        (await task_id(settings, "1-18"), "基本完成"), (await task_id(settings, "1-18"), None),
        (await task_id(settings, "1-18"), None),
    ]
    assert "本期无新进展" in texts(out, 2002)[-1]


async def test_the_question_is_answered_in_the_words_on_its_buttons(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "水源地整治完成了三分之二"}, {"as": 2001, "text": "是水源地保护那个"},
         {"as": 2001, "text": "水源地整治完成了70%"}, {"as": 2001, "text": "饮用水安全那项"},
         {"as": 2001, "text": "水源地整治完成了75%"}, {"as": 2001, "text": "1-10那个"},
         JACK, {"as": 2006, "text": "water source remediation 80% done", **EN}, {"as": 2006, "text": "the second one", **EN},
         {"as": 2006, "text": "ok thanks, on it", **EN}],
        plans=[PLAN],
    )
    assert sum("哪项任务" in s for s in texts(out, 2001)) == 3 and "Which task" in texts(out, 2006)[0]
    assert texts(out, 2006)[-1].startswith("Thank you. When there is progress")
    reports = await rows(settings, Report)
    water, safety = await task_id(settings, "1-10"), await task_id(settings, "1-14")
    assert [(r.task_id, r.percent) for r in reports] == [(water, 67), (safety, 70), (water, 75), (safety, 80)]


async def test_an_acknowledgement_under_a_record_is_no_report_on_its_task(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-16 完成60%"}, {"as": 2001, "text": "收到，正在办", "reply_to": "last"},
         {"as": 2001, "text": "1-16 完成70%"}, {"as": 2001, "text": "谢谢提醒，马上报", "reply_to": "last"},
         {"as": 2001, "text": "1-16 完成80%"}, {"as": 2001, "text": "收到，已全部完成", "reply_to": "last"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert said[1].startswith("好的，辛苦了。") and said[3].startswith("好的，辛苦了。")
    assert "已记录" in said[5] and "已完成 · 100%" in said[5]  # an acknowledgement that says where the work stands
    assert [r.percent for r in await rows(settings, Report)] == [60, 70, 80, 100]
