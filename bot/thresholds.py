"""Lists cut at a number a leader names: "逾期超过30天的任务", "完成率低于50%的任务".

The button data carries the kind and the number as one integer (kind × 1000 + number), so
paging keeps the same cut.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Page, Viewer, ViewRef, counts_only, listing, paginate, task_line
from bot.rankings import units_under
from bot.status import StatusClass

OVERDUE_OVER, PERCENT_UNDER, UNITS_UNDER = 1, 2, 3
_UNITS = re.compile(r"单位|部门|\bunits?\b", re.I)
_NUM = r"(\d{1,3})"
_OVERDUE = re.compile(
    rf"(?:逾期|超期|拖期)(?:超过|超出|大于|多于|已超|已经超过|达到)?{_NUM}\s*(?:天|日)(?:以上)?"
    rf"|overdue (?:by |for )?(?:more than |over |at least )?{_NUM} days?",
    re.I,
)
_PERCENT = re.compile(
    rf"(?:完成率|完成度|进度|完成)(?:低于|不到|小于|不足|少于|在)?{_NUM}\s*[%％](?:以下)?|(?:below|under|less than) {_NUM}\s*%",
    re.I,
)


def asked_cut(text: str) -> ViewRef | None:
    """The cut a question names, as the view to show, or None."""
    clean = unicodedata.normalize("NFKC", text)
    m = _OVERDUE.search(clean)
    if m and int(days := m.group(1) or m.group(2)) < 1000:
        return ViewRef("z", OVERDUE_OVER * 1000 + int(days))
    m = _PERCENT.search(clean)
    if m and re.search(r"低于|不到|小于|不足|少于|以下|below|under|less than", clean, re.I) \
            and 0 < int(percent := m.group(1) or m.group(2)) <= 100:
        kind = UNITS_UNDER if _UNITS.search(clean) else PERCENT_UNDER  # "完成率低于50%的单位"
        return ViewRef("z", kind * 1000 + int(percent))
    return None


async def cut_view(session: AsyncSession, viewer: Viewer, ref: ViewRef) -> Page:
    tr = viewer.tr
    kind, number = divmod(ref.arg or 0, 1000)
    if kind not in (OVERDUE_OVER, PERCENT_UNDER, UNITS_UNDER):
        return Page(tr("q.error.stale"))
    if kind == UNITS_UNDER:
        return await units_under(session, viewer, ref, number)
    ledger = await listing(session, viewer)
    if ledger is None:
        return await counts_only(session, viewer)
    if kind == OVERDUE_OVER:
        found = [t for t in ledger.overdue() if t.days_overdue > number]
        head = tr("q.cut.overdue", days=number, n=len(found))
    else:
        found = sorted(
            (t for t in ledger if t.status is not StatusClass.SIGNED_OFF and (t.percent or 0) < number),
            key=lambda t: (t.percent or 0, t.plan_id, t.id),
        )
        head = tr("q.cut.percent", percent=number, n=len(found))
    if not found:
        return Page(head)
    return paginate(head, [task_line(tr, t, viewer.today, units_behind=True) for t in found], ref, tr)
