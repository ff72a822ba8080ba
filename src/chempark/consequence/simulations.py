"""The platform's consequence use cases as pure entry points: simulate an accident (事故模拟) and
estimate a leak source from gas-detector readings, each from plain inputs to JSON-ready results,
warnings and the protective targets affected.

The emergency services validate a request against the registry (chemical, unit, tank, scope), call
one of these, and store and audit what it returns; so a simulation request walks down the layers
once, and all the physics assembly (thresholds, source term, zones, coordinates) stays here, where
it is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from chempark.consequence import accident, exposure, fire_accidents, leak_source, toxic, weather, zones
from chempark.consequence.errors import ConsequenceInputError

DEFAULT_LEVELS_DURATION_MIN = 60.0


@dataclass(frozen=True)
class ThresholdSpec:
    """A level of concern given by the caller: ppm or g/m³."""

    label: str
    ppm: float | None = None
    concentration_g_m3: float | None = None


@dataclass(frozen=True)
class DetectorReading:
    """One gas detector's position and reading (g/m³, or ppm converted with the chemical)."""

    lon: float
    lat: float
    concentration_g_m3: float | None = None
    ppm: float | None = None
    name: str = ""


def molar_mass_g_mol(cas: str, catalogue_value: float | None) -> float:
    """The catalogue's molar mass, or the ``chemicals`` package's for the CAS number."""
    if catalogue_value:
        return float(catalogue_value)
    return toxic.molar_mass_g_mol(cas)


def tank_release(
    release: accident.ReleaseInput, *, inventory_kg: float, pressurised: bool, ambient_pressure_pa: float
) -> accident.ReleaseInput:
    """A hole in a registry tank: its inventory unless given, and for a tank that is not
    pressurised the storage pressure of the air around it (the tank breathes through its vent)
    unless given."""
    if release.kind != "tank_hole":
        return release
    if release.inventory_kg is None:
        release = replace(release, inventory_kg=inventory_kg)
    if not pressurised and release.storage_pressure_pa is None:
        release = replace(release, storage_pressure_pa=ambient_pressure_pa)
    return release


def thresholds_for(
    specs: Sequence[ThresholdSpec] | None,
    levels: Sequence[str] | None,
    cas: str,
    *,
    molar_mass: float,
    duration_min: float,
    temperature_k: float,
    pressure_pa: float = accident.AMBIENT_PRESSURE_PA,
) -> list[accident.Threshold]:
    """The caller's levels of concern, or the chemical's tabulated AEGL/ERPG/PAC levels (ppm read
    at the ambient temperature and pressure)."""
    if specs:
        found = []
        for spec in specs:
            if (spec.ppm is None) == (spec.concentration_g_m3 is None):
                raise ConsequenceInputError(f"threshold {spec.label!r}: give exactly one of ppm or concentration_g_m3")
            if spec.ppm is not None:
                found.append(accident.ppm_threshold(spec.label, spec.ppm, molar_mass, temperature_k, pressure_pa))
            else:
                value = float(spec.concentration_g_m3 or 0.0)
                if not value > 0.0:
                    raise ConsequenceInputError(f"threshold {spec.label!r}: concentration must be > 0")
                found.append(accident.Threshold(spec.label, value, "custom", "given"))
        return found
    try:
        return accident.default_thresholds(cas, duration_min, temperature_k, levels or None, pressure_pa)
    except ConsequenceInputError as exc:
        raise ConsequenceInputError(
            f"{exc}; no confirmed AEGL, ERPG or PAC values are tabulated for this chemical — give thresholds explicitly"
        ) from exc


def zone_summary(
    result: accident.AccidentResult,
    molar_mass: float | None = None,
    temperature_k: float = 293.15,
    pressure_pa: float = accident.AMBIENT_PRESSURE_PA,
) -> list[dict[str, Any]]:
    """Each threat zone's level, colour and size, rounded for display; with the molar mass, the
    threshold also in mg/m³ and ppm (at the ambient temperature and pressure)."""
    found = []
    for index, z in enumerate(result.zones):
        row: dict[str, Any] = {
            "label": z.threshold.label,
            "level": z.threshold.level,
            "colour": z.colour,
            "index": index,
            "threshold_g_m3": float(f"{z.threshold.concentration_g_m3:.6g}"),
            "threshold_mg_m3": float(f"{z.threshold.concentration_g_m3 * 1000.0:.3g}"),
            "start_m": round(z.zone.start_m, 1),
            "downwind_extent_m": round(z.zone.downwind_extent_m, 1),
            "reach_m": round(z.zone.downwind_extent_m, 1),
            "max_half_width_m": round(z.zone.max_half_width_m, 1),
            "area_m2": round(z.zone.area_m2),
            "source": z.threshold.source,
        }
        if molar_mass:
            ppm = float(
                toxic.mg_m3_to_ppm(z.threshold.concentration_g_m3 * 1000.0, molar_mass, temperature_k, pressure_pa)
            )
            row["threshold_ppm"] = float(f"{ppm:.3g}")
        found.append(row)
    return found


def _with_people(rows: list[dict[str, Any]], people: list[dict[str, int]]) -> list[dict[str, Any]]:
    return [{**row, "people": count} for row, count in zip(rows, people, strict=True)]


@dataclass(frozen=True)
class AccidentSimulation:
    """What a simulation found: results (JSON-ready), warnings and the affected targets."""

    results: dict[str, Any]
    warnings: list[str]
    affected: list[accident.AffectedTarget]


def simulate_accident(
    *,
    cas: str,
    molar_mass: float,
    source_lon: float,
    source_lat: float,
    release: accident.ReleaseInput,
    met: accident.WeatherInput,
    thresholds: Sequence[ThresholdSpec] | None,
    levels: Sequence[str] | None,
    duration_min: float,
    targets: Sequence[accident.TargetInput],
) -> AccidentSimulation:
    """Threat zones (GeoJSON, WGS84, oriented by the wind) of a toxic release and the protective
    targets inside each zone with their people. Thresholds default to AEGL-3/2/1 at ``duration_min``."""
    pressure = met.pressure_pa
    levels_used = thresholds_for(
        thresholds,
        levels,
        cas,
        molar_mass=molar_mass,
        duration_min=duration_min,
        temperature_k=met.ambient_temperature_k,
        pressure_pa=pressure,
    )
    result = accident.simulate(
        cas=cas,
        molar_mass_g_mol=molar_mass,
        source_lon_deg=source_lon,
        source_lat_deg=source_lat,
        release=release,
        met=met,
        thresholds=levels_used,
        duration_min=duration_min,
    )
    affected = accident.affected_targets(result, targets, source_lon_deg=source_lon, source_lat_deg=source_lat)
    people = exposure.people_per_zone(
        accident.zone_shapes(result), targets, source_lon_deg=source_lon, source_lat_deg=source_lat
    )
    term = result.source_term
    results = {
        "stability": result.stability,
        "transport_wind_speed_m_s": round(result.transport_wind_speed_m_s, 3),
        "source_term": {
            "continuous": term.continuous,
            "rate_kg_s": round(term.rate_kg_s, 6),
            "mass_kg": term.mass_kg,
            "duration_s": term.duration_s,
            "notes": list(term.notes),
            "note_details": [asdict(note) for note in term.note_details],
        },
        "scenario": "toxic",
        "zones": _with_people(zone_summary(result, molar_mass, met.ambient_temperature_k, pressure), people),
        "geojson": result.geojson(),
        "affected_targets": [asdict(t) for t in affected],
        "model": result.dispersion.message if result.dispersion else "",
        # which dispersion model made the zones and why: {model, code, message, params}
        "dispersion": asdict(result.dispersion) if result.dispersion else None,
        # the warnings with their stable codes, so that a page can show them in its own language
        "warning_details": [asdict(w) for w in result.model_warnings],
        **met.pressure_facts(),
    }
    return AccidentSimulation(results, list(result.warnings), affected)


def simulate_fire_accident(
    *,
    scenario: fire_accidents.FireScenario,
    source_lon: float,
    source_lat: float,
    met: accident.WeatherInput,
    targets: Sequence[accident.TargetInput],
    relative_humidity: float = 0.7,
) -> AccidentSimulation:
    """Heat-radiation or overpressure zones (GeoJSON, WGS84) of a pool fire, jet fire, fireball or
    vapour-cloud explosion and the people inside each zone. Refusals are
    :class:`~chempark.consequence.fire_accidents.ScenarioRefused` with a code and the model."""
    result = fire_accidents.simulate_fire(
        scenario,
        wind_speed_m_s=met.wind_speed_m_s,
        wind_from_deg=met.wind_from_deg,
        ambient_temperature_k=met.ambient_temperature_k,
        ambient_pressure_pa=met.pressure_pa,
        relative_humidity=relative_humidity,
    )
    labels = [f"{z.level.value:g} {z.level.unit}" for z in result.zones]
    shapes = [exposure.ZoneShape(label, z.polygon_m) for label, z in zip(labels, result.zones, strict=True)]
    affected = exposure.affected_targets(shapes, targets, source_lon_deg=source_lon, source_lat_deg=source_lat)
    people = exposure.people_per_zone(shapes, targets, source_lon_deg=source_lon, source_lat_deg=source_lat)
    zone_rows = [
        {
            "label": label,
            "level": z.level.code,
            "value": z.level.value,
            "unit": z.level.unit,
            "index": z.colour_index,
            "reach_m": z.reach_m,
            "area_m2": z.area_m2,
        }
        for label, z in zip(labels, result.zones, strict=True)
    ]
    results = {
        "scenario": scenario.kind,
        "zones": _with_people(zone_rows, people),
        "geojson": fire_accidents.fire_geojson(
            result, source_lon_deg=source_lon, source_lat_deg=source_lat, labels=labels
        ),
        "affected_targets": [asdict(t) for t in affected],
        "facts": [asdict(f) for f in result.facts],
        "warning_details": [asdict(w) for w in result.warnings],
        "wind": {"speed_m_s": met.wind_speed_m_s, "from_deg": met.wind_from_deg},
        **met.pressure_facts(),
    }
    return AccidentSimulation(results, [w.message for w in result.warnings], affected)


@dataclass(frozen=True)
class LeakSourceEstimate:
    """What a leak-source estimate found: the position, results (JSON-ready), warnings and the
    affected targets."""

    lon: float
    lat: float
    results: dict[str, Any]
    warnings: list[str]
    affected: list[accident.AffectedTarget]
    # the zone model's warnings with their stable codes, for a page to show in its own language
    warning_details: list[dict[str, Any]] = field(default_factory=list)


def _concentrations_g_m3(
    detectors: Sequence[DetectorReading], molar_mass: float | None, temperature_k: float, pressure_pa: float
) -> list[float]:
    readings = []
    for index, d in enumerate(detectors):
        if (d.ppm is None) == (d.concentration_g_m3 is None):
            raise ConsequenceInputError(f"detectors[{index}]: give exactly one of ppm or concentration_g_m3")
        if d.ppm is not None:
            if molar_mass is None:
                raise ConsequenceInputError(f"detectors[{index}]: a reading in ppm needs the chemical")
            readings.append(
                float(toxic.ppm_to_mg_m3(d.ppm, molar_mass, temperature_k, pressure_pa)) / 1000.0
                if d.ppm >= 0
                else -1.0
            )
        else:
            readings.append(float(d.concentration_g_m3 or 0.0))
    return readings


def estimate_leak_source(
    *,
    detectors: Sequence[DetectorReading],
    met: accident.WeatherInput,
    cas: str | None,
    molar_mass: float | None,
    release_height_m: float,
    detector_height_m: float,
    targets: Sequence[accident.TargetInput],
) -> LeakSourceEstimate:
    """The most likely leak position and rate from gas-detector readings and the wind (log least
    squares on the Gaussian plume, :mod:`chempark.consequence.leak_source`) with its linearised
    uncertainty, and — when the chemical has tabulated AEGL levels — the threat zones of a
    continuous release of that rate at that position and the targets inside them."""
    pressure = met.pressure_pa
    readings = _concentrations_g_m3(detectors, molar_mass, met.ambient_temperature_k, pressure)
    if len(detectors) < 2:
        raise ConsequenceInputError("at least 2 detectors are needed")
    stability = accident.resolve_stability(met)
    lonlat = np.array([[d.lon, d.lat] for d in detectors], dtype=np.float64)
    centre = (float(lonlat[:, 0].mean()), float(lonlat[:, 1].mean()))
    xy = zones.lonlat_to_local(lonlat, *centre)
    transport = weather.transport_wind_speed_m_s(
        met.wind_speed_m_s, met.wind_height_m, release_height_m, stability, "rural"
    )
    estimate = leak_source.estimate_leak_source(
        xy[:, 0],
        xy[:, 1],
        readings,
        wind_speed_m_s=transport,
        wind_from_deg=met.wind_from_deg,
        stability=stability,
        detector_height_m=detector_height_m,
        release_height_m=release_height_m,
    )
    lon, lat = (float(v) for v in zones.local_to_lonlat(np.array([[estimate.x_m, estimate.y_m]]), *centre)[0])
    ill_posed = [replace(d, message=f"ill-posed: {d.message}") for d in estimate.diagnoses]
    warnings = [d.message for d in ill_posed]
    results: dict[str, Any] = {
        "lon": round(lon, 7),
        "lat": round(lat, 7),
        "rate_g_s": float(f"{estimate.rate_g_s:.4g}"),
        "ill_posed": estimate.ill_posed,
        "stability": stability,
        "residuals_ln": [round(float(r), 4) for r in estimate.residuals_ln],
        **met.pressure_facts(),
    }
    if not estimate.ill_posed:
        results.update(
            standard_error_east_m=round(estimate.standard_error_x_m, 1),
            standard_error_north_m=round(estimate.standard_error_y_m, 1),
            rate_factor_1sigma=round(estimate.rate_factor_1sigma, 3),
        )
    affected: list[accident.AffectedTarget] = []
    details: list[dict[str, Any]] = [asdict(d) for d in ill_posed]
    if cas and molar_mass is not None:
        try:
            levels_used = accident.default_thresholds(
                cas, DEFAULT_LEVELS_DURATION_MIN, met.ambient_temperature_k, pressure_pa=pressure
            )
            zone_result = accident.simulate(
                cas=cas,
                molar_mass_g_mol=molar_mass,
                source_lon_deg=lon,
                source_lat_deg=lat,
                release=accident.ReleaseInput(
                    "continuous", rate_kg_s=estimate.rate_g_s / 1000.0, height_m=release_height_m
                ),
                met=met,
                thresholds=levels_used,
            )
            affected = accident.affected_targets(zone_result, targets, source_lon_deg=lon, source_lat_deg=lat)
            results.update(
                zones=zone_summary(zone_result),
                geojson=zone_result.geojson(),
                affected_targets=[asdict(t) for t in affected],
            )
            warnings.extend(zone_result.warnings)
            details.extend(asdict(w) for w in zone_result.model_warnings)
        except ConsequenceInputError as exc:
            warnings.append(f"no zone drawn: {exc}")
    return LeakSourceEstimate(lon, lat, results, warnings, affected, details)
