"""Geometry helpers: GeoJSON checks in WGS84 and distances in a local metric projection.

Pure: no Django. Coordinates are GeoJSON order (lon, lat). CGCS2000 and WGS84 differ by centimetres,
far below what a park map or a dispersion model resolves, so they are treated as one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from shapely.geometry import shape
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
    try:
        geometry = shape(value)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        return f"几何对象无法解析：{exc}"
    if not geometry.is_valid:
        return f"几何对象无效：{explain_validity(geometry)}"
    return None


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
