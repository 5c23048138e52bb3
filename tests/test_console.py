"""`make run` without a token: the console, as a newcomer would use it."""

from __future__ import annotations

import io

from bot.config import Settings
from bot.console import Console


async def test_console_starts_as_admin_and_switches_identity(settings: Settings) -> None:
    out = io.StringIO()
    typed = io.StringIO("/start\n:who\n:as 2001\n/start\n:as 1002\n/language en\n:quit\n")
    assert await Console(settings, out=out).run(lines=typed) == 0
    screen = out.getvalue()
    assert "本地控制台" in screen
    assert "整改办管理员" in screen or "整改办" in screen
    assert "您好，整改办" in screen  # /start answered in Chinese, as the admin
    assert "2001" in screen and "市生态环境局 李明" in screen and "倪玉民" in screen
    assert "您好，李明（市生态环境局）" in screen
    assert "Switched to English." in screen


async def test_console_survives_bad_input(settings: Settings) -> None:
    out = io.StringIO()
    typed = io.StringIO(":photo /no/such/file.jpg\n:press 9\n:as\n/start\n")
    assert await Console(settings, out=out).run(lines=typed) == 0
    screen = out.getvalue()
    assert "无法执行" in screen
    assert "最新消息没有按钮" in screen
    assert "您好" in screen


async def test_console_lives_in_the_example_plans_days_and_keeps_its_date(settings: Settings) -> None:
    out = io.StringIO()
    typed = io.StringIO(":as 1002\n/status\n:date 2019-02-11\n:date 2019-01-01\n:date 二月\n:quit\n")
    assert await Console(settings, out=out).run(lines=typed) == 0
    screen = out.getvalue()
    assert "控制台时间：2019-01-24 09:05" in screen
    assert "整改任务总体情况（截至2019年1月24日）" in screen and "逾期 24 天" in screen
    assert "控制台时间：2019-02-11 09:05" in screen
    assert "【逾期督办】2019年2月11日" in screen  # the day's schedules run on arrival
    assert "控制台时间只能向后调整" in screen and "日期格式" in screen

    again = io.StringIO()
    assert await Console(settings, out=again).run(lines=io.StringIO(":quit\n")) == 0
    assert "控制台时间：2019-02-11 09:0" in again.getvalue()  # a restart resumes, not back to January
