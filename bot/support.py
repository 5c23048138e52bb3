"""A unit asking for coordination or help: the 整改办 hears of it when it is said.

"1-16 资金缺口较大，请求市财政协调" is recorded as the unit's word on the task (progress
unchanged), but a recorded line waits for someone to read the ledger; a request for help
is worth a message to the office now. One outbox row per admin per report: a replayed
update cannot send it twice.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from storage import outbox as outbox_q
from storage import people
from storage.models import Report, Task

if TYPE_CHECKING:
    from bot.services import Services
    from bot.turns import Turn

TEXT_CHARS = 300


async def tell_office(
    session: AsyncSession, services: Services, turn: Turn, *, task: Task, report: Report, unit_name: str, text: str,
    not_applicable: bool = False,
) -> bool:
    """Queue the request to every admin; True when at least one will hear it.

    A unit saying the task does not concern it asks the office to decide whether to change
    the task's units, not to coordinate: the message says which.
    """
    message = "reporting.not_applicable_admin" if not_applicable else "reporting.support_admin"
    return await _to_admins(
        session, services, turn, key=f"support:{report.id}", message=message,
        ref=task.ref, title=task.title[:40], unit=unit_name, text=text[:TEXT_CHARS],
    )


async def tell_rebound(
    session: AsyncSession, services: Services, turn: Turn, *, task: Task, unit_name: str, text: str,
) -> bool:
    """A unit writing about a share already signed off (销号): the office decides whether it
    is a rebound to reopen, so it hears what was said rather than nothing."""
    day = turn.now.astimezone(services.settings.timezone).date().isoformat()
    return await _to_admins(  # once a day per task and unit: the office needs the signal, not every message
        session, services, turn, key=f"rebound-said:{task.id}:{unit_name}:{day}",
        message="reporting.rebound_admin", ref=task.ref, title=task.title[:40], unit=unit_name, text=text[:TEXT_CHARS],
    )


async def _to_admins(
    session: AsyncSession, services: Services, turn: Turn, *, key: str, message: str, **params: str,
) -> bool:
    admins = [a for a in await people.admin_chat_ids(session, services.settings.admins) if a != turn.chat_id]
    escaped = {k: html.escape(v) for k, v in params.items()}
    escaped["name"] = html.escape(turn.person.name if turn.person is not None else "")
    for admin in admins:
        user = await people.get_user(session, admin)
        lang = (user.language if user and user.language else None) or services.settings.locale
        payload: dict[str, Any] = {"chat_id": admin, "parse_mode": "HTML", "text": t(lang, message, **escaped)}
        row = await outbox_q.enqueue(
            session, key=f"{key}:{admin}", kind="support", chat_id=admin, method="sendMessage",
            payload=payload, now=turn.now, push=True,
        )
        if row is not None:
            await session.flush()
            turn.outbox_ids.append(row.id)
    return bool(admins)
