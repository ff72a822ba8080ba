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
