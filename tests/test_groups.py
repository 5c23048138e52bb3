"""Work groups: an admin registers a group to a unit or the 整改办; answers there stay within it."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select

from bot.config import Settings
from bot.groups import visible_in_chat
from bot.importer import ParsedPlan, parse_path
from bot.permissions import Action
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, GroupChat, Person, Task
from tests.conftest import REPO
from tests.scenario import converse, texts

PLAN = REPO / "examples" / "shangqiu-plan.txt"
GROUP = -100123
ADMIN = 1


@cache
def _plan() -> ParsedPlan:
    return parse_path(PLAN)


def _refs(unit: str) -> tuple[set[str], set[str]]:
    tasks = _plan().tasks
    own = {t.ref for t in tasks if unit in (*t.lead_units, *t.units, *t.supporting_units, *t.supervisors)}
    return own, {t.ref for t in tasks} - own


async def test_registering_a_group_and_what_it_may_see(settings: Settings) -> None:
    own, _ = _refs("市水利局")
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"bind": {"user": 2002, "unit": "市公安局", "name": "张强"}},
        {"as": ADMIN, "text": "/group", "chat": GROUP},
        {"as": 2001, "text": "/group 市公安局", "chat": GROUP},
        {"as": ADMIN, "text": "/group 火星局", "chat": GROUP},
        {"as": ADMIN, "text": "/group 水利局", "chat": GROUP},
        {"as": ADMIN, "text": "/group", "chat": GROUP},
        {"as": ADMIN, "text": "/group 市水利局"},
    ], plans=[PLAN], name="groups")
    group = texts(out, GROUP)
    assert "尚未登记" in group[0]
    assert "仅限整改办管理员" in group[1]
    assert "没有找到单位“火星局”" in group[2]
    assert "已将本群登记为“市水利局”工作群" in group[3]
    assert "本群已登记为“市水利局”工作群" in group[4]
    assert "请在要登记的工作群中发送" in texts(out, ADMIN)[0]
    assert all(o.get("chat") != GROUP or o["text"] for o in out)

    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            row = await session.get(GroupChat, GROUP)
            assert row is not None and not row.is_office
            refs = {tid: ref for tid, ref in await session.execute(select(Task.id, Task.ref))}
            police = (await session.execute(select(Person).where(Person.telegram_id == 2002))).scalar_one()
            water = (await session.execute(select(Person).where(Person.telegram_id == 2001))).scalar_one()
            # An admin asking in the unit's group sees that unit's tasks, not everything.
            seen = await visible_in_chat(session, None, {"admin"}, Action.SEE_TASK, chat_id=GROUP, chat_type="supergroup")
            assert seen.task_ids is not None and {refs[i] for i in seen.task_ids} == own
            # A member of another unit asking there sees only tasks both units share.
            cross = await visible_in_chat(session, police, {"member"}, Action.SEE_TASK, chat_id=GROUP, chat_type="supergroup")
            assert cross.task_ids is not None and {refs[i] for i in cross.task_ids} == own & _refs("市公安局")[0]
            mine = await visible_in_chat(session, water, {"member"}, Action.SEE_TASK, chat_id=GROUP, chat_type="supergroup")
            assert mine.task_ids is not None and {refs[i] for i in mine.task_ids} == own
            # The same member in private chat: their unit's tasks, as everywhere.
            private = await visible_in_chat(session, water, {"member"}, Action.SEE_TASK, chat_id=2001, chat_type="private")
            assert private.task_ids == mine.task_ids
            unregistered = await visible_in_chat(session, None, {"admin"}, Action.SEE_TASK, chat_id=-100999, chat_type="group")
            assert unregistered.counts_only
            actions = list((await session.execute(select(AuditEvent.action).where(AuditEvent.subject == f"chat:{GROUP}"))).scalars())
            assert actions == ["group.register"]
    finally:
        await engine.dispose()


async def test_office_group_and_unregistering(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/group 整改办", "chat": GROUP},
        {"as": ADMIN, "text": "/group off", "chat": GROUP},
        {"as": ADMIN, "text": "/group", "chat": GROUP},
    ], plans=[PLAN], name="office")
    group = texts(out, GROUP)
    assert "整改办工作群" in group[0] and "已取消本群的登记" in group[1] and "尚未登记" in group[2]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            assert await session.get(GroupChat, GROUP) is None
            after = await visible_in_chat(session, None, {"admin"}, Action.SEE_TASK, chat_id=GROUP, chat_type="group")
            assert after.counts_only
    finally:
        await engine.dispose()


async def test_task_cards_in_a_unit_group_show_only_that_units_tasks(settings: Settings) -> None:
    own, other = _refs("市水利局")
    own_ref, other_ref = sorted(own)[0], sorted(other)[0]
    titles = {t.ref: t.title for t in _plan().tasks}
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"as": 2001, "text": f"/task {own_ref}", "chat": GROUP},
        {"as": ADMIN, "text": "/group 市水利局", "chat": GROUP},
        {"as": 2001, "text": f"/task {own_ref}", "chat": GROUP},
        {"as": ADMIN, "text": f"/task {other_ref}", "chat": GROUP},
        {"as": 2001, "text": f"/task {other_ref}"},
    ], plans=[PLAN], name="cards")
    group = texts(out, GROUP)
    assert titles[own_ref][:8] not in group[0]
    assert titles[own_ref][:8] in group[2]
    assert titles[other_ref][:8] not in group[3]
    assert titles[other_ref][:8] not in texts(out, 2001)[0]


async def test_requests_in_words_work_in_a_group_within_what_the_group_may_see(settings: Settings) -> None:
    from tests.test_evidence import image

    image(settings.data_dir.parent, "a.png", (120, 90, 40))
    office, unit_group, stranger_group = -100300, -100500, -100999
    out = await converse(settings, [
        {"clock": "2019-02-21T09:00"},
        {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"bind": {"user": 2001, "unit": "市生态环境局", "name": "李明"}},
        {"as": 2001, "text": "1-16危险废物规范化管理检查已完成30家企业，完成40%"},
        {"as": 2001, "photo": "a.png", "caption": "1-16 危废检查现场照片"},
        {"as": ADMIN, "text": "/group 整改办", "chat": office},
        {"as": ADMIN, "text": "/group 市应急管理局", "chat": unit_group},
        {"as": 1002, "text": "1-16的佐证材料", "chat": office},
        {"as": 1002, "text": "1-16有照片吗", "chat": office},  # asked again: sent again
        {"as": 1002, "text": "导出台账", "chat": office},
        {"as": 1002, "text": "本旬通报", "chat": office},
        {"as": 2002, "text": "1-16的佐证材料", "chat": unit_group},  # 1-16 names 市应急管理局
        {"as": 2002, "text": "2-11的佐证材料", "chat": unit_group},  # it does not name it
        {"as": 1002, "text": "1-16的佐证材料", "chat": stranger_group},
        {"as": 1002, "text": "/evidence 1-16", "chat": stranger_group},
        {"as": 7777, "text": "导出台账", "chat": office},  # somebody the bot does not know
        {"as": 7777, "text": "1-16的佐证材料", "chat": office},
    ], plans=[PLAN])
    office_items = [o for o in out if o.get("chat") == office]
    photos = [o for o in office_items if o.get("photo") or o.get("document")]
    assert sum(1 for o in photos if "危废检查" in (o.get("text") or "")) == 2
    assert any("整改台账" in (o.get("text") or "") for o in photos)
    assert any("整改调度" in t for t in texts(out, office))
    unit_said = texts(out, unit_group)
    assert any("1-16" in t and "佐证材料共 1 份" in t for t in unit_said)
    assert any("2-11 不是贵单位承担的任务" in t for t in unit_said)
    stranger = [o for o in out if o.get("chat") == stranger_group]
    assert len(stranger) == 2 and all("只显示总数" in o["text"] for o in stranger)
    assert not any(o.get("photo") for o in stranger)
    assert not any("尚未绑定" in t for t in texts(out, office))


async def test_a_report_on_another_units_task_in_a_units_group_is_sent_private(settings: Settings) -> None:
    """A 市应急管理局 member in 市水利局's group: the group may not read 1-17, confirmations included."""
    out = await converse(settings, [
        {"clock": "2019-02-21T09:00"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"bind": {"user": 2003, "unit": "市水利局", "name": "赵刚"}},
        {"as": ADMIN, "text": "/group 市水利局", "chat": GROUP},
        {"as": 2002, "text": "1-17尾矿库排查已全部完成", "chat": GROUP},
        {"as": 2003, "text": "1-18河道巡查完成60%", "chat": GROUP},
    ], plans=[PLAN])
    said = texts(out, GROUP)
    assert "请私聊我报送" in said[1] and "防范各类尾矿库" not in said[1]
    assert said[2].startswith("已记录") and "1-18" in said[2]
    assert not any("1-17" in t for t in said)
