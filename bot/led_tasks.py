"""The tasks one 责任领导 leads: "吴祖明分管哪些任务", "张家明负责的任务进展怎么样".

/mine answers this for the leader asking; the office and other leaders ask it about a
colleague by name. Worst first, as every list.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    Page,
    Viewer,
    ViewRef,
    counts_only,
    esc,
    fmt_date,
    listing,
    names,
    paginate,
    task_line,
)
from bot.ledger import ORDER
from bot.periods import xun_of
from bot.status import StatusClass
from storage import ledger as ledger_q
from storage import people


async def led_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    person_id = ref.arg or 0
    name = await people.person_name(session, person_id)
    if name is None:
        return Page(tr("q.error.stale"))
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    led = await ledger_q.task_ids_led_by(session, person_id)
    tasks = [t for t in ledger if t.id in led]
    partial = len(tasks) < len(led)  # a unit's member sees only the leader's tasks on their unit
    if ref.kind == "N":  # "张家明分管的任务有多少还没报": this 旬's silent shares of his tasks
        silent: dict[int, list[str]] = {}
        for unit, unit_tasks in ledger.not_reported().items():
            for t in unit_tasks:
                silent.setdefault(t.id, []).append(unit)
        since = fmt_date(tr, xun_of(viewer.today).start, viewer.today)
        quiet = [t for t in tasks if t.id in silent]
        if not quiet:
            return Page(tr("q.led.silent_none", name=esc(name), since=since) + ("\n" + tr("q.unit.partial") if partial else ""))
        order = {cls: i for i, cls in enumerate(ORDER)}
        quiet.sort(key=lambda t: (order[t.status], -t.days_overdue, t.plan_id, t.id))
        head = tr("q.led.silent_title", name=esc(name), n=len(quiet), total=len(tasks), since=since)
        if partial:
            head += "\n" + tr("q.unit.partial")
        items = [task_line(tr, t, viewer.today) + "\n　" + tr("q.led.silent_units", units=names(tr, silent[t.id]))
                 for t in quiet]
        return paginate(head, items, ref, tr)
    late_only = ref.kind == "e"  # "张家明分管的任务逾期了几个": his late ones, not all he leads
    if late_only:
        tasks = [t for t in tasks if t.status is StatusClass.OVERDUE]
    if not tasks and late_only:
        return Page(tr("q.led.overdue_none", name=esc(name)) + ("\n" + tr("q.unit.partial") if partial else ""))
    if not tasks:
        return Page(tr("q.led.none_visible", name=esc(name)) if partial else tr("q.led.none", name=esc(name)))
    order = {cls: i for i, cls in enumerate(ORDER)}
    tasks.sort(key=lambda t: (order[t.status], -t.days_overdue, t.plan_id, t.id))
    overdue = sum(1 for t in tasks if t.status is StatusClass.OVERDUE)
    head = (tr("q.led.overdue_title", name=esc(name), n=len(tasks)) if late_only
            else tr("q.led.title", name=esc(name), n=len(tasks), overdue=overdue))
    if partial:
        head += "\n" + tr("q.unit.partial")
    return paginate(head, [task_line(tr, t, viewer.today, units_behind=True) for t in tasks], ref, tr)
