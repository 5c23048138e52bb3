"""Reports by one person or one unit: "王强报了什么", "市应急管理局最近报了什么".

A leader who knows who is on a task asks about the people and the unit, not the number;
the answer is their newest reports over the tasks the leader may see, each under its task.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    TEXT_CHARS,
    TITLE_CHARS,
    Page,
    Viewer,
    ViewRef,
    counts_only,
    esc,
    fmt_time,
    paginate,
    percent_text,
    short,
)
from storage import ledger as ledger_q
from storage import people

LIMIT = 60


async def _reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef, *, by_person: bool) -> Page:
    tr = viewer.tr
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    wanted = ref.arg or 0
    if by_person:
        name = await people.person_name(session, wanted)
        rows = await ledger_q.reports_by(session, person_id=wanted, task_ids=visible.task_ids, limit=LIMIT)
    else:
        name = await people.unit_name(session, wanted)
        rows = await ledger_q.reports_by(session, unit_id=wanted, task_ids=visible.task_ids, limit=LIMIT)
    if name is None:
        return Page(tr("q.error.stale"))
    if not rows:
        # "no reports" would be false where the reader may not see them all
        key = "q.reports_by.none" if visible.task_ids is None else "q.reports_by.none_visible"
        return Page(tr(key, name=esc(name)))
    items = []
    for report, unit, person, task in rows:
        who = esc(unit if by_person else person) if (unit if by_person else person) else ""
        pct = percent_text(tr, report.percent)
        items.append(
            f"<b>{esc(task.ref)}</b> {esc(short(task.title, TITLE_CHARS))}\n"
            f"　{fmt_time(tr, report.created_at, viewer.now)} {who}：{esc(short(report.text, TEXT_CHARS))}"
            + (tr("q.paren", text=pct) if pct else "")
        )
    head = tr("q.reports_by.title", name=esc(name), n=len(rows))
    return paginate(head, items, ref, tr)


async def person_reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    return await _reports_view(session, viewer, ref, by_person=True)


async def unit_reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    return await _reports_view(session, viewer, ref, by_person=False)
