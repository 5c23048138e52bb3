"""Small builders the importer rounds' make.py scripts share: a Word table, a merged column,
a workbook of sheets. Each script writes its documents beside itself; the fixed creation date
keeps a regenerated file byte-identical when its content did not change."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

CREATED = datetime(2024, 1, 1)


def save_docx(folder: Path, name: str, doc: Any) -> None:
    doc.core_properties.created = CREATED
    doc.save(folder / name)


def table(doc: Any, rows: list[list[str | None]]) -> Any:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                t.cell(i, j).text = value
    return t


def merge_down(t: Any, col: int, top: int, bottom: int) -> None:
    keep = t.cell(top, col).text
    t.cell(top, col).merge(t.cell(bottom, col)).text = keep


def book(
    folder: Path, name: str, sheets: list[tuple[str, list[list[Any]]]], *, merges: dict[str, list[str]] | None = None,
    hidden_rows: dict[str, list[int]] | None = None, hidden_sheets: tuple[str, ...] = (),
) -> None:
    wb = Workbook()
    for k, (title, rows) in enumerate(sheets):
        sheet = wb.active if k == 0 else wb.create_sheet(title)
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
        for r in (hidden_rows or {}).get(title, []):
            sheet.row_dimensions[r].hidden = True
        if title in hidden_sheets:
            sheet.sheet_state = "hidden"
    wb.properties.created = CREATED
    wb.properties.modified = CREATED
    wb.save(folder / name)
