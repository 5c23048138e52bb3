"""The ledger (台账): every task × unit share with its status class, on one day.

/status, /overdue, /unit, /mine, the task card, the Excel export, charts, digests and
chasing all read this one view, so a share is 逾期 in the chart exactly when it is 逾期 in
the spreadsheet. Status classes are ``bot.status``'s; this module only gathers what they
read from the database and keeps the per-share facts (percent, last report, evidence)
next to them.

``visibility`` is the one place the leaders' area asks what an answer may show:
permissions for the asker, narrowed by the group's registration in a group chat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import DEFAULT_TZ
from bot.groups import visible_in_chat
from bot.periods import xun_of
from bot.permissions import UNIT_KINDS, Action, Visibility, task_ids_in_scope
from bot.status import (
    MilestoneState,
    ShareState,
    StatusClass,
    classify,
    combine,
    days_overdue,
)
from storage import ledger as ledger_q
from storage.models import Person, Report, Task, TaskUnit

SIGNED_OFF_STATES = frozenset({"signed_off", "approved", "closed"})
"""``TaskUnit.signoff_state`` values that mean the share is 已销号."""

BEHIND = (StatusClass.OVERDUE, StatusClass.DUE_SOON, StatusClass.NOT_REPORTED)
"""Classes whose units are "behind": they are listed, chased and named in digests."""

ORDER = (
    StatusClass.OVERDUE,
    StatusClass.DUE_SOON,
    StatusClass.NOT_REPORTED,
    StatusClass.ON_TRACK,
    StatusClass.SIGNED_OFF,
)
"""Display order, worst first."""


@dataclass(frozen=True, slots=True)
class ReportView:
    task_id: int
    unit_id: int | None
    measure_no: int | None
    text: str
    percent: int | None
    status_word: str | None
    at: datetime

    @classmethod
    def of(cls, report: Report) -> ReportView:
        return cls(
            task_id=report.task_id,
            unit_id=report.unit_id,
            measure_no=report.measure_no,
            text=report.text,
            percent=report.percent,
            status_word=report.status_word,
            at=report.created_at,
        )


@dataclass(frozen=True, slots=True)
class MilestoneView:
    start: date | None
    due: date | None
    text: str
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class ShareView:
    """One unit's share of a task (unit None: a task that names no reporting unit)."""

    task_id: int
    unit_id: int | None
    unit: str | None
    state: ShareState
    status: StatusClass
    days_overdue: int
    percent: int | None
    status_word: str | None
    last_report: ReportView | None
    last_report_at: datetime | None
    evidence: int
    reports: int
    signed_off_at: datetime | None
    signoff_pending: bool = False  # the unit asked for 销号 and the office has not decided
    extension_to: date | None = None  # the date a pending extension request asks for

    @property
    def behind(self) -> bool:
        return self.status in BEHIND


@dataclass(frozen=True)
class TaskView:
    id: int
    plan_id: int
    ref: str
    title: str
    problem: str
    goal: str
    deadline_text: str
    immediate: bool
    ongoing: bool
    principals: list[str]
    imported_progress: dict[str, Any] | None
    measures: list[tuple[int, str]]
    milestones: list[MilestoneView]
    leaders: list[str]
    leader_ids: list[int]
    lead_units: list[str]
    units: list[str]
    supporting_units: list[str]
    supervisors: list[str]
    unit_ids: frozenset[int]
    shares: list[ShareView]
    status: StatusClass
    days_overdue: int
    next_due: date | None
    latest: dict[tuple[int | None, int | None], ReportView] = field(default_factory=dict)
    """The newest report per (unit, measure)."""

    @property
    def evidence(self) -> int:
        return sum(s.evidence for s in self.shares)

    @property
    def percent(self) -> int | None:
        """Mean of the shares' percents (a signed-off share counts 100); None if nobody said."""
        known = [s.percent for s in self.shares if s.percent is not None]
        if not known:
            return None
        return round(sum(known) / len(self.shares))

    @property
    def last_report_at(self) -> datetime | None:
        times = [s.last_report_at for s in self.shares if s.last_report_at is not None]
        return max(times) if times else None

    @property
    def behind(self) -> list[ShareView]:
        return [s for s in self.shares if s.behind]

    def measure_progress(self, no: int) -> ReportView | None:
        """The newest report on measure ``no`` from any unit."""
        found = [r for (_, m), r in self.latest.items() if m == no]
        return max(found, key=lambda r: r.at) if found else None

    def recent(self, limit: int = 5) -> list[ReportView]:
        return sorted(self.latest.values(), key=lambda r: r.at, reverse=True)[:limit]

    def unit_name(self, unit_id: int | None) -> str | None:
        for share in self.shares:
            if share.unit_id == unit_id:
                return share.unit
        return None


@dataclass
class Ledger:
    today: date
    tasks: list[TaskView]
    tz: tzinfo = DEFAULT_TZ

    def __iter__(self) -> Iterator[TaskView]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def by_id(self, task_id: int) -> TaskView | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def counts(self) -> dict[StatusClass, int]:
        counted = Counter(t.status for t in self.tasks)
        return {cls: counted.get(cls, 0) for cls in ORDER}

    def in_class(self, *classes: StatusClass) -> list[TaskView]:
        return [t for t in self.tasks if t.status in classes]

    def overdue(self) -> list[TaskView]:
        """Overdue tasks, the longest overdue first."""
        return sorted(self.in_class(StatusClass.OVERDUE), key=lambda t: (-t.days_overdue, t.plan_id, t.id))

    def due_soon(self) -> list[TaskView]:
        return sorted(self.in_class(StatusClass.DUE_SOON), key=lambda t: (t.next_due or self.today, t.id))

    def worst(self) -> list[TaskView]:
        """Tasks that need attention, worst class first, then by lateness."""
        order = {cls: i for i, cls in enumerate(ORDER)}
        pending = [t for t in self.tasks if t.status in BEHIND]
        return sorted(pending, key=lambda t: (order[t.status], -t.days_overdue, t.next_due or date.max, t.id))

    def of_unit(self, unit_id: int) -> list[TaskView]:
        return [t for t in self.tasks if unit_id in t.unit_ids]

    def unit_shares(self, unit_id: int) -> list[tuple[TaskView, ShareView | None]]:
        """The unit's tasks with its own share (None where it is only supporting or supervising)."""
        return [(t, next((s for s in t.shares if s.unit_id == unit_id), None)) for t in self.of_unit(unit_id)]

    def not_reported(self) -> dict[str, list[TaskView]]:
        """Unit name -> tasks whose share of that unit has no report in the current 旬."""
        result: dict[str, list[TaskView]] = {}
        start = xun_of(self.today).start
        for task in self.tasks:
            for share in task.shares:
                if not share.unit or share.status in (StatusClass.SIGNED_OFF, StatusClass.ON_TRACK):
                    continue
                # an overdue or nearly due share is classed so, but may not have reported either
                last = share.last_report_at
                if last is None or last.astimezone(self.tz).date() < start:
                    result.setdefault(share.unit, []).append(task)
        return dict(sorted(result.items(), key=lambda kv: (-len(kv[1]), kv[0])))


async def visibility(
    session: AsyncSession,
    person: Person | None,
    roles: Iterable[str],
    *,
    action: Action = Action.SEE_TASK,
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Visibility:
    """The asker's scope for ``action``, narrowed to the group's registration in a group.

    Everyone in a group reads the answer, so a group registered to a unit sees that
    unit's tasks, the 整改办's group sees all, an unregistered group gets counts only
    (``bot.groups`` decides; DESIGN.md "Permissions").
    """
    if chat_id is None or chat_type == "private":
        return Visibility(await task_ids_in_scope(session, person, set(roles), action))
    return await visible_in_chat(session, person, set(roles), action, chat_id=chat_id, chat_type=chat_type)


def _signed_off(share: TaskUnit) -> bool:
    return share.signed_off_at is not None or share.signoff_state in SIGNED_OFF_STATES


def _parties(task: Task) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {
        "leader": [], "leader_id": [], "lead": [], "responsible": [], "supporting": [], "supervising": []
    }
    unit_ids: set[int] = set()
    for party in sorted(task.parties, key=lambda p: p.position):
        if party.kind == "leader" and party.person is not None:
            if party.person.name not in out["leader"]:
                out["leader"].append(party.person.name)
                out["leader_id"].append(party.person.id)
        elif party.kind in UNIT_KINDS and party.unit is not None:
            if party.unit.name not in out[party.kind]:
                out[party.kind].append(party.unit.name)
            unit_ids.add(party.unit.id)
    out["unit_ids"] = sorted(unit_ids)
    return out


async def load(
    session: AsyncSession,
    *,
    today: date,
    tz: tzinfo = DEFAULT_TZ,
    task_ids: set[int] | None = None,
) -> Ledger:
    """The ledger of the live tasks in ``task_ids`` (None: all) on ``today``."""
    tasks = await ledger_q.tasks(session, task_ids)
    ids = {t.id for t in tasks} if task_ids is not None else None
    shares_by_task: dict[int, list[tuple[TaskUnit, str]]] = {}
    for row in await ledger_q.shares(session, ids):
        shares_by_task.setdefault(row[0].task_id, []).append(row)
    latest: dict[int, dict[tuple[int | None, int | None], ReportView]] = {}
    for report in await ledger_q.latest_reports(session, ids):
        latest.setdefault(report.task_id, {})[(report.unit_id, report.measure_no)] = ReportView.of(report)
    evidence = await ledger_q.evidence_counts(session, ids)
    counts = await ledger_q.report_counts(session, ids)
    extensions = await ledger_q.pending_extensions(session, ids)

    views: list[TaskView] = []
    for task in tasks:
        parties = _parties(task)
        milestones = [MilestoneView(m.start, m.due, m.text, m.done_at) for m in task.milestones]
        states = tuple(MilestoneState(m.start, m.due, m.done_at) for m in task.milestones)
        task_latest = latest.get(task.id, {})
        share_views: list[ShareView] = []
        share: TaskUnit | None
        name: str | None
        # Units in the document's order (lead units first), as the plan and its ledger list them.
        position = {p.unit_id: p.position for p in task.parties if p.unit_id is not None}
        rows: list[tuple[TaskUnit | None, str | None, int | None]] = [
            (s, name, s.unit_id)
            for s, name in sorted(shares_by_task.get(task.id, []), key=lambda r: (position.get(r[0].unit_id, 1 << 30), r[0].id))
        ]
        if not rows:
            rows = [(None, None, None)]
        for share, name, unit_id in rows:
            if share is None:
                mine = list(task_latest.values())
                ev = sum(n for (t, _), n in evidence.items() if t == task.id)
                n_reports = sum(n for (t, _), n in counts.items() if t == task.id)
            else:
                mine = [r for (u, _), r in task_latest.items() if u == unit_id]
                ev = evidence.get((task.id, unit_id), 0)
                n_reports = counts.get((task.id, unit_id), 0)
            newest = max(mine, key=lambda r: r.at) if mine else None
            with_percent = [r for r in mine if r.percent is not None]
            signed = share is not None and _signed_off(share)
            last_at = newest.at if newest else (share.last_report_at if share is not None else None)
            percent = share.percent if share is not None and share.percent is not None else (
                max(with_percent, key=lambda r: r.at).percent if with_percent else None
            )
            if signed:
                percent = 100
            state = ShareState(signed_off=signed, milestones=states, last_report_at=last_at)
            share_views.append(
                ShareView(
                    task_id=task.id,
                    unit_id=unit_id,
                    unit=name,
                    state=state,
                    status=classify(state, today, tz),
                    days_overdue=days_overdue(state, today),
                    percent=percent,
                    status_word=(share.status if share is not None and share.status else None)
                    or (newest.status_word if newest else None),
                    last_report=newest,
                    last_report_at=last_at,
                    evidence=ev,
                    reports=n_reports,
                    signed_off_at=share.signed_off_at if share is not None else None,
                    signoff_pending=share is not None and share.signoff_state == "pending",
                    extension_to=extensions.get((task.id, unit_id)),
                )
            )
        open_shares = [s for s in share_views if s.status is not StatusClass.SIGNED_OFF]
        status = combine(s.status for s in share_views)
        views.append(
            TaskView(
                id=task.id,
                plan_id=task.plan_id,
                ref=task.ref,
                title=task.title,
                problem=task.problem,
                goal=task.goal,
                deadline_text=task.deadline_text,
                immediate=task.immediate,
                ongoing=task.ongoing,
                principals=[str(p) for p in (task.principals or [])],
                imported_progress=task.imported_progress,
                measures=[(m.no, m.text) for m in task.measures],
                milestones=milestones,
                leaders=parties["leader"],
                leader_ids=parties["leader_id"],
                lead_units=parties["lead"],
                units=parties["responsible"],
                supporting_units=parties["supporting"],
                supervisors=parties["supervising"],
                unit_ids=frozenset(parties["unit_ids"]) | {s.unit_id for s in share_views if s.unit_id is not None},
                shares=share_views,
                status=status,
                days_overdue=max((s.days_overdue for s in share_views), default=0),
                next_due=min((s.state.next_due for s in open_shares if s.state.next_due), default=None),
                latest=task_latest,
            )
        )
    return Ledger(today=today, tasks=views, tz=tz)

