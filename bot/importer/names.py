"""Split the people and unit fields of a task into canonical names.

A wrong split is costly downstream: binding matches people and units by name, and progress is
kept per (task, unit). So a split happens only where the text says so — separators outside
brackets, 和/及 only between two things that each look like a unit — and collective names such
as 各县(市、区)党委和人民政府 stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from bot.importer.cleaning import CJK

UNIT_SUFFIX: Final = re.compile(
    r"(?:局|委|办|厅|部|院|室|会|组|中心|公司|分公司|台|社|站|队|所|处|科|股|政府|党委|党工委|管委会|"
    r"机关|集团|银行|法院|检察院|单位|部门|支队|大队|小组|办公室|监委|部委|总站|馆|校|协会|联社|"
    r"街道|乡|镇|公安局)$"
)
_UNIT_START: Final = re.compile(r"^(?:市|省|县|区|各|中共|国家|自治区|州|镇|乡|街道|团|[^和及]{2,4}(?:市|县|区|省))")
_DESCRIPTOR_TAIL: Final = re.compile(r"(?:的)?(?:主要负责同志|常务负责同志|分管负责同志|主要负责人|分管负责人|负责同志|负责人|主要领导|分管领导|第一责任人|责任人|主任)$")
_DESCRIPTOR: Final = re.compile(r"^(?:各|相关|有关|其他)?(?:牵头|责任|配合|相关|有关|成员|主管)?(?:单位|部门)?$")
_LEADING_JOINER: Final = re.compile(r"^(?:以及|及|和|与|并|等)")
_TRAILING_NOISE: Final = re.compile(r"(?:等(?:相关|有关|其他)?(?:单位|部门)?|。|;|；)+$")
_PERSON_NAME: Final = re.compile(rf"^[{CJK}·]{{2,4}}$")
_NOT_A_NAME: Final = re.compile(r"同志|负责|单位|部门|领导|主任|书记|市长|局长|委员|政府|党委|中心|各|相关|有关|[市县区局委办股科室处]$")


@dataclass
class UnitSplit:
    names: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)


def split_people(text: str) -> list[str]:
    """Leaders are short names separated by commas, 、 or spaces; a two-character name is
    often padded to three with spaces (张  弛), so lone characters are joined again."""
    text = re.sub(r"\([^)]*\)?", "", text or "")
    names: list[str] = []
    for chunk in re.split(rf"[,，、;；/]|(?<=[{CJK}]{{2}})(?:和|及)(?=[{CJK}]{{2}})", text):
        tokens = chunk.split()
        merged: list[str] = []
        for token in tokens:
            if merged and (len(token) == 1 or len(merged[-1]) == 1):
                merged[-1] += token
            else:
                merged.append(token)
        for name in merged:
            name = name.strip("。.:：")
            name = re.sub(r"同志$", "", name)
            if name and not _DESCRIPTOR_TAIL.search(name) and not _DESCRIPTOR.match(name):
                names.append(name)
    return list(dict.fromkeys(names))


_POST_BEFORE_NAME: Final = re.compile(
    rf"(?:市长|书记|主任|部长|局长|秘书长|常委|主席|区长|县长|省长|厅长|院长|检察长|组长|"
    rf"副职|委员|政委|总经理|董事长)([{CJK}]{{2,3}})$"
)


def person_names(text: str) -> list[str]:
    """Only real names become persons; "各责任单位主要负责同志" is a role, not a person. A
    post written before the name (常务副市长吴祖明) is dropped."""
    names = []
    for token in split_people(text):
        post = _POST_BEFORE_NAME.search(token)
        name = post.group(1) if post and (len(token) > 4 or post.start() == 0) else token
        if _PERSON_NAME.match(name) and not _NOT_A_NAME.search(name):
            names.append(name)
    return list(dict.fromkeys(names))


def split_written(text: str) -> list[str]:
    """Descriptive fields (主体责任) kept as written, split only at top-level commas; line
    breaks inside are wrapping, not separators."""
    text = re.sub(r"\s*\n\s*", "", text or "")
    return [part for part in (p.strip(" 。") for p in _split_top(text, ",，;；")) if part]


def split_units(text: str, known: set[str] | frozenset[str] = frozenset()) -> UnitSplit:
    result = UnitSplit()
    text = re.sub(r"\s*\n\s*", "", text or "")
    text = re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}])", "", text).strip()
    for piece in _split_top(text, ",，;；/\n "):
        listed = _split_top(piece, "、")
        pieces = listed if all(_is_unit(p) for p in listed) else [piece]
        for part in (p for each in pieces for p in _split_joined(each)):
            for name in _split_glued(part, known):
                canonical = _canonical(name, result.aliases)
                if canonical:
                    result.names.append(canonical)
    result.names = list(dict.fromkeys(result.names))
    return result


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets; an unclosed bracket closes at the end."""
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "(（[【《":
            depth += 1
        elif ch in ")）]】》":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    cleaned = []
    for part in parts:
        part = _TRAILING_NOISE.sub("", _LEADING_JOINER.sub("", part.strip()))
        if part:
            cleaned.append(part)
    return cleaned


def _split_joined(piece: str) -> list[str]:
    """和/及/以及 separate units only when both sides are units in their own right, which
    keeps 市工业和信息化局 and 各县(市、区)党委和人民政府 whole."""
    depth = 0
    for i, ch in enumerate(piece):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth:
            continue
        for joiner in ("以及", "及", "和"):
            if piece.startswith(joiner, i) and i > 0:
                left, right = piece[:i], piece[i + len(joiner) :]
                if _is_unit(left) and _UNIT_START.match(right) and len(right) >= 3:
                    return [*_split_joined(left), *_split_joined(right)]
    return [piece]


def _is_unit(name: str) -> bool:
    bare = re.sub(r"\([^)]*\)?$", "", name)
    return bool(UNIT_SUFFIX.search(bare) or UNIT_SUFFIX.search(name.rstrip(")")))


def _split_glued(name: str, known: set[str] | frozenset[str]) -> list[str]:
    """Units written without a separator (市生态环境局市水利局) are split where each part is a
    unit already named elsewhere in the plan, or at a unit suffix followed by 市 or 县."""
    if name in known or len(name) < 6:
        return [name]
    cut = _segment(name, known)
    if cut and len(cut) > 1:
        return cut
    m = re.search(r"(?<=[局委办室厅])(?=[市县](?!场|民|直|级|属|域|区))", name)
    if m and m.start() >= 3 and len(name) - m.start() >= 3 and "(" not in name:
        return [name[: m.start()], *_split_glued(name[m.start() :], known)]
    return [name]


def _segment(name: str, known: set[str] | frozenset[str]) -> list[str] | None:
    best: list[list[str] | None] = [None] * (len(name) + 1)
    best[0] = []
    for end in range(1, len(name) + 1):
        for start in range(end):
            prefix = best[start]
            if prefix is not None and name[start:end] in known:
                best[end] = [*prefix, name[start:end]]
                break
    return best[len(name)]


_ROLE_NOTE: Final = re.compile(r"\((?:[^()]*?(?:牵头|配合|负责|为主|协助|排名|排第|列第)[^()]*)\)?$")


def _canonical(name: str, aliases: dict[str, str]) -> str:
    name = _ROLE_NOTE.sub("", name.strip(" ,，、。:：")).strip()
    name = _DESCRIPTOR_TAIL.sub("", name).strip()
    if not name or _DESCRIPTOR.match(name):
        return ""
    m = re.fullmatch(r"(.+?)\(([^()]+)\)?", name)
    if m and "(" in name and name.index("(") > 0:
        outer, inner = m.group(1), m.group(2)
        if _UNIT_START.match(inner) and _is_unit(inner) and _is_unit(outer) and "、" not in inner:
            aliases[outer] = inner
            return outer
    if name.count("(") > name.count(")"):
        name += ")"
    return name
