"""Units ranked by how far behind they are: "哪个单位最落后", "各单位完成情况排名".

A leader asking who lags means: who has the most overdue shares, then the most shares
not reported this 旬, then the lowest average completion. Counted over the shares the
asker may see, from the same ledger as every other view, so the ranking never disagrees
with /unit or /overdue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    MARK,
    Page,
    Viewer,
    ViewRef,
    class_label,
    counts_only,
    esc,
    fmt_date,
    listing,
    paginate,
    task_line,
    unit_rows,
)
from bot.ledger import ORDER, Ledger, ShareView, TaskView, load
from bot.periods import xun_of
from bot.reports_by import is_county_level, recent_view
from bot.status import StatusClass
from bot.task_refs import ref_order
from bot.unit_names import is_county
from storage import ledger as ledger_q
from storage import people
from storage.models import Task

TOPIC_DETAILED = 8
TOPIC_CHARS = 3800
SILENT_NAMES = 20


@dataclass
class UnitLoad:
    unit: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    not_reported: int = 0
    percents: list[int] = field(default_factory=list)

    @property
    def average(self) -> int:
        return round(sum(self.percents) / len(self.percents)) if self.percents else 0

    def rank_key(self) -> tuple[int, int, int, str]:
        return (-self.overdue, -self.not_reported, self.average, self.unit)


def unit_loads(rows_by_unit: dict[str, list[tuple[TaskView, ShareView | None]]], ledger: Ledger) -> list[UnitLoad]:
    """Every unit with a task in ``rows_by_unit``, the one furthest behind first.

    A row without a share of the unit's own (a task it only supervises or supports) counts
    as /unit counts it, by the task's state; it has no report or percent of the unit's to
    weigh, so it moves neither "not reported" nor the average.
    """
    start = xun_of(ledger.today).start
    loads: list[UnitLoad] = []
    for unit, rows in rows_by_unit.items():
        if not rows:
            continue
        load = UnitLoad(unit)
        for task, share in rows:
            status = (share or task).status
            load.total += 1
            if share is not None:
                load.percents.append(share.percent or 0)
            if status is StatusClass.SIGNED_OFF:
                continue
            load.open += 1
            if status is StatusClass.OVERDUE:
                load.overdue += 1
            if share is None or status is StatusClass.ON_TRACK:
                continue
            last = share.last_report_at
            if last is None or last.astimezone(ledger.tz).date() < start:
                load.not_reported += 1
        loads.append(load)
    return sorted(loads, key=UnitLoad.rank_key)


async def _rows_by_unit(
    session: AsyncSession, ledger: Ledger, wanted: Callable[[str], bool] = lambda _: True,
) -> dict[str, list[tuple[TaskView, ShareView | None]]]:
    shared: dict[tuple[str, ...], set[int]] = {}
    return {
        name: await unit_rows(session, ledger, uid, name, shared)
        for uid, name, _ in await ledger_q.units_with_aliases(session) if wanted(name)
    }


async def ranking_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """Furthest behind first ("r"; its argument a unit to place: "生态环境局排第几"), or the
    most advanced first ("y": "完成率最高的单位")."""
    tr = viewer.tr
    # "j": over the asker's own tasks ("我分管的单位哪个最慢")
    ledger = await listing(session, viewer, mine=ref.kind == "j")
    if ledger is None:
        return await counts_only(session, viewer)
    loads = unit_loads(await _rows_by_unit(session, ledger), ledger)
    if not loads:
        return Page(tr("q.ranking.none"))
    best = ref.kind == "y"
    # "前5名的单位", "后3名": the first or last few, never the paged whole ("y"/"a" with a count)
    top = ref.arg if ref.kind in ("y", "a") and ref.arg else None
    if best:
        # the most advanced by share of their work, so a unit with one small task is not "best" for it
        loads.sort(key=lambda u: (-u.average, u.overdue / u.total, u.not_reported / u.total, -u.total, u.unit))
    title = "q.ranking.title_best" if best else "q.ranking.title_mine" if ref.kind == "j" else "q.ranking.title"
    head = tr(title, date=fmt_date(tr, viewer.today, date.min), n=len(loads))
    if top is not None:
        loads = loads[:top]
        head = tr("q.ranking.top_best" if best else "q.ranking.top_last",
                  date=fmt_date(tr, viewer.today, date.min), n=len(loads))
    if ref.kind == "r" and ref.arg is not None:
        name = await people.unit_name(session, ref.arg)
        place = next((i for i, u in enumerate(loads, 1) if u.unit == name), None)
        if name is not None:
            head += "\n" + (tr("q.ranking.place", unit=esc(name), no=place, n=len(loads)) if place
                            else tr("q.ranking.unplaced", unit=esc(name)))
    items = [
        tr("q.ranking.line", no=i, unit=esc(u.unit), open=u.open, total=u.total, overdue=u.overdue,
           not_reported=u.not_reported, percent=u.average)
        for i, u in enumerate(loads, 1)
    ]
    return paginate(head, items, ref, tr, per_page=15)


async def county_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """"各县区的情况怎么样": the counties side by side, furthest behind first, each counted
    as its /unit counts it (its own tasks and its share of those naming 各县(市、区))."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    # 各县(市、区)人民政府 stands for every county together: it is no county to rank among them,
    # so its tasks follow the ranking as a list of their own
    rows = await _rows_by_unit(session, ledger, is_county_level)
    loads = unit_loads({name: got for name, got in rows.items() if is_county(name)}, ledger)
    together = unit_loads({name: got for name, got in rows.items() if not is_county(name)}, ledger)
    if not loads:
        if together:
            return Page(tr("q.county.together_only", units=esc("、".join(u.unit for u in together[:3]))))
        return Page(tr("q.county.none"))
    head = tr("q.county.title", date=fmt_date(tr, viewer.today, date.min), n=len(loads))

    def lines(of: list[UnitLoad]) -> list[str]:
        return [tr("q.ranking.line", no=i, unit=esc(u.unit), open=u.open, total=u.total, overdue=u.overdue,
                   not_reported=u.not_reported, percent=u.average) for i, u in enumerate(of, 1)]

    items = lines(loads) + ([tr("q.county.together_head"), *lines(together)] if together else [])
    return paginate(head, items, ref, tr, per_page=15)


LOAD_SHOWN = 15


async def unit_load_page(session: AsyncSession, viewer: Viewer, fewest: bool = False) -> Page:
    """"哪个单位任务最多", "各单位任务量": the units by how many tasks they carry (open ones
    next), over the tasks the asker may see; the load, not who is behind."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    loads = [u for u in unit_loads(await _rows_by_unit(session, ledger), ledger) if not u.unit.startswith("各")]
    if not loads:
        return Page(tr("q.ranking.none"))
    loads.sort(key=lambda u: (u.total, u.open, u.unit) if fewest else (-u.total, -u.open, u.unit))
    head = tr("q.load.title_fewest" if fewest else "q.load.title", date=fmt_date(tr, viewer.today, date.min), n=len(loads))
    if (await viewer.visibility(session)).task_ids is not None:
        head += "\n" + tr("q.unit.partial")
    items = [
        tr("q.ranking.line", no=i, unit=esc(u.unit), open=u.open, total=u.total, overdue=u.overdue,
           not_reported=u.not_reported, percent=u.average)
        for i, u in enumerate(loads[:LOAD_SHOWN], 1)
    ]
    more = "\n\n" + tr("q.load.more", n=len(loads) - LOAD_SHOWN) if len(loads) > LOAD_SHOWN else ""
    return Page(head + "\n\n" + "\n".join(items) + more)


async def units_under(session: AsyncSession, viewer: Viewer, ref: ViewRef, percent: int) -> Page:
    """"完成率低于50%的单位": the units whose average completion is below the cut, lowest first."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    loads = [u for u in unit_loads(await _rows_by_unit(session, ledger), ledger) if u.open and u.average < percent]
    loads.sort(key=lambda u: (u.average, -u.overdue, -u.open, u.unit))
    head = tr("q.cut.units", percent=percent, n=len(loads))
    items = [
        tr("q.ranking.line", no=i, unit=esc(u.unit), open=u.open, total=u.total, overdue=u.overdue,
           not_reported=u.not_reported, percent=u.average)
        for i, u in enumerate(loads, 1)
    ]
    return paginate(head, items, ref, tr, per_page=15) if items else Page(head)


async def topic_ranking(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """"水源地的任务排名", "饮用水任务哪个最落后": the tasks on one topic, furthest behind
    first; tasks equally behind keep the plan's order (1-2 before 1-10)."""
    tr = viewer.tr
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids={t.id for t in tasks})
    order = {cls: i for i, cls in enumerate(ORDER)}
    views = sorted(
        ledger.tasks,
        key=lambda t: (order[t.status], -t.days_overdue, t.percent or 0, t.plan_id, ref_order(t.ref)),
    )
    head = tr("q.ranking.topic", n=len(views))
    # a broad word ("水相关的") can name half the plan: fewer details each, and one message
    detailed = len(views) <= TOPIC_DETAILED
    text = head
    for shown, t in enumerate(views):
        item = task_line(tr, t, viewer.today, units_behind=detailed)
        if len(text) + len(item) > TOPIC_CHARS:
            return Page(text + "\n\n" + tr("q.digest.more", n=len(views) - shown))
        text += "\n\n" + item
    return Page(text)


_ASKED_CLASS = {
    "逾期": (StatusClass.OVERDUE,), "超期": (StatusClass.OVERDUE,), "临期": (StatusClass.DUE_SOON,),
    "快到期": (StatusClass.DUE_SOON,), "已销号": (StatusClass.SIGNED_OFF,), "销号": (StatusClass.SIGNED_OFF,),
    "未完成": tuple(c for c in ORDER if c is not StatusClass.SIGNED_OFF),
    "没完成": tuple(c for c in ORDER if c is not StatusClass.SIGNED_OFF),
}


async def topic_list(session: AsyncSession, viewer: Viewer, tasks: list[Task], topic: str, state: str | None = None) -> Page:
    """"大气那部分一共几项", "水污染方面有哪些任务": a part of the plan or a topic's tasks,
    counted by class and listed in the plan's order, within what the asker may see;
    ``state`` ("逾期") keeps only the tasks in that state ("大气方面逾期的有哪些")."""
    tr = viewer.tr
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids={t.id for t in tasks if visible.allows(t.id)})
    views = sorted(ledger.tasks, key=lambda t: (t.plan_id, ref_order(t.ref)))
    if not ledger.tasks:
        return Page(tr("q.topic.none_visible", topic=esc(topic)))
    counts = ledger.counts()
    tally = tr("q.sep.inline").join(
        f"{MARK[cls]} {class_label(tr, cls)} {tr('q.count', n=counts[cls])}" for cls in ORDER if counts[cls]
    )
    if state in _ASKED_CLASS:
        views = [t for t in views if t.status in _ASKED_CLASS[state]]
        wanted = _ASKED_CLASS[state]
        label = class_label(tr, wanted[0]) if len(wanted) == 1 else tr("q.topic.state_open")
        head = tr("q.topic.list_state", topic=esc(topic), state=label, n=len(views), total=len(ledger.tasks)) + "\n" + tally
    else:
        head = tr("q.topic.list", topic=esc(topic), n=len(views)) + "\n" + tally
    if visible.task_ids is not None:
        head += "\n" + tr("q.unit.partial")
    text = head
    for shown, t in enumerate(views):
        item = task_line(tr, t, viewer.today)
        if len(text) + len(item) > TOPIC_CHARS:
            return Page(text + "\n\n" + tr("q.digest.more", n=len(views) - shown))
        text += "\n\n" + item
    return Page(text)


async def report_count_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """"哪个单位报得最多/最少", "哪个单位证据材料最多": the units on the tasks the asker may see,
    by the reports they have sent in all (this 旬's beside it) or by their evidence files.
    ``arg``: none or 0 most reports first, 1 fewest, 2 most evidence, 3 fewest evidence; a day
    (YYYYMMDD): the reports since then, unit by unit (``reports_by.recent_view``)."""
    if ref.arg is not None and ref.arg > 3:
        return await recent_view(session, viewer, ref)
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    units: dict[int, str] = {}
    for task in ledger:
        for share in task.shares:
            if share.unit_id is not None and share.unit:
                units.setdefault(share.unit_id, share.unit)
    if not units:
        return Page(tr("q.ranking.none"))
    ids = {t.id for t in ledger}
    start = xun_of(viewer.today).start
    reports = await ledger_q.unit_report_counts(session, ids)
    recent = await ledger_q.unit_report_counts(session, ids, datetime.combine(start, time(), tzinfo=viewer.tz))
    by_evidence = ref.arg in (2, 3)
    fewest = ref.arg in (1, 3)
    files: dict[int, int] = {}
    for (_, unit_id), n in (await ledger_q.evidence_counts(session, ids)).items():
        if unit_id is not None:
            files[unit_id] = files.get(unit_id, 0) + n
    main, second = (files, reports) if by_evidence else (reports, recent)
    sign = 1 if fewest else -1
    order = sorted(units, key=lambda u: (sign * main.get(u, 0), sign * second.get(u, 0), units[u]))
    kind = "evidence_" if by_evidence else ""
    head = tr(f"q.reports_rank.title_{kind}{'fewest' if fewest else 'most'}",
              date=fmt_date(tr, viewer.today, date.min), n=len(order), since=fmt_date(tr, start, viewer.today))
    if (await viewer.visibility(session)).task_ids is not None:
        head += "\n" + tr("q.unit.partial")
    # units with none are one line, not a page of zeros: first when the fewest are asked, last otherwise
    silent = [u for u in order if not main.get(u)]
    ranked = [u for u in order if main.get(u)]
    items = [
        tr("q.reports_rank.evidence_line", no=i, unit=esc(units[u]), n=files[u], reports=reports.get(u, 0))
        if by_evidence else tr("q.reports_rank.line", no=i, unit=esc(units[u]), n=reports[u], recent=recent.get(u, 0))
        for i, u in enumerate(ranked, 1)
    ]
    if silent:
        shown = tr("q.sep").join(esc(units[u]) for u in silent[:SILENT_NAMES])
        more = tr("q.digest.more_units", n=len(silent) - SILENT_NAMES) if len(silent) > SILENT_NAMES else ""
        never = tr(f"q.reports_rank.never{'_evidence' if by_evidence else ''}", n=len(silent), units=shown) + more
        items = [never, *items] if fewest else [*items, never]
    return paginate(head, items, ref, tr, per_page=15)
