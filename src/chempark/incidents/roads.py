"""The park's road network as a graph, travel times over it and the ranking of resources by them.

Pure (no Django). A road is a chain of segments between nodes; a segment's weight is its travel time
(length ÷ speed). A point off the road (a fire station, an enterprise's gate, an incident) joins the
network at its nearest node and covers that gap at :data:`ACCESS_SPEED_KMH`: an estimate for yard
and access roads that are not drawn. Blocked segments are left out of the graph, so a route never
uses them; a point whose node has no path to the other answers ``None`` (unreachable), never a
guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx
from shapely.geometry import LineString, MultiLineString, shape
from shapely.ops import snap, unary_union

from chempark.common.geo import haversine_m

ACCESS_SPEED_KMH = 15.0
"""Speed over the gap between a point and its nearest road node (unmapped yard roads, walking a hose)."""


@dataclass(frozen=True)
class Node:
    id: int
    lon: float
    lat: float


@dataclass(frozen=True)
class Segment:
    id: int
    a: int
    b: int
    length_m: float
    speed_kmh: float
    blocked: bool = False

    @property
    def travel_s(self) -> float:
        return self.length_m / (self.speed_kmh / 3.6)


@dataclass(frozen=True)
class Route:
    """A way between two points: the road nodes passed, the drawn line (start, nodes, end), its length
    and travel time, both counting the access gaps at either end."""

    nodes: tuple[int, ...]
    line: tuple[tuple[float, float], ...]
    length_m: float
    travel_s: float

    @property
    def eta_min(self) -> float:
        return self.travel_s / 60.0


@dataclass(frozen=True)
class Ranked:
    """A candidate (a resource, a shelter) with its route from or to the scene; ``route`` is ``None``
    when no open road joins them."""

    key: Any
    route: Route | None


def _access_s(distance_m: float) -> float:
    return distance_m / (ACCESS_SPEED_KMH / 3.6)


class RoadNetwork:
    """Nodes and segments as an undirected graph weighted by travel time, blocked segments (and any
    ``extra_blocked``) removed."""

    def __init__(self, nodes: Iterable[Node], segments: Iterable[Segment], extra_blocked: Iterable[int] = ()) -> None:
        self.nodes = {n.id: n for n in nodes}
        skip = set(extra_blocked)
        self.graph: Any = nx.Graph()
        self.graph.add_nodes_from(self.nodes)
        for s in segments:
            if s.blocked or s.id in skip or s.a not in self.nodes or s.b not in self.nodes:
                continue
            if s.speed_kmh <= 0 or s.length_m < 0:
                raise ValueError(f"segment {s.id}: speed must be positive and length not negative")
            current = self.graph.get_edge_data(s.a, s.b)
            if current is None or current["weight"] > s.travel_s:
                self.graph.add_edge(s.a, s.b, weight=s.travel_s, length=s.length_m, segment=s.id)

    def nearest(self, lon: float, lat: float) -> tuple[Node, float] | None:
        """The node closest to the point and its distance in metres; ``None`` for an empty network."""
        best: tuple[Node, float] | None = None
        for node in self.nodes.values():
            distance = haversine_m(lon, lat, node.lon, node.lat)
            if best is None or distance < best[1]:
                best = (node, distance)
        return best

    def _path_route(self, path: Sequence[int], start: tuple[float, float], end: tuple[float, float]) -> Route:
        first, last = self.nodes[path[0]], self.nodes[path[-1]]
        gap_a = haversine_m(start[0], start[1], first.lon, first.lat)
        gap_b = haversine_m(end[0], end[1], last.lon, last.lat)
        edges = [self.graph.edges[u, v] for u, v in pairwise(path)]
        return Route(
            nodes=tuple(path),
            line=(start, *((self.nodes[n].lon, self.nodes[n].lat) for n in path), end),
            length_m=gap_a + gap_b + sum(e["length"] for e in edges),
            travel_s=_access_s(gap_a) + _access_s(gap_b) + sum(e["weight"] for e in edges),
        )

    def route(self, start: tuple[float, float], end: tuple[float, float]) -> Route | None:
        """The fastest route between two (lon, lat) points, or ``None`` when no open road joins them."""
        a, b = self.nearest(*start), self.nearest(*end)
        if a is None or b is None:
            return None
        try:
            path = nx.dijkstra_path(self.graph, a[0].id, b[0].id, weight="weight")
        except nx.NetworkXNoPath:
            return None
        return self._path_route(path, start, end)

    def rank(self, scene: tuple[float, float], candidates: Iterable[tuple[Any, tuple[float, float]]]) -> list[Ranked]:
        """Each candidate (key, position) with its route to ``scene``, fastest first and the unreachable
        last (in the order given). One shortest-path tree from the scene serves them all: roads are
        two-way, so the time there equals the time back."""
        hub = self.nearest(*scene)
        if hub is None:
            return [Ranked(key, None) for key, _ in candidates]
        times, paths = nx.single_source_dijkstra(self.graph, hub[0].id, weight="weight")
        reached: list[Ranked] = []
        unreached: list[Ranked] = []
        for key, position in candidates:
            near = self.nearest(*position)
            if near is None or near[0].id not in times:
                unreached.append(Ranked(key, None))
                continue
            path = list(reversed(paths[near[0].id]))
            reached.append(Ranked(key, self._path_route(path, position, scene)))
        reached.sort(key=lambda r: r.route.travel_s if r.route else math.inf)
        return reached + unreached


def segments_inside(nodes: Iterable[Node], segments: Iterable[Segment], area: dict[str, Any]) -> frozenset[int]:
    """The segments that cross or lie in a GeoJSON area (a threat zone): an evacuation route avoids
    them. Checked in lon/lat, where crossing is the same question as in metres."""
    positions = {n.id: (n.lon, n.lat) for n in nodes}
    zone = shape(area)
    return frozenset(
        s.id
        for s in segments
        if s.a in positions and s.b in positions and LineString([positions[s.a], positions[s.b]]).intersects(zone)
    )


@dataclass(frozen=True)
class RoadLine:
    """A road drawn as a line (lon, lat points) with its speed, from which the network is built."""

    name: str
    points: Sequence[tuple[float, float]]
    speed_kmh: float


@dataclass(frozen=True)
class PlannedSegment:
    name: str
    a: tuple[float, float]
    b: tuple[float, float]
    length_m: float
    speed_kmh: float


SNAP_DEG = 0.0003
"""A road end this close (about 30 m) to another road joins it: drawn roads rarely meet exactly."""


def split_roads(roads: Sequence[RoadLine], max_length_m: float = 400.0) -> list[PlannedSegment]:
    """Roads cut where they cross each other and then into pieces of at most ``max_length_m``, so that
    a point snaps to a node near it. Crossing roads share the node at the crossing; an end within
    :data:`SNAP_DEG` of another road is moved onto it first."""
    drawn = [LineString(r.points) for r in roads]
    lines = [
        snap(line, unary_union([other for j, other in enumerate(drawn) if j != i]), SNAP_DEG)
        if len(drawn) > 1
        else line
        for i, line in enumerate(drawn)
    ]
    noded = unary_union(lines)
    pieces = list(noded.geoms) if isinstance(noded, MultiLineString) else [noded]
    planned: list[PlannedSegment] = []
    for piece in pieces:
        owner = min(range(len(roads)), key=lambda i: lines[i].distance(piece.interpolate(0.5, normalized=True)))
        coords = [(round(x, 6), round(y, 6)) for x, y in piece.coords]
        for (lon1, lat1), (lon2, lat2) in pairwise(coords):
            length = haversine_m(lon1, lat1, lon2, lat2)
            parts = max(1, math.ceil(length / max_length_m))
            points = [
                (round(lon1 + (lon2 - lon1) * k / parts, 6), round(lat1 + (lat2 - lat1) * k / parts, 6))
                for k in range(parts + 1)
            ]
            planned.extend(
                PlannedSegment(roads[owner].name, p, q, length / parts, roads[owner].speed_kmh)
                for p, q in pairwise(points)
            )
    return planned
