"""Done-when of the job worker: a real ``chempark worker`` process is killed (SIGKILL) in the middle
of a QRA run, a new worker is started — and the study completes, with nobody repairing anything:
the new worker's reaper sees the dead worker's heartbeat go stale and queues the job again."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chempark.core.actors import SYSTEM
from chempark.core.models import Job, JobStatus
from chempark.emergency import services
from chempark.emergency.models import QraStatus, QraStudy
from tests.conftest import SmallPark
from tests.worker_processes import CommandProcess


class WorkerProcess(CommandProcess):
    """``chempark worker`` with a 1 s heartbeat, jobs stale after 3 s; a stop waits up to 60 s (a job
    may be running)."""

    def __init__(self, log: Path) -> None:
        args = ["worker", "--heartbeat", "1", "--stale-after", "3", "--poll", "0.2"]
        super().__init__(args, log, stop_timeout_s=60)


def wait_for(condition: Callable[[], bool], timeout: float, worker: WorkerProcess) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.process.poll() is None, worker.log.read_text(errors="replace")
        time.sleep(0.1)  # polling a real subprocess
    raise AssertionError(f"timed out; worker log:\n{worker.log.read_text(errors='replace')[-3000:]}")


@pytest.mark.usefixtures("transactional_db")
def test_sigkill_mid_qra_then_a_new_worker_completes_the_study(park: SmallPark, tmp_path: Path) -> None:
    study = services.qra_study_create(
        actor=SYSTEM, name="中断测试", park_id=park.park.pk, values={"grid_cell_m": 25.0, "grid_margin_m": 700.0}
    )
    services.qra_start(actor=SYSTEM, pk=study.pk)
    log = tmp_path / "worker.log"

    def current() -> QraStudy:
        return QraStudy.objects.get(pk=study.pk)

    first = WorkerProcess(log)
    try:
        wait_for(lambda: current().status == QraStatus.RUNNING and current().progress >= 0.04, 180, first)
        first.kill()
    finally:
        first.stop()
    stuck = current()
    assert stuck.status == QraStatus.RUNNING and stuck.progress < 1.0, "killed mid-run"
    job = Job.objects.get(object_type="qra_study", object_id=str(study.pk))
    assert job.status == JobStatus.RUNNING and job.attempts == 1
    second = WorkerProcess(log)
    try:
        wait_for(lambda: current().status in (QraStatus.SUCCEEDED, QraStatus.FAILED), 300, second)
    finally:
        second.stop()
    done = current()
    assert done.status == QraStatus.SUCCEEDED, done.error
    assert done.progress == 1.0 and (done.results or {})["scenario_count"] == 6
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert "queued again" in log.read_text(errors="replace")  # the reaper took it back
