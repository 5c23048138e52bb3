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
    r"街道|乡|镇|公安局|村|社区|企业|机构|联|协|分行|支行|海关)$"
)
_UNIT_START: Final = re.compile(r"^(?:市|省|县|区|各|中共|国家|自治区|州|镇|乡|街道|团|[^和及]{2,4}(?:市|县|区|省))")
_DESCRIPTOR_TAIL: Final = re.compile(r"(?:的)?(?:主要负责同志|常务负责同志|分管负责同志|主要负责人|分管负责人|负责同志|负责人|主要领导|分管领导|第一责任人|责任人|主任)$")
_DESCRIPTOR: Final = re.compile(r"^(?:各|相关|有关|其他)?(?:牵头|责任|配合|相关|有关|成员|主管)?(?:单位|部门)?$")
# 和/及 open names too (和平社区, 和田县): they join only before a name's usual opening.
_LEADING_JOINER: Final = re.compile(r"^(?:以及|与|并|等|(?:和|及)(?=市|省|县|区|各|中共|国家|自治区|州|有关|相关|其他|其它))")
_TRAILING_NOISE: Final = re.compile(r"(?:等(?:[省市县区]直)?各?(?:相关|有关|其他)?(?:单位|部门)?|。|;|；)+$")
_PERSON_NAME: Final = re.compile(rf"^[{CJK}·]{{2,4}}$")
# 赵四：13700003333, 李明 电话0371-6555000: a phone number beside a 责任人 separates names
_PHONE: Final = re.compile(
    r"\s*[:：]?\s*(?:联系)?(?:电话|手机|座机|[Tt]el|TEL)?\s*[:：]?\s*(?:\+?86[- ]?)?(?:0\d{2,3}[- ]?)?\d{7,11}(?!\d)"
)
# A name in a ledger kept in English: two or three capitalised words (Zhang Wei, Mary Ann Lee)
_LATIN_NAME: Final = re.compile(r"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){1,2}")
_NOT_A_NAME: Final = re.compile(r"同志|负责|单位|部门|领导|主任|书记|市长|局长|委员|政府|党委|中心|各|相关|有关|[市县区局委办股科室处部]$")


@dataclass
class UnitSplit:
    """``lead`` and ``supporting`` are the names the field itself marks (市住建局(牵头),
    市城管局牵头，市应急局配合); they are also in ``names``."""

    names: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    lead: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)


# 县委副书记：王明, 联系人：刘青: a post or a label before a colon names nobody; the name follows
_LABEL_BEFORE_NAME: Final = re.compile(rf"^\s*[{CJK}]{{2,12}}\s*[:：]\s*(?=[{CJK}])")


def split_people(text: str) -> list[str]:
    """Leaders are short names separated by commas, 、 or spaces; a two-character name is
    often padded to three with spaces (张  弛), so lone characters are joined again."""
    text = _PHONE.sub("、", re.sub(r"\([^)]*\)?", "", text or ""))
    names: list[str] = []
    for chunk in re.split(rf"[,，、;；/]|(?<=[{CJK}]{{2}})(?:和|及)(?=[{CJK}]{{2}})", text):
        chunk = _LABEL_BEFORE_NAME.sub("", chunk)
        if _LATIN_NAME.fullmatch(chunk.strip()):
            names.append(re.sub(r"\s+", " ", chunk.strip()))  # Zhang Wei: one name, its space kept
            continue
        tokens = chunk.split()
        merged: list[str] = []
        for token in tokens:
            # 副局长 王\n志强: a surname wrapped away from its name follows a post, not a name
            after_post = len(token) == 1 and bool(merged) and is_post(merged[-1])
            if merged and (len(token) == 1 or len(merged[-1]) == 1) and not after_post:
                merged[-1] += token
            else:
                merged.append(token)
        for name in merged:
            name = name.strip("。.:：")
            name = re.sub(r"同志$", "", name)
            if name and not _DESCRIPTOR_TAIL.search(name) and not _DESCRIPTOR.match(name):
                names.append(name)
    return list(dict.fromkeys(names))


# Posts written before or beside a name: 副县长, 县委常委, 党组成员, 计划财务股股长.
_POST: Final = (
    r"(?:[省市县区州镇乡]长|[局站所股科处部院厅校组队社行]长|秘书长|检察长|总经理|董事长|书记|主任|常委|委员|"
    r"成员|主席|政委|副职|总[会工经]\w{0,2}师)"
)
_POST_BEFORE_NAME: Final = re.compile(rf"{_POST}([{CJK}]{{2,3}})$")
_POST_ONLY: Final = re.compile(rf"^[{CJK}]{{0,8}}{_POST}$")
# 张建国副市长, 杨帆主任: the post written after the name
_POST_AFTER_NAME: Final = re.compile(rf"^([{CJK}]{{2,3}}?)(?:常务|专职|执行)?副?{_POST}$")
# words that stand before a post as the name does (组织部长, 第一书记, 党组书记): no names
_BEFORE_POST: Final = re.compile(r"[党委组局部办室科股处院厅团]|^(?:第[一二三]|组织|宣传|统战|常务|专职|兼职|党组|支部|总支|机关|执行|分管|主管|驻村|纪检|监察|行政|业务|办公|综合)")


def is_post(token: str) -> bool:
    """A post without a name (副县长, 县委常委): understood, but nobody to bind."""
    return bool(_POST_ONLY.match(token))


def person_names(text: str) -> list[str]:
    """Only real names become persons; "各责任单位主要负责同志" is a role, not a person. A
    post written before the name (常务副市长吴祖明, 副县长 李强) is dropped, and so is a
    token that is only a post (县委常委、副县长 李强 names one person)."""
    names = []
    for token in split_people(text):
        post = _POST_BEFORE_NAME.search(token)
        name = post.group(1) if post and (len(token) > 4 or post.start() == 0) else token
        after = _POST_AFTER_NAME.match(token)
        if after and not post and not _BEFORE_POST.search(after.group(1)) and not _NOT_A_NAME.search(after.group(1)):
            name = after.group(1)
        if is_post(name):
            continue
        if (_PERSON_NAME.match(name) and not _NOT_A_NAME.search(name)) or _LATIN_NAME.fullmatch(name):
            names.append(name)
    return list(dict.fromkeys(names))


def split_written(text: str) -> list[str]:
    """Descriptive fields (主体责任) kept as written, split only at top-level commas; line
    breaks inside are wrapping, not separators."""
    text = re.sub(r"\s*\n\s*", "", text or "")
    return [part for part in (p.strip(" 。") for p in _split_top(text, ",，;；")) if part]


def split_duty(text: str) -> tuple[str, str]:
    """(people, units) of a 责任清单, which lists the leader and the units together: a name,
    with or without its post, is a leader; a post alone is nobody; the rest are units."""
    people: list[str] = []
    units: list[str] = []
    for part in _split_top(text or "", ",，;；、/\n"):
        if person_names(part):
            people.append(part)
        elif not is_post(part):
            units.append(part)
    return "、".join(people), "、".join(units)


_NAME_AFTER_UNIT: Final = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+([{CJK}]{{2,3}})(?=$|[\s,，;；、/])")


def people_beside_units(text: str) -> tuple[str, list[str]]:
    """A column of 责任单位及责任人 writes each unit with its person after a space (县住建局
    张三): the unit without the name, and the names, which are people and no part of it."""
    names: list[str] = []

    def take(m: re.Match[str]) -> str:
        left = re.split(r"[\s,，;；、/]", text[: m.start()])[-1]
        name = m.group(1)
        if len(left) < 3 or not _is_unit(left) or _is_unit(name) or _UNIT_START.match(name) or not person_names(name):
            return m.group()
        names.append(name)
        return ""

    return _NAME_AFTER_UNIT.sub(take, text or ""), names


def split_units(text: str, known: set[str] | frozenset[str] = frozenset()) -> UnitSplit:
    result = UnitSplit()
    text = re.sub(r"\s+(?=(?:牵头|主责|配合|协助|协办|参与)(?:单位|部门)?\s*[:：])", "；", (text or "").strip())
    text = _LATIN_SPACE.sub(_KEEP_SPACE, _breaks_to_separators(text))
    for piece in _split_top(text, ",，;；/\n "):
        piece, piece_role = _role_marked(piece)
        listed = _split_top(piece, "、")
        pieces = listed if _is_unit_list(listed) else [piece]
        previous = ""
        for part in (p for each in pieces for p in _split_joined(each)):
            for name in _split_glued(part, known):
                name = previous = _with_place(name, previous)
                note = _ROLE_NOTE.search(name)
                role = piece_role or (_note_role(note.group()) if note else "")
                canonical = _canonical(name, result.aliases).replace(_KEEP_SPACE, " ")
                if canonical:
                    result.names.append(canonical)
                    if role:
                        getattr(result, role).append(canonical)
    result.names = list(dict.fromkeys(result.names))
    result.aliases = {k.replace(_KEEP_SPACE, " "): v.replace(_KEEP_SPACE, " ") for k, v in result.aliases.items()}
    return result


# EHS Dept, Finance Office: a space between English words is inside the name, not between
# two units; it is kept through the splitting as a character no separator matches
_LATIN_SPACE: Final = re.compile(r"(?<=[A-Za-z&.])[ \t]+(?=[A-Za-z&(])")
_KEEP_SPACE: Final = "\u2060"


# 各县(市、区)党委、政府: the bare organ after the listed one is the same place's
_ORGAN: Final = re.compile(r"(?:人民政府|政府|党委|党工委|管委会|人大常委会|人大|政协)$")


def _with_place(name: str, previous: str) -> str:
    found = _ORGAN.search(previous)
    if _ORGAN.fullmatch(name) and found and found.start() > 0:
        return previous[: found.start()] + name
    return name


_LEAD_WORD: Final = re.compile(r"牵头")
_SUPPORT_WORD: Final = re.compile(r"配合|协助|协办|参与")
_MARKED: Final = re.compile(r"(?<=[^\s、])(?:等(?:单位|部门))?(牵头|配合|协助|协办|参与)$")


def _note_role(note: str) -> str:
    if _LEAD_WORD.search(note):
        return "lead"
    return "supporting" if _SUPPORT_WORD.search(note) else ""


# 牵头:市住建局 / 配合:市财政局、市城管局: what the units do, written before them
_MARKED_BEFORE: Final = re.compile(r"^(牵头|主责|配合|协助|协办|参与)(?:单位|部门)?\s*[:：]\s*(?=\S)")


def _role_marked(piece: str) -> tuple[str, str]:
    """A clause that ends with what its units do (市城管局牵头; 市应急局、市场监管局配合), or
    opens with it (配合:市财政局、市城管局)."""
    before = _MARKED_BEFORE.match(piece)
    if before:
        return piece[before.end() :], "lead" if before.group(1) in ("牵头", "主责") else "supporting"
    m = _MARKED.search(piece)
    if not m or not _is_unit(_split_top(piece[: m.start()], "、")[-1]):
        return piece, ""
    return piece[: m.start()], _note_role(m.group(1))


_PLACE: Final = re.compile(
    r"(?:镇|乡|街道|村|社区)(?:人民政府|办事处|党委|党工委|居委会|居民委员会|村委会|村民委员会)?$"
)


def _breaks_to_separators(text: str) -> str:
    """Line breaks and spaces inside a unit field are either wrapping or padding (市生态环\n境局,
    市 水 利 局) or a list written one unit a line (县生态环境分局\n县城管局\n城关镇). A break
    separates only where a whole unit ends and another visibly begins: with 市/县/各…, or a
    place (城关镇); 市委\n宣传部 stays one unit."""
    tokens = re.split(r"(\s+)", text.strip())
    out = ""
    for k in range(1, len(tokens), 2):
        left = re.split(r"[,，;；、/]", out + tokens[k - 1])[-1]
        right = re.split(r"[,，;；、/\s]", tokens[k + 1])[0]
        joins = "\n" in tokens[k] or bool(re.search(rf"[{CJK}]$", left) and re.match(rf"[{CJK}]", right))
        starts = bool(_UNIT_START.match(right)) or bool(_PLACE.search(right) and _is_unit(right))
        # a space, unlike a line break, is not wrapping: two whole units either side of it
        # are two units (项目股 审计室), though neither opens with 市/县
        starts = starts or ("\n" not in tokens[k] and len(left) >= 3 and len(right) >= 3 and _is_unit(right))
        out += tokens[k - 1] + ("、" if _is_unit(left) and starts else "" if joins else " ")
    return (out + tokens[-1]).strip() if tokens else ""


def _is_unit_list(listed: list[str]) -> bool:
    """A 、 list is a list of units when each item ends like a unit or, like 县残联, begins
    like one and is more than a place name; 自贡、攀枝花…8个市党委 is one collective name."""
    if len(listed) < 2:
        return True
    loose = [p for p in listed if not _is_unit(p)]
    return len(loose) < len(listed) and all(_UNIT_START.match(p) and len(p) >= 3 for p in loose)


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
    unit already named elsewhere in the plan, or at a unit suffix followed by the opening
    of another unit."""
    if name in known or len(name) < 6:
        return [name]
    cut = _segment(name, known)
    if cut and len(cut) > 1:
        return cut
    m = _GLUED_CUT.search(name)
    if m and m.start() >= 3 and len(name) - m.start() >= 3 and "(" not in name[: m.start()]:
        return [name[: m.start()], *_split_glued(name[m.start() :], known)]
    return [name]


# A unit's suffix, then the opening of another unit (县…, 镇…, 各村): 镇应急办公室镇综合执法队.
_GLUED_CUT: Final = re.compile(
    r"(?:(?<=[局委办室厅队站所])|(?<=中心))(?=[市县](?!场|民|直|级|属|域|区)|镇|乡(?!镇|村)|各(?:县|乡|镇|村|街道|社区))"
)


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
        # 各乡镇(街道) is one collective (townships and subdistricts), not a name and its alias
        collective = outer.startswith("各") or len(inner) < 3
        if _UNIT_START.match(inner) and _is_unit(inner) and _is_unit(outer) and "、" not in inner and not collective:
            aliases[outer] = inner
            return outer
    if name.count("(") > name.count(")"):
        name += ")"
    return name
