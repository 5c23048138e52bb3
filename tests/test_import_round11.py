"""Plans of kinds the earlier rounds did not cover (round 11): a plan sent inside a 通知 with
its 附件, 三张清单 written as three lists or three tables numbered alike, company plans with
a decimal outline (2.1 / 2.1.1), Roman and lettered numbering, tasks numbered alike by
mistake, scanned text with broken lines and a running title, dates signed in Chinese
numerals, a table pasted under the prose, tally and signature rows in ledgers, and headers
printed on too few pages to repeat. The text documents are in ``data/import_round11``; the
Word, Excel and PDF ones are built here."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import Workbook

from bot.importer import parse_bytes
from bot.importer.cleaning import normalize_line
from bot.importer.fields import heading_of, split_measures
from bot.importer.names import person_names
from bot.importer.tasks import read_deadline
from bot.plandata import ParsedPlan, PlanTask

DATA = Path(__file__).parent / "data" / "import_round11"


def _dues(task: PlanTask) -> list[tuple[str, str]]:
    return [(m.due.isoformat() if m.due else "", m.text) for m in task.deadline.milestones]


def check(plan: ParsedPlan, want: dict[str, Any]) -> None:
    """``want``: the plan's title and year, its refs in order, and for some tasks (by ref)
    the fields to compare; ``dues`` are (date, what) of the milestones, ``start`` the first
    milestone's start, ``status`` the progress's."""
    if "title" in want:
        assert plan.title == want["title"]
    if "year" in want:
        assert plan.year == want["year"]
    assert [t.ref for t in plan.tasks] == want["refs"]
    tasks = {t.ref: t for t in plan.tasks}
    for ref, fields in want.get("tasks", {}).items():
        task = tasks[ref]
        for name, value in fields.items():
            if name == "dues":
                got: Any = _dues(task)
            elif name == "start":
                got = task.deadline.milestones[0].start.isoformat() if task.deadline.milestones and task.deadline.milestones[0].start else None
            elif name in ("ongoing", "immediate"):
                got = getattr(task.deadline, name)
            elif name == "deadline":
                got = task.deadline.text
            elif name == "status":
                got = task.progress.status if task.progress else None
            elif name == "measures":
                got = [m.text for m in task.measures]
            else:
                got = getattr(task, name)
            assert got == value, f"{ref}.{name}"
    assert not [w for w in plan.warnings if w.kind == "undated_deadline"]


TEXT_PLANS: dict[str, dict[str, Any]] = {
    # the plan sent as the 附件 of a 通知: the notice names it and dates it for 限期N个月
    "notice-with-annex.txt": {
        "title": "某县落实省委第三巡视组反馈意见整改工作方案",
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"leaders": ["周晓"], "units": ["各乡镇党委", "县直各单位"], "dues": [("2024-07-12", "")], "start": "2024-04-12"},
            "3": {"units": ["县民政局", "县农业农村局", "各乡镇人民政府"], "dues": [("2024-06-12", "发放到位")]},
        },
    },
    # a notice sending two annexes, the plan's prose and its task list: the list's tasks are
    # annex 2's, dated by the notice signed by 某县林业局
    "notice-two-annexes.txt": {
        "title": "某县林业局巡察整改工作方案",
        "refs": ["2-1", "2-2"],
        "tasks": {"2-1": {"units": ["防火办", "各林场"], "dues": [("2024-05-01", "")], "start": "2024-03-01"}},
    },
    # 一、问题清单 1.… 二、任务清单 1.… 三、责任清单 1.责任领导:…: one task a number
    "three-lists-sections.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {
                "problem": "食品安全监管责任落实不到位，部分学校食堂“明厨亮灶”覆盖率偏低。",
                "measures": ["开展学校食堂专项检查；", "2024年底前实现“明厨亮灶”全覆盖。"],
                "leaders": ["孙涛"], "units": ["食品安全监管科", "各市场监管所"], "persons": ["刘洁"],
                "dues": [("2024-12-31", "")],
            },
            "3": {"leaders": ["李明"], "persons": ["邓华"], "immediate": True, "ongoing": True},
        },
    },
    "deadline-variety.txt": {
        "year": 2024,
        "refs": ["1", "2", "3", "4", "5", "6"],
        "tasks": {
            "1": {"dues": [("2024-12-31", "完成50%"), ("2025-06-30", "全部完成")], "ongoing": False},
            "2": {"dues": [], "ongoing": True},
            # a monthly report joined to the dated work: ongoing, and the date stays
            "3": {"dues": [("2024-09-30", "完成修订")], "ongoing": True, "deadline": "2024年9月底前完成修订并每月报送进展"},
            "4": {"immediate": True, "ongoing": True},
            "5": {"dues": [], "status": "已完成"},
            "6": {"dues": [("2024-06-30", "")], "ongoing": True},
        },
    },
    # 张建国副市长: the post after the name; 二〇二四年七月十五日 dates the plan
    "leaders-with-titles.txt": {
        "year": 2024,
        "refs": ["1", "2", "3", "4"],
        "tasks": {
            "1": {"leaders": ["张建国"], "units": ["市发展改革委", "市财政局", "各县(市、区)人民政府", "市直有关部门"]},
            "2": {"leaders": ["李卫东"], "units": ["市生态环境局", "各省级工业园区管委会"], "dues": [("2025-01-15", "")]},
            "3": {"leaders": ["王海涛"]},
            "4": {"leaders": ["赵立新", "孙明"], "units": ["市自然资源和规划局", "相关县(市、区)人民政府"]},
        },
    },
    # 1 总体要求 / 2 整改任务 / 2.1 … / 2.1.1 …: the outline's numbers are the refs
    "decimal-outline.txt": {
        "refs": ["2.1", "2.2", "2.3"],
        "tasks": {
            "2.1": {"title": "“三重一大”决策制度执行不严格", "category": "整改任务",
                    "measures": ["修订“三重一大”决策事项清单；", "对近三年决策事项开展专项检查。"], "leaders": ["陈刚"], "units": ["综合办公室"]},
            "2.2": {"units": ["采购管理部", "审计部"], "dues": [("2024-12-31", "")]},
            "2.3": {"ongoing": True, "deadline": "长期坚持"},
        },
    },
    # Ⅰ、Ⅱ、 over the tasks: their groups, not text of the task above
    "roman-numbered.txt": {
        "refs": ["1", "2", "3", "4"],
        "tasks": {
            "2": {"category": "党的建设方面", "deadline": "2024年12月底前", "dues": [("2024-12-31", "")]},
            "3": {"category": "业务工作方面", "measures": ["清理教育经费支出；", "完善经费使用审批制度。"]},
        },
    },
    "circled-tasks.txt": {
        "refs": ["1.1", "1.2", "2.1", "2.2"],
        "tasks": {"2.2": {"category": "医疗监管方面", "units": ["综合监督执法局", "区生态环境分局"], "ongoing": True}},
    },
    # two tasks numbered 3.: both are tasks
    "duplicate-numbers.txt": {
        "refs": ["1", "2", "3", "3.2", "4"],
        "tasks": {
            "3": {"units": ["劳动保障监察大队"], "deadline": "2024年12月底前"},
            "3.2": {"title": "人事档案管理不规范", "units": ["人事股"], "dues": [("2024-11-30", "")]},
        },
    },
    # spaced labels, a name wrapped after its post, the title repeated as a page header
    "ocr-broken-lines.txt": {
        "title": "某市自然资源和规划局关于审计发现问题整改方案",
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"leaders": ["王志强"], "units": ["土地利用科", "执法监察支队"], "deadline": "2024年12月底前", "dues": [("2024-12-31", "")]},
            "2": {"problem": "闲置土地处置不到位。有12宗土地闲置超过两年。"},
        },
    },
    "abc-measures.txt": {
        "refs": ["1", "2"],
        "tasks": {"1": {"measures": ["开展农村公路安全隐患排查；", "实施生命安全防护工程；", "建立隐患整改销号制度。"]}},
    },
    "inline-fields-oneline.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"dues": [("2024-06-30", "建立台账")], "ongoing": True, "units": ["党政办公室"]},
            "3": {"leaders": ["杨帆"], "dues": [("2024-06-25", "")]},
        },
    },
    # signed 二〇二四年五月八日 under the 党组: the issuer, the date and the base of 限期2个月
    "signed-in-chinese-numerals.txt": {
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"dues": [("2024-07-08", "")], "start": "2024-05-08"},
            "3": {"deadline": "二〇二四年十二月底前", "dues": [("2024-12-31", "")]},
        },
    },
    # the task table pasted (tab-separated) under the prose of the plan
    "prose-then-pasted-table.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"problem": "某河道非法采砂。", "units": ["县水利局", "县公安局"]},
            "2": {"dues": [("2024-09-20", "")]},
            "3": {"ongoing": True},
        },
    },
    # each numbered measure goes on into its own fields: measures of the task above, not tasks
    "measure-fields-inline.txt": {
        "refs": ["1", "2"],
        "tasks": {
            "1": {"measures": ["开展占道经营专项整治。", "建立长效管理机制。"], "units": ["执法大队", "市容股"], "leaders": ["张伟", "李强"],
                  "persons": ["王芳"], "dues": [("2024-06-30", "开展占道经营专项整治"), ("2024-09-30", "建立长效管理机制")]},
            "2": {"units": ["环卫所"], "dues": [("2024-07-31", "修订环卫作业标准")], "ongoing": True},
        },
    },
    # labels and a name wrapped over two lines, a bare 第 2 页 between the tasks
    "ocr-wrapped-labels.txt": {
        "refs": ["1", "2"],
        "tasks": {"1": {"leaders": ["苏明"], "units": ["计财股", "农经站"], "deadline": "2024年8月底前", "dues": [("2024-08-31", "")]}},
    },
    # 附件 with its task list after the prose: 三、保障措施 is no group of its tasks
    "annex-list-after-prose.txt": {
        "refs": ["1", "2"],
        "tasks": {"1": {"category": "", "leaders": ["毛平"], "units": ["社会救助股"]}, "2": {"category": "", "immediate": True}},
    },
    # 【问题一】 headings over 【整改措施】-style labels
    "bracketed-headings.txt": {
        "refs": ["1", "2"],
        "tasks": {"1": {"title": "税收优惠政策落实不到位", "units": ["纳税服务股"], "dues": [("2024-09-30", "")]},
                  "2": {"units": ["征收管理股"], "measures": ["建立欠税清缴台账，逐户清缴。"]}},
    },
    # No.1 / No.2 tasks of a company's list, measures lettered (a)(b)
    "english-numbered.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"title": "储罐区防火堤破损", "units": ["设备部"], "persons": ["高峰"], "dues": [("2024-04-30", "")]},
            "2": {"immediate": True},
            "3": {"measures": ["补充演练记录；", "每季度组织一次应急演练。"], "dues": [("2024-06-30", "")], "ongoing": True},
        },
    },
    "fullwidth-spaced-scan.txt": {
        "title": "某县市场监督管理局关于食品安全专项巡察反馈问题的整改方案",
        "refs": ["1", "2"],
        "tasks": {
            "1": {"leaders": ["龚平"], "units": ["食品生产股", "各市场监管所"]},
            "2": {"dues": [("2024-09-30", "完成50%"), ("2024-12-31", "全部完成")]},
        },
    },
}


@pytest.mark.parametrize("name", sorted(TEXT_PLANS))
def test_text_plans(name: str) -> None:
    check(parse_bytes((DATA / name).read_bytes(), name), TEXT_PLANS[name])


def test_the_signature_of_a_plan_dated_in_chinese_numerals_closes_it() -> None:
    plan = parse_bytes((DATA / "signed-in-chinese-numerals.txt").read_bytes(), "plan.txt")
    assert plan.issuer == "中共某县应急管理局党组"
    assert "党组" not in plan.tasks[-1].deadline.text
    assert normalize_line("二〇二四年十二月三十一日") == "2024年12月31日"
    assert normalize_line("（二○一九年三月）") == "(2019年3月)"
    assert normalize_line("二〇二四年十二月底前") == "二〇二四年十二月底前"  # a deadline, not a date line


# ---- Word -------------------------------------------------------------------------------


def _docx(build: Any) -> bytes:
    doc = Document()
    build(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc: Any, rows: list[list[str | None]]) -> Any:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = value
    return table


def merged_two_row_header(doc: Any) -> None:
    """Prose, then the 附件 task table: 整改措施 over 序号 | 措施内容, 责任主体 over 责任领导 |
    责任单位, each task's problem and names merged down its measure rows."""
    for line in ["某市发展和改革委员会关于市委巡察反馈问题整改工作方案", "2024年6月12日", "一、总体要求", "坚持问题导向，压实整改责任。",
                 "二、整改任务", "具体整改任务见附件。", "三、保障措施", "（一）加强组织领导。（二）强化督查问责。", "附件", "市发展改革委巡察反馈问题整改任务清单"]:
        doc.add_paragraph(line)
    t = _table(doc, [
        ["序号", "问题", "整改措施", None, "责任主体", None, "完成时限"],
        [None, None, "序号", "措施内容", "责任领导", "责任单位", None],
        ["1", "重大项目谋划储备不足。", "1", "建立重大项目储备库", "副主任 蒋磊", "投资科", "2024年9月底前"],
        [None, None, "2", "每季度开展一次项目谋划专题调度", None, None, "每季度"],
        ["2", "价格监督检查不到位。", "1", "开展涉企收费专项检查", "副主任 秦岚", "价格科、收费科", "2024年8月底前"],
        [None, None, "2", "建立价格监测预警机制", None, None, "2024年12月底前"],
        [None, None, "3", "公开曝光典型案例", None, None, "长期坚持"],
        ["3", "粮食储备轮换管理不规范。", "1", "开展储备粮库存数量质量大清查", "副主任 蒋磊", "粮食储备科", "2024年10月底前"],
    ])
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 1).merge(t.cell(1, 1))
    t.cell(0, 6).merge(t.cell(1, 6))
    t.cell(0, 2).merge(t.cell(0, 3))
    t.cell(0, 4).merge(t.cell(0, 5))
    for top, bottom in ((2, 3), (4, 6)):
        for col in (0, 1, 4, 5):
            keep = t.cell(top, col).text
            t.cell(top, col).merge(t.cell(bottom, col)).text = keep


def category_and_tally_rows(doc: Any) -> None:
    """Category rows spanning the table ((一)…方面), numbering restarting under each, then a
    合计 row and a 注 row; the signature and date under the table date the plan."""
    doc.add_paragraph("某县财政局关于县委巡察反馈问题整改清单")
    t = _table(doc, [
        ["序号", "反馈问题", "整改措施", "责任领导", "责任股室", "责任人", "整改时限"],
        ["（一）落实党的路线方针政策方面", None, None, None, None, None, None],
        ["1", "预算绩效管理不到位。", "①建立预算绩效评价指标体系；②开展重点项目绩效评价。", "副局长　潘越", "预算股", "股长　宁静", "2024年12月底前"],
        ["2", "国库集中支付审核不严。", "规范国库支付审核流程。", "副局长　潘越", "国库股", "股长　朱丹", "2024年9月底前"],
        ["（二）全面从严治党方面", None, None, None, None, None, None],
        ["1", "“三重一大”事项集体决策落实不严格。", "修订局党组议事规则。", "局长　方正", "办公室", "主任　吕平", "立行立改"],
        ["2", "干部轮岗交流不及时。", "制定干部轮岗交流计划。", "局长　方正", "人事股", "", "限期3个月"],
        ["合计", "4项", None, None, None, None, None],
        ["注：整改时限为“立行立改”的，须在方案印发后1个月内完成。", None, None, None, None, None, None],
    ])
    for r in (1, 4, 8):
        t.cell(r, 0).merge(t.cell(r, 6))
    t.cell(7, 1).merge(t.cell(7, 6))
    doc.add_paragraph("某县财政局")
    doc.add_paragraph("2024年7月1日")


def notice_with_annex_table(doc: Any) -> None:
    """A 通知 sending the plan: it is signed and dated above the 附件1 that holds the table."""
    for line in ["某区人民政府办公室", "关于印发某区城市管理领域突出问题整改方案的通知", "各街道办事处，区政府各部门：",
                 "现将《某区城市管理领域突出问题整改方案》印发给你们，请认真贯彻执行。", "附件：1.某区城市管理领域突出问题整改任务表",
                 "某区人民政府办公室", "2024年8月16日", "附件1", "某区城市管理领域突出问题整改任务表"]:
        doc.add_paragraph(line)
    _table(doc, [
        ["序号", "问题描述", "整改措施", "牵头单位", "配合单位", "完成时限"],
        ["1", "占道经营反弹回潮。", "开展占道经营集中整治，设置便民疏导点。", "区城管局", "各街道办事处，区市场监管局", "限期3个月"],
        ["2", "建筑垃圾偷倒乱倒。", "1.建立建筑垃圾运输车辆备案制度；2.开展夜间联合执法。", "区城管局", "区住建局、区公安分局交警大队", "2024年12月底前，每月报送进展"],
        ["3", "背街小巷环境卫生差。", "实施背街小巷提升改造。", "各街道办事处", "", "2025年6月底前"],
    ])


def three_tables(doc: Any) -> None:
    """问题清单, 任务清单, 责任清单: three tables numbered alike."""
    doc.add_paragraph("某县司法局关于县委巡察反馈问题整改“三张清单”")
    doc.add_paragraph("2024年9月2日")
    doc.add_paragraph("一、问题清单")
    _table(doc, [["序号", "问题清单"], ["1", "法律援助案件质量监管不到位。"], ["2", "社区矫正对象脱管漏管。"]])
    doc.add_paragraph("二、任务清单")
    _table(doc, [["序号", "任务清单", "完成时限"], ["1", "1.开展法律援助案件质量评查；2.建立案件回访制度。", "2024年11月底前"],
                 ["2", "开展社区矫正对象排查，落实“一人一档”。", "立行立改"]])
    doc.add_paragraph("三、责任清单")
    _table(doc, [["序号", "责任领导", "责任单位", "责任人"], ["1", "副局长 石磊", "法律援助中心", "主任 高原"],
                 ["2", "副局长 何静", "社区矫正股、各司法所", "股长 陆川"]])


def field_table_per_task(doc: Any) -> None:
    """Tasks numbered (1)(2), each with a two-column field table under it; the plan's closing
    section asks for monthly reports."""
    for line in ["某镇人民政府关于县委巡察反馈问题整改方案", "2024年10月8日", "一、整改任务"]:
        doc.add_paragraph(line)
    for heading, fields in [
        ("（1）村级集体经济发展缓慢。", [["整改措施", "①制定村级集体经济发展规划；②实施“一村一品”项目。"], ["责任领导", "党委副书记、镇长 袁野"],
                                ["责任单位", "农业服务中心、各村"], ["完成时限", "2024年底前完成50%，2025年6月前全部完成"]]),
        ("（2）农村“三资”管理不规范。", [["整改措施", "①开展农村集体“三资”清产核资；②建立“三资”监管平台。"], ["责任领导", "党委委员、副镇长 谢婷"],
                                 ["责任单位", "经管站"], ["完成时限", "2024年12月31日前"]]),
    ]:
        doc.add_paragraph(heading)
        _table(doc, fields)  # type: ignore[arg-type]
    doc.add_paragraph("二、工作要求")
    doc.add_paragraph("各责任单位每月5日前报送整改进展。")


def duties_in_a_table_of_their_own(doc: Any) -> None:
    """附件1 the tasks (序号 | 问题 | 整改措施 | 完成时限), 附件2 who answers for each (序号 |
    责任领导 | 责任单位 | 责任人), listed in another order."""
    for line in ["某县卫健局关于县委巡察反馈问题整改方案", "2024年5月15日", "附件1", "整改任务表"]:
        doc.add_paragraph(line)
    _table(doc, [["序号", "问题", "整改措施", "完成时限"], ["1", "药品采购不规范。", "开展药品采购专项检查。", "2024年8月底前"],
                 ["2", "医疗废物管理混乱。", "1.建立医疗废物台账；2.开展专项整治。", "2024年10月底前"]])
    doc.add_paragraph("附件2")
    doc.add_paragraph("责任分工表")
    _table(doc, [["序号", "责任领导", "责任单位", "责任人"], ["2", "副局长 秦川", "医政股、各卫生院", "股长 柏林"],
                 ["1", "副局长 秦川", "药政股", "股长 柳青"]])


def forms_with_two_pairs_a_row(doc: Any) -> None:
    """A 销号表: one form per problem, two label/value pairs a row, 序号 in the first."""
    doc.add_paragraph("某县文旅局巡察反馈问题整改销号表")
    for number, problem, measures, leader, units, deadline in [
        ("1", "景区安全管理不到位。", "1.开展景区安全检查；2.完善应急预案。", "副局长 邓超", "市场股", "2024年7月底前"),
        ("2", "文物保护经费使用不规范。", "清理文物保护经费。", "局长 孔明", "文物股、财务室", "2024年9月底前"),
    ]:
        t = _table(doc, [["序号", number, "问题", problem], ["整改措施", measures, None, None], ["责任领导", leader, "责任单位", units],
                         ["完成时限", deadline, "完成情况", "已完成"]])
        t.cell(1, 1).merge(t.cell(1, 3))
        doc.add_paragraph("")


WORD_PLANS: dict[str, tuple[Any, dict[str, Any]]] = {
    "forms_with_two_pairs_a_row": (forms_with_two_pairs_a_row, {
        "title": "某县文旅局巡察反馈问题整改销号表",
        "refs": ["1", "2"],
        "tasks": {"2": {"leaders": ["孔明"], "units": ["文物股", "财务室"], "status": "已完成", "dues": [("2024-09-30", "")]}},
    }),
    "duties_in_a_table_of_their_own": (duties_in_a_table_of_their_own, {
        "refs": ["1", "2"],
        "tasks": {
            "1": {"problem": "药品采购不规范。", "leaders": ["秦川"], "units": ["药政股"], "persons": ["柳青"], "dues": [("2024-08-31", "")]},
            "2": {"measures": ["建立医疗废物台账；", "开展专项整治。"], "units": ["医政股", "各卫生院"], "persons": ["柏林"]},
        },
    }),
    "merged_two_row_header": (merged_two_row_header, {
        "title": "某市发展和改革委员会关于市委巡察反馈问题整改工作方案",
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"measures": ["建立重大项目储备库", "每季度开展一次项目谋划专题调度"], "leaders": ["蒋磊"], "ongoing": True,
                  "dues": [("2024-09-30", "建立重大项目储备库")]},
            "2": {"units": ["价格科", "收费科"], "dues": [("2024-08-31", "开展涉企收费专项检查"), ("2024-12-31", "建立价格监测预警机制")]},
        },
    }),
    "category_and_tally_rows": (category_and_tally_rows, {
        "refs": ["1.1", "1.2", "2.1", "2.2"],
        "tasks": {
            "1.1": {"category": "落实党的路线方针政策方面", "measures": ["建立预算绩效评价指标体系；", "开展重点项目绩效评价。"], "persons": ["宁静"]},
            "2.2": {"category": "全面从严治党方面", "dues": [("2024-10-01", "")], "start": "2024-07-01"},
        },
    }),
    "notice_with_annex_table": (notice_with_annex_table, {
        "title": "某区城市管理领域突出问题整改方案",
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"lead_units": ["区城管局"], "supporting_units": ["各街道办事处", "区市场监管局"], "dues": [("2024-11-16", "")]},
            "2": {"dues": [("2024-12-31", "")], "ongoing": True},
        },
    }),
    "three_tables": (three_tables, {
        "refs": ["1", "2"],
        "tasks": {
            "1": {"problem": "法律援助案件质量监管不到位。", "category": "", "measures": ["开展法律援助案件质量评查；", "建立案件回访制度。"],
                  "leaders": ["石磊"], "units": ["法律援助中心"], "persons": ["高原"], "dues": [("2024-11-30", "")]},
            "2": {"units": ["社区矫正股", "各司法所"], "immediate": True},
        },
    }),
    "field_table_per_task": (field_table_per_task, {
        "refs": ["1", "2"],
        "tasks": {"1": {"leaders": ["袁野"], "units": ["农业服务中心", "各村"], "dues": [("2024-12-31", "完成50%"), ("2025-06-30", "全部完成")]}},
    }),
}


@pytest.mark.parametrize("name", sorted(WORD_PLANS))
def test_word_plans(name: str) -> None:
    build, want = WORD_PLANS[name]
    check(parse_bytes(_docx(build), f"{name}.docx"), want)


# ---- Excel ------------------------------------------------------------------------------


def _book(sheets: list[tuple[str, list[list[Any]]]], hidden: dict[str, list[str]] | None = None,
          merges: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    for k, (name, rows) in enumerate(sheets):
        sheet = book.active if k == 0 else book.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        for row in rows:
            sheet.append(row)
        for column in (hidden or {}).get(name, []):
            sheet.column_dimensions[column].hidden = True
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


LEDGERS: dict[str, tuple[bytes, dict[str, Any]]] = {
    # a 汇总 sheet before the ledger, a hidden column of old deadlines, 合计 and 填表人 rows,
    # 填报日期 dating 限期6个月
    "summary_sheet_hidden_column_tally": (_book([
        ("汇总", [["整改进度汇总表"], ["责任单位", "问题数", "已完成", "未完成", "完成率"], ["市教育局", 2, 1, 1, "50%"], ["合计", 3, 1, 2, "33%"]]),
        ("问题台账", [
            ["某市教育和卫生领域问题整改台账"],
            ["填报单位：市整改办", None, None, None, None, None, None, "填报日期：2024年7月10日"],
            ["序号", "问题", "整改措施", "责任领导", "责任单位", "原定时限", "整改时限", "整改进展"],
            [1, "义务教育大班额问题突出。", "新建改扩建学校12所。", "副市长 周敏", "市教育局、各县（市、区）人民政府", "2023年底", "2025年8月底前", "已开工9所"],
            [2, "校外培训机构监管不到位。", "开展校外培训专项治理。", "副市长 周敏", "市教育局，市市场监管局及各县（市、区）教育局", "2023年底", "已完成", "已完成"],
            [3, "基层医疗卫生机构人才短缺。", "实施基层卫生人才定向培养计划。", "副市长 吴昊", "市卫健委", "2023年底", "限期6个月", "正在推进"],
            ["合计", "3项", None, None, None, None, None, "已完成1项"],
            ["填表人：张晓", None, None, "审核人：李华", None, None, None, None],
        ]),
    ], hidden={"问题台账": ["F"]}, merges={"问题台账": ["A1:H1"]}), {
        "title": "某市教育和卫生领域问题整改台账",
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"dues": [("2025-08-31", "")]},
            "2": {"units": ["市教育局", "市市场监管局", "各县(市、区)教育局"], "status": "已完成"},
            "3": {"dues": [("2025-01-10", "")], "start": "2024-07-10"},
        },
    }),
    # category rows merged across, numbering restarting, a 小计 after each and a 总计
    "categories_with_subtotals": (_book([("Sheet1", [
        ["某市审计查出问题整改台账"],
        ["序号", "审计发现问题", "整改措施", "责任单位", "整改时限", "整改情况"],
        ["一、预算执行方面", None, None, None, None, None],
        [1, "部分项目资金未及时拨付。", "加快资金拨付进度。", "市财政局", "2024年6月底前", "已拨付80%"],
        [2, "超范围列支经费。", "收回超范围列支资金。", "市财政局、相关预算单位", "立行立改", "已全部收回"],
        ["小计", "2项", None, None, None, None],
        ["二、国有资产管理方面", None, None, None, None, None],
        [1, "国有资产出租未公开招租。", "规范国有资产出租程序。", "市国资委", "2024年9月底前", "正在推进"],
        ["小 计", "1项", None, None, None, None],
        ["总计", "3项", None, None, None, None],
    ])], merges={"Sheet1": ["A1:F1", "A3:F3", "A7:F7"]}), {
        "title": "某市审计查出问题整改台账",
        "refs": ["1.1", "1.2", "2.1"],
        "tasks": {"1.2": {"category": "预算执行方面", "status": "已完成", "immediate": True}, "2.1": {"category": "国有资产管理方面"}},
    }),
    # the title's bracket dates the ledger; 每季度, 限期3个月, two stages, a monthly report
    "dated_in_the_title_bracket": (_book([("台账", [
        ["某县巡察整改台账（填报时间：2024年5月6日）"],
        ["序号", "问题描述", "整改措施", "责任领导", "责任单位", "责任人", "整改时限"],
        ["1", "村务公开不及时。", "每季度公开一次村务。", "县委常委、组织部部长 杜鹃", "县委组织部，各乡镇党委", "", "每季度"],
        ["2", "农村低保动态管理不到位。", "开展低保对象动态核查。", "副县长 鲍勃", "县民政局和各乡镇人民政府", "局长 钟声", "限期3个月"],
        ["3", "涉农资金监管薄弱。", "建立涉农资金监管平台。", "副县长 鲍勃", "县财政局及县农业农村局", "", "2024年底前完成50%，2025年6月前全部完成"],
        ["4", "乡村振兴项目推进缓慢。", "倒排工期，挂图作战。", "副县长 鲍勃", "县乡村振兴局", "", "2024年10月底前，每月底前报送进展"],
        ["5", "村务公开栏内容陈旧。", "更新村务公开栏。", "副县长 鲍勃", "县农业农村局", "", "已于2024年4月完成"],
    ])]), {
        "title": "某县巡察整改台账",
        "refs": ["1", "2", "3", "4", "5"],
        "tasks": {
            "1": {"ongoing": True, "dues": [], "units": ["县委组织部", "各乡镇党委"]},
            "2": {"dues": [("2024-08-06", "")], "units": ["县民政局", "各乡镇人民政府"], "persons": ["钟声"]},
            "3": {"units": ["县财政局", "县农业农村局"], "dues": [("2024-12-31", "完成50%"), ("2025-06-30", "全部完成")]},
            "4": {"dues": [("2024-10-31", "")], "ongoing": True},
            # the deadline cell says when the task was done
            "5": {"status": "已完成"},
        },
    }),
    # 责任单位 over 牵头 | 配合, a 问题类别 column merged down; 牵头:/配合: inside a units cell;
    # 3个月内 without 限期, counted from the 填报时间
    "units_by_what_they_do": (_book([("s", [
        ["某市安全生产巡查反馈问题整改清单"],
        ["问题类别", "序号", "问题", "整改措施", "责任单位", None, "责任人", "完成时限"],
        [None, None, None, None, "牵头", "配合", None, None],
        ["安全生产", 1, "危化品仓储违规", "开展危化品仓储专项整治", "市应急局", "市公安局、市交通局", "张三（局长）、李四（副局长）", "2024年9月底前"],
        [None, 2, "消防通道堵塞", "开展消防通道清理", "市消防救援支队", "各区政府", "王五", "立行立改"],
        ["燃气安全", 3, "燃气管道老化", "实施燃气管道更新改造", "市住建局", "市燃气公司", "赵六", "2025年底前"],
        [None, 4, "油烟扰民", "安装净化设施", "牵头：市生态环境局\n配合：市市场监管局、市城管局", None, None, "3个月内"],
        ["填报时间：2024年5月8日"],
    ])], merges={"s": ["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3", "A4:A5", "A6:A7"]}), {
        "refs": ["1", "2", "3", "4"],
        "tasks": {
            "1": {"category": "安全生产", "lead_units": ["市应急局"], "supporting_units": ["市公安局", "市交通局"], "persons": ["张三", "李四"]},
            "2": {"category": "安全生产", "lead_units": ["市消防救援支队"], "supporting_units": ["各区政府"]},
            "4": {"lead_units": ["市生态环境局"], "supporting_units": ["市市场监管局", "市城管局"], "dues": [("2024-08-08", "")]},
        },
    }),
    # 序号 3 twice over two problems: two tasks; 2 twice over one (merged) problem: one task
    "a_number_twice": (_book([("台账", [
        ["某局整改台账"],
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        [1, "会议记录不规范。", "统一会议记录格式。", "办公室", "2024年6月底前"],
        [2, "公文办理超时。", "建立公文督办机制。", "办公室", "2024年7月底前"],
        [2, "公文办理超时。", "开展公文质量评查。", "办公室", "2024年8月底前"],
        [3, "档案管理不规范。", "开展档案清理。", "档案室", "2024年9月底前"],
        [3, "公车管理不规范。", "建立公车使用台账。", "后勤中心", "2024年10月底前"],
    ])]), {
        "refs": ["1", "2", "3", "3.2"],
        "tasks": {"2": {"measures": ["建立公文督办机制。", "开展公文质量评查。"]}, "3.2": {"units": ["后勤中心"], "dues": [("2024-10-31", "")]}},
    }),
    # 问题清单, 任务清单 and 责任清单 on three sheets numbered alike
    "three_sheets": (_book([
        ("问题清单", [["序号", "问题清单"], [1, "公车使用管理不规范。"], [2, "公务接待超标准。"]]),
        ("任务清单", [["序号", "任务清单", "完成时限"], [1, "①建立公车使用登记制度；②安装公车定位系统。", "2024年9月底前"], [2, "修订公务接待管理办法。", "立即整改、长期坚持"]]),
        ("责任清单", [["序号", "责任领导", "责任单位", "责任人"], [1, "副主任 闫军", "机关事务中心", "科长 邱实"], [2, "副主任 闫军", "办公室，财务科", ""]]),
    ]), {
        "title": "三张清单.xlsx",
        "refs": ["1", "2"],
        "tasks": {
            "1": {"problem": "公车使用管理不规范。", "measures": ["建立公车使用登记制度；", "安装公车定位系统。"], "leaders": ["闫军"], "persons": ["邱实"]},
            "2": {"units": ["办公室", "财务科"], "immediate": True, "ongoing": True},
        },
    }),
    # a two-row header with 责任清单 over 责任领导 | 责任单位 | 责任人, 序号 (一)(二), 已完成
    "three_lists_two_row_header": (_book([("三个清单", [
        ["某区委巡察反馈问题整改“三个清单”"],
        ["序号", "问题清单", "任务清单", "责任清单", None, None, "时限清单"],
        [None, None, None, "责任领导", "责任单位", "责任人", None],
        ["（一）", "理论学习中心组学习不规范。", "①制定年度学习计划；②建立学习档案。", "区委常委、宣传部部长 冉冬", "区委宣传部", "科长 万里", "2024年6月底前"],
        ["（二）", "意识形态阵地管理有漏洞。", "开展意识形态阵地排查。", "冉冬", "区委宣传部、区委网信办", "", "每季度"],
        ["（三）", "党员教育管理不严格。", "开展党员信息采集核对。", "区委常委、组织部部长 祁峰", "区委组织部", "科长 童心", "已完成"],
    ])], merges={"三个清单": ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3"]}), {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"leaders": ["冉冬"], "persons": ["万里"]}, "2": {"ongoing": True}, "3": {"status": "已完成"}},
    }),
}


@pytest.mark.parametrize("name", sorted(LEDGERS))
def test_ledgers(name: str) -> None:
    data, want = LEDGERS[name]
    check(parse_bytes(data, "三张清单.xlsx" if name == "three_sheets" else f"{name}.xlsx"), want)


# ---- PDF --------------------------------------------------------------------------------


def test_a_printed_notice_and_a_plan_with_odd_and_even_headers() -> None:
    """The notice and its annexed plan printed with a ·N· footer; a three-page plan whose odd
    and even pages carry headers of their own (each printed once, too rarely to be seen
    repeating), a bare first page and 第N页 共M页 footers."""
    from tests.test_import_robustness import printed

    lines = [ln for ln in (DATA / "notice-with-annex.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    notice = parse_bytes(printed([lines[:30], lines[30:]], header="某县巡视整改工作文件", footer="·{n}·"), "notice.pdf")
    check(notice, TEXT_PLANS["notice-with-annex.txt"])
    lines = [ln for ln in (DATA / "leaders-with-titles.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    pdf = printed([lines[:14], lines[14:26], lines[26:]], header="某市生态环境保护督察整改", even_header="整改落实方案",
                  footer="第 {n} 页 共 {total} 页", plain_first=True)
    plan = parse_bytes(pdf, "plan.pdf")
    assert [t.lead_units for t in plan.tasks] == [["市住建局"], ["市工信局"], ["市农业农村局"], ["市水利局"]]
    assert [t.leaders for t in plan.tasks] == [t.leaders for t in parse_bytes((DATA / "leaders-with-titles.txt").read_bytes(), "p.txt").tasks]


def ruled_table_pdf(rows: list[list[str]], spanned: set[int]) -> bytes:
    """A task table printed with its rules (a Word table saved as PDF); the rows in
    ``spanned`` are one cell across the table."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    from bot.charts import FONT_FILES

    font = next(path for path in FONT_FILES if Path(path).exists())
    small = FontProperties(fname=font, size=9)
    xs, top, height = [0.05, 0.12, 0.40, 0.68, 0.83, 0.97], 0.9, 0.03
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        fig = Figure(figsize=(8.27, 11.69))
        fig.text(0.5, 0.95, "某局巡察整改任务清单", fontproperties=FontProperties(fname=font, size=14), ha="center")
        for i, row in enumerate(rows):
            y = top - i * height
            fig.add_artist(Line2D([xs[0], xs[-1]], [y, y], color="k", lw=0.8))
            cells = [" ".join(c for c in row if c)] if i in spanned else row
            for j, cell in enumerate(cells):
                fig.text(xs[j] + 0.005, y - height * 0.7, cell, fontproperties=small)
            for k, x in enumerate(xs):
                if i not in spanned or k in (0, len(xs) - 1):
                    fig.add_artist(Line2D([x, x], [y, y - height], color="k", lw=0.8))
        bottom = top - len(rows) * height
        fig.add_artist(Line2D([xs[0], xs[-1]], [bottom, bottom], color="k", lw=0.8))
        pdf.savefig(fig)
    return buffer.getvalue()


def test_a_ruled_table_in_a_pdf_with_its_group_and_tally_rows() -> None:
    rows = [
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        ["（一）党的建设方面", "", "", "", ""],
        ["1", "党建责任落实不到位", "制定责任清单", "机关党委", "2024年6月底前"],
        ["合计 1项", "", "", "", ""],
        ["2", "组织生活不规范", "规范三会一课", "各支部", "立行立改"],
    ]
    plan = parse_bytes(ruled_table_pdf(rows, {1, 3}), "plan.pdf")
    assert [(t.ref, t.category, t.units) for t in plan.tasks] == [("1", "党的建设方面", ["机关党委"]), ("2", "党的建设方面", ["各支部"])]


# ---- the pieces -------------------------------------------------------------------------


def test_a_recurring_report_joined_to_a_dated_clause() -> None:
    """并每月报送进展 after the dated work: the task reports monthly (ongoing) and is still due
    on the date; the text stays as written."""
    deadline = read_deadline("2024年9月底前完成修订并每月报送进展", 2024)
    assert ([(m.due, m.text) for m in deadline.milestones], deadline.ongoing) == ([(date(2024, 9, 30), "完成修订")], True)
    assert deadline.text == "2024年9月底前完成修订并每月报送进展"
    later = read_deadline("2024年6月底前建立制度，此后每季度开展一次检查", 2024)
    assert ([m.due for m in later.milestones], later.ongoing) == ([date(2024, 6, 30)], True)
    for text in ("2024年12月底前 每月报送进展", "2024年12月底前每月报送进展", "每月25日前报送进展直至2024年底"):
        joined = read_deadline(text, 2024)
        assert ([m.due for m in joined.milestones], joined.ongoing, joined.text) == ([date(2024, 12, 31)], True, text)
    # 3个月内 without 限期: from the plan's date, when it has one
    limit = read_deadline("三个月内完成", 2024, date(2024, 5, 8))
    assert [(m.start, m.due, m.text) for m in limit.milestones] == [(date(2024, 5, 8), date(2024, 8, 8), "完成")]
    assert read_deadline("三个月内完成", 2024).milestones == []
    plain = read_deadline("2024年6月底前", 2024)
    assert ([m.due for m in plain.milestones], plain.ongoing) == ([date(2024, 6, 30)], False)
    # a 报送要求 column asks for monthly reports: the task is ongoing, its date stays
    data = _book([("台账", [
        ["序号", "问题", "整改措施", "责任单位", "完成时限", "报送要求"],
        [1, "河道垃圾堆积。", "清理河道。", "县水利局", "2024年6月底前", "每月25日前报送进展"],
    ])])
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert ([m.due for m in task.deadline.milestones], task.deadline.ongoing) == ([date(2024, 6, 30)], True)


def test_names_with_the_post_after_them_or_wrapped_away() -> None:
    assert person_names("张建国副市长") == ["张建国"]
    assert person_names("赵强常务副县长、林涛副总经理") == ["赵强", "林涛"]
    assert person_names("局党组书记 王海") == ["王海"]
    for post in ("党组书记", "第一书记", "组织部长", "县委书记"):
        assert person_names(post) == []
    assert person_names("副局长 王\n志强") == ["王志强"]
    assert person_names("张  弛") == ["张弛"]


def test_outline_numbers_and_lettered_measures() -> None:
    assert heading_of("2.1 “三重一大”决策制度执行不严格") is not None
    assert (heading_of("2.1.3 修订清单；") or None, heading_of("3.5万元已追回")) != (None, None)
    assert heading_of("3.5万元已追回") is None and heading_of("12 月底前完成") is None
    roman = heading_of("Ⅱ、业务工作方面")
    assert roman is not None and (roman.style, roman.number, roman.text) == ("roman", 2, "业务工作方面")
    assert split_measures(["A.开展排查；B.实施工程；", "C.建立制度。"])[1] == ["开展排查；", "实施工程；", "建立制度。"]
    assert split_measures(["2.1.1 修订办法；", "2.1.2 开展检查。"])[1] == ["修订办法；", "开展检查。"]
    assert split_measures(["PM2.5浓度下降。"])[1] == ["PM2.5浓度下降。"]
    # 〔一〕 is (一); 【问题二】 is 问题二:
    from bot.importer.fields import unbracket_labels

    assert (unbracket_labels("〔一〕加强领导"), unbracket_labels("【问题二】欠税清缴不力")) == ("(一)加强领导", "问题二:欠税清缴不力")
