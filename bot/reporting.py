"""Progress reports from chat: decide, record once for the reporter's unit, undo, edit, move.

A report logged against the wrong task is worse than no report, so the matcher decides
(accept / ask / nothing) within what the reporter may report on, and every recorded
report carries an Undo valid for ten minutes. Progress is kept per task × unit: one
county's 已完成 never completes a task shared by 各县(市、区).

Interaction state that outlives one update (a question waiting for a button, a guided
/report in progress) is kept in the key-value table, so a restart does not lose it and
a stale or forged button press finds nothing to act on.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from rapidfuzz import fuzz
from sqlalchemy.ext.asyncio import AsyncSession

from bot import matcher_cache, support
from bot.example_refs import example_ref
from bot.extract import (
    DONE,
    MOSTLY_DONE,
    NOT_STARTED,
    ONGOING,
    asks_for_support,
    completes_a_step,
    extract,
    percent_over_100,
    plans_ahead,
    raises_problem,
    split_figure,
    to_int,
)
from bot.extract import normalize as normalize_text
from bot.intent import (
    answers_for_the_period,
    goes_well,
    has_progress,
    is_chitchat,
    is_pasted_notice,
    next_step_only,
    no_news,
    promises_to_act,
    says_not_applicable,
    simplified,
    states_progress,
)
from bot.permissions import Action, task_ids_in_scope, unit_task_ids
from bot.small_talk import after_ack_reply, opens_with_ack, question_beside_report, small_talk_reply
from bot.turns import Button, Turn
from bot.unit_names import shared_levels
from storage import evidence as evidence_q
from storage import kv, people
from storage import plans as plans_q
from storage import reports as reports_q
from storage.models import Milestone, Report, Task
from storage.reminders import SIGNED_OFF_STATES

if TYPE_CHECKING:
    from bot.services import Services

UNDO_WINDOW = timedelta(minutes=10)
PENDING_TTL = timedelta(hours=24)
MAX_TEXT = 4096  # Telegram's own limit: a pasted 简报 of any length Telegram carries is read
ASK_TOP = 3
TITLE_CHARS = 40
PERCENT_CHOICES = (10, 30, 50, 80, 100)


@dataclass(frozen=True)
class Incoming:
    """A user's text message as the service needs it (no Telegram types)."""

    text: str
    chat_id: int
    message_id: int
    update_id: int
    reply_to: int | None = None


@dataclass(frozen=True)
class Reporter:
    """Who a report is recorded for: the unit, and the tasks that unit may report on."""

    person_id: int | None
    telegram_id: int
    unit_id: int
    unit_name: str
    allowed: set[int] | None
    own: set[int]


def actor_of(turn: Turn) -> str:
    user = turn.update.effective_user
    return f"tg:{user.id}" if user else "tg:?"


def short_title(task: Task) -> str:
    title = task.title.strip()
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def task_label(task: Task) -> str:
    return f"{task.ref} {short_title(task)}"


async def why_not_reporter(turn: Turn) -> str:
    """Why this account's report was not recorded, in the terms that let it be fixed: a
    member whose unit the plan does not name yet is told to ask the office, not that their
    role does not report."""
    person = turn.person
    if person is not None and person.unit_id is not None and "member" in turn.roles:
        unit = await people.unit_name(turn.session, person.unit_id) or ""
        return turn.tr("reporting.unit_not_assigned", unit=html.escape(unit))
    named = await plans_q.refs_naming_person(turn.session, person.id) if person is not None else []
    if named and person is not None:  # a 责任人 of a plan that names people, not units
        return turn.tr("reporting.person_without_unit", refs=html.escape("、".join(named)), name=html.escape(person.name))
    return turn.tr("reporting.no_unit_admin" if turn.is_admin else "reporting.not_reporter")


WORDS_SCORE = 80
WORDS_MARGIN = 10


async def task_in_words(services: Services, turn: Turn, words: str) -> Task | None:
    """The one task of the sender's own that the words clearly name ("水源地那个"), or None:
    a step of /report or a correction names the task in passing, and only a clear first
    among the sender's tasks may stand for it."""
    who = await reporter_of(turn)
    if who is None:
        return None
    own = who.own if who.allowed is None else who.own & who.allowed
    index = await matcher_cache.current(turn.session, services.extras)
    result = index.matcher.match(words, allowed_refs={str(i) for i in own}, top=3, topic=True)
    mine = [c for c in result.candidates if c.ref.isdigit() and int(c.ref) in own]
    if mine and mine[0].score >= WORDS_SCORE and (len(mine) == 1 or mine[0].score - mine[1].score >= WORDS_MARGIN):
        return await reports_q.task(turn.session, int(mine[0].ref))
    return None


async def reporter_of(turn: Turn) -> Reporter | None:
    """The reporter's unit and scope; None when they report for no unit."""
    person = turn.person
    user = turn.update.effective_user
    if person is None or person.unit_id is None or user is None:
        return None
    unit_name = await people.unit_name(turn.session, person.unit_id) or ""
    # a county's share of the 各县 tasks is in its scope (permissions.unit_task_ids)
    allowed = await task_ids_in_scope(turn.session, person, turn.roles, Action.REPORT)
    if allowed is not None and not allowed:
        return None
    own = await reports_q.unit_tasks(turn.session, person.unit_id)
    if shared_levels(unit_name):
        own |= await reports_q.county_share_tasks(turn.session, shared_levels(unit_name))
    return Reporter(person.id, user.id, person.unit_id, unit_name, allowed, own)


async def behalf_reporter(session: AsyncSession, turn: Turn, unit_id: int, unit_name: str) -> Reporter:
    own = await reports_q.unit_tasks(session, unit_id)
    if shared_levels(unit_name):
        own |= await reports_q.county_share_tasks(session, shared_levels(unit_name))
    user = turn.update.effective_user
    return Reporter(turn.person.id if turn.person else None, user.id if user else 0, unit_id, unit_name, own, own)


# ---------------------------------------------------------------- recording


def progress_of(text: str, now: datetime) -> tuple[int | None, str | None, tuple[Any, ...]]:
    found = extract(text, today=now.date())
    percent, status = found.percent, found.status
    if percent is None and status == DONE:
        percent = 100
    if status is None and percent == 100:
        status = DONE
    elif status is None and percent:
        status = ONGOING  # "已排查8座，还有4座在排查中": two thirds, under way
    elif status is None and percent is None and goes_well(text) and not no_news(text):
        status = ONGOING  # "1-18 进展顺利": under way, as "有序推进" is; no figure is made up
    return percent, status, found.dates


# "全部完成", "整改到位", "任务已完成": said of the whole task, even beside a measure's words.
# (全部 alone is not enough: "一村一策方案已全部制定" finishes that measure, all of it.)
_WHOLE_TASK: Final = re.compile(
    r"整改(?:到位|完毕)|全部整改|整改完成|任务(?:已经?)?(?:全部)?完成|问题已(?:全部)?整改|销号|100\s*[%％]|百分之百|"
    r"完成了?(?:全部|所有)?(?:的)?整改(?:任务|工作)?(?!方案|计划|措施|清单|台账|报告|[一二三四五六七八九十\d])"
)


def one_measure_done(task: Task, measure_no: int | None, text: str, status: str | None, percent_override: int | None) -> bool:
    """Whether a report finishes one of several measures, not the task: "医疗机构污水处理
    设施检查完毕" is measure 6 of six done, and the unit's share stays under way."""
    return (
        measure_no is not None and len(task.measures) > 1 and status == DONE and percent_override is None
        and _WHOLE_TASK.search(text) is None and not _names_a_stage(task, text)
    )


def _names_a_stage(task: Task, text: str) -> bool:
    """Whether the words name what an open milestone or the title says is to be done
    ("尾矿库排查已完成" for 1-17, due "完成尾矿库排查"): the stage is finished, not a step of it."""
    wanted = [m.text for m in task.milestones if m.done_at is None and m.text] + [task.title]
    for each in wanted:
        core = _STAGE_WORDS.sub("", each)
        if len(core) >= 3 and core in text:
            return True
    return False


_STAGE_WORDS: Final = re.compile(r"^(?:全面|基本|按时|按期)?(?:完成|实现|建立|开展)|(?:任务|工作|问题)$|[,，。;；\s]")


MOSTLY_PERCENT = 90  # as extract_status reads "已完成" beside a percent
MOSTLY_FLOOR = 80  # below this, "基本完成" and an old percent contradict each other


def fold(status: str | None, percent: int | None, new_status: str | None, new_percent: int | None) -> tuple[str | None, int | None]:
    """A unit's progress after one more report.

    A report without a percent keeps the last one only where it still fits the new word:
    "2-13 暂未完成" after a 100% must not leave 正在推进 · 100%, nor 未开始 keep 40%.
    """
    status = new_status or status
    if new_percent is not None:
        return status, new_percent
    if new_status is None or percent is None:
        return status, percent
    if new_status == DONE:
        return status, 100
    if new_status == NOT_STARTED or percent >= 100 or (new_status == MOSTLY_DONE and percent < MOSTLY_FLOOR):
        return status, None
    return status, percent


async def refresh_task_unit(session: AsyncSession, task_id: int, unit_id: int) -> None:
    """The unit's progress is what its live reports say, newest last; undo and edits recompute it."""
    row = await reports_q.task_unit(session, task_id, unit_id)
    if row is None:
        return
    status: str | None = None
    percent: int | None = None
    last: datetime | None = None
    for report in await reports_q.live_of_task_unit(session, task_id, unit_id):
        status, percent = fold(status, percent, report.status_word, report.percent)
        last = report.created_at
    row.status, row.percent, row.last_report_at = status, percent, last


async def _complete_milestone(session: AsyncSession, task: Task, dates: tuple[Any, ...], now: datetime) -> Milestone | None:
    """Mark a milestone done only when it is clear which one and every unit has finished."""
    units = await plans_q.task_units(session, task.id)
    if not units or any(u.status != DONE for u in units):
        return None
    undone = [m for m in task.milestones if m.done_at is None]
    if len(undone) == 1:
        chosen: Milestone | None = undone[0]
    else:
        named = [m for m in undone if m.due is not None and m.due in dates]
        chosen = named[0] if len(named) == 1 else None
    if chosen is not None:
        chosen.done_at = now
    return chosen


async def record(
    session: AsyncSession,
    services: Services,
    *,
    task: Task,
    who: Reporter,
    text: str,
    measure_no: int | None,
    now: datetime,
    chat_id: int | None,
    message_id: int | None,
    update_id: int | None,
    actor: str,
    score: float | None = None,
    source: str = "chat",
    percent_override: int | None = None,
) -> Report:
    """Record one report for ``who``'s unit and move that unit's progress; audited."""
    if measure_no is not None and _does_not_apply(text, measure_no):
        measure_no = None  # "措施3不涉及，其余已完成": the rest is the unit's share of the task
    percent, status, dates = progress_of(text, now)
    if status == ONGOING and percent is None and completes_a_step(text) and _names_a_stage(task, text):
        status, percent = DONE, 100  # "已完成尾矿库排查" for 1-17, due "完成尾矿库排查": that stage is the work
    if one_measure_done(task, measure_no, text, status, percent_override):
        status, percent = ONGOING, None  # the task goes on: its other measures are not done
    if percent_override is not None:
        percent = percent_override
        if status is None:
            status = DONE if percent == 100 else ONGOING if percent > 0 else None
        elif status == DONE and percent < 100:
            status = MOSTLY_DONE if percent >= MOSTLY_PERCENT else ONGOING
    report = await reports_q.add(
        session,
        Report(
            task_id=task.id,
            unit_id=who.unit_id,
            measure_no=measure_no,
            person_id=who.person_id,
            text=text,
            percent=percent,
            status_word=status,
            created_at=now,
            update_id=update_id,
            chat_id=chat_id,
            message_id=message_id,
            score=score,
            intent="report",
            source=source,
            undone=False,
        ),
    )
    row = await plans_q.ensure_task_unit(session, task.id, who.unit_id)
    row.status, row.percent = fold(row.status, row.percent, status, percent)
    row.last_report_at = now
    await session.flush()
    milestone = await _complete_milestone(session, task, dates, now)
    if milestone is not None:
        await kv.put(session, f"reporting.milestone:{report.id}", {"id": milestone.id})
    await services.auditor.append(
        session,
        actor=actor,
        action="report",
        subject=f"task:{task.id}",
        payload={
            "report": report.id,
            "unit": who.unit_id,
            "measure": measure_no,
            "percent": percent,
            "status": status,
            "source": source,
            "milestone": milestone.id if milestone else None,
        },
        now=now,
    )
    if who.person_id is not None:
        await attach_held(session, who.person_id, report, now)
    return report


HOLD_WINDOW = timedelta(minutes=5)


def held_key(person_id: int) -> str:
    return f"evidence.held:{person_id}"


async def attach_held(session: AsyncSession, person_id: int, report: Report, now: datetime) -> int:
    """Files sent just before the words that explain them ("以上是1-16整改前后对比照片…")
    belong to the report those words make; returns how many were attached."""
    held = await kv.get(session, held_key(person_id))
    if not held or not held.get("ids"):
        return 0
    await kv.put(session, held_key(person_id), {"ids": []})
    if now - datetime.fromisoformat(held["at"]) > HOLD_WINDOW:
        return 0
    await evidence_q.attach_ids(session, list(held["ids"]), report_id=report.id, task_id=report.task_id, unit_id=report.unit_id)
    for key in held.get("pending") or []:  # the question asked about those files is answered by these words
        pending = await kv.get(session, f"reporting.pending:{key}")
        if pending is not None and not pending.get("done"):
            await kv.put(session, f"reporting.pending:{key}", {**pending, "done": True, "report": report.id})
    return len(held["ids"])


async def signed_off(session: AsyncSession, task_id: int, unit_id: int) -> bool:
    """Whether the unit's share of the task is signed off (销号): it takes no more reports
    until the office reopens it, so a rebound is not logged as the closed task's progress."""
    row = await reports_q.task_unit(session, task_id, unit_id)
    return row is not None and (row.signed_off_at is not None or row.signoff_state in SIGNED_OFF_STATES)


def signed_off_text(turn: Turn, task: Task) -> str:
    return turn.tr("reporting.signed_off", ref=html.escape(task.ref), title=html.escape(short_title(task)))


# "措施1、2", "措施一和措施二", "第一、二项措施", "第1条和第2条", "措施1至3": the measures a message names.
_MNUM: Final = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_MEASURE_ITEM: Final = rf"(?:措施\s*(?:第\s*)?|第\s*|(?<![\d.\-])){_MNUM}(?:\s*[项条个])?(?:\s*措施)?"
# A space lists too ("措施1 2 都完成了"), where the next number is plainly another measure.
_MEASURE_LIST: Final = re.compile(
    rf"{_MEASURE_ITEM}(?:(?:\s*(?:[、/和及与跟]|以及|至|到|~)\s*|\s+(?=措施|第|{_MNUM}\s*(?:都|均|全|也|已|措施|[项条])))"
    rf"{_MEASURE_ITEM})*(?![\d.\-%])"
)
_MEASURE_RANGE: Final = re.compile(rf"({_MNUM})\s*[项条个]?\s*(?:至|到|~)\s*(?:措施\s*)?(?:第\s*)?({_MNUM})")


def _measure_lists(text: str) -> list[tuple[int, list[int]]]:
    """(position, measure numbers) of each run of measures the text names, in order."""
    found: list[tuple[int, list[int]]] = []
    for m in _MEASURE_LIST.finditer(text):
        words = m.group(0)
        if not words.startswith(("措施", "第")):
            continue  # "3项措施" counts measures, it names none
        if words.startswith("第") and "措施" not in words and (
            "条" not in words or re.match(r"\s*(?:任务|问题)", text[m.end() :])
        ):
            continue  # "第2项" is a task, as task_refs reads it
        nos: list[int] = []
        for k, number in enumerate(re.finditer(_MNUM, words)):
            value = to_int(number.group(0))
            if value is None:
                return []
            span = _MEASURE_RANGE.match(words, number.start()) if k == 0 or nos else None
            if span is not None and span.start() == number.start():
                low, high = to_int(span.group(1)), to_int(span.group(2))
                if low is None or high is None or not low < high <= low + 9:
                    return []
                nos.extend(range(low, high + 1))
            elif value not in nos:
                nos.append(value)
        found.append((m.start(), nos))
    return found


def _does_not_apply(text: str, no: int) -> bool:
    """Whether measure ``no`` is named as the one that does not concern the unit
    ("措施3不涉及，其余已完成"): the report is not that measure's progress."""
    text = normalize_text(text)
    for start, nos in _measure_lists(text):
        if no in nos and says_not_applicable(re.split(r"[，,。；;！!？?\n]", text[start:], maxsplit=1)[0]):
            return True
    return False


def measure_parts(text: str) -> list[tuple[int, str]]:
    """(measure number, its words) when one message reports on two or more measures
    ("1-17的措施1、2都完成了", "措施1已完成，措施2完成60%"); [] otherwise.

    Measures named together share the words after them; words before the first measure
    that state progress of their own are the task's, so such a message is not split.
    """
    text = normalize_text(text)
    lists = _measure_lists(text)
    if not lists or has_progress(text[: lists[0][0]]):
        return []
    out: list[tuple[int, str]] = []
    waiting: list[int] = []
    shared = ""
    for k, (start, nos) in enumerate(lists):
        words = text[start : lists[k + 1][0] if k + 1 < len(lists) else len(text)]
        shared += words
        waiting += [n for n in nos if n not in waiting]
        if has_progress(words) or states_progress(words):
            out += [(n, shared) for n in waiting]
            waiting, shared = [], ""
    if waiting or len({n for n, _ in out}) < 2 or len({n for n, _ in out}) != len(out):
        return []
    if len({w for _, w in out}) == 1:
        return [(n, text) for n, _ in out]  # all said at once: each keeps the whole message
    return [(n, _TAIL_JOINER.sub("", w)) for n, w in out]


async def record_said(
    session: AsyncSession,
    services: Services,
    *,
    task: Task,
    who: Reporter,
    text: str,
    measure_no: int | None,
    now: datetime,
    chat_id: int | None,
    message_id: int | None,
    update_id: int | None,
    actor: str,
    score: float | None = None,
    source: str = "chat",
) -> list[Report]:
    """The reports one message makes on one task: one per measure it names with its own
    progress ("措施1、2都完成了" finishes both), else one. Naming every measure of the task
    done finishes the unit's share."""
    parts = [(n, w) for n, w in measure_parts(text) if not _does_not_apply(w, n)]
    if len(parts) == 1:  # "措施2不涉及，措施1完成80%": one measure has progress, the other is no part of it
        measure_no, parts = parts[0][0], []
    numbers = {m.no for m in task.measures}
    if not parts or any(n not in numbers for n, _ in parts):
        return [await record(
            session, services, task=task, who=who, text=text, measure_no=measure_no, now=now, chat_id=chat_id,
            message_id=message_id, update_id=update_id, actor=actor, score=score, source=source,
        )]
    every = {n for n, _ in parts} == numbers and all(progress_of(w, now)[1] == DONE for _, w in parts)
    if any(progress_of(w, now)[1] not in (None, NOT_STARTED) for _, w in parts):
        # "措施1完成，措施2还没开始": the share is under way; the newest report sets it, so the
        # measures not begun are recorded first
        parts.sort(key=lambda part: progress_of(part[1], now)[1] != NOT_STARTED)
    return [
        await record(
            session, services, task=task, who=who, text=words, measure_no=no, now=now, chat_id=chat_id,
            message_id=message_id, update_id=update_id, actor=actor, score=score, source=source,
            percent_override=100 if every else None,
        )
        for no, words in parts
    ]


def _progress_words(turn: Turn, status: str | None, percent: int | None, text: str) -> str:
    progress = []
    if status:
        progress.append(turn.tr(f"reporting.status.{status}"))
    if percent is not None:
        progress.append(f"{percent}%")
    if progress:
        return " · ".join(progress)
    if says_not_applicable(text):
        return turn.tr("reporting.not_applicable_noted")
    if no_news(text):
        return turn.tr("reporting.no_news_noted")
    if raises_problem(text) and not next_step_only(text):
        return turn.tr("reporting.problem_noted")
    return turn.tr("reporting.plan_noted" if next_step_only(text) or plans_ahead(text) else "reporting.progress_noted")


def confirmation(turn: Turn, task: Task, report: Report, unit_name: str) -> str:
    tr = turn.tr
    measure = tr("reporting.measure", no=report.measure_no) if report.measure_no else ""
    if report.measure_no and report.status_word != DONE and extract(report.text, today=report.created_at.date()).status == DONE:
        measure = tr("reporting.measure_done", no=report.measure_no)  # that measure done, the task goes on
    return tr(
        "reporting.recorded",
        ref=html.escape(task.ref),
        title=html.escape(short_title(task)),
        unit=html.escape(unit_name),
        measure=measure,
        progress=_progress_words(turn, report.status_word, report.percent, report.text),
        date=report.created_at.astimezone(turn.now.tzinfo).strftime("%Y-%m-%d %H:%M"),
        id=report.id,
    )


async def measures_confirmation(turn: Turn, task: Task, reports: list[Report], unit_name: str) -> str:
    """One confirmation for the reports one message made on several measures of one task:
    what each measure got, then where the unit's share stands."""
    tr = turn.tr
    first = reports[0]
    items = []
    for report in reports:  # as each measure was said to stand, before the task's share was worked out
        said = extract(report.text, today=report.created_at.date())
        items.append(tr("reporting.measure_item", no=report.measure_no, progress=_progress_words(turn, said.status, said.percent, report.text)))
    share = await reports_q.task_unit(turn.session, task.id, first.unit_id) if first.unit_id is not None else None
    return tr(
        "reporting.recorded_measures",
        ids=tr("reporting.sep").join(f"#{r.id}" for r in reports),
        ref=html.escape(task.ref),
        title=html.escape(short_title(task)),
        unit=html.escape(unit_name),
        measures=html.escape(tr("reporting.list_sep").join(items)),
        progress=_progress_words(turn, share.status if share else None, share.percent if share else None, first.text),
        date=first.created_at.astimezone(turn.now.tzinfo).strftime("%Y-%m-%d %H:%M"),
    )


async def report_beside(
    services: Services, turn: Turn, who: Reporter, task_id: int, said: str
) -> tuple[str, list[list[Button]]] | None:
    """Record the progress a message reports beside another errand ("1-17已完成80%，但…需要延期"),
    for the errand's reply to carry: the confirmation and its Undo, or why nothing was
    recorded (a share already signed off). None when the sender may not report on the task."""
    task = await reports_q.task(turn.session, task_id)
    message = turn.update.effective_message
    if task is None or task.archived or not may_report(who, task_id) or message is None:
        return None
    if await signed_off(turn.session, task.id, who.unit_id):
        return signed_off_text(turn, task), []
    index = await matcher_cache.current(turn.session, services.extras)
    result = index.matcher.match(said, allowed_refs={str(task_id)}, top=1, topic=True)
    measure = result.candidates[0].measure if result.candidates and result.candidates[0].ref == str(task_id) else None
    reports = await record_said(
        turn.session, services, task=task, who=who, text=said, measure_no=measure, now=turn.now,
        chat_id=message.chat_id, message_id=message.message_id, update_id=turn.update.update_id,
        actor=actor_of(turn), source="chat",
    )
    if len(reports) > 1:
        return await measures_confirmation(turn, task, reports, who.unit_name), undo_button(turn, reports[0])
    return confirmation(turn, task, reports[0], who.unit_name), undo_button(turn, reports[0])


def undo_button(turn: Turn, report: Report) -> list[list[Button]]:
    return [[(turn.tr("reporting.button.undo"), f"ru:{report.id}")]]


async def _confirm(
    turn: Turn, task: Task, reports: Report | list[Report], unit_name: str, *, edit: int | None = None, carried: int = 0,
    album: bool = False, forwarded: bool = False,
) -> None:
    """``carried``: files the message itself brought (a captioned photo), told of in this one
    reply rather than in a second "已收到" after it; an album's are counted by its own summary."""
    said = reports if isinstance(reports, list) else [reports]
    report = said[0]
    if len(said) > 1:
        text = await measures_confirmation(turn, task, said, unit_name)
    else:
        text = confirmation(turn, task, report, unit_name)
    attached = len(await evidence_q.of_report(turn.session, report.id)) - carried
    if attached > 0:  # files sent before these words, now filed with them
        text += "\n" + turn.tr("reporting.with_held", n=attached)
    if carried and not album:
        text += "\n" + turn.tr("reporting.with_files", n=carried)
    if says_not_applicable(report.text) and report.status_word is None and report.percent is None:
        # what to do about a task that does not apply: the question "怎么填报" is answered here
        text += "\n" + turn.tr("reporting.not_applicable_forwarded" if forwarded else "reporting.not_applicable_contact")
    elif forwarded:
        text += "\n" + turn.tr("reporting.support_forwarded")
    if (beside := question_beside_report(report.text)) is not None:
        text += "\n" + turn.tr(beside, ref=html.escape(task.ref))
    if edit is not None:
        await turn.edit(edit, text, buttons=undo_button(turn, report))
    else:
        await turn.reply(text, buttons=undo_button(turn, report))


async def _record_and_confirm(
    services: Services,
    turn: Turn,
    who: Reporter,
    msg: Incoming,
    task: Task,
    *,
    text: str | None = None,
    measure_no: int | None,
    source: str,
    score: float | None = None,
    evidence_ids: list[int] | None = None,
    carried: int = 0,
    album: bool = False,
) -> list[Report]:
    """Record what a message says on one task and confirm it; a share already signed off
    (销号) takes nothing and its sender hears why."""
    if await signed_off(turn.session, task.id, who.unit_id):
        await support.tell_rebound(
            turn.session, services, turn, task=task, unit_name=who.unit_name,
            text=text if text is not None else msg.text.strip(),
        )
        await turn.reply(signed_off_text(turn, task))
        return []
    said_now = text if text is not None else msg.text.strip()
    if not evidence_ids and not carried and (same := await _said_before(turn, task, who, said_now)) is not None:
        await turn.reply(turn.tr(
            "reporting.repeated", id=same.id, ref=html.escape(task.ref),
            date=same.created_at.astimezone(turn.now.tzinfo).strftime("%m-%d %H:%M"),
        ))
        return []
    reports = await record_said(
        turn.session, services, task=task, who=who, text=said_now,
        measure_no=measure_no, now=turn.now, chat_id=msg.chat_id, message_id=msg.message_id,
        update_id=msg.update_id, actor=actor_of(turn), score=score, source=source,
    )
    if evidence_ids:
        await evidence_q.attach_ids(turn.session, evidence_ids, report_id=reports[0].id, task_id=task.id, unit_id=who.unit_id)
    said = text if text is not None else msg.text.strip()
    not_applicable = says_not_applicable(said) and not asks_for_support(said)
    forwarded = (asks_for_support(said) or not_applicable) and await support.tell_office(
        turn.session, services, turn, task=task, report=reports[0], unit_name=who.unit_name, text=said,
        not_applicable=not_applicable,
    )
    await _confirm(turn, task, reports, who.unit_name, carried=carried, album=album, forwarded=forwarded)
    return reports


record_and_confirm = _record_and_confirm

REPEAT_WINDOW = timedelta(hours=24)


async def _said_before(turn: Turn, task: Task, who: Reporter, text: str) -> Report | None:
    """The sender's own live report on the task with the very same words, sent within a day:
    a message sent again ("没看到回复，再发一遍") is the same report, not a second one."""
    if who.person_id is None:
        return None
    words = re.sub(r"\s+", "", normalize_text(text))
    for report in reversed(await reports_q.live_of_task_unit(turn.session, task.id, who.unit_id)):
        if turn.now - report.created_at > REPEAT_WINDOW:
            break
        if report.person_id == who.person_id and re.sub(r"\s+", "", normalize_text(report.text)) == words:
            return report
    return None


# ---------------------------------------------------------------- free text


def _reads_as_query(text: str) -> bool:
    """A bare request such as "逾期任务" or "1-17的报送记录": no question word, still a query."""
    from bot.questions import is_question

    return is_question(text)


# Admins' errands said in words: the command that does them, with its usage.
_ADMIN_ERRANDS: Final = (
    (re.compile(r"暂停.{0,6}(?:推送|提醒)|(?:推送|提醒).{0,6}暂停|不要?(?:推送|提醒)"), "remind.pause.usage"),
    (re.compile(r"(?:报告|报送|记录).{0,8}(?:改到|移到|转到|挪到|调到)|(?:改到|移到|挪到).{0,3}\d+\s*[-－]\s*\d+"), "reporting.move_usage"),
)


async def _asked_anyway(turn: Turn, text: str) -> bool:
    """Leaders and the office report nothing: "市城管局", "尾矿库", "完成率最高的单位" typed by
    them ask about it, question word or not. True if an answer was queued."""
    from bot.cards import Viewer
    from bot.questions import respond

    # With a number, a question reads as one ("1-17怎么样"); what is left ("1-17进展顺利") is a
    # remark. An admin's errand gets its command's usage instead.
    if re.search(r"\d", text) or any(words.search(text) for words, _ in _ADMIN_ERRANDS):
        return False
    page = await respond(turn.session, Viewer.of(turn), text)
    if page is None:
        return False
    await turn.reply(page.text, buttons=page.buttons or None)
    return True


async def small_talk(turn: Turn, text: str) -> None:
    """Small talk gets a short word of its kind in a private chat, nothing in a group."""
    key = small_talk_reply(text) or after_ack_reply(text) or "reporting.noted"
    if not turn.in_group:
        await turn.reply(turn.tr(key, **(await turn.examples() if key == "reporting.ack_promise" else {})))


async def _not_a_report(turn: Turn, text: str, *, reports: bool) -> None:
    """What is not a report gets the hint its reader can use: how to report, for those who
    report; for leaders and the office, what they can ask, or the command for their errand."""
    if reports:
        key = "reporting.plan_needs_ref" if next_step_only(text) else "reporting.no_news_needs_ref" if no_news(text) else "reporting.hint"
        await turn.reply(turn.tr(key, **await turn.examples()))
        return
    if turn.is_admin:
        for words, usage in _ADMIN_ERRANDS:
            if words.search(text):
                await turn.reply(turn.tr(usage, **await turn.examples()))
                return
    await turn.reply(turn.tr("q.question.unknown", **await turn.examples()))


async def _question(turn: Turn) -> None:
    """Questions belong to the leaders' queries; one they cannot place is, privately, not a report."""
    if importlib.util.find_spec("bot.questions") is not None:
        module = importlib.import_module("bot.questions")
        answer = getattr(module, "answer", None)
        if answer is not None and await answer(turn):
            return
    if not turn.in_group:
        await turn.reply(turn.tr("reporting.question"))


async def _report_for_reply(session: AsyncSession, chat_id: int, message_id: int) -> Report | None:
    """The report a replied-to message is about: the user's own report or the bot's confirmation."""
    own = await reports_q.by_message(session, chat_id, message_id)
    if own is not None:
        return own
    for sent in await reports_q.sent_message(session, chat_id, message_id):
        if sent.update_id is None:
            continue
        report = await reports_q.by_update(session, int(sent.update_id))
        if report is None:
            choice = await kv.get(session, f"reporting.pending:{sent.update_id}")
            if choice is not None and choice.get("report"):
                report = await reports_q.get(session, int(choice["report"]))
        if report is not None and not report.undone:
            return report
    return None


_PUSH_BUTTON: Final = re.compile(r"^r:p:\d{8}:(\d+)$")


async def pushed_tasks(session: AsyncSession, chat_id: int, message_id: int) -> list[int]:
    """The tasks of a reminder the user answers by replying to it (those it has buttons for)."""
    found: list[int] = []
    for sent in await reports_q.sent_message(session, chat_id, message_id):
        if sent.kind != "daily_push":
            continue
        for line in ((sent.payload or {}).get("reply_markup") or {}).get("inline_keyboard", []):
            for button in line:
                m = _PUSH_BUTTON.match(str(button.get("callback_data", ""))) if isinstance(button, dict) else None
                if m and int(m.group(1)) not in found:
                    found.append(int(m.group(1)))
    return found


async def report_for_reply(session: AsyncSession, chat_id: int, message_id: int) -> Report | None:
    return await _report_for_reply(session, chat_id, message_id)


def may_report(who: Reporter, task_id: int) -> bool:
    return who.allowed is None or task_id in who.allowed


async def on_text(services: Services, turn: Turn, msg: Incoming) -> None:
    """Free text from a bound user: a report, a question, an answer we were waiting for, or chat."""
    from bot import signoff

    if (plain := simplified(msg.text)) != msg.text:  # "尾礦庫排查已於…完成": read, and kept, as the ledger writes it
        msg = replace(msg, text=plain)

    if await signoff.take_reason(services, turn, msg.text):
        return
    from bot import corrections, guided_report

    if await guided_report.guided_text(services, turn, msg):
        return
    if await _typed_answer(services, turn, msg, msg.text.strip()):
        return
    if await corrections.correction(services, turn, msg, msg.text.strip()):
        return
    from bot import evidence

    if await evidence.words_about_files(services, turn, msg, msg.text.strip()):
        return
    text = msg.text.strip()
    if not text:
        if not turn.in_group:
            await turn.reply(turn.tr("reporting.empty"))
        return
    if len(text) > MAX_TEXT:
        if not turn.in_group:
            await turn.reply(turn.tr("reporting.too_long", length=len(text), limit=MAX_TEXT))
        return
    if turn.in_group and await reports_q.group_chat(turn.session, msg.chat_id) is None:
        await _in_unregistered_group(turn, text)
        return
    if is_chitchat(text) and not TASK_REF.search(text) and not has_progress(text):  # 收到, 谢谢, 👍: acknowledged briefly
        await small_talk(turn, text)
        return
    if percent_over_100(text) and not _reads_as_query(text):
        await turn.reply(turn.tr("reporting.over_100"))
        return
    if (figure := split_figure(text)) is not None and not _reads_as_query(text):
        await turn.reply(turn.tr("reporting.split_figure", figure=figure))
        return
    if _ALL_BUT.search(text):  # "除了2-13，其他都完成了": which others is not ours to guess
        await turn.reply(turn.tr("reporting.all_but", ref=await example_ref(turn.session, turn.person)))
        return
    who = await reporter_of(turn)
    if who is not None and is_pasted_notice(text):  # a 通知 passed on: the progress it quotes is not the sender's
        if not turn.in_group:
            await turn.reply(turn.tr("reporting.notice_not_report", **await turn.examples()))
        return
    if who is not None and turn.in_group and (has_progress(text) or states_progress(text)):
        group = await reports_q.group_chat(turn.session, msg.chat_id)
        if group is not None and group.unit_id is not None and group.unit_id != who.unit_id:
            # another unit's group may not read this unit's tasks, confirmations included
            group_unit = await people.unit_name(turn.session, group.unit_id) or ""
            await turn.reply(turn.tr("reporting.other_units_group", group=html.escape(group_unit),
                                     unit=html.escape(who.unit_name)))
            return
    index = await matcher_cache.current(turn.session, services.extras)
    # "收到，正在办" under a reminder or a record: a word of acknowledgement, not that task's report
    acknowledges = small_talk_reply(text) is not None or (opens_with_ack(text) and not states_progress(text))
    if who is not None and msg.reply_to is not None and not acknowledges:
        earlier = await _report_for_reply(turn.session, msg.chat_id, msg.reply_to)
        if earlier is not None and may_report(who, earlier.task_id):
            task = await reports_q.task(turn.session, earlier.task_id)
            if task is not None and not task.archived:
                await _record_and_confirm(services, turn, who, msg, task, text=text, measure_no=earlier.measure_no, source="reply")
                return
        # "完成了一半" as a reply to the morning's reminder about one task is about that task.
        pushed = [i for i in await pushed_tasks(turn.session, msg.chat_id, msg.reply_to) if may_report(who, i)]
        task = await reports_q.task(turn.session, pushed[0]) if len(pushed) == 1 and not _reads_as_query(text) else None
        if task is not None and not task.archived:
            await _record_and_confirm(services, turn, who, msg, task, text=text, measure_no=None, source="reply")
            return
    if who is not None and says_not_applicable(text) and await _not_applicable(services, turn, who, msg, text, index):
        return
    if who is not None and await _several_tasks(services, turn, who, msg, text, index):
        return
    if who is not None and await _tasks_in_words(services, turn, who, msg, text, index):
        return
    if who is not None and await _after_report_button(services, turn, who, msg, text, index):
        return
    result = index.matcher.match(
        text,
        unit=who.unit_name if who else None,
        allowed_refs=None if who is None or who.allowed is None else {str(i) for i in who.allowed},
        preferred_refs={str(i) for i in who.own} if who else None,
        top=ASK_TOP * 2,
    )
    if result.intent == "question" or (result.decision != "accept" and _reads_as_query(text)):
        await _question(turn)
        return
    if result.decision == "nothing" or result.intent != "report":
        if small_talk_reply(text) is not None or (who is not None and opens_with_ack(text)):
            await small_talk(turn, text)  # "收到，正在办", "收到，已转达单位主要领导": acknowledged, as 收到 alone is
        elif not turn.in_group and not (who is None and await _asked_anyway(turn, text)):
            await _not_a_report(turn, text, reports=who is not None)
        return
    if who is None:
        if turn.in_group:
            return
        if _reads_as_query(text):  # "完成率前五的单位": progress words in a leader's question
            await _question(turn)
        elif goes_well(text) and not has_progress(text):
            await _not_a_report(turn, text, reports=False)  # "1-17进展顺利" from a leader is a remark: what to ask
        elif states_progress(text) or not await _asked_anyway(turn, text):
            await turn.reply(await why_not_reporter(turn))
        return
    outside = [] if who.allowed is None else index.matcher.named_outside(text, {str(i) for i in who.allowed})
    if outside and result.decision != "accept":
        await turn.reply(turn.tr("reporting.named_outside", ref=html.escape("、".join(outside)), unit=html.escape(who.unit_name)))
        return
    if result.decision != "accept" and (theirs := await _another_units_task(turn, who, text, index)) is not None:
        await turn.reply(turn.tr(
            "reporting.words_outside", ref=html.escape(theirs.ref), title=html.escape(short_title(theirs)),
            unit=html.escape(who.unit_name),
        ))
        return
    await decide(services, turn, who, msg, result, index)


async def _not_applicable(
    services: Services, turn: Turn, who: Reporter, msg: Incoming, text: str, index: matcher_cache.Index
) -> bool:
    """"1-7 我们没有涉及，怎么填报？": the unit's word that a task is not its concern. It is no
    question about the task and no progress: it is noted on that task, progress unchanged,
    and the office, which alone may change who answers for a task, hears of it."""
    refs = list(dict.fromkeys(index.matcher.named_refs(text)))
    if not refs:
        result = index.matcher.match(
            text, unit=who.unit_name, allowed_refs=None if who.allowed is None else {str(i) for i in who.allowed},
            preferred_refs={str(i) for i in who.own}, top=1,
        )
        if result.decision != "accept" or result.accepted is None:
            if not turn.in_group:
                await turn.reply(turn.tr("reporting.not_applicable_which", **await turn.examples()))
            return True
        refs = [result.accepted]
    mine = [r for r in refs if may_report(who, index.task_id(r))]
    if not mine:
        labels = "、".join(index.matcher.named_outside(text, set()) or refs)
        await turn.reply(turn.tr("reporting.named_outside", ref=html.escape(labels), unit=html.escape(who.unit_name)))
        return True
    for ref in mine:
        task = await reports_q.task(turn.session, index.task_id(ref))
        if task is None or task.archived:
            return False
        await _record_and_confirm(services, turn, who, msg, task, text=text, measure_no=None, source="chat")
    return True


async def _another_units_task(turn: Turn, who: Reporter, text: str, index: matcher_cache.Index) -> Task | None:
    """The task the words surely name when it is not the sender's to report on ("矿山整治
    完成80%" from a unit without 1-9): offering the sender's own tasks instead invites a
    wrong tap, as with a number named outside (:meth:`Matcher.named_outside`)."""
    if who.allowed is None:
        return None
    free = index.matcher.match(text, top=ASK_TOP)
    if free.decision != "accept" or free.accepted is None or may_report(who, index.task_id(free.accepted)):
        return None
    return await reports_q.task(turn.session, index.task_id(free.accepted))


_ALL_BUT: Final = re.compile(
    r"除(?:了)?[^，,。；;]{0,30}?(?:以外|之外|外)?[，,、\s]*(?:其他|其余|别的|剩下的|剩余的?)(?:的)?(?:任务|几项|各项|都|均|全)"
)
_TAIL_JOINER: Final = re.compile(r"[，,；;。\s]*(?:另外|此外|还有|同时|以及|和|及)?[，,；;。、\s]*$")


async def _after_report_button(
    services: Services, turn: Turn, who: Reporter, msg: Incoming, text: str, index: matcher_cache.Index
) -> bool:
    """The answer to a push's 报告进展 button: the task is the one the button named.

    The push already said which task; asking "哪项任务" again would lose reports of people
    who move on. A message naming another task by number is matched as usual.
    """
    from bot.reminders import clear_report_prompt, pending_report_task

    task_id = await pending_report_task(turn.session, who.telegram_id, turn.now)
    if task_id is None or not may_report(who, task_id):
        return False
    if not (has_progress(text) or states_progress(text) or answers_for_the_period(text)):  # 本旬暂无新进展 counts
        return False
    named = index.matcher.named(text)
    if named is not None and named.accepted is not None and index.task_id(named.accepted) != task_id:
        return False
    task = await reports_q.task(turn.session, task_id)
    if task is None or task.archived:
        return False
    result = index.matcher.match(text, allowed_refs={str(task_id)}, top=1, topic=True)
    measure = result.candidates[0].measure if result.candidates and result.candidates[0].ref == str(task_id) else None
    await clear_report_prompt(turn.session, who.telegram_id)
    await _record_and_confirm(services, turn, who, msg, task, text=text, measure_no=measure, source="prompt")
    return True


async def _several_tasks(
    services: Services, turn: Turn, who: Reporter, msg: Incoming, text: str, index: matcher_cache.Index
) -> bool:
    """One message reporting on several tasks by number: each is recorded with its own words.

    Asked as one report, all but one task would be lost ("1-13、1-16均完成50%").
    """
    parts = index.matcher.numbered_parts(text)
    named = index.matcher.named_refs(text)
    if not parts and len(set(named)) >= 2 and answers_for_the_period(text) and not states_progress(text):
        parts = [(ref, text) for ref in dict.fromkeys(named)]  # "1-16 1-17 本旬无新进展": each task's word for the period
    if not parts or not all(may_report(who, index.task_id(ref)) for ref, _ in parts):
        return False
    tasks: list[tuple[Task, str, int | None]] = []
    for ref, words in parts:
        task = await reports_q.task(turn.session, index.task_id(ref))
        if task is None or task.archived:
            return False
        words = _TAIL_JOINER.sub("", words)
        tasks.append((task, words, _measure_in(index, ref, words)))
    await _record_each(services, turn, who, msg, tasks)
    return True


def _measure_in(index: matcher_cache.Index, ref: str, words: str) -> int | None:
    """The measure of task ``ref`` its part of a message is about, as the message alone on
    that task would name it: "2-10遥感监测点建设已完工" finishes that measure, not 2-10."""
    result = index.matcher.match(words, allowed_refs={ref}, top=1, topic=True)
    return result.candidates[0].measure if result.candidates and result.candidates[0].ref == ref else None


async def _record_each(
    services: Services, turn: Turn, who: Reporter, msg: Incoming, tasks: list[tuple[Task, str, int | None]]
) -> None:
    """Several tasks reported in one message, each with its own words: one reply listing
    every record, with an Undo per task; a share already signed off is named, not recorded."""
    lines: list[str] = []
    buttons: list[list[Button]] = []
    for task, words, measure in tasks:
        if await signed_off(turn.session, task.id, who.unit_id):
            lines.append(signed_off_text(turn, task))
            continue
        reports = await record_said(
            turn.session, services, task=task, who=who, text=words, measure_no=measure, now=turn.now,
            chat_id=msg.chat_id, message_id=msg.message_id, update_id=msg.update_id, actor=actor_of(turn), source="chat",
        )
        if len(reports) > 1:
            lines.append(await measures_confirmation(turn, task, reports, who.unit_name))
        else:
            lines.append(confirmation(turn, task, reports[0], who.unit_name))
        buttons.append([(f"{turn.tr('reporting.button.undo')} {task.ref}", f"ru:{reports[0].id}")])
    await turn.reply("\n\n".join(lines), buttons=buttons)


_CLAUSE: Final = re.compile(r"[^，,；;。！!？?\n\s]+[，,；;。！!？?\n\s]*")
# "水源地规范化建设完成90%河道采砂整治已完成": typed without a pause, a percent still ends its clause.
_AFTER_PERCENT: Final = re.compile(r"[%％](?=[\u4e00-\u9fff])(?!以上|以下|左右|的|多|之|以|了|，)")


def _points_to(index: matcher_cache.Index, words: str, ref: str) -> bool:
    """Whether words the matcher is unsure about still plainly name some task's matter
    ("水源地整治已完成": 1-10 or 1-14), as a sure match would, short of the lead over the
    runner-up; "正在处理" names none."""
    th = index.matcher.thresholds
    for scored in index.matcher.scores(words):
        if index.matcher.tasks[scored.index].ref == ref:
            return scored.score >= th.accept and scored.words >= th.min_words and scored.specificity >= th.min_specificity
    return False


# Words any progress clause may use, whatever its task: they name no matter of their own.
_PROGRESS_ONLY: Final = re.compile(
    r"整改|完成率|完成|进度|进展|已经?|目前|截至|累计|正在|推进|基本|全部|均|都|了|工作|任务|情况|约|近|共|达到?|"
    r"百分之[\d零一二三四五六七八九十百点.]+|\d+(?:\.\d+)?\s*[%％]|[一二三四五六七八九十]成|率|[\s，,；;。！!]"
)


# A clause that goes on about what the one before it named: "另一座", "其余的", "剩下两处".
_GOES_ON: Final = re.compile(
    r"^\s*(?:另一|另外一|另外的|另有|其余|其他|其它|剩下|剩余|余下|尚余|还剩|还有[\d一二两三四五六七八九十几]|其中|这些|那些|它们|其|该|"
    r"第[二三四五六七八九十\d]+(?:批|阶段|期|轮))"
)


def _names_no_matter(index: matcher_cache.Index, words: str) -> bool:
    """Whether a clause, its progress words set aside, names nothing a task is about."""
    rest = _PROGRESS_ONLY.sub("", words)
    return not rest or all(s.score < index.matcher.thresholds.ask for s in index.matcher.scores(rest))


def _progress_clauses(text: str) -> list[str]:
    """The message cut after each clause that states progress; clauses without it go with
    the next ("水源地方面，整治已完成"), trailing ones with the last."""
    segments: list[str] = []
    waiting = ""
    for clause in _CLAUSE.findall(_AFTER_PERCENT.sub("% ", text)):
        waiting += clause
        if has_progress(clause) or states_progress(clause):
            segments.append(waiting)
            waiting = ""
    if waiting.strip(" ，,；;。！!？?\n"):
        if not segments:
            return []
        segments[-1] += waiting
    return segments


async def _tasks_in_words(
    services: Services, turn: Turn, who: Reporter, msg: Incoming, text: str, index: matcher_cache.Index
) -> bool:
    """Two tasks reported in words in one message ("水源地整治已完成，黑臭水体治理完成60%").

    Matched whole, the message goes under one task and the other report is lost. Each
    clause is matched on its own; when they land on different tasks of the sender's, the
    clauses the matcher is sure of are recorded (one reply), and each task only pointed
    to is asked about with its own words.
    """
    if index.matcher.named_refs(text):
        return False  # a task named by number is that task's report, whatever else it says
    allowed = None if who.allowed is None else {str(i) for i in who.allowed}
    placed: list[tuple[str, str, Any]] = []
    for words in _progress_clauses(text):
        if placed and (_names_no_matter(index, words) or _GOES_ON.match(words)):
            # "…已开展三轮，整改完成率90%": the rate is the same task's; "…一座，另一座正在施工": so is the other one
            placed[-1] = (placed[-1][0] + words, placed[-1][1], placed[-1][2])
            continue
        result = index.matcher.match(
            words, unit=who.unit_name, allowed_refs=allowed, preferred_refs={str(i) for i in who.own}, top=ASK_TOP * 2,
        )
        top = result.accepted or (result.candidates[0].ref if result.candidates else None)
        pointed = (
            result.intent == "report" and top is not None and may_report(who, index.task_id(top))
            and (result.decision == "accept" or _points_to(index, words, top))
        )
        if pointed and top is not None:
            placed.append((words, top, result))
        elif placed:
            placed[-1] = (placed[-1][0] + words, placed[-1][1], placed[-1][2])
        else:
            return False  # the first words name no task: the whole message is matched as one
    if len({ref for _, ref, _ in placed}) < 2:
        return False
    sure = {ref for _, ref, r in placed if r.decision == "accept"}
    said: dict[str, list[tuple[str, Any]]] = {}
    lead = index.matcher.thresholds.lead
    for words, ref, result in placed:  # words as likely about a task another clause surely names go with it
        best = result.candidates[0].score if result.candidates else 0
        fits = [c.ref for c in result.candidates if c.ref in sure and best - c.score < lead]
        said.setdefault(ref if ref in sure or not fits else fits[0], []).append((words, result))
    if len(said) < 2:
        return False
    tasks: list[tuple[Task, str, int | None]] = []
    unsure: list[tuple[str, list[tuple[str, Any]]]] = []
    for ref, parts in said.items():
        if ref not in sure:
            unsure.append((ref, parts))
            continue
        task = await reports_q.task(turn.session, index.task_id(ref))
        if task is None or task.archived:
            return False
        measure = parts[0][1].accepted_measure if len(parts) == 1 else None
        tasks.append((task, _TAIL_JOINER.sub("", "".join(w for w, _ in parts)), measure))
    if tasks:
        await _record_each(services, turn, who, msg, tasks)
    for k, (_ref, parts) in enumerate(unsure):
        words = _TAIL_JOINER.sub("", "".join(w for w, _ in parts))
        rest = Incoming(text=words, chat_id=msg.chat_id, message_id=msg.message_id, update_id=msg.update_id, reply_to=msg.reply_to)
        await decide(
            services, turn, who, rest, parts[0][1] if len(parts) == 1 else index.matcher.match(
                words, unit=who.unit_name, allowed_refs=allowed, preferred_refs={str(i) for i in who.own}, top=ASK_TOP * 2,
            ),
            index, question="reporting.ask_rest", pending_id=msg.update_id if k == 0 else -(msg.update_id * 10 + k),
        )
    return True


async def _in_unregistered_group(turn: Turn, text: str) -> None:
    """A group no admin has registered: questions get counts only; a report is not recorded
    there, and its sender is told once a day where it goes instead of hearing nothing."""
    if _reads_as_query(text):
        await _question(turn)
        return
    if turn.person is None or is_chitchat(text) or promises_to_act(text) or not states_progress(text):
        return
    day = turn.now.date().isoformat()
    if await kv.put_once(turn.session, f"reporting.unregistered:{turn.chat_id}:{day}", {"at": turn.now.isoformat()}):
        await turn.reply(turn.tr("reporting.group_unregistered"))


async def decide(
    services: Services,
    turn: Turn,
    who: Reporter,
    msg: Incoming,
    result: Any,
    index: matcher_cache.Index,
    *,
    evidence_ids: list[int] | None = None,
    media_group_id: str | None = None,
    question: str = "reporting.ask",
    pending_id: int | None = None,
) -> Report | None:
    """Accept (record and confirm) or ask with the top candidates the reporter may report on.

    ``pending_id`` keys the question when one message asks more than one (its update id otherwise)."""
    if result.decision == "accept" and result.accepted is not None:
        task = await reports_q.task(turn.session, index.task_id(result.accepted))
        if task is not None and may_report(who, task.id):
            reports = await _record_and_confirm(
                services, turn, who, msg, task, measure_no=result.accepted_measure, source="chat",
                score=float(result.candidates[0].score) if result.candidates else None, evidence_ids=evidence_ids,
                carried=len(evidence_ids or ()), album=media_group_id is not None,
            )
            return reports[0] if reports else None
    options = [c for c in result.candidates if may_report(who, index.task_id(c.ref))][:ASK_TOP]
    if not options:
        if not turn.in_group:
            await turn.reply(turn.tr("reporting.outside_scope"))
        return None
    tasks = []
    for c in options:
        task = await reports_q.task(turn.session, index.task_id(c.ref))
        if task is not None:
            tasks.append((task, c.measure))
    pending = {
        "telegram_id": who.telegram_id,
        "person_id": who.person_id,
        "unit_id": who.unit_id,
        "unit_name": who.unit_name,
        "text": msg.text.strip(),
        "chat_id": msg.chat_id,
        "message_id": msg.message_id,
        "update_id": msg.update_id,
        "tasks": [t.id for t, _ in tasks],
        "measures": [m for _, m in tasks],
        "at": turn.now.isoformat(),
        "evidence": list(evidence_ids or []),
        "media_group_id": media_group_id,
        "done": False,
    }
    key = msg.update_id if pending_id is None else pending_id
    await kv.put(turn.session, f"reporting.pending:{key}", pending)
    await kv.put(turn.session, f"reporting.asked:{who.telegram_id}", {"pending": key})
    buttons: list[list[Button]] = [[(task_label(t), f"rc:{key}:{i}")] for i, (t, _) in enumerate(tasks)]
    buttons.append([(turn.tr("reporting.button.none"), f"rn:{key}")])
    await turn.reply(turn.tr(question, words=html.escape(msg.text.strip())), buttons=buttons)
    return None


# ---------------------------------------------------------------- buttons


async def _pending(turn: Turn, pending_id: int) -> dict[str, Any] | None:
    """The waiting question if the presser may answer it now; otherwise alert and None."""
    pending = await kv.get(turn.session, f"reporting.pending:{pending_id}")
    user = turn.update.effective_user
    if pending is None:
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
        return None
    if user is None or (pending["telegram_id"] != user.id and not turn.is_admin):
        await turn.answer_callback(turn.tr("reporting.not_yours"), alert=True)
        return None
    if pending.get("done"):
        await turn.answer_callback(turn.tr("reporting.already_answered"), alert=True)
        return None
    if turn.now - datetime.fromisoformat(pending["at"]) > PENDING_TTL:
        await turn.answer_callback(turn.tr("reporting.button_expired"), alert=True)
        return None
    return pending


async def choose(services: Services, turn: Turn, pending_id: int, choice: int) -> None:
    pending = await _pending(turn, pending_id)
    if pending is None:
        return
    tasks: list[int] = pending["tasks"]
    if not 0 <= choice < len(tasks):
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
        return
    task = await reports_q.task(turn.session, tasks[choice])
    if task is None or task.archived:
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
        return
    reports = await _record_choice(services, turn, pending_id, pending, task, pending["measures"][choice])
    message = turn.update.effective_message
    if not reports:
        await turn.answer_callback()
        if message is not None:
            await turn.edit(message.message_id, signed_off_text(turn, task))
        return
    await turn.answer_callback(turn.tr("reporting.chosen"))
    if message is not None:
        await _confirm(turn, task, reports, pending["unit_name"], edit=message.message_id)


async def _record_choice(
    services: Services, turn: Turn, pending_id: int, pending: dict[str, Any], task: Task, measure: int | None
) -> list[Report]:
    """The waiting report, recorded under the task its sender picked (button or words);
    nothing when the unit's share of that task is signed off."""
    if await signed_off(turn.session, task.id, pending["unit_id"]):
        await kv.put(turn.session, f"reporting.pending:{pending_id}", {**pending, "done": True, "report": None})
        return []
    who = Reporter(
        pending["person_id"], pending["telegram_id"], pending["unit_id"], pending["unit_name"], None, set()
    )
    reports = await record_said(
        turn.session, services, task=task, who=who, text=pending["text"], measure_no=measure,
        now=turn.now, chat_id=pending["chat_id"], message_id=pending["message_id"], update_id=pending["update_id"],
        actor=actor_of(turn), source="choice",
    )
    report = reports[0]
    ids = list(pending.get("evidence") or [])
    if pending.get("media_group_id"):
        ids += [e.id for e in await evidence_q.of_group(turn.session, pending["media_group_id"]) if e.report_id is None]
    await evidence_q.attach_ids(turn.session, sorted(set(ids)), report_id=report.id, task_id=task.id, unit_id=who.unit_id)
    await kv.put(turn.session, f"reporting.pending:{pending_id}", {**pending, "done": True, "report": report.id})
    return reports


# A plan number such as 1-17 written in a message.
TASK_REF: Final = re.compile(r"(?<![\d.-])(\d{1,3}(?:-\d{1,3})+)(?![\d-])")

# "是第二个", "2", "选1-14", "都不是", "对": the question answered in words instead of a button.
_PICK_ORDINAL: Final = re.compile(
    r"^(?:是|选|就是|应该是)?\s*第?\s*([1-9一二三四五六七八九])\s*(?:个|项|条|号)?\s*(?:吧|的|任务)?$"
)
PICK_REF: Final = re.compile(
    r"^(?:(?:上面|刚才|刚刚)?的?(?:照片|图片|相片|文件|材料)?(?:这是|这个是|这些是|是|选|就是|应该是|属于))?\s*(?:任务)?\s*"
    r"(\d{1,3}(?:[-.]\d{1,3})+)\s*(?:吧|的|任务|这项|那项|那个|这个|那条|这条)*$"
)
# "the first one", "option 2": the question answered in English.
_PICK_ORDINAL_EN: Final = re.compile(
    r"^(?:it'?s |it is )?(?:the )?(?:(first|second|third|1st|2nd|3rd)(?: one| option| task)?|(?:option|number|no\.?|#)\s*([1-9]))$", re.I
)
_EN_ORDINALS: Final = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
# "是水源地保护那个", "饮用水安全那项": the task picked by the words its button shows.
_PICK_WORDS: Final = re.compile(
    r"^(?P<back>(?:上面|刚才|刚刚|上一条|前面)(?:那条|这条|那个|发的|说的|报的)?)?(?:是|就是|应该是|选|属于|应属于)?\s*(?P<words>[^\d，,。；;!！?？]{2,20}?)\s*(?:那个|这个|那项|这项|那条|这条|的|吧|任务|方面)*$"
)
# "刚才说错了，是1-9不是1-17" under the question: the task meant, the offered one refused.
_MEANT_REF: Final = re.compile(
    r"^(?:[^，,。]{0,8}(?:说错了|写错了|不对|错了)[，,。\s]*)?(?:是|应该是|应为|应是)\s*(?:任务)?\s*(\d{1,3}(?:[-.]\d{1,3})+)"
    r"\s*(?:，|,)?\s*(?:不是|而不是)\s*(?:任务)?\s*\d{1,3}(?:[-.]\d{1,3})+$"
)
_PICK_NONE: Final = re.compile(r"^(?:都不是|都不对|不是|不对|没有|以上都不是|均不是|哪个都不是|none(?: of these)?|no)$", re.I)
_PICK_YES: Final = re.compile(r"^(?:对|是|是的|对的|没错|嗯|好|确认|就是它|就是这个|yes|yes it is)$", re.I)


_BARE_NUMBER: Final = re.compile(r"^(?:是|选|就是|应该是)?\s*(?:任务)?\s*(\d{1,3})\s*(?:吧|的|号任务|任务|这项|那项)?$")


async def _typed_task_number(turn: Turn, words: str, offered: list[int]) -> Task | None:
    """The task a bare typed number names by its own number, if the sender may report on one."""
    m = _BARE_NUMBER.match(words)
    if m is None:
        return None
    found = [t for t in await reports_q.tasks_by_ref(turn.session, m.group(1)) if not t.archived]
    among = [t for t in found if t.id in offered]
    if among:
        return among[0]
    who = await reporter_of(turn)
    allowed = [t for t in found if who is not None and may_report(who, t.id)]
    return allowed[0] if len(allowed) == 1 else None


_PICK_ACTION: Final = re.compile(r"(?:的)?(?:整治|整改|治理|建设|工作|问题|的事|那块|这块|这一块)+$")


async def _offered_in_words(turn: Turn, words: str, offered: list[int]) -> list[int]:
    """The offered tasks whose button titles hold the words typed ("水源地保护那个" under
    "1-10 …饮用水水源地保护区…"): one is the answer, several ask to pick again ("饮用水那个"
    under 1-10 and 1-14); [] when the words state progress or fit none."""
    m = _PICK_WORDS.match(words)
    if m is None or has_progress(words) or (states_progress(words) and not m.group("back")):
        return []  # "上面那条是水源地整治的" points back at the report: 整治 there names it, reports nothing
    said = re.sub(r"\s+", "", m.group("words"))
    said = _PICK_ACTION.sub("", said) if len(_PICK_ACTION.sub("", said)) >= 2 else said  # "水源地保护区整治": the matter, not the work
    titles: list[tuple[int, str]] = []
    for task_id in offered:
        task = await reports_q.task(turn.session, task_id)
        if task is not None:
            titles.append((task_id, normalize_text(task.title)))
    holding = [task_id for task_id, title in titles if said in title]
    if holding:
        return holding
    scored = sorted(((fuzz.partial_ratio(said, title), task_id) for task_id, title in titles), reverse=True)
    if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 15):
        return [scored[0][1]]
    return []


async def _typed_answer(services: Services, turn: Turn, msg: Incoming, text: str) -> bool:
    """The answer to the bot's open "哪项任务" question typed instead of pressed; True if it was one.

    Officials often type "第二个" or the task number under the question; read as a fresh
    report it would match nothing, and the report they meant would be lost.
    """
    user = turn.update.effective_user
    if user is None:
        return False
    asked = await kv.get(turn.session, f"reporting.asked:{user.id}")
    if asked is None:
        return False
    pending_id = int(asked["pending"])
    pending = await kv.get(turn.session, f"reporting.pending:{pending_id}")
    if (
        pending is None
        or pending.get("done")
        or pending.get("chat_id") != msg.chat_id
        or pending.get("telegram_id") != user.id
        or turn.now - datetime.fromisoformat(pending["at"]) > PENDING_TTL
    ):
        return False
    words = re.sub(r"[\s。.!！,，]+$", "", normalize_text(text))
    tasks: list[int] = pending["tasks"]
    choice: int | None = None
    chosen: Task | None = None
    ordinal = _PICK_ORDINAL.match(words)
    by_ref = PICK_REF.match(words) or _MEANT_REF.match(words)
    own_number = await _typed_task_number(turn, words, tasks)
    if own_number is not None:  # "3" where the plan numbers its tasks 1, 2, 3: the task, not the third button
        if own_number.id in tasks:
            choice = tasks.index(own_number.id)
        else:
            chosen = own_number
    elif ordinal is not None:
        n = to_int(ordinal.group(1))
        if n is None or not 1 <= n <= len(tasks):
            await turn.reply(turn.tr("reporting.pick_again", n=len(tasks)))
            return True
        choice = n - 1
    elif by_ref is not None:
        found = [t for t in await reports_q.tasks_by_ref(turn.session, by_ref.group(1)) if not t.archived]
        mine = [t for t in found if t.id in tasks]
        if mine:
            choice = tasks.index(mine[0].id)
        else:
            who = await reporter_of(turn)
            allowed = [t for t in found if who is not None and may_report(who, t.id)]
            if len(allowed) != 1:
                await turn.reply(turn.tr("reporting.outside_scope" if found else "reporting.no_task", ref=html.escape(by_ref.group(1))))
                return True
            chosen = await reports_q.task(turn.session, allowed[0].id)
    elif (english := _PICK_ORDINAL_EN.match(words)) is not None:
        n = _EN_ORDINALS[english.group(1).lower()] if english.group(1) else int(english.group(2))
        if not 1 <= n <= len(tasks):
            await turn.reply(turn.tr("reporting.pick_again", n=len(tasks)))
            return True
        choice = n - 1
    elif _PICK_NONE.match(words):
        await kv.put(turn.session, f"reporting.pending:{pending_id}", {**pending, "done": True, "report": None})
        await turn.reply(turn.tr("reporting.dropped"))
        return True
    elif _PICK_YES.match(words):
        if len(tasks) != 1:
            await turn.reply(turn.tr("reporting.pick_again", n=len(tasks)))
            return True
        choice = 0
    elif picked := await _offered_in_words(turn, words, tasks):
        if len(picked) > 1:  # "饮用水那个" under two titles that both say 饮用水
            await turn.reply(turn.tr("reporting.pick_again", n=len(tasks)))
            return True
        choice = tasks.index(picked[0])
    else:
        return False
    measure = pending["measures"][choice] if choice is not None else None
    task = chosen if chosen is not None else await reports_q.task(turn.session, tasks[choice or 0])
    if task is None or task.archived:
        await turn.reply(turn.tr("reporting.button_invalid"))
        return True
    reports = await _record_choice(services, turn, pending_id, pending, task, measure)
    if not reports:
        await turn.reply(signed_off_text(turn, task))
        return True
    await _confirm(turn, task, reports, pending["unit_name"])
    return True


async def none_of_these(turn: Turn, pending_id: int) -> None:
    pending = await _pending(turn, pending_id)
    if pending is None:
        return
    await kv.put(turn.session, f"reporting.pending:{pending_id}", {**pending, "done": True, "report": None})
    await turn.answer_callback()
    message = turn.update.effective_message
    if message is not None:
        await turn.edit(message.message_id, turn.tr("reporting.dropped"))


async def undo(services: Services, turn: Turn, report_id: int) -> None:
    report = await reports_q.get(turn.session, report_id)
    user = turn.update.effective_user
    if report is None:
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
        return
    owner = await reports_q.person(turn.session, report.person_id)
    is_owner = owner is not None and user is not None and owner.telegram_id == user.id
    if not is_owner and not turn.is_admin:
        await turn.answer_callback(turn.tr("reporting.not_yours"), alert=True)
        return
    if report.undone:
        await turn.answer_callback(turn.tr("reporting.already_undone"), alert=True)
        return
    if turn.now - report.created_at > UNDO_WINDOW:
        await turn.answer_callback(turn.tr("reporting.undo_too_late"), alert=True)
        return
    await take_back(services, turn, report)
    await turn.answer_callback(turn.tr("reporting.undone_short"))
    message = turn.update.effective_message
    task = await reports_q.task(turn.session, report.task_id)
    if message is not None and task is not None:
        await turn.edit(message.message_id, turn.tr("reporting.undone", ref=html.escape(task.ref), title=html.escape(short_title(task))))


async def reopen_milestone(session: AsyncSession, report: Report) -> None:
    """A milestone this report marked done is open again once the report no longer says done."""
    done = await kv.get(session, f"reporting.milestone:{report.id}")
    if done is not None:
        milestone = await session.get(Milestone, int(done["id"]))
        if milestone is not None:
            milestone.done_at = None


async def take_back(services: Services, turn: Turn, report: Report) -> None:
    """Undo one report, with the others its message made on the same task ("措施1、2都完成了"
    is one message, one Undo): the unit's progress, milestones and evidence go back; audited."""
    together = [report]
    if report.unit_id is not None and report.message_id is not None:
        together += [
            r for r in await reports_q.live_of_task_unit(turn.session, report.task_id, report.unit_id)
            if r.id != report.id and r.chat_id == report.chat_id and r.message_id == report.message_id
        ]
    for each in together:
        each.undone = True
    await turn.session.flush()
    for each in together:
        await reopen_milestone(turn.session, each)
    if report.unit_id is not None:
        await refresh_task_unit(turn.session, report.task_id, report.unit_id)
    for each in together:
        await evidence_q.detach_report(turn.session, each.id)
        await services.auditor.append(
            turn.session, actor=actor_of(turn), action="report.undo", subject=f"task:{each.task_id}",
            payload={"report": each.id}, now=turn.now,
        )


# ---------------------------------------------------------------- edits


async def on_edit(services: Services, turn: Turn, msg: Incoming) -> None:
    """An edited report is updated within the Undo window; later edits are refused, clearly."""
    report = await reports_q.by_message(turn.session, msg.chat_id, msg.message_id)
    if report is None:
        return
    text = msg.text.strip()
    if turn.now - report.created_at > UNDO_WINDOW:
        await turn.reply(turn.tr("reporting.edit_too_late"), quote=True)
        return
    if not text or len(text) > MAX_TEXT:
        await turn.reply(turn.tr("reporting.edit_unusable"), quote=True)
        return
    percent, status, _dates = progress_of(text, report.created_at)
    before = {"text": report.text, "percent": report.percent, "status": report.status_word}
    report.text, report.percent, report.status_word = text, percent, status
    await turn.session.flush()
    if report.unit_id is not None:
        await refresh_task_unit(turn.session, report.task_id, report.unit_id)
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="report.edit", subject=f"task:{report.task_id}",
        payload={"report": report.id, "before": before, "percent": percent, "status": status}, now=turn.now,
    )
    task = await reports_q.task(turn.session, report.task_id)
    unit = await people.unit_name(turn.session, report.unit_id) or ""
    if task is not None:
        await turn.reply(
            turn.tr("reporting.edited") + "\n" + confirmation(turn, task, report, unit),
            buttons=undo_button(turn, report), quote=True,
        )


# ---------------------------------------------------------------- admin


async def _one_task(turn: Turn, ref: str) -> Task | None:
    found = await reports_q.tasks_by_ref(turn.session, ref)
    if len(found) != 1:
        await turn.reply(turn.tr("reporting.no_task" if not found else "reporting.task_ambiguous", ref=html.escape(ref)))
        return None
    return await reports_q.task(turn.session, found[0].id)


async def move_report(services: Services, turn: Turn, args: list[str]) -> None:
    """Admin: put a report under another task; both units' progress is recomputed."""
    if not turn.is_admin:
        await turn.reply(turn.tr("reporting.admin_only"))
        return
    if len(args) != 2 or not args[0].lstrip("#").isdigit():
        await turn.reply(turn.tr("reporting.move_usage", **await turn.examples()))
        return
    report = await reports_q.get(turn.session, int(args[0].lstrip("#")))
    if report is None or report.undone:
        await turn.reply(turn.tr("reporting.no_report", id=html.escape(args[0])))
        return
    task = await _one_task(turn, args[1])
    if task is None:
        return
    if report.task_id == task.id:
        await turn.reply(turn.tr("reporting.move_same"))
        return
    if report.unit_id is not None and task.id not in await unit_task_ids(turn.session, report.unit_id):
        # moving it there would make the unit answerable for a task the plan does not give it
        unit = await people.unit_name(turn.session, report.unit_id) or ""
        await turn.reply(turn.tr("reporting.move_not_units", ref=html.escape(task.ref), unit=html.escape(unit)))
        return
    await move(services, turn, report, task)
    await turn.reply(turn.tr("reporting.moved", id=report.id, ref=html.escape(task.ref), title=html.escape(short_title(task))))


async def move(services: Services, turn: Turn, report: Report, task: Task) -> None:
    """Put a report, and its evidence, under another task; both units' progress is recomputed."""
    old_task = report.task_id
    report.task_id = task.id
    report.measure_no = None
    await turn.session.flush()
    if report.unit_id is not None:
        await plans_q.ensure_task_unit(turn.session, task.id, report.unit_id)
        await refresh_task_unit(turn.session, old_task, report.unit_id)
        await refresh_task_unit(turn.session, task.id, report.unit_id)
    for row in await evidence_q.of_report(turn.session, report.id):
        row.task_id = task.id
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="report.move", subject=f"task:{task.id}",
        payload={"report": report.id, "from": old_task, "to": task.id}, now=turn.now,
    )


async def report_on_behalf(services: Services, turn: Turn, args: list[str], msg: Incoming) -> None:
    """Admin: record what a unit reported by phone or on paper, under that unit; audited."""
    if not turn.is_admin:
        await turn.reply(turn.tr("reporting.admin_only"))
        return
    if len(args) < 2:
        await turn.reply(turn.tr("reporting.behalf_usage"))
        return
    from bot.people_admin import resolve_unit

    unit = await resolve_unit(turn.session, args[0])
    if unit is None:
        await turn.reply(turn.tr("reporting.no_unit_named", unit=html.escape(args[0])))
        return
    text = " ".join(args[1:])
    who = await behalf_reporter(turn.session, turn, unit.id, unit.name)
    if not who.own:
        await turn.reply(turn.tr("reporting.unit_has_no_tasks", unit=html.escape(unit.name)))
        return
    index = await matcher_cache.current(turn.session, services.extras)
    result = index.matcher.match(
        text, unit=unit.name, allowed_refs={str(i) for i in who.own}, preferred_refs={str(i) for i in who.own},
        top=ASK_TOP * 2,
    )
    if result.intent != "report" or not result.candidates:
        await turn.reply(turn.tr("reporting.behalf_unclear"))
        return
    behalf_msg = Incoming(text=text, chat_id=msg.chat_id, message_id=msg.message_id, update_id=msg.update_id)
    report = await decide(services, turn, who, behalf_msg, result, index)
    if report is not None:
        report.source = "behalf"
        await services.auditor.append(
            turn.session, actor=actor_of(turn), action="report.behalf", subject=f"task:{report.task_id}",
            payload={"report": report.id, "unit": unit.id}, now=turn.now,
        )
