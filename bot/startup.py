"""What the bot does each time a process starts, before it takes updates."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from bot.delivery import notify_admins
from bot.scheduler import catch_up, ensure_default_schedules, tick
from bot.services import Services
from storage import outbox as outbox_q
from storage.db import transaction
from storage.models import Outbox

log = logging.getLogger(__name__)


IN_FLIGHT_GRACE = timedelta(minutes=2)


def _claimer_alive(worker: str | None) -> bool:
    """Whether the process that claimed a row may still be sending it."""
    host, _, rest = (worker or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _is_stuck(row: Outbox, now: datetime) -> bool:
    if _claimer_alive(row.claimed_by):
        return False
    host = (row.claimed_by or "").partition(":")[0]
    if host == socket.gethostname() or ":" not in (row.claimed_by or ""):
        return True  # its process is gone
    return row.claimed_at is None or now - row.claimed_at > IN_FLIGHT_GRACE


async def report_stuck_sending(services: Services) -> int:
    """Rows left "sending" by a crash may or may not have arrived: tell admins, don't resend.

    A row another live process is sending right now is not stuck: on this host we can ask
    whether its process lives; for another host only a claim older than a grace period counts.
    """
    now = services.clock.now()
    async with transaction(services.factory) as session:
        stuck = [row for row in await outbox_q.stuck_sending(session) if _is_stuck(row, now)]
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
