"""Admins keep the roster true: add, rename, merge, move and retire people and units;
unbind accounts; grant and revoke roles; read a task's audit trail.

Every change is audited in the same transaction and takes effect at once: each
update loads its person afresh, so an unbound or demoted account loses its rights
on its very next message or button press, in conversations already open too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.binding import ROLES, normalize_name
from bot.permissions import Action, require
from bot.unit_names import spoken_units, unit_written
from storage import admin as admin_q
from storage import audit as audit_q
from storage import people
from storage import plans as plans_q
from storage.models import AuditEvent, Person, Task, Unit

ROLE_WORDS = {
    "admin": "admin", "管理员": "admin", "整改办": "admin",
    "leader": "leader", "领导": "leader", "责任领导": "leader",
    "member": "member", "联络员": "member", "成员": "member", "单位联络员": "member",
    "observer": "observer", "观察员": "observer", "只读": "observer",
}
_PERSON_ID = re.compile(r"^#(\d+)$")
# How a unit is put on a task by the office; 责任 (responsible) unless said otherwise.
PARTY_WORDS = {
    "lead": "lead", "牵头": "lead", "牵头单位": "lead",
    "responsible": "responsible", "责任": "responsible", "责任单位": "responsible",
    "supporting": "supporting", "配合": "supporting", "配合单位": "supporting", "协办": "supporting",
}
_REF_LIST = re.compile(r"[,，、;；]+")
ROSTER_ACTIONS = {
    "unbind": Action.BIND, "move": Action.MANAGE_PEOPLE, "retire": Action.MANAGE_PEOPLE,
    "grant": Action.ROLES, "revoke": Action.ROLES, "set": Action.ROLES, "handover": Action.MANAGE_PEOPLE,
    "rebind": Action.BIND, "add": Action.MANAGE_PEOPLE,
    "list": Action.MANAGE_PEOPLE,
    "check": Action.MANAGE_PEOPLE,
}


class AdminError(Exception):
    """A roster command cannot be carried out; ``code`` keys the message."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Done:
    """What changed, for the reply: ``what`` keys the message, ``params`` fill it."""

    what: str
    params: dict[str, str]


def role_of(word: str) -> str | None:
    return ROLE_WORDS.get(word.strip().lower()) or ROLE_WORDS.get(word.strip())


async def similar(session: AsyncSession, wanted: str, *, units: bool) -> str:
    names = await (admin_q.unit_names(session) if units else admin_q.person_names(session))
    found = process.extract(wanted, names, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    return "、".join(str(name) for name, _score, _ in found)


def describe(person: Person, unit: str | None) -> str:
    return f"#{person.id} {person.name}" + (f"（{unit}）" if unit else "")


async def resolve_unit(session: AsyncSession, name: str) -> Unit | None:
    """A unit by name or alias; else the one unit whose name contains what was typed (水利局 → 市水利局),
    or whose spoken short form it is (应急局 → 市应急管理局)."""
    wanted = normalize_name(name)
    if not wanted:
        return None
    unit = await people.find_unit(session, wanted)
    if unit is not None:
        return None if unit.retired else unit
    containing = [u for u in await admin_q.units(session) if len(wanted) >= 2 and wanted in u.name]
    if len(containing) == 1:
        return containing[0]
    spoken = [unit_id for key, unit_id, _name in await spoken_units(session, wanted) if key == wanted]
    unit = await session.get(Unit, spoken[0]) if spoken else None
    return unit if unit is not None and not unit.retired else None


async def find_unit(session: AsyncSession, name: str) -> Unit:
    wanted = normalize_name(name)
    unit = await resolve_unit(session, wanted)
    if unit is None:
        raise AdminError("no_unit", unit=wanted, similar=await similar(session, wanted, units=True))
    return unit


async def find_person(session: AsyncSession, ref: str) -> Person:
    """``#12``, ``倪玉民`` or ``市水利局/李明``; several matches → ask for the #id."""
    text = normalize_name(ref)
    m = _PERSON_ID.match(text)
    if m:
        person = await admin_q.person_by_id(session, int(m.group(1)))
        if person is None or person.retired:
            raise AdminError("no_person", name=text, similar="")
        return person
    unit_part, sep, name = text.rpartition("/") if "/" in text else ("", "", text)
    if sep:
        unit = await find_unit(session, unit_part)
        matches = await people.persons_of_unit(session, unit.id, name)
    else:
        matches = await people.persons_named(session, name)
    if not matches:
        raise AdminError("no_person", name=text, similar=await similar(session, name, units=False))
    if len(matches) > 1:
        listed = [describe(p, await people.unit_name(session, p.unit_id)) for p in matches]
        raise AdminError("ambiguous_person", name=text, candidates="、".join(listed))
    return matches[0]


@dataclass(frozen=True)
class Pending:
    """A roster change asked in words, waiting for the admin's button: ``arg`` is the unit id
    for a move, the role for grant/revoke/set, the successor for a handover, the new name for
    an add (whose ``person_id`` is then the unit's id), ``-`` otherwise."""

    op: str
    person_id: int
    arg: str
    params: dict[str, str]


class PeopleAdmin:
    """One admin's roster changes in one transaction."""

    def __init__(
        self, session: AsyncSession, auditor: Auditor, *, roles: set[str], actor: str, now: datetime,
        bot_username: str = "", created_by: int | None = None,
    ) -> None:
        self.session = session
        self.auditor = auditor
        self.roles = roles
        self.actor = actor
        self.now = now
        self.bot_username = bot_username
        self.created_by = created_by

    async def _audit(self, action: str, subject: str, payload: dict[str, Any]) -> None:
        await self.auditor.append(self.session, actor=self.actor, action=action, subject=subject, payload=payload, now=self.now)

    # --- units ---------------------------------------------------------------------------

    async def add_unit(self, name: str) -> Done:
        require(self.roles, Action.MANAGE_PEOPLE)
        clean = normalize_name(name)
        if not clean:
            raise AdminError("no_name")
        existing = await people.find_unit(self.session, clean)
        if existing is not None and not existing.retired:
            raise AdminError("unit_exists", unit=existing.name)
        if existing is not None:
            existing.retired = False
            unit = existing
        else:
            unit = await people.ensure_unit(self.session, clean)
        await self._audit("unit.add", f"unit:{unit.id}", {"name": unit.name})
        return Done("unit_added", {"unit": unit.name})

    async def rename_unit(self, old: str, new: str) -> Done:
        """The old name stays an alias, so old messages and documents still match."""
        require(self.roles, Action.MANAGE_PEOPLE)
        unit = await find_unit(self.session, old)
        clean = normalize_name(new)
        if not clean:
            raise AdminError("no_name")
        clash = await people.find_unit(self.session, clean)
        if clash is not None and clash.id != unit.id:
            raise AdminError("unit_exists", unit=clash.name)
        previous = unit.name
        unit.name = clean
        await self.session.flush()
        await admin_q.add_alias(self.session, previous, unit.id)
        await self._audit("unit.rename", f"unit:{unit.id}", {"from": previous, "to": clean})
        return Done("unit_renamed", {"old": previous, "new": clean})

    async def merge_units(self, source: str, target: str) -> Done:
        """``source`` becomes an alias of ``target`` (市扬尘办 → 市城管局)."""
        require(self.roles, Action.MANAGE_PEOPLE)
        src = await find_unit(self.session, source)
        dst = await find_unit(self.session, target)
        if src.id == dst.id:
            raise AdminError("same_unit", unit=dst.name)
        name = src.name
        details = await admin_q.merge_units(self.session, src, dst)
        await self.session.delete(src)
        await self.session.flush()
        await admin_q.add_alias(self.session, name, dst.id)
        await self._audit("unit.merge", f"unit:{dst.id}", {"merged": name, "merged_id": src.id, **details})
        return Done("unit_merged", {"old": name, "new": dst.name})

    async def retire_unit(self, name: str, *, confirmed: bool = False) -> Done:
        """Retire a unit; one still holding open tasks or bound people only when confirmed.

        A unit abolished in a reorganisation usually lives on in another: merging moves its
        tasks and people along, while retiring leaves them with a unit nobody can look up.
        """
        require(self.roles, Action.MANAGE_PEOPLE)
        unit = await find_unit(self.session, name)
        open_shares, bound = await admin_q.unit_load(self.session, unit.id)
        if (open_shares or bound) and not confirmed:
            raise AdminError("unit_busy", unit=unit.name, open=str(open_shares), bound=str(bound))
        unit.retired = True
        await self._audit("unit.retire", f"unit:{unit.id}", {"name": unit.name})
        return Done("unit_retired", {"unit": unit.name})

    # --- units on tasks -------------------------------------------------------------------

    async def _tasks(self, refs: str) -> list[Task]:
        found: list[Task] = []
        for ref in (r.strip() for r in _REF_LIST.split(refs)):
            if not ref:
                continue
            tasks = [t for t in await admin_q.tasks_by_ref(self.session, ref) if not t.archived]
            if not tasks:
                raise AdminError("no_task", ref=ref)
            if len(tasks) > 1:
                raise AdminError("ambiguous_task", ref=ref, refs="、".join(f"{t.plan_id}:{t.ref}" for t in tasks))
            if tasks[0] not in found:
                found.append(tasks[0])
        if not found:
            raise AdminError("no_task", ref=refs)
        return found

    async def assign(self, refs: str, unit_name: str, kind_word: str | None) -> Done:
        """Put a unit on tasks the plan left without one (or missed), so its members can report.

        A unit the task already names is left as it is: the plan's wording wins over a
        second, possibly conflicting, role.
        """
        require(self.roles, Action.IMPORT)
        kind = PARTY_WORDS.get((kind_word or "责任").strip().lower())
        if kind is None:
            raise AdminError("bad_party", word=kind_word or "")
        unit = await find_unit(self.session, unit_name)
        added, already = [], []
        for task in await self._tasks(refs):
            if await plans_q.unit_parties(self.session, task.id, unit.id):
                already.append(task.ref)
                continue
            await plans_q.assign_unit(self.session, task.id, unit.id, kind)
            if kind in ("lead", "responsible"):
                await plans_q.ensure_task_unit(self.session, task.id, unit.id)
            await self._audit("task.assign", f"task:{task.id}", {"unit": unit.name, "unit_id": unit.id, "kind": kind})
            added.append(task.ref)
        if not added:
            raise AdminError("already_named", unit=unit.name, refs="、".join(already))
        return Done("task_assigned", {
            "unit": unit.name, "refs": "、".join(added), "party": kind,
            "skipped": "、".join(already),
        })

    async def unassign(self, refs: str, unit_name: str) -> Done:
        """Take back an assignment; what the plan itself names changes only with the plan."""
        require(self.roles, Action.IMPORT)
        unit = await find_unit(self.session, unit_name)
        removed = []
        for task in await self._tasks(refs):
            parties = await plans_q.unit_parties(self.session, task.id, unit.id)
            if not parties:
                raise AdminError("not_named", unit=unit.name, ref=task.ref)
            if not any(p.assigned for p in parties):
                raise AdminError("named_by_plan", unit=unit.name, ref=task.ref)
            for party in parties:
                if party.assigned:
                    await self.session.delete(party)
            await self.session.flush()
            if not any(not p.assigned and p.kind in ("lead", "responsible") for p in parties):
                await plans_q.drop_unreported_shares(self.session, task.id, {unit.id})
            await self._audit("task.unassign", f"task:{task.id}", {"unit": unit.name, "unit_id": unit.id})
            removed.append(task.ref)
        return Done("task_unassigned", {"unit": unit.name, "refs": "、".join(removed)})

    # --- people --------------------------------------------------------------------------

    async def add_person(self, unit_name: str, name: str, role: str | None) -> Done:
        require(self.roles, Action.MANAGE_PEOPLE)
        unit = await find_unit(self.session, unit_name)
        clean = normalize_name(name)
        if not clean:
            raise AdminError("no_name")
        if role is not None and role not in ROLES:
            raise AdminError("bad_role", role=role, roles="、".join(ROLES))
        if await people.persons_of_unit(self.session, unit.id, clean):
            raise AdminError("person_exists", name=clean, unit=unit.name)
        person = Person(name=clean, unit_id=unit.id, roles=[role or "member"])
        self.session.add(person)
        await self.session.flush()
        await self._audit("person.add", f"person:{person.id}", {"name": clean, "unit": unit.name, "roles": person.roles})
        return Done("person_added", {"person": describe(person, unit.name)})

    async def rename_person(self, ref: str, new: str) -> Done:
        require(self.roles, Action.MANAGE_PEOPLE)
        person = await find_person(self.session, ref)
        clean = normalize_name(new)
        if not clean:
            raise AdminError("no_name")
        previous = person.name
        person.name = clean
        await self._audit("person.rename", f"person:{person.id}", {"from": previous, "to": clean})
        return Done("person_renamed", {"old": previous, "new": clean})

    async def move_person(self, ref: str, unit_name: str) -> Done:
        """Effective at once: the person reports for, and sees, the new unit from the next message."""
        require(self.roles, Action.MANAGE_PEOPLE)
        person = await find_person(self.session, ref)
        unit = await find_unit(self.session, unit_name)
        previous = await people.unit_name(self.session, person.unit_id)
        person.unit_id = unit.id
        await self._audit("person.move", f"person:{person.id}", {"from": previous, "to": unit.name})
        return Done("person_moved", {"person": person.name, "old": previous or "—", "new": unit.name})

    async def retire_person(self, ref: str) -> Done:
        require(self.roles, Action.MANAGE_PEOPLE)
        person = await find_person(self.session, ref)
        person.retired = True
        telegram_id = person.telegram_id
        person.telegram_id = None
        await self._audit("person.retire", f"person:{person.id}", {"name": person.name, "telegram_id": telegram_id})
        return Done("person_retired", {"person": person.name})

    async def unbind(self, ref: str) -> Done:
        require(self.roles, Action.BIND)
        person = await find_person(self.session, ref)
        if person.telegram_id is None:
            raise AdminError("not_bound", name=person.name)
        telegram_id = person.telegram_id
        person.telegram_id = None
        await self._audit("unbind", f"person:{person.id}", {"telegram_id": telegram_id})
        return Done("unbound", {"person": person.name})

    async def _person_and_role(self, ref: str, role_word: str) -> tuple[Person, str]:
        require(self.roles, Action.ROLES)
        role = role_of(role_word)
        if role is None:
            raise AdminError("bad_role", role=role_word, roles="、".join(ROLES))
        return await find_person(self.session, ref), role

    async def set_role(self, ref: str, role_word: str, grant: bool) -> Done:
        person, role = await self._person_and_role(ref, role_word)
        current = list(person.roles or [])
        if grant and role not in current:
            current.append(role)
        elif not grant and role in current:
            current.remove(role)
        else:
            raise AdminError("role_unchanged", name=person.name, role=role)
        person.roles = current
        await self._audit("role.grant" if grant else "role.revoke", f"person:{person.id}", {"role": role, "roles": current})
        return Done("role_granted" if grant else "role_revoked", {"person": person.name, "role": role})

    async def replace_roles(self, ref: str, role_word: str) -> Done:
        """"王强的权限改成观察员": the named role instead of all held, so a demotion leaves
        no wider right behind."""
        person, role = await self._person_and_role(ref, role_word)
        previous = list(person.roles or [])
        if previous == [role]:
            raise AdminError("role_unchanged", name=person.name, role=role)
        person.roles = [role]
        await self._audit("role.set", f"person:{person.id}", {"from": previous, "role": role, "roles": [role]})
        return Done("role_set", {"person": person.name, "roles_before": ",".join(previous), "role": role})

    async def hand_over(self, ref: str, successor: str) -> Done:
        """"李明调走了，他的任务交给张华": tasks belong to the unit, so nothing moves but the
        people: the one who left is unbound, the successor is on the roster and, not yet
        bound, gets an invitation the admin forwards."""
        require(self.roles, Action.MANAGE_PEOPLE)
        person = await find_person(self.session, ref)
        if person.unit_id is None:
            raise AdminError("handover_no_unit", name=person.name)
        unit = await people.unit_name(self.session, person.unit_id) or ""
        if person.telegram_id is not None:
            telegram_id = person.telegram_id
            person.telegram_id = None
            await self._audit("unbind", f"person:{person.id}", {"telegram_id": telegram_id, "successor": successor})
        found = await people.persons_of_unit(self.session, person.unit_id, successor)
        if found:
            heir = found[0]
        else:
            heir = Person(name=successor, unit_id=person.unit_id, roles=["member"])
            self.session.add(heir)
            await self.session.flush()
            await self._audit("person.add", f"person:{heir.id}", {"name": successor, "unit": unit, "roles": heir.roles})
        params = {"person": person.name, "to": heir.name, "unit": unit}
        if heir.telegram_id is not None or not self.bot_username:
            return Done("handed_over", params)
        from bot.invitations import DEFAULT_DAYS, issue

        issued = await issue(
            self.session, self.auditor, unit=unit, name=heir.name, days=DEFAULT_DAYS, now=self.now,
            actor=self.actor, created_by=self.created_by, bot_username=self.bot_username,
        )
        until = issued.expires_at.astimezone(self.now.tzinfo).strftime("%Y-%m-%d %H:%M")
        return Done("handed_over_invited", {**params, "code": issued.code, "link": issued.link, "until": until})

    async def add_and_invite(self, unit_id: int, name: str) -> Done:
        """"在市水利局加一个联络员赵六": on the roster as a member, with the invitation that lets
        them bind, since a liaison the office adds is one it wants reporting."""
        require(self.roles, Action.MANAGE_PEOPLE)
        unit = await self.session.get(Unit, unit_id)
        if unit is None or unit.retired:
            raise AdminError("no_unit", unit=str(unit_id), similar="")
        await self.add_person(unit.name, name, None)
        params = {"name": name, "to": name, "unit": unit.name}
        if not self.bot_username:
            return Done("person_added_words", params)
        from bot.invitations import DEFAULT_DAYS, issue

        issued = await issue(
            self.session, self.auditor, unit=unit.name, name=name, days=DEFAULT_DAYS, now=self.now,
            actor=self.actor, created_by=self.created_by, bot_username=self.bot_username,
        )
        until = issued.expires_at.astimezone(self.now.tzinfo).strftime("%Y-%m-%d %H:%M")
        return Done("person_added_invited", {**params, "code": issued.code, "link": issued.link, "until": until})

    async def rebind(self, ref: str) -> Done:
        """"王强的手机号换了，重新绑定": the old account is let go and a fresh invitation made,
        so the new account binds to the same person, roles and unit, with nothing to retype."""
        require(self.roles, Action.BIND)
        require(self.roles, Action.INVITE)
        person = await find_person(self.session, ref)
        if person.telegram_id is not None:
            telegram_id = person.telegram_id
            person.telegram_id = None
            await self._audit("unbind", f"person:{person.id}", {"telegram_id": telegram_id, "rebind": True})
        if not self.bot_username:
            return Done("unbound", {"person": person.name})
        from bot.invitations import DEFAULT_DAYS, InviteError, issue

        unit = await people.unit_name(self.session, person.unit_id)
        try:
            issued = await issue(
                self.session, self.auditor, person=None if unit else person.name, unit=unit,
                name=person.name if unit else None, days=DEFAULT_DAYS, now=self.now, actor=self.actor,
                created_by=self.created_by, bot_username=self.bot_username,
            )
        except InviteError as exc:
            raise AdminError("ambiguous_person", name=person.name, candidates=exc.params.get("count", "")) from exc
        until = issued.expires_at.astimezone(self.now.tzinfo).strftime("%Y-%m-%d %H:%M")
        return Done("rebound_invited", {
            "person": person.name, "to": person.name, "code": issued.code, "link": issued.link, "until": until,
        })

    async def listing(self, unit_name: str | None) -> list[tuple[Person, str | None]]:
        require(self.roles, Action.MANAGE_PEOPLE)
        unit = await find_unit(self.session, unit_name) if unit_name else None
        rows = await admin_q.persons(self.session, unit_id=unit.id if unit else None)
        return [(p, await people.unit_name(self.session, p.unit_id)) for p in rows]

    # --- changes asked in words, confirmed by a button --------------------------------------

    async def prepare(self, ask: RosterAsk) -> Pending:
        """Check a change asked in words and describe it for the confirmation card; changes nothing.

        Anything that would fail on the button (unknown name, not bound, role already held)
        is told now, so the office never confirms a change that cannot happen.
        """
        require(self.roles, ROSTER_ACTIONS[ask.op])
        if ask.op == "add":  # nobody to find yet: the unit carries the change, the name rides along
            unit = await find_unit(self.session, ask.unit)
            name = normalize_name(ask.who)
            if await people.persons_of_unit(self.session, unit.id, name):
                raise AdminError("person_exists", name=name, unit=unit.name)
            return Pending("add", unit.id, name, {"unit": unit.name, "name": name})
        person = await find_person(self.session, ask.who)
        params = {"person": describe(person, await people.unit_name(self.session, person.unit_id))}
        arg = "-"
        if ask.op == "unbind" and person.telegram_id is None:
            raise AdminError("not_bound", name=person.name)
        if ask.op == "move":
            unit = await find_unit(self.session, ask.unit)
            if unit.id == person.unit_id:
                raise AdminError("already_in_unit", name=person.name, unit=unit.name)
            arg, params["unit"] = str(unit.id), unit.name
        if ask.op in ("grant", "revoke"):
            if (ask.role in (person.roles or [])) == (ask.op == "grant"):
                raise AdminError("role_unchanged" if ask.op == "grant" else "role_not_held", name=person.name, role=ask.role)
            arg, params["role"] = ask.role, ask.role
        if ask.op == "handover":
            if person.unit_id is None:
                raise AdminError("handover_no_unit", name=person.name)
            successor = normalize_name(ask.to)
            if successor == person.name:
                raise AdminError("handover_same", name=person.name)
            arg, params["to"] = successor, successor
            params["unit"] = await people.unit_name(self.session, person.unit_id) or ""
        if ask.op == "set":
            if list(person.roles or []) == [ask.role]:
                raise AdminError("role_unchanged", name=person.name, role=ask.role)
            arg, params["role"], params["roles_before"] = ask.role, ask.role, ",".join(person.roles or [])
        return Pending(ask.op, person.id, arg, params)

    async def carry_out(self, op: str, person_id: int, arg: str) -> Done:
        """The confirmed change, by the same audited path as the matching command."""
        if op == "add":
            return await self.add_and_invite(person_id, arg)
        ref = f"#{person_id}"
        if op == "unbind":
            return await self.unbind(ref)
        if op == "retire":
            return await self.retire_person(ref)
        if op in ("grant", "revoke"):
            return await self.set_role(ref, arg, grant=op == "grant")
        if op == "set":
            return await self.replace_roles(ref, arg)
        if op == "handover":
            return await self.hand_over(ref, arg)
        if op == "rebind":
            return await self.rebind(ref)
        if op == "move" and arg.isdigit():
            unit = await self.session.get(Unit, int(arg))
            person = await find_person(self.session, ref)
            if unit is None or unit.retired:
                raise AdminError("no_unit", unit=arg, similar="")
            if unit.id == person.unit_id:
                raise AdminError("already_in_unit", name=person.name, unit=unit.name)
            return await self.move_person(ref, unit.name)
        raise AdminError("no_person", name=ref, similar="")

    async def one(self, ref: str) -> list[tuple[Person, str | None]]:
        """"倪玉民绑定了吗": the one person, as a roster line."""
        require(self.roles, Action.MANAGE_PEOPLE)
        person = await find_person(self.session, ref)
        return [(person, await people.unit_name(self.session, person.unit_id))]

    # --- audit trail ---------------------------------------------------------------------

    async def history(self, ref: str, limit: int = 30) -> tuple[Task, list[AuditEvent]]:
        require(self.roles, Action.AUDIT)
        tasks = await admin_q.tasks_by_ref(self.session, ref.strip())
        if not tasks:
            raise AdminError("no_task", ref=ref)
        if len(tasks) > 1:
            raise AdminError("ambiguous_task", ref=ref, refs="、".join(f"{t.plan_id}:{t.ref}" for t in tasks))
        task = tasks[0]
        return task, await audit_q.events_about(self.session, [f"task:{task.id}"], limit)


# --- the roster in the office's own words ------------------------------------------------

_UNIT_OR_COUNCIL = unit_written(1, 20, council=True)

_CJK_NAME = r"(?:(?!的)[\u4e00-\u9fa5·]){2,5}"
_ROLE_NOUN = "权限|角色|身份"
# A name that stops before 是/有 and the role nouns: "王强是什么权限" is about 王强.
_WHO_NOT_ROLE = rf"(?:[\u4e00-\u9fa5（）()]{{2,20}}?的)?(?:(?!的|{_ROLE_NOUN})[\u4e00-\u9fa5·]){{2,5}}|#\d{{1,9}}"
_NOT_A_NAME = re.compile(r"[我你他她谁哪怎何么吗呢]")
# A person as the office names one: 李明, 市水利局的李明, 市水利局李明 is left to find_person's fuzzy ask.
_WHO = rf"(?:[\u4e00-\u9fa5（）()]{{2,20}}?的)?{_CJK_NAME}|#\d{{1,9}}"
_ROLE_WORD = "|".join(sorted((w for w in ROLE_WORDS if not w.isascii()), key=len, reverse=True))
_PUNCT = "，,。.;；！!？? "
_ACCOUNT_WORD = re.compile(r"的?(?:微信号|微信|账号|帐号)")
_UNBIND_VERB = re.compile(r"(?:解除|取消)\S{0,12}?绑定|解绑")
_UNBIND = (
    re.compile(rf"^(?:请)?(?:把|将|给)?(?P<who>{_WHO})(?:的)?(?:账号|微信|绑定)?(?:解除绑定|取消绑定|解绑)(?:一下|掉)?(?:吧|了)?$"),
    re.compile(rf"^(?:请)?(?:帮我)?(?:解除绑定|取消绑定|解绑)(?:一下)?(?P<who>{_WHO})(?:的账号|的绑定)?$"),
    re.compile(rf"^(?:请)?(?:帮我)?(?:解除|取消)(?P<who>{_WHO})的?绑定$"),
)
# "李明调走了，解除绑定": who first, the why, then the verb alone.
_WHO_THEN_WHY = re.compile(rf"^(?P<who>{_WHO})(?:已经|已)?(?:调走|调离|离职|退休|离岗|换岗|不在\S*)了?$")
_MOVE = re.compile(
    rf"^(?:请)?(?:把|将)?(?P<who>{_WHO})(?:从[\u4e00-\u9fa5（）()]{{2,20}}?)?(?:改到|调到|调整到|调往|转到|换到|移到|调入|改为)(?P<unit>{_UNIT_OR_COUNCIL})(?:去|了)?$"
)
_GRANT = re.compile(
    rf"^(?:请)?(?:给|为|把|将)(?P<who>{_WHO})(?:加上|加个|加|增加|授予|开通|设为|设置为|设成)(?P<role>{_ROLE_WORD})(?:的)?(?:权限|角色|身份)?$"
)
_REVOKE = re.compile(
    rf"^(?:请)?(?:取消|撤销|去掉|收回|撤掉|删除|拿掉)(?P<who>{_WHO})的(?P<role>{_ROLE_WORD})(?:权限|角色|身份)?$"
)
_REVOKE_AFTER = re.compile(
    rf"^(?:请)?(?:把|将)(?P<who>{_WHO})的(?P<role>{_ROLE_WORD})(?:权限|角色|身份)?(?:取消|撤销|去掉|收回|撤掉|拿掉)(?:掉|了)?$"
)
_MOVE_UNIT = re.compile(
    rf"^(?:请)?(?:把|将)?(?P<who>{_WHO})的(?:单位|所在单位|工作单位)(?:改成|改为|调整为|换成|改到)"
    rf"(?P<unit>{_UNIT_OR_COUNCIL})(?:了)?$"
)
# "王强的权限改成观察员", "把王强改为领导": one role in place of those held.
_SET_ROLE = re.compile(
    rf"^(?:请)?(?:把|将)?(?P<who>{_WHO_NOT_ROLE})的?(?:权限|角色|身份)?(?:改成|改为|调整为|调整成|换成|变更为|设为|设置为|设成)"
    rf"(?P<role>{_ROLE_WORD})(?:的)?(?:权限|角色|身份)?(?:吧|了)?$"
)
# "李明调走了，他的任务交给张华", "李明的工作移交给张华": the unit's work passes to another person.
_LEFT = r"(?:已经|已)?(?:调走|调离|离职|退休|离岗|换岗)了?"
_HAND_TO = r"(?:交给|移交给|转给|转交给|交由|由)"
_HANDOVER = (
    re.compile(
        rf"^(?P<who>{_WHO}){_LEFT}[，,]?(?:他|她)?的?(?:任务|工作|报送|联络工作)?(?:都|全部)?{_HAND_TO}"
        rf"(?P<to>{_CJK_NAME}?)(?:来)?(?:接手|接替|负责|报送|对接)?(?:了|吧)?$"
    ),
    re.compile(
        rf"^(?:把|将)?(?P<who>{_WHO})的(?:任务|工作|报送|联络工作)(?:都|全部)?{_HAND_TO}(?P<to>{_CJK_NAME}?)(?:来)?(?:接手|接替|负责|报送)?(?:了|吧)?$"
    ),
)
# "王强的手机号换了，重新绑定", "王强换手机了，要重新发个邀请码", "给王强换绑".
_CHANGED = (
    r"(?:的?(?:手机号码|手机号|手机|电话号码|电话|号码)(?:换了|更换了|变了|丢了|换新了)"
    r"|换了?(?:新)?(?:手机号码|手机号|手机|号码|账号)了?|换了|更换了|丢了|变了)"
)
_AGAIN = r"(?:要|需要|请|帮他|帮她|给他|给她)?(?:重新绑定|重新绑|换绑|重新发(?:一?个)?邀请(?:码|链接)?|重新邀请)(?:一下)?吧?"
_WHO_NOT_DEVICE = rf"(?:[\u4e00-\u9fa5（）()]{{2,20}}?的)?(?!手机|电话|号码){_CJK_NAME}|#\d{{1,9}}"
_REBIND = (
    re.compile(rf"^(?P<who>{_WHO_NOT_DEVICE}){_CHANGED}[，,]?{_AGAIN}$"),
    re.compile(rf"^(?:请)?(?:给|帮|为)?(?P<who>{_WHO})(?:换绑|重新绑定)(?:一下)?$"),
)
_CHECK = re.compile(
    rf"^(?P<who>{_WHO_NOT_ROLE.replace('{2,5}', '{2,5}?')})(?:绑定了吗|绑定了没有?|绑了吗|绑了没有?|有没有绑定|是否已?绑定|绑定没有"
    r"|(?:现在|目前)?的?(?:是|有)?(?:什么|哪些|啥)(?:权限|角色|身份)|的(?:权限|角色|身份)是(?:什么|啥))[吗呢？?]*$"
)
_RETIRE = re.compile(rf"^(?P<who>{_WHO})(?:已经|已)?(?:离职|退休|离任)了?(?:，?(?:停用|注销)(?:吧|一下)?)?$")
_RETIRE_VERB_FIRST = re.compile(rf"^(?:请)?(?:把|将)?停用(?:一下)?(?P<who>{_WHO})$")
# "在市水利局加一个联络员赵六", "市水利局新增联络员赵六", "给市水利局添加人员赵六".
_ADD = re.compile(
    rf"^(?:请)?(?:在|给|为)?(?P<unit>{unit_written(2, 20)})"
    r"(?:再)?(?:加|增加|新增|添加|增补|补充)(?:一个|一名|一位|个|名|位)?(?:新的?)?(?:联络员|人员|成员|工作人员|负责人)"
    rf"[:：]?(?P<who>{_CJK_NAME})$"
)
_LIST_UNIT = re.compile(
    r"^(?:请)?(?:看看|看一下|查一下|查查|列一下|列出)?(?P<unit>[\u4e00-\u9fa5（）()]{2,20}?)"
    r"(?:都|现在)?(?:有哪些人|有谁|都有谁|有哪些人员|的人员名单|的人员|人员名单|的名单)(?:呢)?$"
)


@dataclass(frozen=True)
class RosterAsk:
    """What an admin asked of the roster in words: ``op`` is unbind, move, grant, revoke,
    set (one role in place of all), retire, handover (to ``to``), rebind (a new account for
    the same person), add (``who`` to ``unit``: each confirmed by a button first), or list /
    check (read only)."""

    op: str
    who: str = ""
    unit: str = ""
    role: str = ""
    to: str = ""


def _who(raw: str) -> str:
    """``市水利局的李明`` → ``市水利局/李明``, the form find_person takes."""
    unit, sep, name = raw.partition("的")
    return f"{unit}/{name}" if sep and name else raw


def _asks_about_someone(ask: RosterAsk) -> RosterAsk | None:
    """"我的账号怎么解绑" is a question, not a request about a person called 我怎么."""
    return None if ask.who and _NOT_A_NAME.search(ask.who.rpartition("/")[2]) else ask


def roster_request(text: str) -> RosterAsk | None:
    """Read a roster request from an admin's own words; None when the text is not one."""
    body = re.sub(r"\s+", "", text).strip(_PUNCT)
    if not body or len(body) > 40:
        return None
    body = _ACCOUNT_WORD.sub("", body)
    clauses = [c for c in re.split(r"[，,。；;！!]", body) if c.strip()]
    for pattern in _REBIND:
        m = pattern.match(body)
        if m:
            return _asks_about_someone(RosterAsk("rebind", who=_who(m.group("who"))))
    for pattern in _HANDOVER:
        m = pattern.match(body)
        if m and not _NOT_A_NAME.search(m.group("to")):
            return _asks_about_someone(RosterAsk("handover", who=_who(m.group("who")), to=m.group("to")))
    if _UNBIND_VERB.search(body):
        for pattern in _UNBIND:
            for clause in (body, *clauses):
                m = pattern.match(clause.strip())
                if m:
                    return _asks_about_someone(RosterAsk("unbind", who=_who(m.group("who"))))
        first = _WHO_THEN_WHY.match(clauses[0].strip()) if len(clauses) > 1 else None
        if first and all(_UNBIND_VERB.fullmatch(c.strip().strip("吧请") or "") for c in clauses[1:]):
            return _asks_about_someone(RosterAsk("unbind", who=_who(first.group("who"))))
        return None
    for kind, pattern in (
        ("set", _SET_ROLE), ("move", _MOVE), ("move", _MOVE_UNIT), ("grant", _GRANT), ("revoke", _REVOKE), ("revoke", _REVOKE_AFTER),
        ("retire", _RETIRE), ("retire", _RETIRE_VERB_FIRST), ("check", _CHECK), ("add", _ADD),
    ):
        m = pattern.match(body)
        if m:
            groups = m.groupdict()
            role = role_of(groups.get("role") or "") or ""
            return _asks_about_someone(RosterAsk(kind, who=_who(m.group("who")), unit=groups.get("unit") or "", role=role))
    m = _LIST_UNIT.match(body)
    if m and not m.group("unit").startswith(("哪", "谁", "我")):
        return RosterAsk("list", unit=m.group("unit"))
    return None
