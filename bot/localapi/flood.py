"""Telegram's flood limits, accounted on the bot's clock.

Telegram answers 429 when a bot sends faster than it tolerates.  The bot must survive that
(``AIORateLimiter`` retries, the sender paces), and the only way to prove it offline is a fake
that enforces the same limits.  They are token buckets read from ``clock.monotonic()``, so on a
virtual clock nothing refills until the test moves time: a burst is a burst however slowly the
test machine runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.clock import Clock


@dataclass
class TokenBucket:
    capacity: float
    rate: float
    tokens: float
    last: float

    def refill(self, now: float) -> None:
        if now > self.last:
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = max(self.last, now)

    def wait(self) -> float:
        """Seconds until one token is available (0 if one is)."""
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


class FloodControl:
    """Per private chat a burst of 5 then 1/s, per group 20/min, overall 30/s.

    One send takes a token from every bucket it touches, or from none: a refused message must
    not use up quota, otherwise a retrying bot could never get through.
    """

    def __init__(
        self,
        clock: Clock,
        private_burst: int = 5,
        private_per_second: float = 1.0,
        group_per_minute: int = 20,
        global_per_second: int = 30,
    ) -> None:
        self.clock = clock
        self.private_burst = private_burst
        self.private_per_second = private_per_second
        self.group_per_minute = group_per_minute
        self.global_per_second = global_per_second
        self.enabled = True
        self._chats: dict[int, TokenBucket] = {}
        self._global: TokenBucket | None = None

    def _bucket_for_chat(self, chat_id: int, now: float) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if chat_id > 0:
                bucket = TokenBucket(
                    self.private_burst, self.private_per_second, self.private_burst, now
                )
            else:
                bucket = TokenBucket(
                    self.group_per_minute, self.group_per_minute / 60.0, self.group_per_minute, now
                )
            self._chats[chat_id] = bucket
        return bucket

    def take(self, chat_id: int) -> int | None:
        """Consume one send for ``chat_id``; ``None`` if allowed, else ``retry_after`` seconds."""
        if not self.enabled:
            return None
        now = self.clock.monotonic()
        if self._global is None:
            self._global = TokenBucket(
                self.global_per_second, self.global_per_second, self.global_per_second, now
            )
        buckets = [self._global, self._bucket_for_chat(chat_id, now)]
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait() for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait - 1e-9))
        for bucket in buckets:
            bucket.tokens -= 1.0
        return None

    def reset(self) -> None:
        self._chats.clear()
        self._global = None
