"""Leaders' questions from the ninth robustness round: the counties side by side, rankings
that count a unit as /unit does, a topic's tasks ranked, and wordings that were misread.

On 2019-01-10 the Shangqiu plan has 1-10 and 2-3 overdue; 1-11 is due 2019-02-28.
"""

from __future__ import annotations

import re

from bot.config import Settings
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, MEMBER_WATER, START, refs
from tests.test_queries_seed import PLAN, seed_plan

COUNTY = {"bind": {"user": 2005, "unit": "永城市人民政府", "name": "刘伟"}}
EMERGENCY = {"bind": {"user": 2004, "unit": "市应急管理局", "name": "孙丽"}}
GROUP = -100500


def _ranked(text: str) -> dict[str, str]:
    """Unit -> its ranking line."""
    return dict(re.findall(r"^\d+\. (\S+?)：(.*)$", text, re.M))


async def test_the_counties_side_by_side_in_any_wording(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER, COUNTY,
        {"as": 1002, "text": "各县区的情况怎么样"},
        {"as": 1002, "text": "县区排名"},
        {"as": 1002, "text": "还没报的县区"},
        {"as": 1002, "text": "各县（市、区）有多少任务"},
        {"as": 1, "text": "/group 整改办", "chat": GROUP},
        {"as": 1, "text": "各区县进展怎么样", "chat": GROUP},
        {"as": 2001, "text": "各县区的情况"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "how are the counties doing"},
        {"as": 1002, "text": "/language zh"},
        {"as": 1002, "text": "永城市情况怎么样"},
        {"as": 1002, "text": "哪个县最落后"},
        {"as": 1002, "text": "县里的任务进展"},
        {"as": 1002, "text": "各县区逾期的任务"},
    ], plans=[PLAN])
    leader = texts(out, 1002)
    counties = leader[0]
    assert "各县（市、区）整改情况" in counties
    lines = _ranked(counties)
    # each county's load as its /unit counts it: 永城 has its own tasks and its share of those naming 各县
    assert set(lines) >= {"永城市人民政府", "各县(市、区)人民政府(管委会)"}
    assert not any(u.startswith("市") for u in lines)  # no city bureau among the counties
    assert lines["永城市人民政府"].startswith("未完成 33/33 项")
    assert leader[1] == leader[2] == leader[3] == counties
    assert texts(out, GROUP)[-1] == counties  # the office's group sees what the office sees
    member = texts(out, 2001)[-1]
    assert "各县（市、区）整改情况" in member and _ranked(member)["永城市人民政府"].startswith("未完成 18/18 项")
    assert "Counties and districts" in leader[5] and "永城市人民政府: 33/33 open" in leader[5]
    assert leader[-4].startswith("永城市人民政府：共 33 项任务")  # one county named: its own list
    assert leader[-3] == leader[-2] == leader[-1] == counties


async def test_a_ranking_counts_a_unit_as_its_own_list_does(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "单位排名"},
        {"as": 1002, "text": "/unit 市生态环境局"},
        {"as": 1002, "text": "市生态环境局排第几"},
    ], plans=[PLAN])
    ranking, unit, place = texts(out, 1002)
    assert unit.startswith("市生态环境局：共 18 项任务，未完成 18 项")
    # 18, not the 17 tasks where it has a share of its own: it supervises one more
    assert _ranked(ranking)["市生态环境局"].startswith("未完成 18/18 项 · 逾期 1 项")
    assert _ranked(place)["市生态环境局"] == _ranked(ranking)["市生态环境局"]


async def test_a_topics_tasks_ranked_furthest_behind_first(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "水源地的任务排名"},
        {"as": 1002, "text": "饮用水任务哪个最落后"},
        {"as": 1002, "text": "哪些单位拖后腿"},
        {"as": 1002, "text": "完成率最高的单位"},
    ], plans=[PLAN])
    topic, water, units, best = texts(out, 1002)
    assert topic.startswith("相关任务 3 项，按进度从落后到领先排列")
    assert refs(topic) == ["1-10", "1-12", "1-14"]  # the late one, then the rest in plan order
    assert "相关任务" in water and "1-14" in refs(water)
    assert "各单位进度排名" in units and "各单位进度排名" in best  # no topic: the units


async def test_deadlines_to_meet_and_what_finished_last_month(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "下个月要完成的任务"},
        {"as": 1002, "text": "上个月完成了多少"},
        {"as": 1002, "text": "完成率低于50%的单位"},
        {"as": 1, "text": "完成率低于50%的单位"},
    ], plans=[PLAN])
    window, finished, cut = texts(out, 1002)
    assert window.startswith("2月1日至2月28日到期的任务 1 项") and refs(window) == ["1-11"]
    assert finished == "2018年12月1日以来暂无已完成的任务。"
    assert cut.startswith("平均完成度低于 50% 的单位")
    assert _ranked(cut)["永城市人民政府"].endswith("平均完成 0%")
    assert texts(out, 1)[0] == cut  # the office, not a report on behalf of a unit


async def test_a_units_place_a_typed_o_and_english_history(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, EMERGENCY,
        {"as": 2004, "text": "我们排第几"},
        {"as": 1002, "text": "1-1o进展"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "history of 2-8"},
    ], plans=[PLAN])
    place = texts(out, 2004)[0]
    assert "市应急管理局排第" in place
    typo, _, history = texts(out, 1002)
    assert refs(typo) == ["1-10"]
    assert history.startswith("2-8 ") and "reports (1, newest first)" in history


async def test_wordings_that_were_taken_for_reports_or_for_a_topic(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "倪市长的任务"},
        {"as": 1002, "text": "逾期最久的任务"},
        {"as": 1002, "text": "截止到目前完成率多少"},
        {"as": 1002, "text": "今天有人报吗"},
        {"as": 1002, "text": "大气第14项"},
        {"as": 1002, "text": "进度前5名的单位"},
        {"as": 1002, "text": "1-10 谁报的"},
        {"as": 1002, "text": "1-10谁负责"},
    ], plans=[PLAN])
    led, longest, rate, today, item, best, reporters, who = texts(out, 1002)
    assert led.startswith("倪玉民分管的任务 24 项")
    assert longest.startswith("逾期任务 2 项")
    assert rate.startswith("整改任务总体情况")
    assert today == "1月10日以来暂无新报送的进展。"
    assert refs(item) == ["2-14"]
    assert "进度最好的在前" in best
    assert "报送记录" in reporters and "界碑已全部设立" in reporters
    assert "责任领导" in who and "报送记录" not in who


async def test_a_leaders_own_share_of_rankings_and_deadlines(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "我分管的单位哪个最慢"},
        {"as": 1002, "text": "我分管的任务本月有哪些到期"},
        {"as": 1002, "text": "春节前要完成的任务"},
        {"as": 1002, "text": "有什么需要我关注的"},
        {"as": 1, "text": "我分管的单位哪个最慢"},
    ], plans=[PLAN])
    ranking, month, festival, attention = texts(out, 1002)
    assert ranking.startswith("您相关任务的各单位进度排名")
    # the plan's one deadline this month, 1-17's, is 吴祖明's and 张家明's
    assert month == "1月1日至1月31日没有到期的任务。\n（仅统计与您相关的任务）"
    assert festival.startswith("2月4日前须完成的任务")  # the eve of the 2019 Spring Festival
    assert attention.startswith("整改任务总体情况")
    assert texts(out, 1)[0].startswith("各单位进度排名")  # the office leads nothing: all units


async def test_a_member_asking_about_another_unit_or_leader_is_told_the_count_is_partial(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, MEMBER,
        {"as": 2001, "text": "市水利局的任务"},
        {"as": 2001, "text": "倪玉民分管的任务"},
        {"as": 2001, "text": "王全周分管的任务"},
    ], plans=[PLAN])
    unit, led, none = texts(out, 2001)
    assert unit.startswith("市水利局：") and "（仅统计您可查看的任务）" in unit
    assert led.startswith("倪玉民分管的任务") and "（仅统计您可查看的任务）" in led
    assert none == "您可查看的任务中没有王全周分管的任务。"  # 1-19 is not 市生态环境局's


async def test_an_english_speaking_leader_asks_in_english(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "what did 王强 report"},
        {"as": 1002, "text": "what happened this week"},
        {"as": 1002, "text": "tasks led by 张家明"},
        {"as": 1002, "text": "where does 市生态环境局 rank"},
        {"as": 1002, "text": "tasks overdue by more than 5 days"},
        {"as": 1002, "text": "what was finished last month"},
        {"as": 1002, "text": "which tasks must be completed before the Spring Festival"},
    ], plans=[PLAN])
    _, reports, week, led, rank, cut, finished, festival = texts(out, 1002)
    assert reports == "王强 has not reported yet."
    assert week.startswith("Progress since 1/7") and "尾矿库排查已完成一半" in week
    assert led.startswith("14 tasks led by 张家明")
    assert "市生态环境局 is number" in rank
    assert cut.startswith("2 tasks overdue by more than 5 days")
    assert finished == "No task finished since 12/1/2018 yet."
    assert festival.startswith("3 tasks to finish by 2/4")


async def test_asking_whether_an_extension_or_sign_off_was_asked_for(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER_WATER,
        {"as": 2002, "text": "申请延期 1-10 到3月31日，汛期施工受限"},
        {"as": 1002, "text": "1-10申请延期了吗"},
        {"as": 2002, "text": "1-10申请延期了吗"},
        {"as": 1002, "text": "1-17的历史"},
        {"as": 1002, "text": "本月销号了几项"},
    ], plans=[PLAN])
    asked, history, month = texts(out, 1002)
    assert "报送记录" in asked and "市水利局 申请延期至3月31日" in asked  # told, not refused a request
    assert "无权" not in asked
    member = texts(out, 2002)
    assert "报送记录" in member[-1] and not any("已提交" in t for t in member[1:])  # no second request
    assert history.startswith("1-17 ") and "尾矿库排查已完成一半" in history
    assert month == "1月1日以来暂无已完成的任务。"


async def test_units_named_without_their_place_or_party_prefix(settings: Settings) -> None:
    from bot.unit_names import unit_keys

    keys = {k for k, _, _ in unit_keys([(1, "永城市人民政府", []), (2, "市委宣传部", []), (3, "保定市住房和城乡建设局", [])])}
    assert {"永城", "宣传部", "住建局"} <= keys and "人民政府" not in keys
    out = await converse(settings, [
        START,
        LEADER,
        {"as": 1002, "text": "永城还有几项没完成"},
        {"as": 1002, "text": "宣传部的任务"},
    ], plans=[PLAN])
    leader = texts(out, 1002)
    assert leader[-2].startswith("永城市人民政府：共 33 项任务")
    assert leader[-1].startswith("市委宣传部：共 2 项任务")
