"""What the bot does each time a process starts, before it takes updates."""

from __future__ import annotations

import logging

from bot.delivery import notify_admins
from bot.scheduler import catch_up, ensure_default_schedules, tick
from bot.services import Services
from storage import outbox as outbox_q
from storage.db import transaction

log = logging.getLogger(__name__)


async def report_stuck_sending(services: Services) -> int:
    """Rows left "sending" by a crash may or may not have arrived: tell admins, don't resend."""
    now = services.clock.now()
    async with transaction(services.factory) as session:
        stuck = await outbox_q.stuck_sending(session)
        if not stuck:
            return 0
        for row in stuck:
            await outbox_q.mark(session, row.id, "unknown", now=now, error="interrupted while sending")
        items = "\n".join(f"• #{row.id} {row.kind} → {row.chat_id}" for row in stuck[:20])
        await notify_admins(
            session,
            sorted(services.settings.admins),
            key=f"undelivered:{stuck[0].id}:{now.isoformat()}",
            message="notify.undelivered",
            params={"items": items},
            now=now,
            default_lang=services.settings.locale,
        )
    return len(stuck)


async def on_start(services: Services) -> None:
    async with transaction(services.factory) as session:
        await ensure_default_schedules(session, services.settings)
    await report_stuck_sending(services)
    await catch_up(services)
    await tick(services)
