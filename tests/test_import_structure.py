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


def test_a_task_written_as_one_paragraph_with_its_fields() -> None:
    text = """某县巡察整改工作方案
一、总体要求
坚持问题导向，做到件件有着落。
二、整改任务
（一）关于耕地保护责任不到位的问题。整改目标：2024年底前完成图斑整改。整改措施：1.全面排查卫片图斑；2.依法立案查处。责任领导：县委常委、常务副县长 张德明，副县长 刘海涛。责任单位：县自然资源局（牵头），县农业农村局。整改时限：2024年6月底前完成排查，9月底前完成整改，长期坚持。
（二）关于财务管理不规范的问题。整改目标：规范财务管理。整改措施：1.清理往来款项；2.修订财务制度。责任领导：副县长 刘海涛。责任单位：县财政局。整改时限：12月31日前。
三、保障措施
（一）加强组织领导。成立领导小组。
"""
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.ref, first.title) == ("1", "关于耕地保护责任不到位的问题")
    assert first.goal == "2024年底前完成图斑整改。"
    assert [m.text for m in first.measures] == ["全面排查卫片图斑；", "依法立案查处。"]
    assert first.leaders == ["张德明", "刘海涛"]
    assert (first.lead_units, first.units) == (["县自然资源局"], ["县自然资源局", "县农业农村局"])
    assert [m.due for m in first.deadline.milestones] == [date(2024, 6, 30), date(2024, 9, 30)]
    assert first.deadline.ongoing
    assert (second.units, [m.due for m in second.deadline.milestones]) == (["县财政局"], [date(2024, 12, 31)])


def test_fields_in_a_bracket_after_a_list_of_measures_belong_to_the_task() -> None:
    text = """某市督察整改工作方案
一、工作目标
到2024年底，整改完成率达到90%以上。
二、主要任务
（一）推进流域水污染治理。针对断面水质不达标问题，一是实施流域综合治理；二是推进污水处理厂提标改造。（责任领导：副市长 周立；牵头单位：市生态环境局；责任单位：市住房和城乡建设局；完成时限：2025年6月底前）
（二）加强大气污染防治。一是推进超低排放改造；二是严控露天焚烧。（责任领导：副市长 郑伟；牵头单位：市生态环境局；完成时限：2024年第三季度）
三、保障措施
（一）加强组织领导。（责任单位：市委办公室）
"""
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert first.title == "推进流域水污染治理"
    assert first.problem == "推进流域水污染治理。针对断面水质不达标问题"
    assert [m.text for m in first.measures] == ["实施流域综合治理；", "推进污水处理厂提标改造。"]
    assert (first.leaders, first.lead_units, first.units) == (["周立"], ["市生态环境局"], ["市住房和城乡建设局"])
    assert [m.due for m in second.deadline.milestones] == [date(2024, 9, 30)]
    assert len(second.measures) == 2


def test_a_problem_detail_listed_after_a_colon_is_not_measures() -> None:
    text = """某局整改清单
（一）党建工作薄弱，主要表现在：一是三会一课不规范；二是发展党员不严格。（责任领导：局长 王海；责任单位：机关党委；完成时限：2024年12月底前）
（二）财务管理不规范，主要表现在：一是往来款未清理；二是公务卡使用率低。（责任领导：局长 王海；责任单位：财务科；完成时限：2024年10月底前）
"""
    first, _second = parse_bytes(text.encode(), "plan.txt").tasks
    assert "一是三会一课不规范" in first.problem
    assert first.measures == []
    assert first.units == ["机关党委"]


def test_a_task_line_that_opens_with_its_problem_label() -> None:
    text = """某局关于巡察反馈问题整改清单
一、党建方面
1.问题：食品安全责任落实不到位；整改措施：1.开展专题培训；2.建立月通报制度；责任领导：王志刚（党组书记、局长）；责任科室：食品经营科；整改责任人：周敏（科长）；整改时限：2024年7月31日前。
2.问题：特种设备监管薄弱；整改措施：开展专项检查；责任领导：林涛（副局长）；责任科室：特种设备安全监察科；整改责任人：郑凯（科长）；整改时限：2024年第三季度。
"""
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.title, first.problem) == ("食品安全责任落实不到位", "食品安全责任落实不到位")
    assert [m.text for m in first.measures] == ["开展专题培训；", "建立月通报制度；"]
    assert (first.leaders, first.units, first.persons) == (["王志刚"], ["食品经营科"], ["周敏"])
    assert second.title == "特种设备监管薄弱"


def test_fields_under_a_category_heading_hold_for_its_tasks() -> None:
    text = """某市巡视整改落实方案
一、关于落实新发展理念不到位的问题
责任领导：市委副书记、市长 唐建国
牵头单位：市发展和改革委员会
1.产业转型升级步伐缓慢。
整改措施：制定三年行动计划。
责任单位：市工业和信息化局
整改时限：2024年12月底前
2.重大项目推进迟缓。
整改措施：建立周调度机制。
牵头单位：市重点项目办
责任单位：各县（市、区）人民政府
整改时限：2024年10月底前
二、关于防范化解重大风险不力的问题
责任领导：市委常委、常务副市长 龚伟
3.政府隐性债务化解压力大。
整改措施：制定化解方案。
责任单位：市财政局
整改时限：2025年底前
"""
    first, second, third = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.leaders, first.lead_units, first.units) == (["唐建国"], ["市发展和改革委员会"], ["市工业和信息化局"])
    assert (second.leaders, second.lead_units) == (["唐建国"], ["市重点项目办"])
    assert (third.leaders, third.lead_units, third.units) == (["龚伟"], [], ["市财政局"])


def test_a_measure_heading_mistaken_for_a_category_passes_nothing_on() -> None:
    text = """某县审计整改工作方案
一、整改任务
（一）预算管理方面
1.部分单位预算执行率偏低。
整改措施：
（一）建立预算执行月通报制度
（二）对执行率低的项目收回资金
责任单位：县财政局
整改类型：立行立改
整改时限：2024年3月底前
2.国有资产出租未公开招租。
整改措施：规范出租程序。
责任单位：县机关事务服务中心
整改时限：2024年12月底前
"""
    tasks = parse_bytes(text.encode(), "plan.txt").tasks
    assert not tasks[-1].deadline.immediate


def test_tasks_listed_under_a_kind_of_rectification_take_its_flags() -> None:
    text = """某镇巡察整改方案
一、立行立改问题（共2项）
1.村级财务公开不及时。
整改措施：立即补公开。
责任单位：镇经管站
2.窗口人员脱岗。
整改措施：建立考勤通报制度。
责任单位：镇便民服务中心
二、限期整改问题
3.集体资产底数不清。
整改措施：开展清产核资。
责任单位：镇经管站
整改时限：2024年9月30日前
三、长期坚持问题
4.干部作风不实。
整改措施：常态化明察暗访。
责任单位：镇纪委
"""
    tasks = parse_bytes(text.encode(), "plan.txt").tasks
    assert [(t.deadline.immediate, t.deadline.ongoing) for t in tasks] == [
        (True, False), (True, False), (False, False), (False, True)
    ]
    assert [m.due for m in tasks[2].deadline.milestones] == [date(2024, 9, 30)]


def test_measures_numbered_like_the_categories_stay_in_their_task() -> None:
    """(一)(二) measures under task 1. in a plan that also heads its categories (一)(二):
    the (二) after a rejected (一) is a measure, and the later (二) still opens a category."""
    text = """某县审计整改工作方案
一、整改任务
（一）预算管理方面
1.部分单位预算执行率偏低。
整改措施：
（一）建立预算执行月通报制度
（二）对执行率低于50%的项目收回资金
责任单位：县财政局
整改时限：2024年3月底前
2.国有资产出租未公开招租。
整改措施：规范出租程序。
责任单位：县机关事务服务中心
整改时限：2024年12月底前
（二）项目管理方面
3.部分项目未批先建。
整改措施：补办审批手续。
责任单位：县发展和改革局
整改时限：2024年6月底前
"""
    first, second, third = parse_bytes(text.encode(), "plan.txt").tasks
    assert [m.text for m in first.measures] == ["建立预算执行月通报制度", "对执行率低于50%的项目收回资金"]
    assert first.units == ["县财政局"] and [m.due for m in first.deadline.milestones] == [date(2024, 3, 31)]
    assert (second.category, third.category) == ("预算管理方面", "项目管理方面")


def test_tasks_of_an_immediate_list_read_so_as_their_deadline() -> None:
    text = """某某镇关于县委巡察反馈问题整改方案
一、立行立改问题
1.村级财务公开不及时。
整改措施：督促各村立即补公开。
责任单位：镇经管站
2.村级公章管理混乱。
整改措施：收回多余公章。
责任单位：镇党政办
二、长期坚持问题
3.干部作风不实。
整改措施：开展作风整顿。
责任单位：镇党政办
"""
    first, _second, third = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.deadline.text, first.deadline.immediate) == ("立行立改", True)
    assert (third.deadline.text, third.deadline.ongoing) == ("长期坚持", True)


def test_a_single_bracketed_measure_does_not_hide_the_next_category() -> None:
    """A task whose only measure is (一) and whose fields follow it: the (二) after the
    fields is the next category, under which numbering restarts."""
    text = """某县审计整改工作方案
一、整改任务
（一）预算管理方面
1.部分单位预算执行率偏低。
整改措施：
（一）建立预算执行月通报制度
责任单位：县财政局
整改时限：2024年3月底前
（二）项目管理方面
1.部分项目未批先建。
整改措施：补办审批手续。
责任单位：县发展和改革局
2.工程结算审核不严。
整改措施：开展结算复审。
责任单位：县住房和城乡建设局
"""
    tasks = parse_bytes(text.encode(), "plan.txt").tasks
    assert [t.ref for t in tasks] == ["1.1", "2.1", "2.2"]
    assert [m.text for m in tasks[0].measures] == ["建立预算执行月通报制度"]
