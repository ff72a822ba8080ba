"""The platform's QRA study run: a stored study's rows (:mod:`chempark.consequence.qra_rows`)
through the engine (:func:`chempark.consequence.qra.run_qra`), and the result as lon/lat GeoJSON and
JSON tables ready to store. Default scenarios from tanks are in
:mod:`chempark.consequence.qra_tank_scenarios`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import shape

from chempark.consequence import (
    accident,
    gas_units,
    qra,
    zones,
)
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra_rows import (
    fn_criterion_from_row,
    grid_around,
    limits_from_rows,
    scenarios_from_rows,
    target_inputs,
    weathers_from_rows,
)


def _lines_geojson(lines: dict[float, list[FloatArray]], origin_lon: float, origin_lat: float) -> dict[str, Any]:
    features = []
    for level, polylines in lines.items():
        for line in polylines:
            if len(line) < 2:
                continue
            lonlat = zones.local_to_lonlat(np.asarray(line), origin_lon, origin_lat)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[round(float(x), 6), round(float(y), 6)] for x, y in lonlat],
                    },
                    "properties": {"level_per_year": level, "label": f"{level:.0e} /a"},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def verdict(acceptable: bool, missing: Sequence[str]) -> str:
    """GB 36894 verdict of one target: ``unacceptable`` when the modelled risk already exceeds the
    limit (scenarios left out can only add risk), else ``incomplete`` while any inventory or tank of
    the study has no scenario, else ``acceptable``. Never "acceptable" on an incomplete study."""
    if not acceptable:
        return "unacceptable"
    return "incomplete" if missing else "acceptable"


def missing_subjects(skipped: Sequence[dict[str, Any]]) -> list[str]:
    """The tanks or inventories a study has no scenario for (the ``subject`` of each stored skip
    note; a study made before the notes had codes stored plain text)."""
    names = {str(note.get("subject", "")) if isinstance(note, dict) else str(note) for note in skipped}
    return sorted(name for name in names if name)


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
    skipped: Sequence[dict[str, Any]] = (),
    altitude_m: float = 0.0,
) -> dict[str, Any]:
    """Run the QRA of a stored study and return its results as JSON-ready data. ``skipped`` are the
    study's tanks without scenarios (:class:`chempark.consequence.qra_tank_scenarios.Skip` as
    dicts): while there are any, no target is judged acceptable (:func:`verdict`). The air pressure
    of every weather class, fire and blast is the standard atmosphere's at the park's ``altitude_m``."""
    pressure = gas_units.pressure_at_altitude_pa(altitude_m)
    scenarios = scenarios_from_rows(scenario_rows, origin_lon, origin_lat, air_pressure_pa=pressure)
    weathers = weathers_from_rows(weather_rows, air_pressure_pa=pressure)
    rose = qra.WindRose(np.asarray(list(wind_rose), dtype=np.float64))
    limits = limits_from_rows(limit_rows)
    fn = fn_criterion_from_row(fn_row)
    if installation_status not in ("new", "existing"):
        raise ConsequenceInputError("installation_status must be new or existing")
    grid, grid_note = grid_around(scenarios, margin_m, cell_m)
    engine_targets = target_inputs(targets, origin_lon, origin_lat)
    result = qra.run_qra(
        scenarios,
        weathers,
        rose,
        grid,
        targets=engine_targets,
        installation_status=installation_status,  # type: ignore[arg-type]  # a str validated by the study's schema against the Literal's values
        fn_criterion=fn,
        risk_limits=limits,
        on_progress=on_progress,
    )
    risk = result.individual_risk_per_year
    peak = np.unravel_index(int(np.argmax(risk)), risk.shape)
    peak_lonlat = zones.local_to_lonlat(np.array([[grid.x_m[peak[1]], grid.y_m[peak[0]]]]), origin_lon, origin_lat)[0]
    by_name = {t.name: t for t in targets}
    missing = missing_subjects(skipped)
    checks = [
        {
            "name": c.name,
            "category": c.category,
            "category_zh": limits[c.category].description_zh,
            "population": by_name[c.name].population if c.name in by_name else 0,
            "individual_risk_per_year": float(f"{c.individual_risk_per_year:.3e}"),
            "limit_per_year": c.limit_per_year,
            "acceptable": c.acceptable,
            "verdict": verdict(c.acceptable, missing),
            "missing": missing,
            "confidence": c.confidence,
        }
        for c in result.target_checks
    ]
    return {
        "origin": {"lon": origin_lon, "lat": origin_lat},
        "grid": {"x0_m": grid.x0_m, "y0_m": grid.y0_m, "cell_m": round(grid.cell_m, 2), "nx": grid.nx, "ny": grid.ny},
        "max_individual_risk_per_year": float(f"{float(risk.max()):.3e}"),
        "max_at": {"lon": round(float(peak_lonlat[0]), 6), "lat": round(float(peak_lonlat[1]), 6)},
        "contours": _lines_geojson(result.contours, origin_lon, origin_lat),
        "contours_m": {
            f"{level:g}": [np.round(np.asarray(line), 1).tolist() for line in lines]
            for level, lines in result.contours.items()
        },
        "target_checks": checks,
        "missing": missing,
        "fn": [[float(n), float(f"{f:.4e}")] for n, f in zip(result.fn_n, result.fn_f_per_year, strict=True)],
        "fn_assessment": result.fn_assessment,
        "scenario_count": len(scenarios),
        **accident.pressure_facts(pressure, altitude_m=altitude_m, source="altitude"),
        "warnings": [*result.warnings, *([grid_note] if grid_note else [])],
        # the same with stable codes, for a page to show in its own language
        "warning_details": [
            *(
                {"code": "contour_at_grid_edge", "message": w, "params": {}}
                if w == qra.CONTOUR_AT_GRID_EDGE
                else {"code": "", "message": w, "params": {}}
                for w in result.warnings
            ),
            *(
                [{"code": "grid_coarsened", "message": grid_note, "params": {"cell_m": round(grid.cell_m)}}]
                if grid_note
                else []
            ),
        ],
    }


def park_origin(boundary: dict[str, Any]) -> tuple[float, float]:
    """The centre of a park boundary (GeoJSON), the origin of the study's metric frame."""
    centre = shapely.centroid(shape(boundary))
    return round(float(centre.x), 6), round(float(centre.y), 6)


def check_study(
    *,
    boundary: dict[str, Any],
    grid_cell_m: float,
    grid_margin_m: float,
    wind_rose: Sequence[float],
    scenario_rows: Sequence[dict[str, Any]],
    weather_rows: Sequence[dict[str, Any]],
    limit_rows: Sequence[dict[str, Any]],
    fn_row: dict[str, Any] | None,
) -> None:
    """Build a stored study's engine inputs once, so a bad study is refused before it is stored or
    started (:class:`ConsequenceInputError` naming the first problem)."""
    origin = park_origin(boundary)
    if not 10.0 <= grid_cell_m <= 1000.0:
        raise ConsequenceInputError("grid_cell_m must be between 10 and 1000 m")
    if not 0.0 <= grid_margin_m <= 20_000.0:
        raise ConsequenceInputError("grid_margin_m must be between 0 and 20000 m")
    if len(wind_rose) != 16:
        raise ConsequenceInputError("wind_rose must have 16 sector probabilities (N, NNE, ... clockwise)")
    scenarios = scenarios_from_rows(scenario_rows, *origin)
    weathers = weathers_from_rows(weather_rows)
    qra.model.validate_inputs(scenarios, weathers, qra.WindRose(np.asarray(list(wind_rose), dtype=np.float64)))
    limits_from_rows(limit_rows)
    fn_criterion_from_row(fn_row)


FN_LINES_FILE: Final[Path] = Path(__file__).with_name("data") / "fn_criterion_lines.csv"
FN_KEY_N: Final[tuple[float, ...]] = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)


def packaged_fn_lines() -> list[dict[str, Any]]:
    """The F-N criterion lines of ``data/fn_criterion_lines.csv`` (each with its source and confidence)."""
    with FN_LINES_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return [
        {
            "name": row["name"],
            "line": row["line"],
            "constant": float(row["constant"]),
            "slope": float(row["slope"]),
            "n_min": float(row["n_min"]),
            "n_max": float(row["n_max"]),
            "source": row["source"],
            "confidence": row["confidence"],
        }
        for row in rows
    ]


def fn_chart(fn: Sequence[Sequence[float]], fn_row: dict[str, Any] | None) -> dict[str, Any]:
    """What the F-N chart draws (log-log): the curve's step points, the criterion lines — the
    study's own ``fn_criterion`` when it has one, else the packaged lines — sampled as points, and
    the curve's key points (F at N ≥ 1, 3, 10 …) for a short table."""
    points = [[float(n), float(f)] for n, f in fn]
    lines: list[dict[str, Any]]
    if fn_row:
        lines = [
            {
                "name": str(fn_row.get("name", "")),
                "line": kind,
                "constant": float(fn_row[f"{kind}_constant"]),
                "slope": float(fn_row[f"{kind}_slope"]),
                "n_min": 1.0,
                "n_max": 1000.0,
                "source": str(fn_row.get("source", "")),
                "confidence": str(fn_row.get("confidence", "")),
            }
            for kind in ("intolerable", "negligible")
            if fn_row.get(f"{kind}_constant") is not None
        ]
    else:
        lines = packaged_fn_lines()
    n_max = max([1000.0, *(n for n, _f in points)])
    for line in lines:
        top = max(line["n_max"], n_max) if not fn_row else n_max
        ns = [line["n_min"] * (top / line["n_min"]) ** (k / 20) for k in range(21)]
        line["points"] = [[n, line["constant"] / n ** line["slope"]] for n in ns]
    key = []
    for n_key in FN_KEY_N:
        at = [f for n, f in points if n >= n_key]
        if at and not math.isclose(at[0], 0.0):
            key.append([n_key, at[0]])
    return {"points": points, "lines": lines, "key_points": key}
