"""The platform's QRA study as plain data: default scenarios from the registry's tanks, default
weather and wind rose, GB 36894 categories of protective targets, and the conversion of a
:func:`chempark.consequence.qra.run_qra` result into lon/lat GeoJSON and JSON tables.

A study's inputs are stored as JSON (editable through the API) and turned into the engine's objects
here, so the Django side holds no physics. Coordinates: the platform stores WGS84 lon/lat; the
engine works in metres east/north of an origin (the park's centre), through the same azimuthal
equidistant projection as the threat zones (:func:`chempark.consequence.zones.lonlat_to_local`).

Scope in this revision: toxic outcomes only (the Purple Book toxic-cloud branch of a loss of
containment, lethality by the substance's probit). Flammable outcomes (pool/jet fire, flash fire,
explosion) exist in :mod:`chempark.consequence.qra.lethality` but are not yet built from the stored
scenarios; a scenario with another outcome is refused with that reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import shape

from chempark.consequence import accident, qra, toxic, zones
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra.lethality import toxic_plume_lethality

DEFAULT_WEATHER_CLASSES: Final[tuple[dict[str, Any], ...]] = (
    {"name": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.6},
    {"name": "F2", "stability": "F", "wind_speed_m_s": 2.0, "probability": 0.4},
)
"""Placeholder weather: two of the Purple Book's representative classes with invented shares.
Replace with the shares from the local weather station before using the results."""

DEFAULT_WIND_ROSE: Final[tuple[float, ...]] = (1.0 / 16.0,) * 16
"""Placeholder wind rose: every direction equally likely. Replace with the local station's rose."""

MAX_GRID_CELLS: Final[int] = 160
HIGH_SENSITIVITY_KINDS: Final[frozenset[str]] = frozenset({"school", "hospital", "kindergarten", "nursing_home"})
TEN_MINUTES_S: Final[float] = 600.0
MAX_EXPOSURE_MIN: Final[float] = 30.0


def target_category(kind: str, population: int) -> str:
    """GB 36894 category of a registry protective target: schools, hospitals, kindergartens and
    nursing homes are high-sensitivity; other targets by their population — ≥ 100 people class 1,
    30–99 class 2, fewer class 3 (the population tiers of the 2014 trial standard)."""
    if kind in HIGH_SENSITIVITY_KINDS:
        return "high_sensitivity"
    if population >= 100:
        return "general_class_1"
    if population >= 30:
        return "general_class_2"
    return "general_class_3"


def default_limits_rows() -> list[dict[str, Any]]:
    """The packaged GB 36894 table as editable rows."""
    return [
        {"category": row.category, "description_zh": row.description_zh, "new_per_year": row.new_per_year,
         "existing_per_year": row.existing_per_year, "confidence": row.confidence}
        for row in qra.gb36894_limits().values()
    ]


def limits_from_rows(rows: Sequence[dict[str, Any]]) -> dict[str, qra.IndividualRiskLimit]:
    """Stored rows → the engine's limits table (every row checked)."""
    table: dict[str, qra.IndividualRiskLimit] = {}
    for index, row in enumerate(rows):
        try:
            new, existing = float(row["new_per_year"]), float(row["existing_per_year"])
            category = str(row["category"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConsequenceInputError(
                f"risk_limits[{index}]: needs category, new_per_year, existing_per_year") from exc
        if not (0.0 < new <= 1.0 and 0.0 < existing <= 1.0):
            raise ConsequenceInputError(f"risk_limits[{index}]: limits must be between 0 and 1 per year")
        table[category] = qra.IndividualRiskLimit(category, str(row.get("description_zh", "")), "", new, existing,
                                                  str(row.get("confidence", "")))
    if not table:
        raise ConsequenceInputError("the risk-limit table is empty")
    return table


@dataclass(frozen=True)
class TankInput:
    """A tank of the registry as the scenario defaults need it."""

    tank_id: int
    unit_id: int
    name: str
    lon: float
    lat: float
    cas: str
    substance: str
    inventory_kg: float
    pressurised: bool


def default_tank_scenarios(tank: TankInput) -> tuple[list[dict[str, Any]], str]:
    """The default loss-of-containment scenarios of one tank, and why none when there are none.

    For a toxic substance with a tabulated probit: a 10 mm hole below the liquid (rate from the
    source term of :mod:`accident`, exposure the release duration up to 30 min) and the whole
    inventory in 10 minutes (exposure 10 min), with the Purple Book pressure-vessel frequencies
    (``data/release_frequencies.csv``). The instantaneous release is left out: the engine has no
    puff lethality yet.
    """
    try:
        toxic.probit_constants(tank.cas)
    except ConsequenceInputError:
        return [], f"{tank.substance}: no toxic probit tabulated (flammable outcomes are not yet in the QRA)"
    if tank.inventory_kg <= 0.0:
        return [], f"{tank.name}: no inventory"
    try:
        term = accident.resolve_source_term(
            tank.cas, accident.ReleaseInput("tank_hole", hole_diameter_mm=10.0), toxic.molar_mass_g_mol(tank.cas),
            293.15)
    except ConsequenceInputError as exc:
        return [], f"{tank.name}: {exc}"
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    equipment = "pressure_vessel" if tank.pressurised else "atmospheric_tank_single"
    common = {"lon": tank.lon, "lat": tank.lat, "cas": tank.cas, "substance": tank.substance,
              "tank_id": tank.tank_id, "unit_id": tank.unit_id, "equipment": equipment, "outcome": "toxic",
              "height_m": 1.0}
    duration_min = tank.inventory_kg / outflow / 60.0
    hole = {
        **common, "name": f"{tank.name} 10 mm 孔泄漏", "hole_size_class": "10mm",
        "frequency_per_year": qra.release_frequency(equipment, "10mm"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(term.rate_kg_s, 5), "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2),
        "notes": "; ".join(term.notes),
    }
    ten = {
        **common, "name": f"{tank.name} 10 min 全部泄漏", "hole_size_class": "ten_minutes",
        "frequency_per_year": qra.release_frequency(equipment, "ten_minutes"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(tank.inventory_kg * airborne_fraction / TEN_MINUTES_S, 5), "exposure_min": 10.0,
        "notes": f"inventory {tank.inventory_kg:g} kg in 600 s, airborne fraction {airborne_fraction:.3g}",
    }
    return [hole, ten], ""


def _number(row: dict[str, Any], key: str, where: str, *, minimum: float = 0.0, strict: bool = True) -> float:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConsequenceInputError(f"{where}.{key} must be a finite number")
    number = float(value)
    if number < minimum or (strict and number == minimum):
        raise ConsequenceInputError(f"{where}.{key} must be {'>' if strict else '>='} {minimum:g}")
    return number


def scenarios_from_rows(rows: Sequence[dict[str, Any]], origin_lon: float,
                        origin_lat: float) -> list[qra.ReleaseScenario]:
    """Stored scenario rows → engine scenarios in metres around the origin (each row checked)."""
    if not rows:
        raise ConsequenceInputError("the study has no release scenarios")
    lonlat = np.array([[_number(r, "lon", f"scenarios[{i}]", minimum=-180.0, strict=False),
                        _number(r, "lat", f"scenarios[{i}]", minimum=-89.0, strict=False)]
                       for i, r in enumerate(rows)])
    xy = zones.lonlat_to_local(lonlat, origin_lon, origin_lat)
    built: list[qra.ReleaseScenario] = []
    for index, row in enumerate(rows):
        where = f"scenarios[{index}]"
        if row.get("outcome", "toxic") != "toxic":
            raise ConsequenceInputError(f"{where}: only toxic outcomes are modelled in this revision")
        rate = _number(row, "rate_kg_s", where)
        exposure = _number(row, "exposure_min", where)
        frequency = _number(row, "frequency_per_year", where, strict=False)
        height = _number(row, "height_m", where, strict=False) if "height_m" in row else 1.0
        cas = str(row.get("cas", ""))
        lethality = toxic_plume_lethality(rate, cas, exposure_min=min(exposure, MAX_EXPOSURE_MIN),
                                          release_height_m=height)
        built.append(qra.ReleaseScenario(
            str(row.get("name", where)), float(xy[index, 0]), float(xy[index, 1]), frequency,
            (qra.Outcome("toxic_cloud", 1.0, lethality, True),), substance=cas,
            hole_size_class=str(row.get("hole_size_class", "")),
        ))
    return built


def weathers_from_rows(rows: Sequence[dict[str, Any]]) -> list[qra.WeatherClass]:
    """Stored weather classes → engine weather classes."""
    weathers = []
    for index, row in enumerate(rows):
        where = f"weather_classes[{index}]"
        speed = _number(row, "wind_speed_m_s", where)
        if speed < 1.0:
            raise ConsequenceInputError(f"{where}.wind_speed_m_s must be at least 1 m/s (Gaussian validity)")
        weathers.append(qra.WeatherClass(str(row.get("name", where)), str(row.get("stability", "")),  # type: ignore[arg-type]
                                         speed, _number(row, "probability", where, strict=False)))
    return weathers


def target_inputs(targets: Sequence[accident.TargetInput], origin_lon: float,
                  origin_lat: float) -> list[qra.ProtectiveTarget]:
    """Registry targets → engine targets (points, or the largest polygon of a multipolygon)."""
    built = []
    for target in targets:
        geom = shape(target.geometry)
        if geom.geom_type == "MultiPolygon":
            geom = max(geom.geoms, key=lambda g: g.area)
        category = target_category(target.kind, target.population)
        if geom.geom_type == "Point":
            point = zones.lonlat_to_local(np.array([[geom.x, geom.y]]), origin_lon, origin_lat)
            built.append(qra.ProtectiveTarget(target.name, category, float(target.population), points_xy_m=point))
        else:
            ring = zones.lonlat_to_local(np.asarray(geom.exterior.coords, dtype=np.float64), origin_lon, origin_lat)
            built.append(qra.ProtectiveTarget(target.name, category, float(target.population), polygon_xy_m=ring))
    return built


def grid_around(scenarios: Sequence[qra.ReleaseScenario], margin_m: float, cell_m: float) -> tuple[qra.Grid, str]:
    """A grid covering every release point ± ``margin_m``; coarsened to at most 160 cells a side."""
    xs = [s.x_m for s in scenarios]
    ys = [s.y_m for s in scenarios]
    x0, x1, y0, y1 = min(xs) - margin_m, max(xs) + margin_m, min(ys) - margin_m, max(ys) + margin_m
    cells = math.ceil(max(x1 - x0, y1 - y0) / cell_m) + 1
    note = ""
    if cells > MAX_GRID_CELLS:
        note = f"grid coarsened from {cell_m:g} m to {max(x1 - x0, y1 - y0) / (MAX_GRID_CELLS - 1):.0f} m cells"
        cells = MAX_GRID_CELLS
    return qra.Grid.covering(x0, y0, x1, y1, cells=max(cells, 2)), note


def fn_criterion_from_row(row: dict[str, Any] | None) -> qra.FnCriterion | None:
    """The stored F-N lines (F = C/N^a), or None when the study gives none."""
    if not row:
        return None
    negligible = row.get("negligible_constant")
    return qra.FnCriterion(
        name=str(row.get("name", "")),
        intolerable_constant=_number(row, "intolerable_constant", "fn_criterion"),
        intolerable_slope=_number(row, "intolerable_slope", "fn_criterion"),
        negligible_constant=None if negligible is None else _number(row, "negligible_constant", "fn_criterion"),
        negligible_slope=None if negligible is None else _number(row, "negligible_slope", "fn_criterion"),
        source=str(row.get("source", "")), confidence=str(row.get("confidence", "")),
    )


def _lines_geojson(lines: dict[float, list[FloatArray]], origin_lon: float, origin_lat: float) -> dict[str, Any]:
    features = []
    for level, polylines in lines.items():
        for line in polylines:
            if len(line) < 2:
                continue
            lonlat = zones.local_to_lonlat(np.asarray(line), origin_lon, origin_lat)
            features.append({
                "type": "Feature",
                "geometry": {"type": "LineString",
                             "coordinates": [[round(float(x), 6), round(float(y), 6)] for x, y in lonlat]},
                "properties": {"level_per_year": level, "label": f"{level:.0e} /a"},
            })
    return {"type": "FeatureCollection", "features": features}


def run_study(
    *,
    scenario_rows: Sequence[dict[str, Any]],
    weather_rows: Sequence[dict[str, Any]],
    wind_rose: Sequence[float],
    limit_rows: Sequence[dict[str, Any]],
    fn_row: dict[str, Any] | None,
    targets: Sequence[accident.TargetInput],
    origin_lon: float,
    origin_lat: float,
    installation_status: str,
    cell_m: float,
    margin_m: float,
    on_progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Run the QRA of a stored study and return its results as JSON-ready data."""
    scenarios = scenarios_from_rows(scenario_rows, origin_lon, origin_lat)
    weathers = weathers_from_rows(weather_rows)
    rose = qra.WindRose(np.asarray(list(wind_rose), dtype=np.float64))
    limits = limits_from_rows(limit_rows)
    fn = fn_criterion_from_row(fn_row)
    if installation_status not in ("new", "existing"):
        raise ConsequenceInputError("installation_status must be new or existing")
    grid, grid_note = grid_around(scenarios, margin_m, cell_m)
    engine_targets = target_inputs(targets, origin_lon, origin_lat)
    result = qra.run_qra(scenarios, weathers, rose, grid, targets=engine_targets,
                         installation_status=installation_status,  # type: ignore[arg-type]
                         fn_criterion=fn, risk_limits=limits, on_progress=on_progress)
    risk = result.individual_risk_per_year
    peak = np.unravel_index(int(np.argmax(risk)), risk.shape)
    peak_lonlat = zones.local_to_lonlat(np.array([[grid.x_m[peak[1]], grid.y_m[peak[0]]]]), origin_lon, origin_lat)[0]
    by_name = {t.name: t for t in targets}
    checks = [
        {"name": c.name, "category": c.category, "category_zh": limits[c.category].description_zh,
         "population": by_name[c.name].population if c.name in by_name else 0,
         "individual_risk_per_year": float(f"{c.individual_risk_per_year:.3e}"), "limit_per_year": c.limit_per_year,
         "acceptable": c.acceptable, "confidence": c.confidence}
        for c in result.target_checks
    ]
    return {
        "origin": {"lon": origin_lon, "lat": origin_lat},
        "grid": {"x0_m": grid.x0_m, "y0_m": grid.y0_m, "cell_m": round(grid.cell_m, 2), "nx": grid.nx, "ny": grid.ny},
        "max_individual_risk_per_year": float(f"{float(risk.max()):.3e}"),
        "max_at": {"lon": round(float(peak_lonlat[0]), 6), "lat": round(float(peak_lonlat[1]), 6)},
        "contours": _lines_geojson(result.contours, origin_lon, origin_lat),
        "contours_m": {f"{level:g}": [np.round(np.asarray(line), 1).tolist() for line in lines]
                       for level, lines in result.contours.items()},
        "target_checks": checks,
        "fn": [[float(n), float(f"{f:.4e}")] for n, f in zip(result.fn_n, result.fn_f_per_year, strict=True)],
        "fn_assessment": result.fn_assessment,
        "scenario_count": len(scenarios),
        "warnings": [*result.warnings, *([grid_note] if grid_note else [])],
    }


def park_origin(boundary: dict[str, Any]) -> tuple[float, float]:
    """The centre of a park boundary (GeoJSON), the origin of the study's metric frame."""
    centre = shapely.centroid(shape(boundary))
    return round(float(centre.x), 6), round(float(centre.y), 6)
