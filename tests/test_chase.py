"""催办: the 催办 button and /chase remind the units behind through the outbox, once a day per task."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, Outbox
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, MEMBER_WATER, START
from tests.test_queries_seed import PLAN, seed_plan


async def test_chase_reaches_the_units_behind_once_a_day(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            LEADER,
            MEMBER,
            MEMBER_WATER,
            {"as": 2001, "text": "/start"},
            {"as": 2002, "text": "/start"},
            {"as": 1, "text": "/task 1-10"},
            {"as": 1, "press": "催办"},
            {"as": 1, "press": "催办"},
            {"as": 1002, "text": "/chase 1-10"},
            {"as": 2002, "press": "查看任务"},
            {"as": 1002, "text": "/chase 1-9"},
            {"as": 2001, "text": "/chase 1-10"},
            {"as": 1002, "text": "/chase"},
            {"clock": "2019-01-11T10:00"},
            {"as": 1002, "text": "/chase 1-10"},
            {"as": 1002, "text": "/chase 水源地整治"},
        ],
        plans=[PLAN],
    )
    admin = texts(out, 1)
    sent = next(t for t in admin if t.startswith("已对 1-10 催办"))
    assert "市生态环境局、市水利局、市城管局" in sent and "共通知 2 人" in sent
    assert "尚无人绑定" in sent and "市公路养护中心" in sent
    assert any("今天已由整改办于 09:00 催办过" in t for t in admin)
    notices = [o for o in out if o.get("chat") in (2001, 2002) and "催办提醒" in (o.get("text") or "")]
    assert sorted(o["chat"] for o in notices) == [2001, 2001, 2002, 2002]  # two people, two days
    water = next(o for o in notices if o["chat"] == 2002)
    assert "贵单位（市水利局）" in water["text"] and "逾期 10 天" in water["text"] and water["buttons"] == ["查看任务 1-10"]
    leader = texts(out, 1002)
    assert "今天已由整改办" in leader[0]  # the same day, whoever presses
    assert "催办仅限整改办和该任务的责任领导" in leader[1]  # 1-9 is 张家明's
    assert "/chase 1-2" in leader[2]  # usage, with a task of his own as the example
    assert any(t.startswith("已对 1-10 催办") for t in leader[3:])  # the next day
    assert "找到 3 项相关任务" in leader[-1]  # words that fit several tasks: choose first
    assert any("催办仅限" in t for t in texts(out, 2001))
    card = [t for t in texts(out, 2002) if t.startswith("🔴 1-10 ")]
    assert card  # the notice's button opens the task card
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            rows = (await session.execute(select(Outbox.key).where(Outbox.kind == "chase"))).scalars().all()
            audits = (await session.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "chase"))).scalar_one()
    finally:
        await engine.dispose()
    assert len(rows) == 4 and len(set(rows)) == 4  # two people, two days
    assert audits == 2


async def test_a_leader_can_ask_to_chase_in_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, LEADER, MEMBER, {"as": 2001, "text": "/start"}, {"as": 1002, "text": "请督促1-10加快进度"},
         {"as": 2001, "text": "市生态环境局已督促各县加快推进"}],
        plans=[PLAN],
    )
    assert texts(out, 1002)[-1].startswith("已对 1-10 催办")
    assert any("催办提醒" in t for t in texts(out, 2001))
    assert not any("催办仅限" in t for t in texts(out, 2001))  # a report that mentions 督促 is not a request


async def test_chasing_a_whole_unit_asks_for_the_task(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-04-18T09:30"},
        {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}},
        {"as": 1002, "text": "催一下交通局"},
    ], plans=[PLAN])
    said = [o["text"] for o in out if o.get("chat") == 1002]
    assert said[0].startswith("催办按任务进行") and "市交通运输局" in said[0]
    assert not any("催办提醒" in (o.get("text") or "") for o in out if o.get("chat") != 1002)  # nobody chased


async def test_the_office_chases_as_the_office_and_is_told_who_cannot_be_reached(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER, MEMBER_WATER,
        {"bind": {"user": 1, "name": "管理员甲", "role": "admin"}},
        {"as": 2001, "text": "/start"},  # 市水利局's 王强 never opened a chat with the bot
        {"as": 1, "text": "/chase 1-10"},
    ], plans=[PLAN])
    notice = texts(out, 2001)[-1]
    assert notice.startswith("催办提醒") and "整改办请贵单位（市生态环境局）" in notice and "管理员甲" not in notice
    said = texts(out, 1)[-1]
    assert "共通知 1 人" in said and "王强（市水利局）" in said and "电话催办" in said
    assert not texts(out, 2002)
