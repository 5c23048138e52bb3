"""/cancel (and 取消 said to a waiting question): drop whatever the bot waits for from this account.

The bot remembers a few open questions per account — an admin's return reason for a 销号,
a date or reason for an extension, a step of /report — and each takes the next message as
its answer. /cancel lets go of all of them at once, so an unrelated message afterwards is
read as itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import kv
from storage import reminders as rq

_WAITING_KEYS = ("signoff.reason:{id}", "reporting.guide:{id}")


async def cancel_waiting(session: AsyncSession, telegram_id: int, now: datetime) -> bool:
    """True if something was waiting and is now dropped."""
    dropped = False
    for pattern in _WAITING_KEYS:
        key = pattern.format(id=telegram_id)
        state = await kv.get(session, key)
        if state and state.get("step", "open") != "over":
            await kv.put(session, key, {"step": "over", "at": now.isoformat()})
            dropped = True
    if await rq.prompt_of(session, telegram_id, now) is not None:
        await rq.clear_prompt(session, telegram_id)
        dropped = True
    return dropped
