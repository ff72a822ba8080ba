"""The job worker: claims one job at a time, runs its handler with a heartbeat, records the outcome.

``run_pending`` runs every ready job and returns (burst mode: ``chempark worker --once``, tests);
``run_forever`` loops until its stop event is set, reaps the jobs of dead workers now and then, and
outlives database outages (it logs, backs off, reconnects and goes on).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection

from chempark.core import demo
from chempark.core.jobs import queue, registry
from chempark.core.jobs.context import JobContext
from chempark.core.jobs.pulse import Pulse
from chempark.core.models import Job

log = logging.getLogger("chempark.jobs")

TRANSIENT = (OperationalError, InterfaceError)  # connection lost, server restarting, lock timeout
RETRY_BASE_S = 5.0
RETRY_MAX_S = 300.0


class WorkerInterrupted(BaseException):
    """Raised in the worker's thread when it must stop at once (a second SIGTERM/SIGINT): the current
    job is given back to the queue, its transaction rolled back."""


def retry_delay_s(attempt: int) -> float:
    return min(RETRY_BASE_S * 2.0 ** max(attempt - 1, 0), RETRY_MAX_S)


class Worker:
    def __init__(
        self,
        name: str | None = None,
        *,
        heartbeat_s: float = 5.0,
        stale_after_s: float = 60.0,
        poll_s: float = 1.0,
        reap_every_s: float = 30.0,
    ) -> None:
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.heartbeat_s, self.stale_after_s = heartbeat_s, stale_after_s
        self.poll_s, self.reap_every_s = poll_s, reap_every_s
        self.stop = threading.Event()  # set to end run_forever / run_pending after the current job

    def run_one(self) -> bool:
        """Claim and run one ready job; False when there was none."""
        job = queue.claim(self.name)
        if job is None:
            return False
        spec = registry.kind(job.kind)
        if spec is None:
            queue.fail(job, f"没有名为 {job.kind} 的任务处理程序（版本不一致？）。")
            return True
        pulse = Pulse(job.pk, self.name, job.attempts, heartbeat_s=self.heartbeat_s)
        context = JobContext(
            job.pk, job.kind, job.arguments, job.attempts, job.object_type, job.object_id, job.enqueued_by_id, pulse
        )
        log.info("job %s (%s) attempt %s/%s started", job.pk, job.kind, job.attempts, job.max_attempts)
        pulse.start()
        try:
            spec.run(context)
        except WorkerInterrupted:
            pulse.stop()
            queue.release(job)
            log.warning("job %s given back to the queue: the worker was stopped", job.pk)
            raise
        except Exception as exc:
            pulse.stop()
            self._attempt_failed(job, exc)
        else:
            pulse.stop()
            queue.complete(job, queue.Progress(pulse.done, pulse.total, pulse.message))
            log.info("job %s (%s) succeeded", job.pk, job.kind)
        return True

    def _attempt_failed(self, job: Job, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        log.exception("job %s (%s) attempt %s failed", job.pk, job.kind, job.attempts)
        if isinstance(exc, TRANSIENT):
            if not connection.in_atomic_block:  # (a test's transaction wraps burst runs: keep it)
                close_old_connections()  # a lost connection is replaced on the next query
            if job.attempts < job.max_attempts:
                delay = retry_delay_s(job.attempts)
                queue.retry_later(
                    job, f"第 {job.attempts} 次尝试失败（数据库暂时不可用：{reason}），{delay:.0f} 秒后重试。", delay
                )
                return
        queue.fail(job, f"第 {job.attempts} 次尝试失败：{reason}")

    def run_pending(self) -> int:
        """Run ready jobs until none is left; returns how many ran."""
        ran = 0
        while not self.stop.is_set() and self.run_one():
            ran += 1
        return ran

    def run_forever(self) -> None:
        log.info("worker %s started", self.name)
        next_reap, backoff = 0.0, 1.0
        while not self.stop.is_set():
            try:
                close_old_connections()
                if time.monotonic() >= next_reap:
                    queue.reap(stale_after_s=self.stale_after_s)
                    next_reap = time.monotonic() + self.reap_every_s
                busy = self.run_one()
                backoff = 1.0
            except DatabaseError as exc:
                log.warning("worker %s: database unavailable (%s); retrying in %.0f s", self.name, exc, backoff)
                close_old_connections()
                self.stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not busy:
                self.stop.wait(self.poll_s)
        log.info("worker %s stopped", self.name)


def start_worker_process() -> Callable[[], None]:
    """``chempark demo``'s worker: a ``chempark worker`` process beside the web server, as in
    production — a job that crashes or hogs the interpreter cannot take the web server with it, and
    killing the worker shows what the reaper does. Returns the function that stops it."""
    return demo.command_process("worker")
