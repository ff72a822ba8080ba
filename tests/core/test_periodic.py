"""The periodic-task registry and its schedule arithmetic (pure), and the tasks the modules register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from chempark.core import periodic
from chempark.core.periodic import PeriodicTask

CST = ZoneInfo("Asia/Shanghai")


def _noop(now: dt.datetime) -> str:
    return ""


DAILY = PeriodicTask("test.daily", "每日", _noop, daily_at=dt.time(7, 0))
EVERY = PeriodicTask("test.every", "间隔", _noop, every_s=60)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periodic, "_TASKS", {})
    return


def test_a_daily_task_is_due_from_its_local_time_on() -> None:
    assert periodic.daily_due_day(DAILY, dt.datetime(2028, 2, 29, 6, 59, 59, tzinfo=CST)) is None
    assert periodic.daily_due_day(DAILY, dt.datetime(2028, 2, 29, 7, 0, tzinfo=CST)) == dt.date(2028, 2, 29)
    # 23:30 UTC on the 28th is 07:30 on the 29th in the park
    assert periodic.daily_due_day(DAILY, dt.datetime(2028, 2, 28, 23, 30, tzinfo=dt.UTC)) == dt.date(2028, 2, 29)
    assert periodic.daily_due_day(DAILY, dt.datetime(2028, 2, 28, 22, 59, tzinfo=dt.UTC)) is None


def test_the_next_daily_time_is_today_or_tomorrow() -> None:
    before = dt.datetime(2028, 12, 31, 6, 0, tzinfo=CST)
    assert periodic.next_daily_time(DAILY, before) == dt.datetime(2028, 12, 31, 7, 0, tzinfo=CST)
    after = dt.datetime(2028, 12, 31, 7, 0, tzinfo=CST)
    assert periodic.next_daily_time(DAILY, after) == dt.datetime(2029, 1, 1, 7, 0, tzinfo=CST)


def test_an_interval_task_is_due_after_its_interval_or_when_the_clock_went_back() -> None:
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert periodic.interval_due(EVERY, None, start)
    assert not periodic.interval_due(EVERY, start, start + dt.timedelta(seconds=59.9))
    assert periodic.interval_due(EVERY, start, start + dt.timedelta(seconds=60))
    assert periodic.interval_due(EVERY, start, start - dt.timedelta(seconds=1)), "clock set back"


def test_an_interval_task_is_late_after_three_intervals_and_at_least_two_minutes() -> None:
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert not periodic.interval_late(EVERY, start, start + dt.timedelta(seconds=180))
    assert periodic.interval_late(EVERY, start, start + dt.timedelta(seconds=181))
    fast = PeriodicTask("test.fast", "快", _noop, every_s=10)
    assert not periodic.interval_late(fast, start, start + dt.timedelta(seconds=100))
    assert periodic.interval_late(fast, start, start + dt.timedelta(seconds=121))
    assert periodic.interval_late(fast, None, start)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"every_s": 10, "daily_at": dt.time(7)},
        {"every_s": 0},
        {"every_s": -5},
        {"daily_at": dt.time(7, tzinfo=dt.UTC)},
        {"every_s": 10, "timeout_s": 0},
    ],
)
def test_a_task_needs_exactly_one_sane_schedule(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"test\.bad"):
        PeriodicTask("test.bad", "坏", _noop, **kwargs)  # type: ignore[arg-type]  # the bad values are the point


def test_a_task_name_is_a_code() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        PeriodicTask("督办", "督办", _noop, every_s=1)


def test_registering_is_idempotent_but_a_name_is_taken_once(registry: None) -> None:
    periodic.register(DAILY, EVERY)
    periodic.register(DAILY)
    assert [task.name for task in periodic.tasks()] == ["test.daily", "test.every"]
    with pytest.raises(ValueError, match="already registered"):
        periodic.register(PeriodicTask("test.daily", "另一个", _noop, every_s=5))


def test_the_modules_register_their_periodic_work() -> None:
    """The duties that used to need an operator's timer or a process of their own."""
    tasks = {task.name: task for task in periodic.tasks()}
    assert tasks["supervision.daily"].daily_at == dt.time(7, 0), "督办 of overdue hidden dangers"
    assert tasks["command.risk-snapshot"].daily_at == dt.time(23, 50)
    assert tasks["vehicles.checks"].every_s == 60
    assert tasks["monitoring.alarms"].every_s == 10
    assert tasks["monitoring.retention"].every_s == 3600
    assert "hazards.daily" not in tasks, "it only prints; its reminders go through the notifier"
    assert next(t.name for t in periodic.tasks()) == "monitoring.alarms", "escalations first in a round"


def test_the_demo_runs_one_scheduler_and_no_loop_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's background processes: one ``chempark scheduler`` for every module's periodic tasks,
    no ``vehicles-check`` loop beside it, and the monitoring simulator without a scheduler of its own."""
    from chempark.core import demo

    started: list[tuple[str, ...]] = []

    def record(*args: str) -> Callable[[], None]:
        started.append(args)
        return lambda: None

    monkeypatch.setattr(demo, "command_process", record)
    services = {service.name: service for service in demo.services()}
    assert "vehicles-checks" not in services
    for name in ("scheduler", "monitoring-simulator", "job-worker", "notifier"):
        services[name].start()
    commands = [args[0] for args in started]
    assert commands.count("scheduler") == 1
    assert sorted(commands) == ["notify", "scheduler", "simulate", "worker"]
