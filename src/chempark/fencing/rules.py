"""Fences, corridors and the thresholds the engine applies (pure values, built by the caller)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class FenceKind(StrEnum):
    BOUNDARY = "boundary"  # the closed park: deviation and stops count only inside it
    CORRIDOR = "corridor"  # a designated route: a centre line and a width
    FORBIDDEN = "forbidden"  # entering is a violation
    PARKING = "parking"  # the hazmat parking lot: stopping is allowed, a capacity applies
    LOADING = "loading"  # an enterprise's loading area: off-route and stopping allowed
    SPEED = "speed"  # a zone with its own speed limit


#: Kinds whose entering and leaving are events (a corridor's are a deviation's end and start).
ZONE_KINDS = frozenset({FenceKind.FORBIDDEN, FenceKind.PARKING, FenceKind.LOADING, FenceKind.SPEED})


@dataclass(frozen=True)
class Fence:
    """One fence. ``coordinates`` is (lon, lat) pairs: a polygon's ring, or a corridor's centre line."""

    id: int
    name: str
    kind: FenceKind
    coordinates: Sequence[tuple[float, float]]
    width_m: float = 0.0  # corridor only: full width, centred on the line
    speed_limit_kmh: float | None = None
    capacity: int | None = None  # parking only
    # Minutes of the day (Beijing time) when a corridor may be used, [start, end); empty = always.
    windows: tuple[tuple[int, int], ...] = ()

    def open_at(self, minute_of_day: int) -> bool:
        return not self.windows or any(start <= minute_of_day < end for start, end in self.windows)


@dataclass(frozen=True)
class Thresholds:
    default_limit_kmh: float = 60.0  # 危险货物道路运输安全管理办法 art. 46: 60 km/h off expressways
    tolerance: float = 0.05  # overspeed only above limit × (1 + tolerance), as Traccar's multiplier
    overspeed_min_s: float = 10.0  # an overspeed shorter than this is not an event
    deviation_min_s: float = 15.0  # off every corridor for at least this long
    stop_speed_kmh: float = 3.0  # slower than this is stopped
    stop_min_s: float = 600.0  # stopped outside a parking lot or loading area this long
    max_jump_kmh: float = 200.0  # a fix implying a faster move from the previous one is dropped
    max_reported_kmh: float = 250.0  # a reported speed above this is not a valid fix
