"""Admin commands: /group, /people, /units, /person, /unbind, /role, /history.

Roster and history commands answer in private chats only, so a work group never
sees the office's roster or audit trail by accident.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
)

from bot import callback_tokens, groups
from bot.audit import actor_name
from bot.i18n import catalog
from bot.people_admin import (
    ROSTER_ACTIONS,
    AdminError,
    Done,
    PeopleAdmin,
    describe,
    role_of,
    roster_request,
)
from bot.permissions import Action, Denied, allowed
from bot.services import Services
from bot.turns import Button, Turn
from handlers.binding import with_services
from handlers.common import command_args, in_words

log = logging.getLogger(__name__)

HISTORY_PAYLOAD_CHARS = 120
ROSTER_CALLBACK = "pa"
_CONFIRMED = frozenset({"unbind", "move", "retire", "grant", "revoke", "set", "handover", "rebind", "add", "cancel"})


def _admin(turn: Turn, services: Services, bot_username: str = "") -> PeopleAdmin:
    actor = f"tg:{turn.user.telegram_id}" if turn.user else "admin"
    return PeopleAdmin(
        turn.session, services.auditor, roles=turn.roles, actor=actor, now=turn.now, bot_username=bot_username,
        created_by=turn.user.telegram_id if turn.user else None,
    )


async def _refuse(turn: Turn, what: str) -> None:
    log.warning("%s refused for %s", what, turn.user.telegram_id if turn.user else None)
    await turn.reply(turn.tr("admin.denied"))


async def _done(turn: Turn, done: Done) -> None:
    await turn.reply(_done_text(turn, done))


def _role_params(turn: Turn, raw: dict[str, str]) -> dict[str, str]:
    """Role keys in a message's parameters read as the office says them (责任领导, not leader)."""
    params = {k: html.escape(v) for k, v in raw.items()}
    if "role" in params:
        params["role"] = turn.tr(f"role.{raw['role']}")
    if "roles_before" in params:
        before = [r for r in raw["roles_before"].split(",") if r]
        params["roles_before"] = "、".join(turn.tr(f"role.{r}") for r in before) if before else turn.tr("role.none")
    return params


def _done_text(turn: Turn, done: Done) -> str:
    params = _role_params(turn, done.params)
    if "party" in params:
        params["party"] = turn.tr(f"admin.party.{done.params['party']}")
    text = turn.tr(f"admin.done.{done.what}", **params)
    if done.params.get("skipped"):
        text += "\n" + turn.tr("admin.done.already_named", refs=params["skipped"], unit=params["unit"])
    return text


async def _error(turn: Turn, exc: AdminError | Denied) -> None:
    if isinstance(exc, Denied):
        await _refuse(turn, exc.action.value)
        return
    await turn.reply(_error_text(turn, exc))


def _error_text(turn: Turn, exc: AdminError) -> str:
    missing = {"no_unit": "no_such_unit", "no_person": "no_such_person"}
    code = missing[exc.code] if exc.code in missing and not exc.params.get("similar") else exc.code
    params = {k: html.escape(v) or "—" for k, v in exc.params.items()}
    if code in ("role_unchanged", "role_not_held") and f"role.{exc.params.get('role')}" in catalog(turn.lang):
        params["role"] = turn.tr(f"role.{exc.params['role']}")
    return turn.tr(f"admin.error.{code}", **params)


async def _private_admin(turn: Turn, action: Action, what: str) -> bool:
    if not allowed(turn.roles, action):
        await _refuse(turn, what)
        return False
    if turn.in_group:
        await turn.reply(turn.tr("admin.private_only"))
        return False
    return True


async def _group(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not allowed(turn.roles, Action.REGISTER_GROUP):
        await _refuse(turn, "/group")
        return
    if not turn.in_group:
        await turn.reply(turn.tr("admin.group.private"))
        return
    chat = turn.update.effective_chat
    assert chat is not None
    args = command_args(turn)
    if not args:
        current = await groups.registration(turn.session, chat.id)
        await turn.reply(_registration_text(turn, current))
        return
    try:
        result = await groups.register(
            turn.session, services.auditor, chat_id=chat.id, title=chat.title or "", target="".join(args),
            now=turn.now, actor=f"tg:{turn.user.telegram_id}" if turn.user else "admin",
        )
    except groups.GroupError as exc:
        key = "admin.error.no_unit" if exc.params.get("similar") else "admin.error.no_such_unit"
        await turn.reply(turn.tr(key, **{k: html.escape(v) or "—" for k, v in exc.params.items()}))
        return
    await turn.reply(_registration_text(turn, result, changed=True))


def _registration_text(turn: Turn, reg: groups.Registration, *, changed: bool = False) -> str:
    prefix = "admin.group.set." if changed else "admin.group.is."
    return turn.tr(prefix + reg.kind, unit=html.escape(reg.unit or ""))


async def _people(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.MANAGE_PEOPLE, "/people"):
        return
    args = command_args(turn)
    await _list_people(turn, services, "".join(args) if args else None)


async def _list_people(turn: Turn, services: Services, unit: str | None, *, who: str = "") -> None:
    admin = _admin(turn, services)
    try:
        rows = await (admin.one(who) if who else admin.listing(unit))
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    if not rows:
        await turn.reply(turn.tr("admin.people.none"))
        return
    lines = []
    for person, unit in rows[:80]:
        bound = turn.tr("admin.people.bound") if person.telegram_id else turn.tr("admin.people.unbound")
        roles = "、".join(turn.tr(f"role.{r}") for r in person.roles or []) or turn.tr("role.none")
        lines.append(f"{html.escape(describe(person, unit))} · {roles} · {bound}")
    more = turn.tr("admin.people.more", count=len(rows) - 80) if len(rows) > 80 else ""
    await turn.reply(turn.tr("admin.people.list", count=len(rows), lines="\n".join(lines)) + more)


async def _unit(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.MANAGE_PEOPLE, "/units"):
        return
    args = command_args(turn)
    admin = _admin(turn, services)
    verb, rest = (args[0].lower(), args[1:]) if args else ("", [])
    try:
        if verb in ("add", "新增", "添加") and len(rest) == 1:
            done = await admin.add_unit(rest[0])
        elif verb in ("rename", "改名", "更名") and len(rest) == 2:
            done = await admin.rename_unit(rest[0], rest[1])
        elif verb in ("merge", "合并") and len(rest) == 2:
            done = await admin.merge_units(rest[0], rest[1])
        elif verb in ("retire", "撤销", "停用") and len(rest) == 1:
            done = await admin.retire_unit(rest[0])
        elif verb in ("retire", "撤销", "停用") and len(rest) == 2 and rest[1] in ("确认", "确定", "confirm"):
            done = await admin.retire_unit(rest[0], confirmed=True)
        elif verb in ("assign", "分配", "指定", "交办") and len(rest) in (2, 3):
            done = await admin.assign(rest[0], rest[1], rest[2] if len(rest) == 3 else None)
        elif verb in ("unassign", "取消分配", "撤回") and len(rest) == 2:
            done = await admin.unassign(rest[0], rest[1])
        else:
            await turn.reply(turn.tr("admin.unit.usage"))
            return
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    await _done(turn, done)


async def _person(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.MANAGE_PEOPLE, "/person"):
        return
    args = command_args(turn)
    admin = _admin(turn, services)
    verb, rest = (args[0].lower(), args[1:]) if args else ("", [])
    try:
        if verb in ("add", "新增", "添加") and len(rest) in (2, 3):
            role = role_of(rest[2]) or rest[2] if len(rest) == 3 else None
            done = await admin.add_person(rest[0], rest[1], role)
        elif verb in ("rename", "改名", "更名") and len(rest) == 2:
            done = await admin.rename_person(rest[0], rest[1])
        elif verb in ("move", "调动", "移动") and len(rest) == 2:
            done = await admin.move_person(rest[0], rest[1])
        elif verb in ("retire", "离任", "停用") and len(rest) == 1:
            done = await admin.retire_person(rest[0])
        else:
            await turn.reply(turn.tr("admin.person.usage"))
            return
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    await _done(turn, done)


async def _unbind(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.BIND, "/unbind"):
        return
    args = command_args(turn)
    if len(args) != 1:
        await turn.reply(turn.tr("admin.unbind.usage"))
        return
    try:
        done = await _admin(turn, services).unbind(args[0])
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    await _done(turn, done)


_REVOKE_WORDS = frozenset({"撤销", "取消", "去掉", "收回", "revoke", "remove"})
_GRANT_WORDS = frozenset({"授予", "设为", "加", "增加", "grant", "add"})


async def _role(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.ROLES, "/role"):
        return
    args = command_args(turn)
    # "+leader" / "-admin", and as people also write it: "leader" alone, "撤销 admin", "授予 leader".
    if len(args) == 3 and args[1] in _REVOKE_WORDS | _GRANT_WORDS:
        args = [args[0], ("-" if args[1] in _REVOKE_WORDS else "+") + args[2]]
    elif len(args) == 2 and args[1][:1] not in "+-" and role_of(args[1]) is not None:
        args = [args[0], "+" + args[1]]
    if len(args) != 2 or args[1][:1] not in "+-":
        await turn.reply(turn.tr("admin.role.usage"))
        return
    try:
        done = await _admin(turn, services).set_role(args[0], args[1][1:], grant=args[1][0] == "+")
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    await _done(turn, done)


async def _history(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _private_admin(turn, Action.AUDIT, "/audit"):
        return
    args = command_args(turn)
    if len(args) != 1:
        await turn.reply(turn.tr("admin.history.usage", **await turn.examples()))
        return
    try:
        task, events = await _admin(turn, services).history(args[0])
    except (AdminError, Denied) as exc:
        await _error(turn, exc)
        return
    if not events:
        await turn.reply(turn.tr("admin.history.empty", ref=html.escape(task.ref), title=html.escape(task.title)))
        return
    lines = []
    names: dict[str, str] = {}
    for ev in events:
        when = ev.at.astimezone(turn.now.tzinfo).strftime("%m-%d %H:%M")
        detail = json.dumps(ev.payload, ensure_ascii=False)[:HISTORY_PAYLOAD_CHARS]
        label = turn.tr(f"audit.action.{ev.action}") if f"audit.action.{ev.action}" in catalog(turn.lang) else ev.action
        if ev.actor not in names:
            names[ev.actor] = await actor_name(turn.session, ev.actor)
        lines.append(f"#{ev.id} {when} <b>{html.escape(label)}</b> {html.escape(names[ev.actor])} {html.escape(detail)}")
    await turn.reply(turn.tr(
        "admin.history.list", ref=html.escape(task.ref), title=html.escape(task.title), lines="\n".join(lines)
    ))


async def _roster_in_words(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"解绑李明", "李明改到市水利局", "给王强加上领导权限": read the request, then ask for a
    button press; words alone never change the roster."""
    message = turn.update.effective_message
    ask = roster_request((message.text or "") if message else "")
    if ask is None:
        return
    if not allowed(turn.roles, ROSTER_ACTIONS[ask.op]):
        log.warning("roster in words refused for %s", turn.user.telegram_id if turn.user else None)
        await turn.reply(turn.tr("admin.words.denied"))
        return
    if turn.in_group:
        await turn.reply(turn.tr("admin.private_only"))
        return
    if ask.op in ("list", "check"):
        await _list_people(turn, services, ask.unit or None, who=ask.who)
        return
    try:
        pending = await _admin(turn, services).prepare(ask)
    except (AdminError, Denied) as exc:
        if isinstance(exc, AdminError) and exc.code == "ambiguous_person":
            name = html.escape(exc.params["name"])
            await turn.reply(_error_text(turn, exc) + "\n" + turn.tr("admin.words.which_one", name=name))
            return
        await _error(turn, exc)
        return
    to = turn.user.telegram_id if turn.user else callback_tokens.ANY_ADMIN
    key = services.settings.audit_key
    params = _role_params(turn, pending.params)
    await turn.reply(
        turn.tr(f"admin.words.confirm.{pending.op}", **params),
        buttons=[[
            (turn.tr("admin.words.yes"), callback_tokens.sign(key, ROSTER_CALLBACK, pending.op, pending.person_id, pending.arg, to=to)),
            (turn.tr("admin.words.no"), callback_tokens.sign(key, ROSTER_CALLBACK, "cancel", 0, "-", to=to)),
        ]],
    )


async def _roster_press(turn: Turn, services: Services, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The admin's confirmation of a roster change asked in words; checked again at press time."""
    query = turn.update.callback_query
    if query is None or turn.user is None:
        return
    try:
        token = callback_tokens.verify(services.settings.audit_key, query.data or "")
    except callback_tokens.BadToken:
        log.warning("forged roster callback from %s: %r", turn.user.telegram_id, query.data)
        await turn.answer_callback(turn.tr("binding.callback.invalid"), alert=True)
        return
    if not token.addressed_to(turn.user.telegram_id, is_admin=turn.is_admin):
        await turn.answer_callback(turn.tr("binding.callback.not_yours"), alert=True)
        return
    op, person_id, arg = (*token.args, "", "", "")[:3]
    if op not in _CONFIRMED or not person_id.isdigit():
        await turn.answer_callback(turn.tr("binding.callback.invalid"), alert=True)
        return
    message_id = query.message.message_id if query.message is not None else None
    link: list[list[Button]] | None = None
    if op == "cancel":
        text = turn.tr("admin.words.cancelled")
        await turn.answer_callback(text)
    else:
        try:
            admin = _admin(turn, services, str(context.bot.username or ""))
            done = await admin.carry_out(op, int(person_id), arg)
            text = _done_text(turn, done)
            if done.params.get("link"):  # the invitation made with the change, ready to forward
                link = [[(turn.tr("binding.invite.button", name=done.params["to"]), None, done.params["link"])]]
        except Denied:
            await turn.answer_callback(turn.tr("admin.denied"), alert=True)
            return
        except AdminError as exc:
            # An alert shows plain text: no HTML tags, and Telegram's 200-character limit.
            await turn.answer_callback(re.sub(r"<[^>]+>", "", _error_text(turn, exc))[:190], alert=True)
            return
        await turn.answer_callback(turn.tr("admin.words.done_short"))
    if message_id is not None:
        await turn.edit(message_id, text, buttons=link)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(MessageHandler(in_words(roster_request), with_services(_roster_in_words)))
    application.add_handler(CallbackQueryHandler(with_services(_roster_press), pattern=rf"^{ROSTER_CALLBACK}:"))
    for name, fn in (
        ("group", _group), ("people", _people), ("units", _unit), ("person", _person),
        ("unbind", _unbind), ("role", _role), ("audit", _history),
    ):
        application.add_handler(CommandHandler(name, with_services(fn)))
