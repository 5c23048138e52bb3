"""申请延期: a unit asks for a later date with a reason; the 整改办 approves or rejects.

Approval moves the milestone itself (``Milestone.due``), so every view — status classes,
the daily push, escalation — sees the new date at once and the overdue pushes stop; the
old date stays in the Extension row and the audit trail. A rejection must say why, so the
unit knows what to do next. Every step is audited in the transaction that makes it.

The conversation (date, then reason; an admin's rejection reason) is a prompt row keyed by
the Telegram account, so it survives a restart and two processes agree on it.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import festivals
from bot.english_dates import NUMBER_WORDS, english_dates, strip_english_dates
from bot.example_refs import example_ref
from bot.extract import (
    DONE,
    MOSTLY_DONE,
    extract_counts,
    extract_dates,
    extract_percent,
    extract_status,
    to_int,
)
from bot.i18n import t
from bot.intent import asks_now
from bot.permissions import Action, may
from bot.turns import keyboard
from storage import outbox as outbox_q
from storage import people
from storage import reminders as rq
from storage import signoffs as signoffs_q
from storage.models import Extension, Milestone, Person

if TYPE_CHECKING:
    from bot.services import Services
    from bot.turns import Turn

PROMPT_TTL = timedelta(hours=12)
EXTENSION_PROMPTS = ("ext_date", "ext_reason", "ext_reject")
# "算了，不延了", "不申请了": the request is dropped in the user's own words.
_CANCELS: Final = re.compile(r"^\s*(?:取消|算了|不用了|cancel|/cancel)|不延了|不延期了|不申请了|不用延期|不需要延期|撤回申请", re.I)
MIN_REASON = 2
# What is left of "延到明年3月底" once the date is read: words about when, not why.
_ONLY_WHEN = re.compile(r"^[延推迟改到至期再明今后年月底日号前左右份个一二三四五六七八九十\d春节国庆元旦中秋吧上下旬季度末半内给完成\s,，。.]*$")
_CN_MONTH = r"\d{1,2}|十[一二]|[一二三四五六七八九十]"
_MONTH_END = re.compile(rf"(?:(\d{{4}})\s*年|(明年|今年))?\s*(?<!\d)({_CN_MONTH})\s*月\s*(?:底|末)")
# "4月中旬", "下个月底", "一季度末", "上半年", "年底": a period's last day, as offices set deadlines.
_MONTH_XUN = re.compile(rf"(?:(\d{{4}})\s*年|(明年|今年))?\s*(?<!\d)({_CN_MONTH})\s*月\s*(上|中|下)旬")
_RELATIVE_MONTH_END = re.compile(r"(下个?月|本月|这个月|当月)\s*(?:底|末)")
_QUARTER_END = re.compile(r"(?:(\d{4})\s*年\s*)?(?:第)?([一二三四1-4])\s*季度\s*(?:末|底)")
_HALF_YEAR = re.compile(r"(?:(\d{4})\s*年\s*|(明年|今年))?(上|下)半年")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*|(明年|今年))?(?:年底|年末|底前)(?!\d)")
_FESTIVAL = re.compile(rf"(?:(\d{{4}})\s*年\s*)?({festivals.WORDS})\s*(?:假期|长假)?\s*(?:之前|以前|前)(?!后)")
_DATE_TEXT = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|"
    + "|".join(p.pattern for p in (_MONTH_END, _MONTH_XUN, _RELATIVE_MONTH_END, _QUARTER_END, _HALF_YEAR, _YEAR_END, _FESTIVAL))
)


@dataclass
class Outcome:
    """What happened, as a locale key and its parameters, for the handler to render."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    alert: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _year_said(written: str | None, relative: str | None, today: date) -> int:
    return int(written) if written else today.year + (relative == "明年")


def _period_end(text: str, today: date) -> date | None:
    """The last day of a month, 旬, quarter or half year named as a deadline; a month without
    its year is the next such month (``3月底`` said in December is next March)."""
    for pattern in (_MONTH_END, _MONTH_XUN):
        m = pattern.search(text)
        month = to_int(m.group(3)) if m else None
        if m is None or month is None or not 1 <= month <= 12:
            continue
        if m.group(1) or m.group(2):
            year = _year_said(m.group(1), m.group(2), today)
        else:
            year = today.year + (month < today.month)
        if pattern is _MONTH_END:
            return _month_end(year, month)
        return _month_end(year, month) if m.group(4) == "下" else date(year, month, 10 if m.group(4) == "上" else 20)
    m = _RELATIVE_MONTH_END.search(text)
    if m is not None:
        ahead = today.month + (1 if m.group(1).startswith("下") else 0)
        return _month_end(today.year + (ahead > 12), (ahead - 1) % 12 + 1)
    m = _QUARTER_END.search(text)
    if m is not None:
        quarter = to_int(m.group(2)) or 1
        year = int(m.group(1)) if m.group(1) else today.year + (quarter * 3 < today.month)
        return _month_end(year, quarter * 3)
    m = _HALF_YEAR.search(text)
    if m is not None:
        year = _year_said(m.group(1), m.group(2), today)
        return date(year, 6, 30) if m.group(3) == "上" else date(year, 12, 31)
    m = _YEAR_END.search(text)
    if m is not None:
        return date(_year_said(m.group(1), m.group(2), today), 12, 31)
    return None


def parse_new_date(text: str, today: date) -> date | None:
    """The first date written; ``2019年3月底`` (or ``3月底``: the next such) is the month's last day,
    ``4月中旬`` the 20th, ``一季度末`` 31 March, ``春节前`` the coming festival's eve."""
    ended = _period_end(text, today)
    if ended is not None:
        return ended
    dates = extract_dates(text, today)
    if dates:
        return dates[0]
    festival = _FESTIVAL.search(text)  # 延期到春节前: the coming one, or the year's written
    if festival is None:
        said = english_dates(text, today)
        return said[0] if said else None
    if festival.group(1):
        return festivals.eve(festival.group(2), int(festival.group(1)))
    return festivals.next_eve(festival.group(2), today)


# "需延期一个月", "推迟两周", "宽限10天": a span after the current deadline, not a date.
_SPAN: Final = re.compile(
    r"(?:需要?|要|申请|请求)?\s*(?:延期|推迟|延长|延后|顺延|宽限|往后推|推后|再给|延)\s*(?P<n>[一二两三四五六七八九十\d]{1,2}|半)\s*"
    r"(?P<unit>个多?月|个?星期|周|天)(?:时间|左右)?"
)


# "extend 1-17 by two weeks", "another month", "two more weeks".
_SPAN_EN: Final = re.compile(
    r"\b(?:by|another|extra|for)?\s*(?P<n>\d{1,2}|a|an|one|two|three|four|six|half a)\s+(?:more\s+|extra\s+)?(?P<unit>days?|weeks?|months?)\b",
    re.I,
)


def after_span(text: str, due: date) -> date | None:
    """The new date a span asks for, counted from the deadline it extends."""
    m = _SPAN.search(text)
    english = _SPAN_EN.search(text) if m is None and _EXTEND_EN.search(text) else None
    if english is not None:
        word, unit_en = english.group("n").lower(), english.group("unit").lower()
        n_en = float(word) if word.isdigit() else NUMBER_WORDS[word]
        unit_cn = "月" if unit_en.startswith("month") else "周" if unit_en.startswith("week") else "天"
        return _after(n_en, unit_cn, due)
    if m is None:
        return None
    n = 0.5 if m.group("n") == "半" else to_int(m.group("n"))
    if not n:
        return None
    return _after(n, m.group("unit"), due)


def _after(n: float, unit: str, due: date) -> date | None:
    if "月" in unit:
        if n == 0.5:
            return due + timedelta(days=15)
        months = due.month - 1 + int(n)
        year, month = due.year + months // 12, months % 12 + 1
        return date(year, month, min(due.day, calendar.monthrange(year, month)[1]))
    return due + timedelta(days=int(n * 7) if ("周" in unit or "星期" in unit) else int(n))


_BARE_SPAN: Final = re.compile(r"^(?:[一二两三四五六七八九十\d]{1,2}|半)\s*(?:个多?月|个?星期|周|天)(?:时间|左右)?(?=[\s,，。.;；:：]|$)")


_LATIN: Final = re.compile(r"[A-Za-z]{4}")
_HAN: Final = re.compile(r"[\u4e00-\u9fa5]{2}")
def _in_english(text: str) -> bool:
    """Written in English: Latin words and no Chinese beside the task number."""
    return _LATIN.search(text) is not None and _HAN.search(_TASK_NUMBER.sub(" ", text)) is None


_REQUEST_CLAUSE_EN: Final = re.compile(r"\b(?:extension|extend|postpone|more time|deadline|push (?:it )?back)\b", re.I)


def _english_reason(text: str) -> str:
    """"1-17 can we get an extension to March 31? third-party assessment pending": the clause
    that is not the request, or what follows "because"/"due to"."""
    rest = strip_english_dates(_TASK_NUMBER.sub(" ", text))
    stated = re.search(r"\b(?:because(?: of)?|due to|as|since|reason(?: is)?:?)\s+(.+)", rest, re.I)
    if stated is not None:
        rest = stated.group(1)
    clauses = [c.strip() for c in re.split(r"[?.!;,:]", rest) if c.strip()]
    kept = [c for c in clauses if not _REQUEST_CLAUSE_EN.search(c) and _SPAN_EN.fullmatch(c) is None]
    return ", ".join(kept).strip()


def reason_of(text: str) -> str:
    """The message without its date and the usual connecting words."""
    if _in_english(text):
        return _english_reason(text)
    rest = _DATE_TEXT.sub(" ", text)
    # "1-10延期到6月底，资金未到位" typed as the answer: the task and the request are not the reason
    rest = re.sub(rf"^\s*(?:{_TASK_NUMBER.pattern})\s*(?:申请|需要|需|要)?\s*(?:延期|延长|推迟|顺延)?", "", rest.strip())
    rest = re.sub(r"^[\s,，。.;；:：、?？]*(延期至|延期到|延至|推迟到|调整为|改为|到|至|前|之前)?[\s,，。.;；:：、?？]*", "", rest.strip())
    rest = re.sub(r"^(原因|理由)[是为:：\s]*", "", rest)
    stated = re.search(r"(?:原因是|理由是|原因为|理由为|原因：|理由：|因为|由于)(.+)", rest)
    if stated is not None:  # "3月底完成，原因是…": the reason is what follows its word
        rest = stated.group(1)
    rest = _SPAN.sub("", rest).strip(" ,，。.;；:：、?？!！")
    # "申请延期两个月，需要第三方评估": the span said after the request is not part of the reason
    rest = _BARE_SPAN.sub("", rest)
    rest = re.sub(r"^[\s,，。.;；:：、?？!！]*(?:吧|呢|啊)?[\s,，。.;；:：、?？!！]*", "", rest).strip(" ,，。.;；:：、?？!！")
    return "" if _ONLY_WHEN.match(rest) else rest


# An extension asked for in a sentence: "1-17申请延期至3月31日，原因是冬季停工".
_ASKED: Final = re.compile(r"(?:申请|请求|提请|恳请)\s*(?:将|把|对)?[^，,。；;]{0,14}?(?:延期|延长|推迟|延至|延到|顺延)")
_TASK_NUMBER: Final = re.compile(r"(?:任务)?(?:\d+:)?\d{1,3}(?:[-.]\d{1,3})+(?:号任务)?|第[0-9一二三四五六七八九十]{1,4}项")


# Said without 申请: "需要延期", "要延期到2月底", "1-10 延期".
_NEEDS: Final = re.compile(
    r"(?:需要|需|要|想|得|只能|必须)\s*(?:适当|再)?\s*(?:延期|延长时限|推迟|延后|顺延|宽限|延至|延到)|延期\s*(?:至|到)"
)
# Asked politely, often with a question mark: "1-17能不能推迟两周？", "可否延期到3月底".
_POLITE: Final = re.compile(
    r"(?<!不)(?:能不能|能否|可否|可不可以|是否可以|可以)\s*(?:再|适当)?\s*(?:申请)?\s*(?=延期|推迟|延长|延后|顺延|宽限)"
)
# Written like the /extend command, the request first: "延期 1-18 到3月底 因为汛期施工受影响".
_LEADING: Final = re.compile(r"^\s*(?:申请)?(?:延期|推迟|顺延)\s*[:：]?\s*(?:任务)?\d{1,3}(?:[-.]\d{1,3})+(?:号任务)?")
_BARE: Final = re.compile(r"^\s*(?:任务)?\d{1,3}(?:[-.]\d{1,3})+\s*(?:需要|要)?\s*(?:延期|延长时限)\s*[。.!！]?\s*$")
# "1-17 延两周，…": the task, then the span asked for, as a short message puts it.
_SPAN_FIRST: Final = re.compile(
    r"^\s*(?:任务)?\d{1,3}(?:[-.]\d{1,3})+\s*(?:号任务)?\s*(?:再)?(?:延期|延长|顺延|宽限|延)\s*"
    r"(?:[一二两三四五六七八九十\d]{1,2}|半)\s*(?:个多?月|个?星期|周|天)"
)
_NOT_NOW: Final = re.compile(
    r"(?:不|无需|不用|不必|没|未|已经?|曾|可能|也许|或许|如果|若|是否|能否|怎么|如何|会不会|获批|同意|批准)\s*$"
)


# "1-17 can we get an extension to March 31?", "please extend 1-17 by two weeks".
_EXTEND_EN: Final = re.compile(r"\b(?:extension|extend|more time|postpone|push (?:it |the deadline )?back)\b", re.I)
_NOT_ASKING_EN: Final = re.compile(
    r"\b(?:how (?:do|can|to|should)|was|were|been|approved|rejected|granted|status|already|which|who)\b", re.I
)


def asks_for_extension_en(text: str) -> bool:
    return _EXTEND_EN.search(text) is not None and _NOT_ASKING_EN.search(text) is None and len(text) <= 300


def asks_for_extension(text: str) -> bool:
    """申请延期 said in a sentence (not "下月可能要申请延期", not "怎么申请延期？").

    Officials also ask without the word 申请 ("完成不了，需要延期", "要延期到2月底"), which
    used to be recorded as a 滞后 report: it is the same request.
    """
    if _in_english(text):
        return asks_for_extension_en(text)
    asked = _ASKED.search(text)
    if asked is not None:
        return asks_now(text, asked.start())
    if _POLITE.search(text) and not re.search(r"怎么|如何|流程|手续|要看|得看|取决|决定", text):
        return True
    if text.strip().endswith(("?", "？")):
        return False
    if _BARE.match(text) or _LEADING.match(text) or _SPAN_FIRST.match(text):
        return True
    needs = _NEEDS.search(text)
    return needs is not None and not _NOT_NOW.search(text[: needs.start()])


_ASKING_WHAT: Final = re.compile(r"什么|哪些|哪个|怎么|如何|流程|手续|谁|多少|几|理由|原因|批了|批准了|结果")


def asks_leave_to_extend(text: str) -> bool:
    """"1-17能不能延期？": a member asking leave for a named task. The leaders' queries would
    answer it with the task's card; for someone who may ask for more time it starts the request."""
    if _TASK_NUMBER.search(text) is None:
        return False
    if _in_english(text):
        return re.search(r"\b(?:can|could|may)\s+(?:we|i)\b", text, re.I) is not None and asks_for_extension_en(text)
    return len(text) <= 80 and _POLITE.search(text) is not None and _ASKING_WHAT.search(text) is None


async def may_ask_for_time(services: Services, telegram_id: int) -> bool:
    """Whether this account speaks for a unit (read before the turn opens, like ``awaiting``)."""
    from storage.db import transaction

    async with transaction(services.factory) as session:
        person = await people.person_by_telegram(session, telegram_id)
        return person is not None and person.unit_id is not None


def date_and_reason(text: str, today: date) -> tuple[date | None, str]:
    """The new date and the reason of "1-17申请延期至3月31日，原因是冬季停工" (or "因…，申请…")."""
    asked = _LEADING.match(text) or _ASKED.search(text) or _NEEDS.search(text) or _POLITE.search(text)
    head, tail = (text[: asked.start()], text[asked.end() :]) if asked else ("", text)
    new_due = parse_new_date(tail, today) or parse_new_date(head, today)
    reason = reason_of(tail)
    cause = re.search(r"(?:因为|由于|因)(.+)", _TASK_NUMBER.sub(" ", head))
    if not reason and cause is not None:  # "因冬季停工，1-17申请延期…": the reason comes first
        clauses = re.split(r"[，,。；;]", cause.group(1))
        if len(clauses) > 1 and clauses[-1].strip():  # "…，尾矿库排查申请延期": the last clause names the task
            clauses = clauses[:-1]
        reason = "，".join(c.strip() for c in clauses if c.strip())
    said_first = [c.strip() for c in re.split(r"[，,。；;]", _TASK_NUMBER.sub(" ", head)) if c.strip()]
    if not reason and len(said_first) >= 2:  # "…在山区，雨雪天气无法进场，申请延到…": the reason before the request
        reason = "，".join(said_first)
    return new_due, reason.strip(" ,，。.;；:：、")


async def request_in_words(
    session: AsyncSession, services: Services, *, telegram_id: int, person: Person | None, roles: set[str],
    task_id: int, text: str, now: datetime, lang: str, in_group: bool = False,
) -> Outcome:
    """The whole request in one message; what it lacks is asked for, as after the button.

    In a work group nobody's next message can be taken as the answer, so there the
    request must be complete: a date and a reason, or a pointer to the private chat.
    """
    today = now.astimezone(services.settings.timezone).date()
    new_due, reason = date_and_reason(text, today)
    if new_due is None:
        current = await rq.earliest_open_milestone(session, task_id)
        new_due = after_span(text, current.due) if current is not None and current.due is not None else None
    if in_group and (new_due is None or len(reason) < MIN_REASON):
        return Outcome("remind.ext.in_one_message", {"ref": await example_ref(session, person)})
    started = await start_request(
        session, telegram_id=telegram_id, person=person, roles=roles, task_id=task_id, now=now, lang=lang
    )
    if started.key != "remind.ext.ask_date":
        return started
    if new_due is None and len(reason) >= MIN_REASON:  # the reason now, the date in the answer
        await rq.set_prompt(
            session, telegram_id, kind="ext_date", task_id=task_id, note=reason, expires_at=now + PROMPT_TTL
        )
    if new_due is None:
        return started
    milestone = await rq.earliest_open_milestone(session, task_id)
    too_early = _too_early(milestone.due, new_due, today, lang) if milestone and milestone.due else None
    if too_early is not None:
        return too_early  # the date prompt stays open
    if len(reason) < MIN_REASON:
        await rq.set_prompt(
            session, telegram_id, kind="ext_reason", task_id=task_id, new_due=new_due, expires_at=now + PROMPT_TTL
        )
        return Outcome("remind.ext.ask_reason", {"date": fmt_day(new_due, lang)})
    outcome = await submit(
        session, services, person=person, roles=roles, task_id=task_id, new_due=new_due, reason=reason, now=now, lang=lang
    )
    if outcome.key != "remind.ext.date_too_early":
        await rq.clear_prompt(session, telegram_id)
    return outcome


async def request_from_chat(services: Services, turn: Turn, text: str) -> Outcome | None:
    """申请延期 written in a message: the task it names (by number, else by words), then the
    request. None (no answer) in a group that is not a registered work group."""
    from bot import matcher_cache
    from bot.reporting import report_beside, reporter_of
    from storage import reports as reports_q

    if turn.in_group and await reports_q.group_chat(turn.session, turn.chat_id) is None:
        return None
    if turn.person is None:
        return Outcome("unbound.text")
    who = await reporter_of(turn)
    allowed = None if who is None or who.allowed is None else {str(i) for i in who.allowed}
    index = await matcher_cache.current(turn.session, services.extras)
    found = index.matcher.named(text, allowed_refs=allowed)
    if found is None:
        found = index.matcher.match(text, unit=who.unit_name if who else None, allowed_refs=allowed)
    asked = _ASKED.search(text) or _NEEDS.search(text)
    if found.accepted is None and asked is not None and asked.start() > 0:
        # "尾矿库排查完成八成，还有两座进不去，需要延期": the words before the request name the task
        head = index.matcher.match(text[: asked.start()], unit=who.unit_name if who else None, allowed_refs=allowed, topic=True)
        found = head if head.accepted is not None else found
    if found.accepted is None:
        return Outcome("remind.ext.which_task", {"ref": await example_ref(turn.session, turn.person)})
    task_id = index.task_id(found.accepted)
    said, request = progress_beside(text)
    recorded = await report_beside(services, turn, who, task_id, said) if said and who is not None else None
    user = turn.update.effective_user
    outcome = await request_in_words(
        turn.session, services, telegram_id=user.id if user else 0, person=turn.person, roles=turn.roles,
        task_id=task_id, text=request if recorded is not None else text, now=turn.now, lang=turn.lang,
        in_group=turn.in_group,
    )
    if turn.in_group and outcome.key == "remind.ext.date_too_early":
        await rq.clear_prompt(turn.session, user.id if user else 0)  # no prompt waits in a group
    if recorded is None:
        return outcome
    said_text, buttons = recorded  # one reply for both: the report recorded, then where the request stands
    await turn.reply(said_text + "\n\n" + turn.tr(outcome.key, **outcome.params), buttons=buttons)
    return None


# Clauses as officials type them: a space often stands for the comma ("1-17完成七成 闭库得延到4月底").
_CLAUSE: Final = re.compile(r"[^，,。；;！!\n\s]+[，,。；;！!\n\s]*")


def progress_beside(text: str) -> tuple[str, str]:
    """(the progress a request for an extension also reports, the request without it).

    "1-17已完成80%，但尾矿库闭库需要延期到3月底" is a report and a request; read as a request
    only, the 80% would be lost, and taken as its reason. Only a clause of its own that says
    how far the work got (a percent, a count done, 已完成 or 基本完成) is progress; "还没做完"
    beside a request is why more time is needed.
    """
    def progress(words: str) -> bool:
        return (
            extract_percent(words) is not None or extract_counts(words).done is not None
            or extract_status(words) in (DONE, MOSTLY_DONE)
        )

    said: list[str] = []
    rest: list[str] = []
    for clause in _CLAUSE.findall(text):
        if asks_for_extension(clause):
            asked = _ASKED.search(clause) or _NEEDS.search(clause)
            if asked is not None and progress(clause[: asked.start()]):  # "完成了八成还有两座进不去需要延期"
                said.append(clause[: asked.start()])
                clause = clause[asked.start() :]
            rest.append(clause)
        else:
            (said if progress(clause) else rest).append(clause)
    if not said or not rest:
        return "", text
    return "".join(said).strip(" ，,。；;！!\n"), "".join(rest).strip()



def _too_early(due: date, new_due: date, today: date, lang: str) -> Outcome | None:
    if new_due <= due or new_due <= today:
        return Outcome("remind.ext.date_too_early", {"due": fmt_day(max(due, today), lang)})
    return None


def fmt_day(d: date, lang: str) -> str:
    return t(lang, "remind.date", y=d.year, m=d.month, d=d.day)


async def start_request(
    session: AsyncSession, *, telegram_id: int, person: Person | None, roles: set[str], task_id: int, now: datetime,
    lang: str,
) -> Outcome:
    """The 申请延期 button: check the task may be extended by this person, then ask for the date."""
    task = await rq.task(session, task_id)
    if task is None or task.archived or not await may(session, person, roles, Action.REQUEST_EXTENSION, task_id):
        return Outcome("remind.ext.not_allowed", alert=True)
    milestone = await rq.earliest_open_milestone(session, task_id)
    if milestone is None or milestone.due is None:
        return Outcome("remind.ext.no_deadline", {"ref": html.escape(task.ref)}, alert=True)
    unit_id = person.unit_id if person else None
    if unit_id is not None and await _share_closed(session, task_id, unit_id):
        return Outcome("remind.ext.signed_off", {"ref": html.escape(task.ref)}, alert=True)
    pending = await rq.pending_extension(session, task_id, unit_id)
    if pending is not None:
        return Outcome("remind.ext.already_pending", {"ref": html.escape(task.ref)}, alert=True)
    await rq.set_prompt(session, telegram_id, kind="ext_date", task_id=task_id, expires_at=now + PROMPT_TTL)
    return Outcome("remind.ext.ask_date", {"ref": html.escape(task.ref), "title": html.escape(task.title), "due": fmt_day(milestone.due, lang)})


async def awaiting(services: Services, telegram_id: int) -> str | None:
    """The extension prompt this account is answering, if any (read before the turn opens)."""
    from storage.db import transaction

    async with transaction(services.factory) as session:
        prompt = await rq.prompt_of(session, telegram_id, services.clock.now())
        return prompt.kind if prompt is not None and prompt.kind in EXTENSION_PROMPTS else None


def answers_prompt(kind: str, text: str, today: date) -> bool:
    """Whether ``text`` answers the open extension prompt, or is a new message of its own.

    A member asked for the new date may instead send a report ("1-16 本周检查危废企业6家")
    or a question; held as a bad date, it would be lost.
    """
    from bot.intent import has_progress, states_progress

    body = text.strip()
    if kind == "ext_reject" or _CANCELS.search(body):
        return True
    if kind == "ext_date" and parse_new_date(body, today) is not None:
        return True
    if body.endswith(("?", "？")):
        return False
    named = _TASK_NUMBER.search(body) is not None
    reports = has_progress(body) or (named and states_progress(body))
    return not (reports and (kind == "ext_date" or named))


async def drop_prompt(services: Services, telegram_id: int) -> None:
    """Close the open prompt of an account that moved on to something else."""
    from storage.db import transaction

    async with transaction(services.factory) as session:
        await rq.clear_prompt(session, telegram_id)


async def take_text(
    session: AsyncSession, services: Services, *, telegram_id: int, person: Person | None, roles: set[str],
    is_admin: bool, text: str, now: datetime, lang: str,
) -> Outcome | None:
    """A message answering an extension prompt; None when no such prompt is open."""
    prompt = await rq.prompt_of(session, telegram_id, now)
    if prompt is None or prompt.kind not in EXTENSION_PROMPTS:
        return None
    body = text.strip()
    if _CANCELS.search(body):
        await rq.clear_prompt(session, telegram_id)
        return Outcome("remind.ext.cancelled")
    today = now.astimezone(services.settings.timezone).date()
    if prompt.kind == "ext_reject":
        if len(body) < MIN_REASON or prompt.extension_id is None:
            return Outcome("remind.ext.reject_need_reason")
        await rq.clear_prompt(session, telegram_id)
        return await decide(
            session, services, extension_id=prompt.extension_id, approve=False, reason=body,
            admin_telegram_id=telegram_id, admin_person=person, is_admin=is_admin, now=now, lang=lang,
        )
    assert prompt.task_id is not None
    if prompt.kind == "ext_date":
        new_due = parse_new_date(body, today)
        if new_due is None:
            current = await rq.earliest_open_milestone(session, prompt.task_id)
            new_due = after_span(body, current.due) if current is not None and current.due is not None else None
        if new_due is None:
            return Outcome("remind.ext.need_date")
        reason = reason_of(body)
        if prompt.note and (len(reason) < MIN_REASON or _ONLY_WHEN.match(reason)):
            reason = prompt.note  # "延到明年3月底" answers the date; the reason was said before
        if len(reason) < MIN_REASON:
            await rq.set_prompt(
                session, telegram_id, kind="ext_reason", task_id=prompt.task_id, new_due=new_due,
                expires_at=now + PROMPT_TTL,
            )
            return Outcome("remind.ext.ask_reason", {"date": fmt_day(new_due, lang)})
    else:
        assert prompt.new_due is not None
        new_due, reason = prompt.new_due, body
        if len(reason) < MIN_REASON:
            return Outcome("remind.ext.ask_reason", {"date": fmt_day(new_due, lang)})
    outcome = await submit(
        session, services, person=person, roles=roles, task_id=prompt.task_id, new_due=new_due, reason=reason,
        now=now, lang=lang,
    )
    if outcome.key in (
        "remind.ext.requested", "remind.ext.not_allowed", "remind.ext.no_deadline", "remind.ext.already_pending",
        "remind.ext.signed_off",
    ):
        await rq.clear_prompt(session, telegram_id)
    return outcome


async def _share_closed(session: AsyncSession, task_id: int, unit_id: int) -> bool:
    """A unit whose share is 销号 has no deadline left to move."""
    from bot.reporting import signed_off

    return await signed_off(session, task_id, unit_id)


async def submit(
    session: AsyncSession, services: Services, *, person: Person | None, roles: set[str], task_id: int,
    new_due: date, reason: str, now: datetime, lang: str,
) -> Outcome:
    """Record the request and put Approve/Reject buttons before every admin."""
    task = await rq.task(session, task_id)
    if task is None or task.archived or not await may(session, person, roles, Action.REQUEST_EXTENSION, task_id):
        return Outcome("remind.ext.not_allowed")
    milestone = await rq.earliest_open_milestone(session, task_id)
    if milestone is None or milestone.due is None:
        return Outcome("remind.ext.no_deadline", {"ref": html.escape(task.ref)})
    too_early = _too_early(milestone.due, new_due, now.astimezone(services.settings.timezone).date(), lang)
    if too_early is not None:
        return too_early
    unit_id = person.unit_id if person else None
    if unit_id is not None and await _share_closed(session, task_id, unit_id):
        return Outcome("remind.ext.signed_off", {"ref": html.escape(task.ref)})
    if await rq.pending_extension(session, task_id, unit_id) is not None:
        return Outcome("remind.ext.already_pending", {"ref": html.escape(task.ref)})
    ext = Extension(
        task_id=task_id, unit_id=unit_id, milestone_id=milestone.id, requested_by=person.id if person else None,
        new_due=new_due, reason=reason[:1000], requested_at=now, state="pending",
    )
    session.add(ext)
    await session.flush()
    actor = f"person:{person.id}" if person else "unknown"
    await services.auditor.append(
        session, actor=actor, action="extension.request", subject=f"task:{task_id}",
        payload={"extension": ext.id, "milestone": milestone.id, "due": milestone.due.isoformat(),
                 "new_due": new_due.isoformat(), "reason": ext.reason, "unit": unit_id},
        now=now,
    )
    unit = await people.unit_name(session, unit_id) or ""
    shares = len(await signoffs_q.task_units(session, task_id))
    for admin in await people.admin_chat_ids(session, sorted(services.settings.admins)):
        admin_lang = await rq.user_language(session, admin) or services.settings.locale
        text = t(
            admin_lang, "remind.ext.admin_request", ref=html.escape(task.ref), title=html.escape(task.title),
            unit=html.escape(unit or "—"), name=html.escape(person.name if person else "—"),
            due=fmt_day(milestone.due, admin_lang), new_due=fmt_day(new_due, admin_lang), reason=html.escape(ext.reason),
        )
        if shares > 1:  # the milestone is the task's: approving moves it for every unit on it
            text += "\n" + t(admin_lang, "remind.ext.all_units", n=shares)
        buttons = [[(t(admin_lang, "remind.ext.btn.approve"), f"r:xa:{ext.id}"), (t(admin_lang, "remind.ext.btn.reject"), f"r:xr:{ext.id}")]]
        await outbox_q.enqueue(
            session, key=f"ext:{ext.id}:request:{admin}", kind="extension", chat_id=admin, method="sendMessage",
            payload={"chat_id": admin, "text": text, "parse_mode": "HTML", "reply_markup": keyboard(buttons)},
            now=now, push=False,
        )
    return Outcome("remind.ext.requested", {"ref": html.escape(task.ref), "date": fmt_day(new_due, lang)})


async def start_reject(
    session: AsyncSession, *, telegram_id: int, is_admin: bool, extension_id: int, now: datetime
) -> Outcome:
    """驳回 pressed: a rejection needs a reason, so ask for it first."""
    if not is_admin:
        return Outcome("remind.ext.admin_only", alert=True)
    ext = await rq.extension(session, extension_id)
    if ext is None:
        return Outcome("remind.bad_button", alert=True)
    if ext.state != "pending":
        return Outcome("remind.ext.already_decided", alert=True)
    task = await rq.task(session, ext.task_id)
    await rq.set_prompt(session, telegram_id, kind="ext_reject", extension_id=ext.id, expires_at=now + PROMPT_TTL)
    return Outcome("remind.ext.ask_reject_reason", {"ref": html.escape(task.ref if task else "?")})


async def decide(
    session: AsyncSession, services: Services, *, extension_id: int, approve: bool, reason: str | None,
    admin_telegram_id: int, admin_person: Person | None, is_admin: bool, now: datetime, lang: str,
) -> Outcome:
    """Approve (move the milestone) or reject (with a reason); tell the requester either way."""
    if not is_admin:
        return Outcome("remind.ext.admin_only", alert=True)
    ext = await rq.extension(session, extension_id)
    if ext is None:
        return Outcome("remind.bad_button", alert=True)
    if ext.state != "pending":
        return Outcome("remind.ext.already_decided", alert=True)
    task = await rq.task(session, ext.task_id)
    ref = task.ref if task else "?"
    if approve and ext.unit_id is not None and await _share_closed(session, ext.task_id, ext.unit_id):
        return Outcome("remind.ext.closed_meanwhile", {"ref": html.escape(ref)}, alert=True)
    ext.decided_by = admin_person.id if admin_person else None
    ext.decided_at = now
    payload: dict[str, Any] = {"extension": ext.id, "new_due": ext.new_due.isoformat()}
    if approve:
        milestone = await session.get(Milestone, ext.milestone_id) if ext.milestone_id else None
        old = milestone.due if milestone else None
        if milestone is not None:
            milestone.due = ext.new_due
        ext.state = "approved"
        payload["old_due"] = old.isoformat() if old else None
        action, key = "extension.approve", "remind.ext.approved_notice"
    else:
        ext.state = "rejected"
        ext.decision_reason = reason or ""
        payload["reason"] = ext.decision_reason
        action, key = "extension.reject", "remind.ext.rejected_notice"
    actor = f"person:{admin_person.id}" if admin_person else f"telegram:{admin_telegram_id}"
    await services.auditor.append(session, actor=actor, action=action, subject=f"task:{ext.task_id}", payload=payload, now=now)
    chat = await rq.person_chat(session, ext.requested_by)
    if chat is not None:
        chat_id, chosen = chat
        req_lang = chosen or services.settings.locale
        text = t(req_lang, key, ref=html.escape(ref), date=fmt_day(ext.new_due, req_lang),
                 reason=html.escape(ext.decision_reason or ""))
        await outbox_q.enqueue(
            session, key=f"ext:{ext.id}:{ext.state}", kind="extension", chat_id=chat_id, method="sendMessage",
            payload={"chat_id": chat_id, "text": text, "parse_mode": "HTML"}, now=now, push=False,
        )
    done_key = "remind.ext.approved" if approve else "remind.ext.rejected"
    return Outcome(done_key, {"ref": html.escape(ref), "date": fmt_day(ext.new_due, lang)})
