"""Which cameras see a place: the view cone of a camera (heading, field of view, range).

A fixed or tower/PTZ camera (高空瞭望) looks along a compass heading (degrees clockwise from north)
with a horizontal field of view; it sees a place that lies within its range and whose bearing is
within half the field of view of the heading. A camera without a known heading (a dome, or one not
surveyed yet) is taken to see all around within its range. Distances are great-circle (haversine);
within a park the bearing is the initial great-circle bearing. Pure: no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chempark.common.geo import haversine_m

FULL_CIRCLE_DEG = 360.0


@dataclass(frozen=True)
class ViewCone:
    lon: float
    lat: float
    range_m: float
    heading_deg: float | None = None  # None: sees all around
    fov_deg: float = FULL_CIRCLE_DEG


def bearing_deg(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Initial compass bearing from point 1 to point 2, in [0, 360)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    y = math.sin(dlon) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlon)
    return math.degrees(math.atan2(y, x)) % FULL_CIRCLE_DEG


def angle_between_deg(a: float, b: float) -> float:
    """The smaller angle between two compass directions, in [0, 180]."""
    diff = abs(a - b) % FULL_CIRCLE_DEG
    return min(diff, FULL_CIRCLE_DEG - diff)


def sees(cone: ViewCone, lon: float, lat: float) -> float | None:
    """The distance in metres from the camera to the place when the camera sees it, else None."""
    distance = haversine_m(cone.lon, cone.lat, lon, lat)
    if distance > cone.range_m:
        return None
    if cone.heading_deg is None or cone.fov_deg >= FULL_CIRCLE_DEG or distance < 1.0:
        return distance  # all around, or standing at the camera's foot
    off_axis = angle_between_deg(bearing_deg(cone.lon, cone.lat, lon, lat), cone.heading_deg)
    return distance if off_axis <= cone.fov_deg / 2 else None


def cone_polygon(cone: ViewCone, steps: int = 16) -> list[tuple[float, float]]:
    """The cone as a closed (lon, lat) ring for the map: the camera, then the arc at its range.
    Uses a local flat-earth offset, exact enough for ranges of a few kilometres."""
    half = (cone.fov_deg if cone.heading_deg is not None else FULL_CIRCLE_DEG) / 2
    heading = cone.heading_deg or 0.0
    metres_per_deg_lat = 111_320.0
    metres_per_deg_lon = metres_per_deg_lat * math.cos(math.radians(cone.lat))
    arc = []
    for i in range(steps + 1):
        direction = math.radians(heading - half + 2 * half * i / steps)
        arc.append(
            (
                cone.lon + cone.range_m * math.sin(direction) / metres_per_deg_lon,
                cone.lat + cone.range_m * math.cos(direction) / metres_per_deg_lat,
            )
        )
    if half >= FULL_CIRCLE_DEG / 2:
        return arc
    return [(cone.lon, cone.lat), *arc, (cone.lon, cone.lat)]
