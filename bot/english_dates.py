"""Dates as English-speaking officials write them: "March 31", "4 Feb", "end of March", "tomorrow".

The Chinese readers (bot.extract) know 3月31日 and 3月底; an English request for more time
or a pause names its days in words, and without them it could only be answered with a usage
line. A date without its year is taken in the year that puts it nearest to today, as the
Chinese reader does. dateutil's parser reads one date out of a whole string (and fuzzily
fills what is missing from today), so "from Feb 4 to Feb 10" would come back as one day; the
few English forms a request uses are found here in order instead.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

# The spans officials write in words ("for two weeks", "a month"), shared by the readers of mutes
# and extensions.
NUMBER_WORDS: Final[dict[str, float]] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "half a": 0.5,
}
_MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH: Final = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR: Final = r"(?:,?\s*(?P<year>\d{4}))?"
_MONTH_DAY: Final = re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}", re.I)
_DAY_MONTH: Final = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}", re.I)
_MONTH_END: Final = re.compile(rf"\b(?:the\s+)?end\s+of\s+{_MONTH}\b{_YEAR}", re.I)
_RELATIVE: Final = re.compile(r"\b(today|tomorrow)\b", re.I)


def _month(word: str) -> int:
    return _MONTHS.index(word[:3].lower()) + 1


def _nearest(month: int, day: int, today: date) -> date | None:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _dated(month: int, day: int, year: str | None, today: date) -> date | None:
    if year is None:
        return _nearest(month, day, today)
    try:
        return date(int(year), month, day)
    except ValueError:
        return None


def english_dates(text: str, today: date) -> list[date]:
    """The dates a message names, in the order written."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_MONTH_END, _MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            month = _month(m.group("mon"))
            if pattern is _MONTH_END:
                first = _nearest(month, 1, today) if m.group("year") is None else date(int(m.group("year")), month, 1)
                day = None if first is None else (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            else:
                day = _dated(month, int(m.group("day")), m.group("year"), today)
            if day is not None:
                found.append((m.start(), day))
                taken.append((m.start(), m.end()))
    for m in _RELATIVE.finditer(text):
        found.append((m.start(), today + timedelta(days=1 if m.group(1).lower() == "tomorrow" else 0)))
    return [d for _pos, d in sorted(found, key=lambda f: f[0])]


def strip_english_dates(text: str) -> str:
    """The text without the dates it names, for what is left to be read as a reason."""
    for pattern in (_MONTH_END, _MONTH_DAY, _DAY_MONTH):
        text = pattern.sub(" ", text)
    return text
