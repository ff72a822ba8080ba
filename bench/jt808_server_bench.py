"""JT/T 808 server: decoded, stored and acknowledged locations per second, and acknowledgement
latency at a fixed rate, with the platform's handler on PostgreSQL.

Usage (a PostgreSQL server of your own; the database is created, migrated and dropped):
    python bench/jt808_server_bench.py --database postgres://postgres@127.0.0.1:55432/jt808_bench \
        [--terminals 1000] [--seconds 20] [--rate 2000]

The server runs as ``chempark jt808`` in its own process; the simulated terminals run in this
process on one event loop (registering, authenticating, then reporting 0x0200 locations and
waiting for each 0x8001). Phase 1: every terminal reports as fast as it is acknowledged (the
saturated rate). Phase 2: together they report ``--rate`` locations per second, spread evenly;
the latency is from sending a location to reading its acknowledgement. Baseline in the same run:
the same terminals against a server whose handler stores nothing (decode + acknowledge only).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def setup_database(url: str, terminals: int) -> None:
    os.environ["CHEMPARK_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from chempark.vehicles.models import Carrier, Vehicle, VehicleType

    carrier = Carrier.objects.create(name="基准测试运输公司", permit_no="BENCH", permit_expires=date(2099, 1, 1))
    Vehicle.objects.bulk_create(
        Vehicle(plate=f"冀B{i:05d}", carrier=carrier, vehicle_type=VehicleType.TANK, terminal_phone=f"0139{i:08d}")
        for i in range(terminals)
    )


def drop_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class NullHandler:
    """Decodes and acknowledges, stores nothing: the server's own cost."""

    async def register(self, terminal: str, request: object) -> tuple[int, str]:
        return 0, "code"

    async def authenticate(self, terminal: str, auth_code: str) -> bool:
        return True

    async def store(self, terminal: str, locations: object) -> None:
        return None

    async def logout(self, terminal: str) -> None:
        return None


async def drive(port: int, terminals: int, seconds: float, rate: float | None) -> tuple[int, list[float]]:
    """(acknowledged locations, latencies in ms) of ``terminals`` reporting for ``seconds``."""
    from chempark.jt808 import messages as m
    from chempark.jt808.simulator import Terminal

    fleet = [Terminal(f"0139{i:08d}", f"冀B{i:05d}", "127.0.0.1", port) for i in range(terminals)]
    for start in range(0, terminals, 200):  # connect in waves: the listen backlog is finite
        await asyncio.gather(*(t.connect() for t in fleet[start : start + 200]))
    latencies: list[float] = []
    sent = 0
    deadline = time.monotonic() + seconds
    # device times of this run: an hour apart from any earlier run's, so none is a duplicate
    moment = datetime(2026, 5, 6, tzinfo=UTC) + timedelta(hours=int(time.time()) % 100_000)

    async def one(index: int, terminal: Terminal) -> None:
        nonlocal sent
        period = terminals / rate if rate else 0.0
        next_at = time.monotonic() + (index / terminals) * period
        step = 0
        while time.monotonic() < deadline:
            if period:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += period
            step += 1
            location = m.Location(0, m.STATUS_FIXED, 39.2 + index * 1e-5, 118.2 + step * 1e-5, 5, 30.0, 90,
                                  moment + timedelta(seconds=step))  # fmt: skip
            began = time.perf_counter()
            if await terminal.report(location):
                latencies.append((time.perf_counter() - began) * 1000)
                sent += 1

    await asyncio.gather(*(one(i, t) for i, t in enumerate(fleet)))
    for terminal in fleet:
        await terminal.close()
    return sent, latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 100 else max(values, default=0.0)


async def serve_null(port: int) -> None:
    """The baseline server: the same server class, a handler that stores nothing."""
    from chempark.jt808.server import Server

    server = Server(NullHandler(), port=port)  # type: ignore[arg-type]  # the baseline handler stores nothing and types its arguments loosely
    await server.serve_forever()


def wait_for_port(port: int, timeout_s: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def measure(label: str, command: list[str], env: dict[str, str], port: int, args: argparse.Namespace) -> None:
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        count, latencies = asyncio.run(drive(port, args.terminals, args.seconds, None))
        print(f"{label}, saturated: {count / args.seconds:,.0f} msg/s, p50 {statistics.median(latencies):.1f} ms, "
              f"p99 {p99(latencies):.1f} ms")  # fmt: skip
        count, latencies = asyncio.run(drive(port, args.terminals, args.seconds, args.rate))
        print(f"{label}, {args.rate:,.0f} msg/s offered: {count / args.seconds:,.0f} msg/s, "
              f"p50 {statistics.median(latencies):.1f} ms, p99 {p99(latencies):.1f} ms")  # fmt: skip
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="")
    parser.add_argument("--serve-null", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--port", type=int, default=18810)
    args = parser.parse_args()
    if args.serve_null:
        asyncio.run(serve_null(args.serve_null))
        return
    setup_database(args.database, args.terminals)
    env = dict(os.environ, CHEMPARK_DATABASE_URL=args.database, PYTHONPATH=str(ROOT / "src"))
    try:
        measure("baseline: decode + acknowledge, nothing stored",
                [sys.executable, __file__, "--serve-null", str(args.port)], env, args.port, args)  # fmt: skip
        measure("platform: stored in PostgreSQL, rules applied",
                [sys.executable, "-m", "chempark.cli", "jt808", "--host", "127.0.0.1", "--port", str(args.port + 1)],
                env, args.port + 1, args)  # fmt: skip
        from chempark.tracking.models import Position

        print(f"positions stored: {Position.objects.count():,}")
    finally:
        drop_database(args.database)


if __name__ == "__main__":
    main()
