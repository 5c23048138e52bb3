"""Which task (and measure) a chat report is about.

A report logged against the wrong task is worse than no report, so the matcher returns
ranked candidates with a 0–100 score and a decision: ``accept`` only when one task is
clearly ahead, ``ask`` when it is among a few, ``nothing`` when the message names no task.

How it scores, and why:

* Terms are jieba words (taught the plan's unit names, people and quoted domain terms,
  so "市生态环境局已完成" does not become "局已") with every synonym of
  ``bot/data/synonyms.txt`` written in its canonical form (散乱污企业 → 散乱污,
  扬尘办 → 城管局), plus character bigrams inside words and next to lone characters,
  so jieba cutting an unknown word apart costs little.
* Pinyin-IME slips (扬城 for 扬尘, 黑丑 for 黑臭, 铸照 for 铸造) are caught generically:
  a stretch of the message that is no known word but is spelt like one of the plan's
  words under fuzzy pinyin (``homophones.txt``: zh=z, -ng=-n, l=n, tones ignored)
  counts as that word, a little discounted.
* Every term is weighted by its BM25 inverse document frequency over the plan's tasks.
  Words every task shares (各县(市、区), 整改, the city's name) weigh almost nothing,
  without a hand-kept stop list per plan. Place names are damped further: they say who
  reports, not what about.
* A task's score is how much of the message's weight it covers, mixed with how much
  its best measure alone covers (a coherent hit in one measure beats scattered words),
  plus a small rapidfuzz alignment bonus for near-verbatim quotes of the plan.
* An inverted index (term → tasks) gathers candidates from the rarer terms only, so a
  message costs milliseconds against 10,000 tasks; frequent terms are then scored only
  on those candidates.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import logging
import math
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from rapidfuzz import fuzz

from bot.extract import normalize as _nfkc
from bot.extract import plans_ahead, raises_problem
from bot.intent import (
    Intent,
    answers_for_the_period,
    classify,
    goes_well,
    has_progress,
    simplified,
    states_progress,
)
from bot.task_refs import RefIndex, named_measure

if TYPE_CHECKING:
    import jieba

    from bot.plandata import ParsedPlan, PlanTask

Decision = Literal["accept", "ask", "nothing"]

_CJK = re.compile(r"[\u3400-\u9fff]+")
_ASCII_TERM = re.compile(r"[a-z][a-z0-9.]*[0-9a-z]|[0-9]{3,}")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,10})[”\"」』]")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:县|区|市|镇|乡|街道|办事处)$")
_GENERIC_PLACES = frozenset(
    "城市 全市 市区 城区 县区 园区 社区 辖区 地区 小区 景区 片区 山区 市县 县市 省市 本市 我市 各县 "
    "我县 我区 本县 本区 全县 全区 新区 开发区 示范区 集聚区 建成区 主城区 省辖市 县级市 城乡 乡镇 "
    "禁行区 保护区 生产区 密集区 商业区 工业区 功能区 老城区 中心城区 市辖区 管理区".split()
)
_UNIT_SUFFIX = re.compile(r"(?:人民政府|政府|党委|管委会|党工委)$")

# The plans are Chinese; a member who reports in English names the same matters in English.
# Each phrase is read as the plan's word for it (longest first), so "tailings pond
# inspection is 70% done" finds 尾矿库 as "尾矿库排查完成70%" would.
_ENGLISH: Final = {
    "tailings ponds": "尾矿库", "tailings pond": "尾矿库", "tailings dams": "尾矿库", "tailings dam": "尾矿库",
    "tailings": "尾矿库", "drinking water sources": "饮用水水源地", "drinking water source": "饮用水水源地",
    "water source protection areas": "水源地保护区", "water source protection area": "水源地保护区",
    "water source protection zones": "水源地保护区", "water source protection zone": "水源地保护区",
    "water sources": "水源地", "water source": "水源地", "drinking water": "饮用水", "protection area": "保护区",
    "protection zone": "保护区", "boundary markers": "界碑", "boundary marker": "界碑", "boundary signs": "界碑",
    "warning signs": "警示标志", "hazardous waste": "危险废物", "hazardous wastes": "危险废物",
    "solid waste": "固体废物", "medical waste": "医疗废物", "sand mining": "采砂", "sand dredging": "采砂",
    "illegal sand": "非法采砂", "riverways": "河道", "riverway": "河道", "river courses": "河道", "river course": "河道",
    "rivers": "河流", "river": "河流", "river chief": "河长制", "lakes": "湖泊", "soil pollution": "土壤污染",
    "soil": "土壤", "black and odorous water": "黑臭水体", "black and smelly water": "黑臭水体",
    "black-odorous water": "黑臭水体", "sewage treatment plants": "污水处理厂", "sewage treatment plant": "污水处理厂",
    "wastewater treatment plant": "污水处理厂", "sewage treatment": "污水处理", "sewage pipes": "污水管网",
    "sewage network": "污水管网", "sewage": "污水", "wastewater": "废水", "industrial clusters": "产业集聚区",
    "industrial cluster": "产业集聚区", "industrial parks": "工业园区", "industrial park": "工业园区",
    "water pollution": "水污染", "air pollution": "大气污染", "air quality": "空气质量", "blue sky": "蓝天保卫战",
    "clear water": "碧水保卫战", "clean soil": "净土保卫战", "dust control": "扬尘", "dust": "扬尘",
    "construction sites": "建筑工地", "construction site": "建筑工地", "bare soil": "裸土", "loose coal": "散煤",
    "bulk coal": "散煤", "clean coal": "洁净型煤", "coal briquettes": "洁净型煤", "coal-fired": "燃煤",
    "coal consumption": "煤炭消费", "coal": "燃煤", "boilers": "锅炉", "boiler": "锅炉",
    "coal to gas": "双替代", "coal to electricity": "双替代", "clean heating": "清洁取暖",
    "motor vehicles": "机动车", "motor vehicle": "机动车", "vehicles": "机动车", "vehicle": "机动车",
    "diesel trucks": "柴油货车", "diesel truck": "柴油货车", "trucks": "货车", "roadside inspection": "路检",
    "inspection stations": "检验机构", "inspection station": "检验机构", "rail freight": "铁路货运",
    "transport structure": "运输结构", "energy structure": "能源结构", "industrial layout": "产业布局",
    "industrial structure": "产业结构", "scattered polluting enterprises": "散乱污", "scattered polluting": "散乱污",
    "polluting enterprises": "散乱污", "foundries": "铸造企业", "foundry": "铸造企业", "casting": "铸造",
    "steel": "钢铁", "coking": "焦化", "cement": "水泥", "ceramics": "陶瓷", "glass": "玻璃",
    "straw burning": "秸秆焚烧", "straw": "秸秆", "wetlands": "湿地", "wetland": "湿地",
    "mine restoration": "矿山地质环境恢复治理", "mines": "矿山", "mine": "矿山", "mining": "矿山",
    "accountability": "问责", "heavy pollution": "重污染天气", "smog": "重污染天气", "emergency response": "应急",
    "disclosure": "公开", "disclosed": "公开", "published": "公开", "media": "新闻媒体", "publicity": "宣传",
    "rectification plan": "整改方案", "ledger": "台账", "garbage": "垃圾", "rubbish": "垃圾", "waste": "废物",
    "rural living environment": "农村人居环境", "rural": "农村", "toilets": "厕所", "livestock": "畜禽养殖",
    "farms": "养殖场", "fertilizer": "化肥", "pesticides": "农药", "monitoring": "监测", "water quality": "水质",
    "enforcement": "执法", "law enforcement": "执法", "inspections": "检查", "inspection": "检查", "detailed survey": "详查", "survey": "排查",
    "investigation": "排查", "risk": "风险", "environmental risk": "环境风险", "closure": "闭库",
}
_LATIN_WORD: Final = re.compile(r"[a-z]{2,}")
_ENGLISH_RE: Final = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_ENGLISH, key=len, reverse=True)) + r")\b"
)


def _margin(scored: list[Scored]) -> float:
    return scored[0].score - (scored[1].score if len(scored) > 1 else 0.0)


def _english_terms(text: str) -> str:
    return _ENGLISH_RE.sub(lambda m: f" {_ENGLISH[m.group(0)]} ", text)


# What a 旬报 says beside the progress: the next step, the difficulty, the help wanted
# ("…完成80%下一步做好长效管理", "…主要是资金不到位 请协调"). Their words are about other
# matters and dilute the match; the task is named where the progress is.
_SIDE_CLAUSE = re.compile(
    r"(?:下一步|下步|接下来|下一?阶段|今后|存在(?:的)?(?:主要)?(?:问题|困难)|主要(?:问题|困难|原因)?是|原因是|困难是|"
    r"请求?(?:市里|上级|领导|整改办)?(?:协调|支持|帮助|帮忙)|需要?[^，,。；;！!？?\s]{0,8}(?:协调|支持|帮助)|建议)"
    r"[^，,。；;！!？?\n]*"
)
# "…已完成一座，另一座正在施工": a clause going on about the matter already named says nothing new
# of what it is; its own words ("施工") only pull towards other tasks.
_FOLLOW_ON = re.compile(
    r"(?<=[，,。；;\s])(?:另一|另外一|另外的|另外(?:\d+|[两二三四五六七八九十几]+)\s*[个条座家处项台辆所户](?!-)|其余|其他|其它|剩下|剩余|余下|第[二三四五六七八九十\d]+(?:批|阶段|期|轮))[^，,。；;！!？?\n]*"
)
# A long, spoken report opens with framing ("今天跟大家汇报一下我们这边的情况") and closes with a
# forecast ("预计月底前能全部完成"): neither says what the work is, and on their words the
# topic of the middle is diluted below what the same facts said short would score.
_FORECAST = re.compile(r"(?:预计|预期|有望|力争|争取)[^，,。；;！!？?\n]*")
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+[，,。；;！!？?\n]*")
TOPIC_WORD = 0.5
"""A clause whose best word weighs less than this share of the rarest word's names no matter."""
WORD_SHARE = 0.6
"""Share of the score from whole words; the rest comes from folded character bigrams."""
UNKNOWN_WORD_WEIGHT = 0.25
UNKNOWN_BIGRAM_WEIGHT = 0.08
"""Weights of words and bigrams the plan never uses, as shares of the rarest term's weight."""
PLACE_DAMPING = 0.15
TYPO_FACTOR = 0.8
CANDIDATE_POOL = 40
POSTING_BUDGET = 4000
ALIGN_POOL = 4
MEASURE_ALIGN_LEAD = 10
MEASURE_POOL = 12
HMM_LIMIT = 400
"""Longer texts are cut without jieba's HMM, whose Viterbi pass dominates on them."""


# ---------------------------------------------------------------- vocabulary data


def _data_lines(name: str) -> list[str]:
    """Lines of a packaged data file, then of the admin's copy in $RECTIBOT_DATA_DIR."""
    text = resources.files("bot").joinpath("data", name).read_text(encoding="utf-8")
    lines = text.splitlines()
    extra_dir = os.environ.get("RECTIBOT_DATA_DIR")
    if extra_dir:
        extra = Path(extra_dir) / name
        if extra.is_file():
            lines += extra.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _norm(text: str) -> str:
    return _nfkc(text).lower()


def load_synonyms() -> dict[str, str]:
    """Term → canonical term, from the packaged groups and the admin-extensible file.

    Read on every :meth:`Matcher.build`, so an admin's additions apply at the next
    plan import or restart without a deploy.
    """
    mapping: dict[str, str] = {}
    for line in _data_lines("synonyms.txt"):
        words = [_norm(w) for w in line.split()]
        if not words:
            continue
        canonical = mapping.get(words[0], words[0])
        for word in words:
            mapping.setdefault(word, canonical)
    return mapping


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """Read once per process: unlike synonyms, stopwords are not an admin's daily tool."""
    return frozenset(w for line in _data_lines("stopwords.txt") for w in line.split())


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))


def _fuzzy_syllable(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2:
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=1)
def _homophone_table() -> dict[str, str]:
    """Character → a representative of its fuzzy-pinyin class (first reading listed wins)."""
    classes: dict[str, str] = {}
    table: dict[str, str] = {}
    for line in _data_lines("homophones.txt"):
        syllable, _, chars = line.partition(" ")
        key = _fuzzy_syllable(syllable.strip())
        for ch in chars.strip():
            if ch not in table:
                table[ch] = classes.setdefault(key, ch)
    return table


# ---------------------------------------------------------------- jieba


_JIEBA_LOCK = threading.Lock()
_JIEBA: jieba.Tokenizer | None = None
_JIEBA_WORDS: set[str] = set()


def tokenizer() -> jieba.Tokenizer:
    """The process's one jieba tokenizer; its dictionary load costs about a second."""
    global _JIEBA
    if _JIEBA is None:
        with _JIEBA_LOCK:
            if _JIEBA is None:
                import jieba as _jieba

                _jieba.setLogLevel(logging.WARNING)
                tok = _jieba.Tokenizer()
                tok.initialize()
                _JIEBA = tok
    return _JIEBA


def teach(words: Iterable[str]) -> None:
    """Add plan vocabulary to jieba once; repeated words are skipped cheaply."""
    tok = tokenizer()
    with _JIEBA_LOCK:
        for word in words:
            word = _norm(word).strip()
            if len(word) >= 2 and word not in _JIEBA_WORDS:
                tok.add_word(word, freq=max(tok.suggest_freq(word, tune=False), 50000))
                _JIEBA_WORDS.add(word)


# ---------------------------------------------------------------- public data


@dataclass
class MatchTask:
    """The parts of a task the matcher reads; measures are numbered from 1 unless ``measure_nos``.

    ``ref`` is the key results name the task by; ``label`` the plan's own number (1-17)
    when that is something else, as in the bot, whose refs are task ids.
    """

    ref: str
    title: str
    problem: str = ""
    goal: str = ""
    measures: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    measure_nos: list[int] | None = None
    label: str = ""

    @classmethod
    def from_plan_task(cls, task: PlanTask) -> MatchTask:
        return cls(
            ref=task.ref,
            title=task.title,
            problem=task.problem,
            goal=task.goal,
            measures=[m.text for m in task.measures],
            units=task.all_units(),
            names=[*task.leaders, *task.persons],
            measure_nos=[m.no for m in task.measures],
        )

    def measure_no(self, index: int) -> int:
        if self.measure_nos and index < len(self.measure_nos):
            return self.measure_nos[index]
        return index + 1

    def has_measure(self, no: int) -> bool:
        return no in self.measure_nos if self.measure_nos else 1 <= no <= len(self.measures)


@dataclass(frozen=True)
class Candidate:
    """A task the message may be about; ``measure`` is the 1-based plan number, when one
    measure stands out, else ``None``; ``score`` is 0–100."""

    ref: str
    measure: int | None
    score: int

    def to_json(self) -> dict[str, object]:
        return {"ref": self.ref, "measure": self.measure, "score": self.score}


@dataclass(frozen=True)
class MatchResult:
    """What the bot should do with one message: data only, never a reply text.

    ``intent`` is "report", "question" or "none"; ``decision`` is "accept" (record
    ``accepted`` without asking), "ask" (offer ``candidates``) or "nothing".
    """

    intent: str
    candidates: list[Candidate]
    decision: Decision
    accepted: str | None

    @property
    def accepted_measure(self) -> int | None:
        if self.accepted is None:
            return None
        return next((c.measure for c in self.candidates if c.ref == self.accepted), None)


@dataclass(frozen=True)
class Scored:
    """One task's score for a message: ``coverage`` is the share of the message's weight
    the task holds anywhere, ``words`` how many of its words it holds, ``specificity``
    the weight of the rarest of them relative to a word found in one task only (a report
    naming only common words is not specific)."""

    index: int
    score: float
    measure: int | None
    coverage: float
    words: int
    specificity: float
    title: float = 0.0  # the share of the message's weight the task's title holds
    close: tuple[int, ...] = ()  # measures that tie for the best when none stands out


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds; defaults were set on ``tests/data/devset.jsonl``.

    ``accept`` needs a score and a lead over the next task, because two tasks of one
    plan often share most words (县级水源地 in 1-10 and 1-14); ``floor`` is the score
    below which a message names no task.
    """

    accept: int = 55
    lead: int = 12
    alone_accept: int = 42
    alone_lead: int = 25
    ask: int = 22
    floor: int = 18
    coverage_lead: float = 0.04
    min_words: int = 2
    min_specificity: float = 0.6
    measure_lead: float = 0.08
    # one word is enough when it is among the plan's rarest (尾矿库: one task has it) and
    # the message states progress; the score and lead rules still apply
    sole_word_specificity: float = 0.95
    # a task whose title holds (nearly) all of the message, where no close rival's title holds any
    title_share: float = 0.9
    title_specificity: float = 0.8


# ---------------------------------------------------------------- analysis


@dataclass
class _Doc:
    terms: frozenset[str]
    title_terms: frozenset[str]
    measure_terms: list[frozenset[str]]
    measure_texts: list[str]
    head_text: str


class _Analyzer:
    """Text → weighted terms, shared by index building and queries."""

    def __init__(self, synonyms: dict[str, str], places: set[str]) -> None:
        self.synonyms = synonyms
        self.places = places
        self.stop = _stopwords()
        self.homophones = _homophone_table()
        variants = sorted((w for w in synonyms if len(w) >= 2), key=len, reverse=True)
        self._variant_re = re.compile("|".join(map(re.escape, variants))) if variants else None
        self.typos: dict[str, str | None] = {}
        self.plan_words: set[str] = set()

    def is_place(self, word: str) -> bool:
        return word in self.places or (
            _PLACE.match(word) is not None and word not in _GENERIC_PLACES
        )

    def fold(self, text: str) -> str:
        fold = self.homophones
        return "".join(fold.get(ch, ch) for ch in text)

    def prepare(self, text: str) -> str:
        """NFKC, lower case, and every synonym written as its canonical form.

        Done on the string rather than on tokens because variants such as
        河(湖)长制 contain punctuation jieba would split on.
        """
        text = _norm(text)
        if _LATIN_WORD.search(text):
            text = _english_terms(text)
        if self._variant_re is None:
            return text
        return self._variant_re.sub(lambda m: self.synonyms[m.group(0)], text)

    def learn_typos(self, words: Iterable[str]) -> None:
        """Remember the plan's words by their fuzzy-pinyin spelling, for IME slips."""
        for word in words:
            if not 2 <= len(word) <= 4 or not _CJK.fullmatch(word):
                continue
            self.plan_words.add(word)
            key = self.fold(word)
            if key == word and all(ch not in self.homophones for ch in word):
                continue
            known = self.typos.get(key, word)
            self.typos[key] = word if known == word else None

    def _runs(self, tokens: list[str]) -> list[list[str]]:
        """Stretches of content tokens: text cut at stopwords, place names, punctuation, digits."""
        runs: list[list[str]] = []
        current: list[str] = []
        for tok in tokens:
            if tok in self.stop or not _CJK.fullmatch(tok) or self.is_place(tok):
                if current:
                    runs.append(current)
                    current = []
                continue
            current.append(tok)
        if current:
            runs.append(current)
        return runs

    @staticmethod
    def _search_words(tokens: list[str]) -> Iterable[str]:
        """jieba's search mode from one precise cut: known 2- and 3-character parts of
        longer words, then the word itself (饮用水水源地 → 饮用 水源 水源地 …)."""
        freq = tokenizer().FREQ
        for tok in tokens:
            if len(tok) > 2:
                for size in (2, 3):
                    if len(tok) > size:
                        for i in range(len(tok) - size + 1):
                            part = tok[i : i + size]
                            if freq.get(part):
                                yield part
            yield tok

    @staticmethod
    def _bigrams(run: list[str]) -> Iterable[str]:
        """Bigrams inside words, and across a boundary only next to a lone character.

        Two whole words side by side ("纳入|河长") make a bigram ("入河") that means
        nothing; a lone character is where jieba broke an unknown word apart.
        """
        prev = ""
        for tok in run:
            if prev and (len(prev) == 1 or len(tok) == 1):
                yield prev[-1] + tok[0]
            for a, b in itertools.pairwise(tok):
                yield a + b
            prev = tok

    def terms(self, text: str, *, typos: bool = False) -> tuple[dict[str, float], set[str]]:
        """Terms with a weight factor (1.0, less for typo guesses) and the place terms.

        Words are prefixed ``w``, bigrams ``b``.
        """
        text = self.prepare(text)
        out: dict[str, float] = {}
        places: set[str] = set()
        hmm = len(text) <= HMM_LIMIT
        tokens = [t for t in tokenizer().cut(text, HMM=hmm) if t.strip()]
        for tok in self._search_words(tokens):
            if len(tok) < 2 or tok in self.stop:
                continue
            if not _CJK.fullmatch(tok) and not _ASCII_TERM.fullmatch(tok):
                continue
            term = "w" + self.synonyms.get(tok, tok)
            out[term] = 1.0
            if self.is_place(tok):
                places.add(term)
        for m in _ASCII_TERM.finditer(text):
            out.setdefault("w" + self.synonyms.get(m.group(0), m.group(0)), 1.0)
        for run in self._runs(tokens):
            for bigram in self._bigrams(run):
                out.setdefault("b" + bigram, 1.0)
            if typos:
                self._typo_terms("".join(run), out)
        return out, places

    def _typo_terms(self, run: str, out: dict[str, float]) -> None:
        freq = tokenizer().FREQ
        for size in (4, 3, 2):
            for start in range(len(run) - size + 1):
                window = run[start : start + size]
                if window in self.plan_words or freq.get(window):
                    continue
                word = self.typos.get(self.fold(window))
                if word:
                    out.setdefault("w" + self.synonyms.get(word, word), TYPO_FACTOR)
                    for a, b in itertools.pairwise(word):
                        out.setdefault("b" + a + b, TYPO_FACTOR)


# ---------------------------------------------------------------- matcher


def _unit_key(name: str) -> str:
    name = re.sub(r"[\s()（）]", "", _norm(name))
    return _UNIT_SUFFIX.sub("", name)


class Matcher:
    """An index over one plan set; build once per import, query per message."""

    def __init__(
        self,
        tasks: list[MatchTask],
        docs: list[_Doc],
        idf: dict[str, float],
        postings: dict[str, list[int]],
        analyzer: _Analyzer,
        thresholds: Thresholds,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.tasks = tasks
        self._docs = docs
        self._idf = idf
        self._postings = postings
        self._analyzer = analyzer
        self.thresholds = thresholds
        self._cap = max(64, len(tasks) // 25)
        n = max(1, len(tasks))
        self._idf_max = math.log((n - 0.5) / 1.5 + 1.0)
        self._unit_aliases = {_unit_key(a): _unit_key(c) for a, c in (aliases or {}).items()}
        self._unit_keys = [{self._unit_canon(u) for u in t.units} for t in tasks]
        self._unit_cache: dict[str, frozenset[str]] = {}
        self._refs = RefIndex([t.label or t.ref for t in tasks])
        self._county_tasks = [
            any("各县" in u or "县(市、区)" in u or "县(市,区)" in u for u in t.units)
            for t in tasks
        ]

    # ---- building

    @classmethod
    def build(
        cls,
        tasks: Sequence[MatchTask],
        *,
        aliases: Mapping[str, str] | None = None,
        words: Iterable[str] = (),
        thresholds: Thresholds | None = None,
    ) -> Matcher:
        """Index ``tasks``: teach jieba their vocabulary, compute IDF, build postings.

        ``aliases`` (a plan's 市扬尘办 → 市城管局) join the synonym groups; ``words`` are
        extra terms jieba must keep whole (the importer's ``vocabulary(plan)``).
        """
        task_list = list(tasks)
        vocab: set[str] = set(words)
        places: set[str] = set()
        synonyms = load_synonyms()
        for alias, canonical in (aliases or {}).items():
            key, target = _norm(alias), _norm(canonical)
            if key and target and key != target:
                synonyms.setdefault(key, synonyms.get(target, target))
                vocab.update((alias, canonical))
        for task in task_list:
            for unit in task.units:
                vocab.add(unit)
                short = _UNIT_SUFFIX.sub("", unit)
                if short != unit and _PLACE.match(short):
                    places.add(short)
                    if len(short) > 2:
                        places.add(short[:-1])
            vocab.update(task.names)
            for text in (task.title, task.problem, task.goal, *task.measures):
                vocab.update(m.group(1) for m in _QUOTED.finditer(text))
        vocab.update(w for w in synonyms if _CJK.fullmatch(w))
        teach(sorted(vocab))
        analyzer = _Analyzer(synonyms, {_norm(p) for p in places})

        docs: list[_Doc] = []
        df: dict[str, int] = {}
        seen: dict[str, frozenset[str]] = {}

        def analyse(text: str) -> frozenset[str]:
            found = seen.get(text)
            if found is None:
                found = seen[text] = frozenset(analyzer.terms(text)[0])
            return found

        for task in task_list:
            head = " ".join([task.title, task.problem, task.goal])
            m_terms = [analyse(m) for m in task.measures]
            all_terms = analyse(task.title).union(
                analyse(task.problem), analyse(task.goal), *map(analyse, task.units), *m_terms
            )
            docs.append(
                _Doc(
                    terms=all_terms,
                    title_terms=analyse(task.title),
                    measure_terms=m_terms,
                    measure_texts=[_norm(m) for m in task.measures],
                    head_text=_norm(head),
                )
            )
            for term in all_terms:
                df[term] = df.get(term, 0) + 1
        analyzer.learn_typos(t[1:] for t in df if t[0] == "w")
        n = max(1, len(task_list))
        idf = {t: math.log((n - d + 0.5) / (d + 0.5) + 1.0) for t, d in df.items()}
        postings: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            for term in doc.terms:
                postings.setdefault(term, []).append(i)
        shared: dict[tuple[int, ...], list[int]] = {}
        for term, plist in postings.items():
            postings[term] = shared.setdefault(tuple(plist), plist)
        return cls(task_list, docs, idf, postings, analyzer, thresholds or Thresholds(), aliases)

    @classmethod
    def from_plan(cls, plan: ParsedPlan, *, thresholds: Thresholds | None = None) -> Matcher:
        """A matcher over one imported plan, with its aliases and vocabulary."""
        from bot.importer import vocabulary

        return cls.build(
            [MatchTask.from_plan_task(t) for t in plan.tasks],
            aliases=plan.aliases,
            words=vocabulary(plan),
            thresholds=thresholds,
        )

    # ---- context

    def _unit_canon(self, name: str) -> str:
        key = _unit_key(name)
        return self._unit_aliases.get(key, key)

    def unit_refs(self, unit: str) -> set[str]:
        """Tasks naming ``unit`` (or its alias); a county's government also owns
        各县(市、区) tasks."""
        key = self._unit_canon(unit)
        if not key:
            return set()
        cached = self._unit_cache.get(key)
        if cached is not None:
            return set(cached)
        county = _PLACE.match(key) is not None and not key.startswith("市")
        refs = set()
        for i, task in enumerate(self.tasks):
            keys = self._unit_keys[i]
            if key in keys or any(key in k or k in key for k in keys if len(k) >= 3):
                refs.add(task.ref)
            elif county and self._county_tasks[i]:
                refs.add(task.ref)
        if len(self._unit_cache) < 4096:
            self._unit_cache[key] = frozenset(refs)
        return refs

    # ---- querying

    def _weights(self, terms: dict[str, float], places: set[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term, factor in terms.items():
            w = self._idf.get(term)
            if w is None:
                if term in places or _LATIN_WORD.fullmatch(term[1:]):  # English grammar words name no task
                    continue
                w = UNKNOWN_BIGRAM_WEIGHT if term[0] == "b" else UNKNOWN_WORD_WEIGHT
                w *= self._idf_max
            elif term in places:
                w *= PLACE_DAMPING
            weights[term] = w * factor
        return weights

    def _candidates(self, weights: dict[str, float]) -> list[int]:
        """Tasks sharing the message's rarer terms; common terms are left to scoring.

        At most ``POSTING_BUDGET`` postings are read, so the cost per message is bounded
        however large the plan set; a message whose rarest word is in more tasks than
        that is too unspecific to be accepted, and its candidates are only a sample.
        """
        lists: dict[int, tuple[list[int], float]] = {}
        for term, w in weights.items():
            plist = self._postings.get(term)
            if plist is not None:
                _, total = lists.get(id(plist), (plist, 0.0))
                lists[id(plist)] = (plist, total + w)
        acc: dict[int, float] = {}
        spent = 0
        for plist, w in sorted(lists.values(), key=lambda item: len(item[0])):
            if spent and (len(plist) > self._cap or spent + len(plist) > POSTING_BUDGET):
                break
            if len(plist) > POSTING_BUDGET:
                plist = plist[:POSTING_BUDGET]
            spent += len(plist)
            get = acc.get
            for i in plist:
                acc[i] = get(i, 0.0) + w
        return heapq.nlargest(CANDIDATE_POOL, acc, key=acc.__getitem__)

    def scores(self, text: str) -> list[Scored]:
        """Every plausible task with its score, best first, before any decision."""
        terms, places = self._analyzer.terms(text, typos=True)
        weights = self._weights(terms, places)
        if not weights:
            return []
        word_total = sum(w for t, w in weights.items() if t[0] == "w") or 1.0
        bigram_total = sum(w for t, w in weights.items() if t[0] == "b") or 1.0

        query_terms = frozenset(weights)
        idf_max = self._idf_max

        def cover(doc_terms: frozenset[str]) -> tuple[float, int, float]:
            ws = bs = top = 0.0
            words = 0
            for term in query_terms & doc_terms:
                w = weights[term]
                if term[0] == "w":
                    ws += w
                    words += 1
                    if w > top:
                        top = w
                else:
                    bs += w
            coverage = WORD_SHARE * ws / word_total + (1 - WORD_SHARE) * bs / bigram_total
            return coverage, words, top / idf_max

        coarse = sorted(
            ((cover(self._docs[i].terms), i) for i in self._candidates(weights)), reverse=True
        )
        results: list[Scored] = []
        for (task_cov, words, specific), i in coarse[:MEASURE_POOL]:
            doc = self._docs[i]
            m_cov = [cover(mt)[0] for mt in doc.measure_terms]
            best_m: int | None = None
            focus = 0.0
            if m_cov:
                order = sorted(range(len(m_cov)), key=m_cov.__getitem__, reverse=True)
                focus = m_cov[order[0]]
                second = m_cov[order[1]] if len(order) > 1 else 0.0
                if focus > 0 and focus - second >= self.thresholds.measure_lead:
                    best_m = order[0]
            close: tuple[int, ...] = ()
            if best_m is None and focus > 0:
                close = tuple(k for k in order if focus - m_cov[k] < self.thresholds.measure_lead)
            title_cov = cover(doc.title_terms)[0]
            score = 100.0 * (0.45 * task_cov + 0.30 * focus + 0.15 * title_cov)
            results.append(Scored(i, score, best_m, task_cov, words, specific, title_cov, close))
        results.sort(key=lambda r: r.score, reverse=True)
        query = _norm(text)
        if len(query) >= 4:
            for k, r in enumerate(results[:ALIGN_POOL]):
                doc = self._docs[r.index]
                texts = [doc.head_text]
                if r.measure is not None:
                    texts.append(doc.measure_texts[r.measure])
                align = max(fuzz.partial_ratio(query, t) for t in texts) / 100.0
                results[k] = dataclasses.replace(r, score=r.score + 10.0 * align * r.coverage,
                                                 measure=self._closest(query, doc, r))
        results.sort(key=lambda r: r.score, reverse=True)
        return results

    def _closest(self, query: str, doc: _Doc, r: Scored) -> int | None:
        """Of measures that hold the message's words alike, the one whose wording it follows.

        "在线监控已安装联网" shares as many rare words with the measure on sewage plants as
        with the one on online monitoring; only the order of its words tells them apart.
        """
        if r.measure is not None or len(r.close) < 2:
            return r.measure
        ranked = sorted(((fuzz.partial_ratio(query, doc.measure_texts[k]), k) for k in r.close), reverse=True)
        return ranked[0][1] if ranked[0][0] - ranked[1][0] >= MEASURE_ALIGN_LEAD else None

    def _topical(self, text: str) -> str | None:
        """The clauses of ``text`` that name some matter of the plan; None when none does."""
        clauses = _CLAUSE.findall(text)
        if len(clauses) < 2:
            return text
        floor = TOPIC_WORD * self._idf_max
        kept = []
        for clause in clauses:
            terms, places = self._analyzer.terms(clause, typos=False)
            weights = self._weights(terms, places)
            if any(term[0] == "w" and w >= floor for term, w in weights.items()):
                kept.append(clause)
        topical = "".join(kept)
        return topical if _CJK.search(topical) else None

    def match(
        self,
        text: str,
        *,
        unit: str | None = None,
        allowed_refs: set[str] | None = None,
        preferred_refs: set[str] | None = None,
        top: int = 3,
        topic: bool = False,
    ) -> MatchResult:
        """Intent, ranked candidates and the decision for one message.

        With ``topic`` the text need only say what it is about, not report progress: a
        photo's caption ("尾矿库现场排查照片") names its task in words.

        A statement that reports nothing done or under way ("明天去检查扬尘", "散乱污的事
        明天再说") is intent "none": asking which task it belongs to would be noise.

        Only a task in ``allowed_refs`` (all tasks when ``None``) is ever accepted; a
        better-scoring task outside it makes the bot ask. Tasks of ``unit`` and
        ``preferred_refs`` rank first among the relevant candidates.
        """
        text = simplified(text)
        lexical = Intent.REPORT if topic else classify(text)
        if lexical is Intent.NONE and (has_progress(text) or goes_well(text)) and self._refs.named(text):
            lexical = Intent.REPORT  # "1-13 65%", "1-18 顺利": digits alone read as chit-chat, yet this names a task and how it goes
        if lexical is Intent.REPORT and not topic and not states_progress(text):
            if not ((answers_for_the_period(text) or raises_problem(text) or plans_ahead(text)) and self._refs.named(text)):
                lexical = Intent.NONE
        if lexical is Intent.NONE:
            return MatchResult(Intent.NONE.value, [], "nothing", None)
        th = self.thresholds
        scored = self.scores(text)
        core = _FOLLOW_ON.sub("", _SIDE_CLAUSE.sub("", _nfkc(text)))
        if core != _nfkc(text) and _CJK.search(core):
            trimmed = self.scores(core)
            if trimmed and (not scored or _margin(trimmed) > _margin(scored)):  # the reading that tells tasks apart better
                scored = trimmed
        topical = self._topical(_FORECAST.sub("", core))
        if topical is not None and topical not in (core, _nfkc(text)):
            trimmed = self.scores(topical)
            if trimmed and (not scored or _margin(trimmed) > _margin(scored)):
                scored = trimmed
        ranked = [r for r in scored if r.score >= th.floor]
        progress = has_progress(text) or goes_well(text)  # "采砂进展顺利" says how it goes, as "采砂正在推进" does
        named = self._refs.named(text)
        if named:
            return self._named(text, lexical, named, scored, allowed_refs, top)
        if lexical is Intent.REPORT and not ranked and not progress:
            return MatchResult(Intent.NONE.value, [], "nothing", None)

        preferred = set(preferred_refs or ())
        if unit:
            preferred |= self.unit_refs(unit)
        if preferred and ranked:
            best = ranked[0].score
            ranked.sort(
                key=lambda r: (
                    self.tasks[r.index].ref in preferred and r.score >= 0.75 * best,
                    r.score,
                ),
                reverse=True,
            )
        candidates = [
            Candidate(
                ref=self.tasks[r.index].ref,
                measure=None if r.measure is None else self.tasks[r.index].measure_no(r.measure),
                score=min(100, round(r.score)),
            )
            for r in ranked[: max(top, 1)]
        ]
        if lexical is Intent.QUESTION:
            return MatchResult(Intent.QUESTION.value, candidates, "nothing", None)
        if not candidates:
            return MatchResult(Intent.REPORT.value, [], "nothing", None)

        first = ranked[0]
        rest = ranked[1:]
        runner_up = max((r.score for r in rest), default=0.0)
        runner_cov = max((r.coverage for r in rest), default=0.0)
        ref = self.tasks[first.index].ref
        lead = first.score - runner_up
        sure = (
            (
                (first.score >= th.accept and lead >= th.lead)
                or (first.score >= th.alone_accept and lead >= th.alone_lead)
            )
            and first.coverage - runner_cov >= th.coverage_lead
            and (first.words >= th.min_words or ((progress or topic) and first.specificity >= th.sole_word_specificity))
            and first.specificity >= th.min_specificity
        )
        if not sure and rest and first.score >= th.accept and lead >= th.lead and first.specificity >= th.title_specificity:
            # "采砂基本完成": 1-18's title is about sand mining, 1-15 lists it once among a measure's
            # many matters; the words the task is named for settle it where coverage ties
            runner = max(rest, key=lambda r: r.score)
            sure = first.title >= th.title_share and runner.title == 0
        if sure and (allowed_refs is None or ref in allowed_refs):
            return MatchResult(Intent.REPORT.value, candidates, "accept", ref)
        if (first.score >= th.ask and (first.words >= 2 or (progress and first.words))) or sure:
            return MatchResult(Intent.REPORT.value, candidates, "ask", None)
        return MatchResult(Intent.REPORT.value, candidates, "nothing", None)

    def named(self, text: str, *, allowed_refs: set[str] | None = None) -> MatchResult | None:
        """The task ``text`` names by number, as a sure report on it, whatever its wording.

        For a caption such as "1-17整改现场照片": it states no progress, yet says plainly
        which task the photo is for. None unless exactly one task is named (and allowed).
        """
        named = [i for i in self._refs.named(text) if allowed_refs is None or self.tasks[i].ref in allowed_refs]
        if len(named) != 1:
            return None
        return self._named(text, Intent.REPORT, named, [], allowed_refs, top=1)

    def named_refs(self, text: str) -> list[str]:
        """Refs of the tasks ``text`` names by their plan numbers (2.1, 任务4, 5号任务, 1-17)."""
        return [self.tasks[i].ref for i in self._refs.named(text)]

    def numbered_parts(self, text: str) -> list[tuple[str, str]]:
        """(task ref, its part of the message) when one message reports on several tasks by
        number ("1-13、1-16均完成50%", "1-12完成40%；另外1-14已公开"); [] otherwise, or when a
        number names more than one task. Parts stating no progress of their own share the
        words up to the next that does ("1-13、1-16均完成50%" for both)."""
        raw = self._refs.parts(text)
        if not raw or any(len(indices) != 1 for indices, _ in raw):
            return []
        out: list[tuple[str, str]] = []
        pending: list[tuple[str, str]] = []
        for indices, words in raw:
            ref = self.tasks[indices[0]].ref
            if has_progress(words) or states_progress(words):
                shared = "".join(w for _, w in pending) + words
                out.extend((waiting, shared) for waiting, _ in pending)
                out.append((ref, shared))
                pending = []
            else:
                pending.append((ref, words))
        if pending or len({ref for ref, _ in out}) < 2:
            return []
        said: dict[str, list[str]] = {}  # "1-14 1-15 都在推进 1-14完成70%…": a task named twice is one report
        for ref, words in out:
            if words not in said.setdefault(ref, []):
                said[ref].append(words)
        return [(ref, "".join(words)) for ref, words in said.items()]

    def named_outside(self, text: str, allowed_refs: set[str]) -> list[str]:
        """The plan numbers ``text`` names when none of those tasks is in ``allowed_refs``.

        "1-18完成100%" from a unit without 1-18 is a wrong number or someone else's task:
        offering the sender's own tasks instead invites one wrong tap.
        """
        named = self._refs.named(text)
        if not named or any(self.tasks[i].ref in allowed_refs for i in named):
            return []
        return sorted({self.tasks[i].label or self.tasks[i].ref for i in named})

    def _named(
        self, text: str, lexical: Intent, named: list[int], scored: list[Scored], allowed_refs: set[str] | None, top: int
    ) -> MatchResult:
        """A message that names its task by number: that task, sure, when it names one.

        Among tasks of the same number (two annexes, two plans) those the sender may report
        on come first; more than one left means asking. The measure is the one named
        (措施2), else the one the wording points to.
        """
        if allowed_refs is not None:
            named = [i for i in named if self.tasks[i].ref in allowed_refs] or named
        by_index = {r.index: r for r in scored}
        measure = named_measure(text)
        candidates: list[Candidate] = []
        for i in named:
            task = self.tasks[i]
            wording = by_index.get(i)
            if measure is not None and task.has_measure(measure):
                chosen: int | None = measure
            elif wording is not None and wording.measure is not None:
                chosen = task.measure_no(wording.measure)
            else:
                chosen = None
            candidates.append(Candidate(ref=task.ref, measure=chosen, score=100))
        shown = {c.ref for c in candidates}
        floor = self.thresholds.floor
        for r in scored:
            if len(candidates) >= max(top, len(named)) or r.score < floor:
                break
            ref = self.tasks[r.index].ref
            if ref not in shown:
                measure_no = None if r.measure is None else self.tasks[r.index].measure_no(r.measure)
                candidates.append(Candidate(ref=ref, measure=measure_no, score=min(100, round(r.score))))
        if lexical is Intent.QUESTION:
            return MatchResult(Intent.QUESTION.value, candidates, "nothing", None)
        first = candidates[0].ref
        if len(named) == 1 and (allowed_refs is None or first in allowed_refs):
            return MatchResult(Intent.REPORT.value, candidates, "accept", first)
        return MatchResult(Intent.REPORT.value, candidates, "ask", None)
