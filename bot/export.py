"""The ledger (台账) as an Excel workbook, in the columns the 整改办 has always sent upward.

One row per task × unit × measure on the main sheet, because that is how a 台账 is read:
each responsible unit answers for each measure. The four lists (问题清单, 措施清单, 责任清单,
效果清单) follow as their own sheets. Status fills are the same classes as everywhere
else (``bot.ledger``): red 逾期, yellow 临期/未报告, green 按期推进/已销号.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Viewer, fmt_date
from bot.i18n import Translator
from bot.ledger import Ledger, ShareView, TaskView, load
from bot.permissions import Action, allowed
from bot.status import StatusClass

FILLS = {
    StatusClass.OVERDUE: "FFC7CE",
    StatusClass.DUE_SOON: "FFEB9C",
    StatusClass.NOT_REPORTED: "FFEB9C",
    StatusClass.ON_TRACK: "C6EFCE",
    StatusClass.SIGNED_OFF: "C6EFCE",
}
FONTS = {"FFC7CE": "9C0006", "FFEB9C": "9C5700", "C6EFCE": "006100"}
HEADER_FILL = "DDEBF7"

LEDGER_COLUMNS = (
    ("no", 8), ("problem", 40), ("goal", 30), ("measure", 45), ("leaders", 14), ("lead", 20),
    ("unit", 20), ("deadline", 24), ("progress", 40), ("percent", 10), ("status", 10),
    ("last", 17), ("evidence", 10),
)
PROBLEMS_COLUMNS = (
    ("no", 8), ("problem", 50), ("goal", 36), ("leaders", 14), ("lead", 22), ("unit", 30),
    ("deadline", 26), ("status", 10),
)
MEASURES_COLUMNS = (
    ("no", 8), ("measure_no", 8), ("measure", 60), ("lead", 22), ("progress", 40),
    ("reporter", 20), ("last", 17),
)
DUTIES_COLUMNS = (
    ("no", 8), ("title", 36), ("leaders", 16), ("lead", 24), ("unit", 30), ("supporting", 30),
    ("supervisors", 24), ("principals", 24),
)
EFFECTS_COLUMNS = (
    ("no", 8), ("title", 36), ("goal", 40), ("status", 10), ("percent", 10), ("signed", 12),
    ("last", 17), ("evidence", 10),
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    tasks: int
    rows: int


def clean(value: object) -> object:
    """Cell-safe values: no control characters (openpyxl refuses them), no tz on times."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _local(at: datetime | None, tz: tzinfo) -> datetime | None:
    return at.astimezone(tz).replace(tzinfo=None, microsecond=0) if at else None


def _sheet(wb: Workbook, title: str, tr: Translator, columns: Sequence[tuple[str, int]], first: bool = False) -> Worksheet:
    ws = wb.active if first and wb.active is not None else wb.create_sheet()
    assert isinstance(ws, Worksheet)
    ws.title = title
    ws.append([tr(f"q.xlsx.col.{key}") for key, _ in columns])
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "B2"
    return ws


def _finish(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    keys = [key for key, _ in columns]
    for row in ws.iter_rows(min_row=2):
        for key, cell in zip(keys, row, strict=False):
            if key == "percent":
                cell.number_format = "0%"
            elif key == "last":
                cell.number_format = "yyyy-mm-dd hh:mm"
            cell.alignment = Alignment(vertical="top", wrap_text=key not in ("no", "percent", "last", "evidence"))


def _fill(cell: Any, status: StatusClass) -> None:
    color = FILLS[status]
    cell.fill = PatternFill("solid", fgColor=color)
    cell.font = Font(color=FONTS[color])


def _join(tr: Translator, items: Sequence[str]) -> str:
    return tr("q.sep").join(items)


def _status(tr: Translator, share: ShareView) -> str:
    """The class, and what waits on the office's decision: a 台账 is read to see what to act on."""
    status = tr(f"q.class.{share.status.value}")
    if share.signoff_pending and share.status is not StatusClass.SIGNED_OFF:
        return tr("evidence.ledger_signoff_pending", status=status)
    if share.extension_to is not None:
        return tr("evidence.ledger_extension", status=status, date=fmt_date(tr, share.extension_to, date.min))
    return status


def _ledger_rows(ws: Worksheet, tr: Translator, task: TaskView, tz: tzinfo) -> int:
    status_col = [k for k, _ in LEDGER_COLUMNS].index("status") + 1
    measures: list[tuple[int | None, str]] = list(task.measures) or [(None, "")]
    rows = 0
    for share in task.shares:
        general = task.latest.get((share.unit_id, None))
        for no, text in measures:
            report = task.latest.get((share.unit_id, no)) if no is not None else None
            report = report or general
            progress = report.text if report else (
                str(task.imported_progress.get("text") or "") if task.imported_progress else ""
            )
            ws.append([clean(v) for v in (
                task.ref,
                task.problem or task.title,
                task.goal,
                f"{no}. {text}" if no is not None else "",
                _join(tr, task.leaders),
                _join(tr, task.lead_units),
                share.unit or _join(tr, task.units),
                task.deadline_text,
                progress,
                share.percent / 100 if share.percent is not None else None,
                _status(tr, share),
                _local(share.last_report_at, tz),
                share.evidence,
            )])
            _fill(ws.cell(row=ws.max_row, column=status_col), share.status)
            rows += 1
    return rows


def build_workbook(ledger: Ledger, lang: str, tz: tzinfo) -> tuple[Workbook, int]:
    """The workbook and its number of ledger rows."""
    tr = Translator(lang)
    wb = Workbook()
    main = _sheet(wb, tr("q.xlsx.sheet.ledger"), tr, LEDGER_COLUMNS, first=True)
    rows = sum(_ledger_rows(main, tr, task, tz) for task in ledger)
    _finish(main, LEDGER_COLUMNS)

    problems = _sheet(wb, tr("q.xlsx.sheet.problems"), tr, PROBLEMS_COLUMNS)
    for task in ledger:
        problems.append([clean(v) for v in (
            task.ref, task.problem or task.title, task.goal, _join(tr, task.leaders), _join(tr, task.lead_units),
            _join(tr, task.units), task.deadline_text, tr(f"q.class.{task.status.value}"),
        )])
        _fill(problems.cell(row=problems.max_row, column=len(PROBLEMS_COLUMNS)), task.status)
    _finish(problems, PROBLEMS_COLUMNS)

    measures = _sheet(wb, tr("q.xlsx.sheet.measures"), tr, MEASURES_COLUMNS)
    for task in ledger:
        for no, text in task.measures:
            latest = task.measure_progress(no)
            measures.append([clean(v) for v in (
                task.ref, no, text, _join(tr, task.lead_units), latest.text if latest else "",
                (task.unit_name(latest.unit_id) or "") if latest else "", _local(latest.at, tz) if latest else None,
            )])
    _finish(measures, MEASURES_COLUMNS)

    duties = _sheet(wb, tr("q.xlsx.sheet.duties"), tr, DUTIES_COLUMNS)
    for task in ledger:
        duties.append([clean(v) for v in (
            task.ref, task.title, _join(tr, task.leaders), _join(tr, task.lead_units), _join(tr, task.units),
            _join(tr, task.supporting_units), _join(tr, task.supervisors), _join(tr, task.principals),
        )])
    _finish(duties, DUTIES_COLUMNS)

    effects = _sheet(wb, tr("q.xlsx.sheet.effects"), tr, EFFECTS_COLUMNS)
    for task in ledger:
        signed = sum(1 for s in task.shares if s.status is StatusClass.SIGNED_OFF)
        effects.append([clean(v) for v in (
            task.ref, task.title, task.goal, tr(f"q.class.{task.status.value}"),
            task.percent / 100 if task.percent is not None else None,
            f"{signed}/{len(task.shares)}", _local(task.last_report_at, tz), task.evidence,
        )])
        _fill(effects.cell(row=effects.max_row, column=4), task.status)
    _finish(effects, EFFECTS_COLUMNS)
    return wb, rows


def default_name(tr: Translator, today: date) -> str:
    return tr("q.xlsx.filename", date=today.strftime("%Y%m%d"))


def _write(ledger: Ledger, lang: str, tz: tzinfo, path: Path) -> int:
    wb, rows = build_workbook(ledger, lang, tz)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return rows


async def export_ledger(
    session: AsyncSession,
    path: Path,
    *,
    today: date,
    tz: tzinfo,
    lang: str,
    task_ids: set[int] | None = None,
) -> ExportResult:
    """Write the ledger of ``task_ids`` (None: all live tasks) on ``today`` to ``path``.

    The workbook is built and saved off the event loop: a large plan takes seconds.
    """
    ledger = await load(session, today=today, tz=tz, task_ids=task_ids)
    rows = await asyncio.to_thread(_write, ledger, lang, tz, path)
    return ExportResult(path=path, tasks=len(ledger), rows=rows)


@dataclass(frozen=True)
class Delivery:
    """A file ready to send: where it is, the name the reader sees, and its caption."""

    path: Path
    filename: str
    caption: str


async def export_for(session: AsyncSession, viewer: Viewer, directory: Path, stamp: str) -> Delivery | str:
    """/export for ``viewer``: the workbook of what they may export here, or a refusal text."""
    tr = viewer.tr
    if not viewer.known:
        return tr("q.unbound")
    if not allowed(viewer.roles, Action.EXPORT):
        return tr("q.export.forbidden")
    visible = await viewer.visibility(session, Action.EXPORT)
    if visible.counts_only:
        return tr("q.group.counts_only")
    if visible.task_ids is not None and not visible.task_ids:
        return tr("q.export.empty")
    path = directory / "exports" / f"{stamp}.xlsx"
    result = await export_ledger(session, path, today=viewer.today, tz=viewer.tz, lang=viewer.lang, task_ids=visible.task_ids)
    if not result.tasks:
        return tr("q.export.empty")
    caption = tr("q.export.caption", tasks=result.tasks, rows=result.rows, date=fmt_date(tr, viewer.today, date.min))
    return Delivery(path, default_name(tr, viewer.today), caption)
