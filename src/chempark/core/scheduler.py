"""Running the registered periodic tasks (``core/periodic.py``) and recording every run.

``run_round`` runs, one after the other, each task that is due and that this scheduler could claim;
``chempark scheduler`` calls it in a loop. Claims are conditional writes the database grants to
one scheduler, so running two schedulers (a second machine, an operator who started one by hand)
runs nothing twice:

* a **daily** task's run is a :class:`DailyTaskRun` row unique on (task, day): the INSERT of the
  day's row is the claim. A failed run is tried again ``DAILY_RETRY_S`` later, up to
  ``DAILY_MAX_ATTEMPTS`` times that day; a run still marked running past its lease (its scheduler
  died) is taken over. Every claim is conditional, so only one scheduler wins each of them.
* an **interval** task's claim is an UPDATE of its :class:`PeriodicTaskState` row that succeeds
  only when the lease is free (or expired, or already this scheduler's) and the interval has passed
  since the last start.

A task that raises is logged with its traceback, and its error is written to its row; the round goes
on with the other tasks. A database error while claiming or recording propagates to the caller
(the loop logs it and tries again next round, as the platform's other workers do).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from chempark.core import periodic
from chempark.core.models import DailyTaskRun, PeriodicTaskState, RunOutcome
from chempark.core.periodic import PeriodicTask

log = logging.getLogger("chempark.scheduler")

DAILY_RETRY_S = 600.0
DAILY_MAX_ATTEMPTS = 3
ERROR_MAX_CHARS = 4000


def runner_name() -> str:
    """This process, as recorded in the rows it claims: host, process id and a random part (a
    restarted process may get the same id, in a container always)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class RunResult:
    task: str
    outcome: RunOutcome
    summary: str
    error: str


def _state(name: str) -> PeriodicTaskState:
    """The task's row, created on first use (two schedulers creating it at once: one insert wins)."""
    state = PeriodicTaskState.objects.filter(name=name).first()
    if state is not None:
        return state
    try:
        with transaction.atomic():
            return PeriodicTaskState.objects.create(name=name)
    except IntegrityError:
        return PeriodicTaskState.objects.get(name=name)


def _claim_interval(task: PeriodicTask, now: dt.datetime, runner: str) -> bool:
    state = _state(task.name)
    if not periodic.interval_due(task, state.last_started_at, now):
        return False
    assert task.every_s is not None
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(runner=runner)
    due = (
        Q(last_started_at__isnull=True)
        | Q(last_started_at__lte=now - dt.timedelta(seconds=task.every_s))
        | Q(last_started_at__gt=now)
    )
    return (
        PeriodicTaskState.objects.filter(free, due, name=task.name).update(
            runner=runner,
            lease_until=now + dt.timedelta(seconds=task.timeout_s),
            last_started_at=now,
            last_outcome=RunOutcome.RUNNING,
        )
        == 1
    )


def _claim_daily(task: PeriodicTask, day: dt.date, now: dt.datetime, runner: str) -> bool:
    lease_until = now + dt.timedelta(seconds=task.timeout_s)
    run = DailyTaskRun.objects.filter(task=task.name, day=day).first()
    if run is None:
        try:
            with transaction.atomic():
                DailyTaskRun.objects.create(
                    task=task.name, day=day, runner=runner, started_at=now, lease_until=lease_until
                )
        except IntegrityError:
            return False  # another scheduler inserted the day's row first
    else:
        retry = Q(outcome=RunOutcome.FAILED, finished_at__lte=now - dt.timedelta(seconds=DAILY_RETRY_S)) | Q(
            outcome=RunOutcome.RUNNING, lease_until__lt=now
        )
        retried = (
            DailyTaskRun.objects.filter(retry, pk=run.pk, attempts__lt=DAILY_MAX_ATTEMPTS).update(
                runner=runner,
                attempts=F("attempts") + 1,
                outcome=RunOutcome.RUNNING,
                started_at=now,
                lease_until=lease_until,
                finished_at=None,
            )
            == 1
        )
        if not retried:
            return False
    _state(task.name)
    PeriodicTaskState.objects.filter(name=task.name).update(
        runner=runner, lease_until=lease_until, last_started_at=now, last_outcome=RunOutcome.RUNNING
    )
    return True


def _record(task: PeriodicTask, day: dt.date | None, started: dt.datetime, runner: str, result: RunResult) -> None:
    """Write the outcome, only into rows this scheduler still holds (a run that outlived its lease
    and was taken over must not overwrite its successor's record)."""
    finished = timezone.now()
    failed = result.outcome == RunOutcome.FAILED
    if day is not None:
        DailyTaskRun.objects.filter(task=task.name, day=day, runner=runner, started_at=started).update(
            outcome=result.outcome, finished_at=finished, summary=result.summary, error=result.error
        )
    changes: dict[str, object] = {
        "lease_until": None,
        "last_finished_at": finished,
        "last_outcome": result.outcome,
        "last_summary": result.summary,
        "failures_in_a_row": F("failures_in_a_row") + 1 if failed else 0,
    }
    if failed:
        changes |= {"last_failed_at": finished, "last_error": result.error}
    PeriodicTaskState.objects.filter(name=task.name, runner=runner, last_started_at=started).update(**changes)


def _run(task: PeriodicTask, now: dt.datetime) -> RunResult:
    try:
        summary = task.run(now)
    except Exception as exc:  # one task's failure is recorded and must not stop the others
        log.exception("periodic task %s failed", task.name)
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
        return RunResult(task.name, RunOutcome.FAILED, "", error)
    log.debug("periodic task %s done: %s", task.name, summary or "-")  # the command prints the summaries
    return RunResult(task.name, RunOutcome.SUCCEEDED, (summary or "")[:500], "")


def run_task_if_due(task: PeriodicTask, runner: str) -> RunResult | None:
    """Claim the task if it is due and free, run it and record the outcome; ``None`` when this
    scheduler did not run it (not due, or another scheduler has it)."""
    now = timezone.now()
    day = periodic.daily_due_day(task, now) if task.daily else None
    if task.daily:
        if day is None or not _claim_daily(task, day, now, runner):
            return None
    elif not _claim_interval(task, now, runner):
        return None
    result = _run(task, now)
    _record(task, day, now, runner, result)
    return result


def run_round(runner: str, stop: threading.Event | None = None) -> list[RunResult]:
    """One pass over every registered task; returns the runs this scheduler made. ``stop`` (set by
    SIGTERM) ends the round after the current task."""
    results = []
    for task in periodic.tasks():
        if stop is not None and stop.is_set():
            break
        result = run_task_if_due(task, runner)
        if result is not None:
            results.append(result)
    return results


def next_wakeup(now: dt.datetime) -> dt.datetime | None:
    """When the next task falls due after ``now``, as far as this scheduler can tell: an interval
    task's last start plus its interval, a daily task's next time. A task due already but not run
    in the round just ended is held by another scheduler (or failed and waits for its retry): it
    does not count, or the loop would spin on it."""
    starts = dict(PeriodicTaskState.objects.values_list("name", "last_started_at"))
    moments = []
    for task in periodic.tasks():
        if task.daily:
            moments.append(periodic.next_daily_time(task, now))
        else:
            assert task.every_s is not None
            last = starts.get(task.name)
            if last is not None and last <= now:
                moments.append(last + dt.timedelta(seconds=task.every_s))
    return min((moment for moment in moments if moment > now), default=None)
