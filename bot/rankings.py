"""Units ranked by how far behind they are: "哪个单位最落后", "各单位完成情况排名".

A leader asking who lags means: who has the most overdue shares, then the most shares
not reported this 旬, then the lowest average completion. Counted over the shares the
asker may see, from the same ledger as every other view, so the ranking never disagrees
with /unit or /overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Page, Viewer, ViewRef, counts_only, esc, fmt_date, listing, paginate
from bot.ledger import Ledger
from bot.periods import xun_of
from bot.status import StatusClass
from storage import people


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


def unit_loads(ledger: Ledger) -> list[UnitLoad]:
    """Every unit with a share in ``ledger``, the one furthest behind first."""
    start = xun_of(ledger.today).start
    loads: dict[str, UnitLoad] = {}
    for task in ledger:
        for share in task.shares:
            if not share.unit:
                continue
            load = loads.setdefault(share.unit, UnitLoad(share.unit))
            load.total += 1
            load.percents.append(share.percent or 0)
            if share.status is StatusClass.SIGNED_OFF:
                continue
            load.open += 1
            if share.status is StatusClass.OVERDUE:
                load.overdue += 1
            last = share.last_report_at
            if share.status is not StatusClass.ON_TRACK and (last is None or last.astimezone(ledger.tz).date() < start):
                load.not_reported += 1
    return sorted(loads.values(), key=UnitLoad.rank_key)


async def ranking_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """Furthest behind first ("r"; its argument a unit to place: "生态环境局排第几"), or the
    most advanced first ("y": "完成率最高的单位")."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    loads = unit_loads(ledger)
    if not loads:
        return Page(tr("q.ranking.none"))
    best = ref.kind == "y"
    if best:
        # the most advanced by share of their work, so a unit with one small task is not "best" for it
        loads.sort(key=lambda u: (-u.average, u.overdue / u.total, u.not_reported / u.total, -u.total, u.unit))
    head = tr("q.ranking.title_best" if best else "q.ranking.title", date=fmt_date(tr, viewer.today, date.min), n=len(loads))
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
