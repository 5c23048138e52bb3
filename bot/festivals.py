"""Festival deadlines: 春节前, 国庆节前, 元旦前, 中秋前 … as dates.

Plans set many deadlines by the calendar officials live by ("春节前完成欠薪清零"). The
festival itself moves with the lunar calendar, so its day comes from ``lunar_python``
rather than a table that ends in some year; "before the festival" is its eve, the last
day before it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from lunar_python import Lunar, Solar

# Festival word (with its usual short forms) -> the canonical name.
NAMES: Final = {
    "春节": "春节",
    "元旦": "元旦",
    "国庆": "国庆",
    "国庆节": "国庆",
    "五一": "五一",
    "劳动节": "五一",
    "端午": "端午",
    "端午节": "端午",
    "中秋": "中秋",
    "中秋节": "中秋",
    "清明": "清明",
    "清明节": "清明",
}
# Longest first, for a regular expression alternation.
WORDS: Final = "|".join(sorted(NAMES, key=len, reverse=True))
# The festivals as English speakers name them, by their Chinese word.
ENGLISH: Final = {
    "spring festival": "春节", "chinese new year": "春节", "national day": "国庆", "new year": "元旦",
    "labour day": "五一", "labor day": "五一", "may day": "五一", "dragon boat": "端午", "mid-autumn": "中秋",
    "qingming": "清明",
}


def named_in(text: str) -> str | None:
    """The festival a message names, as its Chinese word ("春节期间", "over the Spring Festival")."""
    found = re.search(WORDS, text)
    if found is not None:
        return found.group()
    lowered = text.lower()
    return next((word for name, word in ENGLISH.items() if name in lowered), None)


def festival_day(word: str, year: int) -> date | None:
    """The day of the festival ``word`` names in ``year`` (None for a word not known)."""
    name = NAMES.get(word)
    if name is None or not 1900 < year < 2100:
        return None
    if name == "元旦":
        return date(year, 1, 1)
    if name == "五一":
        return date(year, 5, 1)
    if name == "国庆":
        return date(year, 10, 1)
    if name == "清明":
        term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
        return date(term.getYear(), term.getMonth(), term.getDay())
    lunar_month, lunar_day = {"春节": (1, 1), "端午": (5, 5), "中秋": (8, 15)}[name]
    solar = Lunar.fromYmd(year, lunar_month, lunar_day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def eve(word: str, year: int) -> date | None:
    """The last day before the festival in ``year``: what "…前" means as a deadline."""
    day = festival_day(word, year)
    return day - timedelta(days=1) if day else None


def next_eve(word: str, after: date) -> date | None:
    """The first festival eve after ``after``: "春节前" written in a plan of December means
    the coming Spring Festival, not the one past."""
    for year in (after.year, after.year + 1):
        found = eve(word, year)
        if found is not None and found > after:
            return found
    return None
