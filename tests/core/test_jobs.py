"""The job queue and worker: atomic claiming (two workers never run the same job; SKIP LOCKED on
PostgreSQL), retries of transient database errors with backoff and then failure with the reason,
the reaper taking back the jobs of dead workers, and progress that a reader sees while the job's
own transaction is still open."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import OperationalError, connections, transaction

from chempark.core.jobs import queue, registry
from chempark.core.jobs.context import JobContext
from chempark.core.jobs.worker import Worker
from chempark.core.models import Job, JobStatus

RAN: Counter[int] = Counter()
FAILED: dict[int, str] = {}
LOCK = threading.Lock()
GATE: dict[str, threading.Event] = {}


def record(job: JobContext) -> None:
    with LOCK:
        RAN[job.id] += 1


def flaky(job: JobContext) -> None:
    raise OperationalError("server closed the connection unexpectedly")


def broken(job: JobContext) -> None:
    raise ValueError("坏参数")


def on_failure(job: Job, reason: str) -> None:
    FAILED[job.pk] = reason


def slow_in_transaction(job: JobContext) -> None:
    """Holds a transaction open with a write in it, reports progress, and waits to be let go."""
    with transaction.atomic():
        Job.objects.create(kind="test.marker", status=JobStatus.SUCCEEDED)  # invisible to others until commit
        job.progress(3, 10, "写入数据")
        GATE["release"].wait(30)


registry.register("test.record", record)
registry.register("test.flaky", flaky, on_failure=on_failure, max_attempts=3)
registry.register("test.broken", broken, on_failure=on_failure)
registry.register("test.slow", slow_in_transaction)

START = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean() -> None:
    RAN.clear()
    FAILED.clear()


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_job() -> None:
    jobs = [queue.job_enqueue(kind="test.record", arguments={"n": n}) for n in range(40)]
    workers = [Worker(f"w{n}", heartbeat_s=1.0) for n in range(2)]
    counts: list[int] = []

    def run(worker: Worker) -> None:
        try:
            counts.append(worker.run_pending())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(counts) == 40
    assert Counter({job.pk: 1 for job in jobs}) == RAN
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.SUCCEEDED}
    assert set(Job.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_skips_a_job_another_worker_holds_locked() -> None:
    first = queue.job_enqueue(kind="test.record")
    second = queue.job_enqueue(kind="test.record")
    holding, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        try:
            with transaction.atomic():
                list(Job.objects.select_for_update().filter(pk=first.pk))
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert holding.wait(30)
        claimed = queue.claim("w-skip")  # neither blocks on the locked row nor takes it
        assert claimed is not None and claimed.pk == second.pk
        assert queue.claim("w-skip") is None
    finally:
        release.set()
        holder.join(30)
    assert queue.claim("w-skip").pk == first.pk  # type: ignore[union-attr]  # None would fail the test here, which is what it should do


def test_transient_database_errors_are_retried_with_backoff_then_fail_with_the_reason(db: None) -> None:
    with time_machine.travel(START, tick=False) as clock:
        job = queue.job_enqueue(kind="test.flaky", object_type="thing", object_id=7)
        worker = Worker("w", heartbeat_s=1.0)
        assert worker.run_pending() == 1
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
        assert "数据库暂时不可用" in job.error and job.run_after == START + timedelta(seconds=5)
        assert worker.run_pending() == 0  # not before its time
        clock.shift(5)
        assert worker.run_pending() == 1
        job.refresh_from_db()
        assert (job.status, job.attempts, job.run_after) == (JobStatus.QUEUED, 2, START + timedelta(seconds=15))
        clock.shift(10)
        assert worker.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "第 3 次尝试失败" in job.error and "server closed the connection" in job.error
    assert {job.pk: job.error} == FAILED  # the domain object is told, with the reason
    assert not queue.job_active_for("thing", 7)


def test_a_failing_handler_fails_at_once_with_its_message(db: None) -> None:
    job = queue.job_enqueue(kind="test.broken")
    assert Worker("w", heartbeat_s=1.0).run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert "ValueError: 坏参数" in job.error and FAILED[job.pk] == job.error


def test_an_unknown_kind_fails_with_a_reason(db: None) -> None:
    job = queue.job_enqueue(kind="test.record")
    Job.objects.filter(pk=job.pk).update(kind="gone.away")
    Worker("w").run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gone.away" in job.error


def test_the_reaper_requeues_the_job_of_a_dead_worker_and_fails_it_once_attempts_are_used(db: None) -> None:
    with time_machine.travel(START, tick=False) as clock:
        job = queue.job_enqueue(kind="test.flaky")
        claimed = queue.claim("host:4242:dead")  # the worker that will die
        assert claimed is not None and claimed.pk == job.pk
        clock.shift(30)
        assert queue.reap(stale_after_s=60) == 0  # still beating recently enough
        clock.shift(31)
        assert queue.reap(stale_after_s=60) == 1
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and job.worker == "" and "没有心跳" in job.error
        for attempt in (2, 3):
            assert queue.claim(f"host:{attempt}:dead") is not None
            clock.shift(61)
            assert queue.reap(stale_after_s=60) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "没有心跳" in job.error and "不再重试" in job.error and FAILED[job.pk] == job.error


def test_an_old_worker_cannot_overwrite_the_outcome_of_the_one_holding_its_job_now(db: None) -> None:
    job = queue.job_enqueue(kind="test.record")
    stale = queue.claim("old")
    assert stale is not None
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, worker="")  # reaped
    current = queue.claim("new")
    assert current is not None
    assert not queue.complete(stale, queue.Progress(1, 1, ""))
    assert not queue.fail(stale, "late")
    current.refresh_from_db()
    assert current.status == JobStatus.RUNNING and current.worker == "new"


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_jobs_transaction_is_open() -> None:
    job = queue.job_enqueue(kind="test.slow")
    GATE["release"] = threading.Event()
    worker = Worker("w", heartbeat_s=1.0)

    def run() -> None:
        try:
            worker.run_pending()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        seen = None
        for _ in range(300):  # up to 30 s: the worker thread runs on the shared cores
            row = Job.objects.get(pk=job.pk)
            seen = queue.job_progress(row)
            if seen.done == 3:
                break
            GATE["release"].wait(0.1)
        assert seen == queue.Progress(3, 10, "写入数据") and seen.percent == 30
        assert row.status == JobStatus.RUNNING
        assert not Job.objects.filter(kind="test.marker").exists()  # the handler's own write is uncommitted
    finally:
        GATE["release"].set()
        thread.join(30)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress_message == "写入数据"
    assert Job.objects.filter(kind="test.marker").exists()
