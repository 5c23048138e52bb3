"""Word and Excel task tables built from the Shangqiu seed import to the same tasks as its text."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from bot.importer import parse_bytes, parse_path
from bot.plandata import ParsedPlan, PlanTask

DATA = Path(__file__).parent / "data" / "import"
SHANGQIU = DATA / "shangqiu-2019-plan-35-tasks.txt"


@pytest.fixture(scope="module")
def annex1() -> list[PlanTask]:
    return [t for t in parse_path(SHANGQIU).tasks if t.ref.startswith("1-")]


def same_tasks(got: ParsedPlan, expected: list[PlanTask]) -> None:
    assert [t.ref for t in got.tasks] == [t.ref.split("-")[1] for t in expected]
    for g, e in zip(got.tasks, expected, strict=True):
        assert g.title == e.title, e.ref
        assert g.problem == e.problem, e.ref
        assert g.goal == e.goal, e.ref
        assert [m.text for m in g.measures] == [m.text for m in e.measures], e.ref
        assert g.leaders == e.leaders, e.ref
        assert g.lead_units == e.lead_units, e.ref
        assert g.units == e.units, e.ref
        assert g.deadline.to_json() == e.deadline.to_json(), e.ref


def written(task: PlanTask) -> dict[str, str]:
    """The task's cells as an office would type them."""
    return {
        "序号": task.ref.split("-")[1],
        "反馈问题": task.problem,
        "整改目标": task.goal,
        "整改措施": "\n".join(f"{m.no}.{m.text}" for m in task.measures),
        "责任领导": ",".join(task.leaders),
        "牵头单位": "、".join(task.lead_units),
        "责任单位": ",".join(task.units),
        "整改时限": task.deadline.text,
    }


def test_docx_task_table(annex1: list[PlanTask]) -> None:
    doc = Document()
    doc.add_heading("中央环境保护督察“回头看”反馈意见整改任务清单", level=1)
    doc.add_paragraph("逐项制定整改任务清单如下:")
    columns = ["序号", "反馈问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限"]
    table = doc.add_table(rows=1, cols=len(columns))
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
    for task in annex1:
        values = written(task)
        for cell, name in zip(table.add_row().cells, columns, strict=True):
            cell.text = values[name]
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "annex1.docx")
    assert plan.title == "中央环境保护督察“回头看”反馈意见整改任务清单"
    same_tasks(plan, annex1)


def test_docx_with_vertically_merged_cells(annex1: list[PlanTask]) -> None:
    """One row per measure, the other cells merged down the task's rows."""
    doc = Document()
    columns = ["序号", "反馈问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限"]
    table = doc.add_table(rows=1, cols=len(columns))
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
    tasks = annex1[:4]
    for task in tasks:
        values = written(task)
        first = len(table.rows)
        for m in task.measures:
            row = table.add_row().cells
            row[3].text = f"{m.no}.{m.text}"
        for col, name in enumerate(columns):
            if name == "整改措施":
                continue
            top = table.cell(first, col)
            merged = top.merge(table.cell(len(table.rows) - 1, col)) if len(task.measures) > 1 else top
            merged.text = values[name]
    buffer = io.BytesIO()
    doc.save(buffer)
    same_tasks(parse_bytes(buffer.getvalue(), "merged.docx"), tasks)


def test_docx_written_as_paragraphs_reads_like_the_text() -> None:
    doc = Document()
    for line in SHANGQIU.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    from_docx = parse_bytes(buffer.getvalue(), "plan.docx")
    from_text = parse_path(SHANGQIU)
    assert [t.to_json() for t in from_docx.tasks] == [t.to_json() for t in from_text.tasks]
    assert from_docx.aliases == from_text.aliases


def xlsx_ledger(tasks: list[PlanTask], statuses: dict[str, str]) -> bytes:
    """A 台账: a merged title row, the header in its own column order, a merged category row,
    one row per measure with the task's other cells merged down."""
    columns = ["序号", "整改时限", "反馈问题", "责任领导", "整改措施", "牵头单位", "整改目标", "责任单位", "进展情况"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["中央环境保护督察“回头看”反馈意见整改任务台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.append(columns)
    ws.append(["一、共性整改任务"])
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(columns))
    for task in tasks:
        values = written(task) | {"进展情况": statuses.get(task.ref, "")}
        first = ws.max_row + 1
        for k, m in enumerate(task.measures or [None]):
            row = [
                (f"{m.no}.{m.text}" if m else "") if name == "整改措施" else (values[name] if k == 0 else None)
                for name in columns
            ]
            ws.append(row)
        last = ws.max_row
        if last > first:
            for col, name in enumerate(columns, 1):
                if name != "整改措施":
                    ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_ledger_with_merged_cells_and_title_row(annex1: list[PlanTask]) -> None:
    statuses = {"1-1": "已完成", "1-5": "长期坚持", "1-10": "正在推进,完成60%"}
    plan = parse_bytes(xlsx_ledger(annex1, statuses), "ledger.xlsx")
    same_tasks(plan, annex1)
    by_ref = {t.ref: t for t in plan.tasks}
    assert all(t.category == "共性整改任务" for t in plan.tasks)
    first = by_ref["1"].progress
    assert first is not None and (first.status, first.percent) == ("已完成", 100)
    fifth = by_ref["5"]
    assert fifth.progress is not None and fifth.progress.status == "正在推进"
    assert fifth.progress.text == "长期坚持"
    # a status in the progress column is not a deadline
    assert fifth.deadline.text == "20193月底前,持续推进"
    tenth = by_ref["10"].progress
    assert tenth is not None and (tenth.status, tenth.percent) == ("正在推进", 60)
    assert by_ref["2"].progress is None


def test_text_in_gb18030_with_crlf_reads_like_utf8() -> None:
    text = SHANGQIU.read_text(encoding="utf-8")
    data = text.replace("\n", "\r\n").encode("gb18030")
    from_gb = parse_bytes(data, "plan.txt")
    from_utf8 = parse_path(SHANGQIU)
    assert [t.to_json() for t in from_gb.tasks] == [t.to_json() for t in from_utf8.tasks]


def test_fullwidth_punctuation_and_spaced_labels() -> None:
    text = (
        "某市整改方案\n附件1\n整改任务清单\n"
        "一、黑臭水体治理不到位\n"
        "整 改 目 标：消除黑臭水体。\n"
        "整 改 措 施：\n（1）开展排查。\n（2）实施截污纳管。\n"
        "责 任 领 导：李  明，王小红\n"
        "牵 头 单 位：市住房和城乡建设局\n"
        "责 任 单 位：市生态环境局、市水利局\n"
        "整 改 时 限：２０２０年６月底前\n"
    )
    plan = parse_bytes(text.encode(), "plan.txt")
    (t,) = plan.tasks
    assert t.ref == "1-1"
    assert t.goal == "消除黑臭水体。"
    assert [m.text for m in t.measures] == ["开展排查。", "实施截污纳管。"]
    assert t.leaders == ["李明", "王小红"]
    assert t.units == ["市生态环境局", "市水利局"]
    assert [m.due.isoformat() for m in t.deadline.milestones if m.due] == ["2020-06-30"]


FULL_WIDTH_PLAN = (
    "某县整改方案\n"
    "问题1：部分乡镇污水处理设施运行不正常，出水水质不达标。\n"
    "整改目标：2024年6月底前全部正常运行（含新建设施），出水稳定达标。\n"
    "整改措施：\n1．全面排查，建立清单；\n2．每日09:00前报送处理量1,000吨以上的厂站数据。\n"
    "牵头单位：县住建局\n"
    "整改时限：2024年6月30日前完成排查，长期坚持\n"
)


def test_a_plan_written_with_full_width_marks_keeps_them() -> None:
    (t,) = parse_bytes(FULL_WIDTH_PLAN.encode(), "plan.txt").tasks
    assert t.title == "部分乡镇污水处理设施运行不正常，出水水质不达标"
    assert t.goal == "2024年6月底前全部正常运行（含新建设施），出水稳定达标。"
    assert [m.text for m in t.measures] == ["全面排查，建立清单；", "每日09:00前报送处理量1,000吨以上的厂站数据。"]
    assert t.deadline.text == "2024年6月30日前完成排查，长期坚持"
    assert t.lead_units == ["县住建局"]


def test_a_plan_written_with_ascii_marks_stays_as_written() -> None:
    ascii_plan = FULL_WIDTH_PLAN.replace("，", ",").replace("（", "(").replace("）", ")").replace("；", ";")
    (t,) = parse_bytes(ascii_plan.replace("：", ":").encode(), "plan.txt").tasks
    assert t.title == "部分乡镇污水处理设施运行不正常,出水水质不达标"
    assert t.goal == "2024年6月底前全部正常运行(含新建设施),出水稳定达标。"


def test_docx_table_split_in_two_continues_the_header(annex1: list[PlanTask]) -> None:
    """Word splits a long table; the second part has no header row of its own."""
    doc = Document()
    columns = ["序号", "反馈问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限"]
    first = doc.add_table(rows=1, cols=len(columns))
    for cell, name in zip(first.rows[0].cells, columns, strict=True):
        cell.text = name
    doc.add_paragraph("")
    second = doc.add_table(rows=0, cols=len(columns))
    for k, task in enumerate(annex1[:6]):
        values = written(task)
        target = first if k < 3 else second
        for cell, name in zip(target.add_row().cells, columns, strict=True):
            cell.text = values[name]
    buffer = io.BytesIO()
    doc.save(buffer)
    same_tasks(parse_bytes(buffer.getvalue(), "split.docx"), annex1[:6])


def test_docx_one_form_per_task() -> None:
    """Completion reports often put each task in its own two-column form."""
    doc = Document()
    doc.add_paragraph("整改任务完成情况表")
    for problem, status in (("水源地违法建筑未拆除", "已完成"), ("扬尘管控不力", "正在推进")):
        table = doc.add_table(rows=0, cols=2)
        for label, value in (
            ("整改任务", problem),
            ("整改措施", "1.排查。\n2.整治。"),
            ("责任单位", "市生态环境局、市住房和城乡建设局"),
            ("完成情况", status),
        ):
            row = table.add_row().cells
            row[0].text, row[1].text = label, value
        doc.add_paragraph("")
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "forms.docx")
    assert [(t.ref, t.title) for t in plan.tasks] == [("1", "水源地违法建筑未拆除"), ("2", "扬尘管控不力")]
    assert [m.text for m in plan.tasks[0].measures] == ["排查。", "整治。"]
    assert plan.tasks[1].units == ["市生态环境局", "市住房和城乡建设局"]
    statuses = [t.progress.status if t.progress else None for t in plan.tasks]
    assert statuses == ["已完成", "正在推进"]


def test_word_automatic_numbering_is_read() -> None:
    """Word list numbers are not in the paragraph text; they are rebuilt."""
    doc = Document()
    doc.add_paragraph("某市整改方案")
    doc.add_paragraph("一、主要措施")
    doc.add_paragraph("加强水源地保护。一是开展排查。二是实施整治。", style="List Number")
    doc.add_paragraph("强化扬尘管控。一是严控工地扬尘。二是道路保洁。", style="List Number")
    doc.add_paragraph("二、保障措施")
    doc.add_paragraph("加强领导。")
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "numbered.docx")
    assert [(t.ref, t.title, [m.text for m in t.measures]) for t in plan.tasks] == [
        ("1", "加强水源地保护", ["开展排查。", "实施整治。"]),
        ("2", "强化扬尘管控", ["严控工地扬尘。", "道路保洁。"]),
    ]


def test_xlsx_sheets_restarting_numbers_are_qualified(annex1: list[PlanTask]) -> None:
    wb = Workbook()
    columns = ["序号", "反馈问题", "整改措施", "责任单位", "整改时限"]
    for index, tasks in enumerate((annex1[:2], annex1[2:4])):
        ws = wb.active if index == 0 else wb.create_sheet()
        assert ws is not None
        ws.append(columns)
        for n, task in enumerate(tasks, 1):
            values = written(task)
            ws.append([str(n), values["反馈问题"], values["整改措施"], values["责任单位"], values["整改时限"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "two-sheets.xlsx")
    assert [t.ref for t in plan.tasks] == ["1-1", "1-2", "2-1", "2-2"]
    assert [t.title for t in plan.tasks] == [t.title for t in annex1[:4]]


def test_xlsx_grouped_two_row_header(annex1: list[PlanTask]) -> None:
    """责任主体 spans 责任领导 | 牵头单位 | 责任单位 in the row below it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "反馈问题", "整改措施", "责任主体", None, None, "整改时限"])
    ws.append([None, None, None, "责任领导", "牵头单位", "责任单位", None])
    ws.merge_cells("D1:F1")
    for col in "ABCG":
        ws.merge_cells(f"{col}1:{col}2")
    for task in annex1[:3]:
        v = written(task)
        ws.append([v["序号"], v["反馈问题"], v["整改措施"], v["责任领导"], v["牵头单位"], v["责任单位"], v["整改时限"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "grouped.xlsx")
    assert [(t.leaders, t.lead_units, t.units) for t in plan.tasks] == [
        (t.leaders, t.lead_units, t.units) for t in annex1[:3]
    ]
    assert [t.deadline.text for t in plan.tasks] == [t.deadline.text for t in annex1[:3]]


def test_leaders_written_with_posts_and_units_with_role_notes() -> None:
    text = (
        "某市整改方案\n附件1\n一、扬尘管控不力\n整改措施:加强工地管理。\n"
        "责任领导:市委常委、常务副市长吴祖明,副市长张家明\n"
        "责任单位:市城管局(牵头)、市住房和城乡建设局(配合)\n整改时限:2019年6月底前\n"
    )
    (task,) = parse_bytes(text.encode(), "plan.txt").tasks
    assert task.leaders == ["吴祖明", "张家明"]
    assert task.units == ["市城管局", "市住房和城乡建设局"]


def test_xlsx_plain_ledger_with_excel_numbers_and_dates() -> None:
    """No merges: measure rows leave 序号 empty; Excel stores 1.0 and real dates."""
    import datetime

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题", "整改措施", "责任单位", "完成时限", "进展情况"])
    ws.append([1.0, "扬尘管控不力", "1.加强工地管理", "市住建局", datetime.datetime(2019, 6, 30), "已完成"])
    ws.append([None, None, "2.道路保洁", None, None, None])
    ws.append([2, "散煤复烧", "开展清查", "市市场监管局", "9月底前", "正在推进"])
    ws.append(["3.", "黑臭水体", "建立长效机制", "市城管局", "长期坚持", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "ledger.xlsx")
    assert plan.year == 2019
    assert [(t.ref, t.title, [m.text for m in t.measures]) for t in plan.tasks] == [
        ("1", "扬尘管控不力", ["加强工地管理", "道路保洁"]),
        ("2", "散煤复烧", ["开展清查"]),
        ("3", "黑臭水体", ["建立长效机制"]),
    ]
    assert plan.tasks[0].deadline.text == "2019年6月30日"
    assert [m.due for t in plan.tasks for m in t.deadline.milestones] == [
        datetime.date(2019, 6, 30),
        datetime.date(2019, 9, 30),
    ]
    assert plan.tasks[2].deadline.ongoing and plan.tasks[2].progress is None


def test_xlsx_without_a_number_column_has_a_task_per_problem() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["存在问题", "整改措施", "责任单位", "整改时限"])
    ws.append(["扬尘管控不力", "1.加强工地管理", "市住建局", "2019年6月底前"])
    ws.append(["", "2.道路保洁", "", ""])
    ws.append(["散煤复烧", "开展清查", "市市场监管局", "2019年9月底前"])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "ledger.xlsx")
    assert [(t.ref, t.title, [m.text for m in t.measures], t.units) for t in plan.tasks] == [
        ("1", "扬尘管控不力", ["加强工地管理", "道路保洁"], ["市住建局"]),
        ("2", "散煤复烧", ["开展清查"], ["市市场监管局"]),
    ]


def test_csv_ledger_in_gb18030() -> None:
    data = '序号,问题,整改措施,责任单位,整改时限\n1,扬尘管控不力,"1.加强工地管理\n2.道路保洁",市住建局,2019年6月底前\n'
    (task,) = parse_bytes(data.encode("gb18030"), "ledger.csv").tasks
    assert (task.ref, task.title, [m.text for m in task.measures], task.units) == (
        "1",
        "扬尘管控不力",
        ["加强工地管理", "道路保洁"],
        ["市住建局"],
    )
    assert [m.due.isoformat() for m in task.deadline.milestones if m.due] == ["2019-06-30"]


def test_completion_report_as_a_word_form_reads_like_its_text() -> None:
    """The Sichuan report is a Word form: label cells on the left, values on the right."""
    source = DATA / "sichuan-task46-completion-report.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    title = [ln.replace("[bookmark: _GoBack]", "").strip() for ln in lines[:2]]
    rows: list[tuple[str, list[str]]] = []
    for line in lines[2:]:
        if line.startswith("\t") and len(line.strip()) <= 12:
            rows.append((line.strip(), []))
        elif rows and line.strip():
            rows[-1][1].append(line.strip())
    doc = Document()
    for line in title:
        doc.add_paragraph(line)
    table = doc.add_table(rows=0, cols=2)
    for label, values in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "\n".join(values)
    buffer = io.BytesIO()
    doc.save(buffer)
    from_docx = parse_bytes(buffer.getvalue(), "report.docx")
    from_text = parse_path(source)
    assert [label for label, _ in rows] == ["整改任务", "整改责任单位", "整改目标", "整改措施", "整改主要工作及成效"]
    assert from_docx.title == from_text.title
    assert [t.to_json() for t in from_docx.tasks] == [t.to_json() for t in from_text.tasks]


def test_docx_table_with_a_category_row_and_horizontal_merges() -> None:
    doc = Document()
    table = doc.add_table(rows=1, cols=5)
    for cell, name in zip(table.rows[0].cells, ["序号", "问题", "牵头单位", "责任单位", "整改时限"], strict=True):
        cell.text = name
    row = table.add_row().cells
    row[0].text = "一、大气污染防治"
    row[0].merge(row[4])
    row = table.add_row().cells
    for cell, value in zip(row, ["1", "扬尘管控不力", "市城管局", "市住建局", "2019年6月底前"], strict=True):
        cell.text = value
    row = table.add_row().cells
    for cell, value in zip(row, ["2", "散煤复烧", "市市场监管局", "", ""], strict=True):
        cell.text = value
    row[3].merge(row[4]).text = "各县(市、区)人民政府"
    buffer = io.BytesIO()
    doc.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "table.docx")
    assert [(t.ref, t.category, t.lead_units, t.units, t.deadline.text) for t in plan.tasks] == [
        ("1", "大气污染防治", ["市城管局"], ["市住建局"], "2019年6月底前"),
        ("2", "大气污染防治", ["市市场监管局"], ["各县(市、区)人民政府"], ""),
    ]


def test_xlsx_numbering_restarting_under_categories_gives_dotted_refs() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题", "整改措施", "责任单位"])
    ws.append(["一、大气污染"])
    ws.merge_cells("A2:D2")
    ws.append([1, "扬尘管控不力", "1.加强工地管理", "市住建局"])
    ws.append([2, "散煤复烧", "开展清查", "市市场监管局"])
    ws.append(["二、水污染"])
    ws.merge_cells("A5:D5")
    ws.append([1, "黑臭水体反弹", "建立长效机制", "市城管局"])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "ledger.xlsx")
    assert [(t.ref, t.category) for t in plan.tasks] == [("1.1", "大气污染"), ("1.2", "大气污染"), ("2.1", "水污染")]


def test_ledger_pasted_from_excel_as_tab_separated_text() -> None:
    text = (
        "序号\t问题\t整改措施\t责任单位\t整改时限\n"
        '1\t扬尘管控不力\t"1.加强工地管理\n2.道路保洁"\t市住建局\t2019年6月底前\n'
        "2\t散煤复烧\t开展清查\t市市场监管局\t长期坚持\n"
    )
    plan = parse_bytes(text.encode(), "ledger.txt")
    assert [(t.ref, t.title, [m.text for m in t.measures], t.units) for t in plan.tasks] == [
        ("1", "扬尘管控不力", ["加强工地管理", "道路保洁"], ["市住建局"]),
        ("2", "散煤复烧", ["开展清查"], ["市市场监管局"]),
    ]
    assert plan.tasks[1].deadline.ongoing


def test_pdf_table_rows_continue_below_a_repeated_header() -> None:
    """Word repeats the header row on every printed page; the cut row continues below it."""
    from bot.importer.readers import Table
    from bot.importer.tables import tables_drafts

    header = ["序号", "问题", "整改措施", "责任单位"]
    rows = [header, ["1", "扬尘管控", "1.加强工地", "市住建"], header, ["", "不力", "管理。", "局"], ["2", "散煤", "清查", "市监局"]]
    drafts = tables_drafts([Table(rows, page_starts={2}, split_rows_continue=True)])
    assert [(d.ref, d.fields.values) for d in drafts] == [
        ("1", {"problem": ["扬尘管控不力"], "measures": ["1.加强工地管理。"], "units": ["市住建局"]}),
        ("2", {"problem": ["散煤"], "measures": ["清查"], "units": ["市监局"]}),
    ]


def test_xlsx_rows_under_one_number_are_separate_entries() -> None:
    """An audit ledger: a title row, a 填报 row, and a task continued on a row without 序号."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["XX区审计发现问题整改台账"])
    ws.append(["填报单位：区审计局", None, None, None, None, "填报时间：2025年3月5日"])
    ws.append(["序号", "问题清单", "整改措施", "责任领导", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "政府采购程序不规范", "完善采购内控制度", "赵刚", "区财政局", "区发改委", "立行立改"])
    ws.append([None, None, "开展采购业务培训", None, None, "区审计局", "2025年4月底前"])
    ws.append([2, "工程项目超概算", "1.严格概算管理\n2.超概算项目重新报批", "李强", "区住建局", None, "持续推进"])
    buffer = io.BytesIO()
    wb.save(buffer)
    first, second = parse_bytes(buffer.getvalue(), "ledger.xlsx").tasks
    assert [m.text for m in first.measures] == ["完善采购内控制度", "开展采购业务培训"]
    assert first.supporting_units == ["区发改委", "区审计局"]
    assert first.deadline.text == "立行立改；2025年4月底前"
    assert first.deadline.immediate and [m.due for m in first.deadline.milestones] == [date(2025, 4, 30)]
    assert [m.text for m in second.measures] == ["严格概算管理", "超概算项目重新报批"]


def test_a_form_per_task_with_actions_listed_by_semicolons() -> None:
    """A Word plan with one two-column form per task; the measures cell lists actions with ；."""
    doc = Document()
    doc.add_paragraph("XX市关于省委巡视反馈意见整改落实方案")
    doc.add_paragraph("为切实抓好省委巡视反馈意见整改落实，制定本方案。")
    rows = [("序号", "1"), ("问题", "基层党组织软弱涣散问题整顿不彻底"),
            ("整改措施", "开展软弱涣散基层党组织集中整顿；建立整顿销号台账"), ("责任领导", "张伟"),
            ("责任单位", "市委组织部"), ("完成时限", "2025年6月底前")]
    table = doc.add_table(rows=0, cols=2)
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    buffer = io.BytesIO()
    doc.save(buffer)
    (task,) = parse_bytes(buffer.getvalue(), "form.docx").tasks
    assert [m.text for m in task.measures] == ["开展软弱涣散基层党组织集中整顿；", "建立整顿销号台账"]
    assert (task.leaders, task.units, task.deadline.text) == (["张伟"], ["市委组织部"], "2025年6月底前")


def test_xlsx_ledger_with_column_numbers_hidden_columns_and_excel_values() -> None:
    """What a ledger passed around an office picks up: a row numbering the columns under
    the header, a hidden column, a date that lost its format (a day number), a percent
    formatted cell (0.6) and a percent column beside the progress text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某市审计发现问题整改台账"])
    ws.append([])
    ws.append(["序号", "责任单位(旧)", "审计发现问题", "整改措施", "责任单位", "整改时限", "完成进度", "整改进展情况"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"])
    ws.append([1, "旧财政局", "专项资金滞留未拨付。", "加快支付。", "市财政局", datetime(2024, 6, 30), 0.6, "已拨付1920万元。"])
    ws.append([2, "旧国资委", "资产出租未审批。", "规范审批。", "市国资委", 45657, "100%", "已完成，收回租金12万元。"])
    ws.append([3, "", "公务卡使用率低。", "推行强制结算目录。", "市财政局", "2024.9.30", 0.3, ""])
    ws["G5"].number_format = "0%"
    ws["G7"].number_format = "0%"
    ws.column_dimensions["B"].hidden = True
    buffer = io.BytesIO()
    wb.save(buffer)
    first, second, third = parse_bytes(buffer.getvalue(), "ledger.xlsx").tasks
    assert [t.ref for t in (first, second, third)] == ["1", "2", "3"]
    assert first.units == ["市财政局"]
    assert [m.due for m in first.deadline.milestones] == [date(2024, 6, 30)]
    assert first.progress is not None
    assert (first.progress.text, first.progress.percent, first.progress.status) == ("已拨付1920万元。", 60, "正在推进")
    assert [m.due for m in second.deadline.milestones] == [date(2024, 12, 31)]
    assert second.progress is not None and (second.progress.status, second.progress.percent) == ("已完成", 100)
    assert [m.due for m in third.deadline.milestones] == [date(2024, 9, 30)]
    assert third.progress is not None and (third.progress.text, third.progress.percent) == ("30%", 30)


def test_xlsx_one_ledger_a_sheet_after_a_summary_sheet() -> None:
    """A workbook with a summary sheet first and one ledger per 问题类别: the title is a
    ledger's, each task's category is its sheet, refs are qualified by the sheet."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总"
    summary.append(["巡察反馈问题整改进度汇总表"])
    summary.append(["问题类别", "问题数", "已完成", "完成率"])
    summary.append(["党的建设", 2, 1, "50%"])
    for name in ("党的建设", "全面从严治党"):
        ws = wb.create_sheet(name)
        ws.append([f"{name}方面问题整改台账"])
        ws.append(["序号", "问题描述", "整改措施", "责任单位", "整改时限"])
        ws.append([1, f"{name}问题一。", "措施一。", "办公室", "2024年9月底前"])
        ws.append([2, f"{name}问题二。", "措施二。", "机关党委", "长期坚持"])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = parse_bytes(buffer.getvalue(), "ledger.xlsx")
    assert plan.title == "党的建设方面问题整改台账"
    assert [t.ref for t in plan.tasks] == ["1-1", "1-2", "2-1", "2-2"]
    assert [t.category for t in plan.tasks] == ["党的建设", "党的建设", "全面从严治党", "全面从严治党"]


def test_a_comma_after_a_percent_keeps_its_full_width() -> None:
    text = """某县整改方案
1.农村黑臭水体治理滞后。
整改措施：分年度推进治理，建立长效管护机制。
责任单位：县生态环境分局
整改时限：2024年底前完成50%，2025年底前全部完成
"""
    (task,) = parse_bytes(text.encode(), "plan.txt").tasks
    assert task.deadline.text == "2024年底前完成50%，2025年底前全部完成"
