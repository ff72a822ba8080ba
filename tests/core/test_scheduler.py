"""``chempark scheduler`` runs the registered periodic tasks: daily ones once a local day at or after
their time (and once to catch up after downtime), interval ones at their interval, each exactly once
however many schedulers race, and a failing task is recorded without stopping the others."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connections

from chempark.core import periodic
from chempark.core.models import DailyTaskRun, PeriodicTaskState, RunOutcome
from chempark.core.periodic import PeriodicTask
from chempark.core.scheduler import DAILY_MAX_ATTEMPTS, next_wakeup, run_round

CST = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2028, 2, 29)  # a leap day
MORNING = dt.datetime(2028, 2, 29, 7, 0, tzinfo=CST)


class Calls:
    """What the test tasks did, shared by the scheduler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.moments: list[tuple[str, dt.datetime]] = []

    def task(self, name: str, *, fail: bool = False, pause: threading.Event | None = None) -> Callable[..., str]:
        def run(now: dt.datetime) -> str:
            with self.lock:
                self.counts[name] += 1
                self.moments.append((name, now))
            if pause is not None:
                pause.wait(5)
            if fail:
                raise RuntimeError("磁盘已满")
            return f"{name} 完成"

        return run


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """A registry holding only the test's tasks."""
    monkeypatch.setattr(periodic, "_TASKS", {})
    return Calls()


def daily(
    calls: Calls,
    name: str = "test.daily",
    at: dt.time = dt.time(7, 0),
    *,
    fail: bool = False,
    pause: threading.Event | None = None,
) -> PeriodicTask:
    task = PeriodicTask(name, "每日任务", calls.task(name, fail=fail, pause=pause), daily_at=at)
    periodic.register(task)
    return task


def every(
    calls: Calls,
    name: str = "test.every",
    seconds: float = 10,
    *,
    fail: bool = False,
    pause: threading.Event | None = None,
) -> PeriodicTask:
    task = PeriodicTask(name, "间隔任务", calls.task(name, fail=fail, pause=pause), every_s=seconds)
    periodic.register(task)
    return task


def at(moment: dt.datetime, runner: str = "s1") -> list[str]:
    with time_machine.travel(moment, tick=False):
        return [result.task for result in run_round(runner)]


@pytest.mark.django_db
def test_a_daily_task_runs_once_at_or_after_its_time_and_not_before(calls: Calls) -> None:
    daily(calls)
    assert at(MORNING - dt.timedelta(seconds=1)) == [], "06:59:59"
    assert at(MORNING) == ["test.daily"]
    assert at(MORNING + dt.timedelta(minutes=1)) == []
    assert at(MORNING + dt.timedelta(hours=16, minutes=59), runner="s2") == [], "another scheduler, 23:59"
    assert at(MORNING + dt.timedelta(days=1, seconds=-1)) == [], "06:59:59 the next day"
    assert at(MORNING + dt.timedelta(days=1)) == ["test.daily"]
    assert calls.counts["test.daily"] == 2
    run = DailyTaskRun.objects.get(task="test.daily", day=DAY)
    assert (run.outcome, run.attempts, run.summary) == (RunOutcome.SUCCEEDED, 1, "test.daily 完成")
    assert run.started_at == MORNING and run.finished_at == MORNING
    state = PeriodicTaskState.objects.get(name="test.daily")
    assert state.last_outcome == RunOutcome.SUCCEEDED and state.lease_until is None
    assert state.last_started_at == MORNING + dt.timedelta(days=1)


@pytest.mark.django_db
def test_after_downtime_a_daily_task_catches_up_once_not_once_per_missed_day(calls: Calls) -> None:
    daily(calls)
    assert at(MORNING) == ["test.daily"]
    # the scheduler is down for three mornings and comes back at 09:30 on the fourth day
    back = MORNING + dt.timedelta(days=3, hours=2, minutes=30)
    assert at(back) == ["test.daily"]
    assert at(back + dt.timedelta(seconds=10)) == []
    assert calls.counts["test.daily"] == 2
    assert calls.moments[-1] == ("test.daily", back)
    assert sorted(DailyTaskRun.objects.values_list("day", flat=True)) == [DAY, DAY + dt.timedelta(days=3)]


@pytest.mark.django_db
def test_a_daily_task_late_in_the_day_keeps_to_the_local_day(calls: Calls) -> None:
    """23:50 in the park is 15:50 UTC: the run belongs to the park's day, and 00:10 is the next day,
    before that day's time, so nothing runs then."""
    daily(calls, "test.late", dt.time(23, 50))
    assert at(dt.datetime(2028, 2, 29, 23, 50, tzinfo=CST)) == ["test.late"]
    assert at(dt.datetime(2028, 3, 1, 0, 10, tzinfo=CST)) == []
    assert DailyTaskRun.objects.get().day == DAY


@pytest.mark.django_db
def test_a_raising_task_is_recorded_and_the_others_still_run(calls: Calls) -> None:
    daily(calls, "test.a-broken", fail=True)
    every(calls, "test.b-fine")
    with time_machine.travel(MORNING, tick=False):
        results = run_round("s1")
    assert [(r.task, r.outcome) for r in results] == [
        ("test.a-broken", RunOutcome.FAILED),
        ("test.b-fine", RunOutcome.SUCCEEDED),
    ]
    assert results[0].error == "RuntimeError: 磁盘已满"
    run = DailyTaskRun.objects.get(task="test.a-broken")
    assert (run.outcome, run.error, run.finished_at) == (RunOutcome.FAILED, "RuntimeError: 磁盘已满", MORNING)
    broken = PeriodicTaskState.objects.get(name="test.a-broken")
    assert (broken.last_outcome, broken.last_error, broken.failures_in_a_row) == (
        RunOutcome.FAILED,
        "RuntimeError: 磁盘已满",
        1,
    )
    assert broken.lease_until is None
    fine = PeriodicTaskState.objects.get(name="test.b-fine")
    assert (fine.last_outcome, fine.last_summary, fine.last_error) == (RunOutcome.SUCCEEDED, "test.b-fine 完成", "")


@pytest.mark.django_db
def test_a_failed_daily_run_is_retried_ten_minutes_later_a_few_times_a_day(calls: Calls) -> None:
    daily(calls, fail=True)
    assert at(MORNING) == ["test.daily"]
    assert at(MORNING + dt.timedelta(minutes=9)) == [], "not at once: the cause may need a while"
    moment = MORNING + dt.timedelta(minutes=10)
    assert at(moment) == ["test.daily"]
    for _attempt in range(DAILY_MAX_ATTEMPTS):
        moment += dt.timedelta(minutes=10)
        at(moment)
    assert calls.counts["test.daily"] == DAILY_MAX_ATTEMPTS, "then it waits for tomorrow"
    assert DailyTaskRun.objects.get().attempts == DAILY_MAX_ATTEMPTS
    assert PeriodicTaskState.objects.get().failures_in_a_row == DAILY_MAX_ATTEMPTS
    assert at(MORNING + dt.timedelta(days=1)) == ["test.daily"]


@pytest.mark.django_db
def test_a_success_after_failures_keeps_the_last_error_visible(calls: Calls) -> None:
    flaky = {"fail": True}

    def run(now: dt.datetime) -> str:
        if flaky["fail"]:
            raise ValueError("暂时失败")
        return ""

    periodic.register(PeriodicTask("test.flaky", "偶发", run, every_s=10))
    at(MORNING)
    flaky["fail"] = False
    at(MORNING + dt.timedelta(seconds=10))
    state = PeriodicTaskState.objects.get()
    assert (state.last_outcome, state.failures_in_a_row) == (RunOutcome.SUCCEEDED, 0)
    assert (state.last_failed_at, state.last_error) == (MORNING, "ValueError: 暂时失败")


@pytest.mark.django_db
def test_an_interval_task_respects_its_interval(calls: Calls) -> None:
    every(calls, seconds=10)
    assert at(MORNING) == ["test.every"]
    assert at(MORNING + dt.timedelta(seconds=9.5)) == []
    assert at(MORNING + dt.timedelta(seconds=10)) == ["test.every"]
    assert at(MORNING + dt.timedelta(seconds=15), runner="s2") == [], "another scheduler keeps to it too"
    assert at(MORNING + dt.timedelta(seconds=20), runner="s2") == ["test.every"]
    assert at(MORNING + dt.timedelta(seconds=5)) == ["test.every"], "the clock set back does not stop it"
    assert calls.counts["test.every"] == 4


@pytest.mark.django_db
def test_a_lease_keeps_other_schedulers_out_until_it_lapses(calls: Calls) -> None:
    """A scheduler killed during a run leaves its lease: nobody runs the task until it lapses."""
    task = every(calls, seconds=10)
    PeriodicTaskState.objects.create(
        name=task.name,
        runner="dead",
        lease_until=MORNING + dt.timedelta(seconds=task.timeout_s),
        last_started_at=MORNING,
        last_outcome=RunOutcome.RUNNING,
    )
    assert at(MORNING + dt.timedelta(seconds=60)) == []
    assert at(MORNING + dt.timedelta(seconds=task.timeout_s + 1)) == ["test.every"]


@pytest.mark.django_db
def test_a_daily_run_whose_scheduler_died_is_taken_over(calls: Calls) -> None:
    task = daily(calls)
    DailyTaskRun.objects.create(
        task=task.name, day=DAY, runner="dead", started_at=MORNING, lease_until=MORNING + dt.timedelta(minutes=10)
    )
    assert at(MORNING + dt.timedelta(minutes=5)) == [], "may still be running"
    assert at(MORNING + dt.timedelta(minutes=11)) == ["test.daily"]
    run = DailyTaskRun.objects.get()
    assert (run.outcome, run.attempts, run.runner) == (RunOutcome.SUCCEEDED, 2, "s1")


@pytest.mark.django_db
def test_the_scheduler_wakes_for_the_next_task_due(calls: Calls) -> None:
    every(calls, seconds=10)
    daily(calls)
    assert at(MORNING - dt.timedelta(seconds=3)) == ["test.every"]
    assert next_wakeup(MORNING - dt.timedelta(seconds=3)) == MORNING, "the daily task's time comes first"
    assert at(MORNING) == ["test.daily"]
    assert next_wakeup(MORNING) == MORNING + dt.timedelta(seconds=7), "then the interval task's"


def race(calls: Calls, moment: dt.datetime, schedulers: int = 2) -> list[list[str]]:
    """Several schedulers, each a thread with its own database connection, start a round together."""
    start = threading.Barrier(schedulers)
    outcomes: list[list[str]] = [[] for _ in range(schedulers)]

    def scheduler(index: int) -> None:
        try:
            start.wait(10)
            outcomes[index] = [result.task for result in run_round(f"s{index}")]
        finally:
            connections.close_all()

    with time_machine.travel(moment, tick=False):  # the clock is the process's: one travel for all threads
        threads = [threading.Thread(target=scheduler, args=(n,)) for n in range(schedulers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_racing_schedulers_run_a_daily_and_an_interval_task_once(calls: Calls) -> None:
    release = threading.Event()
    threading.Timer(0.5, release.set).start()  # the runs overlap: the first holds its task half a second
    daily(calls, pause=release)
    every(calls, pause=release)
    outcomes = race(calls, MORNING, schedulers=3)
    assert calls.counts == Counter({"test.daily": 1, "test.every": 1})
    assert sorted(task for ran in outcomes for task in ran) == ["test.daily", "test.every"]
    assert DailyTaskRun.objects.get().outcome == RunOutcome.SUCCEEDED
    assert race(calls, MORNING + dt.timedelta(seconds=10), schedulers=3) != [[], [], []]
    assert calls.counts == Counter({"test.daily": 1, "test.every": 2})


def test_the_command_logs_a_lost_database_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    command = importlib.import_module("chempark.core.management.commands.scheduler")
    rounds: list[str] = []

    def lost(runner: str, stop: object) -> list[object]:
        rounds.append(runner)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    monkeypatch.setattr(command, "run_round", lost)
    call_command("scheduler", "--once", stdout=io.StringIO())
    assert len(rounds) == 1
    assert "database unavailable: server closed the connection unexpectedly" in caplog.text


def test_the_command_refuses_a_pause_that_is_not_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("scheduler", "--interval", "0")
