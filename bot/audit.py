"""The tamper-evident audit trail: every change appends an HMAC-chained event.

Each event's MAC covers its content and the previous MAC, keyed with
RECTIBOT_AUDIT_KEY, which lives outside the database: someone who can edit rows
cannot recompute the chain. The head is also written to the data directory after
each commit, so deleting the newest rows (and fixing up the head row) is detected
too. Ids are not required to be contiguous: a rolled-back append on PostgreSQL
burns a sequence value, and the chain of MACs, not the ids, carries the order.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from storage import audit as audit_q
from storage.models import AuditEvent

HEAD_FILE = "audit-head.json"
_PENDING = "rectibot.audit_head"
_LISTENING = "rectibot.audit_head_listener"


def _canonical(at: datetime, actor: str, action: str, subject: str, payload: dict[str, Any], prev: str) -> bytes:
    body = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload,
        "prev": prev,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_mac(key: bytes, at: datetime, actor: str, action: str, subject: str, payload: dict[str, Any], prev: str) -> str:
    return hmac.new(key, _canonical(at, actor, action, subject, payload, prev), hashlib.sha256).hexdigest()


def read_head_file(data_dir: Path) -> dict[str, Any] | None:
    path = data_dir / HEAD_FILE
    try:
        saved = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"last_id": None, "mac": None}
    return saved if isinstance(saved, dict) else {"last_id": None, "mac": None}


def write_head_file(data_dir: Path, last_id: int, mac: str) -> None:
    """Move the saved head forward only: a slower process must not write an older head."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / HEAD_FILE
    with open(data_dir / (HEAD_FILE + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = read_head_file(data_dir)
        if saved and isinstance(saved.get("last_id"), int) and saved["last_id"] > last_id:
            return
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"last_id": last_id, "mac": mac}))
        tmp.replace(path)


@dataclass(frozen=True)
class Auditor:
    key: bytes
    data_dir: Path

    async def append(
        self,
        session: AsyncSession,
        *,
        actor: str,
        action: str,
        subject: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> AuditEvent:
        """Append inside the caller's transaction, so the event commits with the change."""
        head = await audit_q.lock_head(session)
        clean = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
        mac = compute_mac(self.key, now, actor, action, subject, clean, head.mac)
        row = AuditEvent(at=now, actor=actor, action=action, subject=subject, payload=clean, prev_mac=head.mac, mac=mac)
        session.add(row)
        await session.flush()
        head.last_id = row.id
        head.mac = mac
        await session.flush()
        self._write_head_after_commit(session, row.id, mac)
        return row

    def _write_head_after_commit(self, session: AsyncSession, last_id: int, mac: str) -> None:
        """Write the head file once the outermost transaction commits.

        Savepoints (``begin_nested``) fire ``after_commit`` too, so those are skipped;
        a rolled-back transaction drops its pending head. Listeners are added once per
        session (sessions live for one unit of work).
        """
        sync = session.sync_session
        sync.info[_PENDING] = (self.data_dir, last_id, mac)
        if not sync.info.get(_LISTENING):
            sync.info[_LISTENING] = True
            event.listen(sync, "after_commit", _committed)
            event.listen(sync, "after_transaction_end", _ended)


def _committed(sync: Session) -> None:
    if sync.in_nested_transaction():
        return
    pending = sync.info.pop(_PENDING, None)
    if pending is not None:
        write_head_file(*pending)


def _ended(sync: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        sync.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Broken:
    event_id: int | None
    reason: str


async def verify(session: AsyncSession, key: bytes, data_dir: Path) -> Broken | None:
    """The first broken link, or None when the whole chain and both heads agree."""
    prev = ""
    last_id = 0
    for row in await audit_q.events(session):
        if row.prev_mac != prev:
            return Broken(row.id, f"event #{row.id}: its link to the event before it is broken (an event was deleted, inserted or replaced before it)")
        if compute_mac(key, row.at, row.actor, row.action, row.subject, row.payload, row.prev_mac) != row.mac:
            return Broken(row.id, f"event #{row.id}: content altered (or written without the audit key)")
        prev = row.mac
        last_id = row.id
    head = await audit_q.head(session)
    if head is None:
        if last_id:
            return Broken(last_id, f"the head row is missing after event #{last_id}")
    elif head.last_id != last_id or head.mac != prev:
        return Broken(
            last_id + 1 if head.last_id > last_id else head.last_id,
            f"newest events deleted or head row altered: the head row expects event #{head.last_id}, the chain ends at #{last_id}",
        )
    saved = read_head_file(data_dir)
    if saved is not None:
        saved_id = saved.get("last_id")
        if not isinstance(saved_id, int):
            return Broken(None, f"{HEAD_FILE} in the data directory is unreadable")
        if saved_id > last_id or (saved_id == last_id and saved.get("mac") != prev):
            return Broken(
                last_id + 1,
                f"newest events deleted: {HEAD_FILE} expects event #{saved_id}, the chain ends at #{last_id}",
            )
    return None


async def actor_name(session: AsyncSession, actor: str) -> str:
    """"person:12" / "tg:123" as the name a reader knows; anything else as written."""
    from storage import people
    from storage.models import Person

    kind, _, raw = actor.partition(":")
    if not raw.isdigit():
        return actor
    if kind == "person":
        person = await session.get(Person, int(raw))
        return person.name if person is not None else actor
    if kind in ("tg", "telegram"):
        bound = await people.person_by_telegram(session, int(raw))
        if bound is not None:
            return bound.name
        user = await people.get_user(session, int(raw))
        return user.first_name if user is not None and user.first_name else actor
    return actor
