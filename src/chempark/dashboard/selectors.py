"""The one-map's registry layers (park, areas, enterprises, units, protective targets) and the
lookup of any registered layer, each built from the registry selectors so that an enterprise user's
map shows only its own enterprise (plus the park-wide layers)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core import map_layers
from chempark.core.actors import Actor
from chempark.core.errors import NotFound
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.park.selectors import registry_visible


def _park(actor: Actor) -> list[Feature]:
    return [
        feature(p.boundary, id=p.pk, name=p.name, popup_html=popup(p.name)) for p in registry_visible(actor, "park")
    ]


def _areas(actor: Actor) -> list[Feature]:
    return [
        feature(
            a.geometry,
            id=a.pk,
            name=a.name,
            kind=a.kind,
            fillColor=f"--map-area-{a.kind}",
            popup_html=popup(a.name, a.get_kind_display(), url=reverse("park:area-detail", args=[a.pk])),
        )
        for a in registry_visible(actor, "area")
    ]


def _enterprises(actor: Actor) -> list[Feature]:
    return [
        feature(
            point(e.lon, e.lat),
            id=e.pk,
            name=e.name,
            kind=e.kind,
            fillColor="--map-enterprise-production" if e.kind == "production" else "--map-enterprise-storage",
            popup_html=popup(
                e.name,
                f"{e.get_kind_display()} · {e.get_status_display()}",
                e.uscc,
                url=reverse("park:enterprise-detail", args=[e.pk]),
            ),
        )
        for e in registry_visible(actor, "enterprise")
    ]


def _units(actor: Actor) -> list[Feature]:
    return [
        feature(
            point(u.lon, u.lat),
            id=u.pk,
            name=u.name,
            kind=u.kind,
            popup_html=popup(
                f"{u.name} ({u.code})",
                f"{u.get_kind_display()} · {u.enterprise.name}",
                url=reverse("park:unit-detail", args=[u.pk]),
            ),
        )
        for u in registry_visible(actor, "unit")
    ]


def _targets(actor: Actor) -> list[Feature]:
    return [
        feature(
            t.geometry,
            id=t.pk,
            name=t.name,
            kind=t.kind,
            population=t.population,
            popup_html=popup(
                t.name,
                f"{t.get_kind_display()} · {_('人数')} {t.population}",
                url=reverse("park:protectivetarget-detail", args=[t.pk]),
            ),
        )
        for t in registry_visible(actor, "protectivetarget")
    ]


REGISTRY_LAYERS = (
    MapLayer(
        "park",
        gettext_lazy("园区边界"),
        10,
        _park,
        style={
            "color": "--map-park",
            "weight": 3,
            "fillColor": "--map-park-fill",
            "fillOpacity": 0.35,
            "dashArray": "8 6",
        },
    ),
    MapLayer(
        "areas", gettext_lazy("功能区域"), 20, _areas, style={"color": "--map-area", "weight": 1, "fillOpacity": 0.6}
    ),
    MapLayer(
        "targets",
        gettext_lazy("防护目标"),
        30,
        _targets,
        style={
            "point": "circle",
            "radius": 7,
            "color": "--map-target",
            "weight": 2,
            "fillColor": "--map-target-fill",
            "fillOpacity": 0.6,
        },
        legend=(("--map-target-fill", gettext_lazy("防护目标")),),
    ),
    MapLayer(
        "units",
        gettext_lazy("生产/储存单元"),
        40,
        _units,
        style={
            "point": "circle",
            "radius": 4,
            "color": "--map-unit",
            "weight": 1,
            "fillColor": "--map-unit-fill",
            "fillOpacity": 0.9,
        },
        legend=(("--map-unit-fill", gettext_lazy("单元")),),
    ),
    MapLayer(
        "enterprises",
        gettext_lazy("企业"),
        50,
        _enterprises,
        style={"point": "circle", "radius": 8, "color": "--map-outline", "weight": 2, "fillOpacity": 1},
        legend=(
            ("--map-enterprise-production", gettext_lazy("生产类企业")),
            ("--map-enterprise-storage", gettext_lazy("储存/经营类企业")),
        ),
    ),
)


def map_layer(actor: Actor, name: str) -> dict[str, Any]:
    """One registered layer of the one-map as a GeoJSON FeatureCollection."""
    actor.require("map.read")
    layer = map_layers.get(name)
    if layer is None or not actor.can(layer.capability):
        raise NotFound(f"没有名为 {name} 的图层。")
    return {"type": "FeatureCollection", "features": layer.build(actor)}
