"""申请延期 through the push's button: approval moves the milestone and stops the overdue pushes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from storage.db import create_engine, session_factory, transaction
from storage.models import AuditEvent, Extension, Milestone, Task
from tests.scenario import converse
from tests.test_reminders import ADMIN, MEMBER, PLAN, SETUP, day, pushes


async def _state(settings: Settings) -> tuple[date | None, list[Extension], list[str]]:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            task = (await session.execute(select(Task).where(Task.ref == "1-17"))).scalar_one()
            due = (await session.execute(select(Milestone.due).where(Milestone.task_id == task.id))).scalar_one()
            exts = list((await session.execute(select(Extension).order_by(Extension.id))).scalars())
            actions = [a for (a,) in await session.execute(
                select(AuditEvent.action).where(AuditEvent.action.like("extension.%")).order_by(AuditEvent.id))]
    finally:
        await engine.dispose()
    return due, exts, actions


def texts_to(out: list[dict[str, Any]], chat: int) -> list[str]:
    return [o["text"] for o in out if o.get("chat") == chat and "text" in o]


async def test_approved_extension_moves_the_milestone_and_stops_overdue_pushes(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "press": "申请延期"},
        {"as": MEMBER, "text": "2019-03-15 尾矿库排查需补充第三方评估"},
        {"as": ADMIN, "press": "批准"},
        {"as": ADMIN, "press": "批准"},
        {"clock": "2019-02-12T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("请回复新的完成日期和延期理由" in t for t in member)
    assert any("已提交任务【1-17】的延期申请（延至2019年3月15日）" in t for t in member)
    request = [o for o in out if o.get("chat") == ADMIN and "【延期申请】" in (o.get("text") or "")]
    assert len(request) == 1 and request[0]["buttons"] == ["批准", "驳回"]
    assert "尾矿库排查需补充第三方评估" in request[0]["text"] and "2019年1月31日" in request[0]["text"]
    assert "本任务共 4 个责任单位，批准后全部单位的时限均调整" in request[0]["text"]
    assert any("已批准：任务【1-17】时限调整为2019年3月15日" in t for t in texts_to(out, ADMIN))
    assert any("延期已获批准，新的时限为2019年3月15日" in t for t in member)
    replay = [o for o in out if "callback_answer" in o and o["chat"] == ADMIN]
    assert replay[-1]["alert"] and "已经处理过" in replay[-1]["callback_answer"]
    after = [p for p in pushes(out, MEMBER) if day(p) > "2019-02-01"]
    assert after and not any("1-17" in p["text"] for p in after)
    assert not any("1-17" in p["text"] for p in pushes(out, ADMIN, "【逾期督办】"))
    due, exts, actions = await _state(settings)
    assert due == date(2019, 3, 15)
    assert [(e.state, e.new_due, e.reason) for e in exts] == [("approved", date(2019, 3, 15), "尾矿库排查需补充第三方评估")]
    assert actions == ["extension.request", "extension.approve"]


async def test_rejection_needs_a_reason_and_the_unit_hears_it(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "press": "申请延期"},
        {"as": MEMBER, "text": "2019年3月底"},
        {"as": MEMBER, "text": "需等待省厅复核"},
        {"as": ADMIN, "press": "驳回"},
        {"as": ADMIN, "text": "请先完成排查，再说明延期的具体原因"},
        {"clock": "2019-02-02T10:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("新的完成日期：2019年3月31日。请再回复延期理由" in t for t in member)
    assert any("未获批准。理由：请先完成排查，再说明延期的具体原因" in t for t in member)
    assert any("请回复驳回任务【1-17】延期申请的理由" in t for t in texts_to(out, ADMIN))
    assert "1-17" in next(p["text"] for p in pushes(out, MEMBER) if day(p) == "2019-02-02")
    due, exts, actions = await _state(settings)
    assert due == date(2019, 1, 31)
    assert [(e.state, e.decision_reason) for e in exts] == [("rejected", "请先完成排查，再说明延期的具体原因")]
    assert actions == ["extension.request", "extension.reject"]


async def test_bad_dates_cancel_and_forged_approval_change_nothing(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "press": "申请延期"},
        {"as": MEMBER, "text": "过段时间吧"},
        {"as": MEMBER, "text": "2019-01-20 来不及"},
        {"as": MEMBER, "text": "取消"},
        {"as": MEMBER, "callback": "r:xa:1", "on": 1},
        {"as": MEMBER, "callback": "r:x:20190201:1", "on": 1},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("没有看到新的完成日期" in t for t in member)
    assert any("新的完成日期须晚于2019年2月1日" in t for t in member)
    assert any("已取消延期申请" in t for t in member)
    answers = [o for o in out if "callback_answer" in o and o["chat"] == MEMBER]
    assert answers[-2]["alert"] and "只有整改办管理员" in answers[-2]["callback_answer"]
    assert answers[-1]["alert"] and "不是发给您的" in answers[-1]["callback_answer"]
    assert not any("【延期申请】" in t for t in texts_to(out, ADMIN))
    due, exts, actions = await _state(settings)
    assert due == date(2019, 1, 31) and exts == [] and actions == []


async def test_an_extension_asked_for_in_a_message_goes_to_the_admins(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17申请延期至3月15日，原因是冬季停工无法进场"},
        {"as": ADMIN, "press": "批准"},
        {"as": MEMBER, "text": "下月可能还要申请延期"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("已提交任务【1-17】的延期申请（延至2019年3月15日）" in t for t in member)
    request = next(o for o in out if o.get("chat") == ADMIN and "【延期申请】" in (o.get("text") or ""))
    assert "理由：冬季停工无法进场" in request["text"]
    due, exts, _actions = await _state(settings)
    assert due == date(2019, 3, 15) and [e.state for e in exts] == ["approved"]
    assert not any("已提交" in t for t in member[-1:])  # an intention is no request


async def test_an_extension_written_like_the_command_is_a_request_not_a_late_report(settings: Settings) -> None:
    """"延期 1-17 到3月底 因为…", the request word first as in "销号 1-17 …", was recorded as
    a 滞后 report."""
    events = [*SETUP, {"clock": "2019-02-01T09:30"}, {"as": MEMBER, "text": "延期 1-17 到3月底 因为冬季停工无法进场"}]
    out = await converse(settings, events, plans=[PLAN])
    assert any("已提交任务【1-17】的延期申请（延至2019年3月31日）" in t for t in texts_to(out, MEMBER))
    assert not any("已记录" in t for t in texts_to(out, MEMBER))
    request = next(o for o in out if o.get("chat") == ADMIN and "【延期申请】" in (o.get("text") or ""))
    assert "理由：冬季停工无法进场" in request["text"]


async def test_a_request_in_words_without_a_reason_asks_for_it(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "尾矿库排查申请延期到3月底"},
        {"as": MEMBER, "text": "需补充第三方评估"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("新的完成日期：2019年3月31日。请再回复延期理由" in t for t in member)
    assert "已提交任务【1-17】的延期申请（延至2019年3月31日）" in member[-1]
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 31), "需补充第三方评估")]


async def test_a_reason_said_first_is_kept_when_the_date_comes_in_the_answer(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17需要延期，永城两个尾矿库的第三方评估还没做完"},
        {"as": MEMBER, "text": "延到3月底"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    assert "已提交任务【1-17】的延期申请（延至2019年3月31日）" in texts_to(out, MEMBER)[-1]
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 31), "永城两个尾矿库的第三方评估还没做完")]


async def test_an_extension_asked_as_a_span_counts_from_the_current_deadline(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-01-28T09:30"},
        {"as": MEMBER, "text": "1-17需要延期一个月，因为永城尾矿库的评估还没做完"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    assert "已提交任务【1-17】的延期申请（延至2019年2月28日）" in texts_to(out, MEMBER)[-1]  # 1月31日 + one month
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 2, 28), "永城尾矿库的评估还没做完")]


async def test_an_extension_asked_without_the_word_shenqing_is_a_request_not_a_late_report(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "因春节放假，尾矿库排查要延期到3月15日"},
        {"as": MEMBER, "text": "1-17 完成不了，需要延期"},
        {"as": MEMBER, "text": "不需要延期，能按期完成"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert any("已提交任务【1-17】的延期申请（延至2019年3月15日）" in t for t in member)
    assert "已有延期申请在审核中" in member[-2]  # read as the same request again, not as 滞后
    assert not any("延期申请" in t for t in member[-1:])
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 15), "春节放假")]


async def test_an_open_date_question_lets_go_of_a_cancel_or_a_report(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17申请延期"},
        {"as": MEMBER, "text": "算了，不延了"},
        {"as": MEMBER, "text": "1-17申请延期"},
        {"as": MEMBER, "text": "1-17 本周又核查尾矿库2座，完成90%"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert "已取消" in member[-3] or "取消" in member[-3]
    assert "已记录" in member[-1] and "90%" in member[-1]
    _due, exts, _actions = await _state(settings)
    assert exts == []


async def test_in_a_work_group_an_extension_must_be_asked_in_one_message(settings: Settings) -> None:
    group = -100777
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": ADMIN, "text": "/group 市应急管理局", "chat": group},
        {"as": MEMBER, "text": "尾矿库排查申请延期到3月底", "chat": group},
        {"as": MEMBER, "text": "1-17申请延期至3月15日，原因是冬季停工", "chat": group},
    ]
    out = await converse(settings, events, plans=[PLAN])
    in_group = [o["text"] for o in out if o.get("chat") == group and "text" in o]
    assert "在一条消息里写明任务编号、新的完成日期和理由" in in_group[-2]
    assert "已提交任务【1-17】的延期申请（延至2019年3月15日）" in in_group[-1]
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 15), "冬季停工")]


async def test_an_extension_asked_politely_as_a_question_is_a_request(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-01-24T09:30"},
        {"as": MEMBER, "text": "1-17能不能推迟两周？春节企业都停产了"},
        {"as": ADMIN, "text": "/task 1-17"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    assert "已提交任务【1-17】的延期申请（延至2019年2月14日）" in texts_to(out, MEMBER)[-1]
    card = texts_to(out, ADMIN)[-1]  # the task's card says what waits for the office
    assert "市应急管理局：" in card and "申请延期至2月14日，待审核" in card
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 2, 14), "春节企业都停产了")]


async def test_extend_command_asks_in_one_line_and_without_arguments_says_how(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-01-24T09:30"},
        {"as": MEMBER, "text": "/extend"},
        {"as": MEMBER, "text": "/extend 1-17 2019-02-28 春节期间企业停产"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = texts_to(out, MEMBER)
    assert member[-2].startswith("申请延期：/extend 任务编号 新的完成日期 理由")
    assert "已提交任务【1-17】的延期申请（延至2019年2月28日）" in member[-1]
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 2, 28), "春节期间企业停产")]


def test_what_reads_as_an_extension_request() -> None:
    from bot.extensions import asks_for_extension, date_and_reason

    assert asks_for_extension("1-17申请延期至3月31日，原因是冬季停工")
    assert not asks_for_extension("上周已申请延期，目前正在推进")
    assert not asks_for_extension("下月可能要申请延期") and not asks_for_extension("怎么申请延期？")
    assert asks_for_extension("1-10可否延期到6月底？资金还没到位") and asks_for_extension("尾矿库排查需要宽限一周")
    assert not asks_for_extension("1-17不可以延期，必须按时完成") and not asks_for_extension("能否延期要看整改办意见")
    assert asks_for_extension("延期：1-18 延至4月30日，原因是设备未到货") and not asks_for_extension("延期的事情1-18怎么办？")
    assert date_and_reason("延期 1-18 3月31日 汛期影响施工", date(2019, 2, 20)) == (date(2019, 3, 31), "汛期影响施工")
    assert date_and_reason("因冬季停工，1-17申请延期到3月底", date(2019, 1, 28)) == (date(2019, 3, 31), "冬季停工")
    assert date_and_reason("尾矿库任务恳请延至3月底完成，原因是需委托第三方开展风险评估", date(2019, 2, 1)) == (
        date(2019, 3, 31),
        "需委托第三方开展风险评估",
    )
    assert date_and_reason("永城两座尾矿库在山区，雨雪天气无法进场，申请延到3月15日", date(2019, 2, 1)) == (
        date(2019, 3, 15),
        "永城两座尾矿库在山区，雨雪天气无法进场",
    )
    # The clause naming the task is not part of the reason; a festival is a date.
    assert date_and_reason("因冬季停工，尾矿库排查申请延期至春节前", date(2019, 11, 5)) == (date(2020, 1, 24), "冬季停工")
    assert date_and_reason("1-17申请延期到2020年春节前，原因是资金未到位", date(2019, 11, 5)) == (
        date(2020, 1, 24),
        "资金未到位",
    )


async def test_progress_said_beside_an_extension_request_is_recorded_too(settings: Settings) -> None:
    from storage.models import Report

    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17已完成80%，但尾矿库闭库需要延期到3月底"},
        {"as": MEMBER, "text": "闭库要等第三方评估"},
        {"as": ADMIN, "press": "驳回"},
        {"as": ADMIN, "text": "请按期推进"},
        {"as": MEMBER, "text": "1-17申请延期到3月15日，原因是冬季无法施工，目前排查已完成九成"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    member = [o for o in out if o.get("chat") == MEMBER and "已记录" in (o.get("text") or "")]
    first, second = member[0]["text"], member[1]["text"]
    # one reply says both: the report, then where the request stands
    assert "1-17" in first and "80%" in first and "新的完成日期：2019年3月31日。请再回复延期理由" in first
    assert member[0]["buttons"] == ["撤销"]
    assert "90%" in second and "已提交任务【1-17】的延期申请（延至2019年3月15日）" in second
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [
        (date(2019, 3, 31), "闭库要等第三方评估"),
        (date(2019, 3, 15), "冬季无法施工"),
    ]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            reports = list((await session.execute(select(Report).order_by(Report.id))).scalars())
    finally:
        await engine.dispose()
    assert [(r.text, r.percent) for r in reports] == [("1-17已完成80%", 80), ("目前排查已完成九成", 90)]


async def test_progress_and_a_request_said_with_spaces_for_commas(settings: Settings) -> None:
    from storage.models import Report

    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17 目前完成85% 申请延期至3月31日 原因是雨雪天气"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    reply = texts_to(out, MEMBER)[-1]
    assert "85%" in reply and "已提交任务【1-17】的延期申请（延至2019年3月31日）" in reply
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 31), "雨雪天气")]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            reports = list((await session.execute(select(Report))).scalars())
    finally:
        await engine.dispose()
    assert [(r.text, r.percent) for r in reports] == [("目前完成85%", 85)]


async def test_a_whole_request_typed_as_the_answer_keeps_only_the_reason(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17申请延期"},
        {"as": MEMBER, "text": "1-17延期到3月底，第三方评估还没做完"},
    ]
    await converse(settings, events, plans=[PLAN])
    _due, exts, _actions = await _state(settings)
    assert [(e.new_due, e.reason) for e in exts] == [(date(2019, 3, 31), "第三方评估还没做完")]


async def test_a_unit_signed_off_asks_no_extension_and_none_is_approved_after_its_sign_off(settings: Settings) -> None:
    events = [
        *SETUP,
        {"clock": "2019-02-01T09:30"},
        {"as": MEMBER, "text": "1-17申请延期至3月31日，原因是第三方评估还没做完"},
        {"as": MEMBER, "text": "销号 1-17 尾矿库排查整治全部完成"},
        {"as": ADMIN, "press": "同意销号"},
        {"as": ADMIN, "press": "批准"},  # the extension, still pending: its share is closed now
        {"as": MEMBER, "text": "1-17申请延期至4月30日，原因是补充验收材料"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    due, exts, actions = await _state(settings)
    assert due == date(2019, 1, 31) and "extension.approve" not in actions and len(exts) == 1
    assert "已销号，无需申请延期" in texts_to(out, MEMBER)[-1]
    answers = [o for o in out if "callback_answer" in o]
    assert "已销号，延期申请无需再批" in answers[-1]["callback_answer"]
