"""The one-map layer of public warnings in force: each issued, not yet cancelled warning's area."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, popup
from chempark.plans import selectors
from chempark.plans.models import WarningStatus


def _features(actor: Actor) -> list[Feature]:
    return [
        feature(
            warning.area,
            id=warning.pk,
            name=warning.headline,
            popup_html=popup(
                warning.headline,
                f"{warning.get_severity_display()} · {warning.get_response_type_display()}",
                warning.instruction,
                url=reverse("plans:warning", args=[warning.pk]),
            ),
        )
        for warning in selectors.warnings_visible(actor).filter(status=WarningStatus.ISSUED)
    ]


WARNING_LAYER = MapLayer(
    "public_warnings",
    gettext_lazy("公众预警区域"),
    80,
    _features,
    capability="plan.read",
    style={"color": "--zone-0", "fillColor": "--zone-0", "weight": 2, "fillOpacity": 0.2},
    legend=(("--zone-0", gettext_lazy("公众预警区域")),),
)
