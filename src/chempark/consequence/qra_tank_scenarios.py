"""Default loss-of-containment scenarios of the registry's tanks, as the rows of
:mod:`chempark.consequence.qra_rows`.

Flammable liquids (boiling point above 20 °C) get pool-fire defaults, pressurised liquefied
flammable gases a BLEVE for the instantaneous loss (pool sizes in :mod:`chempark.consequence.spills`),
compressed gases the blowdown of their vessel, toxic substances a toxic cloud (of the outflow, or of
the evaporating pool of a liquid that does not flash). Direct-ignition probabilities default to the Purple Book table
(``data/ignition_probabilities.csv``); release frequencies to ``data/release_frequencies.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from chempark.consequence import (
    accident,
    fuels,
    gas_units,
    mixtures,
    qra,
    source,
    spills,
    toxic,
)
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra_rows import DEFAULT_P_DELAYED_IGNITION, EXPLOSION_FRACTION, MAX_EXPOSURE_MIN

TEN_MINUTES_S: Final[float] = 600.0


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
    volume_m3: float | None = None
    """Geometric volume of the tank, when the registry gives one: a vessel of compressed gas holds
    volume × gas density at its storage pressure (:func:`_compressed_gas_rows`)."""
    refrigerated: bool = False
    """A low-temperature (cryogenic, 低温储罐) tank: a gas above its critical temperature at 20 °C
    is held there as a refrigerated liquid, not a compressed gas."""


DEFAULT_GAS_STORAGE_PRESSURE_PA: Final[float] = 1.6e6 + source.ATMOSPHERIC_PRESSURE_PA
"""Platform placeholder: a vessel of compressed gas (hydrogen, methane, CO, ethylene above its
critical temperature) is taken at 1.6 MPa gauge, the PN16 pressure class of common gas buffer
vessels and spheres — the registry records no storage pressure. The rows' rates follow from it;
edit them when the vessel's design pressure is known."""


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


def _flammable_rows(
    tank: TankInput, common: dict[str, Any], term: Any, toxic_too: bool, duration_min: float
) -> list[dict[str, Any]]:
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    category = ignition_category(tank.cas, fuels.fuel_properties(tank.cas).boiling_point_k)
    source = "Purple Book CPR18E ch. 4 Table 4.6 (recalled value, data/ignition_probabilities.csv)"
    rows = []
    for hole_class, name, rate in (
        ("10mm", f"{tank.name} 10 mm 孔泄漏（可燃）", outflow),
        ("ten_minutes", f"{tank.name} 10 min 全部泄漏（可燃）", tank.inventory_kg / TEN_MINUTES_S),
    ):
        rows.append(
            {
                **common,
                "outcome": "flammable",
                "name": name,
                "hole_size_class": hole_class,
                "frequency_per_year": qra.release_frequency(common["equipment"], hole_class),
                "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
                "rate_kg_s": round(rate, 5),
                "airborne_rate_kg_s": round(rate * airborne_fraction, 5),
                "direct_fire": "jet_fire",
                "ignition_category": category,
                "p_direct_ignition": qra.direct_ignition_probability(category, "continuous", rate),
                "ignition_source": source,
                "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION,
                "p_delayed_source": "platform placeholder — set from the ignition sources around the site",
                "explosion_fraction": EXPLOSION_FRACTION,
                "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2) if hole_class == "10mm" else 10.0,
                "toxic": toxic_too,
                "notes": "; ".join(term.notes),
            }
        )
    return rows


def _boiling_point_k(cas: str) -> float | None:
    """The fuel's normal boiling point, None when the fire models know no such fuel."""
    try:
        return fuels.fuel_properties(cas).boiling_point_k
    except ConsequenceInputError:
        return None


def _spread_pool(
    tank: TankInput, volume_m3: float, vapour_pressure_pa: float, molar_mass_kg_mol: float
) -> tuple[float, float]:
    """Diameter (m) of the pool a spill of ``volume_m3`` forms (bund-capped spread,
    :func:`chempark.consequence.spills.spread_pool_diameter_m`) and its evaporation rate (kg/s) by
    Mackay–Matsugu at :data:`EVAPORATION_WIND_M_S`."""
    diameter = spills.spread_pool_diameter_m(volume_m3, bund_area_m2=tank.bund_area_m2)
    evaporation = source.pool_evaporation_rate_kg_s(
        pool_area_m2=math.pi * diameter**2 / 4.0,
        vapour_pressure_pa=vapour_pressure_pa,
        molar_mass_kg_mol=molar_mass_kg_mol,
        liquid_temperature_k=AMBIENT_K,
        wind_speed_10m_m_s=EVAPORATION_WIND_M_S,
    )
    return diameter, evaporation


def _bund_note(tank: TankInput) -> str:
    return (
        f"bund area {tank.bund_area_m2:g} m2 caps the spread (a bund confines the pool: Yellow Book "
        "CPR14E ch. 3, recalled)"
        if tank.bund_area_m2 is not None
        else f"no bund: spread to {spills.DEFAULT_MIN_THICKNESS_M * 1000:g} mm (Yellow Book CPR14E ch. 3, recalled)"
    )


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
    hole_rate = source.liquid_release_rate_kg_s(
        hole_diameter_m=0.01, liquid_density_kg_m3=density, gauge_pressure_pa=0.0, liquid_head_m=DEFAULT_LIQUID_HEAD_M
    )
    bund = _bund_note(tank)
    rows = []
    for hole_class, label, rate, spilled_kg in (
        ("10mm", "10 mm 孔泄漏（池火）", hole_rate, min(tank.inventory_kg, hole_rate * MAX_RELEASE_S)),
        ("ten_minutes", "10 min 全部泄漏（池火）", tank.inventory_kg / TEN_MINUTES_S, tank.inventory_kg),
        ("instantaneous", "瞬时全部泄漏（池火）", None, tank.inventory_kg),
    ):
        spread_d, evaporation = _spread_pool(tank, spilled_kg / density, psat, props.molar_mass_kg_mol)
        fire_d = spread_d if rate is None else min(spread_d, spills.burning_pool_diameter_m(rate, fuel, AMBIENT_K))
        row = {
            **common,
            "outcome": "flammable",
            "name": f"{tank.name} {label}",
            "hole_size_class": hole_class,
            "frequency_per_year": qra.release_frequency(common["equipment"], hole_class),
            "frequency_source": FREQUENCY_SOURCE,
            "direct_fire": "pool_fire",
            "pool_diameter_m": round(fire_d, 2),
            "airborne_rate_kg_s": round(evaporation, 5),
            "ignition_category": category,
            "ignition_source": IGNITION_SOURCE,
            "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION,
            "p_delayed_source": DELAYED_SOURCE,
            "explosion_fraction": EXPLOSION_FRACTION,
            "exposure_min": MAX_EXPOSURE_MIN,
            "toxic": toxic_too,
            "notes": "; ".join(
                (
                    f"liquid {density:.0f} kg/m3 at 20 °C; spilled {spilled_kg:.0f} kg",
                    f"pool {spread_d:.1f} m ({bund}; at most {spills.MAX_POOL_DIAMETER_M:g} m)",
                    *(
                        ()
                        if rate is None
                        else (
                            f"burning pool fed at {rate:.3g} kg/s: {fire_d:.1f} m (the smaller of "
                            "the spread and the burning-equilibrium diameter)",
                        )
                    ),
                    *(
                        (f"10 mm hole, liquid head {DEFAULT_LIQUID_HEAD_M:g} m, Cd 0.61, followed 30 min",)
                        if hole_class == "10mm"
                        else ()
                    ),
                    f"delayed ignition: vapour of the unignited pool, Mackay–Matsugu at {EVAPORATION_WIND_M_S:g} m/s",
                )
            ),
        }
        if rate is None:
            row.update(
                release_kind="instantaneous",
                mass_kg=round(tank.inventory_kg, 3),
                p_direct_ignition=qra.direct_ignition_probability(category, "instantaneous", tank.inventory_kg),
            )
        else:
            row.update(
                release_kind="continuous",
                rate_kg_s=round(rate, 5),
                p_direct_ignition=qra.direct_ignition_probability(category, "continuous", rate),
            )
        rows.append(row)
    return rows


def _bleve_row(tank: TankInput, common: dict[str, Any], airborne_fraction: float, toxic_too: bool) -> dict[str, Any]:
    """Instantaneous loss of a pressurised liquefied flammable gas: direct ignition → BLEVE fireball
    of the whole inventory; delayed ignition → flash fire or explosion of the airborne cloud; no
    ignition → the toxic puff of that cloud when the substance has a probit (ammonia)."""
    category = ignition_category(tank.cas, fuels.fuel_properties(tank.cas).boiling_point_k)
    cloud = tank.inventory_kg * airborne_fraction
    return {
        **common,
        "outcome": "flammable",
        "name": f"{tank.name} 瞬时全部泄漏（火球）",
        "hole_size_class": "instantaneous",
        "release_kind": "instantaneous",
        "frequency_per_year": qra.release_frequency(common["equipment"], "instantaneous"),
        "frequency_source": FREQUENCY_SOURCE,
        "mass_kg": round(tank.inventory_kg, 3),
        "direct_fire": "fireball",
        "fireball_mass_kg": round(tank.inventory_kg, 3),
        "cloud_mass_kg": round(cloud, 3),
        "explosion_mass_kg": round(cloud, 3),
        "ignition_category": category,
        "p_direct_ignition": qra.direct_ignition_probability(category, "instantaneous", tank.inventory_kg),
        "ignition_source": IGNITION_SOURCE,
        "p_delayed_ignition": DEFAULT_P_DELAYED_IGNITION,
        "p_delayed_source": DELAYED_SOURCE,
        "explosion_fraction": EXPLOSION_FRACTION,
        "toxic": toxic_too,
        "notes": "; ".join(
            (
                "fireball of the whole inventory (Purple Book CPR18E ch. 4, recalled), CCPS 1994 correlations, "
                "SEP 350 kW/m2, lethality over the fireball duration",
                f"cloud {cloud:.0f} kg = inventory × airborne fraction {airborne_fraction:.3g} "
                "(2 × flash, capped at 1)",
                "flash fire: passive Gaussian puff, LFL contour; explosion: TNT equivalent of the cloud",
                *(("no ignition: toxic load of the passing puff of the cloud (passive, probit)",) if toxic_too else ()),
            )
        ),
    }


def _compressed_gas_rows(
    tank: TankInput, common: dict[str, Any], flammable: bool, toxic_too: bool
) -> list[dict[str, Any]]:
    """Rows of a vessel of compressed gas (a substance above its critical temperature at 20 °C), at
    :data:`DEFAULT_GAS_STORAGE_PRESSURE_PA`: it holds the tank volume × gas density, at most the
    registry's maximum quantity. A 10 mm hole blows the vessel down from the choked orifice flow
    (:func:`chempark.consequence.source.compressed_gas_vessel_release`: the initial rate held for
    the time constant m0/ṁ0 carries the whole inventory); the 10-minute and instantaneous losses
    are the Purple Book's. A flammable gas gets the jet-fire trees and, for the rupture, the
    fireball of the whole inventory with a flash fire / explosion of the cloud (:func:`_bleve_row`,
    every kilogram airborne); a toxic one (CO too) the toxic cloud where it is not ignited."""
    props = source.chemical_properties(tank.cas)
    gamma = source.ideal_gas_heat_capacity_ratio(tank.cas)
    pressure = DEFAULT_GAS_STORAGE_PRESSURE_PA
    density = pressure * props.molar_mass_kg_mol / (source.GAS_CONSTANT_J_MOL_K * AMBIENT_K)
    held = tank.inventory_kg if tank.volume_m3 is None else min(tank.inventory_kg, tank.volume_m3 * density)
    blowdown = source.compressed_gas_vessel_release(
        volume_m3=held / density,
        storage_pressure_pa=pressure,
        temperature_k=AMBIENT_K,
        molar_mass_kg_mol=props.molar_mass_kg_mol,
        heat_capacity_ratio=gamma,
        hole_diameter_m=0.01,
    )
    notes = (
        f"compressed gas at {pressure / 1e6:.2f} MPa(a), 20 °C (platform placeholder pressure), "
        f"{density:.3g} kg/m3 (ideal gas)",
        f"inventory {held:.4g} kg = "
        + (f"volume {tank.volume_m3:g} m3 × gas density" if held < tank.inventory_kg else "registry maximum quantity"),
        f"10 mm hole: {'choked' if blowdown.choked else 'unchoked'} gas outflow "
        f"{blowdown.initial_rate_kg_s:.4g} kg/s "
        f"(Cd 1.0, gamma {gamma:.3g}; Crowl & Louvar eqs. 4-49/4-50), isothermal blowdown time constant "
        f"{blowdown.time_constant_s:.4g} s",
    )
    # a gas above its critical temperature is in a pressure vessel, whatever the registry's tank kind
    tank_held = replace(tank, inventory_kg=held, pressurised=True)
    common = {**common, "equipment": "pressure_vessel"}
    # the QRA row keeps its notes in English (the study's notes column); they carry no page code
    term = accident.SourceTerm(
        True,
        rate_kg_s=blowdown.initial_rate_kg_s,
        note_details=tuple(accident.ModelWarning("", note) for note in notes),
    )
    duration_min = blowdown.time_constant_s / 60.0
    if not flammable:
        return _toxic_rows(tank_held, common, term, duration_min)
    rows = _flammable_rows(tank_held, common, term, toxic_too, duration_min)
    bleve = _bleve_row(tank_held, common, 1.0, toxic_too)
    bleve["notes"] = "; ".join(
        (
            *notes[:2],
            "fireball of the whole inventory (Purple Book CPR18E ch. 4, recalled), "
            "CCPS 1994 correlations; cloud = the whole inventory (a gas: all airborne); flash "
            "fire: passive Gaussian puff, LFL contour; explosion: TNT equivalent of the cloud",
            *(("no ignition: toxic load of the passing puff (passive, probit)",) if toxic_too else ()),
        )
    )
    return [*rows, bleve]


def _toxic_rows(tank: TankInput, common: dict[str, Any], term: Any, duration_min: float) -> list[dict[str, Any]]:
    """The toxic-cloud rows of a non-flammable toxic substance (see :func:`default_tank_scenarios`)."""
    outflow = term.outflow_kg_s or term.rate_kg_s
    airborne_fraction = term.rate_kg_s / outflow
    hole = {
        **common,
        "name": f"{tank.name} 10 mm 孔泄漏",
        "hole_size_class": "10mm",
        "frequency_per_year": qra.release_frequency(common["equipment"], "10mm"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(term.rate_kg_s, 5),
        "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2),
        "notes": "; ".join(term.notes),
    }
    ten = {
        **common,
        "name": f"{tank.name} 10 min 全部泄漏",
        "hole_size_class": "ten_minutes",
        "frequency_per_year": qra.release_frequency(common["equipment"], "ten_minutes"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "rate_kg_s": round(tank.inventory_kg * airborne_fraction / TEN_MINUTES_S, 5),
        "exposure_min": 10.0,
        "notes": f"inventory {tank.inventory_kg:g} kg in 600 s, airborne fraction {airborne_fraction:.3g}",
    }
    if not tank.pressurised:
        return [hole, ten]
    cloud = tank.inventory_kg * airborne_fraction
    rupture = {
        **common,
        "name": f"{tank.name} 瞬时全部泄漏",
        "hole_size_class": "instantaneous",
        "release_kind": "instantaneous",
        "frequency_per_year": qra.release_frequency(common["equipment"], "instantaneous"),
        "frequency_source": "Purple Book CPR18E ch. 3 (recalled value, data/release_frequencies.csv)",
        "mass_kg": round(cloud, 3),
        "notes": f"catastrophic rupture: puff of inventory {tank.inventory_kg:g} kg × airborne fraction "
        f"{airborne_fraction:.3g} (2 × flash, capped at 1), toxic load of the passing puff (passive)",
    }
    return [hole, ten, rupture]


BOILING_POOL_PRESSURE_PA: Final[float] = 0.99 * source.ATMOSPHERIC_PRESSURE_PA
"""A liquid at (or a fraction of a kelvin above) its boiling point — hydrogen fluoride at 20 °C —
evaporates at the mass-transfer rate with its vapour pressure taken just below 1 atm; the faster
boil-off on heat from the ground in the first minutes is not modelled."""


def _toxic_pool_rows(tank: TankInput, common: dict[str, Any]) -> list[dict[str, Any]]:
    """Toxic-cloud rows of a non-flammable toxic liquid that does not flash at 20 °C (bromine,
    hydrogen fluoride in an atmospheric tank): the outflow of a 10 mm hole under
    :data:`DEFAULT_LIQUID_HEAD_M` of liquid for up to 30 min, the whole inventory in 10 min and
    its instantaneous loss each spread into a pool (bund-capped, as for the pool fires); the
    airborne rate is the pool's evaporation (Mackay–Matsugu, :data:`EVAPORATION_WIND_M_S`), held
    until the pool is gone or for 30 min, whichever is shorter."""
    density = source.liquid_density_kg_m3(tank.cas, AMBIENT_K)
    props = source.chemical_properties(tank.cas)
    psat = source.vapour_pressure_pa(tank.cas, AMBIENT_K)
    boiling = psat >= BOILING_POOL_PRESSURE_PA
    hole_rate = source.liquid_release_rate_kg_s(
        hole_diameter_m=0.01, liquid_density_kg_m3=density, gauge_pressure_pa=0.0, liquid_head_m=DEFAULT_LIQUID_HEAD_M
    )
    rows = []
    for hole_class, label, spilled_kg in (
        ("10mm", "10 mm 孔泄漏（液池蒸发）", min(tank.inventory_kg, hole_rate * MAX_RELEASE_S)),
        ("ten_minutes", "10 min 全部泄漏（液池蒸发）", tank.inventory_kg),
        ("instantaneous", "瞬时全部泄漏（液池蒸发）", tank.inventory_kg),
    ):
        spread_d, evaporation = _spread_pool(
            tank, spilled_kg / density, min(psat, BOILING_POOL_PRESSURE_PA), props.molar_mass_kg_mol
        )
        duration_min = spilled_kg / evaporation / 60.0
        rows.append(
            {
                **common,
                "name": f"{tank.name} {label}",
                "hole_size_class": hole_class,
                "frequency_per_year": qra.release_frequency(common["equipment"], hole_class),
                "frequency_source": FREQUENCY_SOURCE,
                "rate_kg_s": round(evaporation, 5),
                "exposure_min": round(min(MAX_EXPOSURE_MIN, duration_min), 2),
                "notes": "; ".join(
                    (
                        f"liquid {density:.0f} kg/m3 at 20 °C; spilled {spilled_kg:.0f} kg",
                        *(
                            (f"10 mm hole, liquid head {DEFAULT_LIQUID_HEAD_M:g} m, Cd 0.61, followed 30 min",)
                            if hole_class == "10mm"
                            else ()
                        ),
                        f"pool {spread_d:.1f} m ({_bund_note(tank)}; at most {spills.MAX_POOL_DIAMETER_M:g} m)",
                        f"toxic cloud of the pool's evaporation, Mackay–Matsugu at {EVAPORATION_WIND_M_S:g} m/s, "
                        f"vapour pressure {psat / 1000:.3g} kPa at 20 °C"
                        + (
                            " (at its boiling point: taken just below 1 atm, ground heat boil-off not modelled)"
                            if boiling
                            else ""
                        ),
                    )
                ),
            }
        )
    return rows


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
    * A gas above its critical temperature at 20 °C (hydrogen, methane, CO, ethylene) in a vessel
      of compressed gas: :func:`_compressed_gas_rows` (a cryogenic tank of one is skipped).
    * A toxic substance with a tabulated probit: the toxic cloud of the 10 mm hole (exposure the
      release duration up to 30 min) and of the 10-minute release (exposure 10 min); a pressurised
      one also the catastrophic rupture, a puff whose passing toxic load the probit judges. A toxic
      liquid that does not flash in an atmospheric tank: the evaporating pool (:func:`_toxic_pool_rows`).
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
        return [], Skip(
            "not_flammable_nor_toxic",
            f"{tank.name}（{tank.substance}）",
            "neither flammable (no LFL) nor with a tabulated toxic probit",
        )
    if not (math.isfinite(tank.inventory_kg) and tank.inventory_kg > 0.0):
        return [], Skip("no_inventory", tank.name, "no inventory")
    return _modelled_tank_scenarios(tank, flammable, toxic_too)


def _modelled_tank_scenarios(
    tank: TankInput,
    flammable: bool,
    toxic_too: bool,
) -> tuple[list[dict[str, Any]], Skip | None]:
    equipment = "pressure_vessel" if tank.pressurised else "atmospheric_tank_single"
    common = {
        "lon": tank.lon,
        "lat": tank.lat,
        "cas": tank.cas,
        "substance": tank.substance,
        "tank_id": tank.tank_id,
        "unit_id": tank.unit_id,
        "equipment": equipment,
        "outcome": "toxic",
        "height_m": 1.0,
    }
    try:
        return _scenario_rows(tank, common, flammable, toxic_too), None
    except ConsequenceInputError as exc:
        return [], Skip("model_refused", tank.name, str(exc))


def _scenario_rows(
    tank: TankInput,
    common: dict[str, Any],
    flammable: bool,
    toxic_too: bool,
) -> list[dict[str, Any]]:
    """The rows of the first model that fits the tank (see :func:`default_tank_scenarios`)."""
    boiling = _boiling_point_k(tank.cas) if flammable else None
    if flammable and boiling is not None and boiling > AMBIENT_K:
        return _pool_rows(tank, common, toxic_too)
    if source.stored_as_gas(tank.cas, AMBIENT_K):
        if tank.refrigerated:
            raise ConsequenceInputError(
                "refrigerated liquefied gas: the boiling pool of a cryogenic tank is not "
                "modelled; add its scenarios by hand"
            )
        return _compressed_gas_rows(tank, common, flammable, toxic_too)
    if not flammable and not tank.pressurised and _does_not_flash(tank.cas):
        return _toxic_pool_rows(tank, common)
    term = accident.resolve_source_term(
        tank.cas, accident.ReleaseInput("tank_hole", hole_diameter_mm=10.0), source.molar_mass_g_mol(tank.cas), 293.15
    )
    outflow = term.outflow_kg_s or term.rate_kg_s
    duration_min = tank.inventory_kg / outflow / 60.0
    if not flammable:
        return _toxic_rows(tank, common, term, duration_min)
    rows = _flammable_rows(tank, common, term, toxic_too, duration_min)
    if tank.pressurised and boiling is not None and boiling < AMBIENT_K:
        rows.append(_bleve_row(tank, common, term.rate_kg_s / outflow, toxic_too))
    return rows


def _does_not_flash(cas: str) -> bool:
    """Whether the liquid sits at or below its normal boiling point at 20 °C (no flash on release)."""
    try:
        return source.chemical_properties(cas).boiling_point_k >= AMBIENT_K
    except ConsequenceInputError:
        return False


def default_study_scenarios(tanks: Sequence[TankInput]) -> tuple[list[dict[str, Any]], list[Skip]]:
    """The default scenarios of every tank of a study, and why some tanks have none."""
    rows: list[dict[str, Any]] = []
    skips: list[Skip] = []
    for tank in tanks:
        found, reason = default_tank_scenarios(tank)
        rows.extend(found)
        if reason is not None:
            skips.append(reason)
    return rows, skips
