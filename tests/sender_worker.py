"""A second (and third) bot process for the two-senders test: deliver everything pending.

Run as ``python -m tests.sender_worker`` with DATABASE_URL and RECTIBOT_DATA_DIR set;
prints the outbox row ids this process delivered, as JSON, on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import LOCAL_TOKEN, build_application
from bot.clock import VirtualClock
from bot.config import load_settings
from bot.localapi import LocalBotAPI
from storage import outbox as outbox_q
from storage.db import transaction


async def main() -> None:
    settings = load_settings(env_file=None)
    clock = VirtualClock(datetime(2019, 1, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    local = LocalBotAPI(settings.localapi_dir, clock, token=LOCAL_TOKEN)
    groups = sorted({int(g) for g in sys.argv[1:]})
    for chat in groups:
        local.add_group(chat)
    app = build_application(
        settings, clock, request=local.request(), updates_request=local.request(), virtual=True
    )
    await app.initialize()
    services = app.bot_data["services"]
    try:
        idle_rounds = 0
        # Bounded: a worker that stops making progress must end, not spin after its test.
        while idle_rounds < 50:
            sent = await services.sender.deliver()
            async with transaction(services.factory) as session:
                left = await outbox_q.pending_ids(session, clock.now(), include_push=True, limit=1)
            if not left:
                break
            idle_rounds = 0 if sent else idle_rounds + 1
            clock.advance(1)
        async with transaction(services.factory) as session:
            mine = [
                r.id
                for r in await outbox_q.listing(session, "sent", limit=5000)
                if r.claimed_by == services.sender.worker
            ]
    finally:
        await app.shutdown()
        await services.engine.dispose()
    print(json.dumps({"sent": mine, "delivered": len([o for o in local.outbox if "text" in o])}))


if __name__ == "__main__":
    asyncio.run(main())
