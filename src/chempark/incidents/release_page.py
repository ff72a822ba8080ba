"""The incident page's reported release: the form (read in the DCS's units, pre-filled with the
registry tanks the hole may be in and what their points measure) and what the page says of the
release computed — the inputs as the models used them and the source term, in the user's language
with units, so the dispatcher sees what was assumed.

The notes and the dispersion choice are 事故模拟's own texts (:mod:`chempark.emergency.model_warnings`),
filled with the figures the model reported."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.errors import InvalidInput
from chempark.core.page_input import form_input, number_or_text
from chempark.emergency import model_warnings, selectors, simulation_sources
from chempark.incidents.models import Incident
from chempark.incidents.schemas import ReleaseIn
from chempark.monitoring.models import PointKind
from chempark.monitoring.selectors import points_visible
from chempark.park.selectors import registry_visible

KELVIN = 273.15
LENGTH_UNITS = {"m": 1.0, "mm": 0.001}


def _figure(value: float) -> str:
    return f"{value:.3g}"


def _hole_rows(used: dict[str, Any]) -> list[tuple[str, str]]:
    """The hole's inputs as the model used them (the tank's figures filled in)."""
    rows = [(_("储罐"), str(used["tank"]))] if used.get("tank") else []
    rows.append((_("孔径"), f"{used['hole_diameter_mm']:g} mm"))
    gas = used.get("phase") == "gas"
    rows.append((_("泄漏位置"), _("气相空间（气体泄放）") if gas else _("液面以下（液体泄放）")))
    temperature = used.get("storage_temperature_k")
    rows.append((_("储存温度"), f"{temperature - KELVIN:.1f} °C" if temperature is not None else _("按气温")))
    pressure = used.get("storage_pressure_pa")
    rows.append(
        (_("储存压力（绝压）"), f"{pressure / 1e6:.4g} MPa" if pressure is not None else _("该温度下的饱和蒸气压"))
    )
    rows.append((_("液位高度（孔以上）"), f"{used.get('liquid_head_m') or 0:g} m"))
    return rows


def facts(zone: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value with its unit) of the inputs used and the source term, for a zone computed for
    a reported release; empty for the screening release or a record made before they were kept."""
    term = zone.get("source_term")
    if not isinstance(term, dict):
        return []
    used = term.get("inputs") or {}
    rows = _hole_rows(used) if used.get("kind") == "tank_hole" else []
    if used.get("inventory_kg") is not None:
        rows.append((_("可泄漏量"), f"{used['inventory_kg']:.4g} kg"))
    if term.get("outflow_kg_s") is not None:
        rows.append((_("泄放速率"), f"{_figure(term['outflow_kg_s'])} kg/s"))
    if term.get("flash_fraction") is not None:
        rows.append((_("闪蒸分率"), _figure(term["flash_fraction"])))
        rows.append((_("进入大气的分率"), _figure(term["airborne_fraction"])))
    if term.get("continuous"):
        rows.append((_("进入大气速率（源强）"), f"{_figure(term['rate_kg_s'])} kg/s"))
    else:
        rows.append((_("瞬时泄漏量"), f"{term['mass_kg']:g} kg"))
    if term.get("duration_s"):
        rows.append((_("泄漏持续时间"), f"{term['duration_s'] / 60:.3g} min"))
    return rows


def notes(zone: dict[str, Any]) -> list[str]:
    """How the source term was found and which dispersion model drew the zones, in 事故模拟's words."""
    term = zone.get("source_term")
    if not isinstance(term, dict):
        return []
    found = [model_warnings.localized_warning(note) for note in term.get("note_details", [])]
    dispersion = term.get("dispersion")
    if isinstance(dispersion, dict):
        text = model_warnings.DISPERSION_TEXTS.get(str(dispersion.get("code", "")))
        params = {k: f"{v:.3g}" if isinstance(v, float) else v for k, v in (dispersion.get("params") or {}).items()}
        try:
            found.append(str(text) % params if text is not None else str(dispersion.get("message", "")))
        except (KeyError, TypeError, ValueError):
            found.append(str(dispersion.get("message", "")))
    return found


def tank_choices(actor: Actor, incident: Incident) -> list[dict[str, Any]]:
    """The registry tanks a hole may be in: the incident unit's (else its enterprise's) tanks that
    hold one of its chemicals, with their measured storage temperature (°C) and pressure (MPa
    gauge, as the DCS reads it) for the form to fill in."""
    chemicals = [c.pk for c in incident.chemicals.all()]
    tanks = registry_visible(actor, "tank").select_related("unit", "chemical").filter(chemical_id__in=chemicals)
    if incident.unit_id is not None:
        tanks = tanks.filter(unit_id=incident.unit_id)
    elif incident.enterprise_id is not None:
        tanks = tanks.filter(unit__enterprise_id=incident.enterprise_id)
    else:
        return []
    listed = list(tanks.order_by("unit__code", "code"))
    conditions = selectors.tanks_conditions(actor, listed)
    levels = _levels_m(actor, [tank.pk for tank in listed])
    found = []
    for tank in listed:
        measured = conditions[tank.pk]
        found.append(
            {
                "id": tank.pk,
                "label": f"{tank.unit.name} · {tank.name}（{tank.code}）· {tank.chemical.name_zh}",
                "temperature_c": round(measured.temperature.value - KELVIN, 1) if measured.temperature else None,
                "pressure_mpa": round((measured.pressure.value - selectors.ATMOSPHERE_PA) / 1e6, 3)
                if measured.pressure
                else None,
                "inventory_t": float(tank.design_max_t),
                "liquid_head_m": levels.get(tank.pk),
            }
        )
    return found


def _levels_m(actor: Actor, tank_ids: list[int]) -> dict[int, float]:
    """Each tank's liquid level (m) from the latest online reading of its own level gauge in m or
    mm — the head above a hole at the bottom, the largest; a gauge in % says nothing of height."""
    if not actor.can("monitoring.read"):
        return {}
    points = (
        points_visible(actor)
        .filter(tank_id__in=tank_ids, kind=PointKind.LEVEL, enabled=True)
        .select_related("latest")
        .order_by("code")
    )
    found: dict[int, float] = {}
    for point in points:
        latest = getattr(point, "latest", None)
        factor = LENGTH_UNITS.get(point.unit_of_measure.strip())
        tank_id = point.tank_id
        if tank_id is None or tank_id in found or factor is None or latest is None or latest.value is None:
            continue
        if latest.online:
            found[tank_id] = round(max(0.0, float(latest.value) * factor), 2)
    return found


def form_initial(zone: dict[str, Any], tanks: list[dict[str, Any]], air_pa: float) -> dict[str, Any]:
    """What the hole form shows: the hole last computed, else the first tank's measured storage
    temperature and pressure (°C, MPa gauge over the park's air pressure ``air_pa``)."""
    stored = zone.get("release_input")
    given: dict[str, Any] = stored if isinstance(stored, dict) else {}
    first = tanks[0] if tanks else {}
    if given.get("kind") != "tank_hole":
        return {
            "tank": first.get("id"),
            "phase": "liquid",
            "temperature_c": first.get("temperature_c"),
            "pressure_mpa": first.get("pressure_mpa"),
            "liquid_head_m": first.get("liquid_head_m") or 0,
        }
    temperature, pressure = given.get("storage_temperature_k"), given.get("storage_pressure_pa")
    return {
        "tank": given.get("tank_id"),
        "hole_diameter_mm": given.get("hole_diameter_mm"),
        "phase": given.get("phase", "liquid"),
        "temperature_c": round(temperature - KELVIN, 2) if temperature is not None else None,
        "pressure_mpa": round((pressure - air_pa) / 1e6, 4) if pressure is not None else None,
        "liquid_head_m": given.get("liquid_head_m", 0),
        "duration_min": given.get("duration_min"),
    }


RELEASE_LABELS = {
    "kind": gettext_lazy("泄漏方式"),
    "rate_kg_s": gettext_lazy("泄漏速率 (kg/s)"),
    "quantity_kg": gettext_lazy("泄漏量 (kg)"),
    "height_m": gettext_lazy("泄漏高度 (m)"),
    "tank_id": gettext_lazy("储罐"),
    "hole_diameter_mm": gettext_lazy("孔径 (mm)"),
    "phase": gettext_lazy("泄漏位置"),
    "storage_temperature_k": gettext_lazy("储存温度（换算为 K）"),
    "storage_pressure_pa": gettext_lazy("储存压力（换算为绝压 Pa）"),
    "liquid_head_m": gettext_lazy("液位高度 (m)"),
    "duration_min": gettext_lazy("泄漏持续时间 (min)"),
}


def release_form(actor: Actor, post: Any) -> dict[str, Any] | None:
    """The release the dispatcher entered, or None for "the wind now, the same release". The hole's
    temperature is typed in °C and its pressure in MPa gauge, as the DCS shows them (the 事故模拟
    page's units): the gauge is read over the park's air pressure."""
    if not post.get("kind"):
        return None
    values = {name: post.get(name, "") for name in ReleaseIn.model_fields}
    values["tank_id"] = post.get("tank", "")
    celsius = number_or_text(str(post.get("storage_temperature_c", "")).strip() or "")
    if isinstance(celsius, float):
        values["storage_temperature_k"] = str(celsius + 273.15)
    elif celsius:
        raise InvalidInput(_("填写的内容有误：储存温度 (°C)：须为数字"), details={"storage_temperature_c": ["number"]})
    gauge = number_or_text(str(post.get("storage_pressure_mpa", "")).strip() or "")
    if isinstance(gauge, float):
        if gauge < 0:
            raise InvalidInput(
                _("填写的内容有误：储存压力（表压，MPa）：不能小于 0"), details={"storage_pressure_mpa": ["negative"]}
            )
        air = simulation_sources.park_wind(actor)["ambient_pressure_pa"]
        values["storage_pressure_pa"] = str(gauge * 1e6 + air)
    elif gauge:
        raise InvalidInput(
            _("填写的内容有误：储存压力（表压，MPa）：须为数字"), details={"storage_pressure_mpa": ["number"]}
        )
    names = {key: str(text) for key, text in RELEASE_LABELS.items()}
    release: dict[str, Any] = form_input(ReleaseIn, values, labels=names).model_dump()
    return release
