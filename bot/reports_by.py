"""Reports by one person or one unit: "王强报了什么", "市应急管理局最近报了什么".

A leader who knows who is on a task asks about the people and the unit, not the number;
the answer is their newest reports over the tasks the leader may see, each under its task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    TEXT_CHARS,
    TITLE_CHARS,
    Page,
    Viewer,
    ViewRef,
    counts_only,
    esc,
    fmt_date,
    fmt_time,
    listing,
    paginate,
    percent_text,
    short,
)
from bot.i18n import Translator
from bot.ledger import ShareView
from bot.periods import xun_of
from bot.status import StatusClass
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


RATE_UNITS_SHOWN = 15


@dataclass(frozen=True)
class RateAsk:
    """What a reporting-rate question narrows to: one unit, the asker's own tasks, the 旬
    before this one, units side by side (lowest or highest rate first)."""

    unit_id: int | None = None
    mine: bool = False
    previous: bool = False
    by_unit: bool = False
    highest: bool = False


def _rate(done: int, due: int) -> str:
    return f"{100 * done / due:.1f}".removesuffix(".0")


async def xun_rate_page(session: AsyncSession, viewer: Viewer, ask: RateAsk | None = None) -> Page:
    """"本旬报送率多少": of the task × unit shares still open, how many reported in the 旬,
    over the tasks the asker may see; the number the 旬 调度 is judged by."""
    ask = ask or RateAsk()
    tr = viewer.tr
    ledger = await listing(session, viewer, mine=ask.mine)
    if ledger is None:
        return await counts_only(session, viewer)
    xun = xun_of(viewer.today)
    if ask.previous:
        xun = xun_of(xun.start - timedelta(days=1))
    start = datetime.combine(xun.start, time(), tzinfo=viewer.tz)
    due = [s for t in ledger for s in t.shares if s.unit and (ask.unit_id is None or s.unit_id == ask.unit_id)
           and (s.signed_off_at is None or s.signed_off_at.astimezone(viewer.tz).date() >= xun.start)]
    if ask.previous:
        until = datetime.combine(xun.end + timedelta(days=1), time(), tzinfo=viewer.tz)
        pairs = await ledger_q.reported_shares_between(session, start, until, {t.id for t in ledger})
        done = [s for s in due if (s.task_id, s.unit_id) in pairs]
    else:
        due = [s for s in due if s.status is not StatusClass.SIGNED_OFF]
        done = [s for s in due if s.last_report_at is not None and s.last_report_at.astimezone(viewer.tz).date() >= xun.start]
    when = {"since": fmt_date(tr, xun.start, viewer.today)}
    if ask.previous:
        when["until"] = fmt_date(tr, xun.end, viewer.today)
    if not due:
        return Page(tr("q.xun_rate.none_previous" if ask.previous else "q.xun_rate.none", **when))
    lines = [tr("q.xun_rate.head_previous" if ask.previous else "q.xun_rate.head", **when,
                rate=_rate(len(done), len(due)), done=len(done), due=len(due))]
    if ask.unit_id is not None:
        lines[0] = esc(await people.unit_name(session, ask.unit_id) or "") + tr("q.xun_rate.of_unit") + lines[0]
    elif ask.by_unit:
        lines += _by_unit(tr, due, done, ask.highest)
    else:
        silent = {s.unit for s in due} - {s.unit for s in done}
        if ask.previous:
            lines.append(tr("q.xun_rate.silent_previous", n=len(silent)) if silent else tr("q.xun_rate.all_previous"))
        else:
            lines.append(tr("q.xun_rate.silent", n=len(silent)) if silent else tr("q.xun_rate.all"))
    if ask.mine:
        lines.append(tr("q.window.mine"))
    elif (await viewer.visibility(session)).task_ids is not None:
        lines.append(tr("q.unit.partial"))
    return Page("\n".join(lines))


def _by_unit(tr: Translator, due: list[ShareView], done: list[ShareView], highest: bool) -> list[str]:
    """Each unit's own rate, lowest first ("报送率最低的单位") or highest first."""
    owed: dict[str, int] = {}
    sent: dict[str, int] = {}
    for share in due:
        owed[share.unit or ""] = owed.get(share.unit or "", 0) + 1
    for share in done:
        sent[share.unit or ""] = sent.get(share.unit or "", 0) + 1
    order = sorted(owed, key=lambda u: ((-1 if highest else 1) * sent.get(u, 0) / owed[u], -owed[u], u))
    lines = ["", tr("q.xun_rate.by_unit_high" if highest else "q.xun_rate.by_unit_low")]
    lines += [tr("q.xun_rate.unit_line", no=i, unit=esc(u), done=sent.get(u, 0), due=owed[u], rate=_rate(sent.get(u, 0), owed[u]))
              for i, u in enumerate(order[:RATE_UNITS_SHOWN], 1)]
    if len(order) > RATE_UNITS_SHOWN:
        lines.append(tr("q.load.more", n=len(order) - RATE_UNITS_SHOWN))
    return lines
