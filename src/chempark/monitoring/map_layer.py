"""The one-map layer of monitoring points, coloured by state (colour tokens ``--point-<state>``).

A park has up to 100,000 points: the layer is located (``core.map_view``), so the server answers
for the map's view — each point when zoomed in, clusters counting points in alarm, being handled
and offline when zoomed out — and it starts switched off (it would hide everything else)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.core.map_view import Flag, LocatedSource
from chempark.monitoring import selectors
from chempark.monitoring.models import AlarmStatus, Point


def _rows(actor: Actor) -> QuerySet[Point]:
    return selectors.points_visible(actor).filter(enabled=True)


def _features(actor: Actor, points: Sequence[Point]) -> list[Feature]:
    active = dict(
        selectors.alarms_visible(actor)
        .filter(status__in=(AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK), point__in=[p.pk for p in points])
        .values_list("point_id", "status")
    )
    labels = {"alarm": _("报警未确认"), "handling": _("报警处置中"), "offline": _("离线"), "normal": _("正常")}
    features = []
    for p in points:
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


SOURCE = LocatedSource(
    rows=_rows,
    features=_features,
    count=gettext_lazy("%(n)d 个点位"),
    colour="--point-normal",
    flags=(
        Flag(
            "alarm",
            Q(status=AlarmStatus.ACTIVE_UNACK, point__enabled=True),
            "--point-alarm",
            gettext_lazy("报警未确认"),
            rows=selectors.alarms_visible,
            lon="point__lon",
            lat="point__lat",
        ),
        Flag(
            "handling",
            Q(status=AlarmStatus.ACTIVE_ACK, point__enabled=True),
            "--point-handling",
            gettext_lazy("报警处置中"),
            rows=selectors.alarms_visible,
            lon="point__lon",
            lat="point__lat",
        ),
        Flag("offline", Q(latest__online=False), "--point-offline", gettext_lazy("离线")),
    ),
)

LAYER = MapLayer(
    "monitoring_points",
    gettext_lazy("监测点位"),
    60,
    None,
    capability="monitoring.read",
    style={"point": "circle", "radius": 5, "color": "--map-outline", "weight": 1, "fillOpacity": 0.95},
    visible=False,
    legend=(
        ("--point-alarm", gettext_lazy("报警未确认")),
        ("--point-handling", gettext_lazy("报警处置中")),
        ("--point-offline", gettext_lazy("离线")),
        ("--point-normal", gettext_lazy("正常")),
    ),
    located=SOURCE,
)
