"""Read rectification plans (.txt, .docx, .pdf, .xlsx, .csv) into ``ParsedPlan``.

The public face of plan import: the CLI, the chat preview and the console call only what is
exported here, so the readers and the structure finder can change without touching them.

The pipeline: ``readers`` (bytes → lines and tables) → ``cleaning`` (one shape of text) →
``tables`` or ``structure`` (which parts are tasks, per DESIGN.md) → ``fields`` (labels,
numbering, measures) → ``tasks`` (names via ``names``, deadlines via ``bot.deadlines``) →
``plan`` (title, year, aliases, warnings).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Final

from bot.importer.errors import MAX_BYTES, PlanReadError
from bot.importer.plan import parse_document
from bot.importer.readers import read_document
from bot.plandata import ParsedPlan

__all__ = ["MAX_BYTES", "PlanReadError", "dry_run_json", "parse_bytes", "parse_path", "vocabulary"]

DOMAIN_TERMS: Final = frozenset(
    {
        "整改", "整改方案", "整改任务", "整改措施", "整改目标", "整改时限", "责任领导", "牵头单位",
        "责任单位", "配合单位", "责任人", "销号", "台账", "督察", "督办", "回头看", "反馈意见",
        "立行立改", "持续推进", "长期坚持", "已完成", "基本完成", "未完成", "序时进度", "散乱污",
        "黑臭水体", "水源地", "扬尘", "秸秆", "禁烧", "散煤", "洁净型煤", "双替代", "超低排放",
        "柴油货车", "河长制", "湖长制", "污水处理", "饮用水", "尾矿库", "采砂", "固体废物",
        "危险废物", "蓝天保卫战", "碧水保卫战", "净土保卫战", "污染防治攻坚战", "约谈", "问责",
    }
)
_QUOTED_TERM: Final = re.compile(r"“([^”]{2,8})”")


def parse_bytes(data: bytes, filename: str, *, plan_year: int | None = None) -> ParsedPlan:
    """Parse a document received as bytes (a file sent in chat); ``filename`` is only used
    for messages and as a type hint."""
    raw = read_document(data, filename)
    plan = parse_document(raw, filename, plan_year)
    plan.source_sha256 = hashlib.sha256(data).hexdigest()
    return plan


_UNREADABLE: Final = "The file could not be read; check the path and that it is a readable file."


def parse_path(path: Path, *, plan_year: int | None = None) -> ParsedPlan:
    """Parse a plan file; an unreadable path is reported like an empty file, since the bot
    received nothing it could use, but with its own sentence."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PlanReadError("too_large", f"{path.name}: {size / 1024 / 1024:.1f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise PlanReadError("empty", f"{path}: {exc.strerror or type(exc).__name__}", message=_UNREADABLE) from exc
    return parse_bytes(data, path.name, plan_year=plan_year)


def dry_run_json(paths: list[Path]) -> tuple[dict[str, Any], int]:
    """What ``rectibot import --dry-run --json`` prints, and its exit code."""
    plans: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for path in paths:
        try:
            plans.append(parse_path(path).to_json(changes=None))
        except PlanReadError as exc:
            errors.append({"path": str(path), "reason": str(exc)})
    return {"plans": plans, "errors": errors}, (1 if errors else 0)


def vocabulary(plan: ParsedPlan) -> set[str]:
    """Words jieba must not cut: the plan's units, people, aliases and domain terms, plus
    the short quoted slogans (“散乱污”) the plan itself uses."""
    words: set[str] = set(DOMAIN_TERMS)
    words.update(plan.aliases)
    words.update(plan.aliases.values())
    for task in plan.tasks:
        words.update(task.all_units())
        words.update(task.leaders)
        words.update(task.persons)
        for text in (task.title, task.goal, *(m.text for m in task.measures)):
            words.update(_QUOTED_TERM.findall(text))
    return {w for w in words if 2 <= len(w) <= 30 and not re.search(r"\s", w)}
