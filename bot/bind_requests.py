"""Self-service binding: "我是市水利局李明" → a request an admin approves with one button.

The typed unit and name are fuzzy-matched (rapidfuzz) to the plan's units and
persons, because officials write 市水利局 as 水利局 or 商丘市水利局. Nothing is
bound until an admin presses 批准; the buttons carry signed callback data
(bot/callback_tokens.py) and the request row is locked when decided, so a forged,
replayed or second press changes nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callback_tokens
from bot.audit import Auditor
from bot.binding import BindError, bind_member, bind_person, normalize_name
from bot.i18n import t
from bot.turns import keyboard
from bot.unit_names import spoken_units
from storage import admin as admin_q
from storage import invitations as inv_q
from storage import outbox as outbox_q
from storage import people
from storage.invitations import BindRequest
from storage.models import Invitation, Person, Unit

INTRO_RE = re.compile(
    r"^\s*(?:(?:你好|您好|领导好|老师好|hello|hi)[\s,，!！。~]*)?"
    r"(?:我是|我叫|本人是|本人系|我系|本人|姓名[:：]?|i am|i'm|my name is|this is)\s*(?P<body>.+)$",
    re.I | re.S,
)
_NOISE_RE = re.compile(r"[\s\u3000，,。.、：:；;！!（）()【】\[\]“”\"'‘’]+")
_FILLERS = ("的", "单位", "同志", "联络员", "负责人", "工作人员", "名叫", "叫", "from", "of", "at")
UNIT_CUTOFF = 80
PERSON_CUTOFF = 85
MAX_INTRO = 40
# "我是市水利局的，界碑已完成80%" is a report that happens to start with 我是, not an introduction.
_REPORT_HINT = re.compile(r"[0-9０-９%％]|完成|已经|正在|推进|开展|整改|落实|进展|进度|报送|销号|延期")
# After the name, a clause about one's duties ("负责整改联络") still introduces; progress does not.
_PROGRESS_HINT = re.compile(r"[0-9０-９%％]|完成|已经|已|正在|推进|开展|落实|进展|进度|报送|销号|延期")
_QUESTION = re.compile(r"什么|哪些|哪个|哪里|为什么|怎么|谁|吗|呢|？|\?")
_CLAUSE_END = re.compile(r"[，,。;；!！]")
_DUTY = re.compile(r"负责|联络|对接|分管|具体|工作|专干|经办|上班|任职")
# "办公室李娜", "综合科张伟": a section of the unit before the name.
# "…周九，想绑定账号", "…周九申请注册": the request to be bound is not part of the name.
_ASKS_BINDING = re.compile(
    r"[，,\s]*(?:我)?(?:想|要|需要|申请|请求|请|麻烦)\s*(?:绑定|注册|登记|开通|加入|关联).*$|[，,\s]+(?:绑定|注册|开通).*$"
)
_SECTION_BEFORE_NAME = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:办公室|科|股|处|室|队|站|所|中心)([\u4e00-\u9fff]{2,3})$")
# "张伟，在应急局上班": where one works, said after the name.
_WORKS_AT = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,4})[，,\s]*在(?P<unit>.+?)(?:上班|工作|任职)?$")
CALLBACK_KIND = "br"


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    person: Person | None
    name: str


@dataclass(frozen=True)
class Submitted:
    outcome: str  # "submitted" | "no_match" | "no_name" | "taken" | "already_bound"
    name: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class Decision:
    outcome: str  # "approved" | "rejected" | "decided" | "gone" | a BindError code
    request: BindRequest | None = None
    person: Person | None = None
    unit: str | None = None


def intro_body(text: str) -> str | None:
    """The part after 我是/I am, or None when the message is not a self-introduction."""
    if len(text) > MAX_INTRO:
        return None
    m = INTRO_RE.match(text)
    if m is None:
        return None
    body = m.group("body")
    if _QUESTION.search(body):  # "我是什么权限", "我是谁": a question about oneself
        return None
    cut = _CLAUSE_END.search(body)
    first, rest = (body[: cut.start()], body[cut.end() :]) if cut else (body, "")
    if _REPORT_HINT.search(first) or _PROGRESS_HINT.search(rest):
        return None
    if rest.lstrip().startswith("在"):  # "我叫张伟，在应急局上班": the clause names the unit
        return _ASKS_BINDING.sub("", body)
    return first if _DUTY.search(rest) else _ASKS_BINDING.sub("", body) or body


def _clean(text: str) -> str:
    return _NOISE_RE.sub("", text)


def _strip_fillers(name: str) -> str:
    changed = True
    while changed and name:
        changed = False
        for filler in _FILLERS:
            if name.startswith(filler):
                name, changed = name[len(filler):], True
            if name.endswith(filler):
                name, changed = name[: -len(filler)], True
    return name


# "局长周涛", "副县长陈晓梅", "陈晓梅副县长": the post is not part of the name.
_POST_AFTER_NAME = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{2,3}?)(?:常务)?副?(?:[省市县区镇乡局科股处部院所站队]|党组|县委|市委)?"
    r"(?:长|书记|主任|常委|委员|主席|局长|科长|股长|处长|部长|院长|所长|站长|队长)$"
)


_POST_BEFORE_NAME = re.compile(r"(?:[省市县区镇乡局站所股科处部院队]长|书记|主任|常委|委员|主席)(?P<name>[\u4e00-\u9fff]{2,3})$")


def _without_post(name: str) -> str:
    before = _POST_BEFORE_NAME.search(name)
    if before is not None and len(name) > 3:
        return before.group("name")
    after = _POST_AFTER_NAME.match(name)
    return after.group("name") if after is not None and len(name) > 3 else name


async def match_intro(session: AsyncSession, body: str) -> Match:
    works = _WORKS_AT.match(body.strip())
    if works is not None:  # 我叫张伟，在应急局上班: the unit, then the name, as usual
        body = works.group("unit") + works.group("name")
    text = _clean(body)
    names = await admin_q.unit_names(session)
    unit_name: str | None = None
    before, after = "", text
    exact = sorted((n for n in names if n and n in text), key=len, reverse=True)
    spoken = [] if exact else await spoken_units(session, text)
    if exact:
        unit_name = exact[0]
        before, _, after = text.partition(unit_name)
    elif spoken:
        key, _unit_id, unit_name = spoken[0]
        before, _, after = text.partition(key)
    else:
        best = process.extractOne(text, names, scorer=fuzz.partial_ratio, score_cutoff=UNIT_CUTOFF)
        if best is not None and len(best[0]) >= 3:
            unit_name = str(best[0])
            span = fuzz.partial_ratio_alignment(unit_name, text)
            if span is not None:
                before, after = text[: span.dest_start], text[span.dest_end :]
    # People write the unit first (市水利局李明), sometimes the name first (李明，市水利局).
    name = _strip_fillers(after) or _strip_fillers(before)
    section = _SECTION_BEFORE_NAME.match(name)
    if section is not None:
        name = section.group(1)
    unit = await people.find_unit(session, unit_name) if unit_name else None
    person: Person | None = None
    if unit is not None:
        candidates = await admin_q.persons(session, unit_id=unit.id)
    else:
        candidates = [p for p in await admin_q.persons(session) if p.unit_id is None]
        name = _strip_fillers(text)
    name = _without_post(name)
    if name and candidates:
        by_name = {p.name: p for p in candidates}
        best_person = process.extractOne(name, list(by_name), scorer=fuzz.ratio, score_cutoff=PERSON_CUTOFF)
        if best_person is not None:
            person = by_name[str(best_person[0])]
            name = person.name
    return Match(unit, person, name)


async def submit(
    session: AsyncSession,
    auditor: Auditor,
    *,
    telegram_id: int,
    text: str,
    now: datetime,
) -> tuple[Submitted, BindRequest | None]:
    """Record a self-service request; at most one stays pending per account."""
    body = intro_body(text) or text
    found = await match_intro(session, body)
    if found.unit is None and found.person is None:
        return Submitted("no_match"), None
    if not found.name:
        return Submitted("no_name", unit=found.unit.name if found.unit else None), None
    unit_name = found.unit.name if found.unit else None
    if found.person is not None and found.person.telegram_id not in (None, telegram_id):
        return Submitted("taken", name=found.name, unit=unit_name), None
    for old in await inv_q.pending_requests_of(session, telegram_id):
        old.state = "superseded"
        old.decided_at = now
    request = await inv_q.add_request(
        session,
        BindRequest(
            telegram_id=telegram_id,
            text=text.strip(),
            name=found.name,
            person_id=found.person.id if found.person else None,
            unit_id=found.unit.id if found.unit else None,
            state="pending",
            created_at=now,
        ),
    )
    await auditor.append(
        session, actor=f"tg:{telegram_id}", action="bind_request.create", subject=f"tg:{telegram_id}",
        payload={"request": request.id, "text": text.strip(), "name": found.name, "unit": unit_name,
                 "person": found.person.id if found.person else None},
        now=now,
    )
    return Submitted("submitted", name=found.name, unit=unit_name), request


async def notify_admins(
    session: AsyncSession,
    request: BindRequest,
    *,
    secret: bytes,
    configured_admins: frozenset[int],
    default_lang: str,
    now: datetime,
    update_id: int | None,
) -> list[int]:
    """Queue the approval request to every admin; returns outbox ids (sent with the turn, quiet hours apart)."""
    user = await people.get_user(session, request.telegram_id)
    unit = await people.unit_name(session, request.unit_id)
    who = html.escape(user.first_name if user and user.first_name else str(request.telegram_id))
    if user and user.username:
        who += f" (@{html.escape(user.username)})"
    invited = await _open_invitation(session, request, now)
    ids: list[int] = []
    for admin in await people.admin_chat_ids(session, configured_admins):
        if admin == request.telegram_id:
            continue
        admin_user = await people.get_user(session, admin)
        lang = (admin_user.language if admin_user and admin_user.language else None) or default_lang
        known = t(lang, "binding.request.known" if request.person_id else "binding.request.new")
        text = t(
            lang, "binding.request.admin", who=who, telegram_id=request.telegram_id, said=html.escape(request.text),
            name=html.escape(request.name), unit=html.escape(unit or t(lang, "binding.no_unit")), known=known,
        ) + _invited_note(lang, invited, now)
        markup = keyboard([[
            (t(lang, "binding.button.approve"), callback_tokens.sign(secret, CALLBACK_KIND, request.id, "y", to=callback_tokens.ANY_ADMIN)),
            (t(lang, "binding.button.reject"), callback_tokens.sign(secret, CALLBACK_KIND, request.id, "n", to=callback_tokens.ANY_ADMIN)),
        ]])
        payload: dict[str, Any] = {"chat_id": admin, "text": text, "parse_mode": "HTML", "reply_markup": markup}
        row = await outbox_q.enqueue(
            session, key=f"bind_request:{request.id}:{admin}", kind="admin_notice", chat_id=admin,
            method="sendMessage", payload=payload, now=now, push=True, update_id=update_id,
        )
        if row is not None:
            await session.flush()
            ids.append(row.id)
    return ids


async def _open_invitation(session: AsyncSession, request: BindRequest, now: datetime) -> Invitation | None:
    """The newest open invitation for the person the request names, if the office issued one."""
    found = await people.open_invitations_for(
        session, person_id=request.person_id, unit_id=request.unit_id, name=request.name, now=now,
    )
    return found[0] if found else None


def roles_text(lang: str, roles: list[str] | tuple[str, ...]) -> str:
    """The roles an account holds, as the office names them: 单位联络员、责任领导."""
    return "、".join(t(lang, f"role.{r}") for r in roles) if roles else t(lang, "role.none")


def _invited_note(lang: str, invitation: Invitation | None, now: datetime) -> str:
    """The office already invited this person, perhaps with a role: say so on the card, since
    approving binds with that role and uses up the code."""
    if invitation is None:
        return ""
    role = t(lang, f"role.{invitation.role}") if invitation.role else t(lang, "binding.request.invited_plan_role")
    until = invitation.expires_at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
    return "\n" + t(lang, "binding.request.invited", role=role, until=until)


async def decide(
    session: AsyncSession,
    auditor: Auditor,
    *,
    request_id: int,
    approve: bool,
    admin_telegram_id: int,
    now: datetime,
) -> Decision:
    request = await inv_q.request_locked(session, request_id)
    if request is None:
        return Decision("gone")
    if request.state != "pending":
        return Decision("decided", request)
    actor = f"tg:{admin_telegram_id}"
    unit = await people.unit_name(session, request.unit_id)
    if approve and await people.person_by_telegram(session, request.telegram_id) is not None:
        # Bound meanwhile (an invitation, another request): approving must not move the account.
        request.state, request.decided_by, request.decided_at = "superseded", admin_telegram_id, now
        await auditor.append(
            session, actor=actor, action="bind_request.superseded", subject=f"tg:{request.telegram_id}",
            payload={"request": request.id}, now=now,
        )
        return Decision("decided", request)
    if not approve:
        request.state, request.decided_by, request.decided_at = "rejected", admin_telegram_id, now
        await auditor.append(
            session, actor=actor, action="bind_request.reject", subject=f"tg:{request.telegram_id}",
            payload={"request": request.id}, now=now,
        )
        return Decision("rejected", request, unit=unit)
    target = await session.get(Person, request.person_id) if request.person_id else None
    if target is not None and target.telegram_id not in (None, request.telegram_id):
        return Decision("taken", request, unit=unit)
    invitation = await _open_invitation(session, request, now)
    role = invitation.role if invitation is not None else None
    try:
        if target is not None and target.unit_id is None:
            person = await bind_person(
                session, auditor, telegram_id=request.telegram_id, name=target.name, role=role, now=now, actor=actor
            )
        elif unit is not None:
            # 王强 of that unit bound meanwhile by invitation: approving must not take his account away
            found = await people.find_unit(session, normalize_name(unit))
            same = await people.persons_of_unit(session, found.id, normalize_name(request.name)) if found else []
            if any(p.telegram_id not in (None, request.telegram_id) for p in same):
                return Decision("taken", request, unit=unit)
            person = await bind_member(
                session, auditor, telegram_id=request.telegram_id, unit=unit, name=request.name, role=role,
                now=now, actor=actor,
            )
        else:
            return Decision("no_unit", request)
    except BindError as exc:
        return Decision(exc.code, request, unit=unit)
    request.state, request.decided_by, request.decided_at = "approved", admin_telegram_id, now
    if invitation is not None:
        # The invitation did its job through the approval: a second account cannot use it too.
        invitation.used_at, invitation.used_by, invitation.person_id = now, request.telegram_id, person.id
    await auditor.append(
        session, actor=actor, action="bind_request.approve", subject=f"person:{person.id}",
        payload={"request": request.id, "telegram_id": request.telegram_id,
                 "invitation": invitation.id if invitation is not None else None, "role": role}, now=now,
    )
    return Decision("approved", request, person=person, unit=unit)


async def notify_user(
    session: AsyncSession, decision: Decision, *, default_lang: str, now: datetime, update_id: int | None
) -> list[int]:
    """Tell the applicant how it went, in their language."""
    request = decision.request
    if request is None or decision.outcome not in ("approved", "rejected"):
        return []
    user = await people.get_user(session, request.telegram_id)
    lang = (user.language if user and user.language else None) or default_lang
    roles = list(decision.person.roles or []) if decision.person else []
    key = "binding.request.rejected_user"
    if decision.outcome == "approved":
        # A leader or observer reads and asks; telling them to report would send them to a refusal.
        reports = "member" in roles or "admin" in roles
        key = "binding.request.approved_user" if reports else "binding.request.approved_user_viewer"
    name = decision.person.name if decision.person else request.name
    text = t(
        lang, key, name=html.escape(name), unit=html.escape(decision.unit or t(lang, "binding.no_unit")),
        roles=roles_text(lang, roles),
    )
    row = await outbox_q.enqueue(
        session, key=f"bind_request:{request.id}:decided", kind="binding", chat_id=request.telegram_id,
        method="sendMessage", payload={"chat_id": request.telegram_id, "text": text, "parse_mode": "HTML"},
        now=now, push=True, update_id=update_id,
    )
    if row is None:
        return []
    await session.flush()
    return [row.id]
