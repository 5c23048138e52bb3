"""Storing an imported plan, and importing a changed version of it again.

A re-import updates tasks by ``ref`` and never deletes: a task that disappeared is
archived with its reports and evidence, because the 整改办 must still be able to show
what was done under the old wording.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.binding import normalize_name
from bot.clock import WallClock
from bot.config import Settings
from bot.importer import PlanReadError, parse_path
from bot.plandata import Milestone as ParsedMilestone
from bot.plandata import ParsedPlan, PlanTask
from storage import people
from storage import plans as plans_q
from storage.db import create_engine, session_factory, transaction, upgrade
from storage.models import (
    Measure,
    Milestone,
    Person,
    Plan,
    Task,
    TaskParty,
    TaskUnit,
    Unit,
    UnitAlias,
)

PARTY_KINDS = (
    ("lead_units", "lead"),
    ("units", "responsible"),
    ("supporting_units", "supporting"),
    ("supervisors", "supervising"),
)
# The units whose progress is tracked one row each (DESIGN: progress is per task × unit).
REPORTING_KINDS = ("lead", "responsible")

log = logging.getLogger(__name__)


def _task_signature(task: Task) -> tuple[Any, ...]:
    return (
        task.title,
        task.problem,
        task.goal,
        task.deadline_text,
        task.immediate,
        task.ongoing,
        tuple((m.no, m.text) for m in task.measures),
        tuple((m.start, m.due, m.text) for m in task.milestones),
        tuple(sorted((p.kind, p.unit_id or 0, p.person_id or 0) for p in task.parties)),
    )


class _Names:
    """Units and leaders of one import, looked up once: a plan names the same units on
    most of its tasks, and a query per name per task made a Shangqiu import take seconds."""

    def __init__(self, session: AsyncSession, units: dict[str, Unit]) -> None:
        self.session = session
        self.units = units
        self.leaders: dict[str, Person] = {}
        self.persons: dict[str, Person] = {}

    @classmethod
    async def load(cls, session: AsyncSession) -> _Names:
        return cls(session, await plans_q.unit_index(session))

    async def prepare(self, parsed: ParsedPlan) -> None:
        """Create every unit the plan names that is not known yet, with one flush."""
        for alias, canonical in parsed.aliases.items():
            await self.alias(alias, canonical)
        for task in parsed.tasks:
            for name in task.all_units():
                if name not in self.units:
                    self.units[name] = Unit(name=name)
                    self.session.add(self.units[name])
        await self.session.flush()

    async def unit(self, name: str) -> Unit:
        unit = self.units.get(name)
        if unit is None:
            unit = await people.ensure_unit(self.session, name)
            self.units[name] = unit
        return unit

    async def alias(self, alias: str, canonical: str) -> None:
        if alias == canonical or alias in self.units:
            return
        unit = await self.unit(canonical)
        self.session.add(UnitAlias(alias=alias, unit_id=unit.id))
        await self.session.flush()
        self.units[alias] = unit

    async def person(self, name: str, unit_id: int | None) -> Person:
        """A named 责任人 of the unit: the one already known, else a new member to invite."""
        clean = normalize_name(name)
        key = f"{unit_id}:{clean}"
        person = self.persons.get(key)
        if person is None:
            found = [p for p in await people.persons_named(self.session, clean) if p.unit_id == unit_id]
            if found:
                person = found[0]
            else:
                person = Person(name=clean, unit_id=unit_id, roles=["member"])
                self.session.add(person)
                await self.session.flush()
            self.persons[key] = person
        return person

    async def leader(self, name: str) -> Person:
        clean = normalize_name(name)
        person = self.leaders.get(clean)
        if person is None:
            person = await _leader(self.session, clean)
            self.leaders[clean] = person
        return person


async def _leader(session: AsyncSession, clean: str) -> Person:
    found = await people.persons_named(session, clean)
    for person in found:
        if "leader" in (person.roles or []):
            return person
    if found:
        person = found[0]
        person.roles = [*(person.roles or []), "leader"]
        return person
    person = Person(name=clean, roles=["leader"])
    session.add(person)
    await session.flush()
    return person


def _sync_measures(task: Task, parsed: PlanTask) -> None:
    """Update measures in place by number: rows keep their ids, and a number is never
    inserted while its old row still exists (the (task, no) key is unique)."""
    numbers = [m.no for m in parsed.measures]
    if len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(numbers) + 1))
    by_no = {m.no: m for m in task.measures}
    rows: list[Measure] = []
    for no, measure in zip(numbers, parsed.measures, strict=True):
        row = by_no.pop(no, None)
        if row is None:
            row = Measure(no=no, text=measure.text)
        else:
            row.text = measure.text
        rows.append(row)
    task.measures = rows


def _pair_milestones(old: list[Milestone], wanted: list[ParsedMilestone]) -> list[Milestone | None]:
    """The stored row each wanted milestone continues: same text and dates first, then same text."""
    chosen: list[Milestone | None] = [None] * len(wanted)
    free = list(old)
    for exact in (True, False):
        for i, m in enumerate(wanted):
            if chosen[i] is not None:
                continue
            for candidate in free:
                if candidate.text == m.text and (not exact or (candidate.due, candidate.start) == (m.due, m.start)):
                    chosen[i] = candidate
                    free.remove(candidate)
                    break
    return chosen


async def _sync_milestones(session: AsyncSession, task: Task, parsed: PlanTask, extended: set[int]) -> None:
    """Keep milestone rows (and their ``done_at``) where the document still names them.

    A milestone is the same when its text is the same; an extension the office approved
    stays in force unless the new document gives an even later date. Rows the document
    no longer names are deleted, after their extension requests let go of them.
    """
    wanted = list(parsed.deadline.milestones)
    chosen = _pair_milestones(list(task.milestones), wanted)
    rows: list[Milestone] = []
    for i, m in enumerate(wanted):
        found = chosen[i]
        if found is None:
            row = Milestone(text=m.text, start=m.start, due=m.due)
        else:
            row = found
            extension_stands = row.id in extended and row.due is not None and m.due is not None and m.due <= row.due
            if not extension_stands:
                row.due = m.due
            row.start = m.start
        row.position = i
        rows.append(row)
    dropped = [m.id for m in task.milestones if m not in rows and m.id is not None]
    await plans_q.detach_extensions(session, dropped)
    task.milestones = rows


def _sync_parties(task: Task, wanted: list[tuple[str, int | None, int | None]]) -> list[TaskParty]:
    existing: dict[tuple[str, int | None, int | None], TaskParty] = {}
    for party in task.parties:
        existing.setdefault((party.kind, party.unit_id, party.person_id), party)
    rows: list[TaskParty] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    for key in wanted:
        if key in seen:
            continue
        seen.add(key)
        row = existing.pop(key, None) or TaskParty(kind=key[0], unit_id=key[1], person_id=key[2])
        row.position = len(rows)
        rows.append(row)
    named = {key[1] for key in seen if key[1] is not None}
    for row in existing.values():
        # The office's own assignment outlives a new version of the document, unless the
        # document now names that unit itself.
        if row.assigned and row.unit_id not in named:
            row.position = len(rows)
            rows.append(row)
    task.parties = rows
    return rows


async def _fill_task(
    session: AsyncSession, task: Task, parsed: PlanTask, names: _Names, extended: set[int]
) -> set[int]:
    """Make ``task`` say what ``parsed`` says; returns the units that report on it."""
    # Resolve every name first: the look-ups may flush, and the task's collections must
    # not be half-updated when they do.
    wanted: list[tuple[str, int | None, int | None]] = [
        ("leader", None, (await names.leader(name)).id) for name in parsed.leaders
    ]
    for attr, kind in PARTY_KINDS:
        for name in getattr(parsed, attr):
            wanted.append((kind, (await names.unit(name)).id, None))
    # DESIGN: a 责任人 given by name is a Person, of the unit named beside them, so the
    # office can invite them by name. One name per reporting unit pairs up in order.
    reporting = [*parsed.lead_units, *[u for u in parsed.units if u not in parsed.lead_units]]
    for i, name in enumerate(parsed.persons):
        unit_name = reporting[i] if len(reporting) == len(parsed.persons) else (reporting[0] if reporting else None)
        unit_id = (await names.unit(unit_name)).id if unit_name else None
        wanted.append(("person", None, (await names.person(name, unit_id)).id))
    await _sync_milestones(session, task, parsed, extended)

    task.title = parsed.title
    task.category = parsed.category
    task.problem = parsed.problem
    task.goal = parsed.goal
    task.deadline_text = parsed.deadline.text
    task.immediate = parsed.deadline.immediate
    task.ongoing = parsed.deadline.ongoing
    task.principals = list(parsed.principals)
    task.imported_progress = parsed.progress.to_json() if parsed.progress else None
    task.archived = False
    _sync_measures(task, parsed)
    parties = _sync_parties(task, wanted)
    return {p.unit_id for p in parties if p.kind in REPORTING_KINDS and p.unit_id is not None}


async def _sync_shares(session: AsyncSession, plan_id: int, reporting: dict[int, set[int]]) -> None:
    """One TaskUnit per reporting unit; a unit taken off a task keeps its share only if it
    has history there (reports, a sign-off), so the ledger still shows what it did."""
    have = await plans_q.shares_of_plan(session, plan_id)
    for task_id, units in reporting.items():
        current = have.get(task_id, set())
        for unit_id in sorted(units - current):
            session.add(TaskUnit(task_id=task_id, unit_id=unit_id, signoff_state="none"))
        if current - units:
            await plans_q.drop_unreported_shares(session, task_id, current - units)
    await session.flush()


def _same_words(text: str) -> str:
    return " ".join(text.split())


async def similar_plan(session: AsyncSession, parsed: ParsedPlan) -> tuple[Plan, int, int] | None:
    """A stored plan under another title whose tasks are mostly this document's.

    A retitled draft (修改稿) keeps its task numbers and titles; a different plan of the
    same office does not. Returns the plan, how many tasks match (same number and title)
    and how many there are in the larger of the two; None below three fifths, or for
    fewer than two matching tasks, so that a one-task report never passes for another.
    """
    wanted = {(t.ref, _same_words(t.title)) for t in parsed.tasks}
    if not wanted:
        return None
    by_plan: dict[int, set[tuple[str, str]]] = {}
    for plan_id, ref, title in await plans_q.task_names(session):
        by_plan.setdefault(plan_id, set()).add((ref, _same_words(title)))
    best: tuple[int, int, int] | None = None
    for plan_id, pairs in by_plan.items():
        same = len(wanted & pairs)
        total = max(len(wanted), len(pairs))
        if same >= 2 and same * 5 >= total * 3 and (best is None or same * best[2] > best[1] * total):
            best = (plan_id, same, total)
    if best is None:
        return None
    plan = await plans_q.plan_by_id(session, best[0])
    if plan is None or plan.title == parsed.title:
        return None
    return plan, best[1], best[2]


async def store_plan(
    session: AsyncSession, parsed: ParsedPlan, *, auditor: Auditor, now: datetime, actor: str,
    into: Plan | None = None,
) -> tuple[Plan, dict[str, list[str]] | None]:
    """Insert or update a plan; returns it and what changed (None when it is new).

    The plan is recognised by its title, or is ``into`` when the admin said the document
    is a new version of that plan under a new title (it takes the new title). The same
    file again (same SHA-256) is a no-op that writes nothing, not even an audit event.
    """
    plan = into if into is not None else await plans_q.plan_by_title(session, parsed.title)
    renamed_from = plan.title if plan is not None and plan.title != parsed.title else None
    if plan is not None and plan.source_sha256 == parsed.source_sha256:
        return plan, {"added": [], "removed": [], "changed": []}
    names = await _Names.load(session)
    await names.prepare(parsed)
    is_new = plan is None
    if plan is None:
        plan = Plan(title=parsed.title, source_sha256=parsed.source_sha256, imported_at=now)
        session.add(plan)
        await session.flush()
    plan.title = parsed.title
    plan.issuer = parsed.issuer
    plan.year = parsed.year
    plan.source_name = parsed.source_name
    plan.source_sha256 = parsed.source_sha256
    plan.imported_at = now
    plan.aliases = dict(parsed.aliases)

    existing = {t.ref: t for t in await plans_q.tasks_of(session, plan.id, include_archived=True)}
    before = {ref: _task_signature(t) for ref, t in existing.items() if not t.archived}
    extended = await plans_q.extended_milestones(session, plan.id) if existing else set()
    changes: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
    filled: list[tuple[Task, set[int]]] = []
    for parsed_task in parsed.tasks:
        if parsed_task.ref in {t.ref for t, _ in filled}:
            continue
        task = existing.get(parsed_task.ref)
        if task is None:
            task = Task(plan_id=plan.id, ref=parsed_task.ref, title=parsed_task.title, measures=[], milestones=[], parties=[])
            session.add(task)
            changes["added"].append(parsed_task.ref)
        elif parsed_task.ref not in before:
            changes["added"].append(parsed_task.ref)  # back from the archive
        filled.append((task, await _fill_task(session, task, parsed_task, names, extended)))
        if parsed_task.ref in before and _task_signature(task) != before[parsed_task.ref]:
            changes["changed"].append(parsed_task.ref)
    seen = {t.ref for t, _ in filled}
    for ref, task in existing.items():
        if ref not in seen and not task.archived:
            task.archived = True
            changes["removed"].append(ref)
    await session.flush()
    await _sync_shares(session, plan.id, {task.id: units for task, units in filled})
    await auditor.append(
        session,
        actor=actor,
        action="import",
        subject=f"plan:{plan.id}",
        payload={
            "title": plan.title, "sha256": plan.source_sha256, "tasks": len(seen), **changes,
            **({"renamed_from": renamed_from} if renamed_from else {}),
        },
        now=now,
    )
    return plan, (None if is_new else changes)


async def import_paths_json(
    settings: Settings, paths: list[Path], *, into: int | None = None
) -> tuple[dict[str, Any], int]:
    """``rectibot import`` without --dry-run: parse, store, report changes.

    Plans are recognised by title; ``into`` (``--into PLAN_ID``, one file) makes the file
    a new version of that plan under whatever title it now has, as the chat's 更新原方案
    does. A file that looks like a retitled version of a stored plan is imported as asked
    and the log says how to update the old plan instead.
    """
    engine = create_engine(settings.database_url)
    result: dict[str, Any] = {"plans": [], "errors": []}
    try:
        await upgrade(engine)
        factory = session_factory(engine)
        auditor = Auditor(settings.audit_key, settings.data_dir)
        now = WallClock(settings.timezone).now()
        if into is not None and len(paths) != 1:
            result["errors"].append({"path": " ".join(map(str, paths)), "reason": "--into takes exactly one file"})
            return result, 1
        for path in paths:
            try:
                parsed = parse_path(path)
            except PlanReadError as exc:
                result["errors"].append({"path": str(path), "reason": str(exc)})
                continue
            async with transaction(factory) as session:
                target = await plans_q.plan_by_id(session, into) if into is not None else None
                if into is not None and target is None:
                    result["errors"].append({"path": str(path), "reason": f"no plan with id {into}"})
                    continue
                if target is None and await plans_q.plan_by_title(session, parsed.title) is None:
                    like = await similar_plan(session, parsed)
                    if like is not None:
                        log.warning(
                            "%s: %d of %d tasks are those of plan %d 《%s》; imported as a new plan "
                            "(to update that plan instead: rectibot import --into %d)",
                            path, like[1], like[2], like[0].id, like[0].title, like[0].id,
                        )
                _plan, changes = await store_plan(
                    session, parsed, auditor=auditor, now=now, actor="cli:import", into=target
                )
            result["plans"].append(parsed.to_json(changes=changes))
    finally:
        await engine.dispose()
    return result, (1 if result["errors"] else 0)


async def import_plan_files(settings: Settings, paths: list[Path], now: datetime | None = None) -> list[Plan]:
    """Import before a run (simulate --plan, the console's example); unchanged files are no-ops."""
    engine = create_engine(settings.database_url)
    stored: list[Plan] = []
    try:
        factory = session_factory(engine)
        auditor = Auditor(settings.audit_key, settings.data_dir)
        when = now or WallClock(settings.timezone).now()
        for path in paths:
            parsed = parse_path(path)
            async with transaction(factory) as session:
                plan, _ = await store_plan(session, parsed, auditor=auditor, now=when, actor="import")
                stored.append(plan)
    finally:
        await engine.dispose()
    return stored
