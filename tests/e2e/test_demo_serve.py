"""``chempark demo`` as someone runs it: served with its background services, then stopped.

A service manager (or ``kill``) stops a process with SIGTERM. The demo must then stop the processes
it started beside its web server (job worker, notifier, scheduler, simulator, JT/T 808 fleet) rather
than leave them running against its database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.e2e.conftest import _copy_database, _server_command

pytestmark = pytest.mark.usefixtures("transactional_db")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended while we looked
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def demo_database(demo_template: str) -> Iterator[str]:
    """A copy of the demo park, as the URL a ``chempark`` process connects with."""
    copy = f"{demo_template}_serve"
    _copy_database(demo_template, copy)
    settings = connection.settings_dict
    yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{copy}"
    _server_command(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def test_sigterm_stops_the_demo_and_every_service_it_started(demo_database: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CHEMPARK_DATABASE_URL": demo_database, "CHEMPARK_DATA_DIR": str(tmp_path)}
    demo = subprocess.Popen(
        [sys.executable, "-m", "chempark.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    services: set[int] = set()
    try:
        deadline = time.monotonic() + 180  # a bound on a hang: migrate, loaders and services start first
        while True:
            assert demo.poll() is None, demo.stdout.read().decode() if demo.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the demo did not answer"
                time.sleep(0.5)
        services = _children(demo.pid)
        assert len(services) >= 4, services  # job worker, notifier, scheduler, simulator, fleet …

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=120) == 128 + signal.SIGTERM
        left = {pid for pid in services if _running(pid)}
        assert not left, f"still running after the demo stopped: {left}"
    finally:
        for pid in {demo.pid} | services:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        demo.wait()
