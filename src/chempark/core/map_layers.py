"""The one-map's layers, contributed by each module in its ``AppConfig.ready``, and the helpers
that build their features (point geometry, escaped popup).

A layer is a name, a label, a draw order, a style and a function from the actor to GeoJSON features.
Features carry their own popup (escaped HTML, built on the server) and may override the layer's
colour (``properties.color``, ``properties.fillColor``), so the page's script needs no knowledge of any
module. Colours are named by the stylesheet's tokens (``"--level-1"``, ``"--map-park"``; defined once in
``static/chempark/app.css``), which the map script resolves, never by a hex value of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, Model
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from chempark.core.actors import Actor
from chempark.core.map_view import WORLD, LocatedSource, Viewport, located_features

Feature = dict[str, Any]


@dataclass(frozen=True)
class MapLayer:
    name: str
    label: str | Promise
    order: int
    # The features for the actor; None for a located layer, which the server cuts to the map's view.
    build: Callable[[Actor], list[Feature]] | None
    capability: str = "map.read"
    # Leaflet path options (color, weight, fillColor, fillOpacity, dashArray; colours as tokens) and, for points,
    # "radius"; "point": "circle" draws points as circle markers.
    style: dict[str, Any] = field(default_factory=dict)
    # Whether the layer starts switched on.
    visible: bool = True
    # Legend entries (colour token, label) shown under the map for this layer.
    legend: tuple[tuple[str, str | Promise], ...] = ()
    # A layer of many located rows (points, units): answered for the map's view, clustered when zoomed out.
    located: LocatedSource | None = None

    def collection(self, actor: Actor, view: Viewport | None) -> dict[str, Any]:
        """The layer as a GeoJSON FeatureCollection: a located layer for the view asked (the whole
        world, so a few clusters, when none is), any other layer whole."""
        if self.located is not None:
            return located_features(self.located, actor, view or WORLD)
        assert self.build is not None, f"layer {self.name} has neither build nor located"
        return {"type": "FeatureCollection", "features": self.build(actor)}


_LAYERS: dict[str, MapLayer] = {}


def register(layer: MapLayer) -> None:
    _LAYERS[layer.name] = layer


def layers_for(actor: Actor) -> list[MapLayer]:
    return sorted((layer for layer in _LAYERS.values() if actor.can(layer.capability)), key=lambda x: x.order)


def get(name: str) -> MapLayer | None:
    return _LAYERS.get(name)


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def popup(title: str, *lines: str, url: str = "") -> str:
    """A feature's popup: a bold title, plain lines, and a link to its page; every value escaped.
    (Joined as plain strings: a layer builds hundreds of these per answer, and building them with
    ``format_html`` was a good share of the layer's time.)"""
    parts = ["<b>", conditional_escape(title), "</b>"]
    for line in lines:
        parts += ("<br>", conditional_escape(line))
    if url:
        parts += ('<br><a href="', conditional_escape(url), '">', conditional_escape(_("查看详情")), " ›</a>")
    return "".join(parts)


def choice_labels(model: type[Model], field_name: str) -> dict[Any, str]:
    """A choice field's labels in the current language, value → label, for a layer that labels many
    rows: ``get_FOO_display`` rebuilds (and translates) the whole choice list on every call."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field), field_name
    return {value: str(label) for value, label in field.flatchoices}


_PK_MARK = 987654321


def detail_urls(url_name: str) -> Callable[[int], str]:
    """pk → the address of that row's page (``url_name`` takes the pk as its one argument), reversing
    the name once for the whole answer instead of once per feature (checked against a real reverse;
    if the address does not have that shape, every pk is reversed)."""
    head, mark, tail = reverse(url_name, args=[_PK_MARK]).partition(str(_PK_MARK))
    if mark and f"{head}1{tail}" == reverse(url_name, args=[1]):
        return lambda pk: f"{head}{pk}{tail}"
    return lambda pk: reverse(url_name, args=[pk])


def feature(geometry: dict[str, Any], *, id: int, name: str, popup_html: str, **extra: Any) -> Feature:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"id": id, "name": name, "popup": popup_html, **extra},
    }


def map_config(actor: Actor, names: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The layers a page's map draws, as the shared map script reads them (``json_script``): every
    layer the actor may see, or only those named, in draw order."""
    return [
        {
            "name": layer.name,
            "label": str(layer.label),
            "style": layer.style,
            "visible": layer.visible,
            "viewport": layer.located is not None,
        }
        for layer in layers_for(actor)
        if not names or layer.name in names
    ]
