"""``rectibot people``: the admins' roster commands from the command line (actor "cli", audited)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.audit import Auditor
from bot.clock import WallClock
from bot.config import Settings
from bot.people_admin import AdminError, Done, PeopleAdmin, describe
from storage.db import create_engine, session_factory, transaction, upgrade

ARITY = {"add": 2, "rename": 2, "move": 2, "retire": 1, "unbind": 1, "grant": 2, "revoke": 2,
         "unit-add": 1, "unit-rename": 2, "unit-merge": 2, "unit-retire": 1, "unit-assign": 2, "unit-unassign": 2}


async def _apply(admin: PeopleAdmin, action: str, args: list[str], role: str | None, party: str | None = None) -> Done:
    if action == "add":
        return await admin.add_person(args[0], args[1], role)
    if action == "rename":
        return await admin.rename_person(args[0], args[1])
    if action == "move":
        return await admin.move_person(args[0], args[1])
    if action == "retire":
        return await admin.retire_person(args[0])
    if action == "unbind":
        return await admin.unbind(args[0])
    if action in ("grant", "revoke"):
        return await admin.set_role(args[0], args[1], grant=action == "grant")
    if action == "unit-add":
        return await admin.add_unit(args[0])
    if action == "unit-rename":
        return await admin.rename_unit(args[0], args[1])
    if action == "unit-merge":
        return await admin.merge_units(args[0], args[1])
    if action == "unit-assign":
        return await admin.assign(args[0], args[1], party)
    if action == "unit-unassign":
        return await admin.unassign(args[0], args[1])
    return await admin.retire_unit(args[0])


async def run_people(settings: Settings, args: argparse.Namespace) -> int:
    action, rest = args.action, list(args.args)
    if action != "list" and len(rest) != ARITY[action]:
        print(f"rectibot: people {action} takes {ARITY[action]} argument(s)", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with transaction(session_factory(engine)) as session:
            admin = PeopleAdmin(
                session, Auditor(settings.audit_key, settings.data_dir), roles={"admin"}, actor="cli",
                now=WallClock(settings.timezone).now(),
            )
            if action == "list":
                rows = await admin.listing(rest[0] if rest else None)
                listing = [{"id": p.id, "name": p.name, "unit": unit, "roles": list(p.roles or []),
                            "bound": p.telegram_id is not None} for p, unit in rows]
                if args.json:
                    print(json.dumps({"people": listing}, ensure_ascii=False))
                else:
                    for p, unit in rows:
                        roles = ",".join(p.roles or []) or "-"
                        print(f"{describe(p, unit)}\t{roles}\t{'bound' if p.telegram_id else 'not bound'}")
                return 0
            done = await _apply(admin, action, rest, args.role, getattr(args, "party", None))
    except AdminError as exc:
        detail = ", ".join(f"{k}={v}" for k, v in exc.params.items() if v)
        print(f"rectibot: {exc.code}" + (f" ({detail})" if detail else ""), file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    if args.json:
        print(json.dumps({"done": done.what, **done.params}, ensure_ascii=False))
    else:
        print(f"{done.what}: " + ", ".join(f"{k}={v}" for k, v in done.params.items()))
    return 0
