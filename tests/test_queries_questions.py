"""Free questions in Chinese, answered like the commands, for an admin, a leader and a member."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.questions import Ask, asks_for_chart, asks_for_ledger, chase_request, understand, unit_keys
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER, START, refs
from tests.test_queries_seed import PLAN, seed_plan

UNITS = [(1, "市水利局", []), (2, "市生态环境局", []), (3, "市城管局", ["市扬尘办"]), (4, "永城市人民政府", [])]


def test_understanding_is_lexical_and_conservative() -> None:
    keys = unit_keys(UNITS)
    today = date(2019, 1, 10)
    q = understand("市水利局还有几项没完成", today, keys)
    assert q.unit_name == "市水利局" and Ask.UNIT in q.asks
    assert understand("水利局怎么样", today, keys).unit_name == "市水利局"
    assert understand("扬尘办牵头的任务", today, keys).unit_name == "市城管局"
    assert understand("永城市的任务完成了吗", today, keys).unit_name == "永城市人民政府"
    q = understand("本周有什么进展", today, keys)
    assert Ask.RECENT in q.asks and q.since == date(2019, 1, 7)
    assert understand("本月有什么新报告", today, keys).since == date(2019, 1, 1)
    assert understand("大气督察第8项谁牵头？", today, keys).item == 8
    assert understand("第十二项怎么样了", today, keys).item == 12
    assert understand("1-10怎么样了", today, keys).refs == ["1-10"]
    assert Ask.OVERDUE in understand("哪些任务逾期了", today, keys).asks
    assert understand("扬尘这块谁负责", today, keys).unit_id is None  # 扬尘 is a topic, 扬尘办 a unit


async def test_ten_questions_from_a_leader(settings: Settings) -> None:
    await seed_plan(settings)
    questions = [
        "哪些任务逾期了",  # 0
        "水源地整治到哪一步了？",  # 1
        "扬尘这块谁负责",  # 2
        "市水利局还有几项没完成",  # 3
        "本周有什么进展",  # 4
        "大气督察第8项谁牵头？",  # 5
        "回头看第10项进展如何？",  # 6
        "1-17怎么样了？",  # 7
        "哪些单位还没报？",  # 8
        "有哪些任务快到期了？",  # 9
        "散乱污整治情况如何？",  # 10
        "我分管的任务怎么样了？",  # 11
        "今天天气怎么样？",  # 12
    ]
    out = await converse(
        settings, [START, LEADER, *({"as": 1002, "text": q} for q in questions)], plans=[PLAN]
    )
    a = texts(out, 1002)
    assert len(a) == len(questions)
    assert refs(a[0]) == ["1-10", "2-3"] and "1-17" not in a[0]
    assert refs(a[1])[0] == "1-10" and "市生态环境局：逾期 10 天" in a[1] and "界碑已全部设立" in a[1]
    assert set(refs(a[2])) == {"2-9", "2-8"} and "牵头单位：市城管局" in a[2] and "责任领导：张家明" in a[2]
    assert "市水利局：共 9 项任务，未完成 9 项，其中逾期 1 项" in a[3]
    assert "1月7日以来的进展：3 项任务，共 3 条报告" in a[4] and "尾矿库排查已完成一半" in a[4]
    assert "2018年12月25日" not in a[4]  # last week's report is not this week's progress
    assert refs(a[5]) == ["2-8"] and "牵头单位：市城管局" in a[5]
    assert refs(a[6])[0] == "1-10"
    assert refs(a[7]) == ["1-17"] and "市应急管理局：未报告" not in a[7] and "完成 50%" in a[7]
    assert "本旬尚未报告" in a[8] and "市水利局" in a[8]
    assert "7 天内没有到期的任务" in a[9]
    assert refs(a[10])[0] == "2-14"
    assert "倪玉民，与您相关的任务共 24 项" in a[11]
    assert "没有理解这个问题" in a[12]


async def test_a_bare_request_for_a_task_or_a_list_is_answered(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, LEADER, *({"as": 1002, "text": q} for q in ("1-17的报送记录", "逾期任务", "1-17进展顺利"))],
        plans=[PLAN],
    )
    said = texts(out, 1002)
    assert "1-17 防范各类尾矿库环境风险 报送记录（共 1 条" in said[0] and "尾矿库排查已完成一半" in said[0]
    assert "市应急管理局" in said[0] and "详情" in out[0]["buttons"][0]  # its history, and the way to its card
    assert refs(said[1])[:2] == ["1-10", "2-3"]
    assert "可以这样问" in said[2] and "进展报送" not in said[2]  # a leader does not report: told what to ask


async def test_queries_written_as_statements_short_forms_and_english(settings: Settings) -> None:
    await seed_plan(settings)
    asked = ["市应急管理局的任务情况", "应急局进展如何", "给我看看整体情况", "1-17", "which tasks are overdue",
             "What are my tasks?", "住建局的任务情况"]
    out = await converse(settings, [START, LEADER, *({"as": 1002, "text": q} for q in asked)], plans=[PLAN])
    a = texts(out, 1002)
    assert len(a) == len(asked) and not any("未识别" in t for t in a)
    assert a[0].startswith("市应急管理局：") and a[1].startswith("市应急管理局：")  # 应急局 is 市应急管理局
    assert "整改任务总体情况" in a[2] or "总体" in a[2]
    assert refs(a[3]) == ["1-17"]
    assert refs(a[4])[:2] == ["1-10", "2-3"]
    assert "倪玉民，与您相关的任务" in a[5]
    assert a[6].startswith("市住房和城乡建设局：")


DOTTED = """某市整改任务清单
附件
一、大气污染防治
1.扬尘管控不到位
整改措施:加强工地管理。
责任领导:倪玉民
责任单位:市住建局
整改时限:2019年6月底前
2.散煤复烧
整改措施:开展散煤清查。
责任领导:倪玉民
责任单位:市市场监管局
整改时限:2019年9月底前
二、水污染防治
1.黑臭水体反弹
整改措施:建立长效机制。
责任领导:倪玉民
责任单位:市城管局
整改时限:2019年12月底前
"""


async def test_questions_name_tasks_by_the_plans_own_numbers(settings: Settings, tmp_path: Path) -> None:
    plan = tmp_path / "dotted.txt"
    plan.write_text(DOTTED, encoding="utf-8")
    asked = ["2.1进展如何", "1.2情况", "任务2.1怎么样了"]
    out = await converse(
        settings, [START, {"bind": {"user": 9, "role": "admin"}}, *({"as": 9, "text": q} for q in asked)], plans=[plan]
    )
    a = texts(out, 9)
    assert "黑臭水体反弹" in a[0] and "扬尘" not in a[0]
    assert "散煤复烧" in a[1] and "黑臭" not in a[1]
    assert "黑臭水体反弹" in a[2]


async def test_which_tasks_are_signed_off(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [START, LEADER, {"as": 1002, "text": "哪些任务已经销号了"}], plans=[PLAN])
    assert "还没有已销号的任务" in texts(out, 1002)[0]


async def test_questions_from_a_member_stay_in_their_unit(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            MEMBER,
            {"as": 2001, "text": "哪些任务逾期了？"},
            {"as": 2001, "text": "扬尘这块谁负责？"},
            {"as": 2001, "text": "大气督察第3项谁牵头？"},
            {"as": 2001, "text": "水源地整治到哪一步了？"},
            {"as": 2001, "text": "我们单位还有几项没完成？"},
            {"as": 2001, "text": "本周有什么进展？"},
        ],
        plans=[PLAN],
    )
    a = texts(out, 2001)
    assert refs(a[0]) == ["1-10"]  # 2-3 does not name 市生态环境局
    assert "没有找到您可查看的相关任务" in a[1]  # 2-8 and 2-9 are other units' tasks
    assert "2-3 不是贵单位承担的任务" in a[2]
    assert refs(a[3])[0] == "1-10"
    assert "李明，与您相关的任务共 18 项" in a[4]
    assert "1-10" in a[5] and "尾矿库" in a[5] and "扬尘" not in a[5]  # 1-17 names 市生态环境局, 2-8 does not


async def test_questions_from_the_admin_cover_everything(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            START,
            {"as": 1, "text": "整体进展怎么样？"},
            {"as": 1, "text": "市城管局有几项逾期？"},
            {"as": 1, "text": "扬尘办牵头的任务怎么样？"},
            {"as": 1, "text": "2-3谁负责？"},
        ],
        plans=[PLAN],
    )
    a = texts(out, 1)
    assert "共 35 项任务" in a[0] and "🔴 逾期 2 项" in a[0]
    assert a[1].startswith("市城管局：共") and "其中逾期 1 项" in a[1]
    assert a[2].startswith("市城管局：共")
    assert refs(a[3]) == ["2-3"] and "牵头单位：市自然资源和规划局、市工业和信息化局、市发展改革委" in a[3]


@pytest.mark.parametrize(
    ("text", "ledger", "chart"),
    [
        ("导出台账", True, False),
        ("请导出最新的整改台账。", True, False),
        ("台账发我", True, False),
        ("要一份Excel", True, False),
        ("导一份最新台账", True, False),
        ("把台账发我一份", True, False),
        ("画个图看看各单位进度", False, True),
        ("看看进度图", False, True),
        ("出个图表", False, True),
        ("问题台账已建立完成", False, False),
        ("建立整改台账", False, False),
        ("图表已经做好了", False, False),
    ],
)
def test_requests_for_the_ledger_and_the_chart_in_words(text: str, ledger: bool, chart: bool) -> None:
    assert (asks_for_ledger(text), asks_for_chart(text)) == (ledger, chart)


@pytest.mark.parametrize(
    ("text", "what"),
    [("催办1-17", "1-17"), ("请督促1-17加快进度", "1-17"), ("催一下水源地整治的责任单位", "水源地整治"),
     ("已催办1-17", None), ("市生态环境局已督促各县加快推进", None), ("催办", None)],
)
def test_a_request_to_chase_names_what_to_chase(text: str, what: str | None) -> None:
    assert chase_request(text) == what


async def test_leaders_and_the_office_ask_in_their_own_words(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(settings, [
        {"clock": "2019-04-18T09:30"}, LEADER, {"as": 1, "text": "/start"},
        *({"as": 1002, "text": q} for q in (
            "本旬汇总", "台账导一下", "把台账导出来发我", "Export the ledger please", "1-16的进展和佐证",
            "1-16谁还没报，催一下", "我分管的任务",
        )),
        {"as": 1, "text": "春节期间暂停推送"},
        {"as": 1, "text": "把第1条报告改到1-16"},
        {"as": 1002, "chat": -100700, "text": "逾期的有哪些"},
    ], plans=[PLAN])
    said = texts(out, 1002)
    assert said[0].startswith("2019年4月中旬整改调度")
    assert [o["document"] is not None for o in out if o["chat"] == 1002][1:4] == [True, True, True]
    assert "1-16 暂无佐证材料" in said[4]
    assert said[5].startswith("已对 1-16 催办")
    assert said[6].startswith("倪玉民，与您相关的任务共")
    admin = texts(out, 1)[1:]
    assert admin[0].startswith("将暂停2020-01-24至2020-02-02") and "/movereport" in admin[1]  # the next 春节
    group = texts(out, -100700)[0]
    assert "逾期 5 项" in group and "只显示总数" in group


async def test_a_member_asking_about_another_units_task_is_told_it_is_not_theirs(settings: Settings) -> None:
    out = await converse(settings, [
        START, {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "/task 1-18"},
        {"as": 2002, "text": "1-18进展如何"},
        {"as": 2002, "text": "/task 9-99"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert all("1-18 不是贵单位承担的任务" in t for t in said[:2])
    assert "没有找到" in said[2]
