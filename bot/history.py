"""A task's history as a leader reads it: who reported what and when, extensions, 销号.

The audit trail (/audit) is the office's tamper-evident record, written for checking; this
is the same story told for reading — "1-17的历史记录", /history 1-17 — newest first, one
entry per report with its unit, reporter, status and evidence, so nobody needs the raw log
to see how a task got where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    Page,
    Viewer,
    ViewRef,
    esc,
    fmt_date,
    fmt_time,
    not_found,
    paginate,
    percent_text,
    short,
)
from bot.i18n import Translator
from bot.ledger import TaskView, load
from storage import ledger as ledger_q
from storage.models import Report

TEXT_CHARS = 160
PER_PAGE = 10


@dataclass(frozen=True)
class Entry:
    at: datetime
    text: str


def _report_entry(tr: Translator, viewer: Viewer, report: Report, unit: str | None, person: str | None, files: int) -> Entry:
    who = tr("q.history.who", unit=esc(unit), person=esc(person)) if unit and person else esc(unit or person or "—")
    state = [w for w in (report.status_word or "", percent_text(tr, report.percent)) if w]
    if report.measure_no is not None:
        state.insert(0, tr("q.history.measure", no=report.measure_no))
    lines = [tr("q.history.report", when=fmt_time(tr, report.created_at, viewer.now), who=who,
                state=tr("q.sep.inline").join(state) or tr("q.history.no_state"))]
    lines.append("　" + esc(short(report.text, TEXT_CHARS)))
    if files:
        lines[-1] += tr("q.history.files", n=files)
    return Entry(report.created_at, "\n".join(lines))


async def _visible_task(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> TaskView | None:
    """The task a view is about, if the viewer may see it: both views answer "not found"
    alike for a task that does not exist and one they may not see."""
    task_id = ref.arg or 0
    if not (await viewer.visibility(session)).allows(task_id):
        return None
    return (await load(session, today=viewer.today, tz=viewer.tz, task_ids={task_id})).by_id(task_id)


async def history_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """Reports, extension requests and sign-offs of one task, newest first."""
    tr = viewer.tr
    task = await _visible_task(session, viewer, ref)
    if task is None:
        return await not_found(session, viewer)
    task_id = task.id
    entries = [
        _report_entry(tr, viewer, report, unit, person, files)
        for report, unit, person, files in await ledger_q.task_reports(session, task_id)
    ]
    for ext, unit in await ledger_q.task_extensions(session, task_id):
        state = tr(f"q.history.ext.{ext.state}") if ext.state in ("pending", "approved", "rejected") else esc(ext.state)
        text = tr("q.history.extension", when=fmt_time(tr, ext.requested_at, viewer.now), unit=esc(unit or "—"),
                  due=fmt_date(tr, ext.new_due, viewer.today), state=state)
        if ext.reason:
            text += "\n　" + esc(short(ext.reason, TEXT_CHARS))
        entries.append(Entry(ext.requested_at, text))
    for share in task.shares:
        if share.signed_off_at is not None:
            entries.append(Entry(share.signed_off_at, tr(
                "q.history.signed_off", when=fmt_time(tr, share.signed_off_at, viewer.now),
                unit=esc(share.unit or tr("q.card.whole_task")),
            )))
    entries.sort(key=lambda e: e.at, reverse=True)
    head = tr("q.history.title", ref=esc(task.ref), title=esc(short(task.title, 40)), n=len(entries))
    if not entries:
        return Page(tr("q.history.none", ref=esc(task.ref), title=esc(short(task.title, 40))))
    page = paginate(head, [e.text for e in entries], ref, tr, per_page=PER_PAGE)
    page.buttons.append([(tr("q.button.details", ref=task.ref), ViewRef("k", task.id).data())])
    return page


async def evidence_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """"1-17的证据材料": what evidence a task has, file by file, with who sent it and when;
    /evidence sends the files themselves."""
    tr = viewer.tr
    task = await _visible_task(session, viewer, ref)
    if task is None:
        return await not_found(session, viewer)
    task_id = task.id
    rows = await ledger_q.task_evidence(session, task_id)
    if not rows:
        return Page(tr("evidence.none", ref=esc(task.ref)))
    head = tr("evidence.listing.many", ref=esc(task.ref), title=esc(short(task.title, 40)), count=len(rows))
    items = []
    for ev, unit, person in rows:
        who = tr("q.history.who", unit=esc(unit), person=esc(person)) if unit and person else esc(unit or person or "—")
        what = esc(short(ev.caption or ev.original_name or "", 60)) or tr("q.evidence.no_caption")
        kind = tr("q.evidence.photo" if ev.kind == "photo" else "q.evidence.document")
        items.append(tr("q.evidence.line", when=fmt_time(tr, ev.created_at, viewer.now), who=who, kind=kind, what=what))
    page = paginate(head, items, ref, tr, per_page=PER_PAGE)
    page.text += "\n\n" + tr("q.evidence.fetch", ref=esc(task.ref))
    return page
