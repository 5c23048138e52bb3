"""The daily push on the Shangqiu plan: the right days, once a day, with working buttons."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent
from storage.reminders import ReminderAck, ReminderPrompt
from tests.conftest import REPO, SEEDS
from tests.scenario import converse

PLAN = REPO / "examples" / "shangqiu-plan.txt"
if not PLAN.is_file():
    PLAN = SEEDS / "shangqiu-2019-plan-35-tasks.txt"
MEMBER, OTHER, LEADER, ADMIN = 2002, 2003, 3001, 1

SETUP: list[dict[str, Any]] = [
    {"clock": "2019-01-24T08:00"},
    {"bind": {"user": MEMBER, "unit": "市应急管理局", "name": "王强"}},
    {"bind": {"user": LEADER, "person": "张家明"}},
    {"as": MEMBER, "text": "/start"},
    {"as": LEADER, "text": "/start"},
    {"as": ADMIN, "text": "/start"},
]


def pushes(output: list[dict[str, Any]], chat: int, head: str = "【整改提醒】") -> list[dict[str, Any]]:
    return [o for o in output if o.get("chat") == chat and head in (o.get("text") or "") and not o.get("edited")]


def day(item: dict[str, Any]) -> str:
    return str(item["at"])[:10]


async def test_task_1_17_is_pushed_on_the_rule_days_and_escalated_from_02_11(settings: Settings) -> None:
    out = await converse(settings, [*SETUP, {"clock": "2019-02-12T12:00"}], plans=[PLAN])
    mine = pushes(out, MEMBER)
    days = [day(p) for p in mine]
    assert Counter(days).most_common(1)[0][1] == 1, "never two pushes a day"
    with_117 = [day(p) for p in mine if "1-17" in p["text"]]
    # d7, d3, d1, d0; overdue on 02-01 and the make-up weekend 02-02/02-03; the holiday is quiet.
    assert with_117 == [
        "2019-01-24", "2019-01-28", "2019-01-30", "2019-01-31",
        "2019-02-01", "2019-02-02", "2019-02-03", "2019-02-11", "2019-02-12",
    ]
    assert not any(d.startswith("2019-02-0") and d[8:] in ("4", "5", "6", "7", "8", "9") for d in days)
    assert "2019-02-05" not in days and "2019-01-25" not in days
    by_day = {day(p): p["text"] for p in mine}
    assert "还有7天到期" in by_day["2019-01-24"]
    assert "还有3天到期" in by_day["2019-01-28"]
    assert "今日（2019年1月31日）到期" in by_day["2019-01-31"]
    assert "已逾期1天" in by_day["2019-02-01"] and "已逾期2天" in by_day["2019-02-02"]
    # The 旬 rule: ongoing tasks of the unit with no report, on the 旬's last working day and the next.
    assert "2019年1月下旬尚未报送进展" in by_day["2019-01-31"] and "1-13" in by_day["2019-01-31"]
    assert "2019年1月下旬尚未报送进展" in by_day["2019-02-01"]
    assert "尚未报送" not in by_day["2019-02-02"]
    assert all(p["at"].endswith("T09:00:00+08:00") for p in mine)
    assert mine[0]["buttons"] == ["报告进展 1-17", "申请延期 1-17", "已阅"]

    escalated = [day(p) for p in pushes(out, LEADER, "【逾期督办】") if "1-17" in p["text"]]
    assert escalated == ["2019-02-11", "2019-02-12"]
    assert [day(p) for p in pushes(out, ADMIN, "【逾期督办】") if "1-17" in p["text"]] == ["2019-02-11", "2019-02-12"]
    assert Counter(day(p) for p in pushes(out, LEADER, "【逾期督办】")).most_common(1)[0][1] == 1
    leader_text = next(p["text"] for p in pushes(out, LEADER, "【逾期督办】") if day(p) == "2019-02-11")
    assert "市应急管理局" in leader_text and "第4个工作日" in leader_text
    # A leader and an admin are not pushed like unit members.
    assert pushes(out, LEADER) == [] and pushes(out, ADMIN) == []


async def test_a_push_lists_its_tasks_in_the_plans_order(settings: Settings) -> None:
    events = [{"clock": "2019-01-30T08:00"}, {"bind": {"user": 2001, "unit": "市生态环境局", "name": "李明"}},
              {"as": 2001, "text": "/start"}, {"clock": "2019-01-31T09:30"}]
    out = await converse(settings, events, plans=[PLAN])
    text = pushes(out, 2001)[-1]["text"]
    xun = text[text.index("尚未报送进展"):]
    refs = re.findall(r"• (\d+-\d+) ", xun)
    assert refs == sorted(refs, key=lambda r: tuple(int(n) for n in r.split("-"))), refs
    assert "2-2" in refs and "2-10" in refs


async def test_a_unit_that_reported_its_share_done_is_no_longer_reminded_or_escalated(settings: Settings) -> None:
    events = [*SETUP, {"clock": "2019-01-25T10:00"}, {"as": MEMBER, "text": "1-17尾矿库排查任务已全部完成"},
              {"clock": "2019-02-12T12:00"}]
    out = await converse(settings, events, plans=[PLAN])
    assert not any("1-17" in p["text"] for p in pushes(out, MEMBER) if day(p) > "2019-01-25")
    leader_text = next(p["text"] for p in pushes(out, LEADER, "【逾期督办】") if day(p) == "2019-02-11")
    assert "1-17" in leader_text and "市应急管理局" not in leader_text  # the other units are still behind


async def test_a_restart_across_nine_sends_the_days_push_once(settings: Settings) -> None:
    first = await converse(settings, [*SETUP, {"clock": "2019-01-24T08:59"}], plans=[PLAN], name="first")
    second = await converse(settings, [{"clock": "2019-01-24T09:05"}, {"clock": "2019-01-24T10:00"}],
                            plans=[PLAN], name="second")
    third = await converse(settings, [{"clock": "2019-01-24T10:30"}, {"clock": "2019-01-24T18:00"}],
                           plans=[PLAN], name="third")
    assert pushes(first, MEMBER) == []
    assert [day(p) for p in pushes(second, MEMBER)] == ["2019-01-24"]
    assert pushes(third, MEMBER) == []


async def test_read_button_signs_once_and_foreign_or_forged_buttons_change_nothing(settings: Settings) -> None:
    events = [
        *SETUP,
        {"bind": {"user": OTHER, "unit": "市应急管理局", "name": "李华"}},
        {"as": OTHER, "text": "/start"},
        {"clock": "2019-01-24T09:30"},
        {"as": MEMBER, "press": "已阅"},
        {"as": MEMBER, "press": "已阅"},
        {"as": MEMBER, "callback": "r:a:20190125", "on": 1},
        {"as": MEMBER, "callback": "r:p:20190124:999999", "on": 1},
        {"as": MEMBER, "callback": "r:zz:1", "on": 1},
        {"as": OTHER, "callback": "r:p:20190124:1", "on": 1},
    ]
    out = await converse(settings, events, plans=[PLAN])
    answers = [o for o in out if "callback_answer" in o]
    assert answers[0]["callback_answer"] == "已签收，谢谢！" and not answers[0]["alert"]
    assert "已签收" in answers[1]["callback_answer"] and answers[1]["alert"]
    assert all(a["alert"] for a in answers[2:])
    assert "不是发给您的" in answers[2]["callback_answer"]
    assert "不是发给您的" in answers[3]["callback_answer"]
    assert "失效" in answers[4]["callback_answer"]
    assert len(answers) == 6
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            acks = list((await session.execute(select(ReminderAck))).scalars())
            audit = list((await session.execute(select(AuditEvent).where(AuditEvent.action == "reminder.ack"))).scalars())
    finally:
        await engine.dispose()
    assert len(acks) == 1 and len(audit) == 1


async def test_report_button_names_the_task_for_the_reporting_flow(settings: Settings) -> None:
    events = [*SETUP, {"clock": "2019-01-24T09:30"}, {"as": MEMBER, "press": "报告进展"}]
    out = await converse(settings, events, plans=[PLAN])
    prompt = [o["text"] for o in out if o.get("chat") == MEMBER and "请直接回复本消息" in (o.get("text") or "")]
    assert len(prompt) == 1 and "【1-17】" in prompt[0]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            rows = list((await session.execute(select(ReminderPrompt))).scalars())
    finally:
        await engine.dispose()
    assert [(r.telegram_id, r.kind) for r in rows] == [(MEMBER, "report")]


async def test_a_report_typed_after_the_report_button_goes_to_the_buttons_task(settings: Settings) -> None:
    from storage.models import Report

    events = [*SETUP, {"clock": "2019-01-24T09:30"}, {"as": MEMBER, "press": "报告进展"},
              {"as": MEMBER, "text": "今天又核查了2座，累计11座，完成85%"}]
    out = await converse(settings, events, plans=[PLAN])
    said = [o["text"] for o in out if o.get("chat") == MEMBER and "text" in o]
    assert "已记录" in said[-1] and "1-17" in said[-1] and "85%" in said[-1] and "哪项任务" not in said[-1]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            reports = list((await session.execute(select(Report))).scalars())
            prompts = list((await session.execute(select(ReminderPrompt))).scalars())
    finally:
        await engine.dispose()
    assert [(r.percent, r.source) for r in reports] == [(85, "prompt")] and prompts == []


async def test_nothing_new_after_the_report_button_is_the_units_report(settings: Settings) -> None:
    events = [*SETUP, {"clock": "2019-01-24T09:30"}, {"as": MEMBER, "press": "报告进展"},
              {"as": MEMBER, "text": "本旬暂无新进展，继续做好日常巡查"}]
    out = await converse(settings, events, plans=[PLAN])
    said = [o["text"] for o in out if o.get("chat") == MEMBER and "text" in o]
    assert "已记录" in said[-1] and "1-17" in said[-1]


def test_a_reminder_moved_before_a_holiday_says_the_real_days_left() -> None:
    """The 3-day reminder of a Tuesday deadline goes out on Friday: 4 days, not "3日内"."""
    from datetime import date

    from bot.i18n import Translator
    from bot.reminders import Item, render_body

    items = [
        Item(1, "1-17", "防范各类尾矿库环境风险", "d0", date(2019, 2, 11), 1),  # due after the holiday
        Item(2, "1-16", "推进固体废物处理处置", "d3", date(2019, 3, 12), 4),
    ]
    body, _ = render_body(Translator("zh_CN"), day=date(2019, 3, 8), items=items, xun=None)
    assert "明日到期" in body and "今日到期" not in body
    assert "4日后到期" in body and "3日内" not in body


async def test_a_county_hears_about_the_tasks_naming_every_county_until_it_has_its_own_share(settings: Settings) -> None:
    """1-10, 2-3 (late) and 1-11 (due 02-28) name 各县(市、区)人民政府: 永城市 has to act on them too."""
    county = 2004
    out = await converse(settings, [
        {"clock": "2019-02-21T08:00"},
        {"bind": {"user": county, "unit": "永城市人民政府", "name": "孙磊"}},
        {"as": county, "text": "/start"},
        {"clock": "2019-02-21T10:00"},
        {"as": county, "text": "1-11已完成"},
        {"clock": "2019-02-25T10:00"},
    ], plans=[PLAN])
    sent = pushes(out, county)
    first, later = sent[0], sent[-1]
    assert [day(p) for p in sent] == ["2019-02-21", "2019-02-22", "2019-02-25"]
    assert {"1-10", "2-3", "1-11", "1-17"} <= set(re.findall(r"\d-\d+", first["text"]))
    assert first["text"].index("1-10") < first["text"].index("1-11")  # late first, whoever's share it is
    assert "1-11" not in later["text"] and "1-10" in later["text"]  # its own share, reported done, decides


async def test_an_english_push_names_the_ten_days_in_english(settings: Settings) -> None:
    events = [
        {"clock": "2019-01-30T08:00"},
        {"bind": {"user": MEMBER, "unit": "市应急管理局", "name": "王强"}},
        {"as": MEMBER, "text": "/start", "lang": "en"},
        {"clock": "2019-01-31T10:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    push = pushes(out, MEMBER, "Rectification reminder")[-1]["text"]
    assert "No progress report yet for the last ten days of 1/2019" in push and "旬" not in push
