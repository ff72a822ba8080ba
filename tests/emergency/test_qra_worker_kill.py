"""Done-when of the job worker: a real ``chempark worker`` process is killed (SIGKILL) in the middle
of a QRA run, a new worker is started — and the study completes, with nobody repairing anything:
the new worker's reaper sees the dead worker's heartbeat go stale and queues the job again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from chempark.core.actors import SYSTEM
from chempark.core.models import Job, JobStatus
from chempark.emergency import services
from chempark.emergency.models import QraStatus, QraStudy
from tests.conftest import SmallPark

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    def __init__(self, log: Path) -> None:
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.monitoring.subprocess_settings",
            CHEMPARK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        )
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chempark.cli", "worker", "--heartbeat", "1", "--stale-after", "3", "--poll", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


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
