"""/report step by step: task → measure → percent → text, pressed or typed.

For officials who prefer buttons to writing a sentence; each step also takes typed
answers ("1-17", "第一项", "80%"), and a whole report typed midway is recorded as it is.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from bot.extract import extract_percent, to_int
from bot.extract import normalize as normalize_text
from bot.intent import has_progress, is_chitchat
from bot.reporting import (
    MAX_TEXT,
    PENDING_TTL,
    PERCENT_CHOICES,
    PICK_REF,
    Incoming,
    actor_of,
    confirmation,
    may_report,
    record,
    reporter_of,
    signed_off,
    signed_off_text,
    task_in_words,
    task_label,
    undo_button,
    why_not_reporter,
)
from bot.turns import Button, Turn
from storage import kv
from storage import reports as reports_q
from storage.models import Task

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services import Services



def _guide_key(turn: Turn) -> str:
    user = turn.update.effective_user
    return f"reporting.guide:{user.id if user else 0}"


async def guide_waiting(session: AsyncSession, telegram_id: int, now: datetime) -> bool:
    """Whether /report waits for this person's typed answer: a word typed then ("好的", "八成")
    belongs to the guide, which asks again or takes it, not to small talk elsewhere."""
    state = await kv.get(session, f"reporting.guide:{telegram_id}")
    return (
        state is not None and state.get("step") in ("task", "measure", "percent", "text")
        and now - datetime.fromisoformat(state["at"]) <= PENDING_TTL
    )


async def waits_for(services: Services, telegram_id: int, chat_id: int) -> bool:
    """:func:`guide_waiting` in this chat, read before the turn opens, for a handler that runs
    ahead of the areas whose words ("收到" signs today's push) would otherwise take the answer."""
    from storage.db import transaction

    async with transaction(services.factory) as session:
        state = await kv.get(session, f"reporting.guide:{telegram_id}")
        return (
            state is not None and state.get("chat_id") == chat_id
            and await guide_waiting(session, telegram_id, services.clock.now())
        )


async def guided_start(services: Services, turn: Turn) -> None:
    """/report: task → measure → percent → text, then evidence within five minutes."""
    if turn.person is None and not turn.is_admin:
        await turn.reply(turn.tr("unbound.text"))
        return
    who = await reporter_of(turn)
    if who is None:
        await turn.reply(await why_not_reporter(turn))
        return
    ids = sorted(who.own if who.allowed is None else (who.own & who.allowed) or who.allowed)
    tasks = [t for t in [await reports_q.task(turn.session, i) for i in ids] if t is not None and not t.archived]
    if not tasks:
        await turn.reply(await why_not_reporter(turn))
        return
    state = {"step": "task", "at": turn.now.isoformat(), "chat_id": turn.chat_id}
    await kv.put(turn.session, _guide_key(turn), state)
    message = turn.update.effective_message
    named = (message.text or "").split(maxsplit=1)[1:] if message is not None else []
    chosen = [t for t in tasks if named and t.ref == normalize_text(named[0]).strip()]
    if len(chosen) == 1:  # /report 1-16: straight to that task's steps
        await _guide_to_task(turn, state, chosen[0], edit=None)
        return
    buttons: list[list[Button]] = [[(task_label(t), f"rg:t:{t.id}")] for t in tasks[:30]]
    await turn.reply(turn.tr("reporting.guide.task"), buttons=buttons)


async def _guide_state(turn: Turn, step: str) -> dict[str, Any] | None:
    state = await kv.get(turn.session, _guide_key(turn))
    if state is None or state.get("step") != step or turn.now - datetime.fromisoformat(state["at"]) > PENDING_TTL:
        await turn.answer_callback(turn.tr("reporting.button_expired"), alert=True)
        return None
    return state


async def guided_press(services: Services, turn: Turn, step: str, value: int) -> None:
    message = turn.update.effective_message
    if message is None:
        return
    if step == "t":
        state = await _guide_state(turn, "task")
        who = await reporter_of(turn)
        task = await reports_q.task(turn.session, value)
        if state is None:
            return
        if who is None or task is None or not may_report(who, task.id):
            await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
            return
        await turn.answer_callback()
        await _guide_to_task(turn, state, task, edit=message.message_id)
    elif step == "m":
        state = await _guide_state(turn, "measure")
        if state is None:
            return
        task = await reports_q.task(turn.session, int(state["task"]))
        if task is None or (value and value not in {m.no for m in task.measures}):
            await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
            return
        await turn.answer_callback()
        await kv.put(turn.session, _guide_key(turn), {**state, "step": "percent", "measure": value or None, "at": turn.now.isoformat()})
        await _ask_percent(turn, edit=message.message_id)
    elif step == "p":
        state = await _guide_state(turn, "percent")
        if state is None:
            return
        if value != -1 and value not in PERCENT_CHOICES:
            await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
            return
        await turn.answer_callback()
        await kv.put(turn.session, _guide_key(turn), {**state, "step": "text", "percent": None if value == -1 else value, "at": turn.now.isoformat()})
        await turn.edit(message.message_id, turn.tr("reporting.guide.text"))
    else:
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)


async def _show(turn: Turn, text: str, rows: list[list[Button]] | None, edit: int | None) -> None:
    """The next step's question: in place of the pressed one, or as a reply to typed words."""
    if edit is not None:
        await turn.edit(edit, text, buttons=rows)
    else:
        await turn.reply(text, buttons=rows)


async def _guide_to_task(turn: Turn, state: dict[str, Any], task: Task, *, edit: int | None) -> None:
    person = turn.person
    if person is not None and person.unit_id is not None and await signed_off(turn.session, task.id, person.unit_id):
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        await _show(turn, signed_off_text(turn, task), None, edit)  # a closed share takes no report
        return
    if task.measures:
        await kv.put(turn.session, _guide_key(turn), {**state, "step": "measure", "task": task.id, "at": turn.now.isoformat()})
        rows: list[list[Button]] = [
            [(f"{m.no}. {m.text[:30]}", f"rg:m:{m.no}")] for m in task.measures
        ]
        rows.append([(turn.tr("reporting.guide.whole_task"), "rg:m:0")])
        await _show(turn, turn.tr("reporting.guide.measure", ref=html.escape(task.ref)), rows, edit)
        return
    await kv.put(turn.session, _guide_key(turn), {**state, "step": "percent", "task": task.id, "measure": None, "at": turn.now.isoformat()})
    await _ask_percent(turn, edit=edit)


async def _ask_percent(turn: Turn, *, edit: int | None) -> None:
    rows: list[list[Button]] = [[(f"{p}%", f"rg:p:{p}") for p in PERCENT_CHOICES]]
    rows.append([(turn.tr("reporting.guide.skip_percent"), "rg:p:-1")])
    await _show(turn, turn.tr("reporting.guide.percent"), rows, edit)


# A typed step answer: a number alone ("2", "第二项", "80", "80%", "八成").
_STEP_NUMBER: Final = re.compile(r"^(?:第|选|措施)?\s*([\d一二三四五六七八九十]{1,3})\s*(?:项|条|个|%|％)?(?:措施)?$")
_CANCEL: Final = re.compile(r"^(?:取消|取消报送|算了|不报了|先不报了|退出|/?cancel|stop)[。.!！]*$", re.I)
_WHOLE_TASK: Final = re.compile(r"^(?:整体|全部|整个任务|整项|都有|0)$")
# The answer to "完成进度？" given as a share and nothing else: no words of the work in it.
_ONLY_A_SHARE: Final = re.compile(r"(?:目前|已经?|完成了?|进度|为|是|达到?|约|近|大概|大约|左右|多|了|\s)*"
                                  r"[\d一二三四五六七八九十百点.%分之成半过]+(?:左右|多|了|\s)*")


async def _typed_task(services: Services, turn: Turn, words: str) -> Task | None:
    """The task typed at the first step: its number (1-16, or 5 where the plan numbers
    tasks so), or words naming it among the sender's own ("水源地那个")."""
    who = await reporter_of(turn)
    if who is None:
        return None
    by_ref = PICK_REF.match(words) or re.match(r"^(?:任务)?\s*(\d{1,3})\s*(?:号任务|任务)?$", words)
    found = await reports_q.tasks_by_ref(turn.session, by_ref.group(1)) if by_ref else []
    allowed = [t for t in found if not t.archived and may_report(who, t.id)]
    if len(allowed) == 1:
        return await reports_q.task(turn.session, allowed[0].id)
    if by_ref or len(words) < 2:
        return None
    return await task_in_words(services, turn, words)


async def _guided_typed_step(turn: Turn, state: dict[str, Any], text: str, services: Services) -> bool | None:
    """A step of /report answered by typing; True if handled, None to record ``text`` as the report.

    At the task step a report in full words leaves the guide (False) and is matched as usual.
    """
    step = state["step"]
    words = re.sub(r"[\s。.!！]+$", "", normalize_text(text))
    number = _STEP_NUMBER.match(words)
    value = to_int(number.group(1)) if number else None
    if step == "task":
        task = await _typed_task(services, turn, words) if not has_progress(text) else None
        if task is not None:
            await _guide_to_task(turn, state, task, edit=None)
            return True
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        return False
    if step == "measure":
        task = await reports_q.task(turn.session, int(state["task"]))
        if _WHOLE_TASK.match(words) or (task is not None and value in {m.no for m in task.measures}):
            await kv.put(turn.session, _guide_key(turn), {**state, "step": "percent", "measure": value or None, "at": turn.now.isoformat()})
            await _ask_percent(turn, edit=None)
            return True
        return None if has_progress(text) else await _again(turn)
    if step == "percent":
        if value is None and _ONLY_A_SHARE.fullmatch(words):  # "八成", "完成 8 成", "过半": the figure, in words
            value = extract_percent(words)
        if value is not None and 0 <= value <= 100 and (number is None or "项" not in words):
            await kv.put(turn.session, _guide_key(turn), {**state, "step": "text", "percent": value, "at": turn.now.isoformat()})
            await turn.reply(turn.tr("reporting.guide.text"))
            return True
        return None if has_progress(text) else await _again(turn)
    return None


async def _again(turn: Turn) -> bool:
    await turn.reply(turn.tr("reporting.guide.press_or_type"))
    return True


async def guided_text(services: Services, turn: Turn, msg: Incoming) -> bool:
    """A typed message while /report is under way; True if it belonged to the guide."""
    state = await kv.get(turn.session, _guide_key(turn))
    if state is None or state.get("step") not in ("task", "measure", "percent", "text") or state.get("chat_id") != msg.chat_id:
        return False
    if turn.now - datetime.fromisoformat(state["at"]) > PENDING_TTL:
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        return False
    text = msg.text.strip()
    if _CANCEL.match(text):
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        await turn.reply(turn.tr("reporting.guide.cancelled"))
        return True
    if state["step"] != "text" and text:
        handled = await _guided_typed_step(turn, state, text, services)
        if handled is not None:
            return handled
        state = {**state, "percent": None}  # a whole report typed mid-way: its own words decide
    if not text or len(text) > MAX_TEXT:
        await turn.reply(turn.tr("reporting.guide.text_again", limit=MAX_TEXT))
        return True
    if is_chitchat(text):  # "好的", "收到": an answer to the bot, not the progress to record
        await turn.reply(turn.tr("reporting.guide.text_not_ack"))
        return True
    who = await reporter_of(turn)
    task = await reports_q.task(turn.session, int(state["task"]))
    if who is None or task is None or not may_report(who, task.id):
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        await turn.reply(turn.tr("reporting.not_reporter"))
        return True
    if await signed_off(turn.session, task.id, who.unit_id):
        await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
        await turn.reply(signed_off_text(turn, task))
        return True
    report = await record(
        turn.session, services, task=task, who=who, text=text, measure_no=state.get("measure"), now=turn.now,
        chat_id=msg.chat_id, message_id=msg.message_id, update_id=msg.update_id, actor=actor_of(turn),
        source="guided", percent_override=state.get("percent"),
    )
    await kv.put(turn.session, _guide_key(turn), {"step": "over", "at": turn.now.isoformat()})
    await turn.reply(
        confirmation(turn, task, report, who.unit_name) + "\n" + turn.tr("reporting.guide.evidence"),
        buttons=undo_button(turn, report),
    )
    return True
