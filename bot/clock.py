"""The one clock every part of the bot reads time from.

Reminders, flood limits, update pruning and digests must agree on "now"; in
production that is the wall clock, in ``simulate`` and the tests a virtual clock
that only moves when told to. Nothing else in the code calls ``datetime.now()``.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """What the bot needs from a clock: the time, and a way to wait on it."""

    tz: tzinfo

    def now(self) -> datetime:
        """An aware datetime in the bot's zone."""

    def monotonic(self) -> float:
        """Seconds on a steady scale (for flood limits and pacing)."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""


class WallClock:
    """Real time; what production runs on."""

    def __init__(self, tz: tzinfo = DEFAULT_TZ) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ShiftedClock(WallClock):
    """Real time moved to another day: the console demo lives in its example plan's year.

    The example is a 2019 plan; on today's date every task would be years overdue. Time
    still runs at its real pace (the scheduler's minute ticks, quiet hours), only the
    calendar is moved, and never backwards: schedules that already ran would run again.
    """

    def __init__(self, tz: tzinfo = DEFAULT_TZ, offset: timedelta = timedelta(0)) -> None:
        super().__init__(tz)
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(self.tz) + self.offset

    def wall_now(self) -> datetime:
        """The machine's time, which the console keeps beside its own across restarts."""
        return datetime.now(self.tz)

    def move_to(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.tz)
        if when < self.now() - timedelta(seconds=1):
            raise ValueError(f"clock cannot go back from {self.now():%Y-%m-%d %H:%M} to {when:%Y-%m-%d %H:%M}")
        self.offset = when - datetime.now(self.tz)


class VirtualClock:
    """Frozen time that moves only when told to, so tests never sleep.

    ``sleep`` advances the clock instead of waiting: a sender told to back off
    for a 429's ``retry_after`` resumes at once, but on the right virtual second.
    """

    def __init__(self, start: datetime, tz: tzinfo = DEFAULT_TZ) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        self.tz = tz
        self._now = start.astimezone(tz)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def set(self, when: datetime) -> None:
        """Move to ``when``; moving backwards is refused because schedules would re-fire."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.tz)
        when = when.astimezone(self.tz)
        if when < self._now:
            raise ValueError(f"clock cannot go back from {self._now.isoformat()} to {when.isoformat()}")
        self._mono += (when - self._now).total_seconds()
        self._now = when

    def advance(self, seconds: float) -> None:
        self.set(self._now + timedelta(seconds=seconds))

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)
        await asyncio.sleep(0)
