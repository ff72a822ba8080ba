"""The map's view (bounding box and zoom) and the server-side cut and clustering of a located layer.

A park of 1,000 enterprises has 100,000 monitoring points: drawn one by one, the points layer is a
39 MB answer and a browser that stalls. So a located layer answers only for the view the map shows:
the rows inside its bounding box, one feature each while there are few (``DETAIL_MAX``) or the map
is zoomed in (``DETAIL_ZOOM``), otherwise one feature per grid cell of about 64 screen pixels with
the number of rows in it — counted by the database (``GROUP BY`` the cell), so neither the time nor
the size of the answer grows with the registry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Floor
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _

from chempark.core.errors import ErrorCode, InvalidInput

Feature = dict[str, Any]

MAX_ZOOM = 22
CELLS_PER_TILE = 4
"""A 256-pixel tile is cut into 4 × 4 cells: a cluster per 64 pixels or so."""
DETAIL_ZOOM = 17
"""From this zoom on (a few hundred metres across) every row in view is drawn."""
DETAIL_MAX = 400
"""A view with at most this many rows is drawn row by row whatever the zoom (a small park)."""
DETAIL_CAP = 2000
"""Never more rows than this in one answer (a dense block at full zoom): about 0.7 MB."""


@dataclass(frozen=True)
class Viewport:
    """What the map shows: west, south, east, north in degrees (WGS84) and the zoom level."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def cell_deg(self) -> float:
        """The side of a cluster cell in degrees of longitude (latitude cells are as many degrees:
        slightly taller than wide on the screen, which does not matter for counting)."""
        return math.ldexp(360.0, -self.zoom) / CELLS_PER_TILE


WORLD = Viewport(-180.0, -90.0, 180.0, 90.0, 0)


def parse_viewport(bbox: str, zoom: int | None) -> Viewport | None:
    """``bbox=west,south,east,north`` and ``zoom`` from a query string; None when neither is given."""
    if not bbox and zoom is None:
        return None
    try:
        west, south, east, north = (float(part) for part in bbox.split(","))
    except ValueError:
        raise InvalidInput(
            "地图范围须为“西,南,东,北”四个经纬度数值。", code=ErrorCode.INVALID_FILTER, details={"field": "bbox"}
        ) from None
    finite = all(math.isfinite(v) for v in (west, south, east, north))
    if not (finite and -180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput(
            "地图范围须满足 西 < 东、南 < 北，且在经度 ±180、纬度 ±90 以内。",
            code=ErrorCode.INVALID_FILTER,
            details={"field": "bbox"},
        )
    if zoom is None or not 0 <= zoom <= MAX_ZOOM:
        raise InvalidInput(
            f"缩放级别须为 0 至 {MAX_ZOOM} 的整数。", code=ErrorCode.INVALID_FILTER, details={"field": "zoom"}
        )
    return Viewport(west, south, east, north, zoom)


@dataclass(frozen=True)
class Flag:
    """A kind of row a cluster counts (say, points offline), with the colour the cluster takes when
    it holds any, and the words its popup uses.

    The count is over the layer's rows matching ``condition``, or — with ``rows`` — over other rows
    located by the lookups ``lon``/``lat`` (the active alarms of points, by their point's place):
    a few hundred alarms are counted far faster on their own than as a subquery for each of
    100,000 points."""

    name: str
    condition: Q
    colour: str
    label: str | Promise
    rows: Callable[[Any], QuerySet[Any]] | None = None
    lon: str = "lon"
    lat: str = "lat"


@dataclass(frozen=True)
class LocatedSource:
    """A layer of located rows, cut to the view and clustered by the server.

    ``rows`` is the actor's scoped queryset, with ``lon``/``lat`` fields (or the lookups named);
    ``features`` draws the rows of a detailed view. Flags are in order of urgency: a cluster takes the
    colour of the first it holds, ``colour`` when none."""

    rows: Callable[[Any], QuerySet[Any]]
    features: Callable[[Any, Sequence[Any]], list[Feature]]
    # the cluster's label, "%(n)d 个点位": one whole phrase per layer, so a language can say the count
    # its own way (English "%(n)d points"; a noun put into a shared phrase had no plural)
    count: str | Promise
    colour: str
    lon: str = "lon"
    lat: str = "lat"
    flags: tuple[Flag, ...] = field(default_factory=tuple)


def in_view(queryset: QuerySet[Any], view: Viewport, *, lon: str = "lon", lat: str = "lat") -> QuerySet[Any]:
    return queryset.filter(
        **{f"{lon}__gte": view.west, f"{lon}__lte": view.east, f"{lat}__gte": view.south, f"{lat}__lte": view.north}
    )


def located_features(source: LocatedSource, actor: Any, view: Viewport) -> dict[str, Any]:
    """The layer's answer for the view: a FeatureCollection with ``total``, the number of rows in
    view (what the layer list shows), and ``clustered`` saying which kind of features it holds."""
    rows = in_view(source.rows(actor), view, lon=source.lon, lat=source.lat)
    if view.zoom < DETAIL_ZOOM:
        # the clusters count the rows too: no COUNT of its own over a large layer
        clusters = _clusters(source, actor, rows, view)
        total = sum(feature["properties"]["cluster"] for feature in clusters)
        if total > DETAIL_MAX:
            return {"type": "FeatureCollection", "total": total, "clustered": True, "features": clusters}
    else:
        total = rows.count()
    return {
        "type": "FeatureCollection",
        "total": total,
        "clustered": False,
        "features": source.features(actor, list(rows[:DETAIL_CAP])),
    }


def _cells(rows: QuerySet[Any], cell: float, lon: str, lat: str) -> QuerySet[Any]:
    """The rows grouped by the grid cell they fall in (``cx``, ``cy``: cell numbers east and north)."""
    cells: QuerySet[Any] = rows.order_by().annotate(cx=Floor(F(lon) / cell), cy=Floor(F(lat) / cell))
    return cells.values("cx", "cy")


def _clusters(source: LocatedSource, actor: Any, rows: QuerySet[Any], view: Viewport) -> list[Feature]:
    cell = view.cell_deg
    own = [flag for flag in source.flags if flag.rows is None]
    counts = {f"n_{flag.name}": Count("pk", filter=flag.condition) for flag in own}
    cells = {
        (row["cx"], row["cy"]): row
        for row in _cells(rows, cell, source.lon, source.lat).annotate(
            n=Count("pk"), clon=Avg(source.lon), clat=Avg(source.lat), **counts
        )
    }
    for flag in source.flags:
        if flag.rows is None:
            continue
        for row in cells.values():
            row[f"n_{flag.name}"] = 0
        others = in_view(flag.rows(actor).filter(flag.condition), view, lon=flag.lon, lat=flag.lat)
        for row in _cells(others, cell, flag.lon, flag.lat).annotate(n=Count("pk")):
            if (row["cx"], row["cy"]) in cells:
                cells[row["cx"], row["cy"]][f"n_{flag.name}"] = row["n"]
    features = []
    for row in cells.values():
        held = [(flag, row[f"n_{flag.name}"]) for flag in source.flags if row[f"n_{flag.name}"]]
        lines = [format_html("{}：{}", flag.label, n) for flag, n in held]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(row["clon"], 6), round(row["clat"], 6)]},
                "properties": {
                    "cluster": row["n"],
                    "name": str(source.count) % {"n": row["n"]},
                    "fillColor": held[0][0].colour if held else source.colour,
                    "popup": str(
                        format_html("<b>{}</b>", str(source.count) % {"n": row["n"]})
                        + "".join(str(format_html("<br>{}", line)) for line in lines)
                        + str(format_html("<br>{}", _("放大地图查看详情")))
                    ),
                },
            }
        )
    return features
