"""Geometry helpers: GeoJSON checks in WGS84 and distances in a local metric projection.

Pure: no Django. Coordinates are GeoJSON order (lon, lat). CGCS2000 and WGS84 differ by centimetres,
far below what a park map or a dispersion model resolves, so they are treated as one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from shapely.affinity import scale
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8


def _positions(coordinates: Any) -> Iterable[Sequence[Any]]:
    """Every position of a GeoJSON coordinates array, however deeply nested."""
    if isinstance(coordinates, list | tuple) and coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
        return
    if isinstance(coordinates, list | tuple):
        for item in coordinates:
            yield from _positions(item)


def geometry_problem(value: Any, allowed: Sequence[str]) -> str | None:  # noqa: PLR0911 — one return per rule
    """Why ``value`` is not an acceptable GeoJSON geometry of an ``allowed`` type, or ``None``."""
    if not isinstance(value, dict):
        return "几何对象必须是 GeoJSON 对象"
    kind = value.get("type")
    if kind not in allowed:
        return f"几何类型须为 {'/'.join(allowed)}，收到 {kind!r}"
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        return "缺少坐标 coordinates"
    for position in _positions(coordinates):
        if len(position) < 2 or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in position
        ):
            return f"坐标 {position!r} 不是数值对"
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"坐标 ({lon}, {lat}) 超出经纬度范围（应为 [经度, 纬度]）"
    geometry = parsed_shape(value)
    if isinstance(geometry, str):
        return geometry
    if not geometry.is_valid:
        return validity_zh(explain_validity(geometry))
    return None


def parsed_shape(value: dict[str, Any]) -> BaseGeometry | str:
    """The shapely geometry of a GeoJSON ``value``, or why it cannot be built, in Chinese: shapely and
    GEOS say it in English ("A linearring requires at least 4 coordinates", "point array must contain
    0 or >1 elements"), and GEOS's own error is not a ``ValueError``."""
    try:
        return shape(value)
    except (ValueError, TypeError, IndexError, AttributeError, KeyError, ShapelyError) as exc:
        reason = str(exc).lower()
    if "linearring" in reason:
        return "多边形的边界至少需要四个坐标（三个不同的顶点，最后回到起点）"
    if "point array" in reason:
        return "线至少需要两个坐标"
    return "坐标的层次与几何类型不符"


# GEOS's reasons for an invalid geometry, in the words of the person who drew it.
_VALIDITY_ZH = {
    "Self-intersection": "多边形的边自相交",
    "Ring Self-intersection": "多边形的边界自相交",
    "Too few points in geometry component": "顶点太少（多边形至少三个不同的顶点）",
    "Hole lies outside shell": "内洞位于多边形之外",
    "Nested shells": "多边形相互嵌套",
    "Nested holes": "内洞相互嵌套",
    "Interior is disconnected": "多边形内部不连通",
    "Duplicate Rings": "存在重复的环",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "多边形未闭合",
}
_VALIDITY = re.compile(r"^(?P<reason>[A-Za-z -]+?)\s*\[(?P<x>[-\d.eE+]+) (?P<y>[-\d.eE+]+)\]$")


def validity_zh(explanation: str) -> str:
    """Shapely's ``explain_validity`` ("Self-intersection[118.1 39.2]") as a Chinese sentence that
    says what is wrong and where, so the user finds the crossing on the map."""
    match = _VALIDITY.match(explanation.strip())
    if match is None:
        return f"几何对象无效：{explanation}"
    reason = _VALIDITY_ZH.get(match["reason"], match["reason"])
    x, y = float(match["x"]), float(match["y"])
    return f"几何对象无效：{reason}（约在经度 {x:.6f}、纬度 {y:.6f} 处）"


def distance_outside_m(value: dict[str, Any], area: dict[str, Any]) -> float:
    """How far (metres) the geometry ``value`` reaches beyond ``area`` (the park's boundary): 0 when
    it lies wholly inside. Measured in a local equirectangular projection around the area, exact
    enough at the scale of a park (a few kilometres) to tell a typing error from a nearby village."""
    centre = shape(area).centroid
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(centre.y))
    ky = math.radians(1) * EARTH_RADIUS_M
    park = scale(shape(area), xfact=kx, yfact=ky, origin=(0, 0))
    positions = [Point(float(p[0]) * kx, float(p[1]) * ky) for p in _positions(value.get("coordinates"))]
    return max((park.distance(p) for p in positions), default=0.0)


# How far beyond the park's boundary a registered location may lie: protective targets and roads
# around a park sit within a few kilometres of it (GB/T 37243 external safety distances reach about
# 2 km); ten kilometres tells a neighbouring village from a typing error (swapped or lost digits).
PARK_MARGIN_M = 10_000.0


def outside_park_problem(
    value: dict[str, Any], boundary: dict[str, Any], margin_m: float = PARK_MARGIN_M
) -> str | None:
    """Why a (valid) geometry lies too far outside the park's ``boundary`` to be meant, or ``None``."""
    beyond = distance_outside_m(value, boundary)
    if beyond <= margin_m:
        return None
    return f"位置在园区边界以外 {beyond / 1000:.1f} km（最多 {margin_m / 1000:.0f} km），请检查经度、纬度是否填反或有误"


def representative_point(value: dict[str, Any]) -> tuple[float, float]:
    """A (lon, lat) inside the geometry, for a marker or a label."""
    point = shape(value).representative_point()
    return float(point.x), float(point.y)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres; accurate to ~0.5 % — enough for ranking and search radii."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
