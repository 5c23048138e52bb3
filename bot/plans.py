"""Storing an imported plan, and importing a changed version of it again.

A re-import updates tasks by ``ref`` and never deletes: a task that disappeared is
archived with its reports and evidence, because the 整改办 must still be able to show
what was done under the old wording.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.binding import normalize_name
from bot.clock import WallClock
from bot.config import Settings
from bot.importer import PlanReadError, parse_path
from bot.plandata import ParsedPlan, PlanTask
from storage import people
from storage import plans as plans_q
from storage.db import create_engine, session_factory, transaction, upgrade
from storage.models import Measure, Milestone, Person, Plan, Task, TaskParty, UnitAlias

PARTY_KINDS = (
    ("lead_units", "lead"),
    ("units", "responsible"),
    ("supporting_units", "supporting"),
    ("supervisors", "supervising"),
)
# The units whose progress is tracked one row each (DESIGN: progress is per task × unit).
REPORTING_KINDS = ("lead", "responsible")


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


async def _ensure_aliases(session: AsyncSession, aliases: dict[str, str]) -> None:
    for alias, canonical in aliases.items():
        if alias == canonical:
            continue
        unit = await people.ensure_unit(session, canonical)
        existing = await people.find_unit(session, alias)
        if existing is None:
            session.add(UnitAlias(alias=alias, unit_id=unit.id))
            await session.flush()


async def _leader(session: AsyncSession, name: str) -> Person:
    clean = normalize_name(name)
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


async def _fill_task(session: AsyncSession, task: Task, parsed: PlanTask) -> None:
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

    task.measures = [Measure(no=m.no, text=m.text) for m in parsed.measures]
    done = {(m.due, m.text): m.done_at for m in task.milestones}
    task.milestones = [
        Milestone(position=i, start=m.start, due=m.due, text=m.text, done_at=done.get((m.due, m.text)))
        for i, m in enumerate(parsed.deadline.milestones)
    ]
    parties: list[TaskParty] = []
    position = 0
    for name in parsed.leaders:
        person = await _leader(session, name)
        parties.append(TaskParty(kind="leader", person_id=person.id, position=position))
        position += 1
    for attr, kind in PARTY_KINDS:
        for name in getattr(parsed, attr):
            unit = await people.ensure_unit(session, name)
            parties.append(TaskParty(kind=kind, unit_id=unit.id, position=position))
            position += 1
    task.parties = parties
    await session.flush()
    for party in parties:
        if party.kind in REPORTING_KINDS and party.unit_id is not None:
            await plans_q.ensure_task_unit(session, task.id, party.unit_id)


async def store_plan(
    session: AsyncSession, parsed: ParsedPlan, *, auditor: Auditor, now: datetime, actor: str
) -> tuple[Plan, dict[str, list[str]] | None]:
    """Insert or update a plan; returns it and what changed (None when it is new)."""
    plan = await plans_q.plan_by_title(session, parsed.title)
    if plan is not None and plan.source_sha256 == parsed.source_sha256:
        return plan, {"added": [], "removed": [], "changed": []}
    await _ensure_aliases(session, parsed.aliases)
    is_new = plan is None
    if plan is None:
        plan = Plan(title=parsed.title, source_sha256=parsed.source_sha256, imported_at=now)
        session.add(plan)
        await session.flush()
    plan.issuer = parsed.issuer
    plan.year = parsed.year
    plan.source_name = parsed.source_name
    plan.source_sha256 = parsed.source_sha256
    plan.imported_at = now
    plan.aliases = dict(parsed.aliases)

    existing = {t.ref: t for t in await plans_q.tasks_of(session, plan.id, include_archived=True)}
    before = {ref: _task_signature(t) for ref, t in existing.items() if not t.archived}
    changes: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
    seen: set[str] = set()
    for parsed_task in parsed.tasks:
        if parsed_task.ref in seen:
            continue
        seen.add(parsed_task.ref)
        task = existing.get(parsed_task.ref)
        if task is None:
            task = Task(plan_id=plan.id, ref=parsed_task.ref, title=parsed_task.title)
            session.add(task)
            await session.flush()
            await session.refresh(task, ["measures", "milestones", "parties"])
            changes["added"].append(parsed_task.ref)
        await _fill_task(session, task, parsed_task)
        if parsed_task.ref in before and _task_signature(task) != before[parsed_task.ref]:
            changes["changed"].append(parsed_task.ref)
        elif parsed_task.ref in existing and parsed_task.ref not in before:
            changes["added"].append(parsed_task.ref)  # came back from the archive
    for ref, task in existing.items():
        if ref not in seen and not task.archived:
            task.archived = True
            changes["removed"].append(ref)
    await auditor.append(
        session,
        actor=actor,
        action="import",
        subject=f"plan:{plan.id}",
        payload={"title": plan.title, "sha256": plan.source_sha256, "tasks": len(seen), **changes},
        now=now,
    )
    return plan, (None if is_new else changes)


async def import_paths_json(settings: Settings, paths: list[Path]) -> tuple[dict[str, Any], int]:
    """``rectibot import`` without --dry-run: parse, store, report changes."""
    engine = create_engine(settings.database_url)
    result: dict[str, Any] = {"plans": [], "errors": []}
    try:
        await upgrade(engine)
        factory = session_factory(engine)
        auditor = Auditor(settings.audit_key, settings.data_dir)
        now = WallClock(settings.timezone).now()
        for path in paths:
            try:
                parsed = parse_path(path)
            except PlanReadError as exc:
                result["errors"].append({"path": str(path), "reason": str(exc)})
                continue
            async with transaction(factory) as session:
                _plan, changes = await store_plan(session, parsed, auditor=auditor, now=now, actor="cli:import")
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
