"""Reports by one person or one unit: "王强报了什么", "市应急管理局最近报了什么".

A leader who knows who is on a task asks about the people and the unit, not the number;
the answer is their newest reports over the tasks the leader may see, each under its task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    TEXT_CHARS,
    TITLE_CHARS,
    Page,
    Viewer,
    ViewRef,
    counting,
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
from bot.ledger import Ledger, ShareView
from bot.periods import Xun, xun_of
from bot.status import StatusClass
from bot.task_refs import ref_order
from bot.unit_names import is_county
from storage import ledger as ledger_q
from storage import people
from storage.models import Report, Task

LIMIT = 60


async def _reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef, *, by_person: bool, limit: int = LIMIT) -> Page:
    tr = viewer.tr
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    wanted = ref.arg or 0
    if by_person:
        name = await people.person_name(session, wanted)
        rows = await ledger_q.reports_by(session, person_id=wanted, task_ids=visible.task_ids, limit=limit)
    else:
        name = await people.unit_name(session, wanted)
        rows = await ledger_q.reports_by(session, unit_id=wanted, task_ids=visible.task_ids, limit=limit)
    if name is None:
        return Page(tr("q.error.stale"))
    if not rows:
        # "no reports" would be false where the reader may not see them all
        key = "q.reports_by.none" if visible.task_ids is None else "q.reports_by.none_visible"
        return Page(tr(key, name=esc(name)))
    items = []
    for report, unit, person, task in rows:
        other = unit if by_person else person
        items.append(_report_item(tr, viewer, task, report, esc(other) if other else ""))
    head = tr("q.reports_by.title", name=esc(name), n=len(rows))
    return paginate(head, items, ref, tr)


def _report_item(tr: Translator, viewer: Viewer, task: Task, report: Report, who: str, more: int = 0) -> str:
    """A report under its task; a report sent by nobody known has no empty name before its text."""
    pct = percent_text(tr, report.percent)
    when = fmt_time(tr, report.created_at, viewer.now) + (f" {who}" if who else "")
    line = (
        f"<b>{esc(task.ref)}</b> {esc(short(task.title, TITLE_CHARS))}\n"
        f"　{when}：{esc(short(report.text, TEXT_CHARS))}" + (tr("q.paren", text=pct) if pct else "")
    )
    return line + (tr("q.recent.more_of_share", n=more + 1) if more else "")


async def person_reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    return await _reports_view(session, viewer, ref, by_person=True)


async def unit_reports_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    return await _reports_view(session, viewer, ref, by_person=False)


async def latest_report_page(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """"水利局最近一次报的什么": the newest report only, of a unit ("g") or a person ("b")."""
    return await _reports_view(session, viewer, ref, by_person=ref.kind == "b", limit=1)


SPAN_SHOWN = 10


async def unit_span_page(session: AsyncSession, viewer: Viewer, unit_id: int, since: date, until: date | None) -> Page:
    """"市水利局本周报了吗": yes with what it reported in the span, or no with when it last did;
    the unit's whole history would not answer the span asked."""
    tr = counting(viewer.tr)
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    name = await people.unit_name(session, unit_id)
    if name is None:
        return Page(tr("q.error.stale"))
    start = datetime.combine(since, time(), tzinfo=viewer.tz)
    end = None if until is None else datetime.combine(until + timedelta(days=1), time(), tzinfo=viewer.tz)
    rows = await ledger_q.reports_by(session, unit_id=unit_id, task_ids=visible.task_ids, limit=SPAN_SHOWN + 1,
                                     since=start, until=end)
    span = {"name": esc(name), "since": fmt_date(tr, since, viewer.today)}
    if until is not None and until != since:
        span["until"] = fmt_date(tr, until, viewer.today)
    between = "" if until is None else "_on" if until == since else "_between"
    if not rows:
        last = await ledger_q.reports_by(session, unit_id=unit_id, task_ids=visible.task_ids, limit=1)
        said = tr(f"q.unit_span.no{between}", **span)
        if last:
            return Page(said + tr("q.unit_span.last", day=fmt_date(tr, last[0][0].created_at.astimezone(viewer.tz), viewer.today)))
        return Page(said + tr("q.unit_span.never"))
    total = await ledger_q.report_count_of(session, unit_id, visible.task_ids, start, end)
    items = [_report_item(tr, viewer, task, report, esc(person) if person else "") for report, _, person, task in rows[:SPAN_SHOWN]]
    lines = [tr(f"q.unit_span.yes{between}", n=total, **span), *items]
    if total > SPAN_SHOWN:
        lines.append(tr("q.unit_span.more", n=total - SPAN_SHOWN))
    return Page("\n\n".join(lines))


RATE_UNITS_SHOWN = 15


def is_county_level(name: str) -> bool:
    """The counties (永城市人民政府) and the 各县(市、区) a plan names them by together."""
    return is_county(name) or name.startswith("各县")


@dataclass(frozen=True)
class RateAsk:
    """What a reporting-rate question narrows to: one unit, the asker's own tasks, the 旬
    before this one, units side by side (lowest or highest rate first)."""

    unit_id: int | None = None
    mine: bool = False
    previous: bool = False
    by_unit: bool = False
    highest: bool = False
    start: date | None = None  # a 旬 named by its month ("1月上旬"), by its first day
    names: bool = False  # "上一旬谁没报": the silent units named, not only counted
    shown: int | None = None  # "报送率最低的三个单位": that many units side by side
    counties: bool = False  # "各县区报送率": the counties only


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
    current = xun_of(viewer.today)
    xun = xun_of(current.start - timedelta(days=1)) if ask.previous else xun_of(ask.start) if ask.start else current
    if xun.start > current.start:
        return Page(tr("q.xun_rate.future", xun=_xun_name(tr, xun, viewer.today)))
    past = xun.start < current.start
    # the 旬 just before this one keeps its own words; any earlier one is called by its name
    named = past and xun != xun_of(current.start - timedelta(days=1))
    start = datetime.combine(xun.start, time(), tzinfo=viewer.tz)
    due = [s for t in ledger for s in t.shares if s.unit and (ask.unit_id is None or s.unit_id == ask.unit_id)
           and (not ask.counties or is_county_level(s.unit))
           and (s.signed_off_at is None or s.signed_off_at.astimezone(viewer.tz).date() >= xun.start)]
    if past:
        until = datetime.combine(xun.end + timedelta(days=1), time(), tzinfo=viewer.tz)
        pairs = await ledger_q.reported_shares_between(session, start, until, {t.id for t in ledger})
        done = [s for s in due if (s.task_id, s.unit_id) in pairs]
    else:
        due = [s for s in due if s.status is not StatusClass.SIGNED_OFF]
        done = [s for s in due if s.last_report_at is not None and s.last_report_at.astimezone(viewer.tz).date() >= xun.start]
    when = {"since": fmt_date(tr, xun.start, viewer.today)}
    if past:
        when["until"] = fmt_date(tr, xun.end, viewer.today)
    if named:
        when["xun"] = _xun_name(tr, xun, viewer.today)
    suffix = "_named" if named else "_previous" if past else ""
    if not due:
        return Page(tr(f"q.xun_rate.none{suffix}", **when))
    lines = [tr(f"q.xun_rate.head{suffix}", **when, rate=_rate(len(done), len(due)), done=len(done), due=len(due))]
    if ask.counties:
        lines.append(tr("q.xun_rate.counties"))
    if ask.unit_id is not None:
        lines[0] = esc(await people.unit_name(session, ask.unit_id) or "") + tr("q.xun_rate.of_unit") + lines[0]
    elif ask.by_unit:
        lines += _by_unit(tr, due, done, ask.highest, ask.shown or RATE_UNITS_SHOWN)
    elif ask.names:
        lines += _silent_units(tr, ledger, due, done)
    else:
        silent = {s.unit for s in due} - {s.unit for s in done}
        if past:
            lines.append(tr("q.xun_rate.silent_previous", n=len(silent)) if silent else tr("q.xun_rate.all_previous"))
        else:
            lines.append(tr("q.xun_rate.silent", n=len(silent)) if silent else tr("q.xun_rate.all"))
    own = viewer.person.unit_id if viewer.person is not None else None
    if ask.mine:
        lines.append(tr("q.window.mine"))
    elif (await viewer.visibility(session)).task_ids is not None and (ask.unit_id is None or ask.unit_id != own):
        lines.append(tr("q.unit.partial"))  # a unit's own rate is whole: it sees all its tasks
    return Page("\n".join(lines))


def _by_unit(tr: Translator, due: list[ShareView], done: list[ShareView], highest: bool, shown: int) -> list[str]:
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
              for i, u in enumerate(order[:shown], 1)]
    if len(order) > shown:
        lines.append(tr("q.load.more", n=len(order) - shown))
    return lines


SILENT_REFS = 8
SILENT_CHARS = 3300
SILENT_NAMES = 40
STALE_CHARS = 2500


def _xun_name(tr: Translator, xun: Xun, today: date) -> str:
    month = tr("q.xun.month", month=xun.start.month) if xun.start.year == today.year \
        else tr("q.xun.year_month", year=xun.start.year, month=xun.start.month)
    return month + tr(f"q.xun.part{xun.part}")


def _silent_units(tr: Translator, ledger: Ledger, due: list[ShareView], done: list[ShareView]) -> list[str]:
    """"上一旬谁没报": each silent unit with its tasks, the units with most first, in one message."""
    reported = {(s.task_id, s.unit_id) for s in done}
    refs = {t.id: t.ref for t in ledger}
    silent: dict[str, list[str]] = {}
    for share in due:
        if (share.task_id, share.unit_id) not in reported:
            silent.setdefault(share.unit or "", []).append(refs.get(share.task_id, ""))
    if not silent:
        return [tr("q.xun_rate.all_previous")]
    lines = ["", tr("q.xun_rate.silent_units", n=len(silent))]
    size = sum(len(line) for line in lines)
    order = sorted(silent, key=lambda u: (-len(silent[u]), u))
    for shown, unit in enumerate(order):
        tasks = silent[unit]
        listed = tr("q.sep").join(esc(r) for r in tasks[:SILENT_REFS]) + ("…" if len(tasks) > SILENT_REFS else "")
        line = tr("q.xun_rate.silent_line", unit=esc(unit), n=len(tasks), refs=listed)
        if size + len(line) > SILENT_CHARS:
            lines.append(tr("q.load.more", n=len(order) - shown))
            break
        lines.append(line)
        size += len(line)
    return lines


async def silent_since_page(
    session: AsyncSession, viewer: Viewer, since: date, *, until: date | None = None, mine: bool = False,
) -> Page:
    """"超过一个月没报的单位": units whose newest report on any task they still owe is older
    than ``since``, or who never reported, each with the day it last reported; with ``until``
    ("上周谁没报"), the units with no report from ``since`` to ``until``, whatever came after.

    Only open shares count: a unit whose every task is signed off owes nothing, and a report
    on a finished task does not show the unit is still working on the rest.
    """
    tr = viewer.tr
    ledger = await listing(session, viewer, mine=mine)
    if ledger is None:
        return await counts_only(session, viewer)
    heard: set[int | None] = set()
    if until is not None:
        start = datetime.combine(since, time(), tzinfo=viewer.tz)
        end = datetime.combine(until + timedelta(days=1), time(), tzinfo=viewer.tz)
        heard = {unit_id for _, unit_id in await ledger_q.reported_shares_between(session, start, end, {t.id for t in ledger})}
    last: dict[str, datetime | None] = {}
    owed: dict[str, int] = {}
    for task in ledger:
        for share in task.shares:
            if not share.unit or share.status is StatusClass.SIGNED_OFF or share.unit_id in heard:
                continue
            owed[share.unit] = owed.get(share.unit, 0) + 1
            at = share.last_report_at
            known = last.get(share.unit)
            last[share.unit] = at if known is None or (at is not None and at > known) else known
    day = {u: at.astimezone(viewer.tz).date() if at is not None else None for u, at in last.items()}
    stale = sorted((u for u, d in day.items() if d is not None and (until is not None or d < since)),
                   key=lambda u: (day[u] or since, u))
    never = sorted((u for u, d in day.items() if d is None), key=lambda u: (-owed[u], u))
    scope = ""
    if mine:
        scope = "\n" + tr("q.window.mine")
    elif (await viewer.visibility(session)).task_ids is not None:
        scope = "\n" + tr("q.unit.partial")
    span = {"since": fmt_date(tr, since, viewer.today)}
    if until is not None:
        span["until"] = fmt_date(tr, until, viewer.today)
    closed = "_between" if until is not None else ""
    if not stale and not never:
        return Page(tr(f"q.silent.none{closed}", **span) + scope)
    lines = [tr(f"q.silent.title{closed}", **span, n=len(stale) + len(never)) + scope]
    if stale:
        lines.append("")
        size = sum(len(line) for line in lines)
        for i, u in enumerate(stale, 1):
            line = tr("q.silent.line", no=i, unit=esc(u), date=fmt_date(tr, day[u], viewer.today), open=owed[u])
            if size + len(line) > STALE_CHARS:  # one message, the never-reported line after it
                lines.append(tr("q.load.more", n=len(stale) - i + 1))
                break
            lines.append(line)
            size += len(line)
    if never:
        shown = tr("q.sep").join(esc(u) for u in never[:SILENT_NAMES])
        more = tr("q.digest.more_units", n=len(never) - SILENT_NAMES) if len(never) > SILENT_NAMES else ""
        lines += ["", tr("q.silent.never", n=len(never), units=shown) + more]
    return Page("\n".join(lines))


def recent_ref(since: date, until: date | None = None) -> ViewRef:
    """Reports since a day (to a day: "上周", "上个月"), one line per unit and task; carried by
    the report-count view's argument as the day (YYYYMMDD) and the days to the last (3 digits),
    which no count ordering (0 to 3) can be."""
    days = "" if until is None else f"{min(max((until - since).days, 0), 999):03d}"
    return ViewRef("c", int(f"{since:%Y%m%d}{days}"))


def recent_span(ref: ViewRef) -> tuple[date, date | None] | None:
    raw = str(ref.arg or 0)
    if len(raw) not in (8, 11):
        return None
    try:
        since = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        return None
    return since, since + timedelta(days=int(raw[8:])) if raw[8:] else None


async def recent_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """"今天有谁报了进展", "本周有什么进展": who reported on what since a day, one line per
    unit and task with its newest report, newest first; a unit that reported twice on a task
    is one line that says how many, not two lines a leader has to reconcile."""
    tr = viewer.tr
    span = recent_span(ref)
    if span is None:
        return Page(tr("q.error.stale"))
    since, until = span
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    start = datetime.combine(since, time(), tzinfo=viewer.tz)
    end = viewer.now + timedelta(seconds=1) if until is None else datetime.combine(until + timedelta(days=1), time(), tzinfo=viewer.tz)
    rows = await ledger_q.reports_between(session, start, end, visible.task_ids)
    when = {"since": fmt_date(tr, since, viewer.today)}
    if until is not None:
        when["until"] = fmt_date(tr, until, viewer.today)
    closed = "_between" if until is not None else ""
    if not rows:
        return Page(tr(f"q.recent.none{closed}", **when))
    newest: dict[tuple[int, int | None], tuple[Report, str | None, str | None]] = {}
    count: dict[tuple[int, int | None], int] = {}
    for row in rows:  # newest first
        key = (row[0].task_id, row[0].unit_id)
        newest.setdefault(key, row)
        count[key] = count.get(key, 0) + 1
    tasks = {t.id: t for t in await ledger_q.tasks(session, {task_id for task_id, _ in newest})}
    items = []
    for key, (report, unit, person) in newest.items():
        task = tasks.get(report.task_id)
        if task is not None:
            who = tr("q.sep").join(esc(x) for x in (unit, person) if x)
            items.append(_report_item(tr, viewer, task, report, who, count[key] - 1))
    units = len({unit_id for _, unit_id in newest})
    # the count of lines folded into one is said only where some were
    if len(newest) == len(rows):
        head = tr(f"q.recent.title{closed}", **when, tasks=len(tasks), n=len(rows))
    else:
        head = tr(f"q.recent.title_shares{closed}", **when, tasks=len(tasks), units=units, n=len(rows))
    return paginate(head, items, ref, tr)


SILENT_TASKS_CHARS = 3300


async def silent_tasks_page(session: AsyncSession, viewer: Viewer, since: date | None) -> Page:
    """"哪些任务一直没人报": open tasks on which no unit has reported at all (``since`` None),
    or not since that day; the tasks nobody is moving, which the 旬 list hides among the units."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)

    def quiet(share: ShareView) -> bool:
        at = share.last_report_at
        return at is None or (since is not None and at.astimezone(viewer.tz).date() < since)

    found = [t for t in ledger if t.status is not StatusClass.SIGNED_OFF and all(quiet(s) for s in t.shares)]
    found.sort(key=lambda t: (t.plan_id, ref_order(t.ref)))
    scope = "\n" + tr("q.unit.partial") if (await viewer.visibility(session)).task_ids is not None else ""
    day = fmt_date(tr, since, viewer.today) if since else ""
    if not found:
        return Page(tr("q.silent_tasks.none_since" if since else "q.silent_tasks.none", since=day) + scope)
    text = tr("q.silent_tasks.title_since" if since else "q.silent_tasks.title", since=day, n=len(found), total=len(ledger)) + scope
    for shown, task in enumerate(found):
        line = "\n" + tr("q.silent_tasks.line", ref=esc(task.ref), title=esc(short(task.title, TITLE_CHARS)),
                         units=len([s for s in task.shares if s.unit]))
        if len(text) + len(line) > SILENT_TASKS_CHARS:
            return Page(text + "\n\n" + tr("q.digest.more", n=len(found) - shown))
        text += line
    return Page(text)
