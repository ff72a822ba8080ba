"""Gas-detector readings (%LEL of a combustible gas, ppm by volume of a toxic gas) as mass
concentrations in g/m³, the unit of the dispersion model.

* ppm (by volume, ideal gas): c [g/m³] = ppm × 10⁻⁶ × p M / (R T), p the air pressure (1 atm
  unless the site's is given: at altitude the same ppm is fewer grams per m³).
* %LEL: the volume fraction is %LEL / 100 × LFL, LFL the lower flammability limit as a volume
  fraction (from the ``chemicals`` package, ChEDL, by CAS number); then as ppm.

Combustible-gas detectors are usually calibrated on methane; when a detector names no chemical the
platform reads its %LEL as methane (:data:`REFERENCE_LEL_CAS`). A ppm reading without a chemical is
read with the molar mass of air (:data:`NOMINAL_MOLAR_MASS_G_MOL`): the fitted position does not
depend on that scale (it shifts only ln rate), but the rate is then nominal.
"""

from __future__ import annotations

import functools
import math
from typing import Final

from chempark.consequence import mixtures
from chempark.consequence.errors import ConsequenceInputError

GAS_CONSTANT_J_MOL_K: Final[float] = 8.314462618
ATMOSPHERE_PA: Final[float] = 101_325.0
REFERENCE_LEL_CAS: Final[str] = "74-82-8"  # methane, the usual calibration gas
NOMINAL_MOLAR_MASS_G_MOL: Final[float] = 28.96  # dry air


def pressure_at_altitude_pa(altitude_m: float) -> float:
    """Mean air pressure at a site's altitude, ICAO standard atmosphere (troposphere):
    p = 101 325·(1 − 2.25577×10⁻⁵·h)^5.25588 Pa, h in metres (ISO 2533). 1 000 m: 89.9 kPa."""
    if isinstance(altitude_m, bool) or not -500.0 <= altitude_m <= 11_000.0:
        raise ConsequenceInputError(f"altitude_m must be between -500 and 11000 m, got {altitude_m!r}")
    return float(ATMOSPHERE_PA * (1.0 - 2.25577e-5 * altitude_m) ** 5.25588)


@functools.cache
def lower_flammability_limit(cas: str) -> float:
    """LFL of a substance as a volume fraction (methane 0.044), from the ``chemicals`` package, or
    for a mixture it lacks from :mod:`chempark.consequence.mixtures` (table, else representative)."""
    from chemicals.safety import LFL

    found = mixtures.mixture(cas)
    if found is not None:
        if found.lfl_volume_fraction is not None:
            return found.lfl_volume_fraction
        if found.representative_cas is not None:
            return lower_flammability_limit(found.representative_cas)
        raise ConsequenceInputError(f"no lower flammability limit known for CAS {cas!r}")
    try:
        value = LFL(CASRN=cas)
    except (ValueError, KeyError) as exc:
        raise ConsequenceInputError(f"no lower flammability limit known for CAS {cas!r}") from exc
    if value is None or not 0.0 < float(value) < 1.0:
        raise ConsequenceInputError(f"no lower flammability limit known for CAS {cas!r}")
    return float(value)


def ppm_to_g_m3(
    ppm: float, molar_mass_g_mol: float, temperature_k: float = 293.15, pressure_pa: float = ATMOSPHERE_PA
) -> float:
    """Volume ppm → g/m³ (ideal gas at the air pressure ``pressure_pa``)."""
    if not (math.isfinite(ppm) and ppm >= 0.0):
        raise ConsequenceInputError("ppm must be a finite number >= 0")
    if not (molar_mass_g_mol > 0.0 and temperature_k > 0.0 and pressure_pa > 0.0):
        raise ConsequenceInputError("molar mass, temperature and pressure must be > 0")
    return ppm * 1e-6 * pressure_pa * molar_mass_g_mol / (GAS_CONSTANT_J_MOL_K * temperature_k)


def lel_percent_to_g_m3(
    percent_lel: float,
    lfl_fraction: float,
    molar_mass_g_mol: float,
    temperature_k: float = 293.15,
    pressure_pa: float = ATMOSPHERE_PA,
) -> float:
    """%LEL → g/m³: volume fraction %LEL/100 × LFL, then as ppm."""
    if not (math.isfinite(percent_lel) and percent_lel >= 0.0):
        raise ConsequenceInputError("%LEL must be a finite number >= 0")
    if not 0.0 < lfl_fraction < 1.0:
        raise ConsequenceInputError("LFL must be a volume fraction between 0 and 1")
    return ppm_to_g_m3(percent_lel / 100.0 * lfl_fraction * 1e6, molar_mass_g_mol, temperature_k, pressure_pa)
