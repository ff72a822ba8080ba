"""The one-map layer of major hazards, coloured by level (一级 red, 二级 orange, 三级 yellow, 四级 blue: the
colour tokens ``--level-1`` .. ``--level-4`` of the stylesheet, ``--level-none`` when not graded)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.hazards.schemas import decimal_text
from chempark.hazards.selectors import major_hazard_search


def _features(actor: Actor) -> list[Feature]:
    result = []
    for hazard in major_hazard_search(actor):
        level = hazard.get_level_display() if hazard.level else _("未分级")
        result.append(
            feature(
                point(hazard.unit.lon, hazard.unit.lat),
                id=hazard.pk,
                name=str(hazard),
                level=hazard.level,
                fillColor=f"--level-{hazard.level or 'none'}",
                popup_html=popup(
                    str(hazard),
                    f"{level} · R = {decimal_text(hazard.r) or '—'} · S = {decimal_text(hazard.s)}",
                    f"{hazard.enterprise.name} · {hazard.get_status_display()}",
                    url=reverse("hazards:detail", args=[hazard.pk]),
                ),
            )
        )
    return result


MAJOR_HAZARD_LAYER = MapLayer(
    "major_hazards",
    gettext_lazy("重大危险源"),
    45,
    _features,
    capability="hazard.read",
    style={"point": "circle", "radius": 9, "color": "--map-hazard", "weight": 2, "fillOpacity": 0.95},
    legend=(
        ("--level-1", gettext_lazy("一级重大危险源")),
        ("--level-2", gettext_lazy("二级重大危险源")),
        ("--level-3", gettext_lazy("三级重大危险源")),
        ("--level-4", gettext_lazy("四级重大危险源")),
    ),
)
