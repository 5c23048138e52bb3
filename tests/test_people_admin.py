"""Admins keep the roster: changes are audited and take effect on the very next message."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from functools import cache

import pytest
from sqlalchemy import select

from bot.audit import Auditor
from bot.cli import main
from bot.config import Settings
from bot.importer import ParsedPlan, parse_path
from bot.people_admin import AdminError, PeopleAdmin
from bot.permissions import Denied
from storage import people
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, Person, Task
from tests.conftest import REPO, SEEDS
from tests.scenario import converse, texts

PLAN = REPO / "examples" / "shangqiu-plan.txt"
ADMIN = 1


@cache
def _plan() -> ParsedPlan:
    return parse_path(PLAN)


def _water_refs() -> list[str]:
    return sorted(
        t.ref for t in _plan().tasks
        if "市水利局" in (*t.lead_units, *t.units, *t.supporting_units, *t.supervisors)
        and "市公安局" not in (*t.lead_units, *t.units, *t.supporting_units, *t.supervisors)
    )


async def test_move_role_and_unbind_take_effect_at_once(settings: Settings) -> None:
    ref = _water_refs()[0]
    title = next(t.title for t in _plan().tasks if t.ref == ref)[:8]
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"bind": {"user": 1002, "person": "倪玉民"}},
        {"as": ADMIN, "text": "/start"},
        {"as": 2001, "text": f"/task {ref}"},
        {"as": 2001, "text": "/people"},
        {"as": 2001, "text": "/unbind 倪玉民"},
        {"as": ADMIN, "text": "/person move 李明 市公安局"},
        {"as": 2001, "text": f"/task {ref}"},
        {"as": ADMIN, "text": "/role 倪玉民 +observer"},
        {"as": ADMIN, "text": "/role 倪玉民 -leader"},
        {"as": ADMIN, "text": "/role 倪玉民 -leader"},
        {"as": ADMIN, "text": "/role 倪玉民 +boss"},
        {"as": ADMIN, "text": "/unbind 李明"},
        {"as": 2001, "text": "/start"},
        {"as": ADMIN, "text": "/unbind 李明"},
    ], plans=[PLAN], name="roster")
    member = texts(out, 2001)
    assert title in member[0]
    assert "仅限整改办管理员" in member[1] and "仅限整改办管理员" in member[2]
    assert title not in member[3]
    assert "尚未绑定" in member[4]
    admin = texts(out, ADMIN)[1:]
    assert "从“市水利局”调整到“市公安局”" in admin[0]
    assert "已授予倪玉民“观察员”角色" in admin[1]
    assert "已撤销倪玉民的“责任领导”角色" in admin[2]
    assert "角色没有变化" in admin[3]
    assert "没有“boss”这个角色" in admin[4]
    assert "已解绑李明的账号" in admin[5]
    assert "李明尚未绑定账号" in admin[6]

    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            leader = (await session.execute(select(Person).where(Person.name == "倪玉民"))).scalar_one()
            assert leader.roles == ["observer"] and leader.telegram_id == 1002
            li = (await session.execute(select(Person).where(Person.name == "李明"))).scalar_one()
            assert li.telegram_id is None and await people.unit_name(session, li.unit_id) == "市公安局"
            actions = list((await session.execute(select(AuditEvent.action).order_by(AuditEvent.id))).scalars())
            assert actions[-4:] == ["person.move", "role.grant", "role.revoke", "unbind"]
    finally:
        await engine.dispose()


async def test_units_and_people_are_added_renamed_merged_and_retired(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "text": "/units add 市新设局"},
        {"as": ADMIN, "text": "/units add 市水利局"},
        {"as": ADMIN, "text": "/units rename 市城管局 市城市管理局"},
        {"as": ADMIN, "text": "/units merge 市新设局 市水利局"},
        {"as": ADMIN, "text": "/person add 市水利局 王五 observer"},
        {"as": ADMIN, "text": "/person add 市城管局 王五"},
        {"as": ADMIN, "text": "/person add 市水利局 王五"},
        {"as": ADMIN, "text": "/unbind 王五"},
        {"as": ADMIN, "text": "/person rename 市水利局/王五 王武"},
        {"as": ADMIN, "text": "/people 市水利局"},
        {"as": ADMIN, "text": "/person retire 王武"},
        {"as": ADMIN, "text": "/units retire 市城市管理局"},
        {"as": ADMIN, "text": "/units retire 市城市管理局 确认"},
        {"as": ADMIN, "text": "/units"},
        {"as": ADMIN, "text": "/invite 市城管局 赵六"},
    ], plans=[PLAN], name="units")
    admin = texts(out, ADMIN)[1:]
    assert "已新增单位：市新设局" in admin[0]
    assert "单位“市水利局”已存在" in admin[1]
    assert "已将“市城管局”改名为“市城市管理局”" in admin[2]
    assert "已将“市新设局”并入“市水利局”" in admin[3]
    assert "已新增人员：#" in admin[4] and "王五（市水利局）" in admin[4]
    assert "王五（市城市管理局）" in admin[5]
    assert "市水利局已有人员“王五”" in admin[6]
    assert "有多位“王五”" in admin[7] and "#" in admin[7]
    assert "已将“王五”改名为“王武”" in admin[8]
    assert "王武（市水利局）" in admin[9] and "观察员" in admin[9] and "未绑定" in admin[9]
    assert "已停用王武" in admin[10]
    # A unit still holding open tasks is retired only when the admin confirms (merging is the usual way).
    assert admin[11].startswith("市城市管理局尚有 11 项未销号任务、0 名已绑定人员，暂未停用。")
    assert "/units merge 市城市管理局 新单位" in admin[11]
    assert "已停用单位：市城市管理局" in admin[12]
    assert "用法" in admin[13]
    assert "没有找到单位“市城管局”" in admin[14]


async def test_audit_shows_a_tasks_trail_to_admins_only_in_private(settings: Settings) -> None:
    await converse(settings, [{"clock": "2019-01-10T09:00"}], plans=[PLAN], name="import")
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            task = (await session.execute(select(Task).where(Task.ref == "1-10"))).scalar_one()
            auditor = Auditor(settings.audit_key, settings.data_dir)
            for percent in (30, 60):
                await auditor.append(
                    session, actor="tg:2001", action="report", subject=f"task:{task.id}",
                    payload={"percent": percent, "text": f"完成{percent}%<b>"}, now=datetime(2019, 1, 10, 2, percent // 2, tzinfo=UTC),
                )
    finally:
        await engine.dispose()
    out = await converse(settings, [
        {"clock": "2019-01-10T11:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"as": ADMIN, "text": "/audit 1-10"},
        {"as": ADMIN, "text": "/audit 1-99"},
        {"as": ADMIN, "text": "/audit 1-10", "chat": -100123},
        {"as": 2001, "text": "/audit 1-10"},
    ], name="history")
    admin = texts(out, ADMIN)
    assert "任务 1-10 变更记录" in admin[0] and "完成30%" in admin[0] and "完成60%<b>" in admin[0]
    assert "报送进展 李明" in admin[0] and "tg:2001" not in admin[0]  # the action and the actor in words
    assert admin[0].index("完成30%") < admin[0].index("完成60%")
    assert "10:15" in admin[0] and "10:30" in admin[0]
    assert "没有编号为 1-99 的任务" in admin[1]
    assert "私聊" in texts(out, -100123)[0]
    assert "仅限整改办管理员" in texts(out, 2001)[0]


async def test_rectibot_people_changes_the_roster_from_the_command_line(
    settings: Settings, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
    ], plans=[PLAN], name="import")
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["people", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert (await asyncio.to_thread(run, "move", "李明", "市公安局", "--json"))[:2] == (
        0, json.dumps({"done": "person_moved", "person": "李明", "old": "市水利局", "new": "市公安局"}, ensure_ascii=False) + "\n"
    )
    code, out, _ = await asyncio.to_thread(run, "grant", "李明", "observer")
    assert code == 0 and out.startswith("role_granted")
    code, out, _ = await asyncio.to_thread(run, "revoke", "李明", "观察员")
    assert code == 0 and out.startswith("role_revoked")
    code, out, _ = await asyncio.to_thread(run, "grant", "李明", "observer")
    code, out, _ = await asyncio.to_thread(run, "unbind", "李明")
    assert code == 0 and out.startswith("unbound")
    code, out, _ = await asyncio.to_thread(run, "list", "市公安局", "--json")
    assert code == 0 and json.loads(out)["people"][0] | {"id": 0} == {
        "id": 0, "name": "李明", "unit": "市公安局", "roles": ["member", "observer"], "bound": False
    }
    code, out, err = await asyncio.to_thread(run, "move", "李明", "火星局")
    assert (code, out) == (2, "") and "no_unit" in err
    code, _, err = await asyncio.to_thread(run, "unit-merge", "市水利局")
    assert code == 2 and "takes 2" in err
    ref = _water_refs()[0]
    code, out, _ = await asyncio.to_thread(run, "unit-assign", ref, "市公安局", "--as", "lead", "--json")
    assert code == 0 and json.loads(out) == {
        "done": "task_assigned", "unit": "市公安局", "refs": ref, "party": "lead", "skipped": ""
    }
    code, out, err = await asyncio.to_thread(run, "unit-unassign", ref, "市公安局")
    assert code == 0 and out.startswith("task_unassigned")
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            actors = {a for a, in await session.execute(select(AuditEvent.actor).where(AuditEvent.action.in_(("person.move", "unbind"))))}
            assert actors == {"cli"}
    finally:
        await engine.dispose()


async def test_merging_units_moves_their_tasks_and_people_and_keeps_the_old_name(settings: Settings) -> None:
    from bot.permissions import unit_task_ids
    from storage.models import TaskParty, Unit

    await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
    ], plans=[PLAN], name="import")
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            water = await people.find_unit(session, "市水利局")
            eco = await people.find_unit(session, "市生态环境局")
            assert water is not None and eco is not None
            expected = await unit_task_ids(session, water.id) | await unit_task_ids(session, eco.id)
            shared = await unit_task_ids(session, water.id) & await unit_task_ids(session, eco.id)
            assert shared
            admin = PeopleAdmin(session, Auditor(settings.audit_key, settings.data_dir), roles={"admin"},
                                actor="test", now=datetime(2019, 1, 10, 2, tzinfo=UTC))
            done = await admin.merge_units("市水利局", "市生态环境局")
            assert done.params == {"old": "市水利局", "new": "市生态环境局"}
        async with transaction(session_factory(engine)) as session:
            eco_after = await people.find_unit(session, "市水利局")
            assert eco_after is not None and eco_after.name == "市生态环境局"
            assert await unit_task_ids(session, eco_after.id) == expected
            assert (await session.execute(select(Unit).where(Unit.name == "市水利局"))).scalar_one_or_none() is None
            parties = list((await session.execute(
                select(TaskParty.task_id, TaskParty.kind).where(TaskParty.unit_id == eco_after.id)
            )).all())
            assert len(parties) == len(set(parties))
            li = (await session.execute(select(Person).where(Person.telegram_id == 2001))).scalar_one()
            assert li.unit_id == eco_after.id
        for roles, error in (({"member"}, Denied), ({"admin"}, AdminError)):
            with pytest.raises(error):
                async with transaction(session_factory(engine)) as session:
                    admin = PeopleAdmin(session, Auditor(settings.audit_key, settings.data_dir), roles=roles,
                                        actor="test", now=datetime(2019, 1, 10, 2, tzinfo=UTC))
                    await admin.merge_units("市公安局", "市公安局")
    finally:
        await engine.dispose()


async def test_office_assigns_units_to_a_plan_that_names_none(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Baoding's plan names no units: the office puts them on tasks, and their people report.

    The assignment is the office's, so a new version of the document keeps it; what the
    plan itself names can only change with the plan.
    """
    plan = tmp_path / "baoding.txt"
    plan.write_text((SEEDS / "baoding-2020-plan.txt").read_text(encoding="utf-8"), encoding="utf-8")
    first = [
        {"clock": "2020-03-02T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "text": "/units assign 4 保定市住建局"},
        {"as": ADMIN, "text": "/units add 保定市住建局"},
        {"as": ADMIN, "text": "/units assign 4、5 保定市住建局 牵头"},
        {"as": ADMIN, "text": "/units assign 4 保定市住建局"},
        {"as": ADMIN, "text": "/units assign 4 保定市住建局 主办"},
        {"as": ADMIN, "text": "/units assign 99 保定市住建局"},
        {"bind": {"user": 2001, "unit": "保定市住建局", "name": "赵敏"}},
        {"as": 2001, "text": "4 扬尘整治已完成60%"},
        {"as": 2001, "text": "/units assign 6 保定市住建局"},
    ]
    out = await converse(settings, first, plans=[plan], name="assign1")
    admin = texts(out, ADMIN)[1:]
    assert "没有找到单位“保定市住建局”" in admin[0] and "/units add" in admin[0]
    assert "已将保定市住建局列为 4、5 的牵头单位" in admin[2]
    assert "已列有保定市住建局" in admin[3]
    assert "不是单位类别" in admin[4]
    assert "没有编号为 99 的任务" in admin[5]
    member = texts(out, 2001)
    assert "60%" in member[0]
    assert "仅限整改办管理员" in member[1]

    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new version
    second = [
        {"clock": "2020-03-03T09:00"},
        {"as": 2001, "text": "/mine"},
        {"as": ADMIN, "text": "/units unassign 5 保定市住建局"},
        {"as": ADMIN, "text": "/units unassign 6 保定市住建局"},
        {"as": 2001, "text": "/mine"},
    ]
    out = await converse(settings, second, plans=[plan], name="assign2")
    member = texts(out, 2001)
    assert "扬尘" in member[0] and "碧水" in member[0]
    admin = texts(out, ADMIN)
    assert "已取消保定市住建局在 5 的分配" in admin[0]
    assert "任务 6 没有列保定市住建局" in admin[1]
    assert "扬尘" in member[1] and "碧水" not in member[1]

    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            actions = [e.action for e in (await session.execute(select(AuditEvent))).scalars()]
    finally:
        await engine.dispose()
    assert actions.count("task.assign") == 2 and actions.count("task.unassign") == 1


async def test_importing_a_plan_without_units_says_how_to_assign_them(settings: Settings) -> None:
    settings.data_dir.parent.mkdir(parents=True, exist_ok=True)
    (settings.data_dir.parent / "baoding.txt").write_text(
        (SEEDS / "baoding-2020-plan.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = await converse(settings, [
        {"clock": "2020-03-02T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "document": "baoding.txt"},
        {"as": ADMIN, "press": "导入"},
    ], name="orphans")
    done = [o for o in out if o.get("edited")][-1]["text"]
    assert "其中 8 项方案未列责任单位（1、2、3、4、5、6、7、8）" in done
    assert "/units assign 1 单位名称" in done


async def test_a_responsible_person_of_a_plan_without_units_is_told_what_is_missing(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "persons.txt"
    plan.write_text(
        "某局巡察反馈问题整改方案\n2024年7月1日\n"
        "问题1：意识形态工作责任制落实不到位\n整改措施：专题研究意识形态工作。\n责任人：王建国\n完成时限：2024年9月底前\n"
        "问题2：财务管理不规范\n整改措施：完善报销制度。\n责任人：李红梅\n完成时限：2024年10月底前\n",
        encoding="utf-8",
    )
    out = await converse(settings, [
        {"clock": "2024-07-20T09:30"},
        {"bind": {"user": 1001, "person": "王建国"}},
        {"as": 1001, "text": "7月15日局党组专题研究了意识形态工作，形成了会议纪要"},
    ], plans=[plan], name="persons")
    said = texts(out, 1001)[-1]
    assert "列为 1 的责任人" in said and "/person move 王建国" in said


async def test_a_role_written_without_a_sign_or_with_a_word_is_understood(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 1002, "person": "倪玉民"}},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "text": "/role 倪玉民 observer"},
        {"as": ADMIN, "text": "/role 倪玉民 撤销 observer"},
        {"as": ADMIN, "text": "/role 倪玉民 boss"},
    ], plans=[PLAN], name="roles")
    admin = texts(out, ADMIN)[1:]
    assert "已授予倪玉民“观察员”角色" in admin[0]
    assert "已撤销倪玉民的“观察员”角色" in admin[1]
    assert admin[2].startswith("用法：/role 姓名 +leader")
