"""Members' reports as they are really typed: slips of the keyboard, a report and its next
step in one breath, two tasks without a pause, a photo whose caption is the report, an
apology before the right figure, and members who write in English."""

from __future__ import annotations

from bot.config import Settings
from storage.models import Evidence, Report
from tests.scenario import converse, texts
from tests.test_evidence import image
from tests.test_reporting import LI, PLAN, START, rows, task_id

WATER = {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}
CITY = {"bind": {"user": 2004, "unit": "市城管局", "name": "陈静"}}
JACK = {"bind": {"user": 2006, "unit": "市生态环境局", "name": "Jack Li"}}


async def test_a_captioned_photo_that_reports_gets_one_reply(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "site.png", (10, 120, 10))
    out = await converse(
        settings, [START, LI, {"as": 2001, "photo": name, "caption": "尾矿库排查已完成，现场照片"}], plans=[PLAN],
    )
    said = texts(out, 2001)
    assert len(said) == 1
    assert "已记录" in said[0] and "1-17" in said[0] and "佐证材料 1 份" in said[0]
    (report,) = await rows(settings, Report)
    (evidence,) = await rows(settings, Evidence)
    assert evidence.report_id == report.id and report.status_word == "已完成"


async def test_keyboard_slips_in_progress_words_are_read_as_meant(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查完城了"},
         WATER, {"as": 2002, "text": "采砂清查验shou中"}, {"as": 2002, "text": "河道采砂整治逾其了还没完成"}],
        plans=[PLAN],
    )
    assert "已完成" in texts(out, 2001)[0]
    water = texts(out, 2002)
    assert "已记录" in water[0] and "1-18" in water[0] and "正在推进" in water[0]
    assert "1-18" in out[-1]["buttons"][0]  # asked, with the sand-mining task first
    reports = await rows(settings, Report)
    assert [(r.task_id, r.status_word) for r in reports] == [
        (await task_id(settings, "1-17"), "已完成"), (await task_id(settings, "1-18"), "正在推进"),
    ]


async def test_the_next_step_said_in_the_same_breath_does_not_hide_the_task(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, CITY, {"as": 2004, "text": "水源地保护区垃圾清理完成80%下一步做好长效管理"},
         WATER, {"as": 2002, "text": "河道采砂整治逾其了还没完成 主要是资金不到位 请协调"}],
        plans=[PLAN],
    )
    asked = [o for o in out if o.get("buttons")]
    assert asked[0]["buttons"][0].startswith("1-10")  # the water-source task 市城管局 holds
    assert asked[1]["buttons"][0].startswith("1-18")


async def test_a_task_named_twice_in_one_message_is_recorded_once(settings: Settings) -> None:
    out = await converse(
        settings, [START, WATER, {"as": 2002, "text": "1-14 1-15 都在推进 1-14完成70% 1-15完成一半"}], plans=[PLAN],
    )
    assert out[0]["buttons"] == ["撤销 1-14", "撤销 1-15"]
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent) for r in reports] == [
        (await task_id(settings, "1-14"), 70), (await task_id(settings, "1-15"), 50),
    ]


async def test_two_tasks_typed_without_a_pause_after_the_percent(settings: Settings) -> None:
    out = await converse(
        settings, [START, WATER, {"as": 2002, "text": "水源地规范化建设完成90%河道采砂整治已完成"}], plans=[PLAN],
    )
    said = texts(out, 2002)
    assert "已记录" in said[0] and "90%" in said[0] and "采砂" not in said[0]
    assert "河道采砂整治已完成" in said[1] and out[1]["buttons"][0].startswith("1-18")
    (report,) = await rows(settings, Report)
    assert report.percent == 90 and report.text == "水源地规范化建设完成90%"


async def test_an_apology_then_the_right_figure_corrects_the_last_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-13完成50%"}, {"as": 2001, "text": "不好意思 应该是40%"},
         {"as": 2001, "text": "刚才的应为45%"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已按您的更正修改" in said[1] and "40%" in said[1]
    assert "已按您的更正修改" in said[2] and "45%" in said[2]
    (report,) = await rows(settings, Report)
    assert report.percent == 45


async def test_a_member_reports_in_english(settings: Settings) -> None:
    en = {"lang": "en"}
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "text": "1-16 completed, awaiting acceptance", **en},
         {"as": 2006, "text": "hazardous waste facility more than half done", **en},
         {"as": 2006, "text": "sorry, I meant 60%", **en},
         {"as": 2006, "text": "1-13 behind schedule because funding has not arrived", **en},
         {"as": 2006, "text": "Tailings pond inspection is 70 percent done", **en}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert "Recorded" in said[0] and "done · 100%" in said[0]
    assert "Recorded" in said[1] and "1-16" in said[1] and "50%" in said[1]
    assert "Corrected" in said[2] and "60%" in said[2]
    assert "behind schedule" in said[3]
    assert "Recorded" in said[4] and "1-17" in said[4] and "70%" in said[4]  # tailings: 尾矿库, only 1-17 has it
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(100, "已完成"), (60, "正在推进"), (None, "滞后"), (70, "正在推进")]


async def test_a_bare_figure_after_the_task_number_is_a_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-13 65％"}, {"as": 2001, "text": "1-13 七十%"},
         {"as": 2001, "text": "1-13 完成约2/3"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert all("已记录" in s and "1-13" in s for s in said)
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [(65, "正在推进"), (70, "正在推进"), (67, "正在推进")]


async def test_a_difficulty_on_a_numbered_task_is_the_units_word_on_it(settings: Settings) -> None:
    out = await converse(
        settings, [START, LI, {"as": 2001, "text": "1-16 困难：处置中心选址未落地，请市政府协调"}], plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已记录" in said[0] and "1-16" in said[0] and "已登记存在的问题，进度不变" in said[0]
    (report,) = await rows(settings, Report)
    assert report.percent is None and report.status_word is None


async def test_a_bare_figure_replying_to_the_record_updates_that_task(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查完成70%"}, {"as": 2001, "text": "80%", "reply_to": "last"},
         {"as": 2001, "text": "80%"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已记录" in said[1] and "1-17" in said[1] and "80%" in said[1]
    assert "好的" not in said[2] and "写明任务" in said[2]  # no task to put it on: not acknowledged as if taken
    assert [r.percent for r in await rows(settings, Report)] == [70, 80]


async def test_a_rate_clause_stays_with_the_task_its_sentence_is_about(settings: Settings) -> None:
    await converse(
        settings,
        [START, {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}},
         {"as": 2005, "text": "河道非法采砂专项整治行动已开展三轮，查处案件5起，整改完成率90%"}],
        plans=[PLAN],
    )
    # "整改完成率" alone reads like 1-4 (整改任务完成率仅64%); it is 1-18's rate
    assert await task_id(settings, "1-4") not in [r.task_id for r in await rows(settings, Report)]


async def test_one_word_only_one_task_has_is_enough_with_progress(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}},
         {"as": 2005, "text": "尾矿库已全部完成闭库治理"}, {"as": 2005, "text": "尾矿库的事领导很关心"}],
        plans=[PLAN],
    )
    said = texts(out, 2005)
    assert "已记录" in said[0] and "1-17" in said[0] and not any("撤销" != b for b in out[0]["buttons"])
    assert "已记录" not in said[1]  # the word alone, no progress: not a report
    (report,) = await rows(settings, Report)
    assert report.task_id == await task_id(settings, "1-17") and report.status_word == "已完成"


async def test_how_far_said_in_words_is_recorded_as_meant(settings: Settings) -> None:
    await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-16完成率百分之八十五点五"}, {"as": 2001, "text": "1-16 已经完成了大部分"},
         {"as": 2001, "text": "1-16 差一点就完成了"}, {"as": 2001, "text": "1-13 尚未通过验收"},
         {"as": 2001, "text": "1-13 通过省级验收"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [
        (86, "正在推进"), (None, "基本完成"), (None, "基本完成"), (None, "正在推进"), (100, "已完成"),
    ]


async def test_the_task_meant_said_as_a_correction_under_the_question(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}},
         {"as": 2002, "text": "河道采砂整治已完成待验收"}, {"as": 2002, "text": "刚才说错了，是1-15不是1-18"}],
        plans=[PLAN],
    )
    said = texts(out, 2002)
    assert "哪项任务" in said[0] and "已记录" in said[1] and "1-15" in said[1]
    (report,) = await rows(settings, Report)
    assert report.task_id == await task_id(settings, "1-15") and report.source == "choice"


async def test_an_english_caption_and_next_step_find_their_task(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "pond.png", (90, 90, 200))
    en = {"lang": "en"}
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "photo": name, "caption": "tailings pond site photo", **en},
         {"as": 2006, "text": "1-12 next step: dredge the black and odorous water bodies", **en}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert len(said) == 2
    assert "1-17" in said[0] and "sent with it are filed" in said[0]
    assert "1-12" in said[1] and "next step noted" in said[1]
    (evidence,) = await rows(settings, Evidence)
    assert evidence.task_id == await task_id(settings, "1-17")


async def test_a_plain_report_with_its_next_step_is_still_recorded_at_once(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, {"bind": {"user": 2003, "unit": "市应急管理局", "name": "刘洋"}},
         {"as": 2003, "text": "尾矿库环境风险排查完成百分之六十 下一步开展隐患整治"}],
        plans=[PLAN],
    )
    assert "已记录" in texts(out, 2003)[0]
    (report,) = await rows(settings, Report)
    assert report.task_id == await task_id(settings, "1-17") and report.percent == 60


async def test_a_percent_sign_left_off_is_not_read_as_done(settings: Settings) -> None:
    await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-16已完成80% 1-17已完成 1-13完成60"}, {"as": 2001, "text": "1-16 完成 85"},
         {"as": 2001, "text": "1-13 完成60家企业排查"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert [(r.percent, r.status_word) for r in reports] == [
        (80, "正在推进"), (100, "已完成"), (60, "正在推进"), (85, "正在推进"), (None, "正在推进"),
    ]


async def test_an_album_with_a_report_caption_is_counted_once_after_its_last_photo(settings: Settings) -> None:
    names = [image(settings.data_dir.parent, f"p{k}.png", (k * 60, 20, 20)) for k in range(1, 3)]
    out = await converse(settings, [START, LI, {"as": 2001, "album": names, "caption": "尾矿库排查已完成"}], plans=[PLAN])
    said = texts(out, 2001)
    assert len(said) == 1 and "已记录" in said[0] and "刚才发送" not in said[0]  # no "刚才发送的…" for files that came with the words
    assert "2 份" in said[0] and "1-17" in said[0]
    assert all(e.report_id is not None for e in await rows(settings, Evidence))


async def test_a_correction_naming_another_task_moves_or_says_how(settings: Settings) -> None:
    en = {"lang": "en"}
    out = await converse(
        settings,
        [START, JACK, {"as": 2006, "text": "1-16 completed", **en}, {"as": 2006, "text": "sorry, I meant 1-13 is 90%", **en},
         LI, {"as": 2001, "text": "1-12完成60%"}, {"as": 2001, "text": "更正：1-13应为75%"},
         {"as": 2001, "text": "刚才那条应该是1-13"}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert "Corrected" in said[1] and "1-13" in said[1] and "90%" in said[1]
    li = texts(out, 2001)
    assert "没有您对 1-13 的报送" in li[1] and "刚才那条应该是1-13" in li[1]
    assert "已改到" in li[2] and "1-13" in li[2]
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent) for r in reports] == [
        (await task_id(settings, "1-13"), 90), (await task_id(settings, "1-13"), 60),
    ]


async def test_a_request_for_coordination_reaches_the_office_at_once(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, {"as": 1, "text": "/start"},
        {"as": 2001, "text": "1-17 永城两座尾矿库资金缺口较大，请求市财政局协调支持"},
        {"as": 2001, "text": "1-17 排查完成80%，存在的困难是山区道路不通"},  # a difficulty only: no alert
    ], plans=[PLAN])
    member, admin = texts(out, 2001), texts(out, 1)
    assert "已登记存在的问题" in member[0] and member[0].endswith("协调请求已转告整改办。")
    alerts = [t for t in admin if t.startswith("【协调请求】")]
    assert len(alerts) == 1 and "市生态环境局（李明）" in alerts[0] and "请求市财政局协调支持" in alerts[0]
    assert "转告" not in member[1]
