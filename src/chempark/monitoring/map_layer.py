"""The one-map layer of monitoring points, coloured by state (colour tokens ``--point-<state>``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.monitoring import selectors
from chempark.monitoring.models import AlarmStatus


def _points(actor: Actor) -> list[Feature]:
    active = dict(
        selectors.alarms_visible(actor)
        .filter(
            status__in=(AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK),
            point__isnull=False,
        )
        .values_list("point_id", "status")
    )
    labels = {"alarm": _("报警未确认"), "handling": _("报警处置中"), "offline": _("离线"), "normal": _("正常")}
    features = []
    for p in selectors.points_visible(actor).filter(enabled=True):
        latest = getattr(p, "latest", None)
        status = active.get(p.pk)
        if status == AlarmStatus.ACTIVE_UNACK:
            state = "alarm"
        elif status == AlarmStatus.ACTIVE_ACK:
            state = "handling"
        elif latest is not None and not latest.online:
            state = "offline"
        else:
            state = "normal"
        value = "—" if latest is None or latest.value is None else f"{latest.value:.2f} {p.unit_of_measure}"
        features.append(
            feature(
                point(p.lon, p.lat),
                id=p.pk,
                name=p.name,
                state=state,
                fillColor=f"--point-{state}",
                popup_html=popup(
                    f"{p.name} ({p.code})",
                    f"{p.enterprise.name}",
                    f"{value} · {labels[state]}",
                    url=reverse("monitoring:point-detail", args=[p.pk]),
                ),
            )
        )
    return features


LAYER = MapLayer(
    "monitoring_points",
    gettext_lazy("监测点位"),
    60,
    _points,
    capability="monitoring.read",
    style={"point": "circle", "radius": 5, "color": "--map-outline", "weight": 1, "fillOpacity": 0.95},
    legend=(
        ("--point-alarm", gettext_lazy("报警未确认")),
        ("--point-handling", gettext_lazy("报警处置中")),
        ("--point-offline", gettext_lazy("离线")),
        ("--point-normal", gettext_lazy("正常")),
    ),
)
