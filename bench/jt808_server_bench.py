"""JT/T 808 server: decoded, stored and acknowledged locations per second, and acknowledgement
latency at a fixed rate, with the platform's handler on PostgreSQL.

Usage (a PostgreSQL server of your own; the database is created, migrated and dropped):
    python bench/jt808_server_bench.py --database postgres://postgres@127.0.0.1:55432/jt808_bench \
        [--terminals 10000] [--clients 2] [--seconds 10] [--rate 2000] [--repeat 3] \
        [--only sink,baseline,platform] [--phases saturated,rate] [--processes 1]

Three servers, one after the other, each in its own process: the sink (answers every frame with a
fixed 0x8001, decoding nothing: what the load generator itself can drive), the baseline (the
server class with a handler that stores nothing: decode + acknowledge) and the platform
(``chempark jt808 [--processes N]``). The simulated terminals run in ``--clients`` processes, each
an event loop holding its share of the connections as protocols (authenticating with an auth
code the setup stored, then sending 0x0200 frames built from a template). All terminals connect
first and stay connected through the phases. Saturated: each terminal sends its next location
when the last is answered. Rate: together they send ``--rate`` locations per second, spread
evenly, whatever is answered; the latency is from sending a location to reading its answer.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import statistics
import struct
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import cast

import psycopg

from chempark.jt808.framing import wrap

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

    def store(self, terminal: str, locations: object) -> asyncio.Future[None]:
        """Already done: like the platform's batch future, minus the batch (no task per message)."""
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    async def logout(self, terminal: str) -> None:
        return None


# --- the load generator ----------------------------------------------------------------------
# Terminals are asyncio protocols, not stream readers with a task each: a location frame is built
# from a template (the header's constant part, then serial, coordinates and a BCD time taken from a
# table), and the answer is matched in ``data_received``; nothing per message but the frame bytes.

_LOCATION_HEAD = struct.Struct(">HH6sH")  # id, properties (body 28 bytes), phone BCD[6], serial
_LOCATION_BODY = struct.Struct(">IIIIHHH")  # alarm, status, lat, lon, altitude, speed, heading
STATUS_FIXED = 2


def bcd_time(moment: datetime) -> bytes:
    return bytes.fromhex(moment.astimezone(timezone(timedelta(hours=8))).strftime("%y%m%d%H%M%S"))


def location_frame(phone_bcd: bytes, serial: int, lat: float, lon: float, when: bytes) -> bytes:
    head = _LOCATION_HEAD.pack(0x0200, 28, phone_bcd, serial)
    body = _LOCATION_BODY.pack(0, STATUS_FIXED, round(lat * 1e6), round(lon * 1e6), 5, 300, 90)
    return wrap(head + body + when)


class Sim(asyncio.Protocol):
    """One terminal: authenticates, then sends locations; ``sent`` times wait for their answers."""

    def __init__(self, index: int, gen: Generator) -> None:
        self.index, self.gen = index, gen
        self.phone = bytes.fromhex(phone(index))
        self.transport: asyncio.Transport | None = None
        self.serial = 0
        self.step = 0
        self.sent: collections.deque[float] = collections.deque()
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        from chempark.jt808.codec import Header, encode_packet

        self.serial += 1
        self.transport.write(encode_packet(Header(0x0102, phone(self.index), self.serial), AUTH_CODE.encode()))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed"))

    def data_received(self, data: bytes) -> None:
        # every answer is one 0x8001 frame: result byte, checksum (escaped when 0x7D/0x7E), flag
        data = self.buffer + data
        cut = data.rfind(b"\x7e") + 1
        self.buffer = data[cut:]
        now = time.perf_counter()
        gen = self.gen
        for frame in data[:cut].split(b"\x7e"):
            if len(frame) < 3:
                continue
            result = frame[-3] if frame[-2] == 0x7D else frame[-2]
            if not self.ready.done():  # the authentication's answer
                self.ready.set_result(None) if result == 0 else self.ready.set_exception(ConnectionError("refused"))
                continue
            if not self.sent:
                continue
            began = self.sent.popleft()
            if not gen.measuring:
                continue
            if result == 0:
                gen.latencies.append(now - began)
                gen.acked += 1
            else:
                gen.refused += 1
        if gen.saturated and gen.running and not self.sent:
            self.send()

    def send(self) -> None:
        if self.transport is None:
            return
        self.serial = (self.serial + 1) & 0xFFFF
        self.step += 1
        gen = self.gen
        lon = 118.2 + (self.index // ROADS) * 1e-5 + self.step * 1e-6
        frame = location_frame(self.phone, self.serial, road_lat(self.index % ROADS), lon, gen.time_of(self.step))
        self.sent.append(time.perf_counter())
        self.transport.write(frame)


class Generator:
    def __init__(self, first: int, count: int, phase_base: datetime) -> None:
        self.first, self.count = first, count
        self.sims: list[Sim] = []
        self.latencies: list[float] = []
        self.acked = self.refused = 0
        self.measuring = self.running = self.saturated = False
        self.base = phase_base
        self._times: list[bytes] = []

    def time_of(self, step: int) -> bytes:
        """Device time of a terminal's ``step``-th fix (one second apart), from a table."""
        while len(self._times) <= step:
            self._times.append(bcd_time(self.base + timedelta(seconds=len(self._times))))
        return self._times[step]

    async def connect(self, port: int) -> None:
        loop = asyncio.get_running_loop()
        for start in range(0, self.count, 250):  # in waves: the listen backlog is finite
            wave = [Sim(self.first + i, self) for i in range(start, min(start + 250, self.count))]
            await asyncio.gather(*(loop.create_connection(lambda s=s: s, "127.0.0.1", port) for s in wave))
            await asyncio.gather(*(asyncio.wait_for(s.ready, 120) for s in wave))
            self.sims += wave

    async def phase(self, seconds: float, rate: float, total: int) -> None:
        """Saturated (``rate`` 0): each terminal sends its next location when the last is answered.
        Otherwise this process sends its share of ``rate`` evenly, terminal after terminal, on a
        2 ms tick, whether or not earlier ones are answered (as terminals on a timer do)."""
        self.latencies, self.acked, self.refused = [], 0, 0
        self.saturated = not rate
        self.running = self.measuring = True
        began = time.perf_counter()
        if self.saturated:
            for sim in self.sims:
                sim.send()
            await asyncio.sleep(seconds)
        else:
            share = rate * self.count / total
            sent, turn = 0, 0
            while (elapsed := time.perf_counter() - began) < seconds:
                due = int(share * elapsed) - sent
                for _ in range(due):
                    self.sims[turn].send()
                    turn = (turn + 1) % len(self.sims)
                sent += max(due, 0)
                await asyncio.sleep(0.002)
        self.running = False
        self.measuring = False
        await asyncio.sleep(1)  # answers still under way are not counted, but must not spill over
        for sim in self.sims:
            sim.sent.clear()
            sim.step += 1


async def client(port: int, first: int, count: int, total: int) -> None:
    """One client process: connect, say so, then run each phase the parent starts (a line
    ``seconds rate`` on stdin, rate 0 for saturated) and print its counts as JSON."""
    # device times of this run: hours apart from any earlier run's, so none is a duplicate
    base = datetime(2026, 5, 6, tzinfo=UTC) + timedelta(hours=int(time.time()) % 100_000)
    gen = Generator(first, count, base)
    await gen.connect(port)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        seconds, rate = (float(v) for v in line.split())
        await gen.phase(seconds, rate, total)
        latencies = [round(v * 1000, 2) for v in gen.latencies]
        print(json.dumps({"sent": gen.acked, "refused": gen.refused, "latencies": latencies}), flush=True)
    for sim in gen.sims:
        if sim.transport is not None:
            sim.transport.close()


class Sink(asyncio.Protocol):
    """The generator's own limit: answers every frame with a fixed 0x8001 without decoding it."""

    ANSWER = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        data = self.buffer + data
        cut = data.rfind(b"\x7e") + 1
        self.buffer = data[cut:]
        frames = data[:cut].count(b"\x7e") // 2
        if frames:
            self.transport.write(self.ANSWER * frames)


async def serve_sink(port: int) -> None:
    from chempark.jt808.codec import Header, encode_packet

    Sink.ANSWER = encode_packet(Header(0x8001, phone(0), 1), struct.pack(">HHB", 1, 0x0200, 0))
    server = await asyncio.get_running_loop().create_server(Sink, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


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
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
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
        rates = {"saturated": 0.0, "rate": args.rate}
        for rate in [rates[phase] for phase in args.phases.split(",")] * args.repeat:
            for process in clients:
                assert process.stdin is not None
                process.stdin.write(f"{args.seconds} {rate}\n")
                process.stdin.flush()
            count, refused, latencies = 0, 0, []
            for process in clients:
                assert process.stdout is not None
                result = json.loads(process.stdout.readline())
                count += result["sent"]
                refused += result["refused"]
                latencies += result["latencies"]
            what = "saturated" if not rate else f"{rate:,.0f} msg/s offered"
            load = os.getloadavg()[0]
            if not latencies:
                print(f"{label}, {what}: nothing acknowledged (load {load:.1f})", flush=True)
                continue
            print(f"{label}, {what}: {count / args.seconds:,.0f} msg/s, p50 {statistics.median(latencies):.1f} ms, "
                  f"p99 {p99(latencies):.1f} ms, refused {refused} (load {load:.1f})", flush=True)  # fmt: skip
    finally:
        for process in clients:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(60)
        server.terminate()
        out, _ = server.communicate(timeout=30)
        for line in out.splitlines():
            if "停止" in line:  # the platform's counters and its writer's batches
                print(f"  server: {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="")
    parser.add_argument("--serve-null", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--serve-sink", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--client", type=int, nargs=4, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--processes", type=int, default=1, help="server processes (chempark jt808 --processes)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the phases per server")
    parser.add_argument("--phases", default="saturated,rate", help="saturated and/or rate (--rate msg/s offered)")
    parser.add_argument("--only", default="sink,baseline,platform", help="which servers, comma-separated")
    parser.add_argument("--port", type=int, default=18810)
    args = parser.parse_args()
    if args.serve_null:
        asyncio.run(serve_null(args.serve_null))
        return
    if args.serve_sink:
        asyncio.run(serve_sink(args.serve_sink))
        return
    if args.client:
        asyncio.run(client(*args.client))
        return
    raise_open_files()
    only = set(args.only.split(","))
    path = os.environ.get("PYTHONPATH", str(ROOT / "src"))  # a path of one's own (an event loop to try) carries over
    env = dict(os.environ, CHEMPARK_DATABASE_URL=args.database, PYTHONPATH=path)
    if "sink" in only:
        measure("sink: answers without decoding (the generator's limit)",
                [sys.executable, __file__, "--serve-sink", str(args.port + 2)], env, args.port + 2, args)  # fmt: skip
    if "baseline" in only:
        measure("baseline: decode + acknowledge, nothing stored",
                [sys.executable, __file__, "--serve-null", str(args.port)], env, args.port, args)  # fmt: skip
    if "platform" not in only:
        return
    setup_database(args.database, args.terminals)
    try:
        measure(f"platform: stored in PostgreSQL, rules applied, {args.processes} process(es)",
                [sys.executable, "-m", "chempark.cli", "jt808", "--host", "127.0.0.1", "--port", str(args.port + 1),
                 "--processes", str(args.processes)],
                env, args.port + 1, args)  # fmt: skip
        from chempark.tracking.models import Position

        print(f"positions stored: {Position.objects.count():,}")
    finally:
        drop_database(args.database)


def raise_open_files() -> None:
    """10,000 connections need 10,000 descriptors on each side (children inherit the limit)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


if __name__ == "__main__":
    main()
