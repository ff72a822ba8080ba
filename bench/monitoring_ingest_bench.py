"""End-to-end ingest benchmark: gateways → Mosquitto → ``chempark ingest`` → PostgreSQL.

It starts its own PostgreSQL cluster and Mosquitto, migrates a fresh database, registers
enterprises and points through the services, runs the real worker as a subprocess, and prints:

(a) sustained readings/s with 100 readings per message and with 1 reading per message;
(b) the ratio of (a) to the slower of two raw limits measured in the same run: the broker delivering
    the same messages to a subscriber that discards them, and a bare COPY of the same rows;
(c) publish-to-alarm latency (p50/p99, as seen by a reader of the alarm table) at 10,000 readings/s;
(d) the worker's resident memory with the registered points, and with 440,000.

    .venv/bin/python bench/monitoring_ingest_bench.py [--repeats 3] [--readings 300000] [--workers 2]

Each throughput figure is the median of ``--repeats`` runs. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.monitoring.broker import Mosquitto, free_port  # noqa: E402 - after the path is set

CHEMPARK = str(ROOT / ".venv" / "bin" / "chempark")
POINTS_PER_ENTERPRISE = 100


# --- infrastructure --------------------------------------------------------------------------


class Postgres:
    """A throw-away PostgreSQL cluster on a free port (run as the postgres user when root)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self.port = free_port()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.user = "postgres" if os.getuid() == 0 else os.environ.get("USER", "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_pg, *args], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        if self.as_pg:
            shutil.chown(self.directory, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            f"{self.directory}/data",
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            f"{self.directory}/data",
            "-l",
            f"{self.directory}/log",
            "-w",
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
            "start",
        )
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "chempark")
        return f"postgres://{self.user}@127.0.0.1:{self.port}/chempark"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_pg, str(self.bin / "pg_ctl"), "-D", f"{self.directory}/data", "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    return f"nproc {os.cpu_count()}, {cpu}, {mem_kb / 1024 / 1024:.1f} GiB"


class CpuMeter:
    """CPU seconds (user + system) used by groups of processes between two readings: the ingest
    workers, the PostgreSQL server (the postmaster's children), the broker and this script."""

    def __init__(self, pg_data: Path, broker_pid: int, worker_pids: list[int]) -> None:
        self.pg_data = pg_data
        self.groups = {
            "workers": lambda: worker_pids,
            "postgres": self._postgres_pids,
            "broker": lambda: [broker_pid],
            "bench": lambda: [os.getpid()],
        }

    def _postgres_pids(self) -> list[int]:
        postmaster = int((self.pg_data / "postmaster.pid").read_text().split()[0])
        pids = [postmaster]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                        pids.append(int(entry.name))
        return pids

    @staticmethod
    def _cpu_s(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0  # a backend that ended in between: its time is lost, a small undercount
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def read(self) -> dict[str, float]:
        return {name: sum(self._cpu_s(pid) for pid in pids()) for name, pids in self.groups.items()}

    @staticmethod
    def used(before: dict[str, float], after: dict[str, float], per: int) -> dict[str, float]:
        """CPU seconds per 100,000 readings (``per`` readings done) by group."""
        return {name: (after[name] - before[name]) * 100_000 / per for name in before}


# --- data ------------------------------------------------------------------------------------


def register(enterprises: int, probes: int) -> tuple[dict[str, list[str]], list[str], str]:
    """Park, enterprises, one unit each, 100 level points each and ``probes`` alarm probes, via services."""
    from chempark.core.actors import SYSTEM
    from chempark.monitoring.config_services import point_create
    from chempark.park.demo import demo_uscc
    from chempark.park.services import registry_create

    square = {
        "type": "Polygon",
        "coordinates": [[[118.1, 39.1], [118.3, 39.1], [118.3, 39.3], [118.1, 39.3], [118.1, 39.1]]],
    }
    park = registry_create(actor=SYSTEM, kind="park", values={"name": "基准园区", "address": "", "boundary": square})
    codes: dict[str, list[str]] = {}
    for index in range(enterprises):
        uscc = demo_uscc(index + 1)
        enterprise = registry_create(
            actor=SYSTEM,
            kind="enterprise",
            values={
                "park": park.pk,
                "name": f"基准企业 {index}",
                "uscc": uscc,
                "kind": "production",
                "industry": "化工",
                "address": "",
                "lon": 118.2,
                "lat": 39.2,
                "legal_representative": "",
                "safety_contact": "",
                "safety_phone": "",
                "employees": 100,
                "status": "operating",
            },
        )
        unit = registry_create(
            actor=SYSTEM,
            kind="unit",
            values={
                "enterprise": enterprise.pk,
                "code": "U01",
                "name": "装置",
                "kind": "production",
                "lon": 118.2,
                "lat": 39.2,
                "description": "",
            },
        )
        codes[uscc] = []
        count = POINTS_PER_ENTERPRISE + (probes if index == 0 else 0)
        for number in range(count):
            probe = index == 0 and number >= POINTS_PER_ENTERPRISE
            code = f"PROBE-{number - POINTS_PER_ENTERPRISE}" if probe else f"LT-{number:03d}"
            point_create(
                actor=SYSTEM,
                values={
                    "enterprise": enterprise.pk,
                    "unit": unit.pk,
                    "code": code,
                    "name": code,
                    "kind": "level",
                    "unit_of_measure": "m",
                    "range_min": 0.0,
                    "range_max": 10.0,
                    "l": 1.0,
                    "h": 8.0,
                    "hh": 9.0,
                    "deadband": 0.2,
                    "lon": 118.2,
                    "lat": 39.2,
                },
            )
            if not probe:
                codes[uscc].append(code)
    probe_codes = [f"PROBE-{i}" for i in range(probes)]
    return codes, probe_codes, demo_uscc(1)


def messages(codes: dict[str, list[str]], total: int, per_message: int, base_ms: int) -> list[tuple[str, bytes]]:
    """``total`` readings in messages of ``per_message``; (point, ts) unique from ``base_ms`` on."""
    out: list[tuple[str, bytes]] = []
    usccs = list(codes)
    step = 0
    made = 0
    while made < total:
        for uscc in usccs:
            points = codes[uscc]
            for start in range(0, len(points), per_message):
                chunk = points[start : start + per_message]
                ts = base_ms + step * 1000
                body = ",".join(
                    f'{{"point":"{c}","ts":{ts},"value":{5.0 + (hash((c, step)) % 100) / 100:.2f}}}' for c in chunk
                )
                out.append((f"chempark/{uscc}/readings", ('{"readings":[' + body + "]}").encode()))
                made += len(chunk)
                if made >= total:
                    return out
        step += 1
    return out


# --- processes -------------------------------------------------------------------------------


class Worker:
    def __init__(self, url: str, port: int, log: Path, client_id: str, *, share: int = 0, shares: int = 1) -> None:
        env = dict(os.environ, CHEMPARK_DATABASE_URL=url)
        self.log = log
        self.process = subprocess.Popen(
            [
                CHEMPARK,
                "ingest",
                "--url",
                f"mqtt://127.0.0.1:{port}",
                "--client-id",
                client_id,
                "--batch-messages",
                "200",
                "--shares",
                str(shares),
                "--share",
                str(share),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        deadline = time.monotonic() + 60
        while "connected to" not in log.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"worker did not connect: {log.read_text()}")
            time.sleep(0.1)
        time.sleep(1.0)  # subscribed right after CONNACK

    def rss_mib(self) -> tuple[float, float]:
        status = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        value = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}
        return value["VmRSS"] / 1024, value["VmHWM"] / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def publisher(port: int) -> Any:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{time.monotonic_ns()}")
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def publish_all(client: Any, batch: list[tuple[str, bytes]]) -> None:
    infos = [client.publish(topic, payload, qos=1) for topic, payload in batch]
    for info in infos:
        info.wait_for_publish(timeout=120)


def count_readings(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0])


def wait_for_count(conn: Any, target: int, timeout_s: float = 600) -> float:
    deadline = time.monotonic() + timeout_s
    while True:
        if count_readings(conn) >= target:
            return time.perf_counter()
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {count_readings(conn)} of {target} readings stored")
        time.sleep(0.05)


# --- cases -----------------------------------------------------------------------------------


def pipeline_rate(
    port: int,
    conn: Any,
    batch: list[tuple[str, bytes]],
    readings: int,
    *,
    cpu: dict[str, list[dict[str, float]]] | None = None,
    meter: CpuMeter | None = None,
) -> float:
    client = publisher(port)
    try:
        before = count_readings(conn)
        cpu_before = meter.read() if meter else None
        start = time.perf_counter()
        publish_all(client, batch)
        end = wait_for_count(conn, before + readings)
        if meter and cpu_before and cpu is not None:
            cpu.setdefault("pipeline", []).append(CpuMeter.used(cpu_before, meter.read(), readings))
        return readings / (end - start)
    finally:
        client.loop_stop()
        client.disconnect()


def broker_rate(port: int, batch: list[tuple[str, bytes]], readings: int) -> float:
    """The same messages, on a topic the worker does not read, to a subscriber that discards them."""
    script = (
        "import sys, time, threading\n"
        "import paho.mqtt.client as mqtt\n"
        "from paho.mqtt.enums import CallbackAPIVersion\n"
        "n = int(sys.argv[2]); seen = [0]; done = threading.Event()\n"
        "def on_message(c, u, m):\n"
        "    seen[0] += 1\n"
        "    if seen[0] == n: done.set()\n"
        "c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id='bench-sink')\n"
        "c.on_message = on_message\n"
        "c.connect('127.0.0.1', int(sys.argv[1])); c.subscribe('raw/+/readings', qos=1); c.loop_start()\n"
        "time.sleep(1); print('ready', flush=True); done.wait(600); print(time.time(), flush=True)\n"
    )
    sink = subprocess.Popen(
        [sys.executable, "-c", script, str(port), str(len(batch))], stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == "ready"
    client = publisher(port)
    try:
        start = time.time()
        publish_all(client, [("raw" + topic[len("chempark") :], payload) for topic, payload in batch])
        end = float(sink.stdout.readline())
        sink.wait(timeout=30)
        return readings / (end - start)
    finally:
        client.loop_stop()
        client.disconnect()


def copy_rate(
    conn: Any,
    point_ids: list[int],
    readings: int,
    base_ms: int,
    *,
    cpu: dict[str, list[dict[str, float]]],
    meter: CpuMeter,
) -> float:
    rows = [(point_ids[i % len(point_ids)], base_ms + (i // len(point_ids)) * 1000, 5.0) for i in range(readings)]
    cpu_before = meter.read()
    start = time.perf_counter()
    with (
        conn.transaction(),
        conn.cursor() as cursor,
        cursor.copy("COPY monitoring_reading (point_id, ts_ms, value) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    rate = readings / (time.perf_counter() - start)
    cpu.setdefault("copy", []).append(CpuMeter.used(cpu_before, meter.read(), readings))
    return rate


def latency(
    port: int, conn: Any, codes: dict[str, list[str]], *, probe_uscc: str, probes: list[str], rate: int, seconds: float
) -> list[float]:
    """Publish ``rate`` readings/s in messages of 100 for ``seconds``; ten times a second one message
    carries a probe reading above HH. A reader polls the alarm table every 2 ms and notes when each
    probe's alarm is visible: latency = visible − publish time (the reading's ts)."""
    seen: dict[int, float] = {}
    stop = threading.Event()

    def poll() -> None:
        import psycopg

        with psycopg.connect(conn.info.dsn, autocommit=True) as reader:
            last = 0
            while not stop.is_set():
                for alarm_id, raised_ms in reader.execute(
                    "SELECT id, raised_ms FROM monitoring_alarm WHERE id > %s ORDER BY id", (last,)
                ).fetchall():
                    seen[raised_ms] = time.time() * 1000 - raised_ms
                    last = alarm_id
                time.sleep(0.002)

    reader = threading.Thread(target=poll)
    reader.start()
    client = publisher(port)
    usccs = list(codes)
    per_s = rate // 100
    probe_every = max(1, per_s // 10)
    sent_probes = 0
    start = time.perf_counter()
    step = 0
    try:
        while time.perf_counter() - start < seconds:
            now_ms = int(time.time() * 1000)
            tick = time.perf_counter()
            for k in range(per_s):
                probe = k % probe_every == 0 and sent_probes < len(probes)
                uscc = probe_uscc if probe else usccs[k % len(usccs)]
                ts = now_ms - 60_000 + step  # unique per point; the probe is stamped at publish time
                body = [f'{{"point":"{c}","ts":{ts},"value":5.0}}' for c in codes[uscc][: 99 if probe else 100]]
                if probe:
                    body.append(f'{{"point":"{probes[sent_probes]}","ts":{int(time.time() * 1000)},"value":9.5}}')
                    sent_probes += 1
                client.publish(f"chempark/{uscc}/readings", ('{"readings":[' + ",".join(body) + "]}").encode(), qos=1)
                step += 1
                pause = tick + (k + 1) / per_s - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
        deadline = time.monotonic() + 30
        while len(seen) < sent_probes and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        reader.join()
        client.loop_stop()
        client.disconnect()
    return sorted(seen.values())


def add_points(url: str, total: int) -> None:
    """Register points up to ``total`` in bulk (the service path would take an hour for 440,000)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        existing = int(conn.execute("SELECT count(*) FROM monitoring_point").fetchone()[0])
        template = conn.execute("SELECT * FROM monitoring_point ORDER BY id LIMIT 1").fetchone()
        columns = [d.name for d in conn.execute("SELECT * FROM monitoring_point LIMIT 0").description or []]
        keep = [c for c in columns if c != "id"]
        code_at = keep.index("code")
        values = [template[columns.index(c)] for c in keep]
        with conn.cursor() as cursor, cursor.copy(f"COPY monitoring_point ({', '.join(keep)}) FROM STDIN") as copy:
            for number in range(total - existing):
                values[code_at] = f"BULK-{number:06d}"
                copy.write_row(values)


@contextlib.contextmanager
def environment(work: Path) -> Iterator[tuple[str, Mosquitto]]:
    pg = Postgres(work / "pg")
    (work / "pg").mkdir()
    broker = Mosquitto(work, extra="max_inflight_messages 1000\n")
    try:
        url = pg.start()
        broker.start()
        yield url, broker
    finally:
        broker.stop()
        pg.stop()


def main() -> None:  # noqa: PLR0915 - one linear script of measurements
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--readings", type=int, default=300_000, help="readings per batched throughput run")
    parser.add_argument("--single", type=int, default=20_000, help="readings per one-per-message run")
    parser.add_argument("--enterprises", type=int, default=10)
    parser.add_argument("--latency-s", type=float, default=10.0)
    parser.add_argument("--rss-points", type=int, default=440_000)
    parser.add_argument("--workers", type=int, default=1, help="ingest workers splitting the enterprises")
    args = parser.parse_args()
    print(f"machine: {machine()}; date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    work = Path(tempfile.mkdtemp(prefix="chempark-bench-"))
    os.chmod(work, 0o755)
    try:
        with environment(work) as (url, broker):
            os.environ["CHEMPARK_DATABASE_URL"] = url
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
            subprocess.run([CHEMPARK, "migrate", "-v", "0"], check=True, env=dict(os.environ))
            import django

            django.setup()
            import psycopg

            probes_n = int(args.latency_s * 10) + 10
            codes, probes, probe_uscc = register(args.enterprises, probes_n)
            from django.db import connections

            connections.close_all()
            conn = psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)
            point_ids = [row[0] for row in conn.execute("SELECT id FROM monitoring_point WHERE code LIKE 'LT-%'")]
            workers = [
                Worker(url, broker.port, work / f"worker{k}.log", f"bench-ingest-{k}", share=k, shares=args.workers)
                for k in range(args.workers)
            ]
            base = int(time.time() * 1000) - 20 * 86_400_000
            results: dict[str, list[float]] = {"batched": [], "single": [], "broker": [], "copy": []}
            assert broker.process is not None
            meter = CpuMeter(work / "pg" / "data", broker.process.pid, [w.process.pid for w in workers])
            cpu: dict[str, list[dict[str, float]]] = {}
            for repeat in range(args.repeats):
                offset = base + repeat * 3 * 86_400_000
                batch = messages(codes, args.readings, 100, offset)
                results["broker"].append(broker_rate(broker.port, batch, args.readings))
                results["batched"].append(pipeline_rate(broker.port, conn, batch, args.readings, cpu=cpu, meter=meter))
                results["copy"].append(
                    copy_rate(conn, point_ids, args.readings, offset + 86_400_000, cpu=cpu, meter=meter)
                )
                single = messages(codes, args.single, 1, offset + 2 * 86_400_000)
                results["single"].append(pipeline_rate(broker.port, conn, single, args.single))
                print(
                    f"repeat {repeat + 1}: " + ", ".join(f"{k} {v[-1]:,.0f}/s" for k, v in results.items()), flush=True
                )
            med = {k: statistics.median(v) for k, v in results.items()}
            limit = min(med["broker"], med["copy"])
            ratios = [
                b / min(r, c) for b, r, c in zip(results["batched"], results["broker"], results["copy"], strict=True)
            ]
            print(
                f"(a) batched 100/message: median {med['batched']:,.0f} readings/s "
                f"(runs {', '.join(f'{v:,.0f}' for v in results['batched'])})"
            )
            print(f"(a) one reading/message: median {med['single']:,.0f} readings/s")
            print(
                f"(b) broker to discarding subscriber: median {med['broker']:,.0f} readings/s; "
                f"bare COPY: median {med['copy']:,.0f} rows/s; slower limit {limit:,.0f}/s; "
                f"pipeline/limit median of per-run ratios {statistics.median(ratios):.2f} "
                f"(ratio of medians {med['batched'] / limit:.2f})"
            )
            for case, runs in cpu.items():
                groups = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
                print(
                    f"(b) CPU seconds per 100,000 readings, {case}: "
                    + ", ".join(f"{name} {value:.2f}" for name, value in groups.items())
                    + f"; total {sum(groups.values()):.2f}"
                )
            lat = latency(
                broker.port, conn, codes, probe_uscc=probe_uscc, probes=probes, rate=10_000, seconds=args.latency_s
            )
            if lat:
                p50 = lat[len(lat) // 2]
                p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
                print(
                    f"(c) publish-to-alarm at 10,000 readings/s: n={len(lat)} p50 {p50:.0f} ms, "
                    f"p99 {p99:.0f} ms, max {lat[-1]:.0f} ms"
                )
            else:
                print("(c) no probe alarm seen")
            registered = int(conn.execute("SELECT count(*) FROM monitoring_point").fetchone()[0])
            for k, worker in enumerate(workers):
                rss, hwm = worker.rss_mib()
                print(f"(d) worker {k} with {registered:,} points: RSS {rss:.0f} MiB (peak {hwm:.0f} MiB)")
                worker.stop()
            if args.rss_points > registered:
                add_points(url, args.rss_points)
                big = Worker(url, broker.port, work / "worker-big.log", "bench-ingest-big")
                # In the past (a reading more than 5 minutes ahead of the clock is refused), and after
                # every repeat's readings, so that the points' alarm states evaluate them.
                batch = messages(codes, 20_000, 100, base + 18 * 86_400_000)
                first = pipeline_rate(broker.port, conn, batch, 20_000)
                time.sleep(6)  # past the point index's refresh interval, then once more
                second = pipeline_rate(broker.port, conn, messages(codes, 20_000, 100, base + 19 * 86_400_000), 20_000)
                rss, hwm = big.rss_mib()
                print(
                    f"(d) worker with {args.rss_points:,} points: RSS {rss:.0f} MiB (peak {hwm:.0f} MiB); "
                    f"20,000 readings at {first:,.0f} readings/s (first, includes the index build), "
                    f"then {second:,.0f} readings/s"
                )
                big.stop()
            conn.close()
            print(json.dumps({k: [round(x) for x in v] for k, v in results.items()}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
