"""``rectibot schedule --list`` and ``rectibot outbox --list``."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.clock import WallClock
from bot.config import Settings
from bot.scheduler import slots_between
from bot.workdays import WorkCalendar
from storage import outbox as outbox_q
from storage import schedules as schedules_q
from storage.db import create_engine, session_factory, transaction, upgrade


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def list_schedules(settings: Settings, *, as_json: bool) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        now = WallClock(settings.timezone).now()
        cal = WorkCalendar()
        async with transaction(session_factory(engine)) as session:
            from bot.scheduler import ensure_default_schedules

            await ensure_default_schedules(session)
            rows = []
            runs = await schedules_q.runs(session, limit=1000)
            for s in await schedules_q.all_schedules(session):
                upcoming = next(slots_between(s, now, now + timedelta(days=60), cal), None)
                last = next((r for r in runs if r.schedule_id == s.id), None)
                rows.append(
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "rule": s.rule,
                        "at": s.at,
                        "enabled": s.enabled,
                        "next": _iso(upcoming),
                        "last_slot": _iso(last.slot if last else None),
                        "last_outcome": last.outcome if last else None,
                    }
                )
    finally:
        await engine.dispose()
    if as_json:
        print(json.dumps({"schedules": rows}, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['name']:<24} {r['rule']:<9} {r['at']}  next {r['next']}  last {r['last_slot']} {r['last_outcome'] or ''}")
    return 0


async def list_outbox(settings: Settings, *, as_json: bool, status: str | None) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with transaction(session_factory(engine)) as session:
            counts = await outbox_q.counts(session)
            rows = [
                {
                    "id": r.id,
                    "key": r.key,
                    "kind": r.kind,
                    "chat": r.chat_id,
                    "status": r.status,
                    "attempts": r.attempts,
                    "created_at": _iso(r.created_at),
                    "sent_at": _iso(r.sent_at),
                    "message_id": r.message_id,
                    "error": r.error,
                }
                for r in await outbox_q.listing(session, status)
            ]
    finally:
        await engine.dispose()
    if as_json:
        print(json.dumps({"counts": counts, "rows": rows}, ensure_ascii=False, indent=1))
    else:
        print("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "outbox is empty")
        for r in rows:
            print(f"#{r['id']:<6} {r['status']:<8} {r['kind']:<14} chat {r['chat']:<14} {r['sent_at'] or r['created_at']} {r['error'] or ''}")
    return 0
