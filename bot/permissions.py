"""Who may do what: DESIGN.md's permission table as data, checked in the services.

Handlers never decide permissions; services ask ``scope(roles, action)`` and narrow
what they show or change to that scope. A person holds a set of roles; the widest
scope among them wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from storage import plans as plans_q
from storage.models import Person


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
    SETTINGS = "settings"


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

# What each action means, for the rendered table (docs/permissions.md, README).
DESCRIPTIONS: dict[Action, str] = {
    Action.SEE_TASK: "see a task (card, status, history of progress)",
    Action.REPORT: "report progress",
    Action.ADD_EVIDENCE: "add evidence (photos, files)",
    Action.REQUEST_SIGNOFF: "ask for sign-off (销号)",
    Action.REQUEST_EXTENSION: "ask for an extension",
    Action.APPROVE_SIGNOFF: "approve or reject a sign-off",
    Action.APPROVE_EXTENSION: "approve or reject an extension",
    Action.MOVE_REPORT: "move a report to another task or unit",
    Action.REPORT_ON_BEHALF: "report on behalf of a unit",
    Action.IMPORT: "import plans",
    Action.INVITE: "invite people",
    Action.BIND: "bind, unbind, approve self-service binding",
    Action.ROLES: "grant and revoke roles",
    Action.EXPORT: "export the ledger (台账)",
    Action.AUDIT: "read and verify the audit trail",
    Action.DIGEST: "receive digests (旬/月)",
    Action.ESCALATION: "receive escalations of overdue tasks",
    Action.CHASE: "chase (催办) the units behind",
    Action.MANAGE_PEOPLE: "add, rename, merge, move, retire people and units",
    Action.REGISTER_GROUP: "register a group chat to a unit or the office",
    Action.SETTINGS: "change the bot's settings",
}
SCOPE_WORDS = {Scope.ALL: "all", Scope.LED: "tasks they lead", Scope.OWN_UNIT: "own unit's tasks", Scope.NONE: "—"}


def render_table() -> str:
    """DESIGN.md's permission table, written from POLICY so the docs cannot drift from the code."""
    lines = ["| action | " + " | ".join(ROLES) + " |", "| --- |" + " --- |" * len(ROLES)]
    for action in Action:
        cells = [SCOPE_WORDS[POLICY[role].get(action, Scope.NONE)] for role in ROLES]
        lines.append(f"| {DESCRIPTIONS[action]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def scope(roles: Iterable[str], action: Action) -> Scope:
    best = Scope.NONE
    for role in roles:
        granted = POLICY.get(role, {}).get(action, Scope.NONE)
        if granted.value > best.value:
            best = granted
    return best


def allowed(roles: Iterable[str], action: Action) -> bool:
    return scope(roles, action) is not Scope.NONE


class Denied(Exception):
    """The asker's roles do not allow ``action``; handlers answer politely and change nothing."""

    def __init__(self, action: Action) -> None:
        super().__init__(action.value)
        self.action = action


def require(roles: Iterable[str], action: Action) -> None:
    if not allowed(roles, action):
        raise Denied(action)


UNIT_KINDS = plans_q.UNIT_PARTY_KINDS


async def task_ids_in_scope(session: AsyncSession, person: Person | None, roles: Iterable[str], action: Action) -> set[int] | None:
    """Task ids ``person`` may act on; None means every task."""
    granted = scope(roles, action)
    if granted is Scope.ALL:
        return None
    if granted is Scope.NONE or person is None:
        return set()
    if granted is Scope.LED:
        return await plans_q.task_ids_led_by(session, person.id)
    if person.unit_id is None:
        return set()
    return await unit_task_ids(session, person.unit_id)


async def may(session: AsyncSession, person: Person | None, roles: Iterable[str], action: Action, task_id: int) -> bool:
    ids = await task_ids_in_scope(session, person, roles, action)
    return ids is None or task_id in ids


async def unit_task_ids(session: AsyncSession, unit_id: int) -> set[int]:
    """Tasks naming the unit, and for a county (or township) government the tasks naming
    各县(市、区) (各乡镇): it has its own share of those, to see and to report on."""
    from bot.unit_names import shared_levels
    from storage import people
    from storage import reports as reports_q

    ids = await plans_q.task_ids_naming_unit(session, unit_id)
    levels = shared_levels(await people.unit_name(session, unit_id) or "")
    return ids | await reports_q.county_share_tasks(session, levels) if levels else ids


@dataclass(frozen=True)
class Audience:
    """Who reads an answer. In a private chat, the asker; in a group, everyone in it.

    The Bot API cannot list a group's members, so a group is bounded by what it was
    registered to (a unit, or the 整改办) and an unregistered group gets counts only.
    """

    kind: str  # "private" | "unit" | "office" | "unregistered"
    unit_id: int | None = None

    @property
    def counts_only(self) -> bool:
        return self.kind == "unregistered"


PRIVATE = Audience("private")


@dataclass(frozen=True)
class Visibility:
    """Task ids an answer may name (None: every task); ``counts_only``: numbers, never names."""

    task_ids: set[int] | None
    counts_only: bool = False

    def allows(self, task_id: int) -> bool:
        return not self.counts_only and (self.task_ids is None or task_id in self.task_ids)


async def visible(
    session: AsyncSession, person: Person | None, roles: Iterable[str], action: Action, audience: Audience
) -> Visibility:
    """The asker's scope narrowed to what the chat's audience may read."""
    own = await task_ids_in_scope(session, person, roles, action)
    if audience.kind == "unit" and audience.unit_id is not None:
        group = await unit_task_ids(session, audience.unit_id)
        return Visibility(group if own is None else own & group)
    if audience.kind == "unregistered":
        return Visibility(own, counts_only=True)
    return Visibility(own)
