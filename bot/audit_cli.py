"""``rectibot audit verify``: walk the chain and name the first broken event (exit 1)."""

from __future__ import annotations

import json
import sys

from bot.audit import verify
from bot.config import Settings
from storage import audit as audit_q
from storage.db import create_engine, session_factory, transaction


async def run_verify(settings: Settings, *, as_json: bool) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            broken = await verify(session, settings.audit_key, settings.data_dir)
            count = len(await audit_q.events(session))
    finally:
        await engine.dispose()
    if as_json:
        print(json.dumps({"ok": broken is None, "events": count,
                          "first_broken": broken.event_id if broken else None,
                          "reason": broken.reason if broken else None}, ensure_ascii=False))
    elif broken is None:
        print(f"audit trail intact: {count} events")
    else:
        print(f"audit trail BROKEN at event #{broken.event_id}: {broken.reason}")
        print(f"rectibot: audit trail broken at event #{broken.event_id}", file=sys.stderr)
    return 0 if broken is None else 1
