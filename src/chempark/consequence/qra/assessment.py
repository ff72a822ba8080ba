"""The platform's QRA entry point: risk grid, contours, F-N curve and criteria checks in one call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra import contours, criteria, engine
from chempark.consequence.qra.model import ProtectiveTarget, ReleaseScenario, WeatherClass, WindRose

STANDARD_CONTOUR_LEVELS_PER_YEAR: tuple[float, ...] = (1e-5, 3e-6, 1e-6, 3e-7)
MAX_POINTS_PER_POLYGON = 64
"""A polygon target is represented by at most about this many lattice points (population shared
equally); finer sampling changes N by little and costs a lethality evaluation per point."""


CONTOUR_AT_GRID_EDGE = "the lowest risk contour reaches the grid edge: enlarge the grid"


@dataclass(frozen=True, slots=True)
class QraResult:
    """Everything a risk map and report need."""

    grid: engine.Grid
    individual_risk_per_year: FloatArray  # (ny, nx)
    contours: dict[float, list[FloatArray]]  # level → polylines (x, y metres)
    target_checks: list[criteria.TargetCheck]
    fn_n: FloatArray
    fn_f_per_year: FloatArray
    fn_assessment: str | None
    warnings: list[str] = field(default_factory=list)


def _target_points(target: ProtectiveTarget, spacing_m: float) -> FloatArray:
    """Points that represent a target: its given points, or a lattice inside its polygon (grid
    spacing, coarsened to keep at most ~``MAX_POINTS_PER_POLYGON`` points)."""
    if target.polygon_xy_m is None:
        points = np.asarray(target.points_xy_m, dtype=np.float64).reshape(-1, 2)
        if points.shape[0] == 0:
            raise ConsequenceInputError(f"protective target {target.name!r} has neither points nor polygon")
        return points
    import shapely

    polygon = shapely.Polygon(np.asarray(target.polygon_xy_m, dtype=np.float64))
    if not polygon.is_valid or polygon.area <= 0.0:
        raise ConsequenceInputError(f"protective target {target.name!r}: polygon is not a valid area")
    spacing_m = max(spacing_m, float(np.sqrt(polygon.area / MAX_POINTS_PER_POLYGON)))
    x_min, y_min, x_max, y_max = polygon.bounds
    xs = np.arange(x_min + spacing_m / 2, x_max, spacing_m)
    ys = np.arange(y_min + spacing_m / 2, y_max, spacing_m)
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(polygon, gx.ravel(), gy.ravel())
    lattice = np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])
    if lattice.shape[0] == 0:
        point = polygon.representative_point()
        lattice = np.array([[point.x, point.y]])
    return lattice


def run_qra(
    scenarios: Sequence[ReleaseScenario],
    weathers: Sequence[WeatherClass],
    wind_rose: WindRose,
    grid: engine.Grid,
    *,
    targets: Sequence[ProtectiveTarget] = (),
    installation_status: criteria.InstallationStatus = "existing",
    contour_levels_per_year: Sequence[float] = STANDARD_CONTOUR_LEVELS_PER_YEAR,
    fn_criterion: criteria.FnCriterion | None = None,
    risk_limits: dict[str, criteria.IndividualRiskLimit] | None = None,
    smear_sectors: bool = True,
    on_progress: Callable[[float], None] | None = None,
) -> QraResult:
    """Quantitative risk assessment of a park.

    1. Location-specific individual risk on ``grid`` (:func:`engine.individual_risk_grid`).
    2. Contours of it at ``contour_levels_per_year`` (marching squares on log10 IR).
    3. At the protective targets: individual risk (maximum over a target's points) checked
       against the GB 36894 limit for its category and ``installation_status``; expected
       fatalities per event → F-N curve, judged against ``fn_criterion`` when one is given.

    ``on_progress`` receives the overall finished fraction (0–1); the grid is 80 % of the work.
    """

    def report(share: float, offset: float) -> Callable[[float], None] | None:
        if on_progress is None:
            return None
        callback = on_progress
        return lambda fraction: callback(offset + share * fraction)

    risk = engine.individual_risk_grid(
        scenarios, weathers, wind_rose, grid, smear_sectors=smear_sectors, on_progress=report(0.8, 0.0)
    )
    log_risk = np.log10(np.maximum(risk, 1e-30))
    lines = {
        level: contours.contour_lines(log_risk, grid.x_m, grid.y_m, float(np.log10(level)))
        for level in contour_levels_per_year
    }
    warnings: list[str] = []
    edge = np.concatenate([risk[0], risk[-1], risk[:, 0], risk[:, -1]])
    if contour_levels_per_year and edge.max() >= min(contour_levels_per_year):
        warnings.append(CONTOUR_AT_GRID_EDGE)
    checks: list[criteria.TargetCheck] = []
    fn_n, fn_f = np.zeros(0), np.zeros(0)
    if targets:
        point_sets = [_target_points(t, grid.cell_m) for t in targets]
        owners = np.concatenate([np.full(len(p), i) for i, p in enumerate(point_sets)])
        points = np.vstack(point_sets)
        people = np.concatenate(
            [np.full(len(p), t.population / len(p)) for t, p in zip(targets, point_sets, strict=True)]
        )
        point_risk, fatalities, frequencies = engine.point_risk_and_events(
            scenarios,
            weathers,
            wind_rose,
            points,
            people,
            smear_sectors=smear_sectors,
            on_progress=report(0.2, 0.8),
        )
        for index, target in enumerate(targets):
            target_risk = float(point_risk[owners == index].max())
            checks.append(
                criteria.check_individual_risk(
                    target.name, target.category, target_risk, installation_status, risk_limits
                )
            )
        fn_n, fn_f = engine.fn_curve(fatalities, frequencies)
    elif on_progress is not None:
        on_progress(1.0)
    assessment = fn_criterion.assess(fn_n, fn_f) if fn_criterion is not None else None
    return QraResult(grid, risk, lines, checks, fn_n, fn_f, assessment, warnings)
