"""First contact: greeting, help, language switch and stray input, through the real bot."""

from __future__ import annotations

import re

from bot.clock import VirtualClock
from bot.config import Settings
from bot.localapi import LocalBotAPI
from tests.scenario import converse, texts

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return len(CJK.findall(text)) > 10


async def test_first_contact_in_chinese_then_english(settings: Settings) -> None:
    out = await converse(
        settings,
        [
            {"clock": "2019-01-10T09:00"},
            {"as": 1002, "text": "/start"},
            {"as": 1002, "text": "/help"},
            {"as": 1002, "text": "你好"},
            {"as": 1002, "text": "/language en"},
            {"as": 1002, "text": "/help"},
            {"as": 1002, "text": "长" * 5000},
        ],
    )
    replies = texts(out, 1002)
    assert len(replies) == 6
    assert all(chinese(r) for r in replies[:3])
    assert "邀请码" in replies[0] and "整改助手" in replies[0]
    assert "邀请码" in replies[2]  # unbound users are told how to get an invitation
    assert replies[3] == "Switched to English."
    assert "invitation" in replies[4] and not chinese(replies[4])
    assert "5000" in replies[5] and not chinese(replies[5])
    for reply in replies:
        assert "Traceback" not in reply and "Error" not in reply


async def test_language_code_presets_english_and_stray_input_gets_help(settings: Settings) -> None:
    out = await converse(
        settings,
        [
            {"as": 3001, "text": "/start", "lang": "en-US"},
            {"as": 3001, "sticker": "👍"},
            {"as": 3001, "voice": True},
            {"as": 3001, "location": True},
            {"as": 3001, "text": "/frobnicate"},
            {"as": 3002, "text": "/start", "lang": "zh-cn"},
        ],
    )
    replies = texts(out)
    assert "Hello" in replies[0]
    assert "Sticker" in replies[1]
    assert "voice" in replies[2]
    assert "Location" in replies[3]
    assert "/frobnicate" in replies[4] and "/help" in replies[4]
    assert chinese(replies[5])


async def test_language_choice_survives_and_unknown_choice_changes_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [
            {"as": 1002, "text": "/language klingon"},
            {"as": 1002, "text": "/language"},
        ],
    )
    replies = texts(out)
    assert "暂不支持" in replies[0]
    assert "当前语言：中文" in replies[1]


async def test_admin_from_settings_is_greeted_as_admin(settings: Settings) -> None:
    out = await converse(settings, [{"as": 1, "text": "/start"}, {"as": 1, "text": "/help"}])
    replies = texts(out)
    assert "管理员" in replies[0]
    assert "导入方案" in replies[1]


async def test_command_menus_in_both_languages(settings: Settings) -> None:
    await converse(settings, [{"as": 1002, "text": "/start"}])
    local = LocalBotAPI(settings.localapi_dir, VirtualClock(__import__("datetime").datetime(2030, 1, 1)))
    zh = local.my_commands(language_code="zh")
    en = local.my_commands(language_code="en")
    assert [c["command"] for c in zh][:2] == ["start", "help"]
    assert [c["command"] for c in zh] == [c["command"] for c in en]
    assert "language" in [c["command"] for c in zh]
    assert en[1]["description"] == "How to use"
    assert zh[1]["description"] == "使用说明"
    assert local.my_commands() == zh  # Chinese is the default for everyone else


async def test_examples_in_help_come_from_the_readers_own_plan(settings: Settings) -> None:
    """Baoding numbers its tasks 1–8: nobody there is told to type 1-17."""
    from tests.conftest import SEEDS

    settings.data_dir.parent.mkdir(parents=True, exist_ok=True)
    plan = settings.data_dir.parent / "baoding.txt"
    plan.write_text((SEEDS / "baoding-2020-plan.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = await converse(settings, [
        {"clock": "2020-03-02T09:00"},
        {"as": 1, "text": "/units add 保定市住建局"},
        {"as": 1, "text": "/units assign 4 保定市住建局 牵头"},
        {"bind": {"user": 2001, "unit": "保定市住建局", "name": "赵敏"}},
        {"as": 2001, "text": "/help"},
        {"as": 2001, "text": "/mute"},
        {"as": 2001, "text": "/evidence"},
        {"as": 1, "text": "/help"},
        {"as": 1, "text": "/chase"},
        {"as": 1, "text": "今天天气怎么样"},
    ], plans=[plan])
    member = texts(out, 2001)
    assert "如“4已完成”" in member[0] and "“4申请延期至3月31日" in member[0]
    assert "/mute 4 3" in member[1] and "/evidence 4" in member[2]
    admin = texts(out, 1)[2:]
    assert "/chase 1" in admin[1]
    assert "• 1进展如何" in admin[2] and "• 保定市住建局还有几项没完成" in admin[2]
    assert not any("1-17" in t or "1-10" in t or "水源地" in t for t in texts(out))


async def test_help_asked_in_words_and_a_greeting_get_the_help_and_the_welcome(settings: Settings) -> None:
    from tests.test_queries_seed import PLAN

    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}},
        {"as": 2002, "text": "怎么报进展？"},
        {"as": 2002, "text": "你好"},
        {"as": 1002, "text": "你能干什么"},
        {"as": 1002, "text": "help"},
        {"as": 2002, "text": "帮助", "chat": -100321},
        {"as": 2002, "text": "你好", "chat": -100321},  # a greeting in a group is for the people there
        {"as": 2002, "text": "帮助企业开展尾矿库排查"},  # a sentence, not a request for help
    ], plans=[PLAN])
    member, leader, group = texts(out, 2002), texts(out, 1002), texts(out, -100321)
    assert "使用说明" in member[0] and "报送" in member[0]
    assert member[1].startswith("您好，王强（市应急管理局）")
    assert "使用说明" in leader[0] and "哪些任务逾期了" in leader[0]
    assert "使用说明" in leader[1]
    assert len(group) == 1 and "使用说明" in group[0]
    assert "使用说明" not in member[2]


async def test_how_to_ask_for_an_extension_or_a_sign_off_gets_that_answer(settings: Settings) -> None:
    """"怎么申请延期" asks one thing: it gets the answer to that, not the whole manual."""
    from tests.test_queries_seed import PLAN

    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "怎么申请延期？"},
        {"as": 2002, "text": "销号流程是什么"},
        {"as": 2002, "text": "材料怎么上传"},
        {"as": 2002, "text": "报错了怎么改"},
        {"as": 2002, "text": "怎么用"},
        {"as": 2002, "text": "/language en"},
        {"as": 2002, "text": "How do I ask for an extension?"},
    ], plans=[PLAN])
    extension, signoff, evidence, correct, manual, _, english = texts(out, 2002)
    assert extension.startswith("申请延期：") and "申请延期至" in extension and "使用说明" not in extension
    assert signoff.startswith("申请销号：") and "发送“销号 1-" in signoff
    assert evidence.startswith("上传材料：") and correct.startswith("报错了：")
    assert "使用说明" in manual and "申请销号" in manual
    assert english.startswith("To ask for an extension") and "/extend" in english
