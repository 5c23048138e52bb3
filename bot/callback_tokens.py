"""Signed callback data: buttons whose data nobody can forge or hand to someone else.

Telegram hands callback data back verbatim, and any client can send any data on
any message it can see, so a button's data is input like any other. We sign it:

    <kind>:<arg>:<arg>...:<to>:<sig>

``to`` is the addressee — a Telegram user id, or ``A`` for "any admin" — and
``sig`` the first 12 characters of base64url(HMAC-SHA256(key, everything before
it)). The key is derived from RECTIBOT_AUDIT_KEY, so it never sits in the database.
Data stays within Telegram's 64 bytes. A signature says the bot made the button;
whether the action may still happen (pressed twice, request already decided,
role revoked since) is the feature's check against the database at press time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

MAX_BYTES = 64
ANY_ADMIN = "A"
_SIG_LEN = 12


class BadToken(Exception):
    """The data was not made by this bot (or was altered)."""


@dataclass(frozen=True)
class Token:
    kind: str
    args: tuple[str, ...]
    to: str

    def addressed_to(self, telegram_id: int, *, is_admin: bool) -> bool:
        if self.to == ANY_ADMIN:
            return is_admin
        return self.to == str(telegram_id)


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, b"rectibot callback data v1", hashlib.sha256).digest()


def _sig(secret: bytes, body: str) -> str:
    digest = hmac.new(_key(secret), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_SIG_LEN]


def sign(secret: bytes, kind: str, *args: object, to: int | str) -> str:
    parts = [kind, *(str(a) for a in args), str(to)]
    if any(":" in p or not p for p in parts):
        raise ValueError("callback parts must be non-empty and free of ':'")
    body = ":".join(parts)
    data = f"{body}:{_sig(secret, body)}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def verify(secret: bytes, data: str) -> Token:
    body, _, sig = data.rpartition(":")
    if not body or not hmac.compare_digest(sig.encode(), _sig(secret, body).encode()):
        raise BadToken(data)
    parts = body.split(":")
    if len(parts) < 2:
        raise BadToken(data)
    return Token(kind=parts[0], args=tuple(parts[1:-1]), to=parts[-1])
