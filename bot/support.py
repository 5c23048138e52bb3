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
) -> bool:
    """Queue the request to every admin; True when at least one will hear it."""
    admins = [a for a in await people.admin_chat_ids(session, services.settings.admins) if a != turn.chat_id]
    name = turn.person.name if turn.person is not None else ""
    told = False
    for admin in admins:
        user = await people.get_user(session, admin)
        lang = (user.language if user and user.language else None) or services.settings.locale
        payload: dict[str, Any] = {
            "chat_id": admin,
            "parse_mode": "HTML",
            "text": t(
                lang, "reporting.support_admin", ref=html.escape(task.ref), title=html.escape(task.title[:40]),
                unit=html.escape(unit_name), name=html.escape(name), text=html.escape(text[:TEXT_CHARS]),
            ),
        }
        row = await outbox_q.enqueue(
            session, key=f"support:{report.id}:{admin}", kind="support", chat_id=admin, method="sendMessage",
            payload=payload, now=turn.now, push=True,
        )
        if row is not None:
            await session.flush()
            turn.outbox_ids.append(row.id)
        told = True
    return told
