"""Toxic levels of concern, unit conversion, toxic load and toxic probits.

A *level of concern* is the concentration a threat zone is drawn for: AEGL-1/2/3 (US EPA/NRC Acute
Exposure Guideline Levels, for 10 min … 8 h), ERPG-1/2/3 (AIHA, 1 h) and PAC-1/2/3 (US DOE, the
AEGL, else ERPG, else TEEL). The table ``data/toxic_levels.csv`` holds only values confirmed from a
cited public source, one row per (chemical, level, duration) with its ``source`` and ``revision`` (the
edition of the values: AEGL final/interim and NRC volume, AIHA ERPG year, DOE PAC revision); chemicals
or levels not there are simply absent — add rows with their source rather than guess. A simulation
without named levels takes the first complete family in the order AEGL → ERPG → PAC
(:data:`chempark.consequence.accident.LEVEL_FAMILIES`), and every toxic chemical of the demo
catalogue has at least the DOE PAC family (``tests/consequence/test_toxic_catalogue.py``).

A *toxic probit* turns an exposure into a probability of death: Y = a + b ln(Cⁿ t), P = Φ(Y − 5)
(Finney 1971; CCPS 2000 *Guidelines for Chemical Process QRA* §2.3.1; Crowl & Louvar 2011
*Chemical Process Safety* 3rd ed. §2-6 and Table 2-5; TNO Green Book CPR 16E ch. 1). For a varying
concentration the dose is the toxic load ∫Cⁿ dt (ten Berge et al. 1986, J. Hazard. Mater. 13:301).
Constants are in ``data/toxic_probits.csv`` with the units their source used (ppm, min).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
from chemicals import MW
from scipy import special

from chempark.consequence._checks import FloatArray, as_float_array, positive
from chempark.consequence.errors import ConsequenceInputError

GAS_CONSTANT_J_MOL_K: Final[float] = 8.314462618
STANDARD_TEMPERATURE_K: Final[float] = 298.15
STANDARD_PRESSURE_PA: Final[float] = 101_325.0
_DATA_DIR: Final[Path] = Path(__file__).with_name("data")
LEVEL_NAMES: Final[tuple[str, ...]] = (
    "AEGL-1", "AEGL-2", "AEGL-3", "ERPG-1", "ERPG-2", "ERPG-3", "PAC-1", "PAC-2", "PAC-3",
)  # fmt: skip


@dataclass(frozen=True)
class LevelOfConcern:
    """One published toxic threshold for one chemical and exposure duration."""

    cas: str
    name: str
    level: str
    duration_min: float
    value_ppm: float
    source: str
    revision: str


@dataclass(frozen=True)
class ToxicProbit:
    """Probit constants Y = a + b ln(Cⁿ t) with C in ppm and t in minutes."""

    cas: str
    name: str
    a: float
    b: float
    n: float
    source: str


def _rows(filename: str) -> list[dict[str, str]]:
    with (_DATA_DIR / filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def _levels() -> tuple[LevelOfConcern, ...]:
    return tuple(
        LevelOfConcern(
            cas=row["cas"],
            name=row["name"],
            level=row["level"],
            duration_min=float(row["duration_min"]),
            value_ppm=float(row["value_ppm"]),
            source=row["source"],
            revision=row["revision"],
        )
        for row in _rows("toxic_levels.csv")
    )


@cache
def _probits() -> dict[str, ToxicProbit]:
    table: dict[str, ToxicProbit] = {}
    for row in _rows("toxic_probits.csv"):
        if row["concentration_unit"] != "ppm" or row["time_unit"] != "min":
            raise ConsequenceInputError(f"probit row for {row['cas']} must use ppm and min")
        table[row["cas"]] = ToxicProbit(
            row["cas"], row["name"], float(row["a"]), float(row["b"]), float(row["n"]), row["source"]
        )
    return table


def levels_of_concern(cas: str) -> list[LevelOfConcern]:
    """Every tabulated level for a CAS number (empty when none is confirmed)."""
    return [level for level in _levels() if level.cas == cas.strip()]


def level_of_concern(cas: str, level: str, duration_min: float = 60.0) -> LevelOfConcern:
    """The tabulated ``level`` (e.g. ``"AEGL-2"``) for ``duration_min`` minutes, or raise."""
    name = level.strip().upper()
    if name not in LEVEL_NAMES:
        raise ConsequenceInputError(f"unknown level {level!r}; expected one of {', '.join(LEVEL_NAMES)}")
    for entry in levels_of_concern(cas):
        if entry.level == name and entry.duration_min == duration_min:
            return entry
    raise ConsequenceInputError(f"no confirmed {name} ({duration_min:g} min) value for CAS {cas} in the table")


def molar_volume_m3_mol(
    temperature_k: float = STANDARD_TEMPERATURE_K, pressure_pa: float = STANDARD_PRESSURE_PA
) -> float:
    """Ideal-gas molar volume RT/p (0.0244654 m³/mol at 25 °C and 101.325 kPa)."""
    return GAS_CONSTANT_J_MOL_K * positive(temperature_k, "temperature_k") / positive(pressure_pa, "pressure_pa")


def ppm_to_mg_m3(
    ppm: float | FloatArray,
    molar_mass_g_mol: float,
    temperature_k: float = STANDARD_TEMPERATURE_K,
    pressure_pa: float = STANDARD_PRESSURE_PA,
) -> FloatArray:
    """mg/m³ = ppm · M / Vm, Vm the molar volume in L/mol (24.465 L/mol at 25 °C, 1 atm)."""
    volume_l_mol = molar_volume_m3_mol(temperature_k, pressure_pa) * 1000.0
    mass = positive(molar_mass_g_mol, "molar_mass_g_mol")
    return np.asarray(as_float_array(ppm, "ppm") * mass / volume_l_mol, dtype=np.float64)


def mg_m3_to_ppm(
    mg_m3: float | FloatArray,
    molar_mass_g_mol: float,
    temperature_k: float = STANDARD_TEMPERATURE_K,
    pressure_pa: float = STANDARD_PRESSURE_PA,
) -> FloatArray:
    """ppm = mg/m³ · Vm / M (inverse of :func:`ppm_to_mg_m3`)."""
    volume_l_mol = molar_volume_m3_mol(temperature_k, pressure_pa) * 1000.0
    mass = positive(molar_mass_g_mol, "molar_mass_g_mol")
    return np.asarray(as_float_array(mg_m3, "mg_m3") * volume_l_mol / mass, dtype=np.float64)


def molar_mass_g_mol(cas: str) -> float:
    """Molar mass from the ``chemicals`` package (g/mol), or raise for an unknown CAS number."""
    try:
        value = MW(cas.strip())
    except Exception as exc:  # chemicals raises several types for an unknown CAS
        raise ConsequenceInputError(f"unknown CAS number {cas!r}") from exc
    if value is None:
        raise ConsequenceInputError(f"no molar mass known for CAS {cas!r}")
    return float(value)


def toxic_load(concentration: FloatArray | list[float], time: FloatArray | list[float], n: float) -> float:
    """Toxic load ∫Cⁿ dt by the trapezoidal rule, in the units of the inputs (ten Berge et al. 1986)."""
    c = as_float_array(concentration, "concentration").ravel()
    t = as_float_array(time, "time").ravel()
    exponent = positive(n, "n")
    if c.shape != t.shape or c.size < 2:
        raise ConsequenceInputError("concentration and time need the same length, at least 2 points")
    if np.any(np.diff(t) < 0.0) or np.any(c < 0.0):
        raise ConsequenceInputError("time must be increasing and concentration >= 0")
    return float(np.trapezoid(c**exponent, t))


def probit_constants(cas: str) -> ToxicProbit:
    """Tabulated lethality probit for a CAS number, or raise."""
    try:
        return _probits()[cas.strip()]
    except KeyError:
        raise ConsequenceInputError(f"no toxic probit tabulated for CAS {cas}") from None


def toxic_probit(cas: str, concentration_ppm: float | FloatArray, exposure_min: float | FloatArray) -> FloatArray:
    """Y = a + b ln(Cⁿ t) for a steady concentration (ppm) held for ``exposure_min`` minutes."""
    constants = probit_constants(cas)
    c = as_float_array(concentration_ppm, "concentration_ppm")
    t = as_float_array(exposure_min, "exposure_min")
    if np.any(c < 0.0) or np.any(t < 0.0):
        raise ConsequenceInputError("concentration and exposure time must be >= 0")
    with np.errstate(divide="ignore"):
        dose_log = constants.n * np.log(c) + np.log(t)
    return np.asarray(constants.a + constants.b * dose_log, dtype=np.float64)


def toxic_probit_from_load(cas: str, load_ppm_n_min: float | FloatArray) -> FloatArray:
    """Y = a + b ln(L) for a toxic load L = ∫Cⁿ dt in ppmⁿ·min (varying concentration)."""
    constants = probit_constants(cas)
    load = as_float_array(load_ppm_n_min, "load_ppm_n_min")
    if np.any(load < 0.0):
        raise ConsequenceInputError("toxic load must be >= 0")
    with np.errstate(divide="ignore"):
        return np.asarray(constants.a + constants.b * np.log(load), dtype=np.float64)


def probability_from_probit(probit: float | FloatArray) -> FloatArray:
    """P = Φ(Y − 5), the standard normal distribution (Finney 1971; CCPS 2000 eq. 2.3.2)."""
    y = np.asarray(probit, dtype=np.float64)
    if np.any(np.isnan(y)):
        raise ConsequenceInputError("probit must not be NaN")
    return np.asarray(special.ndtr(y - 5.0), dtype=np.float64)
