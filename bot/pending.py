"""What waits for a decision: "待审核", /pending.

Each request reached the admins once, as a card with buttons, and cards scroll away; this
lists what is still undecided, oldest first, so nothing waits forever. Leaders see the
sign-offs and extensions of the tasks they may see; binding requests are the office's.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Page, Viewer, esc, fmt_date, short
from storage import pending as pending_q

LIMIT = 20
_ASKS = re.compile(
    r"^(?:有(?:哪些|什么|没有))?(?:待审核|待审批|待处理|待办|待批)(?:的)?(?:事项|申请|任务)?(?:有哪些|有什么)?$"
    r"|^(?:哪些|有哪些|有没有)(?:任务|单位)?(?:申请(?:了)?(?:销号|延期)|(?:销号|延期)申请)(?:了|的)?(?:吗|没有)?$"
    r"|^(?:pending|pending requests|what is pending)$",
    re.I,
)


def asks_for_pending(text: str) -> bool:
    clean = re.sub(r"[?？。!！,，]+", "", unicodedata.normalize("NFKC", text or "")).strip()
    # Chinese is matched without its spaces, English with its words one space apart.
    return bool(_ASKS.match(re.sub(r"\s+", "", clean)) or _ASKS.match(re.sub(r"\s+", " ", clean)))


_ABOUT_SIGNOFF = re.compile(r"销号|sign-?offs?", re.I)
_ABOUT_OTHERS = re.compile(r"延期|绑定|extension|binding", re.I)


def _signoffs_only(asked: str) -> bool:
    """"哪些单位申请了销号": an answer that lists nothing would read as not understood."""
    return bool(_ABOUT_SIGNOFF.search(asked)) and not _ABOUT_OTHERS.search(asked)


async def pending_page(session: AsyncSession, viewer: Viewer, asked: str = "") -> Page:
    """What waits for a decision; ``asked``, the words of the question, when it named 销号."""
    tr = viewer.tr
    if not viewer.known or not ({"admin", "leader"} & set(viewer.roles)):
        return Page(tr("pending.not_allowed"))
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return Page(tr("q.group.counts_only"))
    sections: list[str] = []
    signoffs = [(s, t, u) for s, t, u in await pending_q.signoffs(session) if visible.allows(t.id)]
    if signoffs:
        lines = [tr("pending.signoffs", n=len(signoffs))]
        lines += [
            tr("pending.signoff_line", ref=esc(t.ref), unit=esc(u or "—"), date=fmt_date(tr, s.requested_at, viewer.today),
               summary=esc(short(s.summary, 60)))
            for s, t, u in signoffs[:LIMIT]
        ]
        sections.append("\n".join(lines))
    extensions = [(e, t, u) for e, t, u in await pending_q.extensions(session) if visible.allows(t.id)]
    if extensions:
        lines = [tr("pending.extensions", n=len(extensions))]
        lines += [
            tr("pending.extension_line", ref=esc(t.ref), unit=esc(u or "—"), due=fmt_date(tr, e.new_due, viewer.today),
               date=fmt_date(tr, e.requested_at, viewer.today), reason=esc(short(e.reason, 60)))
            for e, t, u in extensions[:LIMIT]
        ]
        sections.append("\n".join(lines))
    if "admin" in viewer.roles:
        binds = await pending_q.bind_requests(session)
        if binds:
            lines = [tr("pending.binds", n=len(binds))]
            lines += [
                tr("pending.bind_line", name=esc(r.name or short(r.text, 20)), unit=esc(u or "—"),
                   date=fmt_date(tr, r.created_at, viewer.today))
                for r, u in binds[:LIMIT]
            ]
            sections.append("\n".join(lines))
    if _signoffs_only(asked) and not signoffs:
        rest = "\n\n" + tr("pending.title") + "\n\n" + "\n\n".join(sections) if sections else ""
        return Page(tr("pending.signoffs_none") + rest)
    if not sections:
        return Page(tr("pending.none"))
    # Only the office decides, on the cards it was sent; a leader only reads the list.
    foot = "\n\n" + tr("pending.foot") if "admin" in viewer.roles else ""
    return Page(tr("pending.title") + "\n\n" + "\n\n".join(sections) + foot)
