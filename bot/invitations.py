"""Invitations: single-use, expiring codes that bind a Telegram account to a person of the plan.

Only the SHA-256 of a code is stored, so a database dump does not hand out
accounts. Codes are 12 characters from an alphabet without look-alikes (0/O, 1/I)
because officials sometimes type them by hand. Wrong codes count against the
account (5 an hour) so nobody can walk the code space; expired and used codes are
real codes and do not count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.bind_requests import match_intro
from bot.binding import ROLES, BindError, bind_member, bind_person, normalize_name
from bot.people_admin import resolve_unit, similar
from storage import invitations as inv_q
from storage import people
from storage.models import Invitation, Person

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
DEFAULT_DAYS = 7
MAX_DAYS = 90
WRONG_LIMIT = 5
WRONG_WINDOW = timedelta(hours=1)
_CODE_RE = re.compile(r"^[A-Z0-9]{6,32}$")


class InviteError(Exception):
    """An invitation cannot be issued; ``code`` keys the message, ``params`` fill it."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Issued:
    code: str
    link: str
    expires_at: datetime
    name: str
    unit: str | None
    role: str | None
    plan_roles: tuple[str, ...]
    bound: bool = False  # the person is bound to an account already: the code waits for an unbind


@dataclass(frozen=True)
class Redemption:
    """What happened to a code: ``outcome`` is "bound" or a refusal key."""

    outcome: str
    person: Person | None = None
    unit: str | None = None
    retry_at: datetime | None = None
    roles: tuple[str, ...] = field(default_factory=tuple)


def new_code() -> str:
    """A code with at least one digit: a code pasted into a message is only told from words by one."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(c.isdigit() for c in code):
            return code


def normalize_code(text: str) -> str:
    return re.sub(r"[\s\-_]", "", text).upper()


_PASTED: Final = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4})(?![A-Za-z0-9])")


def code_in(text: str) -> str | None:
    """An invitation code pasted as a message ("9AEP8YSPPBHH", "我的邀请码是 9AEP-8YSP-PBHH")
    instead of opened through the link: people copy what they were sent."""
    if len(text) > 40:
        return None
    m = _PASTED.search(text)
    if m is None:
        return None
    code = normalize_code(m.group(1))
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code) or not re.search(r"\d", code):
        return None
    return code


def code_hash(code: str) -> bytes:
    return hashlib.sha256(normalize_code(code).encode()).digest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


def invite_days(configured: str | None) -> int:
    """RECTIBOT_INVITE_DAYS, else 7."""
    if configured and configured.strip().isdigit() and 1 <= int(configured) <= MAX_DAYS:
        return int(configured)
    return DEFAULT_DAYS


async def issue(
    session: AsyncSession,
    auditor: Auditor,
    *,
    person: str | None = None,
    unit: str | None = None,
    name: str | None = None,
    role: str | None = None,
    days: int = DEFAULT_DAYS,
    now: datetime,
    actor: str,
    created_by: int | None,
    bot_username: str,
) -> Issued:
    """A code for a person of the plan (``person``) or for a member of a unit (``unit`` + ``name``)."""
    if role is not None and role not in ROLES:
        raise InviteError("bad_role", role=role, roles="、".join(ROLES))
    if not 1 <= days <= MAX_DAYS:
        raise InviteError("bad_days", days=str(days), max=str(MAX_DAYS))
    target: Person | None = None
    unit_id: int | None = None
    unit_name: str | None = None
    if person is not None:
        wanted = normalize_name(person)
        matches = await people.persons_named(session, wanted)
        if not matches:
            unit_named = await resolve_unit(session, wanted)
            if unit_named is not None:  # "/invite 市水利局": a unit, its liaison's name left out
                raise InviteError("unit_needs_name", unit=unit_named.name)
            raise InviteError("no_person", name=wanted, similar=await similar(session, wanted, units=False))
        if len(matches) > 1:
            raise InviteError("ambiguous_person", name=wanted, count=str(len(matches)))
        target = matches[0]
        display = target.name
        unit_name = await people.unit_name(session, target.unit_id)
    else:
        wanted_unit = normalize_name(unit or "")
        found = await resolve_unit(session, wanted_unit)
        if found is None:
            raise InviteError("no_unit", unit=wanted_unit, similar=await similar(session, wanted_unit, units=True))
        display = normalize_name(name or "")
        if not display:
            raise InviteError("no_name")
        unit_id, unit_name = found.id, found.name
        existing = await people.persons_of_unit(session, found.id, display)
        if len(existing) == 1:
            target = existing[0]
    code = new_code()
    invitation = await inv_q.add_invitation(
        session,
        Invitation(
            code_hash=code_hash(code),
            person_id=target.id if target else None,
            unit_id=unit_id,
            name=display,
            role=role,
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        ),
    )
    await auditor.append(
        session,
        actor=actor,
        action="invite.create",
        subject=f"person:{target.id}" if target else f"unit:{unit_id}",
        payload={"invitation": invitation.id, "name": display, "unit": unit_name, "role": role,
                 "expires_at": invitation.expires_at.isoformat()},
        now=now,
    )
    return Issued(
        code=code,
        link=deep_link(bot_username, code),
        expires_at=invitation.expires_at,
        name=display,
        unit=unit_name,
        role=role,
        plan_roles=tuple(target.roles or []) if target else (),
        bound=target is not None and target.telegram_id is not None,
    )


async def redeem(session: AsyncSession, auditor: Auditor, *, code: str, telegram_id: int, now: datetime) -> Redemption:
    """Use ``code`` for ``telegram_id``; refusals change nothing except counting wrong codes."""
    since = now - WRONG_WINDOW
    failures = await inv_q.failures_since(session, telegram_id, since)
    if len(failures) >= WRONG_LIMIT:
        return Redemption("rate_limited", retry_at=failures[-WRONG_LIMIT] + WRONG_WINDOW)
    clean = normalize_code(code)
    invitation = await inv_q.invitation_by_hash(session, code_hash(clean)) if _CODE_RE.match(clean) else None
    if invitation is None:
        await inv_q.record_failure(session, telegram_id, now, keep_since=since)
        return Redemption("wrong")
    target = await session.get(Person, invitation.person_id) if invitation.person_id else None
    if invitation.used_at is not None:
        if invitation.used_by == telegram_id and target is not None and target.telegram_id == telegram_id:
            return Redemption("already", person=target, unit=await people.unit_name(session, target.unit_id))
        return Redemption("used")
    if invitation.expires_at <= now:
        return Redemption("expired")
    if target is not None and target.retired:
        return Redemption("retired")
    if target is not None and target.telegram_id is not None and target.telegram_id != telegram_id:
        return Redemption("taken")
    actor = f"tg:{telegram_id}"
    try:
        if target is not None and target.unit_id is None:
            bound = await bind_person(
                session, auditor, telegram_id=telegram_id, name=target.name, role=invitation.role, now=now, actor=actor
            )
        else:
            unit_id = target.unit_id if target is not None else invitation.unit_id
            unit_name = await people.unit_name(session, unit_id)
            if unit_name is None:
                return Redemption("unit_gone")
            bound = await bind_member(
                session, auditor, telegram_id=telegram_id, unit=unit_name,
                name=target.name if target else invitation.name,
                role=invitation.role or _plan_role(target), now=now, actor=actor,
            )
    except BindError as exc:
        return Redemption(exc.code)
    invitation.used_at = now
    invitation.used_by = telegram_id
    invitation.person_id = bound.id
    await auditor.append(
        session, actor=actor, action="invite.use", subject=f"person:{bound.id}",
        payload={"invitation": invitation.id, "telegram_id": telegram_id}, now=now,
    )
    return Redemption(
        "bound", person=bound, unit=await people.unit_name(session, bound.unit_id), roles=tuple(bound.roles or [])
    )


async def earlier_invitee(session: AsyncSession, unit_id: int) -> str | None:
    """"给市水利局再发一个邀请": the one person of the unit invited before and not bound yet,
    whom "again" can only mean; None when there is no such person or several."""
    waiting: list[str] = []
    for invitation in await inv_q.invitations_of_unit(session, unit_id):
        if invitation.name in waiting:
            continue
        same = await people.persons_of_unit(session, unit_id, invitation.name)
        if not any(p.telegram_id is not None for p in same):
            waiting.append(invitation.name)
    return waiting[0] if len(waiting) == 1 else None


def _plan_role(person: Person | None) -> str | None:
    roles = list(person.roles or []) if person else []
    return roles[0] if roles else None


# "给市城管局的孙八发个邀请码", "生成倪玉民的邀请码", "邀请市水利局赵刚绑定", "邀请市水利局的王强":
# /invite in words. Without 绑定 or 码, "邀请" must be followed by a unit and a name, so that
# "邀请专家现场评审" stays a report.
# "再发", "重新生成", "补发": an invitation asked for again is still one; the adverb is no name.
_AGAIN = r"(?:再|重新|又|另外|另|补)?"
_ASKED_IN_WORDS: Final = re.compile(
    r"(?:请|麻烦|帮我|帮忙)?\s*" + _AGAIN + r"(?:"
    r"(?:给|为|替)(?P<a>.+?)" + _AGAIN + r"(?:发|生成|开|弄|做|出)(?:一?个|一?份|一?张|一下)?邀请(?:码|链接)?"
    r"|(?:发|生成|开|弄|做|出)(?:一?个|一?份|一?张|一下)?(?P<b>.+?)的邀请(?:码|链接)"
    r"|邀请(?P<c>.+?)(?:绑定|加入)(?:账号|机器人)?"
    r"|邀请(?P<d>[\u4e00-\u9fff()（）]{1,20}?(?:局|委|办|厅|中心|政府|管委会|公司|院|所|队|站|部)的?\s*[\u4e00-\u9fff]{2,4})"
    r")(?:一下)?[\s。.!！~吧]*"
)


def asked_again(text: str) -> bool:
    """"再发一个", "重新生成", "补发": the office means someone it invited before."""
    return re.search(r"再|重新|又|另外|补发|补一", text) is not None


def invite_request(text: str) -> str | None:
    """Whom an invitation asked for in words is for ("市城管局的孙八"), or None."""
    m = _ASKED_IN_WORDS.fullmatch(text.strip())
    if m is None:
        return None
    who = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").strip(" ，,的")
    return who or None


# "撤回给王强的邀请", "把市水利局赵刚的邀请码作废", "王强的邀请码取消掉": one verb, before or after.
_REVOKE_VERB: Final = r"(?:撤回|撤销|作废|取消|收回|废掉|停用)"
_REVOKE_IN_WORDS: Final = re.compile(
    rf"(?:请|麻烦|帮我)?\s*(?:把|将)?\s*(?P<pre>{_REVOKE_VERB})?\s*(?:之前|刚才)?(?:发给|给|发)?(?P<who>[^，,。]+?)的?(?:那个|那张)?邀请(?:码|链接)?"
    rf"\s*(?P<post>{_REVOKE_VERB})?(?:掉|了|吧|一下)*[\s。.!！]*"
)


def revoke_request(text: str) -> str | None:
    """Whose open invitation the office withdraws in words ("市水利局赵刚"), or None."""
    m = _REVOKE_IN_WORDS.fullmatch(text.strip())
    if m is None or bool(m.group("pre")) == bool(m.group("post")) or len(text) > 40:
        return None
    who = m.group("who").strip(" 的")
    return who or None


@dataclass(frozen=True)
class Revoked:
    name: str
    unit: str | None
    count: int


async def revoke(session: AsyncSession, auditor: Auditor, *, who: str, now: datetime, actor: str) -> Revoked:
    """Withdraw every unused invitation for the person named: the code stops binding at once.

    A code forwarded to the wrong person, or a liaison who changed before using it: the
    office takes it back rather than wait seven days for it to lapse.
    """
    found = await match_intro(session, who)
    name = found.person.name if found.person is not None else normalize_name(found.name or who)
    if found.person is not None or found.unit is not None:
        open_ = await people.open_invitations_for(
            session, person_id=found.person.id if found.person else None,
            unit_id=found.unit.id if found.unit else None, name=name, now=now,
        )
    else:
        open_ = await inv_q.open_invitations_named(session, name, now)
    unit = found.unit.name if found.unit is not None else None
    if found.person is not None and unit is None:
        unit = await people.unit_name(session, found.person.unit_id)
    if unit is None and open_:
        unit = await people.unit_name(session, open_[0].unit_id)
    for invitation in open_:
        invitation.expires_at = now
        await auditor.append(
            session, actor=actor, action="invite.revoke",
            subject=f"person:{invitation.person_id}" if invitation.person_id else f"unit:{invitation.unit_id}",
            payload={"invitation": invitation.id, "name": invitation.name}, now=now,
        )
    return Revoked(name=name, unit=unit, count=len(open_))
