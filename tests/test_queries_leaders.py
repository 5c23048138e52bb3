"""What a leader asks beyond the lists: a task's history, deadlines in a period, who lags, what is done."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.config import Settings
from bot.due_window import asked_window
from storage.db import create_engine, session_factory, transaction
from storage.models import Extension, Task, Unit
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, MEMBER_WATER, START, refs
from tests.test_queries_seed import PLAN, SEEDS, Seed, at, seed_plan


async def _extension(settings: Settings, ref: str, unit: str, new_due: date, state: str, reason: str) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            task = (await session.execute(select(Task).where(Task.ref == ref))).scalar_one()
            unit_row = (await session.execute(select(Unit).where(Unit.name == unit))).scalar_one()
            session.add(Extension(task_id=task.id, unit_id=unit_row.id, new_due=new_due, reason=reason,
                                  requested_at=at("2019-01-09T15:00"), state=state))
    finally:
        await engine.dispose()


async def test_a_tasks_history_reads_as_its_reports_extensions_and_sign_offs(settings: Settings) -> None:
    later = Seed("1-10", "市水利局", "水源地巡查每周一次，已整改3处", "2019-01-09T11:20", 40)
    await seed_plan(settings, (*SEEDS, later), signed_off=(("1-10", "市城管局"),))
    await _extension(settings, "1-10", "市水利局", date(2019, 3, 31), "approved", "汛期施工受限")
    out = await converse(settings, [
        START, LEADER, MEMBER, MEMBER_WATER,
        {"as": 1002, "text": "1-10的历史记录"},
        {"as": 1002, "text": "/history 1-10"},
        {"as": 2001, "text": "/history 1-10"},  # 市生态环境局: a unit of 1-10
        {"as": 2002, "text": "/history 2-8"},  # 市水利局 is on 2-8 too
        {"as": 2002, "text": "/history 1-17"},  # not 市水利局's task
        {"as": 1002, "text": "/history"},
        {"as": 1002, "text": "1-19的报送记录"},
        {"as": 1002, "text": "1-10谁负责"},
    ], plans=[PLAN])
    leader = texts(out, 1002)
    first = leader[0]
    assert "1-10 2016年督察指出饮用水水源地保护区环境违法问题突出 报送记录（共 4 条" in first
    # newest first: 水利局's report (11:20), 生态环境局's (1-8), the extension (1-9 15:00) by its time, 销号
    assert first.index("已整改3处") < first.index("界碑已全部设立")
    assert "市生态环境局·" not in first and "市生态环境局：措施1 · 完成 80%" in first and "（佐证 2 份）" in first
    assert "市水利局 申请延期至3月31日（已批准）" in first and "汛期施工受限" in first
    assert "市城管局 已销号" in first
    assert leader[1] == first  # the command says the same
    assert texts(out, 2001)[0] == first
    assert "2-8" in texts(out, 2002)[0] and "报送记录" in texts(out, 2002)[0]
    assert "1-17" in texts(out, 2002)[1] and "不是" in texts(out, 2002)[1] and "尾矿库排查" not in texts(out, 2002)[1]
    assert "用法" in leader[2] and "/history" in leader[2]
    assert "还没有报送记录" in leader[3]
    assert "责任领导" in leader[4] and "报送记录" not in leader[4]  # who, not history


def test_the_period_of_a_deadline_question() -> None:
    today = date(2019, 1, 24)  # a Thursday
    assert asked_window("下周有哪些任务到期", today) == (date(2019, 1, 28), date(2019, 2, 3))
    assert asked_window("这周到期的任务", today) == (date(2019, 1, 21), date(2019, 1, 27))
    assert asked_window("本月有哪些任务到期？", today) == (date(2019, 1, 1), date(2019, 1, 31))
    assert asked_window("下个月要完成的任务", today) == (date(2019, 2, 1), date(2019, 2, 28))
    assert asked_window("3月底前要完成的任务有哪些", today) == (today, date(2019, 3, 31))
    assert asked_window("三月份截止的任务", today) == (date(2019, 3, 1), date(2019, 3, 31))
    assert asked_window("未来两周内到期的", today) == (today, date(2019, 2, 7))
    assert asked_window("年底前要完成哪些", today) == (today, date(2019, 12, 31))
    assert asked_window("3月底前要完成的任务", date(2019, 12, 10)) == (date(2019, 12, 10), date(2020, 3, 31))
    assert asked_window("tasks due next week", today) == (date(2019, 1, 28), date(2019, 2, 3))
    assert asked_window("下季度到期的任务", today) == (date(2019, 4, 1), date(2019, 6, 30))
    assert asked_window("三季度要完成的", today) == (date(2019, 7, 1), date(2019, 9, 30))
    assert asked_window("tasks due in April", today) == (date(2019, 4, 1), date(2019, 4, 30))
    assert asked_window("tasks due before end of March", today) == (today, date(2019, 3, 31))
    assert asked_window("which tasks may be due", today) is None
    assert asked_window("本周有什么进展", today) is None  # reports, not deadlines
    assert asked_window("有哪些任务快到期了", today) is None  # the 临期 list


async def test_deadlines_in_a_period_the_laggards_and_what_is_finished(settings: Settings) -> None:
    done = (
        Seed("1-9", "市自然资源和规划局", "耕地保护问题已全部整改到位", "2019-01-08T10:00", 100),
        Seed("1-9", "永城市人民政府", "已完成整改", "2019-01-09T10:00", 100),
    )
    await seed_plan(settings, (*SEEDS, *done), signed_off=(("1-18", "市水利局"), ("1-18", "各县(市、区)人民政府(管委会)")))
    asked = [
        "下周有哪些任务到期",  # 0: 1-28 .. 2-3: 1-17 (1-31)
        "3月底前要完成的任务有哪些",  # 1: 1-17, 1-11 (2-28), 1-5 (3-31)
        "本月有什么任务要到期？",  # 2: January: 1-17 only (1-10's 2018 deadline is not this month)
        "哪个单位最落后",  # 3
        "各单位完成情况排名",  # 4: a statement, still a question from a leader
        "有哪些任务已经完成了",  # 5
        "这个月完成了哪些任务",  # 6
        "还有多少任务没完成",  # 7
        "1-17有哪些佐证材料",  # 8
        "本月有哪些任务没完成",  # 9: not a finished list
        "本周完成了哪些任务",  # 10
        "tasks due next week",  # 11
    ]
    out = await converse(
        settings, [{"clock": "2019-01-24T09:00"}, LEADER, *({"as": 1002, "text": q} for q in asked)], plans=[PLAN]
    )
    a = texts(out, 1002)
    assert len(a) == len(asked)
    assert "1月28日至2月3日到期的任务 1 项" in a[0] and refs(a[0]) == ["1-17"] and "1月31日到期" in a[0]
    # what must be done by the end of March includes what is already late, and says so
    assert refs(a[1]) == ["1-10", "2-3", "1-17", "1-11", "1-5"] and "3月31日前须完成的任务 5 项（含已逾期 2 项）" in a[1]
    assert "时限 2018年12月31日" in a[1]  # a late task's own deadline, with its year
    assert refs(a[2]) == ["1-17"]
    ranking = a[3]
    assert ranking.startswith("各单位进度排名") and a[4] == ranking
    overdue = [int(n) for n in re.findall(r"逾期 (\d+) 项", ranking)]
    assert overdue and overdue == sorted(overdue, reverse=True) and overdue[0] >= 1
    assert "1. " in ranking and "市水利局" in ranking
    assert "已销号 1 项，已报完成待销号 1 项" in a[5] and refs(a[5]) == ["1-18", "1-9"]
    assert "1月1日以来已完成的任务" in a[6] and refs(a[6]) == ["1-18", "1-9"]
    assert "1月21日以来暂无已完成的任务" in a[10]
    assert a[11] == a[0]
    assert "整改任务总体情况" in a[7]
    assert "佐证" in a[8] and "1-17" in a[8] and "报送记录" not in a[8]
    assert "已完成的任务" not in a[9] and "整改任务总体情况" in a[9]


async def test_a_question_made_only_of_common_words_is_not_matched_to_a_task(settings: Settings) -> None:
    await seed_plan(settings)
    asked = ["有哪些工作要做", "现在情况怎么样了？", "本月有哪些任务到期", "扬尘治理进展怎么样", "有哪些任务今天到期"]
    out = await converse(settings, [START, LEADER, *({"as": 1002, "text": q} for q in asked)], plans=[PLAN])
    a = texts(out, 1002)
    assert "没有理解这个问题" in a[0]
    assert "整改任务总体情况" in a[1]
    assert "1月1日至1月31日到期的任务" in a[2]
    assert refs(a[3])[0] == "2-8"  # a topic still finds its task
    assert a[4].startswith("1月10日没有到期的任务")  # one day is named once, not "1月10日至1月10日"


async def test_the_ranking_and_a_history_turn_pages_and_stale_data_changes_nothing(settings: Settings) -> None:
    from tests.test_queries import items

    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "各单位进度排名"},
        {"as": 1002, "press": "下一页"},
        {"as": 1002, "callback": "q:p:2019013:0", "on": 2},  # a window that is not one
        {"as": 1002, "callback": "q:h:-:0", "on": 2},
    ], plans=[PLAN])
    msgs = items(out, 1002)
    assert "1. " in msgs[0]["text"] and "第 1/4 页" in msgs[0]["text"]
    assert msgs[1]["edited"] and "16. " in msgs[1]["text"] and "1. <b>" not in msgs[1]["text"]
    answers = [o for o in out if "callback_answer" in o]
    assert answers[-1]["alert"] and "已失效" in answers[-1]["callback_answer"]


async def test_questions_naming_a_person_a_units_reports_or_a_tasks_measures(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 2002, "text": "1-18河道采砂专项巡查完成了50%"},
        {"as": 1002, "text": "王强报了什么"},
        {"as": 1002, "text": "市水利局最近报了什么"},
        {"as": 1002, "text": "吴祖明分管哪些任务"},
        {"as": 1002, "text": "哪些任务还没有人报过"},
        {"as": 1002, "text": "2-8的措施有哪些"},
        {"as": 1002, "text": "市水利局的联系人是谁"},
    ], plans=[PLAN])
    assert "已记录" in texts(out, 2002)[0]
    a = texts(out, 1002)
    assert a[0].startswith("王强的报送") and refs(a[0]) == ["1-18"] and "市水利局：" in a[0]
    assert a[1].startswith("市水利局的报送（最近 2 条") and refs(a[1]) == ["1-18", "1-14"]
    assert a[2].startswith("吴祖明分管的任务 15 项") and "1-2" in refs(a[2]) and "第 1/2 页" in a[2]
    assert "本旬尚未报告" in a[3]
    assert "整改措施" in a[4] and "2-8" in a[4] and "牵头单位" in a[4]  # the card, measures and all
    assert a[5].startswith("市水利局：") and "已绑定人员：王强" in a[5]


async def test_my_lists_a_tasks_missing_units_and_task_attributes(settings: Settings) -> None:
    await seed_plan(settings)
    county = {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "周涛"}}
    wu = {"bind": {"user": 1003, "person": "吴祖明", "role": "leader"}}
    out = await converse(settings, [
        {"clock": "2019-02-22T09:30"}, LEADER, wu, county,
        {"as": 1003, "text": "哪些单位本旬没报告"},  # 本旬 + 报告: still the not-reported list
        {"as": 1003, "text": "1-17谁还没报"},  # the task's units and their reports, not its parties
        {"as": 1003, "text": "我分管的有哪些逾期"},  # his own overdue: 1-17, not 1-10 or 2-3
        {"as": 1002, "text": "我分管的逾期任务"},  # a noun phrase, still a question
        {"as": 2005, "text": "我们县还有哪些没报"},
        {"as": 1003, "text": "1.17进展"},
        {"as": 1003, "text": "1-17的牵头单位"},
        {"as": 1003, "text": "2-4截止日期"},
    ], plans=[PLAN])
    wu_said, ni = texts(out, 1003), texts(out, 1002)
    assert wu_said[0].startswith("本旬尚未报告")
    assert refs(wu_said[1]) == ["1-17"] and "市自然资源和规划局：逾期" in wu_said[1] and "尚未报告" in wu_said[1]
    assert refs(wu_said[2]) == ["1-17"] and "逾期任务 1 项" in wu_said[2]
    assert set(refs(ni[0])) == {"1-10", "2-3"}  # 倪玉民 leads those two, not 1-17
    county_said = texts(out, 2005)[0]
    assert county_said.startswith("永城市人民政府：") and "1-11" in county_said  # its share of 各县 tasks
    assert "1-19" not in county_said and "1-6 " not in county_said  # 各县党委(宣传部): not the government's
    assert refs(wu_said[3]) == ["1-17"] and "状态：" in wu_said[3]
    assert "牵头单位：市应急管理局" in wu_said[4]
    assert "2-4" in wu_said[5] and "12月31日" in wu_said[5] and "整改时限" in wu_said[5]


async def test_a_leaders_bare_words_and_best_first_rankings(settings: Settings) -> None:
    await seed_plan(settings)
    wu = {"bind": {"user": 1003, "person": "吴祖明", "role": "leader"}}
    out = await converse(settings, [
        START, wu,
        {"as": 1003, "text": "市城管局"},  # a leader reports nothing: a unit's name asks about it
        {"as": 1003, "text": "尾矿库"},
        {"as": 1003, "text": "完成率最高的单位"},
        {"as": 1003, "text": "生态环境局排第几"},
        {"as": 1003, "text": "好的"},
    ], plans=[PLAN])
    a = texts(out, 1003)
    assert a[0].startswith("市城管局：共")
    assert refs(a[1])[0] == "1-17"
    assert "进度最好的在前" in a[2] and "1. " in a[2]
    assert "市生态环境局排第" in a[3] and "最落后的在前" in a[3]
    assert "没有理解" not in a[4] and "不负责报送" not in a[4]


async def test_a_leader_by_post_a_units_own_reports_and_questions_in_english(settings: Settings) -> None:
    await seed_plan(settings)
    emergency = {"bind": {"user": 2003, "unit": "市应急管理局", "name": "王刚"}}
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER, emergency,
        {"as": 2003, "text": "1-17尾矿库排查完成了60%"},
        {"as": 2003, "text": "我们报过什么"},
        {"as": 2003, "text": "市水利局报了什么"},  # not its tasks: not "has no reports"
        {"as": 1, "text": "倪市长分管的逾期任务"},
        {"as": 1002, "text": "who is responsible for 1-10"},
        {"as": 1002, "text": "What has 市水利局 reported?"},
    ], plans=[PLAN])
    member = texts(out, 2003)
    assert member[1].startswith("市应急管理局的报送") and refs(member[1])[0] == "1-17"
    assert "在您可查看的任务范围内" in member[2]
    assert texts(out, 1)[-1].startswith("倪玉民分管的任务")
    leader = texts(out, 1002)
    assert "责任领导：张家明、倪玉民" in leader[0] and "牵头单位" in leader[0]
    assert leader[1].startswith("市水利局的报送") and "水源地巡查每周一次" in leader[1]


async def test_a_units_list_shows_the_deadline_of_a_task_not_yet_near(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, {"bind": {"user": 2009, "unit": "市纪委监委", "name": "钱进"}},
        {"as": 2009, "text": "我们的任务什么时候到期"},
    ], plans=[PLAN])
    said = texts(out, 2009)[0]
    assert "1-5" in refs(said) and "时限 3月31日" in said


async def test_units_that_finished_their_share_of_an_open_task_are_named(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, {"bind": {"user": 2004, "unit": "市交通运输局", "name": "孙丽"}},
        {"as": 2004, "text": "2-9道路扬尘整治已完成"},
        {"as": 1002, "text": "哪些单位已经完成"},
    ], plans=[PLAN])
    said = texts(out, 1002)[0]
    assert "另有 1 项任务部分单位已完成" in said and refs(said) == ["2-9"] and "已完成的单位：市交通运输局" in said


async def test_lists_cut_at_a_number_the_leader_names(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        {"clock": "2019-02-22T09:30"}, LEADER,
        {"as": 1002, "text": "逾期超过30天的任务"},  # 1-10 and 2-3 (53 days); 1-17 (22 days) is not
        {"as": 1002, "text": "完成率低于50%的任务"},
    ], plans=[PLAN])
    a = texts(out, 1002)
    assert "逾期超过 30 天的任务 2 项" in a[0] and refs(a[0]) == ["1-10", "2-3"]
    assert "完成率低于 50% 的未销号任务 35 项" in a[1] and refs(a[1])  # no task is half done as a whole yet
