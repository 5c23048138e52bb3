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
