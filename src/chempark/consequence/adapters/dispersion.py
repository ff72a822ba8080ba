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

from chempark.consequence import dense_gas, dispersion, gas_units, leak_source, toxic, weather, zones
from chempark.consequence.adapters import _fields as f
from chempark.consequence.adapters import source_terms


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
    wind = weather.transport_wind_speed_m_s(met.wind_speed_m_s, met.wind_height_m, height, met.stability, met.terrain)
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
    wind = weather.transport_wind_speed_m_s(met.wind_speed_m_s, met.wind_height_m, height, met.stability, met.terrain)
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


def _molar_mass(request: dict[str, Any]) -> float | None:
    chemical = request.get("chemical")
    if chemical is None:
        return None
    if not isinstance(chemical, dict):
        raise f.FieldError("invalid_type", "chemical must be an object with cas or molar_mass_g_mol")
    given = f.optional_number(chemical, "molar_mass_g_mol", "chemical")
    if given is not None:
        if given <= 0.0:
            raise f.FieldError("invalid_value", "chemical.molar_mass_g_mol must be > 0")
        return given
    return toxic.molar_mass_g_mol(f.text(chemical, "cas", "chemical"))


def _thresholds(request: dict[str, Any]) -> list[tuple[str, float]]:
    """(label, g/m³) pairs from ``thresholds`` (g/m³ or ppm each) or from ``levels`` looked up
    for ``chemical.cas`` in the toxic-level table."""
    molar_mass = _molar_mass(request)
    temperature = f.number(request.get("weather"), "ambient_temperature_k", "weather", default=298.15)
    pairs: list[tuple[str, float]] = []
    if "levels" in request:
        cas = f.text(f.obj(request, "chemical"), "cas", "chemical")
        duration = f.positive_number(request, "duration_min", default=60.0)
        for index, name in enumerate(f.array(request, "levels")):
            if not isinstance(name, str):
                raise f.FieldError("invalid_type", f"levels[{index}] must be a string such as AEGL-2")
            level = toxic.level_of_concern(cas, name, duration)
            mass = molar_mass if molar_mass is not None else toxic.molar_mass_g_mol(cas)
            value = float(toxic.ppm_to_mg_m3(level.value_ppm, mass, temperature)) / 1000.0
            pairs.append((f"{level.level} ({level.duration_min:g} min)", value))
        return pairs
    for index, item in enumerate(f.array(request, "thresholds")):
        path = f"thresholds[{index}]"
        label = f.text(item, "label", path, default=path)
        if isinstance(item, dict) and item.get("ppm") is not None:
            if molar_mass is None:
                raise f.FieldError("missing_field", f"{path}.ppm needs chemical.cas or chemical.molar_mass_g_mol")
            ppm = f.positive_number(item, "ppm", path)
            pairs.append((label, float(toxic.ppm_to_mg_m3(ppm, molar_mass, temperature)) / 1000.0))
        else:
            pairs.append((label, f.positive_number(item, "concentration_g_m3", path)))
    return pairs


def threat_zone(request: dict[str, Any]) -> dict[str, Any]:
    """Threat zones of a plume (``release.rate_g_s``) or puff (``release.mass_kg``) for each
    threshold, in metres and — with ``source {lon_deg, lat_deg}`` and ``weather.wind_from_deg`` —
    as a GeoJSON FeatureCollection."""
    release = f.obj(request, "release")
    height = f.non_negative_number(release, "height_m", "release", default=0.0)
    met = f.parse_weather(request)
    receptor = f.non_negative_number(request, "receptor_height_m", default=0.0)
    wind = weather.transport_wind_speed_m_s(met.wind_speed_m_s, met.wind_height_m, height, met.stability, met.terrain)
    if release.get("mass_kg") is not None:
        profile = zones.puff_profile(
            f.positive_number(release, "mass_kg", "release") * 1000.0,
            wind_speed_m_s=wind,
            release_height_m=height,
            stability=met.stability,
            receptor_height_m=receptor,
            mixing_height_m=met.mixing_height_m,
        )
    else:
        profile = zones.plume_profile(
            f.positive_number(release, "rate_g_s", "release"),
            wind_speed_m_s=wind,
            release_height_m=height,
            stability=met.stability,
            receptor_height_m=receptor,
            scheme=met.sigma_scheme,
            terrain=met.terrain,
            mixing_height_m=met.mixing_height_m,
        )
    pairs = sorted(_thresholds(request), key=lambda pair: -pair[1])
    computed = [(label, zones.threat_zone(profile, value)) for label, value in pairs]
    result: dict[str, Any] = {
        "zones": [
            {
                "label": label,
                "threshold_g_m3": float(f"{zone.threshold_g_m3:.6g}"),
                "start_m": round(zone.start_m, 1),
                "downwind_extent_m": round(zone.downwind_extent_m, 1),
                "max_half_width_m": round(zone.max_half_width_m, 1),
                "area_m2": round(zone.area_m2),
            }
            for label, zone in computed
        ],
        "transport_wind_speed_m_s": round(wind, 4),
    }
    warnings: list[str] = []
    if request.get("source") is not None:
        source = f.obj(request, "source")
        if met.wind_from_deg is None:
            raise f.FieldError("missing_field", "weather.wind_from_deg is needed to place zones on the map")
        features = [
            zones.zone_geojson(
                zone,
                source_lon_deg=f.number(source, "lon_deg", "source"),
                source_lat_deg=f.number(source, "lat_deg", "source"),
                wind_from_deg=met.wind_from_deg,
                properties={"label": label},
            )
            for label, zone in computed
        ]
        result["geojson"] = {"type": "FeatureCollection", "features": features}
    if any(zone.downwind_extent_m >= zones.MAX_ZONE_DISTANCE_M for _, zone in computed):
        warnings.append(f"zone reaches the {zones.MAX_ZONE_DISTANCE_M / 1000:g} km limit and is cut there")
    if any(zone.downwind_extent_m > dispersion.GAUSSIAN_VALID_DISTANCE_M[1] for _, zone in computed):
        warnings.append("zone extends beyond 10 km, where a straight-line plume is unreliable")
    if any(0.0 < zone.downwind_extent_m < dispersion.GAUSSIAN_VALID_DISTANCE_M[0] for _, zone in computed):
        warnings.append("zone shorter than 100 m: Pasquill-Gifford sigmas are extrapolated there")
    return _with_warnings(result, warnings)


def leak_source_estimate(request: dict[str, Any]) -> dict[str, Any]:
    """``detectors``: ``[{x_m, y_m} or {lon_deg, lat_deg}, concentration_g_m3}]`` (zeros allowed),
    ``weather`` with ``wind_from_deg``; optional ``release_height_m``, ``detector_height_m``."""
    met = f.parse_weather(request)
    if met.wind_from_deg is None:
        raise f.FieldError("missing_field", "missing required field weather.wind_from_deg")
    items = f.array(request, "detectors", min_items=2)
    geographic = isinstance(items[0], dict) and items[0].get("lon_deg") is not None
    points: list[tuple[float, float]] = []
    readings: list[float] = []
    for index, item in enumerate(items):
        path = f"detectors[{index}]"
        if geographic:
            points.append((f.number(item, "lon_deg", path), f.number(item, "lat_deg", path)))
        else:
            points.append((f.number(item, "x_m", path), f.number(item, "y_m", path)))
        readings.append(f.non_negative_number(item, "concentration_g_m3", path))
    xy = np.array(points)
    origin = (float(xy[:, 0].mean()), float(xy[:, 1].mean()))
    if geographic:
        xy = zones.lonlat_to_local(xy, *origin)
    release_height = f.non_negative_number(request, "release_height_m", default=0.0)
    wind = weather.transport_wind_speed_m_s(
        met.wind_speed_m_s, met.wind_height_m, release_height, met.stability, met.terrain
    )
    estimate = leak_source.estimate_leak_source(
        xy[:, 0],
        xy[:, 1],
        readings,
        wind_speed_m_s=wind,
        wind_from_deg=met.wind_from_deg,
        stability=met.stability,
        detector_height_m=f.non_negative_number(request, "detector_height_m", default=1.5),
        release_height_m=release_height,
    )
    result: dict[str, Any] = {
        "x_m": round(estimate.x_m, 1),
        "y_m": round(estimate.y_m, 1),
        "rate_g_s": float(f"{estimate.rate_g_s:.4g}"),
        "ill_posed": estimate.ill_posed,
        "residuals_ln": _rounded(estimate.residuals_ln),
    }
    if not estimate.ill_posed:
        result["standard_error_x_m"] = round(estimate.standard_error_x_m, 1)
        result["standard_error_y_m"] = round(estimate.standard_error_y_m, 1)
        result["rate_factor_1sigma"] = round(estimate.rate_factor_1sigma, 3)
        result["residual_dof"] = estimate.residual_dof
    if geographic:
        lon, lat = zones.local_to_lonlat(np.array([[estimate.x_m, estimate.y_m]]), *origin)[0]
        result["lon_deg"] = round(float(lon), 7)
        result["lat_deg"] = round(float(lat), 7)
    else:
        result["frame"] = "x east, y north, metres, same frame as the detectors"
    return _with_warnings(result, [f"ill-posed: {reason}" for reason in estimate.reasons])


AIR_MOLAR_MASS_KG_MOL = 0.028964


def _ambient_pressure(block: dict[str, Any]) -> float:
    """``weather.ambient_pressure_pa``, else from ``weather.altitude_m`` (standard atmosphere), else 1 atm."""
    given = f.optional_number(block, "ambient_pressure_pa", "weather")
    if given is not None:
        if not 50_000.0 <= given <= 110_000.0:
            raise f.FieldError("invalid_value", "weather.ambient_pressure_pa must be between 50000 and 110000")
        return given
    return gas_units.pressure_at_altitude_pa(f.number(block, "altitude_m", "weather", default=0.0))


def dense_gas_model(request: dict[str, Any]) -> dict[str, Any]:
    """Britter–McQuaid: ``release {rate_kg_s | mass_kg, density_kg_m3, temperature_k}``,
    ``weather`` (wind moved to 10 m by the power law), ``distances_m``, optional ``chemical``
    for g/m³ output. The answer also says whether the dense-gas criterion is met."""
    release = f.obj(request, "release")
    met = f.parse_weather(request)
    density = f.positive_number(release, "density_kg_m3", "release")
    temperature = f.positive_number(release, "temperature_k", "release", default=met.ambient_temperature_k)
    pressure = _ambient_pressure(f.obj(request, "weather"))
    ambient_density = pressure * AIR_MOLAR_MASS_KG_MOL / (8.314462618 * met.ambient_temperature_k)
    wind_10m = float(
        weather.wind_speed_at_height(met.wind_speed_m_s, met.wind_height_m, 10.0, met.stability, met.terrain)
    )
    distances = [
        f.number({"d": value}, "d", f"distances_m[{i}]") for i, value in enumerate(f.array(request, "distances_m"))
    ]
    continuous = release.get("mass_kg") is None
    amount = (
        f.positive_number(release, "rate_kg_s", "release")
        if continuous
        else f.positive_number(release, "mass_kg", "release")
    )
    selection = dense_gas.select_dispersion_model(
        release="continuous" if continuous else "instantaneous",
        amount=amount,
        release_density_kg_m3=density,
        ambient_density_kg_m3=ambient_density,
        wind_speed_10m_m_s=wind_10m,
    )
    model = dense_gas.britter_mcquaid_plume if continuous else dense_gas.britter_mcquaid_puff
    result_bm = model(
        amount,
        np.array(distances),
        release_density_kg_m3=density,
        ambient_density_kg_m3=ambient_density,
        wind_speed_10m_m_s=wind_10m,
        release_temperature_k=temperature,
        ambient_temperature_k=met.ambient_temperature_k,
    )
    result: dict[str, Any] = {
        "volume_fraction": _rounded(result_bm.volume_fraction),
        "alpha": round(result_bm.alpha, 4),
        "dense_gas_criterion": round(selection.criterion, 4),
        "recommended_model": selection.model,
    }
    molar_mass = _molar_mass(request)
    if molar_mass is not None:
        gas_density_g_m3 = pressure * molar_mass / (8.314462618 * met.ambient_temperature_k)
        result["concentrations_g_m3"] = _rounded(result_bm.volume_fraction * gas_density_g_m3)
    warnings: list[str] = []
    if selection.model != "britter_mcquaid":
        warnings.append(f"{selection.reason}; Britter-McQuaid is meant for dense releases")
    if result_bm.outside_correlation:
        warnings.append("outside the workbook curves (alpha beyond [-1, 1] or beyond the last curve): extrapolated")
    return _with_warnings(result, warnings)


MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "dense_gas": dense_gas_model,
    "leak_source": leak_source_estimate,
    "gaussian_plume": gaussian_plume,
    "gaussian_puff": gaussian_puff,
    "threat_zone": threat_zone,
    **source_terms.MODELS,
}
