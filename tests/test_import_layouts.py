"""Layouts of plans met in the field beyond the seeds: fields side by side, label variants,
posts before names, unit lists without separators the seeds use, measures with their own
responsibility and deadline."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from bot.importer import parse_bytes
from bot.importer.fields import split_measures
from bot.importer.names import person_names, split_units


def plan_of(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode(), "plan.txt")


def test_several_labelled_fields_on_one_line_separated_by_spaces() -> None:
    text = """某局巡察整改方案
二、整改任务
1.党组主体责任落实不到位。
整改措施:1.专题研究;2.签订责任书。
责任领导:王建国 责任单位:局办公室、机关党委 整改时限:2024年12月31日前
2.财务管理不规范。
整改措施:全面自查。
责任领导:刘洋 牵头单位:计划财务股 整改时限:2024年10月底前
"""
    first, second = plan_of(text).tasks
    assert first.leaders == ["王建国"]
    assert first.units == ["局办公室", "机关党委"]
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.leaders, second.lead_units) == (["刘洋"], ["计划财务股"])


def test_label_variants() -> None:
    text = """某县审计整改方案
问题一:暂付款清理进度缓慢。
整改牵头单位:县财政局
主要责任单位:县住房和城乡建设局、县交通运输局
整改责任人:赵刚
分管县领导:李强
整改目标任务:年底前消化30%。
整改措施:制定分年度消化计划。
时间节点:2024年12月31日前
问题二:项目超概算。
整改牵头单位:县发展和改革局
包联领导:王明
整改措施:逐一核查。
完成时间节点:2025年3月31日前
"""
    first, second = plan_of(text).tasks
    assert (first.ref, first.title) == ("1", "暂付款清理进度缓慢")
    assert first.lead_units == ["县财政局"]
    assert first.units == ["县住房和城乡建设局", "县交通运输局"]
    assert (first.persons, first.leaders) == (["赵刚"], ["李强"])
    assert first.goal == "年底前消化30%。"
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.ref, second.leaders) == ("2", ["王明"])
    assert [m.due for m in second.deadline.milestones] == [date(2025, 3, 31)]


def test_a_post_before_a_name_is_dropped() -> None:
    assert person_names("县委常委、副县长 李强") == ["李强"]
    assert person_names("副区长 周建华、区长 吴刚") == ["周建华", "吴刚"]
    assert person_names("党组成员、副局长 杨帆") == ["杨帆"]
    assert person_names("镇长 马超、站长 胡斌") == ["马超", "胡斌"]
    assert person_names("计划财务股股长陈静") == ["陈静"]
    assert person_names("副镇长刘勇、所长李斌") == ["刘勇", "李斌"]
    assert person_names("李长江、赵长") == ["李长江", "赵长"]


def test_a_post_alone_is_not_an_unread_leader() -> None:
    text = """某县整改方案
二、整改任务
1.污水处理厂超负荷运行。
整改措施:扩建污水处理厂。
责任领导:县委常委、副县长 李强
牵头单位:县住建局
整改时限:2025年6月底前
"""
    plan = plan_of(text)
    assert plan.tasks[0].leaders == ["李强"]
    assert plan.warnings == []


def test_unit_lists_with_units_of_unusual_endings() -> None:
    assert split_units("县民政局、县医保局、县人社局、县残联").names == ["县民政局", "县医保局", "县人社局", "县残联"]
    assert split_units("县科协、县工商联、市妇联").names == ["县科协", "县工商联", "市妇联"]
    assert split_units("市住房和城乡建设局、各区人民政府、各物业服务企业").names == [
        "市住房和城乡建设局", "各区人民政府", "各物业服务企业",
    ]
    assert split_units("市医疗质量控制中心、各二级以上医疗机构").names == ["市医疗质量控制中心", "各二级以上医疗机构"]
    assert split_units("镇自然资源所、相关村").names == ["镇自然资源所", "相关村"]


def test_units_one_a_line_or_separated_by_spaces() -> None:
    assert split_units("县生态环境分局\n县城管局\n城关镇").names == ["县生态环境分局", "县城管局", "城关镇"]
    assert split_units("区住建局\n区城管局\n各街道办事处").names == ["区住建局", "区城管局", "各街道办事处"]
    assert split_units("县卫健局 县生态环境分局 各乡镇人民政府").names == ["县卫健局", "县生态环境分局", "各乡镇人民政府"]
    assert split_units("市 水 利 局 市 林 业 局").names == ["市水利局", "市林业局"]
    assert split_units("市委\n宣传部").names == ["市委宣传部"]
    assert split_units("市生态环\n境局").names == ["市生态环境局"]


def test_lead_and_supporting_units_written_in_the_units_field() -> None:
    text = """某市整改方案
一、整改任务
1.老旧小区改造滞后。
整改措施:加快施工。
责任单位:市住房和城乡建设局(牵头)、市财政局
整改时限:2024年6月底前
2.燃气安全检查覆盖不全。
整改措施:入户检查。
责任单位:市城市管理局牵头,市应急管理局、市市场监督管理局配合
整改时限:2024年12月底前
"""
    first, second = plan_of(text).tasks
    assert first.lead_units == ["市住房和城乡建设局"]
    assert first.units == ["市住房和城乡建设局", "市财政局"]
    assert second.lead_units == ["市城市管理局"]
    assert second.supporting_units == ["市应急管理局", "市市场监督管理局"]


def test_a_measure_number_followed_by_a_date() -> None:
    text = """某县整改方案
二、整改任务
1.水源保护区违规建筑未清理。
整改措施:
1、全面排查,建立清单;
2、2024年第三季度完成一级保护区清理;
3.2024年11月30日前完成二级保护区清理;
4.12月底前完成验收,投资3.5万元。
牵头单位:县生态环境分局
整改时限:2024年12月底前
"""
    (task,) = plan_of(text).tasks
    assert [m.text for m in task.measures] == [
        "全面排查,建立清单;",
        "2024年第三季度完成一级保护区清理;",
        "2024年11月30日前完成二级保护区清理;",
        "12月底前完成验收,投资3.5万元。",
    ]


def test_each_measure_with_its_units_and_deadline_in_brackets() -> None:
    text = """某市督察整改方案
二、整改任务
(一)大气污染防治推进不力。
整改措施:
1.深化工业企业深度治理,完成12家企业超低排放改造。(责任单位:市生态环境局、市工业和信息化局;完成时限:2024年10月底前)
2.加强移动源污染管控。(责任单位:市交通运输局;完成时限:2024年12月底前)
3.强化扬尘污染管控(责任单位:市城市管理局,完成时限:长期坚持);
责任领导:黄志远
牵头单位:市生态环境局
(二)危废管理不到位。
整改措施:开展专项整治。
责任单位:市生态环境局
整改时限:2024年9月30日前
"""
    task = plan_of(text).tasks[0]
    assert [m.text for m in task.measures] == [
        "深化工业企业深度治理,完成12家企业超低排放改造。",
        "加强移动源污染管控。",
        "强化扬尘污染管控;",
    ]
    assert task.units == ["市生态环境局", "市工业和信息化局", "市交通运输局", "市城市管理局"]
    assert [(m.due, m.text) for m in task.deadline.milestones] == [
        (date(2024, 10, 31), "深化工业企业深度治理"),
        (date(2024, 12, 31), "加强移动源污染管控"),
    ]
    assert task.deadline.ongoing
    assert task.deadline.text == "2024年10月底前；2024年12月底前；长期坚持"


def test_task_fields_in_one_bracket_after_the_task() -> None:
    text = """某市教育局巡视整改方案
二、整改任务和措施
(一)关于立德树人不够有力的问题
1.思政教育实效性不强。整改措施:一是健全一体化机制;二是实施能力提升工程。(责任领导:孙建平;牵头单位:思政科;责任单位:各县区教育局、市直各学校;完成时限:2024年12月底前)
2.校外培训治理存在反弹。整改措施:一是开展专项治理;二是建立举报制度。
(责任领导:马丽;牵头单位:监管科;责任单位:市公安局;完成时限:2025年1月底前,长期坚持)
(二)关于经费管理不规范的问题
3.资助资金发放不及时。整改措施:开展全面核查。
责任领导:马丽;牵头单位:资助中心;完成时限:2024年11月中旬
"""
    tasks = plan_of(text).tasks
    assert [(t.ref, t.problem) for t in tasks] == [
        ("1", "思政教育实效性不强。"), ("2", "校外培训治理存在反弹。"), ("3", "资助资金发放不及时。"),
    ]
    first, second, third = tasks
    assert [m.text for m in first.measures] == ["健全一体化机制;", "实施能力提升工程。"]
    assert (first.leaders, first.lead_units, first.units) == (["孙建平"], ["思政科"], ["各县区教育局", "市直各学校"])
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.leaders, second.units, second.deadline.ongoing) == (["马丽"], ["市公安局"], True)
    assert [m.text for m in third.measures] == ["开展全面核查。"]
    assert third.lead_units == ["资助中心"]


def test_measure_numbers_of_table_cells_are_not_kept() -> None:
    assert split_measures(["（1）盘活闲置资金；", "（2）加快项目实施进度；", "（3）建立通报机制"])[1] == [
        "盘活闲置资金；", "加快项目实施进度；", "建立通报机制",
    ]
    assert split_measures(["1）健全责任清单；", "2）建立响应机制"])[1] == ["健全责任清单；", "建立响应机制"]
    assert split_measures(["（1）全面排查路段；（2）2024年国庆节前完成标志设置；（3）完成护栏安装"])[1] == [
        "全面排查路段；", "2024年国庆节前完成标志设置；", "完成护栏安装",
    ]
    assert split_measures(["追回违规资金，调整账目；对相关责任人进行约谈"])[1] == [
        "追回违规资金，调整账目；", "对相关责任人进行约谈",
    ]


def test_an_annexed_plan_is_titled_without_its_annex_mark() -> None:
    text = """附件1
中共某某市教育局委员会关于巡视反馈意见整改工作方案
二、整改任务
1.思政教育实效性不强。
整改措施:健全机制。
责任单位:思政科
完成时限:2024年12月底前
2.校外培训反弹。
整改措施:专项治理。
责任单位:监管科
完成时限:2025年1月底前
"""
    plan = plan_of(text)
    assert plan.title == "中共某某市教育局委员会关于巡视反馈意见整改工作方案"
    assert [t.ref for t in plan.tasks] == ["1", "2"]


def test_a_task_breakdown_table_is_a_title() -> None:
    text = """某某县河湖长制暗访发现问题整改任务分解表
问题1:河道两岸垃圾堆积。
整改措施:清理垃圾。
责任单位:县城管局
整改时限:2024年6月底前
"""
    assert plan_of(text).title == "某某县河湖长制暗访发现问题整改任务分解表"


def xlsx_of(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_ledger_header_vocabulary() -> None:
    """Column names real 台账 use: 牵头责任部门 leads, 整改进度/推进情况/工作进度 are progress,
    问题类别 is a category, 整改要求 the goal."""
    for progress in ("整改进度", "推进情况", "工作进度"):
        data = xlsx_of([
            ["某县巡视反馈意见整改台账"],
            ["序号", "问题类别", "问题表现", "整改要求", "整改措施", "分管领导", "牵头责任部门", "配合部门", "时间节点", progress, "备注"],
            [1, "党的建设", "意识形态责任制落实不到位", "压实责任", "健全责任清单", "县委常委 高峰", "县委宣传部", "县委网信办", "2024年10月底前", "已选派32名", ""],
        ], ("A1:K1",))
        (task,) = parse_bytes(data, "ledger.xlsx").tasks
        assert (task.lead_units, task.units, task.supporting_units) == (["县委宣传部"], [], ["县委网信办"])
        assert (task.problem, task.goal, task.category) == ("意识形态责任制落实不到位", "压实责任", "党的建设")
        assert task.progress is not None and task.progress.text == "已选派32名"


def test_measure_sub_columns_under_a_spanned_header() -> None:
    """整改措施 spanning 序号 | 措施内容: the text is the measure, the number only numbers it."""
    data = xlsx_of([
        ["某县督察反馈问题整改台账"],
        ["序号", "反馈问题", "整改措施", None, "责任单位", "完成时限"],
        [None, None, "序号", "措施内容", None, None],
        [1, "管网混接错接", "1.1", "开展管网排查", "县住建局", "2024年8月底前"],
        [None, None, "1.2", "实施管网改造", None, "2024年12月底前"],
        [2, "油烟扰民", None, "安装油烟净化设施；依法查处", "县城管局", "2024年10月底前"],
    ], ("A1:F1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3", "A4:A5", "B4:B5", "E4:E5"))
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert [m.text for m in first.measures] == ["开展管网排查", "实施管网改造"]
    assert [m.text for m in second.measures] == ["安装油烟净化设施；", "依法查处"]
    assert first.units == ["县住建局"]


def test_measure_rows_progress_and_completion_column() -> None:
    """One progress cell per measure row: the task is done only when every row is, a row's
    percent is not the task's; a 是否完成 column states the status."""
    data = xlsx_of([
        ["序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改进展", "是否完成"],
        [1, "管网混接错接", "开展管网排查", "县住建局", "2024年8月底前", "已完成", "未完成"],
        [None, None, "实施管网改造", None, "2024年12月底前", "正在推进，完成60%", None],
        [2, "矿山修复滞后", "编制修复方案", "县自然资源局", "2024年6月底前", "已完成", "否"],
        [3, "油烟扰民", "安装净化设施", "县城管局", "2024年10月底前", "已完成", "已完成"],
        [4, "河道垃圾", "清理河道", "县水利局", "2024年10月底前", "", "是"],
        [5, "补偿款未足额发放", "分批发放", "街道征迁办", "2024年10月底前", "已发放80%", "否"],
    ], ("A2:A3", "B2:B3", "D2:D3", "G2:G3"))
    first, second, third, fourth, fifth = parse_bytes(data, "ledger.xlsx").tasks
    assert fifth.progress is not None and (fifth.progress.status, fifth.progress.percent) == ("正在推进", 80)
    assert first.progress is not None and second.progress is not None
    assert (first.progress.text, first.progress.status, first.progress.percent) == ("已完成；正在推进，完成60%", "正在推进", None)
    assert (second.progress.status, second.progress.percent) == ("正在推进", None)
    assert third.progress is not None and (third.progress.status, third.progress.percent) == ("已完成", 100)
    assert fourth.progress is not None and (fourth.progress.status, fourth.progress.percent) == ("已完成", 100)


def pdf_of(pages: list[list[str]], header: str = "") -> bytes:
    """A printed plan: one line of body text after another, a running header in the margin."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from bot.charts import FONT_FILES

    font = next(path for path in FONT_FILES if Path(path).exists())
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for lines in pages:
            fig = Figure(figsize=(8.27, 11.69))
            if header:
                fig.text(0.5, 0.97, header, fontproperties=FontProperties(fname=font, size=8), ha="center")
            for k, line in enumerate(lines):
                fig.text(0.1, 0.9 - k * 0.025, line, fontproperties=FontProperties(fname=font, size=11))
            pdf.savefig(fig)
    return buffer.getvalue()


def test_running_header_of_a_two_page_pdf() -> None:
    """A line both pages print at the same place in the margin is a running header: not the
    title, not text in the middle of the measure the page break cuts."""
    page1 = [
        "某局关于巡察反馈意见的整改方案",
        "二、整改任务",
        "1.行政处罚自由裁量不规范。",
        "整改措施：修订裁量基准，开展案卷评查，每季度通报一",
    ]
    page2 = [
        "次。",
        "责任单位：法规科",
        "整改时限：2024年12月底前",
        "2.执法记录不全。",
        "整改措施：推行执法全过程记录。",
        "责任单位：执法稽查支队",
        "整改时限：2024年10月底前",
    ]
    plan = parse_bytes(pdf_of([page1, page2], header="某局巡察整改方案"), "plan.pdf")
    assert plan.title == "某局关于巡察反馈意见的整改方案"
    assert [m.text for m in plan.tasks[0].measures] == ["修订裁量基准，开展案卷评查，每季度通报一次。"]


def test_a_line_repeated_in_the_body_of_two_pages_stays() -> None:
    page = ["某局整改方案", "1.问题一。", "整改措施：加强管理。", "责任单位：办公室", "整改时限：2024年12月底前"]
    second = ["责任人：张明", "2.问题二。", "整改措施：加强管理。", "责任单位：法规科", "整改时限：2024年12月底前"]
    plan = parse_bytes(pdf_of([page, second]), "plan.pdf")
    assert plan.title == "某局整改方案"
    assert [t.measures[0].text for t in plan.tasks] == ["加强管理。", "加强管理。"]


def test_word_list_numbering_continued_across_tasks() -> None:
    """List Number paragraphs share one numbering through the document, so the second
    task's measures are numbered 4、5、6、; they are still three measures."""
    doc = Document()
    doc.add_paragraph("某市卫生健康委整改方案")
    doc.add_paragraph("一、整改任务")
    tasks = [
        ("(一)核心制度执行不到位。", ["开展核心制度专项培训", "开展病历质量专项检查", "纳入等级评审"]),
        ("(二)院感防控薄弱。", ["开展院感防控专项督导", "2024年9月底前完成消毒供应室改造", "建立约谈通报制度"]),
    ]
    for heading, measures in tasks:
        doc.add_paragraph(heading)
        doc.add_paragraph("整改措施：")
        for measure in measures:
            doc.add_paragraph(measure, style="List Number")
        doc.add_paragraph("牵头单位：医政医管处")
        doc.add_paragraph("整改时限：2024年12月31日前")
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "plan.docx")
    assert [[m.text for m in t.measures] for t in plan.tasks] == [measures for _, measures in tasks]


def test_audit_ledger_columns() -> None:
    """审计整改台账: 问题类型 is a category, not the problem; 审计发现问题 is the problem, 整改要求
    the goal; 是否整改到位 states the status."""
    data = xlsx_of([
        ["某县审计查出问题整改台账"],
        ["序号", "问题类型", "审计发现问题", "整改要求", "整改措施", "整改责任单位", "整改完成时限", "整改情况", "是否整改到位"],
        [1, "预算管理", "专项资金未细化", "提高年初预算到位率", "细化分配方案", "县财政局", "2024年12月31日", "项目库建设中", "否"],
        [2, "预算管理", "非税收入未及时缴库", "及时足额缴库", "督促缴库", "县财政局", "2024年6月30日", "已全部缴库", "是"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert (first.title, first.goal, first.category) == ("专项资金未细化", "提高年初预算到位率", "预算管理")
    assert second.progress is not None and second.progress.status == "已完成"


def test_csv_ledger_status_column_and_title() -> None:
    """A csv ledger opens with its header: 序号 and 问题清单 are column names, not the title. A
    status word in 完成状态 is the status where the progress cell only states facts."""
    text = "序号,问题清单,整改措施,牵头部门,时间节点,推进情况,完成状态\n" \
        "1,占道经营问题突出,划定临时疏导点,区城管局,2024年8月31日前,已划定疏导点12处,正在推进\n" \
        "2,农贸市场卫生差,建立巡查制度,区市场监管局,2024年6月底前,已建立,已完成\n"
    plan = parse_bytes(text.encode(), "ledger.csv")
    assert plan.title == "ledger.csv"
    first, second = plan.tasks
    assert first.progress is not None and (first.progress.text, first.progress.status) == ("已划定疏导点12处", "正在推进")
    assert second.progress is not None and (second.progress.status, second.progress.percent) == ("已完成", 100)


def test_a_form_per_problem_under_a_numbered_heading() -> None:
    """巡察整改 reports put each problem as a numbered paragraph over a label/value table:
    the paragraph is the task's problem and number."""
    doc = Document()
    doc.add_paragraph("某局关于巡察反馈意见整改情况的报告")
    doc.add_paragraph("现将整改情况报告如下。")
    for number, problem, unit in ((1, "主体责任落实不到位", "办公室"), (2, "项目未按期验收", "建设管理股")):
        doc.add_paragraph(f"问题{number}：{problem}")
        table = doc.add_table(rows=0, cols=2)
        for label, value in (("整改措施", "专题研究部署"), ("责任单位", unit), ("完成时限", "2024年6月底前")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    buffer = io.BytesIO()
    doc.save(buffer)
    tasks = parse_bytes(buffer.getvalue(), "report.docx").tasks
    assert [(t.ref, t.title, t.units) for t in tasks] == [("1", "主体责任落实不到位", ["办公室"]), ("2", "项目未按期验收", ["建设管理股"])]


def test_a_stage_done_is_not_the_task_done() -> None:
    data = xlsx_of([
        ["序号", "问题表现", "整改措施", "牵头单位", "整改时限", "整改进度"],
        [1, "脱贫成果巩固不扎实", "入户排查", "县农业农村局", "2024年9月底前完成排查，2024年12月底前完成整改", "完成排查"],
        [2, "干部储备不足", "选派干部", "县委组织部", "2024年9月底前完成排查，2024年12月底前完成整改", "已完成整改"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert first.progress is not None and (first.progress.status, first.progress.percent) == ("正在推进", None)
    assert second.progress is not None and second.progress.status == "已完成"


def test_each_measure_row_with_its_own_deadline() -> None:
    """A ledger row per measure with a deadline each: each date is a milestone named after
    its measure; a 长期坚持 row makes the task ongoing."""
    data = xlsx_of([
        ["序号", "反馈问题", "整改措施", "责任单位", "完成时限"],
        [1, "管网混接错接", "开展管网排查", "县住建局", "2024年8月底前"],
        [None, None, "实施管网改造", None, "2024年12月底前"],
        [None, None, "建立运维机制", None, "长期坚持"],
    ], ("A2:A4", "B2:B4", "D2:D4"))
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert [(m.due, m.text) for m in task.deadline.milestones] == [
        (date(2024, 8, 31), "开展管网排查"),
        (date(2024, 12, 31), "实施管网改造"),
    ]
    assert task.deadline.ongoing and task.deadline.text == "2024年8月底前；2024年12月底前；长期坚持"


def test_progress_and_lead_labels_in_a_text_plan() -> None:
    text = """某局巡视整改方案
任务一：抽检覆盖面不足。
整改措施：扩大抽检品种。
牵头责任部门：食品抽检科
时间节点：2024年11月底前
整改进度：已调整抽检计划
"""
    (task,) = plan_of(text).tasks
    assert (task.lead_units, task.deadline.text) == (["食品抽检科"], "2024年11月底前")
    assert task.progress is not None and task.progress.text == "已调整抽检计划"


def docx_table(header: list[str], rows: list[list[str]]) -> bytes:
    doc = Document()
    doc.add_paragraph("某市督察反馈意见整改措施清单")
    table = doc.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_units_cell_that_labels_its_lead_and_supporting_units() -> None:
    data = docx_table(
        ["序号", "督察反馈问题", "整改措施", "责任领导", "责任单位", "整改时限"],
        [
            ["1", "扬尘管控不到位。", "落实六个百分之百。", "刘建华\n（副市长）",
             "牵头单位：市住房和城乡建设局\n责任单位：市城市管理局、各区人民政府", "2024年12月底前"],
            ["2", "水源保护区内有违章建筑。", "依法拆除。", "陈卫东",
             "牵头单位：市生态环境局\n配合单位：市水利局\n责任单位：相关县（市、区）人民政府", "2024年9月30日前"],
        ],
    )
    first, second = parse_bytes(data, "plan.docx").tasks
    assert (first.leaders, first.lead_units, first.units) == (["刘建华"], ["市住房和城乡建设局"], ["市城市管理局", "各区人民政府"])
    assert (second.lead_units, second.supporting_units, second.units) == (
        ["市生态环境局"], ["市水利局"], ["相关县(市、区)人民政府"]
    )


def test_each_line_of_a_deadline_cell_is_an_entry() -> None:
    data = docx_table(
        ["序号", "督察反馈问题", "整改措施", "责任单位", "整改时限"],
        [
            ["1", "扬尘管控不到位。", "落实六个百分之百。", "市住建局", "2024年6月底前（阶段性目标）\n2024年12月底前（全面完成）"],
            ["2", "医疗废物转运不及时。", "建立收运体系。", "市卫生健康委", "立行立改\n长期坚持"],
        ],
    )
    first, second = parse_bytes(data, "plan.docx").tasks
    assert [(m.due, m.text) for m in first.deadline.milestones] == [
        (date(2024, 6, 30), "阶段性目标"), (date(2024, 12, 31), "全面完成")
    ]
    assert second.deadline.text == "立行立改；长期坚持"
    assert second.deadline.immediate and second.deadline.ongoing


def test_a_measure_ending_with_its_deadline_in_brackets_is_a_milestone() -> None:
    text = """某县整改方案
1.城区管网雨污混接问题突出。
整改措施：（1）开展管网排查，建立混接点清单（2024年6月底前）；（2）实施雨污分流改造（2024年10月1日—12月31日）；（3）建立日常巡查制度（长期坚持）；（4）完成12家企业改造（2023年已完成8家）。
责任单位：县住房和城乡建设局
整改时限：2024年12月31日前
"""
    (task,) = plan_of(text).tasks
    assert [(m.start, m.due, m.text) for m in task.deadline.milestones] == [
        (None, date(2024, 6, 30), "开展管网排查"),
        (None, date(2024, 12, 31), ""),
        (date(2024, 10, 1), date(2024, 12, 31), "实施雨污分流改造"),
    ]
    assert task.deadline.ongoing
    assert task.measures[0].text == "开展管网排查，建立混接点清单（2024年6月底前）；"


def test_goal_and_deadline_written_side_by_side_under_short_labels() -> None:
    """目标: and 时限: on one line, 措施: below: the short labels of a county plan."""
    text = """某某区关于区委巡察反馈问题整改落实方案
一、整改任务
1.安全生产主体责任落实不到位。
目标：重大隐患整改率100%　　时限：2024年9月30日前
措施：开展安全生产隐患大排查大整治。
责任单位：区应急管理局
2.信访积案化解不力。
目标：信访积案化解率达到90%  时限：长期坚持
措施：落实领导包案制度。
责任单位：区信访局
"""
    first, second = plan_of(text).tasks
    assert (first.problem, first.goal) == ("安全生产主体责任落实不到位。", "重大隐患整改率100%")
    assert [m.text for m in first.measures] == ["开展安全生产隐患大排查大整治。"]
    assert [m.due for m in first.deadline.milestones] == [date(2024, 9, 30)]
    assert (second.goal, second.deadline.text, second.deadline.ongoing) == ("信访积案化解率达到90%", "长期坚持", True)


def test_fields_above_a_list_hold_for_each_of_its_tasks() -> None:
    """责任领导 given once under the title of an annexed list leads every task of it."""
    text = """附件
某某县落实省委巡视反馈意见整改任务清单
责任领导：县委常委、常务副县长 王五
牵头单位：县委办公室
1.基层党组织建设薄弱。
整改措施：开展软弱涣散村党组织集中整顿。
责任单位：县委组织部
完成时限：2024年10月底前
2.惠民惠农资金发放不精准。
整改措施：全面核查资金发放情况。
责任领导：副县长 李四
责任单位：县财政局
完成时限：2024年8月31日
"""
    first, second = plan_of(text).tasks
    assert (first.leaders, first.lead_units, first.units) == (["王五"], ["县委办公室"], ["县委组织部"])
    assert (second.leaders, second.lead_units) == (["李四"], ["县委办公室"])


def test_a_percent_alone_in_a_progress_column_says_how_far() -> None:
    doc = Document()
    doc.add_paragraph("某县巡察反馈问题整改台账")
    rows = [
        ["序号", "问题描述", "整改措施", "责任单位", "完成时限", "完成进度"],
        ["1", "村级财务管理不规范。", "开展专项清理。", "县农业农村局", "2024年底", "30%"],
        ["2", "防汛物资储备不足。", "补充防汛物资。", "县应急管理局", "2024年6月15日", "0%"],
    ]
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    first, second = parse_bytes(buffer.getvalue(), "ledger.docx").tasks
    assert first.progress is not None and (first.progress.status, first.progress.percent) == ("正在推进", 30)
    assert second.progress is not None and (second.progress.status, second.progress.percent) == ("未开始", 0)


def test_more_label_variants() -> None:
    text = """某县巡察整改方案
1.村级财务管理不规范。
整改措施：开展专项清理。
挂点领导：县委常委 周强
主责部门：县农业农村局
责任主体：各乡镇人民政府
协同部门：县财政局
时间要求：2024年10月底前
2.防汛物资储备不足。
整改措施：补充防汛物资。
联系县领导：郑华
责任主体：县应急管理局
完成时限要求：2024年6月15日
"""
    first, second = plan_of(text).tasks
    assert (first.leaders, first.lead_units, first.units, first.supporting_units) == (
        ["周强"], ["县农业农村局"], ["各乡镇人民政府"], ["县财政局"]
    )
    assert [m.due for m in first.deadline.milestones] == [date(2024, 10, 31)]
    assert (second.leaders, second.units) == (["郑华"], ["县应急管理局"])
    assert [m.due for m in second.deadline.milestones] == [date(2024, 6, 15)]


def test_problems_numbered_in_brackets_after_their_label() -> None:
    text = """某某县人民医院关于县委巡察反馈问题的整改方案
问题（一）：医德医风建设不到位。
整改措施：1.开展医德医风专项教育；2.设立举报电话。
责任人：院长 杨明、副院长 许华
完成时限：2024年6月底前
问题（二）：财务内控制度不健全。
整改措施：修订完善财务管理制度。
责任人：总会计师 何静
完成时限：2024年7月底前
"""
    first, second = plan_of(text).tasks
    assert (first.ref, first.title, first.persons) == ("1", "医德医风建设不到位", ["杨明", "许华"])
    assert (second.ref, second.title, second.persons) == ("2", "财务内控制度不健全", ["何静"])
    assert [m.due for m in second.deadline.milestones] == [date(2024, 7, 31)]
