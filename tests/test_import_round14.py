"""Plans of kinds the earlier rounds got wrong (round 14): a workbook with one sheet per
county repeating the city's tasks (with or without a unit column, with or without the
city's summary sheet), and time limits written 2026年前, 2024年前后, 自2024年7月起… and
分阶段推进, with what stays undated named in the preview, and an OA system's export whose cells
keep Excel's _x000D_ line-break escape. The documents are data in ``data/import_round14``, built
by its ``make.py``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.deadlines import parse_deadline
from bot.i18n import t
from bot.importer import parse_bytes
from bot.plandata import ParsedPlan
from storage.models import Task, TaskUnit
from tests.scenario import converse
from tests.test_import_chat import START, count, preview, put

DATA = Path(__file__).parent / "data" / "import_round14"
TITLE = "商丘市生态环境保护督察反馈问题整改进展台账"


def parsed(name: str) -> ParsedPlan:
    return parse_bytes((DATA / name).read_bytes(), name)


def dues(plan: ParsedPlan, ref: str) -> list[tuple[str | None, str | None, str]]:
    task = next(t for t in plan.tasks if t.ref == ref)
    return [(m.start.isoformat() if m.start else None, m.due.isoformat() if m.due else None, m.text)
            for m in task.deadline.milestones]


def test_the_same_task_in_each_countys_sheet_is_one_task_of_those_counties() -> None:
    plan = parsed("county-sheets.xlsx")
    assert plan.title == TITLE
    assert [t.ref for t in plan.tasks] == ["1", "2", "3"]
    tasks = {t.ref: t for t in plan.tasks}
    assert tasks["1"].units == ["永城市", "夏邑县", "虞城县", "柘城县"]
    # not in 虞城县's sheet; 柘城县 numbered it 2 after deleting the row it had nothing to do with
    assert tasks["3"].units == ["永城市", "夏邑县", "柘城县"]
    assert all(t.category == "" for t in plan.tasks)  # a county is no group of tasks
    assert [m.text for m in tasks["1"].measures] == ["开展建筑工地扬尘专项整治；", "加强渣土运输车辆管理。"]
    # the same deadline everywhere is said once; where one county was given longer, each says its own
    assert tasks["1"].deadline.text == "2024年6月底前" and dues(plan, "1") == [(None, "2024-06-30", "")]
    assert tasks["2"].deadline.text == "永城市、夏邑县：2024年9月底前；虞城县：2024年12月底前"
    assert dues(plan, "2") == [(None, "2024-09-30", "永城市、夏邑县"), (None, "2024-12-31", "虞城县")]
    assert tasks["3"].deadline.immediate
    # each county's progress by its name; done only where every county is
    progress = tasks["1"].progress
    assert progress is not None and progress.status == "正在推进"
    assert progress.text.startswith("永城市：已完成专项整治") and "夏邑县：正在开展专项整治，完成60%" in progress.text
    assert "虞城县：已完成；柘城县：已完成" in progress.text
    assert [(w.kind, w.text) for w in plan.warnings] == [("county_sheets", "永城市、夏邑县、虞城县、柘城县")]


def test_a_countys_own_bureaus_are_named_with_the_county() -> None:
    plan = parsed("county-sheets-units.xlsx")
    assert [t.ref for t in plan.tasks] == ["1", "2"]
    assert plan.tasks[0].units == ["永城市住建局", "永城市城管局", "夏邑县住建局", "夏邑县城管局", "睢阳区住建局"]
    assert plan.tasks[1].units == ["永城市住建局", "夏邑县住建局", "睢阳区住建局"]


def test_the_citys_summary_sheet_gives_the_lead_and_deadline_and_the_counties_their_progress() -> None:
    plan = parsed("county-sheets-summary.xlsx")
    assert [t.ref for t in plan.tasks] == ["1", "2"]
    first, second = plan.tasks
    assert first.lead_units == ["市生态环境局"] and first.units == ["永城市", "夏邑县"]
    assert dues(plan, "1") == [(None, "2024-12-31", "")]
    assert first.progress is not None and first.progress.status == "已完成"
    assert second.progress is not None and second.progress.status == "正在推进"
    assert second.progress.text == "永城市：正在推进；夏邑县：已完成"


YEAR_WORDS: dict[str, list[tuple[str | None, str | None, str]]] = {
    "1": [(None, "2025-12-31", "全面完成")],  # 2026年前: before 2026 begins
    "2": [],  # 自2024年7月起，每月…: ongoing
    "3": [("2024-07-01", "2025-06-30", "")],
    "4": [("2024-07-01", "2024-12-31", "完成")],  # six months from July
    "5": [], "6": [], "7": [], "8": [],
    "9": [(None, "2024-12-31", "完成整治")],
}


def test_year_words_and_stated_starts() -> None:
    plan = parsed("year-words.txt")
    assert plan.year == 2024
    assert {t.ref: dues(plan, t.ref) for t in plan.tasks} == YEAR_WORDS
    assert plan.tasks[1].deadline.ongoing
    # what stayed undated is named: 分阶段推进, a start with no end, 前后, and 2024年前 in a 2024 plan
    assert [(w.kind, w.ref, w.text, w.read_as) for w in plan.warnings] == [
        ("undated_deadline", "5", "分阶段推进", ""),
        ("undated_deadline", "6", "自2024年7月起", ""),
        ("undated_deadline", "7", "2024年前后", ""),
        ("year_before", "8", "2024年前完成", "2023"),
        ("year_before", "9", "2024年前完成摸底，2025年前完成整治", "2023"),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2025年前", [(None, date(2024, 12, 31))]),
        ("2025年以前完成", [(None, date(2024, 12, 31))]),
        ("2024年底前完成排查，2026年前全面完成", [(None, date(2024, 12, 31)), (None, date(2025, 12, 31))]),
        ("2024年前", []),
        ("2025年前后", []),
        ("自2024年7月起，用两年时间完成", [(date(2024, 7, 1), date(2026, 6, 30))]),
        ("从2024年7月1日开始，30日内完成整改", [(date(2024, 7, 1), date(2024, 7, 30))]),
        ("自2024年3月起，半年内完成", [(date(2024, 3, 1), date(2024, 8, 31))]),
    ],
)
def test_deadline_words(text: str, want: list[tuple[date | None, date | None]]) -> None:
    got = parse_deadline(text, 2024, stated_alone=True)
    assert [(m.start, m.due) for m in got.milestones] == want


def test_a_span_from_a_stated_start_names_no_start_words() -> None:
    got = parse_deadline("自2024年7月起至2025年6月底", 2024, stated_alone=True)
    assert [(m.start, m.due, m.text) for m in got.milestones] == [(date(2024, 7, 1), date(2025, 6, 30), "")]


def test_an_oa_exports_escaped_line_breaks_are_line_breaks() -> None:
    plan = parsed("oa-export.xlsx")
    assert [t.ref for t in plan.tasks] == ["1", "2"]
    first = plan.tasks[0]
    assert first.problem == "城区主干道夜间施工噪声扰民。群众投诉较多。"
    assert [m.text for m in first.measures] == ["严格夜间施工审批；", "开展噪声专项执法。"]
    assert first.units == ["区住建局", "区生态环境分局"]


def test_every_document_in_the_data_is_checked() -> None:
    checked = {"county-sheets.xlsx", "county-sheets-units.xlsx", "county-sheets-summary.xlsx", "year-words.txt", "oa-export.xlsx"}
    assert {p.name for p in DATA.iterdir() if p.name != "make.py"} == checked


def test_the_new_notes_read_in_both_languages() -> None:
    zh = t("zh_CN", "imports.note.year_before", ref="8", text="2024年前完成", read_as="2023")
    en = t("en", "imports.note.year_before", ref="8", text="2024年前完成", read_as="2023")
    assert "2023 年底前" in zh and "不作到期提醒" in zh and "2023" in en
    zh = t("zh_CN", "imports.note.county_sheets", ref="", text="永城市、夏邑县", read_as="")
    assert "永城市、夏邑县" in zh and "合并" in zh


async def test_the_admin_sends_a_workbook_of_county_sheets(settings: Settings) -> None:
    name = put(settings, "台账.xlsx", (DATA / "county-sheets.xlsx").read_bytes())
    output = await converse(settings, [START, {"as": 1, "document": name}])
    text = preview(output)["text"]
    assert TITLE in text and "共识别任务 3 项" in text
    assert "工作表 永城市、夏邑县、虞城县、柘城县 是各地分别填报的同一台账" in text
    assert "1-1" not in text and "2-1" not in text and "3-1" not in text
    await converse(settings, [{"as": 1, "press": "导入"}], name="later")
    assert await count(settings, Task) == 3
    assert await count(settings, TaskUnit) == 4 + 3 + 3  # one share per county of each task


async def test_the_admin_sees_which_time_limits_stayed_undated(settings: Settings) -> None:
    name = put(settings, "方案.txt", (DATA / "year-words.txt").read_bytes())
    output = await converse(settings, [START, {"as": 1, "document": name}])
    text = preview(output)["text"]
    assert "共识别任务 9 项" in text
    assert "5：时限“分阶段推进”未写明日期" in text and "6：时限“自2024年7月起”未写明日期" in text
    assert "8：时限“2024年前完成”可理解为 2023 年底前" in text
