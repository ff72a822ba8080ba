"""Throughput of the pure monitoring cores: batch parsing and the alarm step.

Run: ``.venv/bin/python bench/monitoring_core_bench.py [--repeats N]``. Prints the median of N
timed repeats per case, in readings (or evaluations) per second, single core. Targets
(pure Python): parse + validate ≥ 300,000 readings/s, alarm step on the no-change path
≥ 500,000 evaluations/s.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import orjson

from chempark.monitoring.alarm_rules import AlarmState, PointConfig, Severity, Threshold, evaluate
from chempark.monitoring.ingest.payload import PointRef, Reading, datetime_to_ms, parse_batch

POINTS = 2_000
BATCH = 500
BATCHES = 40  # 20,000 readings per repeat
ENTERPRISE = 1


def median_rate(work: Callable[[], int], repeats: int) -> float:
    """Median of ``repeats`` timings of ``work`` (which returns how many items it processed)."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        count = work()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def make_batches(now_ms: int, iso: bool) -> list[bytes]:
    batches = []
    for b in range(BATCHES):
        readings = []
        for i in range(BATCH):
            n = b * BATCH + i
            ts_ms = now_ms - 60_000 + (n // POINTS) * 1000
            ts: object = datetime.fromtimestamp(ts_ms / 1000, UTC).isoformat() if iso else ts_ms
            readings.append({"point": f"PT-{n % POINTS:04d}", "ts": ts, "value": 20.0 + (n % 97) * 0.1})
        batches.append(orjson.dumps({"readings": readings}))
    return batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats

    now = datetime.now(UTC)
    now_ms = datetime_to_ms(now)
    lookup = {f"PT-{i:04d}": PointRef(i, ENTERPRISE) for i in range(POINTS)}.get
    config = PointConfig(
        range_min=0.0,
        range_max=100.0,
        ll=Threshold(2.0, Severity.CRITICAL),
        l=Threshold(5.0, Severity.MAJOR),
        h=Threshold(80.0, Severity.MAJOR),
        hh=Threshold(90.0, Severity.CRITICAL),
        on_delay_s=5.0,
        deadband=1.0,
    )
    configs = dict.fromkeys(range(POINTS), config)

    def parse_all(batches: list[bytes]) -> Callable[[], int]:
        def work() -> int:
            total = 0
            for raw in batches:
                total += len(parse_batch(raw, enterprise_id=ENTERPRISE, now=now, lookup=lookup).accepted)
            return total

        return work

    epoch_batches = make_batches(now_ms, iso=False)
    iso_batches = make_batches(now_ms, iso=True)
    readings = [r for raw in epoch_batches for r in parse_batch(raw, enterprise_id=1, now=now, lookup=lookup).accepted]

    def evaluate_bare() -> int:
        state = AlarmState.start(0)
        for reading in readings:
            state, _ = evaluate(config, state, reading)
        return len(readings)

    def evaluate_per_point() -> int:
        # As the ingest worker does it: config and state looked up and stored per point.
        states = {i: AlarmState.start(0) for i in range(POINTS)}
        for reading in readings:
            point_id = reading.point_id
            states[point_id], _events = evaluate(configs[point_id], states[point_id], reading)
        return len(readings)

    in_alarm = [Reading(r.point_id, r.ts_ms, 85.0 + (r.ts_ms % 3)) for r in readings]

    def evaluate_in_alarm() -> int:
        states = {i: AlarmState.start(0) for i in range(POINTS)}
        for reading in in_alarm:
            point_id = reading.point_id
            states[point_id], _events = evaluate(configs[point_id], states[point_id], reading)
        return len(in_alarm)

    def end_to_end() -> int:
        states = {i: AlarmState.start(0) for i in range(POINTS)}
        total = 0
        for raw in epoch_batches:
            for reading in parse_batch(raw, enterprise_id=ENTERPRISE, now=now, lookup=lookup).accepted:
                point_id = reading.point_id
                states[point_id], _events = evaluate(configs[point_id], states[point_id], reading)
                total += 1
        return total

    print(f"python {platform.python_version()} on {platform.machine()}, median of {repeats} repeats")
    cases: list[tuple[str, Callable[[], int], str]] = [
        ("parse_batch, epoch ms timestamps", parse_all(epoch_batches), "readings/s"),
        ("parse_batch, ISO 8601 timestamps", parse_all(iso_batches), "readings/s"),
        ("evaluate, no-change path, one point", evaluate_bare, "evaluations/s"),
        ("evaluate, no-change path, 2,000 points", evaluate_per_point, "evaluations/s"),
        ("evaluate, every point in alarm (H band)", evaluate_in_alarm, "evaluations/s"),
        ("parse + evaluate end to end, epoch ms", end_to_end, "readings/s"),
    ]
    for name, work, unit in cases:
        print(f"{name:<45} {median_rate(work, repeats):>12,.0f} {unit}")


if __name__ == "__main__":
    main()
