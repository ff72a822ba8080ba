"""Rules-engine throughput: positions per second with 2,000 vehicles and 500 fences and corridors,
against a bare shapely STRtree point-in-polygon query on the same fences and points, measured in
the same run (the raw limit the engine builds on).

Usage: python bench/tracking_rules_bench.py [--repeats 5] [--fixes-per-vehicle 50] [--batches 4]

The park is synthetic: a 12 km × 12 km square around the demo park's centre, 200 straight corridors
(200–3000 m long, 20–60 m wide), 300 polygon zones (forbidden, speed, loading, parking; 50–400 m
across). Vehicles drive random-walk tracks at 20–70 km/h with a fix every 10 s; a few fixes are
invalid, duplicated or jumps, as real feeds have. Each run feeds the same tracks to a fresh engine
in ``--batches`` consecutive batches (all vehicles in each); the baseline runs one STRtree query
per batch over the same points.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import shapely

from chempark.common.projection import LocalProjection
from chempark.fencing.engine import Engine
from chempark.fencing.rules import Fence, FenceKind

ORIGIN = LocalProjection(118.205, 39.203)
HALF_M = 6000.0
VEHICLES = 2000
CORRIDORS = 200
ZONES = 300


def fences(rng: np.random.Generator) -> list[Fence]:
    out: list[Fence] = []
    for i in range(CORRIDORS):
        x0, y0 = rng.uniform(-HALF_M, HALF_M, 2)
        angle, length = rng.uniform(0, np.pi), rng.uniform(200, 3000)
        x1, y1 = x0 + length * np.cos(angle), y0 + length * np.sin(angle)
        lon, lat = ORIGIN.inverse([x0, x1], [y0, y1])
        out.append(Fence(i + 1, f"route {i}", FenceKind.CORRIDOR, list(zip(lon.tolist(), lat.tolist(), strict=True)),
                         width_m=float(rng.uniform(20, 60)), speed_limit_kmh=40.0))  # fmt: skip
    kinds = [FenceKind.FORBIDDEN, FenceKind.SPEED, FenceKind.LOADING, FenceKind.PARKING]
    for i in range(ZONES):
        cx, cy = rng.uniform(-HALF_M, HALF_M, 2)
        r = rng.uniform(25, 200)
        corners = np.linspace(0, 2 * np.pi, 7)[:-1] + rng.uniform(0, 1)
        lon, lat = ORIGIN.inverse(cx + r * np.cos(corners), cy + r * np.sin(corners))
        ring = list(zip(lon.tolist(), lat.tolist(), strict=True))
        kind = kinds[i % 4]
        out.append(Fence(CORRIDORS + i + 1, f"zone {i}", kind, [*ring, ring[0]],
                         speed_limit_kmh=30.0 if kind == FenceKind.SPEED else None,
                         capacity=20 if kind == FenceKind.PARKING else None))  # fmt: skip
    return out


def tracks(rng: np.random.Generator, per_vehicle: int) -> dict[str, np.ndarray]:
    """Columns of all fixes, vehicle-major, random walks at 20–70 km/h every 10 s."""
    n = VEHICLES * per_vehicle
    speed = rng.uniform(20, 70, n)
    heading = np.cumsum(rng.normal(0, 0.3, (VEHICLES, per_vehicle)), axis=1).ravel()
    step = speed / 3.6 * 10
    dx = (step * np.sin(heading)).reshape(VEHICLES, per_vehicle)
    dy = (step * np.cos(heading)).reshape(VEHICLES, per_vehicle)
    x = (rng.uniform(-HALF_M, HALF_M, VEHICLES)[:, None] + np.cumsum(dx, axis=1)).ravel()
    y = (rng.uniform(-HALF_M, HALF_M, VEHICLES)[:, None] + np.cumsum(dy, axis=1)).ravel()
    t = (1.78e9 + np.arange(per_vehicle) * 10.0)[None, :].repeat(VEHICLES, axis=0).ravel()
    vehicle = np.arange(VEHICLES).repeat(per_vehicle)
    valid = rng.random(n) > 0.002
    jump = rng.random(n) < 0.001
    x[jump] += 50_000
    lon, lat = ORIGIN.inverse(x, y)
    return {"vehicle": vehicle, "t": t, "lon": lon, "lat": lat, "speed": speed, "valid": valid}


def batches(columns: dict[str, np.ndarray], count: int, per_vehicle: int) -> list[dict[str, np.ndarray]]:
    """Consecutive time slices, each holding every vehicle's fixes of that slice, in arrival order."""
    slot = np.tile(np.arange(per_vehicle), VEHICLES) * count // per_vehicle
    order = np.lexsort((columns["vehicle"], columns["t"]))  # arrival order: by time, vehicles interleaved
    return [{k: v[order][slot[order] == b] for k, v in columns.items()} for b in range(count)]


def run_engine(fence_list: list[Fence], parts: list[dict[str, np.ndarray]]) -> tuple[float, int]:
    engine = Engine(fence_list, ORIGIN)
    events = 0
    started = time.perf_counter()
    for part in parts:
        result = engine.process(part["vehicle"], part["t"], part["lon"], part["lat"], part["speed"], part["valid"])
        events += len(result.events)
    return time.perf_counter() - started, events


def run_baseline(fence_list: list[Fence], parts: list[dict[str, np.ndarray]]) -> float:
    """One STRtree point-in-polygon query per batch over the same (projected) fences and points."""
    engine = Engine(fence_list, ORIGIN)  # builds the same projected shapes
    tree = shapely.STRtree([engine._tree.geometries[i] for i in range(len(fence_list))])
    started = time.perf_counter()
    for part in parts:
        x, y = ORIGIN.forward(part["lon"], part["lat"])
        tree.query(shapely.points(x, y), predicate="intersects")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fixes-per-vehicle", type=int, default=50)
    parser.add_argument("--batches", type=int, default=4)
    args = parser.parse_args()
    rng = np.random.default_rng(808)
    fence_list = fences(rng)
    columns = tracks(rng, args.fixes_per_vehicle)
    parts = batches(columns, args.batches, args.fixes_per_vehicle)
    total = len(columns["t"])
    engine_s, baseline_s, events = [], [], 0
    for _ in range(args.repeats):
        baseline_s.append(run_baseline(fence_list, parts))
        seconds, events = run_engine(fence_list, parts)
        engine_s.append(seconds)
    engine_rate = total / statistics.median(engine_s)
    baseline_rate = total / statistics.median(baseline_s)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"numpy {np.__version__}, shapely {shapely.__version__}")  # fmt: skip
    print(f"{VEHICLES} vehicles, {len(fence_list)} fences ({CORRIDORS} corridors), {total} positions "
          f"in {args.batches} batches of {total // args.batches}, {args.repeats} repeats, "
          f"{events} events per run")  # fmt: skip
    for label, seconds, rate in (
        ("baseline STRtree point-in-polygon", baseline_s, baseline_rate),
        ("rules engine (filter + all rules) ", engine_s, engine_rate),
    ):
        print(f"{label}: median {statistics.median(seconds):.3f} s = {rate:,.0f} positions/s")
    print(f"engine / baseline = {engine_rate / baseline_rate:.2f}")


if __name__ == "__main__":
    main()
