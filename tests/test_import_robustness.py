"""Plans as offices print and keep them, beyond the layouts the seeds show: PDFs with running
headers and footers, ledgers with a remarks column, and the other kinds the importer met in
probe documents it had never seen."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from bot.importer import parse_bytes
from bot.plandata import ParsedPlan


def printed(
    pages: list[list[str]],
    header: str = "",
    *,
    even_header: str | None = None,
    footer: str = "",
    plain_first: bool = False,
) -> bytes:
    """A printed plan: body lines down each A4 page, a running header in the top margin
    (another on even pages when ``even_header`` is given, none on page one when
    ``plain_first``) and a footer in the bottom margin ({n} and {total} are page numbers)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from bot.charts import FONT_FILES

    font = next(path for path in FONT_FILES if Path(path).exists())
    small, body = FontProperties(fname=font, size=8), FontProperties(fname=font, size=11)
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for n, lines in enumerate(pages, 1):
            fig = Figure(figsize=(8.27, 11.69))
            top = even_header if even_header is not None and n % 2 == 0 else header
            if top and not (plain_first and n == 1):
                fig.text(0.5, 0.96, top, fontproperties=small, ha="center")
            if footer:
                fig.text(0.5, 0.03, footer.format(n=n, total=len(pages)), fontproperties=small, ha="center")
            for k, line in enumerate(lines):
                fig.text(0.1, 0.88 - k * 0.025, line, fontproperties=body)
            pdf.savefig(fig)
    return buffer.getvalue()


def every_text(plan: ParsedPlan) -> str:
    return "\n".join(
        "\n".join([t.title, t.problem, t.goal, *(m.text for m in t.measures), *t.all_units(), t.deadline.text])
        for t in plan.tasks
    )


TITLE = "某市关于市委巡察反馈意见的整改方案"


def test_running_title_on_every_page_is_neither_lost_as_title_nor_in_text() -> None:
    """Every page, the first included, prints the plan's title in its header and 第 N 页 共
    M 页 in its footer; each page ends with a task's 整改时限, which the body repeats and so
    is no footer."""
    pages = [
        [TITLE, "为抓好巡察反馈意见整改，制定本方案。", "1.会议记录不规范。", "整改措施：规范会议记录。", "责任单位：局办公室", "整改时限：2024年12月底前"],
        ["2.固定资产账实不符。", "整改措施：全面清查固定资产。", "责任单位：财务科", "整改时限：2024年12月底前"],
        ["3.公务接待超标准。", "整改措施：严格执行接待标准。", "责任单位：局办公室", "整改时限：2024年12月底前"],
    ]
    plan = parse_bytes(printed(pages, header=TITLE, footer="第 {n} 页 共 {total} 页"), "plan.pdf")
    assert plan.title == TITLE
    assert [t.deadline.text for t in plan.tasks] == ["2024年12月底前"] * 3
    assert "页" not in every_text(plan) and TITLE not in every_text(plan)


def test_odd_and_even_page_headers_leave_the_text_they_cut() -> None:
    """Odd pages print the office, even pages the title; a measure runs over each break."""
    pages = [
        [TITLE, "1.会议记录不规范。", "整改措施：规范会议记录，每季度检查一"],
        ["次。", "责任单位：局办公室", "整改时限：2024年12月底前", "2.固定资产账实不符。", "整改措施：全面清查固定资产，建立资"],
        ["产台账。", "责任单位：财务科", "整改时限：2024年10月底前", "3.公务接待超标准。", "整改措施：严格执行接待标准，每月公"],
        ["示。", "责任单位：局办公室", "整改时限：2024年9月底前", "4.档案管理混乱。", "整改措施：整理归档。"],
        ["责任单位：档案室", "整改时限：2024年8月底前"],
    ]
    plan = parse_bytes(printed(pages, header="某市文化和旅游局", even_header=TITLE), "plan.pdf")
    assert plan.title == TITLE
    assert [m.text for t in plan.tasks for m in t.measures] == [
        "规范会议记录，每季度检查一次。", "全面清查固定资产，建立资产台账。", "严格执行接待标准，每月公示。", "整理归档。",
    ]
    assert "文化和旅游局" not in every_text(plan)


def test_header_from_page_two_repeating_the_title() -> None:
    """A first page printed without the header: page two's header repeats page one's title."""
    pages = [
        [TITLE, "1.会议记录不规范。", "整改措施：规范会议记录。", "责任单位：局办公室、"],
        ["财务科", "整改时限：2024年12月底前"],
    ]
    plan = parse_bytes(printed(pages, header=TITLE, plain_first=True), "plan.pdf")
    assert plan.title == TITLE
    assert plan.tasks[0].units == ["局办公室", "财务科"]


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


def test_ledger_remarks_are_kept_with_progress_or_deadline() -> None:
    """A 备注 column: a remark saying only when joins the deadline, any other remark the
    progress; it is never a measure or a unit."""
    data = xlsx_of([
        ["某区审计发现问题整改台账"],
        ["序号", "审计发现问题", "整改措施", "责任单位", "整改时限", "整改进展情况", "备注"],
        [1, "专项资金闲置。", "加快拨付", "区财政局", "2024年6月底前", "已完成。", "已通过区审计局验收"],
        [2, "采购程序不规范。", "完善内控制度", "区发改委", "立行立改", "", "区财政局配合"],
        [3, "资产出租未审批。", "规范审批", "区国资中心", "2024年12月底前", "正在推进", "长期坚持"],
    ])
    first, second, third = parse_bytes(data, "ledger.xlsx").tasks
    assert first.progress is not None and first.progress.text == "已完成。备注：已通过区审计局验收"
    assert second.progress is not None and (second.progress.text, second.progress.status) == ("备注：区财政局配合", None)
    assert second.units == ["区发改委"] and [m.text for m in second.measures] == ["完善内控制度"]
    assert (third.deadline.text, third.deadline.ongoing) == ("2024年12月底前；长期坚持", True)
    assert [m.due for m in third.deadline.milestones] == [date(2024, 12, 31)]


def test_remarks_under_a_two_row_header_and_in_a_text_plan() -> None:
    data = xlsx_of([
        ["序号", "问题清单", "整改措施", None, "责任主体", None, "完成时限", "备注"],
        [None, None, "序号", "措施内容", "责任领导", "责任单位", None, None],
        [1, "意识形态责任制落实不到位", "1", "健全责任清单", "王强", "县委宣传部", "2024年10月底前", "与第3项合并推进"],
    ], ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2", "H1:H2"))
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert ([m.text for m in task.measures], task.units) == (["健全责任清单"], ["县委宣传部"])
    assert task.progress is not None and task.progress.text == "备注：与第3项合并推进"
    text = "某县整改方案\n1.河道垃圾堆积。\n整改措施：清理河道。\n责任单位：县水利局\n整改时限：2024年6月底前\n备注：此项为省级督办事项，需每月报送进展。\n"
    text += "2.油烟扰民。\n整改措施：安装净化设施。\n责任单位：县城管局\n整改时限：2024年8月底前\n备注：本表由各责任单位每月5日前填报。\n"
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.deadline.text, first.deadline.ongoing) == ("2024年6月底前", False)
    assert first.progress is not None and first.progress.text == "备注：此项为省级督办事项，需每月报送进展。"
    assert (second.deadline.text, second.progress) == ("2024年8月底前", None)


def test_progress_listing_its_items_is_as_far_as_the_least_advanced() -> None:
    text = "某县整改方案\n1.财务管理不规范。\n整改措施：完善财务制度。\n责任单位：县财政局\n整改时限：2024年6月底前\n整改进展：1.已完成制度修订；2.正在开展培训。\n"
    (task,) = parse_bytes(text.encode(), "plan.txt").tasks
    assert task.progress is not None and (task.progress.status, task.progress.percent) == ("正在推进", None)


def test_from_now_on_and_two_digit_years_in_a_plan() -> None:
    text = """某县关于巡察反馈意见的整改方案
2019年3月5日
1.会议记录不规范。
整改措施：规范会议记录。
责任单位：县委办
整改时限：自即日起
2.固定资产账实不符。
整改措施：全面清查。
责任单位：县财政局
整改时限：19年底前完成清查，20年6月底前完成整改
3.公务用车管理不规范。
整改措施：建立用车台账。
责任单位：县机关事务中心
整改时限：自本方案印发之日起3个月内完成
"""
    plan = parse_bytes(text.encode(), "plan.txt")
    first, second, third = plan.tasks
    assert (first.deadline.ongoing, first.deadline.milestones) == (True, [])
    assert [(m.due, m.text) for m in second.deadline.milestones] == [
        (date(2019, 12, 31), "完成清查"), (date(2020, 6, 30), "完成整改"),
    ]
    assert [(m.start, m.due, m.text) for m in third.deadline.milestones] == [(date(2019, 3, 5), date(2019, 6, 5), "完成")]
    assert plan.year == 2019 and not [n for n in plan.warnings if n.kind == "undated_deadline"]


def test_sub_column_under_a_spanned_header_named_apart() -> None:
    """审计发现问题 spans 问题描述 | 涉及金额(万元): the described problem is the problem, not
    the amount beside it; a sheet named for the kind of list is no category."""
    data = xlsx_of([
        ["某市预算执行审计发现问题整改台账"],
        ["序号", "审计发现问题", None, "整改措施", "整改责任", None, "整改时限"],
        [None, "问题描述", "涉及金额（万元）", None, "责任领导", "责任单位", None],
        [1, "专项资金未及时拨付", 3250.5, "加快拨付", "副市长 刘志强", "市财政局", "2024年6月30日"],
    ], ("A1:G1", "A2:A3", "B2:C2", "D2:D3", "E2:F2", "G2:G3"))
    wb_title = "审计整改台账"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    book.active.title = wb_title  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    (task,) = parse_bytes(buffer.getvalue(), "ledger.xlsx").tasks
    assert (task.problem, task.leaders, task.units, task.category) == ("专项资金未及时拨付", ["刘志强"], ["市财政局"], "")


def test_ledger_typed_with_full_width_digits_and_marks() -> None:
    """Cells typed in full width: measures numbered １．２． split and lose their numbers, ．
    ending a sentence is its full stop, dates read as written."""
    data = xlsx_of([
        ["序号", "反馈问题", "整改措施", "责任单位", "完成时限"],
        ["１", "污水处理厂超负荷运行．", "１．实施扩建工程；\n２．开展雨污分流改造．", "县住建局", "２０２４年１２月３１日前"],
    ])
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert (task.ref, task.title, task.problem) == ("1", "污水处理厂超负荷运行", "污水处理厂超负荷运行。")
    assert [m.text for m in task.measures] == ["实施扩建工程；", "开展雨污分流改造。"]
    assert (task.deadline.text, [m.due for m in task.deadline.milestones]) == ("2024年12月31日前", [date(2024, 12, 31)])


def test_mixed_punctuation_reads_as_the_full_width_it_mostly_is() -> None:
    """A plan typed with full-width marks, some ASCII ones slipped in and (1)(2) numbering:
    the texts read in full width, a point ending a sentence is 。."""
    text = """ＸＸ县巡察整改方案
１．专项资金管理使用不规范.
整改措施：(1)开展专项资金清理检查;(2)追回违规资金１２０．５万元，完成率１００％.
责任单位：县财政局，县审计局
整改时限：２０２４年９月底前
２．干部档案管理不规范。
整改措施：全面审核干部档案，补齐缺失材料。
责任单位：县委组织部
整改时限：２０２４年６月底前
"""
    first, _second = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.title, first.problem) == ("专项资金管理使用不规范", "专项资金管理使用不规范。")
    assert [m.text for m in first.measures] == ["开展专项资金清理检查；", "追回违规资金120.5万元，完成率100%。"]
    assert first.units == ["县财政局", "县审计局"]


def test_a_row_listing_several_measures_under_one_deadline_names_none_of_them() -> None:
    data = xlsx_of([
        ["序号", "问题清单", "任务清单", "责任单位", "完成时限"],
        [1, "理论学习流于形式", "1.制定年度学习计划；2.建立学习督查通报制度。", "县委宣传部", "2024年6月底前"],
        [None, None, "3.将理论学习情况纳入年度考核。", "县委组织部", "2024年12月底前"],
    ], ("A2:A3", "B2:B3"))
    (task,) = parse_bytes(data, "ledger.xlsx").tasks
    assert [m.text for m in task.measures] == ["制定年度学习计划；", "建立学习督查通报制度。", "将理论学习情况纳入年度考核。"]
    assert [(m.due, m.text) for m in task.deadline.milestones] == [
        (date(2024, 6, 30), ""), (date(2024, 12, 31), "将理论学习情况纳入年度考核"),
    ]


def test_a_task_named_by_its_heading_over_a_labelled_problem() -> None:
    text = """某区巡察整改方案
（一）党建引领作用发挥不充分
问题：部分基层党组织政治功能弱化，党建与业务“两张皮”。
整改措施：1.开展示范创建；2.每季度召开联席会议。
责任单位：区委组织部
完成时限：2024年11月底前
（二）财务管理制度执行不严
问题：个别单位存在白条入账问题。
整改措施：开展财务专项检查。
责任单位：区财政局
完成时限：2024年8月31日
"""
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert (first.title, first.problem) == ("党建引领作用发挥不充分", "部分基层党组织政治功能弱化，党建与业务“两张皮”。")
    assert second.title == "财务管理制度执行不严"


def test_three_lists_of_a_xunshi_plan_written_as_labels() -> None:
    """问题清单 / 任务清单 / 责任清单 as labels; the 责任清单 line carries the name fields."""
    text = """中共某某市委关于巡视反馈意见整改工作方案
根据巡视反馈意见，制定问题清单、任务清单、责任清单如下。
一、政治建设方面
问题1：贯彻落实上级决策部署打折扣。
任务清单：一是建立落实台账；二是开展专项督查（2024年6月底前）；三是健全问责机制（长期坚持）。
责任清单：责任领导：市委副书记 吴刚；牵头单位：市委督查室；责任单位：市直各部门。
完成时限：2024年12月底前
问题2：意识形态工作责任制落实不到位。
任务清单：制定意识形态工作责任清单。
责任清单：责任领导：市委常委、宣传部部长 林芳；责任单位：市委宣传部。
完成时限：即日起
"""
    first, second = parse_bytes(text.encode(), "plan.txt").tasks
    assert [m.text for m in first.measures] == ["建立落实台账；", "开展专项督查（2024年6月底前）；", "健全问责机制（长期坚持）。"]
    assert (first.leaders, first.lead_units, first.units) == (["吴刚"], ["市委督查室"], ["市直各部门"])
    assert [(m.due, m.text) for m in first.deadline.milestones] == [(date(2024, 6, 30), "开展专项督查"), (date(2024, 12, 31), "")]
    assert first.deadline.ongoing
    assert (second.leaders, second.units, second.deadline.ongoing) == (["林芳"], ["市委宣传部"], True)


def test_measures_of_one_paragraph_each_closing_with_its_own_fields() -> None:
    """The plan's one task under a section heading; measures in one paragraph, each with
    its fields in brackets (the last one too): they name its units and milestones and never
    cut the paragraph."""
    text = """某县整改方案
一、整改任务
1.城区餐饮油烟扰民。
整改措施：一是完成摸底排查（牵头单位：县市场监管局；完成时限：2024年6月底前）；二是督促安装净化设施，年底前安装率达到100%（责任单位：县城管局、城关镇人民政府；完成时限：2024年10月底前）；三是建立长效监管机制（责任单位：县生态环境分局；完成时限：长期坚持）。
责任领导：副县长 马超
整改时限：2024年10月底前
"""
    (task,) = parse_bytes(text.encode(), "plan.txt").tasks
    assert (task.ref, task.title, task.category) == ("1", "城区餐饮油烟扰民", "整改任务")
    assert [m.text for m in task.measures][1] == "督促安装净化设施，年底前安装率达到100%（责任单位：县城管局、城关镇人民政府；完成时限：2024年10月底前）；"
    assert len(task.measures) == 3 and task.leaders == ["马超"]
    assert (task.lead_units, task.units) == (["县市场监管局"], ["县城管局", "城关镇人民政府", "县生态环境分局"])
    assert [(m.due, m.text) for m in task.deadline.milestones] == [
        (date(2024, 6, 30), "完成摸底排查"), (date(2024, 10, 31), ""), (date(2024, 10, 31), "督促安装净化设施"),
    ]
    assert task.deadline.ongoing


def test_from_now_on_with_immediate_rectification_is_immediate_only() -> None:
    from bot.deadlines import parse_deadline

    deadline = parse_deadline("即日起，立行立改", 2024)
    assert (deadline.immediate, deadline.ongoing) == (True, False)
