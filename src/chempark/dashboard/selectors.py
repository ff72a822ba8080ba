"""The one-map's layers as GeoJSON FeatureCollections, each built from the registry selectors so
that an enterprise user's map shows only its own enterprise (plus the park-wide layers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from chempark.accounts.actors import Actor
from chempark.park.selectors import registry_visible

Feature = dict[str, Any]


def _collection(features: list[Feature]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _park(actor: Actor) -> list[Feature]:
    return [
        {"type": "Feature", "geometry": park.boundary,
         "properties": {"id": park.pk, "name": park.name, "kind": "park"}}
        for park in registry_visible(actor, "park")
    ]


def _areas(actor: Actor) -> list[Feature]:
    return [
        {"type": "Feature", "geometry": area.geometry,
         "properties": {"id": area.pk, "name": area.name, "kind": area.kind, "kind_label": area.get_kind_display(),
                        "url": reverse("park:area-detail", args=[area.pk])}}
        for area in registry_visible(actor, "area")
    ]


def _enterprises(actor: Actor) -> list[Feature]:
    return [
        {"type": "Feature", "geometry": _point(e.lon, e.lat),
         "properties": {"id": e.pk, "name": e.name, "kind": e.kind, "kind_label": e.get_kind_display(),
                        "status": e.status, "status_label": e.get_status_display(), "uscc": e.uscc,
                        "url": reverse("park:enterprise-detail", args=[e.pk])}}
        for e in registry_visible(actor, "enterprise")
    ]


def _units(actor: Actor) -> list[Feature]:
    return [
        {"type": "Feature", "geometry": _point(u.lon, u.lat),
         "properties": {"id": u.pk, "name": u.name, "code": u.code, "kind": u.kind,
                        "kind_label": u.get_kind_display(), "enterprise": u.enterprise.name,
                        "url": reverse("park:unit-detail", args=[u.pk])}}
        for u in registry_visible(actor, "unit")
    ]


def _targets(actor: Actor) -> list[Feature]:
    return [
        {"type": "Feature", "geometry": t.geometry,
         "properties": {"id": t.pk, "name": t.name, "kind": t.kind, "kind_label": t.get_kind_display(),
                        "population": t.population, "url": reverse("park:protectivetarget-detail", args=[t.pk])}}
        for t in registry_visible(actor, "protectivetarget")
    ]


LAYERS: dict[str, Callable[[Actor], list[Feature]]] = {
    "park": _park,
    "areas": _areas,
    "enterprises": _enterprises,
    "units": _units,
    "targets": _targets,
}


def map_layer(actor: Actor, name: str) -> dict[str, Any]:
    """One named layer of the one-map."""
    actor.require("map.read")
    return _collection(LAYERS[name](actor))
