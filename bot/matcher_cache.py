"""One Matcher per process over the database's live tasks, rebuilt only when plans change.

Building the index and teaching jieba the plan's vocabulary cost far more than matching
a message, so the matcher is kept between updates and compared against a cheap
signature of the task table (count, plan count, newest import) on each use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.matching import Matcher, MatchTask
from storage import plans as plans_q
from storage import reports as reports_q
from storage.models import Task

KEY = "matcher"


@dataclass(frozen=True)
class Index:
    """The matcher; its refs are task ids as strings, so several plans never collide."""

    matcher: Matcher
    signature: tuple[int, int, str]

    def task_id(self, ref: str) -> int:
        return int(ref)


def match_task(task: Task, *, ref: str | None = None) -> MatchTask:
    units = [p.unit.name for p in task.parties if p.unit is not None]
    names = [p.person.name for p in task.parties if p.person is not None]
    return MatchTask(
        ref=ref if ref is not None else str(task.id),
        title=task.title,
        problem=task.problem,
        goal=task.goal,
        measures=[m.text for m in task.measures],
        units=units,
        names=names,
        measure_nos=[m.no for m in task.measures],
        label=task.ref,
    )


async def build(session: AsyncSession) -> Index:
    signature = await reports_q.task_signature(session)
    tasks = await plans_q.all_tasks(session)
    aliases = await reports_q.unit_aliases(session)
    matcher = Matcher.build([match_task(t) for t in tasks], aliases=aliases)
    return Index(matcher, signature)


async def current(session: AsyncSession, extras: dict[str, Any]) -> Index:
    """The cached index, rebuilt when the task table changed since it was built."""
    cached = extras.get(KEY)
    signature = await reports_q.task_signature(session)
    if isinstance(cached, Index) and cached.signature == signature:
        return cached
    index = await build(session)
    extras[KEY] = index
    return index
