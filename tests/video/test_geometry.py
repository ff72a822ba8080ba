"""View cones: which camera sees a place, checked against a published worked example of the bearing
formula and against cones drawn by hand."""

from __future__ import annotations

import pytest

from chempark.common.geo import haversine_m
from chempark.video.geometry import ViewCone, angle_between_deg, bearing_deg, cone_polygon, sees

M_PER_DEG_LAT = 111_195.0  # on the haversine sphere (R = 6371 km)
LON, LAT = 118.2, 39.2


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    """A place north/east of the camera, in (lon, lat)."""
    return (LON + east_m / (M_PER_DEG_LAT * 0.774944), LAT + north_m / M_PER_DEG_LAT)  # cos 39.2° = 0.7749


def test_bearing_of_the_published_worked_example() -> None:
    # Land's End (50°03′59″N 005°42′53″W) to John o' Groats (58°38′38″N 003°04′12″W):
    # initial bearing 009°07′11″ (Veness, "Calculate distance, bearing and more between lat/long points").
    lands_end = (-(5 + 42 / 60 + 53 / 3600), 50 + 3 / 60 + 59 / 3600)
    john_o_groats = (-(3 + 4 / 60 + 12 / 3600), 58 + 38 / 60 + 38 / 3600)
    assert bearing_deg(*lands_end, *john_o_groats) == pytest.approx(9 + 7 / 60 + 11 / 3600, abs=1 / 3600)


@pytest.mark.parametrize(("north", "east", "expected"), [(1, 0, 0.0), (0, 1, 90.0), (-1, 0, 180.0), (0, -1, 270.0)])
def test_bearing_of_the_compass_points(north: float, east: float, expected: float) -> None:
    assert bearing_deg(LON, LAT, *offset(north * 100, east * 100)) == pytest.approx(expected, abs=0.01)


def test_angle_between_wraps_around_north() -> None:
    assert angle_between_deg(350, 10) == 20 and angle_between_deg(10, 350) == 20 and angle_between_deg(0, 180) == 180


def test_a_camera_sees_inside_its_cone_and_range_only() -> None:
    north_90 = ViewCone(LON, LAT, range_m=300, heading_deg=0, fov_deg=90)
    assert sees(north_90, *offset(200, 0)) == pytest.approx(200, rel=0.01)
    assert sees(north_90, *offset(200, 190)) is not None  # 43.5° off axis, inside the 45° half-angle
    assert sees(north_90, *offset(200, 210)) is None  # 46.4° off axis
    assert sees(north_90, *offset(-100, 0)) is None  # behind
    assert sees(north_90, *offset(310, 0)) is None  # beyond the range


def test_a_cone_across_north_and_an_all_round_camera() -> None:
    across_north = ViewCone(LON, LAT, range_m=2000, heading_deg=350, fov_deg=40)
    assert sees(across_north, *offset(1000, 170)) is not None  # bearing ≈ 9.6°
    assert sees(across_north, *offset(1000, -500)) is not None  # bearing ≈ 333.4°, 16.6° off axis
    assert sees(across_north, *offset(1000, -800)) is None  # bearing ≈ 321.3°, 28.7° off axis
    all_round = ViewCone(LON, LAT, range_m=300)
    assert all(sees(all_round, *offset(n, e)) is not None for n, e in ((250, 0), (0, -250), (-200, 150)))


def test_the_drawn_cone_reaches_the_range_on_both_edges() -> None:
    cone = ViewCone(LON, LAT, range_m=500, heading_deg=90, fov_deg=60)
    ring = cone_polygon(cone)
    assert ring[0] == ring[-1] == (LON, LAT)
    for lon, lat in ring[1:-1]:
        assert haversine_m(LON, LAT, lon, lat) == pytest.approx(500, rel=0.01)
    assert bearing_deg(LON, LAT, *ring[1]) == pytest.approx(60, abs=0.5)
    assert bearing_deg(LON, LAT, *ring[-2]) == pytest.approx(120, abs=0.5)
