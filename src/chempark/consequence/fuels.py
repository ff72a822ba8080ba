"""Fuel properties for the fire and explosion models.

Three sources, in this order:

1. ``data/pool_fire_fuels.csv`` — Babrauskas (1983) large-pool burning data (m∞, effective heat of
   combustion, kβ) for common fuels, including mixtures (gasoline, diesel, kerosene) that have no
   single CAS record.
2. ``data/mixture_properties.csv`` (:mod:`chempark.consequence.mixtures`) for products the
   ``chemicals`` package has no record for under their CAS number (gasoline, diesel, mixed xylenes,
   LPG): their own figures, or those of a representative pure component.
3. The ``chemicals`` package (Bell & contributors, ChEDL) for any pure substance by CAS number:
   molar mass, normal boiling point, heat of combustion (lower heating value from the heat of
   formation), heat of vaporisation at the boiling point (Riedel 1954 corresponding-states estimate,
   as in Poling, Prausnitz & O'Connell 2001 ch. 7) and liquid heat capacity (Poling/CRC tables, else
   Perry's Table 2-153 at the boiling point).

The Burgess–Strasser–Grumer burning rate needs ΔHv and Cp,l; the Babrauskas correlation needs m∞
and kβ. :class:`FuelProperties` carries both sets, with ``None`` for what is unknown.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from importlib import resources

from chempark.consequence import mixtures, source
from chempark.consequence.errors import ConsequenceInputError

GAS_CONSTANT_J_MOL_K = 8.314462618


@dataclass(frozen=True, slots=True)
class FuelProperties:
    """What the fire and explosion models need to know about a fuel (SI units)."""

    name: str
    cas: str | None
    heat_of_combustion_j_kg: float
    molar_mass_kg_mol: float | None = None
    boiling_point_k: float | None = None
    heat_of_vaporisation_j_kg: float | None = None
    liquid_heat_capacity_j_kg_k: float | None = None
    burning_rate_inf_kg_m2_s: float | None = None
    k_beta_per_m: float | None = None
    carbon_atoms: int | None = None
    oxygen_atoms: int | None = None

    @property
    def clean_burning(self) -> bool:
        """Whether the fuel burns with a clean, unobscured flame (LNG/methane, hydrogen, methanol,
        ethanol ...) rather than a smoky one (LPG, gasoline, aromatics ...).

        Soot yield rises with the number of carbon atoms and falls with the oxygen bound in the
        molecule (sooting tendency, e.g. Calcote & Manos 1983's threshold soot index; oxygenates
        soot far less). The rule: at most one carbon atom, or at least one oxygen atom for every two
        carbons. A fuel whose formula is unknown counts as smoky (the Mudan–Croce default)."""
        if self.carbon_atoms is None:
            return False
        if self.carbon_atoms <= 1:
            return True
        return (self.oxygen_atoms or 0) * 2 >= self.carbon_atoms

    def vapour_density_kg_m3(self, pressure_pa: float = 101_325.0) -> float | None:
        """Ideal-gas vapour density at the boiling point (used by the flame tilt and length)."""
        if self.molar_mass_kg_mol is None or self.boiling_point_k is None:
            return None
        return pressure_pa * self.molar_mass_kg_mol / (GAS_CONSTANT_J_MOL_K * self.boiling_point_k)


@dataclass(frozen=True, slots=True)
class _TableRow:
    name: str
    cas: str
    burning_rate_inf_kg_m2_s: float
    heat_of_combustion_j_kg: float
    k_beta_per_m: float


@functools.cache
def _pool_fire_table() -> tuple[_TableRow, ...]:
    text = resources.files("chempark.consequence").joinpath("data/pool_fire_fuels.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines):
        rows.append(
            _TableRow(
                name=record["name"].strip().lower(),
                cas=record["cas"].strip(),
                burning_rate_inf_kg_m2_s=float(record["burning_rate_inf_kg_m2_s"]),
                heat_of_combustion_j_kg=float(record["heat_of_combustion_kj_kg"]) * 1e3,
                k_beta_per_m=float(record["k_beta_per_m"]),
            )
        )
    return tuple(rows)


def _table_lookup(key: str) -> _TableRow | None:
    wanted = key.strip().lower()
    for row in _pool_fire_table():
        if wanted in (row.name, row.cas):
            return row
    return None


def _chemicals_properties(cas: str) -> dict[str, float | int | None]:
    """Pure-substance properties from ``chemicals``; raises if the CAS is unknown or not a fuel."""
    import chemicals
    from chemicals import combustion, heat_capacity, phase_change
    from chemicals.elements import simple_formula_parser

    try:
        molar_mass_g_mol = chemicals.MW(cas)
        formula = chemicals.search_chemical(cas).formula
    except Exception as exc:  # chemicals raises bare Exception/ValueError for unknown identifiers
        raise ConsequenceInputError(f"unknown fuel CAS {cas!r}") from exc
    heat_of_formation = chemicals.Hfg(cas)
    if heat_of_formation is None:
        raise ConsequenceInputError(f"no heat of formation for {cas!r}; give heat_of_combustion_j_kg")
    data = combustion.combustion_data(formula, Hf=heat_of_formation, MW=molar_mass_g_mol)
    if data.LHV is None or data.LHV >= 0.0:
        raise ConsequenceInputError(f"{cas!r} is not combustible")
    molar_mass = molar_mass_g_mol / 1000.0
    atoms = simple_formula_parser(formula)
    boiling = chemicals.Tb(cas)
    critical_t, critical_p = chemicals.Tc(cas), chemicals.Pc(cas)
    heat_vap = None
    if boiling is not None and critical_t is not None and critical_p is not None:
        heat_vap = phase_change.Riedel(boiling, critical_t, critical_p) / molar_mass
    cp_liquid = None
    for table in (heat_capacity.Cp_data_Poling, heat_capacity.CRC_standard_data):
        if cas in table.index:
            value = table.at[cas, "Cpl"]
            if value is not None and not math.isnan(float(value)):
                cp_liquid = float(value) / molar_mass
                break
    if cp_liquid is None and boiling is not None:
        # acrylonitrile: only Perry's Table 2-153 has its liquid cp (taken at the boiling point)
        cp_liquid = source.perry_liquid_heat_capacity_j_kg_k(cas, float(boiling), molar_mass)
    return {
        "heat_of_combustion_j_kg": -float(data.LHV) / molar_mass,
        "molar_mass_kg_mol": molar_mass,
        "boiling_point_k": float(boiling) if boiling is not None else None,
        "heat_of_vaporisation_j_kg": heat_vap,
        "liquid_heat_capacity_j_kg_k": cp_liquid,
        "carbon_atoms": atoms.get("C", 0),
        "oxygen_atoms": atoms.get("O", 0),
    }


def _mixture_fuel(found: mixtures.Mixture) -> dict[str, float | int | None]:
    """A tabulated mixture's figures (:mod:`mixtures`), the gaps filled from its representative."""
    stand_in = _chemicals_properties(found.representative_cas) if found.representative_cas else {}
    own: dict[str, float | int | None] = {
        "heat_of_combustion_j_kg": found.heat_of_combustion_j_kg,
        "molar_mass_kg_mol": None if found.molar_mass_g_mol is None else found.molar_mass_g_mol / 1000.0,
        "boiling_point_k": found.boiling_point_k,
        "heat_of_vaporisation_j_kg": found.heat_of_vaporisation_j_kg,
        "liquid_heat_capacity_j_kg_k": found.liquid_heat_capacity_j_kg_k,
        "carbon_atoms": None,
        "oxygen_atoms": None,
    }
    return {key: value if value is not None else stand_in.get(key) for key, value in own.items()}


@functools.cache
def fuel_properties(fuel: str) -> FuelProperties:
    """Properties of a fuel named by CAS number ("71-43-2") or by a name in the pool-fire table
    ("gasoline"). A mixture ``chemicals`` lacks (gasoline 86290-81-5, LPG 68476-85-7...) takes its
    figures from :mod:`mixtures` and its burning data from its pool-fire row. Raises
    :class:`ConsequenceInputError` for an unknown fuel."""
    if not isinstance(fuel, str) or not fuel.strip():
        raise ConsequenceInputError("fuel must be a CAS number or a fuel name")
    row = _table_lookup(fuel)
    found = mixtures.mixture(fuel) or (mixtures.mixture(row.cas) if row is not None and row.cas else None)
    if row is None and found is not None and found.pool_fire_fuel:
        row = _table_lookup(found.pool_fire_fuel)
    cas = fuel.strip() if _looks_like_cas(fuel) else (row.cas if row is not None and row.cas else None)
    pure: dict[str, float | int | None] = {}
    if found is not None:
        pure = _mixture_fuel(found)
        if pure["heat_of_combustion_j_kg"] is None and row is None:
            raise ConsequenceInputError(f"no heat of combustion known for {fuel!r}")
    elif cas is not None:
        try:
            pure = _chemicals_properties(cas)
        except ConsequenceInputError:
            if row is None:
                raise
    if row is None and not pure:
        raise ConsequenceInputError(f"unknown fuel {fuel!r}")
    # The pool-fire row's effective heat of combustion (measured on burning pools) before a
    # tabulated lower heating value.
    heat = row.heat_of_combustion_j_kg if row is not None else pure["heat_of_combustion_j_kg"]
    assert heat is not None  # one of the sources provided it
    return FuelProperties(
        name=row.name if row is not None else found.name if found is not None else fuel.strip(),
        cas=cas,
        heat_of_combustion_j_kg=heat,
        molar_mass_kg_mol=pure.get("molar_mass_kg_mol"),
        boiling_point_k=pure.get("boiling_point_k"),
        heat_of_vaporisation_j_kg=pure.get("heat_of_vaporisation_j_kg"),
        liquid_heat_capacity_j_kg_k=pure.get("liquid_heat_capacity_j_kg_k"),
        burning_rate_inf_kg_m2_s=row.burning_rate_inf_kg_m2_s if row is not None else None,
        k_beta_per_m=row.k_beta_per_m if row is not None else None,
        carbon_atoms=_count(pure.get("carbon_atoms")),
        oxygen_atoms=_count(pure.get("oxygen_atoms")),
    )


def _count(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def heat_of_combustion_j_kg(fuel: str) -> float:
    """Lower heat of combustion (J/kg) of a fuel named by CAS number or table name."""
    return fuel_properties(fuel).heat_of_combustion_j_kg


def _looks_like_cas(text: str) -> bool:
    parts = text.strip().split("-")
    return len(parts) == 3 and all(part.isdigit() for part in parts)
