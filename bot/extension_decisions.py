"""The office deciding an extension in words: "1-17同意延期", "同意延期", "1-17延期驳回，理由不充分".

Words alone never decide, as with 销号: the admin gets the pending request again as a card,
with what was asked and why, and confirms with the same 批准/驳回 buttons as the request
card. That keeps one audited path for the decision, and a misread message cannot move a
deadline for every unit on a task.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.extensions import fmt_day
from bot.reminder_words import Said
from bot.unit_names import unit_written
from storage import people
from storage import reminders as rq

if TYPE_CHECKING:
    from bot.services import Services

MAX_CARDS: Final = 5
_APPROVE: Final = ("同意", "批准", "准予", "通过", "可以", "准了")
_REJECT: Final = ("驳回", "不同意", "不予", "退回", "不批", "不批准", "暂不同意", "不准")
_VERBS: Final = "|".join(sorted(_APPROVE + _REJECT, key=len, reverse=True))
_DECISION: Final = re.compile(
    rf"^(?:请)?(?P<pre>{_VERBS})?\s*(?:予以)?\s*(?:对|将)?\s*(?P<ref>\d{{1,3}}(?:[-.]\d{{1,3}})+)?\s*(?:号任务|任务)?"
    rf"\s*(?P<unit>{unit_written(1, 12)})?"
    rf"\s*(?P<mid>{_VERBS})?"
    rf"\s*的?\s*(?:延期申请|延期)\s*(?:申请)?\s*(?P<post>{_VERBS})?\s*(?:了)?"
    r"(?:[，,：:；;。\s]+(?P<reason>.*))?$",
    re.S,
)


_REF: Final = r"\d{1,3}(?:[-.]\d{1,3})+"
_DECISION_EN: Final = re.compile(
    rf"^(?:please\s+)?(?P<verb>approve|grant|accept|reject|refuse|decline|deny)\s+(?:the\s+)?(?:task\s+)?(?:(?P<ref1>{_REF})(?:'s)?\s+)?"
    rf"extension(?:\s+request)?(?:\s+(?:for|of|on)\s+(?:task\s+)?(?P<ref2>{_REF}))?\s*(?:[:,;.\-]\s*(?P<reason>.*))?$",
    re.I | re.S,
)


def decision_words(text: str) -> tuple[str | None, bool, str] | None:
    """``(ref or None, approve, reason)`` when the text is the office deciding an extension."""
    english = _DECISION_EN.match(text.strip())
    if english is not None:
        approve = english.group("verb").lower() in ("approve", "grant", "accept")
        reason = "" if approve else (english.group("reason") or "").strip()
        return english.group("ref1") or english.group("ref2"), approve, reason
    m = _DECISION.match(text.strip())
    verbs = [v for v in (m.group("pre"), m.group("mid"), m.group("post")) if v] if m else []
    if m is None or len(text) > 300 or len(verbs) != 1:
        return None
    verb = verbs[0]
    approve = verb in _APPROVE
    reason = (m.group("reason") or "").strip(" ，,：:；;。")
    return m.group("ref"), approve, "" if approve else reason


async def decide_in_words(
    session: AsyncSession, services: Services, *, is_admin: bool, text: str, lang: str,
) -> list[Said]:
    """The pending request(s) the words point at, each as a card to confirm on."""
    decision = decision_words(text)
    if decision is None:
        return []
    if not is_admin:
        return [Said("remind.ext.admin_only")]
    ref, approve, _reason = decision
    task_id = None
    if ref is not None:
        found = await rq.tasks_by_ref(session, ref)
        if len(found) != 1:
            return [Said("remind.mute.no_task", {"ref": html.escape(ref)})]
        task_id = found[0].id
    waiting = await rq.pending_extensions(session, task_id)
    if not waiting:
        return [Said("remind.ext.words.none_pending_task", {"ref": html.escape(ref)}) if ref
                else Said("remind.ext.words.none_pending")]
    cards: list[Said] = []
    for ext in waiting[:MAX_CARDS]:
        task = await rq.task(session, ext.task_id)
        milestone = await rq.earliest_open_milestone(session, ext.task_id)
        params = {
            "ref": html.escape(task.ref if task else "?"), "title": html.escape(task.title if task else ""),
            "unit": html.escape(await people.unit_name(session, ext.unit_id) or "—"),
            "due": fmt_day(milestone.due, lang) if milestone and milestone.due else "—",
            "new_due": fmt_day(ext.new_due, lang), "reason": html.escape(ext.reason or ""),
        }
        key = "remind.ext.words.confirm_approve" if approve else "remind.ext.words.confirm_reject"
        buttons = [[("remind.ext.btn.approve", f"r:xa:{ext.id}"), ("remind.ext.btn.reject", f"r:xr:{ext.id}")]]
        cards.append(Said(key, params, buttons))
    if len(waiting) > MAX_CARDS:
        cards.append(Said("remind.ext.words.more", {"n": len(waiting) - MAX_CARDS}))
    return cards
