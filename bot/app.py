"""The Application factory: one place that wires PTB, storage, services and handlers.

``run``, ``console``, ``simulate`` and the tests all build the bot here, so what the
tests drive is what production runs.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock
from bot.config import Settings
from bot.delivery import Sender
from bot.i18n import DEFAULT_LOCALE, catalog, t
from bot.pacing import PacingRateLimiter
from bot.polling import Poller
from bot.services import Services
from bot.startup import on_start
from storage.db import create_engine, session_factory

log = logging.getLogger(__name__)

LOCAL_TOKEN = "123456:LOCAL-bot-token-for-offline-use"
MENU = (
    "start", "help", "report", "mine", "status", "overdue", "task", "unit",
    "history", "evidence", "signoff", "export", "chart", "language",
)

App = Application[Any, Any, Any, Any, Any, Any]


def menu_commands(app: App) -> list[str]:
    """Registered commands that have a menu text (``cmd.<name>``), basics first."""
    registered: list[str] = []
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                registered.extend(c for c in sorted(handler.commands) if c not in registered)
    ordered = [c for c in MENU if c in registered] + [c for c in registered if c not in MENU]
    return [c for c in ordered if f"cmd.{c}" in catalog(DEFAULT_LOCALE)]


async def set_commands(app: App) -> None:
    """Command menus in both languages; Chinese is also the default for everyone else."""
    names = menu_commands(app)
    for lang, code in (("zh_CN", None), ("zh_CN", "zh"), ("en", "en")):
        commands = [BotCommand(c, t(lang, f"cmd.{c}")) for c in names]
        await app.bot.set_my_commands(commands, language_code=code)


def build_application(
    settings: Settings,
    clock: Clock,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    virtual: bool = False,
) -> App:
    """Build the bot; with ``request`` it talks to that (the local Bot API) instead of Telegram."""
    from handlers import register

    token = settings.token or LOCAL_TOKEN
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(PacingRateLimiter(clock, virtual=virtual))
        .concurrent_updates(False)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    else:
        builder = builder.request(
            HTTPXRequest(connection_pool_size=8, proxy=settings.proxy, read_timeout=30)
        ).get_updates_request(HTTPXRequest(proxy=settings.proxy, read_timeout=40))
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    if virtual:
        builder = builder.job_queue(None)
    # Our Poller replaces PTB's Updater: it confirms an update only after handling it.
    builder = builder.updater(None)
    app = builder.build()

    engine = create_engine(settings.database_url)
    services = Services(settings=settings, clock=clock, engine=engine, factory=session_factory(engine))
    services.sender = Sender(
        app.bot,
        services.factory,
        clock,
        quiet=(settings.quiet_start, settings.quiet_end),
        admins=sorted(settings.admins),
        default_lang=settings.locale,
    )
    services.extras["virtual"] = virtual
    app.bot_data["services"] = services
    register(app)
    app.add_error_handler(_on_error)
    return app


class RunningBot:
    """Start-up and shutdown in the order every entry point needs.

    PTB calls post_init hooks only from run_polling; we poll ourselves, so the
    start-up work (menus, stuck-row report, catch-up) is explicit here.
    """

    def __init__(self, app: App, *, poll_timeout: int = 30) -> None:
        self.app = app
        self.poller = Poller(app, timeout=poll_timeout)

    @property
    def services(self) -> Services:
        services: Services = self.app.bot_data["services"]
        return services

    async def __aenter__(self) -> RunningBot:
        try:
            await self.app.initialize()
            await set_commands(self.app)
            await on_start(self.services)
            if not self.services.extras.get("virtual"):
                # Production: the wall clock drives the scheduler; simulate walks it itself.
                jobs = self.app.job_queue
                assert jobs is not None, "python-telegram-bot[job-queue] is required"
                jobs.run_repeating(_tick, interval=60, first=1, name="scheduler-tick")
                jobs.run_repeating(_flush, interval=5, first=5, name="outbox-flush")
            await self.app.start()
        except BaseException:
            await self.close()
            raise
        self.poller.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.poller.stop()
        await self.close()

    async def close(self) -> None:
        try:
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
        finally:
            await self.services.engine.dispose()

    async def crash(self) -> None:
        """Die without confirming updates or finishing anything (for crash tests)."""
        self.poller.kill()
        await self.close()


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.scheduler import tick

    services: Services = context.bot_data["services"]
    await tick(services)


async def _flush(context: ContextTypes.DEFAULT_TYPE) -> None:
    services: Services = context.bot_data["services"]
    if services.sender:
        await services.sender.deliver()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # Handler errors are answered inside the turn; this only sees PTB-level failures.
    log.error("error outside a turn (update %s): %s", getattr(update, "update_id", None), context.error)


__all__ = ["App", "Update", "build_application"]
