"""Escalation: a task late for more than N working days goes up to its 责任领导 and the admins.

DESIGN.md: from overdue working day N+1 (N = 3 by default, RECTIBOT_ESCALATE_AFTER), once
per working day, the task and the units behind it are listed to the leaders named on it
and to the 整改办. It rides on the daily push's slot and its one query, which brings the
overdue tasks' units and leaders along: escalation asks the database only for unit names,
never once per leader. The outbox key (recipient, "escalation", date) makes it once a day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import Translator
from bot.permissions import Action, Scope
from bot.reminders import (
    MAX_ITEMS,
    Item,
    Push,
    esc,
    frame,
    person_key,
    push_key,
    push_time,
    scope_of,
    short_title,
    template,
)
from bot.workdays import WorkCalendar, escalation_due
from storage import reminders as rq

KIND = "escalation"


@dataclass(slots=True)
class Escalated:
    """A task to escalate today and the units whose shares are still open and late."""

    task_id: int
    ref: str
    title: str
    due: date
    units: Sequence[int]
    leaders: Sequence[int]
    item: Item  # its line in the push's JSON (dry run)


def escalated_tasks(
    tasks: Sequence[rq.DayTask], today: date, n: int, cal: WorkCalendar
) -> dict[int, Escalated]:
    """The day's tasks overdue beyond N working days, with the units whose shares are open."""
    found: dict[int, Escalated] = {}
    verdicts: dict[date, bool] = {}
    for task_id, ref, title, due, _ongoing, units, leaders in tasks:
        if due is None or due >= today:
            continue
        verdict = verdicts.get(due)
        if verdict is None:
            verdict = verdicts[due] = escalation_due(due, today, n, cal=cal)
        if verdict:
            found[task_id] = Escalated(
                task_id, ref, title, due, sorted(units) if len(units) > 1 else units, leaders,
                Item(task_id, ref, title, KIND, due, (today - due).days),
            )
    return found


class EscalationLines:
    """Rendered escalation lines of one language, shared by every leader and admin."""

    def __init__(self, tr: Translator, day: date, unit_names: dict[int, str], cal: WorkCalendar) -> None:
        self.tr = tr
        self.day = day
        self.cal = cal
        self._lines: dict[int, str] = {}
        self._template = template(tr, "remind.escalate.line")
        self._sep = tr("remind.escalate.sep")
        self._units = {uid: esc(name) for uid, name in unit_names.items()}
        self._frames: dict[date, str] = {}
        self.heads: dict[int, str] = {}
        self.foot = tr("remind.escalate.foot")

    def _frame(self, d: date) -> str:
        """The line with the due date and days overdue filled in: few distinct dates a day."""
        found = self._frames.get(d)
        if found is None:
            found = self._frames[d] = frame(
                self._template, ("ref", "title", "units"),
                due=self.tr("remind.date", y=d.year, m=d.month, d=d.day),
                days=(self.day - d).days,
                workdays=self.cal.overdue_working_day(d, self.day),
            )
        return found

    def line(self, task: Escalated) -> str:
        text = self._lines.get(task.task_id)
        if text is None:
            names = self._units
            units = self._sep.join([names.get(u, "?") for u in task.units])
            text = self._lines[task.task_id] = self._frame(task.due).format(
                esc(task.ref), short_title(task.title), units
            )
        return text


def render(lines: EscalationLines, tasks: Sequence[Escalated], n: int) -> str:
    tr = lines.tr
    head = lines.heads.get(n)
    if head is None:
        day = lines.day
        head = lines.heads[n] = tr(
            "remind.escalate.head", date=tr("remind.date", y=day.year, m=day.month, d=day.day), n=n + 1
        )
    line = lines.line
    out = [head, *[line(task) for task in tasks[:MAX_ITEMS]]]
    if len(tasks) > MAX_ITEMS:
        out.append(tr("remind.more", n=len(tasks) - MAX_ITEMS))
    out.append(lines.foot)
    return "\n".join(out)


async def plan_escalations(
    session: AsyncSession,
    settings: Settings,
    cal: WorkCalendar,
    today: date,
    *,
    tasks: Sequence[rq.DayTask],
    everyone: Sequence[rq.Recipient],
    mutes: dict[int, set[int]],
    n: int,
    in_slot: Callable[[str | None], bool],
    include_default: bool,
    slot_at: str | None,
) -> list[Push]:
    """One escalation per leader (tasks they lead) and per admin (all), for this slot."""
    late = escalated_tasks(tasks, today, n, cal)
    if not late:
        return []
    names = await rq.unit_names(session, {u for t in late.values() for u in t.units})
    ordered = sorted(late.values(), key=lambda t: (t.due, t.task_id))  # ids keep the plan's order
    led: dict[int, list[Escalated]] = {}
    for task in ordered:  # in order, so each leader's list comes out sorted
        for pid in task.leaders:
            led.setdefault(pid, []).append(task)
    caches: dict[str, EscalationLines] = {}
    configured = set(settings.admins)
    default_at = push_time(settings)
    pushes: list[Push] = []
    covered: set[int] = set()

    translators: dict[str | None, Translator] = {}

    def make(key: str, chat_id: int, person_id: int | None, name: str, lang: str | None, at: str | None,
             chosen: list[Escalated]) -> None:
        tr = translators.get(lang)
        if tr is None:
            tr = translators[lang] = Translator(lang or settings.locale)
        lines = caches.get(tr.lang) or caches.setdefault(tr.lang, EscalationLines(tr, today, names, cal))
        pushes.append(
            Push(
                kind=KIND,
                key=push_key(key, KIND, today),
                chat_id=chat_id,
                person_id=person_id,
                name=name,
                lang=tr.lang,
                at=at or default_at,
                day=today,
                text=render(lines, chosen, n),
                items=[t.item for t in chosen],
            )
        )

    for r in everyone:
        covered.add(r.telegram_id)
        if not in_slot(r.at):
            continue
        roles = (*r.roles, "admin") if r.telegram_id in configured else r.roles
        granted = scope_of(roles, Action.ESCALATION)
        if granted is Scope.ALL:
            chosen = ordered
        elif granted is Scope.LED and r.person_id in led:
            chosen = led[r.person_id]
        else:
            continue
        muted = mutes.get(r.person_id)
        if muted:
            chosen = [t for t in chosen if t.task_id not in muted]
        if chosen:
            make(person_key(r.person_id), r.telegram_id, r.person_id, r.name, r.language, r.at, chosen)
    if include_default or slot_at is None:
        # Configured admins who are not bound to a person: at the default time.
        for tg_id, (lang, reachable, first_name) in (await rq.users(session, configured - covered)).items():
            if reachable:
                make(f"t{tg_id}", tg_id, None, first_name or str(tg_id), lang, None, ordered)
    return pushes
