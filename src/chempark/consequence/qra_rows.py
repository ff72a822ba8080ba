"""A QRA study's inputs as the platform stores them — rows of JSON, editable through the API — and
their conversion into the engine's objects (:mod:`chempark.consequence.qra`): release scenarios and
their outcome trees, weather classes, the GB 36894 limits, the F-N criterion, the grid and the
protective targets; with the placeholder defaults a new study starts from.

Coordinates: the platform stores WGS84 lon/lat; the engine works in metres east/north of an origin
(the park's centre), through the same azimuthal equidistant projection as the threat zones
(:func:`chempark.consequence.zones.lonlat_to_local`).

Outcomes: ``toxic`` rows (the toxic-cloud branch, lethality by the substance's probit) and
``flammable`` rows — the Purple Book event tree of :func:`chempark.consequence.qra.flammable_outcome_tree`:
direct ignition → jet fire, pool fire or BLEVE fireball; delayed ignition → flash fire (inside the
LFL contour of the plume, or of the puff of an instantaneous cloud) or explosion (TNT equivalent of
the cloud, lethal above 30 kPa); no ignition → toxic cloud when the substance also has a probit.
The delayed-ignition probability depends on the ignition sources around the site and is a
placeholder (:data:`DEFAULT_P_DELAYED_IGNITION`) to edit per row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from shapely.geometry import shape

from chempark.consequence import (
    accident,
    explosion,
    fire,
    fuels,
    qra,
    spills,
    zones,
)
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra.lethality import (
    explosion_lethality,
    fireball_lethality,
    flash_fire_lethality,
    jet_fire_lethality,
    lower_flammability_limit_g_m3,
    pool_fire_lethality,
    toxic_plume_lethality,
    toxic_puff_lethality,
)
from chempark.consequence.qra.model import LethalityFunction

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


MAX_EXPOSURE_MIN: Final[float] = 30.0


DEFAULT_P_DELAYED_IGNITION: Final[float] = 0.5
"""Placeholder: the Purple Book derives delayed ignition from the ignition sources around the site;
edit it per scenario (``p_delayed_ignition``)."""


EXPLOSION_FRACTION: Final[float] = 0.4  # share of delayed ignitions that explode (CPR18E ch. 4)


CLOUD_SECONDS: Final[float] = 60.0
"""Screening assumption: the exploding cloud holds the airborne release of one minute."""


IGNITION_CATEGORIES: Final[tuple[str, ...]] = (
    "gas_low_reactivity",
    "gas_average_high_reactivity",
    "liquid_k1",
    "liquid_k2_k3",
)


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
        {
            "category": row.category,
            "description_zh": row.description_zh,
            "new_per_year": row.new_per_year,
            "existing_per_year": row.existing_per_year,
            "confidence": row.confidence,
        }
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
                f"risk_limits[{index}]: needs category, new_per_year, existing_per_year"
            ) from exc
        if not (0.0 < new <= 1.0 and 0.0 < existing <= 1.0):
            raise ConsequenceInputError(f"risk_limits[{index}]: limits must be between 0 and 1 per year")
        table[category] = qra.IndividualRiskLimit(
            category, str(row.get("description_zh", "")), "", new, existing, str(row.get("confidence", ""))
        )
    if not table:
        raise ConsequenceInputError("the risk-limit table is empty")
    return table


def _probability(row: dict[str, Any], key: str, where: str, default: float) -> float:
    if key not in row:
        return default
    value = _number(row, key, where, strict=False)
    if value > 1.0:
        raise ConsequenceInputError(f"{where}.{key} must be between 0 and 1")
    return value


def _unignited_toxic(
    row: dict[str, Any], where: str, cloud_kg: float, airborne_kg_s: float, height_m: float
) -> LethalityFunction | None:
    """The no-ignition branch of a flammable and toxic release: the puff of the instantaneous cloud,
    else the plume of the airborne rate held for ``exposure_min``."""
    cas = str(row.get("cas", ""))
    if cloud_kg > 0.0:
        return toxic_puff_lethality(cloud_kg, cas, release_height_m=height_m)
    if airborne_kg_s > 0.0:
        exposure = min(_number(row, "exposure_min", where), MAX_EXPOSURE_MIN)
        return toxic_plume_lethality(airborne_kg_s, cas, exposure_min=exposure, release_height_m=height_m)
    return None


def flammable_outcomes(
    row: dict[str, Any], where: str, air_pressure_pa: float = explosion.ATMOSPHERIC_PRESSURE_PA
) -> tuple[qra.Outcome, ...]:
    """A stored flammable row → the Purple Book event tree with its lethality functions.

    ``release_kind`` ``continuous`` (default; ``rate_kg_s``) or ``instantaneous`` (``mass_kg``);
    ``direct_fire`` ``jet_fire`` (continuous only), ``pool_fire`` (``pool_diameter_m``) or
    ``fireball`` (``fireball_mass_kg``). Delayed ignition: with ``cloud_mass_kg`` (instantaneous) the
    flash fire is the LFL contour of a puff of that mass and the explosion's default mass is the
    cloud; else the LFL contour of a plume of ``airborne_rate_kg_s`` and 60 s of it explode.
    ``air_pressure_pa`` is the site's: it sets the pool flame's air density, the LFL in g/m³ and
    the blast's scaling.
    """
    cas = str(row.get("cas", ""))
    release_kind = row.get("release_kind", "continuous")
    if release_kind not in ("continuous", "instantaneous"):
        raise ConsequenceInputError(f"{where}.release_kind must be continuous or instantaneous")
    kind = row.get("direct_fire", "jet_fire")
    if kind not in ("jet_fire", "pool_fire", "fireball"):
        raise ConsequenceInputError(f"{where}.direct_fire must be jet_fire, pool_fire or fireball")
    if release_kind == "instantaneous":
        if kind == "jet_fire":
            raise ConsequenceInputError(f"{where}: an instantaneous release has no jet fire (direct_fire)")
        size = rate = _number(row, "mass_kg", where)
        airborne = _number(row, "airborne_rate_kg_s", where, strict=False) if "airborne_rate_kg_s" in row else 0.0
    else:
        size = rate = _number(row, "rate_kg_s", where)
        airborne = _number(row, "airborne_rate_kg_s", where, strict=False) if "airborne_rate_kg_s" in row else rate
    cloud = _number(row, "cloud_mass_kg", where, strict=False) if "cloud_mass_kg" in row else 0.0
    height = _number(row, "height_m", where, strict=False) if "height_m" in row else 1.0
    fuel = fuels.fuel_properties(cas)
    category = str(row.get("ignition_category", ""))
    if "p_direct_ignition" not in row and category not in IGNITION_CATEGORIES:
        raise ConsequenceInputError(
            f"{where}: give p_direct_ignition or ignition_category ({', '.join(IGNITION_CATEGORIES)})"
        )
    p_direct = _probability(
        row,
        "p_direct_ignition",
        where,
        qra.direct_ignition_probability(category, release_kind, size) if category in IGNITION_CATEGORIES else 0.0,
    )
    p_delayed = _probability(row, "p_delayed_ignition", where, DEFAULT_P_DELAYED_IGNITION)
    fraction = _probability(row, "explosion_fraction", where, EXPLOSION_FRACTION)
    if kind == "jet_fire":
        direct = jet_fire_lethality(fire.jet_fire(rate, fuel, release_height_m=height))
    elif kind == "pool_fire":
        direct = pool_fire_lethality(
            fire.pool_fire(_number(row, "pool_diameter_m", where), fuel, air_pressure_pa=air_pressure_pa)
        )
    else:
        direct = fireball_lethality(fire.fireball(_number(row, "fireball_mass_kg", where), fuel))
    directional = False  # a vertical jet, a pool fire without tilt, a fireball: the same in every direction
    flash = explosion_fn = None
    lfl = lower_flammability_limit_g_m3(cas, air_pressure_pa=air_pressure_pa) if cloud > 0.0 or airborne > 0.0 else 0.0
    if cloud > 0.0:
        flash = spills.puff_flash_fire_lethality(cloud, lfl, release_height_m=height)
        cloud_kg = _number(row, "explosion_mass_kg", where) if "explosion_mass_kg" in row else cloud
        explosion_fn = explosion_lethality(
            explosion.tnt_explosion(cloud_kg, fuel.heat_of_combustion_j_kg, ambient_pressure_pa=air_pressure_pa)
        )
    elif airborne > 0.0:
        flash = flash_fire_lethality(airborne, lfl, release_height_m=height)
        cloud_kg = _number(row, "explosion_mass_kg", where) if "explosion_mass_kg" in row else airborne * CLOUD_SECONDS
        explosion_fn = explosion_lethality(
            explosion.tnt_explosion(cloud_kg, fuel.heat_of_combustion_j_kg, ambient_pressure_pa=air_pressure_pa)
        )
    toxic_fn = _unignited_toxic(row, where, cloud, airborne, height) if row.get("toxic") else None
    return qra.flammable_outcome_tree(
        p_direct_ignition=p_direct,
        p_delayed_ignition=p_delayed,
        direct_fire=direct,
        direct_fire_directional=directional,
        flash_fire=flash,
        explosion=explosion_fn,
        toxic=toxic_fn,
        explosion_fraction=fraction,
    )


def _number(row: dict[str, Any], key: str, where: str, *, minimum: float = 0.0, strict: bool = True) -> float:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConsequenceInputError(f"{where}.{key} must be a finite number")
    number = float(value)
    if number < minimum or (strict and number == minimum):
        raise ConsequenceInputError(f"{where}.{key} must be {'>' if strict else '>='} {minimum:g}")
    return number


def scenarios_from_rows(
    rows: Sequence[dict[str, Any]],
    origin_lon: float,
    origin_lat: float,
    *,
    air_pressure_pa: float = explosion.ATMOSPHERIC_PRESSURE_PA,
) -> list[qra.ReleaseScenario]:
    """Stored scenario rows → engine scenarios in metres around the origin (each row checked), their
    fires and blasts at the site's air pressure."""
    if not rows:
        raise ConsequenceInputError("the study has no release scenarios")
    lonlat = np.array(
        [
            [
                _number(r, "lon", f"scenarios[{i}]", minimum=-180.0, strict=False),
                _number(r, "lat", f"scenarios[{i}]", minimum=-89.0, strict=False),
            ]
            for i, r in enumerate(rows)
        ]
    )
    xy = zones.lonlat_to_local(lonlat, origin_lon, origin_lat)
    built: list[qra.ReleaseScenario] = []
    for index, row in enumerate(rows):
        where = f"scenarios[{index}]"
        outcome = row.get("outcome", "toxic")
        frequency = _number(row, "frequency_per_year", where, strict=False)
        cas = str(row.get("cas", ""))
        if outcome == "flammable":
            outcomes = flammable_outcomes(row, where, air_pressure_pa)
        elif outcome == "toxic":
            height = _number(row, "height_m", where, strict=False) if "height_m" in row else 1.0
            if row.get("release_kind", "continuous") == "instantaneous":
                lethality = toxic_puff_lethality(_number(row, "mass_kg", where), cas, release_height_m=height)
            else:
                exposure = _number(row, "exposure_min", where)
                lethality = toxic_plume_lethality(
                    _number(row, "rate_kg_s", where),
                    cas,
                    exposure_min=min(exposure, MAX_EXPOSURE_MIN),
                    release_height_m=height,
                )
            outcomes = (qra.Outcome("toxic_cloud", 1.0, lethality, True),)
        else:
            raise ConsequenceInputError(f"{where}.outcome must be toxic or flammable")
        built.append(
            qra.ReleaseScenario(
                str(row.get("name", where)),
                float(xy[index, 0]),
                float(xy[index, 1]),
                frequency,
                outcomes,
                substance=cas,
                hole_size_class=str(row.get("hole_size_class", "")),
            )
        )
    return built


def weathers_from_rows(
    rows: Sequence[dict[str, Any]], *, air_pressure_pa: float = explosion.ATMOSPHERIC_PRESSURE_PA
) -> list[qra.WeatherClass]:
    """Stored weather classes → engine weather classes, at the site's air pressure."""
    weathers = []
    for index, row in enumerate(rows):
        where = f"weather_classes[{index}]"
        speed = _number(row, "wind_speed_m_s", where)
        if speed < 1.0:
            raise ConsequenceInputError(f"{where}.wind_speed_m_s must be at least 1 m/s (Gaussian validity)")
        weathers.append(
            qra.WeatherClass(
                str(row.get("name", where)),
                str(row.get("stability", "")),  # type: ignore[arg-type]  # the stability class is validated by the engine, which refuses any other letter
                speed,
                _number(row, "probability", where, strict=False),
                air_pressure_pa=air_pressure_pa,
            )
        )
    return weathers


def target_inputs(
    targets: Sequence[accident.TargetInput], origin_lon: float, origin_lat: float
) -> list[qra.ProtectiveTarget]:
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
        source=str(row.get("source", "")),
        confidence=str(row.get("confidence", "")),
    )
