"""The geometry checks behind every drawn location: invalid shapes explained in Chinese, with where the
problem is, and the distance a location reaches beyond the park's boundary."""

from __future__ import annotations

import pytest

from chempark.common.geo import PARK_MARGIN_M, distance_outside_m, geometry_problem, outside_park_problem, validity_zh

# A park of 0.02° × 0.02° (about 1.7 km east–west and 2.2 km north–south at 39° N).
PARK = {
    "type": "Polygon",
    "coordinates": [[[118.20, 39.20], [118.22, 39.20], [118.22, 39.22], [118.20, 39.22], [118.20, 39.20]]],
}
METRES_PER_DEGREE_LAT = 111_195.0


def test_a_bow_tie_is_refused_in_chinese_with_the_crossing() -> None:
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[118.2, 39.2], [118.21, 39.21], [118.21, 39.2], [118.2, 39.21], [118.2, 39.2]]],
    }
    problem = geometry_problem(bow_tie, ("Polygon",))
    assert problem == "几何对象无效：多边形的边自相交（约在经度 118.205000、纬度 39.205000 处）"


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (
            {"type": "Polygon", "coordinates": [[[118.2, 39.2], [118.21, 39.21]]]},
            "多边形的边界至少需要四个坐标（三个不同的顶点，最后回到起点）",
        ),
        ({"type": "LineString", "coordinates": [[118.2, 39.2]]}, "线至少需要两个坐标"),  # GEOS's own error
        ({"type": "Polygon", "coordinates": [[118.2, 39.2], [118.21, 39.21]]}, "坐标的层次与几何类型不符"),
        ({"type": "MultiPolygon", "coordinates": [[[118.2, 39.2]]]}, "坐标的层次与几何类型不符"),
    ],
)
def test_shapes_that_cannot_be_built_are_refused_in_chinese(geometry: dict[str, object], expected: str) -> None:
    assert geometry_problem(geometry, ("Polygon", "MultiPolygon", "LineString")) == expected


@pytest.mark.parametrize(
    ("explanation", "expected"),
    [
        ("Ring Self-intersection[1 2]", "几何对象无效：多边形的边界自相交（约在经度 1.000000、纬度 2.000000 处）"),
        (
            "Hole lies outside shell[118.5 39.25]",
            "几何对象无效：内洞位于多边形之外（约在经度 118.500000、纬度 39.250000 处）",
        ),
        ("Something new[1 2]", "几何对象无效：Something new（约在经度 1.000000、纬度 2.000000 处）"),
        ("no position at all", "几何对象无效：no position at all"),
    ],
)
def test_validity_reasons(explanation: str, expected: str) -> None:
    assert validity_zh(explanation) == expected


def test_inside_the_park_is_zero_outside_is_metres_to_the_boundary() -> None:
    assert distance_outside_m({"type": "Point", "coordinates": [118.21, 39.21]}, PARK) == 0.0
    north = distance_outside_m({"type": "Point", "coordinates": [118.21, 39.23]}, PARK)
    assert north == pytest.approx(0.01 * METRES_PER_DEGREE_LAT, rel=0.01)
    # a polygon reaches as far as its farthest vertex
    polygon = {
        "type": "Polygon",
        "coordinates": [[[118.21, 39.21], [118.21, 39.25], [118.215, 39.21], [118.21, 39.21]]],
    }
    assert distance_outside_m(polygon, PARK) == pytest.approx(0.03 * METRES_PER_DEGREE_LAT, rel=0.01)


def test_a_nearby_village_passes_a_swapped_coordinate_does_not() -> None:
    village = {"type": "Point", "coordinates": [118.21, 39.25]}  # 3.3 km north
    assert outside_park_problem(village, PARK) is None
    swapped = {"type": "Point", "coordinates": [39.21, 118.21 - 80]}  # latitude typed as longitude
    problem = outside_park_problem(swapped, PARK)
    assert problem is not None and problem.startswith("位置在园区边界以外") and "经度、纬度是否填反" in problem
    just_beyond = {"type": "Point", "coordinates": [118.21, 39.22 + (PARK_MARGIN_M + 200) / METRES_PER_DEGREE_LAT]}
    assert (
        outside_park_problem(just_beyond, PARK)
        == "位置在园区边界以外 10.2 km（最多 10 km），请检查经度、纬度是否填反或有误"
    )
