"""JSON adapters for the fire models (``pool_fire``, ``jet_fire``, ``fireball``).

Coordinates are metres in the fire's local frame: x downwind, y crosswind, the fire at the origin.
Fluxes go out in kW/m² (the unit of the threshold tables), doses in (W/m²)^(4/3)·s. Request and
response shapes are documented in ``docs/consequence-fire-explosion.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chempark.consequence import fire, fuels, probit
from chempark.consequence._checks import FloatArray
from chempark.consequence.adapters import _fields as f
from chempark.consequence.errors import ConsequenceInputError

DEFAULT_LEVELS_KW_M2 = tuple(level / 1e3 for level in fire.STANDARD_FLUX_LEVELS_W_M2)


def _rounded(values: Any) -> list[float]:
    return [float(f"{value:.6g}") for value in np.asarray(values, dtype=np.float64).ravel()]


def _fuel(block: dict[str, Any], path: str) -> fuels.FuelProperties:
    """``fuel_cas`` (CAS number) or ``fuel`` (a name from the pool-fire table, e.g. "gasoline")."""
    key = "fuel_cas" if "fuel_cas" in block else "fuel"
    return fuels.fuel_properties(f.text(block, key, path))


def _fire_weather(request: dict[str, Any]) -> tuple[float, float, float]:
    """(wind speed m/s, relative humidity 0–1, air temperature K); the whole block is optional."""
    block = request.get("weather") or {}
    if not isinstance(block, dict):
        raise f.FieldError("invalid_type", "weather must be an object")
    wind = f.non_negative_number(block, "wind_speed_m_s", "weather", default=0.0)
    humidity = f.number(block, "relative_humidity", "weather", default=0.7)
    if not 0.0 <= humidity <= 1.0:
        raise f.FieldError("invalid_value", "weather.relative_humidity must be between 0 and 1")
    key = "ambient_temperature_k" if "ambient_temperature_k" in block else "air_temperature_k"
    temperature = f.positive_number(block, key, "weather", default=293.15)
    return wind, humidity, temperature


def _receptors(request: dict[str, Any]) -> tuple[FloatArray, FloatArray]:
    if "receptors" not in request:
        return np.zeros(0), np.zeros(0)
    xs, ys, _ = f.parse_receptors(request)
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


def _levels_w_m2(request: dict[str, Any]) -> tuple[float, ...]:
    if "flux_levels_kw_m2" not in request:
        return fire.STANDARD_FLUX_LEVELS_W_M2
    levels = []
    for index, value in enumerate(f.array(request, "flux_levels_kw_m2")):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise f.FieldError("invalid_value", f"flux_levels_kw_m2[{index}] must be a positive number")
        levels.append(float(value) * 1e3)
    return tuple(levels)


def _distances(
    flux_at: Callable[[FloatArray], FloatArray], levels: tuple[float, ...], r_max_m: float
) -> tuple[dict[str, float], list[str]]:
    found = fire.distances_to_flux_levels(flux_at, levels_w_m2=levels, r_max_m=r_max_m)
    warnings = [f"{level / 1e3:g} kW/m2 still exceeded at {r_max_m:g} m" for level, d in found.items() if d >= r_max_m]
    return {f"{level / 1e3:g}": round(distance, 2) for level, distance in found.items()}, warnings


def _effects(request: dict[str, Any], flux_w_m2: FloatArray, default_exposure_s: float | None) -> dict[str, Any]:
    """Dose and probit probabilities when an exposure time is given (or implied by a fireball)."""
    exposure = f.optional_number(request, "exposure_s")
    if exposure is None:
        exposure = default_exposure_s
    if exposure is None or flux_w_m2.size == 0:
        return {}
    if exposure <= 0.0:
        raise f.FieldError("invalid_value", "exposure_s must be > 0")
    return {
        "exposure_s": exposure,
        "dose_tdu": _rounded(probit.thermal_dose(flux_w_m2, exposure)),
        "lethality_probability": _rounded(
            probit.probit_to_probability(probit.thermal_lethality_green_book(flux_w_m2, exposure))
        ),
        "second_degree_burn_probability": _rounded(
            probit.probit_to_probability(probit.second_degree_burn_probit(flux_w_m2, exposure))
        ),
    }


def _finish(result: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    if warnings:
        result["warnings"] = warnings
    return result


def pool_fire(request: dict[str, Any]) -> dict[str, Any]:
    """``pool {diameter_m, fuel_cas | fuel, burning_rate_kg_m2_s?, surface_emissive_power_kw_m2?}``,
    optional ``weather``, ``receptors``, ``flux_levels_kw_m2``, ``exposure_s``."""
    block = f.obj(request, "pool")
    diameter = f.positive_number(block, "diameter_m", "pool")
    fuel = _fuel(block, "pool")
    rate = f.optional_number(block, "burning_rate_kg_m2_s", "pool")
    sep_kw = f.optional_number(block, "surface_emissive_power_kw_m2", "pool")
    wind, humidity, temperature = _fire_weather(request)
    model = fire.pool_fire(
        diameter,
        fuel,
        wind_speed_m_s=wind,
        air_temperature_k=temperature,
        relative_humidity=humidity,
        burning_rate_kg_m2_s=rate,
        surface_emissive_power_w_m2=None if sep_kw is None else sep_kw * 1e3,
    )
    xs, ys = _receptors(request)
    flux = model.flux_w_m2(xs, ys) if xs.size else np.zeros(0)
    downwind, warnings = _distances(model.flux_w_m2, _levels_w_m2(request), r_max_m=50.0 * diameter + 500.0)
    result: dict[str, Any] = {
        "model": "pool_fire",
        "flux_kw_m2": _rounded(flux / 1e3),
        "burning_rate_kg_m2_s": round(model.burning_rate_kg_m2_s, 5),
        "flame_length_m": round(model.flame_length_m, 2),
        "flame_tilt_deg": round(float(np.degrees(model.tilt_rad)), 2),
        "surface_emissive_power_kw_m2": round(model.surface_emissive_power_w_m2 / 1e3, 2),
        "surface_emissive_power_model": model.emissive_power_model,
        "heat_release_mw": round(model.heat_release_w / 1e6, 3),
        "downwind_distance_to_flux_m": downwind,
        **_effects(request, flux, None),
    }
    return _finish(result, list(model.warnings) + warnings)


def jet_fire(request: dict[str, Any]) -> dict[str, Any]:
    """``release {mass_rate_kg_s, fuel_cas | fuel, height_m?, orientation?, jet_velocity_m_s?,
    radiant_fraction?}``, optional ``weather``, ``receptors``, ``flux_levels_kw_m2``, ``exposure_s``."""
    block = f.obj(request, "release")
    rate = f.positive_number(block, "mass_rate_kg_s", "release")
    fuel = _fuel(block, "release")
    orientation = f.text(block, "orientation", "release", default="vertical")
    if orientation not in ("vertical", "horizontal"):
        raise f.FieldError("invalid_value", "release.orientation must be 'vertical' or 'horizontal'")
    _, humidity, temperature = _fire_weather(request)
    model = fire.jet_fire(
        rate,
        fuel,
        release_height_m=f.non_negative_number(block, "height_m", "release", default=0.0),
        orientation="vertical" if orientation == "vertical" else "horizontal",
        jet_velocity_m_s=f.optional_number(block, "jet_velocity_m_s", "release"),
        radiant_fraction=f.optional_number(block, "radiant_fraction", "release"),
        air_temperature_k=temperature,
        relative_humidity=humidity,
    )
    xs, ys = _receptors(request)
    flux = model.flux_w_m2(xs, ys) if xs.size else np.zeros(0)
    distances, warnings = _distances(model.flux_w_m2, _levels_w_m2(request), r_max_m=20_000.0)
    result: dict[str, Any] = {
        "model": "jet_fire",
        "flux_kw_m2": _rounded(flux / 1e3),
        "flame_length_m": round(model.flame_length_m, 2),
        "radiant_fraction": round(model.radiant_fraction, 4),
        "heat_release_mw": round(model.heat_release_w / 1e6, 3),
        "downwind_distance_to_flux_m": distances,
        **_effects(request, flux, None),
    }
    return _finish(result, list(model.warnings) + warnings)


def fireball(request: dict[str, Any]) -> dict[str, Any]:
    """``fireball {mass_kg, fuel_cas | fuel, surface_emissive_power_kw_m2?, vessel_pressure_pa?}``,
    optional ``weather``, ``receptors``, ``flux_levels_kw_m2``. Dose and lethality use the fireball
    duration as exposure unless ``exposure_s`` is given."""
    block = f.obj(request, "fireball")
    mass = f.positive_number(block, "mass_kg", "fireball")
    fuel = _fuel(block, "fireball")
    sep_kw = f.optional_number(block, "surface_emissive_power_kw_m2", "fireball")
    pressure = f.optional_number(block, "vessel_pressure_pa", "fireball")
    _, humidity, temperature = _fire_weather(request)
    model = fire.fireball(
        mass,
        fuel,
        surface_emissive_power_w_m2=None if sep_kw is None else sep_kw * 1e3,
        vessel_pressure_pa=pressure,
        air_temperature_k=temperature,
        relative_humidity=humidity,
    )
    xs, ys = _receptors(request)
    flux = model.flux_w_m2(xs, ys) if xs.size else np.zeros(0)
    distances, warnings = _distances(model.flux_w_m2, _levels_w_m2(request), r_max_m=50_000.0)
    result: dict[str, Any] = {
        "model": "fireball",
        "flux_kw_m2": _rounded(flux / 1e3),
        "diameter_m": round(model.diameter_m, 2),
        "duration_s": round(model.duration_s, 2),
        "centre_height_m": round(model.centre_height_m, 2),
        "surface_emissive_power_kw_m2": round(model.surface_emissive_power_w_m2 / 1e3, 2),
        "distance_to_flux_m": distances,
        **_effects(request, flux, model.duration_s),
    }
    return _finish(result, list(model.warnings) + warnings)


def _guarded(
    adapter: Callable[[dict[str, Any]], dict[str, Any]],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Turn a stray TypeError/ValueError from deep inside a model into the one input-error type."""

    def run(request: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(request, dict):
            raise f.FieldError("invalid_type", "request must be a JSON object")
        try:
            return adapter(request)
        except ConsequenceInputError:
            raise
        except (TypeError, ValueError) as exc:
            raise ConsequenceInputError(f"invalid input for {adapter.__name__}: {exc}") from exc

    run.__name__ = adapter.__name__
    run.__doc__ = adapter.__doc__
    return run


MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "pool_fire": _guarded(pool_fire),
    "jet_fire": _guarded(jet_fire),
    "fireball": _guarded(fireball),
}
