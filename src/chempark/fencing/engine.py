"""The rules engine: filter a batch of positions, then find fence, route, speed and parking events.

A batch is arrays (vehicle, time, lon, lat, speed, valid) of any length and order; the engine keeps
each vehicle's last accepted fix, its fence memberships and its open runs between batches, so
feeding a track in one batch or in many gives the same events. Everything per position is numpy
or one shapely STRtree query; Python loops run only over events and open runs, which are few.

Events with ``end is None`` are opened (an overspeed that has lasted its minimum duration, a
deviation, a stop, a full lot); the event with the same :attr:`Event.key` and an ``end`` closes it.
An event that opens and closes inside one batch comes once, already closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import shapely

from chempark.common.projection import LocalProjection
from chempark.fencing.rules import ZONE_KINDS, Fence, FenceKind, Thresholds

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BEIJING_OFFSET_S = 8 * 3600
CROSSING_MIN_M = 10.0  # a step shorter than this cannot jump across a fence unnoticed


class Rejected(IntEnum):
    """Why the filter dropped a position (0: it did not)."""

    ACCEPTED = 0
    INVALID_FIX = 1  # no fix, impossible coordinates or speed
    DUPLICATE = 2  # the vehicle already has a fix at this time
    OUT_OF_ORDER = 3  # older than the vehicle's last accepted fix
    JUMP = 4  # implies more than the maximum speed from the previous fix


@dataclass(frozen=True)
class Event:
    kind: str  # enter, exit, deviation, overspeed, stopped, parking_full
    vehicle: int
    fence: int | None
    start: float  # epoch seconds
    end: float | None
    lon: float
    lat: float
    peak_kmh: float | None = None
    limit_kmh: float | None = None
    crossed: bool = False  # a zone passed between two fixes, neither inside it

    @property
    def key(self) -> tuple[str, int, int | None, float]:
        return (self.kind, self.vehicle, self.fence, self.start)


@dataclass
class _Run:
    start: float
    last: float
    lon: float
    lat: float
    peak: float
    limit: float
    opened: bool = False


@dataclass
class _Vehicle:
    t: float = float("nan")
    x: float = float("nan")
    y: float = float("nan")
    zones: frozenset[int] = frozenset()  # fence indexes
    runs: dict[str, _Run] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    rejected: npt.NDArray[np.int8]  # a :class:`Rejected` per input position, in input order
    events: list[Event]


class Engine:
    def __init__(self, fences: list[Fence], projection: LocalProjection, thresholds: Thresholds | None = None) -> None:
        self.fences = fences
        self.projection = projection
        self.thresholds = thresholds or Thresholds()
        shapes = [self._shape(fence) for fence in fences]
        self._tree = shapely.STRtree(shapes)
        kinds = [fence.kind for fence in fences]
        self._kind = np.array([str(kind) for kind in kinds], dtype=object)
        self._is_zone = np.array([kind in ZONE_KINDS for kind in kinds], dtype=bool)
        self._zone_shapes = [shape for shape, fence in zip(shapes, fences, strict=True) if fence.kind in ZONE_KINDS]
        self._zone_index = np.flatnonzero(self._is_zone)
        self._zone_tree = shapely.STRtree(self._zone_shapes)
        self._allows = np.array(
            [kind in (FenceKind.CORRIDOR, FenceKind.PARKING, FenceKind.LOADING) for kind in kinds], dtype=bool
        )
        self._parking = np.array([kind == FenceKind.PARKING for kind in kinds], dtype=bool)
        self._loading = np.array([kind == FenceKind.LOADING for kind in kinds], dtype=bool)
        self._boundary = np.array([kind == FenceKind.BOUNDARY for kind in kinds], dtype=bool)
        self._limit = np.array([f.speed_limit_kmh or np.inf for f in fences], dtype=np.float64)
        self._windowed = [i for i, fence in enumerate(fences) if fence.windows]
        self._vehicles: dict[int, _Vehicle] = {}
        self._full: dict[int, float] = {}  # parking fence index → when it became full

    def _shape(self, fence: Fence) -> shapely.Geometry:
        lon, lat = zip(*fence.coordinates, strict=True)
        x, y = self.projection.forward(lon, lat)
        if fence.kind == FenceKind.CORRIDOR:
            return shapely.buffer(shapely.linestrings(x, y), fence.width_m / 2, cap_style="flat")
        return shapely.polygons(np.column_stack([x, y]))

    # --- the batch ------------------------------------------------------------------------

    def process(  # noqa: PLR0917 - the columns of a position batch
        self,
        vehicle: npt.ArrayLike,
        t: npt.ArrayLike,
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        speed_kmh: npt.ArrayLike,
        valid: npt.ArrayLike | None = None,
    ) -> Result:
        veh = np.asarray(vehicle, dtype=np.int64)
        times = np.asarray(t, dtype=np.float64)
        lons = np.asarray(lon, dtype=np.float64)
        lats = np.asarray(lat, dtype=np.float64)
        speeds = np.asarray(speed_kmh, dtype=np.float64)
        fix = np.ones(len(veh), dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
        order = np.lexsort((times, veh))
        veh, times, lons, lats, speeds, fix = (
            veh[order],
            times[order],
            lons[order],
            lats[order],
            speeds[order],
            fix[order],
        )
        x, y = self.projection.forward(lons, lats)
        rejected_sorted = self._filter(veh, times, x, y, speeds, fix)
        rejected = np.empty(len(order), dtype=np.int8)
        rejected[order] = rejected_sorted
        kept = rejected_sorted == Rejected.ACCEPTED
        if not kept.any():
            return Result(rejected, [])
        batch = _Batch(veh[kept], times[kept], lons[kept], lats[kept], speeds[kept], x[kept], y[kept])
        return Result(rejected, self._events(batch))

    def _filter(  # noqa: PLR0917 - the columns of a sorted batch
        self, veh: IntArray, t: FloatArray, x: FloatArray, y: FloatArray, speed: FloatArray, fix: BoolArray
    ) -> npt.NDArray[np.int8]:
        th = self.thresholds
        out = np.zeros(len(veh), dtype=np.int8)
        finite = np.isfinite(x) & np.isfinite(y) & np.isfinite(t) & np.isfinite(speed)
        lon, lat = self.projection.inverse(np.where(finite, x, 0), np.where(finite, y, 0))
        bad = ~fix | ~finite | (np.abs(lat) > 90) | (np.abs(lon) > 180) | (speed < 0) | (speed > th.max_reported_kmh)
        out[bad] = Rejected.INVALID_FIX
        last_t, last_x, last_y = self._carried(veh)
        out[(out == 0) & (t < last_t)] = Rejected.OUT_OF_ORDER
        same_prev = np.zeros(len(veh), dtype=bool)
        same_prev[1:] = (veh[1:] == veh[:-1]) & (t[1:] == t[:-1])
        out[(out == 0) & ((t == last_t) | same_prev)] = Rejected.DUPLICATE
        # Jumps: compare each fix with the previous kept one; drop only a flagged fix whose previous
        # is not flagged itself (A, B far away, C back near A: B goes, C is then compared with A).
        while True:
            idx = np.flatnonzero(out == 0)
            if len(idx) == 0:
                break
            v = veh[idx]
            first = np.ones(len(idx), dtype=bool)
            first[1:] = v[1:] != v[:-1]
            prev_t = np.where(first, last_t[idx], np.roll(t[idx], 1))
            prev_x = np.where(first, last_x[idx], np.roll(x[idx], 1))
            prev_y = np.where(first, last_y[idx], np.roll(y[idx], 1))
            with np.errstate(divide="ignore", invalid="ignore"):
                implied = np.hypot(x[idx] - prev_x, y[idx] - prev_y) / (t[idx] - prev_t) * 3.6
            flagged = implied > th.max_jump_kmh  # NaN (no previous) compares False
            prev_flagged = np.zeros(len(idx), dtype=bool)
            prev_flagged[1:] = flagged[:-1] & ~first[1:]
            drop = flagged & ~prev_flagged
            if not drop.any():
                break
            out[idx[drop]] = Rejected.JUMP
        return out

    def _carried(self, veh: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Last accepted time and position of each row's vehicle (NaN for a vehicle never seen)."""
        unique, inverse = np.unique(veh, return_inverse=True)
        states = [self._vehicles.get(int(v)) for v in unique]
        nan = float("nan")
        last = np.array([(s.t, s.x, s.y) if s else (nan, nan, nan) for s in states], dtype=np.float64).reshape(-1, 3)
        return last[inverse, 0], last[inverse, 1], last[inverse, 2]

    # --- events ---------------------------------------------------------------------------

    def _events(self, b: _Batch) -> list[Event]:
        th = self.thresholds
        pos, fen = self._tree.query(shapely.points(b.x, b.y), predicate="intersects")
        pos = pos.astype(np.int64)
        fen = fen.astype(np.int64)
        if self._windowed:
            minute = ((b.t[pos] + BEIJING_OFFSET_S) % 86400 // 60).astype(np.int64)
            usable = np.ones(len(pos), dtype=bool)
            for index in self._windowed:
                here = fen == index
                usable[here] = [self.fences[index].open_at(int(m)) for m in minute[here]]
        else:
            usable = np.ones(len(pos), dtype=bool)
        n = len(b.t)
        allowed = _any_at(n, pos[self._allows[fen] & usable])
        parked = _any_at(n, pos[self._parking[fen] | self._loading[fen]])
        inside = _any_at(n, pos[self._boundary[fen]]) if self._boundary.any() else np.ones(n, dtype=bool)
        limit = np.full(n, th.default_limit_kmh)
        np.minimum.at(limit, pos, self._limit[fen])

        events = self._zone_events(b, pos[self._is_zone[fen]], fen[self._is_zone[fen]])
        events += self._runs(b, "overspeed", b.speed > limit * (1 + th.tolerance), th.overspeed_min_s, limit)
        events += self._runs(b, "deviation", inside & ~allowed, th.deviation_min_s, limit)
        events += self._runs(b, "stopped", inside & ~parked & (b.speed < th.stop_speed_kmh), th.stop_min_s, limit)
        last = b.last_of_vehicle
        for i in np.flatnonzero(last):
            state = self._vehicles.setdefault(int(b.veh[i]), _Vehicle())
            state.t, state.x, state.y = float(b.t[i]), float(b.x[i]), float(b.y[i])
        events += self._parking_events(b)
        return events

    def _zone_events(self, b: _Batch, pos: IntArray, fen: IntArray) -> list[Event]:
        """Enter and exit by comparing each fix's zones with the previous fix's (carried or in batch)."""
        n_fences = max(len(self.fences), 1)
        unique, first_idx, u_of = np.unique(b.veh, return_index=True, return_inverse=True)
        carried_pos: list[int] = []
        carried_fen: list[int] = []
        for u, v in enumerate(unique):
            state = self._vehicles.get(int(v))
            for zone in state.zones if state else ():
                carried_pos.append(u)
                carried_fen.append(zone)
        n_u = len(unique)
        first = np.zeros(len(b.t), dtype=bool)
        first[first_idx] = True
        ids = np.arange(len(b.t), dtype=np.int64) + n_u
        prev_id = np.where(first, u_of, ids - 1)
        keys = np.concatenate([(pos + n_u) * n_fences + fen, np.asarray(carried_pos, dtype=np.int64) * n_fences
                               + np.asarray(carried_fen, dtype=np.int64)])  # fmt: skip
        keys.sort()
        enter = ~_member(keys, prev_id[pos] * n_fences + fen)
        # exits: a pair (p, f) whose successor fix of the same vehicle is not in f
        next_of = np.full(n_u + len(b.t), -1, dtype=np.int64)
        next_of[prev_id] = np.arange(len(b.t))
        all_p = np.concatenate([pos + n_u, np.asarray(carried_pos, dtype=np.int64)])
        all_f = np.concatenate([fen, np.asarray(carried_fen, dtype=np.int64)])
        succ = next_of[all_p]
        has_succ = succ >= 0
        exit_mask = has_succ & ~_member(keys, (np.where(has_succ, succ, 0) + n_u) * n_fences + all_f)

        events = [self._event("enter", b, int(i), int(f)) for i, f in zip(pos[enter], fen[enter], strict=True)]
        events += [
            self._event("exit", b, int(i), int(f)) for i, f in zip(succ[exit_mask], all_f[exit_mask], strict=True)
        ]
        events += self._crossings(b, first, keys, prev_id, n_u, n_fences)
        # the zones of each vehicle's last fix are carried to the next batch
        last_zone = b.last_of_vehicle[pos]
        zones: dict[int, set[int]] = {int(v): set() for v in unique}
        for i, f in zip(pos[last_zone], fen[last_zone], strict=True):
            zones[int(b.veh[i])].add(int(f))
        for v, zone_set in zones.items():
            self._vehicles.setdefault(v, _Vehicle()).zones = frozenset(zone_set)
        return events

    def _crossings(  # noqa: PLR0917 - private helper of _zone_events
        self, b: _Batch, first: BoolArray, keys: IntArray, prev_id: IntArray, n_u: int, n_fences: int
    ) -> list[Event]:
        """Zones a straight step between two fixes passes through while neither fix is inside."""
        if not self._zone_shapes:
            return []
        prev_x = np.roll(b.x, 1)
        prev_y = np.roll(b.y, 1)
        prev_t = np.roll(b.t, 1)
        carried_xy = np.array(
            [(s.x, s.y, s.t) if (s := self._vehicles.get(int(v))) else (np.nan,) * 3 for v in b.veh[first]],
            dtype=np.float64,
        ).reshape(-1, 3)
        prev_x[first], prev_y[first], prev_t[first] = carried_xy[:, 0], carried_xy[:, 1], carried_xy[:, 2]
        long_step = np.flatnonzero(np.hypot(b.x - prev_x, b.y - prev_y) > CROSSING_MIN_M)  # NaN is False
        if len(long_step) == 0:
            return []
        segments = shapely.linestrings(
            np.stack([np.column_stack([prev_x[long_step], prev_y[long_step]]),
                      np.column_stack([b.x[long_step], b.y[long_step]])], axis=1)
        )  # fmt: skip
        seg, zone = self._zone_tree.query(segments, predicate="intersects")
        step = long_step[seg]
        fence = self._zone_index[zone].astype(np.int64)
        at_end = _member(keys, (step + n_u) * n_fences + fence)
        at_start = _member(keys, prev_id[step] * n_fences + fence)
        crossed = ~at_end & ~at_start
        events: list[Event] = []
        for i, f in zip(step[crossed], fence[crossed], strict=True):
            middle = (prev_t[i] + b.t[i]) / 2
            lon, lat = self.projection.inverse((prev_x[i] + b.x[i]) / 2, (prev_y[i] + b.y[i]) / 2)
            for kind in ("enter", "exit"):
                events.append(Event(kind, int(b.veh[i]), self.fences[f].id, float(middle), None,
                                    float(lon), float(lat), crossed=True))  # fmt: skip
        return events

    def _runs(self, b: _Batch, kind: str, mask: BoolArray, min_s: float, limit: FloatArray) -> list[Event]:
        """Runs of consecutive fixes of one vehicle where ``mask`` holds, joined across batches.

        A run opens an event once it has lasted ``min_s`` and closes it at its last fix.
        """
        events: list[Event] = []
        first, last = b.first_of_vehicle, b.last_of_vehicle
        prev_mask = np.concatenate([[False], mask[:-1]])
        next_mask = np.concatenate([mask[1:], [False]])
        starts = np.flatnonzero(mask & (first | ~prev_mask))
        ends = np.flatnonzero(mask & (last | ~next_mask))
        # a carried open run whose vehicle's first fix here is outside it ends at its last fix
        for i in np.flatnonzero(first & ~mask):
            state = self._vehicles.get(int(b.veh[i]))
            run = state.runs.pop(kind, None) if state else None
            if run is not None and run.opened:
                events.append(self._run_event(kind, int(b.veh[i]), run, closed=True))
        if len(starts) == 0:
            return events
        peaks = np.maximum.reduceat(np.where(mask, b.speed, -np.inf), starts)
        limits = np.minimum.reduceat(np.where(mask, limit, np.inf), starts)
        for start, end, peak, lim in zip(starts, ends, peaks, limits, strict=True):
            vehicle = int(b.veh[start])
            state = self._vehicles.setdefault(vehicle, _Vehicle())
            run = state.runs.pop(kind, None) if first[start] else None
            if run is None:
                run = _Run(float(b.t[start]), float(b.t[start]), float(b.lon[start]), float(b.lat[start]),
                           float(peak), float(lim))  # fmt: skip
            run.last = float(b.t[end])
            run.peak = max(run.peak, float(peak))
            run.limit = min(run.limit, float(lim))
            long_enough = run.last - run.start >= min_s
            if last[end]:
                if long_enough and not run.opened:
                    run.opened = True
                    events.append(self._run_event(kind, vehicle, run, closed=False))
                state.runs[kind] = run
            elif long_enough or run.opened:
                events.append(self._run_event(kind, vehicle, run, closed=True))
        return events

    @staticmethod
    def _run_event(kind: str, vehicle: int, run: _Run, *, closed: bool) -> Event:
        return Event(
            kind, vehicle, None, run.start, run.last if closed else None, run.lon, run.lat,
            peak_kmh=run.peak if kind == "overspeed" else None,
            limit_kmh=run.limit if kind == "overspeed" else None,
        )  # fmt: skip

    def _parking_events(self, b: _Batch) -> list[Event]:
        """A parking lot holding more vehicles than its capacity, by every vehicle's current zones."""
        events: list[Event] = []
        now = float(b.t.max())
        counts: dict[int, int] = {}
        for state in self._vehicles.values():
            for zone in state.zones:
                if self._parking[zone]:
                    counts[zone] = counts.get(zone, 0) + 1
        for index in np.flatnonzero(self._parking):
            fence = self.fences[index]
            full = fence.capacity is not None and counts.get(int(index), 0) > fence.capacity
            opened = self._full.get(int(index))
            lon, lat = fence.coordinates[0]
            if full and opened is None:
                self._full[int(index)] = now
                events.append(Event("parking_full", 0, fence.id, now, None, lon, lat))
            elif not full and opened is not None:
                del self._full[int(index)]
                events.append(Event("parking_full", 0, fence.id, opened, now, lon, lat))
        return events

    def _event(self, kind: str, b: _Batch, i: int, fence: int) -> Event:
        return Event(kind, int(b.veh[i]), self.fences[fence].id, float(b.t[i]), None, float(b.lon[i]), float(b.lat[i]))

    def knows(self, vehicle: int) -> bool:
        return vehicle in self._vehicles

    def restore(self, vehicle: int, t: float, lon: float, lat: float) -> None:
        """Seed a vehicle's last fix (after a restart), so the filter, crossings and zones see it."""
        x, y = self.projection.forward(lon, lat)
        state = self._vehicles.setdefault(vehicle, _Vehicle())
        state.t, state.x, state.y = t, float(x), float(y)
        inside = self._tree.query(shapely.points(float(x), float(y)), predicate="intersects")
        state.zones = frozenset(int(f) for f in inside if self._is_zone[f])


@dataclass(frozen=True)
class _Batch:
    veh: IntArray
    t: FloatArray
    lon: FloatArray
    lat: FloatArray
    speed: FloatArray
    x: FloatArray
    y: FloatArray

    @property
    def first_of_vehicle(self) -> BoolArray:
        first = np.ones(len(self.veh), dtype=bool)
        first[1:] = self.veh[1:] != self.veh[:-1]
        return first

    @property
    def last_of_vehicle(self) -> BoolArray:
        last = np.ones(len(self.veh), dtype=bool)
        last[:-1] = self.veh[:-1] != self.veh[1:]
        return last


def _any_at(n: int, positions: IntArray) -> BoolArray:
    out = np.zeros(n, dtype=bool)
    out[positions] = True
    return out


def _member(sorted_keys: IntArray, probe: IntArray) -> BoolArray:
    """``probe in sorted_keys`` elementwise, by binary search (faster than ``np.isin`` here)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(probe), dtype=bool)
    at = np.searchsorted(sorted_keys, probe)
    at = np.minimum(at, len(sorted_keys) - 1)
    found: BoolArray = sorted_keys[at] == probe
    return found
