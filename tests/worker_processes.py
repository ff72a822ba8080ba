"""The platform's worker commands as the tests run them — ``chempark ingest``, ``chempark
ingest-positions``, ``chempark worker`` — each in a subprocess of its own against the test database
(so a test can SIGKILL one mid-batch), read through its log; a gateway publishing at QoS 1; and the
real clock those processes run on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import paho.mqtt.client as mqtt
import time_machine
from django.db import connection

from tests.monitoring.broker import Mosquitto

ROOT = Path(__file__).resolve().parents[1]
OUTAGE_ENV = {"CHEMPARK_TEST_SQLITE_BUSY_MS": "200", "CHEMPARK_DATABASE_POOL_TIMEOUT_S": "5"}
"""For a process whose database is taken away: it notices within 5 s, not the pool's 30 s a try
(PostgreSQL), or the lock's 200 ms (SQLite)."""


class CommandProcess:
    """``chempark <args>`` in a subprocess on this checkout's code and the test database (see
    ``tests/monitoring/subprocess_settings.py``), its log (stderr) appended to ``log``."""

    def __init__(
        self, args: list[str], log: Path, *, env: dict[str, str] | None = None, stop_timeout_s: float = 10
    ) -> None:
        environment = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.monitoring.subprocess_settings",
            CHEMPARK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),  # this checkout's code
            **(env or {}),
        )
        self.log = log
        self.stop_timeout_s = stop_timeout_s
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chempark.cli", *args],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_connected(self, times: int = 1) -> None:
        self.wait_logged("connected to", times)

    def wait_logged(self, text: str, times: int = 1) -> None:
        # A bound on a hang, not a speed requirement: the subprocess imports Django and the project first,
        # which takes well over 30 s on a busy machine (a test run's other worker beside it).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.text().count(text) >= times:
                return
            assert self.process.poll() is None, self.text()
            time.sleep(0.05)
        raise AssertionError(f"worker did not log {text!r} {times} times: {self.text()}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()


class Publisher:
    """A gateway: QoS 1, and a message counts as published once the broker acknowledged it.
    Until then it is sent again (after a reconnect, say) — duplicates are the storage's problem."""

    def __init__(self, port: int) -> None:
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="test-gateway", clean_session=False)
        self.client.reconnect_delay_set(0.1, 1)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            info = self.client.publish(topic, payload, qos=1)
            try:
                info.wait_for_publish(timeout=3)
            except (RuntimeError, ValueError):
                time.sleep(0.2)
                continue
            if info.is_published():
                return
        raise AssertionError("broker never acknowledged the message")

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@contextmanager
def running_broker(directory: Path) -> Iterator[Mosquitto]:
    """A private Mosquitto (no accounts) for as long as the block runs."""
    server = Mosquitto(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def real_now_ms() -> int:
    """The worker is another process: it runs on the real clock even when the tests' clock is set."""
    hatch = time_machine.escape_hatch
    return int((hatch.time.time() if hatch.is_travelling() else time.time()) * 1000)
