"""Slips put right in words: "刚才说错了，是70%", "应该是1-13不是1-16", "撤回".

Officials correct a report the way they would on the phone. Read as a new report, the
wrong figure would stay in the ledger beside the right one, so the sender's own last
report (or the one replied to) is corrected, moved or withdrawn instead; each is audited.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Final, Literal, overload

from bot.extract import DONE, MOSTLY_DONE, ONGOING, extract_counts, to_int
from bot.intent import is_chitchat
from bot.reporting import (
    TASK_REF,
    UNDO_WINDOW,
    Incoming,
    actor_of,
    confirmation,
    may_report,
    move,
    progress_of,
    refresh_task_unit,
    reopen_milestone,
    report_for_reply,
    reporter_of,
    short_title,
    take_back,
    task_in_words,
    undo_button,
)
from bot.turns import Turn
from storage import people
from storage import reports as reports_q
from storage.models import Report, Task

if TYPE_CHECKING:
    from bot.services import Services


CORRECTION_WINDOW = timedelta(hours=24)
_FIGURE: Final = r"\s*(?:完成)?\s*[\d一二三四五六七八九十百点.]+\s*(?:[%％]|成)"
# "不是70%" in "不是70%，是50%": the figure taken back, to be read past, not recorded.
_NOT_THIS: Final = re.compile(r"(?:而)?(?:不是|并非)" + _FIGURE + r"|\bnot\s+\d+(?:\.\d+)?\s*(?:%|percent\b)", re.I)
# "刚才说错了，是70%", "更正：1-10应为75%", "不对，是50%" (as a reply to the record).
_CORRECTS: Final = re.compile(
    r"^(?:(?:不对|错了|抱歉|不好意思|对不起|sorry)[，,。！!\s]*)?"
    r"(?:刚才|刚刚|上一条|上条|之前|前面|我)?[^，,。]{0,8}?(?:说错了|写错了|报错了|填错了|弄错了|搞错了|发错了|有误|更正|纠正|"
    r"报错(?:任务|项目|项)了?|选错了?|放错了?|归错了?|记错了?)|"
    r"^(?:刚才|刚刚|上一条|上条)?(?:那条|这条|的)?(?:不对|错了)[，,\s]*(?:是|应为|应该是)|"
    r"^(?:刚才|刚刚|上一条|上条)(?:那条|这条|的|那个|发的)?(?:应该是|应为|应是)\s*(?:任务)?\s*\d{1,3}(?:-\d{1,3})+|"
    # "不好意思 应该是40%", "刚才的应为75%": an apology or "just now", then the right figure
    r"^(?:(?:不对|错了|抱歉|不好意思|对不起|sorry)[，,。！!\s]*|(?:刚才|刚刚|上一条|上条)(?:那条|这条|的|那个|发的)?)"
    r"(?:进度|完成)?(?:应该是|应为|应是|是)\s*(?:完成)?\s*\d{1,3}(?:\.\d+)?\s*[%％]|"
    # "不是70%，是50%", "应该是六成，不是八成": the wrong figure named beside the right one
    r"^[^，,。]{0,6}?(?:不是|并非)" + _FIGURE + r"[，,\s]*(?:而)?(?:是|应为|应该是)|(?:是|应为|应该是)" + _FIGURE
    + r"[，,\s]*(?:而)?(?:不是|并非)" + _FIGURE + r"|"
    r"^(?:sorry|oops|apologies)?[,.!\s]*(?:correction\b|i meant\b|(?:a |my )?typo\b|my (?:mistake|bad)\b|wrong (?:figure|number)\b|"
    r"(?:it|that|this)(?: one| report)? should (?:be|read|have been)\b)",
    re.I,
)
# Replying to the record itself, plainer words suffice: "应为75%", "改成50%".
_CORRECTS_REPLY: Final = re.compile(r"^(?:这条|那条|这个|刚才的?)?(?:应为|应该是|改为|改成|不对|错了)")
# "应该是1-13不是1-16", "应为1-13": the task the report was meant for.
_MOVED_TO: Final = re.compile(
    r"(?:应该是|应为|应是|改为|改成|是|should (?:be|read|have been)|meant)\s*(?:任务|task)?\s*(\d{1,3}(?:-\d{1,3})+)(?![\d-])(?!\s*[%％])",
    re.I,
)
# "这条应该是水源地保护那项": the task meant, named in words.
_MOVED_TO_WORDS: Final = re.compile(r"(?:应该是|应为|应是|改为|改成|归到|记到|放到|是)\s*(?P<words>[^，,。；;]{2,20}?)\s*(?:那项|这项|那个|这个|任务|的)?[。.!！]*$")
# "刚才那条不对，是措施3": the measure meant.
_MEASURE_MEANT: Final = re.compile(r"(?:应该是|应为|是|改为|改成)\s*(?:第\s*)?(?:措施\s*)?(\d{1,2}|[一二三四五六七八九十])\s*(?:条|项)?\s*(?:措施)?[。.!！]*$")
# "撤回", "刚才那条撤销", "上一条报错了，作废": the last report taken back.
_WITHDRAWS: Final = re.compile(r"撤回|撤销|作废|删掉|删除")


async def correction(services: Services, turn: Turn, msg: Incoming, text: str) -> bool:
    """A correction or withdrawal of the sender's own last report, said in words; True if it was one.

    Officials put a slip right the way they would on the phone ("刚才说错了，是70%"); read as a
    new report, the wrong figure would stay in the ledger beside the right one.
    """
    bare = TASK_REF.sub("", text, count=1).strip() if TASK_REF.match(text.strip()) else text  # "1-18 刚才那条说错了…"
    corrects = len(text) <= 60 and (
        _CORRECTS.search(bare) is not None or (msg.reply_to is not None and _CORRECTS_REPLY.search(text) is not None)
    )
    withdraws = not corrects and len(text) <= 20 and _WITHDRAWS.search(text) is not None and "销号" not in text
    corrects = corrects and not is_chitchat(text)  # "发错了" alone: a wrong group or chat, not a figure
    if not (corrects or withdraws) or turn.person is None:
        return False
    report: Report | None = None
    moved_to = _MOVED_TO.search(text) if corrects else None
    if msg.reply_to is not None:
        report = await report_for_reply(turn.session, msg.chat_id, msg.reply_to)
    if report is None and moved_to is not None:  # "刚才那条发错了，应该是1-13": the last report, wherever it went
        report = await reports_q.recent_of(turn.session, turn.person.id, msg.chat_id, turn.now - CORRECTION_WINDOW)
    named = None
    if report is None:
        named = TASK_REF.search(text)  # "更正：1-10应为75%" corrects the last report on 1-10
        tasks = [t.id for t in await reports_q.tasks_by_ref(turn.session, named.group(1))] if named else None
        report = await reports_q.recent_of(turn.session, turn.person.id, msg.chat_id, turn.now - CORRECTION_WINDOW, tasks)
    if report is None or report.person_id != turn.person.id:
        if turn.in_group:
            return False
        other = named is not None and await reports_q.recent_of(
            turn.session, turn.person.id, msg.chat_id, turn.now - CORRECTION_WINDOW
        ) is not None
        if other and named is not None:  # reports there are, none on that task: maybe the last one went under the wrong number
            await turn.reply(turn.tr("reporting.nothing_to_correct_on", ref=html.escape(named.group(1))))
        else:
            await turn.reply(turn.tr("reporting.nothing_to_correct"))
        return True
    task = await reports_q.task(turn.session, report.task_id)
    if task is None:
        return False
    if withdraws:
        if turn.now - report.created_at > UNDO_WINDOW:
            await turn.reply(turn.tr("reporting.withdraw_too_late"))
            return True
        await take_back(services, turn, report)
        await turn.reply(turn.tr("reporting.undone", ref=html.escape(task.ref), title=html.escape(short_title(task))))
        return True
    percent, status, _dates = progress_of(_NOT_THIS.sub("", text), report.created_at)
    if moved_to is not None and percent is None and status is None:
        return await _move_own(services, turn, report, moved_to.group(1))
    if moved_to is not None:  # "I meant 1-13 is 90%": the right task and the right figure
        moved = await _move_own(services, turn, report, moved_to.group(1), quiet=True)
        if moved is None:
            return True
        task = moved
    if percent is None and status is None:
        measure = _MEASURE_MEANT.search(text) if "措施" in text or re.search(r"第.{1,2}[条项]", text) else None
        if measure is not None and (no := to_int(measure.group(1))) is not None and no in {m.no for m in task.measures}:
            return await _set_measure(services, turn, report, task, no)
        meant = _MOVED_TO_WORDS.search(text)
        target = await task_in_words(services, turn, meant.group("words")) if meant else None
        if target is not None:
            return await _move_own(services, turn, report, target.ref)
    if percent is None and status is None and re.search(r"\d", TASK_REF.sub("", text)) is not None:
        # "刚才那条数字说错了，是150公里": a figure of the work, not its progress; the record says it now
        return await _amend_words(services, turn, report, task, text)
    if percent is None and status is None:
        await turn.reply(turn.tr("reporting.correct_what"))
        return True
    if percent is None:  # "刚才说错了，是完成了7个" after "十个矿点完成了8个": seven of those ten
        said, before_counts = extract_counts(text), extract_counts(report.text)
        whole = before_counts.total
        if said.done is not None and said.total is None and said.remaining is None and whole and said.done <= whole:
            percent = round(100 * said.done / whole)
            status = DONE if percent == 100 else status
    if percent is not None and percent < 100 and status in (None, DONE):
        status = MOSTLY_DONE if percent >= 90 else ONGOING
    before = {"text": report.text, "percent": report.percent, "status": report.status_word}
    report.text = f"{report.text}\n{text}"
    report.percent, report.status_word = percent, status
    await turn.session.flush()
    if status != DONE:
        await reopen_milestone(turn.session, report)
    if report.unit_id is not None:
        await refresh_task_unit(turn.session, report.task_id, report.unit_id)
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="report.correct", subject=f"task:{report.task_id}",
        payload={"report": report.id, "before": before, "percent": percent, "status": status}, now=turn.now,
    )
    unit = await people.unit_name(turn.session, report.unit_id) or ""
    await turn.reply(turn.tr("reporting.corrected") + "\n" + confirmation(turn, task, report, unit), buttons=undo_button(turn, report))
    return True


async def _amend_words(services: Services, turn: Turn, report: Report, task: Task, text: str) -> bool:
    before = {"text": report.text}
    report.text = f"{report.text}\n{text}"
    await turn.session.flush()
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="report.correct", subject=f"task:{report.task_id}",
        payload={"report": report.id, "before": before, "text": text}, now=turn.now,
    )
    unit = await people.unit_name(turn.session, report.unit_id) or ""
    await turn.reply(turn.tr("reporting.corrected") + "\n" + confirmation(turn, task, report, unit), buttons=undo_button(turn, report))
    return True


async def _set_measure(services: Services, turn: Turn, report: Report, task: Task, no: int) -> bool:
    before = report.measure_no
    report.measure_no = no
    await turn.session.flush()
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="report.correct", subject=f"task:{report.task_id}",
        payload={"report": report.id, "before": {"measure": before}, "measure": no}, now=turn.now,
    )
    unit = await people.unit_name(turn.session, report.unit_id) or ""
    await turn.reply(turn.tr("reporting.corrected") + "\n" + confirmation(turn, task, report, unit), buttons=undo_button(turn, report))
    return True


@overload
async def _move_own(services: Services, turn: Turn, report: Report, ref: str) -> bool: ...
@overload
async def _move_own(services: Services, turn: Turn, report: Report, ref: str, *, quiet: Literal[True]) -> Task | None: ...
async def _move_own(services: Services, turn: Turn, report: Report, ref: str, *, quiet: bool = False) -> bool | Task | None:
    """The sender's own report put under the task they meant, if they may report on it.

    ``quiet``: a figure correction follows and its reply names the task; returns the task
    the report is now under, or None when the sender was told why it could not move."""
    who = await reporter_of(turn)
    found = [t for t in await reports_q.tasks_by_ref(turn.session, ref) if not t.archived]
    allowed = [t for t in found if who is not None and may_report(who, t.id)]
    if len(allowed) != 1:
        key = "reporting.named_outside" if found else "reporting.no_task"
        await turn.reply(turn.tr(key, ref=html.escape(ref), unit=html.escape(who.unit_name if who else "")))
        return None if quiet else True
    task = await reports_q.task(turn.session, allowed[0].id)
    if quiet and task is not None and task.id == report.task_id:
        return task
    if task is None or task.id == report.task_id:
        await turn.reply(turn.tr("reporting.move_same"))
        return None if quiet else True
    await move(services, turn, report, task)
    if quiet:
        return task
    await turn.reply(turn.tr("reporting.moved", id=report.id, ref=html.escape(task.ref), title=html.escape(short_title(task))))
    return True
