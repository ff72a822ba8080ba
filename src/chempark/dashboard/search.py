"""The one-map's search box: enterprises, units, tanks, protective targets, monitoring points and
cameras by name or code, found by the server among what the user may see (an enterprise user: its
own), each with the place to centre the map on.

The box used to search the features the browser had loaded; with located layers (only what is in
view) and the points layer off by default, most of the park is not in the browser to search."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.monitoring import selectors as monitoring
from chempark.park.selectors import registry_visible

PER_KIND = 8
QUERY_MAX = 50


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    id: int
    name: str
    detail: str
    lon: float
    lat: float
    url: str


@dataclass(frozen=True)
class _Kind:
    key: str
    label: str | Promise
    capability: str
    rows: Callable[[Actor], QuerySet[Any]]
    fields: tuple[str, ...]
    hit: Callable[[Any], tuple[str, float, float, str]]  # detail, lon, lat, url


def _target_place(row: Any) -> tuple[str, float, float, str]:
    spot = shape(row.geometry).representative_point()
    return row.get_kind_display(), spot.x, spot.y, reverse("park:protectivetarget-detail", args=[row.pk])


KINDS = (
    _Kind(
        "enterprise",
        _("企业"),
        "registry.read",
        lambda actor: registry_visible(actor, "enterprise"),
        ("name", "uscc"),
        lambda e: (e.uscc, e.lon, e.lat, reverse("park:enterprise-detail", args=[e.pk])),
    ),
    _Kind(
        "unit",
        _("单元"),
        "registry.read",
        lambda actor: registry_visible(actor, "unit"),
        ("name", "code"),
        lambda u: (f"{u.code} · {u.enterprise.name}", u.lon, u.lat, reverse("park:unit-detail", args=[u.pk])),
    ),
    _Kind(
        "tank",
        _("储罐"),
        "registry.read",
        lambda actor: registry_visible(actor, "tank"),
        ("name", "code"),
        lambda t: (
            f"{t.code} · {t.unit.name} · {t.unit.enterprise.name}",
            t.unit.lon,
            t.unit.lat,
            reverse("park:tank-detail", args=[t.pk]),
        ),
    ),
    _Kind(
        "target",
        _("防护目标"),
        "registry.read",
        lambda actor: registry_visible(actor, "protectivetarget"),
        ("name",),
        _target_place,
    ),
    _Kind(
        "point",
        _("监测点位"),
        "monitoring.read",
        monitoring.points_visible,
        ("name", "code"),
        lambda p: (
            f"{p.code} · {p.enterprise.name}",
            p.lon,
            p.lat,
            reverse("monitoring:point-detail", args=[p.pk]),
        ),
    ),
    _Kind(
        "camera",
        _("摄像机"),
        "monitoring.read",
        monitoring.cameras_visible,
        ("name", "code"),
        lambda c: (f"{c.code} · {c.enterprise.name}", c.lon, c.lat, ""),
    ),
)


def map_search(actor: Actor, query: str) -> list[Hit]:
    """At most ``PER_KIND`` matches of each kind the actor may read: an exact name or code first,
    then names starting with the query, then the shortest names."""
    actor.require("map.read")
    text = query.strip()
    if not text:
        return []
    if len(text) > QUERY_MAX:
        raise InvalidInput(f"搜索词不能超过 {QUERY_MAX} 个字。", code=ErrorCode.INVALID_FILTER, details={"field": "q"})
    return [hit for kind in KINDS if actor.can(kind.capability) for hit in _matches(actor, kind, text)]


def _matches(actor: Actor, kind: _Kind, text: str) -> Iterable[Hit]:
    condition = Q()
    for name in kind.fields:
        condition |= Q(**{f"{name}__icontains": text})
    rows = list(kind.rows(actor).filter(condition).order_by("name")[: PER_KIND * 4])
    rows.sort(
        key=lambda row: (
            text not in (row.name, getattr(row, "code", None)),  # exactly the name or code asked for
            not row.name.startswith(text),
            len(row.name),
            row.name,
        )
    )
    for row in rows[:PER_KIND]:
        detail, lon, lat, url = kind.hit(row)
        yield Hit(kind.key, str(kind.label), row.pk, row.name, detail, lon, lat, url)
