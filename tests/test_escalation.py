"""Escalation to the 责任领导 and admins: from overdue working day N+1, once per working day."""

from __future__ import annotations

from datetime import date

from bot.config import Settings, load_settings
from bot.escalation import escalated_tasks
from bot.workdays import WorkCalendar
from storage.reminders import DayTask
from tests.scenario import converse
from tests.test_reminders import ADMIN, LEADER, PLAN, SETUP, day, pushes


def task(task_id: int, due: date | None, *units: int) -> DayTask:
    return DayTask(task_id, f"1-{task_id}", "任务", due, due is None, units)


def test_n_plus_one_counts_the_make_up_weekend_and_skips_the_holiday() -> None:
    cal = WorkCalendar()
    tasks = [task(17, date(2019, 1, 31), 6, 5), task(3, None, 5)]
    on = {d: escalated_tasks(tasks, d, 3, cal) for d in (date(2019, 2, 3), date(2019, 2, 8), date(2019, 2, 11))}
    assert on[date(2019, 2, 3)] == {} and on[date(2019, 2, 8)] == {}
    assert list(on[date(2019, 2, 11)]) == [17] and on[date(2019, 2, 11)][17].units == [5, 6]
    assert list(escalated_tasks(tasks, date(2019, 2, 2), 1, cal)) == [17]
    assert escalated_tasks(tasks, date(2019, 2, 1), 1, cal) == {}


async def test_escalate_after_setting_and_leaders_hear_only_what_they_lead(env: dict[str, str]) -> None:
    settings: Settings = load_settings({**env, "RECTIBOT_ESCALATE_AFTER": "1"}, env_file=None)
    events = [
        *SETUP,
        {"bind": {"user": 3002, "person": "王全周"}},
        {"as": 3002, "text": "/start"},
        {"clock": "2019-02-11T12:00"},
    ]
    out = await converse(settings, events, plans=[PLAN])
    leader = [day(p) for p in pushes(out, LEADER, "【逾期督办】") if "1-17" in p["text"]]
    assert leader == ["2019-02-02", "2019-02-03", "2019-02-11"]
    admin = [day(p) for p in pushes(out, ADMIN, "【逾期督办】") if "1-17" in p["text"]]
    assert admin == leader
    assert pushes(out, 3002, "【逾期督办】") == []
