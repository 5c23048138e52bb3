"""A Shangqiu ledger with some history, shared by the leaders' area tests; and the ledger's own tests.

Reports, evidence and sign-offs are written as the reporting and sign-off services store
them (rows in ``reports``, ``evidence``, ``task_units``), so the leaders' views are tested
on exactly what they read, independently of how the matcher decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.ledger import load
from bot.localbot import migrate
from bot.plans import import_plan_files
from bot.status import StatusClass
from storage.db import create_engine, session_factory, transaction
from storage.models import Evidence, Report, Task, TaskUnit, Unit

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "examples" / "shangqiu-plan.txt"
if not PLAN.is_file():
    PLAN = REPO.parent / "shared" / "seeds" / "shangqiu-2019-plan-35-tasks.txt"
TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@dataclass(frozen=True)
class Seed:
    ref: str
    unit: str
    text: str
    when: str
    percent: int | None = None
    measure: int | None = None
    evidence: int = 0


# 1-10 市生态环境局 reported this 旬 with evidence; 2-8 市城管局 (市扬尘办) reported; 1-17 市应急管理局.
SEEDS = (
    Seed("1-10", "市生态环境局", "市级水源地保护区界碑已全部设立，剩一处交通穿越工程在验收", "2019-01-08T10:00", 80, 1, 2),
    Seed("2-8", "市城管局", "建筑工地扬尘“六个百分之百”专项检查开展两轮", "2019-01-07T16:30", 60, None, 1),
    Seed("1-17", "市应急管理局", "尾矿库排查已完成一半", "2019-01-09T09:15", 50, None, 0),
    Seed("1-14", "市水利局", "水源地巡查每周一次", "2018-12-25T10:00", None, None, 0),
)


async def seed_plan(settings: Settings, seeds: tuple[Seed, ...] = SEEDS, *, signed_off: tuple[tuple[str, str], ...] = ()) -> None:
    """Import the Shangqiu plan and write ``seeds`` as stored reports (and sign-offs)."""
    await migrate(settings)
    await import_plan_files(settings, [PLAN], now=at("2019-01-02T09:00"))
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            for s in seeds:
                task = (await session.execute(select(Task).where(Task.ref == s.ref))).scalar_one()
                unit = (await session.execute(select(Unit).where(Unit.name == s.unit))).scalar_one()
                report = Report(
                    task_id=task.id, unit_id=unit.id, measure_no=s.measure, text=s.text, percent=s.percent,
                    created_at=at(s.when), intent="report", source="chat",
                )
                session.add(report)
                await session.flush()
                share = (
                    await session.execute(select(TaskUnit).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == unit.id))
                ).scalar_one()
                share.last_report_at = report.created_at
                if s.percent is not None:
                    share.percent = s.percent
                for i in range(s.evidence):
                    session.add(
                        Evidence(
                            report_id=report.id, task_id=task.id, unit_id=unit.id, kind="photo",
                            tg_file_id=f"f{report.id}-{i}", tg_file_unique_id=f"u{report.id}-{i}",
                            sha256=f"{report.id:032d}{i:032d}", stored_path=f"evidence/{report.id}-{i}.jpg",
                            size=1000, created_at=report.created_at,
                        )
                    )
            for ref, unit_name in signed_off:
                task = (await session.execute(select(Task).where(Task.ref == ref))).scalar_one()
                unit = (await session.execute(select(Unit).where(Unit.name == unit_name))).scalar_one()
                share = (
                    await session.execute(select(TaskUnit).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == unit.id))
                ).scalar_one()
                share.signoff_state = "signed_off"
                share.signed_off_at = at("2019-01-05T10:00")
    finally:
        await engine.dispose()


async def ledger_on(settings: Settings, day: date):  # type: ignore[no-untyped-def]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return await load(session, today=day, tz=TZ)
    finally:
        await engine.dispose()


async def test_overdue_on_january_10_is_1_10_and_2_3_only(settings: Settings) -> None:
    await seed_plan(settings)
    ledger = await ledger_on(settings, date(2019, 1, 10))
    assert len(ledger) == 35
    assert [t.ref for t in ledger.overdue()] == ["1-10", "2-3"]
    by_ref = {t.ref: t for t in ledger}
    assert by_ref["1-10"].days_overdue == 10  # from the earliest undone milestone, 2018-12-31
    assert by_ref["2-3"].days_overdue == 10
    assert by_ref["1-17"].status is StatusClass.NOT_REPORTED or by_ref["1-17"].status is StatusClass.ON_TRACK
    # 1-17 is due 2019-01-31: three weeks away on the 10th, 临期 from the 24th
    assert (await ledger_on(settings, date(2019, 1, 24))).by_id(by_ref["1-17"].id).status is StatusClass.DUE_SOON  # type: ignore[union-attr]


async def test_shares_carry_percent_last_report_and_evidence(settings: Settings) -> None:
    await seed_plan(settings)
    ledger = await ledger_on(settings, date(2019, 1, 10))
    task = next(t for t in ledger if t.ref == "1-10")
    shares = {s.unit: s for s in task.shares}
    assert set(shares) >= {"市生态环境局", "市水利局"}
    eco = shares["市生态环境局"]
    assert (eco.percent, eco.evidence, eco.status) == (80, 2, StatusClass.OVERDUE)
    assert eco.last_report_at == at("2019-01-08T10:00")
    assert shares["市水利局"].last_report_at is None and shares["市水利局"].evidence == 0
    assert task.measure_progress(1) is not None and "界碑" in task.measure_progress(1).text  # type: ignore[union-attr]
    # 1-14's only report is from the previous 旬: 未报告 in this one
    old = next(t for t in ledger if t.ref == "1-14")
    assert next(s for s in old.shares if s.unit == "市水利局").status is StatusClass.NOT_REPORTED


async def test_a_task_is_signed_off_only_when_every_unit_is(settings: Settings) -> None:
    await seed_plan(settings, signed_off=(("1-9", "市自然资源和规划局"),))
    ledger = await ledger_on(settings, date(2019, 1, 10))
    task = next(t for t in ledger if t.ref == "1-9")
    assert {s.unit: s.status for s in task.shares}["市自然资源和规划局"] is StatusClass.SIGNED_OFF
    assert task.status is not StatusClass.SIGNED_OFF  # 永城市人民政府 is still open
    await seed_plan(settings, (), signed_off=(("1-9", "永城市人民政府"),))
    ledger = await ledger_on(settings, date(2019, 1, 10))
    assert next(t for t in ledger if t.ref == "1-9").status is StatusClass.SIGNED_OFF


def test_units_not_reported_this_xun_include_those_whose_share_is_overdue() -> None:
    """An overdue share is classed 逾期, but "哪些单位这一旬还没报" asks about reports: it counts."""
    from datetime import UTC, datetime

    from bot.ledger import Ledger, ShareView, TaskView
    from bot.status import ShareState, StatusClass

    def share(unit: str, status: StatusClass, last: datetime | None) -> ShareView:
        return ShareView(
            task_id=1, unit_id=1, unit=unit, state=ShareState(), status=status, days_overdue=0, percent=None,
            status_word=None, last_report=None, last_report_at=last, evidence=0, reports=0, signed_off_at=None,
        )

    task = TaskView.__new__(TaskView)
    object.__setattr__(task, "shares", [
        share("市水利局", StatusClass.OVERDUE, None),
        share("市城管局", StatusClass.OVERDUE, datetime(2019, 4, 12, 2, tzinfo=UTC)),  # reported this 旬
        share("市公安局", StatusClass.NOT_REPORTED, datetime(2019, 4, 2, tzinfo=UTC)),
    ])
    missing = Ledger(today=date(2019, 4, 18), tasks=[task]).not_reported()
    assert sorted(missing) == ["市公安局", "市水利局"]
