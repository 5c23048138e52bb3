"""What the leaders' commands show: the status page, lists and the task card, as pages.

Every answer is HTML (names and texts escaped), laid out for a phone, and cut into pages
that stay well under Telegram's 4,096 characters; pages turn with ``q:`` buttons whose
data names the view, its argument and the page. Pressing a button renders the view again
for whoever pressed it, with that person's visibility, so a button passed around a group
shows nobody more than they may see.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.example_refs import example_ref
from bot.i18n import Translator, catalog
from bot.ledger import ORDER, Ledger, ShareView, TaskView, load, visibility
from bot.permissions import Action, Visibility, may
from bot.status import StatusClass
from bot.turns import Button, Turn
from bot.unit_names import shared_levels
from storage import ledger as ledger_q
from storage import people
from storage import reports as reports_q
from storage.models import Person

PAGE_CHARS = 3500
"""A page's budget, comfortably under Telegram's 4,096 (captions and entities included)."""
LIST_ITEMS = 8
TITLE_CHARS = 30
TEXT_CHARS = 160

MARK = {
    StatusClass.OVERDUE: "🔴",
    StatusClass.DUE_SOON: "🟠",
    StatusClass.NOT_REPORTED: "🟡",
    StatusClass.ON_TRACK: "🟢",
    StatusClass.SIGNED_OFF: "✅",
}

KINDS = {
    "s": "status",
    "o": "overdue",
    "d": "due_soon",
    "n": "not_reported",
    "u": "unit",
    "m": "mine",
    "t": "task",
    "k": "task",
    "w": "recent",
    "x": "signed_off",
    "h": "history",
    "p": "due_window",
    "f": "finished",
    "r": "ranking",
    "y": "ranking_best",
    "v": "counties",
    "j": "ranking_mine",
    "z": "cut",
    "l": "led",
    "e": "led_overdue",
    "a": "ranking_top",
    "b": "reports_by_person",
    "g": "reports_by_unit",
    "N": "led_not_reported",
    "c": "report_counts",
    "i": "evidence",
    "q": "extensions",
}
_DATA = re.compile(r"^q:([a-zA-Z]):(-|\d{1,12}):(\d{1,4})$")


@dataclass(frozen=True)
class ViewRef:
    """A view and its page, as carried in callback data (``q:<kind>:<arg>:<page>``).

    Pressing a button edits its message into the view, except ``k`` (a task card opened
    from a list or an answer), which arrives as a new message so the list stays.
    """

    kind: str
    arg: int | None = None
    page: int = 0

    def data(self, page: int | None = None) -> str:
        arg = "-" if self.arg is None else str(self.arg)
        return f"q:{self.kind}:{arg}:{self.page if page is None else page}"

    @classmethod
    def parse(cls, data: str) -> ViewRef | None:
        """Strict parsing: anything not made by ``data`` is None (forged or stale input)."""
        m = _DATA.match(data or "")
        if m is None or m.group(1) not in KINDS:
            return None
        kind, arg, page = m.group(1), m.group(2), int(m.group(3))
        needs_arg = kind in ("u", "t", "k", "w", "h", "p", "l", "e", "a", "b", "g", "z", "N", "i")
        optional = kind in ("f", "o", "d", "n", "r", "y", "c", "q")  # an argument narrows the list (a date, or 1: mine)
        if not optional and needs_arg == (arg == "-"):
            return None
        return cls(kind, None if arg == "-" else int(arg), page)


class Counting(Translator):
    """A translator that says "1 task", not "1 tasks": where a count given as a parameter is 1,
    the message's ``<key>.one:<param>`` form is used if the catalogs have one (several
    counts of 1: ``<key>.one:<a>+<b>``, names sorted). Languages without singular forms
    keep the same text under those keys."""

    def __call__(self, key: str, /, **params: object) -> str:
        ones = sorted(k for k, v in params.items() if type(v) is int and v == 1)
        if ones:
            known = catalog(self.lang)
            for variant in [f"{key}.one:{'+'.join(ones)}", *(f"{key}.one:{name}" for name in ones)]:
                if variant in known:
                    return super().__call__(variant, **params)
        return super().__call__(key, **params)


def counting(tr: Translator) -> Translator:
    """``tr`` with singular forms for counts of one (see ``Counting``)."""
    return tr if isinstance(tr, Counting) else Counting(tr.lang)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, where, in which language and when."""

    person: Person | None
    roles: frozenset[str]
    lang: str
    now: datetime
    chat_id: int | None = None
    chat_type: str = "private"

    @classmethod
    def of(cls, turn: Turn) -> Viewer:
        chat = turn.update.effective_chat
        return cls(
            person=turn.person,
            roles=frozenset(turn.roles),
            lang=turn.lang,
            now=turn.now,
            chat_id=chat.id if chat else None,
            chat_type=chat.type if chat else "private",
        )

    @property
    def tr(self) -> Translator:
        return Counting(self.lang)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def tz(self) -> tzinfo:
        zone = self.now.tzinfo
        assert zone is not None, "the bot clock gives aware times"
        return zone

    @property
    def known(self) -> bool:
        return self.person is not None or "admin" in self.roles

    async def visibility(self, session: AsyncSession, action: Action = Action.SEE_TASK) -> Visibility:
        return await visibility(
            session, self.person, self.roles, action=action, chat_id=self.chat_id, chat_type=self.chat_type
        )


@dataclass
class Page:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)


# ---- formatting ---------------------------------------------------------------------------


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def short(text: str, limit: int) -> str:
    clean = " ".join((text or "").split())  # as re.sub(r"\s+", " ") and strip, without the regex
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def fmt_date(tr: Translator, d: date | datetime | None, today: date) -> str:
    if d is None:
        return "—"
    day = d.date() if isinstance(d, datetime) else d
    if day.year != today.year:
        return tr("q.fmt.date_year", y=day.year, m=day.month, d=day.day)
    return tr("q.fmt.date", m=day.month, d=day.day)


def fmt_time(tr: Translator, at: datetime | None, now: datetime) -> str:
    if at is None:
        return "—"
    local = at.astimezone(now.tzinfo)
    return f"{fmt_date(tr, local, now.date())} {local:%H:%M}"


def names(tr: Translator, items: Sequence[str]) -> str:
    return tr("q.sep").join(esc(i) for i in items) if items else tr("q.none")


def class_label(tr: Translator, cls: StatusClass) -> str:
    return tr(f"q.class.{cls.value}")


def percent_text(tr: Translator, percent: int | None) -> str:
    return tr("q.percent", percent=percent) if percent is not None else ""


def state_text(tr: Translator, status: StatusClass, days: int, due: date | None, percent: int | None, today: date) -> str:
    """One share's or task's state in a few words: 逾期 12 天 / 临期：1月31日到期 / …"""
    if status is StatusClass.OVERDUE:
        text = tr("q.state.overdue", days=days, due=fmt_date(tr, due, today))
    elif status is StatusClass.DUE_SOON:
        text = tr("q.state.due_soon", due=fmt_date(tr, due, today))
    else:
        text = class_label(tr, status)
    extra = percent_text(tr, percent)
    return f"{text}{tr('q.sep.inline')}{extra}" if extra and status is not StatusClass.SIGNED_OFF else text


def earliest_open_due(task: TaskView) -> date | None:
    dues = [m.due for m in task.milestones if m.done_at is None and m.due is not None]
    return min(dues) if dues else None


def task_head(task: TaskView) -> str:
    return f"{MARK[task.status]} <b>{esc(task.ref)}</b> {esc(short(task.title, TITLE_CHARS))}"


def task_line(tr: Translator, task: TaskView, today: date, *, units_behind: bool = False) -> str:
    state = state_text(tr, task.status, task.days_overdue, earliest_open_due(task), task.percent, today)
    lines = [task_head(task), f"　{state}"]
    if units_behind:
        behind = [s.unit for s in task.shares if s.behind and s.unit]
        if behind:
            lines.append("　" + tr("q.line.behind", units=names(tr, behind)))
        if task.leaders:
            lines.append("　" + tr("q.line.leaders", names=names(tr, task.leaders)))
    return "\n".join(lines)


def clip_html(text: str, limit: int) -> str:
    """Cut our HTML at ``limit`` without leaving half a tag or entity or an open <b>."""
    if len(text) <= limit:
        return text
    cut = re.sub(r"<[^>]*$|&[^;\s]*$", "", text[: limit - 5]) + "…"
    if cut.count("<b>") > cut.count("</b>"):
        cut += "</b>"
    return cut


def split_lines(text: str, limit: int) -> list[str]:
    """A long section as chunks of whole lines, each at most ``limit`` characters."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = clip_html(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return chunks


def paginate(head: str, items: Sequence[str], ref: ViewRef, tr: Translator, *, per_page: int = LIST_ITEMS) -> Page:
    """Pack ``items`` under ``head`` into pages (by count and by characters); return ``ref.page``."""
    pages: list[list[str]] = [[]]
    size = len(head)
    for item in items:
        item = clip_html(item, PAGE_CHARS // 2)
        current = pages[-1]
        if current and (len(current) >= per_page or size + len(item) + 2 > PAGE_CHARS):
            pages.append([])
            size = len(head)
            current = pages[-1]
        current.append(item)
        size += len(item) + 2
    total = len(pages)
    index = min(max(ref.page, 0), total - 1)
    body = "\n\n".join(pages[index])
    text = head if not body else f"{head}\n\n{body}"
    buttons: list[list[Button]] = []
    if total > 1:
        text += "\n\n" + tr("q.page", page=index + 1, pages=total)
        nav: list[Button] = []
        if index > 0:
            nav.append((tr("q.button.prev"), ref.data(index - 1)))
        if index < total - 1:
            nav.append((tr("q.button.next"), ref.data(index + 1)))
        buttons.append(nav)
    return Page(text, buttons)


# ---- views --------------------------------------------------------------------------------


async def _ledger(session: AsyncSession, viewer: Viewer, visible: Visibility) -> Ledger:
    return await load(session, today=viewer.today, tz=viewer.tz, task_ids=visible.task_ids)


async def listing(session: AsyncSession, viewer: Viewer, *, mine: bool = False) -> Ledger | None:
    """The viewer's ledger for a list that names tasks; None where only counts may be shown.

    ``mine``: only the viewer's own tasks ("我分管的有哪些逾期", "我们单位还有哪些没报").
    """
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return None
    if not mine:
        return await _ledger(session, viewer, visible)
    own = await own_task_ids(session, viewer)
    wanted = own if visible.task_ids is None else own & visible.task_ids
    return await load(session, today=viewer.today, tz=viewer.tz, task_ids=wanted)


async def own_task_ids(session: AsyncSession, viewer: Viewer) -> set[int]:
    """Tasks that are the viewer's own: those they lead, their unit's, and their county's
    (township's) share of the tasks naming 各县(市、区) (各乡镇)."""
    person = viewer.person
    if person is None:
        return set()
    led = await ledger_q.task_ids_led_by(session, person.id) if "leader" in viewer.roles else set()
    if person.unit_id is None:
        return led
    own = await ledger_q.task_ids_of_unit(session, person.unit_id)
    levels = shared_levels(await people.unit_name(session, person.unit_id) or "")
    shared = await reports_q.county_share_tasks(session, levels) if levels else set()
    return led | own | shared


def counts_block(tr: Translator, ledger: Ledger) -> str:
    counts = ledger.counts()
    rows = [tr("q.status.total", total=len(ledger))]
    rows += [f"{MARK[cls]} {class_label(tr, cls)} {tr('q.count', n=counts[cls])}" for cls in ORDER]
    return "\n".join(rows)


async def counts_only(session: AsyncSession, viewer: Viewer) -> Page:
    """Where only counts may be shown (an unregistered group), the counts, not just the rule."""
    tr = viewer.tr
    ledger = await _ledger(session, viewer, await viewer.visibility(session))
    head = tr("q.status.title", date=fmt_date(tr, viewer.today, date.min)) + "\n" + counts_block(tr, ledger)
    return Page(head + "\n\n" + tr("q.group.counts_only"))


async def status_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    visible = await viewer.visibility(session)
    ledger = await _ledger(session, viewer, visible)
    head = tr("q.status.title", date=fmt_date(tr, viewer.today, date.min)) + "\n" + counts_block(tr, ledger)
    if visible.counts_only:
        return Page(head + "\n\n" + tr("q.group.counts_only"))
    worst = ledger.worst()
    if not worst:
        return Page(head + "\n\n" + tr("q.status.all_well"))
    # Late and nearly due tasks are listed; the unreported ones, often most of a young plan,
    # are counted, with the question that lists them by unit.
    urgent = [t for t in worst if t.status in (StatusClass.OVERDUE, StatusClass.DUE_SOON)]
    quiet = len(worst) - len(urgent)
    note = "\n\n" + tr("q.status.unreported", n=quiet) if quiet else ""
    if not urgent:
        return Page(head + note)
    head += "\n\n" + tr("q.status.attention", n=len(urgent))
    page = paginate(head, [task_line(tr, t, viewer.today) for t in urgent], ref, tr)
    if ref.page == 0 or len(page.buttons) == 0:
        page.text += note
    return page


async def signed_off_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """已销号 tasks: what a leader asks when counting what is finished for good."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    done = ledger.in_class(StatusClass.SIGNED_OFF)
    if not done:
        return Page(tr("q.signed_off.none", date=fmt_date(tr, viewer.today, date.min)))
    head = tr("q.signed_off.title", n=len(done), date=fmt_date(tr, viewer.today, date.min))
    return paginate(head, [task_line(tr, t, viewer.today) for t in done], ref, tr)


async def overdue_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    ledger = await listing(session, viewer, mine=ref.arg == 1)
    if ledger is None:
        return await counts_only(session, viewer)
    late = ledger.overdue()
    if not late:
        return Page(tr("q.overdue.none", date=fmt_date(tr, viewer.today, date.min)))
    head = tr("q.overdue.title", n=len(late), date=fmt_date(tr, viewer.today, date.min))
    return paginate(head, [task_line(tr, t, viewer.today, units_behind=True) for t in late], ref, tr)


async def due_soon_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    ledger = await listing(session, viewer, mine=ref.arg == 1)
    if ledger is None:
        return await counts_only(session, viewer)
    soon = ledger.due_soon()
    if not soon:
        return Page(tr("q.due_soon.none"))
    head = tr("q.due_soon.title", n=len(soon))
    return paginate(head, [task_line(tr, t, viewer.today, units_behind=True) for t in soon], ref, tr)


async def not_reported_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    ledger = await listing(session, viewer, mine=ref.arg == 1)
    if ledger is None:
        return await counts_only(session, viewer)
    missing = ledger.not_reported()
    if not missing:
        return Page(tr("q.not_reported.none"))
    head = tr("q.not_reported.title", units=len(missing), n=sum(len(v) for v in missing.values()))
    items = [
        f"<b>{esc(unit)}</b>{tr('q.paren', text=tr('q.count', n=len(tasks)))}\n　" + tr("q.sep").join(esc(t.ref) for t in tasks)
        for unit, tasks in missing.items()
    ]
    return paginate(head, items, ref, tr, per_page=12)


def share_line(tr: Translator, task: TaskView, share: ShareView | None, today: date) -> str:
    if share is None:
        role = tr("q.unit.role_other")
        return f"{task_head(task)}\n　{role}{tr('q.sep.inline')}{class_label(tr, task.status)}"
    state = state_text(tr, share.status, share.days_overdue, share.state.next_due, share.percent, today)
    due = share.state.next_due
    if due is not None and share.status in (StatusClass.NOT_REPORTED, StatusClass.ON_TRACK):
        state += tr("q.sep.inline") + tr("q.line.due", date=fmt_date(tr, due, today))  # "我们的任务什么时候到期"
    last = tr("q.unit.last", date=fmt_date(tr, share.last_report_at, today)) if share.last_report_at else tr("q.unit.never")
    return f"{MARK[share.status]} <b>{esc(task.ref)}</b> {esc(short(task.title, TITLE_CHARS))}\n　{state}{tr('q.sep.inline')}{last}"


def unit_summary(tr: Translator, unit: str, rows: list[tuple[TaskView, ShareView | None]]) -> str:
    def status_of(row: tuple[TaskView, ShareView | None]) -> StatusClass:
        return row[1].status if row[1] is not None else row[0].status

    open_rows = [r for r in rows if status_of(r) is not StatusClass.SIGNED_OFF]
    late = [r for r in rows if status_of(r) is StatusClass.OVERDUE]
    return tr("q.unit.title", unit=esc(unit), total=len(rows), open=len(open_rows), overdue=len(late))


async def _unit_list(
    session: AsyncSession, viewer: Viewer, unit_id: int
) -> tuple[str, list[tuple[TaskView, ShareView | None]]] | Page:
    """A unit's head (counts, its people, whether partial) and its rows, worst first; or the page saying why not."""
    tr = viewer.tr
    known = {uid: name for uid, name, _ in await ledger_q.units_with_aliases(session)}
    if unit_id not in known:
        return Page(tr("q.unit.unknown"))
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    rows = await unit_rows(session, ledger, unit_id, known[unit_id])
    order = {cls: i for i, cls in enumerate(ORDER)}
    rows.sort(key=lambda r: (order[(r[1] or r[0]).status], -(r[1] or r[0]).days_overdue, r[0].id))
    head = unit_summary(tr, known[unit_id], rows)
    contacts = [p.name for p in await ledger_q.bound_persons_of_units(session, {unit_id})]
    if contacts:
        head += "\n" + tr("q.unit.contacts", names=names(tr, contacts))
    own_unit = viewer.person.unit_id if viewer.person is not None else None
    if (await viewer.visibility(session)).task_ids is not None and unit_id != own_unit:
        head += "\n" + tr("q.unit.partial")  # counted over what this reader may see, not the unit's all
    return head, rows


async def unit_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    found = await _unit_list(session, viewer, ref.arg or 0)
    if isinstance(found, Page):
        return found
    head, rows = found
    if not rows:
        return Page(head + "\n\n" + tr("q.unit.nothing_visible"))
    return paginate(head, [share_line(tr, t, s, viewer.today) for t, s in rows], ref, tr)


async def unit_first(session: AsyncSession, viewer: Viewer, unit_id: int, n: int) -> Page:
    """"市生态环境局前三项任务": the first ``n`` rows of the unit's list, in /unit's order."""
    tr = viewer.tr
    found = await _unit_list(session, viewer, unit_id)
    if isinstance(found, Page):
        return found
    head, rows = found
    if not rows:
        return Page(head + "\n\n" + tr("q.unit.nothing_visible"))
    shown = rows[:n]
    head += "\n" + tr("q.unit.first", n=len(shown), total=len(rows))
    body = "\n\n".join(share_line(tr, t, s, viewer.today) for t, s in shown)
    buttons: list[list[Button]] = []
    if len(rows) > len(shown):
        buttons.append([(tr("q.button.all_of_unit"), ViewRef("u", unit_id).data())])
    return Page(f"{head}\n\n{body}", buttons)


async def unit_rows(
    session: AsyncSession, ledger: Ledger, unit_id: int, name: str,
    shared_by_levels: dict[tuple[str, ...], set[int]] | None = None,
) -> list[tuple[TaskView, ShareView | None]]:
    """A unit's tasks with its share, as /unit and the rankings both count them: its own
    parties, and a county's (township's) share of the tasks naming 各县(市、区) (各乡镇)."""
    rows = ledger.unit_shares(unit_id)
    levels = shared_levels(name)
    if levels:
        cache = shared_by_levels if shared_by_levels is not None else {}
        if levels not in cache:
            cache[levels] = await reports_q.county_share_tasks(session, levels)
        present = {t.id for t, _ in rows}
        rows += [(t, county_share(t, unit_id)) for t in ledger.tasks if t.id in cache[levels] and t.id not in present]
    return rows


def county_share(task: TaskView, unit_id: int) -> ShareView | None:
    """A county's share of a 各县 task: its own once it reported, else where 各县 as a whole stands."""
    own = next((s for s in task.shares if s.unit_id == unit_id), None)
    return own or next((s for s in task.shares if (s.unit or "").startswith("各")), None)


async def mine_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    person = viewer.person
    if person is None:
        return Page(tr("q.mine.admin"))
    led = await ledger_q.task_ids_led_by(session, person.id) if "leader" in viewer.roles else set()
    own = await ledger_q.task_ids_of_unit(session, person.unit_id) if person.unit_id is not None else set()
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return await counts_only(session, viewer)
    wanted = led | own
    if visible.task_ids is not None:
        wanted &= visible.task_ids
    levels = shared_levels(await people.unit_name(session, person.unit_id) or "") if person.unit_id is not None else ()
    # a county's share of the tasks naming 各县(市、区) is its own work too
    shared = await reports_q.county_share_tasks(session, levels) if levels else set()
    own |= shared
    wanted |= shared
    if not wanted:
        return Page(tr("q.mine.admin") if "admin" in viewer.roles else tr("q.mine.none"))
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids=wanted)
    items: list[str] = []
    order = {cls: i for i, cls in enumerate(ORDER)}
    for task in sorted(ledger, key=lambda t: (order[t.status], -t.days_overdue, t.id)):
        share = next((s for s in task.shares if s.unit_id == person.unit_id), None) if person.unit_id else None
        if share is None and task.id in shared and person.unit_id is not None:
            share = county_share(task, person.unit_id)
        items.append(share_line(tr, task, share, viewer.today) if task.id in own else task_line(tr, task, viewer.today, units_behind=True))
    counts = ledger.counts()
    head = tr(
        "q.mine.title",
        name=esc(person.name),
        total=len(ledger),
        overdue=counts[StatusClass.OVERDUE],
        due_soon=counts[StatusClass.DUE_SOON],
    )
    return paginate(head, items, ref, tr)


def _card_sections(tr: Translator, task: TaskView, today: date, now: datetime) -> list[str]:
    state = state_text(tr, task.status, task.days_overdue, earliest_open_due(task), task.percent, today)
    top = [
        f"{MARK[task.status]} <b>{esc(task.ref)} {esc(short(task.title, 80))}</b>",
        tr("q.card.state", state=state),
    ]
    if task.goal:
        top.append(tr("q.card.goal", goal=esc(short(task.goal, 300))))
    deadline = [tr("q.card.deadline", text=esc(short(task.deadline_text, 200) or tr("q.none")))]
    for m in task.milestones:
        if m.due is None:
            continue
        done = tr("q.card.ms_done", date=fmt_date(tr, m.done_at, today)) if m.done_at else (
            tr("q.card.ms_late") if m.due < today else tr("q.card.ms_open")
        )
        deadline.append(f"　• {fmt_date(tr, m.due, today)} {esc(short(m.text, 60))}（{done}）")
    parties = [
        tr("q.card.leaders", names=names(tr, task.leaders)),
        tr("q.card.lead_units", names=names(tr, task.lead_units)),
        tr("q.card.units", names=names(tr, task.units)),
    ]
    if task.supporting_units:
        parties.append(tr("q.card.supporting", names=names(tr, task.supporting_units)))
    if task.supervisors:
        parties.append(tr("q.card.supervisors", names=names(tr, task.supervisors)))
    sections = ["\n".join(top), "\n".join(deadline), "\n".join(parties)]

    if task.measures:
        lines = [tr("q.card.measures")]
        for no, text in task.measures:
            lines.append(f"{no}. {esc(short(text, 180))}")
            latest = task.measure_progress(no)
            if latest is not None:
                who = task.unit_name(latest.unit_id) or ""
                lines.append(
                    "　" + tr("q.card.measure_latest", text=esc(short(latest.text, 100)), unit=esc(who),
                               date=fmt_date(tr, latest.at, today))
                )
        sections.append("\n".join(lines))

    unit_lines = [tr("q.card.shares")]
    for share in task.shares:
        state = state_text(tr, share.status, share.days_overdue, share.state.next_due, share.percent, today)
        last = tr("q.unit.last", date=fmt_date(tr, share.last_report_at, today)) if share.last_report_at else tr("q.unit.never")
        name = esc(share.unit) if share.unit else tr("q.card.whole_task")
        waiting = ([tr("q.card.signoff_pending")] if share.signoff_pending else []) + (
            [tr("q.card.extension_pending", date=fmt_date(tr, share.extension_to, today))] if share.extension_to else []
        )
        unit_lines.append(
            f"{MARK[share.status]} {name}：{state}{tr('q.sep.inline')}{last}{tr('q.sep.inline')}"
            + tr("q.card.evidence_n", n=share.evidence)
            + "".join(tr("q.sep.inline") + w for w in waiting)
        )
    sections.append("\n".join(unit_lines))

    recent = task.recent(5)
    if recent:
        lines = [tr("q.card.recent")]
        for r in recent:
            who = task.unit_name(r.unit_id) or ""
            lines.append(f"• {fmt_time(tr, r.at, now)} {esc(who)}：{esc(short(r.text, TEXT_CHARS))}")
        sections.append("\n".join(lines))
    elif task.imported_progress and task.imported_progress.get("text"):
        sections.append(tr("q.card.imported", text=esc(short(str(task.imported_progress["text"]), 300))))
    sections.append(tr("q.card.footer", evidence=task.evidence, ref=esc(task.ref)))
    return sections


def card_pages(tr: Translator, task: TaskView, today: date, now: datetime) -> list[str]:
    """The card's sections packed into pages of at most ``PAGE_CHARS`` characters."""
    pages: list[str] = []
    current = ""
    pieces = [chunk for section in _card_sections(tr, task, today, now) for chunk in split_lines(section, PAGE_CHARS)]
    for piece in pieces:
        if current and len(current) + 2 + len(piece) > PAGE_CHARS:
            pages.append(current)
            current = piece
        else:
            current = f"{current}\n\n{piece}" if current else piece
    pages.append(current)
    if len(pages) > 1:
        head = f"<b>{esc(task.ref)}</b>{tr('q.paren', text=tr('q.page', page='{page}', pages=len(pages)))}\n\n"
        pages = [pages[0]] + [head.replace("{page}", str(i + 1)) + p for i, p in enumerate(pages) if i > 0]
    return pages


async def not_found(session: AsyncSession, viewer: Viewer) -> Page:
    """No visible task fits: say so, with a task number this reader could have asked about."""
    if (await viewer.visibility(session)).counts_only:
        return Page(viewer.tr("q.group.counts_only"))
    return Page(viewer.tr("q.task.not_found", ref=await example_ref(session, viewer.person)))


async def task_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    visible = await viewer.visibility(session)
    task_id = ref.arg or 0
    if not visible.allows(task_id):
        return await not_found(session, viewer)
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids={task_id})
    task = ledger.by_id(task_id)
    if task is None:
        return await not_found(session, viewer)
    pages = card_pages(tr, task, viewer.today, viewer.now)
    index = min(max(ref.page, 0), len(pages) - 1)
    ref = ViewRef("t", task_id, index)
    buttons: list[list[Button]] = []
    if len(pages) > 1:
        nav: list[Button] = []
        if index > 0:
            nav.append((tr("q.button.prev"), ref.data(index - 1)))
        if index < len(pages) - 1:
            nav.append((tr("q.button.next"), ref.data(index + 1)))
        buttons.append(nav)
    if task.behind and await may(session, viewer.person, viewer.roles, Action.CHASE, task.id):
        buttons.append([(tr("q.button.chase"), f"q:c:{task.id}:0")])
    return Page(pages[index], buttons)


# Views kept in modules of their own, which import this one: loaded when first shown.
ELSEWHERE = {
    "h": ("bot.history", "history_view"),
    "p": ("bot.due_window", "due_window_view"),
    "f": ("bot.finished", "finished_view"),
    "r": ("bot.rankings", "ranking_view"),
    "y": ("bot.rankings", "ranking_view"),
    "v": ("bot.rankings", "county_view"),
    "j": ("bot.rankings", "ranking_view"),
    "l": ("bot.led_tasks", "led_view"),
    "e": ("bot.led_tasks", "led_view"),
    "a": ("bot.rankings", "ranking_view"),
    "b": ("bot.reports_by", "person_reports_view"),
    "g": ("bot.reports_by", "unit_reports_view"),
    "z": ("bot.thresholds", "cut_view"),
    "N": ("bot.led_tasks", "led_view"),
    "c": ("bot.rankings", "report_count_view"),
    "i": ("bot.history", "evidence_view"),
    "q": ("bot.extension_requests", "extensions_view"),
    "w": ("bot.reports_by", "recent_view"),  # buttons sent before "c" carried the day
}


RENDERERS = {
    "s": status_view,
    "o": overdue_view,
    "d": due_soon_view,
    "n": not_reported_view,
    "u": unit_view,
    "m": mine_view,
    "t": task_view,
    "k": task_view,
    "x": signed_off_view,
}


async def render(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    """One page of a view for ``viewer``; the single entry point of commands and buttons."""
    if not viewer.known:
        return Page(viewer.tr("q.unbound"))
    if ref.kind in ELSEWHERE:
        module, name = ELSEWHERE[ref.kind]
        view: Callable[[AsyncSession, Viewer, ViewRef], Awaitable[Page]] = getattr(importlib.import_module(module), name)
        return await view(session, viewer, ref)
    return await RENDERERS[ref.kind](session, viewer, ref)


def week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())

