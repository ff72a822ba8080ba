"""Template helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy

from chempark.core.actor_names import actor_label
from chempark.core.geometry_input import GeometryWidget, field_context, point_context
from chempark.core.roles import ROLE_LABELS_ZH, Role
from chempark.gb18218.wording import in_chinese

register = template.Library()


WARNING_LABELS = {
    "red": _lazy("红色预警"),
    "orange": _lazy("橙色预警"),
    "yellow": _lazy("黄色预警"),
    "blue": _lazy("蓝色预警"),
}


@register.filter
def warning_label(level: str) -> str:
    """A warning level code (red/orange/yellow/blue, the national four colours) in words: 红色预警 …"""
    label = WARNING_LABELS.get(str(level))
    return str(label) if label is not None else str(level)


@register.filter
def actor_name(username: str) -> str:
    """A stored actor username as a page names it (系统 for the platform)."""
    return actor_label(str(username))


@register.filter
def percent(rate: float | None, digits: int = 1) -> str:
    """A rate (0–1) as a percentage, "—" when there is none: 0.99523 → 99.5 %."""
    if rate is None:
        return "—"
    return f"{float(rate) * 100:.{int(digits)}f} %"


@register.filter
def gb18218_zh(note: str) -> str:
    """A GB 18218 engine note in Chinese (「表1第12项」 for "Table 1 row 12")."""
    return in_chinese(str(note)) if note else note


@register.simple_tag
def sort_link(query: str, column: str, current: str) -> str:
    """The query string that sorts by ``column``, flipping direction when it is already the sort."""
    direction = "" if current == f"-{column}" else ("-" if current == column else "")
    parts = [p for p in query.split("&") if p and not p.startswith("sort=")]
    parts.append(f"sort={direction}{column}")
    return "?" + "&".join(parts)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` for QueryDicts and dicts in templates."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def registry_url(kind: str, action: str, pk: int | None = None) -> str:
    """The URL of a registry page: ``{% registry_url "unit" "detail" 3 %}``."""
    from django.urls import reverse

    return reverse(f"park:{kind}-{action}", args=[pk] if pk is not None else [])


@register.filter
def role_label(value: str) -> str:
    """The (translated) name of a stored role value ("inspector" → 监管执法人员).

    The Chinese names are marked for translation where accounts declares its role choices."""
    try:
        return gettext(ROLE_LABELS_ZH[Role(value)])
    except ValueError:
        return value


@register.inclusion_tag("_geometry_field.html")
def geometry_field(  # noqa: PLR0917 — a template tag takes its arguments by position
    name: str, html_id: str, value: Any, types: str, label: str = "", types_from: str = "", width_from: str = ""
) -> dict[str, Any]:
    """A hand-written form's geometry field drawn on the map (``types``: GeoJSON types, space-separated;
    ``types_from``: the id of a select whose options name theirs in ``data-geometry-types``;
    ``width_from``: the id of a corridor's width input, in metres, drawn around the line)."""
    return {
        "g": field_context(name=name, html_id=html_id, value=value, types=types.split(), label=label),
        "types_from": types_from,
        "width_from": width_from,
    }


@register.inclusion_tag("_point_map.html")
def point_map(lon_id: str, lat_id: str) -> dict[str, Any]:
    """A map under a form's longitude and latitude inputs: a marker placed or dragged there fills
    them in, and typing in them moves the marker."""
    return {"p": point_context(lon_id=lon_id, lat_id=lat_id)}


@register.filter
def map_input(form: Any) -> str:
    """How a generated form's location is entered on a map: "geometry" (a drawn GeoJSON field),
    "point" (a longitude and a latitude input filled by a marker) or "" (no location)."""
    fields = form.fields
    if any(isinstance(field.widget, GeometryWidget) for field in fields.values()):
        return "geometry"
    if "lon" in fields and "lat" in fields and not fields["lon"].disabled:
        return "point"
    return ""
