"""The video gateway service and a web process as the tests start them: each a subprocess of its
own on this checkout's code and the test database, with the HLS directory they share."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

from tests.worker_processes import ROOT, CommandProcess

WAIT_S = 60.0  # a bound on hangs (processes importing Django on a busy machine), not a speed requirement


class GatewayProcess(CommandProcess):
    """``chempark video-gateway`` writing its HLS files under ``data_dir``, started and active (it
    holds the beat); ``start_timeout_s`` is ``CHEMPARK_VIDEO_START_TIMEOUT_S``."""

    def __init__(
        self, data_dir: Path, log: Path, *, start_timeout_s: int = 15, env: dict[str, str] | None = None
    ) -> None:
        env = {
            "CHEMPARK_DATA_DIR": str(data_dir),
            "CHEMPARK_VIDEO_START_TIMEOUT_S": str(start_timeout_s),
            **(env or {}),
        }
        super().__init__(["video-gateway", "--poll", "0.2"], log, env=env)
        self.root = data_dir / "hls"
        self.wait_logged("active, HLS in")


class WebProcess:
    """A web process as production runs it (uvicorn, one worker) on this checkout and the test
    database, serving the API on its own port."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.monitoring.subprocess_settings",
            CHEMPARK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
            CHEMPARK_DATA_DIR=str(data_dir),
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        )
        command = [sys.executable, "-m", "uvicorn", "chempark.asgi:application", "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))
        self.log = log
        deadline = time.monotonic() + WAIT_S * 2
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"web process did not answer: {log.read_text()}")

    def get(self, path: str, token: str) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def ffmpegs_writing_into(root: Path) -> dict[int, int]:
    """pid → parent pid of every live ffmpeg whose command line names a directory under ``root``
    (a zombie has no command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if arguments[0].endswith(b"ffmpeg") and any(str(root).encode() in argument for argument in arguments):
            found[int(entry.name)] = parent
    return found
