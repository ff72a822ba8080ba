"""The one-map layer of major hazards, coloured by level (一级 red, 二级 orange, 三级 yellow, 四级 blue: the
colour tokens ``--level-1`` .. ``--level-4`` of the stylesheet, ``--level-none`` when not graded)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, choice_labels, detail_urls, feature, point, popup
from chempark.core.map_view import Flag, LocatedSource
from chempark.hazards.models import MajorHazard
from chempark.hazards.schemas import decimal_text
from chempark.hazards.selectors import major_hazard_search


def _features(actor: Actor, hazards: Sequence[MajorHazard]) -> list[Feature]:
    result = []
    levels, statuses = choice_labels(MajorHazard, "level"), choice_labels(MajorHazard, "status")
    url = detail_urls("hazards:detail")
    for hazard in hazards:
        level = levels.get(hazard.level, hazard.level) if hazard.level else _("未分级")
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
                    f"{hazard.enterprise.name} · {statuses.get(hazard.status, hazard.status)}",
                    url=url(hazard.pk),
                ),
            )
        )
    return result


LEVEL_LABELS = (
    gettext_lazy("一级重大危险源"),
    gettext_lazy("二级重大危险源"),
    gettext_lazy("三级重大危险源"),
    gettext_lazy("四级重大危险源"),
)

SOURCE = LocatedSource(
    # the map needs no assessment (its inputs and results are large JSON documents)
    rows=lambda actor: major_hazard_search(actor).select_related(None).select_related("unit", "enterprise"),
    features=_features,
    count=gettext_lazy("%(n)d 个重大危险源"),
    colour="--level-none",
    lon="unit__lon",
    lat="unit__lat",
    flags=tuple(Flag(f"level_{n}", Q(level=n), f"--level-{n}", label) for n, label in enumerate(LEVEL_LABELS, start=1)),
)

MAJOR_HAZARD_LAYER = MapLayer(
    "major_hazards",
    gettext_lazy("重大危险源"),
    45,
    None,
    capability="hazard.read",
    style={"point": "circle", "radius": 9, "color": "--map-hazard", "weight": 2, "fillOpacity": 0.95},
    legend=tuple((f"--level-{n}", label) for n, label in enumerate(LEVEL_LABELS, start=1)),
    located=SOURCE,
)
