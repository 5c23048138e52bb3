"""The 旬 digest (调度) and the monthly 通报, pushed through the scheduler.

On the last day of each 旬 and month (or the working day before: the scheduler's
``xun_end``/``month_end`` rules), each bound 责任领导 gets a digest of the tasks they lead
and each admin one of everything: what moved in the period, what is overdue, and which
units have not reported. The month's 通报 also ranks the units by on-time reporting — the
share of their (task, 旬) pairs in the month with a report inside that 旬 — which is the
figure 整改办 circulars have always led with.

One outbox row per person per period, under ``digest:<kind>:<period start>:<person>``:
firing twice (two processes, a replayed slot) cannot send twice. The 下旬 ends with its
month, so on that day the month's 通报 carries the 旬's laggards and no separate 旬
digest goes out: one message, as the 整改办 would send.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import permissions
from bot.cards import MARK, counting, esc, fmt_date, short
from bot.i18n import Translator
from bot.ledger import ORDER, Ledger, load
from bot.periods import month_bounds, next_xun, xun_digests_on, xun_of
from bot.permissions import Action, Scope
from bot.scheduler import action, runs_on
from bot.status import StatusClass
from bot.workdays import WorkCalendar
from storage import ledger as ledger_q
from storage import outbox as outbox_q
from storage import people
from storage import schedules as schedules_q
from storage.models import Schedule

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services

log = logging.getLogger(__name__)

DIGEST_AT = "17:00"
SECTION_ITEMS = 10
RANK_ITEMS = 15
MESSAGE_CHARS = 3900


def digest_time(settings: Settings | None) -> str:
    """RECTIBOT_DIGEST_AT (HH:MM), default 17:00; a bad value falls back with a log line."""
    raw = (settings.extra.get("RECTIBOT_DIGEST_AT") or "").strip() if settings is not None else ""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    if raw:
        log.warning("RECTIBOT_DIGEST_AT=%r is not HH:MM; using %s", raw, DIGEST_AT)
    return DIGEST_AT


async def ensure_schedules(session: AsyncSession, settings: Settings | None = None) -> None:
    """The two digest schedules (旬 end, month end) at RECTIBOT_DIGEST_AT.

    A row is made once; when the setting changes it follows the setting, otherwise an
    admin's edit of the row (time, or ``enabled``) is kept.
    """
    at = digest_time(settings)
    for name, kind, rule in (("xun-digest", "xun_digest", "xun_end"), ("month-digest", "month_digest", "month_end")):
        row = await schedules_q.ensure(session, name=name, kind=kind, rule=rule, at=at, params={"setting": at})
        if settings is not None and row.params.get("setting") != at:
            row.at = at
            row.params = {**row.params, "setting": at}


@dataclass(frozen=True)
class Period:
    kind: str  # "xun" | "month" | "day" (the 每日简报, asked for, never pushed)
    start: date
    end: date

    def label(self, tr: Translator) -> str:
        if self.kind == "day":
            return tr("q.digest.day_label", y=self.start.year, m=self.start.month, d=self.start.day)
        if self.kind == "month":
            return tr("q.digest.month_label", y=self.start.year, m=self.start.month)
        return tr("q.digest.xun_label", y=self.start.year, m=self.start.month, part=self.part_name(tr))

    def part_name(self, tr: Translator) -> str:
        """上旬, 中旬 or 下旬 of the month the period starts in."""
        return tr(f"q.digest.part{(self.start.day - 1) // 10}")

    def xuns(self) -> list[tuple[date, date]]:
        if self.kind == "xun":
            return [(self.start, self.end)]
        found = []
        x = xun_of(self.start)
        while x.start <= self.end:
            found.append((x.start, x.end))
            x = next_xun(x)
        return found


def period_for(kind: str, day: date, cal: WorkCalendar) -> Period:
    """The 旬 or month whose digest goes out on ``day``."""
    if kind == "month":
        start, end = month_bounds(day)
        return Period("month", start, end)
    xuns = xun_digests_on(day, cal)
    x = xuns[-1] if xuns else xun_of(day)
    return Period("xun", x.start, x.end)


def _at(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


@dataclass
class Facts:
    """What one digest says, gathered once per scope."""

    ledger: Ledger
    moved: list[tuple[str, str, str, str, int | None]]  # ref, title, unit, text, percent
    reports: int
    silent: dict[str, list[str]]  # unit -> refs without a report in the period
    ranking: list[tuple[str, int, int]]  # unit, reported (share, 旬) pairs, expected


async def gather(
    session: AsyncSession, period: Period, now: datetime, task_ids: set[int] | None
) -> Facts:
    tz = now.tzinfo
    assert tz is not None
    ledger = await load(session, today=now.date(), tz=tz, task_ids=task_ids)
    ids = {t.id for t in ledger}
    start = _at(period.start, tz)
    rows = await ledger_q.reports_between(session, start, now + timedelta(seconds=1), ids) if ids else []
    by_id = {t.id: t for t in ledger}
    moved: list[tuple[str, str, str, str, int | None]] = []
    seen: set[tuple[int, int | None]] = set()
    for report, unit, _person in rows:
        key = (report.task_id, report.unit_id)
        task = by_id.get(report.task_id)
        if key in seen or task is None:
            continue
        seen.add(key)
        moved.append((task.ref, task.title, unit or "", report.text, report.percent))

    silent: dict[str, list[str]] = {}
    for task in ledger:
        for share in task.shares:
            if share.unit and share.status is not StatusClass.SIGNED_OFF and (task.id, share.unit_id) not in seen:
                silent.setdefault(share.unit, []).append(task.ref)

    ranking: list[tuple[str, int, int]] = []
    if period.kind == "month" and ids:
        tallies: dict[str, list[int]] = {}
        for x_start, x_end in period.xuns():
            if x_start > now.date():
                continue
            until = min(_at(x_end + timedelta(days=1), tz), now + timedelta(seconds=1))
            reported = await ledger_q.reported_shares_between(session, _at(x_start, tz), until, ids)
            for task in ledger:
                for share in task.shares:
                    if share.unit is None:
                        continue
                    closed_before = share.signed_off_at is not None and share.signed_off_at < _at(x_start, tz)
                    if closed_before:
                        continue
                    tally = tallies.setdefault(share.unit, [0, 0])
                    tally[1] += 1
                    tally[0] += (task.id, share.unit_id) in reported
        ranking = sorted(
            ((unit, done, expected) for unit, (done, expected) in tallies.items() if expected),
            key=lambda r: (-r[1] / r[2], -r[2], r[0]),
        )
    return Facts(ledger=ledger, moved=moved, reports=len(rows), silent=silent, ranking=ranking)


def _without_ref(text: str, ref: str) -> str:
    """"1-12 黑臭水体整治完成60%" under the line that already names 1-12: the number once."""
    return re.sub(rf"^\s*(?:任务)?\s*{re.escape(ref)}(?![\d-])\s*(?:号任务|任务)?\s*[:：,，]?\s*", "", text) or text


def _says_percent(text: str, pct: int) -> bool:
    return re.search(rf"(?<!\d){pct}\s*[%％]", text) is not None


def _section(title: str, items: list[str], tr: Translator, more: str = "q.digest.more") -> str:
    shown = items[:SECTION_ITEMS]
    text = title + "\n" + "\n".join(shown)
    if len(items) > len(shown):
        text += "\n" + tr(more, n=len(items) - len(shown))
    return text


def compose(
    tr: Translator, period: Period, facts: Facts, now: datetime, scope_key: str, xun: tuple[Period, Facts] | None = None
) -> str:
    """The digest text, under ``MESSAGE_CHARS`` whatever the plan's size; with ``xun``, the
    month's 通报 also names the units that have not reported in its last 旬."""
    tr = counting(tr)
    today = now.date()
    ledger = facts.ledger
    counts = ledger.counts()
    day = period.kind == "day"
    head = tr(f"q.digest.title_{period.kind}", label=period.label(tr))
    if xun is not None:
        head += tr("q.digest.with_xun", xun=xun[0].part_name(tr))
    summary = tr(scope_key, n=len(ledger)) + "\n" + tr("q.sep.inline").join(
        f"{MARK[cls]}{tr(f'q.class.{cls.value}')} {counts[cls]}" for cls in ORDER
    )
    parts = [head, summary]

    moved = [
        f"• <b>{esc(ref)}</b> {esc(short(title, 20))} {esc(unit)}：{esc(short(_without_ref(text, ref), 50))}"
        + (tr("q.paren", text=tr("q.percent", percent=pct)) if pct is not None and not _says_percent(text, pct) else "")
        for ref, title, unit, text, pct in facts.moved
    ]
    tasks_moved = len({m[0] for m in facts.moved})
    moved_key = "q.digest.moved_day" if day else "q.digest.moved"
    parts.append(
        _section(tr(moved_key, tasks=tasks_moved, n=facts.reports), moved, tr) if moved else tr(moved_key + "_none")
    )

    late = ledger.overdue()
    late_items = [
        f"• <b>{esc(t.ref)}</b> {esc(short(t.title, 20))} "
        + tr("q.digest.late_item", days=t.days_overdue, units=tr("q.sep").join(esc(s.unit or "") for s in t.behind))
        for t in late
    ]
    parts.append(_section(tr("q.digest.overdue", n=len(late)), late_items, tr) if late else tr("q.digest.overdue_none"))

    if day:
        # a day is too short to count who has not reported: the 旬 is the reporting period
        soon = ledger.due_soon()
        soon_items = [
            f"• <b>{esc(t.ref)}</b> {esc(short(t.title, 20))} "
            + tr("q.digest.due_item", due=fmt_date(tr, t.next_due, today),
                 units=tr("q.sep").join(esc(s.unit or "") for s in t.behind) or tr("q.none"))
            for t in soon
        ]
        parts.append(_section(tr("q.digest.due_soon", n=len(soon)), soon_items, tr) if soon else tr("q.digest.due_soon_none"))
        quiet = ledger.not_reported()
        if quiet:
            parts.append(tr("q.digest.silent_xun", units=len(quiet), n=sum(len(v) for v in quiet.values())))
        parts.append(tr("q.digest.footer", date=fmt_date(tr, today, today), time=f"{now:%H:%M}"))
        return _fit("\n\n".join(parts))
    silent_items = _silent_lines(tr, facts.silent)
    parts.append(
        _section(tr("q.digest.silent", n=len(silent_items)), silent_items, tr, "q.digest.more_units") if silent_items else tr("q.digest.silent_none")
    )

    if xun is not None:
        xun_items = _silent_lines(tr, xun[1].silent)
        part = xun[0].part_name(tr)
        parts.append(
            _section(tr("q.digest.silent_in_xun", xun=part, n=len(xun_items)), xun_items, tr, "q.digest.more_units")
            if xun_items else tr("q.digest.silent_in_xun_none", xun=part)
        )

    if period.kind == "month" and facts.ranking:
        rank_items = [
            tr("q.digest.rank_item", rank=i + 1, unit=esc(unit), rate=round(100 * done / expected), done=done, expected=expected)
            for i, (unit, done, expected) in enumerate(facts.ranking[:RANK_ITEMS])
        ]
        if len(facts.ranking) > RANK_ITEMS:
            rank_items.append(tr("q.digest.more_units", n=len(facts.ranking) - RANK_ITEMS))
        parts.append(tr("q.digest.ranking") + "\n" + "\n".join(rank_items))
    parts.append(tr("q.digest.footer", date=fmt_date(tr, today, today), time=f"{now:%H:%M}"))
    return _fit("\n\n".join(parts))


def _silent_lines(tr: Translator, silent: dict[str, list[str]]) -> list[str]:
    """One line per unit that has not reported, the most behind first, its first eight tasks."""
    ordered = sorted(silent.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [f"• {esc(unit)}：{tr('q.sep').join(esc(r) for r in refs[:8])}" + ("…" if len(refs) > 8 else "")
            for unit, refs in ordered]


def _fit(text: str) -> str:
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 1].rsplit("\n", 1)[0] + "\n…"
    return text


async def send_digests(session: AsyncSession, services: Services, kind: str, slot: datetime) -> int:
    """Queue this period's digest for every admin and every bound leader; returns rows queued."""
    settings = services.settings
    now = slot
    cal = services.extras.get("calendar")
    cal = cal if isinstance(cal, WorkCalendar) else WorkCalendar()
    folded = await _xun_and_month_today(session, now.date(), cal)
    if kind == "xun" and folded:
        log.info("xun digest for %s goes out inside the month's 通报", now.date())
        return 0
    period = period_for(kind, now.date(), cal)
    xun_period = period_for("xun", now.date(), cal) if folded else None
    queued = 0
    admins = await people.admin_chat_ids(session, sorted(settings.admins))
    everything: Facts | None = None
    everything_xun: Facts | None = None
    recipients: list[tuple[int, int | None, set[int] | None]] = []
    for chat_id in admins:
        person = await ledger_q.person_by_telegram(session, chat_id)
        recipients.append((chat_id, person.id if person else None, None))
    for leader in await ledger_q.bound_leaders(session):
        if leader.telegram_id is None or leader.telegram_id in admins:
            continue
        led = await ledger_q.task_ids_led_by(session, leader.id)
        if led:
            recipients.append((leader.telegram_id, leader.id, led))
    for chat_id, person_id, scope in recipients:
        xun: tuple[Period, Facts] | None = None
        if scope is None:
            everything = everything or await gather(session, period, now, None)
            facts = everything
            if xun_period is not None:
                everything_xun = everything_xun or await gather(session, xun_period, now, None)
                xun = (xun_period, everything_xun)
        else:
            facts = await gather(session, period, now, scope)
            if xun_period is not None:
                xun = (xun_period, await gather(session, xun_period, now, scope))
        if not len(facts.ledger):
            continue
        user = await people.get_user(session, chat_id)
        lang = (user.language if user and user.language else None) or settings.locale
        tr = Translator(lang)
        text = compose(tr, period, facts, now, "q.digest.scope_all" if scope is None else "q.digest.scope_led", xun)
        who = f"p{person_id}" if person_id is not None else f"tg{chat_id}"
        row = await outbox_q.enqueue(
            session,
            key=f"digest:{period.kind}:{period.start.isoformat()}:{who}",
            kind=f"{period.kind}_digest",
            chat_id=chat_id,
            method="sendMessage",
            payload={"chat_id": chat_id, "text": text, "parse_mode": "HTML"},
            now=services.clock.now(),
            push=True,
            person_id=person_id,
        )
        queued += row is not None
    log.info("%s digest for %s: %d queued", period.kind, period.start, queued)
    return queued


async def _xun_and_month_today(session: AsyncSession, day: date, cal: WorkCalendar) -> bool:
    """Whether the 旬 digest and the month's 通报 both go out on ``day`` (a month's last 旬)."""
    kinds = {
        s.kind for s in await schedules_q.enabled(session)
        if s.kind in ("xun_digest", "month_digest") and runs_on(s.rule, day, cal)
    }
    return kinds == {"xun_digest", "month_digest"}


# "本旬通报", "发一下这个月的调度通报", "上旬的旬报": a digest asked for, not waited for.
_DIGEST_REQUEST = re.compile(
    r"^(?:请|麻烦)?(?:把|将)?(?:发|来|看看?|查看|要)?(?:一下|一份|个)?(?:最新一期|最新的?|近一期)?"
    r"(?P<when>本旬|这一?旬|本月|这个?月|上一?旬|上个?月|中旬|下旬)?的?"
    r"(?:调度)?(?P<what>通报|简报|旬报|月报|调度情况|调度)(?:发我|发给我|发一下|发过来|给我|看看)?(?:一份|一下)?$"
)


# "本旬汇总", "这个月的情况汇总一下", "send me this period's digest": the digest by its
# other names, in a short message with a period or a verb asking for it.
_DIGEST_WORD = re.compile(
    r"汇总|通报|简报|(?<![这本上中下每当一])旬报(?![了过送告])|(?<![这个本上每当])月报(?![了过送告])|调度情况|digest|summary|round-?up", re.I
)
""""这个月报了几次", "市城管局本旬报了没有": reports in the period; they ask for no 月报 or 旬报."""
_PERIOD = re.compile(r"本旬|这一?旬|本月|这个?月|上一?旬|上个?月|中旬|下旬|最新|this (?:period|month)|last (?:period|month)|monthly", re.I)
_ASKING = re.compile(r"发|看|要|来|给我|send|show|give|get", re.I)
_PROGRESS_SAID = re.compile(r"已|完成|\d+\s*[-－]\s*\d+|发给(?!我)|转发|下发|各县|各单位|各部门")


# "上旬" is the month's first ten days, "上一旬" the 旬 before this one.
_NAMED_XUN = re.compile(r"(?<![一个])(?P<part>上|中|下)旬")


def named_xun(text: str) -> int | None:
    """1, 2 or 3 when a request names the month's 上旬, 中旬 or 下旬 (not "上一旬")."""
    m = _NAMED_XUN.search(text)
    return None if m is None else "上中下".index(m.group("part")) + 1


# "每日简报", "今天的简报", "发一下今日小结": the day's short summary.
_DAY_REQUEST = re.compile(
    r"^(?:请|麻烦)?(?:把|将)?(?:发|来|看看?|查看|要|给我)?(?:一下|一份|个)?(?:每日|今日|今天|当日|每天|本日)的?(?:整改)?(?:工作)?"
    r"(?:简报|日报|小结|汇总|情况汇总|通报|动态)(?:发我|发给我|发一下|发过来|给我|看看)?(?:一份|一下)?$"
    r"|^(?:整改)?日报$"
    r"|^(?:the )?(?:daily (?:brief|briefing|summary|digest|report)|today'?s (?:brief|briefing|digest|summary))$",
    re.I,
)


def digest_request(text: str) -> tuple[str, bool] | None:
    """(kind, previous period?) of a request for a digest in words, else None."""
    words = re.sub(r"[\s。！!？?]+", " ", text).strip().rstrip(".")
    if _DAY_REQUEST.match(words if words.isascii() else words.replace(" ", "")):
        return "day", False
    m = _DIGEST_REQUEST.match(re.sub(r"[\s。！!]+", "", text))
    if m is not None:
        when = m.group("when") or ""
        kind = "month" if "月" in when or m.group("what") == "月报" else "xun"
        return kind, when.startswith("上") and named_xun(when) is None
    words = re.sub(r"[\s。！!？?，,.']+", "", text)
    if len(words) > 30 or not _DIGEST_WORD.search(text) or _PROGRESS_SAID.search(text):
        return None
    period = _PERIOD.search(text)
    if period is None and not _ASKING.search(text):
        return None
    said = (period.group(0) if period else "").lower()
    monthly = "月" in said or "month" in said or "月报" in text
    return ("month" if monthly else "xun"), said.startswith(("上", "last")) and named_xun(said) is None


async def digest_for(
    session: AsyncSession, *, roles: Sequence[str], person_id: int | None, kind: str, previous: bool,
    tr: Translator, now: datetime, part: int | None = None,
) -> str | None:
    """The digest a person may receive, on demand: everything for the 整改办, a leader's own
    tasks for a leader; None for anyone who receives no digests."""
    granted = permissions.scope(roles, Action.DIGEST)
    if granted is Scope.ALL:
        led = None
    elif granted is Scope.NONE or person_id is None:
        return None
    else:
        led = await ledger_q.task_ids_led_by(session, person_id)
    return await digest_now(session, kind=kind, previous=previous, task_ids=led, tr=tr, now=now, part=part)


async def digest_now(
    session: AsyncSession, *, kind: str, previous: bool, task_ids: set[int] | None, tr: Translator, now: datetime,
    part: int | None = None,
) -> str:
    """The 旬 or month digest on demand: the current period so far, or the previous one, or
    the named 旬 (``part``) of this month — of last month while this month's is still to come."""
    today = now.date()
    if kind == "day":
        start, end = today, today
    elif kind == "month":
        start, end = month_bounds(today.replace(day=1) - timedelta(days=1) if previous else today)
    elif part is not None:
        x = xun_of(today.replace(day=(1, 11, 21)[part - 1]))
        if x.start > today:
            x = xun_of((today.replace(day=1) - timedelta(days=1)).replace(day=(1, 11, 21)[part - 1]))
        start, end = x.start, x.end
    else:
        x = xun_of(xun_of(today).start - timedelta(days=1)) if previous else xun_of(today)
        start, end = x.start, x.end
    period = Period(kind, start, end)
    until = min(now, datetime.combine(end, time(23, 59, 59), tzinfo=now.tzinfo))
    facts = await gather(session, period, until, task_ids)
    return compose(tr, period, facts, until, "q.digest.scope_all" if task_ids is None else "q.digest.scope_led")


@action("xun_digest")
async def _xun_digest(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    await send_digests(session, services, "xun", slot)


@action("month_digest")
async def _month_digest(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    await send_digests(session, services, "month", slot)
