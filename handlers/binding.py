"""/start CODE (deep-link binding), /invite, self-service "我是…" and the admins' approval buttons."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import accounts, bind_requests, callback_tokens, invitations
from bot.example_refs import example_ref
from bot.people_admin import role_of
from bot.permissions import Action, allowed
from bot.services import Services
from bot.turns import Turn
from handlers.common import Callback, command_args, in_words, services_of

log = logging.getLogger(__name__)

_DAYS = re.compile(r"^(?:--days=)?(\d{1,3})(?:天|d|days?)?$", re.I)


def with_services(fn: Callable[[Turn, Services, ContextTypes.DEFAULT_TYPE], Awaitable[None]]) -> Callback:
    """Like ``turn_handler``, for handlers that need settings, the auditor or the bot's username."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = services_of(context)

        async def run(turn: Turn) -> None:
            await fn(turn, services, context)

        await services.run_turn(update, run)

    return callback


def _when(turn: Turn, moment: datetime) -> str:
    return moment.astimezone(turn.now.tzinfo).strftime("%Y-%m-%d %H:%M")


def _roles_text(turn: Turn, roles: tuple[str, ...] | list[str]) -> str:
    return "、".join(turn.tr(f"role.{r}") for r in roles) if roles else turn.tr("role.none")


async def _start_code(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _redeem(turn, services, command_args(turn)[0])


async def _pasted_code(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = turn.update.effective_message
    code = invitations.code_in(message.text or "") if message else None
    if code is not None:
        await _redeem(turn, services, code)


async def _redeem(turn: Turn, services: Services, code: str) -> None:
    if turn.in_group or turn.user is None:
        return
    result = await invitations.redeem(
        turn.session, services.auditor, code=code, telegram_id=turn.user.telegram_id, now=turn.now
    )
    if result.outcome == "bound" and result.person is not None:
        reports = "member" in result.roles or "admin" in result.roles
        await turn.reply(turn.tr(
            "binding.bound" if reports else "binding.bound_viewer", name=html.escape(result.person.name),
            unit=html.escape(result.unit or turn.tr("unit.none")), roles=_roles_text(turn, result.roles),
            ref=await example_ref(turn.session, result.person),
        ))
        return
    log.info("invitation refused for %s: %s", turn.user.telegram_id, result.outcome)
    if result.outcome == "rate_limited" and result.retry_at is not None:
        await turn.reply(turn.tr("binding.code.rate_limited", at=_when(turn, result.retry_at)))
    elif result.outcome == "already" and result.person is not None:
        await turn.reply(turn.tr("binding.code.already", name=html.escape(result.person.name)))
    elif result.outcome in ("wrong", "used", "expired", "taken", "retired"):
        await turn.reply(turn.tr(f"binding.code.{result.outcome}"))
    else:
        await turn.reply(turn.tr("binding.code.failed"))


async def _invite(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not allowed(turn.roles, Action.INVITE):
        log.warning("/invite refused for %s", turn.user.telegram_id if turn.user else None)
        await turn.reply(turn.tr("binding.denied"))
        return
    if turn.in_group:
        # A code posted in a group is a code anyone there can use.
        await turn.reply(turn.tr("admin.private_only"))
        return
    role: str | None = None
    days: int | None = None
    words: list[str] = []
    for arg in command_args(turn):
        m = _DAYS.match(arg)
        if m:
            days = int(m.group(1))
        elif arg.startswith("--role="):
            role = role_of(arg.split("=", 1)[1]) or arg.split("=", 1)[1]
        elif role_of(arg) is not None and words:
            role = role_of(arg)
        else:
            words.append(arg)
    if len(words) not in (1, 2):
        await turn.reply(turn.tr("binding.invite.usage"))
        return
    await _issue(turn, services, context, words, role, days)


async def _inviter_in_private(turn: Turn) -> bool:
    """Invitations are the office's, and their codes are not for a group's eyes."""
    if not allowed(turn.roles, Action.INVITE):
        await turn.reply(turn.tr("binding.invite.ask_office"))
        return False
    if turn.in_group:
        await turn.reply(turn.tr("admin.private_only"))
        return False
    return True


async def _invite_in_words(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"给市城管局的孙八发个邀请码": the unit and the name are read as in a self-introduction."""
    message = turn.update.effective_message
    who = invitations.invite_request((message.text or "") if message else "")
    if who is None:
        return
    if not await _inviter_in_private(turn):
        return
    found = await bind_requests.match_intro(turn.session, who)
    if found.person is not None and found.person.unit_id is None:
        words = [found.person.name]
    elif found.unit is not None and found.name:
        words = [found.unit.name, found.name]
    elif found.unit is not None:
        said_again = invitations.asked_again((message.text or "") if message else "")
        again = await invitations.earlier_invitee(turn.session, found.unit.id) if said_again else None
        if again is None:
            await turn.reply(turn.tr("binding.invite.unit_needs_name", unit=html.escape(found.unit.name)))
            return
        words = [found.unit.name, again]
    elif found.name and len(who.split()) == 1:
        words = [found.name]
    else:
        await turn.reply(turn.tr("binding.invite.usage"))
        return
    await _issue(turn, services, context, words, None, None)


async def _issue(
    turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE,
    words: list[str], role: str | None, days: int | None,
) -> None:
    try:
        issued = await invitations.issue(
            turn.session, services.auditor,
            person=words[0] if len(words) == 1 else None,
            unit=words[0] if len(words) == 2 else None,
            name=words[1] if len(words) == 2 else None,
            role=role,
            days=days if days is not None else invitations.invite_days(services.settings.extra.get("RECTIBOT_INVITE_DAYS")),
            now=turn.now, actor=f"tg:{turn.user.telegram_id}" if turn.user else "admin",
            created_by=turn.user.telegram_id if turn.user else None,
            bot_username=str(context.bot.username),
        )
    except invitations.InviteError as exc:
        # Nothing similar to offer: the message without its "similar" clause.
        code = f"{exc.code}_none" if exc.code in ("no_person", "no_unit") and not exc.params.get("similar") else exc.code
        await turn.reply(turn.tr(f"binding.invite.{code}", **{k: html.escape(v) or "—" for k, v in exc.params.items()}))
        return
    granted = [issued.role] if issued.role else list(issued.plan_roles) or ["member"]
    await turn.reply(
        turn.tr(
            "binding.invite.issued", name=html.escape(issued.name),
            unit=html.escape(issued.unit or turn.tr("unit.none")), roles=_roles_text(turn, granted),
            code=issued.code, link=html.escape(issued.link), until=_when(turn, issued.expires_at),
        ) + ("\n\n" + turn.tr("binding.invite.bound_note", name=html.escape(issued.name)) if issued.bound else ""),
        buttons=[[(turn.tr("binding.invite.button", name=issued.name), None, issued.link)]],
    )


async def _own_role(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"我是什么权限": who the bot takes the asker for, and what that lets them do."""
    me = await accounts.identity(turn)
    if not me.bound:
        if not turn.in_group:  # unbound people in a work group are not answered there
            await turn.reply(turn.tr("unbound.text"))
        return
    can = "\n".join(turn.tr(f"binding.whoami.can.{role}") for role in me.roles)
    ask = "" if "admin" in me.roles else "\n" + turn.tr("binding.whoami.ask_office")
    await turn.reply(turn.tr(
        "binding.whoami", name=html.escape(me.name), unit=html.escape(me.unit or turn.tr("unit.none")),
        roles=_roles_text(turn, me.roles), can=can,
    ) + ask)


async def _revoke_in_words(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"撤回给王强的邀请": the code stops binding at once; issuing is not confirmed by a press,
    so neither is taking back."""
    message = turn.update.effective_message
    who = invitations.revoke_request((message.text or "") if message else "")
    if who is None:
        return
    if not await _inviter_in_private(turn):
        return
    revoked = await invitations.revoke(
        turn.session, services.auditor, who=who, now=turn.now,
        actor=f"tg:{turn.user.telegram_id}" if turn.user else "admin",
    )
    key = "binding.invite.revoked" if revoked.count else "binding.invite.none_open"
    await turn.reply(turn.tr(key, who=html.escape(f"{revoked.unit or ''}{revoked.name}"), count=revoked.count))


async def _introduce(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = turn.update.effective_message
    said = (message.text or "") if message else ""
    if bind_requests.intro_body(said) is None or turn.user is None:
        return
    if turn.person is not None:
        await turn.reply(turn.tr("binding.self.already", name=html.escape(turn.person.name)))
        return
    submitted, request = await bind_requests.submit(
        turn.session, services.auditor, telegram_id=turn.user.telegram_id, text=said, now=turn.now
    )
    if request is None:
        await turn.reply(turn.tr(
            f"binding.self.{submitted.outcome}", name=html.escape(submitted.name),
            unit=html.escape(submitted.unit or ""),
        ))
        return
    turn.outbox_ids.extend(await bind_requests.notify_admins(
        turn.session, request, secret=services.settings.audit_key, configured_admins=services.settings.admins,
        default_lang=services.settings.locale, now=turn.now, update_id=turn.update.update_id,
    ))
    await turn.reply(turn.tr(
        "binding.self.submitted", name=html.escape(submitted.name),
        unit=html.escape(submitted.unit or turn.tr("binding.no_unit")),
    ))


async def _decide(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = turn.update.callback_query
    if query is None or turn.user is None:
        return
    presser = turn.user.telegram_id
    try:
        token = callback_tokens.verify(services.settings.audit_key, query.data or "")
    except callback_tokens.BadToken:
        log.warning("forged callback data from %s: %r", presser, query.data)
        await turn.answer_callback(turn.tr("binding.callback.invalid"), alert=True)
        return
    if not token.addressed_to(presser, is_admin=turn.is_admin) or not allowed(turn.roles, Action.BIND):
        log.warning("callback %r pressed by %s, who is not its addressee", query.data, presser)
        await turn.answer_callback(turn.tr("binding.callback.not_yours"), alert=True)
        return
    if len(token.args) != 2 or not token.args[0].isdigit() or token.args[1] not in ("y", "n"):
        await turn.answer_callback(turn.tr("binding.callback.invalid"), alert=True)
        return
    decision = await bind_requests.decide(
        turn.session, services.auditor, request_id=int(token.args[0]), approve=token.args[1] == "y",
        admin_telegram_id=presser, now=turn.now,
    )
    request = decision.request
    if decision.outcome not in ("approved", "rejected") or request is None:
        log.info("bind request %s: %s (pressed by %s)", token.args[0], decision.outcome, presser)
        key = {"decided": "binding.request.already", "taken": "binding.request.taken"}.get(
            decision.outcome, "binding.request.failed"
        )
        await turn.answer_callback(turn.tr(key), alert=True)
        return
    name = decision.person.name if decision.person else request.name
    text = turn.tr(
        f"binding.request.{decision.outcome}", name=html.escape(name),
        unit=html.escape(decision.unit or turn.tr("binding.no_unit")), by=html.escape(_presser_name(turn)),
        roles=_roles_text(turn, list(decision.person.roles or []) if decision.person else []),
    )
    await turn.answer_callback(turn.tr(f"binding.request.{decision.outcome}_short"))
    if query.message is not None:
        await turn.edit(query.message.message_id, text)
    turn.outbox_ids.extend(await bind_requests.notify_user(
        turn.session, decision, default_lang=services.settings.locale, now=turn.now, update_id=turn.update.update_id,
    ))


def _presser_name(turn: Turn) -> str:
    if turn.person is not None:
        return turn.person.name
    return turn.user.first_name if turn.user and turn.user.first_name else "—"


class _PastedCode(filters.MessageFilter):
    """Private text that carries an invitation code (checked before any DB work)."""

    def filter(self, message: Any) -> bool:
        return bool(message.text) and invitations.code_in(message.text) is not None


class _Introduction(filters.MessageFilter):
    """Private text that reads like "我是市水利局李明" (checked before any DB work)."""

    def filter(self, message: Any) -> bool:
        return bool(message.text) and bind_requests.intro_body(message.text) is not None


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", with_services(_start_code), has_args=True))
    application.add_handler(CommandHandler("invite", with_services(_invite)))
    application.add_handler(MessageHandler(in_words(accounts.asks_own_role), with_services(_own_role)))
    application.add_handler(MessageHandler(in_words(invitations.revoke_request), with_services(_revoke_in_words)))
    application.add_handler(MessageHandler(in_words(invitations.invite_request), with_services(_invite_in_words)))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND & _PastedCode(),
                       with_services(_pasted_code))
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND & _Introduction(),
                       with_services(_introduce))
    )
    application.add_handler(
        CallbackQueryHandler(with_services(_decide), pattern=rf"^{bind_requests.CALLBACK_KIND}:")
    )
