"""Help asked in words, and a greeting: what people type before they know the commands.

"怎么用", "你能干什么", "怎么报进展" deserve the /help page, and "你好" the /start greeting
(who the bot takes you for and what to do next) rather than "not understood". Whole short
messages only: "帮助企业整改" is a report, not a request for help.
"""

from __future__ import annotations

import re
import unicodedata

from bot.extract import ONGOING, STARTED, extract_counts, extract_percent, extract_status
from bot.intent import has_progress, is_chitchat, promises_to_act, question_clauses

_TAIL = r"[\s?？。.!！~～,，啊呀呢吗嘛哈]*$"
_HELP = re.compile(
    r"^(?:请问|请|麻烦)?(?:帮助|求助|使用说明|说明书|操作说明|使用方法|用法|帮助文档|菜单|功能列表|命令列表|指令|"
    r"怎么用|如何使用|怎么使用|怎样使用|咋用|这个怎么用|你能干什么|你能做什么|你会什么|你会干什么|能干什么|能做什么|"
    r"有什么功能|有哪些功能|都有什么功能|怎么报进展|怎么报送进展|怎么报送|如何报送|怎么汇报|如何汇报|怎么上报|如何上报|"
    r"报送格式|怎么填报|怎么报|进展怎么报|怎么提交|怎么发照片|怎么上传材料|(?:材料|照片|附件|佐证材料?)(?:怎么|如何|在哪)(?:上传|发|提交|报)|"
    r"(?:报错了?|填错了?|写错了?|发错了?)(?:怎么|如何)(?:改|修改|更正|撤回|办)|(?:怎么|如何)(?:撤回|撤销|更正|修改)(?:报送|进展)?|"
    r"(?:怎么|如何|怎样)(?:申请)?(?:延期|销号)|(?:延期|销号)(?:怎么|如何)(?:申请|办|弄)|(?:延期|销号)(?:的)?(?:流程|手续)(?:是什么|有哪些|怎么走)?|"
    r"help|help me|how to use|how do i use this|what can you do|how do i report|commands|"
    r"how (?:do|can|should) i (?:ask for|request|apply for|get) (?:an? )?(?:extension|sign-?off)|"
    r"how (?:do|can) i (?:extend|sign off)(?: a task)?)" + _TAIL,
    re.I,
)
_GREETING = re.compile(
    r"^(?:你好|您好|你们好|大家好|在吗|在不在|哈喽|嗨|早|早上好|上午好|中午好|下午好|晚上好|早安|"
    r"hello|hi|hey|good morning|good afternoon)" + _TAIL,
    re.I,
)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def asks_for_help(text: str) -> bool:
    return bool(_HELP.match(_clean(text)))


_HELP_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("extension", re.compile(r"延期|extension|extend", re.I)),
    ("signoff", re.compile(r"销号|sign-?off", re.I)),
    ("evidence", re.compile(r"材料|照片|附件|佐证|上传|photo|upload|file", re.I)),
    ("correct", re.compile(r"错|撤回|撤销|更正|修改|undo|correct", re.I)),
)


def help_topic(text: str) -> str | None:
    """The one thing a "how do I…" asks about ("怎么申请延期", "材料怎么上传"): it gets the
    answer to that, not the whole manual."""
    cleaned = _clean(text)
    for topic, pattern in _HELP_TOPICS:
        if pattern.search(cleaned):
            return topic
    return None


def is_greeting(text: str) -> bool:
    return bool(_GREETING.match(_clean(text)))


# What small talk in a private chat gets back: a short word of its own kind, never "not a
# report" (it was not meant as one) and never a record.
_TOIL = re.compile(r"辛苦")
_WISH = re.compile(r"愉快|快乐|顺利|如意|健康|平安|休息|保重|注意安全|weekend|nice day|good day|take care|happy|enjoy", re.I)
_THANKS = re.compile(r"谢|感谢|thank|thx|appreciat", re.I)
_RECEIVED = re.compile(r"收到|收悉|知悉|明白|了解|好的|noted|received|got it|understood|copy|roger|\bok(?:ay)?\b", re.I)
_PROMISE_EN = re.compile(r"\b(?:on it|will do|will follow up|will handle|working on it|will report)\b", re.I)


# "收到，已转达单位主要领导", "谢谢提醒，马上报": an acknowledgement first, then words about it.
_OPENS_WITH_ACK = re.compile(
    r"^(?:(?:收到|收悉|好的|好嘞|明白|了解|知道了|谢谢|感谢|多谢|ok|okay|noted|received|got it|thanks|thank you|"
    r"早上好|上午好|中午好|下午好|晚上好|您好|你好|领导好|各位领导好|大家好)"
    r"(?:提醒|领导|大家|各位|您|老师|整改办)?(?:[\s,，。.!！~]|$)|(?:谢谢|感谢|多谢))", re.I
)


def opens_with_ack(text: str) -> bool:
    """Whether a message starts by acknowledging and carries no figure or task number: said
    where nothing else read it, it answers an instruction rather than reporting."""
    cleaned = _clean(text)
    if _OPENS_WITH_ACK.match(cleaned) is None or re.search(r"\d", cleaned):
        return False
    counts = extract_counts(text)  # "收到，完成了一半": a figure, even without its task, is no acknowledgement
    if extract_percent(text) is not None or counts.done is not None or counts.remaining is not None:
        return False
    return extract_status(text) in (None, ONGOING, STARTED)  # "收到，已全部完成" says where the work stands


def after_ack_reply(text: str) -> str | None:
    """The answer to an acknowledgement with words after it ("感谢整改办的指导", "收到，已转达单位
    主要领导"), or None when the message does not open with one."""
    if not opens_with_ack(text):
        return None
    if _THANKS.match(_clean(text)) and not _PROMISE_EN.search(_clean(text)):
        return "reporting.welcome"
    return "reporting.ack_promise"


def small_talk_reply(text: str) -> str | None:
    """The catalog key of the answer to a whole message of small talk, or None when it is more.

    "收到，正在办" promises to act: it hears that a report needs the task and the progress;
    "大家辛苦了" hears thanks back; "周末愉快" a wish back; "谢谢" you are welcome; "收到" OK.
    """
    if promises_to_act(text):
        return "reporting.ack_promise"
    if not is_chitchat(text) or has_progress(text):  # "80%" is a figure without its task, not small talk
        return None
    cleaned = _clean(text)
    if _PROMISE_EN.search(cleaned):
        return "reporting.ack_promise"
    if _TOIL.search(cleaned):
        return "reporting.toil_back"
    if _WISH.search(cleaned):
        return "reporting.wishes_back"
    if _THANKS.search(cleaned) and not _RECEIVED.search(cleaned):
        return "reporting.welcome"
    return "reporting.noted"


# A question asked beside a report: what the files are and where they go, or how sign-off is asked.
_ASKS_FILES = re.compile(r"材料|照片|图片|佐证|附件|上传|台账|upload|photo|picture|document|file|evidence", re.I)
_ASKS_SIGNOFF = re.compile(r"销号|销项|sign[- ]?off", re.I)


def question_beside_report(text: str) -> str | None:
    """The catalog key of a short answer to the question a report carries ("…基本完成，这个
    需要上传什么材料？", "…已全部整治到位，什么时候可以销号？"), or None: the report is recorded
    and the question deserves a word rather than silence."""
    asked = " ".join(question_clauses(text))
    if _ASKS_SIGNOFF.search(asked):
        return "reporting.beside_signoff"
    if _ASKS_FILES.search(asked):
        return "reporting.beside_files"
    return None
