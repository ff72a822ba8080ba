"""Deterministic, realistic readings for demos, load tests and alarm-rule checks.

``chempark simulate`` publishes what :func:`simulate` yields, so a park without real gateways
still shows tanks filling and emptying, a daily temperature cycle, pressure following it,
excursions past the H threshold, a gas leak rising and decaying on a detector, a wind that veers
and freshens slowly, sensors that drop out for a while and — when asked — faulty out-of-range values
that must raise "data abnormal".

Each point draws from its own random stream seeded with ``(seed, code)``, so adding a point to
the list does not change the readings of the others, and the same seed always gives the same run.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

__all__ = ["PointKind", "SimPoint", "simulate"]

_CST_HOURS: Final = 8  # the daily cycle follows China Standard Time
_AMBIENT_MEAN_C: Final = 22.0
_AMBIENT_SWING_C: Final = 6.0
_NOISE_OF_SPAN: Final = 0.004


class PointKind(StrEnum):
    """Kinds of monitoring point (same values as the platform's point model)."""

    LEVEL = "level"
    TEMPERATURE = "temperature"
    PRESSURE = "pressure"
    FLOW = "flow"
    COMPOSITION = "composition"
    GAS_LEL = "gas_lel"
    GAS_PPM = "gas_ppm"
    OTHER = "other"
    WIND_SPEED = "wind_speed"
    WIND_DIRECTION = "wind_direction"


GAS_KINDS: Final = frozenset({PointKind.GAS_LEL, PointKind.GAS_PPM})
WIND_KINDS: Final = frozenset({PointKind.WIND_SPEED, PointKind.WIND_DIRECTION})
# The park's wind (a coastal site): a mean of 3.5 m/s, 1 m/s stronger in the afternoon, wandering
# around a prevailing easterly. Both wander as Ornstein–Uhlenbeck processes: each step pulls back
# towards the mean with time constant tau, so the wind changes over tens of minutes, not per step.
_WIND_MEAN_M_S: Final = 3.5
_WIND_DAILY_SWING_M_S: Final = 1.0
_WIND_SPEED_SD_M_S: Final = 1.2
_WIND_SPEED_TAU_S: Final = 1800.0
_WIND_GUST_SD_M_S: Final = 0.3
_WIND_PREVAILING_FROM_DEG: Final = 100.0
_WIND_DIRECTION_SD_DEG: Final = 35.0
_WIND_DIRECTION_TAU_S: Final = 3600.0
_WIND_VANE_SD_DEG: Final = 4.0


@dataclass(frozen=True, slots=True)
class SimPoint:
    """A point to simulate: its physical range, its H/L thresholds, how often things happen.

    Mean intervals are in seconds of simulated time (events follow a Poisson process);
    ``fault_every_s`` None means the sensor never reports an out-of-range value.
    """

    code: str
    kind: PointKind
    range_min: float
    range_max: float
    high: float | None = None
    low: float | None = None
    excursion_every_s: float = 6 * 3600.0
    dropout_every_s: float = 8 * 3600.0
    fault_every_s: float | None = None

    def __post_init__(self) -> None:
        if not self.range_min < self.range_max:
            raise ValueError(f"{self.code}: empty range")


@dataclass(slots=True)
class _Episode:
    """An excursion or leak: ramp up, hold, ramp down towards ``target`` (trapezoid envelope)."""

    start_s: float
    rise_s: float
    hold_s: float
    fall_s: float
    target: float

    @property
    def end_s(self) -> float:
        return self.start_s + self.rise_s + self.hold_s + self.fall_s

    def weight(self, t_s: float) -> float:
        elapsed = t_s - self.start_s
        if elapsed < 0 or t_s >= self.end_s:
            return 0.0
        if elapsed < self.rise_s:
            return elapsed / self.rise_s
        if elapsed < self.rise_s + self.hold_s:
            return 1.0
        return 1.0 - (elapsed - self.rise_s - self.hold_s) / self.fall_s


class _PointSimulator:
    """Mutable per-point generator state; only :func:`simulate` drives it, in time order."""

    def __init__(self, point: SimPoint, seed: int) -> None:
        self.point = point
        # String seeds are hashed with SHA-512 by ``random``: stable across runs and processes.
        self.rng = random.Random(f"{seed}:{point.code}")  # noqa: S311 - simulation, not security
        span = point.range_max - point.range_min
        self.span = span
        self.band_low = point.low if point.low is not None else point.range_min + 0.1 * span
        self.band_high = point.high if point.high is not None else point.range_max - 0.1 * span
        self.center = (self.band_low + self.band_high) / 2
        self.half = (self.band_high - self.band_low) / 2
        self.noise = _NOISE_OF_SPAN * span
        self.episode: _Episode | None = None
        self.next_episode_s = self._after(0.0, point.excursion_every_s)
        self.dropout_until_s = -1.0
        self.next_dropout_s = self._after(0.0, point.dropout_every_s)
        self.next_fault_s = math.inf if point.fault_every_s is None else self._after(0.0, point.fault_every_s)
        # tank level: fraction of the normal band, direction and rate (fraction per second)
        self.fill = self.rng.uniform(0.2, 0.8)
        self.fill_rate = self._new_fill_rate(1.0)
        self.drift = 0.0
        # the wind's slow part: deviation from its mean (drawn only for wind points, so the other
        # points' streams stay what they were)
        self.wind_deviation = 0.0
        if point.kind is PointKind.WIND_SPEED:
            self.wind_deviation = self.rng.gauss(0.0, _WIND_SPEED_SD_M_S)
        elif point.kind is PointKind.WIND_DIRECTION:
            self.wind_deviation = self.rng.gauss(0.0, _WIND_DIRECTION_SD_DEG)

    def _after(self, now_s: float, mean_s: float) -> float:
        return now_s + self.rng.expovariate(1.0 / mean_s)

    def _new_fill_rate(self, direction: float) -> float:
        return direction / self.rng.uniform(2 * 3600.0, 5 * 3600.0)

    def reading(self, t_s: float, local_hour: float, step_s: float) -> float | None:
        """The value at ``t_s`` seconds into the run, or None while the sensor has dropped out."""
        point = self.point
        if t_s >= self.next_dropout_s:
            self.dropout_until_s = t_s + self.rng.uniform(120.0, 900.0)
            self.next_dropout_s = self._after(self.dropout_until_s, point.dropout_every_s)
        if t_s < self.dropout_until_s:
            return None
        if t_s >= self.next_fault_s:
            assert point.fault_every_s is not None  # next_fault_s is finite only when set
            self.next_fault_s = self._after(t_s, point.fault_every_s)
            outside = self.span * self.rng.uniform(0.1, 1.0)
            return round(point.range_max + outside if self.rng.random() < 0.7 else point.range_min - outside, 3)

        if point.kind in WIND_KINDS:
            return round(self._wind(local_hour, step_s), 1)
        value = self._baseline(local_hour, step_s) + self.rng.gauss(0.0, self.noise)
        value = self._apply_episode(t_s, value)
        return round(min(point.range_max, max(point.range_min, value)), 3)

    def _wind(self, local_hour: float, step_s: float) -> float:
        """Wind speed (m/s, never negative) or the direction it blows from (degrees, [0, 360))."""
        speed = self.point.kind is PointKind.WIND_SPEED
        tau, sd = (_WIND_SPEED_TAU_S, _WIND_SPEED_SD_M_S) if speed else (_WIND_DIRECTION_TAU_S, _WIND_DIRECTION_SD_DEG)
        keep = math.exp(-step_s / tau)  # exact discretisation: stationary spread sd at any step length
        self.wind_deviation = keep * self.wind_deviation + sd * math.sqrt(1.0 - keep * keep) * self.rng.gauss(0, 1)
        if speed:
            daily = _WIND_DAILY_SWING_M_S * math.sin(2 * math.pi * (local_hour - 9.0) / 24.0)  # strongest 15:00
            value = _WIND_MEAN_M_S + daily + self.wind_deviation + self.rng.gauss(0.0, _WIND_GUST_SD_M_S)
            return min(self.point.range_max, max(0.0, self.point.range_min, value))
        value = _WIND_PREVAILING_FROM_DEG + self.wind_deviation + self.rng.gauss(0.0, _WIND_VANE_SD_DEG)
        return value % 360.0

    def _baseline(self, local_hour: float, step_s: float) -> float:
        kind = self.point.kind
        ambient_delta = _AMBIENT_SWING_C * math.sin(2 * math.pi * (local_hour - 8.0) / 24.0)  # peak 14:00
        if kind is PointKind.LEVEL:
            self.fill += self.fill_rate * step_s
            if self.fill >= 0.85 or self.fill <= 0.15:  # a full tank starts emptying, an empty one filling
                self.fill = min(0.85, max(0.15, self.fill))
                self.fill_rate = self._new_fill_rate(-1.0 if self.fill >= 0.85 else 1.0)
            return self.band_low + self.fill * (self.band_high - self.band_low)
        if kind is PointKind.TEMPERATURE:
            return self.center + 0.5 * self.half * ambient_delta / _AMBIENT_SWING_C
        if kind is PointKind.PRESSURE:  # vapour pressure follows the ambient temperature cycle
            return self.center + 0.4 * self.half * ambient_delta / _AMBIENT_SWING_C
        if kind is PointKind.FLOW:  # lower throughput at night
            return self.center + (-0.4 if local_hour < 6 else 0.2) * self.half
        if kind in GAS_KINDS:
            return self.point.range_min + 0.01 * self.span
        self.drift = 0.98 * self.drift + self.rng.gauss(0.0, 0.02 * self.half)  # slow composition drift
        return self.center + self.drift

    def _apply_episode(self, t_s: float, value: float) -> float:
        if self.episode is not None and t_s >= self.episode.end_s:
            self.episode = None
            self.next_episode_s = self._after(t_s, self.point.excursion_every_s)
        if self.episode is None and t_s >= self.next_episode_s:
            self.episode = self._new_episode(t_s)
        if self.episode is None:
            return value
        weight = self.episode.weight(t_s)
        return value + weight * (self.episode.target - value)

    def _new_episode(self, t_s: float) -> _Episode:
        point, rng = self.point, self.rng
        if point.kind in GAS_KINDS:  # a leak: fast rise past the alarm level, slow dispersal
            limit = point.high if point.high is not None else point.range_min + 0.25 * self.span
            target = min(point.range_max, limit * rng.uniform(1.2, 2.0))
            return _Episode(t_s, rng.uniform(120, 300), rng.uniform(60, 240), rng.uniform(600, 1200), target)
        upward = point.low is None or rng.random() < 0.7
        if upward:
            edge = self.band_high
            target = edge + rng.uniform(0.2, 0.7) * (point.range_max - edge)
        else:
            edge = self.band_low
            target = edge - rng.uniform(0.2, 0.7) * (edge - point.range_min)
        return _Episode(t_s, rng.uniform(180, 600), rng.uniform(120, 900), rng.uniform(300, 900), target)


def simulate(
    points: Sequence[SimPoint], start: datetime, step_s: float, seed: int
) -> Iterator[tuple[datetime, list[tuple[str, float]]]]:
    """Endless ``(timestamp, [(code, value), ...])`` every ``step_s`` from ``start`` (aware).

    Points that have dropped out are missing from their batches. Take a finite run with
    ``itertools.islice``.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if step_s <= 0:
        raise ValueError("step_s must be positive")
    simulators = [_PointSimulator(point, seed) for point in points]
    start_hour = _local_hour(start)
    step = timedelta(seconds=step_s)
    moment = start
    index = 0
    while True:
        t_s = index * step_s
        hour = (start_hour + t_s / 3600.0) % 24.0
        batch: list[tuple[str, float]] = []
        for simulator in simulators:
            value = simulator.reading(t_s, hour, step_s)
            if value is not None:
                batch.append((simulator.point.code, value))
        yield moment, batch
        index += 1
        moment = start + step * index


def _local_hour(moment: datetime) -> float:
    offset = moment.utcoffset()
    utc_hours = moment.hour + moment.minute / 60 + moment.second / 3600
    offset_hours = 0.0 if offset is None else offset.total_seconds() / 3600
    return (utc_hours - offset_hours + _CST_HOURS) % 24.0
