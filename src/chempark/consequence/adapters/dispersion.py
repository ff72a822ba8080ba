"""JSON adapters for the dispersion models (``gaussian_plume``, ``gaussian_puff``, ...).

Each adapter takes the parsed request, reads its fields through :mod:`._fields` (clear errors for
missing or mistyped fields), calls the pure model and returns a JSON-ready dictionary. Results
outside a model's validity range carry ``"warnings"``. Request and response shapes are documented
in ``docs/consequence.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chempark.consequence import dispersion, weather
from chempark.consequence.adapters import _fields as f


def _rounded(values: Any) -> list[float]:
    """Plain floats (JSON has no numpy types), with 6 significant digits."""
    return [float(f"{value:.6g}") for value in np.asarray(values, dtype=np.float64).ravel()]


NEAR_SOURCE_LIMIT_G_M3 = 100.0
"""Above ~100 g/m³ (several per cent by volume for most gases) a receptor is inside the source
cloud, where a point-source Gaussian model has no meaning."""


def _near_source_warning(values: Any) -> list[str]:
    if np.any(np.asarray(values) > NEAR_SOURCE_LIMIT_G_M3):
        return [
            f"concentration above {NEAR_SOURCE_LIMIT_G_M3:g} g/m3: receptor is in the near-source cloud "
            "where the point-source model is not meaningful"
        ]
    return []


def _with_warnings(result: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    if warnings:
        result["warnings"] = warnings
    return result


def gaussian_plume(request: dict[str, Any]) -> dict[str, Any]:
    """Continuous release: ``release {rate_g_s, height_m}``, ``weather``, ``receptors``."""
    release = f.obj(request, "release")
    rate = f.non_negative_number(release, "rate_g_s", "release")
    height = f.non_negative_number(release, "height_m", "release", default=0.0)
    met = f.parse_weather(request)
    xs, ys, zs = f.parse_receptors(request)
    wind = weather.transport_wind_speed_m_s(
        met.wind_speed_m_s, met.wind_height_m, height, met.stability, met.terrain
    )
    concentrations = dispersion.gaussian_plume_concentration_g_m3(
        rate,
        np.array(xs),
        np.array(ys),
        np.array(zs),
        wind_speed_m_s=wind,
        release_height_m=height,
        stability=met.stability,
        scheme=met.sigma_scheme,
        terrain=met.terrain,
        mixing_height_m=met.mixing_height_m,
    )
    result = {
        "concentrations_g_m3": _rounded(concentrations),
        "transport_wind_speed_m_s": round(wind, 4),
        "sigma_scheme": met.sigma_scheme,
    }
    warnings = dispersion.plume_validity_warnings(np.array(xs), wind, met.stability)
    return _with_warnings(result, warnings + _near_source_warning(concentrations))


def gaussian_puff(request: dict[str, Any]) -> dict[str, Any]:
    """Instantaneous release: ``release {mass_kg, height_m}``, ``weather``, ``receptors`` and
    optional ``time_s`` (without it, the peak concentration as the puff passes each receptor)."""
    release = f.obj(request, "release")
    mass_g = f.non_negative_number(release, "mass_kg", "release") * 1000.0
    height = f.non_negative_number(release, "height_m", "release", default=0.0)
    met = f.parse_weather(request)
    xs, ys, zs = f.parse_receptors(request)
    wind = weather.transport_wind_speed_m_s(
        met.wind_speed_m_s, met.wind_height_m, height, met.stability, met.terrain
    )
    time_s = f.optional_number(request, "time_s")
    xa, ya, za = np.array(xs), np.array(ys), np.array(zs)
    if time_s is None:
        values = dispersion.gaussian_puff_peak_concentration_g_m3(
            mass_g,
            xa,
            ya,
            za,
            wind_speed_m_s=wind,
            release_height_m=height,
            stability=met.stability,
            mixing_height_m=met.mixing_height_m,
        )
        key = "peak_concentrations_g_m3"
    else:
        if time_s <= 0.0:
            raise f.FieldError("invalid_value", "time_s must be > 0")
        values = dispersion.gaussian_puff_concentration_g_m3(
            mass_g,
            xa,
            ya,
            za,
            time_s=time_s,
            wind_speed_m_s=wind,
            release_height_m=height,
            stability=met.stability,
            mixing_height_m=met.mixing_height_m,
        )
        key = "concentrations_g_m3"
    result = {key: _rounded(values), "transport_wind_speed_m_s": round(wind, 4)}
    warnings = dispersion.plume_validity_warnings(xa, wind, met.stability)
    return _with_warnings(result, warnings + _near_source_warning(values))


MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gaussian_plume": gaussian_plume,
    "gaussian_puff": gaussian_puff,
}
