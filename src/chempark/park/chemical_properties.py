"""Physical properties of a chemical by CAS, from the ``chemicals`` package (Caleb Bell's ChEDL).

Pure: no Django. Returns only what the package knows; the catalogue keeps what an editor typed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ChemicalProperties:
    name_en: str | None
    formula: str | None
    molar_mass_g_mol: float | None
    boiling_point_k: float | None
    critical_temperature_k: float | None
    critical_pressure_pa: float | None


def _finite(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


@lru_cache(maxsize=512)
def properties_for_cas(cas: str) -> ChemicalProperties | None:
    """Look ``cas`` up; ``None`` when the package does not know it."""
    import chemicals

    try:
        metadata = chemicals.identifiers.search_chemical(cas)
    except ValueError:
        return None
    return ChemicalProperties(
        name_en=metadata.common_name or None,
        formula=metadata.formula or None,
        molar_mass_g_mol=_finite(metadata.MW),
        boiling_point_k=_finite(chemicals.Tb(cas)),
        critical_temperature_k=_finite(chemicals.Tc(cas)),
        critical_pressure_pa=_finite(chemicals.Pc(cas)),
    )


def liquid_density_kg_m3(cas: str, temperature_k: float) -> float | None:
    """Density of the liquid at ``temperature_k`` (saturated, for a liquefied gas), or None.

    Perry's DIPPR-105 correlation (Perry's Chemical Engineers' Handbook, 8th ed., as tabulated in
    ``chemicals``) inside its temperature range: within a few per cent for polar liquids too
    (methanol 794, bromine 3,120, hydrogen fluoride 954 kg/m³ at 20 °C), where COSTALD is 8–15 %
    off. Otherwise the consequence models' density (COSTALD, or a tabulated mixture's figure).
    """
    from chemicals import MW
    from chemicals.dippr import EQ105
    from chemicals.volume import rho_data_Perry_8E_105_l

    from chempark.consequence import source
    from chempark.consequence.errors import ConsequenceInputError

    table = rho_data_Perry_8E_105_l
    if cas in table.index:
        row = table.loc[cas]
        if float(row["Tmin"]) <= temperature_k <= float(row["Tmax"]):
            mol_m3 = EQ105(
                temperature_k,
                float(row["C1"]),
                float(row["C2"]),
                float(row["C3"]),  # type: ignore[no-untyped-call]  # chemicals is untyped
                float(row["C4"]),
            )
            return float(mol_m3) * float(MW(cas)) / 1000.0
    try:
        return source.liquid_density_kg_m3(cas, temperature_k)
    except ConsequenceInputError:
        return None
