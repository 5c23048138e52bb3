"""Leaders ask, the bot answers: each command for an admin, a leader and a member, through simulate.

On 2019-01-10 the Shangqiu plan has two overdue tasks (1-10 and 2-3, both due 2018-12-31);
1-17 (due 2019-01-31) is not yet late. 倪玉民 leads 24 tasks; 李明 is in 市生态环境局.
"""

from __future__ import annotations

import re
from typing import Any

from bot.config import Settings
from tests.scenario import converse, texts
from tests.test_queries_seed import PLAN, seed_plan

LEADER = {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}}
MEMBER = {"bind": {"user": 2001, "unit": "市生态环境局", "name": "李明"}}
MEMBER_WATER = {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}
START = {"clock": "2019-01-10T09:00"}


_REF_LINE = re.compile(r"^(?:[🔴🟠🟡🟢✅•] )?(\d{1,2}-\d{1,3}) ", re.M)


def refs(text: str) -> list[str]:
    """Task refs heading a line, in order: how lists, cards and answers name tasks."""
    return _REF_LINE.findall(text)


def items(output: list[dict[str, Any]], chat: int) -> list[dict[str, Any]]:
    return [o for o in output if o.get("chat") == chat and "text" in o]


async def test_status_overdue_and_task_card_for_the_admin(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, {"as": 1, "text": "/status"}, {"as": 1, "text": "/overdue"}, {"as": 1, "text": "/task 1-10"}],
        plans=[PLAN],
    )
    status, overdue, card = texts(out, 1)
    assert "共 35 项任务" in status
    assert "🔴 逾期 2 项" in status and "🟠 临期 0 项" in status and "✅ 已销号 0 项" in status
    assert refs(status) == ["1-10", "2-3"]  # the late ones listed, worst first
    assert "另有 33 项任务本旬尚未报告进展" in status  # the unreported counted, not listed
    assert refs(overdue) == ["1-10", "2-3"] and "1-17" not in overdue
    assert "逾期任务 2 项" in overdue and "逾期 10 天" in overdue
    assert "未完成单位：市生态环境局、市水利局" in overdue and "责任领导：张家明、倪玉民" in overdue
    # the card: goal, deadline and milestones, parties, measures with latest progress, units, evidence
    assert card.startswith("🔴 1-10 ")
    assert "整改目标：按时完成水源地整治任务" in card
    assert "2018年12月31日 完成我市境内市级地表饮用水水源地整治任务（已逾期）" in card
    assert "牵头单位：市生态环境局、市水利局" in card
    assert "↳ 最新：市级水源地保护区界碑已全部设立" in card
    assert "🔴 市生态环境局：逾期 10 天" in card and "完成 80%" in card and "佐证 2 份" in card
    assert "佐证材料共 2 份" in card and "/history 1-10" in card
    assert all(len(t) <= 4096 for t in texts(out))
    card_item = items(out, 1)[2]
    assert card_item["buttons"] == ["催办"]


async def test_leader_sees_what_they_lead_and_any_unit(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            LEADER,
            {"as": 1002, "text": "/mine"},
            {"as": 1002, "text": "/unit 水利局"},
            {"as": 1002, "text": "/task 扬尘管控"},
            {"as": 1002, "press": "2-8"},
        ],
        plans=[PLAN],
    )
    mine, unit, choice, card = texts(out, 1002)
    assert "倪玉民，与您相关的任务共 24 项（逾期 2 项，临期 0 项）" in mine
    assert refs(mine)[:2] == ["1-10", "2-3"] and "1-9" not in refs(mine)  # 1-9 is 张家明's
    assert "市水利局：共 9 项任务，未完成 9 项，其中逾期 1 项" in unit
    assert refs(unit)[0] == "1-10" and "最后报告 2018年12月25日" in unit
    assert "找到 2 项相关任务" in choice and refs(choice) == ["2-9", "2-8"]
    assert refs(card)[0] == "2-8" and "牵头单位：市城管局" in card and "责任领导：张家明" in card


async def test_member_sees_only_their_units_tasks(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            MEMBER,
            {"as": 2001, "text": "/mine"},
            {"as": 2001, "text": "/overdue"},
            {"as": 2001, "text": "/task 2-3"},
            {"as": 2001, "text": "/task 1-10"},
            {"as": 2001, "text": "/export"},
            {"as": 2001, "text": "/chase 1-10"},
            {"as": 2001, "text": "/status"},
        ],
        plans=[PLAN],
    )
    mine, overdue, other, own, export, chase, status = texts(out, 2001)
    assert "李明，与您相关的任务共 18 项（逾期 1 项" in mine
    assert refs(mine)[0] == "1-10" and "完成 80%" in mine and "最后报告 1月8日" in mine
    assert refs(overdue) == ["1-10"]  # 2-3 does not name 市生态环境局
    assert "2-3 不是贵单位承担的任务" in other  # told it is not theirs, and nothing else
    assert refs(own) == ["1-10"]
    assert "导出台账仅限整改办和责任领导" in export
    assert "催办仅限整改办和该任务的责任领导" in chase
    assert "共 18 项任务" in status
    assert not any(o.get("document") for o in out)
    assert items(out, 2001)[3]["buttons"] == []  # no 催办 button for a member


async def test_pages_turn_with_buttons_and_forged_data_changes_nothing(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            LEADER,
            {"as": 1002, "text": "/mine"},
            {"as": 1002, "press": "下一页"},
            {"as": 1002, "press": "下一页"},
            {"as": 1002, "press": "上一页"},
            {"as": 1002, "callback": "q:u:999999:0", "on": 2},
            {"as": 1002, "callback": "q:zz:1:0", "on": 2},
            {"as": 1002, "callback": "q:t:-:0", "on": 2},
        ],
        plans=[PLAN],
    )
    msgs = items(out, 1002)
    first, second, third, back = msgs[0], msgs[1], msgs[2], msgs[3]
    assert "第 1/3 页" in first["text"] and first["buttons"] == ["下一页 ›"]
    assert second["edited"] and "第 2/3 页" in second["text"] and second["buttons"] == ["‹ 上一页", "下一页 ›"]
    assert third["edited"] and "第 3/3 页" in third["text"] and third["buttons"] == ["‹ 上一页"]
    assert "第 2/3 页" in back["text"]
    seen = set(refs(first["text"])) | set(refs(second["text"])) | set(refs(third["text"]))
    assert len(seen) == 24  # every task on exactly one page
    answers = [o for o in out if "callback_answer" in o]
    assert answers[-2]["alert"] and "已失效" in answers[-2]["callback_answer"]
    assert answers[-1]["alert"]
    unknown_unit = [m for m in msgs if "没有找到该单位" in m["text"]]
    assert len(unknown_unit) == 1


async def test_unbound_and_english(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, LEADER, {"as": 3001, "text": "/status"}, {"as": 1002, "text": "/overdue", "lang": "en"},
         {"as": 1002, "text": "/language en"}, {"as": 1002, "text": "/overdue"}, {"as": 1002, "text": "/unit 不存在的单位"}],
        plans=[PLAN],
    )
    assert "尚未绑定" in texts(out, 3001)[0]
    english = texts(out, 1002)
    assert "2 overdue tasks" in english[-2] and "10 days overdue" in english[-2]
    assert "No unit" in english[-1]


async def test_groups_see_what_their_registration_allows(settings: Settings) -> None:
    """A group registered to 市生态环境局 sees that unit's tasks, even when an admin asks;
    an unregistered group gets counts only."""
    from storage.db import create_engine, session_factory, transaction
    from storage.models import GroupChat, Unit
    from tests.test_queries_seed import at

    await seed_plan(settings)
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            from sqlalchemy import select

            unit = (await session.execute(select(Unit).where(Unit.name == "市生态环境局"))).scalar_one()
            session.add(GroupChat(chat_id=-100500, title="生态环境局工作群", unit_id=unit.id, is_office=False,
                                  registered_at=at("2019-01-02T09:00")))
    finally:
        await engine.dispose()
    out = await converse(
        settings,
        [
            START,
            MEMBER,
            {"as": 1, "text": "/overdue", "chat": -100500},
            {"as": 1, "text": "/task 2-3", "chat": -100500},
            {"as": 1, "text": "/status", "chat": -100777},
            {"as": 1, "text": "/overdue", "chat": -100777},
        ],
        plans=[PLAN],
    )
    registered = texts(out, -100500)
    assert refs(registered[0]) == ["1-10"]
    assert "请私聊我查询" in registered[1]  # the group shows its unit's tasks; an admin asks privately
    unregistered = texts(out, -100777)
    assert "共 35 项任务" in unregistered[0] and "只显示总数" in unregistered[0] and not refs(unregistered[0])
    assert not refs(unregistered[1])


async def test_every_card_and_list_page_fits_in_one_telegram_message(settings: Settings) -> None:
    """Cards page themselves: even a task with a 6,000-character goal and twenty units."""
    from datetime import datetime

    from sqlalchemy import select

    from bot.cards import Viewer, ViewRef, render
    from storage.db import create_engine, session_factory, transaction
    from storage.models import Task, TaskUnit, Unit
    from tests.test_queries_seed import TZ

    await seed_plan(settings)
    engine = create_engine(settings.database_url)
    viewer = Viewer(person=None, roles=frozenset({"admin"}), lang="zh_CN", now=datetime(2019, 1, 10, 9, 0, tzinfo=TZ))
    try:
        async with transaction(session_factory(engine)) as session:
            big = (await session.execute(select(Task).where(Task.ref == "2-1"))).scalar_one()
            big.goal = "<大气>&" * 1000
            for n in range(80):  # a task shared by every township of a province
                unit = Unit(name=f"第{n + 1}乡镇人民政府")
                session.add(unit)
                await session.flush()
                session.add(TaskUnit(task_id=big.id, unit_id=unit.id, signoff_state="none"))
            await session.flush()
            paged = 0
            townships: set[str] = set()
            for task in (await session.execute(select(Task))).scalars().all():
                page, seen = 0, 0
                while True:
                    shown = await render(session, viewer, ViewRef("t", task.id, page))
                    assert len(shown.text) <= 4096
                    assert "<大气>" not in shown.text  # escaped
                    assert shown.text.count("<b>") == shown.text.count("</b>")
                    if task.id == big.id:
                        townships.update(re.findall(r"第(\d+)乡镇人民政府", shown.text))
                    seen += 1
                    nxt = [b for row in shown.buttons for b in row if b[0].startswith("下一页")]
                    if not nxt:
                        break
                    page = int(str(nxt[0][1]).rsplit(":", 1)[1])
                paged += seen > 1
                if task.id == big.id:
                    assert seen > 1  # every one of its 80 townships is on some page, none cut off
            assert paged >= 1
            assert len(townships) == 80
            for kind in ("s", "o", "d", "n", "m"):
                shown = await render(session, viewer, ViewRef(kind))
                assert len(shown.text) <= 4096
    finally:
        await engine.dispose()
