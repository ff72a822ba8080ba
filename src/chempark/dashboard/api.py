"""GeoJSON layers of the one-map: ``GET /api/v1/map/layers/{name}``."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from chempark.core.api import actor_of
from chempark.core.map_view import parse_viewport
from chempark.dashboard.search import map_search
from chempark.dashboard.selectors import map_layer

router = Router(tags=["map"])


class SearchHitOut(Schema):
    kind: str = Field(description="enterprise, unit, tank, target, point or camera")
    kind_label: str
    id: int
    name: str
    detail: str
    lon: float
    lat: float
    url: str = Field(description="its page, empty when it has none")


@router.get(
    "/search",
    response=list[SearchHitOut],
    summary="Find enterprises, units, tanks, protective targets, monitoring points and cameras by name or "
    "code, among those the user may see, with where to centre the map",
)
def search(request: HttpRequest, q: str = "") -> Any:
    return map_search(actor_of(request), q)


class LayerView(Schema):
    bbox: str = Field("", description="the map's view: west,south,east,north in degrees (WGS84)")
    zoom: int | None = Field(None, description="the map's zoom level, 0–22 (with bbox)")


@router.get(
    "/layers/{name}",
    summary="One layer of the one-map as a GeoJSON FeatureCollection; a located layer (points, units, "
    "enterprises...) answers for the view given (bbox, zoom), in clusters when zoomed out",
)
def get_layer(request: HttpRequest, name: str, view: Query[LayerView]) -> Any:
    return map_layer(actor_of(request), name, parse_viewport(view.bbox, view.zoom))
