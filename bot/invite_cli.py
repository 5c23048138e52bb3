"""``rectibot invite``: an invitation code and its t.me deep link, from the command line."""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import sys

from bot.audit import Auditor
from bot.clock import WallClock
from bot.config import Settings
from bot.invitations import InviteError, invite_days, issue
from storage.db import create_engine, session_factory, transaction, upgrade

log = logging.getLogger(__name__)


async def bot_username(settings: Settings) -> str:
    """RECTIBOT_BOT_USERNAME, else getMe with the token, else the local Bot API's bot."""
    configured = settings.extra.get("RECTIBOT_BOT_USERNAME", "").strip().lstrip("@")
    if configured:
        return configured
    if settings.token:
        from telegram import Bot
        from telegram.request import HTTPXRequest

        base = (settings.api_base_url or "https://api.telegram.org").rstrip("/")
        bot = Bot(settings.token, base_url=f"{base}/bot", request=HTTPXRequest(proxy=settings.proxy))
        async with bot:
            return str(bot.username)
    from bot.localapi.core import LocalBotAPI

    return str(inspect.signature(LocalBotAPI).parameters["bot_username"].default)


async def run_invite(settings: Settings, args: argparse.Namespace) -> int:
    if (args.person is None) == (args.unit is None):
        print("rectibot: name a person of the plan, or --unit UNIT --name NAME", file=sys.stderr)
        return 2
    days = args.days if args.days is not None else invite_days(settings.extra.get("RECTIBOT_INVITE_DAYS"))
    username = await bot_username(settings)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with transaction(session_factory(engine)) as session:
            issued = await issue(
                session, Auditor(settings.audit_key, settings.data_dir),
                person=args.person, unit=args.unit, name=args.name, role=args.role, days=days,
                now=WallClock(settings.timezone).now(), actor="cli", created_by=None, bot_username=username,
            )
    except InviteError as exc:
        detail = ", ".join(f"{k}={v}" for k, v in exc.params.items() if v)
        print(f"rectibot: cannot invite: {exc.code}" + (f" ({detail})" if detail else ""), file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    result = {
        "code": issued.code, "link": issued.link, "name": issued.name, "unit": issued.unit,
        "role": issued.role, "roles": list(issued.plan_roles),
        "expires_at": issued.expires_at.astimezone(settings.timezone).isoformat(timespec="minutes"),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        who = issued.name + (f" ({issued.unit})" if issued.unit else "")
        print(f"invitation for {who}, valid until {result['expires_at']}")
        print(f"code: {issued.code}")
        print(f"link: {issued.link}")
    return 0
