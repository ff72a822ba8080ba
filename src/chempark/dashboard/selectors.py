"""The one-map's registry layers (park, areas, enterprises, units, protective targets) and the
lookup of any registered layer, each built from the registry selectors so that an enterprise user's
map shows only its own enterprise (plus the park-wide layers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core import map_layers
from chempark.core.actors import Actor
from chempark.core.errors import NotFound
from chempark.core.map_layers import Feature, MapLayer, choice_labels, detail_urls, feature, point, popup
from chempark.core.map_view import Flag, LocatedSource, Viewport
from chempark.monitoring.selectors import WARNING_LEVELS, warning_level_of_enterprise
from chempark.park.models import Enterprise, Unit
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


LEVEL_TOKENS = {"red": "--level-1", "orange": "--level-2", "yellow": "--level-3", "blue": "--level-4"}
WARNING_LABELS = {
    "red": gettext_lazy("红色预警"),
    "orange": gettext_lazy("橙色预警"),
    "yellow": gettext_lazy("黄色预警"),
    "blue": gettext_lazy("蓝色预警"),
}


def _enterprise_rows(actor: Actor) -> QuerySet[Any]:
    rows = registry_visible(actor, "enterprise")
    if actor.can("monitoring.read"):  # coloured by the warning level (红橙黄蓝) to those who see monitoring
        rows = rows.annotate(warning=warning_level_of_enterprise())
    return rows


def _enterprise_features(actor: Actor, rows: Sequence[Any]) -> list[Feature]:
    features = []
    kinds, statuses = choice_labels(Enterprise, "kind"), choice_labels(Enterprise, "status")
    url = detail_urls("park:enterprise-detail")
    for e in rows:
        warning = getattr(e, "warning", None)
        lines = [f"{kinds.get(e.kind, e.kind)} · {statuses.get(e.status, e.status)}", e.uscc]
        if hasattr(e, "warning"):
            lines.insert(0, str(WARNING_LABELS[warning or "blue"]))
        features.append(
            feature(
                point(e.lon, e.lat),
                id=e.pk,
                name=e.name,
                kind=e.kind,
                warning=warning or "blue",
                fillColor=LEVEL_TOKENS[warning or "blue"] if hasattr(e, "warning") else "--map-enterprise-production",
                popup_html=popup(e.name, *lines, url=url(e.pk)),
            )
        )
    return features


def _unit_features(actor: Actor, rows: Sequence[Any]) -> list[Feature]:
    kinds, url = choice_labels(Unit, "kind"), detail_urls("park:unit-detail")
    return [
        feature(
            point(u.lon, u.lat),
            id=u.pk,
            name=u.name,
            kind=u.kind,
            popup_html=popup(
                f"{u.name} ({u.code})", f"{kinds.get(u.kind, u.kind)} · {u.enterprise.name}", url=url(u.pk)
            ),
        )
        for u in rows
    ]


ENTERPRISES = LocatedSource(
    rows=_enterprise_rows,
    features=_enterprise_features,
    count=gettext_lazy("%(n)d 个企业"),
    colour="--level-4",
    flags=tuple(
        Flag(level, Q(warning=level), LEVEL_TOKENS[level], WARNING_LABELS[level]) for level in WARNING_LEVELS[:-1]
    ),
)
UNITS = LocatedSource(
    rows=lambda actor: registry_visible(actor, "unit").select_related("enterprise"),
    features=_unit_features,
    count=gettext_lazy("%(n)d 个单元"),
    colour="--map-unit-fill",
)


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
        None,
        style={
            "point": "circle",
            "radius": 4,
            "color": "--map-unit",
            "weight": 1,
            "fillColor": "--map-unit-fill",
            "fillOpacity": 0.9,
        },
        legend=(("--map-unit-fill", gettext_lazy("单元")),),
        located=UNITS,
    ),
    MapLayer(
        "enterprises",
        gettext_lazy("企业"),
        50,
        None,
        style={"point": "circle", "radius": 8, "color": "--map-outline", "weight": 2, "fillOpacity": 1},
        legend=tuple((LEVEL_TOKENS[level], WARNING_LABELS[level]) for level in WARNING_LEVELS),
        located=ENTERPRISES,
    ),
)


def map_layer(actor: Actor, name: str, view: Viewport | None = None) -> dict[str, Any]:
    """One registered layer of the one-map as a GeoJSON FeatureCollection (a located layer: what
    is in ``view``)."""
    actor.require("map.read")
    layer = map_layers.get(name)
    if layer is None or not actor.can(layer.capability):
        raise NotFound(f"没有名为 {name} 的图层。")
    return layer.collection(actor, view)
