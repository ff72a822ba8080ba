"""Hand-made tracks with known answers: filter, zones, crossings, deviation, overspeed, stops, parking."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from chempark.common.projection import LocalProjection
from chempark.fencing.engine import Engine, Event, Rejected
from chempark.fencing.rules import Fence, FenceKind, Thresholds

PROJ = LocalProjection(120.0, 30.0)
T0 = datetime(2026, 5, 6, 2, 0, tzinfo=UTC).timestamp()  # 10:00 Beijing time


def ll(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a point ``x`` m east and ``y`` m north of the origin."""
    lon, lat = PROJ.inverse(x, y)
    return float(lon), float(lat)


def square(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]


# A corridor along the x axis (20 m wide) from -1 km to 3 km, a forbidden square north of it, the
# parking lot (capacity 1) at its east end, a 30 km/h zone on its middle kilometre.
FENCES = [
    Fence(1, "主干道", FenceKind.CORRIDOR, [ll(-1000, 0), ll(3000, 0)], width_m=20),
    Fence(2, "罐区禁行", FenceKind.FORBIDDEN, square(400, 100, 600, 300)),
    Fence(3, "危化品停车场", FenceKind.PARKING, square(2900, -100, 3100, 100), capacity=1),
    Fence(4, "限速区", FenceKind.SPEED, square(1000, -50, 2000, 50), speed_limit_kmh=30),
]


def engine(fences: list[Fence] = FENCES, **thresholds: float) -> Engine:
    return Engine(fences, PROJ, Thresholds(**thresholds))  # type: ignore[arg-type]  # thresholds are the float fields of Thresholds by name


def feed(
    eng: Engine, track: list[tuple[float, float, float, float]], vehicle: int = 7
) -> tuple[list[Event], np.ndarray]:
    """``track``: (seconds after T0, x m, y m, km/h)."""
    t = [T0 + p[0] for p in track]
    lonlat = [ll(p[1], p[2]) for p in track]
    result = eng.process(
        [vehicle] * len(track), t, [p[0] for p in lonlat], [p[1] for p in lonlat], [p[3] for p in track]
    )
    return result.events, result.rejected


def kinds(events: list[Event]) -> list[tuple[str, int | None, float, float | None]]:
    return [(e.kind, e.fence, e.start - T0, None if e.end is None else e.end - T0) for e in events]


def test_filter_drops_invalid_duplicate_out_of_order_and_jumps() -> None:
    eng = engine()
    t = [T0, T0 + 10, T0 + 10, T0 + 20, T0 + 30, T0 + 40]
    x = [0, 100, 100, 5000, 300, 400]  # 5 km in 10 s is 1,800 km/h; the next fix is back on track
    lon = [ll(v, 0)[0] for v in x]
    lat = [ll(v, 0)[1] for v in x]
    valid = [True, True, True, True, True, False]
    result = eng.process([1] * 6, t, lon, lat, [36] * 6, valid)
    assert list(result.rejected) == [0, 0, Rejected.DUPLICATE, Rejected.JUMP, 0, Rejected.INVALID_FIX]
    late = eng.process([1, 1], [T0 + 5, T0 + 30], lon[:2], lat[:2], [36, 36])
    assert list(late.rejected) == [Rejected.OUT_OF_ORDER, Rejected.DUPLICATE]


def test_impossible_coordinates_and_speeds_are_invalid() -> None:
    result = engine().process([1, 1, 1], [T0, T0 + 1, T0 + 2], [120, 200, 120], [30, 30, 95], [10, 10, 10])
    assert list(result.rejected) == [0, Rejected.INVALID_FIX, Rejected.INVALID_FIX]
    result = engine().process([1], [T0], [120], [30], [400])
    assert list(result.rejected) == [Rejected.INVALID_FIX]


def test_overspeed_is_one_event_with_start_end_and_peak() -> None:
    track = [(0, 0, 0, 50), (5, 70, 0, 70), (10, 170, 0, 80), (15, 280, 0, 70), (20, 370, 0, 50)]
    events = [e for e in feed(engine(), track)[0] if e.kind == "overspeed"]
    assert kinds(events) == [("overspeed", None, 5, 15)]
    assert (events[0].peak_kmh, events[0].limit_kmh) == (80, 60)


def test_overspeed_within_tolerance_or_shorter_than_the_minimum_is_none() -> None:
    track = [(0, 0, 0, 62), (5, 80, 0, 63), (10, 160, 0, 90), (15, 290, 0, 50)]  # 63 ≤ 60 × 1.05; 90 for 0 s
    assert [e for e in feed(engine(), track)[0] if e.kind == "overspeed"] == []


def test_overspeed_across_batches_opens_then_closes_the_same_event() -> None:
    eng = engine()
    opened, _ = feed(eng, [(0, 0, 0, 70), (10, 200, 0, 75), (20, 400, 0, 72)])
    closed, _ = feed(eng, [(30, 600, 0, 65), (40, 780, 0, 50)])
    assert kinds([e for e in opened if e.kind == "overspeed"]) == [("overspeed", None, 0, None)]
    assert kinds([e for e in closed if e.kind == "overspeed"]) == [("overspeed", None, 0, 30)]
    assert opened[0].key == closed[0].key and closed[0].peak_kmh == 75


def test_zone_speed_limit_is_lower_than_the_default() -> None:
    track = [(0, 1100, 0, 40), (10, 1210, 0, 40), (20, 1320, 0, 40), (30, 1430, 0, 25)]
    events = [e for e in feed(engine(), track)[0] if e.kind == "overspeed"]
    assert kinds(events) == [("overspeed", None, 0, 20)] and events[0].limit_kmh == 30


def test_forbidden_zone_enter_and_exit() -> None:
    track = [(0, 500, 0, 20), (10, 500, 50, 20), (20, 500, 150, 20), (30, 500, 250, 20), (40, 500, 400, 20)]
    zone = [e for e in feed(engine(), track)[0] if e.fence == 2]
    assert kinds(zone) == [("enter", 2, 20, None), ("exit", 2, 40, None)]
    assert not any(e.crossed for e in zone)


def test_a_sparse_fix_that_jumps_across_a_zone_gives_enter_and_exit() -> None:
    track = [(0, 500, 50, 40), (30, 500, 350, 40)]  # 300 m in 30 s: the square lies between the fixes
    zone = [e for e in feed(engine(deviation_min_s=1e9), track)[0] if e.fence == 2]
    assert kinds(zone) == [("enter", 2, 15, None), ("exit", 2, 15, None)]
    assert all(e.crossed for e in zone)


def test_route_deviation_from_leaving_to_returning() -> None:
    track = [(0, 0, 0, 30), (10, 80, 0, 30), (20, 160, 40, 30), (30, 240, 60, 30), (40, 320, 40, 30), (50, 400, 0, 30)]
    events = [e for e in feed(engine(), track)[0] if e.kind == "deviation"]
    assert kinds(events) == [("deviation", None, 20, 40)]


def test_a_brief_step_off_the_corridor_is_not_a_deviation() -> None:
    track = [(0, 0, 0, 30), (10, 80, 30, 30), (20, 160, 0, 30)]
    assert [e for e in feed(engine(), track)[0] if e.kind == "deviation"] == []


def test_a_corridor_outside_its_time_window_is_not_a_designated_route() -> None:
    day_only = [
        Fence(1, "白天通行", FenceKind.CORRIDOR, [ll(-1000, 0), ll(3000, 0)], width_m=20, windows=((480, 1080),))
    ]
    track = [(0, 0, 0, 30), (10, 80, 0, 30), (20, 160, 0, 30)]
    assert feed(engine(day_only), track)[0] == []  # 10:00
    night = [(12 * 3600 + s, x, y, v) for s, x, y, v in track]  # 22:00 Beijing time
    assert kinds(feed(engine(day_only), night)[0]) == [("deviation", None, 43200, None)]


def test_stopped_outside_a_parking_lot_but_not_inside_one() -> None:
    outside = [(s, 200, 0, 0) for s in range(0, 901, 60)]
    events = feed(engine(), outside)[0]
    assert kinds([e for e in events if e.kind == "stopped"]) == [("stopped", None, 0, None)]
    inside = [(s, 3000, 0, 0) for s in range(0, 901, 60)]
    assert [e for e in feed(engine(), inside)[0] if e.kind == "stopped"] == []


def test_parking_lot_full_opens_and_closes() -> None:
    eng = engine()
    feed(eng, [(0, 3000, 0, 0)], vehicle=1)
    events, _ = feed(eng, [(10, 3010, 10, 0)], vehicle=2)
    assert [(e.kind, e.fence, e.end) for e in events if e.kind == "parking_full"] == [("parking_full", 3, None)]
    events, _ = feed(eng, [(20, 2500, 0, 20)], vehicle=2)
    assert kinds([e for e in events if e.kind == "parking_full"]) == [("parking_full", 3, 10, 20)]


@pytest.mark.parametrize("split", [1, 2, 3, 5])
def test_batching_does_not_change_the_events(split: int) -> None:
    """The same track fed in one batch or several gives the same closed events."""
    track = [(s * 10, s * 150, (60 if 4 <= s <= 7 else 0), 70 if s in (2, 3, 4) else 40) for s in range(12)]
    whole = engine()
    reference = [e for e in feed(whole, track)[0] if e.end is not None or e.kind in ("enter", "exit")]
    eng = engine()
    events: list[Event] = []
    for part in np.array_split(np.arange(len(track)), split):
        events += feed(eng, [track[i] for i in part])[0]
    closed = [e for e in events if e.end is not None or e.kind in ("enter", "exit")]
    assert sorted(kinds(closed)) == sorted(kinds(reference))
    assert {e.kind for e in closed} >= {"overspeed", "deviation"}


def test_a_restored_vehicle_inside_a_zone_does_not_enter_it_again() -> None:
    eng = engine()
    eng.restore(7, T0, *ll(500, 200))
    assert eng.knows(7)
    events, rejected = feed(eng, [(10, 500, 210, 5), (20, 500, 400, 20)])
    assert list(rejected) == [0, 0]
    assert kinds([e for e in events if e.fence == 2]) == [("exit", 2, 20, None)]


def test_trips_are_the_movement_between_stops() -> None:
    from chempark.fencing.trips import trips_and_stops

    # 10 min parked, 10 min driving 36 km/h (6 km), 10 min parked, 2 min creeping 300 m, then still
    t, x, v = [], [], []
    for s in range(0, 600, 60):
        t.append(s), x.append(0.0), v.append(0.0)
    for s in range(600, 1200, 60):
        t.append(s), x.append((s - 600) * 10.0), v.append(36.0)
    for s in range(1200, 1800, 60):
        t.append(s), x.append(6000.0), v.append(0.0)
    for s in range(1800, 1920, 60):
        t.append(s), x.append(6000.0 + (s - 1740) * 2.5), v.append(9.0)
    t.append(1920), x.append(6300.0), v.append(0.0)
    lonlat = [ll(px, 0) for px in x]
    trips, stops = trips_and_stops(t, [p[0] for p in lonlat], [p[1] for p in lonlat], v)
    assert [(s.start, s.end) for s in stops] == [(0, 540), (1200, 1740)]
    assert [(tr.start, tr.end) for tr in trips] == [(540, 1200)]
    assert trips[0].distance_m == pytest.approx(6000, rel=1e-3)


def test_a_vehicle_with_its_own_route_deviates_on_another_corridor() -> None:
    """Two parallel roads 200 m apart; vehicle 1 is designated the north road only, vehicle 2 the
    south road, vehicle 3 nothing (every corridor). All three drive the south road."""
    roads = [
        Fence(1, "南路", FenceKind.CORRIDOR, [ll(-1000, 0), ll(3000, 0)], width_m=20),
        Fence(2, "北路", FenceKind.CORRIDOR, [ll(-1000, 200), ll(3000, 200)], width_m=20),
        Fence(3, "停车场", FenceKind.PARKING, square(-100, -100, 100, 100), capacity=5),
    ]
    eng = engine(roads)
    eng.set_routes({1: [2], 2: [1], 3: [], 99: [3, 2]})  # a parking lot is no route: 99 gets 北路 only
    track = [(s, 200 + s * 8, 0, 30) for s in range(0, 60, 10)]
    deviations = {v: [e for e in feed(eng, track, vehicle=v)[0] if e.kind == "deviation"] for v in (1, 2, 3)}
    assert kinds(deviations[1]) == [("deviation", None, 0, None)]  # opened, still going
    assert deviations[2] == [] and deviations[3] == []
    # standing in the parking lot is allowed whatever the routes
    lot = [(100 + s, 0, 0, 0) for s in range(0, 60, 10)]
    eng.set_routes({4: [2]})
    assert [e for e in feed(eng, lot, vehicle=4)[0] if e.kind == "deviation"] == []
    # taking the route away gives the vehicle back to every corridor: its deviation closes
    eng.set_routes({1: []})
    closed = [e for e in feed(eng, [(70, 760, 0, 30)], vehicle=1)[0] if e.kind == "deviation"]
    assert kinds(closed) == [("deviation", None, 0, 50)]


def test_an_engine_without_fences_filters_and_finds_only_deviations() -> None:
    """A platform with no fence configured yet still stores and filters positions (every fix lies
    outside every designated route, so a long enough drive is a deviation)."""
    track = [(s, s * 8, 0, 30) for s in range(0, 60, 10)]
    events, rejected = feed(engine([]), track)
    assert (rejected == Rejected.ACCEPTED).all()
    assert kinds(events) == [("deviation", None, 0, None)]
