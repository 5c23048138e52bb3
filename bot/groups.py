"""Work groups: an admin registers a group to a unit or to the 整改办; that bounds what it sees.

The Bot API cannot list a group's members, so "what everyone here may see" is
unknowable; the registration stands in for it. Reports from bound members in a
group are handled as in private chat; unbound members are ignored there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.binding import normalize_name
from bot.people_admin import resolve_unit, similar
from bot.permissions import PRIVATE, Action, Audience, Visibility, visible
from storage import groups as groups_q
from storage import people
from storage.models import Person

OFFICE_WORDS = frozenset({"整改办", "办公室", "office", "Office", "OFFICE"})
OFF_WORDS = frozenset({"off", "取消", "注销", "解除"})


class GroupError(Exception):
    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Registration:
    kind: str  # "unit" | "office" | "unregistered"
    unit: str | None = None


async def audience(session: AsyncSession, chat_id: int, chat_type: str) -> Audience:
    """The audience of a chat: a private chat is its person; a group is its registration."""
    if chat_type == "private":
        return PRIVATE
    row = await groups_q.group(session, chat_id)
    if row is None:
        return Audience("unregistered")
    if row.is_office:
        return Audience("office")
    return Audience("unit", row.unit_id)


async def visible_in_chat(
    session: AsyncSession,
    person: Person | None,
    roles: Iterable[str],
    action: Action,
    *,
    chat_id: int,
    chat_type: str,
) -> Visibility:
    """What an answer in this chat may show to this asker (queries, /task, digests in groups)."""
    return await visible(session, person, roles, action, await audience(session, chat_id, chat_type))


async def registration(session: AsyncSession, chat_id: int) -> Registration:
    row = await groups_q.group(session, chat_id)
    if row is None:
        return Registration("unregistered")
    if row.is_office:
        return Registration("office")
    return Registration("unit", await people.unit_name(session, row.unit_id))


async def register(
    session: AsyncSession,
    auditor: Auditor,
    *,
    chat_id: int,
    title: str,
    target: str,
    now: datetime,
    actor: str,
) -> Registration:
    """Register (or re-register) a group to ``target``: a unit name or alias, 整改办, or off."""
    wanted = normalize_name(target)
    if wanted in OFF_WORDS:
        removed = await groups_q.unregister(session, chat_id)
        if removed:
            await auditor.append(
                session, actor=actor, action="group.unregister", subject=f"chat:{chat_id}", payload={"title": title}, now=now
            )
        return Registration("unregistered")
    if wanted in OFFICE_WORDS:
        await groups_q.register(session, chat_id, title=title, unit_id=None, is_office=True, now=now)
        result = Registration("office")
    else:
        unit = await resolve_unit(session, wanted)
        if unit is None:
            raise GroupError("no_unit", unit=wanted, similar=await similar(session, wanted, units=True))
        await groups_q.register(session, chat_id, title=title, unit_id=unit.id, is_office=False, now=now)
        result = Registration("unit", unit.name)
    await auditor.append(
        session, actor=actor, action="group.register", subject=f"chat:{chat_id}",
        payload={"title": title, "kind": result.kind, "unit": result.unit}, now=now,
    )
    return result
