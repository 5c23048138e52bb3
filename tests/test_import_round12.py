"""Plans of kinds the earlier rounds did not cover (round 12): ledgers with hidden template
rows and hidden sheets, a header on row 3 under a title and a 填报单位 line, 牵头单位 merged
over several tasks, columns in an unusual order, English-headed ledgers and plans, 责任人
with phone numbers, two plans in one document (第一部分/第二部分), measures numbered ①②③ or
(1)(2), dates wrapped in a narrow column, and the 整改时限 officials write (2024年底前,
2025年6月底前完成，长期坚持, 每季度, 即知即改, 3个月内). The documents are data in
``data/import_round12``, built by its ``make.py``; deadline rules are tested on
``parse_deadline`` itself, since chat reads deadlines with it too."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bot.deadlines import parse_deadline
from bot.i18n import t
from bot.importer import parse_bytes
from bot.importer.fields import label_role, match_label
from bot.importer.names import person_names, split_units
from tests.test_import_round11 import check

DATA = Path(__file__).parent / "data" / "import_round12"

# (date, what) of the milestones are ``dues``; see ``check`` for the other fields.
PLANS: dict[str, dict[str, Any]] = {
    # a template row and a merged task hidden in the ledger, a hidden sheet of last year's
    "hidden-rows-and-sheet.xlsx": {
        "title": "某县巡察反馈问题整改台账",
        "refs": ["1", "2", "4"],
        "tasks": {"1": {"leaders": ["刘江"], "status": "正在推进"}, "4": {"units": ["县卫健局"], "dues": [("2025-03-31", "")]}},
    },
    # title on row 1, 填报单位/填报日期 on row 2, the header on row 3
    "header-on-row3.xlsx": {
        "title": "某市生态环境保护督察反馈问题整改落实情况台账",
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"goal": "园区污水全收集、全处理。", "units": ["市工信局"], "persons": ["王刚"], "dues": [("2024-12-31", "")]},
            "2": {"dues": [("2025-06-30", "完成")], "ongoing": True},
            "3": {"dues": [], "ongoing": True, "deadline": "每季度"},
        },
    },
    # 责任领导 and 牵头单位 merged down over three tasks
    "merged-lead-units.xlsx": {
        "refs": ["1", "2", "3", "4"],
        "tasks": {
            "2": {"leaders": ["郑凯"], "lead_units": ["区行政审批局"], "supporting_units": ["区司法局"]},
            "3": {"leaders": ["郑凯"], "lead_units": ["区行政审批局"], "immediate": True},
            "4": {"leaders": ["韩雪"], "lead_units": ["区发改局"]},
        },
    },
    "unusual-column-order.xlsx": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"title": "校园安全隐患排查不彻底", "units": ["县教育局"], "leaders": ["邵华"], "dues": [("2024-12-31", "")]},
                  "2": {"immediate": True}},
    },
    "english-headed.xlsx": {
        "title": "EHS Audit Corrective Action Plan",
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"title": "Fire extinguishers in warehouse B expired", "leaders": ["Zhang Wei"], "lead_units": ["EHS Dept"],
                  "units": ["Warehouse"], "persons": ["Li Na"], "measures": ["Replace all expired extinguishers."],
                  "dues": [("2024-06-30", "")], "category": ""},
            "3": {"lead_units": ["HR Dept"], "units": [], "ongoing": True},
        },
    },
    "persons-with-phones.xlsx": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"persons": ["张伟"]}, "2": {"persons": ["李娜"], "immediate": True}, "3": {"persons": ["王强", "赵敏"]}},
    },
    # 填报时间 in the title dates 3个月内 and 限期2个月; an Excel date as a deadline
    "deadline-words.xlsx": {
        "year": 2024,
        "refs": ["1", "2", "3", "4", "5", "6", "7"],
        "tasks": {
            "1": {"dues": [("2024-12-31", "")], "ongoing": False},
            "2": {"dues": [("2025-06-30", "完成")], "ongoing": True},
            "3": {"dues": [], "ongoing": True},
            "4": {"immediate": True, "ongoing": False},
            "5": {"dues": [("2024-08-10", "")], "start": "2024-05-10"},
            "6": {"dues": [("2024-07-10", "")], "start": "2024-05-10"},
            "7": {"dues": [("2024-11-30", "")]},
        },
    },
    "circled-measures.xlsx": {
        "refs": ["1", "2"],
        "tasks": {
            "1": {"measures": ["开展村党组织书记队伍分析研判；", "选优配强村党组织书记；", "加强后备力量培养。"]},
            "2": {"measures": ["开展党员发展工作专项检查；", "建立发展党员全程纪实制度。"]},
        },
    },
    # one sheet a 问题类别, a summary sheet after them
    "sheet-per-category.xlsx": {
        "refs": ["1-1", "1-2", "2-1"],
        "tasks": {"1-2": {"category": "大气污染", "lead_units": ["市城管局"]}, "2-1": {"category": "水污染"}},
    },
    "measure-rows-merged-problem.xlsx": {
        "refs": ["1", "2"],
        "tasks": {"1": {"measures": ["开展农贸市场环境整治。", "实施农贸市场升级改造。"],
                        "dues": [("2024-07-31", "开展农贸市场环境整治"), ("2024-12-31", "实施农贸市场升级改造")]}},
    },
    # 2024年 over 12月底前 in a narrow column is one date; phones beside the names
    "phones-and-dates.xlsx": {
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"persons": ["张三"], "deadline": "2024年12月底前", "dues": [("2024-12-31", "")]},
            "2": {"persons": ["李四"], "dues": [("2024-12-31", "")]},
            "3": {"persons": ["王五"], "dues": [("2024-09-30", "")]},
        },
    },
    # a GB18030 CSV whose header is on its third line
    "header-row3-gbk.csv": {
        "title": "某区城市管理局问题整改台账",
        "refs": ["1", "2", "3"],
        "tasks": {"2": {"lead_units": ["区城管局"], "supporting_units": ["区住建局", "区交通局"], "ongoing": True,
                        "dues": [("2025-06-30", "完成")]}},
    },
    "part-rows-ledger.xlsx": {
        "refs": ["1.1", "1.2", "2.1"],
        "tasks": {
            "1.1": {"category": "省委巡视反馈问题", "leaders": ["张建"], "persons": ["李明"], "dues": [("2024-12-31", "")]},
            "1.2": {"persons": ["王芳"], "ongoing": True},
            "2.1": {"category": "市委巡察反馈问题", "leaders": ["刘洋"], "persons": ["赵四"], "dues": [("2025-06-30", "完成")]},
        },
    },
    # 填报时间 in a 填报 line of many cells dates 限期3个月; the hidden example row is left out
    "filing-row-many-cells.xlsx": {
        "title": "某市生态环境问题整改台账",
        "refs": ["1", "2"],
        "tasks": {"1": {"units": ["市公安局交警支队"], "persons": ["李四"], "status": "正在推进"},
                  "2": {"dues": [("2024-06-05", "")], "start": "2024-03-05"}},
    },
    # ---- Word
    "two-parts.docx": {
        "refs": ["1.1", "1.2", "2.1", "2.2"],
        "tasks": {
            "1.2": {"category": "省委巡视反馈问题整改", "units": ["县水利局"], "leaders": ["向东"], "deadline": "长期坚持", "ongoing": True},
            "2.1": {"category": "市委巡察反馈问题整改", "leaders": ["欧阳明"], "immediate": True},
        },
    },
    "two-part-tables.docx": {
        "refs": ["1-1", "1-2", "2-1"],
        "tasks": {"1-2": {"category": "省委巡视反馈问题", "ongoing": True}, "2-1": {"category": "审计反馈问题", "units": ["农机科"]}},
    },
    "merged-lead-table.docx": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"persons": ["宋涛"], "lead_units": ["物业管理科"]},
            "2": {"leaders": ["周琳"], "lead_units": ["物业管理科"]},
            "3": {"persons": ["姚远"], "dues": [("2024-02-09", "")]},
        },
    },
    "title-row-table.docx": {
        "title": "某县市场监管局巡察反馈问题整改清单",
        "refs": ["1", "2"],
        "tasks": {"1": {"measures": ["调整抽检计划；", "加强抽检考核。"], "persons": ["田野"]}, "2": {"ongoing": True}},
    },
    "table-odd-order.docx": {
        "refs": ["1", "2"],
        "tasks": {"1": {"title": "学前教育普惠率偏低", "units": ["基础教育科"], "measures": ["新建公办幼儿园3所。"]},
                  "2": {"dues": [("2025-06-30", "完成")], "ongoing": True}},
    },
    "prose-circled-phones.docx": {
        "refs": ["1", "2"],
        "tasks": {
            "1": {"measures": ["重新划分网格；", "配齐网格员；", "建立网格事项清单。"], "persons": ["孔亮"], "leaders": ["吕方"]},
            "2": {"measures": ["建立诉求台账；", "实行限时办结。"], "persons": ["曹雪"], "immediate": True, "ongoing": True},
        },
    },
    "english-table.docx": {
        "title": "Rectification Plan for the 2024 Internal Audit Findings",
        "refs": ["1", "2"],
        "tasks": {
            "1": {"title": "Procurement files incomplete", "leaders": ["Liu Yang"], "units": ["Procurement Office"],
                  "measures": ["Review all 2023 procurement files;", "Issue a filing checklist."], "dues": [("2024-08-31", "")]},
            "2": {"ongoing": True},
        },
    },
    "notice-two-annex-tables.docx": {
        "refs": ["1-1", "1-2", "2-1"],
        "tasks": {"1-2": {"units": ["市公安局交警支队"], "ongoing": True}, "2-1": {"dues": [("2024-12-31", "")]}},
    },
    "chinese-numbered-measure-rows.docx": {
        "refs": ["1", "2"],
        "tasks": {"1": {"measures": ["开展院感专项检查；", "组织院感防控培训；"],
                        "dues": [("2024-06-30", "开展院感专项检查"), ("2024-07-31", "组织院感防控培训")]}},
    },
    # ---- text
    "two-parts.txt": {
        "refs": ["1.1", "1.2", "2.1", "2.2"],
        "tasks": {
            "1.2": {"lead_units": ["区城管局"], "leaders": ["林峰"], "deadline": "每季度", "ongoing": True, "dues": []},
            "2.1": {"category": "审计反馈问题整改", "lead_units": ["区财政局"], "dues": [("2024-09-30", "")]},
        },
    },
    # 第一部分/第二部分, each with 一、整改任务 and (一)(二): the parts tell the tasks apart
    "parts-with-outline.txt": {
        "year": 2024,
        "refs": ["1.1", "1.2", "2.1", "2.2"],
        "tasks": {
            "1.1": {"measures": ["制定意识形态工作责任清单；", "每半年开展一次意识形态工作专题研判。"], "leaders": ["蔡敏"],
                    "lead_units": ["市委宣传部"], "units": ["各县(市、区)党委"], "dues": [("2024-06-30", "完成")], "ongoing": True},
            "2.1": {"leaders": ["邱林"], "units": ["市水利局", "相关县(市、区)人民政府"], "dues": [("2024-09-30", "")]},
            "2.2": {"immediate": True},
        },
    },
    "phones-and-circled.txt": {
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"measures": ["建立文物安全巡查制度；", "落实文物看护人员；", "安装技防设施。"], "persons": ["马骏"]},
            "2": {"persons": ["杨柳"], "units": ["旅游市场股", "文化市场综合执法大队"], "immediate": True, "ongoing": True},
            "3": {"dues": [("2025-06-30", "完成")], "ongoing": True},
        },
    },
    # the same plan printed, with a running header and page numbers
    "phones-and-circled.pdf": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"persons": ["马骏"], "leaders": ["贾琳"]}, "2": {"measures": ["开展旅游市场专项整治；", "公布投诉举报电话。"]}},
    },
    "ruled-deadline-words.pdf": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"dues": [("2024-12-31", "")]}, "2": {"ongoing": True}, "3": {"immediate": True}},
    },
    "year-end-and-quarterly.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"dues": [("2024-12-31", "")]}, "2": {"ongoing": True, "dues": []}, "3": {"dues": [("2025-06-30", "完成")], "ongoing": True}},
    },
    # signed and dated at the end: 3个月内 and 限期1个月 run from that date
    "limit-months.txt": {
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"dues": [("2024-09-03", "")], "start": "2024-06-03", "persons": ["卢敏"]},
            "2": {"dues": [("2024-07-03", "")], "start": "2024-06-03"},
            "3": {"immediate": True, "ongoing": True},
        },
    },
    "numbered-paren-tasks.txt": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"leaders": ["史进"], "units": ["非煤矿山股"], "dues": [("2024-07-31", "")]}, "3": {"ongoing": True}},
    },
    "english-plan.txt": {
        "title": "Corrective Action Plan for the 2024 Safety Inspection",
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"measures": ["Clear all exits;", "Add daily exit checks to the shift log."], "leaders": ["Zhou Ming"],
                  "units": ["Production Dept"], "dues": [("2024-05-31", "")]},
            "2": {"immediate": True},
            "3": {"units": ["EHS Dept"], "ongoing": True},
        },
    },
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plans(name: str) -> None:
    check(parse_bytes((DATA / name).read_bytes(), name), PLANS[name])


def test_every_document_in_the_data_is_checked() -> None:
    assert {p.name for p in DATA.iterdir() if p.name != "make.py"} == set(PLANS)


# ---- hidden rows and sheets -------------------------------------------------------------


def test_hidden_rows_and_sheets_are_left_out_and_said_so() -> None:
    plan = parse_bytes((DATA / "hidden-rows-and-sheet.xlsx").read_bytes(), "ledger.xlsx")
    assert "示例" not in [t.ref for t in plan.tasks]
    assert not any("旧问题" in t.problem or "已并入" in t.problem for t in plan.tasks)
    notes = [(n.kind, n.ref, n.text) for n in plan.warnings]
    assert notes == [("hidden_rows", "整改台账", "3,6"), ("hidden_sheet", "旧版台账", "旧版台账")]
    zh = t("zh_CN", "imports.note.hidden_rows", ref="整改台账", text="3,6", read_as="")
    en = t("en", "imports.note.hidden_sheet", ref="旧版台账", text="旧版台账", read_as="")
    assert "整改台账" in zh and "3,6" in zh and "旧版台账" in en


def _ledger(rows: list[list[Any]], hidden: list[int], merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    for r in hidden:
        sheet.row_dimensions[r].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_hidden_row_under_a_merge_still_fills_the_rows_shown_and_empty_hidden_rows_are_no_news() -> None:
    """Rows 2-4 are one task whose problem is merged down from row 2; row 3 (a measure) is
    hidden, row 6 is hidden and empty."""
    data = _ledger([
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        [1, "会议记录不规范。", "统一会议记录格式。", "办公室", "2024年6月底前"],
        [None, None, "已删除的措施。", "办公室", "2024年7月底前"],
        [None, None, "开展会议记录评查。", "办公室", "2024年8月底前"],
        [2, "公文办理超时。", "建立公文督办机制。", "办公室", "2024年9月底前"],
        [],
        [3, "档案管理不规范。", "开展档案清理。", "档案室", "2024年10月底前"],
    ], hidden=[3, 6], merges=("A2:A4", "B2:B4"))
    plan = parse_bytes(data, "ledger.xlsx")
    assert [t.ref for t in plan.tasks] == ["1", "2", "3"]
    assert [m.text for m in plan.tasks[0].measures] == ["统一会议记录格式。", "开展会议记录评查。"]
    assert [(n.kind, n.text) for n in plan.warnings] == [("hidden_rows", "3")]
    rows = _ledger([["序号", "问题", "整改措施", "责任单位", "完成时限"]] + [[k, f"问题{k}。", "措施。", "办公室", "2024年底前"] for k in range(1, 6)],
                   hidden=[2, 3, 4, 6])
    assert [(n.kind, n.text) for n in parse_bytes(rows, "l.xlsx").warnings] == [("hidden_rows", "2-4,6")]


# ---- deadlines, as chat reads them too --------------------------------------------------


def _read(
    text: str, year: int | None = 2024, issued: date | None = None, *, alone: bool = True
) -> tuple[list[tuple[date | None, date | None, str]], bool, bool]:
    d = parse_deadline(text, year, issued, stated_alone=alone)
    return [(m.start, m.due, m.text) for m in d.milestones], d.immediate, d.ongoing


def test_a_recurring_duty_joined_to_a_date_keeps_the_date() -> None:
    assert _read("2024年9月底前完成修订并每月报送进展") == ([(None, date(2024, 9, 30), "完成修订")], False, True)
    assert _read("2024年6月底前建立制度此后每季度开展一次检查") == ([(None, date(2024, 6, 30), "建立制度")], False, True)
    assert _read("每月25日前报送进展直至2024年底")[0] == [(None, date(2024, 12, 31), "")]
    assert parse_deadline("2024年9月底前完成修订并每月报送进展").text == "2024年9月底前完成修订并每月报送进展"


def test_a_bare_time_limit_stated_alone_runs_from_the_plans_date() -> None:
    issued = date(2024, 5, 8)
    assert _read("3个月内", issued=issued) == ([(issued, date(2024, 8, 8), "")], False, False)
    assert _read("三个月内完成整改", issued=issued)[0] == [(issued, date(2024, 8, 8), "完成整改")]
    assert _read("在30日内整改到位", issued=issued)[0] == [(issued, date(2024, 6, 7), "整改到位")]
    assert _read("限期2个月", issued=issued)[0] == [(issued, date(2024, 7, 8), "")]
    assert _read("3个月内")[0] == []  # no date to count from
    assert _read("三年内完成", issued=issued)[0] == []  # a span of years, not a due date
    assert _read("完成后3个月内报送", issued=issued)[0] == []  # not the whole time limit
    # inside running text the same words name no start
    assert _read("3个月内完成", issued=issued, alone=False)[0] == []


def test_the_time_limits_officials_write() -> None:
    assert _read("2024年底前") == ([(None, date(2024, 12, 31), "")], False, False)
    assert _read("2025年6月底前完成，长期坚持") == ([(None, date(2025, 6, 30), "完成")], False, True)
    assert _read("每季度") == ([], False, True)
    assert _read("即知即改") == ([], True, False)
    assert _read("即知即改，长期坚持") == ([], True, True)
    assert _read("Immediately") == ([], True, False)
    assert _read("Ongoing") == ([], False, True)
    assert _read("monthly review")[2] and not _read("2024-06-30")[2]


# ---- the pieces -------------------------------------------------------------------------


def test_english_column_names_and_labels() -> None:
    assert [label_role(c) for c in ("No.", "Finding", "Corrective Action", "Responsible Leader", "Lead Department",
                                    "Responsible Department", "Person in Charge", "Deadline", "Remarks")] == [
        "no", "problem", "measures", "leaders", "lead_units", "units", "persons", "deadline", "note"]
    assert label_role("Description of the plan") is None
    assert match_label("Deadline: 2024-05-31") == ("deadline", "2024-05-31")
    assert match_label("Note that the deadline: is near") is None


def test_names_written_in_english_or_beside_a_phone_number() -> None:
    assert person_names("Zhang Wei, Li Na") == ["Zhang Wei", "Li Na"]
    assert person_names("副县长 张伟") == ["张伟"]
    assert person_names("赵四：13700003333") == ["赵四"]
    assert person_names("李明 电话0371-6555000、王芳") == ["李明", "王芳"]
    assert split_units("EHS Dept, Finance Office").names == ["EHS Dept", "Finance Office"]
    assert split_units("项目股 审计室").names == ["项目股", "审计室"]
