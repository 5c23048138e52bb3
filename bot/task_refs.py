"""A message that names its task by number: "1-17已完成", "第3项完成一半", "任务二整改到位".

People answer a push by quoting the number it shows, and a number is a surer sign than
any wording. But reports are full of numbers (完成10座, 80%, 2019-1-17, 1-2个), so a
number counts as a task's only where it reads as one: a plan's own numbering such as
``1-17`` or ``3.2`` not glued to other digits or to a quantity, or any number written as
第3项 / 任务3 / 3号任务 / 问题三. A measure can be named the same way (措施2, 第二条措施).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.extract import normalize
from bot.importer.fields import number_value

_NUM: Final = r"(?:\d{1,3}|[一二三四五六七八九十百两]{1,4})(?![\d.\-])"
# A bare number is a task's only in these frames.
# "发现问题17个", "整改任务3项": a count after the word, not a number naming one.
_COUNTED: Final = r"(?!\s*(?:个|次|家|座|处|条|件|户|人|名|起|项|宗|批|张|份|万|亿|元|吨|亩|米|公里|多|余))"
# "任务一直没人报", "任务两周没报": a Chinese numeral that begins a word or a span names no task.
_IN_WORD: Final = r"(?:(?<=\d)|(?![直起下共些定样般律致体向贯再切旦点道同并齐概段周天日月年旬星礼]))"
_NUMBERED: Final = re.compile(
    rf"第\s*({_NUM})\s*(?:项|个|号)(?!\s*措施)|第\s*({_NUM})\s*条\s*(?=任务|问题)"
    rf"|(?:任务|问题|序号|编号|事项)\s*(?:第\s*)?({_NUM}){_COUNTED}{_IN_WORD}(?!\s*[项条]?\s*措施)"
    rf"|({_NUM})\s*号\s*(?:任务|问题|事项)"
)
# "第二条" alone is a clause of the task's measures, as plans write them (第二条已完成).
_MEASURE: Final = re.compile(
    rf"措施\s*(?:第\s*)?({_NUM})|第\s*({_NUM})\s*[项条个]\s*措施|({_NUM})\s*号\s*措施|第\s*({_NUM})\s*条(?!\s*(?:任务|问题))"
)
# What may not stand right before or after a plan number quoted as such.
_BEFORE: Final = r"(?<![A-Za-z0-9_.\-/])"
_AFTER: Final = r"(?![\d.%\-/个座家处条次天日月年万千百吨亩米元期批户人台辆公])"


# "4已完成80%", "5 清理前后对比照片", "2谁负责": a plain task number opening the message,
# not a count (3家), a date (3月底), a decimal or a percent.
_LEADING: Final = re.compile(
    r"^\s*(?:任务|问题)?\s*(\d{1,3})(?![\d.%\-/])(?!\s*(?:个|座|家|处|条|次|天|日|月|年|万|千|百|吨|亩|米|元|期|批|户|人|台|辆|公|号|项|名|件|起|宗|多|余|成|倍))"
)


class RefIndex:
    """Which tasks (by position) a message names, given each task's own number."""

    def __init__(self, labels: Sequence[str]) -> None:
        self._by_label: dict[str, list[int]] = {}
        self._by_number: dict[int, list[int]] = {}
        for index, label in enumerate(labels):
            label = normalize(label).strip()
            if not label:
                continue
            self._by_label.setdefault(label, []).append(index)
            tail = re.search(r"(\d+)$", label)
            if tail:  # 第17项 names 17 and, in a plan of annexes, the 17 of each annex
                self._by_number.setdefault(int(tail.group(1)), []).append(index)
        # A plan numbering its tasks 1, 2, 3 is answered "4已完成80%": a number opening the message.
        self._plain = any(re.fullmatch(r"\d{1,3}", lb) for lb in self._by_label)
        structured = sorted((lb for lb in self._by_label if re.fullmatch(r"\d+(?:[-.]\d+)+", lb)), key=len, reverse=True)
        self._literal = (
            re.compile(_BEFORE + "(" + "|".join(map(re.escape, structured)) + ")" + _AFTER) if structured else None
        )

    def named(self, text: str) -> list[int]:
        """Tasks the message names by number, in the order it names them; [] if none."""
        text = normalize(text)
        found: dict[int, None] = {}
        if self._literal is not None:
            for m in self._literal.finditer(text):
                found.update(dict.fromkeys(self._by_label[m.group(1)]))
        if not found:
            for m in _NUMBERED.finditer(text):
                value = number_value(next(g for g in m.groups() if g))
                if value is not None:
                    found.update(dict.fromkeys(self._by_number.get(value, ())))
        leading = _LEADING.match(text) if not found and self._plain else None
        if leading:
            found.update(dict.fromkeys(self._by_label.get(leading.group(1), ())))
        return list(found)


    def parts(self, text: str) -> list[tuple[list[int], str]]:
        """The message cut before each plan number it quotes ("1-12完成40%；1-14已公开"):
        (tasks named, the words up to the next number). [] unless two or more numbers."""
        text = normalize(text)
        marks: list[tuple[int, str]] = []
        if self._literal is not None:
            marks = [(m.start(), m.group(1)) for m in self._literal.finditer(text)]
        if not marks and self._plain:  # "任务1、任务4均完成50%", "第2项…；第3项…"
            for m in _NUMBERED.finditer(text):
                value = number_value(next(g for g in m.groups() if g))
                if value is not None and str(value) in self._by_label:
                    marks.append((m.start(), str(value)))
        if len({label for _, label in marks}) < 2:
            return []
        return [
            (self._by_label[label], text[start : marks[k + 1][0] if k + 1 < len(marks) else len(text)])
            for k, (start, label) in enumerate(marks)
        ]


def named_measure(text: str) -> int | None:
    """The measure number a message names (措施2, 第二条措施), if it names one."""
    m = _MEASURE.search(normalize(text))
    return number_value(next(g for g in m.groups() if g)) if m else None


def ref_order(ref: str) -> tuple[int | str, ...]:
    """Sort key reading a ref's numbers as numbers: 1-2 before 1-10, 2.9 before 2.10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", ref) if p)
