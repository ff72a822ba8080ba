"""The one-map layer of the park's gates (卡口): hazmat gates and general gates, each with the
vehicles let in through it that are still inside."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.vehicles import selectors


def _gates(actor: Actor) -> list[Feature]:
    inside = Counter(visit.entry.gate_id for visit in selectors.vehicles_in_park(actor))
    features = []
    for gate in selectors.entities_visible(actor, "gate").filter(active=True):
        kind = "hazmat" if gate.hazmat else "general"
        features.append(
            feature(
                point(gate.lon, gate.lat),
                id=gate.pk,
                name=gate.name,
                fillColor=f"--map-gate-{kind}",
                popup_html=popup(
                    f"{gate.name} ({gate.code})",
                    _("危化品车辆专用卡口") if gate.hazmat else _("普通卡口"),
                    _("经此入园、仍在园内的车辆：%(n)s 辆") % {"n": inside[gate.pk]},
                    url=reverse("vehicles:in-park"),
                ),
            )
        )
    return features


GATE_LAYER = MapLayer(
    "gates",
    gettext_lazy("卡口"),
    70,
    _gates,
    capability="vehicle.read",
    style={"point": "circle", "radius": 8, "color": "--map-outline", "weight": 2, "fillOpacity": 0.95},
    legend=(
        ("--map-gate-hazmat", gettext_lazy("危化品专用卡口")),
        ("--map-gate-general", gettext_lazy("普通卡口")),
    ),
)
