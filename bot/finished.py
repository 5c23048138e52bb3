"""Finished tasks: "有哪些任务已经完成了", "这个月完成了哪些任务".

A task is finished for a leader when every unit's share is either 销号 or reported done
(已完成 / 100%, waiting for the office to verify); the two are listed apart, since only
the first is final. "这个月" counts a task finished when its last share finished.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    Page,
    Viewer,
    ViewRef,
    counts_only,
    fmt_date,
    listing,
    names,
    paginate,
    task_head,
)
from bot.ledger import ShareView, TaskView
from bot.status import StatusClass

DONE_WORD = "已完成"


def _share_done(share: ShareView) -> tuple[bool, datetime | None]:
    """Whether the share is finished, and when (None: not known)."""
    if share.status is StatusClass.SIGNED_OFF:
        return True, share.signed_off_at or share.last_report_at
    if share.status_word == DONE_WORD or share.percent == 100:
        return True, share.last_report_at
    return False, None


def finished(task: TaskView) -> tuple[bool, datetime | None]:
    """Whether every share of ``task`` is finished, and when the last one finished."""
    done = [_share_done(s) for s in task.shares]
    if not done or not all(d for d, _ in done):
        return False, None
    times = [t for _, t in done if t is not None]
    return True, max(times) if times else None


def since_ref(since: date | None) -> ViewRef:
    return ViewRef("f", int(since.strftime("%Y%m%d")) if since else None)


async def finished_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    since: date | None = None
    if ref.arg is not None:
        raw = str(ref.arg)
        try:
            since = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            return Page(tr("q.error.stale"))
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    signed: list[tuple[TaskView, datetime | None]] = []
    waiting: list[tuple[TaskView, datetime | None]] = []
    partly: list[tuple[TaskView, list[str]]] = []  # "哪些单位已经完成": finished shares of open tasks
    for task in ledger:
        done, at = finished(task)
        if not done:
            units = [
                s.unit for s in task.shares
                if s.unit and (ok := _share_done(s))[0]
                and (since is None or (ok[1] is not None and ok[1].astimezone(viewer.tz).date() >= since))
            ]
            if units:
                partly.append((task, units))
            continue
        if since is not None and (at is None or at.astimezone(viewer.tz).date() < since):
            continue
        (signed if task.status is StatusClass.SIGNED_OFF else waiting).append((task, at))
    period = tr("q.finished.since", since=fmt_date(tr, since, viewer.today)) if since else ""
    if not signed and not waiting and not partly:
        return Page(tr("q.finished.none", period=period))
    head = tr("q.finished.title", period=period, signed=len(signed), waiting=len(waiting))
    if partly:
        head += "\n" + tr("q.finished.partly_count", n=len(partly))
    items = []
    for label, rows in (("q.finished.signed", signed), ("q.finished.waiting", waiting)):
        for task, at in rows:
            when = tr("q.finished.when", date=fmt_date(tr, at, viewer.today)) if at else ""
            items.append(f"{task_head(task)}\n　{tr(label)}{when}")
    for task, units in partly:
        items.append(f"{task_head(task)}\n　" + tr("q.finished.partly", units=names(tr, units)))
    return paginate(head, items, ref, tr)
