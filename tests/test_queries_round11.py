"""Leaders' and the office's questions from the eleventh robustness round: a leader's tasks
not reported this 旬, who asked for more time, units by how many reports they sent, a task's
evidence listed, the daily brief, a unit's first few tasks, and English that says "1 task".

On 2019-01-10 (the 旬 from 1月1日) the Shangqiu plan has 1-10 and 2-3 overdue. 张家明 leads 14
tasks; in these seeds both units of his 1-9 have reported this 旬, so 13 are still waiting.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import Extension, Task, Unit
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, MEMBER_WATER, START, refs
from tests.test_queries_seed import PLAN, SEEDS, Seed, at, seed_plan

MORE = (
    Seed("1-9", "市自然资源和规划局", "矿山地质环境问题已完成摸排", "2019-01-09T15:00", 40),
    Seed("1-9", "永城市人民政府", "永城市矿区治理方案已报审", "2019-01-09T16:00", 30),
    Seed("1-10", "市生态环境局", "交通穿越工程完成验收", "2019-01-10T08:30", 90),
)


async def _ask_for_more_time(settings: Settings, *requests: tuple[str, str, str, str, str]) -> None:
    """Extension requests as the extensions service stores them: (ref, unit, new due, state, reason)."""
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            for ref, unit_name, due, state, reason in requests:
                task = (await session.execute(select(Task).where(Task.ref == ref))).scalar_one()
                unit = (await session.execute(select(Unit).where(Unit.name == unit_name))).scalar_one()
                session.add(Extension(task_id=task.id, unit_id=unit.id, new_due=at(due).date(), reason=reason,
                                      requested_at=at("2019-01-09T10:00"), state=state))
    finally:
        await engine.dispose()


async def test_a_leaders_tasks_not_reported_this_xun_are_not_all_his_tasks(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 1, "text": "张家明分管的任务有多少还没报"},
        {"as": 1002, "text": "张家明负责的任务哪些还没报送"},
        {"as": 2002, "text": "张家明分管的任务有多少还没报"},
    ], plans=[PLAN])
    admin, leader, member = texts(out, 1)[-1], texts(out, 1002)[-1], texts(out, 2002)[-1]
    assert admin.startswith("张家明分管的 14 项任务中，本旬（1月1日起）有 13 项尚有单位未报告进展")
    assert "1-9" not in refs(admin) and refs(admin)[:2] == ["1-10", "2-3"]
    assert "本旬未报：" in admin and leader == admin
    assert "（仅统计您可查看的任务）" in member and "1-3" not in refs(member)  # 1-3 is not 市水利局's


async def test_who_asked_for_an_extension(settings: Settings) -> None:
    await seed_plan(settings)
    await _ask_for_more_time(
        settings,
        ("1-10", "市水利局", "2019-06-30T00:00", "pending", "资金未到位"),
        ("1-17", "市应急管理局", "2019-03-15T00:00", "approved", "排查点多"),
    )
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 1002, "text": "市水利局申请延期了吗"},
        {"as": 1002, "text": "有哪些单位申请了延期"},
        {"as": 1002, "text": "市公安局有没有申请延期"},
        {"as": 2002, "text": "有哪些单位申请了延期"},
        {"as": 2002, "text": "我们的延期申请批了没有"},
    ], plans=[PLAN])
    water, every, police = texts(out, 1002)
    assert water.startswith("市水利局的延期申请 1 项：待审批 1 项") and "1-17" not in water
    assert "市水利局：1月9日申请延至6月30日（待审批）" in water and "理由：资金未到位" in water
    assert every.startswith("延期申请 2 项：待审批 1 项，已批准 1 项，未批准 0 项")
    assert every.index("1-10") < every.index("1-17") and "（已批准）" in every  # awaiting a decision first
    assert police == "市公安局没有提出过延期申请。"
    member_all, member_own = texts(out, 2002)
    assert member_all.startswith("延期申请 1 项") and "1-17" not in member_all  # 1-17 is not 市水利局's
    assert "（仅统计您可查看的任务）" in member_all
    assert member_own.startswith("市水利局的延期申请 1 项")


async def test_units_ranked_by_how_many_reports_they_sent(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "哪个单位报得最多"},
        {"as": 1002, "text": "哪个单位报得最少？"},
        {"as": 1002, "text": "报送最积极的单位"},
        {"as": 2001, "text": "哪个单位报得最多"},
    ], plans=[PLAN])
    most, fewest, keen = texts(out, 1002)
    lines = most.split("\n\n")
    assert most.startswith("各单位报送条数排名") and "从多到少" in most
    assert lines[1] == "1. 市生态环境局：累计 2 条 · 本旬 2 条"
    assert "6. 市水利局：累计 1 条 · 本旬 0 条" in most  # its one report was in December: last of those with 1
    assert "从少到多" in fewest and fewest.split("\n\n")[1].startswith("尚无任何报送的单位")
    assert keen == most
    assert "（仅统计您可查看的任务）" in texts(out, 2001)[-1]


async def test_a_tasks_evidence_is_listed_for_those_who_may_see_it(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "1-10的证据材料"},
        {"as": 1002, "text": "2-8证据材料有哪些"},
        {"as": 2001, "text": "2-8的证据材料"},
        {"as": 1002, "text": "1-9的证据材料"},
    ], plans=[PLAN])
    listed, dust, none = texts(out, 1002)
    assert listed.startswith("1-10 2016年督察指出饮用水水源地保护区环境违法问题突出 的佐证材料共 2 份")
    assert listed.count("1月8日 10:00 市生态环境局 照片：（无说明）") == 2
    assert "/evidence 1-10" in listed
    assert "佐证材料共 1 份" in dust and "市城管局" in dust
    assert texts(out, 2001)[-1].startswith("任务 2-8 不是贵单位承担的任务")
    assert none == "1-9 暂无佐证材料。"


async def test_the_daily_brief(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1, "text": "每日简报"},
        {"as": 1002, "text": "今天的简报"},
        {"as": 2001, "text": "每日简报"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "daily brief"},
    ], plans=[PLAN])
    admin = texts(out, 1)[-1]
    leader, member = texts(out, 1002)[0], texts(out, 2001)[-1]
    assert admin.startswith("每日简报（2019年1月10日）") and "全部任务 35 项" in admin
    assert "今日报送（1 项任务，1 条报告）" in admin and "交通穿越工程完成验收" in admin
    assert "矿山地质环境问题已完成摸排" not in admin  # yesterday's
    assert "逾期任务（2 项）" in admin and "7日内到期" in admin and "本旬尚有" in admin
    assert leader.startswith("每日简报") and "您分管的任务 24 项" in leader
    assert member == "调度通报仅限整改办和责任领导查看。"
    english = texts(out, 1002)[-1]
    assert english.startswith("Daily brief, 1/10/2019") and "(1 task, 1 report)" in english


async def test_a_units_first_few_tasks_asked_by_a_leader_are_a_question(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "市生态环境局前三项任务"},
        {"as": 1002, "text": "市水利局头两项任务是什么"},
        {"as": 2001, "text": "市生态环境局前三项任务"},
    ], plans=[PLAN])
    eco, water = texts(out, 1002)
    assert "不负责报送进展" not in eco
    assert "以下为按紧急程度排列的前 3 项（共 18 项）" in eco and len(refs(eco)) == 3 and refs(eco)[0] == "1-10"
    assert len(refs(water)) == 2 and refs(water)[0] == "1-10"
    assert next(o["buttons"] for o in out if o.get("chat") == 1002) == ["查看全部"]
    assert refs(texts(out, 2001)[-1]) == refs(eco)


async def test_english_counts_of_one_read_as_one(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "top 1 units"},
        {"as": 1002, "text": "/task 2-8"},
        {"as": 1002, "text": "which units reported most?"},
        {"clock": "2019-02-01T09:00"},
        {"as": 1002, "text": "how is 1-17"},
    ], plans=[PLAN])
    _, top, card, most = texts(out, 1002)[:4]
    late = texts(out, 1002)[-1]  # after the month's pushes the clock walked through
    assert top.startswith("Top 1 unit by progress")
    assert "1 evidence file" in card and "1 evidence files" not in card
    assert "1 report in all" in most and "1 reports" not in most
    assert "1 day overdue (due 1/31)" in late


async def test_task_numbers_typed_in_a_hurry_and_leaders_named_by_title(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "1-l7进展"},
        {"as": 1002, "text": "1一17进展如何"},
        {"as": 1002, "text": "市生态环境局的逾期任务"},
        {"as": 1002, "text": "张市长分管的逾期任务"},
        {"as": 1002, "press": "张家明"},
        {"as": 1002, "text": "完成率最低的单位"},
        {"as": 1002, "text": "哪个局最拖拉"},
    ], plans=[PLAN])
    typo_l, typo_dash, eco, which, _, lowest, slowest = texts(out, 1002)
    assert refs(typo_l) == refs(typo_dash) == ["1-17"]
    assert eco.startswith("市生态环境局：共 18 项任务") and refs(eco)[0] == "1-10"  # asked, not refused as a report
    assert which == "“张市长”可能是以下几位责任领导，请选择："
    chosen = [o for o in out if o.get("chat") == 1002 and o.get("edited")][-1]["text"]
    assert chosen.startswith("张家明分管的任务中逾期 2 项")
    assert lowest.startswith("各单位进度排名") and slowest == lowest


async def test_places_people_and_topics_said_loosely(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 1002, "text": "睢阳区的情况"},
        {"as": 1002, "text": "梁园区报了没有"},  # 梁园区 is in 1-10's text, but no unit of the plan
        {"as": 1002, "text": "王强是哪个单位的"},
        {"as": 1002, "text": "秸秆禁烧谁负责"},
        {"as": 1002, "text": "饮用水源地的问题解决了没"},
        {"as": 1002, "text": "采砂的事有人管没"},
        {"as": 1002, "text": "整改办在吗"},
        {"as": 1002, "text": "商丘市的情况"},
    ], plans=[PLAN])
    county, district, person, straw, water, sand, calling, city = texts(out, 1002)
    assert county.startswith("方案没有把“睢阳区”单独列为责任单位，县（市、区）的任务由“各县(市、区)”统一承担。")
    assert district.startswith("方案没有把“梁园区”单独列为责任单位")
    assert person == "王强：市水利局\n已绑定本助手，可接收提醒。"
    assert straw.startswith("方案中没有与“秸秆禁烧”相关的任务")  # not "秸秆禁烧谁负责"
    assert refs(water)[0] == "1-10" and "1-14" in refs(water)  # 饮用水水源地 written out in full
    assert sand.startswith("1-18 ") and "牵头单位：市水利局" in sand
    assert "没有理解这个问题" in calling  # the office called for, not task 1-3 on 整改办公室
    assert city.startswith("整改任务总体情况")  # the plan's own city is the whole plan


async def test_periods_counts_and_waiting_requests_asked_in_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "生态环境局这个月报了几次"},
        {"as": 1002, "text": "市城管局本旬报了没有"},
        {"as": 1002, "text": "1月份的整改情况"},
        {"as": 1002, "text": "一共多少个任务，完成了几个"},
        {"as": 1002, "text": "哪些单位从来没报过"},
        {"as": 1002, "text": "哪个单位证据材料最多"},
        {"as": 1002, "text": "有没有要我签字的"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "which unit reported the most?"},
    ], plans=[PLAN])
    month, xun, january, total, never, files, sign, _, english = texts(out, 1002)
    assert month.startswith("市生态环境局的报送")  # reports in the month, not the 月报
    assert xun.startswith("市城管局的报送") and "整改调度" not in xun
    assert january.startswith("1月1日以来的进展")
    assert total.startswith("整改任务总体情况") and "共 35 项任务" in total
    assert never.split("\n\n")[1].startswith("尚无任何报送的单位")
    assert files.startswith("各单位佐证材料排名") and "1. 市生态环境局：佐证材料 2 份 · 报送 1 条" in files
    assert refs(sign) == [] and "方案中没有" not in sign  # what waits for a decision, not task 2-14
    assert english.startswith("Units by number of reports")


async def test_the_offices_housekeeping_questions(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START,
        {"as": 1, "text": "立行立改的任务"},
        {"as": 1, "text": "哪些任务可以销号了"},
        {"as": 1, "text": "完成了但还没销号的任务"},
        {"as": 1, "text": "各单位报送情况统计一下"},
        {"as": 1, "text": "谁还没绑定"},
    ], plans=[PLAN])
    immediate, ready, done_open, counted, binding = texts(out, 1)
    assert immediate.startswith("相关任务 ") and "方案中没有" not in immediate  # the deadline's words count
    assert ready == done_open == "暂无已完成的任务。"  # not task 1-4's 审核, not a report
    assert counted.startswith("各单位报送条数排名")
    assert binding.startswith("人员绑定情况请发送 /people 查看")  # not the units yet to report
