"""Benchmark of the consequence models: one threat zone and a park QRA.

Run:  PYTHONPATH=src .venv/bin/python bench/consequence_bench.py
Prints medians of repeated runs and their ratio to a baseline measured in the same run (one numpy
evaluation of a Gaussian plume on the 250 × 250 grid), because the machine is shared and noisy.
Results are recorded in docs/benchmarks.md, section "Consequence models".
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from chempark.consequence import dispersion, explosion, fire, fuels, qra, zones
from chempark.consequence.qra import lethality


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plume_on_grid() -> None:
    x, y = np.meshgrid(np.linspace(1.0, 5000.0, 250), np.linspace(-2500.0, 2500.0, 250))
    dispersion.gaussian_plume_concentration_g_m3(
        1000.0, x, y, 0.0, wind_speed_m_s=3.0, release_height_m=0.0, stability="D"
    )


def threat_zone() -> None:
    profile = zones.plume_profile(1000.0, wind_speed_m_s=3.0, release_height_m=0.0, stability="D")
    zones.threat_zone(profile, 0.01)


def park_scenarios(count: int) -> list[qra.ReleaseScenario]:
    """A synthetic park: a third each of propane leaks (jet fire / flash fire / explosion), chlorine
    leaks (toxic plume) and gasoline tank fires, scattered over 1 km²."""
    propane = fuels.fuel_properties("74-98-6")
    gasoline = fuels.fuel_properties("gasoline")
    lfl = lethality.lower_flammability_limit_g_m3("74-98-6")
    rng = np.random.default_rng(2024)
    scenarios = []
    for index in range(count):
        x, y = rng.uniform(-500.0, 500.0, 2)
        if index % 3 == 0:
            outcomes = qra.flammable_outcome_tree(
                p_direct_ignition=0.2,
                p_delayed_ignition=0.5,
                direct_fire=lethality.jet_fire_lethality(fire.jet_fire(5.0, propane)),
                direct_fire_directional=False,
                flash_fire=lethality.flash_fire_lethality(5.0, lfl),
                explosion=lethality.explosion_lethality(
                    explosion.tnt_explosion(2000.0, propane.heat_of_combustion_j_kg)
                ),
            )
        elif index % 3 == 1:
            outcomes = (qra.Outcome("toxic", 1.0, lethality.toxic_plume_lethality(2.0, "7782-50-5")),)
        else:
            pool = lethality.pool_fire_lethality(fire.pool_fire(20.0, gasoline))
            outcomes = (qra.Outcome("pool_fire", 0.065, pool, directional=False),)
        scenarios.append(qra.ReleaseScenario(f"s{index}", float(x), float(y), 1e-5, outcomes))
    return scenarios


WEATHERS = [
    qra.WeatherClass(name, stability, speed, p)  # type: ignore[arg-type]  # the stability class is a checked str here, not the Literal
    for name, stability, speed, p in [
        ("B3", "B", 3.0, 0.10),
        ("D1.5", "D", 1.5, 0.10),
        ("D5", "D", 5.0, 0.35),
        ("D9", "D", 9.0, 0.10),
        ("E5", "E", 5.0, 0.15),
        ("F1.5", "F", 1.5, 0.20),
    ]
]


def main() -> None:
    repeats_fast = 50
    baseline = median_seconds(plume_on_grid, repeats_fast)
    zone = median_seconds(threat_zone, repeats_fast)
    print(f"baseline: Gaussian plume on 250x250 grid, median of {repeats_fast}: {baseline * 1e3:.2f} ms")
    print(
        f"threat zone (zones.threat_zone, plume, D 3 m/s), median of {repeats_fast}: {zone * 1e3:.2f} ms "
        f"({zone / baseline:.2f} x baseline)"
    )
    scenarios = park_scenarios(100)
    rose = qra.WindRose(
        np.array([0.04, 0.05, 0.07, 0.08, 0.09, 0.08, 0.06, 0.05, 0.05, 0.06, 0.07, 0.08, 0.07, 0.06, 0.05, 0.04])
    )
    grid = qra.Grid.covering(-2500.0, -2500.0, 2500.0, 2500.0, cells=250)
    targets = [
        qra.ProtectiveTarget("school", "high_sensitivity", 500.0, np.array([[800.0, 300.0]])),
        qra.ProtectiveTarget(
            "village",
            "general_class_2",
            80.0,
            polygon_xy_m=np.array([[-900.0, -900.0], [-600.0, -900.0], [-600.0, -600.0], [-900.0, -600.0]]),
        ),
    ]
    repeats_qra = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    grid_only = median_seconds(lambda: qra.individual_risk_grid(scenarios, WEATHERS, rose, grid), repeats_qra)
    full = median_seconds(lambda: qra.run_qra(scenarios, WEATHERS, rose, grid, targets=targets), repeats_qra)
    print(f"park QRA 100 scenarios x 6 weather x 16 directions, 250x250 grid, median of {repeats_qra}:")
    print(f"  individual-risk grid: {grid_only:.2f} s ({grid_only / baseline:.0f} x baseline)")
    print(f"  run_qra with contours, 2 targets, F-N: {full:.2f} s ({full / baseline:.0f} x baseline)")


if __name__ == "__main__":
    main()
