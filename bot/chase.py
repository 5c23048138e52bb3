"""催办: a leader or the 整改办 presses one button and the units behind on a task are reminded.

The reminder goes to every bound person of each unit whose share is 逾期, 临期 or 未报告,
through the outbox under a (task, day, person) key, and the chase itself is audited. A
task is chased at most once a day, whoever presses: officials resent being chased twice
before lunch, and a second press is far more often a double tap than a new decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Auditor
from bot.cards import Page, Viewer, ViewRef, esc, fmt_date, listing, short, state_text
from bot.i18n import Translator
from bot.ledger import load
from bot.permissions import Action, may
from bot.turns import Button, keyboard
from storage import kv, people
from storage import ledger as ledger_q
from storage import outbox as outbox_q

Outcome = Literal["sent", "already", "on_track", "forbidden", "not_found", "nobody"]
_DATA = re.compile(r"^q:c:(\d{1,12}):0$")


def chase_data(task_id: int) -> str:
    return f"q:c:{task_id}:0"


def parse_chase(data: str) -> int | None:
    m = _DATA.match(data or "")
    return int(m.group(1)) if m else None


@dataclass
class ChaseResult:
    outcome: Outcome
    ref: str = ""
    units: list[str] = field(default_factory=list)
    reached: int = 0
    unreached: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    """People bound to a unit whose chat the bot cannot write to (never started it, or blocked it)."""
    by: str = ""
    at: str = ""
    outbox_ids: list[int] = field(default_factory=list)
    """The reminders queued, for the turn to deliver right after its commit."""


async def chase(
    session: AsyncSession, auditor: Auditor, viewer: Viewer, task_id: int, *, default_lang: str
) -> ChaseResult:
    """Remind the units behind on ``task_id``, once a day; say what was done."""
    tr = viewer.tr
    task_row = await ledger_q.live_task(session, task_id)
    visible = await viewer.visibility(session)
    if task_row is None or not visible.allows(task_id):
        return ChaseResult("not_found")
    if not await may(session, viewer.person, viewer.roles, Action.CHASE, task_id):
        return ChaseResult("forbidden", ref=task_row.ref)
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids={task_id})
    task = ledger.by_id(task_id)
    assert task is not None
    behind = [s for s in task.shares if s.behind and s.unit_id is not None]
    if not behind:
        return ChaseResult("on_track", ref=task.ref)
    # the office chases as the office; a leader in their own name
    by = viewer.person.name if viewer.person is not None and "admin" not in viewer.roles else tr("q.chase.office")
    day_key = f"chase:{task_id}:{viewer.today.isoformat()}"
    if not await kv.put_once(session, day_key, {"by": by, "at": viewer.now.isoformat()}):
        before = await kv.get(session, day_key) or {}
        return ChaseResult("already", ref=task.ref, by=str(before.get("by", "")), at=str(before.get("at", ""))[11:16])

    reached = 0
    unreached: list[str] = []
    silent: list[str] = []
    queued: list[int] = []
    for share in behind:
        persons = await ledger_q.bound_persons_of_units(session, [share.unit_id or 0])
        if not persons:
            unreached.append(share.unit or "")
            continue
        for person in persons:
            assert person.telegram_id is not None
            user = await people.get_user(session, person.telegram_id)
            if user is None or not user.reachable:
                silent.append(f"{person.name}（{share.unit or ''}）")
                continue
            lang = (user.language if user and user.language else None) or default_lang
            their = Translator(lang)
            text = their(
                "q.chase.notice",
                by=esc(by),
                ref=esc(task.ref),
                title=esc(short(task.title, 60)),
                unit=esc(share.unit or ""),
                state=state_text(their, share.status, share.days_overdue, share.state.next_due, share.percent, viewer.today),
                deadline=esc(short(task.deadline_text, 80)),
                date=fmt_date(their, viewer.today, viewer.today),
            )
            row = await outbox_q.enqueue(
                session,
                key=f"chase:{task_id}:{viewer.today.isoformat()}:{person.id}",
                kind="chase",
                chat_id=person.telegram_id,
                method="sendMessage",
                payload={
                    "chat_id": person.telegram_id,
                    "text": text,
                    "parse_mode": "HTML",
                    "reply_markup": keyboard([[(their("q.button.open_task", ref=task.ref), ViewRef("k", task_id).data())]]),
                },
                now=viewer.now,
                push=True,
                person_id=person.id,
            )
            if row is not None:
                await session.flush()
                queued.append(row.id)
                reached += 1
    units = [s.unit or "" for s in behind]
    await auditor.append(
        session,
        actor=f"person:{viewer.person.id}" if viewer.person is not None else "admin",
        action="chase",
        subject=f"task:{task_id}",
        payload={"units": units, "reached": reached, "unreached": unreached, "silent": silent, "day": viewer.today.isoformat()},
        now=viewer.now,
    )
    return ChaseResult(
        "sent", ref=task.ref, units=units, reached=reached, unreached=unreached, silent=silent, by=by, outbox_ids=queued
    )


def describe(tr: Translator, result: ChaseResult, example: str) -> str:
    """The chaser's confirmation (or why nothing was sent)."""
    if result.outcome == "sent":
        text = tr("q.chase.sent", ref=esc(result.ref), units=tr("q.sep").join(esc(u) for u in result.units),
                  n=result.reached)
        if result.unreached:
            text += "\n" + tr("q.chase.unreached", units=tr("q.sep").join(esc(u) for u in result.unreached))
        if result.silent:
            text += "\n" + tr("q.chase.silent", people=tr("q.sep").join(esc(p) for p in result.silent))
        return text
    if result.outcome == "already":
        return tr("q.chase.already", ref=esc(result.ref), by=esc(result.by), at=result.at)
    if result.outcome == "on_track":
        return tr("q.chase.on_track", ref=esc(result.ref))
    if result.outcome == "forbidden":
        return tr("q.chase.forbidden")
    return tr("q.task.not_found", ref=example)


_ADDRESSED = r"(?:各|全体|所有|相关|有关)(?:县区|县市区|区县|县\(市、区\)|乡镇|乡镇街道|镇街|镇|单位|部门|责任单位|牵头单位|成员单位|同志)|大家"
_INSTRUCTION = re.compile(
    rf"^(?:请|要求|通知|提醒|督促)?(?:{_ADDRESSED}).{{0,16}}?"
    r"(?:抓紧|尽快|务必|及时|按时|立即|马上|前|之前|以前)(?:时间)?.{0,6}?(?:报送|上报|提交|反馈|汇报|报)"
)
_ASKING = re.compile(r"[?？吗呢]|哪|几|多少|谁|是否|有没有|怎么样|如何")
CHASE_OFFERED = 5


def reads_as_instruction(text: str) -> bool:
    """"各乡镇抓紧报送进展", "请各单位本周五前报送进展": a leader's instruction to the units, not a
    question; the bot does not relay it on its own, it offers the 催办 it can do."""
    said = re.sub(r"\s+", "", text)
    return bool(_INSTRUCTION.search(said)) and not _ASKING.search(said)


async def instruction_page(session: AsyncSession, viewer: Viewer) -> Page:
    """The reply to an instruction: nothing is sent; the tasks behind that the asker may chase,
    worst first, one 催办 button each, so each chase is the asker's own press."""
    tr = viewer.tr
    ledger = await listing(session, viewer)
    behind = [t for t in ledger.worst() if t.behind] if ledger is not None else []
    chaseable = [t for t in behind if await may(session, viewer.person, viewer.roles, Action.CHASE, t.id)]
    if not chaseable:
        return Page(tr("q.instruction.nothing"))
    buttons: list[list[Button]] = [
        [(tr("q.instruction.chase", ref=t.ref, title=short(t.title, 14)), chase_data(t.id))] for t in chaseable[:CHASE_OFFERED]
    ]
    buttons.append([(tr("q.instruction.unreported"), ViewRef("n").data())])
    return Page(tr("q.instruction.offer", n=len(chaseable), shown=min(len(chaseable), CHASE_OFFERED)), buttons)
