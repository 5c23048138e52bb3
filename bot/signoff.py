"""Sign-off (销号) per unit: request, approve or return with a reason, close, and rebound watch.

Sign-off is per task × unit, like progress: one county's 销号 never closes a task other
units still work on. The task is closed when every unit is signed off, or when an admin
closes it for all. After sign-off the unit is asked once a month, for 90 days, to confirm
there is no rebound (严防反弹) — through the scheduler, so a restart neither skips nor
repeats a month.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callback_tokens, matcher_cache
from bot.extract import DONE
from bot.i18n import t
from bot.intent import asks_now
from bot.people_admin import resolve_unit
from bot.permissions import Action, task_ids_in_scope
from bot.permissions import allowed as allowed_to
from bot.reporting import actor_of, record, reporter_of, short_title
from bot.scheduler import action
from bot.turns import Button, Turn, keyboard
from bot.unit_names import spoken_units, unit_written
from storage import evidence as evidence_q
from storage import kv, people
from storage import outbox as outbox_q
from storage import plans as plans_q
from storage import reports as reports_q
from storage import schedules as schedules_q
from storage import signoffs as signoffs_q
from storage.models import Schedule, SignOff, Task, TaskUnit

if TYPE_CHECKING:
    from bot.services import Services

REBOUND_DAYS = 90
REASON_TTL = timedelta(hours=24)
_REF = re.compile(r"^(?:\d+:)?\d+(?:[-.]\d+)*$")
SIGNOFF_WORDS = ("销号",)


# 销号 asked for in a sentence: "申请1-17销号，…", "1-17已整改完成，申请销号", "请求对1-10予以销号".
_ASKED: Final = re.compile(
    r"(?:申请|请求|提请|要求|请整改办|请)\s*(?:对|将)?\s*(?P<ref>(?:\d+:)?\d{1,3}(?:[-.]\d{1,3}){0,2})?\s*(?:号任务|号|任务)?"
    r"\s*(?:予以|进行|办理|验收|重新审核|审核|验收并)?\s*销号"
)
_REF_IN_TEXT: Final = re.compile(r"(?<![\d.\-:])((?:\d+:)?\d{1,3}(?:[-.]\d{1,3})+|\d{1,3}(?=号任务))(?![\d.\-])")
_UNIT_WORD: Final = unit_written(1, 20)
# The task first, 销号 as the verb: "1-17销号", "把1-17销号", "1-17 市应急管理局 销号，材料已齐"
# (not "1-17销号了吗").
_REF_FIRST: Final = re.compile(
    rf"^(?:请)?(?:把|将|给|对)?\s*(?P<ref>(?:\d+:)?\d{{1,3}}(?:[-.]\d{{1,3}})+)\s*(?:号任务|任务)?\s*(?P<unit>{_UNIT_WORD})?\s*的?\s*(?:申请)?\s*(?:予以|进行|办理)?\s*销号"
    r"(?:\s*[，,：:。；;\s]\s*(?P<rest>[^？?]*))?$"
)


# "正在整理材料申请销号", "材料收集齐后申请销号": the request is on its way, not made; the message
# is the unit's report.
_PREPARING: Final = re.compile(
    r"(?:正在|抓紧|准备|待|等|正)\S{0,8}?(?:整理|收集|准备|完善|补充|汇总)\S{0,6}?(?:材料|资料|佐证)\S{0,2}$"
    r"|(?:材料|资料|佐证)\S{0,4}(?:齐全|齐|整理好|准备好|收集齐|完善)(?:后|以后|之后)(?:再|即|就)?\s*$"
    r"|(?:下周|下个?月|近期|近日|过几天|随后|稍后|后续|验收后|验收合格后)(?:再|即|就)?\s*$"
)


def asks_for_signoff(text: str) -> bool:
    """A message that asks for 销号: starting with it, or saying 申请销号 in a sentence
    (not "下周准备申请销号", not "怎么申请销号？")."""
    body = text.strip()
    if body.startswith(SIGNOFF_WORDS) or (_REF_FIRST.match(body) and not body.endswith(("吗", "呢", "么"))):
        return True
    asked = _ASKED.search(body)
    return asked is not None and asks_now(body, asked.start()) and not _PREPARING.search(body[: asked.start()].rstrip())


def split_request(text: str) -> tuple[str | None, str]:
    """``销号 1-10 总结…``, ``/signoff 1-10 总结…`` or ``1-10已完成，申请销号`` → (ref, summary)."""
    first = _REF_FIRST.match(text.strip())
    if first is not None:
        return first.group("ref"), (first.group("rest") or "").strip(" ：:，,。;；")
    asked = _ASKED.search(text.strip())
    if asked is not None and not text.strip().startswith(("/signoff", *SIGNOFF_WORDS)):
        rest = (text.strip()[: asked.start()] + " " + text.strip()[asked.end() :]).strip(" ：:，,。;；")
        ref = asked.group("ref")
        if ref is None:
            found = _REF_IN_TEXT.search(rest)
            if found is not None:
                ref = found.group(1)
                rest = (rest[: found.start()] + rest[found.end() :]).strip(" ：:，,。;；")
        return ref, re.sub(r"^(?:号任务|任务)\s*", "", rest)
    body = text.strip()
    for prefix in ("/signoff", *SIGNOFF_WORDS):
        if body.startswith(prefix):
            body = body[len(prefix) :]
            break
    if body.startswith("@"):
        body = body.split(None, 1)[1] if " " in body else ""
    body = body.strip(" ：:，,")
    head, _, rest = body.partition(" ")
    if _REF.match(head):
        return head, rest.strip()
    return None, body


async def _admin_lang(session: AsyncSession, telegram_id: int, default: str) -> str:
    user = await people.get_user(session, telegram_id)
    return (user.language if user and user.language else None) or default


async def _send(
    session: AsyncSession, services: Services, *, key: str, chat_id: int, text: str, now: datetime,
    buttons: list[list[Button]] | None = None, kind: str = "signoff", turn: Turn | None = None,
) -> None:
    """Queue a message of the bot's own; within a turn it is sent right after the commit."""
    payload: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
    if buttons:
        payload["reply_markup"] = keyboard(buttons)
    row = await outbox_q.enqueue(session, key=key, kind=kind, chat_id=chat_id, method="sendMessage", payload=payload, now=now, push=True)
    if row is not None and turn is not None:
        await session.flush()
        turn.outbox_ids.append(row.id)


SUMMARY_WINDOW = timedelta(hours=2)


async def request(services: Services, turn: Turn, text: str) -> None:
    """A member asks to sign off their unit's share of a task, with a summary."""
    if turn.person is None and not turn.is_admin:
        await turn.reply(turn.tr("unbound.text"))
        return
    if turn.in_group and await reports_q.group_chat(turn.session, turn.chat_id) is None:
        return
    if turn.is_admin and await take_reason(services, turn, text):
        return
    if not allowed_to(turn.roles, Action.REQUEST_SIGNOFF):
        # A leader or observer is told who asks and who decides, not that a unit is missing.
        roles = turn.tr("q.sep").join(turn.tr(f"role.{r}") for r in sorted(turn.roles)) or turn.tr("role.none")
        await turn.reply(turn.tr("signoff.not_for_role", roles=roles, ref=(await turn.examples())["ref"]))
        return
    person = turn.person
    if person is None or person.unit_id is None:
        if turn.is_admin and allowed_to(turn.roles, Action.REPORT_ON_BEHALF):
            await _offer_behalf(services, turn, text)
        else:
            await turn.reply(turn.tr("signoff.no_unit"))
        return
    behalf = turn.is_admin and allowed_to(turn.roles, Action.REPORT_ON_BEHALF)
    named = await _units_named(turn.session, text) if behalf else []
    if named and person.unit_id not in named:  # an office member of a unit, writing for another one
        await _offer_behalf(services, turn, text)
        return
    unit_name = await people.unit_name(turn.session, person.unit_id) or ""
    allowed = await task_ids_in_scope(turn.session, person, turn.roles, Action.REPORT)
    ref, summary = split_request(text)
    task: Task | None = None
    if ref is not None:
        found = await reports_q.tasks_by_ref(turn.session, ref)
        if len(found) == 1:
            task = await reports_q.task(turn.session, found[0].id)
    elif summary:
        index = await matcher_cache.current(turn.session, services.extras)
        result = index.matcher.match(
            summary, unit=unit_name, allowed_refs=None if allowed is None else {str(i) for i in allowed},
        )
        if result.accepted is not None:
            task = await reports_q.task(turn.session, index.task_id(result.accepted))
    if task is None:
        await turn.reply(turn.tr("signoff.usage", **await turn.examples()) if ref is None else turn.tr("signoff.no_task", ref=html.escape(ref)))
        return
    if allowed is not None and task.id not in allowed:
        await turn.reply(turn.tr("signoff.not_allowed", ref=html.escape(task.ref)))
        return
    if behalf and ref is not None and await reports_q.task_unit(turn.session, task.id, person.unit_id) is None:
        # The admin's own unit has no share of this task: the 销号 is for one of the units that do.
        await _offer_behalf(services, turn, text)
        return
    said_here = bool(summary)
    if not summary:  # "1-16申请销号" right after the report that said what was done: that is the summary
        earlier = await reports_q.recent_of(
            turn.session, person.id, turn.chat_id, turn.now - SUMMARY_WINDOW, [task.id]
        )
        summary = earlier.text if earlier is not None else ""
    if not summary:
        await turn.reply(turn.tr("signoff.need_summary", ref=html.escape(task.ref)))
        return
    row = await plans_q.ensure_task_unit(turn.session, task.id, person.unit_id)
    if row.signoff_state == "approved":
        await turn.reply(turn.tr("signoff.already_done", ref=html.escape(task.ref)))
        return
    if await signoffs_q.pending_of(turn.session, task.id, person.unit_id):
        await turn.reply(turn.tr("signoff.already_pending", ref=html.escape(task.ref)))
        return
    signoff = await signoffs_q.add(
        turn.session,
        SignOff(task_id=task.id, unit_id=person.unit_id, requested_by=person.id, summary=summary, requested_at=turn.now, state="pending"),
    )
    row.signoff_state = "pending"
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.request", subject=f"task:{task.id}",
        payload={"signoff": signoff.id, "unit": person.unit_id, "summary": summary}, now=turn.now,
    )
    who = await reporter_of(turn) if said_here and row.status != DONE else None
    if who is not None:
        # "1-17已全部整改到位，申请销号" also says where the unit stands: the ledger and the
        # office's card count it as the unit's report, not as "未报告". A unit that already
        # reported the work done is not recorded twice.
        message = turn.update.effective_message
        await record(
            turn.session, services, task=task, who=who, text=summary, measure_no=None, now=turn.now,
            chat_id=turn.chat_id, message_id=message.message_id if message else None,
            update_id=turn.update.update_id, actor=actor_of(turn), source="signoff",
        )
    files = await _ask_admins(services, turn, task, signoff, row, unit_name, person.name)
    text = turn.tr("signoff.requested", ref=html.escape(task.ref), title=html.escape(short_title(task)))
    await turn.reply(text + ("\n" + turn.tr("signoff.send_evidence") if files == 0 else ""))


async def _ask_admins(
    services: Services, turn: Turn, task: Task, signoff: SignOff, row: TaskUnit, unit_name: str, name: str,
    *, behalf_by: str | None = None,
) -> int:
    """Queue the request card to every admin; the number of files the unit has sent so far."""
    reports = len(await reports_q.live_of_task_unit(turn.session, task.id, row.unit_id))
    files = len(await evidence_q.of_task(turn.session, task.id, {row.unit_id}))
    returned = await signoffs_q.last_returned(turn.session, task.id, row.unit_id, before=signoff.id)
    for admin in await people.admin_chat_ids(turn.session, services.settings.admins):
        lang = await _admin_lang(turn.session, admin, services.settings.locale)
        # What the office checks before it signs off: how far the unit said it got, and on what evidence.
        facts = t(
            lang, "signoff.admin_facts", reports=reports, files=files,
            progress=f"{row.status or t(lang, 'signoff.no_status')}" + (f" · {row.percent}%" if row.percent is not None else ""),
        )
        await _send(
            turn.session, services, key=f"signoff:{signoff.id}:ask:{admin}", chat_id=admin, now=turn.now,
            text=t(
                lang, "signoff.admin_request", ref=html.escape(task.ref), title=html.escape(short_title(task)),
                unit=html.escape(unit_name), name=html.escape(name), summary=html.escape(signoff.summary or "—"),
            ) + "\n" + facts + ("\n" + t(lang, "signoff.admin_no_evidence") if files == 0 else "")
            + ("\n" + t(lang, "signoff.behalf.note", by=html.escape(behalf_by)) if behalf_by is not None else "")
            # Filed again after a return: the office checks first what it asked for then.
            + ("\n" + t(lang, "signoff.refiled", reason=html.escape(returned.reason or "—")) if returned is not None else ""),
            buttons=[[(t(lang, "signoff.button.approve"), f"sa:{signoff.id}"), (t(lang, "signoff.button.return"), f"sr:{signoff.id}")]],
            turn=turn,
        )
    return files


BEHALF_CALLBACK: Final = "sb"
BEHALF_TTL = timedelta(hours=24)
MAX_UNIT_BUTTONS = 8


async def _units_named(session: AsyncSession, text: str) -> list[int]:
    """Units the office named in its words, by full name, alias or spoken short form."""
    return list(dict.fromkeys(unit_id for _key, unit_id, _name in await spoken_units(session, text)))


def _without_units(summary: str, names: list[str]) -> str:
    for name in names:
        summary = summary.replace(name, "")
    return summary.strip(" ：:，,。;；")


async def _offer_behalf(services: Services, turn: Turn, text: str) -> None:
    """An office without a unit writing "1-17销号": the request waiting there if there is one,
    else an offer to file it for the unit, confirmed by a press (and asked which unit when
    the task has several and the words name none)."""
    ref, summary = split_request(text)
    found = await reports_q.tasks_by_ref(turn.session, ref) if ref else []
    if ref is None or len(found) != 1:
        await turn.reply(turn.tr("signoff.usage", **await turn.examples()) if ref is None else turn.tr("signoff.no_task", ref=html.escape(ref)))
        return
    task = found[0]
    shares = await signoffs_q.task_units(turn.session, task.id)
    named = await _units_named(turn.session, text)
    said = [key for key, _uid, _name in await spoken_units(turn.session, text)]
    if named:
        on_task = [s for s in shares if s.unit_id in named]
        if not on_task:
            unit = await people.unit_name(turn.session, named[0]) or ""
            await turn.reply(turn.tr(
                "signoff.behalf.not_on_task", ref=html.escape(task.ref), title=html.escape(short_title(task)), unit=html.escape(unit),
            ))
            return
        shares = on_task
    waiting = [s for s in await signoffs_q.pending_of(turn.session, task.id, None) if any(s.unit_id == r.unit_id for r in shares)]
    if waiting:  # "请对1-17予以销号": the office means the request already waiting there
        for signoff in waiting:
            await _decision_card(services, turn, task, signoff, True, "")
        return
    open_shares = [s for s in shares if s.signoff_state != "approved"]
    params = {"ref": html.escape(task.ref), "title": html.escape(short_title(task))}
    if not open_shares:
        if len(shares) == 1:
            unit = await people.unit_name(turn.session, shares[0].unit_id) or ""
            await turn.reply(turn.tr("signoff.behalf.unit_done", unit=html.escape(unit), **params))
        else:
            await turn.reply(turn.tr("signoff.behalf.all_done", **params))
        return
    user = turn.update.effective_user
    if user is None:
        return
    summary = _without_units(summary, said)
    await kv.put(turn.session, f"signoff.behalf:{user.id}:{task.id}", {"summary": summary, "at": turn.now.isoformat()})
    secret = services.settings.audit_key
    cancel = (turn.tr("signoff.behalf.button_cancel"), callback_tokens.sign(secret, BEHALF_CALLBACK, task.id, 0, to=user.id))
    summary_line = html.escape(summary) or turn.tr("signoff.behalf.no_summary")
    if len(open_shares) == 1:
        unit = await people.unit_name(turn.session, open_shares[0].unit_id) or ""
        await turn.reply(
            turn.tr("signoff.behalf.confirm", unit=html.escape(unit), summary=summary_line, **params),
            buttons=[[
                (turn.tr("signoff.behalf.button_file"), callback_tokens.sign(secret, BEHALF_CALLBACK, task.id, open_shares[0].unit_id, to=user.id)),
                cancel,
            ]],
        )
        return
    buttons: list[list[Button]] = []
    for share in open_shares[:MAX_UNIT_BUTTONS]:
        unit = await people.unit_name(turn.session, share.unit_id) or ""
        buttons.append([(unit, callback_tokens.sign(secret, BEHALF_CALLBACK, task.id, share.unit_id, to=user.id))])
    buttons.append([cancel])
    await turn.reply(turn.tr("signoff.behalf.which_unit", summary=summary_line, **params), buttons=buttons)


async def _pressed(
    services: Services, turn: Turn, shaped: Callable[[tuple[str, ...]], bool]
) -> callback_tokens.Token | None:
    """The signed data of a press made by the one it was addressed to, in the shape expected;
    None once the presser has been told the button is not valid."""
    query, user = turn.update.callback_query, turn.update.effective_user
    if query is None or user is None:
        return None
    try:
        token = callback_tokens.verify(services.settings.audit_key, query.data or "")
    except callback_tokens.BadToken:
        token = None
    if token is None or not token.addressed_to(user.id, is_admin=turn.is_admin) or not shaped(token.args):
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return None
    return token


async def file_on_behalf(services: Services, turn: Turn) -> None:
    """The office's press on a "file 1-17's 销号 for 市应急管理局" card: the request is made
    for the unit as the unit's own would be, and audited as made on its behalf."""
    user = turn.update.effective_user
    token = await _pressed(services, turn, lambda args: len(args) == 2 and all(a.isdigit() for a in args))
    if token is None or user is None:
        return
    args = token.args
    if not allowed_to(turn.roles, Action.REPORT_ON_BEHALF):
        await turn.answer_callback(turn.tr("signoff.admin_only"), alert=True)
        return
    message = turn.update.effective_message
    task_id, unit_id = int(args[0]), int(args[1])
    key = f"signoff.behalf:{user.id}:{task_id}"
    if unit_id == 0:
        await kv.put(turn.session, key, {})
        await turn.answer_callback(turn.tr("signoff.behalf.cancelled"))
        if message is not None:
            await turn.edit(message.message_id, turn.tr("signoff.behalf.cancelled"))
        return
    task = await reports_q.task(turn.session, task_id)
    row = await reports_q.task_unit(turn.session, task_id, unit_id)
    if task is None or task.archived or row is None:
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return
    unit_name = await people.unit_name(turn.session, unit_id) or ""
    params = {"ref": html.escape(task.ref), "title": html.escape(short_title(task)), "unit": html.escape(unit_name)}
    if row.signoff_state == "approved":
        await turn.answer_callback(turn.tr("signoff.behalf.unit_done_short"), alert=True)
        return
    if await signoffs_q.pending_of(turn.session, task_id, unit_id):
        await turn.answer_callback(turn.tr("signoff.behalf.pending_short"), alert=True)
        return
    waiting = await kv.get(turn.session, key) or {}
    fresh = bool(waiting.get("at")) and turn.now - datetime.fromisoformat(str(waiting["at"])) <= BEHALF_TTL
    summary = str(waiting.get("summary") or "") if fresh else ""
    if not summary:  # the unit's own last word on the task says what was done
        reports = await reports_q.live_of_task_unit(turn.session, task_id, unit_id)
        summary = reports[-1].text if reports else ""
    await kv.put(turn.session, key, {})
    by = turn.person.name if turn.person else (user.first_name or str(user.id))
    signoff = await signoffs_q.add(
        turn.session,
        SignOff(task_id=task_id, unit_id=unit_id, requested_by=turn.person.id if turn.person else None,
                summary=summary, requested_at=turn.now, state="pending"),
    )
    row.signoff_state = "pending"
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.request", subject=f"task:{task_id}",
        payload={"signoff": signoff.id, "unit": unit_id, "summary": summary, "behalf": True}, now=turn.now,
    )
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.behalf", subject=f"task:{task_id}",
        payload={"signoff": signoff.id, "unit": unit_id}, now=turn.now,
    )
    await _ask_admins(services, turn, task, signoff, row, unit_name, by, behalf_by=by)
    await _tell_unit(turn, services, signoff, "signoff.behalf.unit_told", turn.now, **params)
    await turn.answer_callback(turn.tr("signoff.behalf.filed_short"))
    if message is not None:
        await turn.edit(message.message_id, turn.tr("signoff.behalf.filed", **params))


async def evidence_added(
    session: AsyncSession, services: Services, signoff: SignOff, now: datetime, *, turn: Turn | None = None,
) -> tuple[Task, int] | None:
    """Tell the admins how many files the request now has, so they can fetch them before deciding."""
    task = await reports_q.task(session, signoff.task_id)
    if task is None:
        return None
    count = len(await signoffs_q.evidence_ids(session, signoff.id))
    unit = await people.unit_name(session, signoff.unit_id) if signoff.unit_id else None
    for admin in await people.admin_chat_ids(session, services.settings.admins):
        lang = await _admin_lang(session, admin, services.settings.locale)
        await _send(
            session, services, key=f"signoff:{signoff.id}:evidence:{count}:{admin}", chat_id=admin, now=now,
            text=t(
                lang, "signoff.admin_evidence", ref=html.escape(task.ref), title=html.escape(short_title(task)),
                unit=html.escape(unit or ""), count=count,
            ),
            turn=turn,
        )
    return task, count


async def _decidable(turn: Turn, signoff_id: int) -> SignOff | None:
    if not turn.is_admin:
        await turn.answer_callback(turn.tr("signoff.admin_only"), alert=True)
        return None
    signoff = await signoffs_q.get(turn.session, signoff_id)
    if signoff is None:
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return None
    if signoff.state != "pending":
        await turn.answer_callback(turn.tr("signoff.already_decided"), alert=True)
        return None
    return signoff


async def _tell_unit(turn: Turn, services: Services, signoff: SignOff, message: str, now: datetime, **params: Any) -> None:
    session = turn.session
    requester = await reports_q.person(session, signoff.requested_by)
    targets = [requester] if requester is not None and requester.telegram_id else []
    if signoff.unit_id is not None:
        targets += [p for p in await reports_q.unit_members(session, signoff.unit_id) if p not in targets]
    for person in targets:
        if person is None or person.telegram_id is None:
            continue
        lang = await _admin_lang(session, int(person.telegram_id), services.settings.locale)
        await _send(
            session, services, key=f"signoff:{signoff.id}:{signoff.state}:{person.id}", chat_id=int(person.telegram_id),
            text=t(lang, message, **params), now=now, turn=turn,
        )


async def _task_closed(session: AsyncSession, services: Services, task: Task, actor: str, now: datetime) -> bool:
    """Close the task (audited once) when every unit's share is signed off."""
    rows = await signoffs_q.task_units(session, task.id)
    if not rows or any(r.signoff_state != "approved" for r in rows):
        return False
    if await kv.put_once(session, f"signoff.closed:{task.id}", {"at": now.isoformat()}):
        await services.auditor.append(session, actor=actor, action="task.close", subject=f"task:{task.id}", payload={}, now=now)
    return True


async def _ensure_rebound_schedule(session: AsyncSession) -> None:
    await schedules_q.ensure(session, name="rebound-watch", kind="rebound_watch", rule="month_end", at="10:00")


async def approve(services: Services, turn: Turn, signoff_id: int) -> None:
    signoff = await _decidable(turn, signoff_id)
    if signoff is None:
        return
    task = await reports_q.task(turn.session, signoff.task_id)
    if task is None:
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return
    signoff.state, signoff.decided_at = "approved", turn.now
    signoff.decided_by = turn.person.id if turn.person else None
    row = await plans_q.ensure_task_unit(turn.session, task.id, signoff.unit_id) if signoff.unit_id else None
    if row is not None:
        row.signoff_state, row.signed_off_at = "approved", turn.now
    await turn.session.flush()
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.approve", subject=f"task:{task.id}",
        payload={"signoff": signoff.id, "unit": signoff.unit_id}, now=turn.now,
    )
    closed = await _task_closed(turn.session, services, task, actor_of(turn), turn.now)
    await _ensure_rebound_schedule(turn.session)
    unit = await people.unit_name(turn.session, signoff.unit_id) or ""
    params = {"ref": html.escape(task.ref), "title": html.escape(short_title(task)), "unit": html.escape(unit)}
    await _tell_unit(turn, services, signoff, "signoff.approved_unit", turn.now, **params)
    await turn.answer_callback(turn.tr("signoff.approved_short"))
    message = turn.update.effective_message
    if message is not None:
        key = "signoff.approved_admin_closed" if closed else "signoff.approved_admin"
        await turn.edit(message.message_id, turn.tr(key, **params))


async def ask_reason(services: Services, turn: Turn, signoff_id: int) -> None:
    """Return needs a reason: the admin's next message is taken as it."""
    signoff = await _decidable(turn, signoff_id)
    if signoff is None:
        return
    user = turn.update.effective_user
    message = turn.update.effective_message
    if user is None or message is None:
        return
    await kv.put(
        turn.session, f"signoff.reason:{user.id}",
        {"signoff": signoff.id, "at": turn.now.isoformat(), "chat_id": turn.chat_id, "message_id": message.message_id},
    )
    await turn.answer_callback()
    await turn.reply(turn.tr("signoff.reason_prompt"))


async def _return(turn: Turn, services: Services, signoff: SignOff, reason: str) -> dict[str, str]:
    """Return a pending request with the admin's reason (audited) and tell the unit; the
    message parameters for the admin's confirmation."""
    task = await reports_q.task(turn.session, signoff.task_id)
    signoff.state, signoff.decided_at, signoff.reason = "returned", turn.now, reason
    signoff.decided_by = turn.person.id if turn.person else None
    row = await reports_q.task_unit(turn.session, signoff.task_id, signoff.unit_id) if signoff.unit_id else None
    if row is not None:
        row.signoff_state = "returned"
    await turn.session.flush()
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.return", subject=f"task:{signoff.task_id}",
        payload={"signoff": signoff.id, "unit": signoff.unit_id, "reason": reason}, now=turn.now,
    )
    unit = await people.unit_name(turn.session, signoff.unit_id) or ""
    params = {
        "ref": html.escape(task.ref if task else "?"), "title": html.escape(short_title(task) if task else ""),
        "unit": html.escape(unit), "reason": html.escape(reason),
    }
    await _tell_unit(turn, services, signoff, "signoff.returned_unit", turn.now, **params)
    return params


async def take_reason(services: Services, turn: Turn, text: str) -> bool:
    """If this admin owes a return reason, take ``text`` as it; True when consumed."""
    user = turn.update.effective_user
    if user is None or not turn.is_admin:
        return False
    key = f"signoff.reason:{user.id}"
    waiting = await kv.get(turn.session, key)
    if not waiting or not waiting.get("signoff") or waiting.get("chat_id") != turn.chat_id:
        return False
    if turn.now - datetime.fromisoformat(waiting["at"]) > REASON_TTL:
        await kv.put(turn.session, key, {})
        return False
    reason = text.strip()
    if not reason:
        await turn.reply(turn.tr("signoff.reason_empty"))
        return True
    await kv.put(turn.session, key, {})
    signoff = await signoffs_q.get(turn.session, int(waiting["signoff"]))
    if signoff is None or signoff.state != "pending":
        await turn.reply(turn.tr("signoff.already_decided"))
        return True
    params = await _return(turn, services, signoff, reason)
    await turn.edit(int(waiting["message_id"]), turn.tr("signoff.returned_admin", **params))
    await turn.reply(turn.tr("signoff.returned_done", **params))
    return True


# The office's decision in words: "1-18同意销号", "同意1-18销号", "1-18退回，材料不全", "驳回1-18的销号申请：…".
_APPROVE_WORDS: Final = ("同意", "批准", "准予", "通过", "可以", "审核通过", "验收通过", "同意通过")
_RETURN_WORDS: Final = ("退回", "驳回", "不同意", "不予", "打回", "不通过", "暂不同意", "退回补充", "退回重报")
_VERBS: Final = "|".join(sorted(_APPROVE_WORDS + _RETURN_WORDS, key=len, reverse=True))
_DECISION: Final = re.compile(
    rf"^(?:请)?(?P<pre>{_VERBS})?(?:予以)?\s*(?:对|将)?\s*(?P<ref>(?:\d+:)?\d{{1,3}}(?:[-.]\d{{1,3}})+)\s*(?:号任务|任务)?"
    rf"\s*(?P<unit>{unit_written(1, 12)})?"
    rf"\s*的?\s*(?:销号申请|销号)?\s*(?P<post>{_VERBS})?\s*(?:予以)?(?:销号申请|销号|申请)?"
    r"(?:[，,：:；;。\s]+(?P<reason>.*))?$",
    re.S,
)
WORDS_CALLBACK: Final = "sw"


def decision_in_words(text: str) -> tuple[str, bool, str, str] | None:
    """``(ref, approve, reason, unit)`` when the text is the office deciding a task's 销号 in words;
    ``unit`` as written ("1-17应急局退回，…"), else empty."""
    m = _DECISION.match(text.strip())
    if m is None or len(text) > 300 or bool(m.group("pre")) == bool(m.group("post")):
        return None
    verb = m.group("pre") or m.group("post")
    if verb in _APPROVE_WORDS and "销号" not in text:
        return None  # "1-18同意" alone may as well be about an extension
    reason = (m.group("reason") or "").strip(" ，,：:；;。")
    approve = verb in _APPROVE_WORDS
    return m.group("ref"), approve, "" if approve else reason, m.group("unit") or ""


async def decide_in_words(services: Services, turn: Turn, text: str) -> None:
    """"1-18同意销号" / "1-18退回，材料不全": show the pending request with buttons to confirm.

    Words alone never decide: the office confirms on the card, which shows what the unit
    said and how much evidence it sent, the same facts as the card that came with the request.
    """
    if await take_reason(services, turn, text):
        return
    decision = decision_in_words(text)
    if decision is None:
        return
    if not turn.is_admin:
        await turn.reply(turn.tr("signoff.admin_only"))
        return
    ref, approve, reason, unit_said = decision
    found = await reports_q.tasks_by_ref(turn.session, ref)
    if len(found) != 1:
        await turn.reply(turn.tr("signoff.no_task", ref=html.escape(ref)))
        return
    task = found[0]
    unit = await resolve_unit(turn.session, unit_said) if unit_said else None
    if unit_said and unit is None:
        await turn.reply(turn.tr("admin.error.no_such_unit", unit=html.escape(unit_said)))
        return
    waiting = await signoffs_q.pending_of(turn.session, task.id, unit.id if unit else None)
    done = [
        r for r in await signoffs_q.task_units(turn.session, task.id)
        if r.signoff_state == "approved" and (unit is None or r.unit_id == unit.id)
    ]
    if not waiting and done:  # "1-18同意销号" said twice: the first one did it
        names = [await people.unit_name(turn.session, r.unit_id) or "" for r in done]
        await turn.reply(turn.tr(
            "signoff.words.already_approved", ref=html.escape(task.ref), title=html.escape(short_title(task)),
            units="、".join(html.escape(n) for n in names),
        ))
        return
    if not waiting and unit is not None:
        await turn.reply(turn.tr(
            "signoff.words.none_pending_unit", ref=html.escape(task.ref), title=html.escape(short_title(task)),
            unit=html.escape(unit.name),
        ))
        return
    if not waiting:
        await turn.reply(turn.tr("signoff.words.none_pending", ref=html.escape(task.ref), title=html.escape(short_title(task))))
        return
    for signoff in waiting:
        await _decision_card(services, turn, task, signoff, approve, reason)


async def _decision_card(services: Services, turn: Turn, task: Task, signoff: SignOff, approve: bool, reason: str) -> None:
    unit = await people.unit_name(turn.session, signoff.unit_id) or ""
    files = len(await evidence_q.of_task(turn.session, task.id, {signoff.unit_id} if signoff.unit_id else set()))
    params = {
        "ref": html.escape(task.ref), "title": html.escape(short_title(task)), "unit": html.escape(unit),
        "summary": html.escape(signoff.summary or ""), "files": str(files), "reason": html.escape(reason),
    }
    user = turn.update.effective_user
    if approve or not reason or user is None:
        key = "signoff.words.confirm_approve" if approve else "signoff.words.confirm_return_ask"
        buttons: list[list[Button]] = [[
            (turn.tr("signoff.button.approve"), f"sa:{signoff.id}"), (turn.tr("signoff.button.return"), f"sr:{signoff.id}"),
        ]]
    else:
        # The reason waits with the request; the button only says "yes, return it with this".
        await kv.put(turn.session, f"signoff.words:{signoff.id}:{user.id}", {"reason": reason, "at": turn.now.isoformat()})
        key = "signoff.words.confirm_return"
        secret = services.settings.audit_key
        buttons = [[
            (turn.tr("signoff.words.button_return"), callback_tokens.sign(secret, WORDS_CALLBACK, signoff.id, "y", to=user.id)),
            (turn.tr("signoff.words.button_keep"), callback_tokens.sign(secret, WORDS_CALLBACK, signoff.id, "n", to=user.id)),
        ]]
    text = turn.tr(key, **params) + ("\n" + turn.tr("signoff.admin_no_evidence") if files == 0 else "")
    await turn.reply(text, buttons=buttons)


async def confirm_return(services: Services, turn: Turn) -> None:
    """The press on a "return with this reason" card made from the office's words."""
    user = turn.update.effective_user
    token = await _pressed(services, turn, lambda args: len(args) == 2 and args[0].isdigit())
    if token is None or user is None:
        return
    message = turn.update.effective_message
    key = f"signoff.words:{token.args[0]}:{user.id}"
    if token.args[1] != "y":
        await kv.put(turn.session, key, {})
        await turn.answer_callback(turn.tr("signoff.words.kept"))
        if message is not None:
            await turn.edit(message.message_id, turn.tr("signoff.words.kept"))
        return
    signoff = await _decidable(turn, int(token.args[0]))
    waiting = await kv.get(turn.session, key)
    if signoff is None:
        return
    if not waiting or not waiting.get("reason"):
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return
    await kv.put(turn.session, key, {})
    params = await _return(turn, services, signoff, str(waiting["reason"]))
    await turn.answer_callback(turn.tr("signoff.words.returned_short"))
    if message is not None:
        await turn.edit(message.message_id, turn.tr("signoff.returned_admin", **params))


async def _admin_task(turn: Turn, args: list[str], admin_only: str, *, usage: str | None) -> Task | None:
    """The one task an admin's command names (its first argument), or None once the reason is told."""
    if not turn.is_admin:
        await turn.reply(turn.tr(admin_only))
        return None
    if usage is not None:
        await turn.reply(turn.tr(usage, **await turn.examples()))
        return None
    found = await reports_q.tasks_by_ref(turn.session, args[0])
    if len(found) != 1:
        await turn.reply(turn.tr("signoff.no_task", ref=html.escape(args[0])))
        return None
    return found[0]


async def close_for_all(services: Services, turn: Turn, args: list[str]) -> None:
    """Admin: close a task for every unit at once (e.g. the leaders accepted it as a whole)."""
    task = await _admin_task(turn, args, "signoff.admin_only", usage=None if len(args) == 1 else "signoff.close_usage")
    if task is None:
        return
    rows = await signoffs_q.task_units(turn.session, task.id)
    for row in rows:
        if row.signoff_state != "approved":
            row.signoff_state, row.signed_off_at = "approved", turn.now
    answered = list(await signoffs_q.pending_of(turn.session, task.id, None))
    for pending in answered:
        pending.state, pending.decided_at = "approved", turn.now
        pending.decided_by = turn.person.id if turn.person else None
    await turn.session.flush()
    for pending in answered:  # the units that asked hear their request is settled by the closing
        unit = await people.unit_name(turn.session, pending.unit_id) or ""
        await _tell_unit(turn, services, pending, "signoff.approved_unit", turn.now, ref=html.escape(task.ref),
                         title=html.escape(short_title(task)), unit=html.escape(unit))
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.close_all", subject=f"task:{task.id}",
        payload={"units": [r.unit_id for r in rows]}, now=turn.now,
    )
    await _task_closed(turn.session, services, task, actor_of(turn), turn.now)
    await _ensure_rebound_schedule(turn.session)
    await turn.reply(turn.tr("signoff.closed_all", ref=html.escape(task.ref), title=html.escape(short_title(task)), count=len(rows)))


async def reopen(services: Services, turn: Turn, args: list[str]) -> None:
    """Admin: reopen a unit's 销号 share ("/reopen 1-17 市应急管理局 问题反弹").

    A rebound, or a sign-off given too early: the share counts as open again, takes reports
    and reminders, and may ask for 销号 anew. The unit is told and the step is audited.
    """
    task = await _admin_task(turn, args, "signoff.reopen_admin_only", usage=None if args else "signoff.reopen_usage")
    if task is None:
        return
    closed = [r for r in await signoffs_q.task_units(turn.session, task.id) if r.signoff_state == "approved"]
    names = {r.id: await people.unit_name(turn.session, r.unit_id) or "" for r in closed}
    if not closed:
        await turn.reply(turn.tr("signoff.reopen_none", ref=html.escape(task.ref)))
        return
    rest = list(args[1:])
    named = [r for r in closed if rest and rest[0] and (rest[0] in names[r.id] or names[r.id] in rest[0])]
    if len(named) == 1:
        chosen, rest = named[0], rest[1:]
    elif len(closed) == 1:
        chosen = closed[0]
    else:
        units = "、".join(html.escape(names[r.id]) for r in closed)
        await turn.reply(turn.tr("signoff.reopen_which", ref=html.escape(task.ref), units=units))
        return
    reason = " ".join(rest).strip()
    chosen.signoff_state, chosen.signed_off_at = "reopened", None
    await kv.delete(turn.session, f"signoff.closed:{task.id}")
    await turn.session.flush()
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.reopen", subject=f"task:{task.id}",
        payload={"unit": chosen.unit_id, "reason": reason}, now=turn.now,
    )
    params = {
        "ref": html.escape(task.ref), "title": html.escape(short_title(task)),
        "unit": html.escape(names[chosen.id]), "reason": html.escape(reason) or turn.tr("signoff.reopen_no_reason"),
    }
    for person in await reports_q.unit_members(turn.session, chosen.unit_id):
        if person.telegram_id is None:
            continue
        lang = await _admin_lang(turn.session, int(person.telegram_id), services.settings.locale)
        await _send(
            turn.session, services, key=f"signoff.reopen:{chosen.id}:{turn.update.update_id}:{person.id}",
            chat_id=int(person.telegram_id), text=t(lang, "signoff.reopened_unit", **params), now=turn.now, turn=turn,
        )
    await turn.reply(turn.tr("signoff.reopened", **params))


def _month(slot: datetime) -> str:
    return slot.strftime("%Y-%m")


@action("rebound_watch")
async def rebound_watch(session: AsyncSession, services: Services, schedule: Schedule, slot: datetime) -> None:
    """Month end: every unit signed off in the last 90 days confirms there is no rebound."""
    for row in await signoffs_q.signed_off_since(session, slot - timedelta(days=REBOUND_DAYS), slot):
        await _ask_rebound(session, services, row, slot)


async def _ask_rebound(session: AsyncSession, services: Services, row: TaskUnit, slot: datetime) -> None:
    task = await reports_q.task(session, row.task_id)
    if task is None:
        return
    month = _month(slot)
    for person in await reports_q.unit_members(session, row.unit_id):
        if person.telegram_id is None:
            continue
        lang = await _admin_lang(session, int(person.telegram_id), services.settings.locale)
        await _send(
            session, services, key=f"rebound:{row.id}:{month}:{person.id}", chat_id=int(person.telegram_id), now=slot,
            kind="rebound",
            text=t(lang, "signoff.rebound_ask", ref=html.escape(task.ref), title=html.escape(short_title(task))),
            buttons=[[(t(lang, "signoff.button.no_rebound"), f"rb:{row.id}:{month.replace('-', '')}")]],
        )


async def confirm_rebound(services: Services, turn: Turn, task_unit_id: int, month: str) -> None:
    row = await signoffs_q.task_unit(turn.session, task_unit_id)
    person = turn.person
    if row is None or not re.fullmatch(r"\d{6}", month):
        await turn.answer_callback(turn.tr("signoff.button_invalid"), alert=True)
        return
    if person is None or person.unit_id != row.unit_id:
        await turn.answer_callback(turn.tr("signoff.not_your_unit"), alert=True)
        return
    if not await kv.put_once(turn.session, f"rebound.confirmed:{row.id}:{month}", {"by": person.id, "at": turn.now.isoformat()}):
        await turn.answer_callback(turn.tr("signoff.rebound_already"), alert=True)
        return
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="signoff.no_rebound", subject=f"task:{row.task_id}",
        payload={"unit": row.unit_id, "month": month}, now=turn.now,
    )
    await turn.answer_callback(turn.tr("signoff.rebound_thanks"))
    message = turn.update.effective_message
    if message is not None:
        await turn.edit(message.message_id, turn.tr("signoff.rebound_confirmed"))
