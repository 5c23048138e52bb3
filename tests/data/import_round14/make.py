"""Builds the Excel, Word and text plans beside this file (round 14 of the importer tests).

    cd /work/main && .venv/bin/python tests/data/import_round14/make.py

The files are committed as data; run this again only to change them. Each one copies a layout
that 整改办 produce: a workbook with one sheet per county repeating the city's tasks (one
without a unit column, one whose unit column says 县住建局 in each county), and a plan whose
time limits say 2025年前, 自2024年7月起… and 分阶段推进, and an OA system's export whose cells
keep Excel's _x000D_ line-break escape.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.data import documents  # noqa: E402


def book(name: str, sheets: list[tuple[str, list[list[Any]]]], **layout: Any) -> None:
    documents.book(HERE, name, sheets, **layout)

TITLE = "商丘市生态环境保护督察反馈问题整改进展台账"
HEADER = ["序号", "反馈问题", "整改措施", "整改时限", "整改进展", "是否完成"]
TASKS = [
    ("1", "城区建筑工地扬尘管控不到位。", "1.开展建筑工地扬尘专项整治；\n2.加强渣土运输车辆管理。"),
    ("2", "部分乡镇污水处理设施运行不正常。", "开展乡镇污水处理设施运行评估，落实第三方运维。"),
    ("3", "秸秆禁烧监管存在薄弱环节。", "落实网格化监管责任。"),
]


def county_sheets() -> None:
    """The city's ledger copied into a sheet per county, each county filling in its own
    progress; 虞城县 was given longer for task 2; task 3 does not concern 虞城县."""
    progress = {
        "永城市": [("2024年6月底前", "已完成专项整治，共检查工地36个。", "是"), ("2024年9月底前", "已完成评估，正在招标第三方运维单位。", "否"),
                 ("立行立改", "已落实网格员126名。", "是")],
        "夏邑县": [("2024年6月底前", "正在开展专项整治，完成60%。", "否"), ("2024年9月底前", "评估已完成。", "是"),
                 ("立行立改", "正在推进网格化监管。", "否")],
        "虞城县": [("2024年6月底前", "已完成。", "是"), ("2024年12月底前", "尚未启动。", "否")],
    }
    sheets = []
    for county, rows in progress.items():
        grid: list[list[Any]] = [[TITLE], HEADER]
        for (no, problem, measures), (deadline, said, done) in zip(TASKS, rows, strict=False):
            grid.append([no, problem, measures, deadline, said, done])
        sheets.append((county, grid))
    # 柘城县 deleted the row of task 2 it has nothing to do with and numbered the rest anew
    grid = [[TITLE], HEADER]
    for no, (_, problem, measures) in zip(("1", "2"), (TASKS[0], TASKS[2]), strict=True):
        grid.append([no, problem, measures, "2024年6月底前" if no == "1" else "立行立改", "已完成。", "是"])
    sheets.append(("柘城县", grid))
    book("county-sheets.xlsx", sheets)


def county_sheets_with_units() -> None:
    """The same, with a 责任单位 column each county fills with its own bureaus, written the
    way a county writes them (县住建局 in 夏邑县 is 夏邑县住建局); the sheet tabs are short
    (永城), the 填报单位 row under the title names the county in full."""
    units = {"永城市": ["市住建局、市城管局", "市住建局"], "夏邑县": ["县住建局、县城管局", "县住建局"], "睢阳区": ["区住建局", "区住建局"]}
    sheets = []
    for county, names in units.items():
        grid: list[list[Any]] = [[TITLE], [f"填报单位：{county}人民政府（盖章）"], ["序号", "反馈问题", "整改措施", "责任单位", "整改时限"]]
        for (no, problem, measures), unit in zip(TASKS, names, strict=False):
            grid.append([no, problem, measures, unit, "2024年12月底前"])
        sheets.append((county[:2], grid))
    book("county-sheets-units.xlsx", sheets)


def county_sheets_with_summary() -> None:
    """The city's summary sheet (汇总: lead unit, units, deadline) first, then the sheets the
    counties filled in with their progress."""
    summary: list[list[Any]] = [[TITLE], ["序号", "反馈问题", "整改措施", "牵头单位", "责任单位", "整改时限"]]
    for no, problem, measures in TASKS[:2]:
        summary.append([no, problem, measures, "市生态环境局", "各县(市、区)人民政府", "2024年12月底前"])
    sheets = [("汇总", summary)]
    for county, said in (("永城市", ["已完成。", "正在推进。"]), ("夏邑县", ["已完成。", "已完成。"])):
        grid: list[list[Any]] = [[TITLE], ["序号", "反馈问题", "整改措施", "整改进展"]]
        for (no, problem, measures), each in zip(TASKS, said, strict=False):
            grid.append([no, problem, measures, each])
        sheets.append((county, grid))
    book("county-sheets-summary.xlsx", sheets)


def year_words() -> None:
    text = """某县落实巡察反馈意见整改方案
（2024年5月）

一、整改任务
1.农村生活污水治理滞后。
整改措施：推进农村生活污水处理设施建设。
责任单位：县住建局
整改时限：2026年前全面完成

2.河道“四乱”问题反弹。
整改措施：开展河道清四乱专项行动。
责任单位：县水利局
整改时限：自2024年7月起，每月开展一次巡查

3.集中式饮用水水源地保护区划定滞后。
整改措施：完成水源地保护区划定和标志设置。
责任单位：县生态环境分局
整改时限：自2024年7月起至2025年6月底

4.畜禽养殖污染治理不到位。
整改措施：开展畜禽养殖场粪污资源化利用整治。
责任单位：县农业农村局
整改时限：自2024年7月起，6个月内完成

5.城区黑臭水体治理进度缓慢。
整改措施：实施截污纳管和清淤工程。
责任单位：县城管局
整改时限：分阶段推进

6.工业园区环境基础设施不完善。
整改措施：建设园区污水集中处理设施。
责任单位：县发展改革委
整改时限：自2024年7月起

7.历史遗留矿山生态修复滞后。
整改措施：编制矿山生态修复方案并组织实施。
责任单位：县自然资源局
整改时限：2024年前后

8.部分企业危险废物贮存不规范。
整改措施：开展危险废物规范化管理专项检查。
责任单位：县生态环境分局
整改时限：2024年前完成

9.城镇生活垃圾分类推进缓慢。
整改措施：完善分类投放、收运设施。
责任单位：县城管局
整改时限：2024年前完成摸底，2025年前完成整治
"""
    (HERE / "year-words.txt").write_text(text, encoding="utf-8")


def oa_export() -> None:
    """A 整改清单 exported from an OA system: blank rows between the tasks, and line breaks in
    the cells saved as Excel's escape _x000D_ before each line feed."""
    import io
    import zipfile

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "整改清单"
    for row in (
        ["某区巡察反馈问题整改清单"],
        ["序号", "反馈问题", "整改措施", "责任单位", "完成时限"],
        [None] * 5,
        [1, "PROBLEM1", "MEASURES1", "UNITS1", "2024年6月30日"],
        [None] * 5,
        [2, "公务用车管理不规范。", "建立公务用车使用台账。", "区机关事务服务中心", "2024年9月底前"],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    cells = {
        "PROBLEM1": "城区主干道夜间施工噪声扰民。_x000D_\n群众投诉较多。",
        "MEASURES1": "1.严格夜间施工审批；_x000D_\n2.开展噪声专项执法。",
        "UNITS1": "区住建局_x000D_\n区生态环境分局",
    }
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(HERE / "oa-export.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            for placeholder, text in cells.items():
                data = data.replace(placeholder.encode(), text.encode())
            out.writestr(info, data)


if __name__ == "__main__":
    county_sheets()
    county_sheets_with_units()
    county_sheets_with_summary()
    year_words()
    oa_export()

