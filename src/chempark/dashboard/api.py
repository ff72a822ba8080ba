"""GeoJSON layers of the one-map: ``GET /api/v1/map/layers/{name}``."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from chempark.core.api import actor_of
from chempark.dashboard.selectors import map_layer

router = Router(tags=["map"])


@router.get("/layers/{name}", summary="One layer of the one-map as a GeoJSON FeatureCollection")
def get_layer(request: HttpRequest, name: str) -> Any:
    return map_layer(actor_of(request), name)
