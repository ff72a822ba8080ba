"""Geometry drawn on a map, not typed: the form widget and the page partials around the shared map
module's drawing field (``static/chempark/map.js``, ``ChemparkMap.geometryField``).

A geometry field renders a hidden input holding the GeoJSON the server validates, a map with the
drawing toolbar (Leaflet-Geoman) over the park's boundary, and the same coordinates as editable text
(one "经度, 纬度" line per vertex, six decimals) kept in sync both ways. A pair of longitude/latitude
inputs gets the same map with a single marker (``point_map``): the two inputs stay the coordinates
shown. The server checks everything again (``chempark.common.geo``); the page only helps draw.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chempark.core import map_layers

# The layers drawn under the geometry being edited: the park's boundary, for orientation.
CONTEXT_LAYERS = ("park",)
# What the drawing toolbar offers for each GeoJSON type the field accepts.
GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")
MEDIA_CSS = ("vendor/leaflet/leaflet.css", "vendor/leaflet-geoman/leaflet-geoman.css")
MEDIA_JS = ("vendor/leaflet/leaflet.js", "vendor/leaflet-geoman/leaflet-geoman.min.js", "chempark/map.js")


def context_layers() -> list[dict[str, Any]]:
    """The layer configuration (as ``map_layers.map_config`` gives it) of the layers under the
    drawing; the same for every role, since each role that edits a geometry may read the park map."""
    config = []
    for name in CONTEXT_LAYERS:
        layer = map_layers.get(name)
        if layer is not None:
            label = str(layer.label)
            config.append({"name": name, "label": label, "style": layer.style, "visible": True, "viewport": False})
    return config


def _hint(types: Sequence[str]) -> str:
    if tuple(types) == ("Point",):
        return str(_("在地图上放置标记，或在下方输入“经度, 纬度”。"))
    if "LineString" in types and "Polygon" not in types:
        return str(_("在地图上依次点击路线的各点，单击最后一点结束；或在下方每行输入一个“经度, 纬度”。"))
    return str(
        _(
            "用地图左上角的工具绘制（点击首个顶点闭合多边形），拖动顶点修改；"
            "或在下方每行输入一个“经度, 纬度”，多个多边形之间空一行。"
        )
    )


def field_context(*, name: str, html_id: str, value: Any, types: Sequence[str], label: str = "") -> dict[str, Any]:
    """What ``_geometry_field.html`` draws: the hidden GeoJSON input, the map, the coordinate text."""
    unknown = set(types) - set(GEOMETRY_TYPES)
    if unknown:
        raise ValueError(f"geometry types not drawable: {sorted(unknown)}")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return {
        "name": name,
        "id": html_id,
        "value": "" if value is None else str(value),
        "types": " ".join(types),
        "label": label,
        "hint": _hint(types),
        "layers": context_layers(),
        "layers_id": f"{html_id}-layers",
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


class GeometryWidget(forms.Widget):
    """A form field's GeoJSON, drawn on the map; the field (``forms.JSONField``) parses what it posts."""

    template_name = "core/geometry_widget.html"

    class Media:
        css = {"all": MEDIA_CSS}
        js = MEDIA_JS

    def __init__(self, types: Sequence[str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.types = tuple(types)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        context["geometry"] = field_context(
            name=name, html_id=widget["attrs"].get("id", f"id_{name}"), value=widget["value"], types=self.types
        )
        return context

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def point_context(*, lon_id: str, lat_id: str) -> dict[str, Any]:
    """What ``_point_map.html`` draws: the map whose marker fills the longitude and latitude inputs."""
    return {
        "lon_id": lon_id,
        "lat_id": lat_id,
        "map_id": f"{lon_id}-map",
        "layers": context_layers(),
        "layers_id": f"{lon_id}-map-layers",
        "hint": _("在地图上放置或拖动标记填写经纬度，也可直接输入（六位小数）。"),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
