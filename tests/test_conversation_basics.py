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
