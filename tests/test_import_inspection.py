"""Plans and lists of inspection feedback (督察, 巡视, 审计) as offices lay them out: 整改清单
tables in Word, 三个清单, audit ledgers with an 整改类型 column, 销号 reports, category
headings between tasks, 【】 labels."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook

from bot.importer import parse_bytes


def xlsx_of(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def docx_table(rows: list[list[str]]) -> bytes:
    doc = Document()
    doc.add_paragraph("某市督察反馈问题整改清单")
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_names_in_table_cells_are_folded_like_names_in_text() -> None:
    """Word cells keep full-width brackets: 市住建局（牵头） still leads, and 各县（市、区）人民政府
    is stored as the text plans spell it."""
    data = docx_table([
        ["序号", "督察反馈问题", "整改措施", "责任单位", "责任人", "整改时限"],
        ["1", "管网建设滞后", "实施管网改造", "市住建局（牵头）、各县（市、区）人民政府", "李强（局长）", "2025年12月底前"],
    ])
    (task,) = parse_bytes(data, "plan.docx").tasks
    assert task.lead_units == ["市住建局"]
    assert task.units == ["市住建局", "各县(市、区)人民政府"]
    assert task.persons == ["李强"]


def test_a_problem_cell_opening_with_the_rows_number() -> None:
    """(一)1. in the problem cell of row 1 is the document's numbering, not the title; a
    numbered list of problems in one cell and a decimal (3.5万元) stay text."""
    data = docx_table([
        ["序号", "督察反馈问题", "整改措施", "责任单位", "整改时限"],
        ["1", "（一）1.建筑工地扬尘管控不到位。", "专项整治", "市住建局", "2024年6月底前"],
        ["2", "2、燃煤锅炉未按期淘汰。", "摸排底数", "市生态环境局", "2024年12月底前"],
        ["3", "3.5万元补贴未发放。", "发放补贴", "市财政局", "2024年12月底前"],
        ["4", "1.河道垃圾未清理；2.排口未整治。", "清理河道", "市水利局", "2024年12月底前"],
    ])
    tasks = parse_bytes(data, "plan.docx").tasks
    assert [t.title for t in tasks[:3]] == ["建筑工地扬尘管控不到位", "燃煤锅炉未按期淘汰", "3.5万元补贴未发放"]
    assert (tasks[0].problem, tasks[3].problem) == ("建筑工地扬尘管控不到位。", "1.河道垃圾未清理；2.排口未整治。")


def test_three_lists_table_reads_the_task_list_as_measures() -> None:
    """巡视整改 "三个清单": 问题清单 is the problem, 任务清单 the measures, one a row."""
    data = xlsx_of([
        ["序号", "问题清单", "任务清单", "责任领导", "责任单位", "完成时限"],
        [1, "产业转型升级缓慢", "制定三年行动计划", "孙伟", "市发展改革委", "2024年6月底前"],
        [1, "产业转型升级缓慢", "培育新兴产业集群", "孙伟", "市科技局", "2024年12月底前"],
    ])
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert task.title == "产业转型升级缓慢"
    assert [m.text for m in task.measures] == ["制定三年行动计划", "培育新兴产业集群"]
    assert [m.text for m in task.deadline.milestones] == ["制定三年行动计划", "培育新兴产业集群"]


def test_the_kind_of_rectification_sets_the_deadline_flags() -> None:
    """审计整改台账 mark each problem 立行立改, 分阶段整改 or 持续整改: the first is immediate,
    the last ongoing, whatever the deadline cell says."""
    data = xlsx_of([
        ["序号", "审计发现问题", "金额（万元）", "整改类型", "整改措施", "责任单位", "整改时限"],
        [1, "存量资金未收回", 1256.8, "立行立改", "收回资金", "区财政局", "2024年3月31日前"],
        [2, "超范围列支会议费", 23.5, "分阶段整改", "追回费用", "区机关事务服务中心", "2024年6月30日前"],
        [3, "多计工程款", 486.3, "持续整改", "核减工程款", "区住建局", "2024年12月31日前"],
    ])
    first, second, third = parse_bytes(data, "ledger.xlsx").tasks
    assert (first.deadline.immediate, first.deadline.ongoing) == (True, False)
    assert (second.deadline.immediate, second.deadline.ongoing) == (False, False)
    assert (third.deadline.immediate, third.deadline.ongoing) == (False, True)
    assert third.deadline.text == "2024年12月31日前" and len(third.deadline.milestones) == 1


def plan_of(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode(), "plan.txt")


def test_a_category_heading_between_tasks_is_not_part_of_the_last_field() -> None:
    """Real plans mix their outline: (二)选人用人方面 under 1. 2. 3. tasks opens a group; it is
    neither the deadline of the task above nor a milestone."""
    text = """某区巡察整改方案
一、整改任务
1.执纪问责偏松偏软。
整改措施：开展案件质量评查。
责任单位：区纪委监委
整改时限：2024年12月底前
（二）选人用人方面
2.干部队伍年龄结构老化。
整改措施：制定年轻干部培养计划。
责任单位：区委组织部
整改时限：2024年10月底前
"""
    first, second = plan_of(text).tasks
    assert first.deadline.text == "2024年12月底前"
    assert [m.text for m in first.deadline.milestones] == [""]
    assert (first.category, second.category) == ("整改任务", "选人用人方面")


def test_measures_numbered_like_a_category_stay_measures() -> None:
    text = """某区巡察整改方案
1.执纪问责偏松偏软。
责任单位：区纪委监委
整改时限：2024年12月底前
整改措施：
（一）开展案件质量评查
（二）建立通报制度
2.干部队伍年龄结构老化。
整改措施：制定年轻干部培养计划。
责任单位：区委组织部
整改时限：2024年10月底前
"""
    first, _second = plan_of(text).tasks
    assert [m.text for m in first.measures] == ["开展案件质量评查", "建立通报制度"]


def test_a_sign_off_report_in_sections() -> None:
    """A 销号报告 of one task: 一、基本情况 holds its fields, the sections below are the
    report; the deadline ends at the next section heading, and the title drops the
    "…第十二项:" the problem opens with."""
    text = """某市督察反馈问题
第十二项整改任务销号报告
一、基本情况
整改任务：督察反馈问题第十二项：某湖流域总磷浓度超标。
责任单位：某县人民政府
整改时限：2023年12月底前
二、整改措施落实情况
1.建成人工湿地3处。
2.关闭禁养区养殖场67家。
三、整改成效
湖体总磷浓度同比下降18.6%。
四、销号意见
该项整改任务已完成，申请销号。
"""
    (task,) = plan_of(text).tasks
    assert (task.ref, task.title) == ("12", "某湖流域总磷浓度超标")
    assert task.deadline.text == "2023年12月底前"
    assert task.progress is not None and task.progress.status == "已完成"
    assert task.progress.text.startswith("1.建成人工湿地3处。2.关闭禁养区养殖场67家。湖体总磷浓度同比下降18.6%。")


def test_a_section_heading_does_not_cut_measures() -> None:
    """Measures numbered 一、二、 without a sentence mark stay measures."""
    text = """某局整改方案
第一项 档案管理不规范。
责任单位：办公室
整改时限：2024年6月底前
整改措施：
一、开展档案清查
二、补充缺失材料
第二项 资产账实不符。
整改措施：开展资产清查。
责任单位：财务科
整改时限：2024年10月底前
"""
    first, _second = plan_of(text).tasks
    assert [m.text for m in first.measures] == ["开展档案清查", "补充缺失材料"]
    assert first.deadline.text == "2024年6月底前"


def test_labels_in_square_brackets() -> None:
    text = """某局巡察整改方案
（一）理论学习不够深入。
【整改目标】理论学习制度化。
【整改措施】1.制定学习计划；2.开展读书班。
【责任领导】党组书记 郭华【责任单位】局办公室【完成时限】2024年6月底前
"""
    (task,) = plan_of(text).tasks
    assert (task.title, task.goal) == ("理论学习不够深入", "理论学习制度化。")
    assert [m.text for m in task.measures] == ["制定学习计划；", "开展读书班。"]
    assert (task.leaders, task.units, task.deadline.text) == (["郭华"], ["局办公室"], "2024年6月底前")


def test_an_earlier_stage_done_in_other_words() -> None:
    """工程建设已完成 under 9月底前完成工程建设；12月底前完成验收 is the first stage done."""
    text = "序号,问题清单,任务清单,责任单位,完成时限,整改进展\n" \
        "1,饮水安全保障不足,实施提升工程,县水利局,2024年9月底前完成工程建设；2024年12月底前完成验收,工程建设已完成\n" \
        "2,灌区渠道老化,改造渠道,县水利局,2024年9月底前完成工程建设；2024年12月底前完成验收,工程建设和验收均已完成\n"
    first, second = parse_bytes(text.encode(), "ledger.csv").tasks
    assert first.progress is not None and (first.progress.status, first.progress.percent) == ("正在推进", None)
    assert second.progress is not None and second.progress.status == "已完成"


def test_the_kind_of_rectification_written_as_a_field() -> None:
    text = """某县审计整改方案
1.预算执行率偏低。
整改措施：建立月通报制度。
责任单位：县财政局
整改类型：立行立改
整改时限：2024年3月底前
2.国有资产出租未公开招租。
整改措施：实行公开招租。
责任单位：县机关事务服务中心
整改类型：持续整改
整改时限：2024年12月底前
"""
    first, second = plan_of(text).tasks
    assert (first.units, first.deadline.immediate) == (["县财政局"], True)
    assert (second.units, second.deadline.ongoing) == (["县机关事务服务中心"], True)


def test_fields_stated_once_above_a_task_table_hold_for_each_task() -> None:
    """责任领导 written in a paragraph above a Word table, or in a row above a ledger's
    header, leads every task of it that names no leader of its own."""
    doc = Document()
    doc.add_paragraph("某某县落实县委巡察反馈意见整改任务清单")
    doc.add_paragraph("责任领导：县委常委、组织部部长 王五")
    rows = [
        ["序号", "存在问题", "整改措施", "责任单位", "完成时限"],
        ["1", "干部选拔任用程序不规范。", "严格执行条例。", "县委组织部", "2024年9月底前"],
        ["2", "年轻干部培养力度不够。", "建立年轻干部库。", "县人力资源和社会保障局", "长期坚持"],
    ]
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    assert [t.leaders for t in parse_bytes(buffer.getvalue(), "list.docx").tasks] == [["王五"], ["王五"]]
    data = xlsx_of([["某某县巡察整改台账"], ["责任领导：副县长 李四"], *rows])
    assert [t.leaders for t in parse_bytes(data, "ledger.xlsx").tasks] == [["李四"], ["李四"]]


def test_audit_progress_in_money_reads_as_a_status() -> None:
    text = """关于2023年度县本级预算执行审计发现问题的整改方案
一、整改任务
（一）超范围使用专项资金356.8万元。
整改措施：收回违规使用资金。
责任单位：县财政局
整改时限：2024年9月30日前
整改进展：已收回120.5万元，占问题金额的33.8%。
（二）项目结余资金88万元未及时收回。
整改措施：收回结余资金统筹使用。
责任单位：县发展和改革局
整改时限：2024年6月30日前
整改进展：已全部收回88万元。
"""
    first, second = plan_of(text).tasks
    assert first.progress is not None and (first.progress.status, first.progress.percent) == ("正在推进", 34)
    assert second.progress is not None and (second.progress.status, second.progress.percent) == ("已完成", 100)


def test_an_annual_audit_ledger_is_titled_by_its_year() -> None:
    data = xlsx_of([
        ["2023年度县本级预算执行审计发现问题整改台账"],
        ["序号", "审计发现问题", "问题金额（万元）", "整改措施", "责任单位", "整改时限"],
        [1, "超范围使用专项资金。", 356.8, "收回违规资金。", "县财政局", "2024年9月30日前"],
    ])
    plan = parse_bytes(data, "ledger.xlsx")
    assert plan.title == "2023年度县本级预算执行审计发现问题整改台账"
    assert plan.tasks[0].progress is None


def test_a_column_that_joins_goal_and_measures_gives_each_its_field() -> None:
    data = docx_table([
        ["序号", "反馈问题", "整改目标及措施", "责任单位", "整改时限"],
        ["1", "意识形态工作责任制落实不到位。", "目标：全面落实责任制。\n措施：1.修订责任清单；2.开展专项检查。", "市委宣传部", "2024年9月底前"],
    ])
    (task,) = parse_bytes(data, "list.docx").tasks
    assert task.goal == "全面落实责任制。"
    assert [m.text for m in task.measures] == ["修订责任清单；", "开展专项检查。"]
