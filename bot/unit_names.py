"""Units as officials name them: 市水利局, 水利局, 应急局 for 市应急管理局.

Questions, self-introductions and the admins' commands all meet a unit by the name people
say; one table of keys serves them, so a short form understood in one place is
understood in all.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from storage import ledger as ledger_q

_UNIT_SUFFIXES = ("人民政府", "管委会")
UNIT_ENDINGS = "局|委|办|院|厅|部|政府|中心|队|所|站|公司|处|县|区|镇"


def unit_written(shortest: int, longest: int, *, council: bool = False) -> str:
    """A regular-expression fragment for a unit named inside a sentence ("1-17 市应急管理局 销号",
    "李明改到市水利局"): Chinese characters or brackets, ending as unit names end (会 too where
    a 委员会 may be meant). One definition, so every reader of the office's words stops alike."""
    endings = UNIT_ENDINGS + ("|会" if council else "")
    return rf"[\u4e00-\u9fa5（）()]{{{shortest},{longest}}}?(?:{endings})"
# How officials shorten unit names in speech: 应急管理局 → 应急局, 住房和城乡建设局 → 住建局.
_SHORT_FORMS = (
    ("住房和城乡建设", "住建"), ("住房城乡建设", "住建"), ("自然资源和规划", "自然资源"), ("发展和改革委员会", "发改委"),
    ("发展改革委员会", "发改委"), ("发展改革委", "发改委"), ("工业和信息化", "工信"), ("市场监督管理", "市场监管"),
    ("人力资源和社会保障", "人社"), ("卫生健康委员会", "卫健委"), ("卫生健康", "卫健"), ("交通运输", "交通"),
    ("农业农村", "农业"), ("文化广电和旅游", "文旅"), ("文化和旅游", "文旅"), ("城市管理", "城管"),
    ("生态环境", "环保"), ("生态环境", "生态"), ("市场监督管理", "市监"), ("粮食和物资储备", "粮食"), ("教育和体育", "教体"), ("应急管理", "应急"), ("退役军人事务", "退役军人"),
)


def _short_forms(name: str) -> set[str]:
    """The spoken short forms of a unit's name (市应急管理局 → 应急局, 市住建局 → 住建局)."""
    forms = set()
    for long, spoken in _SHORT_FORMS:
        if long in name:
            forms.add(name.replace(long, spoken, 1))
    return {f for f in forms if len(f.removeprefix("市")) >= 3}


# "保定市住建局" → 住建局, "市委宣传部" → 宣传部, "永城市" (its government) → 永城.
_CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{3,}$)")
_PARTY_PREFIX = re.compile(r"^市委(?=[\u4e00-\u9fff]{3,}$)")
_PLACE = re.compile(r"^(?!市)([\u4e00-\u9fff]{2,3})[县区市]$")


def _spoken_without_place(key: str) -> set[str]:
    """Short forms that leave out where the unit is, as people inside that place say them."""
    forms = set()
    for prefix in (_CITY_PREFIX, _PARTY_PREFIX):
        m = prefix.match(key)
        if m is not None and not key[m.end():].startswith(("人民政府", "政府", "管委会", "党委")):
            forms.add(key[m.end():])
    place = _PLACE.match(key)
    if place is not None:  # a county government's stem: 永城市 → 永城, 民权县 → 民权
        forms.add(place.group(1))
    return forms


def _inside_another(key: str, unit_id: int, units: list[tuple[int, str, list[str]]]) -> bool:
    """"办公室" said for 市委办公室 is as much 市政府办公室's: a name shortened by its place is
    no key when another unit's name holds it (the 各… units, named as a class, aside)."""
    return any(key in name for uid, name, _ in units if uid != unit_id and not name.startswith("各"))


def unit_keys(units: list[tuple[int, str, list[str]]]) -> list[tuple[str, int, str]]:
    """(key, unit id, unit name), longest key first; keys naming two units are dropped.

    A question says "水利局" as often as "市水利局", so the city prefix and a government
    suffix may be left off, as long as what remains still names one unit.
    """
    owners: dict[str, set[int]] = {}
    named: dict[int, str] = {}
    for unit_id, name, aliases in units:
        named[unit_id] = name
        for full in (name, *aliases):
            if full.startswith("各") or len(full) < 3:
                continue
            keys = {full, *_short_forms(full)}
            stem = full
            for suffix in _UNIT_SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                    stem = stem[: -len(suffix)]
            keys.add(stem)
            for key in list(keys):
                if key.startswith("市") and len(key) >= 4:
                    keys.add(key[1:])
                keys.update(k for k in _spoken_without_place(key) if not _inside_another(k, unit_id, units))
            for key in keys:
                owners.setdefault(key, set()).add(unit_id)
    result = [(key, next(iter(ids)), named[next(iter(ids))]) for key, ids in owners.items() if len(ids) == 1]
    return sorted(result, key=lambda k: -len(k[0]))


def find_unit(text: str, keys: list[tuple[str, int, str]]) -> tuple[int, str] | None:
    for key, unit_id, name in keys:
        if key in text:
            return unit_id, name
    return None


async def spoken_units(session: AsyncSession, text: str) -> list[tuple[str, int, str]]:
    """(key, unit id, unit name) of every unit ``text`` names as people say it, longest first."""
    return [k for k in unit_keys(await ledger_q.units_with_aliases(session)) if k[0] in text]


# A county (永城市人民政府, 梁园区人民政府) reports its own share of tasks naming 各县(市、区).
_COUNTY = re.compile(r"^(?!市)[\u4e00-\u9fff]{1,6}(?:县|区|市)(?:人民政府|政府|党委|管委会)")


def is_county(unit_name: str) -> bool:
    return _COUNTY.match(unit_name) is not None


# A township government (城关镇人民政府, 东城街道办事处) reports its share of tasks naming 各乡镇.
_TOWN = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:镇|乡|街道)(?:人民政府|政府|党委|办事处|党工委)?$")
_TOWN_SHARES = ("各乡镇%", "各镇%", "各乡%", "各街道%", "各乡(镇%", "各乡（镇%")


def shared_levels(unit_name: str) -> tuple[str, ...]:
    """Name patterns of the 各… units whose tasks this unit has its own share of."""
    if is_county(unit_name):
        # a county government is not its party committee: 各县(市、区)党委宣传部 is not its share
        if re.search(r"党委|党工委", unit_name) and not re.search(r"政府|管委会", unit_name):
            return ("各县%党委%", "各县%党工委%")
        return ("各县%政府%", "各县%管委会%")
    if _TOWN.match(unit_name):
        return _TOWN_SHARES
    return ()


# "示范区有几项任务", "办公室的任务": a unit named by a word several units share, at the head of a question.
_SPOKEN_HEAD = re.compile(
    r"^(?![各我本哪全这那该])(?P<word>[\u4e00-\u9fff]{0,10}?(?:中心|示范区|公司|支队|办公室)|[\u4e00-\u9fff]{1,10}?[局委办部室站台社队])"
    r"(?:的|有|还|一共|共|总共|任务|情况|进展|进度|报|怎么样|如何|咋样|逾期|负责|牵头)"
)


def units_sharing(text: str, units: list[tuple[int, str, list[str]]]) -> tuple[str, list[tuple[int, str]]]:
    """The word a question opens with and the units it may mean, when it names more than
    one of them: those are to be chosen between, not guessed."""
    m = _SPOKEN_HEAD.match(text)
    if m is None:
        return "", []
    word = m.group("word")
    bare = word.removeprefix("市")
    found = []
    for unit_id, name, aliases in units:
        forms = {f for full in (name, *aliases) for f in (full, *_short_forms(full))}
        if not name.startswith("各") and any(bare in form for form in forms):
            found.append((unit_id, name))
    return word, found if len(found) > 1 else []
