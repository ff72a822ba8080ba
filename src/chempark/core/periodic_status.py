"""What the administrator sees of the periodic tasks: each registered task with its schedule, its
last run and whether it is late — a daily task without a successful run yesterday (or today, a
quarter of an hour after its time), an interval task that has not started for three intervals.
Late means no scheduler ran it: the process is down, or the task keeps failing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.core import periodic
from chempark.core.actors import Actor
from chempark.core.models import DailyTaskRun, PeriodicTaskState, RunOutcome
from chempark.core.periodic import PeriodicTask

DAILY_GRACE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class TaskStatus:
    name: str
    label: str
    schedule: str
    last_started_at: dt.datetime | None
    last_finished_at: dt.datetime | None
    last_outcome: str  # a RunOutcome value, or "" before the first run
    last_outcome_label: str
    last_summary: str
    last_failed_at: dt.datetime | None
    last_error: str
    failures_in_a_row: int
    late: bool
    late_reason: str


def schedule_text(task: PeriodicTask) -> str:
    """The schedule in the user's words: 每天 07:00, 每 10 秒, 每 1 小时."""
    if task.daily_at is not None:
        return _("每天 %(time)s") % {"time": f"{task.daily_at:%H:%M}"}
    seconds = task.every_s or 0.0
    if seconds % 3600 == 0:
        return _("每 %(n)s 小时") % {"n": f"{seconds / 3600:g}"}
    if seconds % 60 == 0:
        return _("每 %(n)s 分钟") % {"n": f"{seconds / 60:g}"}
    return _("每 %(n)s 秒") % {"n": f"{seconds:g}"}


def _daily_lateness(task: PeriodicTask, runs: dict[tuple[str, dt.date], str], now: dt.datetime) -> str:
    assert task.daily_at is not None
    today = periodic.local_day(now)
    yesterday = today - dt.timedelta(days=1)
    outcome = runs.get((task.name, yesterday))
    if outcome is None:
        return _("昨日（%(day)s）未运行") % {"day": f"{yesterday:%m-%d}"}
    if outcome == RunOutcome.FAILED:
        return _("昨日（%(day)s）运行失败") % {"day": f"{yesterday:%m-%d}"}
    if outcome == RunOutcome.RUNNING:  # its scheduler died during the run
        return _("昨日（%(day)s）运行未完成") % {"day": f"{yesterday:%m-%d}"}
    due = dt.datetime.combine(today, task.daily_at, tzinfo=periodic.LOCAL_TZ)
    if now >= due + DAILY_GRACE:
        outcome = runs.get((task.name, today))
        if outcome is None:
            return _("今日已过运行时间仍未运行")
        if outcome == RunOutcome.FAILED:
            return _("今日运行失败")
    return ""


def periodic_tasks(actor: Actor, now: dt.datetime | None = None) -> list[TaskStatus]:
    """Every registered task's status (the bureau administrator's, ``periodic.read``)."""
    actor.require("periodic.read")
    now = now or timezone.now()
    states = {state.name: state for state in PeriodicTaskState.objects.all()}
    since = periodic.local_day(now) - dt.timedelta(days=1)
    runs = {(run.task, run.day): run.outcome for run in DailyTaskRun.objects.filter(day__gte=since)}
    labels = dict(RunOutcome.choices)
    rows = []
    for task in periodic.tasks():
        state = states.get(task.name)
        if task.daily:
            reason = _daily_lateness(task, runs, now)
        else:
            started = state.last_started_at if state else None
            reason = _("长时间未运行，请检查调度进程") if periodic.interval_late(task, started, now) else ""
        outcome = state.last_outcome if state else ""
        rows.append(
            TaskStatus(
                name=task.name,
                label=str(task.label),
                schedule=schedule_text(task),
                last_started_at=state.last_started_at if state else None,
                last_finished_at=state.last_finished_at if state else None,
                last_outcome=outcome,
                last_outcome_label=str(labels[outcome]) if outcome else _("从未运行"),
                last_summary=state.last_summary if state else "",
                last_failed_at=state.last_failed_at if state else None,
                last_error=state.last_error if state else "",
                failures_in_a_row=state.failures_in_a_row if state else 0,
                late=bool(reason),
                late_reason=reason,
            )
        )
    return rows
