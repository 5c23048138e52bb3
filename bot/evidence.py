"""Evidence: photos and files that prove a report, kept once under their SHA-256.

Only the handler touches Telegram (it downloads the bytes before the turn opens, so a
slow download never holds a database transaction); this service decides which report
a file belongs to — its caption, the message it replies to, or a report of the same
person in the same chat within the last five minutes — and stores it. A file whose caption
starts with 销号, or that follows the member's own 销号 request within five minutes, goes
to that sign-off request instead (its Evidence row has no report; the link is kept by
storage.signoffs). A file with no report or request to belong to is not stored at all:
evidence that proves nothing is noise.

An album arrives as several updates sharing a ``media_group_id``; they form one
evidence set, and one short summary is sent after the last item (a timer that each new
item restarts).
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import json
import os
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import matcher_cache
from bot import signoff as signoff_s
from bot.i18n import t
from bot.intent import has_progress, states_progress
from bot.matching import Candidate, MatchResult
from bot.reporting import (
    ASK_TOP,
    HOLD_WINDOW,
    Incoming,
    Reporter,
    actor_of,
    decide,
    held_key,
    may_report,
    record_and_confirm,
    report_for_reply,
    reporter_of,
    short_title,
    task_in_words,
)
from bot.turns import Turn
from storage import evidence as evidence_q
from storage import kv
from storage import outbox as outbox_q
from storage import reports as reports_q
from storage import signoffs as signoffs_q
from storage.db import create_engine, session_factory, transaction
from storage.models import Evidence, Report, SignOff, Task

if TYPE_CHECKING:
    import argparse

    from bot.config import Settings
    from bot.services import Services

IMAGES = {"jpg", "jpeg", "png", "heic"}
# WPS (wps, et) and OFD files are what government offices' own software saves; HEIC is an iPhone photo sent as a file
ALLOWED = {"pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "ppt", "pptx", *IMAGES}
MAX_BYTES = 20 * 1024 * 1024
ATTACH_WINDOW = timedelta(minutes=5)
SAME_TASK_WINDOW = timedelta(days=1)
ALBUM_WAIT = 0.5
ALBUM_SIZE = 10
KINDS = frozenset({"photo", "document"})
_TIMERS: dict[str, asyncio.Task[Any]] = {}


@dataclass(frozen=True)
class FileIn:
    """One photo or document message, without Telegram types."""

    kind: str
    file_id: str
    unique_id: str
    name: str
    mime: str | None
    size: int
    caption: str
    media_group_id: str | None
    chat_id: int
    message_id: int
    update_id: int
    reply_to: int | None = None


def extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def refusal(f: FileIn) -> tuple[str, dict[str, object]] | None:
    """Why a file is not taken, checked before anything is downloaded."""
    if f.kind == "document" and extension(f.name) not in ALLOWED:
        return "evidence.bad_type", {"name": html.escape(f.name or "?")}
    if f.size > MAX_BYTES:
        return "evidence.too_big", {
            "name": html.escape(f.name or "?"), "size": f"{f.size / 1048576:.1f}", "limit": MAX_BYTES // 1048576,
        }
    return None


def store_bytes(data_dir: Path, data: bytes) -> tuple[str, Path]:
    """Write ``data`` under its SHA-256 once, however often it is sent."""
    digest = hashlib.sha256(data).hexdigest()
    target = data_dir / "evidence" / digest[:2] / digest
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{digest}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return digest, target


@dataclass(frozen=True)
class Target:
    """Where a file goes: a report, a sign-off request, a report still being chosen, or nowhere.

    ``answered`` means the member was already told why the file is not taken.
    """

    report: Report | None = None
    waiting: bool = False
    signoff: SignOff | None = None
    answered: bool = False
    caption: tuple[Any, Incoming] | None = None


async def _named_signoff(services: Services, turn: Turn, f: FileIn) -> Target:
    """A caption starting with 销号: the unit's pending request for that task, or a new one from the caption."""
    person = turn.person
    if person is None or person.unit_id is None:
        await turn.reply(turn.tr("signoff.no_unit"))
        return Target(answered=True)
    ref, _summary = signoff_s.split_request(f.caption)
    task_id: int | None = None
    if ref is not None:
        found = await reports_q.tasks_by_ref(turn.session, ref)
        task_id = found[0].id if len(found) == 1 else None
    asked = None
    if ref is None or task_id is not None:
        asked = await signoffs_q.latest_pending(turn.session, person.unit_id, task_id=task_id)
    if asked is None:
        await signoff_s.request(services, turn, f.caption)
        asked = await signoffs_q.latest_pending(turn.session, person.unit_id, person_id=person.id, since=turn.now)
    return Target(signoff=asked) if asked is not None else Target(answered=True)


async def _target(services: Services, turn: Turn, f: FileIn) -> Target:
    """Where ``f`` belongs (see Target). A caption that names its task by number ("1-17
    现场照片") is a report on that task even when it states no progress."""
    session = turn.session
    if f.media_group_id:
        asked = await signoffs_q.of_group(session, f.media_group_id)
        if asked is not None:
            return Target(signoff=asked)
        earlier = await evidence_q.of_group(session, f.media_group_id)
        if earlier:
            first = earlier[0]
            if first.report_id is None:
                held = await kv.get(session, held_key(turn.person.id)) if turn.person is not None else None
                unasked = held and first.id in held.get("ids", []) and not held.get("pending")
                return Target() if unasked else Target(waiting=True)
            return Target(report=await reports_q.get(session, first.report_id))
        if not f.caption.strip() and await kv.get(session, f"evidence.orphan:{f.media_group_id}") is not None:
            return Target()
    if f.reply_to is not None:
        replied = await report_for_reply(session, f.chat_id, f.reply_to)
        if replied is not None:
            return Target(report=replied)
    if signoff_s.asks_for_signoff(f.caption):
        return await _named_signoff(services, turn, f)
    who = await reporter_of(turn)
    if who is None:
        return Target()
    words, result = f.caption.strip(), None
    index = await matcher_cache.current(session, services.extras)
    if words:
        result = _match_words(index, who, words)
    named = named_by_file(f)
    if named and (result is None or result.intent != "report" or result.decision == "nothing"):
        # "请查收" on "1-17整改情况报告.pdf": the caption names nothing, the file's name does
        by_name = _match_words(index, who, named)
        if by_name.intent == "report" and by_name.decision != "nothing":
            words, result = named, by_name
    if result is not None:
        if words != f.caption.strip() and who.person_id is not None and result.intent == "report" and result.decision != "nothing":
            # "验收报告.pdf" just after a report on the task it may be about: it backs that report
            recent = await reports_q.recent_of(session, who.person_id, f.chat_id, turn.now - ATTACH_WINDOW)
            if recent is not None and recent.task_id in {index.task_id(c.ref) for c in result.candidates}:
                return Target(report=recent)
        if result.decision == "accept" and result.accepted and who.person_id is not None and not states_progress(f.caption):
            # "1-16现场照片" after "1-16 完成60%" today: the photo backs that report, it is not another one.
            same_task = await reports_q.recent_of(
                session, who.person_id, f.chat_id, turn.now - SAME_TASK_WINDOW, task_ids=[int(result.accepted)]
            )
            if same_task is not None:
                return Target(report=same_task)
        if result.intent == "report" and result.decision != "nothing":
            # decided once the file is stored, so that the confirmation can say it holds the file
            msg = Incoming(text=words, chat_id=f.chat_id, message_id=f.message_id, update_id=f.update_id)
            return Target(caption=(result, msg))
    if who.person_id is not None:
        recent = await reports_q.recent_of(session, who.person_id, f.chat_id, turn.now - ATTACH_WINDOW)
        asked = await signoffs_q.latest_pending(session, who.unit_id, person_id=who.person_id, since=turn.now - ATTACH_WINDOW)
        if asked is not None and (recent is None or asked.requested_at >= recent.created_at):
            return Target(signoff=asked)
        if recent is not None:
            return Target(report=recent)
    return await _ask_which_task(services, turn, who, f)


_NAME_WORDS = re.compile(r"[\u4e00-\u9fff]{2}")
_NAME_SEPARATORS = re.compile(r"[_\s（）()【】\[\]]+")


def named_by_file(f: FileIn) -> str:
    """A document's own name as its caption ("1-17整改情况报告.pdf"), when it says something:
    a photo's name, or a scanner's "IMG_0231.pdf", names nothing."""
    if f.kind != "document" or not f.name:
        return ""
    stem = _NAME_SEPARATORS.sub(" ", unicodedata.normalize("NFKC", Path(f.name).stem)).strip()
    return stem if _NAME_WORDS.search(stem) else ""


def _match_words(index: Any, who: Reporter, words: str) -> MatchResult:
    """The task ``words`` name: as a report, by its number, else by its topic ("尾矿库现场排查照片")."""
    allowed = None if who.allowed is None else {str(i) for i in who.allowed}
    result: MatchResult = index.matcher.match(words, unit=who.unit_name, allowed_refs=allowed, preferred_refs={str(i) for i in who.own}, top=6)
    if result.intent != "report" or result.decision == "nothing":
        result = index.matcher.named(words, allowed_refs=allowed) or result
    if result.intent != "report" or result.decision == "nothing":
        result = index.matcher.match(words, unit=who.unit_name, allowed_refs=allowed, preferred_refs={str(i) for i in who.own}, top=3, topic=True)
    return result


RECENT_TASKS_WINDOW = timedelta(days=30)


async def _ask_which_task(services: Services, turn: Turn, who: Reporter, f: FileIn) -> Target:
    """A file that names no task and follows no report: the unit's only task takes it, or the
    sender is asked which of a few (the unit's, or those they reported on lately); the file
    waits for the answer."""
    ids = sorted(who.own)
    if len(ids) > ASK_TOP and who.person_id is not None:  # many tasks: the ones this person reported on lately
        recent = await reports_q.recent_tasks(turn.session, who.person_id, turn.now - RECENT_TASKS_WINDOW, ASK_TOP)
        ids = [i for i in recent if may_report(who, i)]
    own = [t for t in [await reports_q.task(turn.session, i) for i in ids] if t is not None and not t.archived]
    if not own or len(own) > ASK_TOP or (f.media_group_id and not f.caption.strip()):
        return Target()
    index = await matcher_cache.current(turn.session, services.extras)
    candidates = [Candidate(ref=str(t.id), measure=None, score=0) for t in own]
    if len(own) == 1 and len(who.own) == 1:
        result = MatchResult("report", candidates, "accept", candidates[0].ref)
    else:
        result = MatchResult("report", candidates, "ask", None)
    msg = Incoming(text=f.caption or f.name or "", chat_id=f.chat_id, message_id=f.message_id, update_id=f.update_id)
    report = await _decide_caption(services, turn, who, (result, msg), index, f, [], question="evidence.which_task")
    if report is not None:
        return Target(report=report)
    return Target(waiting=await kv.get(turn.session, f"reporting.pending:{f.update_id}") is not None)


async def on_file(services: Services, turn: Turn, f: FileIn, data: bytes | None) -> None:
    """Store one photo or document as evidence of the report it accompanies."""
    if turn.person is None and not turn.is_admin:
        if not turn.in_group:
            await turn.reply(turn.tr("unbound.text"))
        return
    if turn.in_group and await reports_q.group_chat(turn.session, f.chat_id) is None:
        return
    refused = refusal(f)
    if refused is not None:
        await turn.reply(turn.tr(refused[0], **refused[1]))
        return
    if data is None:
        await turn.reply(turn.tr("evidence.download_failed"))
        return
    target = await _target(services, turn, f)
    if target.answered:
        return
    if target.signoff is not None:
        await _attach_to_signoff(services, turn, f, data, target.signoff)
        return
    report, waiting, caption = target.report, target.waiting, target.caption
    who = await reporter_of(turn)
    held = report is None and not waiting and caption is None and who is not None and turn.person is not None and not turn.in_group
    if report is None and not waiting and not held and caption is None:
        if turn.person is None or turn.person.unit_id is None:  # a leader or the office: no unit's share to prove
            key = "evidence.no_unit_admin" if turn.is_admin else "evidence.no_unit"
            if f.media_group_id is None or await kv.put_once(turn.session, f"evidence.orphan:{f.media_group_id}", {"at": turn.now.isoformat()}):
                await turn.reply(turn.tr(key))
            return
        if f.media_group_id is None or await kv.put_once(turn.session, f"evidence.orphan:{f.media_group_id}", {"at": turn.now.isoformat()}):
            await turn.reply(turn.tr("evidence.no_report", **await turn.examples()))
        return
    if report is not None and who is not None and not may_report(who, report.task_id) and not turn.is_admin:
        await turn.reply(turn.tr("evidence.not_allowed"))
        return
    digest, path = store_bytes(services.settings.data_dir, data)
    task = await reports_q.task(turn.session, report.task_id) if report is not None else None
    index = await matcher_cache.current(turn.session, services.extras) if caption is not None else None
    sure_id = index.task_id(caption[0].accepted) if index and caption and caption[0].decision == "accept" and caption[0].accepted else None
    same = await evidence_q.same_file(turn.session, digest, task.id if task else sure_id, f.media_group_id)
    if same is not None:
        if caption is not None and index is not None and who is not None:  # the caption's report stands; the file is kept once
            await _decide_caption(services, turn, who, caption, index, f, [])
        elif f.media_group_id is None and task is not None:
            await turn.reply(turn.tr("evidence.duplicate", ref=html.escape(task.ref)))
        return
    row = await evidence_q.add(
        turn.session,
        Evidence(
            report_id=report.id if report else None,
            task_id=task.id if task else None,
            unit_id=report.unit_id if report else (who.unit_id if who else None),
            person_id=turn.person.id if turn.person else None,
            kind=f.kind,
            tg_file_id=f.file_id,
            tg_file_unique_id=f.unique_id,
            sha256=digest,
            stored_path=str(path.relative_to(services.settings.data_dir)),
            size=len(data),
            mime_type=f.mime,
            original_name=f.name,
            caption=f.caption or None,
            media_group_id=f.media_group_id,
            created_at=turn.now,
        ),
    )
    if caption is not None and index is not None and who is not None:
        # one reply: the caption's record says it holds the file, or the question keeps it for the answer
        replied = len(turn.outbox_ids)
        report = await _decide_caption(
            services, turn, who, caption, index, f, [row.id],
            question="reporting.ask" if caption[1].text == f.caption else "evidence.which_task",
        )
        if report is None:
            if await kv.get(turn.session, f"reporting.pending:{f.update_id}") is not None:
                if turn.person is not None:  # asked which task: the words that follow may say it
                    await _remember(turn, turn.person.id, row.id, pending=f.update_id)
            elif turn.person is not None and not turn.in_group and await _caption_answered(turn, f, replied):
                # the caption was answered (a task not the unit's): held quietly, a second reply would contradict it
                await _remember(turn, turn.person.id, row.id)
                if f.media_group_id is not None:  # the album's other files stay quiet; its summary sends that answer
                    await kv.put_once(turn.session, f"evidence.orphan:{f.media_group_id}", {"at": turn.now.isoformat()})
                return
            elif turn.person is not None and not turn.in_group:
                await _hold(turn, turn.person.id, row.id, f)
                return
        task = await reports_q.task(turn.session, report.task_id) if report is not None else None
    elif held and turn.person is not None:
        await _hold(turn, turn.person.id, row.id, f)
        return
    if waiting and f.media_group_id is None and caption is None:
        pending = await kv.get(turn.session, f"reporting.pending:{f.update_id}")
        if pending is not None:
            await kv.put(turn.session, f"reporting.pending:{f.update_id}", {**pending, "evidence": [*pending["evidence"], row.id]})
            if turn.person is not None and report is None:  # asked which task: the words that follow may say it
                await _remember(turn, turn.person.id, row.id, pending=f.update_id)
    elif waiting and f.media_group_id is not None and turn.person is not None and report is None:
        # an album asked about: its files wait for the button, or for the words that follow
        held_now = await kv.get(turn.session, held_key(turn.person.id))
        asked_key = await _asked_about_album(turn, f.media_group_id)
        if asked_key is not None and (not held_now or row.id not in held_now.get("ids", [])):
            await _remember(turn, turn.person.id, row.id, pending=asked_key)
    await services.auditor.append(
        turn.session, actor=f"tg:{turn.update.effective_user.id if turn.update.effective_user else '?'}",
        action="evidence.add", subject=f"task:{task.id}" if task else "task:pending",
        payload={"evidence": row.id, "sha256": digest, "report": report.id if report else None}, now=turn.now,
    )
    if f.media_group_id is None and task is not None and caption is None:
        await turn.reply(turn.tr("evidence.saved", count=1, ref=html.escape(task.ref), title=html.escape(short_title(task))))


async def _decide_caption(
    services: Services, turn: Turn, who: Reporter, caption: tuple[Any, Incoming], index: Any, f: FileIn,
    evidence_ids: list[int], *, question: str = "reporting.ask",
) -> Report | None:
    """Record or ask about what a caption reports. An album's caption is answered once, after
    its last photo (:func:`_album_summary`), so the reply can count every file."""
    if f.media_group_id is not None:
        turn.hold_replies()
    try:
        report = await decide(
            services, turn, who, caption[1], caption[0], index, evidence_ids=evidence_ids, media_group_id=f.media_group_id,
            question=question,
        )
    finally:
        kept = turn.release_held() if f.media_group_id is not None else []
    if kept:
        await kv.put(turn.session, _album_replies_key(f.media_group_id or ""), {
            "items": kept, "update_id": turn.update.update_id, "report": report.id if report is not None else None,
            "asked": await kv.get(turn.session, f"reporting.pending:{f.update_id}") is not None,
        })
    return report


async def _caption_answered(turn: Turn, f: FileIn, replied: int) -> bool:
    """Whether deciding the caption already told the sender something (an album's words are kept for its summary)."""
    if f.media_group_id is None:
        return len(turn.outbox_ids) > replied
    return await kv.get(turn.session, _album_replies_key(f.media_group_id)) is not None


def _album_replies_key(media_group_id: str) -> str:
    return f"evidence.album_replies:{media_group_id}"


# "这是1-13的现场照片", "以上材料是1-16的验收报告": words about the files just sent, after them.
_ABOUT_FILES = re.compile(
    r"^(?:这|这些|这个|这张|这几张|这份|以上|上述|上面|上边|刚才|刚刚|前面|附件|图片|照片)[^，,。；;!！?？]{0,24}?"
    r"(?:照片|图片|相片|截图|材料|文件|报告|附件|资料|台账|视频|佐证|图)"
)


async def words_about_files(services: Services, turn: Turn, msg: Incoming, text: str) -> bool:
    """Words that say which task the files just sent are for, after them; True if handled.

    Files that came without a caption were filed by a guess (the sender's last report) or
    held; "这是1-13的现场照片" confirms the guess, "以上材料是1-16的验收报告" puts them where
    they belong (under the sender's recent report on 1-16, or under these words as its report).
    Words that also report progress make that report, and the files go with it.
    """
    if turn.person is None or _ABOUT_FILES.search(unicodedata.normalize("NFKC", text).strip()) is None:
        return False
    who = await reporter_of(turn)
    if who is None or who.person_id is None:
        return False
    recent = await evidence_q.recent_of_person(turn.session, who.person_id, turn.now - HOLD_WINDOW)
    explained = {e.media_group_id for e in recent if e.caption and e.media_group_id}
    files = []
    for e in recent:
        if e.caption or e.media_group_id in explained or (e.report_id is None and e.task_id is not None):
            continue  # explained already, or a sign-off's
        if e.report_id is None:
            here = not turn.in_group  # held files: only ever in a private chat
        else:
            report = await reports_q.get(turn.session, e.report_id)
            here = report is not None and report.chat_id == msg.chat_id
        if here:
            files.append(e)
    if not files:
        return False
    index = await matcher_cache.current(turn.session, services.extras)
    named = [index.task_id(ref) for ref in dict.fromkeys(index.matcher.named_refs(text))]
    task = await reports_q.task(turn.session, named[0]) if len(named) == 1 and may_report(who, named[0]) else None
    if task is None and not named:
        task = await task_in_words(services, turn, text)
    if task is None or task.archived:
        return False
    away = [e for e in files if e.task_id != task.id]
    await evidence_q.explain(turn.session, [e.id for e in files], text[:500])  # explained: later words do not move them
    if states_progress(text) or has_progress(text):
        if away:  # the report these words make takes them
            await _hold_again(turn, who.person_id, [e.id for e in away])
        return False
    if not away:
        await turn.reply(turn.tr("evidence.filed_already", n=len(files), ref=html.escape(task.ref), title=html.escape(short_title(task))))
        return True
    report = await reports_q.recent_of(turn.session, who.person_id, msg.chat_id, turn.now - SAME_TASK_WINDOW, task_ids=[task.id])
    if report is None:  # no report on it yet: these words are one, as a caption naming its task is
        await _hold_again(turn, who.person_id, [e.id for e in away])
        await record_and_confirm(services, turn, who, msg, task, measure_no=None, source="chat")
        return True
    await evidence_q.attach_ids(turn.session, [e.id for e in away], report_id=report.id, task_id=task.id, unit_id=report.unit_id)
    await services.auditor.append(
        turn.session, actor=actor_of(turn), action="evidence.move", subject=f"task:{task.id}",
        payload={"evidence": [e.id for e in away], "report": report.id}, now=turn.now,
    )
    await turn.reply(turn.tr("evidence.refiled", n=len(away), ref=html.escape(task.ref), title=html.escape(short_title(task))))
    return True


async def _hold_again(turn: Turn, person_id: int, ids: list[int]) -> None:
    await evidence_q.hold_again(turn.session, ids)
    for evidence_id in ids:
        await _remember(turn, person_id, evidence_id)


async def _asked_about_album(turn: Turn, media_group_id: str) -> int | None:
    """The key of the open "which task" question this album's caption raised, if any."""
    user = turn.update.effective_user
    asked = await kv.get(turn.session, f"reporting.asked:{user.id}") if user is not None else None
    if asked is None:
        return None
    pending = await kv.get(turn.session, f"reporting.pending:{asked['pending']}")
    if pending is None or pending.get("done") or pending.get("media_group_id") != media_group_id:
        return None
    return int(asked["pending"])


async def _remember(turn: Turn, person_id: int, evidence_id: int, *, pending: int | None = None) -> None:
    """Keep the file for the report the sender's next words make (within five minutes).
    ``pending``: the question asked about the file, which those words then answer."""
    key = held_key(person_id)
    held = await kv.get(turn.session, key)
    fresh = not held or not held.get("ids") or turn.now - datetime.fromisoformat(held["at"]) > HOLD_WINDOW
    ids = [evidence_id] if fresh or held is None else [*held["ids"], evidence_id]
    questions = [] if fresh or held is None else list(held.get("pending") or [])
    if pending is not None and pending not in questions:
        questions.append(pending)
    await kv.put(turn.session, key, {"ids": ids, "at": turn.now.isoformat(), "pending": questions})


async def _hold(turn: Turn, person_id: int, evidence_id: int, f: FileIn) -> None:
    """A file that names no task and follows no report waits five minutes for the words
    that explain it; the sender is told so once (once per album)."""
    await _remember(turn, person_id, evidence_id)
    if f.media_group_id is None or await kv.put_once(turn.session, f"evidence.orphan:{f.media_group_id}", {"at": turn.now.isoformat()}):
        await turn.reply(turn.tr("evidence.held", **await turn.examples()))
        if f.media_group_id is not None:  # told here; the album's own summary would say it again
            await kv.put_once(turn.session, f"evidence.album:{f.media_group_id}", {"at": turn.now.isoformat()})


async def _attach_to_signoff(services: Services, turn: Turn, f: FileIn, data: bytes, signoff: SignOff) -> None:
    """Keep the file once and link it to the request; the admins hear of it (albums: after the last item)."""
    digest, path = store_bytes(services.settings.data_dir, data)
    row = await evidence_q.same_file(turn.session, digest, signoff.task_id, f.media_group_id)
    if row is None:
        row = await evidence_q.add(
            turn.session,
            Evidence(
                report_id=None, task_id=signoff.task_id, unit_id=signoff.unit_id,
                person_id=turn.person.id if turn.person else None, kind=f.kind, tg_file_id=f.file_id,
                tg_file_unique_id=f.unique_id, sha256=digest, stored_path=str(path.relative_to(services.settings.data_dir)),
                size=len(data), mime_type=f.mime, original_name=f.name, caption=f.caption or None,
                media_group_id=f.media_group_id, created_at=turn.now,
            ),
        )
    linked = await signoffs_q.link_evidence(turn.session, signoff.id, row.id, f.media_group_id)
    if not linked:
        if f.media_group_id is None:
            task = await reports_q.task(turn.session, signoff.task_id)
            await turn.reply(turn.tr("evidence.duplicate", ref=html.escape(task.ref if task else "?")))
        return
    await services.auditor.append(
        turn.session, actor=f"tg:{turn.update.effective_user.id if turn.update.effective_user else '?'}",
        action="evidence.add", subject=f"task:{signoff.task_id}",
        payload={"evidence": row.id, "sha256": digest, "signoff": signoff.id}, now=turn.now,
    )
    if f.media_group_id is not None:
        return
    told = await signoff_s.evidence_added(turn.session, services, signoff, turn.now, turn=turn)
    if told is not None:
        task, count = told
        await turn.reply(turn.tr("signoff.evidence_attached", ref=html.escape(task.ref), title=html.escape(short_title(task)), count=count))


def summarize_album_later(services: Services, media_group_id: str, chat_id: int, lang: str) -> None:
    """(Re)start the album's timer: one summary after its last item."""
    old = _TIMERS.pop(media_group_id, None)
    if old is not None and not old.done():
        old.cancel()
    _TIMERS[media_group_id] = services.spawn(_album_summary(services, media_group_id, chat_id, lang))


async def _album_summary(services: Services, media_group_id: str, chat_id: int, lang: str) -> None:
    await asyncio.sleep(ALBUM_WAIT)
    _TIMERS.pop(media_group_id, None)
    now = services.clock.now()
    async with transaction(services.factory) as session:
        rows = await evidence_q.of_group(session, media_group_id)
        if not rows or not await kv.put_once(session, f"evidence.album:{media_group_id}", {"at": now.isoformat()}):
            return
        kept = await kv.get(session, _album_replies_key(media_group_id))
        if kept and kept.get("items"):
            await _send_kept(session, kept, media_group_id, rows, lang, now)
        else:
            await _send_summary(session, services, media_group_id, chat_id, rows, lang, now)
    if services.sender:
        await services.sender.deliver()


async def _send_kept(
    session: Any, kept: dict[str, Any], media_group_id: str, rows: list[Evidence], lang: str, now: datetime
) -> None:
    """The caption's own answer, kept back until the album was complete, now with every file counted:
    the record holds them, or the question keeps them for the task chosen."""
    items: list[dict[str, Any]] = list(kept["items"])
    report_id = kept.get("report")
    filed = [r for r in rows if report_id is not None and r.report_id == report_id]
    note = (
        t(lang, "reporting.with_files", n=len(filed)) if filed
        else t(lang, "evidence.album_waits", n=len(rows)) if kept.get("asked") and report_id is None
        else ""
    )
    if note:
        items[-1] = {**items[-1], "text": f"{items[-1]['text']}\n{note}"}
    for k, payload in enumerate(items):
        await outbox_q.enqueue(
            session, key=f"album:{media_group_id}" + (f":{k}" if k else ""), kind="reply", chat_id=int(payload["chat_id"]),
            method="sendMessage", payload=payload, now=now, update_id=kept.get("update_id"),
        )


async def _send_summary(
    session: Any, services: Services, media_group_id: str, chat_id: int, rows: list[Evidence], lang: str, now: datetime
) -> None:
    asked = await signoffs_q.of_group(session, media_group_id)
    told = await signoff_s.evidence_added(session, services, asked, now) if asked is not None else None
    task = await reports_q.task(session, rows[0].task_id) if rows[0].task_id else None
    if told is not None:
        text = t(lang, "signoff.evidence_attached", ref=html.escape(told[0].ref), title=html.escape(short_title(told[0])), count=told[1])
    elif task is not None:
        text = t(lang, "evidence.saved", count=len(rows), ref=html.escape(task.ref), title=html.escape(short_title(task)))
    else:
        text = t(lang, "evidence.saved_pending", count=len(rows))
    await outbox_q.enqueue(
        session, key=f"album:{media_group_id}", kind="reply", chat_id=chat_id, method="sendMessage",
        payload={"chat_id": chat_id, "text": text, "parse_mode": "HTML"}, now=now,
    )


# ---------------------------------------------------------------- sending back


async def _visible_task(turn: Turn, ref: str) -> Task | str:
    """The task named by ``ref`` if this chat may see it, else the catalog key saying why not.

    In a group the group's registration bounds what is shown, as for every query: files
    are the most sensitive thing the bot holds.
    """
    from bot.cards import Viewer

    found = await reports_q.tasks_by_ref(turn.session, ref)
    if len(found) != 1:
        return "evidence.no_task"
    visible = await Viewer.of(turn).visibility(turn.session)
    if visible.counts_only:
        return "q.group.counts_only"
    if not visible.allows(found[0].id):
        return "q.task.not_yours"
    return found[0]


_REF_PART = r"(?P<ref>(?:\d+:)?\d{1,3}(?:[-.]\d{1,3}){0,2})"
_ASKED_BY = r"^(?:请|麻烦)?(?:看看?|查看|看一下|发一下|发下|调取|调阅|把)?(?:任务)?" + _REF_PART + r"(?:号任务|任务)?的?"
_EVIDENCE_REQUEST = re.compile(
    _ASKED_BY
    + r"(?:有哪些|有什么|有没有|都有哪些|有多少|有几份|有|(?:都)?(?:交|提交|上传|报|报送)(?:了|过)(?:哪些|什么|几份))?"
    r"(?:(?:进展|情况|进度)(?:和|及|与|、|以及))?"
    r"(?:佐证材料|佐证|证明材料|整改材料|现场照片|材料|照片|图片|相片|附件)(?:都|全部)?"
    r"(?:发我|发给我|发过来|发来|看看|给我看看|发我看看|发给我看看|有哪些|有什么|有没有|呢|吗|没|没有|了吗|齐了吗)?[。!！?？]*$"
)
# "1-17的报告发我": 报告 and 文件 alone may mean the reports sent in chat; with a verb asking
# for them to be sent they can only be the files.
_FILE_REQUEST = re.compile(
    _ASKED_BY + r"(?:整改|验收|情况|总结|书面)*(?:报告|文件|文档|原件)(?:都|全部)?(?:发我|发给我|发过来|发来|发我看看|发给我看看)[。!！?？]*$"
)
_ENGLISH_REQUEST = re.compile(
    r"^(?:please)?(?:send|give|forward)(?:me)?(?:the|all)?(?:evidence|photos?|pictures?|images?|files|documents?|attachments?)"
    r"(?:of|for|on)(?:task)?" + _REF_PART + r"(?:please)?[.!?]*$",
    re.I,
)
_PHOTO_WORDS = re.compile(r"照片|图片|相片|影像|截图|photo|picture|image", re.I)
_FILE_WORDS = re.compile(r"报告|文件|文档|原件|file|document", re.I)


def _request_words(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def evidence_request(text: str) -> str | None:
    """"1-17的佐证材料", "看看1-10的照片", "1-17的报告发我": the task whose evidence is asked for, as /evidence."""
    words = _request_words(text)
    m = _EVIDENCE_REQUEST.match(words) or _FILE_REQUEST.match(words) or _ENGLISH_REQUEST.match(words)
    return m.group("ref") if m else None


_UNIT_REQUEST = re.compile(
    r"^(?:请|麻烦)?(?:看看?|查看|看一下|调取|调阅|把)?"
    r"(?P<unit>[\u4e00-\u9fff()]{2,24}?(?:局|委|办|院|部|厅|署|中心|政府|管委会|台|队|所|站))的?"
    r"(?:佐证材料|佐证|证明材料|整改材料|现场照片|材料|照片|图片|附件)(?:都|全部)?"
    r"(?:发我|发给我|发过来|发来|看看|给我看看|发我看看|有哪些|有什么|有没有|有多少|呢|吗|清单)?[。!！?？]*$"
)


def unit_evidence_request(text: str) -> str | None:
    """"市水利局的佐证材料": the unit whose evidence is asked for (its name as written)."""
    m = _UNIT_REQUEST.match(_request_words(text))
    return m.group("unit") if m and not re.search(r"\d", m.group("unit")) else None


def requested_kinds(text: str) -> frozenset[str]:
    """Which files the words ask for: 照片 the photos, 报告/文件 the documents, 材料/佐证 both."""
    words = _request_words(text)
    photos, files = bool(_PHOTO_WORDS.search(words)), bool(_FILE_WORDS.search(words))
    if photos != files:
        return frozenset({"photo"} if photos else {"document"})
    return KINDS


async def send_back(services: Services, turn: Turn, args: list[str], kinds: frozenset[str] = KINDS) -> None:
    """/evidence <task>: the task's evidence as albums (photos and documents apart); words
    that ask for the photos only (or the files only) get those, and are told what else there is."""
    if turn.person is None and not turn.is_admin:
        await turn.reply(turn.tr("unbound.text"))
        return
    if len(args) != 1:
        await turn.reply(turn.tr("evidence.usage", **await turn.examples()))
        return
    task = await _visible_task(turn, args[0])
    if isinstance(task, str):
        await turn.reply(turn.tr(task, ref=html.escape(args[0]), refs=html.escape(args[0])))
        return
    every = await evidence_q.of_task(turn.session, task.id)
    if not every:
        await turn.reply(turn.tr("evidence.none", ref=html.escape(task.ref)))
        return
    rows = [r for r in every if _kind(r) in kinds]
    others = len(every) - len(rows)
    ref, title = html.escape(task.ref), html.escape(short_title(task))
    if kinds == KINDS:
        await turn.reply(turn.tr("evidence.listing", ref=ref, title=title, count=len(rows)))
    elif not rows:
        await turn.reply(turn.tr(f"evidence.no_{_kind_word(kinds)}", ref=ref, title=title, others=others))
        return
    else:
        head = turn.tr(f"evidence.listing_{_kind_word(kinds)}", ref=ref, title=title, count=len(rows))
        if others:
            head += "\n" + turn.tr(f"evidence.also_{_kind_word(KINDS - kinds)}", ref=ref, others=others)
        await turn.reply(head)
    data_dir = services.settings.data_dir
    for kind in ("photo", "document"):
        items = [r for r in rows if (r.kind == "photo") == (kind == "photo")]
        for start in range(0, len(items), ALBUM_SIZE):
            chunk = items[start : start + ALBUM_SIZE]
            if len(chunk) == 1:
                row = chunk[0]
                await turn.send_file(
                    str(data_dir / row.stored_path),
                    caption=html.escape(row.caption) if row.caption else None,
                    document=kind == "document",
                    filename=row.original_name or Path(row.stored_path).name,
                )
            else:
                await turn.send_album(
                    [(str(data_dir / r.stored_path), html.escape(r.caption) if r.caption else None) for r in chunk],
                    documents=kind == "document",
                )


async def unit_listing(turn: Turn, name: str) -> bool:
    """"市水利局的佐证材料": what a unit has filed, task by task, counted, for the tasks this chat
    may see; /evidence sends the files of one task. False if ``name`` is no unit of the plan."""
    from bot.cards import Viewer
    from bot.unit_names import find_unit, unit_keys
    from storage import ledger as ledger_q

    found = find_unit(name, unit_keys(await ledger_q.units_with_aliases(turn.session)))
    if found is None or len(name) > len(found[1]) + 4:
        return False
    unit_id, unit_name = found
    visible = await Viewer.of(turn).visibility(turn.session)
    if visible.counts_only:
        await turn.reply(turn.tr("q.group.counts_only"))
        return True
    by_task: dict[int, dict[str, int]] = {}
    for task_id, kind, n in await evidence_q.counts_of_unit(turn.session, unit_id):
        if visible.allows(task_id):
            counts = by_task.setdefault(task_id, {"photo": 0, "document": 0})
            counts["photo" if kind == "photo" else "document"] += n
    tasks = [t for t in [await reports_q.task(turn.session, i) for i in by_task] if t is not None]
    if not tasks:
        await turn.reply(turn.tr("evidence.unit_none", unit=html.escape(unit_name)))
        return True
    tasks.sort(key=lambda t: [int(p) if p.isdigit() else 0 for p in re.split(r"[-.:]", t.ref)])
    lines = [turn.tr("evidence.unit_listing", unit=html.escape(unit_name), count=sum(sum(c.values()) for c in by_task.values()))]
    lines += [
        turn.tr(
            "evidence.unit_line", ref=html.escape(t.ref), title=html.escape(short_title(t)),
            photos=by_task[t.id]["photo"], documents=by_task[t.id]["document"],
        )
        for t in tasks
    ]
    lines.append(turn.tr("evidence.unit_fetch", ref=html.escape(tasks[0].ref)))
    await turn.reply("\n".join(lines))
    return True


def _kind(row: Evidence) -> str:
    """What the file shows: a picture sent as a file is a photo to whoever asks for the photos."""
    if row.kind == "photo" or extension(row.original_name or "") in IMAGES:
        return "photo"
    return "document"


def _kind_word(kinds: frozenset[str]) -> str:
    return "photos" if kinds == {"photo"} else "documents"


# ---------------------------------------------------------------- export


INDEX_COLUMNS = ("序号", "文件", "原文件名", "类型", "大小(字节)", "单位", "报送人", "时间", "说明", "SHA-256")


def _index_sheet(task: Task, rows: list[tuple[Evidence, str, str, str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "销号材料"
    sheet.append([f"{task.ref} {task.title}"])
    sheet.append(list(INDEX_COLUMNS))
    for n, (row, arcname, unit, person) in enumerate(rows, 1):
        sheet.append([
            n, arcname, row.original_name or "", row.kind, row.size, unit, person,
            row.created_at.isoformat(timespec="minutes"), row.caption or "", row.sha256,
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def export_task(settings: Settings, ref: str, out: Path | None) -> tuple[dict[str, Any], int]:
    """``rectibot evidence export <task>``: a zip of the task's files and an index sheet."""
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            found = await reports_q.tasks_by_ref(session, ref)
            if len(found) != 1:
                return {"error": f"no single task {ref!r}" if found else f"no task {ref!r}"}, 1
            task = found[0]
            listed: list[tuple[Evidence, str, str, str]] = []
            for n, row in enumerate(await evidence_q.of_task(session, task.id), 1):
                unit = (await reports_q.unit(session, row.unit_id)) if row.unit_id else None
                person = await reports_q.person(session, row.person_id)
                name = row.original_name or Path(row.stored_path).name
                if row.kind == "photo" and not Path(name).suffix:
                    name += ".jpg"
                listed.append((row, f"files/{n:03d}_{Path(name).name}", unit.name if unit else "", person.name if person else ""))
    finally:
        await engine.dispose()
    target = out or Path(f"evidence-{ref.replace(':', '_')}.zip")
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.xlsx", _index_sheet(task, listed))
        for row, arcname, _unit, _person in listed:
            source = settings.data_dir / row.stored_path
            if source.is_file():
                archive.write(source, arcname)
            else:
                missing.append(arcname)
    return {"task": task.ref, "path": str(target), "files": len(listed) - len(missing), "missing": missing}, 0


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    result, code = asyncio.run(export_task(settings, args.task, Path(args.out) if args.out else None))
    if code:
        print(result["error"], file=sys.stderr)
        return code
    print(json.dumps(result, ensure_ascii=False))
    return 0
