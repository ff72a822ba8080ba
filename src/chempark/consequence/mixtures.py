"""Commercial mixtures the ``chemicals`` package has no record for: gasoline, diesel, mixed xylenes, LPG.

The registry holds these products under their own CAS numbers (汽油 86290-81-5, 柴油 68334-30-5,
二甲苯 1330-20-7, 液化石油气 68476-85-7), which ``chemicals`` does not know, so every model keyed by
CAS — source terms, LFL, fire — refused them and the QRA defaults skipped their tanks.
``data/mixture_properties.csv`` gives, for each, the figures the models need with the source of each
one; a figure the table leaves out comes from ``chemicals`` for the mixture's representative pure
component (m-xylene for mixed xylenes, propane for LPG). The lookups in :mod:`source`,
:mod:`gas_units`, :mod:`fuels` and the QRA go through :func:`mixture` first.

A mixture is not a pure substance: its boiling point is a range (the table takes the initial boiling
point), its vapour is lighter than its liquid and gets heavier as it weathers. One set of figures
per product is a screening simplification, stated with every figure's source in the table.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from importlib import resources

from chempark.consequence.errors import ConsequenceInputError

_FACTORS: dict[str, float] = {  # numeric property of the table → factor to SI
    "molar_mass_g_mol": 1.0,
    "boiling_point_k": 1.0,
    "liquid_density_kg_m3": 1.0,
    "heat_of_combustion_kj_kg": 1e3,
    "heat_of_vaporisation_kj_kg": 1e3,
    "liquid_heat_capacity_kj_kg_k": 1e3,
    "lfl_volume_fraction": 1.0,
    "vapour_pressure_kpa_20c": 1e3,
    "flash_point_k": 1.0,
}
_TEXTS = ("representative_cas", "pool_fire_fuel", "also_cas")
VAPOUR_PRESSURE_REFERENCE_K = 293.15


@dataclass(frozen=True)
class Mixture:
    """The tabulated figures of one mixture (SI units); None where the table gives none."""

    cas: str
    name: str
    representative_cas: str | None = None
    pool_fire_fuel: str | None = None
    molar_mass_g_mol: float | None = None
    boiling_point_k: float | None = None
    liquid_density_kg_m3: float | None = None
    heat_of_combustion_j_kg: float | None = None
    heat_of_vaporisation_j_kg: float | None = None
    liquid_heat_capacity_j_kg_k: float | None = None
    lfl_volume_fraction: float | None = None
    vapour_pressure_pa_20c: float | None = None
    flash_point_k: float | None = None
    also_cas: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def source_of(self, prop: str) -> str:
        """Where the table's figure for ``prop`` (a property name of the CSV) comes from."""
        return self.sources.get(prop, "")


@dataclass
class _Rows:
    name: str
    numbers: dict[str, float] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def build(self, cas: str) -> Mixture:
        n, t = self.numbers.get, self.texts
        return Mixture(
            cas=cas,
            name=self.name,
            representative_cas=t["representative_cas"][0] if "representative_cas" in t else None,
            pool_fire_fuel=t["pool_fire_fuel"][0] if "pool_fire_fuel" in t else None,
            molar_mass_g_mol=n("molar_mass_g_mol"),
            boiling_point_k=n("boiling_point_k"),
            liquid_density_kg_m3=n("liquid_density_kg_m3"),
            heat_of_combustion_j_kg=n("heat_of_combustion_kj_kg"),
            heat_of_vaporisation_j_kg=n("heat_of_vaporisation_kj_kg"),
            liquid_heat_capacity_j_kg_k=n("liquid_heat_capacity_kj_kg_k"),
            lfl_volume_fraction=n("lfl_volume_fraction"),
            vapour_pressure_pa_20c=n("vapour_pressure_kpa_20c"),
            flash_point_k=n("flash_point_k"),
            also_cas=tuple(t.get("also_cas", [])),
            sources=self.sources,
        )


def _parse(rows: list[dict[str, str]]) -> dict[str, Mixture]:
    """Table rows → one :class:`Mixture` per CAS number, every figure checked to be positive."""
    collected: dict[str, _Rows] = {}
    for line, row in enumerate(rows, start=2):
        cas, prop, raw = row["cas"].strip(), row["property"].strip(), row["value"].strip()
        entry = collected.setdefault(cas, _Rows(row["name"].strip()))
        entry.sources[prop] = row["source"].strip()
        if prop in _FACTORS:
            number = float(raw)
            if not number > 0.0:
                raise ConsequenceInputError(f"mixture_properties.csv line {line}: {prop} must be > 0")
            entry.numbers[prop] = number * _FACTORS[prop]
        elif prop in _TEXTS:
            entry.texts.setdefault(prop, []).append(raw)
        else:
            raise ConsequenceInputError(f"mixture_properties.csv line {line}: unknown property {prop!r}")
    return {cas: entry.build(cas) for cas, entry in collected.items()}


@functools.cache
def _table() -> dict[str, Mixture]:
    text = resources.files("chempark.consequence").joinpath("data/mixture_properties.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    by_cas = _parse(list(csv.DictReader(lines)))
    for found in list(by_cas.values()):
        for alias in found.also_cas:
            by_cas[alias] = found
    return by_cas


def mixture(cas: str) -> Mixture | None:
    """The tabulated mixture registered under ``cas`` (or one of its other CAS numbers), else None."""
    return _table().get(cas.strip()) if isinstance(cas, str) else None


def mixtures() -> tuple[Mixture, ...]:
    """Every tabulated mixture once."""
    return tuple({id(m): m for m in _table().values()}.values())
