"""Who may do what: DESIGN.md's permission table as data, checked in the services.

Handlers never decide permissions; services ask ``scope(roles, action)`` and narrow
what they show or change to that scope. A person holds a set of roles; the widest
scope among them wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum, StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, TaskParty


class Scope(Enum):
    NONE = 0
    LED = 1  # tasks the person leads (责任领导)
    OWN_UNIT = 2  # tasks naming the person's unit (lead, responsible, supporting, supervising)
    ALL = 3


class Action(StrEnum):
    SEE_TASK = "see_task"
    REPORT = "report"
    ADD_EVIDENCE = "add_evidence"
    REQUEST_SIGNOFF = "request_signoff"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_SIGNOFF = "approve_signoff"
    APPROVE_EXTENSION = "approve_extension"
    MOVE_REPORT = "move_report"
    REPORT_ON_BEHALF = "report_on_behalf"
    IMPORT = "import"
    INVITE = "invite"
    BIND = "bind"
    ROLES = "roles"
    EXPORT = "export"
    AUDIT = "audit"
    DIGEST = "digest"
    ESCALATION = "escalation"
    CHASE = "chase"
    MANAGE_PEOPLE = "manage_people"
    REGISTER_GROUP = "register_group"


A, L, U = Scope.ALL, Scope.LED, Scope.OWN_UNIT

# role -> action -> scope; README's table is generated from this and tested against it.
POLICY: dict[str, dict[Action, Scope]] = {
    "admin": {action: A for action in Action},
    "leader": {
        Action.SEE_TASK: A,
        Action.EXPORT: A,
        Action.DIGEST: L,
        Action.ESCALATION: L,
        Action.CHASE: L,
    },
    "member": {
        Action.SEE_TASK: U,
        Action.REPORT: U,
        Action.ADD_EVIDENCE: U,
        Action.REQUEST_SIGNOFF: U,
        Action.REQUEST_EXTENSION: U,
    },
    "observer": {
        Action.SEE_TASK: A,
    },
}
ROLES = tuple(POLICY)


def scope(roles: Iterable[str], action: Action) -> Scope:
    best = Scope.NONE
    for role in roles:
        granted = POLICY.get(role, {}).get(action, Scope.NONE)
        if granted.value > best.value:
            best = granted
    return best


def allowed(roles: Iterable[str], action: Action) -> bool:
    return scope(roles, action) is not Scope.NONE


UNIT_KINDS = ("lead", "responsible", "supporting", "supervising")


async def task_ids_in_scope(session: AsyncSession, person: Person | None, roles: Iterable[str], action: Action) -> set[int] | None:
    """Task ids ``person`` may act on; None means every task."""
    granted = scope(roles, action)
    if granted is Scope.ALL:
        return None
    if granted is Scope.NONE or person is None:
        return set()
    if granted is Scope.LED:
        rows = await session.execute(
            select(TaskParty.task_id).where(TaskParty.kind == "leader", TaskParty.person_id == person.id)
        )
        return {int(r[0]) for r in rows}
    if person.unit_id is None:
        return set()
    rows = await session.execute(
        select(TaskParty.task_id).where(TaskParty.kind.in_(UNIT_KINDS), TaskParty.unit_id == person.unit_id)
    )
    return {int(r[0]) for r in rows}


async def may(session: AsyncSession, person: Person | None, roles: Iterable[str], action: Action, task_id: int) -> bool:
    ids = await task_ids_in_scope(session, person, roles, action)
    return ids is None or task_id in ids
