"""Per-chat pacing in front of PTB's AIORateLimiter.

AIORateLimiter enforces the overall and group limits but not Telegram's per-private-chat
one (a burst, then about one message a second), and its limiter and retry sleeps run on
the event loop's real time. Our buckets run on the bot clock, so a virtual clock in
tests and ``simulate`` paces exactly like production without anyone sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bot.clock import Clock

JSONDict = dict[str, Any]

# Methods Telegram counts against flood limits; callback answers and chat actions are not messages.
PACED_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendmediagroup",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "copymessage",
        "forwardmessage",
    }
)


@dataclass
class Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    stamp: float

    def wait_time(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class Pacer:
    """Token buckets: private chat 5 then 1/s, group 20/min, overall 30/s."""

    PRIVATE = (5.0, 1.0)
    GROUP = (20.0, 20.0 / 60.0)
    OVERALL = (30.0, 30.0)

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._buckets: dict[object, Bucket] = {}
        self._lock = asyncio.Lock()

    def _bucket(self, key: object, spec: tuple[float, float]) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = Bucket(spec[0], spec[1], spec[0], self.clock.monotonic())
            self._buckets[key] = bucket
        return bucket

    async def wait(self, chat_id: int) -> None:
        async with self._lock:
            chat = self._bucket(("chat", chat_id), self.GROUP if chat_id < 0 else self.PRIVATE)
            overall = self._bucket("overall", self.OVERALL)
            while True:
                now = self.clock.monotonic()
                delay = max(chat.wait_time(now), overall.wait_time(now))
                if delay <= 0:
                    chat.take()
                    overall.take()
                    return
                # A hair longer than computed, so float rounding never lands us a token short.
                await self.clock.sleep(delay + 0.01)


class PacingRateLimiter(AIORateLimiter):
    """AIORateLimiter with retries, preceded by our clock-driven pacing."""

    def __init__(self, clock: Clock, *, virtual: bool, max_retries: int = 3) -> None:
        if virtual:
            # On a virtual clock AIORateLimiter's limiters and retry sleeps would wait real
            # seconds for virtual ones; the pacer keeps the limits and retries on the clock.
            super().__init__(overall_max_rate=0, group_max_rate=0, max_retries=0)
        else:
            super().__init__(max_retries=max_retries)
        self.clock = clock
        self.virtual = virtual
        self.clock_retries = max_retries if virtual else 0
        self.pacer = Pacer(clock)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        for attempt in range(self.clock_retries + 1):
            if endpoint.lower() in PACED_METHODS and chat_id is not None:
                try:
                    await self.pacer.wait(int(chat_id))
                except (TypeError, ValueError):
                    pass
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as exc:
                if attempt == self.clock_retries:
                    raise
                await self.clock.sleep(exc.retry_after.total_seconds() + 0.1 if isinstance(exc.retry_after, timedelta) else float(exc.retry_after) + 0.1)
        raise AssertionError("unreachable")
