"""Lethality functions for the QRA outcomes, built from the consequence models.

Each builder returns a :data:`~chempark.consequence.qra.model.LethalityFunction`: the probability
that an unprotected person outdoors at (downwind, crosswind) dies, for one weather class. The
criteria follow the Purple Book CPR18E ch. 5 for people outdoors:

* heat radiation: lethality 1 where q ≥ 35 kW/m², else the Green Book probit
  Y = −36.38 + 2.56·ln(q^(4/3)·t) with t = 20 s (escape) or the fireball duration;
* flash fire: lethality 1 inside the lower flammability limit contour, 0 outside;
* explosion: lethality 1 where the peak overpressure exceeds 0.3 bar (30 kPa), 0 elsewhere — or
  the Eisenberg lung-haemorrhage probit when ``criterion="probit"``;
* toxic cloud: the substance's lethality probit on the plume concentration held for the exposure
  time (30 min maximum in CPR18E).

The plume is the Gaussian model of :mod:`chempark.consequence.dispersion` (passive, neutral-density
gas); dense-gas behaviour near the source is not represented.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from chempark.consequence import dispersion, gas_units, probit, source, toxic
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.explosion import MultiEnergyExplosion, TntExplosion
from chempark.consequence.fire import Fireball, JetFire, PoolFire
from chempark.consequence.qra.model import LethalityFunction, WeatherClass

LETHAL_FLUX_W_M2 = 35.0e3
ESCAPE_EXPOSURE_S = 20.0
LETHAL_OVERPRESSURE_PA = 30.0e3


def thermal_lethality(flux_w_m2: FloatArray, exposure_s: float) -> FloatArray:
    """Purple Book outdoor heat-radiation lethality (see module docstring)."""
    flux = np.maximum(flux_w_m2, 0.0)
    with np.errstate(divide="ignore"):
        y = -36.38 + 2.56 * np.log(flux ** (4.0 / 3.0) * exposure_s)
    return np.asarray(np.where(flux >= LETHAL_FLUX_W_M2, 1.0, probit.probit_to_probability(y)), dtype=np.float64)


def pool_fire_lethality(pool: PoolFire, exposure_s: float = ESCAPE_EXPOSURE_S) -> LethalityFunction:
    """Ring-shaped lethality of a pool fire. The flame is taken vertical (the wind tilt is left out
    of the QRA so the outcome is independent of direction; conservative upwind, slightly optimistic
    downwind)."""
    vertical = PoolFire(
        diameter_m=pool.diameter_m,
        burning_rate_kg_m2_s=pool.burning_rate_kg_m2_s,
        flame_length_m=pool.flame_length_m,
        tilt_rad=0.0,
        surface_emissive_power_w_m2=pool.surface_emissive_power_w_m2,
        heat_release_w=pool.heat_release_w,
        water_partial_pressure_pa=pool.water_partial_pressure_pa,
        warnings=pool.warnings,
    )

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, _weather: WeatherClass) -> FloatArray:
        return thermal_lethality(vertical.flux_w_m2(downwind_m, crosswind_m), exposure_s)

    return lethality


def jet_fire_lethality(jet: JetFire, exposure_s: float = ESCAPE_EXPOSURE_S) -> LethalityFunction:
    """Lethality of a jet fire (directional when the jet is horizontal and points downwind)."""

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, _weather: WeatherClass) -> FloatArray:
        return thermal_lethality(jet.flux_w_m2(downwind_m, crosswind_m), exposure_s)

    return lethality


def fireball_lethality(ball: Fireball) -> LethalityFunction:
    """Ring-shaped lethality of a fireball, exposure = fireball duration."""

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, _weather: WeatherClass) -> FloatArray:
        return thermal_lethality(ball.flux_w_m2(downwind_m, crosswind_m), ball.duration_s)

    return lethality


def explosion_lethality(
    blast: TntExplosion | MultiEnergyExplosion, criterion: Literal["purple_book", "probit"] = "purple_book"
) -> LethalityFunction:
    """Ring-shaped lethality of an explosion centred on the release point."""

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, _weather: WeatherClass) -> FloatArray:
        pressure = blast.overpressure_pa(np.hypot(downwind_m, crosswind_m))
        if criterion == "probit":
            return probit.probit_to_probability(probit.lung_haemorrhage_death_probit(pressure))
        return np.asarray(np.where(pressure >= LETHAL_OVERPRESSURE_PA, 1.0, 0.0), dtype=np.float64)

    return lethality


def _plume_g_m3(
    rate_kg_s: float,
    release_height_m: float,
    downwind_m: FloatArray,
    crosswind_m: FloatArray,
    w: WeatherClass,
) -> FloatArray:
    return dispersion.gaussian_plume_concentration_g_m3(
        rate_kg_s * 1000.0,
        downwind_m,
        crosswind_m,
        0.0,
        wind_speed_m_s=w.wind_speed_m_s,
        release_height_m=release_height_m,
        stability=w.stability,
    )


def flash_fire_lethality(
    rate_kg_s: float, lower_flammability_limit_g_m3: float, release_height_m: float = 0.0
) -> LethalityFunction:
    """Lethality 1 inside the LFL contour of a continuous plume, 0 outside."""
    if not lower_flammability_limit_g_m3 > 0.0:
        raise ConsequenceInputError("lower_flammability_limit_g_m3 must be > 0")

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, w: WeatherClass) -> FloatArray:
        concentration = _plume_g_m3(rate_kg_s, release_height_m, downwind_m, crosswind_m, w)
        return np.asarray(np.where(concentration >= lower_flammability_limit_g_m3, 1.0, 0.0), dtype=np.float64)

    return lethality


def lower_flammability_limit_g_m3(
    cas: str, air_temperature_k: float = 293.15, air_pressure_pa: float = gas_units.ATMOSPHERE_PA
) -> float:
    """LFL as a mass concentration from the volume fraction: x·p·M/(R·T) (``chemicals``, or the
    mixture table for gasoline, LPG and the like: :mod:`chempark.consequence.mixtures`)."""
    fraction = gas_units.lower_flammability_limit(cas)
    molar_mass = source.molar_mass_g_mol(cas)
    return fraction * air_pressure_pa * molar_mass / (gas_units.GAS_CONSTANT_J_MOL_K * air_temperature_k)


def toxic_plume_lethality(
    rate_kg_s: float, cas: str, *, exposure_min: float = 30.0, release_height_m: float = 0.0
) -> LethalityFunction:
    """Probit lethality of a steady toxic plume held for ``exposure_min`` minutes."""
    molar_mass = toxic.molar_mass_g_mol(cas)
    toxic.probit_constants(cas)  # fail now, not inside the risk loop, if no probit is tabulated
    if not exposure_min > 0.0 or not math.isfinite(exposure_min):
        raise ConsequenceInputError("exposure_min must be > 0")

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, w: WeatherClass) -> FloatArray:
        concentration = _plume_g_m3(rate_kg_s, release_height_m, downwind_m, crosswind_m, w)
        ppm = toxic.mg_m3_to_ppm(concentration * 1000.0, molar_mass, w.air_temperature_k, w.air_pressure_pa)
        return toxic.probability_from_probit(toxic.toxic_probit(cas, ppm, exposure_min))

    return lethality


def puff_toxic_load_ppm_n_min(
    mass_kg: float,
    cas: str,
    downwind_m: FloatArray,
    crosswind_m: FloatArray,
    w: WeatherClass,
    *,
    release_height_m: float = 0.0,
) -> FloatArray:
    """Toxic load L = ∫Cⁿ dt (ppmⁿ·min) of a passing Gaussian puff at ground level.

    As the puff passes a receptor at distance x its concentration is C(t) = Cp·exp(−(u t − x)²/2σx²)
    with Cp the peak (:func:`dispersion.gaussian_puff_peak_concentration_g_m3`) and σx taken at x,
    so ∫Cⁿ dt = Cpⁿ · σx · √(2π/n) / u (the Gaussian integral; toxic load after ten Berge et al.
    1986, the puff after Crowl & Louvar 2011 eq. 5-38 with Slade's σ as in CCPS 2000)."""
    constants = toxic.probit_constants(cas)
    molar_mass = toxic.molar_mass_g_mol(cas)
    x = np.asarray(downwind_m, dtype=np.float64)
    peak_g_m3 = dispersion.gaussian_puff_peak_concentration_g_m3(
        mass_kg * 1000.0,
        x,
        crosswind_m,
        0.0,
        wind_speed_m_s=w.wind_speed_m_s,
        release_height_m=release_height_m,
        stability=w.stability,
    )
    load = np.zeros(np.broadcast(x, np.asarray(crosswind_m)).shape, dtype=np.float64)
    reached = peak_g_m3 > 0.0
    if np.any(reached):
        sigma_x, _sigma_y, _sigma_z = dispersion.puff_dispersion_coefficients(
            np.broadcast_to(x, load.shape)[reached], w.stability
        )
        peak_ppm = toxic.mg_m3_to_ppm(peak_g_m3[reached] * 1000.0, molar_mass, w.air_temperature_k, w.air_pressure_pa)
        seconds = sigma_x * math.sqrt(2.0 * math.pi / constants.n) / w.wind_speed_m_s
        load[reached] = peak_ppm**constants.n * seconds / 60.0
    return load


def toxic_puff_lethality(mass_kg: float, cas: str, *, release_height_m: float = 0.0) -> LethalityFunction:
    """Probit lethality of the toxic load of an instantaneous release's puff (the catastrophic
    rupture of a vessel of liquefied toxic gas). The puff is passive (dense-gas slumping near the
    source is not represented, as for the plume)."""
    toxic.probit_constants(cas)  # fail now, not inside the risk loop, if no probit is tabulated
    if not mass_kg > 0.0 or not math.isfinite(mass_kg):
        raise ConsequenceInputError("mass_kg must be > 0")

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, w: WeatherClass) -> FloatArray:
        load = puff_toxic_load_ppm_n_min(mass_kg, cas, downwind_m, crosswind_m, w, release_height_m=release_height_m)
        return toxic.probability_from_probit(toxic.toxic_probit_from_load(cas, load))

    return lethality
