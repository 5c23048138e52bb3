"""Progress by chat, as conversations: report → confirmation → undo, ask → choice, edits, shares."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, Milestone, Report, Task, TaskUnit, Unit
from tests.scenario import converse, texts

PLAN = Path(__file__).resolve().parent.parent / "examples" / "shangqiu-plan.txt"
LI = {"bind": {"user": 2001, "unit": "市生态环境局", "name": "李明"}}
START = {"clock": "2019-01-24T09:30"}


async def rows(settings: Settings, model: Any, *where: Any) -> list[Any]:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return list((await session.execute(select(model).where(*where))).scalars())
    finally:
        await engine.dispose()


async def task_id(settings: Settings, ref: str) -> int:
    return int((await rows(settings, Task, Task.ref == ref))[0].id)


async def unit_id(settings: Settings, name: str) -> int:
    return int((await rows(settings, Unit, Unit.name == name))[0].id)


async def test_report_is_confirmed_and_undone(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"as": 2001, "press": "撤销"},
         {"as": 2001, "callback": "ru:1", "on": 2}],
        plans=[PLAN],
    )
    replay = out[-1]
    assert replay["alert"] and "已撤销" in replay["callback_answer"]
    out = out[:-1]
    said = texts(out, 2001)
    assert "已记录" in said[0] and "1-17" in said[0] and "已完成" in said[0]
    assert out[0]["buttons"] == ["撤销"]
    assert "已撤销" in said[-1] and out[-1]["edited"]
    assert any(o.get("callback_answer") == "已撤销" for o in out)
    reports = await rows(settings, Report)
    assert len(reports) == 1 and reports[0].undone
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"),
                       TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert share[0].status is None and share[0].percent is None and share[0].last_report_at is None
    milestones = await rows(settings, Milestone, Milestone.task_id == await task_id(settings, "1-17"))
    assert all(m.done_at is None for m in milestones)
    actions = [e.action for e in await rows(settings, AuditEvent)]
    assert "report" in actions and "report.undo" in actions


async def test_report_records_progress_for_the_unit(settings: Settings) -> None:
    await converse(settings, [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}], plans=[PLAN])
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"),
                       TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert share[0].status == "已完成" and share[0].percent == 100 and share[0].last_report_at is not None
    report = (await rows(settings, Report))[0]
    assert report.measure_no == 1 and report.status_word == "已完成" and not report.undone


async def test_undo_after_the_window_keeps_the_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"clock": "2019-01-24T09:41"}, {"as": 2001, "press": "撤销"}],
        plans=[PLAN],
    )
    answers = [o for o in out if "callback_answer" in o]
    assert answers[-1]["alert"] and "10分钟" in answers[-1]["callback_answer"]
    assert not (await rows(settings, Report))[0].undone


async def test_a_reply_quoting_the_task_number_is_recorded_without_asking(settings: Settings) -> None:
    out = await converse(settings, [START, LI, {"as": 2001, "text": "1-17的措施1已经完成了"}], plans=[PLAN])
    said = texts(out, 2001)
    assert "已记录" in said[0] and "1-17" in said[0]
    report = (await rows(settings, Report))[0]
    assert report.task_id == await task_id(settings, "1-17") and report.measure_no == 1
    # measure 1 of two is done; the unit's share of the task goes on
    assert report.status_word == "正在推进" and "本项已完成，任务仍在推进" in said[0]


async def test_ambiguous_report_asks_and_records_the_choice(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "县级饮用水水源地保护区界碑都立好了，完成80%"}, {"as": 2001, "press": "1-14"},
         {"as": 2001, "text": "剩下的也立好了，现在90%", "reply_to": "last"}],
        plans=[PLAN],
    )
    follow_up = (await rows(settings, Report))[-1]
    assert follow_up.task_id == await task_id(settings, "1-14") and follow_up.percent == 90
    out = out[:-1]
    ask = out[0]
    assert "哪项任务" in ask["text"]
    assert [b.split()[0] for b in ask["buttons"][:2]] == ["1-10", "1-14"] and ask["buttons"][-1] == "都不是"
    assert out[-1]["edited"] and "1-14" in out[-1]["text"] and "80%" in out[-1]["text"]
    report = (await rows(settings, Report))[0]
    assert report.task_id == await task_id(settings, "1-14") and report.percent == 80 and report.source == "choice"


async def test_the_question_answered_in_words_instead_of_a_button(settings: Settings) -> None:
    report = {"as": 2001, "text": "县级饮用水水源地保护区界碑都立好了，完成80%"}
    out = await converse(
        settings,
        [START, LI, report, {"as": 2001, "text": "对"}, {"as": 2001, "text": "是第二个"},
         report, {"as": 2001, "text": "1-10"},
         report, {"as": 2001, "text": "都不是"}, {"as": 2001, "text": "第二个"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "哪项任务" in said[0]
    assert "回复序号" in said[1]  # "对" to three options picks none of them
    assert "已记录" in said[2] and "1-14" in said[2] and "80%" in said[2]
    assert "已记录" in said[4] and "1-10" in said[4]
    assert "未作记录" in said[6]
    assert "已记录" not in said[7]  # the question was closed by 都不是
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent, r.source) for r in reports] == [
        (await task_id(settings, "1-14"), 80, "choice"),
        (await task_id(settings, "1-10"), 80, "choice"),
    ]


async def test_none_of_these_records_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "县级饮用水水源地保护区界碑都立好了，完成80%"}, {"as": 2001, "press": "都不是"}],
        plans=[PLAN],
    )
    assert "未作记录" in texts(out, 2001)[-1] and out[-1]["edited"] and not out[-1]["buttons"]
    assert await rows(settings, Report) == []


async def test_forged_and_foreign_presses_change_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"bind": {"user": 2002, "unit": "市生态环境局", "name": "王芳"}},
         {"as": 2001, "text": "县级饮用水水源地保护区界碑都立好了，完成80%"},
         {"as": 2001, "callback": "rc:999999:0", "on": 1},
         {"as": 2001, "callback": "rc:abc", "on": 1},
         {"as": 2001, "callback": "ru:12345", "on": 1},
         {"as": 2001, "callback": "zz:1", "on": 1}],
        plans=[PLAN],
    )
    alerts = [o for o in out if "callback_answer" in o]
    assert len(alerts) == 4 and all(a["alert"] for a in alerts)
    assert await rows(settings, Report) == []


async def test_bad_input_gets_a_clear_reply_and_records_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI,
         {"as": 2001, "text": "   "},
         {"as": 2001, "text": "🙂🙂👍"},
         {"as": 2001, "text": "尾矿库" * 1366},
         {"as": 2001, "text": "水源地和尾矿库的整治都完成了"},
         {"as": 2001, "text": "水源地到哪一步了？"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "空" in said[0]
    assert said[1] == "好的。"  # an emoji is acknowledged, not told it was no report
    assert "4098" in said[2] or "超过" in said[2]
    assert "哪项任务" in said[3] and len(out[3]["buttons"]) >= 3
    assert len(said) == 5 and "已记录" not in said[4]
    assert await rows(settings, Report) == []


async def test_small_talk_and_slips_change_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "收到"}, {"as": 2001, "text": "谢谢领导"},
         {"as": 2001, "text": "1-17 完成120%"}],
        plans=[PLAN],
    )
    assert texts(out, 2001) == ["好的。", "不客气。", "进度不能超过100%，未作记录。请核实后重新报送，如“完成80%”。"]
    assert await rows(settings, Report) == []


async def test_a_slip_is_corrected_or_withdrawn_in_words(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"as": 2001, "text": "刚才说错了，是70%"},
         {"as": 2001, "text": "应为75%", "reply_to": 2},
         {"as": 2001, "text": "尾矿库排查改成分片包干，完成80%"},
         {"as": 2001, "text": "撤回"},
         {"clock": "2019-01-24T10:30"}, {"as": 2001, "text": "撤回"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已按您的更正修改" in said[1] and "70%" in said[1] and "1-17" in said[1]
    assert "已按您的更正修改" in said[2] and "75%" in said[2]
    assert "已撤销" in said[4]
    assert "不能撤回" in said[5]  # the first report is an hour old
    reports = await rows(settings, Report)
    first = reports[0]
    assert (first.percent, first.status_word, first.undone) == (75, "正在推进", False)
    assert first.text == "尾矿库排查已完成\n刚才说错了，是70%\n应为75%"
    assert len(reports) == 2 and reports[1].undone  # "改成" in a report is no correction
    share = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"),
                       TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert share[0].percent == 75
    assert "report.correct" in [e.action for e in await rows(settings, AuditEvent)]


async def test_a_task_number_of_another_unit_is_refused_not_swapped(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, {"bind": {"user": 2003, "unit": "市应急管理局", "name": "赵刚"}},
         {"as": 2003, "text": "1-18 完成100%"}, {"as": 2003, "text": "1-17 完成60%"}],
        plans=[PLAN],
    )
    said = texts(out, 2003)
    assert "1-18 不在市应急管理局的责任范围内，未作记录" in said[0] and not out[0].get("buttons")
    assert "已记录" in said[1] and "1-17" in said[1]
    assert [r.percent for r in await rows(settings, Report)] == [60]


async def test_one_message_on_several_tasks_records_each(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-13、1-16均完成50%"},
         {"as": 2001, "text": "1-10完成40%；另外1-14饮用水水质监测本季度已公开"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "1-13" in said[0] and "1-16" in said[0] and out[0]["buttons"] == ["撤销 1-13", "撤销 1-16"]
    reports = await rows(settings, Report)
    got = [(r.task_id, r.percent, r.text) for r in reports]
    assert got == [
        (await task_id(settings, "1-13"), 50, "1-13、1-16均完成50%"),
        (await task_id(settings, "1-16"), 50, "1-13、1-16均完成50%"),
        (await task_id(settings, "1-10"), 40, "1-10完成40%"),
        (await task_id(settings, "1-14"), None, "1-14饮用水水质监测本季度已公开"),
    ]


async def test_a_report_put_under_the_wrong_task_is_moved_in_words(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "1-16 危废台账已建立，完成60%"},
         {"as": 2001, "text": "刚才那条发错了，应该是1-13不是1-16"}, {"as": 2001, "text": "发错了"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "已改到" in said[1] and "1-13" in said[1]
    assert said[2] == "好的。"  # "发错了" alone is small talk (a wrong group, a wrong chat)
    (report,) = await rows(settings, Report)
    assert report.task_id == await task_id(settings, "1-13") and report.percent == 60
    assert "report.move" in [e.action for e in await rows(settings, AuditEvent)]


async def test_edited_report_is_updated(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查完成80%"}, {"as": 2001, "edit": 1, "text": "尾矿库排查完成90%"}],
        plans=[PLAN],
    )
    report = (await rows(settings, Report))[0]
    assert report.percent == 90 and report.text == "尾矿库排查完成90%"
    assert "更新" in texts(out, 2001)[-1] and "90%" in texts(out, 2001)[-1]
    share = await rows(settings, TaskUnit, TaskUnit.task_id == report.task_id, TaskUnit.unit_id == report.unit_id)
    assert share[0].percent == 90


async def test_edit_after_the_window_is_refused(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查完成80%"}, {"clock": "2019-01-24T10:00"},
         {"as": 2001, "edit": 1, "text": "尾矿库排查完成90%"}],
        plans=[PLAN],
    )
    assert "未生效" in texts(out, 2001)[-1]
    assert (await rows(settings, Report))[0].percent == 80


async def test_reply_continues_the_task_without_matching(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查完成80%"}, {"as": 2001, "text": "又完成了一批，现在90%", "reply_to": "last"}],
        plans=[PLAN],
    )
    reports = await rows(settings, Report)
    assert len(reports) == 2 and reports[0].task_id == reports[1].task_id and reports[1].percent == 90
    assert "1-17" in texts(out, 2001)[-1]


async def add_units(settings: Settings, *names: str) -> None:
    """Counties that bind before the admins' unit tools exist: a unit row each."""
    from bot.localbot import migrate
    from bot.plans import import_plan_files
    from storage import people

    await migrate(settings)
    await import_plan_files(settings, [PLAN])
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            for name in names:
                await people.ensure_unit(session, name)
    finally:
        await engine.dispose()


async def test_two_counties_report_on_one_shared_task(settings: Settings) -> None:
    await add_units(settings, "睢县人民政府", "柘城县人民政府")
    out = await converse(
        settings,
        [START,
         {"bind": {"user": 3001, "unit": "睢县人民政府", "name": "张三"}},
         {"bind": {"user": 3002, "unit": "柘城县人民政府", "name": "赵四"}},
         {"as": 3001, "text": "1-18 河道采砂清查整治已全部整改到位"},
         {"as": 3002, "text": "河道采砂清查完成60%"}],
        plans=[PLAN],
    )
    assert "1-18" in texts(out, 3001)[0] and "1-18" in texts(out, 3002)[0]
    shares = {r.unit_id: r for r in await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-18"))}
    sui, zhe = await unit_id(settings, "睢县人民政府"), await unit_id(settings, "柘城县人民政府")
    assert shares[sui].status == "已完成" and shares[sui].percent == 100
    assert shares[zhe].percent == 60 and shares[zhe].status != "已完成"


TOWNSHIP_PLAN = """某县农村人居环境整治问题整改清单
问题1:农村垃圾积存
整改措施:开展积存垃圾集中清理。
责任单位:各乡镇人民政府
整改时限:2019年6月底前
问题2:秸秆露天焚烧
整改措施:落实网格化巡查。
责任单位:县生态环境分局
整改时限:2019年9月底前
"""


async def test_a_township_reports_its_share_of_a_task_naming_every_township(settings: Settings, tmp_path: Path) -> None:
    from bot.localbot import migrate
    from bot.plans import import_plan_files
    from storage import people

    plan = tmp_path / "township.txt"
    plan.write_text(TOWNSHIP_PLAN, encoding="utf-8")
    await migrate(settings)
    await import_plan_files(settings, [plan])
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            await people.ensure_unit(session, "城关镇人民政府")
    finally:
        await engine.dispose()
    out = await converse(
        settings,
        [START, {"bind": {"user": 3005, "unit": "城关镇人民政府", "name": "孙丽"}},
         {"as": 3005, "text": "城关镇积存垃圾清理完成80%"}, {"as": 3005, "text": "秸秆焚烧巡查已完成"}],
    )
    said = texts(out, 3005)
    assert "已记录" in said[0] and "80%" in said[0]
    assert "已记录" not in said[1]  # 2 is the county bureau's, not the township's
    (report,) = await rows(settings, Report)
    assert report.unit_id == await unit_id(settings, "城关镇人民政府") and report.percent == 80


async def test_guided_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "/report"}, {"as": 2001, "press": "1-17"}, {"as": 2001, "press": "1."},
         {"as": 2001, "press": "50%"}, {"as": 2001, "text": "完成两座尾矿库的排查"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "请选择要报送的任务" in said[0]
    assert "1-17" in said[-1] and "50%" in said[-1] and "第1项" in said[-1] and "5分钟" in said[-1]
    report = (await rows(settings, Report))[0]
    assert report.source == "guided" and report.percent == 50 and report.measure_no == 1


async def test_guided_report_answered_by_typing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "/report"}, {"as": 2001, "text": "1-17"}, {"as": 2001, "text": "第一项"},
         {"as": 2001, "text": "好的"}, {"as": 2001, "text": "80%"}, {"as": 2001, "text": "完成两座尾矿库的排查"},
         {"as": 2001, "text": "/report"}, {"as": 2001, "press": "1-17"}, {"as": 2001, "press": "1."},
         {"as": 2001, "text": "本周又排查了3座，完成60%"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "措施" in said[1] and "百分比" not in said[1]
    assert "完成进度" in said[2] or "%" in str(out[2].get("buttons"))
    assert "回复编号或百分比" in said[3]  # "好的" answers no step
    assert "1-17" in said[-1] and "60%" in said[-1]
    reports = await rows(settings, Report)
    assert [(r.source, r.percent, r.measure_no) for r in reports] == [("guided", 80, 1), ("guided", 60, 1)]


async def test_admin_moves_a_report_and_records_on_behalf(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 1, "text": "/start"}, {"as": 2001, "text": "尾矿库排查已完成"},
         {"as": 2001, "text": "/movereport 1 1-16"},
         {"as": 1, "text": "/movereport 1 1-16"},
         {"as": 1, "text": "/movereport 1 1-18"},  # 1-18 is not 市生态环境局's: refused
         {"as": 1, "text": "/onbehalf 市水利局 河道采砂清查已完成"},
         {"as": 1, "text": "/onbehalf 应急局 尾矿库排查完成60%"}],  # a unit by its spoken short form
        plans=[PLAN],
    )
    assert "管理员" in texts(out, 2001)[-1]
    assert "1-17" in texts(out, 1)[-1] and "市应急管理局" in texts(out, 1)[-1]
    admin = texts(out, 1)
    assert any("#1" in t and "1-16" in t for t in admin)
    assert any("1-18 不是市生态环境局承担的任务，未作改动" in t for t in admin)
    assert any("1-18" in t and "市水利局" in t for t in admin)
    reports = await rows(settings, Report)
    assert reports[0].task_id == await task_id(settings, "1-16")
    assert reports[1].source == "behalf" and reports[1].unit_id == await unit_id(settings, "市水利局")
    old = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"),
                     TaskUnit.unit_id == await unit_id(settings, "市生态环境局"))
    assert old[0].status is None
    actions = [e.action for e in await rows(settings, AuditEvent)]
    assert "report.move" in actions and "report.behalf" in actions


async def test_group_reports_and_silence(settings: Settings) -> None:
    from storage.models import GroupChat

    await add_units(settings)
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            session.add(GroupChat(chat_id=-100500, title="生态环境局工作群", unit_id=await unit_id(settings, "市生态环境局"),
                                  registered_at=datetime(2019, 1, 1, tzinfo=UTC)))
    finally:
        await engine.dispose()
    out = await converse(
        settings,
        [START, LI,
         {"as": 2001, "chat": -100500, "text": "收到"},
         {"as": 2001, "chat": -100500, "text": "尾矿库排查已完成"},
         {"as": 2001, "chat": -100777, "text": "尾矿库排查已完成"},
         {"as": 2001, "chat": -100777, "text": "水源地界碑都立好了"},
         {"as": 2001, "chat": -100777, "text": "好的"},
         {"as": 2001, "chat": -100777, "text": "哪些任务逾期了？"}],
        plans=[PLAN],
    )
    group = texts(out, -100500)
    assert len(group) == 1 and "1-17" in group[0]
    elsewhere = texts(out, -100777)  # an unregistered group: one pointer a day, counts only for questions
    assert len(elsewhere) == 2 and "尚未登记为工作群，进展未记录" in elsewhere[0] and "1-" not in elsewhere[1]
    assert len(await rows(settings, Report)) == 1


async def test_completion_by_every_unit_marks_the_milestone_done(settings: Settings) -> None:
    await add_units(settings)
    tid = await task_id(settings, "1-17")
    shares = await rows(settings, TaskUnit, TaskUnit.task_id == tid)
    names = [u.name for u in await rows(settings, Unit, Unit.id.in_([s.unit_id for s in shares]))]
    assert len(names) >= 2
    events: list[dict[str, Any]] = [START, {"as": 1, "text": "/start"}]
    events += [{"as": 1, "text": f"/onbehalf {name} 尾矿库排查已完成"} for name in names]
    await converse(settings, events, plans=[PLAN])
    milestones = await rows(settings, Milestone, Milestone.task_id == tid)
    assert len(milestones) == 1 and milestones[0].done_at is not None
    assert len(await rows(settings, Report)) == len(names)


async def test_one_unit_completing_a_shared_task_leaves_the_milestone_open(settings: Settings) -> None:
    await converse(settings, [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}], plans=[PLAN])
    milestones = await rows(settings, Milestone, Milestone.task_id == await task_id(settings, "1-17"))
    assert milestones and all(m.done_at is None for m in milestones)


async def test_replies_follow_the_users_language(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成", "lang": "en"}, {"as": 2001, "press": "Undo", "lang": "en"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert said[0].startswith("Recorded #1") and "1-17" in said[0] and out[0]["buttons"] == ["Undo"]
    assert "was undone" in said[-1]


async def test_a_reply_to_the_morning_reminder_reports_on_its_task(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-24T08:00"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "/start"},
        {"clock": "2019-01-24T10:00"},
    ], plans=[PLAN], name="push")
    push = next(o for o in out if "整改提醒" in (o.get("text") or ""))
    assert push["buttons"][0] == "报告进展 1-17"  # a push about one task
    out = await converse(settings, [
        {"clock": "2019-01-24T10:05"},
        {"as": 2002, "text": "完成了一半", "reply_to": push["id"]},
        {"as": 2002, "text": "这个什么时候到期？", "reply_to": push["id"]},
    ], plans=[PLAN], name="reply")
    replies = texts(out, 2002)
    assert "已记录 #1：1-17" in replies[0] and "50%" in replies[0]
    assert "已记录" not in replies[1]  # a question in reply is not a report
    assert len(await rows(settings, Report)) == 1


async def test_all_but_one_is_not_read_as_that_one_done(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "除了1-13，其他都完成了"},
        {"as": 2001, "text": "除2-13外其余各项均已完成"},
    ], plans=[PLAN])
    replies = texts(out, 2001)
    assert all("无法确定是哪几项，未作记录" in r for r in replies)
    assert await rows(settings, Report) == []


async def test_a_later_word_without_a_percent_does_not_keep_a_percent_it_contradicts(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "1-13 已完成"},
        {"as": 2001, "text": "1-13 暂未完成，还在整改"},
        {"as": 2001, "text": "1-16 完成40%"},
        {"as": 2001, "text": "1-16 还在推进"},
        {"as": 2001, "text": "1-17 部分完成"},
    ], plans=[PLAN])
    replies = texts(out, 2001)
    assert "正在推进" in replies[1] and "100%" not in replies[1]
    assert "已完成" not in replies[4] and "100%" not in replies[4]
    unit = await unit_id(settings, "市生态环境局")
    shares = {s.task_id: s for s in await rows(settings, TaskUnit, TaskUnit.unit_id == unit)}
    assert (shares[await task_id(settings, "1-13")].status, shares[await task_id(settings, "1-13")].percent) == ("正在推进", None)
    assert shares[await task_id(settings, "1-16")].percent == 40  # the percent still fits "还在推进"


async def test_nothing_new_and_the_next_step_are_the_units_report_for_the_period(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "1-16 完成40%"},
        {"as": 2001, "text": "1-16 本旬无新进展"},
        {"as": 2001, "text": "1-13 计划月底完成"},
        {"as": 2001, "text": "不对，刚才说错了，应该是60%"},
        {"as": 2001, "text": "明天去检查扬尘"},  # no number, no progress: not a report
        {"as": 2001, "text": "我们还有哪些没报"},
    ], plans=[PLAN])
    replies = texts(out, 2001)
    assert "已记录 #2：1-16" in replies[1] and "已记录 #3：1-13" in replies[2]
    assert "已按您的更正修改" in replies[3] and "60%" in replies[3]
    assert "未识别为进展报送" in replies[4]
    assert replies[5].startswith("市生态环境局：")  # our own unit, not every unit
    unit = await unit_id(settings, "市生态环境局")
    share = (await rows(settings, TaskUnit, TaskUnit.unit_id == unit, TaskUnit.task_id == await task_id(settings, "1-16")))[0]
    assert share.percent == 40 and share.last_report_at is not None


async def test_report_command_names_its_task_and_can_be_cancelled(settings: Settings) -> None:
    out = await converse(settings, [
        START, {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "/report 1-16"},
        {"as": 2002, "text": "取消"},
        {"as": 2002, "text": "/report 1-17"},
        {"as": 2002, "text": "2"},
        {"as": 2002, "text": "60"},
        {"as": 2002, "text": "汛期风险评估报告已编制"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert said[0].startswith("1-16：请选择措施") and said[1] == "已取消本次报送，未作记录。"
    assert said[2].startswith("1-17：请选择措施")
    assert "措施：第2项" in said[5] and "正在推进 · 60%" in said[5]  # a percent below 100 is work under way
    assert len(await rows(settings, Report)) == 1


async def test_a_county_sees_and_lists_its_share_of_the_tasks_naming_every_county(settings: Settings) -> None:
    """1-18 names 各县(市、区)人民政府: 永城市 reports on it, so it is in its list and it may read it."""
    out = await converse(settings, [
        {"clock": "2019-04-18T09:30"},
        {"bind": {"user": 3001, "unit": "永城市人民政府", "name": "孙磊"}},
        {"as": 3001, "text": "/mine"},
        {"as": 3001, "text": "/task 1-18"},
        {"as": 3001, "text": "1-18 河道非法采砂整治完成80%"},
    ], plans=[PLAN])
    said = texts(out, 3001)
    # 各县 is named on all 35, but 1-6 and 1-19 name only the counties' party committees
    assert "共 33 项" in said[0] and "配合或监管" not in said[0] and "1-19" not in said[0]
    assert "坚决遏制河道非法采砂行为" in said[1] and "没有找到" not in said[1]
    assert "已记录 #1：1-18" in said[2] and "永城市人民政府" in said[2]


PLAIN_PLAN = """某县财政局整改工作方案
2024年3月1日
1.关于预算执行进度慢的问题
整改措施：加快支出进度。
责任单位：县财政局
整改时限：2024年6月底前
2.关于国库资金管理不规范的问题
整改措施：清理专户。
责任单位：县财政局
整改时限：2024年9月底前
3.关于非税收入征缴不及时的问题
整改措施：建立台账。
责任单位：县财政局
整改时限：2024年10月底前
4.关于财务管理不规范的问题
整改措施：完善制度。
责任单位：县财政局、县审计局
整改时限：2024年12月底前
"""


async def test_a_plan_numbering_its_tasks_1_2_3_is_answered_by_those_numbers(settings: Settings, tmp_path: Path) -> None:
    plan = tmp_path / "plain.txt"
    plan.write_text(PLAIN_PLAN, encoding="utf-8")
    (settings.data_dir.parent).mkdir(parents=True, exist_ok=True)
    from tests.test_evidence import image

    photo = image(settings.data_dir.parent, "p.png", (3, 4, 5))
    out = await converse(settings, [
        {"clock": "2024-05-20T09:30"},
        {"bind": {"user": 4003, "unit": "县财政局", "name": "林涛"}},
        {"bind": {"user": 4004, "unit": "县审计局", "name": "孙敏"}},
        {"as": 1, "text": "/units assign 2、3 县审计局"},
        {"as": 4003, "text": "4已完成80%"},
        {"as": 4003, "text": "任务1、任务2均完成50%"},
        {"as": 4004, "photo": photo},  # asked among 2, 3, 4
        {"as": 4004, "text": "3"},  # task 3, not the third button (task 4)
    ], plans=[plan])
    said = texts(out, 4003)
    assert "已记录 #1：4 关于财务管理不规范的问题" in said[0] and "80%" in said[0]
    assert "已记录 #2：1" in said[1] and "已记录 #3：2" in said[1]
    audit = texts(out, 4004)
    assert audit[0].startswith("这份材料属于哪项任务") and "已记录 #4：3 关于非税收入征缴不及时的问题" in audit[1]


async def test_one_measure_done_leaves_the_task_under_way_unless_it_is_the_stage_or_all(settings: Settings) -> None:
    """1-16 has two measures: finishing the 危险废物监管台账 of measure 2 is not 1-16 done;
    "尾矿库排查已完成" is 1-17's dated stage itself; "全部完成" is the whole task."""
    out = await converse(settings, [
        START, {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "1-16 完成60%"},
        {"as": 2002, "text": "危险废物监管台账已经全部建立完毕"},
        {"as": 2002, "text": "尾矿库排查已完成"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert "1-16" in said[1] and "本项已完成，任务仍在推进" in said[1]
    assert "1-17" in said[2] and "进展：已完成" in said[2]
    unit = await unit_id(settings, "市应急管理局")
    shares = {s.task_id: s for s in await rows(settings, TaskUnit, TaskUnit.unit_id == unit)}
    assert (shares[await task_id(settings, "1-16")].status, shares[await task_id(settings, "1-16")].percent) == ("正在推进", 60)
    assert shares[await task_id(settings, "1-17")].status == "已完成"


async def test_report_steps_take_the_task_in_words_and_the_measure_as_written(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "/report"},
        {"as": 2001, "text": "水源地那个"},
        {"as": 2001, "text": "措施2"},
        {"as": 2001, "text": "50"},
        {"as": 2001, "text": "问责办法已起草"},
        {"as": 1, "text": "/units add 市外事办"},
        {"bind": {"user": 3302, "unit": "市外事办", "name": "钱七"}},
        {"as": 3302, "text": "/report"},
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert said[1].startswith("1-10：请选择措施") and said[2].startswith("完成进度")
    assert "已记录 #1：1-10" in said[4] and "措施：第2项" in said[4] and "50%" in said[4]
    assert "暂未给市外事办分配任务" in texts(out, 3302)[0]


async def test_a_countys_load_counts_its_share_of_every_county_task(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-04-18T09:30"},
        {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 1, "text": "/unit 永城市人民政府"},
        {"as": 2002, "text": "市水利局还有几项没完成"},
    ], plans=[PLAN])
    assert texts(out, 1)[0].startswith("永城市人民政府：共 33 项任务")  # as its /mine lists them
    assert "仅统计您可查看的任务" in texts(out, 2002)[0]  # a member sees part of another unit's load


async def test_a_report_is_moved_to_the_task_named_in_words_and_its_measure_put_right(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "1-13 完成50%"},
        {"as": 2001, "text": "报错任务了，这条应该是水源地保护那项"},
        {"as": 2001, "text": "刚才那条不对，是措施3"},
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert "报送 #1 已改到 1-10" in said[1]
    assert "已按您的更正修改" in said[2] and "措施：第3项" in said[2]
    (report,) = await rows(settings, Report)
    assert (report.task_id, report.measure_no, report.percent) == (await task_id(settings, "1-10"), 3, 50)


WANG = {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}}


async def test_several_measures_named_done_are_each_recorded(settings: Settings) -> None:
    """1-17 has two measures: both named done finish the unit's share; two of 1-16's three
    leave it under way. One message, one confirmation, one Undo for all it recorded."""
    out = await converse(settings, [
        START, WANG,
        {"as": 2002, "text": "1-17的措施1、2都完成了"},
        {"as": 2002, "text": "1-16措施一和措施二均已完成"},
        {"as": 2002, "press": "撤销"},
        {"as": 2002, "text": "1-16 措施1已完成，措施3完成60%"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert "已记录 #1、#2：1-17" in said[0] and "第1项 已完成；第2项 已完成" in said[0] and "进展：已完成 · 100%" in said[0]
    assert out[0]["buttons"] == ["撤销"]
    assert "已记录 #3、#4：1-16" in said[1] and "进展：正在推进" in said[1]
    assert "已撤销" in said[2]
    assert "第1项 已完成；第3项 正在推进 · 60%" in said[3]
    reports = await rows(settings, Report)
    t17, t16 = await task_id(settings, "1-17"), await task_id(settings, "1-16")
    assert [(r.task_id, r.measure_no, r.undone) for r in reports] == [
        (t17, 1, False), (t17, 2, False), (t16, 1, True), (t16, 2, True), (t16, 1, False), (t16, 3, False),
    ]
    assert [r.text for r in reports[4:]] == ["措施1已完成", "措施3完成60%"]
    unit = await unit_id(settings, "市应急管理局")
    shares = {s.task_id: s for s in await rows(settings, TaskUnit, TaskUnit.unit_id == unit)}
    assert (shares[t17].status, shares[t17].percent) == ("已完成", 100)
    assert shares[t16].status == "正在推进"


async def test_two_tasks_reported_in_words_in_one_message(settings: Settings) -> None:
    """Each clause is matched alone: both sure, both recorded in one reply; one only pointing
    to a task, the sure one is recorded and that one asked about."""
    out = await converse(settings, [
        START, WANG,
        {"as": 2002, "text": "尾矿库排查已完成，危废台账建了一半"},
        {"bind": {"user": 2004, "unit": "市城管局", "name": "周敏"}},
        {"as": 2004, "text": "水源地整治已完成，黑臭水体治理完成60%"},
        {"as": 2004, "press": "1-10"},
        {"as": 2004, "text": "1-10完成90%，1-12完成70%"},
    ], plans=[PLAN])
    wang = texts(out, 2002)
    assert "已记录 #1：1-17" in wang[0] and "已记录 #2：1-16" in wang[0] and "50%" in wang[0]
    assert out[0]["buttons"] == ["撤销 1-17", "撤销 1-16"]
    zhou = [o for o in out if o.get("chat") == 2004 and "text" in o]
    assert "已记录 #3：1-12" in zhou[0]["text"] and "60%" in zhou[0]["text"]
    assert zhou[1]["text"].startswith("“水源地整治已完成”属于哪项任务") and zhou[1]["buttons"][0].startswith("1-10")
    assert "已记录 #4：1-10" in zhou[2]["text"] and zhou[2]["edited"]
    assert "已记录 #5：1-10" in zhou[3]["text"] and "已记录 #6：1-12" in zhou[3]["text"]
    reports = await rows(settings, Report)
    got = [(r.task_id, r.percent, r.text) for r in reports]
    assert got == [
        (await task_id(settings, "1-17"), 100, "尾矿库排查已完成"),
        (await task_id(settings, "1-16"), 50, "危废台账建了一半"),
        (await task_id(settings, "1-12"), 60, "黑臭水体治理完成60%"),
        (await task_id(settings, "1-10"), 100, "水源地整治已完成"),
        (await task_id(settings, "1-10"), 90, "1-10完成90%"),
        (await task_id(settings, "1-12"), 70, "1-12完成70%"),
    ]


async def test_a_next_step_moves_no_percent_and_names_its_task_to_count(settings: Settings) -> None:
    """A plan is the unit's word for the period where it names its task ("1-16 计划月底完成"),
    never progress: "力争3月底前完成100%" is an aim, not 100%. Without a task it is not recorded."""
    out = await converse(settings, [
        START, WANG,
        {"as": 2002, "text": "1-17 完成60%"},
        {"as": 2002, "text": "1-17 下一步将全面完成尾矿库排查"},
        {"as": 2002, "text": "1-17 力争3月底前完成100%"},
        {"as": 2002, "text": "1-16 计划月底完成"},
        {"as": 2002, "text": "下周开始排查尾矿库"},
        {"as": 2002, "text": "准备下月启动尾矿库闭库"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert all("已登记下步安排，进度不变" in s for s in said[1:4])
    assert all(s.startswith("这是下一步安排，未作记录") for s in said[4:])
    reports = await rows(settings, Report)
    assert len(reports) == 4 and all((r.percent, r.status_word) == (None, None) for r in reports[1:])
    unit = await unit_id(settings, "市应急管理局")
    shares = {s.task_id: s for s in await rows(settings, TaskUnit, TaskUnit.unit_id == unit)}
    assert (shares[await task_id(settings, "1-17")].status, shares[await task_id(settings, "1-17")].percent) == ("正在推进", 60)
    assert shares[await task_id(settings, "1-16")].last_report_at is not None


async def test_a_share_signed_off_takes_no_more_reports(settings: Settings) -> None:
    """After 销号 a new report (a rebound) is not logged as the closed task's progress: the
    sender is told it is signed off and that the office must reopen it."""
    out = await converse(settings, [
        START, WANG, {"as": 1, "text": "/start"}, {"as": 2002, "text": "/start"},
        {"as": 2002, "text": "1-17已全部完成"},
        {"as": 2002, "text": "销号 1-17 尾矿库排查已全部完成，监管责任已落实"},
        {"as": 1, "press": "同意销号"},
        {"as": 2002, "text": "1-17 尾矿库又发现一处渗漏，正在处理，完成50%"},
        {"as": 2002, "text": "尾矿库排查有反弹，在整改", "reply_to": 3},
        {"as": 2002, "text": "/report 1-17"},
        {"as": 2002, "text": "1-16完成40%，1-17完成50%"},
    ], plans=[PLAN])
    said = [t for t in texts(out, 2002) if "销号" in t or "已记录" in t]
    closed = "1-17 防范各类尾矿库环境风险：本单位已销号，本条未作记录。如出现反弹或需继续整改，请联系整改办重新打开后再报送。"
    assert [s for s in said if closed in s][:3] == [closed, closed, closed]
    assert "已记录 #2：1-16" in said[-1] and closed in said[-1]
    # The office hears of it once that day, to decide on a rebound.
    told = [t for t in texts(out, 1) if t.startswith("【销号后报送】")]
    assert len(told) == 1 and "市应急管理局（王强）" in told[0] and "/reopen 1-17 市应急管理局 原因" in told[0]
    reports = await rows(settings, Report)
    assert [(r.task_id, r.percent) for r in reports] == [
        (await task_id(settings, "1-17"), 100), (await task_id(settings, "1-16"), 40),
    ]
    share = (await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"),
                        TaskUnit.unit_id == await unit_id(settings, "市应急管理局")))[0]
    assert (share.signoff_state, share.status, share.percent) == ("approved", "已完成", 100)


async def test_reports_typed_the_way_officials_type_them(settings: Settings) -> None:
    """A phone's dash in 1—17, spans like 百分之六七十, a slip put right as a reply, nothing new
    on two tasks at once, a forecast with a number: each read as meant."""
    out = await converse(settings, [
        START, WANG,
        {"as": 2002, "text": "1—17完成80%"},
        {"as": 2002, "text": "刚才的应该是1-16", "reply_to": "last"},
        {"as": 2002, "text": "1-17 进展顺利 完成了百分之六七十"},
        {"as": 2002, "text": "1-16 1-17 本旬无新进展"},
        {"as": 2002, "text": "1-17尾矿库排查下个礼拜全部搞完"},
        {"as": 2002, "text": "1-17 措施1 2 都完成了"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert "已记录 #1：1-17" in said[0] and "80%" in said[0]
    assert "报送 #1 已改到 1-16" in said[1]
    assert "已记录 #2：1-17" in said[2] and "正在推进 · 60%" in said[2]
    assert "已记录 #3：1-16" in said[3] and "已记录 #4：1-17" in said[3] and "本期无新进展，已登记，进度不变" in said[3]
    assert "已记录 #5：1-17" in said[4] and "已登记下步安排，进度不变" in said[4]
    assert "已记录 #6、#7：1-17" in said[5]
    reports = await rows(settings, Report)
    t16, t17 = await task_id(settings, "1-16"), await task_id(settings, "1-17")
    assert [(r.task_id, r.percent, r.measure_no) for r in reports] == [
        (t16, 80, None), (t17, 60, None), (t16, None, None), (t17, None, None), (t17, None, 1),
        (t17, 100, 1), (t17, 100, 2),
    ]


async def test_two_tasks_only_pointed_to_in_words_are_each_asked_about(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-04-18T09:30"},
        {"bind": {"user": 3001, "unit": "永城市人民政府", "name": "孙磊"}},
        {"as": 3001, "text": "河道采砂整治完了，扬尘治理完成一半"},
        {"as": 3001, "press": "1-18"},
    ], plans=[PLAN])
    asks = [o for o in out if o.get("chat") == 3001 and "text" in o]
    assert asks[0]["text"].startswith("“河道采砂整治完了”属于哪项任务") and asks[0]["buttons"][0].startswith("1-18")
    assert asks[1]["text"].startswith("“扬尘治理完成一半”属于哪项任务") and asks[1]["buttons"][0].startswith("2-8")
    assert "已记录 #1：1-18" in asks[2]["text"] and asks[2]["edited"]
    (report,) = await rows(settings, Report)
    assert (report.task_id, report.text) == (await task_id(settings, "1-18"), "河道采砂整治完了")
