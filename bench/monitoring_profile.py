"""Profile of one ingest service call: 100 messages × 100 readings against the configured database.

    CHEMPARK_DATABASE_URL=postgres://… .venv/bin/python bench/monitoring_profile.py [--batches 10] [--points 0]

Migrates the database, registers 10 enterprises × 100 level points (once), then times
``ingest_messages`` per batch and prints cProfile's top functions over the batches after the first.
``--points N`` adds bulk points up to N first and times a rebuild of the point index.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--points", type=int, default=0)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    subprocess.run([str(ROOT / ".venv/bin/chempark"), "migrate", "-v", "0"], check=True)
    import django

    django.setup()
    from chempark.monitoring import point_index
    from chempark.monitoring.ingest.worker import WORKER, to_incoming
    from chempark.monitoring.models import Point, Transport
    from chempark.monitoring.services import ingest_messages
    from chempark.park.demo import demo_uscc
    from monitoring_ingest_bench import add_points, messages, register

    if not Point.objects.filter(code="LT-000").exists():
        register(10, 0)
    codes = {demo_uscc(i + 1): [f"LT-{n:03d}" for n in range(100)] for i in range(10)}
    if args.points:
        add_points(os.environ["CHEMPARK_DATABASE_URL"], args.points)
        started = time.perf_counter()
        point_index.invalidate()
        point_index.current()
        print(f"point index rebuild with {Point.objects.count():,} points: {time.perf_counter() - started:.2f} s")
    # later on every run (10 s of data time per wall second), so that readings are new to the points
    base = int(time.time() * 1000) - 12 * 86_400_000 + int(time.time()) % 86_400 * 10_000
    usccs = point_index.current().usccs
    profile = cProfile.Profile()
    times = []
    for number in range(args.batches):
        batch = messages(codes, 10_000, 100, base + number * 20_000)
        incoming = [to_incoming(t, p, usccs) for t, p in batch]
        if number:
            profile.enable()
        started = time.perf_counter()
        ingest_messages(actor=WORKER, messages=incoming, transport=Transport.MQTT)
        times.append(time.perf_counter() - started)
        if number:
            profile.disable()
    print("per batch of 10,000 readings (s):", ", ".join(f"{t:.3f}" for t in times))
    print(
        f"median after the first {statistics.median(times[1:]):.3f} s "
        f"= {10_000 / statistics.median(times[1:]):,.0f} readings/s in-process"
    )
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
