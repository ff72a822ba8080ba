"""One-map layers of emergency command: the located resources (teams, equipment, supplies,
warehouses, water cranes and hydrants, medical points), shelters, open incidents and the road
network with its blocked segments."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.incidents import selectors
from chempark.incidents.models import IncidentStatus, Resource, ResourceKind

KIND_COLOURS = {
    ResourceKind.TEAM: "--map-res-team",
    ResourceKind.EQUIPMENT: "--map-res-equipment",
    ResourceKind.SUPPLY: "--map-res-supply",
    ResourceKind.WAREHOUSE: "--map-res-warehouse",
    ResourceKind.WATER_CRANE: "--map-res-water",
    ResourceKind.HYDRANT: "--map-res-water",
    ResourceKind.SHELTER: "--map-res-shelter",
    ResourceKind.MEDICAL: "--map-res-medical",
}


def resource_line(resource: Resource) -> str:
    """What a popup says of a resource beside its kind: its size and state."""
    parts = [resource.get_availability_display()]
    if resource.kind == ResourceKind.TEAM and resource.members:
        parts.append(_("%(n)s 人") % {"n": resource.members})
    if resource.kind == ResourceKind.SHELTER:
        parts.append(_("可容纳 %(n)s 人") % {"n": resource.capacity or 0})
        parts.append(_("已设标识") if resource.signage else _("未设标识"))
    if resource.quantity is not None:
        parts.append(f"{resource.quantity.normalize():f} {resource.unit_of_measure}")
    if resource.phone:
        parts.append(resource.phone)
    return " · ".join(parts)


def resource_feature(resource: Resource) -> Feature:
    assert resource.lon is not None and resource.lat is not None  # callers pass located rows
    return feature(
        point(resource.lon, resource.lat),
        id=resource.pk,
        name=resource.name,
        kind=resource.kind,
        fillColor=KIND_COLOURS.get(ResourceKind(resource.kind), "--map-res-other"),
        popup_html=popup(
            resource.name,
            resource.get_kind_display(),
            resource_line(resource),
            url=reverse("incidents:resource", args=[resource.pk]),
        ),
    )


def _resources(actor: Actor, *, shelters: bool) -> list[Feature]:
    rows = selectors.resources(actor).filter(lon__isnull=False)
    rows = rows.filter(kind=ResourceKind.SHELTER) if shelters else rows.exclude(kind=ResourceKind.SHELTER)
    return [resource_feature(r) for r in rows.exclude(kind=ResourceKind.EXPERT)]


def _incidents(actor: Actor) -> list[Feature]:
    return [
        feature(
            point(i.lon, i.lat),
            id=i.pk,
            name=i.title,
            popup_html=popup(
                i.title,
                f"{i.get_kind_display()} · {i.get_suggested_level_display()}",
                url=reverse("incidents:detail", args=[i.pk]),
            ),
        )
        for i in selectors.incidents(actor, status=IncidentStatus.OPEN)
    ]


def _roads(actor: Actor) -> list[Feature]:
    return [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[s.a.lon, s.a.lat], [s.b.lon, s.b.lat]]},
            "properties": {
                "id": s.pk,
                "name": s.name,
                "color": "--map-road-blocked" if s.blocked else "--map-road",
                "popup": popup(
                    s.name,
                    _("%(len)s m · %(speed)s km/h") % {"len": f"{s.length_m:.0f}", "speed": f"{s.speed_kmh:g}"},
                    _("封闭：%(why)s") % {"why": s.blocked_reason} if s.blocked else _("通行"),
                ),
            },
        }
        for s in selectors.road_segments(actor)
    ]


_LEGEND = tuple(
    (colour, ResourceKind(kind).label) for kind, colour in KIND_COLOURS.items() if kind != ResourceKind.SHELTER
)
LAYERS = (
    MapLayer(
        "emergency_resources",
        gettext_lazy("应急资源"),
        70,
        lambda actor: _resources(actor, shelters=False),
        capability="resource.read",
        style={"point": "circle", "radius": 6, "color": "--map-outline", "weight": 1, "fillOpacity": 0.95},
        legend=_LEGEND,
    ),
    MapLayer(
        "shelters",
        gettext_lazy("避难场所"),
        71,
        lambda actor: _resources(actor, shelters=True),
        capability="resource.read",
        style={"point": "circle", "radius": 8, "color": "--map-outline", "weight": 2, "fillOpacity": 0.9},
        legend=(("--map-res-shelter", gettext_lazy("避难场所")),),
    ),
    MapLayer(
        "incidents",
        gettext_lazy("处置中的事件"),
        90,
        _incidents,
        capability="incident.read",
        style={
            "point": "circle",
            "radius": 11,
            "color": "--map-outline",
            "weight": 3,
            "fillColor": "--map-incident",
            "fillOpacity": 1,
        },
        legend=(("--map-incident", gettext_lazy("处置中的事件")),),
    ),
    MapLayer(
        "roads",
        gettext_lazy("道路网络"),
        15,
        _roads,
        capability="resource.read",
        style={"color": "--map-road", "weight": 3, "opacity": 0.8},
        visible=False,  # off on the one-map; the emergency command maps switch it on
        legend=(("--map-road", gettext_lazy("通行路段")), ("--map-road-blocked", gettext_lazy("封闭路段"))),
    ),
)
