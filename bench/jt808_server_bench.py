"""JT/T 808 server: decoded, stored and acknowledged locations per second, and acknowledgement
latency at a fixed rate, with the platform's handler on PostgreSQL.

Usage (a PostgreSQL server of your own; the database is created, migrated and dropped):
    python bench/jt808_server_bench.py --database postgres://postgres@127.0.0.1:55432/jt808_bench \
        [--terminals 10000] [--clients 2] [--seconds 20] [--rate 2000]

The server runs as ``chempark jt808`` in its own process; the simulated terminals run in
``--clients`` processes of their own, each an event loop holding its share of the connections
(authenticating with an auth code the setup stored, then reporting 0x0200 locations and waiting
for each 0x8001). All terminals connect first and stay connected through both phases. Phase 1:
every terminal reports as fast as it is acknowledged (the saturated rate). Phase 2: together they
report ``--rate`` locations per second, spread evenly; the latency is from sending a location to
reading its acknowledgement. Baseline in the same run: the same terminals against a server whose
handler stores nothing (decode + acknowledge only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

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
    from chempark.jt808.codec import terminal_key
    from chempark.tracking.models import Terminal
    from chempark.vehicles.models import Carrier, Vehicle, VehicleType

    carrier = Carrier.objects.create(name="基准测试运输公司", permit_no="BENCH", permit_expires=date(2099, 1, 1))
    vehicles = Vehicle.objects.bulk_create(
        Vehicle(plate=f"冀B{i:05d}", carrier=carrier, vehicle_type=VehicleType.TANK, terminal_phone=phone(i))
        for i in range(terminals)
    )
    # The terminals drive on the park's roads, as vehicles do: ROADS east-west designated routes
    # 50 m wide, 1/1000 degree (111 m) apart; terminal i keeps to road i % ROADS.
    from chempark.tracking.models import Fence, FenceKind

    Fence.objects.bulk_create(
        Fence(name=f"道路{r}", kind=FenceKind.CORRIDOR, width_m=50, speed_limit_kmh=60,
              geometry={"type": "LineString", "coordinates": [[118.19, road_lat(r)], [118.40, road_lat(r)]]})
        for r in range(ROADS)
    )  # fmt: skip
    # registered beforehand (registration is a one-off, audited write, not what is measured)
    Terminal.objects.bulk_create(
        Terminal(number=terminal_key(phone(i)), vehicle=vehicle, auth_code=AUTH_CODE)
        for i, vehicle in enumerate(vehicles)
    )


AUTH_CODE = "bench-auth"
ROADS = 100


def road_lat(road: int) -> float:
    return 39.2 + road * 1e-3


def phone(index: int) -> str:
    return f"0139{index:08d}"


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


async def connect_fleet(port: int, first: int, count: int) -> list[Any]:
    from chempark.jt808.simulator import Terminal

    fleet = [
        Terminal(phone(i), f"冀B{i:05d}", "127.0.0.1", port, auth_code=AUTH_CODE) for i in range(first, first + count)
    ]
    for start in range(0, count, 200):  # connect in waves: the listen backlog is finite
        await asyncio.gather(*(t.connect() for t in fleet[start : start + 200]))
    return fleet


async def drive(
    fleet: list[Any], first: int, total: int, seconds: float, *, rate: float | None, phase: int
) -> tuple[int, list[float]]:
    """(acknowledged locations, latencies in ms) of this process's ``fleet`` reporting for
    ``seconds``; ``rate`` is the whole fleet's (all processes'), ``total`` its size."""
    from chempark.jt808 import messages as m

    latencies: list[float] = []
    sent = 0
    deadline = time.monotonic() + seconds
    # device times of this run: an hour apart from any earlier run's, so none is a duplicate
    moment = datetime(2026, 5, 6, tzinfo=UTC) + timedelta(hours=int(time.time()) % 100_000, minutes=30 * phase)

    async def one(index: int, terminal: Any) -> None:
        nonlocal sent
        period = total / rate if rate else 0.0
        next_at = time.monotonic() + (index / total) * period
        step = 0
        while time.monotonic() < deadline:
            if period:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += period
            step += 1
            lon = 118.2 + (index // ROADS) * 1e-5 + step * 1e-5
            location = m.Location(0, m.STATUS_FIXED, road_lat(index % ROADS), lon, 5, 30.0, 90,
                                  moment + timedelta(seconds=step))  # fmt: skip
            began = time.perf_counter()
            if await terminal.report(location):
                latencies.append((time.perf_counter() - began) * 1000)
                sent += 1

    await asyncio.gather(*(one(first + i, t) for i, t in enumerate(fleet)))
    return sent, latencies


async def client(port: int, first: int, count: int, total: int) -> None:
    """One client process: connect, say so, then run each phase the parent starts (a line
    ``seconds rate`` on stdin, rate 0 for saturated) and print its counts as JSON."""
    fleet = await connect_fleet(port, first, count)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    phase = 0
    while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        seconds, rate = (float(v) for v in line.split())
        sent, latencies = await drive(fleet, first, total, seconds, rate=rate or None, phase=phase)
        phase += 1
        print(json.dumps({"sent": sent, "latencies": [round(v, 2) for v in latencies]}), flush=True)
    for terminal in fleet:
        await terminal.close()


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
    clients: list[subprocess.Popen[str]] = []
    try:
        wait_for_port(port)
        share = -(-args.terminals // args.clients)
        for first in range(0, args.terminals, share):
            count = min(share, args.terminals - first)
            clients.append(subprocess.Popen(
                [sys.executable, __file__, "--client", str(port), str(first), str(count), str(args.terminals)],
                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            ))  # fmt: skip
        began = time.monotonic()
        for process in clients:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        print(f"{label}: {args.terminals:,} terminals connected in {time.monotonic() - began:.0f} s", flush=True)
        for rate in (0.0, args.rate):
            for process in clients:
                assert process.stdin is not None
                process.stdin.write(f"{args.seconds} {rate}\n")
                process.stdin.flush()
            count, latencies = 0, []
            for process in clients:
                assert process.stdout is not None
                result = json.loads(process.stdout.readline())
                count += result["sent"]
                latencies += result["latencies"]
            what = "saturated" if not rate else f"{rate:,.0f} msg/s offered"
            if not latencies:  # every report timed out (the simulator waits 5 s for an answer)
                print(f"{label}, {what}: nothing acknowledged within the terminals' timeout", flush=True)
                continue
            print(f"{label}, {what}: {count / args.seconds:,.0f} msg/s, p50 {statistics.median(latencies):.1f} ms, "
                  f"p99 {p99(latencies):.1f} ms", flush=True)  # fmt: skip
    finally:
        for process in clients:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(60)
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="")
    parser.add_argument("--serve-null", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--client", type=int, nargs=4, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--port", type=int, default=18810)
    args = parser.parse_args()
    if args.serve_null:
        asyncio.run(serve_null(args.serve_null))
        return
    if args.client:
        asyncio.run(client(*args.client))
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
