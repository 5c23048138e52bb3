"""Quiet when it should be: mutes, personal push times, the admins' pause, and the dry run."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from bot.cli import main
from bot.config import Settings
from tests.scenario import converse, texts
from tests.test_reminders import ADMIN, MEMBER, PLAN, SETUP, day, pushes


def texts_to(out: list[dict[str, Any]], chat: int) -> list[str]:
    return [o["text"] for o in out if o.get("chat") == chat and "text" in o]


async def test_mute_leaves_the_task_out_for_n_days(settings: Settings) -> None:
    events = [
        *SETUP,
        {"as": MEMBER, "text": "/mute 1-17 5"},
        {"as": MEMBER, "text": "/mute 1-17 0"},
        {"as": MEMBER, "text": "/mute 9-99 3"},
        {"as": MEMBER, "text": "/mute"},
        {"clock": "2019-01-31T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    replies = texts_to(out, MEMBER)
    assert any("任务【1-17】的提醒暂停5天（至1月28日）" in t for t in replies)
    assert any("天数须在1到90之间" in t for t in replies)
    assert any("没有找到您可查看的任务【9-99】" in t for t in replies)
    assert any("用法：" in t and "/mute" in t for t in replies)
    with_117 = [day(p) for p in pushes(out, MEMBER) if "1-17" in p["text"]]
    assert with_117 == ["2019-01-30", "2019-01-31"]  # 01-24 and 01-28 were muted


async def test_personal_time_is_kept_and_quiet_hours_are_refused(settings: Settings) -> None:
    events = [
        *SETUP,
        {"as": MEMBER, "text": "/remindtime 22:30"},
        {"as": MEMBER, "text": "/remindtime 25:00"},
        {"as": MEMBER, "text": "/remindtime 10:30"},
        {"clock": "2019-01-28T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    replies = texts_to(out, MEMBER)
    assert any("21:00至次日08:00为免打扰时段" in t for t in replies)
    assert any("用法：" in t and "/remindtime" in t for t in replies)
    assert any("今后每个工作日10:30给您发送提醒" in t for t in replies)
    mine = pushes(out, MEMBER)
    assert [p["at"] for p in mine] == ["2019-01-24T10:30:00+08:00", "2019-01-28T10:30:00+08:00"]


async def test_admin_pause_silences_pushes_and_members_may_not_pause(settings: Settings) -> None:
    events = [
        *SETUP,
        {"as": MEMBER, "text": "/pause 2019-01-28 2019-01-30"},
        {"as": ADMIN, "text": "/pause 2019-01-30 2019-01-28"},
        {"as": ADMIN, "text": "/pause 2019-01-28 2019-01-30"},
        {"clock": "2019-01-31T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    assert any("只有整改办管理员可以暂停提醒" in t for t in texts_to(out, MEMBER))
    admin = texts_to(out, ADMIN)
    assert any("结束日期不能早于开始日期" in t for t in admin)
    assert any("已暂停2019-01-28至2019-01-30期间的全部提醒推送" in t for t in admin)
    assert [day(p) for p in pushes(out, MEMBER)] == ["2019-01-24", "2019-01-31"]


async def test_a_pause_for_a_festival_listed_lifted_and_none_in_the_past(settings: Settings) -> None:
    events = [
        *SETUP,  # 2019-01-24
        {"as": ADMIN, "text": "/pause"},
        {"as": ADMIN, "text": "/pause 2019-01-01 2019-01-05"},
        {"as": ADMIN, "text": "/pause 春节"},  # the 2019 Spring Festival holiday: 02-04 to 02-10
        {"as": ADMIN, "text": "/pause 2019-01-28 2019-01-29"},
        {"as": ADMIN, "text": "/pause"},
        {"as": ADMIN, "text": "/pause 取消 #99"},
        {"as": ADMIN, "text": "/pause 取消 #2"},
        {"clock": "2019-01-29T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    admin = [t for t in texts_to(out, ADMIN) if "【" not in t]
    assert "目前没有暂停推送的安排" in admin[-7]
    assert "已经过去，未作暂停" in admin[-6]
    assert "已暂停2019-02-04至2019-02-10期间的全部提醒推送" in admin[-5]
    assert "#1 2019-02-04 — 2019-02-10" in admin[-3] and "#2 2019-01-28 — 2019-01-29" in admin[-3]
    assert "已安排的暂停推送" in admin[-2]  # no pause #99: the list again
    assert "已取消2019-01-28至2019-01-29的暂停" in admin[-1]
    assert [day(p) for p in pushes(out, MEMBER)] == ["2019-01-24", "2019-01-28"]  # 01-28 pushed: lifted


async def test_dry_run_lists_who_would_get_what(
    settings: Settings, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await converse(settings, SETUP, plans=[PLAN])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(settings.data_dir.parent)
    root = logging.getLogger()
    # main() installs its own stderr handler; keep it from outliving this test.
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["remind", "--dry-run", "--at", "2019-02-11T09:00", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["date"] == "2019-02-11" and result["working_day"] and not result["paused"]
    by_kind = {(p["kind"], p["chat_id"]): p for p in result["pushes"]}
    member = by_kind[("daily_push", MEMBER)]
    assert member["person"] == "王强" and member["unit"] == "市应急管理局"
    assert {"ref": "1-17", "group": "overdue", "due": "2019-01-31", "days": 11} in member["tasks"]
    assert "1-17" in [t["ref"] for t in by_kind[("escalation", ADMIN)]["tasks"]]
    assert await asyncio.to_thread(main, ["remind", "--dry-run", "--at", "2019-02-05T09:00", "--json"]) == 0
    holiday = json.loads(capsys.readouterr().out)
    assert holiday["working_day"] is False and holiday["pushes"] == []
    assert await asyncio.to_thread(main, ["remind", "--dry-run", "--at", "soon"]) == 2


async def test_mute_and_reminder_time_said_in_words(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-24T08:30"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "/start"},
        {"as": 2002, "text": "1-17这几天别提醒我了"},
        {"as": 2002, "text": "/remindtime 8点半"},
        {"as": 2002, "text": "1-17已完成，不用再催了"},  # a report first
    ], plans=[PLAN])
    member = texts(out, 2002)[1:]
    assert member[0] == "好的，任务【1-17】的提醒暂停3天（至1月26日）。"
    assert "08:30" in member[1]
    assert member[2].startswith("已记录")
