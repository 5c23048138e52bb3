"""Extension requests as a leader asks about them: "市水利局申请延期了吗", "有哪些单位申请了延期".

/pending lists what still waits for the office's decision; a leader asking who asked for
more time also wants what was granted (a granted extension moves the deadline they chase)
and, in a word, what was refused. Those awaiting a decision first, then newest first, over the tasks the asker may see.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Page, Viewer, ViewRef, counts_only, esc, fmt_date, paginate, short
from storage import ledger as ledger_q
from storage import people

STATES = ("pending", "approved", "rejected")


async def extensions_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """Extension requests, all of them or (``arg``) one unit's."""
    tr = viewer.tr
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    unit = await people.unit_name(session, ref.arg) if ref.arg is not None else None
    if ref.arg is not None and unit is None:
        return Page(tr("q.error.stale"))
    rows = await ledger_q.extension_requests(session, visible.task_ids, ref.arg)
    partial = "\n" + tr("q.unit.partial") if visible.task_ids is not None else ""
    if not rows:
        key = "q.extensions.none_unit" if unit is not None else "q.extensions.none"
        return Page(tr(key, unit=esc(unit or "")) + partial)
    rows.sort(key=lambda r: r[0].state != "pending")  # stable: newest first within each
    counted = Counter(e.state for e, _, _ in rows)
    head = tr("q.extensions.title_unit" if unit is not None else "q.extensions.title", unit=esc(unit or ""),
              n=len(rows), pending=counted["pending"], approved=counted["approved"], rejected=counted["rejected"])
    head += partial
    items = []
    for ext, task, name in rows:
        state = tr(f"q.history.ext.{ext.state}") if ext.state in STATES else esc(ext.state)
        line = tr("q.extensions.line", ref=esc(task.ref), title=esc(short(task.title, 30)), unit=esc(name or "—"),
                  due=fmt_date(tr, ext.new_due, viewer.today), date=fmt_date(tr, ext.requested_at, viewer.today),
                  state=state)
        if ext.reason:
            line += "\n　" + tr("q.extensions.reason", reason=esc(short(ext.reason, 80)))
        items.append(line)
    return paginate(head, items, ref, tr)
