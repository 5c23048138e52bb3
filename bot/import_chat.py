"""Importing a plan by sending the document to the bot: preview first, then Import or Cancel.

An admin sends the file in a private chat; the bot reads it, keeps the bytes under
``$RECTIBOT_DATA_DIR/imports/<sha256>`` and a pending row in the database, and answers
with what it understood and two signed buttons. Nothing is stored as a plan until the
uploader presses Import, so a misread document costs nothing; the pending row survives a
restart, and its state moves once, under a row lock, so a double press imports once.

Parsing (up to a few seconds for a PDF) runs in a worker thread before the turn opens,
so no database transaction waits on it.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from telegram import Update

from bot import callback_tokens
from bot.importer import MAX_BYTES, PlanReadError, parse_bytes, vocabulary
from bot.matching import teach
from bot.plandata import ImportNote, ParsedPlan
from bot.plans import similar_plan, store_plan
from bot.services import Services
from bot.turns import Turn
from storage import imports as imports_q
from storage import people
from storage import plans as plans_q
from storage.imports import PendingImport
from storage.models import Plan

log = logging.getLogger(__name__)

CALLBACK_KIND: Final = "i"
PLAN_SUFFIXES: Final = frozenset({".txt", ".docx", ".pdf", ".xlsx", ".csv"})
# These get the importer's own "save it as .docx/.xlsx" answer.
LEGACY_SUFFIXES: Final = frozenset({".doc", ".xls", ".wps", ".et", ".rtf"})
_IMPORT_CAPTION: Final = re.compile(r"导入|方案|import", re.IGNORECASE)
PREVIEW_TASKS: Final = 5
PREVIEW_NAMES: Final = 8
PREVIEW_WARNINGS: Final = 6
_TITLE_CHARS: Final = 40
_WARNING_CHARS: Final = 120
_PLAN_TITLE_CHARS: Final = 200


@dataclass(frozen=True)
class Upload:
    """A document as it arrived; ``data`` is None when it was not (or could not be) downloaded."""

    file_name: str
    size: int
    uploader: int
    chat_id: int
    data: bytes | None


def wants(file_name: str | None, caption: str | None) -> bool:
    """Whether an admin's private document is a plan to import rather than evidence.

    Evidence comes with a report in its caption (or as a reply to one, filtered by the
    handler); a plan comes alone or with a word such as 导入/方案/import.
    """
    suffix = Path(file_name or "").suffix.lower()
    caption = (caption or "").strip()
    asks = bool(_IMPORT_CAPTION.search(caption))
    if suffix in PLAN_SUFFIXES or suffix in LEGACY_SUFFIXES:
        # an old .doc/.xls sent alone is a plan in a format to re-save, not evidence of nothing
        return not caption or asks
    return False


def too_large(size: int) -> bool:
    return size > MAX_BYTES


async def is_admin(services: Services, telegram_id: int) -> bool:
    """Checked before the turn opens, because a non-admin's document belongs to the evidence area."""
    if services.is_configured_admin(telegram_id):
        return True
    async with services.factory() as session:
        person = await people.person_by_telegram(session, telegram_id)
    return person is not None and "admin" in (person.roles or [])


def stored_path(services: Services, sha256: str) -> Path:
    return services.settings.data_dir / "imports" / sha256


def _keep(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return
    tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


async def _parse(data: bytes, file_name: str) -> ParsedPlan:
    return await asyncio.to_thread(parse_bytes, data, file_name)


# ----------------------------------------------------------------- receiving a document


async def receive(services: Services, update: Update, upload: Upload) -> None:
    """Read the document and answer with a preview (or with what was wrong with it)."""
    parsed: ParsedPlan | None = None
    error: str | None = None
    crash: Exception | None = None
    if too_large(upload.size):
        error = "too_large"
    elif upload.data is None:
        error = "download"
    else:
        try:
            parsed = await _parse(upload.data, upload.file_name)
        except PlanReadError as exc:
            log.info("plan upload %r refused: %s", upload.file_name, exc)
            error = exc.code
        except Exception as exc:  # an importer bug: the turn logs it and apologises
            crash = exc
    data = upload.data

    async def run(turn: Turn) -> None:
        if crash is not None:
            raise crash
        if parsed is None or data is None:
            await turn.reply(turn.tr(f"imports.error.{error}") + "\n" + turn.tr("imports.error.nothing_stored"))
            return
        await _preview(services, turn, upload, parsed, data)

    await services.run_turn(update, run)


async def _preview(services: Services, turn: Turn, upload: Upload, parsed: ParsedPlan, data: bytes) -> None:
    _keep(stored_path(services, parsed.source_sha256), data)
    token = secrets.token_urlsafe(6)
    await imports_q.add(
        turn.session,
        PendingImport(
            token=token, sha256=parsed.source_sha256, file_name=upload.file_name, uploader=upload.uploader,
            chat_id=upload.chat_id, title=parsed.title, created_at=turn.now,
        ),
    )
    existing = await plans_q.plan_by_title(turn.session, parsed.title)
    similar = await similar_plan(turn.session, parsed) if existing is None else None
    note = ""
    if existing is not None:
        same = existing.source_sha256 == parsed.source_sha256
        note = turn.tr("imports.preview.same") if same else turn.tr("imports.preview.existing", when=_day(turn, existing))
    secret = services.settings.audit_key

    def button(label: str, answer: str) -> tuple[str, str]:
        return turn.tr(label), callback_tokens.sign(secret, CALLBACK_KIND, token, answer, to=upload.uploader)

    buttons = [[button("imports.button.import", "y"), button("imports.button.cancel", "n")]]
    if similar is not None:
        # Most of its tasks are a stored plan's under another title: a retitled draft, or a
        # different plan that looks alike. Only the admin knows, so both ways are offered.
        plan, same_tasks, total = similar
        note = turn.tr(
            "imports.preview.similar", title=html.escape(_short(plan.title, _PLAN_TITLE_CHARS)),
            when=_day(turn, plan), same=same_tasks, total=total,
        )
        buttons = [
            [button("imports.button.update", f"u{plan.id}")],
            [button("imports.button.as_new", "y"), button("imports.button.cancel", "n")],
        ]
    await turn.reply(preview_text(turn, parsed, upload.file_name, note), buttons=buttons)


def _day(turn: Turn, plan: Plan) -> str:
    return plan.imported_at.astimezone(turn.now.tzinfo).strftime("%Y-%m-%d")


def _names(turn: Turn, names: list[str]) -> str:
    shown = "、".join(html.escape(n) for n in names[:PREVIEW_NAMES])
    if len(names) > PREVIEW_NAMES:
        shown += turn.tr("imports.preview.and_more", n=len(names))
    return shown or "—"


def _short(text: str, limit: int = _TITLE_CHARS) -> str:
    """Cut long texts so the preview stays one readable message (Telegram's limit is 4,096)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _note(turn: Turn, note: ImportNote) -> str:
    return "· " + turn.tr(
        f"imports.note.{note.kind}", ref=html.escape(_short(note.ref)),
        text=html.escape(_short(note.text, _WARNING_CHARS)), read_as=html.escape(_short(note.read_as)),
    )


def preview_text(turn: Turn, parsed: ParsedPlan, file_name: str, note: str = "") -> str:
    """What the admin checks before pressing Import: counts, names, dates, what was not read."""
    units: Counter[str] = Counter()
    leaders: Counter[str] = Counter()
    dues: list[date] = []
    for task in parsed.tasks:
        units.update(task.all_units())
        leaders.update(dict.fromkeys([*task.leaders, *task.persons], 1))
        dues.extend(m.due for m in task.deadline.milestones if m.due is not None)
    lines = [
        turn.tr(
            "imports.preview.head", title=html.escape(_short(parsed.title, _PLAN_TITLE_CHARS)),
            year=parsed.year if parsed.year else "—", file=html.escape(file_name),
        ),
        turn.tr(
            "imports.preview.counts", tasks=len(parsed.tasks), measures=sum(len(t.measures) for t in parsed.tasks),
            units=len(units), people=len(leaders), milestones=len(dues),
        ),
    ]
    if dues:
        lines.append(turn.tr("imports.preview.span", first=min(dues).isoformat(), last=max(dues).isoformat()))
    # Most often named first: the names an admin will recognise at a glance.
    lines.append(turn.tr("imports.preview.units", names=_names(turn, [n for n, _ in units.most_common()])))
    lines.append(turn.tr("imports.preview.people", names=_names(turn, [n for n, _ in leaders.most_common()])))
    if parsed.warnings:
        lines.append(turn.tr("imports.preview.warnings", n=len(parsed.warnings)))
        lines.extend(_note(turn, w) for w in parsed.warnings[:PREVIEW_WARNINGS])
        if len(parsed.warnings) > PREVIEW_WARNINGS:
            lines.append(turn.tr("imports.preview.more_warnings", n=len(parsed.warnings) - PREVIEW_WARNINGS))
    else:
        lines.append(turn.tr("imports.preview.no_warnings"))
    lines.append(turn.tr("imports.preview.first", n=min(PREVIEW_TASKS, len(parsed.tasks))))
    for task in parsed.tasks[:PREVIEW_TASKS]:
        dated = [m.due for m in task.deadline.milestones if m.due is not None]
        if dated:
            when = turn.tr("imports.preview.due", due=max(dated).isoformat())
        elif task.deadline.ongoing:
            when = turn.tr("imports.preview.ongoing")
        elif task.deadline.immediate:
            when = turn.tr("imports.preview.immediate")
        else:
            when = ""
        lines.append(turn.tr("imports.preview.task", ref=html.escape(task.ref), title=html.escape(_short(task.title)), when=when))
    if note:
        lines.append(note)
    lines.append(turn.tr("imports.preview.ask"))
    return "\n".join(lines)


# ----------------------------------------------------------------- Import / Cancel


@dataclass(frozen=True)
class Press:
    token: str
    accept: bool
    addressee: callback_tokens.Token
    into: int | None = None  # the stored plan this document is a new version of (renamed)


_ANSWER = re.compile(r"^(?:y|n|u(\d{1,12}))$")


def read_press(services: Services, data: str) -> Press | None:
    try:
        token = callback_tokens.verify(services.settings.audit_key, data)
    except callback_tokens.BadToken:
        return None
    answer = _ANSWER.match(token.args[1]) if token.kind == CALLBACK_KIND and len(token.args) == 2 else None
    if answer is None:
        return None
    into = int(answer.group(1)) if answer.group(1) else None
    return Press(token=token.args[0], accept=token.args[1] != "n", addressee=token, into=into)


async def decide(services: Services, update: Update) -> None:
    """Import or cancel a previewed upload: only its uploader, only an admin, only once."""
    query = update.callback_query
    press = read_press(services, query.data or "") if query else None
    parsed: ParsedPlan | None = None
    if press is not None and press.accept:
        parsed = await _reparse(services, press.token)
    imported: list[ParsedPlan] = []

    async def run(turn: Turn) -> None:
        plan = await _decide(services, turn, press, parsed)
        if plan is not None:
            imported.append(plan)

    await services.run_turn(update, run)
    for plan in imported:
        # After the commit: jieba learns the plan's names; the matcher cache sees the new
        # tasks by itself (its signature changed) and rebuilds on next use.
        await asyncio.to_thread(teach, vocabulary(plan))


async def _reparse(services: Services, token: str) -> ParsedPlan | None:
    """The stored upload read again (parsing is deterministic); None if it is gone or pointless."""
    async with services.factory() as session:
        row = await imports_q.get(session, token)
    if row is None or row.state != "pending":
        return None
    path = stored_path(services, row.sha256)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return await _parse(data, row.file_name)
    except PlanReadError:
        return None


async def _decide(services: Services, turn: Turn, press: Press | None, parsed: ParsedPlan | None) -> ParsedPlan | None:
    query = turn.update.callback_query
    presser = turn.user.telegram_id if turn.user else 0
    if press is None or query is None:
        log.warning("forged import button from %s: %r", presser, query.data if query else None)
        await turn.answer_callback(turn.tr("imports.press.invalid"), alert=True)
        return None
    row = await imports_q.lock(turn.session, press.token)
    if row is None:
        await turn.answer_callback(turn.tr("imports.press.invalid"), alert=True)
        return None
    if not turn.is_admin or row.uploader != presser or not press.addressee.addressed_to(presser, is_admin=True):
        log.warning("import button of %s pressed by %s", row.uploader, presser)
        await turn.answer_callback(turn.tr("imports.press.not_yours"), alert=True)
        return None
    if row.state != "pending":
        await turn.answer_callback(turn.tr("imports.press.done", state=turn.tr(f"imports.state.{row.state}")), alert=True)
        return None
    message_id = query.message.message_id if query.message is not None else None
    if not press.accept:
        row.state, row.decided_at = "cancelled", turn.now
        if not await imports_q.others_pending(turn.session, row.sha256, row.token):
            stored_path(services, row.sha256).unlink(missing_ok=True)
        await turn.answer_callback(turn.tr("imports.answer.cancelled"))
        if message_id is not None:
            await turn.edit(message_id, turn.tr("imports.cancelled", title=html.escape(_short(row.title, _PLAN_TITLE_CHARS))))
        return None
    if parsed is None or parsed.source_sha256 != row.sha256:
        await turn.answer_callback(turn.tr("imports.press.missing"), alert=True)
        return None
    target: Plan | None = None
    if press.into is not None:
        target = await plans_q.plan_by_id(turn.session, press.into)
        if target is None:
            await turn.answer_callback(turn.tr("imports.press.invalid"), alert=True)
            return None
    named = await plans_q.plan_by_title(turn.session, parsed.title)
    current = target if target is not None else named
    taken = target is not None and named is not None and named.id != target.id  # imported under the new title since
    if taken or (current is not None and current.source_sha256 != row.sha256 and current.imported_at > row.created_at):
        # Another version was imported after this preview: importing it now would roll
        # the plan back to an older text without anyone noticing.
        row.state, row.decided_at = "stale", turn.now
        await turn.answer_callback(turn.tr("imports.press.stale"), alert=True)
        if message_id is not None:
            await turn.edit(message_id, turn.tr("imports.stale", title=html.escape(_short(row.title, _PLAN_TITLE_CHARS))))
        return None
    old_title = target.title if target is not None else None
    plan, changes = await store_plan(
        turn.session, parsed, auditor=services.auditor, now=turn.now, actor=f"tg:{presser}", into=target
    )
    row.state, row.decided_at, row.plan_id = "imported", turn.now, plan.id
    await turn.answer_callback(turn.tr("imports.answer.imported"))
    text = done_text(turn, parsed, changes, renamed_from=old_title)
    if message_id is not None:
        await turn.edit(message_id, text)
    else:
        await turn.reply(text)
    return parsed


_ORPHANS_SHOWN = 10


def done_text(
    turn: Turn, parsed: ParsedPlan, changes: dict[str, list[str]] | None, renamed_from: str | None = None
) -> str:
    title = html.escape(_short(parsed.title, _PLAN_TITLE_CHARS))
    if changes is None:
        text = turn.tr("imports.done.new", title=title, tasks=len(parsed.tasks))
        orphans = [t.ref for t in parsed.tasks if not t.lead_units and not t.units]
        if orphans:
            shown = "、".join(html.escape(r) for r in orphans[:_ORPHANS_SHOWN]) + ("…" if len(orphans) > _ORPHANS_SHOWN else "")
            text += "\n" + turn.tr("imports.done.no_units", n=len(orphans), refs=shown, example=html.escape(orphans[0]))
        return text
    renamed = turn.tr(
        "imports.done.renamed", old=html.escape(_short(renamed_from, _PLAN_TITLE_CHARS)), new=title
    ) if renamed_from and renamed_from != parsed.title else None
    if not any(changes.values()) and renamed is None:
        return turn.tr("imports.done.unchanged", title=title)
    lines = [
        turn.tr(
            "imports.done.updated", title=title, added=len(changes["added"]),
            removed=len(changes["removed"]), changed=len(changes["changed"]),
        )
    ]
    for what in ("added", "removed", "changed"):
        if changes[what]:
            lines.append(turn.tr(f"imports.done.{what}", refs=html.escape("、".join(changes[what]))))
    if renamed is not None:
        lines.append(renamed)
    return "\n".join(lines)
