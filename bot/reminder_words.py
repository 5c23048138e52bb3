"""Reminder settings said in words: "春节期间暂停推送", "每天8点半提醒我", "收到" under a push.

Officials do not type /pause or /remindtime; they write to the bot as they would to the
整改办's clerk. Each reading here recognises only the shape of such a request and hands it
to the same audited service as the command, so words and commands never differ in effect.
A pause silences everyone's pushes, so words only propose it and the admin confirms with a
press; a member's own settings (time, acknowledgement) take effect at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callback_tokens, festivals, reminder_settings
from bot.english_dates import english_dates
from bot.example_refs import example_ref
from bot.extensions import Outcome
from bot.extract import extract_dates
from bot.reminders import KIND, acknowledge, parse_hhmm, person_key, push_key
from bot.scheduler import calendar_of
from bot.workdays import WorkCalendar
from storage import reminders as rq
from storage.models import Person

if TYPE_CHECKING:
    from bot.services import Services

PAUSE_CALLBACK: Final = "rp"
_LONGEST: Final = 60
# A task number belongs to /mute ("1-17这几天别提醒"), not to everyone's pause.
_TASK_REF: Final = re.compile(r"(?<![\d.])\d{1,3}(?:\s*[-－.]\s*\d{1,3})+")
_WORK: Final = re.compile(r"完成|完工|到位|验收|推进|开展|整改|进展|\d+\s*[%％]")
_PUSHES: Final = r"(?:推送|提醒|催办|消息|通知提醒)"
_PAUSE: Final = re.compile(
    rf"(?:暂停|停止|停发|暂缓|先停|停掉)\s*(?:一下|一段时间)?\s*(?:全部|所有|全体)?\s*(?:的)?\s*(?:发送?)?\s*{_PUSHES}"
    rf"|{_PUSHES}\s*(?:先|都|全部|一律)?\s*(?:暂停|停一下|停发|停了|停止|停掉|不要发|别发|不发)"
    rf"|(?:不要|别|不用|无需)\s*(?:再)?\s*(?:给我)?\s*(?:发|推送?|提醒)\s*(?:提醒|推送|消息)?"
)
_RESUME: Final = re.compile(
    rf"(?:恢复|重新开始|继续|重启)\s*(?:正常)?\s*{_PUSHES}|取消\s*(?:{_PUSHES})?\s*(?:的)?\s*暂停|{_PUSHES}\s*(?:恢复|照常)"
)


_PAUSE_EN: Final = re.compile(
    r"\b(?:pause|stop|suspend|hold|halt)\b.{0,24}\b(?:reminders?|pushes|notifications)\b|\bno (?:more )?(?:reminders|pushes)\b",
    re.I,
)
_RESUME_EN: Final = re.compile(
    r"\b(?:resume|restart|unpause|restore)\b.{0,24}\b(?:reminders?|pushes|notifications)\b|\b(?:cancel|lift) (?:the )?pause\b", re.I
)
_WORK_EN: Final = re.compile(r"\b(?:done|complete[d]?|finished|progress|inspected|\d+\s*%)", re.I)


def pause_words(text: str) -> str | None:
    """"pause" or "resume" when a short message asks to stop or restart the pushes, else None.

    A question ("春节期间推送暂停吗？"), a task number or a word of progress means something
    else: the queries, /mute or the reporting flow read those.
    """
    if len(text) > _LONGEST or re.search(r"[?？吗]\s*$", text) or _TASK_REF.search(text) or _WORK.search(text):
        return None
    if _RESUME.search(text) or _RESUME_EN.search(text):
        return "resume"
    if _PAUSE.search(text):
        return "pause"
    return "pause" if _PAUSE_EN.search(text) and not _WORK_EN.search(text) else None


# "每天早上8点半提醒我", "提醒时间改到8:30", "以后上午九点推送": a personal time said in words.
_TIME_CONTEXT: Final = re.compile(r"提醒|推送")
_TIME_SETTING: Final = re.compile(r"每天|每日|每个工作日|以后|今后|改|调|设|换|时间|定在|定为|提醒我|给我")
# "明天8点提醒我开会" asks for a one-off reminder, which the bot does not keep; it is no push time.
_ONE_OFF: Final = re.compile(r"今天|明天|后天|今晚|明早|开会|会议|记得|大家|各单位")
_CLOCK: Final = re.compile(
    r"(?P<part>上午|早上|早晨|中午|下午|傍晚|晚上)?\s*(?:(?P<hm>\d{1,2}\s*[:：]\s*\d{2})|"
    r"(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*[点時时](?:\s*(?:半|\d{1,2}\s*分?|[零一二三四五六七八九十]{1,3}\s*分?))?)"
)
_DEFAULT_TIME: Final = re.compile(r"(?:恢复|改回|用回|还是用)\s*(?:默认|统一|原来)|默认时间")


_TIME_EN: Final = re.compile(r"\b(?:remind(?:ers?)?|push(?:es)?)\b", re.I)
_SETTING_EN: Final = re.compile(r"\b(?:every ?day|daily|from now on|each (?:working )?day|change|set|move|time)\b", re.I)
_ONE_OFF_EN: Final = re.compile(r"\b(?:today|tomorrow|tonight|meeting|everyone|all units)\b", re.I)
_CLOCK_EN: Final = re.compile(r"\b(?:(?P<pre>at|to)\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?=\s|$|[,.!])", re.I)
_DEFAULT_EN: Final = re.compile(r"\b(?:reset|default|usual)\b.{0,20}\b(?:time|reminders?)\b|\breminder time back\b", re.I)


def _english_time(text: str) -> str | None:
    if _DEFAULT_EN.search(text):
        return "默认"
    if not _SETTING_EN.search(text) or _ONE_OFF_EN.search(text):
        return None
    for m in _CLOCK_EN.finditer(text):
        if m.group("m") is None and m.group("ampm") is None and m.group("pre") is None:
            continue  # a bare number is no time: "remind me in 2 days"
        hours, minutes = int(m.group("h")), int(m.group("m") or 0)
        ampm = (m.group("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hours < 12:
            hours += 12
        elif ampm == "am" and hours == 12:
            hours = 0
        return f"{hours:02d}:{minutes:02d}" if hours < 24 and minutes < 60 else None
    return None


def time_words(text: str) -> str | None:
    """The HH:MM (or "默认") a message sets as the person's push time; None when it does not."""
    if len(text) <= _LONGEST * 2 and _TIME_EN.search(text) and not _TASK_REF.search(text):
        return _english_time(text)
    if len(text) > _LONGEST or not _TIME_CONTEXT.search(text) or _TASK_REF.search(text) or _WORK.search(text):
        return None
    if re.search(r"[?？吗]\s*$", text):
        return None  # "几点提醒？" asks; it does not set
    if _DEFAULT_TIME.search(text):
        return "默认"
    if not _TIME_SETTING.search(text) or _ONE_OFF.search(text):
        return None
    m = _CLOCK.search(text)
    if m is None:
        return None
    if m.group("hm"):
        said = parse_hhmm(re.sub(r"\s|：", lambda x: ":" if x.group() == "：" else "", m.group("hm")))
        if said is not None and m.group("part") in ("下午", "傍晚", "晚上") and int(said[:2]) < 12:
            said = f"{int(said[:2]) + 12:02d}{said[2:]}"
        return said
    return reminder_settings.spoken_time(re.sub(r"\s", "", m.group()))


# "收到", "已阅", "知道了": an acknowledgement as a whole message, the push's 已阅 in words.
_ACK: Final = re.compile(
    r"^(?:收到|已收到|收到了|收悉|已阅|已读|阅|知道了|知悉|已知悉)(?:[，,\s]*(?:谢谢|感谢|谢谢提醒))?[。.!！~]*$"
)


_ACK_EN: Final = re.compile(r"^(?:got it|noted|received|read|ok|okay|acknowledged|roger|will do)(?:[,\s]*thanks?(?: you)?)?[.!]*$", re.I)


def ack_words(text: str) -> bool:
    return bool(_ACK.match(text.strip()) or _ACK_EN.match(text.strip()))


@dataclass(frozen=True)
class Said:
    """A reply with buttons (labels as catalog keys), which the services' Outcome cannot carry."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


_DAY_RANGE: Final = re.compile(r"(?P<m>\d{1,2})\s*月\s*(?P<a>\d{1,2})\s*[日号]?\s*(?:至|到|—|－|-|~|～)\s*(?P<b>\d{1,2})\s*[日号]")
_UNTIL: Final = re.compile(r"(?:到|至|截至|截止到?)\s*$")
_BEFORE: Final = re.compile(r"\s*(?:之前|以前|前)")
_DATE_WORDS: Final = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{4}-\d{1,2}-\d{1,2}|今天|明天|后天")


def span_of(text: str, today: date, cal: WorkCalendar) -> tuple[date, date] | None:
    """The days a pause in words covers: "春节期间", "2月4日至10日", "明天", "到2月10日", "下周"."""
    festival = festivals.named_in(text)
    if festival is not None:
        return reminder_settings.holiday_of(festival, today, cal)
    if re.search(r"[A-Za-z]{3}", text):
        return _english_span(text, today)
    m = _DAY_RANGE.search(text)
    if m is not None:
        found = extract_dates(f"{m.group('m')}月{m.group('a')}日", today)
        if found:
            start = found[0]
            try:
                return start, start.replace(day=int(m.group("b")))
            except ValueError:
                return None
    dates = extract_dates(text, today)
    said = _DATE_WORDS.search(text)
    until = said is not None and bool(_UNTIL.search(text[: said.start()]) or _BEFORE.match(text[said.end():]))
    this_week = re.search(r"本周|这周|这个星期|本星期", text) is not None
    next_week = re.search(r"下周|下个星期|下星期", text) is not None and not dates
    return _span(today, dates, until=until, this_week=this_week, next_week=next_week)


def _english_span(text: str, today: date) -> tuple[date, date] | None:
    return _span(
        today, english_dates(text, today),
        until=re.search(r"\b(?:until|till|through|up to|before)\b", text, re.I) is not None,
        this_week=re.search(r"\bthis week\b", text, re.I) is not None,
        next_week=re.search(r"\bnext week\b", text, re.I) is not None,
    )


def _span(today: date, dates: list[date], *, until: bool, this_week: bool, next_week: bool) -> tuple[date, date] | None:
    """The days meant, whichever language named them: a week, two dates, or up to (or on) one."""
    if this_week:
        return today, today + timedelta(days=6 - today.weekday())
    if next_week:
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=6)
    if len(dates) >= 2:
        return dates[0], dates[1]
    if len(dates) == 1:
        return (today, dates[0]) if until else (dates[0], dates[0])
    return None


async def pause_in_words(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, is_admin: bool,
    text: str, now: datetime,
) -> Said:
    """An admin's pause is proposed with a confirm button; anyone else hears what they may do."""
    wanted = pause_words(text)
    if not is_admin:
        if person is None:
            return Said("remind.not_bound")
        return Said("remind.words.mute_needs_ref", {"ref": await example_ref(session, person)})
    if wanted == "resume":
        outcome = await reminder_settings.pause(
            session, services, person=person, telegram_id=telegram_id, is_admin=True, args=["取消"], now=now
        )
        return Said(outcome.key, outcome.params)
    today = now.astimezone(services.settings.timezone).date()
    span = span_of(text, today, calendar_of(services))
    if span is None:
        return Said("remind.words.pause_when")
    start, end = span
    if end < start or (end - start).days > reminder_settings.MAX_PAUSE_DAYS:
        return Said("remind.pause.bad_range", {"max": reminder_settings.MAX_PAUSE_DAYS})
    if end < today:
        return Said("remind.pause.past", {"start": start.isoformat(), "end": end.isoformat()})
    secret = services.settings.audit_key
    yes = callback_tokens.sign(secret, PAUSE_CALLBACK, start.strftime("%Y%m%d"), end.strftime("%Y%m%d"), to=telegram_id)
    no = callback_tokens.sign(secret, PAUSE_CALLBACK, "0", "0", to=telegram_id)
    params = {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1}
    return Said("remind.words.pause_confirm", params, [[("remind.words.btn_pause", yes), ("remind.words.btn_keep", no)]])


def _day(stamp: str) -> date | None:
    try:
        return datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return None


async def confirm_pause(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, is_admin: bool,
    data: str, now: datetime,
) -> Outcome:
    """The press on a proposed pause: the same audited /pause, once, whoever presses twice."""
    try:
        token = callback_tokens.verify(services.settings.audit_key, data)
    except callback_tokens.BadToken:
        return Outcome("remind.bad_button", alert=True)
    if token.kind != PAUSE_CALLBACK or len(token.args) != 2 or not token.addressed_to(telegram_id, is_admin=is_admin):
        return Outcome("remind.not_yours", alert=True)
    if not is_admin:
        return Outcome("remind.pause.admin_only", alert=True)
    if token.args == ("0", "0"):
        return Outcome("remind.words.pause_kept")
    start, end = _day(token.args[0]), _day(token.args[1])
    if start is None or end is None:
        return Outcome("remind.bad_button", alert=True)
    today = now.astimezone(services.settings.timezone).date()
    if any(p.start == start and p.end == end for p in await rq.pauses_from(session, today)):
        return Outcome("remind.words.pause_exists", {"start": start.isoformat(), "end": end.isoformat()}, alert=True)
    return await reminder_settings.pause(
        session, services, person=person, telegram_id=telegram_id, is_admin=True,
        args=[start.isoformat(), end.isoformat()], now=now,
    )


async def time_in_words(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, text: str, now: datetime,
) -> Outcome:
    at = time_words(text)
    return await reminder_settings.set_time(
        session, services, person=person, telegram_id=telegram_id, args=[at] if at else [], now=now
    )


async def ack_in_words(
    session: AsyncSession, services: Services, *, person: Person | None, telegram_id: int, now: datetime,
) -> Outcome | None:
    """"收到" to today's push signs it as the 已阅 button would; None when there is none to sign."""
    if person is None:
        return None
    today = now.astimezone(services.settings.timezone).date()
    row = await rq.outbox_row(session, push_key(person_key(person.id), KIND, today))
    if row is None or row.chat_id != telegram_id:
        return None
    return await acknowledge(session, services, person=person, day=today, row=row, now=now, words=True)
