"""Reminders in plain words: the office pauses pushes, a member sets a time or says 收到, an
extension is asked for with a span and decided in words — the same audited paths as the commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, Extension, Milestone, Task
from storage.reminders import PushPause, ReminderAck, ReminderTime
from tests.scenario import converse
from tests.test_reminders import ADMIN, LEADER, MEMBER, PLAN, SETUP, day, pushes


def said(out: list[dict[str, Any]], chat: int) -> list[str]:
    return [o["text"] for o in out if o.get("chat") == chat and "text" in o and not o.get("edited")]


def edited(out: list[dict[str, Any]], chat: int) -> list[str]:
    return [o["text"] for o in out if o.get("chat") == chat and o.get("edited")]


async def rows(settings: Settings, model: Any) -> list[Any]:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return list((await session.execute(select(model))).scalars())
    finally:
        await engine.dispose()


async def test_the_office_pauses_pushes_in_words_after_a_confirming_press(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": ADMIN, "text": "1月28日至29日暂停推送"},
        {"as": ADMIN, "press": "确认暂停"},
        {"as": ADMIN, "text": "1月28日到1月29日暂停提醒"},
        {"as": ADMIN, "press": "确认暂停"},
        {"as": ADMIN, "text": "春节期间暂停推送"},
        {"as": ADMIN, "press": "不用了"},
        {"as": ADMIN, "text": "暂停一下推送"},
        {"clock": "2019-01-30T12:00"},
    ], plans=[PLAN])
    admin = said(out, ADMIN)
    assert "将暂停2019-01-28至2019-01-29（共2天）的全部提醒推送和逾期督办，请确认。" in admin
    assert "已暂停2019-01-28至2019-01-29期间的全部提醒推送。" in edited(out, ADMIN)
    alerts = [o for o in out if o.get("chat") == ADMIN and o.get("alert")]
    assert len(alerts) == 1 and "已经安排，无需重复" in alerts[0]["callback_answer"]
    assert "将暂停2019-02-04至2019-02-10（共7天）的全部提醒推送和逾期督办，请确认。" in admin
    assert "好的，未作暂停，提醒照常推送。" in edited(out, ADMIN)
    assert any(t.startswith("请说明暂停推送的日期") for t in admin)
    assert [(p.start.isoformat(), p.end.isoformat()) for p in await rows(settings, PushPause)] == [("2019-01-28", "2019-01-29")]
    assert [day(p) for p in pushes(out, MEMBER)] == ["2019-01-24", "2019-01-30"]  # 01-28's 3-day notice held
    audit = await rows(settings, AuditEvent)
    assert [a.action for a in audit if a.action.startswith("reminder.")] == ["reminder.pause"]


async def test_a_member_cannot_pause_everyone_and_hears_how_to_mute_one_task(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": MEMBER, "text": "明天别提醒我"},
        {"as": MEMBER, "text": "恢复推送"},
        {"as": MEMBER, "callback": "rp:20190128:20190129:2002:forgedsignat", "on": 1},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert member[-2].startswith("全部提醒的暂停由整改办统一安排。某项任务近期不需要提醒的，请写明任务编号")
    assert member[-1] == member[-2]
    assert await rows(settings, PushPause) == []


async def test_a_push_time_said_in_words_is_kept_and_a_one_off_request_is_not(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": MEMBER, "text": "以后每天早上8点半提醒我"},
        {"as": MEMBER, "text": "改成早上七点半提醒"},
        {"as": MEMBER, "text": "明天8点提醒我开会"},
        {"clock": "2019-01-28T12:00"},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert "好的，今后每个工作日08:30给您发送提醒。" in member
    assert "21:00至次日08:00为免打扰时段，不能设为提醒时间。" in member
    assert [r.at for r in await rows(settings, ReminderTime)] == ["08:30"]
    assert [p["at"] for p in pushes(out, MEMBER)][-1] == "2019-01-28T08:30:00+08:00"


async def test_shou_dao_under_the_days_push_signs_it_once(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"as": MEMBER, "text": "收到"},  # 08:00, before the push: a plain acknowledgement
        {"clock": "2019-01-24T09:10"},
        {"as": MEMBER, "text": "收到"},
        {"as": MEMBER, "text": "已阅。"},
        {"as": MEMBER, "press": "已阅"},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert member[1] == "好的。"
    assert member[-2:] == ["已签收今天的提醒，谢谢！", "今天的提醒您已签收，无需重复操作。"]
    answers = [o for o in out if o.get("chat") == MEMBER and "callback_answer" in o]
    assert answers[-1]["alert"] and "已签收" in answers[-1]["callback_answer"]
    assert len(await rows(settings, ReminderAck)) == 1


async def test_an_extension_asked_with_a_span_and_decided_in_words(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": ADMIN, "text": "同意延期"},
        {"as": MEMBER, "text": "1-17 申请延期两个月，需要第三方评估"},
        {"as": MEMBER, "text": "1-17同意延期"},
        {"as": ADMIN, "text": "1-17同意延期"},
        {"as": ADMIN, "press": "批准"},
        {"as": ADMIN, "text": "1-17延期驳回，理由不充分"},
    ], plans=[PLAN])
    admin = said(out, ADMIN)
    assert admin[-5] == "目前没有待审批的延期申请。"
    request = next(t for t in admin if t.startswith("【延期申请】") and "确认批准请点“批准”" not in t)
    assert "理由：需要第三方评估" in request
    card = next(o for o in out if o.get("chat") == ADMIN and "确认批准请点“批准”" in (o.get("text") or ""))
    assert card["buttons"] == ["批准", "驳回"] and "申请延至：2019年3月31日" in card["text"]
    assert "只有整改办管理员可以审批延期申请。" in said(out, MEMBER)
    assert admin[-1] == "任务【1-17】目前没有待审批的延期申请。"
    ext = (await rows(settings, Extension))[0]
    assert (ext.state, ext.reason, ext.new_due.isoformat()) == ("approved", "需要第三方评估", "2019-03-31")
    tasks = {t.id: t.ref for t in await rows(settings, Task)}
    assert [m.due.isoformat() for m in await rows(settings, Milestone) if tasks[m.task_id] == "1-17"] == ["2019-03-31"]


async def test_may_we_extend_from_a_unit_starts_the_request_and_from_a_leader_shows_the_task(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": MEMBER, "text": "1-17能不能延期？"},
        {"as": MEMBER, "text": "3月底，需要第三方评估"},
        {"as": LEADER, "text": "1-17能不能延期？"},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert "请回复新的完成日期和延期理由" in member[-2]
    assert member[-1] == "已提交任务【1-17】的延期申请（延至2019年3月31日），整改办审核后会通知您。"
    assert "市应急管理局 申请延期至3月31日（待审批）" in said(out, LEADER)[-1]  # where the request stands
    assert [(e.state, e.reason) for e in await rows(settings, Extension)] == [("pending", "需要第三方评估")]


async def test_deadlines_said_as_offices_say_them_and_no_date_taken_for_a_reason(settings: Settings) -> None:
    out = await converse(settings, [
        *SETUP,
        {"clock": "2019-01-24T10:00"},
        {"as": MEMBER, "text": "1-17 申请延期到4月中旬"},
        {"as": MEMBER, "text": "冬季停工"},
        {"as": ADMIN, "text": "1-17驳回延期"},
        {"as": ADMIN, "press": "驳回"},
        {"as": ADMIN, "text": "请按原时限推进"},
        {"as": MEMBER, "press": "申请延期"},
        {"as": MEMBER, "text": "二月底吧，设备还没到"},
        {"as": ADMIN, "press": "驳回"},
        {"as": ADMIN, "text": "不同意"},
        {"as": MEMBER, "text": "1-17 延两周，第三方评估报告未出"},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert "新的完成日期：2019年4月20日。请再回复延期理由。" in member  # asked why, not filed with "4月中旬" as the reason
    assert [(e.new_due.isoformat(), e.reason, e.state) for e in await rows(settings, Extension)] == [
        ("2019-04-20", "冬季停工", "rejected"), ("2019-02-28", "设备还没到", "rejected"), ("2019-02-14", "第三方评估报告未出", "pending"),
    ]


async def test_reminders_and_extensions_in_english(settings: Settings) -> None:
    en = {"lang": "en"}
    out = await converse(settings, [
        {"clock": "2019-01-24T08:00"},
        {"bind": {"user": MEMBER, "unit": "市应急管理局", "name": "Jack"}},
        {"as": MEMBER, "text": "/start", **en},
        {"as": ADMIN, "text": "/start", **en},
        {"clock": "2019-01-24T09:30"},
        {"as": MEMBER, "text": "got it", **en},
        {"as": MEMBER, "text": "remind me at 8:30 every day", **en},
        {"as": MEMBER, "text": "no reminders for 1-17 this week please", **en},
        {"as": MEMBER, "text": "1-17 can we get an extension to March 31? third-party assessment pending", **en},
        {"as": ADMIN, "text": "pause reminders from Feb 4 to Feb 10", **en},
        {"as": ADMIN, "press": "Pause"},
        {"as": ADMIN, "text": "approve the extension for 1-17", **en},
        {"as": ADMIN, "press": "Approve"},
        {"as": MEMBER, "text": "please extend 1-17 by two weeks because the equipment has not arrived", **en},
    ], plans=[PLAN])
    member = said(out, MEMBER)
    assert member[2:6] == [
        "Today's reminder is acknowledged, thank you!",
        "OK, your reminders will come at 08:30 on working days.",
        "OK, no reminders about task [1-17] for 7 days (until 1/30).",
        "Your request to extend task [1-17] to 2019-03-31 has been sent; the office will let you know.",
    ]
    assert "All reminders are paused from 2019-02-04 to 2019-02-10." in edited(out, ADMIN)
    assert [(e.new_due.isoformat(), e.reason, e.state) for e in await rows(settings, Extension)] == [
        ("2019-03-31", "third-party assessment pending", "approved"),
        ("2019-04-14", "the equipment has not arrived", "pending"),
    ]
    assert [r.at for r in await rows(settings, ReminderTime)] == ["08:30"]
    assert len(await rows(settings, ReminderAck)) == 1 and len(await rows(settings, PushPause)) == 1
