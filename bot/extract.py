"""What a progress message says about progress: percent, status word, dates and counts.

Officials write "完成了八成", "都弄完了", "上周五验收的", "剩两个"; the ledger needs
a percent, one of six status words, a date and counts. Everything here is pure text
work on one message, so the report flow, the importer (progress columns of completion
reports) and the tests share one reading of these phrases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

import cn2an

DONE = "已完成"
MOSTLY_DONE = "基本完成"
ONGOING = "正在推进"
STARTED = "已启动"
LATE = "滞后"
NOT_STARTED = "未开始"
STATUSES: tuple[str, ...] = (DONE, MOSTLY_DONE, ONGOING, STARTED, LATE, NOT_STARTED)

_CN_DIGITS = "零〇一二三四五六七八九十百千万两"
_NUM = rf"[\d{_CN_DIGITS}]+"
_UNIT = r"(?:个|家|处|项|座|台|辆|条|件|套|所|户|名|批次|批|块|起|宗|艘|只|眼|段|公里|亩)"
# Voice input and quick typing put a space where a comma would be ("已完成一座 另一座正在施工");
# not after a negation or a modal ("尚未 完成" is one clause).
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n]+|(?<=[\u4e00-\u9fff%])(?<![没未不有能会要将])\s+(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Counts:
    """Counts a message states: items done, items remaining, items in all."""

    done: int | None = None
    remaining: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything :func:`extract` found; absent values are ``None`` or empty."""

    percent: int | None = None
    status: str | None = None
    dates: tuple[date, ...] = ()
    counts: Counts = field(default_factory=Counts)

    @property
    def has_progress(self) -> bool:
        """Whether the message says anything about progress at all."""
        c = self.counts
        return (
            self.percent is not None
            or self.status is not None
            or c.done is not None
            or c.remaining is not None
        )


_DASH = re.compile(r"(?<=\d)\s*[‐‑‒–—―−]+\s*(?=\d)")


_NEGATION_GAP = re.compile(r"(尚未|未|还没有?|没有?|不|无法|不能)\s+(?=[\u4e00-\u9fff])")
# "完成 8 成", "七 八 成", "80 %": a share typed with spaces inside it is the same share. Only the
# gap inside the figure closes: "1-10 8成" keeps the space after the task number.
_SHARE_GAP = re.compile(r"(?<=[\d零〇一二两三四五六七八九十])\s+(?=[成%])|(?<=[一二三四五六七八九])\s+(?=[一二三四五六七八九]\s*成)")


# "完成8 0%": a slip of the thumb inside one figure, not "0%" with a stray 8 before it. The
# first part is one digit after words, never a task or measure number ("1-10 80%", "措施2 80%").
_SPLIT_FIGURE = re.compile(r"(?<![\d\-./])(\d)\s+(\d{1,2})(?=%)")
# "完成 八 十%": the same slip in a figure written in characters
_CN_FIGURE_GAP = re.compile(r"(?<=[一二两三四五六七八九十百])\s+(?=[零一二两三四五六七八九十百](?:\s*[零一二两三四五六七八九十百])*\s*%)")
_CN_PERCENT_GAP = re.compile(r"百分之\s*[零一二两三四五六七八九十百点](?:\s*[零一二两三四五六七八九十百点])*")
_NUMBERED_BY_WORD = re.compile(r"(?:措施|第|任务)[一二两三四五六七八九十百]+$")


def _close_cn_gap(m: re.Match[str]) -> str:
    return m.group(0) if _NUMBERED_BY_WORD.search(m.string[: m.start()]) else ""


_NUMBERS_A_THING = re.compile(r"(?:[\d\-./A-Za-z]|措施|第|任务)\s*$")


def _join_figure(m: re.Match[str]) -> str:
    joined = m.group(1) + m.group(2)
    if int(joined) > 100 or _NUMBERS_A_THING.search(m.string[: m.start()]):
        return m.group(0)
    return joined


def _close_figure_gaps(text: str) -> str:
    text = _CN_PERCENT_GAP.sub(lambda m: re.sub(r"\s+", "", m.group(0)), _SHARE_GAP.sub("", text))
    return _SPLIT_FIGURE.sub(_join_figure, _CN_FIGURE_GAP.sub(_close_cn_gap, text))


def normalize(text: str) -> str:
    """NFKC folds full-width digits and signs (８０％ → 80%) so one set of patterns suffices;
    a dash between digits ("1—17", as phone keyboards type it) is the plain hyphen."""
    text = _DASH.sub("-", unicodedata.normalize("NFKC", text))
    # "尚未 完成" (voice input, a stray space) is one phrase: a space there is not a pause
    text = _slips().sub(_unslip, _NEGATION_GAP.sub(r"\1", _close_figure_gaps(text)))
    if _LATIN.search(text):  # "70 percent", "more than half", "two thirds": the figures English reports give
        text = _EN_HALF.sub(lambda m: "过半" if m.group(1) else "一半", _EN_PERCENT.sub(r"\1%", _EN_WORD_PERCENT.sub(_en_word_percent, text)))
        text = _EN_FRACTION.sub(_en_fraction, text)
        text = _EN_SLASH_OF.sub(lambda m: f"完成{m.group(2)}分之{m.group(1)}", text)  # "completed 3/4 of the work"
    return text


_EN_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_EN_PARTS = {"third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
_EN_SLASH_OF = re.compile(r"(?<![\d/])(\d)\s*/\s*(\d{1,2})(?=\s+of\b)", re.I)
_EN_FRACTION = re.compile(r"\b(a|one|two|three|four)[\s-]+(thirds?|quarters?|fifths?)\b", re.I)


def _en_fraction(m: re.Match[str]) -> str:
    num, den = _EN_NUMBERS[m.group(1).lower()], _EN_PARTS[m.group(2).lower()]
    return f"完成{den}分之{num}" if num < den else m.group(0)


_LATIN = re.compile(r"[A-Za-z]{3}")
_EN_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:percent|per\s+cent|pct)\b", re.I)
_EN_TENS: Final = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                   "eighty": 80, "ninety": 90, "fifteen": 15, "hundred": 100, "one hundred": 100, "a hundred": 100}
_EN_ONES: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
# "seventy percent done": the figure spelt out, which read as no figure left "done" to mean all of it
_EN_WORD_PERCENT = re.compile(
    r"\b(" + "|".join(sorted(_EN_TENS, key=len, reverse=True)) + r")(?:[\s-]+(" + "|".join(_EN_ONES) + r"))?"
    r"\s*(?:percent|per\s+cent|pct|%)", re.I,
)


def _en_word_percent(m: re.Match[str]) -> str:
    tens = _EN_TENS[re.sub(r"\s+", " ", m.group(1).lower())]
    return f"{tens + (_EN_ONES[m.group(2).lower()] if m.group(2) and tens < 100 else 0)}%"


_EN_HALF = re.compile(r"\b(more than |over |above )?half(?:way)?\b(?! of the (?:time|year|month))", re.I)


# The words a report's progress hangs on. A pinyin keyboard's slip in one of them ("完城",
# "逾其", "验shou") would hide the progress itself, so the second character is read by its
# sound; the first must be right, which keeps real words ("与其", "预期") out.
_PROGRESS_WORDS = ("完成", "逾期", "验收", "推进", "整改", "滞后")
_FIRST_SLIPS = {"己": "已", "愈期": "逾期"}


def _fuzzy(syllable: str) -> str:
    for long, short in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    return syllable[:-1] if syllable.endswith("ng") and len(syllable) > 2 else syllable


_SLIP_TO: dict[str, str] = {}


@lru_cache(maxsize=1)
def _slips() -> re.Pattern[str]:
    from importlib import resources

    sounds: dict[str, set[str]] = {}  # fuzzy syllable -> characters and the pinyin spellings
    of_char: dict[str, set[str]] = {}
    for line in resources.files("bot").joinpath("data", "homophones.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        syllable, _, chars = line.strip().partition(" ")
        key = _fuzzy(syllable)
        sounds.setdefault(key, set()).update([*chars.strip(), syllable])
        for ch in chars.strip():
            of_char.setdefault(ch, set()).add(key)
    for word in _PROGRESS_WORDS:
        for key in of_char.get(word[1], ()):
            for alike in sounds[key]:
                if alike != word[1]:
                    _SLIP_TO[word[0] + alike] = word
    for slip, word in _FIRST_SLIPS.items():
        if len(slip) > 1:
            _SLIP_TO[slip] = word
    alternatives = sorted(_SLIP_TO, key=len, reverse=True)
    return re.compile("己(?=完|经)|" + "|".join(map(re.escape, alternatives)), re.I)


def _unslip(m: re.Match[str]) -> str:
    found = m.group(0)
    return _FIRST_SLIPS.get(found) or _SLIP_TO.get(found) or _SLIP_TO.get(found.lower(), found)


def to_int(numeral: str) -> int | None:
    """Read "12", "十二", "两", "一百二十" as an integer; ``None`` when it is not a number."""
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    try:
        value = cn2an.cn2an(numeral.replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


# ---------------------------------------------------------------- percent

_METRIC_BEFORE = re.compile(
    r"(?:率|比例|浓度|下降|降低|增长|提高|占比|增加|超标|比重|比率|同比|环比|降幅|增幅)[^，,。；;]{0,4}$"
)
# ...unless the rate is the work's own: 完成率85%, 工程进度达到60%.
_PROGRESS_RATE = re.compile(r"(?:进度|完成率|完工率|整改率|办结率|销号率|完成比例|完成度)[^，,。；;]{0,4}$")
_PCT_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*%")
# "百分之八十", and "百分80" as quick typing leaves out the 之
_PCT_WORDS = re.compile(rf"百分之\s*([\d{_CN_DIGITS}点.]+)|百分\s*(\d+(?:\.\d+)?)(?![\d.%])")
# "百分之六七十", "六七十%": a span, read at its lower end like "七八成".
_SPAN_TENS = re.compile(r"^([一二三四五六七八九])([一二三四五六七八九])十$")
# "八成", "八成五", "9成", "八成5"; "七八成" is a span, read at its lower end (never overstated).
_PCT_TENTHS = re.compile(
    r"(?<![零一二三四五六七八九十百千万两\d])([一二三四五六七八九十1-9])([一二三四五六七八九])?成"
    r"([一二三四五六七八九1-9](?![\d%]))?"
    r"(?![立效果为员本功交绩品型都就熟年人不])"
)
_PCT_FRACTION = re.compile(r"([\d一二三四五六七八九十]+)分之([\d一二三四五六七八九十]+)")
_PCT_HALF = re.compile(r"一半|过半|半数|完成半")
# "六十五%" (voice input writes the number in words); "完成约2/3" (a date such as 3/10
# stands alone, a share follows the word that measures it).
_PCT_CN = re.compile(rf"(?<![\d{_CN_DIGITS}])([{_CN_DIGITS}]+)\s*%")
# "1-13完成60", "进度 85": the percent sign left off; a count has its unit ("完成60家").
_PCT_BARE = re.compile(r"(?:完成|进度|完成率|进展)\s*(?:了|为|达到?|约|近)?\s*(\d{2,3})(?:多|左右|来)?(?=\s*(?:[，,。；;！!\n]|$))")
_PCT_SLASH = re.compile(r"(?:完成了?|约|近|达到?|超过|已过)\s*(?:约|近)?\s*(\d)\s*/\s*(\d{1,2})(?![\d/.-])")


_BOUND_ONLY = re.compile(r"(?:不到|不足|不满|少于|低于|不超过|未过|未达|没到|没有到)$")


_BOUND_SHARE = re.compile(r"(?:不到|不足|不满|少于|低于|未过|未达|没到)(?:一半|半数|[一二三四五六七八九]成|\d+(?:\.\d+)?%)")


# "争取月底完成80%", "力争3月底前完成100%", "下一步将完成七成": a target, not the work done.
# (Bare 计划 is not one: "年度计划完成80%" is how far the year's plan got.)
_TARGET = re.compile(
    r"下一步|下步|接下来|下阶段|下一阶段|今后|后续将|将要|将于|拟(?!定|订|稿|写|制)|准备|打算|争取(?!到)|力争|确保|预计|有望|"
    r"计划(?=于|在|到|下|本月|本周|今年|明年|月底|年底|\d)|(?:底|日|号|周|节)(?:之|以)?前"
)
# "截至目前已完成80%", "累计完成60%": said of now, even after a date.
_NOW = re.compile(r"已|目前|现已|累计|截至|截止|现在|当前|至今")


def _a_target(text: str, pos: int) -> bool:
    """Whether the figure at ``pos`` is what its clause aims for rather than what is done."""
    start = max((text.rfind(c, 0, pos) for c in "，,。；;！!？?\n"), default=-1) + 1
    head = text[start:pos]
    aims = list(_TARGET.finditer(head))
    return bool(aims) and not _NOW.search(head[aims[-1].end() :])


def _percent_candidates(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []

    def add(pos: int, value: float) -> None:
        before = text[max(0, pos - 12) : pos]
        if _BOUND_ONLY.search(before):  # "不到一半", "不足三成": a bound, not the figure
            return
        if _a_target(text, pos):
            return
        if 0 <= value <= 100 and (not _METRIC_BEFORE.search(before) or _PROGRESS_RATE.search(before)):
            found.append((pos, round(value)))

    for m in _PCT_ARABIC.finditer(text):
        add(m.start(), float(m.group(1)))
    for m in _PCT_WORDS.finditer(text):
        raw = (m.group(1) or m.group(2)).replace("点", ".")
        if "." in raw:
            whole, _, frac = raw.partition(".")
            w = to_int(whole)
            frac = "".join(str(to_int(ch)) if not ch.isdigit() and to_int(ch) is not None else ch for ch in frac)  # 点五
            if w is not None and frac.isdigit():
                add(m.start(), float(f"{w}.{frac}"))
        elif (span := _SPAN_TENS.match(raw)) is not None:
            low, high = to_int(span.group(1)), to_int(span.group(2))
            if low is not None and high == low + 1:
                add(m.start(), low * 10)
        else:
            n = to_int(raw)
            if n is not None:
                add(m.start(), n)
    for m in _PCT_TENTHS.finditer(text):
        tens = to_int(m.group(1))
        ones = to_int(m.group(3)) if m.group(3) else 0
        upper = to_int(m.group(2)) if m.group(2) else None
        if tens is None or ones is None or (m.group(2) and (upper != tens + 1 or m.group(3))):
            continue
        add(m.start(), tens * 10 + ones)
    for m in _PCT_FRACTION.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] == "百":
            continue
        den, num = to_int(m.group(1)), to_int(m.group(2))
        if den and num is not None and num <= den:
            add(m.start(), 100 * num / den)
    for m in _PCT_HALF.finditer(text):
        add(m.start(), 50)
    for m in _PCT_CN.finditer(text):
        n = to_int(m.group(1))
        if n is not None:
            add(m.start(), n)
    counting = re.search(rf"\d\s*{_UNIT}|累计|共计|总计", text) is not None  # "共23个，已完成20": a count
    for m in [] if counting else _PCT_BARE.finditer(text):
        if 10 <= int(m.group(1)) <= 100:
            add(m.start(1), int(m.group(1)))
    for m in _PCT_SLASH.finditer(text):
        num, den = int(m.group(1)), int(m.group(2))
        if 0 < num < den <= 10:
            add(m.start(1), 100 * num / den)
    found.sort()
    return found


def split_figure(text: str) -> str | None:
    """A percent typed with a space inside that cannot be read as one figure ("1-10 2 0%",
    "措施 2 5%": 20% or 0%?); recording its last digits would put a false figure in the ledger."""
    m = _SPLIT_FIGURE.search(normalize(text))
    return m.group(0) + "%" if m else None


def percent_over_100(text: str) -> bool:
    """A progress percent above 100 ("完成120%"): a slip to ask about, never to record as done."""
    text = normalize(text)
    for m in _PCT_ARABIC.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if float(m.group(1)) > 100 and (not _METRIC_BEFORE.search(before) or _PROGRESS_RATE.search(before)):
            return True
    return False


def extract_percent(text: str) -> int | None:
    """The progress percent a message states, or ``None``.

    Percentages of a measured quantity ("绿化覆盖率35.6%", "下降11%") are targets'
    values, not progress of the work, so they are skipped.
    """
    found = _percent_candidates(normalize(text))
    return found[0][1] if found else None


# ---------------------------------------------------------------- status

_NEG_DONE = re.compile(
    r"(?:没|未|没有|尚未|还没|还未|没能)(?:有)?(?:全部|完全)?(?:完成|弄完|做完|干完|搞完|到位|整改完|通过)"
)
# Any negation before any word for getting going: "尚未开工", "还没动工", "未实施", "没开始".
_NOT_STARTED = re.compile(
    r"(?:尚未|还未|还没有?|一直没有?|仍未|暂未|没有?|未)(?:正式|真正|全面)?"
    r"(?:开始|启动|开工|动工|着手|开展|实施|施工|动静|动)|"
    r"还没弄|还没搞"
)
_LATE = re.compile(
    r"滞后|进度慢|进展慢|进展缓慢|推进缓慢|推进慢|推不动|卡住|卡壳|拖后腿|延期|延误|逾期|"
    r"来不及|赶不上|完不成|完成不了|做不完|弄不完|干不完|搞不完|落后于|进度落后|没按时"
)
_MOSTLY = re.compile(
    r"基本(?:完成|到位|建成|完工|结束|清零|形成|实现|达标|具备|落实)|差不多了|差不多完成|差不多弄完|快完了|快弄完|"
    r"主体(?:工程)?(?:已经?)?(?:完工|完成|建成|竣工)|"
    r"快完成|收尾|扫尾|就差|只剩|剩最后|大部分完成|大部分已完成|还差|只差|尚差|"
    r"完成了?(?:绝)?大部(?:分)?|(?:绝)?大部分(?:已经?)?(?:完成|完工|到位|整改|办结)|差一点|接近完成|即将完成|快要完成"
)
# "年前能完成": a forecast, like "预计月底前完成": nothing is done yet.
_ABLE = re.compile(r"(?:能|能够|可以|可望|有望|会|可)\s*(?:全部|全面|如期|按期|按时)?\s*$")
_DONE = re.compile(
    r"完成|完毕|完了|办结|销号|搞定|弄完|搞完|做完|干完|办完|弄好|做好了|都好了|立好|装好|建好|修好|"
    r"拆完|拆了|清零|全覆盖|到位|完工|竣工|建成(?!区)|已整治|已整改|印发|出台|下发|发布|上线|投产|并网|通过了|批下来|"
    r"已建立|建立了|已成立|成立了|已制定|制定了|已备案|已安装|安装了|已取缔|取缔了|已关停|关停了|已落实|落实了|落实到位|"
    r"通过了?[^，,。；;]{0,6}(?:验收|终验)|(?:验收|终验)(?:已经?)?(?:通过|合格)"
)
_ONGOING = re.compile(
    r"正在|推进中|在推进|有序推进|稳步推进|加快推进|进行中|在弄|在搞|在做|施工中|在建|在施工|在调试|"
    r"调试中|验收中|在验收|待验收|正加紧|持续推进|还没完成|未完成|尚未完成|没完成|在办|办理中|整改中|在整改|在处理|处理中"
)
_STARTED = re.compile(
    r"已启动|启动了|开始了|已开工|开工了|动工了|已部署|刚开始|开始弄|开始搞|已着手|已招标|开班|开始实施|"
    r"已经开始|开始试运行|试运行"
)
_FUTURE = re.compile(
    r"前完成|前全部完成|底前|争取|预计|计划|力争|确保|坚决|保证|一定|务必|将于|准备|下周|明天|明年|后天|尽快|马上|即将|要在|年底|月底|"
    r"下一步|下步|接下来|下阶段|下一阶段|今后|将要|打算|(?:节|号)(?:之|以)?前|日(?:之|以)?前(?!已)|"
    r"下个?(?:礼拜|星期)"
)
# "下一步将加快推进", "预计下周基本完成": what a clause says will be, not what is.
_AHEAD = re.compile(
    r"下一步|下步|接下来|下阶段|下一阶段|今后|后续将|将要|将于|拟(?!定|订|稿|写|制)|准备|打算|争取(?!到)|力争|确保|预计|即将|马上|尽快|"
    r"下周|下个?月|下个?(?:礼拜|星期)|明天|明年|(?<!按)(?<!按照)计划(?!内|中)"
)


def _ahead(clause: str, m: re.Match[str] | None) -> bool:
    return m is not None and _AHEAD.search(clause[: m.start()]) is not None


# "已完成危废企业检查20家", "已完成第一轮河道巡查": a round of routine work done, not the task.
# "已完成项目选址", "完成第一阶段任务", "完成2公里管网改造": a first step or a stretch of it.
_ACTIVITY_DONE = re.compile(
    r"完成[了]?[^，,。；;]{0,16}?(?:检查|核查|巡查|督查|监测|抽检|培训|调研|督导|暗访|座谈|会议|第[一二三四五六七八九十\d]+轮|首轮|[一二三四五六七八九十两\d]+轮|"
    r"选址|立项|招标|可研|初步设计|方案设计|前期工作|前期手续|第[一二三四五六七八九十\d]+(?:阶段|批|期|步)|一期|首批)|"
    r"(?:完成|完工|竣工|建成|闭库)[了]?(?:约|近)?\d+(?:\.\d+)?(?:公里|千米|米|平方米|亩|吨|万元|个|座|家|户|处|条|块|台|辆|栋|间|套|层)|"
    r"完成[了]?(?:约|近)?[一二三四五六七八九十两百千]+(?:公里|千米|米|平方米|亩|吨|万元|层)|"
    # "累计完成投资1200万元": money spent on the work, not the work finished
    r"完成[了]?[^，,。；;]{0,8}?\d+(?:\.\d+)?\s*(?:万|亿)?元"
)
# "已完成排查", "已完成采购待安装", "招标已完成", "第一阶段工作已结束": one step of the work done,
# the task itself goes on. The step must end its phrase: "已完成排查整治" is the work itself.
_STEP: Final = (
    r"(?:排查|摸排|摸底|普查|详查|清查|采购|招标|招投标|评标|定标|签约|合同签订|签订合同|初验|初步验收|预验收|"
    r"勘察|勘测|测绘|选址|立项|可研|设计|环评|审批|批复|征地|前期工作|前期手续|建档|"
    r"方案(?:的)?(?:制定|编制|设计|论证|评审|起草|审定)|(?:制定|编制|起草)了?[\u4e00-\u9fff]{0,8}?方案|"
    r"第[一二三四五六七八九十\d]+(?:阶段|批|期|步)|[一二]期|首批|一阶段|"
    # "已完成2018年度任务": one year's share of a task that goes on
    r"(?:\d{4}|今|本|去|上)年(?:度)?(?:的)?(?:任务|目标|计划|工作)|年度(?:任务|目标|计划))"
)
_STEP_END: Final = (
    r"(?:工作|任务|环节|程序|手续)?(?=$|[^\u4e00-\u9fff]|待|正在|正|现|目前|下一步|下步|并|后|即将|将|马上|准备|开始|进入|转入)"
)
# Said first ("招标已完成"), only the steps that are never the whole task: 排查 may be a task's
# own goal ("尾矿库排查已完成"), as is a 详查.
_STEP_FIRST: Final = (
    r"(?:采购|招标|招投标|评标|签约|合同签订|初验|初步验收|预验收|勘察|勘测|选址|立项|可研|初步设计|施工图设计|环评|"
    r"摸底|方案(?:的)?(?:制定|编制|设计|论证|评审|起草)|前期工作|前期手续|第[一二三四五六七八九十\d]+(?:阶段|批|期|步)|首批|一阶段)"
)
_STEP_DONE: Final = re.compile(
    rf"完成了?(?:对)?[\u4e00-\u9fff]{{0,10}}?{_STEP}{_STEP_END}"
    rf"|{_STEP_FIRST}(?:工作|任务|环节)?(?:已经?|均已|都已|现已)?(?:完成|结束|完毕)"
    r"|方案(?:已经?|均已|现已)?(?:制定|编制|起草)(?:完成|完毕|好了)"
)


def completes_a_step(text: str) -> bool:
    """Whether the message reports a step of the work done ("已完成采购"), not the work."""
    return any(
        _STEP_DONE.search(c) is not None and _clause_status(c) == ONGOING for c in _CLAUSE_SPLIT.split(normalize(text))
    )


# "部分完成", "初步完成", "阶段性完成": said of the task, and still not done.
_PARTLY = re.compile(
    # "只完成了一小部分", "完成少部分": some of it, so not done
    r"完成了?(?:其中)?(?:的)?(?:一|少|小|一小)?部分|"
    r"(?:部分|初步|阶段性|局部)(?:已经?)?(?:完成|完工|建成|到位)|(?:完成|弄完|做完|干完|搞完)了?(?:一)?大半|大半(?:已经?)?(?:完成|弄完|做完)"
)


# English-speaking members report in English ("1-17 completed, awaiting acceptance"); the
# same classes, with "will"/"expected to" marking what is still ahead.
_EN_AHEAD = re.compile(
    r"\b(?:will|shall|going to|plan(?:ned|s)? to|expect(?:ed|s)? to|aim(?:ed|s)? to|to be|should be|next|by the end)\b", re.I
)
_EN_STATUS: Final = (
    (NOT_STARTED, re.compile(r"\b(?:not (?:yet )?(?:started|begun|commenced)|(?:has|have)(?:n't| not) (?:yet )?(?:started|begun))\b", re.I)),
    (LATE, re.compile(r"\b(?:behind schedule|delayed|overdue|lagging|falling behind|fell behind|late)\b", re.I)),
    (MOSTLY_DONE, re.compile(
        r"\b(?:mostly|largely|basically|nearly|almost|substantially|essentially) (?:done|complete|completed|finished|in place)\b"
        r"|\b(?:finishing|wrapping) up\b", re.I)),
    (ONGOING, re.compile(
        r"\b(?:not (?:yet )?(?:done|complete|completed|finished)|incomplete|unfinished|in progress|under ?way|ongoing|progressing|"
        r"under (?:construction|rectification|review)|being (?:built|rectified|carried out|implemented|done)|"
        r"now (?:doing|carrying out|working on|moving on to)|working on)\b", re.I)),
    (DONE, re.compile(
        r"\b(?:done|complete|completed|finished|accomplished|rectified|fixed|closed|in place|all set)\b", re.I)),
    (STARTED, re.compile(r"\b(?:started|begun|launched|kicked off|commenced|got under way)\b", re.I)),
)


# "procurement completed", "phase one finished": a step done, as 已完成采购 is.
_EN_STEP = re.compile(
    r"\b(?:procurement|purchas(?:e|ing)|tender(?:ing)?|bidding|site selection|(?:preliminary |initial )?design|"
    r"feasibility (?:study|studies)|preliminary work|groundwork|initial (?:acceptance|inspection|check)|"
    r"(?:first|1st|second|2nd) (?:phase|stage|batch|round)|(?:phase|stage) (?:one|1|i)\b)",
    re.I,
)
_EN_WHOLE = re.compile(r"\b(?:all|entire|whole|fully|rectification|task)\b", re.I)
# "river patrols done three times this week", "2 illegal mining sites closed": a round of
# routine work or a count of items done, as 完成巡查3次 and 完成2处 are, not the task.
_EN_ROUTINE = re.compile(
    r"\b(?:patrol(?:s|led|ling)?|spot[- ]checks?|monitoring|trainings?|surveys?|meetings?|visits?|rounds?)\b"
    r"|\b(?:\d+|once|twice|one|two|three|four|five|six|several|multiple) times\b"
    r"|^\s*\d+\s+(?:[a-z-]+\s+){0,4}(?:sites?|points?|places?|spots?|enterprises?|compan(?:y|ies)|households?|cases?|km|kilometres?|kilometers?|tons?|tonnes?)\b",
    re.I,
)


def _clause_status_en(clause: str) -> str | None:
    for status, pattern in _EN_STATUS:
        m = pattern.search(clause)
        if m and not _EN_AHEAD.search(clause[: m.start()]):
            if status == LATE and re.search(r"\b(?:not|no|never|n't)\s+(?:\w+\s+)?$", clause[: m.start()], re.I):
                continue
            if status == DONE and (_EN_STEP.search(clause) or _EN_ROUTINE.search(clause)) and not _EN_WHOLE.search(clause):
                return ONGOING
            return status
    return None


def _clause_status(clause: str) -> str | None:
    if _LATIN.search(clause) and (said := _clause_status_en(clause)) is not None:
        return said
    if _NOT_STARTED.search(clause):
        return NOT_STARTED
    if _LATE.search(clause) and not re.search(
        r"(?:没有|没|未|无)(?:出现)?(?:滞后|延期|逾期)", clause
    ):
        return LATE
    mostly = _MOSTLY.search(clause)
    if mostly and not _ahead(clause, mostly):
        return MOSTLY_DONE
    if _NEG_DONE.search(clause) or _PARTLY.search(clause) or _BOUND_SHARE.search(clause):
        return ONGOING
    step = _STEP_DONE.search(clause)
    if step and not _FUTURE.search(clause[: step.start()]) and not re.search(r"全部|均已|都已|整改到位", clause):
        return ONGOING
    done = _DONE.search(clause)
    if done and not _FUTURE.search(clause[: done.start()]) and not _ABLE.search(clause[: done.start()]):
        return ONGOING if _ACTIVITY_DONE.search(clause) and not re.search(r"全部|均已|都已|整改到位", clause) else DONE
    ongoing = _ONGOING.search(clause)
    if ongoing and not _ahead(clause, ongoing):
        return ONGOING
    started = _STARTED.search(clause)
    if started and not _ahead(clause, started):
        return STARTED
    return None


# A clause that only says the work waits for its check ("等待验收", "待销号").
_AWAITING_CHECK: Final = re.compile(
    r"(?:目前|现|现在|正|正在)?(?:等待|等|待|申请|已申请|准备|在等|正等)(?:上级|省级|市级|市里|省里)?"
    r"(?:验收|销号|复核|核查|审核|检查验收|验收销号)(?:中|了)?|awaiting (?:acceptance|inspection|sign-?off)",
    re.I,
)
_TASK_NO: Final = re.compile(r"^\s*\d{1,3}(?:-\d{1,3})+\s*")


def extract_status(text: str) -> str | None:
    """One of :data:`STATUSES` for the message, or ``None``.

    Clauses are read separately because chat mixes them: "两个都立好了，剩一个在验收"
    is neither done nor merely ongoing; a stated remainder or a percent below 100
    turns "done" into "mostly done" or "ongoing".
    """
    text = normalize(text)
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    said = [(c, _clause_status(c)) for c in clauses]
    if any(s == DONE for _, s in said):  # "已全部完成，等待验收": done, the check is the office's
        said = [(c, s) for c, s in said if not (s == ONGOING and _AWAITING_CHECK.fullmatch(_TASK_NO.sub("", c).strip()))]
    statuses = [s for _, s in said if s]
    counts = extract_counts(text)
    if not statuses:  # "还剩1处隐患没整改": what is left says the work goes on
        return ONGOING if counts.remaining else None
    percent = extract_percent(text)
    if percent is None:
        percent = counted_percent(counts)
    begun = bool(percent) or bool(counts.done)
    # "进度60%，措施2还没开始", "措施2未启动，其余已完成": a part not started, the work is under way
    if NOT_STARTED in statuses and (begun or any(s in statuses for s in (DONE, MOSTLY_DONE, STARTED))):
        if not begun and LATE not in statuses:
            return ONGOING  # some of it done, some not begun: neither finished nor untouched
        statuses = [ONGOING if s == NOT_STARTED else s for s in statuses]
    for strong in (NOT_STARTED, LATE):
        if strong in statuses:
            return strong
    if DONE in statuses or MOSTLY_DONE in statuses:
        if percent is not None and percent < 100:
            return MOSTLY_DONE if percent >= 90 else ONGOING
        if counts.remaining:
            done = counts.done
            if done is not None and counts.remaining > done:
                return ONGOING
            return MOSTLY_DONE
        if MOSTLY_DONE in statuses:
            return MOSTLY_DONE
        if ONGOING in statuses and DONE in statuses and statuses[-1] == ONGOING:
            return MOSTLY_DONE
        return DONE
    if ONGOING in statuses:
        return ONGOING
    return STARTED


# ---------------------------------------------------------------- counts

# "还剩永城2座", "还差8块": a place may stand between the word and the count.
_REMAIN = re.compile(rf"(?:还剩下|还剩|剩下|剩余|尚余|只剩|剩|还差|尚差)(?:最后)?[\u4e00-\u9fff]{{0,4}}?({_NUM}){_UNIT}")
_REMAIN_OPEN = re.compile(
    rf"(?:还有|尚有|仍有)({_NUM}){_UNIT}[^，,。；;]{{0,6}}?(?:没|未|尚未|正在|在)"
)
_TOTAL = re.compile(
    rf"(?:一共|总共|合计|共计|共排查出?|共有|共)({_NUM}){_UNIT}"
    rf"|应(?:排查|整改|完成|建设|安装|改造|拆除|清理|核查|检查)[\u4e00-\u9fff]{{0,6}}?({_NUM}){_UNIT}"
)
_DONE_BEFORE = re.compile(
    rf"(?:完成了?|完工了?|竣工了?|闭库了?|整改了?|取缔了?|关停了?|淘汰了?|拆除了?|建成了?|安装了?|清理了?|办结了?|销号|查处了?|"
    rf"处理了?|搬迁了?|改造了?|立了|装了|整合了?|整治了?|拆了|到位了?|(?:已|现已)(?:排查|核查|检查)了?[\u4e00-\u9fff]{{0,5}}?)({_NUM}){_UNIT}"
    # "完成验收3个", "完成改造5个小区": the work named between the verb and the count
    rf"|(?:已经|已)?(?:完成|整改)(?:验收|改造|整治|整改|销号|清理|排查|治理|建设|安装)了?({_NUM}){_UNIT}"
    # "完成整治的有72家", "整改到位的是18个"
    rf"|(?:完成|整改|整治|到位|关停|取缔|拆除)的(?:有|是)?({_NUM}){_UNIT}"
)
_DONE_AFTER = re.compile(
    rf"({_NUM}){_UNIT}[^，,。；;剩]{{0,12}}?(?:都|均|已|全部)(?:已|经)?[^，,。；;剩]{{0,6}}?"
    r"(?:完成|好了|到位|建成|完工|取缔|拆除|关停|整改|办结|销号)"
)


# "剩一个在验收": the remainder is built and waits for a check, so no share can be told.
_REMAIN_CHECKED = re.compile(
    rf"(?:还剩下|还剩|剩下|剩余|尚余|只剩|剩)(?:最后)?{_NUM}{_UNIT}[^，,。；;]{{0,4}}?"
    r"(?:验收|审核|复核|销号|审批|公示|核查)"
)

# "10个完成了8个", "12处中已整改9处": the whole first, then the done part.
_TOTAL_THEN_DONE = re.compile(
    rf"({_NUM}){_UNIT}[\u4e00-\u9fff]{{0,4}}?(?:中|里|当中)?[,，]?(?:已经|已)?"
    rf"(?:(?:完成|整改|取缔|关停|拆除|改造|整治|办结|销号|建成|安装|清理|搬迁)了?){{1,2}}"
    # "9个支部完成标准化建设7个": what was done may be named before the count
    rf"(?:[\u4e00-\u9fff]{{2,6}}?)?({_NUM}){_UNIT}"
    # "已清退76户中的41户"
    rf"|({_NUM}){_UNIT}中的({_NUM}){_UNIT}"
)


# English: "10 of 12 sites inspected", "8 out of 10 done".
_OF_TOTAL = re.compile(r"(?<![\d.])(\d{1,6})\s+(?:out\s+)?of\s+(?:the\s+)?(\d{1,6})(?![\d.%])", re.I)


# "共1.2万家，已整治9000家": a count in 万 or 亿, decimals and all, is one number; read digit by
# digit it would be "2万" and the share of the work false.
_SCALED_COUNT = re.compile(rf"(\d+(?:\.\d+)?)\s*(万|亿)(?={_UNIT})")


def _unscaled(m: re.Match[str]) -> str:
    return str(round(float(m.group(1)) * (10_000 if m.group(2) == "万" else 100_000_000)))


def extract_counts(text: str) -> Counts:
    """Items done, remaining and in all, e.g. "完成3个", "剩两个", "共排查出17个"."""
    text = _SCALED_COUNT.sub(_unscaled, normalize(text))

    def first(pattern: re.Pattern[str]) -> int | None:
        for m in pattern.finditer(text):
            if _FUTURE.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            n = to_int(next(g for g in m.groups() if g is not None))
            if n is not None:
                return n
        return None

    remaining = first(_REMAIN)
    if remaining is None:
        remaining = first(_REMAIN_OPEN)
    total = first(_TOTAL)
    done: int | None = None
    pair = _TOTAL_THEN_DONE.search(text)
    if pair is not None and total is None and not _FUTURE.search(text[max(0, pair.start() - 4) : pair.start()]):
        whole, part = (pair.group(1), pair.group(2)) if pair.group(1) else (pair.group(3), pair.group(4))
        total, done = to_int(whole), to_int(part)
    english = _OF_TOTAL.search(text)
    if english is not None and total is None and done is None:
        done, total = int(english.group(1)), int(english.group(2))
    if done is None:
        done = first(_DONE_BEFORE)
    if done is None:
        done = first(_DONE_AFTER)
    if remaining is None and total is not None and done is not None and total >= done:
        remaining = total - done  # 共12处，已整改9处: three to go
    if total is None and done and remaining and not _REMAIN_CHECKED.search(text):
        total = done + remaining  # 完成3个，剩2个: five in all
    return Counts(done=done, remaining=remaining, total=total)


def counted_percent(counts: Counts) -> int | None:
    """The share done when a message counts both the whole and the done part."""
    if counts.total and counts.done is not None and counts.done <= counts.total:
        return round(100 * counts.done / counts.total)
    if counts.total and counts.done is None and counts.remaining is not None and counts.remaining <= counts.total:
        return round(100 * (counts.total - counts.remaining) / counts.total)  # 还剩两个没完成，共五个
    return None


# ---------------------------------------------------------------- dates

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_DATE_FULL = re.compile(
    rf"(?:(\d{{4}}|[{_CN_DIGITS}]{{4}})年)?([\d{_CN_DIGITS}]{{1,3}})月(?:份)?([\d{_CN_DIGITS}]{{1,3}})[日号]"
)
_DATE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_DAY = re.compile(rf"(?<![月\d{_CN_DIGITS}])([\d{_CN_DIGITS}]{{1,3}})号")
_DATE_WEEK = re.compile(r"(上上|上|本|这|下)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天末1-7])")
_DATE_REL = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "今天": 0,
    "今日": 0,
    "今晚": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
_DATE_MONTH_END = re.compile(r"(上个?月|本月|这个?月|下个?月)?月?底")


def _nearest_year(today: date, month: int, day: int) -> date | None:
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - today).days)) if options else None


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def extract_dates(text: str, today: date) -> list[date]:
    """Dates a message names, in the order written, resolved against ``today``.

    A date without a year is taken in whichever year puts it nearest to today:
    "12月28日" written on 2 January means last December.
    """
    text = normalize(text)
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for m in _DATE_ISO.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
            taken.append(m.span())
        except ValueError:
            continue
    for m in _DATE_FULL.finditer(text):
        if not free(m):
            continue
        month, day = to_int(m.group(2)), to_int(m.group(3))
        if month is None or day is None:
            continue
        year = to_int(m.group(1)) if m.group(1) else None
        try:
            when = date(year, month, day) if year else _nearest_year(today, month, day)
        except ValueError:
            when = None
        if when:
            found.append((m.start(), when))
            taken.append(m.span())
    for m in _DATE_DAY.finditer(text):
        if not free(m):
            continue
        day = to_int(m.group(1))
        if day is None or not 1 <= day <= 31:
            continue
        when = _nearest_year(today, today.month, day) if day <= 28 or _valid(today, day) else None
        if when:
            found.append((m.start(), when))
            taken.append(m.span())
    for m in _DATE_WEEK.finditer(text):
        if not free(m):
            continue
        shift = {"上上": -14, "上": -7, "下": 7}.get(m.group(1) or "", 0)
        wd = m.group(2)
        weekday = int(wd) - 1 if wd.isdigit() else _WEEKDAYS[wd]
        monday = today - timedelta(days=today.weekday())
        found.append((m.start(), monday + timedelta(days=shift + weekday)))
        taken.append(m.span())
    for word, offset in _DATE_REL.items():
        for m in re.finditer(word, text):
            if free(m):
                found.append((m.start(), today + timedelta(days=offset)))
                taken.append(m.span())
    for m in _DATE_MONTH_END.finditer(text):
        if not free(m) or text[max(0, m.start() - 1) : m.start()] == "年":
            continue
        which = m.group(1) or ""
        year, month = today.year, today.month
        if which.startswith("上"):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        elif which.startswith("下"):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        found.append((m.start(), _month_end(year, month)))
        taken.append(m.span())
    for m in re.finditer(r"(?<![上下明去今])年底", text):
        if free(m):
            found.append((m.start(), date(today.year, 12, 31)))
    found.sort(key=lambda item: item[0])
    return [d for _, d in found]


def _valid(today: date, day: int) -> bool:
    try:
        date(today.year, today.month, day)
    except ValueError:
        return False
    return True


# "困难：选址未落地，请市政府协调", "存在问题：资金缺口大": the difficulty column of a 旬报,
# the unit's word on its task even when no figure moves.
# Asking the office (or a leader) to step in, not only naming a difficulty.
_SUPPORT = re.compile(
    r"请求?[^，,。；;！!？?]{0,6}(?:协调|支持|帮助|协助|帮忙)|需要?[^，,。；;！!？?]{0,8}(?:协调|支持|帮助|协助)|"
    r"\b(?:please (?:help|coordinate|assist|support)|need (?:help|support|coordination))",
    re.I,
)
_PROBLEM = re.compile(
    r"存在(?:的)?(?:主要)?(?:问题|困难)|困难|难点|堵点|瓶颈|资金缺口|缺口较?大|\b(?:problems?:|difficult(?:y|ies))|"
    + _SUPPORT.pattern,
    re.I,
)


# The next step as English reports put it ("1-12 next step: dredge …", "will finish by June");
# the Chinese forms are read by bot.intent.
_PLANS_AHEAD_EN = re.compile(r"\b(?:next steps?|will|plan(?:ned|s)? to|going to|by the end of)\b", re.I)


def plans_ahead(text: str) -> bool:
    """Whether an English message says what comes next."""
    return _PLANS_AHEAD_EN.search(text) is not None



def asks_for_support(text: str) -> bool:
    """Whether a report asks for coordination or help: the 整改办 should hear of it at once."""
    return _SUPPORT.search(normalize(text)) is not None


def raises_problem(text: str) -> bool:
    """Whether a message speaks of a difficulty or asks for help."""
    return _PROBLEM.search(normalize(text)) is not None


def extract(text: str, *, today: date) -> Extraction:
    """Percent, status, dates and counts of one message."""
    dates = tuple(extract_dates(text, today))
    counts = extract_counts(text)
    percent = extract_percent(text)
    return Extraction(
        percent=percent if percent is not None else counted_percent(counts),
        status=extract_status(text),
        dates=dates,
        counts=counts,
    )
