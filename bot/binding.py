"""Binding a Telegram account to a person (and unit) of the plan, with roles.

Used by invitations, self-service approval and ``simulate``'s bind events alike, so
every path writes the same audited binding.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from storage import people
from storage.models import Person

ROLES = ("admin", "leader", "member", "observer")
_SPACES = re.compile(r"[\s\u3000]+")


class BindError(Exception):
    """The binding cannot be made; ``code`` names why (for messages and exit codes)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def normalize_name(name: str) -> str:
    """Padding inside Chinese names goes (张  三 is 张三, as tables pad two-character names);
    a gap between Latin words stays, as one space (John Smith)."""
    out = ""
    for part in _SPACES.split(name.strip()):
        if out and part and _latin(out[-1]) and _latin(part[0]):
            out += " "
        out += part
    return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _add_roles(person: Person, roles: list[str]) -> None:
    current = list(person.roles or [])
    for role in roles:
        if role not in ROLES:
            raise BindError("bad_role", f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if role not in current:
            current.append(role)
    person.roles = current


async def _attach(session: AsyncSession, person: Person, telegram_id: int) -> None:
    await people.unbind_telegram(session, telegram_id, keep=person)
    await session.flush()
    person.telegram_id = telegram_id
    await session.flush()


async def bind_admin(
    session: AsyncSession, auditor: Auditor, *, telegram_id: int, now: datetime, actor: str, name: str | None = None
) -> Person:
    person = await people.person_by_telegram(session, telegram_id)
    if person is None:
        user = await people.get_user(session, telegram_id)
        person = Person(name=name or (user.first_name if user and user.first_name else f"admin-{telegram_id}"), roles=[])
        session.add(person)
        await session.flush()
        await _attach(session, person, telegram_id)
    _add_roles(person, ["admin"])
    await auditor.append(
        session, actor=actor, action="bind", subject=f"person:{person.id}",
        payload={"telegram_id": telegram_id, "roles": person.roles}, now=now,
    )
    return person


async def bind_person(
    session: AsyncSession,
    auditor: Auditor,
    *,
    telegram_id: int,
    name: str,
    role: str | None,
    now: datetime,
    actor: str,
) -> Person:
    """Bind to a person named in a plan; their plan roles apply unless ``role`` is given."""
    wanted = normalize_name(name)
    matches = await people.persons_named(session, wanted)
    if not matches:
        raise BindError("no_person", f"no person named {wanted} in the plans")
    if len(matches) > 1:
        raise BindError("ambiguous_person", f"{len(matches)} persons are named {wanted}; bind by unit")
    person = matches[0]
    _add_roles(person, [role] if role else list(person.roles or []) or ["member"])
    await _attach(session, person, telegram_id)
    await auditor.append(
        session, actor=actor, action="bind", subject=f"person:{person.id}",
        payload={"telegram_id": telegram_id, "name": person.name, "roles": person.roles}, now=now,
    )
    return person


async def bind_member(
    session: AsyncSession,
    auditor: Auditor,
    *,
    telegram_id: int,
    unit: str,
    name: str,
    role: str | None,
    now: datetime,
    actor: str,
) -> Person:
    """Bind to a member of a unit (the unit must exist, by name or alias)."""
    found = await people.find_unit(session, normalize_name(unit))
    if found is None:
        raise BindError("no_unit", f"no unit named {normalize_name(unit)}")
    clean = normalize_name(name) or f"{found.name}-{telegram_id}"
    existing = await people.persons_of_unit(session, found.id, clean)
    if len(existing) > 1:
        raise BindError("ambiguous_person", f"{len(existing)} persons named {clean} in {found.name}")
    person = existing[0] if existing else Person(name=clean, unit_id=found.id, roles=[])
    if not existing:
        session.add(person)
        await session.flush()
    _add_roles(person, [role or "member"])
    await _attach(session, person, telegram_id)
    await auditor.append(
        session, actor=actor, action="bind", subject=f"person:{person.id}",
        payload={"telegram_id": telegram_id, "name": person.name, "unit": found.name, "roles": person.roles}, now=now,
    )
    return person
