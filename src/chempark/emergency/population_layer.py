"""The one-map layer "人口分布": villages and residential areas around the park with their head
counts (:class:`~chempark.emergency.models.PopulatedArea`), the people a simulation counts besides
the protective targets and the enterprises' employees."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, popup
from chempark.emergency import selectors


def build(actor: Actor) -> list[Feature]:
    return [
        feature(
            area.geometry,
            id=area.pk,
            name=area.name,
            kind=area.kind,
            population=area.population,
            popup_html=popup(
                area.name,
                f"{area.get_kind_display()} · {_('人口')} {area.population}",
                *([f"{_('数据来源')}：{area.source}"] if area.source else []),
            ),
        )
        for area in selectors.populated_areas(actor)
    ]


LAYER = MapLayer(
    "population",
    gettext_lazy("人口分布"),
    35,
    build,
    capability="registry.read",
    style={
        "color": "--map-population",
        "weight": 1,
        "fillColor": "--map-population-fill",
        "fillOpacity": 0.35,
        "dashArray": "4 3",
    },
    legend=(("--map-population-fill", gettext_lazy("村庄、居民区")),),
)
