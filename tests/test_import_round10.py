"""Plans of kinds the earlier rounds did not cover: 督察 feedback lists numbered by code
(问题编号:LY-2024-01), Word tables with a table in a measures cell, ledgers with one measure a
column (措施1 | 措施2), plans with a table of contents, 限期N个月 limits and a 完成时限 cell that
reports the task done."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from openpyxl import Workbook

from bot.deadlines import parse_deadline
from bot.importer import parse_bytes
from tests.test_import_round9 import plan_of, xlsx_of

CODED = """某省林业局关于中央生态环境保护督察反馈问题整改方案
2024年3月20日
一、整改任务
（一）自然保护地方面
问题编号：LY-2024-01
反馈问题：部分自然保护区内违规建设旅游设施，侵占林地问题突出。
整改目标：2024年12月底前完成违规设施清理，恢复植被。
整改措施：1.开展自然保护区违规建设专项排查；2.依法拆除违规建设旅游设施；3.实施植被恢复工程。
责任领导：副局长 马建军
牵头单位：省林业局保护地管理处
责任单位：相关市（州）人民政府
完成时限：2024年12月底前
问题编号：LY-2024-02
反馈问题：森林督查发现的毁林问题整改不到位。
整改措施：1.逐图斑开展现场核查；2.依法查处毁林案件。
责任领导：副局长 马建军
牵头单位：省林业局资源管理处
责任单位：各市（州）林业主管部门
完成时限：2024年9月30日前完成核查，2024年12月31日前完成整改
（二）国有林场方面
问题编号：LY-2024-03
反馈问题：国有林场改革后续政策落实不到位。
整改措施：1.制定国有林场发展规划；2.落实林场职工社会保障政策。
责任领导：局长 杨光
牵头单位：省林业局国有林场和种苗管理处
完成时限：长期坚持
二、保障措施
（一）加强组织领导。成立整改工作领导小组。
"""


def test_a_feedback_list_numbered_by_code_is_one_task_a_code() -> None:
    """No numbered heading marks the tasks: each opens with its 问题编号 line, whose code is
    the task's ref, and a section heading above a code is the group of the tasks after it."""
    plan = plan_of(CODED)
    assert [t.ref for t in plan.tasks] == ["LY-2024-01", "LY-2024-02", "LY-2024-03"]
    first, second, third = plan.tasks
    assert first.problem == "部分自然保护区内违规建设旅游设施，侵占林地问题突出。"
    assert first.goal == "2024年12月底前完成违规设施清理，恢复植被。"
    assert [m.text for m in first.measures] == ["开展自然保护区违规建设专项排查；", "依法拆除违规建设旅游设施；", "实施植被恢复工程。"]
    assert first.leaders == ["马建军"] and first.lead_units == ["省林业局保护地管理处"]
    assert [m.due for m in second.deadline.milestones] == [date(2024, 9, 30), date(2024, 12, 31)]
    assert [t.category for t in plan.tasks] == ["自然保护地方面", "自然保护地方面", "国有林场方面"]
    assert third.deadline.ongoing and "保障措施" not in third.deadline.text
    assert third.units == []


def test_codes_like_1_3_under_numbered_groups() -> None:
    text = CODED.replace("LY-2024-01", "1-1").replace("LY-2024-02", "1-2").replace("LY-2024-03", "2-1")
    assert [t.ref for t in plan_of(text).tasks] == ["1-1", "1-2", "2-1"]


def test_a_measures_cell_holding_a_table_of_its_own() -> None:
    """python-docx leaves a nested table out of the cell's text: its rows are the measures."""
    doc = Document()
    doc.add_paragraph("某县住房和城乡建设局关于住建领域专项整治问题整改清单")
    header = ["序号", "存在问题", "整改措施", "责任单位", "完成时限"]
    rows = [
        ["1", "建筑工地扬尘治理不到位。", ["对在建工地开展扬尘专项检查", "对未达标工地依法处罚", "安装扬尘在线监测设备"], "建筑管理股", "2024年10月底前"],
        ["2", "城镇老旧小区改造进度滞后。", ["倒排工期，挂图作战", "每月25日前报送改造进展"], "城建股", "2024年11月30日前"],
    ]
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    for j, h in enumerate(header):
        table.cell(0, j).text = h
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            if isinstance(value, list):
                inner = table.cell(i, j).add_table(rows=len(value), cols=2)
                for k, measure in enumerate(value):
                    inner.cell(k, 0).text = str(k + 1)
                    inner.cell(k, 1).text = measure
            else:
                table.cell(i, j).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "plan.docx")
    assert [[m.text for m in t.measures] for t in plan.tasks] == [
        ["对在建工地开展扬尘专项检查", "对未达标工地依法处罚", "安装扬尘在线监测设备"],
        ["倒排工期，挂图作战", "每月25日前报送改造进展"],
    ]
    assert [t.units for t in plan.tasks] == [["建筑管理股"], ["城建股"]]


def test_a_ledger_with_one_measure_a_column() -> None:
    plan = parse_bytes(
        xlsx_of(
            [
                ["某县自然资源局耕地保护督察反馈问题整改台账"],
                ["问题编号", "反馈问题", "措施1", "措施2", "措施3", "责任领导", "牵头单位", "配合单位", "完成时限"],
                ["1-1", "违法占用耕地建房问题突出", "开展专项排查", "依法拆除违法建筑", "复垦复耕", "副局长 贾明", "县自然资源局执法大队", "各乡镇人民政府", "2024年11月30日前"],
                ["1-2", "永久基本农田“非粮化”", "摸清底数", "制定分类处置方案", None, "副局长 贾明", "县自然资源局耕保股", "县农业农村局", "2024年12月31日前"],
                ["2-1", "土地出让金欠缴", "建立欠缴台账", None, None, "局长 曹阳", "县自然资源局财务股", "县财政局", "2024年6月底前"],
            ]
        ),
        "ledger.xlsx",
    )
    assert [t.ref for t in plan.tasks] == ["1-1", "1-2", "2-1"]
    assert [[m.text for m in t.measures] for t in plan.tasks] == [
        ["开展专项排查", "依法拆除违法建筑", "复垦复耕"],
        ["摸清底数", "制定分类处置方案"],
        ["建立欠缴台账"],
    ]
    assert plan.tasks[0].leaders == ["贾明"] and plan.tasks[0].supporting_units == ["各乡镇人民政府"]


CONTENTS = """某市市场监督管理局关于省委巡视反馈意见整改落实方案

目  录
一、总体要求…………………………………………1
二、整改任务…………………………………………2
三、保障措施…………………………………………6

2024年5月8日

一、总体要求
坚持问题导向，推动全面从严治党向纵深发展。
二、整改任务
（一）食品安全监管存在薄弱环节
整改措施：1.开展农贸市场专项整治；2.完善快检室建设。
责任领导：副局长 周建华
责任单位：食品经营安全监督管理科（牵头）、各县（市、区）市场监管局
责任人：刘晓东（科长）
完成时限：2024年11月30日前完成整改，2025年6月底前建立长效机制
（二）特种设备安全隐患排查不彻底
整改措施：1.对全市电梯、锅炉开展全面排查；2.逐项建立台账。
责任领导：副局长 吴敏
责任单位：特种设备安全监察科
责任人：陈刚（科长）
完成时限：限期2个月
三、保障措施
各科室要高度重视，确保整改到位。
"""


def test_a_table_of_contents_is_neither_a_heading_nor_hides_the_plan_date() -> None:
    """The contents repeat the section titles with dot leaders and page numbers: they were
    read as the group of every task, and pushed the date line out of the plan's head."""
    plan = plan_of(CONTENTS)
    assert plan.year == 2024
    assert [t.category for t in plan.tasks] == ["整改任务", "整改任务"]
    assert plan.tasks[0].lead_units == ["食品经营安全监督管理科"]
    assert plan.tasks[0].persons == ["刘晓东"]
    # 限期2个月 runs from the plan's date
    assert [(m.start, m.due) for m in plan.tasks[1].deadline.milestones] == [(date(2024, 5, 8), date(2024, 7, 8))]
    assert not [w for w in plan.warnings if w.kind == "undated_deadline"]


def test_a_time_limit_counts_from_the_plan_date() -> None:
    issued = date(2024, 5, 8)
    assert [(m.due, m.text) for m in parse_deadline("限期3个月内整改到位", 2024, issued).milestones] == [(date(2024, 8, 8), "整改到位")]
    assert [m.due for m in parse_deadline("限期30日", 2024, issued).milestones] == [date(2024, 6, 7)]
    assert parse_deadline("限期整改", 2024, issued).milestones == []
    assert parse_deadline("限期2个月", 2024, None).milestones == []
    # a date the text states wins over the limit
    assert [m.due for m in parse_deadline("2024年底前，限期2个月", 2024, issued).milestones] == [date(2024, 12, 31)]


def test_a_deadline_cell_that_says_the_task_is_done() -> None:
    plan = parse_bytes(
        xlsx_of(
            [
                ["某市生态环境问题整改台账"],
                ["序号", "问题清单", "整改措施", "责任单位", "完成时限"],
                [1, "城市黑臭水体反弹", "实施清淤截污", "市住建局", "2024年底"],
                [2, "矿山生态修复滞后", "编制矿山生态修复方案并实施", "市自然资源局", "已完成"],
            ]
        ),
        "ledger.xlsx",
    )
    done = plan.tasks[1]
    assert done.progress is not None and done.progress.status == "已完成"
    assert plan.tasks[0].progress is None
    assert not [w for w in plan.warnings if w.kind == "undated_deadline"]


def test_a_recurring_report_in_brackets_keeps_the_date_before_it() -> None:
    """(每月5日前报送进度) asks for monthly reports; it made the whole clause recurring and
    the 9月底 deadline was lost."""
    deadline = parse_deadline("2024年9月底前（每月5日前报送进度）", 2024)
    assert [(m.due, m.text) for m in deadline.milestones] == [(date(2024, 9, 30), "")]
    assert deadline.text == "2024年9月底前（每月5日前报送进度）"
    later = parse_deadline("2024年9月底前(每季度末报送)完成整改", 2024)
    assert [(m.due, m.text) for m in later.milestones] == [(date(2024, 9, 30), "完成整改")]


DUCHA = """某市关于中央第二生态环境保护督察组督察反馈意见整改方案
2024年8月20日
一、整改任务
问题1-1：主体责任落实不到位，部分县区对生态环境保护工作重视不够。
整改目标：压紧压实各级党委政府生态环境保护责任。
整改措施：
——制定生态环境保护责任清单；
——将督察整改纳入领导班子
考核；
——每季度召开一次整改推进会。
责任领导：王某某（市委副书记）
牵头单位：市委办公室
责任单位：市生态环境局，各县（市、区）党委、政府
整改时限：2024年12月底前，长期坚持
问题1-2：城市建成区黑臭水体整治不彻底。
整改措施：
●开展黑臭水体排查；
●实施控源截污工程。
责任领导：李某某（副市长）
牵头单位：市住建局
责任单位：市水务局
整改时限：2024年11月30日前完成整改，2025年6月底前建立长效机制
问题2-1：危险废物规范化管理不到位。
整改措施：开展危险废物专项整治。
责任领导：李某某（副市长）
牵头单位：市生态环境局
整改时限：2024年9月底前
二、保障措施
（一）加强组织领导。
"""


def test_feedback_problems_numbered_1_1_with_their_text_on_the_heading() -> None:
    """问题1-1:… is the task's ref and its problem, even where the problem opens with a word
    that is also a label (主体责任 would make it the task's 主体责任 field)."""
    plan = plan_of(DUCHA)
    assert [t.ref for t in plan.tasks] == ["1-1", "1-2", "2-1"]
    first = plan.tasks[0]
    assert first.problem == "主体责任落实不到位，部分县区对生态环境保护工作重视不够。"
    assert first.principals == []
    assert first.leaders == ["王某某"] and plan.tasks[1].leaders == ["李某某"]
    assert "保障措施" not in plan.tasks[2].deadline.text


def test_measures_set_off_by_dashes_or_bullets() -> None:
    plan = plan_of(DUCHA)
    assert [m.text for m in plan.tasks[0].measures] == [
        "制定生态环境保护责任清单；",
        "将督察整改纳入领导班子考核；",
        "每季度召开一次整改推进会。",
    ]
    assert [m.text for m in plan.tasks[1].measures] == ["开展黑臭水体排查；", "实施控源截污工程。"]


def test_a_bare_organ_after_a_placed_one_is_of_the_same_place() -> None:
    """各县(市、区)党委、政府 names the counties' Party committees and their governments, not a
    unit called 政府."""
    assert plan_of(DUCHA).tasks[0].units == ["市生态环境局", "各县(市、区)党委", "各县(市、区)政府"]


def test_a_ledger_whose_first_sheet_is_instructions() -> None:
    """A 填报说明 sheet before the task sheets: its numbered notes are no title (the plan is
    then named after its file), and every other sheet holds tasks, grouped by sheet."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填报说明"
    for row in (["填报说明"], ["1.本台账由各责任单位每月25日前报送。"], ["2.完成时限按整改方案填写。"]):
        notes.append(row)
    header = ["序号", "问题描述", "整改措施", "责任领导", "责任单位", "完成时限"]
    for name, rows in {
        "学校安全": [[1, "部分学校消防设施老化", "更换老化消防设施", "副局长 江涛", "各中小学校", "2024年8月31日前"],
                     [2, "校车安全管理制度不健全", "修订校车管理办法", "副局长 江涛", "县教育局安全股", "长期"]],
        "师德师风": [[1, "个别教师有偿补课", "开展专项治理", "局长 汤明", "县教育局人事股", "立行立改"]],
    }.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "台账.xlsx")
    assert plan.title == "台账.xlsx"
    assert [(t.ref, t.category) for t in plan.tasks] == [("1-1", "学校安全"), ("1-2", "学校安全"), ("2-1", "师德师风")]


def test_numbered_measures_under_a_task_heading_without_a_measures_label() -> None:
    """第一条 …, then (一)(二) and the task's fields: the numbered items are its measures."""
    text = "\n".join(
        [
            "某县住房和城乡建设局关于县委巡察反馈问题整改方案",
            "2024年10月9日",
            "第一条 工程项目招投标监管不严。",
            "（一）开展工程项目专项检查；",
            "（二）建立工程项目长效机制。",
            "责任单位：建筑管理股",
            "完成时限：2024年12月底前",
            "第二条 物业服务企业监管缺位。",
            "1.开展物业服务专项检查；",
            "2.建立物业服务长效机制。",
            "责任单位：城建股",
            "完成时限：限期2个月",
        ]
    )
    plan = plan_of(text)
    assert [t.problem for t in plan.tasks] == ["工程项目招投标监管不严。", "物业服务企业监管缺位。"]
    assert [[m.text for m in t.measures] for t in plan.tasks] == [
        ["开展工程项目专项检查；", "建立工程项目长效机制。"],
        ["开展物业服务专项检查；", "建立物业服务长效机制。"],
    ]
    assert [m.due for m in plan.tasks[1].deadline.milestones] == [date(2024, 12, 9)]


def heading_plan(numbered_level_one: bool = False) -> bytes:
    doc = Document()
    doc.add_paragraph("附件1")
    doc.add_heading("某县水利局关于水资源管理专项督查反馈问题整改方案", level=1)
    doc.add_paragraph("2024年5月20日")
    doc.add_heading("一、整改任务" if numbered_level_one else "整改任务", level=1)
    tasks = [
        ("取水许可管理不规范", "部分取水户未办理取水许可。", ["开展取水户全面排查；", "依法补办或注销取水许可。"], "水资源股（牵头）、县水政监察大队", "2024年8月底前"),
        ("地下水超采治理滞后", "城区地下水位持续下降。", ["关停自备井；", "推进水源置换工程。"], "水资源股", "2025年6月底前，长期坚持"),
    ]
    for title, problem, measures, units, deadline in tasks:
        doc.add_heading(title, level=2)
        doc.add_paragraph("问题表现：" + problem)
        doc.add_paragraph("整改措施：")
        for measure in measures:
            doc.add_paragraph(measure, style="List Number")
        doc.add_paragraph("责任单位：" + units)
        doc.add_paragraph("完成时限：" + deadline)
    doc.add_heading("二、保障措施" if numbered_level_one else "保障措施", level=1)
    doc.add_paragraph("各股室要高度重视。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_tasks_set_as_word_headings_without_numbers() -> None:
    """Each task a Heading 2 paragraph with no number, its fields in the paragraphs below,
    and Word's list numbers running on from one task's measures to the next."""
    for numbered in (False, True):
        plan = parse_bytes(heading_plan(numbered), "plan.docx")
        assert plan.title == "某县水利局关于水资源管理专项督查反馈问题整改方案"
        assert [(t.ref, t.title, t.category) for t in plan.tasks] == [
            ("1", "取水许可管理不规范", "整改任务"),
            ("2", "地下水超采治理滞后", "整改任务"),
        ]
        assert [[m.text for m in t.measures] for t in plan.tasks] == [
            ["开展取水户全面排查；", "依法补办或注销取水许可。"],
            ["关停自备井；", "推进水源置换工程。"],
        ]
        assert plan.tasks[0].problem == "部分取水户未办理取水许可。"
        assert "保障措施" not in plan.tasks[1].deadline.text and plan.tasks[1].deadline.ongoing


def test_a_heading_over_each_table_of_problems_is_their_group() -> None:
    doc = Document()
    doc.add_paragraph("某市生态环境局关于中央生态环境保护督察反馈问题整改清单")
    header = ["序号", "反馈问题", "整改措施", "责任单位", "完成时限"]
    for caption, rows in [
        ("（一）大气污染防治", [["1", "钢铁企业超低排放改造滞后。", "倒排工期推进改造。", "市工信局", "2024年底"]]),
        ("（二）水污染防治", [["1", "黑臭水体反弹。", "实施截污纳管。", "市住建局", "2024-06"], ["2", "饮用水源地保护区违建。", "拆除违建。", "相关县人民政府", "2024年9月底前"]]),
    ]:
        doc.add_paragraph(caption)
        table = doc.add_table(rows=1 + len(rows), cols=len(header))
        for j, h in enumerate(header):
            table.cell(0, j).text = h
        for i, row in enumerate(rows, 1):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "plan.docx")
    assert [(t.ref, t.category) for t in plan.tasks] == [("1-1", "大气污染防治"), ("2-1", "水污染防治"), ("2-2", "水污染防治")]


UNNUMBERED = """某县市场监督管理局关于食品安全专项督查反馈问题整改方案
2024年11月15日

反馈问题：校园周边食品经营户无证经营。
整改措施：1.开展校园周边食品安全专项整治；2.依法取缔无证经营户。
责任单位：食品经营股、各市场监管所
责任人：食品经营股股长 鲁某
完成时限：3月底前

反馈问题：网络订餐平台入网商户审核不严。
整改措施：1.约谈网络订餐平台；2.开展入网商户资质核查。
责任单位：网络交易监管股
完成时限：6月底前完成核查，长期坚持

反馈问题：食品抽检不合格产品核查处置不及时。
整改措施：建立不合格产品核查处置台账，限期办结。
责任单位：食品抽检股
完成时限：立行立改
"""


def test_unnumbered_tasks_each_opened_by_its_problem_label() -> None:
    plan = plan_of(UNNUMBERED)
    assert [(t.ref, t.problem) for t in plan.tasks] == [
        ("1", "校园周边食品经营户无证经营。"),
        ("2", "网络订餐平台入网商户审核不严。"),
        ("3", "食品抽检不合格产品核查处置不及时。"),
    ]
    assert [t.units for t in plan.tasks] == [["食品经营股", "各市场监管所"], ["网络交易监管股"], ["食品抽检股"]]
    assert plan.tasks[0].persons == ["鲁某"] and plan.tasks[2].deadline.immediate


def test_a_yearless_month_before_the_plan_date_is_the_next_year() -> None:
    """3月底前 in a plan dated 2024年11月15日 is March 2025: no plan sets a deadline already
    past when it is issued."""
    plan = plan_of(UNNUMBERED)
    assert [m.due for m in plan.tasks[0].deadline.milestones] == [date(2025, 3, 31)]
    assert [m.due for m in plan.tasks[1].deadline.milestones] == [date(2025, 6, 30)]
    issued = date(2024, 11, 15)
    assert [m.due for m in parse_deadline("3月底前完成排查，6月底前完成整改", 2024, issued).milestones] == [date(2025, 3, 31), date(2025, 6, 30)]
    assert [m.due for m in parse_deadline("12月20日前", 2024, issued).milestones] == [date(2024, 12, 20)]
    assert [m.due for m in parse_deadline("2024年3月底前", 2024, issued).milestones] == [date(2024, 3, 31)]


def test_a_hazard_ledger_in_gbk_csv_with_measures_in_columns() -> None:
    """隐患描述 is the problem column of a 隐患 ledger; 措施一 | 措施二 are its measures."""
    rows = [
        ["某区教育局校园安全隐患整改台账"],
        ["序号", "隐患描述", "措施一", "措施二", "责任股室", "责任人", "完成时限"],
        ["1", "实验室危化品管理混乱", "建立危化品台账", "落实双人双锁", "安全股", "严某（股长）", "2024年底"],
        ["2", "校门口交通秩序混乱", "设置护学岗", "", "安全股、区交警大队（配合）", "严某（股长）", "长期"],
    ]
    data = "\n".join(",".join(row) for row in rows).encode("gb18030")
    plan = parse_bytes(data, "台账.csv")
    assert [t.problem for t in plan.tasks] == ["实验室危化品管理混乱", "校门口交通秩序混乱"]
    assert [[m.text for m in t.measures] for t in plan.tasks] == [["建立危化品台账", "落实双人双锁"], ["设置护学岗"]]
    assert plan.tasks[1].supporting_units == ["区交警大队"] and plan.tasks[0].persons == ["严某"]


def two_column_pdf(title: str, body: list[str], width: int = 17, per_column: int = 34) -> bytes:
    """A plan printed in two columns of text under a title across the page."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from bot.charts import FONT_FILES

    font = next(path for path in FONT_FILES if Path(path).exists())
    lines = [para[i : i + width] for para in body for i in range(0, len(para), width)]
    columns = [lines[i : i + per_column] for i in range(0, len(lines), per_column)]
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for page in range(0, len(columns), 2):
            fig = Figure(figsize=(8.27, 11.69))
            if page == 0:
                fig.text(0.5, 0.93, title, fontproperties=FontProperties(fname=font, size=14), ha="center")
            for column, x in ((0, 0.07), (1, 0.53)):
                for k, line in enumerate(columns[page + column] if page + column < len(columns) else []):
                    fig.text(x, 0.88 - k * 0.024, line, fontproperties=FontProperties(fname=font, size=10))
            fig.text(0.5, 0.03, f"- {page // 2 + 1} -", fontproperties=FontProperties(fname=font, size=10), ha="center")
            pdf.savefig(fig)
    return buffer.getvalue()


def test_a_pdf_printed_in_two_columns_is_read_column_by_column() -> None:
    """The right column's lines stand at the heights of the left column's: read across the
    page they interleave two tasks."""
    title, *body = CODED.splitlines()
    plan = parse_bytes(two_column_pdf(title, [line for line in body if line], per_column=22), "plan.pdf")
    assert plan.title == title
    assert [t.ref for t in plan.tasks] == ["LY-2024-01", "LY-2024-02", "LY-2024-03"]
    assert plan.tasks[0].leaders == ["马建军"] and plan.tasks[2].leaders == ["杨光"]
    assert plan.tasks[2].problem == "国有林场改革后续政策落实不到位。"
    assert [m.text for m in plan.tasks[2].measures] == ["制定国有林场发展规划；", "落实林场职工社会保障政策。"]
    assert [m.due for m in plan.tasks[1].deadline.milestones] == [date(2024, 9, 30), date(2024, 12, 31)]


def test_a_borderless_table_in_a_pdf_is_not_read_as_two_columns() -> None:
    """Its rows have blank strips between all their cells; reading it column by column would
    part each problem from its measures and units."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from bot.charts import FONT_FILES
    from bot.importer.readers import read_document

    font = next(path for path in FONT_FILES if Path(path).exists())
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        fig = Figure(figsize=(8.27, 11.69))
        for k in range(20):
            cells = ((0.07, str(k + 1)), (0.12, f"问题{k + 1}文本较长"), (0.35, "整改措施文本内容"), (0.56, "责任单位名称"), (0.78, "2024年底前"))
            for x, text in cells:
                fig.text(x, 0.9 - k * 0.03, text, fontproperties=FontProperties(fname=font, size=10))
        pdf.savefig(fig)
    lines = read_document(buffer.getvalue(), "table.pdf").lines
    assert any("问题3文本较长" in line and "责任单位名称" in line for line in lines)
