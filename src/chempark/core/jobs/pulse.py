"""Heartbeat and progress of a running job, written outside the job's own transaction.

A handler may hold one long transaction (an all-or-nothing import); progress written inside it
would stay invisible until it commits. So the pulse is written by a thread of its own, which in
Django means a connection of its own, in autocommit: on PostgreSQL it updates the job row, and a
page polling the row sees it move while the handler's work is still uncommitted.

SQLite allows one writer at a time: while an import's transaction is open, no other connection can
write the job row. There the pulse goes to a small file beside the database
(``$CHEMPARK_DATA_DIR/jobs/<id>.json``, replaced atomically), which the readers and the reaper
merge with the row. The file names the worker and attempt it belongs to, so a file left from an
earlier run of the same id is never mistaken for the current one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

log = logging.getLogger("chempark.jobs")

TICK_S = 0.3  # how soon a progress report reaches the database (or the file)


@dataclass(frozen=True)
class PulseRecord:
    heartbeat_at: datetime
    done: int
    total: int
    message: str


def uses_file() -> bool:
    return connection.vendor == "sqlite"


def _path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / f"{job_id}.json"


def read(job_id: int, worker: str, attempt: int) -> PulseRecord | None:
    """The file pulse of a running job (SQLite only), if it belongs to this worker and attempt."""
    if not uses_file():
        return None
    try:
        data = orjson.loads(_path(job_id).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if data.get("worker") != worker or data.get("attempt") != attempt:
        return None
    return PulseRecord(
        datetime.fromisoformat(data["heartbeat_at"]), int(data["done"]), int(data["total"]), str(data["message"])
    )


def remove(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)


class Pulse:
    """Beats every ``heartbeat_s`` and carries the latest progress of one claimed job."""

    def __init__(self, job_id: int, worker: str, attempt: int, *, heartbeat_s: float) -> None:
        self.job_id, self.worker, self.attempt, self.heartbeat_s = job_id, worker, attempt, heartbeat_s
        self.done, self.total, self.message = 0, 0, ""
        self._lock = threading.Lock()
        self._dirty = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-pulse", daemon=True)

    def progress(self, done: int, total: int, message: str = "") -> None:
        with self._lock:
            self.done, self.total, self.message = max(done, 0), max(total, 0), message[:200]
            self._dirty = True

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        if uses_file():
            remove(self.job_id)

    def _run(self) -> None:
        last_beat = time.monotonic()
        try:
            while not self._stop.wait(TICK_S):
                with self._lock:
                    due = self._dirty or time.monotonic() - last_beat >= self.heartbeat_s
                    done, total, message, self._dirty = self.done, self.total, self.message, False
                if not due:
                    continue
                try:
                    self._write(done, total, message)
                    last_beat = time.monotonic()
                except (DatabaseError, OSError) as exc:  # the database is away; the next tick tries again
                    with self._lock:
                        self._dirty = True
                    log.warning("job %s: heartbeat not written: %s", self.job_id, exc)
        finally:
            connections.close_all()  # this thread's connections only

    def _write(self, done: int, total: int, message: str) -> None:
        from chempark.core.models import Job, JobStatus

        now = timezone.now()
        if not uses_file():
            Job.objects.filter(pk=self.job_id, worker=self.worker, status=JobStatus.RUNNING).update(
                heartbeat_at=now, progress_done=done, progress_total=total, progress_message=message
            )
            return
        path = _path(self.job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(
            orjson.dumps(
                {
                    "worker": self.worker,
                    "attempt": self.attempt,
                    "heartbeat_at": now.isoformat(),
                    "done": done,
                    "total": total,
                    "message": message,
                }
            )
        )
        os.replace(temporary, path)
