"""Fire and explosion accidents as the 事故模拟 draws them: pool fire, jet fire, BLEVE fireball and
vapour-cloud explosion (TNT equivalent or multi-energy), each as zones on the map.

The physics is in :mod:`fire` and :mod:`explosion`; this module turns one scenario into zone
outlines around the source at standard levels — heat radiation 37.5 / 12.5 / 4 / 1.6 kW/m² and
overpressure 8 / 3.5 / 1 psi (55.2 / 24.1 / 6.9 kPa) — the levels the fire and explosion
adapters tabulate. A zone is where the level is reached: for every bearing the farthest distance
at which the flux (or overpressure) is at least the level, so a pool-fire flame bent by the wind
or a horizontal jet gives a zone longer downwind; symmetric cases give circles.

A scenario a model cannot take is refused with :class:`ScenarioRefused`, whose ``code`` names what
is missing or out of range and ``model`` which model refused, so the platform can say it in the
user's language. Nothing is silently shortened: a pool larger than the correlations' 100 m is
refused when given, and a spread pool capped at 100 m says so in a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np

from chempark.consequence import explosion, fire, fuels, source, spills, zones
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError

FireKind = Literal["pool_fire", "jet_fire", "fireball", "vce_tnt", "vce_multi_energy"]
FIRE_KINDS: Final[tuple[str, ...]] = ("pool_fire", "jet_fire", "fireball", "vce_tnt", "vce_multi_energy")
ZONE_COLOUR_COUNT: Final[int] = 4
BEARINGS: Final[int] = 72
MAX_REACH_M: Final[float] = 20_000.0


@dataclass(frozen=True)
class EffectLevel:
    """A level of heat radiation (kW/m²) or overpressure (kPa), with a stable code for its effect."""

    code: str
    value: float
    unit: Literal["kW/m2", "kPa"]


HEAT_LEVELS: Final[tuple[EffectLevel, ...]] = (
    EffectLevel("heat_37_5", 37.5, "kW/m2"),
    EffectLevel("heat_12_5", 12.5, "kW/m2"),
    EffectLevel("heat_4", 4.0, "kW/m2"),
    EffectLevel("heat_1_6", 1.6, "kW/m2"),
)
BLAST_LEVELS: Final[tuple[EffectLevel, ...]] = tuple(
    EffectLevel(code, round(pa / 1000.0, 1), "kPa")
    for code, pa in zip(
        ("blast_8_psi", "blast_3_5_psi", "blast_1_psi"),
        sorted(explosion.STANDARD_OVERPRESSURE_LEVELS_PA, reverse=True),
        strict=True,
    )
)


@dataclass(frozen=True)
class FireScenario:
    """One fire or explosion. ``kind`` picks which fields apply:

    * ``pool_fire``: ``pool_diameter_m``, or ``spill_mass_kg`` spread to 10 mm or held by
      ``bund_area_m2`` (:func:`spills.spread_pool_diameter_m`);
    * ``jet_fire``: ``rate_kg_s`` (outflow), ``orientation``, ``height_m``;
    * ``fireball``: ``mass_kg`` (fuel in the fireball), optional ``vessel_pressure_pa``;
    * ``vce_tnt``: ``mass_kg`` (flammable cloud), ``yield_factor``;
    * ``vce_multi_energy``: ``congested_volume_m3`` and ``strength`` (1–10).
    """

    kind: FireKind
    fuel_cas: str
    pool_diameter_m: float | None = None
    spill_mass_kg: float | None = None
    bund_area_m2: float | None = None
    rate_kg_s: float | None = None
    orientation: Literal["vertical", "horizontal"] = "vertical"
    height_m: float = 0.0
    mass_kg: float | None = None
    vessel_pressure_pa: float | None = None
    yield_factor: float = 0.03
    strength: int = 7
    congested_volume_m3: float | None = None


class ScenarioRefused(ConsequenceInputError):
    """A scenario a model cannot take: ``code`` says what is missing or out of range, ``model``
    which model refused, ``params`` the figures (the message is the English sentence)."""

    def __init__(self, code: str, model: str, message: str, **params: float | str) -> None:
        super().__init__(message)
        self.code, self.model, self.params = code, model, dict(params)


@dataclass(frozen=True)
class Fact:
    """A figure of the fire or blast worth showing (flame length, fireball diameter…)."""

    code: str
    value: float
    unit: str


@dataclass(frozen=True)
class FireZone:
    level: EffectLevel
    colour_index: int
    reach_m: float  # farthest distance from the source at which the level is reached
    area_m2: float
    polygon_m: FloatArray  # (east, north) metres around the source; empty when never reached


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    params: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class FireResult:
    kind: FireKind
    fuel_name: str
    zones: list[FireZone]
    facts: list[Fact]
    warnings: list[Warning]


# English warnings of the fire and explosion models → stable codes (the platform translates them).
MODEL_WARNING_CODES: Final[dict[str, str]] = {
    "fuel vapour density unknown": "vapour_density_assumed",
    "pool diameter below 1 m": "pool_below_1_m",
    "pool diameter above 100 m": "pool_above_100_m",
    "receptors closer than one flame length": "jet_near_field",
    "fuel mass above 1000 t": "fireball_above_1000_t",
    "TNT equivalence overstates": "tnt_near_field",
    "multi-energy curves are a reconstruction": "multi_energy_curves",
}


def _coded(messages: tuple[str, ...] | list[str]) -> list[Warning]:
    found = []
    for message in messages:
        code = next((c for prefix, c in MODEL_WARNING_CODES.items() if message.startswith(prefix)), "model_note")
        found.append(Warning(code, message))
    return found


def _fuel(cas: str, model: str) -> fuels.FuelProperties:
    try:
        return fuels.fuel_properties(cas)
    except ConsequenceInputError as exc:
        raise ScenarioRefused("no_fuel_data", model, f"no fire data for CAS {cas}: {exc}", cas=cas) from exc


def _required(value: float | None, name: str, model: str) -> float:
    if value is None:
        raise ScenarioRefused("missing_input", model, f"{model} needs {name}", field=name)
    if not (math.isfinite(value) and value > 0.0):
        raise ScenarioRefused("invalid_input", model, f"{name} must be > 0", field=name)
    return float(value)


def _evaluate(value_xy: Callable[[FloatArray, FloatArray], FloatArray], x: FloatArray, y: FloatArray) -> FloatArray:
    """``value_xy`` over many receptors in chunks (the tilted-flame view factor slows down on long arrays)."""
    out = np.empty(x.size)
    for start in range(0, x.size, 400):
        out[start : start + 400] = value_xy(x[start : start + 400], y[start : start + 400])
    return out


def _reaches(
    value_xy: Callable[[FloatArray, FloatArray], FloatArray], levels: list[float], r_max: float, angles: FloatArray
) -> FloatArray:
    """(levels × bearings) farthest distance at which ``value_xy`` is at least each level: a
    log-spaced scan along every ray finds the last crossing (so a non-monotone near field does not
    fool it), then bisection on all rays at once refines it to a centimetre; 0 where never reached."""
    radii = np.geomspace(0.1, r_max, 160)
    c, s = np.cos(angles), np.sin(angles)
    values = _evaluate(value_xy, np.outer(c, radii).ravel(), np.outer(s, radii).ravel()).reshape(len(angles), -1)
    low = np.zeros((len(levels), len(angles)))
    high = np.zeros_like(low)
    for i, level in enumerate(levels):
        for j in range(len(angles)):
            above = np.nonzero(values[j] >= level)[0]
            if above.size == 0:
                continue
            last = int(above[-1])
            low[i, j] = radii[last]
            high[i, j] = radii[last] if last == radii.size - 1 else radii[last + 1]
    target = np.array(levels)[:, None] * np.ones_like(low)
    cos, sin = np.ones_like(low) * c, np.ones_like(low) * s
    while float(np.max(high - low)) > 0.01:
        middle = 0.5 * (low + high)
        reached = _evaluate(value_xy, (middle * cos).ravel(), (middle * sin).ravel()).reshape(low.shape) >= target
        low, high = np.where(reached, middle, low), np.where(reached, high, middle)
    return np.asarray(low, dtype=np.float64)


def _outlines(
    value_xy: Callable[[FloatArray, FloatArray], FloatArray], levels: list[float], r_max: float, *, symmetric: bool
) -> list[FloatArray]:
    """Each level's outline (downwind, crosswind), closed; symmetric about the wind axis (flames
    lean downwind, jets point downwind), or a circle when ``symmetric``."""
    full = np.linspace(0.0, 2.0 * math.pi, BEARINGS + 1)
    if symmetric:
        radii = np.repeat(_reaches(value_xy, levels, r_max, np.zeros(1)), BEARINGS + 1, axis=1)
    else:
        half = _reaches(value_xy, levels, r_max, full[: BEARINGS // 2 + 1])
        radii = np.concatenate([half, half[:, -2::-1]], axis=1)  # mirrored across the wind axis
    return [np.column_stack([r * np.cos(full), r * np.sin(full)]) if r.max() > 0.0 else np.zeros((0, 2)) for r in radii]


def _zones(
    levels: tuple[EffectLevel, ...], outlines: list[FloatArray], wind_from_deg: float
) -> tuple[list[FireZone], list[Warning]]:
    found, warnings = [], []
    for index, (level, local) in enumerate(zip(levels, outlines, strict=True)):
        if len(local):
            polygon = zones.rotate_to_map(local, wind_from_deg)
            reach = float(np.hypot(polygon[:, 0], polygon[:, 1]).max())
            area = float(0.5 * abs(np.dot(polygon[:-1, 0], polygon[1:, 1]) - np.dot(polygon[1:, 0], polygon[:-1, 1])))
            if reach >= MAX_REACH_M * 0.999:
                warnings.append(
                    Warning(
                        "zone_cut_at_limit",
                        f"a zone reaches the {MAX_REACH_M / 1000:g} km limit",
                        {"limit_km": MAX_REACH_M / 1000},
                    )
                )
        else:
            polygon, reach, area = np.zeros((0, 2)), 0.0, 0.0
        found.append(FireZone(level, min(index, ZONE_COLOUR_COUNT - 1), round(reach, 1), round(area), polygon))
    return found, warnings


def _radial(value_at: Callable[[FloatArray], FloatArray]) -> Callable[[FloatArray, FloatArray], FloatArray]:
    def value_xy(x: FloatArray, y: FloatArray) -> FloatArray:
        return value_at(np.hypot(x, y))

    return value_xy


def _pool_diameter(
    scenario: FireScenario, fuel: fuels.FuelProperties, ambient_k: float
) -> tuple[float, list[Fact], list[Warning]]:
    model = "pool_fire"
    if fuel.boiling_point_k is not None and fuel.boiling_point_k < ambient_k:
        raise ScenarioRefused(
            "boils_at_ambient",
            model,
            "the fuel boils below the air temperature: a pool of a "
            "liquefied gas is not modelled (use a jet fire or a fireball)",
            boiling_point_c=round(fuel.boiling_point_k - 273.15, 1),
        )
    if scenario.pool_diameter_m is not None:
        diameter = _required(scenario.pool_diameter_m, "pool_diameter_m", model)
        if diameter > spills.MAX_POOL_DIAMETER_M:
            raise ScenarioRefused(
                "pool_above_range",
                model,
                "pool diameter above 100 m, beyond the Thomas and Mudan-Croce correlations",
                diameter_m=diameter,
                limit_m=spills.MAX_POOL_DIAMETER_M,
            )
        return diameter, [], []
    mass = _required(scenario.spill_mass_kg, "spill_mass_kg", model)
    try:
        density = source.liquid_density_kg_m3(scenario.fuel_cas, ambient_k)
    except ConsequenceInputError as exc:
        raise ScenarioRefused(
            "no_liquid_density", model, f"no liquid density for CAS {scenario.fuel_cas}", cas=scenario.fuel_cas
        ) from exc
    volume = mass / density
    spread = volume / spills.DEFAULT_MIN_THICKNESS_M
    area = spread if scenario.bund_area_m2 is None else min(spread, scenario.bund_area_m2)
    diameter = spills.spread_pool_diameter_m(volume, bund_area_m2=scenario.bund_area_m2)
    facts = [Fact("spill_mass", round(mass), "kg"), Fact("liquid_density", round(density), "kg/m3")]
    warnings = []
    if math.sqrt(4.0 * area / math.pi) > spills.MAX_POOL_DIAMETER_M:
        warnings.append(
            Warning(
                "pool_capped",
                "the spill would spread beyond 100 m; the pool is taken as 100 m, the end of the correlations' range",
                {"limit_m": spills.MAX_POOL_DIAMETER_M},
            )
        )
    basis = "bund" if scenario.bund_area_m2 is not None and scenario.bund_area_m2 < spread else "spread"
    facts.append(Fact(f"pool_basis_{basis}", round(area), "m2"))
    return diameter, facts, warnings


def simulate_fire(
    scenario: FireScenario,
    *,
    wind_speed_m_s: float,
    wind_from_deg: float,
    ambient_temperature_k: float = 293.15,
    relative_humidity: float = 0.7,
    ambient_pressure_pa: float = explosion.ATMOSPHERIC_PRESSURE_PA,
) -> FireResult:
    """Zones of one fire or explosion (see the module docstring); ``wind_from_deg`` turns an
    asymmetric zone (a tilted pool flame, a horizontal jet) downwind. ``ambient_pressure_pa`` (the
    site's air pressure) sets the air density of a pool flame and the pressure a blast is scaled by."""
    kind = scenario.kind
    if kind not in FIRE_KINDS:
        raise ConsequenceInputError(f"unknown fire or explosion kind {kind!r}")
    fuel = _fuel(scenario.fuel_cas, kind)
    facts: list[Fact] = []
    warnings: list[Warning] = []
    value_xy: Callable[[FloatArray, FloatArray], FloatArray]
    try:
        if kind == "pool_fire":
            diameter, facts, warnings = _pool_diameter(scenario, fuel, ambient_temperature_k)
            pool = fire.pool_fire(
                diameter,
                fuel,
                wind_speed_m_s=wind_speed_m_s,
                air_temperature_k=ambient_temperature_k,
                relative_humidity=relative_humidity,
                air_pressure_pa=ambient_pressure_pa,
            )
            facts += [
                Fact("pool_diameter", round(diameter, 1), "m"),
                Fact("flame_length", round(pool.flame_length_m, 1), "m"),
                Fact("flame_tilt", round(math.degrees(pool.tilt_rad)), "deg"),
                Fact("surface_emissive_power", round(pool.surface_emissive_power_w_m2 / 1e3, 1), "kW/m2"),
                Fact("burning_rate", round(pool.burning_rate_kg_m2_s, 4), "kg/m2/s"),
            ]
            warnings += _coded(pool.warnings)
            levels, value_xy, symmetric = HEAT_LEVELS, pool.flux_w_m2, pool.tilt_rad < 1e-3
            r_max = min(50.0 * diameter + 500.0, MAX_REACH_M)
        elif kind == "jet_fire":
            jet = fire.jet_fire(
                _required(scenario.rate_kg_s, "rate_kg_s", kind),
                fuel,
                release_height_m=scenario.height_m,
                orientation=scenario.orientation,
                air_temperature_k=ambient_temperature_k,
                relative_humidity=relative_humidity,
            )
            facts = [
                Fact("outflow_rate", float(f"{scenario.rate_kg_s:.3g}"), "kg/s"),
                Fact("flame_length", round(jet.flame_length_m, 1), "m"),
                Fact("heat_release", round(jet.heat_release_w / 1e6, 1), "MW"),
            ]
            warnings = _coded(jet.warnings)
            levels, value_xy, r_max, symmetric = HEAT_LEVELS, jet.flux_w_m2, MAX_REACH_M, jet.source_x_m == 0.0
        elif kind == "fireball":
            ball = fire.fireball(
                _required(scenario.mass_kg, "mass_kg", kind),
                fuel,
                vessel_pressure_pa=scenario.vessel_pressure_pa,
                air_temperature_k=ambient_temperature_k,
                relative_humidity=relative_humidity,
            )
            facts = [
                Fact("fireball_mass", round(ball.mass_kg), "kg"),
                Fact("fireball_diameter", round(ball.diameter_m, 1), "m"),
                Fact("fireball_duration", round(ball.duration_s, 1), "s"),
                Fact("surface_emissive_power", round(ball.surface_emissive_power_w_m2 / 1e3, 1), "kW/m2"),
            ]
            warnings = _coded(ball.warnings)
            levels, value_xy, r_max, symmetric = HEAT_LEVELS, ball.flux_w_m2, MAX_REACH_M, True
        elif kind == "vce_tnt":
            tnt = explosion.tnt_explosion(
                _required(scenario.mass_kg, "mass_kg", kind),
                fuel.heat_of_combustion_j_kg,
                yield_factor=scenario.yield_factor,
                ambient_pressure_pa=ambient_pressure_pa,
            )
            facts = [
                Fact("cloud_mass", round(scenario.mass_kg or 0.0), "kg"),
                Fact("tnt_mass", round(tnt.tnt_mass_kg, 1), "kg"),
                Fact("yield_factor", scenario.yield_factor, ""),
            ]
            warnings = _coded(tnt.warnings)
            levels, value_xy, r_max, symmetric = BLAST_LEVELS, _radial(tnt.overpressure_pa), MAX_REACH_M, True
        else:
            blast = explosion.multi_energy_explosion(
                strength=scenario.strength,
                congested_volume_m3=_required(scenario.congested_volume_m3, "congested_volume_m3", kind),
                ambient_pressure_pa=ambient_pressure_pa,
            )
            facts = [
                Fact("congested_volume", round(scenario.congested_volume_m3 or 0.0), "m3"),
                Fact("blast_strength", scenario.strength, ""),
                Fact("blast_energy", round(blast.energy_j / 1e9, 2), "GJ"),
            ]
            warnings = _coded(blast.warnings)
            levels, value_xy, r_max, symmetric = BLAST_LEVELS, _radial(blast.overpressure_pa), MAX_REACH_M, True
        # kW/m² and kPa are both 1000 × the models' W/m² and Pa
        outlines = _outlines(value_xy, [level.value * 1e3 for level in levels], r_max, symmetric=symmetric)
        found, zone_warnings = _zones(levels, outlines, wind_from_deg)
    except ScenarioRefused:
        raise
    except ConsequenceInputError as exc:
        raise ScenarioRefused("out_of_range", kind, str(exc), reason=str(exc)) from exc
    return FireResult(kind, fuel.name, found, facts, warnings + zone_warnings)


def fire_geojson(
    result: FireResult, *, source_lon_deg: float, source_lat_deg: float, labels: list[str]
) -> dict[str, Any]:
    """The zones as a FeatureCollection in lon/lat, innermost first (an unreached level has no geometry)."""
    features = []
    for zone, label in zip(result.zones, labels, strict=True):
        properties = {"label": label, "level": zone.level.code, "index": zone.colour_index, "reach_m": zone.reach_m}
        if not len(zone.polygon_m):
            features.append({"type": "Feature", "geometry": None, "properties": properties})
            continue
        lonlat = zones.local_to_lonlat(zone.polygon_m, source_lon_deg, source_lat_deg)
        ring = [[round(float(lon), 7), round(float(lat), 7)] for lon, lat in lonlat]
        ring[-1] = ring[0]
        features.append(
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}
