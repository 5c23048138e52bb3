"""Who the user is to the bot: binding, roles and language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.turns import Turn
from storage import people

ROLE_ORDER = ("admin", "leader", "member", "observer")


@dataclass(frozen=True)
class Identity:
    name: str
    unit: str | None
    roles: tuple[str, ...]
    bound: bool


async def identity(turn: Turn) -> Identity:
    """What /start and /help need to know about the person behind the update."""
    roles = tuple(r for r in ROLE_ORDER if r in turn.roles)
    if turn.person is not None:
        unit = await people.unit_name(turn.session, turn.person.unit_id)
        return Identity(turn.person.name, unit, roles, True)
    name = turn.user.first_name if turn.user else ""
    return Identity(name, None, roles, turn.is_admin)


async def set_language(session: AsyncSession, turn: Turn, lang: str) -> None:
    if turn.user is not None:
        turn.user.language = lang
        turn.user.language_chosen = True
        await session.flush()
    turn.lang = lang
