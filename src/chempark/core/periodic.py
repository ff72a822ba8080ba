"""The platform's periodic tasks, registered by each module in its ``AppConfig.ready``.

A duty platform must not depend on an operator remembering one systemd timer per duty: a forgotten
timer silently disabled 督办 of overdue hidden dangers. So every periodic job — monitoring's
escalations and retention, the vehicle checks, the daily risk-index snapshot, the morning 督办 — is
a :class:`PeriodicTask` here, and the one ``chempark scheduler`` process runs them all
(``core/scheduler.py`` keeps their runs in the database).

A task runs either every ``every_s`` seconds or once per local day (Asia/Shanghai, the park's time)
at or after ``daily_at``. A daily task missed while the scheduler was down runs once when it is back,
the same day; a day missed altogether is not run for that day afterwards (the tasks act on the
state as of their run, so the next run catches up on everything, and the administrator's page
flags the missed day). ``run(now)`` does the work and returns a one-line summary in Chinese (empty
when there was nothing to do), which is recorded with the run.

Pure: no Django, so the schedule arithmetic is tested without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
NAME = re.compile(r"[a-z][a-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class PeriodicTask:
    """One periodic job of a module.

    ``label``: the Chinese name shown to the administrator (a string or a lazy translation).
    ``timeout_s``: the longest a run may take; a run still marked running after it is taken to have
    died with its scheduler (killed, machine lost), and the task may run again. Keep it well above
    the longest real run, or a second scheduler could start the task beside a slow first one.
    """

    name: str
    label: object
    run: Callable[[dt.datetime], str]
    every_s: float | None = None
    daily_at: dt.time | None = None
    timeout_s: float = 600.0
    order: int = 0

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ValueError(f"task name {self.name!r}: lower-case letters, digits, '.', '-', '_'")
        if (self.every_s is None) == (self.daily_at is None):
            raise ValueError(f"task {self.name}: give either every_s or daily_at")
        if self.every_s is not None and not self.every_s > 0:
            raise ValueError(f"task {self.name}: every_s must be positive")
        if self.daily_at is not None and self.daily_at.tzinfo is not None:
            raise ValueError(f"task {self.name}: daily_at is a local time of day without a zone")
        if not self.timeout_s > 0:
            raise ValueError(f"task {self.name}: timeout_s must be positive")

    @property
    def daily(self) -> bool:
        return self.daily_at is not None


_TASKS: dict[str, PeriodicTask] = {}


def register(*tasks: PeriodicTask) -> None:
    """Add tasks; registering the same task again (an app loaded twice) changes nothing, another
    task under a name already taken is a programming error."""
    for task in tasks:
        existing = _TASKS.get(task.name)
        if existing is not None and existing != task:
            raise ValueError(f"periodic task {task.name!r} is already registered")
        _TASKS[task.name] = task


def tasks() -> list[PeriodicTask]:
    """Every registered task, in the order they run within a round."""
    return sorted(_TASKS.values(), key=lambda task: (task.order, task.name))


def task(name: str) -> PeriodicTask | None:
    return _TASKS.get(name)


def local_day(now: dt.datetime) -> dt.date:
    """The park's calendar day at ``now`` (timezone-aware)."""
    return now.astimezone(LOCAL_TZ).date()


def daily_due_day(task: PeriodicTask, now: dt.datetime) -> dt.date | None:
    """The local day whose run of a daily task is due at ``now``: today once its time has come,
    ``None`` before (whether today's run already happened is the database's to say)."""
    if task.daily_at is None:
        raise ValueError(f"task {task.name} is not a daily task")
    local = now.astimezone(LOCAL_TZ)
    return local.date() if local.time().replace(tzinfo=None) >= task.daily_at else None


def next_daily_time(task: PeriodicTask, now: dt.datetime) -> dt.datetime:
    """The first instant after ``now`` at which the daily task's time comes (today or tomorrow)."""
    if task.daily_at is None:
        raise ValueError(f"task {task.name} is not a daily task")
    local = now.astimezone(LOCAL_TZ)
    today = dt.datetime.combine(local.date(), task.daily_at, tzinfo=LOCAL_TZ)
    if today > now:
        return today
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), task.daily_at, tzinfo=LOCAL_TZ)


def interval_due(task: PeriodicTask, last_started: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether an interval task is due: never run, its interval passed since its last start, or the
    clock went back past that start (else a clock set back would stop the task until it caught up)."""
    if task.every_s is None:
        raise ValueError(f"task {task.name} is not an interval task")
    if last_started is None or last_started > now:
        return True
    return now - last_started >= dt.timedelta(seconds=task.every_s)


def interval_late(task: PeriodicTask, last_started: dt.datetime | None, now: dt.datetime) -> bool:
    """An interval task that has not started for three intervals (at least two minutes): no
    scheduler is running it."""
    if task.every_s is None:
        raise ValueError(f"task {task.name} is not an interval task")
    if last_started is None:
        return True
    return now - last_started > dt.timedelta(seconds=max(3 * task.every_s, 120.0))
