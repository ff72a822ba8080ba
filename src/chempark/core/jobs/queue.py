"""The job queue: enqueue, claim atomically, record the outcome, reap jobs whose worker died.

Every state change is a conditional UPDATE on (status, worker), so a worker that lost its job (the
reaper queued it again after its heartbeat went stale) can never overwrite the outcome of the
worker that holds it now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from chempark.core.jobs import pulse, registry
from chempark.core.models import Job, JobStatus

log = logging.getLogger("chempark.jobs")

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def job_enqueue(
    *,
    kind: str,
    arguments: dict[str, Any] | None = None,
    enqueued_by_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
) -> Job:
    """Queue a job (in the caller's transaction: it becomes visible to workers when that commits)."""
    spec = registry.kind(kind)
    if spec is None:
        raise LookupError(f"no job handler registered for {kind!r}")
    return Job.objects.create(
        kind=kind,
        arguments=arguments or {},
        enqueued_by_id=enqueued_by_id,
        object_type=object_type,
        object_id=str(object_id),
        max_attempts=spec.max_attempts,
        run_after=timezone.now(),
    )


def job_active_for(object_type: str, object_id: object) -> bool:
    """Whether a job for this object is queued or running (a domain object that says "running"
    without one is left over from a process that no longer exists)."""
    return Job.objects.filter(object_type=object_type, object_id=str(object_id), status__in=ACTIVE).exists()


def job_latest_for(object_type: str, object_id: object) -> Job | None:
    return Job.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-id").first()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


def job_progress(job: Job) -> Progress:
    """The job's latest progress, including what the pulse wrote outside the row (SQLite)."""
    record = pulse.read(job.pk, job.worker, job.attempts) if job.status == JobStatus.RUNNING else None
    if record is not None:
        return Progress(record.done, record.total, record.message)
    return Progress(job.progress_done, job.progress_total, job.progress_message)


def claim(worker: str) -> Job | None:
    """Take the oldest ready job for ``worker``, or None. Two workers never get the same job:
    PostgreSQL locks the row and skips rows other workers hold (``FOR UPDATE SKIP LOCKED``);
    SQLite, which has no row locks, takes it by an UPDATE that only succeeds while it is still queued."""
    now = timezone.now()
    ready = Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=now).order_by("run_after", "id")
    claimed = {
        "status": JobStatus.RUNNING,
        "worker": worker,
        "attempts": F("attempts") + 1,
        "heartbeat_at": now,
        "started_at": now,
        "progress_done": 0,
        "progress_total": 0,
        "progress_message": "",
    }
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = ready.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            Job.objects.filter(pk=job.pk).update(**claimed)
    else:
        for pk in ready.values_list("pk", flat=True)[:20]:
            if Job.objects.filter(pk=pk, status=JobStatus.QUEUED).update(**claimed) == 1:
                break
        else:
            return None
        job = Job(pk=pk)
    job.refresh_from_db()
    return job


def _mine(job: Job) -> Any:
    return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker)


def complete(job: Job, progress: Progress) -> bool:
    done = _mine(job).update(
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
        error="",
        progress_done=progress.done,
        progress_total=progress.total,
        progress_message=progress.message,
    )
    if not done:
        log.warning("job %s finished, but it was no longer held by %s", job.pk, job.worker)
    return bool(done)


def fail(job: Job, reason: str) -> bool:
    """Fail the job for good and let its kind mark the domain object failed, in one transaction."""
    with transaction.atomic():
        queryset = _mine(job) if job.status == JobStatus.RUNNING else Job.objects.filter(pk=job.pk, status__in=ACTIVE)
        if not queryset.update(status=JobStatus.FAILED, error=reason, finished_at=timezone.now()):
            return False
        job.refresh_from_db()
        spec = registry.kind(job.kind)
        if spec is not None and spec.on_failure is not None:
            spec.on_failure(job, reason)
    return True


def retry_later(job: Job, reason: str, delay_s: float) -> bool:
    return bool(
        _mine(job).update(
            status=JobStatus.QUEUED, error=reason, worker="", run_after=timezone.now() + timedelta(seconds=delay_s)
        )
    )


def release(job: Job) -> bool:
    """Give a job back untouched (the worker was asked to stop at once); the attempt does not count."""
    return bool(
        _mine(job).update(status=JobStatus.QUEUED, worker="", attempts=F("attempts") - 1, run_after=timezone.now())
    )


def last_heartbeat(job: Job) -> datetime | None:
    record = pulse.read(job.pk, job.worker, job.attempts)
    beats = [beat for beat in (job.heartbeat_at, record.heartbeat_at if record else None) if beat is not None]
    return max(beats, default=None)


def reap(*, stale_after_s: float) -> int:
    """Queue again the running jobs whose worker stopped beating (killed, machine restarted), or fail
    them with the reason once their attempts are used up. Returns how many were reaped."""
    now = timezone.now()
    reaped = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_after_s)):
        beat = last_heartbeat(job)
        if beat is not None and beat >= now - timedelta(seconds=stale_after_s):
            continue
        if pulse.uses_file():
            pulse.remove(job.pk)
        silent_s = int((now - beat).total_seconds()) if beat else "?"
        silent = f"工作进程 {job.worker} 已 {silent_s} 秒没有心跳（进程中止或主机重启）"
        if job.attempts < job.max_attempts:
            if _mine(job).update(status=JobStatus.QUEUED, worker="", run_after=now, error=f"{silent}，已重新排队。"):
                log.warning("job %s: %s; queued again", job.pk, silent)
                reaped += 1
        elif fail(job, f"{silent}，已尝试 {job.attempts} 次，不再重试。"):
            log.warning("job %s: %s; failed after %s attempts", job.pk, silent, job.attempts)
            reaped += 1
    return reaped
