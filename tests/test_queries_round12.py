"""Leaders' and the office's questions from the twelfth round: what is signed off, units
called by their short names, what is due by the month's end, a part of the plan counted,
this 旬's reporting rate, no sign-off requests said plainly, a member's own tasks asked in
English, and a leader's instruction to the units answered with the 催办 it may press.

On 2019-01-10 (the 旬 from 1月1日) the Shangqiu plan has 1-10 and 2-3 overdue and 1-17 due on
1月31日; annex 1 holds 19 tasks (“回头看”), annex 2 the 16 on 大气污染.
"""

from __future__ import annotations

from bot.config import Settings
from bot.questions import is_question
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, START, refs
from tests.test_queries_round11 import MORE, _ask_for_more_time
from tests.test_queries_seed import PLAN, SEEDS, seed_plan

SIGNED_OFF_1_9 = (("1-9", "市自然资源和规划局"), ("1-9", "永城市人民政府"))


def _buttons(out: list[dict], chat: int, starts: str) -> list[str]:  # type: ignore[type-arg]
    return next(o.get("buttons") or [] for o in out if o.get("chat") == chat and o.get("text", "").startswith(starts))


async def test_signed_off_tasks_are_counted_not_taken_for_a_request(settings: Settings) -> None:
    await seed_plan(settings, signed_off=SIGNED_OFF_1_9)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "销号了几个"},
        {"as": 1002, "text": "有几个任务销号了"},
        {"as": 1002, "text": "已经销号的有哪些"},
        {"as": 2001, "text": "销号了几个"},
    ], plans=[PLAN])
    count, how_many, which = texts(out, 1002)
    for answer in (count, how_many, which):
        assert answer.startswith("已销号任务 1 项") and refs(answer) == ["1-9"]
    member = texts(out, 2001)[-1]
    assert "还没有已销号的任务" in member and "不能申请销号" not in member  # 1-9 is not 市生态环境局's


async def test_units_called_by_their_short_names_and_shared_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "生态局有几项任务"},
        {"as": 1002, "text": "市监局有几项任务"},
        {"as": 1002, "text": "示范区有几项任务"},
        {"as": 1002, "text": "办公室的任务"},
    ], plans=[PLAN])
    eco, market, zone, office = texts(out, 1002)
    assert eco.startswith("市生态环境局：共 18 项任务")
    assert market.startswith("市市场监督管理局：共")
    assert zone.startswith("“示范区”可能指以下 3 个单位，请选择")
    assert "市城乡一体化示范区机关党委" in _buttons(out, 1002, "“示范区”")
    assert office.startswith("“办公室”可能指以下 4 个单位")  # not 市委办公室 guessed
    assert {"市委办公室", "市政府办公室"} <= set(_buttons(out, 1002, "“办公室”"))


async def test_what_is_due_by_the_end_of_the_month(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "月底前能完成的有几项"},
        {"as": 1002, "text": "月底前可以完成的有哪些"},
        {"as": 1002, "text": "月底前要完成的有哪些"},
        {"as": 1002, "text": "本月底到期的"},
    ], plans=[PLAN])
    can, may, must, due = texts(out, 1002)
    assert can.startswith("1月31日前须完成的任务 3 项（含已逾期 2 项）") and refs(can) == ["1-10", "2-3", "1-17"]
    assert may == can == must
    assert due.startswith("1月10日至1月31日到期的任务 1 项") and refs(due) == ["1-17"]


def test_a_report_of_finishing_by_the_month_end_is_no_question() -> None:
    assert is_question("月底前能完成的有几项")
    assert not is_question("1-17预计月底前能完成")
    assert not is_question("预计本月底前可以完成验收")


async def test_a_part_of_the_plan_or_a_topic_counted_and_listed(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "大气那部分一共几项"},
        {"as": 1002, "text": "水污染方面有哪些任务"},
        {"as": 1002, "text": "回头看那部分有多少项"},
        {"as": 2001, "text": "大气那部分一共几项"},
    ], plans=[PLAN])
    air, water, review = texts(out, 1002)
    assert air.startswith("“大气”方面的任务共 16 项") and "逾期 1 项" in air
    assert all(ref.startswith("2-") for ref in refs(air)) and refs(air)[:3] == ["2-1", "2-2", "2-3"]
    assert water.startswith("“水污染”方面的任务共 2 项") and refs(water) == ["1-8", "1-12"]
    assert review.startswith("“回头看”方面的任务共 19 项")
    member = texts(out, 2001)[-1]
    assert member.startswith("“大气”方面的任务共 10 项") and "（仅统计您可查看的任务）" in member


async def test_this_xuns_reporting_rate(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 1002, "text": "本旬报送率多少"},
        {"as": 1002, "text": "这个旬报送情况"},
        {"as": 2001, "text": "本旬报送率多少"},
        {"as": 1002, "text": "生态局报送率多少"},
        {"as": 1002, "text": "我分管的任务本旬报送率"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "what's the reporting rate this period?"},
    ], plans=[PLAN])
    rate, said, eco, mine, _, english = texts(out, 1002)
    # this 旬: 1-10 and 1-17 (one unit each), 2-8's 市城管局 and both units of 1-9 reported
    assert rate.startswith("本旬（1月1日起）报送率 2.4%：已报 5 / 应报 210")
    assert "个单位本旬未报" in rate and said == rate
    assert eco.startswith("市生态环境局：本旬（1月1日起）报送率 5.9%：已报 1 / 应报 17")
    assert mine.startswith("本旬（1月1日起）报送率") and "（仅统计与您相关的任务）" in mine and "应报 210" not in mine
    assert english.startswith("Reporting rate this 10-day period (since 1/1): 2.4%: 5 reported of 210 due")
    member = texts(out, 2001)[-1]
    assert member.startswith("本旬（1月1日起）报送率") and "（仅统计您可查看的任务）" in member


async def test_no_sign_off_requests_is_said_plainly(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "哪些单位申请了销号"},
    ], plans=[PLAN])
    await _ask_for_more_time(settings, ("1-10", "市水利局", "2019-06-30T00:00", "pending", "资金未到位"))
    later = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "哪些单位申请了销号"},
    ], name="later")
    assert texts(out, 1002)[-1] == "销号申请：无。目前没有单位提出销号申请。"
    waiting = texts(later, 1002)[-1]
    assert waiting.startswith("销号申请：无。") and "待审核事项" in waiting and "1-10" in waiting


async def test_a_member_asks_for_their_own_tasks_in_either_language(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, MEMBER,
        {"as": 2001, "text": "Which tasks am I responsible for?"},
        {"as": 2001, "text": "我们单位有哪些任务"},
        {"as": 2001, "text": "/language en"},
        {"as": 2001, "text": "Which tasks am I responsible for?"},
    ], plans=[PLAN])
    asked, ours, _, english = texts(out, 2001)
    assert asked.startswith("李明，与您相关的任务共 18 项") and ours == asked
    assert english.startswith("李明, 18 tasks concern you")


async def test_an_instruction_to_the_units_offers_the_chase_and_sends_nothing(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER, MEMBER,
        {"as": 2001, "text": "/start"},
        {"as": 1002, "text": "各乡镇抓紧报送进展"},
        {"as": 1, "text": "请各单位本周五前报送进展"},
        {"clock": "2019-01-10T09:30"},
        {"as": 1002, "press": "催办 1-10"},
        {"as": 1002, "text": "各单位抓紧报送进展", "chat": -100300},  # in a work group: said to the people there
    ], plans=[PLAN])
    assert not [o for o in out if o.get("chat") == -100300]
    leader, admin = texts(out, 1002)[0], texts(out, 1)[-1]
    assert leader.startswith("收到。助手不会自行向各单位转发这条要求。") and refs(leader) == []
    assert admin.startswith("收到。助手不会自行向各单位转发这条要求。")
    offered = _buttons(out, 1002, "收到。")
    assert offered[0].startswith("催办 1-10") and offered[-1] == "查看本旬未报单位"
    member = texts(out, 2001)
    assert len(member) == 2 and "1-10" in member[-1]  # the welcome, then only the chase the leader pressed


async def test_unit_loads_last_reports_and_how_far_a_topic_has_come(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "哪个单位任务最多"},
        {"as": 1002, "text": "各单位任务量"},
        {"as": 1002, "text": "水利局最近一次报送是哪天"},
        {"as": 1002, "text": "尾矿库那项到哪一步了"},
    ], plans=[PLAN])
    most, load, water, ponds = texts(out, 1002)
    assert most.startswith("各单位承担任务数") and load == most
    lines = most.split("\n")
    assert lines[2].startswith("1. 永城市人民政府：未完成 33/33 项")  # its share of every 各县 task
    assert lines[3].startswith("2. 市生态环境局：未完成 18/18 项")
    assert water.startswith("市水利局的报送") and "水源地巡查每周一次" in water  # its one report, in December
    assert refs(ponds) == ["1-17"]  # not "no task on 到哪一步"


async def test_history_and_lateness_said_loosely(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "拖得最久的任务"},
        {"as": 1002, "text": "水源地那个任务之前报过几次"},
        {"as": 1002, "text": "1-17的来龙去脉"},
    ], plans=[PLAN])
    longest, before, story = texts(out, 1002)
    assert longest.startswith("逾期任务 2 项") and refs(longest) == ["1-10", "2-3"]
    assert "方案中没有" not in before and "1-10" in before  # 之前报过几次 is no topic
    assert story.startswith("1-17 防范各类尾矿库环境风险 报送记录（共 1 条") and "尾矿库排查已完成一半" in story


async def test_more_of_the_leaders_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "大气方面逾期的有哪些"},
        {"as": 1002, "text": "截止目前销号几项"},
        {"as": 1002, "text": "逾期单位名单"},
        {"as": 1002, "text": "应急局的情况汇报一下"},
        {"as": 1002, "text": "/language en"},
        {"as": 1002, "text": "which unit has the most tasks?"},
    ], plans=[PLAN])
    air, signed, late, emergency, _, most = texts(out, 1002)
    assert air.startswith("“大气”方面的 16 项任务中，逾期的 1 项") and refs(air) == ["2-3"]
    assert signed.startswith("截至") and "还没有已销号的任务" in signed
    assert late.startswith("逾期任务 2 项") and "未完成单位" in late
    assert emergency.startswith("市应急管理局：共 5 项任务")  # its situation, not the reports it sent
    assert most.startswith("Tasks per unit")


async def test_reporting_rates_unit_by_unit_and_of_the_previous_xun(settings: Settings) -> None:
    await seed_plan(settings, SEEDS + MORE)
    out = await converse(settings, [
        START, LEADER,
        {"as": 1002, "text": "报送率最低的单位"},
        {"as": 1002, "text": "报送率最高的单位"},
        {"as": 1002, "text": "哪些任务还没动"},
        {"clock": "2019-01-12T09:00"},
        {"as": 1002, "text": "上一旬报送情况"},
        {"as": 1002, "text": "本旬报送率多少"},
    ], plans=[PLAN])
    said = texts(out, 1002)
    lowest, highest, idle = said[:3]
    previous, current = said[-2:]  # the 旬 digest went out on the 10th in between
    assert "各单位报送率（从低到高）：\n1. 各县(市、区)人民政府(管委会)：0/23（0%）" in lowest
    assert "各单位报送率（从高到低）：\n1. 永城市人民政府：1/" in highest
    assert idle.startswith("本旬尚未报告")
    assert previous.startswith("上一旬（1月1日至1月10日）报送率 2.4%：已报 5 / 应报 210") and "上一旬有" in previous
    assert current.startswith("本旬（1月11日起）报送率 0%：已报 0 / 应报 210")
