"""One-map layers of tracking: vehicles (state colour, a heading tick), fences and routes, violations."""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.tracking import selectors
from chempark.tracking.models import Terminal
from chempark.vehicles.models import Reservation

HEADING_TICK_M = 120.0  # length of the line showing where a vehicle is heading
COMPASS = (
    gettext_lazy("北"), gettext_lazy("东北"), gettext_lazy("东"), gettext_lazy("东南"),
    gettext_lazy("南"), gettext_lazy("西南"), gettext_lazy("西"), gettext_lazy("西北"),
)  # fmt: skip


def compass(heading: int) -> str:
    return str(COMPASS[round(heading / 45) % 8])


def _tick(lon: float, lat: float, heading: int) -> dict[str, Any]:
    rad = math.radians(heading)
    dlat = HEADING_TICK_M * math.cos(rad) / 111_320
    dlon = HEADING_TICK_M * math.sin(rad) / (111_320 * math.cos(math.radians(lat)))
    return {"type": "LineString", "coordinates": [[lon, lat], [lon + dlon, lat + dlat]]}


def _vehicle_popup(terminal: Terminal, state_label: str, reservation: Reservation | None) -> str:
    vehicle = terminal.vehicle
    title = vehicle.plate if vehicle else terminal.number
    lines = [
        _("状态：%(state)s · %(speed).0f km/h · 朝%(dir)s")
        % {
            "state": state_label,
            "speed": terminal.last_speed_kmh or 0,
            "dir": compass(terminal.last_heading or 0),
        },
        _("承运企业：%(name)s") % {"name": vehicle.carrier.name} if vehicle else _("未登记车辆"),
        _("终端：%(number)s") % {"number": terminal.number},
    ]
    if reservation is not None:
        lines += [
            _("今日预约：%(enterprise)s · %(chemical)s（UN%(un)s）%(t)s 吨")
            % {
                "enterprise": reservation.enterprise.name,
                "chemical": reservation.chemical.name_zh,
                "un": reservation.un_number,
                "t": reservation.quantity_t,
            },
            _("驾驶员：%(driver)s · 押运员：%(escort)s")
            % {
                "driver": reservation.driver.name,
                "escort": reservation.escort.name,
            },
        ]
    else:
        lines.append(_("今日无有效预约"))
    return popup(title, *lines, url=reverse("tracking:replay") + f"?terminal={terminal.pk}")


def _vehicles(actor: Actor) -> list[Feature]:
    open_terminals = selectors.open_violation_terminals(actor)
    terminals = list(selectors.terminals(actor).exclude(last_ms=None))
    reservations = selectors.todays_reservations(actor, [t.vehicle_id for t in terminals if t.vehicle_id])
    features = []
    for terminal in terminals:
        assert terminal.last_lon is not None and terminal.last_lat is not None
        state = selectors.live_state(terminal, terminal.pk in open_terminals)
        colour = f"--vehicle-{state.code}"
        name = terminal.vehicle.plate if terminal.vehicle else terminal.number
        html = _vehicle_popup(terminal, state.label, reservations.get(terminal.vehicle_id or 0))
        features.append(
            feature(
                _tick(terminal.last_lon, terminal.last_lat, terminal.last_heading or 0),
                id=-terminal.pk,
                name="",
                popup_html=html,
                color=colour,
            )
        )
        features.append(
            feature(
                point(terminal.last_lon, terminal.last_lat),
                id=terminal.pk,
                name=name,
                popup_html=html,
                fillColor=colour,
                state=state.code,
            )
        )
    return features


VEHICLE_LAYER = MapLayer(
    "vehicles",
    gettext_lazy("危化品车辆（实时）"),
    80,
    _vehicles,
    capability="tracking.read",
    style={"point": "circle", "radius": 7, "color": "--vehicle-outline", "weight": 3, "fillOpacity": 1},
    legend=(
        ("--vehicle-moving", gettext_lazy("车辆行驶")),
        ("--vehicle-stopped", gettext_lazy("车辆停车")),
        ("--vehicle-violation", gettext_lazy("车辆违规中")),
        ("--vehicle-offline", gettext_lazy("车辆离线")),
    ),
)


def _fences(actor: Actor) -> list[Feature]:
    features = []
    for fence in selectors.fences(actor):
        lines = [fence.get_kind_display()]
        if fence.speed_limit_kmh:
            lines.append(_("限速 %(v).0f km/h") % {"v": fence.speed_limit_kmh})
        if fence.capacity:
            lines.append(_("车位 %(n)s 个") % {"n": fence.capacity})
        colour = f"--fence-{fence.kind}"
        features.append(
            feature(
                fence.geometry,
                id=fence.pk,
                name=fence.name,
                popup_html=popup(fence.name, *lines),
                color=colour,
                fillColor=colour,
            )
        )
    return features


FENCE_LAYER = MapLayer(
    "fences",
    gettext_lazy("电子围栏与指定路线"),
    25,
    _fences,
    capability="tracking.read",
    style={"weight": 3, "fillOpacity": 0.12, "opacity": 0.8},
    visible=False,
    legend=(
        ("--fence-corridor", gettext_lazy("指定路线")),
        ("--fence-forbidden", gettext_lazy("禁行区")),
        ("--fence-parking", gettext_lazy("停车场")),
    ),
)


def _violations(actor: Actor) -> list[Feature]:
    features = []
    for row in selectors.violations(actor)[:200]:
        subject = row.vehicle.plate if row.vehicle else (row.fence.name if row.fence else "")
        when = row.started_at.astimezone().strftime("%m-%d %H:%M")
        state = _("持续中") if row.ended_at is None else _("已结束")
        features.append(
            feature(
                point(row.lon, row.lat),
                id=row.pk,
                name=f"{row.get_kind_display()} {subject}",
                popup_html=popup(
                    f"{row.get_kind_display()} · {subject}",
                    f"{when} · {state}",
                    url=reverse("tracking:violation", args=[row.pk]),
                ),
            )
        )
    return features


VIOLATION_LAYER = MapLayer(
    "vehicle_violations",
    gettext_lazy("车辆违规"),
    78,
    _violations,
    capability="tracking.read",
    style={
        "point": "circle",
        "radius": 6,
        "color": "--violation",
        "fillColor": "--violation",
        "weight": 1,
        "fillOpacity": 0.6,
    },
    legend=(("--violation", gettext_lazy("车辆违规位置")),),
)
