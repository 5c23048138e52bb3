"""Give the imported text back the punctuation its document was written with.

Reading folds full-width marks to ASCII (，→, （→( …) so that one set of patterns finds
labels, numbering and dates. Stored as folded, a plan written the usual Chinese way would
read "运行不正常,出水不达标" in every card, ledger and reminder. A document is consistent in
its style, so the style is counted once over the document and, if it is full-width, the
task texts get those marks back wherever they stand next to Chinese text; numbers and
Latin text (1,000、09:00、PM2.5) keep theirs. A plan written with ASCII marks stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from bot.plandata import ParsedPlan, PlanTask

_FULL: Final = "，：；！？（）"
_ASCII: Final = ",:;!?()"
_TO_FULL: Final = dict(zip(_ASCII, _FULL, strict=True))
_CJK: Final = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》、。"
# An ASCII mark written in Chinese text: a Chinese character (or mark) on either side, or
# between a percent and the next figure or the end (完成50%，2025年底前…).
_IN_CHINESE: Final = re.compile(rf"(?<=[{_CJK}])[,:;!?]|[,:;!?](?=[{_CJK}])|(?<=%)[,;](?=\d|$)")
# Colons are left out of the count: readers write "label:" when they flatten a table.
_ASCII_IN_CHINESE: Final = re.compile(rf"[{_CJK}][,;()]|[,;()][{_CJK}]")
_PAIR: Final = re.compile(r"\(([^()]*)\)")
# A point ending a Chinese sentence (不规范. / 达到100%.), not 120.5 or PM2.5
_STOP_IN_CHINESE: Final = re.compile(r"(?<=[\u3400-\u9fff%）”])\.(?=$|[\u3400-\u9fff“])")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


# (1) and （１） number items in documents of either style
_ENUMERATOR: Final = re.compile(r"[(（]\s*[0-9０-９]{1,2}\s*[)）]")


def writes_full_width(texts: Iterable[str]) -> bool:
    """Whether the document writes its marks full-width: more of them than ASCII marks in
    Chinese text, item numbers apart."""
    full = ascii_marks = 0
    for text in texts:
        text = _ENUMERATOR.sub("", text)
        full += sum(text.count(mark) for mark in "，；（）")
        ascii_marks += len(_ASCII_IN_CHINESE.findall(text))
    return full > ascii_marks


def full_width(text: str) -> str:
    """``text`` with the ASCII marks that stand in Chinese text written full-width."""
    if not text or not any(mark in text for mark in _ASCII + "."):
        return text

    def pair(m: re.Match[str]) -> str:
        around = text[max(0, m.start() - 1) : m.end() + 1]
        return f"（{m.group(1)}）" if _NON_ASCII.search(around) else m.group()

    # brackets first: the mark after "(2024年6月底前)" stands in Chinese once they are
    text = _PAIR.sub(pair, text)
    text = _IN_CHINESE.sub(lambda m: _TO_FULL[m.group()], text)
    return _STOP_IN_CHINESE.sub("。", text)


def restore(plan: ParsedPlan) -> None:
    """Full-width marks back in the plan's title and every task's texts (not in names)."""
    plan.title = full_width(plan.title)
    for task in plan.tasks:
        _restore_task(task)


def _restore_task(task: PlanTask) -> None:
    task.title = full_width(task.title)
    task.problem = full_width(task.problem)
    task.goal = full_width(task.goal)
    task.category = full_width(task.category)
    for measure in task.measures:
        measure.text = full_width(measure.text)
    task.deadline.text = full_width(task.deadline.text)
    for milestone in task.deadline.milestones:
        milestone.text = full_width(milestone.text)
    if task.progress is not None:
        task.progress.text = full_width(task.progress.text)
