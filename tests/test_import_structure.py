"""Which parts of a text are tasks, for layouts the seeds do not show."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.importer import parse_bytes, parse_path

DATA = Path(__file__).parent / "data" / "import"

TASKS_IN_BODY = """XX县落实省生态环境保护督察反馈意见整改方案
(2021年3月15日)
一、总体要求
(一)坚持问题导向。全面整改。
(二)坚持依法依规。严格执法。
二、整改任务
(一)县城污水处理厂超标排放问题
整改目标:稳定达标排放。
整改措施:1.实施提标改造;2.加强运行监管。
责任领导:赵  刚
牵头单位:县住建局
责任单位:县生态环境分局、县水利局
整改时限:6月底前
(二)秸秆焚烧屡禁不止
整改目标:杜绝秸秆露天焚烧。
整改措施:
(1)落实网格化监管;
(2)推进秸秆综合利用。
责任领导:钱进
牵头单位:县农业农村局
配合单位:各乡镇人民政府
整改时限:长期坚持
三、保障措施
(一)加强组织领导。
"""


def test_tasks_with_fields_in_the_body_and_measures_numbered_in_brackets() -> None:
    plan = parse_bytes(TASKS_IN_BODY.encode(), "county.txt")
    assert plan.year == 2021
    first, second = plan.tasks
    assert (first.ref, first.title, first.category) == ("1", "县城污水处理厂超标排放问题", "整改任务")
    assert [m.text for m in first.measures] == ["实施提标改造;", "加强运行监管。"]
    assert first.leaders == ["赵刚"]
    assert first.units == ["县生态环境分局", "县水利局"]
    assert [m.due for m in first.deadline.milestones] == [date(2021, 6, 30)]
    assert [m.text for m in second.measures] == ["落实网格化监管;", "推进秸秆综合利用。"]
    assert second.supporting_units == ["各乡镇人民政府"]
    assert second.deadline.ongoing and second.deadline.milestones == []


PUBLIC_NOTICE = """XX市关于中央生态环境保护督察反馈问题整改情况的公示
根据有关要求,现将我市整改情况公示如下:
1.城区黑臭水体治理滞后
整改目标:消除黑臭水体。
整改措施:开展截污纳管和清淤疏浚。
责任单位:市住建局
整改时限:2020年底前
整改情况:已完成。完成截污纳管12公里。
2.工业园区污水管网不完善
整改目标:管网全覆盖。
整改措施:建设园区污水管网。
责任单位:市工信局、市经开区管委会
整改时限:2021年6月底前
整改情况:正在推进,完成80%。
公示时间:2021年7月1日至7月7日
如有异议,请于公示期内向市整改办反映。
联系电话:0371-12345678
第1页/共1页
"""


def test_public_notice_of_rectification_status() -> None:
    plan = parse_bytes(PUBLIC_NOTICE.encode(), "notice.txt")
    assert plan.title == "XX市关于中央生态环境保护督察反馈问题整改情况的公示"
    done, ongoing = plan.tasks
    assert done.progress is not None and (done.progress.status, done.progress.percent) == ("已完成", 100)
    assert done.progress.text == "已完成。完成截污纳管12公里。"
    assert ongoing.progress is not None and (ongoing.progress.status, ongoing.progress.percent) == ("正在推进", 80)
    assert ongoing.units == ["市工信局", "市经开区管委会"]
    assert ongoing.progress.text == "正在推进,完成80%。"
    assert [m.text for m in done.measures] == ["开展截污纳管和清淤疏浚。"]


def wrapped(text: str, width: int) -> str:
    """The text as a printed page wraps it: every paragraph cut into lines of ``width``."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
    return "\n".join(out)


def test_text_wrapped_like_a_printed_page_reads_the_same() -> None:
    source = DATA / "shangqiu-2019-plan-35-tasks.txt"
    original = parse_path(source)
    printed = parse_bytes(wrapped(source.read_text(encoding="utf-8"), 37).encode(), "printed.txt")
    assert [t.to_json() for t in printed.tasks] == [t.to_json() for t in original.tasks]
    assert printed.aliases == original.aliases


def test_measures_section_wrapped_like_a_printed_page() -> None:
    source = DATA / "baoding-2020-plan.txt"
    original = parse_path(source)
    printed = parse_bytes(wrapped(source.read_text(encoding="utf-8"), 29).encode(), "printed.txt")
    assert [t.to_json() for t in printed.tasks] == [t.to_json() for t in original.tasks]
    assert printed.title == original.title


def test_category_headings_and_restarting_numbers_give_dotted_refs() -> None:
    text = """某市整改任务清单
附件
一、大气污染防治
1.扬尘管控不到位
整改措施:加强工地管理。
责任单位:市住建局
整改时限:2019年6月底前
2.散煤复烧
整改措施:开展散煤清查。
责任单位:市市场监管局
整改时限:2019年9月底前
二、水污染防治
1.黑臭水体反弹
整改措施:建立长效机制。
责任单位:市城管局
整改时限:2019年12月底前
"""
    plan = parse_bytes(text.encode(), "list.txt")
    assert [(t.ref, t.category) for t in plan.tasks] == [
        ("1.1", "大气污染防治"),
        ("1.2", "大气污染防治"),
        ("2.1", "水污染防治"),
    ]


def test_signature_date_and_distribution_lines_close_the_document() -> None:
    text = (
        "某市整改方案\n四、主要措施\n(一)加强管理。\n一是排查。二是整治。\n"
        "中共某某市委\n某某市人民政府\n2019年4月3日\n抄送:省整改办\n"
    )
    plan = parse_bytes(text.encode(), "plan.txt")
    assert plan.issuer == "中共某某市委、某某市人民政府"
    assert plan.year == 2019
    (task,) = plan.tasks
    assert [m.text for m in task.measures] == ["排查。", "整治。"]


def test_issuer_from_the_publishing_sentence() -> None:
    assert parse_path(DATA / "baoding-2020-plan.txt").issuer == "中共保定市委、保定市人民政府"


def test_tasks_headed_problem_n() -> None:
    text = """某市整改任务清单
问题1:扬尘管控不到位
整改措施:加强工地管理。
责任单位:市住建局
整改时限:2019年6月底前
问题2:散煤复烧
整改措施:开展散煤清查。
责任单位:市市场监管局
整改时限:2019年9月底前
"""
    plan = parse_bytes(text.encode(), "list.txt")
    assert [(t.ref, t.title, t.units) for t in plan.tasks] == [
        ("1", "扬尘管控不到位", ["市住建局"]),
        ("2", "散煤复烧", ["市市场监管局"]),
    ]


def test_measures_section_under_an_unnumbered_title() -> None:
    text = """某区整改工作方案
指导思想
坚持问题导向。
主要措施
(一)强化扬尘管控。一是严控工地扬尘。二是加强道路保洁。
(二)推进散煤治理。一是开展清查。二是强化执法。
保障措施
(一)加强组织领导。
"""
    plan = parse_bytes(text.encode(), "plan.txt")
    assert [(t.ref, t.title, [m.text for m in t.measures]) for t in plan.tasks] == [
        ("1", "强化扬尘管控", ["严控工地扬尘。", "加强道路保洁。"]),
        ("2", "推进散煤治理", ["开展清查。", "强化执法。"]),
    ]


def test_task_lists_whose_annex_lines_were_lost() -> None:
    """Two numbered task lists one after the other still give 1-x and 2-x."""
    source = DATA / "shangqiu-2019-plan-35-tasks.txt"
    text = re.sub(r"(?m)^附件\d\s*$", "", source.read_text(encoding="utf-8"))
    plan = parse_bytes(text.encode(), "plan.txt")
    assert [t.to_json() for t in plan.tasks] == [t.to_json() for t in parse_path(source).tasks]


def test_an_inspection_plan_with_office_level_labels() -> None:
    """A bureau's 巡察 plan: 责任股室 instead of 责任单位, offices ending in 股 and 室."""
    plan = parse_path(DATA / "inspection-feedback-plan.txt")
    got = [(t.ref, t.title, t.leaders, t.units, t.deadline.text) for t in plan.tasks]
    assert got == [
        ("1", "理论学习不深入", ["王海"], ["办公室"], "2025年3月底前"),
        ("2", "落实意识形态工作责任制不到位", ["王海"], ["办公室", "宣传股"], "长期坚持"),
        ("3", "“三重一大”制度执行不严格", ["刘芳"], ["财务股"], "立行立改，2025年1月15日前完成制度修订"),
    ]
    assert [m.text for m in plan.tasks[0].measures] == ["制定年度学习计划，每月开展一次集中学习；", "开展专题研讨，形成研讨材料。"]
    assert [m.due for m in plan.tasks[2].deadline.milestones] == [date(2025, 1, 15)]
    assert plan.tasks[2].deadline.immediate


def test_a_festival_deadline_is_the_one_after_the_plans_date() -> None:
    text = """某县根治欠薪问题整改清单
2018年11月20日
问题1:部分工程项目拖欠农民工工资
整改措施:逐个项目排查欠薪线索。
责任单位:县人社局
整改时限:春节前全部清零
"""
    plan = parse_bytes(text.encode(), "list.txt")
    (task,) = plan.tasks
    assert [(m.due, m.text) for m in task.deadline.milestones] == [(date(2019, 2, 4), "全部清零")]
    assert not plan.warnings  # dated, so not in the preview's "not understood" notes
