"""Report, question or nothing: the first look at a chat message.

Most of what officials type in a work group is not a report: 收到, 好的领导, stickers,
meeting notices, and questions ("水源地到哪一步了？"). Logging those as progress is worse
than missing a report, so this runs before matching and errs towards "not a report".
It is purely lexical; the matcher turns a "report" with no task vocabulary and no
progress words into "none" (:func:`bot.matching.Matcher.match`).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final

import opencc

from bot.extract import extract_counts, extract_percent, extract_status


class Intent(StrEnum):
    REPORT = "report"
    QUESTION = "question"
    NONE = "none"


_STICKER = re.compile(r"\[[^\[\]]{1,8}\]")
_MENTION = re.compile(r"@\S+")
_NOT_WORD = re.compile(r"[^\w]+")
_ACK = re.compile(
    r"(?:收到|收悉|好的|好嘞|好滴|好哒|好吧|好|明白|了解|知道了|知道|清楚|谢谢|感谢|多谢|辛苦了|辛苦|"
    r"领导|老师|各位|大家|同志们|您|你|早上好|上午好|中午好|下午好|晚上好|早安|晚安|早|嗯|哦|噢|喔|"
    r"ok|okay|是的|对的|对|行|可以|没问题|马上|立即|立刻|落实|安排|照办|遵照执行|坚决执行|坚决落实|"
    r"全力配合|配合|已阅|阅|新年快乐|节日快乐|春节快乐|快乐|哈|呵|嘿|\d|\+1|发错了|发错群了|发错|"
    r"不好意思|抱歉|撤回了一条消息|撤回|会后|稍后回复|稍后|在开会|开会|马上到|到了|在|的|了|啊|呀|哈哈|"
    r"一下|请|注意|保重|身体|加油|点赞|赞|棒|整改办|我们|我|抓紧|抓紧办|马上办|马上补|尽快|立即办|补|办|"
    r"thanks|thank|you|thx|got it|noted|ok|okay|sure|will do|"
    # well-wishes: "大家辛苦了，周末愉快", "祝各位新年快乐，工作顺利"
    r"周末愉快|假期愉快|节日愉快|节假日愉快|愉快|周末|假期|节日|元旦|春节|中秋|国庆|工作顺利|顺利|万事如意|如意|身体健康|健康|平安|"
    r"注意休息|早点休息|好好休息|休息|注意安全|注意身体|祝福|祝|也祝|同祝|一切|同样|同乐|共勉|"
    r"收到了|已收到|谨遵|遵命|明白了|懂了|知悉|已知悉|悉|刚才|刚刚|提醒|okk|嗯嗯|好哒|么么哒|哈哈哈|捂脸|偷笑|微笑|握手|鼓掌|玫瑰|咖啡)+"
)
# English small talk, word by word: "Noted with thanks", "Well received, have a nice weekend".
_ACK_EN = frozenset(
    "noted note well received receipt acknowledged ack thanks thank you thx ty many much a lot very so got it will do on "
    "copy that roger understood understand ok okay okey sure no problem have nice good great lovely weekend day week "
    "evening morning afternoon same to too cheers all everyone everybody team guys folks with and for your the hi hello "
    "hey dear sir madam boss yes yeah yep fine alright right sounds perfect appreciated appreciate kind regards best "
    "wishes happy new year holiday holidays enjoy rest take care noted. i we will'll i'll we'll".split()
)
_LATIN_WORD = re.compile(r"[a-z][a-z']*")
_NOTICE = re.compile(
    r"^(?:请|通知|提醒|@|各单位请|请各)|通知大家|大家看一下|请大家|按时参会|开会|注意保暖"
)
_QUESTION_CLAUSE = re.compile(
    r"[?？]|谁|哪|(?<!没)(?<!没有)什么|(?<!没)(?<!没有)啥|多少|(?<![那这前后十])几(?:项|个|家|条|处|号|时|点|天|月|日|成|年|次|批|户)|"
    r"怎么|怎样|咋|如何|为何|为什么|是否|有没有|有无|能否|能不能|可否|可不可以|行不行|对不对|是不是|"
    r"了没有?$|(?:销号|销项|延期|批)没有?$|吗$|呢$|么$|嘛$|请问|查一下|(?<![排核检督巡普调追])查下(?!个|周|月|旬|午|一步|步|半)|查询|列一下|列出|统计一下|汇总一下|发我|给我发|告诉我|"
    r"进展如何|进度如何|情况如何|"
    # "完成率最高的单位", "逾期最久的任务": a superlative naming what it picks out asks for it
    r"最(?:高|低|多|少|快|慢|好|差|落后|靠前|靠后|久|长)的(?:[\d一二两三四五六七八九十]{1,2}(?:个|项|家))?(?:单位|部门|县区|县|区|任务|事项)$"
)
# "…installed. Do I need to upload photos?": an English sentence ends at its full stop too.
_CLAUSES = re.compile(r"[，,。；;！!\n]+|(?<=[?？])|(?<=[a-z)][.])\s+")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _STICKER.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return text.strip()


def is_chitchat(text: str) -> bool:
    """Acknowledgements, greetings, wishes, stickers and emoji only; nothing a ledger could hold."""
    cleaned = _clean(text)
    words = _LATIN_WORD.findall(cleaned)
    if words and all(w.strip("'") in _ACK_EN for w in words):  # "Noted with thanks": English, word by word
        cleaned = _LATIN_WORD.sub(" ", cleaned)
    core = _NOT_WORD.sub("", cleaned).replace("_", "")
    return not core or _ACK.fullmatch(core) is not None


# "收到，正在办", "好的，马上落实", "已安排专人对接": an instruction acknowledged with a promise to act,
# naming no matter and no figure. Not a report (there is nothing to record), not chit-chat
# either where a button has just asked for progress.
_PROMISE = re.compile(
    r"(?:(?:正在|在|已在|已经在|现在就|这就|马上|立即|立刻|尽快|抓紧|即刻|随即|及时|认真|坚决|全力|积极|按要求|按照要求|遵照|"
    r"会|将|去|已|已经|我们|我|我单位|我局|单位|专人|安排专人|已安排专人|组织)*"
    r"(?:办理|办|落实|安排|处理|执行|照办|对接|跟进|部署|贯彻落实|贯彻|转达|传达|通知|核实|准备|报送|上报|报|整理|研究|推进落实|汇总|收集)"
    r"(?:中|了|好|到位|落实|一下|下)*(?:材料|资料|照片|报告|情况)?"
    # "材料稍后发", "下午报", "材料已经报给整改办了": the papers promised or handed in, no matter named
    r"|(?:今天|今日|本周)?(?:的)?(?:报送的?|上报的?)?(?:材料|资料|照片|进展情况|进展|情况|报告)?(?:我|我们)?"
    r"(?:稍后|随后|晚点|晚些|下午|明天|马上|尽快|今天|一会儿?)(?:就)?(?:发|报|补|补发|报送|上报|提交|发过来|发给您)"
    r"|(?:材料|资料|照片|报告)?(?:已经?|都)?(?:报给|发给|交给|报送给|提交给|报送至|报至|交到)(?:整改办|领导|你们|您)了?"
    # "我们抓紧推进", "马上整改": the work itself, promised with a word of haste and no matter named
    r"|(?:我们|我|马上|立即|立刻|尽快|抓紧|加快|全力|积极|认真|坚决|保证|一定|务必)+(?:推进|整改|完成|去办|去做|办|做|弄|搞)(?:好|完)?"
    r"(?:任务|工作|目标|整改任务)?)+"
)


def promises_to_act(text: str) -> bool:
    """Whether the whole message acknowledges and promises to act ("收到，正在办"), nothing more."""
    if is_chitchat(text) or re.search(r"\d", text):
        return False
    core = _NOT_WORD.sub("", _clean(text)).replace("_", "")
    pieces = re.compile(rf"(?:{_PROMISE.pattern}|{_ACK.pattern})+")
    return pieces.fullmatch(core) is not None and _PROMISE.search(core) is not None


def _has_progress(clause: str) -> bool:
    if extract_percent(clause) is not None or extract_status(clause) is not None:
        return True
    counts = extract_counts(clause)
    return counts.done is not None or counts.remaining is not None


def _is_question_clause(clause: str) -> bool:
    return _QUESTION_CLAUSE.search(clause.strip()) is not None


def question_clauses(text: str) -> list[str]:
    """The clauses of a message that ask something ("…基本完成，这个需要上传什么材料？")."""
    return [c.strip() for c in _CLAUSES.split(_clean(text)) if c.strip() and _is_question_clause(c)]


def classify(text: str) -> Intent:
    """Lexical intent of one message.

    A message mixing a progress statement with a question ("已完成整改，需要交什么材料？")
    is a report: the statement is what must be recorded. A notice or request to the
    group ("请各单位明天报送") with no progress in it is not a report.
    """
    if is_chitchat(text) or promises_to_act(text):
        return Intent.NONE
    cleaned = _clean(text)
    clauses = [c for c in _CLAUSES.split(cleaned) if _NOT_WORD.sub("", c)]
    if not clauses:
        return Intent.NONE
    if is_pasted_notice(text):
        return Intent.NONE
    questions = [c for c in clauses if _is_question_clause(c)]
    statements = [c for c in clauses if c not in questions]
    # "remote sensing stations installed. Do I need to upload photos?": English states work done without a status word
    if questions and not any(_has_progress(c) or _PERFECTIVE_EN.search(c) for c in statements):
        return Intent.QUESTION
    if _NOTICE.search(cleaned) and not any(_has_progress(c) for c in statements):
        return Intent.NONE
    return Intent.REPORT


_PERFECTIVE_EN = re.compile(
    r"\b(?:done|completed?|finished|inspected|checked|installed|removed|closed|fixed|rectified|set up|built|"
    r"started|underway|in progress|invested|spent|allocated|disbursed)\b",
    re.I,
)
_PERFECTIVE = re.compile(
    r"已(?!阅|收到|转发)|了|过|完|好了|到位|达标|合格|建立|建成|落实|开展|实施|推开|到货|投运|运行|通过|"
    r"印发|出台|公开|公示|上线|划定|确定|明确|成立|启动|开工|拆除|取缔|关停|查处|处罚|清理|整治|"
    r"达到|符合|撤销|查扣|增长|下降|搬迁|关闭|争取到|没发现|未发现|调研|回头看|形成|实现|每天|每周|在巡|"
    r"新增|入园|签约|验收|拨付|覆盖"
    r"|(?<![第\d零一二三四五六七八九十百千万两])[\d零一二三四五六七八九十百千万两]+(?:\.\d+)?\s*(?:%|个|家|处|项|座|台|辆|条|件|套|所|户|名|批次|批|块|"
    r"起|宗|艘|只|眼|段|公里|亩|吨|万元|元|人次|人|次|车|栋|间|吨)"
)
_FUTURE = re.compile(
    r"明天|后天|下周|下个?月|下个?(?:礼拜|星期)|明年|准备|计划|打算|将要|将于|马上|尽快|稍后|一会|回头|再说|要求|请|坚决|保证|一定|务必|"
    r"下一步|下步|接下来|下阶段|今后|争取(?!到)|力争|确保|预计|即将|有望|拟(?!定|订|稿|写|制)|(?:底|节|号)(?:之|以)?前"
)


# "1-18 进展顺利", "整改工作有序推进", "on track": the work goes on as it should, no figure given.
_GOES_WELL = re.compile(
    r"(?:进展|进度|推进|进行|开展|整改|施工|建设|运行)(?:总体|整体|都|均|还|比较|较为|十分|非常|很|基本)?(?:顺利|正常|良好|平稳|较好|可控)"
    r"|(?:顺利|正常|平稳|按计划|按进度|按时序|按序时|按节点|按期)(?:推进|进行|开展|实施|施工)"
    r"|一切(?:正常|顺利)|(?:总体|整体)(?:平稳|顺利|可控|正常)"
    r"|^[\d\-.]+\s*(?:顺利|正常)$"
    r"|\bon (?:track|schedule)\b|\bgoing (?:well|fine|smoothly)\b|\bprogress(?:ing)? (?:well|smoothly|as planned)\b"
    r"|\bproceeding (?:well|smoothly|as planned)\b",
    re.I,
)


def goes_well(text: str) -> bool:
    """Whether the message says the work goes on as it should ("1-18 进展顺利", "on track"),
    in a clause that is neither a question nor a wish for later ("确保顺利推进")."""
    for clause in _CLAUSES.split(_clean(text)):
        clause = clause.strip()
        if not clause or _is_question_clause(clause):
            continue
        m = _GOES_WELL.search(clause)
        if m and not _FUTURE.search(clause[: m.start()]):
            return True
    return False


def states_progress(text: str) -> bool:
    """Whether the message reads as work done or under way, not as a plan or an errand.

    Broader than :func:`has_progress`: "开展了两轮", "已移交", "抽检都合格", "入园3家"
    are progress reports without a ledger status word. A clause that speaks of the future ("明天去检查")
    or asks something of others ("请各县做好准备") does not count.
    """
    cleaned = _clean(text)
    for clause in _CLAUSES.split(cleaned):
        if not clause.strip() or _is_question_clause(clause):
            continue
        if _has_progress(clause):
            return True
        m = _PERFECTIVE.search(clause) or _PERFECTIVE_EN.search(clause) or _GOES_WELL.search(clause)
        if m and not _FUTURE.search(clause[: m.start()]):
            return True
    return False


# "本旬无新进展", "1-16暂无进展": a 旬 report all the same, the unit has answered;
# "计划月底完成", "下周启动专项检查": the next step, as 旬报 write it.
_NO_NEWS = re.compile(
    r"(?:无|没有?|暂无|尚无|没啥|没什么|没有什么|没多大|没太大|暂时没有?)(?:新的?|明显|实质性?|大的?)?(?:进展|进度|变化)|进展不大|"
    r"还是老样子|和上旬一样|跟上旬一样|同上旬|(?:与|和|跟|同)上(?:期|次|周|旬|月)(?:相同|一样|无变化)|"
    r"(?:^|(?<=[\s\d,，:：]))同上(?:期|次|周|月)?[。.!！]*$|\bno (?:new )?progress\b|\bnothing new\b", re.I
)
_NEXT_STEP = re.compile(
    r"计划|预计|拟于|拟在|下一步|下步|下周|下个?月|下个?(?:礼拜|星期)|近期将|将于|准备|(?:底|节|号)(?:之|以)?前|争取(?!到)|力争|确保|接下来|下阶段|即将|打算"
)


def answers_for_the_period(text: str) -> bool:
    """Whether a message that names its task by number says where it stands without progress:
    nothing new this 旬, or what comes next. Such a message is that unit's report."""
    cleaned = _clean(text)
    return bool(_NO_NEWS.search(cleaned) or _NEXT_STEP.search(cleaned)) and classify(text) is Intent.REPORT


def no_news(text: str) -> bool:
    """Whether a message says there is nothing new ("1-17这周没有新进展", "本旬无新进展")."""
    return _NO_NEWS.search(_clean(text)) is not None and not has_progress(text)


def next_step_only(text: str) -> bool:
    """Whether a message says only what comes next ("下周开始排查尾矿库", "1-13 计划月底完成"):
    the unit's word for the period, which moves no percent or status."""
    cleaned = _clean(text)
    return _NEXT_STEP.search(cleaned) is not None and not has_progress(text) and _NO_NEWS.search(cleaned) is None


def has_progress(text: str) -> bool:
    """Whether the message states progress (status word, percent, or counts done/left)."""
    cleaned = _clean(text)
    return any(_has_progress(c) for c in _CLAUSES.split(cleaned) if c.strip())


# "1-7 我单位不涉及", "本县无此项任务", "not applicable to us": the task does not concern the unit.
_NOT_APPLICABLE: Final = re.compile(
    r"(?:不|没有?|未|并不|均不|都不)涉及|(?:无|没有)(?:此|这|该)(?:项|类)|不适用|"
    r"不(?:属于|是)(?:我|本)(?:单位|局|委|办|县|市|区|乡|镇)?(?:的)?(?:职责|责任|任务|工作)|"
    r"\bnot applicable\b|\bn/a\b|\bdoes(?:n't| not) (?:apply|concern)\b|\bnot (?:relevant|our (?:task|responsibility))\b",
    re.I,
)


def says_not_applicable(text: str) -> bool:
    """Whether the message says its task does not concern the sender's unit and nothing
    more about progress: "1-10 措施3不涉及，其余已完成" is a report, "1-7 我们没有涉及，
    怎么填报？" is the unit's word for the office to decide on."""
    cleaned = _clean(text)
    m = _NOT_APPLICABLE.search(cleaned)
    return m is not None and not has_progress(cleaned[: m.start()] + "，" + cleaned[m.end() :])


# Words just before 申请… that make it no request made now: an intention (准备申请延期), a
# past or refused one (已申请销号, 无需申请), or a question (怎么申请).
_NOT_ASKING_NOW = re.compile(
    r"(?:准备|将要?|拟|计划|打算|争取|可以|能否|是否|何时|什么时候|怎么|如何|怎样|还没|尚未|暂不|不能|可能|需要|要|想|"
    r"已经?|曾|刚|不|无需|不用|不必)\s*$"
)


# "1-10申请延期了吗", "销号了没有": whether it was asked for, not the asking.
_ASKED_IF = re.compile(r"(?:[?？]|了吗|了么|了没有?|过吗|没有\s*[?？]?)\s*$")


def asks_now(text: str, start: int) -> bool:
    """Whether the request written at ``start`` of ``text`` is being made, not mentioned."""
    body = text.strip()
    return _ASKED_IF.search(body) is None and not _NOT_ASKING_NOW.search(text[:start])


# A notice pasted or forwarded into the chat: its title, its addressees, its closing words.
_NOTICE_TITLE = re.compile(r"^\S{0,12}?关于.{2,80}?的(?:通知|紧急通知|补充通知)|特此通知|现将.{0,60}?(?:印发|转发|通知)(?:给|如下)|"
                           r"请(?:认真)?(?:贯彻落实|遵照执行|结合实际认真贯彻执行)|^(?:【转发】|\[转发\]|转发[:：]|转自|转[:：])")
_NOTICE_TO = re.compile(
    r"^(?:各县\s*[(（]?\s*市\s*[、,，]?\s*区\s*[)）]?|各县区|各县市区|各乡镇|各乡\s*[(（]?镇[)）]?|各单位|各责任单位|各成员单位|各有关单位|"
    r"市直各?有关单位|市直各单位|各牵头单位)[^:：。]{0,60}[:：]"
)
# The office's own tally and its call to the units: "全市35项整改任务已完成18项…请各单位加快进度".
_NOTICE_CALL = re.compile(r"请各(?:单位|责任单位|成员单位|牵头单位|县|县区|县\s*[(（]市|乡镇|有关单位)|各(?:单位|县区|责任单位)(?:要|务必|须)")
_OWN_VOICE = re.compile(r"我(?:局|委|办|单位|们|县|市|区|镇|乡|司|中心|部)|本(?:单位|局|委|县|市|区)")


def is_pasted_notice(text: str) -> bool:
    """Whether the message is a notice passed on (a pasted 通知, the office's call to all
    units), not the sender's own report: whatever progress it quotes is not theirs."""
    cleaned = _clean(text)
    if _NOTICE_TITLE.search(cleaned) or _NOTICE_TO.search(cleaned):
        return True
    tally = re.search(r"全市|全省|全县", cleaned) is not None
    return tally and _NOTICE_CALL.search(cleaned) is not None and not _OWN_VOICE.search(cleaned)


# Traditional characters as officials' phones sometimes type them ("尾礦庫排查已於1月25日全部完成"),
# folded to the simplified ones the plans and every pattern here are written in. OpenCC's
# phrase tables leave simplified text as it is (checked on every seed plan).
_TO_SIMPLIFIED: Final = opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text with traditional characters written the simplified way; unchanged otherwise."""
    return str(_TO_SIMPLIFIED.convert(text))
