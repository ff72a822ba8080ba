"""Simulated readings: deterministic, realistic in range, and eventful enough to exercise alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice, pairwise

import pytest

from chempark.monitoring.simulation import PointKind, SimPoint, simulate

START = datetime(2025, 6, 1, 0, 0, tzinfo=UTC)  # 08:00 in the park
STEP_S = 60.0
DAY_STEPS = 24 * 60

TANK = SimPoint("LT-101", PointKind.LEVEL, 0.0, 100.0, high=80.0, low=10.0, excursion_every_s=4 * 3600)
REACTOR_T = SimPoint("TT-102", PointKind.TEMPERATURE, -20.0, 200.0, high=120.0, excursion_every_s=4 * 3600)
VESSEL_P = SimPoint("PT-103", PointKind.PRESSURE, 0.0, 2.5, high=1.6, excursion_every_s=10**9)
FEED_F = SimPoint("FT-104", PointKind.FLOW, 0.0, 50.0, high=40.0, low=5.0)
PURITY = SimPoint("AT-105", PointKind.COMPOSITION, 90.0, 100.0, low=98.0)
GAS = SimPoint("GD-301", PointKind.GAS_LEL, 0.0, 100.0, high=25.0, excursion_every_s=3 * 3600)
TOXIC = SimPoint("GD-302", PointKind.GAS_PPM, 0.0, 100.0, high=10.0, excursion_every_s=3 * 3600)
POINTS = [TANK, REACTOR_T, VESSEL_P, FEED_F, PURITY, GAS, TOXIC]


def run(points: list[SimPoint], steps: int, seed: int = 7) -> list[tuple[datetime, list[tuple[str, float]]]]:
    return list(islice(simulate(points, START, STEP_S, seed), steps))


def series(batches: list[tuple[datetime, list[tuple[str, float]]]], code: str) -> list[float]:
    return [value for _, batch in batches for c, value in batch if c == code]


@pytest.fixture(scope="module")
def day() -> list[tuple[datetime, list[tuple[str, float]]]]:
    return run(POINTS, DAY_STEPS)


def test_same_seed_same_readings(day: list[tuple[datetime, list[tuple[str, float]]]]) -> None:
    assert run(POINTS, DAY_STEPS) == day
    assert run(POINTS, 200, seed=8) != day[:200]


def test_adding_a_point_does_not_change_the_others(
    day: list[tuple[datetime, list[tuple[str, float]]]],
) -> None:
    fewer = run([TANK, GAS], DAY_STEPS)
    assert series(fewer, "GD-301") == series(day, "GD-301")


def test_timestamps_advance_by_the_step(day: list[tuple[datetime, list[tuple[str, float]]]]) -> None:
    assert day[0][0] == START
    assert day[-1][0] == START + timedelta(seconds=STEP_S * (DAY_STEPS - 1))


def test_values_stay_in_the_physical_range(day: list[tuple[datetime, list[tuple[str, float]]]]) -> None:
    for point in POINTS:
        values = series(day, point.code)
        assert values
        assert all(point.range_min <= v <= point.range_max for v in values), point.code


def test_excursions_pass_the_high_threshold(day: list[tuple[datetime, list[tuple[str, float]]]]) -> None:
    for point in (TANK, REACTOR_T):
        values = series(day, point.code)
        assert point.high is not None
        beyond = sum(v >= point.high for v in values)
        assert 0 < beyond < len(values) // 3, point.code  # occasional, not the normal state


def test_gas_leak_rises_past_the_alarm_and_falls_back(
    day: list[tuple[datetime, list[tuple[str, float]]]],
) -> None:
    values = series(day, "GD-301")
    peak_at = max(range(len(values)), key=values.__getitem__)
    assert values[peak_at] > 25.0
    assert sorted(values)[len(values) // 2] < 3.0  # mostly clean air
    assert min(values[peak_at:]) < 5.0  # the cloud disperses


def test_pressure_follows_the_daily_temperature_cycle() -> None:
    batches = run([VESSEL_P], DAY_STEPS)
    by_hour: dict[int, list[float]] = {}
    for moment, batch in batches:
        local_hour = (moment.hour + 8) % 24
        by_hour.setdefault(local_hour, []).extend(v for _, v in batch)
    mean = {hour: sum(v) / len(v) for hour, v in by_hour.items() if v}
    assert mean[14] > mean[2]


def test_tank_fills_and_empties() -> None:
    quiet_tank = SimPoint("LT-102", PointKind.LEVEL, 0.0, 100.0, high=80.0, low=10.0, excursion_every_s=10**9)
    values = series(run([quiet_tank], 2 * DAY_STEPS, seed=3), "LT-102")
    hourly = [sum(values[i : i + 60]) / 60 for i in range(0, len(values) - 59, 60)]
    changes = [b - a for a, b in pairwise(hourly)]
    assert any(c > 5 for c in changes)  # filling
    assert any(c < -5 for c in changes)  # emptying
    assert min(values) > 10.0  # between L and H without excursions
    assert max(values) < 80.0


def test_sensors_drop_out() -> None:
    flaky = SimPoint("TT-900", PointKind.TEMPERATURE, 0.0, 100.0, dropout_every_s=3600)
    batches = run([flaky], DAY_STEPS)
    present = sum(1 for _, batch in batches if batch)
    assert DAY_STEPS * 0.5 < present < DAY_STEPS


def test_faults_only_when_asked() -> None:
    faulty = SimPoint("PT-901", PointKind.PRESSURE, 0.0, 10.0, fault_every_s=3600)
    values = series(run([faulty], DAY_STEPS), "PT-901")
    outside = [v for v in values if not 0.0 <= v <= 10.0]
    assert 0 < len(outside) < 60


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="aware"):
        next(simulate(POINTS, datetime(2025, 1, 1), 1.0, 0))  # noqa: DTZ001 - the naive start is the point
    with pytest.raises(ValueError, match="positive"):
        next(simulate(POINTS, START, 0.0, 0))
    with pytest.raises(ValueError, match="empty range"):
        SimPoint("X", PointKind.OTHER, 1.0, 1.0)


WIND_SPEED = SimPoint("WS-01", PointKind.WIND_SPEED, 0.0, 60.0)
WIND_DIRECTION = SimPoint("WD-01", PointKind.WIND_DIRECTION, 0.0, 360.0)


def _turn_deg(a: float, b: float) -> float:
    return abs((b - a + 180.0) % 360.0 - 180.0)


def test_wind_is_plausible_slowly_varying_and_repeatable() -> None:
    days = run([WIND_SPEED, WIND_DIRECTION], 3 * DAY_STEPS, seed=5)
    speed, direction = series(days, "WS-01"), series(days, "WD-01")
    assert len(speed) > 2 * DAY_STEPS and len(direction) > 2 * DAY_STEPS  # allowing for dropouts
    assert all(0.0 <= v <= 15.0 for v in speed)
    assert all(0.0 <= v <= 360.0 for v in direction)
    assert 2.5 < sum(speed) / len(speed) < 4.5
    # it changes over tens of minutes: minute to minute a little, across a day a lot
    steps = [_turn_deg(a, b) for a, b in pairwise(direction)]
    assert sorted(steps)[int(0.95 * len(steps))] < 20.0
    assert max(_turn_deg(direction[0], d) for d in direction) > 45.0
    assert sorted(abs(b - a) for a, b in pairwise(speed))[int(0.95 * len(speed))] < 1.5
    assert max(speed) - min(speed) > 3.0
    assert run([WIND_SPEED, WIND_DIRECTION], 200, seed=5) == days[:200]
    assert run([WIND_SPEED, WIND_DIRECTION], 200, seed=6) != days[:200]
