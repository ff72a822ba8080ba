"""What the 事故模拟 page pre-fills: the registry's tanks (chemical, inventory, bund, position and
the storage pressure and temperature their points measure), the park's wind, and — opened from an
alarm — the tank or unit its point watches.

Read only, through the registry and monitoring selectors, for the actor."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.core.actors import Actor
from chempark.emergency import leak_layer, selectors
from chempark.emergency.tank_release import PRESSURISED_TANKS
from chempark.monitoring import selectors as monitoring
from chempark.park.models import Tank
from chempark.park.selectors import registry_visible


def _condition(condition: selectors.MeasuredCondition | None, value: float | None) -> dict[str, Any] | None:
    if condition is None or value is None:
        return None
    at = timezone.localtime(condition.at).strftime("%H:%M") if condition.at else ""
    return {"value": value, "point": condition.point, "at": at}


def tank_choices(actor: Actor) -> list[dict[str, Any]]:
    """Every visible tank holding a chemical, with what a simulation of it needs (the page's picker)."""
    tanks = (
        registry_visible(actor, "tank")
        .select_related("unit__enterprise", "chemical")
        .filter(chemical__isnull=False)
        .order_by("unit__enterprise__name", "unit__code", "code")
    )
    found = []
    conditions_of = selectors.tanks_conditions(actor, tanks)
    for tank in tanks:
        conditions = conditions_of[tank.pk]
        pressure, temperature = conditions.pressure, conditions.temperature
        found.append(
            {
                "id": tank.pk,
                "label": f"{tank.unit.enterprise.name} · {tank.name}（{tank.code}）",
                "cas": tank.chemical.cas or "",
                "chemical": tank.chemical.name_zh,
                "inventory_t": float(tank.design_max_t),
                "kind": tank.get_kind_display(),
                "pressurised": tank.kind in PRESSURISED_TANKS,
                "bund_m2": float(tank.bund_area_m2) if tank.bund_area_m2 is not None else None,
                "lon": tank.unit.lon,
                "lat": tank.unit.lat,
                # gauge MPa and °C, as the duty officer reads them on the DCS
                "pressure": _condition(
                    pressure, round((pressure.value - selectors.ATMOSPHERE_PA) / 1e6, 3) if pressure else None
                ),
                "temperature": _condition(temperature, round(temperature.value - 273.15, 1) if temperature else None),
            }
        )
    return found


def park_wind(actor: Actor) -> dict[str, Any]:
    """The park's measured wind (its weather station's points) or the configured one, and where it
    comes from; and the air pressure at the park's altitude, which the simulation uses."""
    park = registry_visible(actor, "park").order_by("id").first()
    if park is None or not actor.can("monitoring.read"):
        wind = leak_layer.WindUsed(leak_layer.default_wind())
    else:
        wind = leak_layer.wind_for_park(actor, park.pk)
    met, measured = wind.met, wind.measured
    air = selectors.at_park_altitude(actor, met, park.pk if park is not None else None)
    if measured is None:
        text = _("配置的假定风况（园区气象站无新近读数），稳定度取配置值")
    else:
        text = _("园区气象站实测：%(speed)s %(speed_at)s，%(direction)s %(direction_at)s；稳定度取配置值") % {
            "speed": measured.speed.code,
            "speed_at": timezone.localtime(measured.speed.at).strftime("%H:%M"),
            "direction": measured.direction.code,
            "direction_at": timezone.localtime(measured.direction.at).strftime("%H:%M"),
        }
        if wind.raised_to_floor:
            text += _("；实测风速 %(speed)s m/s 低于模型下限，按 1 m/s 计算") % {"speed": f"{measured.speed_m_s:g}"}
    pressure = _("环境气压 %(kpa)s kPa（园区海拔 %(altitude)s m，按标准大气）") % {
        "kpa": f"{air.pressure_pa / 1000:.1f}",
        "altitude": f"{air.altitude_m:g}",
    }
    return {
        "speed_m_s": f"{round(met.wind_speed_m_s, 1):g}",
        "from_deg": f"{round(met.wind_from_deg):g}",
        "stability": met.stability,
        "measured": measured is not None,
        "text": text,
        "ambient_pressure_pa": round(air.pressure_pa),
        "pressure_text": pressure,
    }


def alarm_context(actor: Actor, alarm_id: int) -> dict[str, Any]:
    """The alarm a simulation is opened from and the tank (or, without one, the unit position and
    the unit's first tank holding a chemical) of its point."""
    alarm = monitoring.alarm_get(actor, alarm_id)
    point = alarm.point
    tank: Tank | None = point.tank if point is not None else None
    if tank is None and point is not None:
        tank = (
            registry_visible(actor, "tank")
            .filter(unit_id=point.unit_id, chemical__isnull=False)
            .order_by("code")
            .first()
        )
    text = _("由报警 #%(id)s 发起：%(enterprise)s %(point)s，%(time)s") % {
        "id": alarm.pk,
        "enterprise": alarm.enterprise.name if alarm.enterprise is not None else alarm.subject,
        "point": f"{point.name}（{point.code}）" if point is not None else "",
        "time": timezone.localtime(alarm.raised_at).strftime("%Y-%m-%d %H:%M"),
    }
    context: dict[str, Any] = {"alarm_id": alarm.pk, "text": text, "tank_id": tank.pk if tank else None}
    if tank is None and point is not None:
        context.update(lon=point.lon, lat=point.lat)
    return context
