"""Leaders' and the office's questions from the fourteenth round: a list dated by a period
word, a past month's progress, whether a unit reported in a span, the counties ranked
without the plan's 各县(市、区), who is not bound yet, and where each unit's 销号 stands.

On 2019-02-12 the Shangqiu plan has 1-10, 2-3 and 1-17 overdue. In the seeds 市水利局 last
reported on 2018年12月25日; 市生态环境局 reported on 1月8日 and 1月10日.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.config import Settings
from bot.questions import is_question
from storage.db import create_engine, session_factory, transaction
from storage.models import Invitation, Report, SignOff, Task, TaskUnit, Unit
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER_WATER, START, refs
from tests.test_queries_round11 import MORE
from tests.test_queries_seed import PLAN, SEEDS, Seed, at, seed_plan

ADMIN = {"bind": {"user": 1, "role": "admin"}}
FEBRUARY = {"clock": "2019-02-12T09:00"}


def test_a_period_word_before_a_list_is_a_question() -> None:
    for text in ("上旬逾期的任务", "本月未完成的任务", "1月上旬逾期的任务", "本周临期的任务", "目前逾期的任务"):
        assert is_question(text), text
    assert not is_question("上旬逾期任务已全部整改到位")


async def test_a_list_dated_by_a_period_word_is_answered_not_recorded(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [START, LEADER, {"as": 1002, "text": "上旬逾期的任务"}], plans=[PLAN])
    (late,) = texts(out, 1002)
    assert refs(late)[:2] == ["1-10", "2-3"] and "逾期" in late
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            assert await session.scalar(select(Report).where(Report.text == "上旬逾期的任务")) is None
    finally:
        await engine.dispose()


async def test_a_past_month_is_that_month_only(settings: Settings) -> None:
    feb = Seed("2-8", "市城管局", "二月扬尘专项检查第三轮", "2019-02-11T10:00", 70)
    await seed_plan(settings, (*SEEDS, *MORE, feb))
    out = await converse(settings, [FEBRUARY, LEADER,
                                    {"as": 1002, "text": "1月份的整改情况"},
                                    {"as": 1002, "text": "2月份的整改情况"}], plans=[PLAN])
    january, february = texts(out, 1002)
    assert january.startswith("1月1日至1月31日的进展")
    assert "二月扬尘专项检查第三轮" not in january and "交通穿越工程完成验收" in january
    assert "二月扬尘专项检查第三轮" in february and "交通穿越工程" not in february


async def test_whether_a_unit_reported_in_a_span(settings: Settings) -> None:
    await seed_plan(settings, (*SEEDS, *MORE))
    out = await converse(settings, [START, LEADER,
                                    {"as": 1002, "text": "市水利局本周报了吗"},
                                    {"as": 1002, "text": "市生态环境局本周报了吗"},
                                    {"as": 1002, "text": "生态环境局上周报了什么"},
                                    {"as": 1002, "text": "市生态环境局最近报了什么"},
                                    {"as": 1002, "text": "市应急管理局昨天报了没有"},
                                    {"as": 1002, "text": "水利局12月份报了什么"},
                                    {"as": 1002, "text": "/language en"},
                                    {"as": 1002, "text": "市水利局本周报了吗"}], plans=[PLAN])
    water, eco, last_week, latest, yesterday, december, _, english = texts(out, 1002)
    assert yesterday.startswith("市应急管理局的报送：1月9日报送了 1 条进展\n") and refs(yesterday) == ["1-17"]
    assert december.startswith("市水利局的报送：2018年12月1日至2018年12月31日报送了 1 条进展\n")
    assert latest.startswith("市生态环境局的报送（最近 2 条")  # 最近 is the newest, not a span
    assert water.startswith("市水利局的报送：1月7日以来没有报送进展。") and "最近一次报送是 2018年12月25日" in water
    assert "水源地巡查每周一次" not in water
    assert eco.startswith("市生态环境局的报送：1月7日以来报送了 2 条进展（最新在前）")
    assert refs(eco) == ["1-10", "1-10"]
    assert last_week.startswith("市生态环境局的报送：2018年12月31日至1月6日没有报送进展。")
    assert english.startswith("市水利局 has not reported since 1/7.") and "12/25/2018" in english


async def test_the_county_ranking_leaves_out_the_counties_named_together(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [START, LEADER, {"as": 1002, "text": "各县区完成情况排名"}], plans=[PLAN])
    (counties,) = texts(out, 1002)
    assert "1. 永城市人民政府" in counties and "（截至2019年1月10日，共 1 个）" in counties
    ranked, together = counties.split("方案统称“各县（市、区）”承担的任务（不参与县区排名）：")
    assert "各县(市、区)" not in ranked and "\n2. " not in ranked
    assert "1. 各县(市、区)人民政府(管委会)：" in together


async def test_the_office_sees_who_is_not_bound(settings: Settings) -> None:
    await seed_plan(settings)
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            unit = (await session.execute(select(Unit).where(Unit.name == "市应急管理局"))).scalar_one()
            session.add(Invitation(code_hash=b"x" * 32, unit_id=unit.id, name="孙丽", created_at=at("2019-01-08T09:00"),
                                   expires_at=at("2019-01-22T09:00")))
    finally:
        await engine.dispose()
    out = await converse(settings, [START, ADMIN, LEADER, MEMBER_WATER,
                                    {"as": 1, "text": "谁还没绑定"},
                                    {"as": 1, "text": "哪些单位还没有人绑定"},
                                    {"as": 1002, "text": "谁还没绑定"}], plans=[PLAN])
    who, units, leader = texts(out, 1) + texts(out, 1002)
    assert who == units and who.startswith("人员绑定情况请发送 /people 查看") and "\n人员绑定情况（截至2019年1月10日）" in who
    assert "\n• 市生态环境局（" in who and "\n• 市水利局（" not in who  # 王强 is bound to it
    assert "各县(市、区)" not in who
    assert "尚未绑定的责任领导" in who and "倪玉民" not in who.split("尚未绑定的责任领导")[1]
    assert "\n• 孙丽（市应急管理局，1月8日邀请）" in who
    assert leader == "人员绑定由整改办负责，如需了解请联系整改办。"


async def test_where_each_units_sign_off_stands(settings: Settings) -> None:
    await seed_plan(settings, signed_off=(("1-17", "市自然资源和规划局"),))
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            task = (await session.execute(select(Task).where(Task.ref == "1-17"))).scalar_one()
            for name, state, asked, reason in (
                ("市应急管理局", "returned", "2019-01-07T10:00", "缺少尾矿库闭库验收材料"),
                ("市生态环境局", "pending", "2019-01-09T11:00", None),
            ):
                unit = (await session.execute(select(Unit).where(Unit.name == name))).scalar_one()
                session.add(SignOff(task_id=task.id, unit_id=unit.id, requested_at=at(asked), state=state,
                                    decided_at=at("2019-01-08T15:00") if state == "returned" else None, reason=reason))
                share = (await session.execute(
                    select(TaskUnit).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == unit.id))).scalar_one()
                share.signoff_state = state
    finally:
        await engine.dispose()
    out = await converse(settings, [START, LEADER, {"as": 1002, "text": "1-17 的销号审核到哪了"},
                                    {"as": 1002, "text": "1-17 销号进度"},
                                    {"as": 1002, "text": "1-17 还差哪个单位没销号"}], plans=[PLAN])
    where, stage, missing = texts(out, 1002)
    assert stage == missing == where  # asked as a noun phrase or as "who", each unit's 销号
    assert "市应急管理局：销号申请已退回（1月8日，原因：缺少尾矿库闭库验收材料） · " in where
    assert "市生态环境局：待审核（1月9日申请销号）" in where
    assert "市自然资源和规划局：已销号（1月5日）" in where
    assert "永城市人民政府：未销号" in where


async def test_the_units_of_one_task_compared(settings: Settings) -> None:
    await seed_plan(settings, (*SEEDS, *MORE))
    out = await converse(settings, [START, LEADER,
                                    {"as": 1002, "text": "1-17 哪个单位拖后腿"},
                                    {"as": 1002, "text": "1-10哪个单位最慢"},
                                    {"as": 1002, "text": "1-10进展滞后的单位"},
                                    {"as": 1002, "text": "/language en"},
                                    {"as": 1002, "text": "Which units are behind on 1-10?"},
                                    {"as": 1002, "text": "How many tasks are still open?"},
                                    {"as": 1002, "text": "What is the completion rate?"}], plans=[PLAN])
    tailings, water, behind, _, english, still_open, rate = texts(out, 1002)
    assert behind == water  # a statement-shaped ask, not a report
    assert tailings.startswith("1-17 防范各类尾矿库环境风险\n各单位进度（最落后的在前）：")
    assert "牵头单位" not in tailings
    lines = tailings.splitlines()[2:]
    assert len(lines) == 4 and lines[-1].startswith("4. 🟢 市应急管理局：") and "最近报送 1月9日" in lines[-1]
    assert "尚未报送" in lines[0]
    assert water.splitlines()[-1].startswith("6. 🔴 市生态环境局：逾期 10 天") and "完成 90%" in water
    assert english.startswith("1-10 ") and "Its units, furthest behind first:" in english
    assert still_open.startswith("Rectification at a glance (as of 1/10/2019)")
    assert rate.splitlines()[1] == "Completion rate 0%: 0 of 35 tasks signed off; by the units' own reported progress, 2% done on average."
    assert rate.replace(rate.splitlines()[1] + "\n", "") == still_open


async def test_the_completion_rate_is_given_as_a_number(settings: Settings) -> None:
    await seed_plan(settings, (*SEEDS, *MORE), signed_off=(("1-18", "市水利局"), ("1-18", "各县(市、区)人民政府(管委会)")))
    out = await converse(settings, [START, LEADER,
                                    {"as": 1002, "text": "任务完成率多少"},
                                    {"as": 1002, "text": "还有多少任务没完成"}], plans=[PLAN])
    rate, still = texts(out, 1002)
    head, said = rate.splitlines()[:2]
    assert head.startswith("整改任务总体情况") and said.startswith("整改完成率 2.9%：已销号 1/35 项任务；按各单位报送的完成比例，平均完成 ")
    assert still.startswith("整改任务总体情况")  # no rate asked, none given
