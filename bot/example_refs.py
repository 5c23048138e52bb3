"""Examples in help and usage texts are taken from the reader's own plan.

A clerk whose plan numbers its tasks 3, 4, 5 is not helped by "如 1-17已完成": the
catalog keeps the wording, and the task number (and a unit) come from what this reader
can see, so every example can be typed as it stands.
"""

from __future__ import annotations

import html

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from storage import plans as plans_q
from storage.models import Person

FALLBACK_REF = "1"


async def example_ref(session: AsyncSession, person: Person | None) -> str:
    """A task number for the examples, escaped for HTML."""
    ref = await plans_q.example_ref(
        session,
        unit_id=person.unit_id if person is not None else None,
        person_id=person.id if person is not None else None,
    )
    return html.escape(ref or FALLBACK_REF)


async def examples(session: AsyncSession, person: Person | None, tr: Translator) -> dict[str, str]:
    """``ref`` and ``unit`` for a help text."""
    unit = await plans_q.example_unit(session)
    return {
        "ref": await example_ref(session, person),
        "unit": html.escape(unit) if unit else tr("help.some_unit"),
    }
