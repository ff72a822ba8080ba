"""Probit functions: dose → probit → probability of an effect (death, burns, eardrum rupture …).

A probit ``Y`` is a normal deviate shifted by 5, so the probability of the effect is Φ(Y − 5)
(Finney 1971, *Probit Analysis*; CCPS (2000) *Guidelines for Chemical Process Quantitative Risk
Analysis* §2.3.1 eq. 2.3.1; TNO Green Book CPR16E (1992) §1.4.2). Every probit below is the
published ``Y = a + b·ln(V)`` with ``V`` the causative variable in the units the source used; the
functions take SI inputs (W/m², s, Pa) and convert where a source used other units.

Thermal radiation
    The dose is ``t·q^(4/3)`` with ``q`` in W/m² and ``t`` in s (Eisenberg et al. 1975, *Vulnerability
    model*, US Coast Guard NTIS AD-A015-245; Crowl & Louvar (2011) *Chemical Process Safety* 3rd ed.
    Table 2-5; TNO Green Book CPR16E ch. 1).

Overpressure
    Peak side-on overpressure in Pa (Eisenberg et al. 1975, Crowl & Louvar Table 2-5), and the TNO
    Green Book pressure–impulse probits for lung damage, head impact and whole-body displacement
    (CPR16E ch. 2, as reproduced in Mannan (2005) *Lees' Loss Prevention* 3rd ed. §17.39 and Díaz
    Alonso et al. (2008) J. Hazard. Mater. 150:146–152).

The toxic probits live in :mod:`chempark.consequence.toxic`; they share :func:`probit_to_probability`.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from chempark.consequence._checks import FloatArray, as_float_array
from chempark.consequence.errors import ConsequenceInputError

ArrayIn = float | FloatArray


def _non_negative_array(value: ArrayIn, name: str) -> FloatArray:
    array = as_float_array(value, name)
    if np.any(array < 0.0):
        raise ConsequenceInputError(f"{name} must be >= 0")
    return array


def _log_or_floor(value: FloatArray) -> FloatArray:
    """ln(value), with ln(0) mapped to −inf without a warning (probit −inf → probability 0)."""
    with np.errstate(divide="ignore"):
        return np.asarray(np.log(value), dtype=np.float64)


def probit_to_probability(y: ArrayIn) -> FloatArray:
    """Probability of the effect for probit ``y``: P = Φ(y − 5) (Finney 1971; CCPS 2000 eq. 2.3.2).

    ``y`` may be ±inf (a zero dose gives −inf and probability 0).
    """
    array = np.asarray(y, dtype=np.float64)
    if np.any(np.isnan(array)):
        raise ConsequenceInputError("probit must not be NaN")
    return np.asarray(special.ndtr(array - 5.0), dtype=np.float64)


def probability_to_probit(probability: ArrayIn) -> FloatArray:
    """Inverse of :func:`probit_to_probability`: Y = 5 + Φ⁻¹(P)."""
    p = as_float_array(probability, "probability")
    if np.any((p < 0.0) | (p > 1.0)):
        raise ConsequenceInputError("probability must be between 0 and 1")
    return np.asarray(5.0 + special.ndtri(p), dtype=np.float64)


def thermal_dose(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Thermal dose t·q^(4/3) in (W/m²)^(4/3)·s (Eisenberg et al. 1975; CPR16E ch. 1)."""
    q = _non_negative_array(flux_w_m2, "flux_w_m2")
    t = _non_negative_array(exposure_s, "exposure_s")
    return np.asarray(t * q ** (4.0 / 3.0), dtype=np.float64)


def thermal_lethality_eisenberg(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Probit of death from thermal radiation, Y = −14.9 + 2.56 ln(t q^(4/3) / 10⁴).

    Eisenberg et al. (1975), fitted to nuclear-weapon burn data; Crowl & Louvar Table 2-5 ("burn
    deaths from flash fires").
    """
    dose = thermal_dose(flux_w_m2, exposure_s)
    return np.asarray(-14.9 + 2.56 * _log_or_floor(dose / 1.0e4), dtype=np.float64)


def thermal_lethality_tsao_perry(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Probit of death, Y = −12.8 + 2.56 ln(t q^(4/3) / 10⁴) (Tsao & Perry 1979, infrared correction
    of Eisenberg's nuclear data; Mannan 2005, Lees 3rd ed. ch. 16)."""
    dose = thermal_dose(flux_w_m2, exposure_s)
    return np.asarray(-12.8 + 2.56 * _log_or_floor(dose / 1.0e4), dtype=np.float64)


def thermal_lethality_green_book(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Probit of death for unprotected people, Y = −36.38 + 2.56 ln(q^(4/3) t).

    TNO Green Book CPR16E (1992) ch. 1, used by the Purple Book CPR18E (2005) §5.3 for QRA.
    """
    dose = thermal_dose(flux_w_m2, exposure_s)
    return np.asarray(-36.38 + 2.56 * _log_or_floor(dose), dtype=np.float64)


def first_degree_burn_probit(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Probit of first-degree burns, Y = −39.83 + 3.0186 ln(t q^(4/3)) (Eisenberg et al. 1975;
    Crowl & Louvar Table 2-5; CPR16E ch. 1)."""
    dose = thermal_dose(flux_w_m2, exposure_s)
    return np.asarray(-39.83 + 3.0186 * _log_or_floor(dose), dtype=np.float64)


def second_degree_burn_probit(flux_w_m2: ArrayIn, exposure_s: ArrayIn) -> FloatArray:
    """Probit of second-degree burns, Y = −43.14 + 3.0186 ln(t q^(4/3)) (Eisenberg et al. 1975;
    Crowl & Louvar Table 2-5; CPR16E ch. 1)."""
    dose = thermal_dose(flux_w_m2, exposure_s)
    return np.asarray(-43.14 + 3.0186 * _log_or_floor(dose), dtype=np.float64)


def lung_haemorrhage_death_probit(overpressure_pa: ArrayIn) -> FloatArray:
    """Probit of death from lung haemorrhage, Y = −77.1 + 6.91 ln(p°), p° peak overpressure in Pa
    (Eisenberg et al. 1975; Crowl & Louvar Table 2-5)."""
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    return np.asarray(-77.1 + 6.91 * _log_or_floor(p), dtype=np.float64)


def eardrum_rupture_probit(overpressure_pa: ArrayIn) -> FloatArray:
    """Probit of eardrum rupture, Y = −15.6 + 1.93 ln(p°), p° in Pa (Eisenberg et al. 1975;
    Crowl & Louvar Table 2-5)."""
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    return np.asarray(-15.6 + 1.93 * _log_or_floor(p), dtype=np.float64)


def structural_damage_probit(overpressure_pa: ArrayIn) -> FloatArray:
    """Probit of structural damage (to ordinary buildings), Y = −23.8 + 2.92 ln(p°), p° in Pa
    (Eisenberg et al. 1975; Crowl & Louvar Table 2-5)."""
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    return np.asarray(-23.8 + 2.92 * _log_or_floor(p), dtype=np.float64)


def glass_breakage_probit(overpressure_pa: ArrayIn) -> FloatArray:
    """Probit of window-glass breakage, Y = −18.1 + 2.79 ln(p°), p° in Pa (Eisenberg et al. 1975;
    Crowl & Louvar Table 2-5)."""
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    return np.asarray(-18.1 + 2.79 * _log_or_floor(p), dtype=np.float64)


def _pressure_impulse_probit(
    overpressure_pa: ArrayIn, impulse_pa_s: ArrayIn, pressure_term: float, impulse_term: float, slope: float
) -> FloatArray:
    """Y = 5 − slope·ln(pressure_term/p + impulse_term/(p·i)): the Green Book form for
    head impact and whole-body displacement."""
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    i = _non_negative_array(impulse_pa_s, "impulse_pa_s")
    with np.errstate(divide="ignore"):
        s = pressure_term / p + impulse_term / (p * i)
    return np.asarray(5.0 - slope * np.log(s), dtype=np.float64)


def lung_damage_death_probit_green_book(
    overpressure_pa: ArrayIn,
    impulse_pa_s: ArrayIn,
    *,
    ambient_pressure_pa: float = 101_325.0,
    body_mass_kg: float = 70.0,
) -> FloatArray:
    """Probit of death from lung damage, Y = 5 − 5.74 ln(4.2/P̄ + 1.3/ī).

    P̄ = p/P₀ (scaled overpressure), ī = i / (P₀^(1/2) m^(1/3)) (scaled impulse, m body mass).
    TNO Green Book CPR16E (1992) ch. 2; Díaz Alonso et al. (2008) eq. (6).
    """
    p = _non_negative_array(overpressure_pa, "overpressure_pa")
    i = _non_negative_array(impulse_pa_s, "impulse_pa_s")
    scaled_p = p / ambient_pressure_pa
    scaled_i = i / (ambient_pressure_pa**0.5 * body_mass_kg ** (1.0 / 3.0))
    with np.errstate(divide="ignore"):
        s = 4.2 / scaled_p + 1.3 / scaled_i
    return np.asarray(5.0 - 5.74 * np.log(s), dtype=np.float64)


def head_impact_death_probit_green_book(overpressure_pa: ArrayIn, impulse_pa_s: ArrayIn) -> FloatArray:
    """Probit of death from head impact, Y = 5 − 8.49 ln(2.43·10³/p + 4·10⁸/(p·i)), p in Pa, i in Pa·s
    (TNO Green Book CPR16E ch. 2; Díaz Alonso et al. 2008 eq. (4))."""
    return _pressure_impulse_probit(overpressure_pa, impulse_pa_s, 2.43e3, 4.0e8, 8.49)


def body_displacement_death_probit_green_book(overpressure_pa: ArrayIn, impulse_pa_s: ArrayIn) -> FloatArray:
    """Probit of death from whole-body displacement, Y = 5 − 2.44 ln(7.38·10³/p + 1.3·10⁹/(p·i))
    (TNO Green Book CPR16E ch. 2; Díaz Alonso et al. 2008 eq. (5))."""
    return _pressure_impulse_probit(overpressure_pa, impulse_pa_s, 7.38e3, 1.3e9, 2.44)
