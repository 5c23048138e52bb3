"""``rectibot``: the command line. stdout carries only results (JSON where asked); logs go to stderr."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot.config import Settings, SettingsError, load_settings

log = logging.getLogger("rectibot")


class _TokenFilter(logging.Filter):
    """Keep the bot token out of every log line (httpx logs request URLs)."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


def setup_logging(settings: Settings | None, verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_TokenFilter(settings.token if settings else None))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Application", "alembic", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _fail(message: str, code: int = 2) -> int:
    print(f"rectibot: {message}", file=sys.stderr)
    return code


def _settings() -> Settings:
    return load_settings()


def _run_async(coro: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coro)


# --- commands -----------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token:
        from bot.console import run_console

        return run_console(settings)
    from bot.runner import run_telegram

    return run_telegram(settings)


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(settings)


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import create_engine, current_revision, upgrade

    async def go() -> int:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            print(json.dumps({"revision": await current_revision(engine)}) if args.json else
                  f"database at revision {await current_revision(engine)}")
        finally:
            await engine.dispose()
        return 0

    return _run_async(go())


def cmd_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.simulate import ScriptError, simulate

    try:
        output, code = asyncio.run(simulate(settings, Path(args.script), [Path(p) for p in args.plan]))
    except ScriptError as exc:
        return _fail(str(exc), 2)
    if args.json:
        print(json.dumps(output, ensure_ascii=False, indent=1))
    else:
        for item in output:
            if "callback_answer" in item:
                print(f"[{item['at']}] (answer) {item['callback_answer'] or ''}")
            else:
                print(f"[{item['at']}] → {item['chat']}: {item['text']}")
                if item.get("buttons"):
                    print("    [" + "] [".join(item["buttons"]) + "]")
    return code


def cmd_import(args: argparse.Namespace, settings: Settings | None) -> int:
    from bot.importer import dry_run_json

    paths = [Path(p) for p in args.paths]
    if args.dry_run:
        result, code = dry_run_json(paths)
    else:
        assert settings is not None
        from bot.plans import import_paths_json

        result, code = asyncio.run(import_paths_json(settings, paths, into=args.into))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for plan in result["plans"]:
            print(f"{plan['title']}: {len(plan['tasks'])} tasks")
        for err in result["errors"]:
            print(f"{err['path']}: {err['reason']}", file=sys.stderr)
    return code


def cmd_match(args: argparse.Namespace, settings: Settings | None) -> int:
    from bot.match_command import run_match_command

    return run_match_command(args, settings)


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from bot.listings import list_schedules

    return _run_async(list_schedules(settings, as_json=args.json))


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from bot.listings import list_outbox

    return _run_async(list_outbox(settings, as_json=args.json, status=args.status))


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.audit_cli import run_verify

    return _run_async(run_verify(settings, as_json=args.json))


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.invite_cli import run_invite

    return _run_async(run_invite(settings, args))


def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.remind_cli import run

    return run(args, settings)


def cmd_evidence(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evidence import export_command

    return export_command(args, settings)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.export_cli import run

    return run(args, settings)


def cmd_people(args: argparse.Namespace, settings: Settings) -> int:
    from bot.people_cli import run_people

    return _run_async(run_people(settings, args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rectibot", description="整改助手 — rectification assistant bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="run the bot (Telegram with a token, else the local console)")
    sub.add_parser("console", help="chat with the bot in this terminal, offline")

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.add_argument("--json", action="store_true")

    sim = sub.add_parser("simulate", help="run a JSONL script of chat events against the real bot")
    sim.add_argument("script")
    sim.add_argument("--plan", action="append", default=[])
    sim.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", help="import rectification plans")
    imp.add_argument("paths", nargs="+")
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--into", type=int, metavar="PLAN_ID", help="store the file as a new version of this plan (a retitled draft)")

    match = sub.add_parser("match", help="match messages (one per stdin line) to tasks")
    source = match.add_mutually_exclusive_group(required=True)
    source.add_argument("--plan", action="append")
    source.add_argument("--db")
    match.add_argument("--top", type=int, default=3)
    match.add_argument("--unit")
    match.add_argument("--json", action="store_true")

    sch = sub.add_parser("schedule", help="show schedules and their last runs")
    sch.add_argument("--list", action="store_true", required=True)
    sch.add_argument("--json", action="store_true")

    out = sub.add_parser("outbox", help="show what was sent, failed or is pending")
    out.add_argument("--list", action="store_true", required=True)
    out.add_argument("--status", choices=["pending", "sending", "sent", "failed", "unknown"])
    out.add_argument("--json", action="store_true")

    aud = sub.add_parser("audit", help="check the audit trail (exit 1 naming the first broken event)")
    aud.add_argument("action", choices=["verify"])
    aud.add_argument("--json", action="store_true")

    inv = sub.add_parser("invite", help="make an invitation code and t.me link")
    inv.add_argument("person", nargs="?", help="a person named in the plan")
    inv.add_argument("--unit")
    inv.add_argument("--name")
    inv.add_argument("--role", choices=["admin", "leader", "member", "observer"])
    inv.add_argument("--days", type=int)
    inv.add_argument("--json", action="store_true")

    ppl = sub.add_parser("people", help="list and change people and units (audited, like the admins' chat commands)")
    ppl.add_argument("action", choices=["list", "add", "rename", "move", "retire", "unbind", "grant", "revoke",
                                        "unit-add", "unit-rename", "unit-merge", "unit-retire",
                                        "unit-assign", "unit-unassign"])
    ppl.add_argument("args", nargs="*")
    ppl.add_argument("--role", choices=["admin", "leader", "member", "observer"])
    ppl.add_argument("--as", dest="party", choices=["lead", "responsible", "supporting"],
                     help="unit-assign: the unit's part in the tasks (default responsible)")
    ppl.add_argument("--json", action="store_true")

    rem = sub.add_parser("remind", help="show who would get which reminder (nothing is sent)")
    rem.add_argument("--dry-run", action="store_true")
    rem.add_argument("--at", help="date-time to plan for (default now), e.g. 2019-01-24T09:00")
    rem.add_argument("--json", action="store_true")
    evi = sub.add_parser("evidence", help="export a task's evidence as a zip with an index sheet")
    evi.add_argument("action", choices=["export"])
    evi.add_argument("task")
    evi.add_argument("--out")

    exp = sub.add_parser("export", help="write the ledger (台账) as an Excel workbook")
    exp.add_argument("--out", help="file or directory (default: ./整改台账-YYYYMMDD.xlsx)")
    exp.add_argument("--date", help="the ledger's day, YYYY-MM-DD (default: today)")
    exp.add_argument("--json", action="store_true")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "run": cmd_run,
    "console": cmd_console,
    "db": cmd_db,
    "simulate": cmd_simulate,
    "import": cmd_import,
    "match": cmd_match,
    "evidence": cmd_evidence,
    "schedule": cmd_schedule,
    "outbox": cmd_outbox,
    "audit": cmd_audit,
    "invite": cmd_invite,
    "people": cmd_people,
    "remind": cmd_remind,
    "export": cmd_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings: Settings | None = None
    try:
        settings = _settings()
    except SettingsError as exc:
        # Reading a document or a plan file needs no bot settings; everything else does.
        offline = (args.command == "import" and args.dry_run) or (args.command == "match" and args.plan)
        if not offline:
            return _fail(f"invalid setting {exc}", 2)
    setup_logging(settings, args.verbose)
    try:
        return COMMANDS[args.command](args, settings)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
