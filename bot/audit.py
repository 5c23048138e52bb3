"""The tamper-evident audit trail: every change appends an HMAC-chained event.

Each event's MAC covers its content and the previous MAC, keyed with
RECTIBOT_AUDIT_KEY, which lives outside the database: someone who can edit rows
cannot recompute the chain. The head is also written to the data directory after
each commit, so deleting the newest rows is detected too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage import audit as audit_q
from storage.models import AuditEvent

HEAD_FILE = "audit-head.json"


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
        self._write_head_after_commit(session, row.id, mac)
        return row

    def _write_head_after_commit(self, session: AsyncSession, last_id: int, mac: str) -> None:
        path = self.data_dir / HEAD_FILE

        def write(_: Session) -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"last_id": last_id, "mac": mac}))
            tmp.replace(path)

        event.listen(session.sync_session, "after_commit", write, once=True)


@dataclass(frozen=True)
class Broken:
    event_id: int | None
    reason: str


async def verify(session: AsyncSession, key: bytes, data_dir: Path) -> Broken | None:
    """The first broken link, or None when the whole chain and its head agree."""
    prev = ""
    last_id = 0
    expected_id = None
    for row in await audit_q.events(session):
        if expected_id is not None and row.id != expected_id:
            return Broken(expected_id, "event missing (ids are not contiguous)")
        if row.prev_mac != prev:
            return Broken(row.id, "previous-link mismatch (an event before it was removed or inserted)")
        if compute_mac(key, row.at, row.actor, row.action, row.subject, row.payload, row.prev_mac) != row.mac:
            return Broken(row.id, "content altered")
        prev = row.mac
        last_id = row.id
        expected_id = row.id + 1
    head = await audit_q.head(session)
    if head is not None and (head.last_id != last_id or head.mac != prev):
        return Broken(last_id + 1, "newest events deleted (head row does not match)")
    path = data_dir / HEAD_FILE
    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("last_id", 0) > last_id or (saved.get("last_id") == last_id and saved.get("mac") != prev):
            return Broken(last_id + 1, "newest events deleted (data-directory head is ahead)")
    return None
