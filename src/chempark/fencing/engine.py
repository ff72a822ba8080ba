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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import shapely

from chempark.common.projection import LocalProjection
from chempark.fencing.cells import CellIndex
from chempark.fencing.rules import ZONE_KINDS, Fence, FenceKind, Thresholds

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BEIJING_OFFSET_S = 8 * 3600
RUN_KINDS = ("overspeed", "deviation", "stopped")
CROSSING_MIN_M = 10.0  # a step shorter than this cannot jump across a fence unnoticed
POINT_CELL_M = 50.0  # cells of the grid that spares most fixes the exact point-in-fence query
SEGMENT_CELL_M = 50.0  # cells of the grid that spares most steps the exact crossing query


class Rejected(IntEnum):
    """Why the filter dropped a position (0: it did not)."""

    ACCEPTED = 0
    INVALID_FIX = 1  # no fix, impossible coordinates or speed
    DUPLICATE = 2  # the vehicle already has a fix at this time
    OUT_OF_ORDER = 3  # older than the vehicle's last accepted fix
    JUMP = 4  # implies more than the maximum speed from the previous fix


class Event(NamedTuple):
    """One event. A named tuple rather than a dataclass: a harsh batch makes tens of thousands of
    them, and a tuple is built several times faster than a frozen dataclass."""

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


class _Runs:
    """Open runs of one kind (overspeed, deviation, stop), one slot per dense vehicle index."""

    def __init__(self) -> None:
        self.active = np.zeros(0, dtype=bool)
        self.opened = np.zeros(0, dtype=bool)
        self.values = np.zeros((0, 6), dtype=np.float64)  # start, last, lon, lat, peak, limit

    def grow(self, size: int) -> None:
        extra = size - len(self.active)
        self.active = np.concatenate([self.active, np.zeros(extra, dtype=bool)])
        self.opened = np.concatenate([self.opened, np.zeros(extra, dtype=bool)])
        self.values = np.concatenate([self.values, np.zeros((extra, 6), dtype=np.float64)])


class _State:
    """What the engine remembers of each vehicle, in arrays indexed by a dense vehicle index: the
    last accepted fix, the zones it was in, and its open runs. Arrays, so a batch of thousands of
    vehicles is read and written without a Python loop per vehicle."""

    def __init__(self) -> None:
        self.index: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.txy = np.zeros((0, 3), dtype=np.float64)  # last accepted fix: time, x, y (NaN: none)
        self.zone_v = np.zeros(0, dtype=np.int64)  # (vehicle, zone) pairs of each vehicle's last fix
        self.zone_f = np.zeros(0, dtype=np.int64)
        self.runs = {kind: _Runs() for kind in RUN_KINDS}

    def dense(self, vehicles: IntArray) -> IntArray:
        """The dense index of each vehicle id, adding the ones never seen."""
        unique, inverse = np.unique(vehicles, return_inverse=True)
        new = [int(v) for v in unique if int(v) not in self.index]
        if new:
            for v in new:
                self.index[v] = len(self.index)
            self.ids = np.concatenate([self.ids, np.asarray(new, dtype=np.int64)])
            self.txy = np.concatenate([self.txy, np.full((len(new), 3), np.nan)])
            for runs in self.runs.values():
                runs.grow(len(self.index))
        mapped = np.fromiter((self.index[int(v)] for v in unique), dtype=np.int64, count=len(unique))
        dense: IntArray = mapped[inverse]
        return dense


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
        self._zone_array = np.asarray(self._zone_shapes, dtype=object)
        shapely.prepare(self._zone_array)  # the crossing test asks each zone about many steps
        self._cells = CellIndex(shapes, POINT_CELL_M)
        self._zone_cells = CellIndex(self._zone_shapes, SEGMENT_CELL_M, inside=False)
        self._allows = np.array(
            [kind in (FenceKind.CORRIDOR, FenceKind.PARKING, FenceKind.LOADING) for kind in kinds], dtype=bool
        )
        self._parking = np.array([kind == FenceKind.PARKING for kind in kinds], dtype=bool)
        self._loading = np.array([kind == FenceKind.LOADING for kind in kinds], dtype=bool)
        self._boundary = np.array([kind == FenceKind.BOUNDARY for kind in kinds], dtype=bool)
        self._limit = np.array([f.speed_limit_kmh or np.inf for f in fences], dtype=np.float64)
        self._windowed = [i for i, fence in enumerate(fences) if fence.windows]
        self._ids = np.array([fence.id for fence in fences], dtype=np.int64)
        self._corridor = np.array([kind == FenceKind.CORRIDOR for kind in kinds], dtype=bool)
        self._fence_index = {fence.id: i for i, fence in enumerate(fences)}
        self._routes: dict[int, frozenset[int]] = {}  # vehicle → fence indexes of its own routes
        self._route_keys = np.zeros(0, dtype=np.int64)  # vehicle × fences + index, sorted
        self._routed = np.zeros(0, dtype=np.int64)  # vehicles with routes of their own, sorted
        self._state = _State()
        self._full: dict[int, float] = {}  # parking fence index → when it became full

    def set_routes(self, routes: Mapping[int, Iterable[int]]) -> None:
        """Designate each named vehicle's own route corridors (fence ids); an empty collection gives
        the vehicle back to the park's rule, every corridor. A vehicle with routes of its own deviates
        on any other corridor (a corridor's time windows still apply to its own routes). Ids of fences
        the engine does not hold or that are not corridors are ignored."""
        for vehicle, fence_ids in routes.items():
            known = (self._fence_index[f] for f in fence_ids if f in self._fence_index)
            indexes = frozenset(i for i in known if self._corridor[i])
            if indexes:
                self._routes[int(vehicle)] = indexes
            else:
                self._routes.pop(int(vehicle), None)
        n = max(len(self.fences), 1)
        self._routed = np.array(sorted(self._routes), dtype=np.int64)
        self._route_keys = np.array(sorted(v * n + i for v, ids in self._routes.items() for i in ids), dtype=np.int64)

    def _own_route(self, veh: IntArray, fen: IntArray) -> BoolArray:
        """Whether each (vehicle, fence) pair may count as designated for that vehicle: always for a
        fence that is not a corridor or a vehicle without routes of its own."""
        if len(self._routed) == 0:
            return np.ones(len(veh), dtype=bool)
        own: BoolArray = (
            ~self._corridor[fen]
            | ~_member(self._routed, veh)
            | _member(self._route_keys, veh * max(len(self.fences), 1) + fen)
        )
        return own

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
        dense = self._state.dense(veh)
        rejected_sorted = self._filter(veh, dense, times, np.column_stack([lons, lats, x, y]), speeds, fix)
        rejected = np.empty(len(order), dtype=np.int8)
        rejected[order] = rejected_sorted
        kept = rejected_sorted == Rejected.ACCEPTED
        if not kept.any():
            return Result(rejected, [])
        batch = _Batch(veh[kept], dense[kept], times[kept], lons[kept], lats[kept], speeds[kept], x[kept], y[kept])
        return Result(rejected, self._events(batch))

    def _filter(  # noqa: PLR0917 - the columns of a sorted batch
        self, veh: IntArray, dense: IntArray, t: FloatArray, where: FloatArray, speed: FloatArray, fix: BoolArray
    ) -> npt.NDArray[np.int8]:
        """Why each fix is dropped (0: kept); ``where`` holds lon, lat, x, y as columns."""
        th = self.thresholds
        out = np.zeros(len(veh), dtype=np.int8)
        lon, lat, x, y = where[:, 0], where[:, 1], where[:, 2], where[:, 3]
        finite = np.isfinite(where).all(axis=1) & np.isfinite(t) & np.isfinite(speed)
        with np.errstate(invalid="ignore"):
            bad = (
                ~fix | ~finite | (np.abs(lat) > 90) | (np.abs(lon) > 180) | (speed < 0) | (speed > th.max_reported_kmh)
            )
        out[bad] = Rejected.INVALID_FIX
        carried = self._state.txy[dense]
        last_t, last_x, last_y = carried[:, 0], carried[:, 1], carried[:, 2]
        out[(out == 0) & (t < last_t)] = Rejected.OUT_OF_ORDER
        same_prev = np.zeros(len(veh), dtype=bool)
        same_prev[1:] = (veh[1:] == veh[:-1]) & (t[1:] == t[:-1])
        out[(out == 0) & ((t == last_t) | same_prev)] = Rejected.DUPLICATE
        # Jumps: compare each fix with the previous kept one; drop only a flagged fix whose previous
        # is not flagged itself (A, B far away, C back near A: B goes, C is then compared with A).
        # Each round after the first looks only at the vehicles that had a fix dropped in the round
        # before (vehicles are independent), so a long chain costs rounds over a few fixes only.
        candidates = out == 0
        while True:
            idx = np.flatnonzero(candidates & (out == 0))
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
            touched = np.zeros(len(self._state.index), dtype=bool)
            touched[dense[idx[drop]]] = True
            candidates = touched[dense]
        return out

    # --- events ---------------------------------------------------------------------------

    def _events(self, b: _Batch) -> list[Event]:
        th = self.thresholds
        near, known_pos, known_fen = self._cells.classify(b.x, b.y)
        found, fen = self._tree.query(shapely.points(b.x[near], b.y[near]), predicate="intersects")
        pos = np.concatenate([near[found].astype(np.int64), known_pos])
        fen = np.concatenate([fen.astype(np.int64), known_fen])
        usable = np.ones(len(pos), dtype=bool)
        if self._windowed:
            minute = ((b.t[pos] + BEIJING_OFFSET_S) % 86400 // 60).astype(np.int64)
            for index in self._windowed:
                here = fen == index
                usable[here] = [self.fences[index].open_at(int(m)) for m in minute[here]]
        n = len(b.t)
        allowed = _any_at(n, pos[self._allows[fen] & usable & self._own_route(b.veh[pos], fen)])
        parked = _any_at(n, pos[self._parking[fen] | self._loading[fen]])
        inside = _any_at(n, pos[self._boundary[fen]]) if self._boundary.any() else np.ones(n, dtype=bool)
        limit = np.full(n, th.default_limit_kmh)
        np.minimum.at(limit, pos, self._limit[fen])

        events = self._zone_events(b, pos[self._is_zone[fen]], fen[self._is_zone[fen]])
        events += self._runs(b, "overspeed", b.speed > limit * (1 + th.tolerance), th.overspeed_min_s, limit)
        events += self._runs(b, "deviation", inside & ~allowed, th.deviation_min_s, limit)
        events += self._runs(b, "stopped", inside & ~parked & (b.speed < th.stop_speed_kmh), th.stop_min_s, limit)
        last = b.last_of_vehicle
        self._state.txy[b.dense[last]] = np.column_stack([b.t[last], b.x[last], b.y[last]])
        events += self._parking_events(float(b.t.max()))
        return events

    def _zone_events(self, b: _Batch, pos: IntArray, fen: IntArray) -> list[Event]:
        """Enter and exit by comparing each fix's zones with the previous fix's (carried or in batch).

        Each (fix, zone) pair is a number, ``id × fences + zone``, where a fix in the batch has id
        ``vehicles + i`` and a vehicle's carried last fix has its dense index as id, so "was the
        previous fix in this zone" is one binary search for all pairs at once."""
        state = self._state
        n_fences = max(len(self.fences), 1)
        n_dense = len(state.index)
        first = b.first_of_vehicle
        ids = np.arange(len(b.t), dtype=np.int64) + n_dense
        prev_id = np.where(first, b.dense, ids - 1)
        present = np.zeros(n_dense, dtype=bool)
        present[b.dense] = True
        carried = present[state.zone_v]
        carried_v, carried_f = state.zone_v[carried], state.zone_f[carried]
        keys = np.sort(np.concatenate([(pos + n_dense) * n_fences + fen, carried_v * n_fences + carried_f]))
        enter = ~_member(keys, prev_id[pos] * n_fences + fen)
        # exits: a pair (p, f) whose next fix of the same vehicle is not in f
        next_of = np.full(n_dense + len(b.t), -1, dtype=np.int64)
        next_of[prev_id] = np.arange(len(b.t))
        all_p = np.concatenate([pos + n_dense, carried_v])
        all_f = np.concatenate([fen, carried_f])
        succ = next_of[all_p]
        has_succ = succ >= 0
        exit_mask = has_succ & ~_member(keys, (np.where(has_succ, succ, 0) + n_dense) * n_fences + all_f)

        events = self._fix_events("enter", b, pos[enter], fen[enter])
        events += self._fix_events("exit", b, succ[exit_mask], all_f[exit_mask])
        events += self._crossings(b, keys, prev_id, n_dense, n_fences)
        # carried on: the zones of each present vehicle's last fix, and the absent vehicles' as they were
        at_last = b.last_of_vehicle[pos]
        state.zone_v = np.concatenate([state.zone_v[~carried], b.dense[pos[at_last]]])
        state.zone_f = np.concatenate([state.zone_f[~carried], fen[at_last]])
        return events

    def _crossings(self, b: _Batch, keys: IntArray, prev_id: IntArray, n_dense: int, n_fences: int) -> list[Event]:
        """Zones a straight step between two fixes passes through while neither fix is inside."""
        if not self._zone_shapes:
            return []
        first = b.first_of_vehicle
        prev = np.column_stack([np.roll(b.t, 1), np.roll(b.x, 1), np.roll(b.y, 1)])
        prev[first] = self._state.txy[b.dense[first]]
        prev_t, prev_x, prev_y = prev[:, 0], prev[:, 1], prev[:, 2]
        with np.errstate(invalid="ignore"):
            moved = np.hypot(b.x - prev_x, b.y - prev_y) > CROSSING_MIN_M  # NaN (no previous fix) is False
        long_step = np.flatnonzero(moved & self._zone_cells.near_segment(prev_x, prev_y, b.x, b.y))
        if len(long_step) == 0:
            return []
        segments = shapely.linestrings(
            np.stack([np.column_stack([prev_x[long_step], prev_y[long_step]]),
                      np.column_stack([b.x[long_step], b.y[long_step]])], axis=1)
        )  # fmt: skip
        # Candidates by bounding box; a pair with either fix inside the zone is no crossing (its enter
        # or exit came from the fixes), so only the rest meet the exact test, against prepared zones.
        seg, zone = self._zone_tree.query(segments)
        step = long_step[seg]
        fence = self._zone_index[zone].astype(np.int64)
        at_end = _member(keys, (step + n_dense) * n_fences + fence)
        at_start = _member(keys, prev_id[step] * n_fences + fence)
        open_pair = np.flatnonzero(~at_end & ~at_start)
        crossed = open_pair[shapely.intersects(self._zone_array[zone[open_pair]], segments[seg[open_pair]])]
        i, f = step[crossed], fence[crossed]
        middle = (prev_t[i] + b.t[i]) / 2
        lon, lat = self.projection.inverse((prev_x[i] + b.x[i]) / 2, (prev_y[i] + b.y[i]) / 2)
        events: list[Event] = []
        for vehicle, fence_id, when, x, y in zip(
            b.veh[i].tolist(), self._ids[f].tolist(), middle.tolist(), np.asarray(lon).tolist(),
            np.asarray(lat).tolist(), strict=True,
        ):  # fmt: skip
            events.append(Event("enter", vehicle, fence_id, when, None, x, y, crossed=True))
            events.append(Event("exit", vehicle, fence_id, when, None, x, y, crossed=True))
        return events

    def _runs(self, b: _Batch, kind: str, mask: BoolArray, min_s: float, limit: FloatArray) -> list[Event]:
        """Runs of consecutive fixes of one vehicle where ``mask`` holds, joined across batches.

        A run opens an event once it has lasted ``min_s`` and closes it at its last fix. All runs
        of the batch are handled at once; only events become Python objects."""
        runs = self._state.runs[kind]
        first, last = b.first_of_vehicle, b.last_of_vehicle
        events: list[Event] = []
        # a carried open run whose vehicle's first fix here is outside it ends at its last fix
        ended = b.dense[first & ~mask]
        ended = ended[runs.active[ended]]
        closing = ended[runs.opened[ended]]
        events += self._run_events(kind, self._state.ids[closing], runs.values[closing], closed=True)
        runs.active[ended] = False
        prev_mask = np.concatenate([[False], mask[:-1]])
        next_mask = np.concatenate([mask[1:], [False]])
        starts = np.flatnonzero(mask & (first | ~prev_mask))
        if len(starts) == 0:
            return events
        ends = np.flatnonzero(mask & (last | ~next_mask))
        d = b.dense[starts]
        cont = first[starts] & runs.active[d]
        carried = runs.values[d]
        peak = np.maximum.reduceat(np.where(mask, b.speed, -np.inf), starts)
        lim = np.minimum.reduceat(np.where(mask, limit, np.inf), starts)
        values = np.column_stack([
            np.where(cont, carried[:, 0], b.t[starts]), b.t[ends],
            np.where(cont, carried[:, 2], b.lon[starts]), np.where(cont, carried[:, 3], b.lat[starts]),
            np.where(cont, np.maximum(carried[:, 4], peak), peak), np.where(cont, np.minimum(carried[:, 5], lim), lim),
        ])  # fmt: skip
        was_opened = cont & runs.opened[d]
        long_enough = values[:, 1] - values[:, 0] >= min_s
        still = last[ends]
        opening = np.flatnonzero(still & long_enough & ~was_opened)
        events += self._run_events(kind, b.veh[starts[opening]], values[opening], closed=False)
        done = np.flatnonzero(~still & (long_enough | was_opened))
        events += self._run_events(kind, b.veh[starts[done]], values[done], closed=True)
        runs.active[d[~still]] = False
        keep = d[still]
        runs.active[keep] = True
        runs.opened[keep] = (was_opened | long_enough)[still]
        runs.values[keep] = values[still]
        return events

    @staticmethod
    def _run_events(kind: str, vehicles: IntArray, runs: FloatArray, *, closed: bool) -> list[Event]:
        """Events of runs (rows: start, last, lon, lat, peak, limit), converted to Python in bulk."""
        speed = kind == "overspeed"
        return [
            Event(kind, vehicle, None, start, end if closed else None, lon, lat,
                  peak if speed else None, limit if speed else None)
            for vehicle, (start, end, lon, lat, peak, limit) in zip(vehicles.tolist(), runs.tolist(), strict=True)
        ]  # fmt: skip

    def _parking_events(self, now: float) -> list[Event]:
        """A parking lot holding more vehicles than its capacity, by every vehicle's current zones."""
        events: list[Event] = []
        zones = self._state.zone_f
        counts = np.bincount(zones[self._parking[zones]], minlength=len(self.fences))
        for index in np.flatnonzero(self._parking):
            fence = self.fences[index]
            full = fence.capacity is not None and int(counts[index]) > fence.capacity
            opened = self._full.get(int(index))
            lon, lat = fence.coordinates[0]
            if full and opened is None:
                self._full[int(index)] = now
                events.append(Event("parking_full", 0, fence.id, now, None, lon, lat))
            elif not full and opened is not None:
                del self._full[int(index)]
                events.append(Event("parking_full", 0, fence.id, opened, now, lon, lat))
        return events

    def _fix_events(self, kind: str, b: _Batch, fixes: IntArray, fences: IntArray) -> list[Event]:
        """Events at fixes of the batch, one per (fix, fence index) pair, converted in bulk."""
        ids = self._ids[fences].tolist()
        return [
            Event(kind, vehicle, fence, t, None, lon, lat)
            for vehicle, fence, t, lon, lat in zip(
                b.veh[fixes].tolist(), ids, b.t[fixes].tolist(), b.lon[fixes].tolist(), b.lat[fixes].tolist(),
                strict=True,
            )
        ]  # fmt: skip

    def knows(self, vehicle: int) -> bool:
        """Whether the engine holds a last fix of ``vehicle``."""
        index = self._state.index.get(vehicle)
        return index is not None and not np.isnan(self._state.txy[index, 0])

    def last_time(self, vehicle: int) -> float | None:
        """Time of the last fix the engine holds of ``vehicle`` (None: none)."""
        index = self._state.index.get(vehicle)
        if index is None or np.isnan(self._state.txy[index, 0]):
            return None
        return float(self._state.txy[index, 0])

    def restore(self, vehicle: int, t: float, lon: float, lat: float) -> None:
        """Seed a vehicle's last fix (after a restart), so the filter, crossings and zones see it."""
        x, y = self.projection.forward(lon, lat)
        index = int(self._state.dense(np.asarray([vehicle], dtype=np.int64))[0])
        self._state.txy[index] = (t, float(x), float(y))
        inside = self._tree.query(shapely.points(float(x), float(y)), predicate="intersects")
        zones = np.asarray([int(f) for f in inside if self._is_zone[f]], dtype=np.int64)
        keep = self._state.zone_v != index
        self._state.zone_v = np.concatenate([self._state.zone_v[keep], np.full(len(zones), index, dtype=np.int64)])
        self._state.zone_f = np.concatenate([self._state.zone_f[keep], zones])


@dataclass(frozen=True)
class _Batch:
    veh: IntArray
    dense: IntArray
    t: FloatArray
    lon: FloatArray
    lat: FloatArray
    speed: FloatArray
    x: FloatArray
    y: FloatArray

    @cached_property
    def first_of_vehicle(self) -> BoolArray:
        first = np.ones(len(self.veh), dtype=bool)
        first[1:] = self.veh[1:] != self.veh[:-1]
        return first

    @cached_property
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
