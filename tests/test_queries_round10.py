"""Leaders' questions from the tenth robustness round: a leader's overdue tasks counted,
the first or last few units, topics the plan does not have, the day's situation, a
unit's group asked about another unit's task, and whether a task is signed off.

On 2019-01-10 the Shangqiu plan has 1-10 and 2-3 overdue, both led by 张家明 among others.
"""

from __future__ import annotations

import re

from bot.cards import ViewRef
from bot.config import Settings
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, START, refs
from tests.test_queries_seed import PLAN, seed_plan

GROUP = -100600


def _ranked_units(text: str) -> list[str]:
    return re.findall(r"^\d+\. (\S+?)[：:]", text, re.M)


async def test_a_leaders_overdue_tasks_are_his_late_ones_only(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "张家明分管的任务逾期了几个"},
        {"as": 2001, "text": "张家明分管的任务逾期了几个"},
        {"as": 1002, "text": "王全周分管的任务有逾期的吗"},
    ], plans=[PLAN])
    counted, none = texts(out, 1002)
    assert counted.startswith("张家明分管的任务中逾期 2 项") and refs(counted) == ["1-10", "2-3"]
    member = texts(out, 2001)[-1]
    assert member.startswith("张家明分管的任务中逾期 1 项") and "（仅统计您可查看的任务）" in member
    assert none == "王全周分管的任务目前没有逾期。"
    # buttons already sent keep working, and the new list pages like the old one
    assert ViewRef.parse("q:l:7:1") == ViewRef("l", 7, 1) and ViewRef.parse("q:e:7:0") == ViewRef("e", 7, 0)
    assert ViewRef.parse("q:y:-:0") == ViewRef("y") and ViewRef.parse("q:a:-:0") is None


async def test_the_first_or_last_few_units(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "进度前5名的单位"},
        {"as": 1002, "text": "后3名"},
        {"as": 1002, "text": "前十"},
        {"as": 1002, "text": "最落后的3个单位"},
        {"as": 1002, "text": "单位排名"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "top 5 units"},
    ], plans=[PLAN])
    top5, last3, top10, behind3, whole, _, english = texts(out, 1002)
    assert top5.startswith("进度最好的前 5 个单位") and len(_ranked_units(top5)) == 5
    assert last3.startswith("进度最落后的 3 个单位") and len(_ranked_units(last3)) == 3
    assert _ranked_units(last3) == _ranked_units(whole)[:3] and behind3 == last3
    assert len(_ranked_units(top10)) == 10 and _ranked_units(top10)[:5] == _ranked_units(top5)
    assert english.startswith("Top 5 units by progress") and len(_ranked_units(english)) == 5


async def test_topics_the_plan_has_not_and_english_topic_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "秸秆焚烧的任务"},
        {"as": 1002, "text": "噪声污染方面的任务"},
        {"as": 1002, "text": "水相关的"},
        {"as": 1002, "text": "扬尘管控怎么样"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "tailings ponds tasks"},
        {"as": 1002, "text": "drinking water"},
        {"as": 1002, "text": "straw burning tasks"},
    ], plans=[PLAN])
    straw, noise, water, dust, _, ponds, drinking, english_straw = texts(out, 1002)
    # 秸秆 is in one task and 焚烧 in another: no task is about straw burning
    assert straw == "方案中没有与“秸秆焚烧”相关的任务。可发送任务编号或其他关键词查询。"
    assert noise.startswith("方案中没有与“噪声污染”相关的任务")
    assert water.startswith("相关任务 12 项") and "1-10" in refs(water) and "1-5" not in refs(water)  # 问责存在水分
    assert len(water) <= 4096
    assert refs(dust)[0] == "2-8"
    assert refs(ponds) == ["1-17"]
    assert drinking.startswith("4 related tasks") and "1-10" in refs(drinking)
    assert english_straw.startswith("The plan has no task on")


async def test_the_days_situation_and_what_needs_attention(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "今天的情况"},
        {"as": 1002, "text": "有什么问题吗"},
        {"as": 1002, "text": "目前最大的问题是什么"},
        {"as": 1002, "text": "水源地有什么问题"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "any problems?"},
    ], plans=[PLAN])
    today, problems, biggest, topic, _, english = texts(out, 1002)
    assert today.startswith("整改任务总体情况") and refs(today)[:2] == ["1-10", "2-3"]
    assert problems == biggest == today
    assert refs(topic)[0] == "1-10"  # a topic's problem is still that task's
    assert english.startswith("Rectification at a glance")


async def test_a_unit_group_asked_about_another_units_task(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1, "text": "/group 市生态环境局", "chat": GROUP},
        {"as": 1002, "text": "2-3的情况", "chat": GROUP},
        {"as": 2001, "text": "2-3的情况", "chat": GROUP},
        {"as": 1002, "text": "1-10的情况", "chat": GROUP},
    ], plans=[PLAN])
    _, leader, member, own = texts(out, GROUP)
    assert leader == "本群登记为“市生态环境局”工作群，群内只显示该单位的任务。任务 2-3 请私聊我查询。"
    assert member.startswith("任务 2-3 不是贵单位承担的任务")  # not the member's either
    assert refs(own) == ["1-10"]


async def test_whether_a_task_is_signed_off(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 2001, "text": "1-17 尾矿库排查已完成一半"},
        {"as": 1002, "text": "1-17销号了吗"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "is 1-17 signed off?"},
    ], plans=[PLAN])
    asked, _, english = texts(out, 1002)
    lines = asked.splitlines()
    assert lines[1] == "尚未全部销号：已销号 0/4 个单位，销号审核中 0 个。"
    assert "　🟢 市生态环境局：未销号 · 按期推进 · 完成 50%" in lines
    assert "报送记录" not in asked
    assert "Not fully signed off: 0 of 4 units" in english


async def test_the_bots_own_words_and_the_most_urgent_are_not_topics(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "最紧急的任务是哪个"},
        {"as": 1002, "text": "需要我协调什么"},
        {"as": 1002, "text": "第一名是哪个单位"},
        {"as": 1002, "text": "哪些任务在等销号审核"},
        {"as": 1002, "text": "有哪些工作要做"},
    ], plans=[PLAN])
    urgent, coordinate, first, waiting, work = texts(out, 1002)
    assert urgent.startswith("整改任务总体情况") and coordinate == urgent
    assert first.startswith("进度最好的前 1 个单位") and len(_ranked_units(first)) == 1
    assert "方案中没有" not in waiting  # 销号审核 is the bot's business, not a topic the plan lacks
    assert "没有理解这个问题" in work  # 做 is no topic


async def test_a_member_asks_for_a_topic_and_a_leader_in_english(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 2001, "text": "水相关的"},
        {"as": 2001, "text": "地热的任务"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "noise pollution tasks"},
        {"as": 1002, "text": "which units are the top 3?"},
    ], plans=[PLAN])
    water, geothermal = texts(out, 2001)
    assert water.startswith("相关任务") and "未识别为进展报送" not in water  # asked, not reported
    assert geothermal.startswith("方案中没有与“地热”相关的任务")
    noise, top3 = texts(out, 1002)[-2:]
    assert noise.startswith("The plan has no task on")
    assert top3.startswith("Top 3 units by progress")


async def test_a_leaders_late_tasks_and_sign_off_asked_without_question_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "1-10销号没有"},
        {"as": 1002, "text": "张家明的逾期任务"},
    ], plans=[PLAN])
    signoff, late = texts(out, 1002)
    assert signoff.splitlines()[1] == "尚未全部销号：已销号 0/6 个单位，销号审核中 0 个。"
    assert late.startswith("张家明分管的任务中逾期 2 项")


async def test_requests_and_superlatives_are_not_topics_the_plan_lacks(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START,
        {"as": 1, "text": "每日简报"},
        {"as": 1, "text": "完成最好的三个任务"},
        {"as": 1, "text": "逾期最久的三个任务"},
        {"as": 1, "text": "/language en"},
        {"as": 1, "text": "what's going on today"},
    ], plans=[PLAN])
    brief, best, longest, _, english = texts(out, 1)
    assert "方案中没有" not in brief and "方案中没有" not in best
    assert longest.startswith("逾期任务 2 项")  # asked, not taken for a report needing a unit
    assert english.startswith("Rectification at a glance")


async def test_a_topic_asked_in_another_units_group(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1, "text": "/group 市水利局", "chat": GROUP},
        {"as": 1002, "text": "尾矿库的任务", "chat": GROUP},
    ], plans=[PLAN])
    assert texts(out, GROUP)[-1] == "本群登记为“市水利局”工作群，群内只显示该单位的任务。任务 1-17 请私聊我查询。"


async def test_a_leaders_question_with_progress_words_is_answered_not_refused(settings: Settings) -> None:
    out = await converse(settings, [
        START, LEADER, {"as": 1, "text": "/start"},
        {"as": 1002, "text": "完成率前五的单位"},
        {"as": 1, "text": "完成率前五的单位"},
        {"as": 1002, "text": "市水利局已完成80%"},  # a report from someone who reports for no unit
    ], plans=[PLAN])
    leader, admin = texts(out, 1002), texts(out, 1)
    assert leader[0].startswith("进度最好的前 5 个单位") and admin[-1].startswith("进度最好的前 5 个单位")
    assert "不负责报送进展" in leader[-1]
