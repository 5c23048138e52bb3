"""Admin commands: /group, /people, /units, /person, /unbind, /role, /history.

Roster and history commands answer in private chats only, so a work group never
sees the office's roster or audit trail by accident.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from telegram.ext import Application, CommandHandler, ContextTypes

from bot import groups
from bot.audit import actor_name
from bot.i18n import catalog
from bot.people_admin import AdminError, Done, PeopleAdmin, describe, role_of
from bot.permissions import Action, Denied, allowed
from bot.services import Services
from bot.turns import Turn
from handlers.binding import with_services
from handlers.common import command_args

log = logging.getLogger(__name__)

HISTORY_PAYLOAD_CHARS = 120


def _admin(turn: Turn, services: Services) -> PeopleAdmin:
    actor = f"tg:{turn.user.telegram_id}" if turn.user else "admin"
    return PeopleAdmin(turn.session, services.auditor, roles=turn.roles, actor=actor, now=turn.now)


async def _refuse(turn: Turn, what: str) -> None:
    log.warning("%s refused for %s", what, turn.user.telegram_id if turn.user else None)
    await turn.reply(turn.tr("admin.denied"))


async def _done(turn: Turn, done: Done) -> None:
    params = {k: html.escape(v) for k, v in done.params.items()}
    if "role" in params:
        params["role"] = turn.tr(f"role.{done.params['role']}")
    if "party" in params:
        params["party"] = turn.tr(f"admin.party.{done.params['party']}")
    text = turn.tr(f"admin.done.{done.what}", **params)
    if done.params.get("skipped"):
        text += "\n" + turn.tr("admin.done.already_named", refs=params["skipped"], unit=params["unit"])
    await turn.reply(text)


async def _error(turn: Turn, exc: AdminError | Denied) -> None:
    if isinstance(exc, Denied):
        await _refuse(turn, exc.action.value)
        return
    missing = {"no_unit": "no_such_unit", "no_person": "no_such_person"}
    code = missing[exc.code] if exc.code in missing and not exc.params.get("similar") else exc.code
    await turn.reply(turn.tr(f"admin.error.{code}", **{k: html.escape(v) or "—" for k, v in exc.params.items()}))


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
    try:
        rows = await _admin(turn, services).listing("".join(args) if args else None)
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


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for name, fn in (
        ("group", _group), ("people", _people), ("units", _unit), ("person", _person),
        ("unbind", _unbind), ("role", _role), ("audit", _history),
    ):
        application.add_handler(CommandHandler(name, with_services(fn)))
