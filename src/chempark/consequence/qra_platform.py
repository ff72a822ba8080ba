"""The platform's QRA study as plain data: default scenarios from the registry's tanks, default
weather and wind rose, GB 36894 categories of protective targets, and the conversion of a
:func:`chempark.consequence.qra.run_qra` result into lon/lat GeoJSON and JSON tables.

A study's inputs are stored as JSON (editable through the API) and turned into the engine's objects
here, so the Django side holds no physics. Coordinates: the platform stores WGS84 lon/lat; the
engine works in metres east/north of an origin (the park's centre), through the same azimuthal
equidistant projection as the threat zones (:func:`chempark.consequence.zones.lonlat_to_local`).

Outcomes: ``toxic`` rows (the toxic-cloud branch, lethality by the substance's probit) and
``flammable`` rows — the Purple Book event tree of :func:`chempark.consequence.qra.flammable_outcome_tree`:
direct ignition → jet fire, pool fire or BLEVE fireball; delayed ignition → flash fire (inside the
LFL contour of the plume, or of the puff of an instantaneous cloud) or explosion (TNT equivalent of
the cloud, lethal above 30 kPa); no ignition → toxic cloud when the substance also has a probit.
Flammable liquids (boiling point above 20 °C) get pool-fire defaults, pressurised liquefied
flammable gases a BLEVE for the instantaneous loss (:func:`default_tank_scenarios`; pool sizes in
:mod:`chempark.consequence.spills`). Direct-ignition probabilities default to the Purple Book table
(``data/ignition_probabilities.csv``); the delayed-ignition probability depends on the ignition
sources around the site and is a placeholder (:data:`DEFAULT_P_DELAYED_IGNITION`) to edit per row.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import shape

from chempark.consequence import (
    accident,
    explosion,
    fire,
    fuels,
    gas_units,
    mixtures,
    qra,
    source,
    spills,
    toxic,
    zones,
)
from chempark.consequence._checks import FloatArray
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
TEN_MINUTES_S: Final[float] = 600.0
MAX_EXPOSURE_MIN: Final[float] = 30.0
DEFAULT_P_DELAYED_IGNITION: Final[float] = 0.5
"""Placeholder: the Purple Book derives delayed ignition from the ignition sources around the site;
edit it per scenario (``p_delayed_ignition``)."""
EXPLOSION_FRACTION: Final[float] = 0.4  # share of delayed ignitions that explode (CPR18E ch. 4)
CLOUD_SECONDS: Final[float] = 60.0
"""Screening assumption: the exploding cloud holds the airborne release of one minute."""
AMBIENT_K: Final[float] = 293.15
DEFAULT_LIQUID_HEAD_M: Final[float] = 5.0
"""Platform assumption: liquid head above a 10 mm hole in an atmospheric tank (about half the shell
height of a 10 m tank); the outflow rate of the row follows from it and can be edited."""
MAX_RELEASE_S: Final[float] = 1800.0
"""A continuous release is followed for at most 30 minutes (Purple Book CPR18E ch. 4 — recalled)."""
EVAPORATION_WIND_M_S: Final[float] = 5.0
"""Wind speed for the evaporation of an unignited pool: the windier default class (D5) — the
larger evaporation, the conservative choice for the flash fire."""
FREQUENCY_SOURCE: Final[str] = "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)"
IGNITION_SOURCE: Final[str] = "Purple Book CPR18E ch. 4 Table 4.6 (recalled value, data/ignition_probabilities.csv)"
DELAYED_SOURCE: Final[str] = "platform placeholder — set from the ignition sources around the site"
LOW_REACTIVITY_GASES: Final[frozenset[str]] = frozenset({"7664-41-7", "74-82-8", "630-08-0", "74-83-9"})
"""Purple Book low-reactivity gases (ammonia, methane, carbon monoxide, methyl bromide); every other
flammable gas is taken as average/high reactivity."""
IGNITION_CATEGORIES: Final[tuple[str, ...]] = ("gas_low_reactivity", "gas_average_high_reactivity", "liquid_k1",
                                               "liquid_k2_k3")


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
    bund_area_m2: float | None = None
    """Area of the bund (围堰) around the tank, when the registry gives one; None: unbunded."""


def is_flammable(cas: str) -> bool:
    """Whether the substance burns in air: a lower flammability limit is known for it."""
    try:
        gas_units.lower_flammability_limit(cas)
    except ConsequenceInputError:
        return False
    return True


def ignition_category(cas: str, boiling_point_k: float | None) -> str:
    """Purple Book ignition category: gases by reactivity; liquids K1 when the flash point is below
    21 °C (``chemicals``, or the mixture table for gasoline, diesel...), else K2/K3."""
    if boiling_point_k is not None and boiling_point_k < 293.15:
        return "gas_low_reactivity" if cas in LOW_REACTIVITY_GASES else "gas_average_high_reactivity"
    from chemicals.safety import T_flash

    found = mixtures.mixture(cas)
    flash: float | None = None
    if found is not None and found.flash_point_k is not None:
        flash = found.flash_point_k
    else:
        try:
            flash = T_flash(CASRN=found.representative_cas if found and found.representative_cas else cas)
        except (ValueError, KeyError):
            flash = None
    return "liquid_k1" if flash is not None and float(flash) < 294.15 else "liquid_k2_k3"


def _flammable_rows(tank: TankInput, common: dict[str, Any], term: Any, toxic_too: bool,
                    duration_min: float) -> list[dict[str, Any]]:
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    category = ignition_category(tank.cas, fuels.fuel_properties(tank.cas).boiling_point_k)
    source = "Purple Book CPR18E ch. 4 Table 4.6 (recalled value, data/ignition_probabilities.csv)"
    rows = []
    for hole_class, name, rate in (
            ("10mm", f"{tank.name} 10 mm 孔泄漏（可燃）", outflow),
            ("ten_minutes", f"{tank.name} 10 min 全部泄漏（可燃）", tank.inventory_kg / TEN_MINUTES_S)):
        rows.append({
            **common, "outcome": "flammable", "name": name, "hole_size_class": hole_class,
            "frequency_per_year": qra.release_frequency(common["equipment"], hole_class),
            "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
            "rate_kg_s": round(rate, 5), "airborne_rate_kg_s": round(rate * airborne_fraction, 5),
            "direct_fire": "jet_fire", "ignition_category": category,
            "p_direct_ignition": qra.direct_ignition_probability(category, "continuous", rate),
            "ignition_source": source, "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION,
            "p_delayed_source": "platform placeholder — set from the ignition sources around the site",
            "explosion_fraction": EXPLOSION_FRACTION,
            "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2) if hole_class == "10mm" else 10.0,
            "toxic": toxic_too, "notes": "; ".join(term.notes),
        })
    return rows


def _boiling_point_k(cas: str) -> float | None:
    """The fuel's normal boiling point, None when the fire models know no such fuel."""
    try:
        return fuels.fuel_properties(cas).boiling_point_k
    except ConsequenceInputError:
        return None


def _pool_rows(tank: TankInput, common: dict[str, Any], toxic_too: bool) -> list[dict[str, Any]]:
    """Pool-fire rows of a flammable liquid (boiling point above ambient): 10 mm hole, whole
    inventory in 10 min and instantaneous loss (see :func:`default_tank_scenarios`).

    A bund confines the spill (Yellow Book CPR14E ch. 3): the pool covers min(unconfined spread
    area, bund area) (:func:`chempark.consequence.spills.spread_pool_diameter_m`), so a tank with a
    small bund has a smaller pool fire, and less vapour for the delayed ignition, than without."""
    density = source.liquid_density_kg_m3(tank.cas, AMBIENT_K)
    props = source.chemical_properties(tank.cas)
    fuel = fuels.fuel_properties(tank.cas)
    category = ignition_category(tank.cas, fuel.boiling_point_k)
    psat = source.vapour_pressure_pa(tank.cas, AMBIENT_K)
    hole_rate = source.liquid_release_rate_kg_s(hole_diameter_m=0.01, liquid_density_kg_m3=density,
                                                gauge_pressure_pa=0.0, liquid_head_m=DEFAULT_LIQUID_HEAD_M)
    bund = (f"bund area {tank.bund_area_m2:g} m2 caps the spread (a bund confines the pool: Yellow Book "
            "CPR14E ch. 3, recalled)" if tank.bund_area_m2 is not None else
            f"no bund: spread to {spills.DEFAULT_MIN_THICKNESS_M * 1000:g} mm (Yellow Book CPR14E ch. 3, recalled)")
    rows = []
    for hole_class, label, rate, spilled_kg in (
            ("10mm", "10 mm 孔泄漏（池火）", hole_rate, min(tank.inventory_kg, hole_rate * MAX_RELEASE_S)),
            ("ten_minutes", "10 min 全部泄漏（池火）", tank.inventory_kg / TEN_MINUTES_S, tank.inventory_kg),
            ("instantaneous", "瞬时全部泄漏（池火）", None, tank.inventory_kg)):
        spread_d = spills.spread_pool_diameter_m(spilled_kg / density, bund_area_m2=tank.bund_area_m2)
        fire_d = spread_d if rate is None else min(spread_d, spills.burning_pool_diameter_m(rate, fuel, AMBIENT_K))
        evaporation = source.pool_evaporation_rate_kg_s(
            pool_area_m2=math.pi * spread_d**2 / 4.0, vapour_pressure_pa=psat,
            molar_mass_kg_mol=props.molar_mass_kg_mol, liquid_temperature_k=AMBIENT_K,
            wind_speed_10m_m_s=EVAPORATION_WIND_M_S)
        row = {
            **common, "outcome": "flammable", "name": f"{tank.name} {label}", "hole_size_class": hole_class,
            "frequency_per_year": qra.release_frequency(common["equipment"], hole_class),
            "frequency_source": FREQUENCY_SOURCE, "direct_fire": "pool_fire",
            "pool_diameter_m": round(fire_d, 2), "airborne_rate_kg_s": round(evaporation, 5),
            "ignition_category": category, "ignition_source": IGNITION_SOURCE,
            "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION, "p_delayed_source": DELAYED_SOURCE,
            "explosion_fraction": EXPLOSION_FRACTION, "exposure_min": MAX_EXPOSURE_MIN, "toxic": toxic_too,
            "notes": "; ".join((
                f"liquid {density:.0f} kg/m3 at 20 °C; spilled {spilled_kg:.0f} kg",
                f"pool {spread_d:.1f} m ({bund}; at most {spills.MAX_POOL_DIAMETER_M:g} m)",
                *(() if rate is None else (f"burning pool fed at {rate:.3g} kg/s: {fire_d:.1f} m (the smaller of "
                                           "the spread and the burning-equilibrium diameter)",)),
                *((f"10 mm hole, liquid head {DEFAULT_LIQUID_HEAD_M:g} m, Cd 0.61, followed 30 min",)
                  if hole_class == "10mm" else ()),
                f"delayed ignition: vapour of the unignited pool, Mackay–Matsugu at {EVAPORATION_WIND_M_S:g} m/s",
            )),
        }
        if rate is None:
            row.update(release_kind="instantaneous", mass_kg=round(tank.inventory_kg, 3),
                       p_direct_ignition=qra.direct_ignition_probability(category, "instantaneous",
                                                                         tank.inventory_kg))
        else:
            row.update(release_kind="continuous", rate_kg_s=round(rate, 5),
                       p_direct_ignition=qra.direct_ignition_probability(category, "continuous", rate))
        rows.append(row)
    return rows


def _bleve_row(tank: TankInput, common: dict[str, Any], airborne_fraction: float, toxic_too: bool) -> dict[str, Any]:
    """Instantaneous loss of a pressurised liquefied flammable gas: direct ignition → BLEVE fireball
    of the whole inventory; delayed ignition → flash fire or explosion of the airborne cloud; no
    ignition → the toxic puff of that cloud when the substance has a probit (ammonia)."""
    category = ignition_category(tank.cas, fuels.fuel_properties(tank.cas).boiling_point_k)
    cloud = tank.inventory_kg * airborne_fraction
    return {
        **common, "outcome": "flammable", "name": f"{tank.name} 瞬时全部泄漏（火球）",
        "hole_size_class": "instantaneous", "release_kind": "instantaneous",
        "frequency_per_year": qra.release_frequency(common["equipment"], "instantaneous"),
        "frequency_source": FREQUENCY_SOURCE, "mass_kg": round(tank.inventory_kg, 3),
        "direct_fire": "fireball", "fireball_mass_kg": round(tank.inventory_kg, 3),
        "cloud_mass_kg": round(cloud, 3), "explosion_mass_kg": round(cloud, 3), "ignition_category": category,
        "p_direct_ignition": qra.direct_ignition_probability(category, "instantaneous", tank.inventory_kg),
        "ignition_source": IGNITION_SOURCE, "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION,
        "p_delayed_source": DELAYED_SOURCE, "explosion_fraction": EXPLOSION_FRACTION, "toxic": toxic_too,
        "notes": "; ".join((
            "fireball of the whole inventory (Purple Book CPR18E ch. 4, recalled), CCPS 1994 correlations, "
            "SEP 350 kW/m2, lethality over the fireball duration",
            f"cloud {cloud:.0f} kg = inventory × airborne fraction {airborne_fraction:.3g} (2 × flash, capped at 1)",
            "flash fire: passive Gaussian puff, LFL contour; explosion: TNT equivalent of the cloud",
            *(("no ignition: toxic load of the passing puff of the cloud (passive, probit)",) if toxic_too else ()),
        )),
    }


def _toxic_rows(tank: TankInput, common: dict[str, Any], term: Any, duration_min: float) -> list[dict[str, Any]]:
    """The toxic-cloud rows of a non-flammable toxic substance (see :func:`default_tank_scenarios`)."""
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    hole = {
        **common, "name": f"{tank.name} 10 mm 孔泄漏", "hole_size_class": "10mm",
        "frequency_per_year": qra.release_frequency(common["equipment"], "10mm"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(term.rate_kg_s, 5), "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2),
        "notes": "; ".join(term.notes),
    }
    ten = {
        **common, "name": f"{tank.name} 10 min 全部泄漏", "hole_size_class": "ten_minutes",
        "frequency_per_year": qra.release_frequency(common["equipment"], "ten_minutes"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(tank.inventory_kg * airborne_fraction / TEN_MINUTES_S, 5), "exposure_min": 10.0,
        "notes": f"inventory {tank.inventory_kg:g} kg in 600 s, airborne fraction {airborne_fraction:.3g}",
    }
    if not tank.pressurised:
        return [hole, ten]
    cloud = tank.inventory_kg * airborne_fraction
    rupture = {
        **common, "name": f"{tank.name} 瞬时全部泄漏", "hole_size_class": "instantaneous",
        "release_kind": "instantaneous",
        "frequency_per_year": qra.release_frequency(common["equipment"], "instantaneous"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "mass_kg": round(cloud, 3),
        "notes": f"catastrophic rupture: puff of inventory {tank.inventory_kg:g} kg × airborne fraction "
                 f"{airborne_fraction:.3g} (2 × flash, capped at 1), toxic load of the passing puff (passive)",
    }
    return [hole, ten, rupture]


@dataclass(frozen=True)
class Skip:
    """Why a tank gets no default scenarios: a stable ``code`` (the platform shows its own text for
    it), the tank or substance it is about, and the English ``message``."""

    code: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def default_tank_scenarios(tank: TankInput) -> tuple[list[dict[str, Any]], Skip | None]:
    """The default loss-of-containment scenarios of one tank, and why none when there are none.

    Frequencies are the Purple Book's (``data/release_frequencies.csv``): pressure vessel when the
    tank is pressurised, else single-containment atmospheric tank.

    * A flammable liquid (known LFL, boiling point above 20 °C): pool-fire trees (:func:`_pool_rows`)
      for a 10 mm hole, the whole inventory in 10 min and the instantaneous loss — direct ignition →
      pool fire, delayed ignition → flash fire / explosion of the vapour evaporating from the
      unignited pool, no ignition → toxic cloud of that vapour when the substance has a probit.
    * Any other flammable substance (a gas or liquefied gas): the jet-fire trees of a 10 mm hole
      below the liquid (rate from the source term of :mod:`accident`) and of the whole inventory in
      10 min; a pressurised liquefied gas also gets the instantaneous loss with a BLEVE fireball
      (:func:`_bleve_row`).
    * A toxic substance with a tabulated probit: the toxic cloud of the 10 mm hole (exposure the
      release duration up to 30 min) and of the 10-minute release (exposure 10 min); a pressurised
      one also the catastrophic rupture, a puff whose passing toxic load the probit judges.
    """
    flammable = is_flammable(tank.cas)
    try:
        toxic.probit_constants(tank.cas)
        toxic_too = True
    except ConsequenceInputError:
        toxic_too = False
    if tank.bund_area_m2 is not None and not (math.isfinite(tank.bund_area_m2) and tank.bund_area_m2 > 0.0):
        raise ConsequenceInputError(f"{tank.name}: bund_area_m2 must be > 0, got {tank.bund_area_m2!r}")
    if not (flammable or toxic_too):
        return [], Skip("not_flammable_nor_toxic", tank.substance,
                        "neither flammable (no LFL) nor with a tabulated toxic probit")
    if not (math.isfinite(tank.inventory_kg) and tank.inventory_kg > 0.0):
        return [], Skip("no_inventory", tank.name, "no inventory")
    return _modelled_tank_scenarios(tank, flammable, toxic_too)


def _modelled_tank_scenarios(tank: TankInput, flammable: bool, toxic_too: bool,
                             ) -> tuple[list[dict[str, Any]], Skip | None]:
    equipment = "pressure_vessel" if tank.pressurised else "atmospheric_tank_single"
    common = {"lon": tank.lon, "lat": tank.lat, "cas": tank.cas, "substance": tank.substance,
              "tank_id": tank.tank_id, "unit_id": tank.unit_id, "equipment": equipment, "outcome": "toxic",
              "height_m": 1.0}
    boiling = _boiling_point_k(tank.cas) if flammable else None
    if flammable and boiling is not None and boiling > AMBIENT_K:
        try:
            return _pool_rows(tank, common, toxic_too), None
        except ConsequenceInputError as exc:
            return [], Skip("model_refused", tank.name, str(exc))
    try:
        term = accident.resolve_source_term(
            tank.cas, accident.ReleaseInput("tank_hole", hole_diameter_mm=10.0), source.molar_mass_g_mol(tank.cas),
            293.15)
    except ConsequenceInputError as exc:
        return [], Skip("model_refused", tank.name, str(exc))
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    duration_min = tank.inventory_kg / outflow / 60.0
    if flammable:
        rows = _flammable_rows(tank, common, term, toxic_too, duration_min)
        if tank.pressurised and boiling is not None and boiling < AMBIENT_K:
            rows.append(_bleve_row(tank, common, airborne_fraction, toxic_too))
        return rows, None
    return _toxic_rows(tank, common, term, duration_min), None


def _probability(row: dict[str, Any], key: str, where: str, default: float) -> float:
    if key not in row:
        return default
    value = _number(row, key, where, strict=False)
    if value > 1.0:
        raise ConsequenceInputError(f"{where}.{key} must be between 0 and 1")
    return value


def _unignited_toxic(row: dict[str, Any], where: str, cloud_kg: float, airborne_kg_s: float,
                     height_m: float) -> LethalityFunction | None:
    """The no-ignition branch of a flammable and toxic release: the puff of the instantaneous cloud,
    else the plume of the airborne rate held for ``exposure_min``."""
    cas = str(row.get("cas", ""))
    if cloud_kg > 0.0:
        return toxic_puff_lethality(cloud_kg, cas, release_height_m=height_m)
    if airborne_kg_s > 0.0:
        exposure = min(_number(row, "exposure_min", where), MAX_EXPOSURE_MIN)
        return toxic_plume_lethality(airborne_kg_s, cas, exposure_min=exposure, release_height_m=height_m)
    return None


def flammable_outcomes(row: dict[str, Any], where: str) -> tuple[qra.Outcome, ...]:
    """A stored flammable row → the Purple Book event tree with its lethality functions.

    ``release_kind`` ``continuous`` (default; ``rate_kg_s``) or ``instantaneous`` (``mass_kg``);
    ``direct_fire`` ``jet_fire`` (continuous only), ``pool_fire`` (``pool_diameter_m``) or
    ``fireball`` (``fireball_mass_kg``). Delayed ignition: with ``cloud_mass_kg`` (instantaneous) the
    flash fire is the LFL contour of a puff of that mass and the explosion's default mass is the
    cloud; else the LFL contour of a plume of ``airborne_rate_kg_s`` and 60 s of it explode.
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
        raise ConsequenceInputError(f"{where}: give p_direct_ignition or ignition_category "
                                    f"({', '.join(IGNITION_CATEGORIES)})")
    p_direct = _probability(row, "p_direct_ignition", where,
                            qra.direct_ignition_probability(category, release_kind, size)
                            if category in IGNITION_CATEGORIES else 0.0)
    p_delayed = _probability(row, "p_delayed_ignition", where, DEFAULT_P_DELAYED_IGNITION)
    fraction = _probability(row, "explosion_fraction", where, EXPLOSION_FRACTION)
    if kind == "jet_fire":
        direct = jet_fire_lethality(fire.jet_fire(rate, fuel, release_height_m=height))
    elif kind == "pool_fire":
        direct = pool_fire_lethality(fire.pool_fire(_number(row, "pool_diameter_m", where), fuel))
    else:
        direct = fireball_lethality(fire.fireball(_number(row, "fireball_mass_kg", where), fuel))
    directional = False  # a vertical jet, a pool fire without tilt, a fireball: the same in every direction
    flash = explosion_fn = None
    lfl = lower_flammability_limit_g_m3(cas) if cloud > 0.0 or airborne > 0.0 else 0.0
    if cloud > 0.0:
        flash = spills.puff_flash_fire_lethality(cloud, lfl, release_height_m=height)
        cloud_kg = _number(row, "explosion_mass_kg", where) if "explosion_mass_kg" in row else cloud
        explosion_fn = explosion_lethality(explosion.tnt_explosion(cloud_kg, fuel.heat_of_combustion_j_kg))
    elif airborne > 0.0:
        flash = flash_fire_lethality(airborne, lfl, release_height_m=height)
        cloud_kg = (_number(row, "explosion_mass_kg", where) if "explosion_mass_kg" in row
                    else airborne * CLOUD_SECONDS)
        explosion_fn = explosion_lethality(explosion.tnt_explosion(cloud_kg, fuel.heat_of_combustion_j_kg))
    toxic_fn = _unignited_toxic(row, where, cloud, airborne, height) if row.get("toxic") else None
    return qra.flammable_outcome_tree(
        p_direct_ignition=p_direct, p_delayed_ignition=p_delayed, direct_fire=direct,
        direct_fire_directional=directional, flash_fire=flash, explosion=explosion_fn, toxic=toxic_fn,
        explosion_fraction=fraction)


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
        outcome = row.get("outcome", "toxic")
        frequency = _number(row, "frequency_per_year", where, strict=False)
        cas = str(row.get("cas", ""))
        if outcome == "flammable":
            outcomes = flammable_outcomes(row, where)
        elif outcome == "toxic":
            height = _number(row, "height_m", where, strict=False) if "height_m" in row else 1.0
            if row.get("release_kind", "continuous") == "instantaneous":
                lethality = toxic_puff_lethality(_number(row, "mass_kg", where), cas, release_height_m=height)
            else:
                exposure = _number(row, "exposure_min", where)
                lethality = toxic_plume_lethality(_number(row, "rate_kg_s", where), cas,
                                                  exposure_min=min(exposure, MAX_EXPOSURE_MIN),
                                                  release_height_m=height)
            outcomes = (qra.Outcome("toxic_cloud", 1.0, lethality, True),)
        else:
            raise ConsequenceInputError(f"{where}.outcome must be toxic or flammable")
        built.append(qra.ReleaseScenario(
            str(row.get("name", where)), float(xy[index, 0]), float(xy[index, 1]), frequency,
            outcomes, substance=cas,
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
        # the same with stable codes, for a page to show in its own language
        "warning_details": [
            *({"code": "contour_at_grid_edge", "message": w, "params": {}} if w == qra.CONTOUR_AT_GRID_EDGE
              else {"code": "", "message": w, "params": {}} for w in result.warnings),
            *([{"code": "grid_coarsened", "message": grid_note, "params": {"cell_m": round(grid.cell_m)}}]
              if grid_note else []),
        ],
    }


def park_origin(boundary: dict[str, Any]) -> tuple[float, float]:
    """The centre of a park boundary (GeoJSON), the origin of the study's metric frame."""
    centre = shapely.centroid(shape(boundary))
    return round(float(centre.x), 6), round(float(centre.y), 6)
