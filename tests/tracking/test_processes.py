"""``chempark jt808 --processes 2`` against the test database: two server processes on one port
(SO_REUSEPORT), a terminal reconnecting twenty times lands on both, and every fix it reports is
stored exactly once, its live position the last one; SIGTERM stops both and the command."""

from __future__ import annotations

import ast
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from chempark.jt808.simulator import Terminal, drive, location_of
from chempark.tracking.models import Position
from chempark.tracking.models import Terminal as TerminalRow
from tests.tracking.conftest import ROAD, Fleet
from tests.tracking.test_tcp import START, run_apart

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_logged(log: Path, process: subprocess.Popen[bytes], text: str, times: int) -> str:
    deadline = time.monotonic() + 120  # a bound on a hang: the command imports Django first
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if content.count(text) >= times:
            return content
        assert process.poll() is None, content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not logged {times} times: {log.read_text(errors='replace')}")


def test_two_processes_share_the_port_and_store_every_fix_once(fleet: Fleet, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "jt808.log"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.monitoring.subprocess_settings",
        CHEMPARK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    command = [sys.executable, "-m", "chempark.cli", "jt808", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen([*command, "--processes", "2"], cwd=ROOT, env=env, stdout=log.open("ab"),
                               stderr=subprocess.STDOUT)  # fmt: skip
    fixes = list(drive(ROAD, 36, 5, START))[: CONNECTIONS * 3]
    try:
        started = wait_logged(log, process, "JT/T 808 服务已启动", 2)
        assert len(set(re.findall(r"进程 (\d+)", started))) == 2

        async def reconnecting() -> None:
            terminal = Terminal("013900000001", fleet.tanker.plate, "127.0.0.1", port)
            for start in range(0, len(fixes), 3):  # a new connection (a new source port) each time
                await terminal.connect()
                for fix in fixes[start : start + 3]:
                    assert await terminal.report(location_of(fix))
                await terminal.close()

        run_apart(reconnecting())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    assert process.returncode == 0, log.read_text(errors="replace")
    stored = list(Position.objects.order_by("ts_ms").values_list("ts_ms", flat=True))
    assert stored == [int(fix.time.timestamp() * 1000) for fix in fixes]
    assert TerminalRow.objects.get(number="13900000001").last_ms == stored[-1]
    # each process says what it served when it stops: both authenticated the terminal at least once
    stopped = re.findall(r"服务已停止：(\{.*?\})", log.read_text(errors="replace"))
    served = [ast.literal_eval(counters).get("authenticated", 0) for counters in stopped]
    assert len(served) == 2 and sum(served) == CONNECTIONS and min(served) > 0, served


def test_processes_out_of_range_is_refused() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--processes"):
        call_command("jt808", "--processes", "0")
