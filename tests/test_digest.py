"""旬 and month digests through the scheduler's clock walk: who gets what, once."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.clock import VirtualClock
from bot.config import Settings
from bot.digest import Period, period_for, send_digests
from bot.services import Services
from bot.workdays import WorkCalendar
from storage.db import create_engine, session_factory, transaction
from storage.models import Outbox
from tests.scenario import converse, texts
from tests.test_queries import LEADER, MEMBER
from tests.test_queries_seed import PLAN, at, seed_plan


def digests(output: list[dict[str, object]], chat: int) -> list[str]:
    return [t for t in texts(output, chat) if "整改调度" in t or "整改工作通报" in t]  # type: ignore[arg-type]


def test_digest_days_follow_the_working_calendar() -> None:
    cal = WorkCalendar()
    assert period_for("xun", date(2019, 1, 10), cal) == Period("xun", date(2019, 1, 1), date(2019, 1, 10))
    # 2019-01-20 is a Sunday: the 中旬 digest goes on Friday the 18th
    assert period_for("xun", date(2019, 1, 18), cal) == Period("xun", date(2019, 1, 11), date(2019, 1, 20))
    assert period_for("month", date(2019, 1, 31), cal) == Period("month", date(2019, 1, 1), date(2019, 1, 31))


async def test_xun_and_month_digests_through_clock_events(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [
            {"clock": "2019-01-10T09:00"},
            LEADER,
            MEMBER,
            {"as": 1, "text": "/start"},
            {"as": 1002, "text": "/start"},
            {"clock": "2019-01-10T18:00"},
            {"clock": "2019-01-18T18:00"},
            {"clock": "2019-01-31T18:00"},
        ],
        plans=[PLAN],
    )
    admin = digests(out, 1)
    leader = digests(out, 1002)
    assert not digests(out, 2001)  # members get reminders, not digests
    heads = [t.splitlines()[0] for t in admin]
    assert heads[:2] == ["2019年1月上旬整改调度", "2019年1月中旬整改调度"]
    # The 下旬 ends with the month: one 通报 on the 31st carries the 旬's laggards too.
    assert heads[2:] == ["2019年1月整改工作通报（含下旬调度）"]
    assert len(digests(out, 1002)) == 3 and digests(out, 1002)[2].startswith("2019年1月整改工作通报（含下旬调度）")
    first = admin[0]
    assert "全部任务 35 项" in first and "🔴逾期 2" in first
    assert "本期进展（3 项任务，3 条报告）" in first and "尾矿库排查已完成一半" in first
    assert "逾期任务（2 项）" in first and "• 1-10" in first and "• 2-3" in first and "1-17" not in first.split("逾期任务")[1].split("本期未报告")[0]
    assert "本期未报告" in first and "市水利局" in first
    assert all(len(t) <= 4096 for t in admin + leader)
    # the leader's digest covers what they lead: 1-10 moved, 2-8 (张家明's) did not
    lead = leader[0]
    assert "您分管的任务 24 项" in lead and "本期进展（1 项任务，1 条报告）" in lead and "扬尘" not in lead
    # 中旬: nobody reported
    assert "本期暂无新报告" in admin[1]
    month = next(t for t in admin if "整改工作通报" in t)
    assert "各单位按时报送排名" in month
    ranks = re.findall(r"^(\d+)\. (\S+) (\d+)%（(\d+)/(\d+)）", month, re.M)
    assert ranks and ranks[0][0] == "1"
    rates = [int(r[2]) for r in ranks]
    assert rates == sorted(rates, reverse=True) and rates[0] > 0
    assert next(r for r in ranks if r[1] == "市应急管理局")[3] == "1"  # 1-17 in 上旬 only
    assert "下旬未报告（50 个单位）" in month  # nobody reported in the 下旬


async def test_one_row_per_person_and_period_even_when_fired_twice(settings: Settings) -> None:
    await seed_plan(settings)
    await converse(settings, [{"clock": "2019-01-10T09:00"}, LEADER, {"clock": "2019-01-10T18:00"}], plans=[PLAN])
    engine = create_engine(settings.database_url)
    factory = session_factory(engine)
    services = Services(settings=settings, clock=VirtualClock(at("2019-01-10T17:00")), engine=engine, factory=factory)
    try:
        async with transaction(factory) as session:
            again = await send_digests(session, services, "xun", at("2019-01-10T17:00"))
            keys = (await session.execute(select(Outbox.key).where(Outbox.kind == "xun_digest"))).scalars().all()
    finally:
        await engine.dispose()
    assert again == 0
    assert len(keys) == 2
    assert "digest:xun:2019-01-01:tg1" in keys  # the configured admin, not bound to a person
    assert any(re.fullmatch(r"digest:xun:2019-01-01:p\d+", k) for k in keys)  # the leader


async def test_the_digest_time_is_a_setting(env: dict[str, str]) -> None:
    """RECTIBOT_DIGEST_AT moves both schedules; a later change of the setting is followed."""
    from bot.config import load_settings
    from bot.digest import ensure_schedules
    from bot.localbot import migrate
    from storage.models import Schedule

    settings = load_settings({**env, "RECTIBOT_DIGEST_AT": "16:30"}, env_file=None)
    await migrate(settings)
    engine = create_engine(settings.database_url)
    factory = session_factory(engine)
    try:
        async with transaction(factory) as session:
            await ensure_schedules(session, settings)
            rows = {s.name: s for s in (await session.execute(select(Schedule))).scalars()}
            assert (rows["xun-digest"].at, rows["xun-digest"].rule) == ("16:30", "xun_end")
            assert (rows["month-digest"].at, rows["month-digest"].rule) == ("16:30", "month_end")
            await ensure_schedules(session, load_settings({**env, "RECTIBOT_DIGEST_AT": "7:5"}, env_file=None))
            assert rows["xun-digest"].at == "17:00"  # not HH:MM: the default, with a log line
            await ensure_schedules(session, None)  # no settings (listings): rows are left alone
            assert rows["month-digest"].at == "17:00"
    finally:
        await engine.dispose()


def test_a_digest_asked_for_in_words_names_its_period() -> None:
    from bot.digest import digest_request, named_xun

    assert digest_request("本旬通报") == ("xun", False)
    assert digest_request("发一下这个月的调度通报") == ("month", False)
    assert digest_request("上旬的旬报") == ("xun", False) and named_xun("上旬的旬报") == 1  # 上旬: days 1-10
    assert digest_request("上一旬的旬报") == ("xun", True) and named_xun("上一旬的旬报") is None
    assert digest_request("通报已收到") is None
    assert digest_request("把上一旬的调度情况发我") == ("xun", True)
    assert digest_request("最新一期通报") == ("xun", False)


async def test_a_named_xun_is_this_months_and_the_one_before_is_the_last(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [{"clock": "2019-01-25T10:00"}, {"as": 1, "text": "上旬的旬报"}, {"as": 1, "text": "上一旬的旬报"},
         {"as": 1, "text": "下旬通报"}],
        plans=[PLAN],
    )
    admin = texts(out, 1)
    assert admin[-3].startswith("2019年1月上旬整改调度")
    assert admin[-2].startswith("2019年1月中旬整改调度")
    assert admin[-1].startswith("2019年1月下旬整改调度")


async def test_the_digest_on_demand_goes_to_the_office_and_leaders_only(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [{"clock": "2019-01-10T10:00"}, LEADER, MEMBER, {"as": 1, "text": "本旬通报"},
         {"as": 1002, "text": "发一下这个月的调度通报"}, {"as": 2001, "text": "本旬通报"}],
        plans=[PLAN],
    )
    assert texts(out, 1)[-1].startswith("2019年1月上旬整改调度") and "全部任务 35 项" in texts(out, 1)[-1]
    assert texts(out, 1002)[-1].startswith("2019年1月整改工作通报") and "您分管的任务" in texts(out, 1002)[-1]
    assert texts(out, 2001)[-1] == "调度通报仅限整改办和责任领导查看。"


async def test_a_digest_line_names_the_task_and_the_figure_once(settings: Settings) -> None:
    out = await converse(
        settings,
        [
            {"clock": "2019-02-11T08:00"},
            MEMBER,
            {"as": 1, "text": "/start"},
            {"clock": "2019-02-12T10:00"},
            {"as": 2001, "text": "1-12 黑臭水体整治完成60%"},
            {"as": 2001, "text": "任务1-10：县级水源地整治完成八成"},
            {"clock": "2019-02-20T18:00"},
        ],
        plans=[PLAN],
    )
    moved = digests(out, 1)[-1].split("本期进展")[1].split("逾期任务")[0]
    lines = {line.split()[1]: line for line in moved.splitlines() if line.startswith("• ")}
    assert lines["1-12"].endswith("市生态环境局：黑臭水体整治完成60%")
    assert lines["1-10"].endswith("市生态环境局：县级水源地整治完成八成（完成 80%）")
