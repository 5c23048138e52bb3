"""Leaders' and the office's questions from the thirteenth round: units silent for a span or
a named week or month, the 旬 before this one and a 旬 named by its month, one line per unit
and task in the progress of a day, a week or a closed period, English unit names, the
counties ranked and their reporting rate, the worst few, days to a deadline, a unit's last
report, a member's "we", and the tasks nobody has touched.

On 2019-01-10 (the 旬 from 1月1日, a Thursday) the Shangqiu plan has 1-10 and 2-3 overdue
(since 2018年12月31日) and 1-17 due on 1月31日. In the seeds 市水利局 last reported on
2018年12月25日; 市生态环境局, 市城管局 and 市应急管理局 reported between 1月7日 and 1月9日.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.config import Settings
from bot.questions import asked_xun, is_question, silent_since
from storage.db import create_engine, session_factory, transaction
from storage.models import Report, Task
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, START, refs
from tests.test_queries_round11 import MORE
from tests.test_queries_seed import PLAN, SEEDS, Seed, at, seed_plan

ENGLISH = {"as": 1002, "text": "/language en"}


async def test_units_silent_for_the_span_asked_not_this_xun(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "两周没报进展的单位"},
        {"as": 1002, "text": "超过一个月没报的单位"},
        {"as": 1002, "text": "30天以上未报送的"},
        ENGLISH,
        {"as": 1002, "text": "Which units haven't reported for two weeks?"},
    ], plans=[PLAN])
    fortnight, month, days, _, english = texts(out, 1002)
    assert fortnight.startswith("2018年12月27日以来未报送进展的单位")
    assert "\n1. 市水利局：最近一次报送 2018年12月25日" in fortnight  # its one report, before the span
    assert "从未报送过进展的单位" in fortnight and "市生态环境局" not in fortnight  # it reported on 1月8日
    assert "本旬尚未报告" not in fortnight
    assert month.startswith("2018年12月10日以来未报送进展的单位") and "市水利局" not in month
    assert days.startswith("2018年12月11日以来未报送进展的单位")
    assert "have not reported since 12/27/2018" in english
    assert "1. 市水利局: last report 12/25/2018" in english


async def test_the_previous_xun_and_a_xun_named_by_its_month(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        {"clock": "2019-01-12T09:00"}, LEADER,
        {"as": 1002, "text": "上旬报送情况"},
        {"as": 1002, "text": "上一旬谁没报"},
        {"as": 1002, "text": "1月上旬报送率"},
        {"as": 1002, "text": "12月下旬谁没报"},
        {"as": 1002, "text": "下旬报送情况"},
    ], plans=[PLAN])
    first, silent, named, december, later = texts(out, 1002)
    head = "上一旬（1月1日至1月10日）报送率 2.4%：已报 5 / 应报 210"
    assert first.startswith(head) and named.startswith(head)  # not this 旬's 0 of 210
    assert silent.startswith(head) and "该旬有任务未报送的单位" in silent
    assert "\n• 市水利局（9 项）：" in silent  # it reported on 12月25日, none in 1月上旬
    assert "本旬尚未报告" not in silent
    assert december.startswith("2018年12月下旬（2018年12月21日至2018年12月31日）报送率 0.5%：已报 1 / 应报 210")
    assert "\n• 市生态环境局（17 项）：" in december  # 1-10 was reported only in January
    assert later.startswith("1月下旬还没有到")


def test_shang_xun_is_this_one_when_asked_in_it() -> None:
    assert asked_xun("上旬报送情况", date(2019, 1, 8)) == (False, date(2019, 1, 1))
    assert asked_xun("上旬报送情况", date(2019, 1, 28)) == (True, None)
    assert asked_xun("上一旬谁没报", date(2019, 1, 8)) == (True, None)
    assert asked_xun("上个月下旬报送情况", date(2019, 1, 8)) == (False, date(2018, 12, 21))
    assert silent_since("1月没报的单位", date(2019, 3, 8)) is None  # January, not a month's span
    assert silent_since("半个月没报的单位", date(2019, 3, 8)) == date(2019, 2, 21)
    assert is_question("超过一个月没报的单位") and is_question("各县区完成情况排名")
    assert is_question("市生态环境局多久没报了")


async def test_todays_progress_has_one_line_per_unit_and_task(settings: Settings) -> None:
    again = Seed("1-10", "市生态环境局", "交通穿越工程整改资料已归档", "2019-01-10T11:00", 95)
    await seed_plan(settings, (*SEEDS, *MORE, again))
    out = await converse(settings, [
        {"clock": "2019-01-10T12:00"}, LEADER,
        {"as": 1002, "text": "今天有谁报了进展"},
        {"as": 1002, "text": "本周谁报了进展"},
        {"as": 1002, "text": "今日报送情况"},
    ], plans=[PLAN])
    today, week, said = texts(out, 1002)
    assert said == today  # 今日 is 今天
    assert today.startswith("1月10日以来的进展：1 项任务，共 2 条报告")
    assert refs(today) == ["1-10"] and "交通穿越工程整改资料已归档" in today and "（完成 95%）" in today
    assert "交通穿越工程完成验收" not in today and "期间共报 2 次" in today
    assert refs(week) == ["1-10", "1-9", "1-9", "1-17", "2-8"]  # 1-9 from two units, 1-10 once
    assert "期间共报 3 次" in week  # 1-10: 1月8日 and twice today
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            task = (await session.execute(select(Task).where(Task.ref == "1-10"))).scalar_one()
            kept = await session.scalar(
                select(func.count()).select_from(Report).where(Report.task_id == task.id, Report.created_at >= at("2019-01-10T00:00"))
            )
    finally:
        await engine.dispose()
    assert kept == 2  # both reports stay; only the answer folds them


async def test_a_unit_named_in_english_is_answered_with_how_to_ask(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "How is the Water Resources Bureau doing?"},
        ENGLISH,
        {"as": 1002, "text": "How is the Water Resources Bureau doing?"},
        {"as": 1002, "text": "What did the Ecology and Environment Bureau report?"},
    ], plans=[PLAN])
    chinese, _, english, ecology = texts(out, 1002)
    assert chinese.startswith("方案中的单位名称都是中文，暂时无法识别英文单位名“Water Resources Bureau”")
    assert "/unit " in chinese and refs(chinese) == []
    assert english.startswith('The plan names its units in Chinese, so I cannot tell which unit "Water Resources Bureau" is')
    assert "Ecology and Environment Bureau" in ecology and refs(ecology) == []


async def test_counties_the_worst_few_deadlines_last_reports_and_untouched_tasks(settings: Settings) -> None:
    newer = Seed("1-14", "市水利局", "水源地巡查发现问题已整改", "2019-01-09T17:00", 60)
    await seed_plan(settings, (*SEEDS, newer))
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "各县区完成情况排名"},
        {"as": 1002, "text": "超期最多的三个单位"},
        {"as": 1002, "text": "1-17 还有几天到期"},
        {"as": 1002, "text": "2-3超期多少天了"},
        {"as": 1002, "text": "1-17到期时间"},
        {"as": 1002, "text": "水利局最近一次报的什么"},
        {"as": 1002, "text": "市生态环境局多久没报了"},
        {"as": 1002, "text": "哪些任务一直没人报"},
    ], plans=[PLAN])
    counties, worst, days, late, when, water, eco, untouched = texts(out, 1002)
    assert counties.startswith("各县（市、区）整改情况") and "1. 永城市人民政府" in counties
    assert worst.startswith("进度最落后的 3 个单位") and "\n3. " in worst and "\n4. " not in worst
    assert "1月31日到期，还有 21 天。" in days and refs(days) == ["1-17"]
    assert "2018年12月31日已到期，逾期 10 天。" in late and "整改时限" not in late
    assert when.startswith("🟡 1-17 ") and "1月31日 完成尾矿库排查（未到期）" in when  # the card, every deadline
    assert water.startswith("市水利局的报送（最近 1 条") and "水源地巡查发现问题已整改" in water
    assert "每周一次" not in water and "17:00：" in water  # no stray space for a report without a sender
    assert eco.startswith("市生态环境局的报送（最近 1 条") and "1月8日" in eco
    assert untouched.startswith("至今没有任何单位报送过进展的任务 31 项（共 35 项）")
    assert "1-1" in refs(untouched) and not {"1-10", "1-14", "1-17", "2-8"} & set(refs(untouched))


async def test_the_last_few_days_and_the_lowest_few_rates(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "最近三天谁报了"},
        {"as": 1002, "text": "近一周有什么进展"},
        {"as": 1002, "text": "报送率最低的三个单位"},
    ], plans=[PLAN])
    three, week, lowest = texts(out, 1002)
    assert three.startswith("1月8日以来的进展") and "2-8" not in refs(three)  # 1月7日 is four days back
    assert week.startswith("1月4日以来的进展") and "2-8" in refs(week)
    assert lowest.startswith("本旬（1月1日起）报送率") and "\n3. " in lowest and "\n4. " not in lowest


async def test_a_units_own_rate_a_leaders_silent_tasks_and_a_unit_silent_for_a_span(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 2001, "text": "我们单位上一旬报送率"},
        {"as": 1002, "text": "张家明分管的任务两周没报的"},
        {"as": 1002, "text": "市水利局两周没报了吗"},
    ], plans=[PLAN])
    own = texts(out, 2001)[-1]
    leader, water = texts(out, 1002)
    assert own == "市生态环境局：上一旬（2018年12月21日至2018年12月31日）报送率 0%：已报 0 / 应报 17（按任务×责任单位计，已销号的不计）"
    assert leader.startswith("张家明分管的 14 项任务中")  # not tasks "2" read from 两周
    assert water.startswith("市水利局的报送（最近 1 条") and "2018年12月25日" in water


async def test_a_weekday_or_a_xun_named_is_that_span_not_the_week(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,  # a Thursday
        {"as": 1002, "text": "本周五前要完成的"},
        {"as": 1002, "text": "下周一到期的有哪些"},
        {"as": 1002, "text": "下旬到期的有哪些"},
    ], plans=[PLAN])
    friday, monday, late_xun = texts(out, 1002)
    assert late_xun.startswith("1月21日至1月31日到期的任务 1 项") and refs(late_xun) == ["1-17"]
    assert friday.startswith("1月11日前须完成的任务 2 项（含已逾期 2 项）") and refs(friday) == ["1-10", "2-3"]
    assert monday.startswith("1月14日没有到期的任务")


async def test_english_questions_on_untouched_tasks_and_evidence(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, ENGLISH,
        {"as": 1002, "text": "Which tasks has nobody reported on?"},
        {"as": 1002, "text": "show the evidence for 1-10"},
    ], plans=[PLAN])
    untouched, evidence = texts(out, 1002)[1:]
    assert untouched.startswith("31 tasks no unit has reported on yet (of 35)") and "1-10" not in refs(untouched)
    assert evidence.startswith("Evidence for 1-10 ") and ": 2 files." in evidence  # the files, not the progress


async def test_the_weeks_progress_turns_its_pages_in_the_same_form(settings: Settings) -> None:
    week = tuple(
        Seed(ref, "市生态环境局", f"{ref}第{n}轮推进", f"2019-01-0{day}T{hour}:00", 10 * n)
        for ref in ("1-1", "1-12", "1-13", "1-15", "1-16", "2-1", "2-2", "2-4", "2-10")
        for n, (day, hour) in enumerate((("7", "09"), ("9", "10")), 1)
    )
    await seed_plan(settings, week)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "本周有什么进展"},
        {"as": 1002, "press": "下一页"},
    ], plans=[PLAN])
    first = texts(out, 1002)[0]
    second = [o for o in out if o.get("chat") == 1002 and o.get("edited")][-1]["text"]
    assert first.startswith("1月7日以来的进展：9 项任务，共 18 条报告") and "第 1/2 页" in first
    assert len(refs(first)) == 8 and "第2轮推进" in first and "第1轮推进" not in first
    assert "第 2/2 页" in second and len(refs(second)) == 1 and "第1轮推进" not in second  # the same folded form


async def test_who_did_not_report_last_week_or_this_week(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        {"clock": "2019-01-15T09:00"}, LEADER,  # a Tuesday
        {"as": 1002, "text": "上周谁没报"},
        {"as": 1002, "text": "本周哪些单位还没报"},
        ENGLISH,
        {"as": 1002, "text": "Who did not report last week?"},
    ], plans=[PLAN])
    last, this, _, english = texts(out, 1002)
    assert "units did not report from 1/7 to 1/13" in english and "\n1. 市水利局: last report 12/25/2018" in english
    assert last.startswith("1月7日至1月13日未报送进展的单位")
    assert "\n1. 市水利局：最近一次报送 2018年12月25日" in last and "市城管局" not in last  # it reported on 1月7日
    assert this.startswith("1月14日以来未报送进展的单位")
    assert "\n1. 市水利局：最近一次报送 2018年12月25日" in this and "市城管局：最近一次报送 1月7日" in this


async def test_last_months_and_last_weeks_progress_and_every_units_reporting(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        {"clock": "2019-01-15T09:00"}, LEADER,
        {"as": 1002, "text": "上月报送情况"},
        {"as": 1002, "text": "上周有什么进展"},
        {"as": 1002, "text": "各单位报送情况"},
    ], plans=[PLAN])
    december, week, units = texts(out, 1002)
    assert december.startswith("2018年12月1日至2018年12月31日的进展：1 项任务，共 1 条报告") and refs(december) == ["1-14"]
    assert week.startswith("1月7日至1月13日的进展：3 项任务，共 3 条报告") and "1-14" not in refs(week)
    assert units.startswith("本旬（1月11日起）报送率 0%") and "各单位报送率（从低到高）：" in units


async def test_a_member_asks_about_their_own_units_reporting(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        {"clock": "2019-01-12T09:00"}, MEMBER,
        {"as": 2001, "text": "我们多久没报了"},
        {"as": 2001, "text": "我们单位最近一次报的什么"},
        {"as": 2001, "text": "我们上一旬报了几项"},
    ], plans=[PLAN])
    how_long, latest, previous = texts(out, 2001)
    assert how_long.startswith("市生态环境局的报送（最近 1 条") and "1月10日 08:30" in how_long
    assert latest == how_long and "界碑" not in latest  # the newest only, not the 1月8日 one too
    assert previous.startswith("市生态环境局：上一旬（1月1日至1月10日）报送率 5.9%：已报 1 / 应报 17")


async def test_the_counties_reporting_rate_is_theirs_alone(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "各县区报送率"},
    ], plans=[PLAN])
    counties = texts(out, 1002)[-1]
    assert counties.startswith("本旬（1月1日起）报送率 2.9%：已报 1 / 应报 35")  # 永城市's 1-9 of the counties' 35
    assert "（仅统计各县（市、区）承担的任务）" in counties and "市生态环境局" not in counties
    assert "永城市人民政府：1/2（50%）" in counties


async def test_a_progress_button_sent_before_the_folding_shows_the_folded_list(settings: Settings) -> None:
    again = Seed("1-10", "市生态环境局", "交通穿越工程整改资料已归档", "2019-01-10T11:00", 95)
    await seed_plan(settings, (*SEEDS, *MORE, again))
    first = await converse(settings, [{"clock": "2019-01-10T12:00"}, LEADER, {"as": 1002, "text": "/status"}], plans=[PLAN])
    status = next(o["id"] for o in first if o.get("chat") == 1002)
    out = await converse(settings, [{"as": 1002, "callback": "q:w:20190110:0", "on": status}], plans=[PLAN])
    page = texts(out, 1002)[-1]
    assert page.startswith("1月10日以来的进展：1 项任务，共 2 条报告") and "期间共报 2 次" in page
