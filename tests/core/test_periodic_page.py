"""The administrator's page 定时任务 and its API: every registered task with its schedule and last
run in Chinese, and a task that missed its run flagged."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from chempark.core.models import DailyTaskRun, PeriodicTaskState, RunOutcome
from chempark.core.roles import Role
from tests.conftest import SmallPark

CST = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2028, 3, 1, 9, 0, tzinfo=CST)
YESTERDAY = dt.date(2028, 2, 29)


def _tasks(api: Any) -> dict[str, dict[str, Any]]:
    answer = api(Role.BUREAU_ADMIN).call("GET", "/periodic-tasks")
    assert answer.status_code == 200
    return {row["name"]: row for row in answer.json()}


def _fresh(now: dt.datetime) -> None:
    """Every interval task ran a moment ago; the daily ones ran yesterday and, if due, today."""
    for name in ("monitoring.alarms", "monitoring.retention", "vehicles.checks"):
        PeriodicTaskState.objects.create(
            name=name, last_started_at=now, last_finished_at=now, last_outcome=RunOutcome.SUCCEEDED
        )
    for name in ("supervision.daily", "command.risk-snapshot"):
        for day in (YESTERDAY, YESTERDAY + dt.timedelta(days=1)):
            DailyTaskRun.objects.create(
                task=name, day=day, started_at=now, lease_until=now, outcome=RunOutcome.SUCCEEDED, finished_at=now
            )


def test_a_daily_task_without_yesterdays_run_is_flagged(park: SmallPark, api: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        _fresh(NOW)
        DailyTaskRun.objects.filter(task="supervision.daily", day=YESTERDAY).delete()
        DailyTaskRun.objects.filter(task="command.risk-snapshot", day=YESTERDAY).update(
            outcome=RunOutcome.FAILED, error="OperationalError: 连接中断"
        )
        tasks = _tasks(api)
    assert tasks["supervision.daily"]["late"] is True
    assert tasks["supervision.daily"]["late_reason"] == "昨日（02-29）未运行"
    assert tasks["command.risk-snapshot"]["late_reason"] == "昨日（02-29）运行失败"
    assert tasks["supervision.daily"]["schedule"] == "每天 07:00"
    assert not any(tasks[name]["late"] for name in ("monitoring.alarms", "vehicles.checks", "monitoring.retention"))


def test_a_daily_task_not_run_today_past_its_time_is_flagged(park: SmallPark, api: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        _fresh(NOW)
        DailyTaskRun.objects.filter(task="supervision.daily", day=NOW.date()).delete()
        assert _tasks(api)["supervision.daily"]["late_reason"] == "今日已过运行时间仍未运行"
    with time_machine.travel(NOW.replace(hour=7, minute=10), tick=False):
        assert _tasks(api)["supervision.daily"]["late"] is False, "a quarter of an hour's grace"


def test_an_interval_task_that_stopped_is_flagged(park: SmallPark, api: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        _fresh(NOW - dt.timedelta(minutes=5))
        tasks = _tasks(api)
    assert tasks["monitoring.alarms"]["late_reason"] == "长时间未运行，请检查调度进程", "every 10 s, 5 min silent"
    assert tasks["vehicles.checks"]["late"] is True, "every 60 s, 5 min silent"
    assert tasks["monitoring.retention"]["late"] is False, "hourly"


def test_the_page_lists_the_tasks_in_chinese_and_flags_the_late_ones(park: SmallPark) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(park.users[Role.BUREAU_ADMIN])
        _fresh(NOW)
        DailyTaskRun.objects.filter(task="supervision.daily", day=YESTERDAY).delete()
        PeriodicTaskState.objects.filter(name="vehicles.checks").update(
            last_outcome=RunOutcome.FAILED,
            last_failed_at=NOW,
            last_error="RuntimeError: 测试故障",
            failures_in_a_row=2,
        )
        page = client.get("/system/periodic/").content.decode()
    for text in ("隐患逾期督办与整改提醒", "每天 07:00", "企业风险指数日记录", "每天 23:50", "每 10 秒", "每 1 小时"):
        assert text in page
    assert "1 项任务未按时运行" in page and "昨日（02-29）未运行" in page
    assert "失败（连续 2 次）" in page and "RuntimeError: 测试故障" in page
    assert "2028-03-01 09:00:00" in page, "times in the park's zone"


def test_a_task_that_never_ran(park: SmallPark, api: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        tasks = _tasks(api)
        client = Client()
        client.force_login(park.users[Role.BUREAU_ADMIN])
        page = client.get("/system/periodic/").content.decode()
    assert tasks["monitoring.alarms"]["last_outcome"] == "" and tasks["monitoring.alarms"]["late"] is True
    assert "从未运行" in page
