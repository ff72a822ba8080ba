"""Trips and stops of one vehicle's track, as Traccar's reports define them.

A stop is the vehicle standing (slower than ``stop_kmh``) for at least ``min_stop_s`` (Traccar's
``report.trip.minimalParkingDuration``, 300 s); a trip is the movement between two stops, kept
when it lasts ``min_trip_s`` and covers ``min_trip_m`` (``minimalTripDuration``/``Distance``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from chempark.common.projection import LocalProjection


@dataclass(frozen=True)
class Stretch:
    start: float  # epoch seconds
    end: float
    distance_m: float
    lon: float  # where it started
    lat: float


def trips_and_stops(  # noqa: PLR0917 — the columns of a track
    t: npt.ArrayLike,
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    speed_kmh: npt.ArrayLike,
    stop_kmh: float = 3.0,
    min_stop_s: float = 300.0,
    min_trip_s: float = 60.0,
    min_trip_m: float = 500.0,
) -> tuple[list[Stretch], list[Stretch]]:
    """The trips and the stops of a track sorted by time."""
    times = np.asarray(t, dtype=np.float64)
    if len(times) < 2:
        return [], []
    lons, lats = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    x, y = LocalProjection(float(lons[0]), float(lats[0])).forward(lons, lats)
    step = np.concatenate([[0.0], np.hypot(np.diff(x), np.diff(y))])
    still = np.asarray(speed_kmh, dtype=np.float64) < stop_kmh
    # runs of standing fixes long enough to be stops
    edges = np.flatnonzero(np.diff(np.concatenate([[0], still.astype(np.int8), [0]])))
    stops = []
    for first, after in zip(edges[::2], edges[1::2], strict=True):
        if times[after - 1] - times[first] >= min_stop_s:
            stops.append((int(first), int(after - 1)))
    cumulative = np.cumsum(step)
    trips: list[Stretch] = []
    bounds = [(0, None), *[(s, e) for s, e in stops], (len(times) - 1, None)]
    for (_, prev_end), (next_start, _) in pairwise(bounds):
        begin = 0 if prev_end is None else prev_end
        distance = float(cumulative[next_start] - cumulative[begin])
        if times[next_start] - times[begin] >= min_trip_s and distance >= min_trip_m:
            trips.append(
                Stretch(float(times[begin]), float(times[next_start]), distance, float(lons[begin]), float(lats[begin]))
            )
    stop_list = [Stretch(float(times[s]), float(times[e]), 0.0, float(lons[s]), float(lats[s])) for s, e in stops]
    return trips, stop_list
