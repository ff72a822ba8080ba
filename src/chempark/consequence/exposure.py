"""Who is inside a hazard zone: protective targets, enterprises' employees and populated areas.

Every zone model of the package (toxic threat zones, heat-radiation and overpressure zones) ends in
the same question — how many people are inside each zone — so the counting lives here once. A
zone is a polygon in metres (east, north) around the source; a place with people is a GeoJSON
geometry in WGS84 with a head count and a ``group`` (a protective target, an enterprise's
employees, a populated area such as a village). A point counts with all its people; a polygon
with the share of its area inside the zone, people taken as evenly spread — the registers hold no
finer distribution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from chempark.consequence import zones
from chempark.consequence._checks import FloatArray

TARGET_GROUPS = ("target", "enterprise", "population")
"""``target``: a registered protective target; ``enterprise``: an enterprise's employees at its
site; ``population``: a populated area (village, residential area) of the bureau's population layer."""


@dataclass(frozen=True)
class TargetInput:
    """A place with people: name, GeoJSON geometry (Point/Polygon/MultiPolygon, WGS84), head count."""

    id: int
    name: str
    kind: str
    geometry: dict[str, Any]
    population: int
    group: str = "target"


@dataclass(frozen=True)
class AffectedTarget:
    """A place inside a zone (the innermost one it touches) and the people counted there."""

    id: int
    name: str
    kind: str
    population: int
    zone_label: str
    zone_index: int
    distance_m: float
    fraction_inside: float
    people_affected: int
    group: str = "target"


@dataclass(frozen=True)
class ZoneShape:
    """One zone's label and outline in metres (east, north) around the source; empty when the
    level is never reached."""

    label: str
    polygon_m: FloatArray

    @property
    def is_empty(self) -> bool:
        return len(self.polygon_m) < 3


def _local_geometry(geometry: dict[str, Any], lon: float, lat: float) -> Any:
    """A GeoJSON geometry in WGS84 → shapely geometry in metres (east, north) around (lon, lat)."""
    geom = shape(geometry)

    def project(coords: FloatArray) -> FloatArray:
        return zones.lonlat_to_local(np.asarray(coords, dtype=np.float64), lon, lat)

    return shapely.transform(geom, project)


def _places(targets: Sequence[TargetInput], lon: float, lat: float) -> list[tuple[TargetInput, Any]]:
    found = []
    for target in targets:
        try:
            found.append((target, _local_geometry(target.geometry, lon, lat)))
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            continue  # an unreadable geometry is left out rather than failing the whole simulation
    return found


def _fraction(local: Any, polygon: Any) -> float:
    if local.geom_type == "Point" or local.area <= 0.0:
        return 1.0
    return float(local.intersection(polygon).area / local.area)


def _polygons(zone_shapes: Sequence[ZoneShape]) -> list[tuple[int, ZoneShape, Any]]:
    return [(index, z, shapely.Polygon(z.polygon_m).buffer(0)) for index, z in enumerate(zone_shapes) if not z.is_empty]


def affected_targets(
    zone_shapes: Sequence[ZoneShape], targets: Sequence[TargetInput], *, source_lon_deg: float, source_lat_deg: float
) -> list[AffectedTarget]:
    """Places inside a zone, each counted once in the innermost zone it touches, nearest first.
    ``zone_shapes`` go innermost first."""
    polygons = _polygons(zone_shapes)
    found: list[AffectedTarget] = []
    for target, local in _places(targets, source_lon_deg, source_lat_deg):
        for index, zone_shape, polygon in polygons:
            if not polygon.intersects(local):
                continue
            fraction = _fraction(local, polygon)
            found.append(
                AffectedTarget(
                    id=target.id,
                    name=target.name,
                    kind=target.kind,
                    population=target.population,
                    zone_label=zone_shape.label,
                    zone_index=index,
                    distance_m=round(float(local.distance(shapely.Point(0.0, 0.0))), 1),
                    fraction_inside=round(fraction, 3),
                    people_affected=math.floor(target.population * fraction + 0.5),
                    group=target.group,
                )
            )
            break
    return sorted(found, key=lambda t: (t.zone_index, t.distance_m, t.name))


def people_per_zone(
    zone_shapes: Sequence[ZoneShape], targets: Sequence[TargetInput], *, source_lon_deg: float, source_lat_deg: float
) -> list[dict[str, int]]:
    """For each zone (same order), the people inside it by group (``target``, ``enterprise``,
    ``population``) and in ``total``: everyone within that threshold's reach, so an outer zone
    also counts the people of the zones inside it."""
    places = _places(targets, source_lon_deg, source_lat_deg)
    counts: list[dict[str, int]] = []
    polygons = {index: polygon for index, _, polygon in _polygons(zone_shapes)}
    for index in range(len(zone_shapes)):
        row = dict.fromkeys((*TARGET_GROUPS, "total"), 0)
        polygon = polygons.get(index)
        if polygon is not None:
            for target, local in places:
                if polygon.intersects(local):
                    people = math.floor(target.population * _fraction(local, polygon) + 0.5)
                    row[target.group] = row.get(target.group, 0) + people
                    row["total"] += people
        counts.append(row)
    return counts
