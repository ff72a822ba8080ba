"""The road graph on a small hand-made network with answers worked out by hand (times = length ÷
speed): a faster detour, a blocked road, an island node and a node behind a blocked road."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.common.geo import haversine_m
from chempark.incidents.roads import (
    ACCESS_SPEED_KMH,
    Node,
    RoadLine,
    RoadNetwork,
    Segment,
    segments_inside,
    split_roads,
)

LON, LAT = 118.20, 39.20
NODES = [
    Node(1, LON, LAT),
    Node(2, LON + 0.01, LAT),
    Node(3, LON + 0.02, LAT),
    Node(4, LON + 0.02, LAT + 0.01),
    Node(5, LON + 0.05, LAT + 0.05),  # no road at all
    Node(6, LON + 0.03, LAT + 0.01),  # only behind a blocked road
]
SEGMENTS = [
    Segment(12, 1, 2, 1000, 36),  # 100 s
    Segment(23, 2, 3, 1000, 36),  # 100 s
    Segment(13, 1, 3, 3000, 72),  # 150 s: longer but faster than 1-2-3 (200 s)
    Segment(34, 3, 4, 500, 18),  # 100 s
    Segment(46, 4, 6, 800, 36, blocked=True),
]


def at(node_id: int) -> tuple[float, float]:
    node = next(n for n in NODES if n.id == node_id)
    return (node.lon, node.lat)


def test_fastest_route_takes_the_faster_longer_road() -> None:
    route = RoadNetwork(NODES, SEGMENTS).route(at(1), at(4))
    assert route is not None
    assert route.nodes == (1, 3, 4)
    assert route.travel_s == pytest.approx(250)
    assert route.length_m == pytest.approx(3500)
    assert route.eta_min == pytest.approx(250 / 60)


def test_a_blocked_road_is_avoided() -> None:
    route = RoadNetwork(NODES, SEGMENTS, extra_blocked={13}).route(at(1), at(4))
    assert route is not None
    assert route.nodes == (1, 2, 3, 4)
    assert route.travel_s == pytest.approx(300)


def test_unreachable_points_have_no_route() -> None:
    network = RoadNetwork(NODES, SEGMENTS)
    assert network.route(at(1), at(5)) is None
    assert network.route(at(1), at(6)) is None  # its only road is blocked
    assert RoadNetwork([], []).route(at(1), at(2)) is None


def test_ranking_by_travel_time_with_the_unreachable_last() -> None:
    network = RoadNetwork(NODES, SEGMENTS)
    ranked = network.rank(at(4), [("island", at(5)), ("far", at(1)), ("near", at(2)), ("walled", at(6))])
    assert [r.key for r in ranked] == ["near", "far", "island", "walled"]
    assert ranked[0].route is not None and ranked[0].route.travel_s == pytest.approx(200)
    assert ranked[1].route is not None and ranked[1].route.travel_s == pytest.approx(250)
    assert ranked[0].route.line[0] == at(2) and ranked[0].route.line[-1] == at(4)
    assert ranked[2].route is None and ranked[3].route is None


def test_blocking_the_direct_road_reorders_nothing_but_the_times() -> None:
    ranked = RoadNetwork(NODES, SEGMENTS, extra_blocked={13}).rank(at(4), [("far", at(1)), ("near", at(2))])
    assert [(r.key, round(r.route.travel_s)) for r in ranked if r.route] == [("near", 200), ("far", 300)]


def test_a_point_off_the_road_reaches_its_nearest_node_at_the_access_speed() -> None:
    off = (LON + 0.01, LAT - 0.0009)  # about 100 m south of node 2
    gap = haversine_m(*off, *at(2))
    route = RoadNetwork(NODES, SEGMENTS).route(off, at(3))
    assert route is not None and route.nodes == (2, 3)
    assert route.travel_s == pytest.approx(100 + gap / (ACCESS_SPEED_KMH / 3.6))
    assert route.length_m == pytest.approx(1000 + gap)


def test_segments_inside_a_zone() -> None:
    d = 0.002
    zone = {
        "type": "Polygon",
        "coordinates": [
            [
                [LON + 0.02 - d, LAT + 0.004],
                [LON + 0.02 + d, LAT + 0.004],
                [LON + 0.02 + d, LAT + 0.006],
                [LON + 0.02 - d, LAT + 0.006],
                [LON + 0.02 - d, LAT + 0.004],
            ]
        ],
    }
    assert segments_inside(NODES, SEGMENTS, zone) == {34}


def test_a_segment_needs_a_positive_speed() -> None:
    with pytest.raises(ValueError, match="speed"):
        RoadNetwork(NODES, [Segment(1, 1, 2, 100, 0)])


def test_crossing_roads_share_a_node_and_long_roads_are_cut() -> None:
    east_west = RoadLine("纬路", [(LON, LAT), (LON + 0.02, LAT)], 40)  # about 1725 m
    north_south = RoadLine("经路", [(LON + 0.01, LAT - 0.005), (LON + 0.01, LAT + 0.005)], 30)
    planned = split_roads([east_west, north_south], max_length_m=400)
    ends = [p.a for p in planned] + [p.b for p in planned]
    assert ends.count((round(LON + 0.01, 6), LAT)) == 4  # the crossing joins four pieces
    assert all(p.length_m <= 400 for p in planned)
    total_ew = sum(p.length_m for p in planned if p.name == "纬路")
    assert total_ew == pytest.approx(haversine_m(LON, LAT, LON + 0.02, LAT), rel=1e-6)
    assert {p.speed_kmh for p in planned if p.name == "经路"} == {30}


def test_a_road_ending_just_short_of_another_joins_it() -> None:
    main = RoadLine("纬路", [(LON, LAT), (LON + 0.02, LAT)], 40)
    spur = RoadLine("支路", [(LON + 0.01, LAT + 0.0001), (LON + 0.01, LAT + 0.01)], 30)  # ends about 11 m short
    planned = split_roads([main, spur])
    nodes = {p.a for p in planned} | {p.b for p in planned}
    segments = [
        Segment(i, *(sorted(nodes).index(e) for e in (p.a, p.b)), p.length_m, p.speed_kmh)
        for i, p in enumerate(planned)
    ]
    network = RoadNetwork([Node(i, *xy) for i, xy in enumerate(sorted(nodes))], segments)
    assert network.route((LON, LAT), (LON + 0.01, LAT + 0.01)) is not None


@given(
    speeds=st.lists(st.sampled_from([10, 20, 30, 40, 60]), min_size=12, max_size=12),
    blocked=st.sets(st.integers(0, 11), max_size=5),
)
@settings(max_examples=40, deadline=None)
def test_ranking_agrees_with_single_routes(speeds: list[int], blocked: set[int]) -> None:
    """On a 3 × 3 grid with random speeds and blocks, the one-tree ranking gives each candidate the
    same time as its own route (roads are two-way), in order, with the unreachable last."""
    nodes = [Node(r * 3 + c, LON + c * 0.01, LAT + r * 0.01) for r in range(3) for c in range(3)]
    pairs = [(r * 3 + c, r * 3 + c + 1) for r in range(3) for c in range(2)] + [
        (r * 3 + c, r * 3 + c + 3) for r in range(2) for c in range(3)
    ]
    segments = [Segment(i, a, b, 1000, speeds[i], i in blocked) for i, (a, b) in enumerate(pairs)]
    network = RoadNetwork(nodes, segments)
    scene = (nodes[4].lon, nodes[4].lat)
    ranked = network.rank(scene, [(n.id, (n.lon, n.lat)) for n in nodes])
    times = [r.route.travel_s for r in ranked if r.route]
    assert times == sorted(times)
    for item in ranked:
        single = network.route((nodes[item.key].lon, nodes[item.key].lat), scene)
        assert (single is None) == (item.route is None)
        if single is not None and item.route is not None:
            assert item.route.travel_s == pytest.approx(single.travel_s)
    assert all(r.route is None for r in ranked[len(times) :])
