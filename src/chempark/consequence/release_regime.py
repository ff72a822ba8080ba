"""How a release behaves in the air: a steady plume, a passing puff or in between, dense or passive,
and the effective density of a flashing (two-phase) release.

**Duration.** A release of finite duration Td is a plume only where the cloud is still being fed
when it passes; farther away it is a puff.

* Dense gas (Britter & McQuaid 1988 §4.1; CCPS 1999 §2.3.2): at distance x the release is
  continuous when u·Td/x ≥ 2.5 and instantaneous when u·Td/x ≤ 0.6 (u the 10 m wind). Between the
  two the workbook computes both; here ln C is interpolated linearly in ln(u·Td/x) between the
  plume value (at 2.5) and the puff value of the whole mass (at 0.6), so the answer is continuous
  and equals each limit at its own end (:func:`continuity_weight`).
* Passive gas: the peak centre-line concentration of a Gaussian release of duration Td is the
  steady-plume value times erf(u·Td / (2√2·σx)), σx the along-wind spread (Palazzi, De Faveri,
  Fumarola & Ferraiolo 1982, Atmos. Environ. 16:2785; the integral of Gaussian puffs released over
  Td). Long releases (u·Td ≫ σx) recover the plume, short ones the puff of mass Q·Td
  (:func:`finite_duration_factor`). σx is the Slade puff spread (σx = σy).

**Two-phase releases.** A pressurised liquefied gas (ammonia, chlorine, LPG, propylene) flashes as
it leaves the hole: a fraction f = Cp,l (T − Tb)/ΔHv turns to vapour at once and the rest breaks up
into droplets. Unflashed liquid up to as much again as the flash stays airborne as aerosol (the
common rule airborne = min(2f, 1), e.g. CCPS 1999 §2.2.3 and the UK HSE's use of it; the rest
rains out). The aerosol evaporates by taking heat from the air it entrains, which cools the mixture
well below the boiling point; the cloud is then denser than air even when the pure vapour is
lighter (ammonia, M = 17). :func:`flashing_cloud` finds the state where the last droplet has
evaporated: adiabatic mixing of the airborne mass (vapour and liquid at Tb) with dry air at Ta,

    m_air·cp,air·(Ta − T) + m_liq·cp,l·(Tb − T) = m_liq·ΔHv,   y(T) = p_sat(T)/p,

y the mole fraction of the released substance (the vapour is saturated when the last drop goes).
The sensible heat of the flashed vapour is neglected (a few per cent of the balance). The mixture's
density p·M_mix/(R·T) then goes into the dense-gas criterion, as ALOHA chooses its heavy-gas model
from the density of the released cloud.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
from scipy import optimize, special

from chempark.consequence import dense_gas, dispersion, weather
from chempark.consequence._checks import FloatArray, positive
from chempark.consequence.errors import ConsequenceInputError

CONTINUOUS_RATIO: Final[float] = 2.5
INSTANTANEOUS_RATIO: Final[float] = 0.6
AIR_HEAT_CAPACITY_J_KG_K: Final[float] = 1006.0
AIR_MOLAR_MASS_KG_MOL: Final[float] = 0.028964
GAS_CONSTANT: Final[float] = 8.314462618

CHOICE_CODES: Final[tuple[str, ...]] = (
    "passive_plume",
    "passive_finite_duration",
    "passive_puff",
    "dense_plume",
    "dense_transition",
    "dense_puff",
)
"""Every code :class:`DispersionChoice` may carry; never renumber or reuse one."""


@dataclass(frozen=True)
class DispersionChoice:
    """Which model made the zones and why. ``code`` is stable (one of :data:`CHOICE_CODES`), the
    platform shows its own text for it; ``message`` is the English sentence, ``params`` its figures."""

    model: Literal["gaussian", "britter_mcquaid"]
    code: str
    message: str
    params: dict[str, float | str] = field(default_factory=dict)


def continuity_weight(distance_m: FloatArray, wind_speed_10m_m_s: float, duration_s: float) -> FloatArray:
    """Weight of the plume (1) against the puff (0) at each distance, from u·Td/x (see module)."""
    ratio = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s") * positive(duration_s, "duration_s") / distance_m
    span = math.log(CONTINUOUS_RATIO) - math.log(INSTANTANEOUS_RATIO)
    weight = (np.log(ratio) - math.log(INSTANTANEOUS_RATIO)) / span
    return np.asarray(np.clip(weight, 0.0, 1.0), dtype=np.float64)


def blend(plume: FloatArray, puff: FloatArray, weight: FloatArray) -> FloatArray:
    """exp(w ln plume + (1 − w) ln puff): each limit where w is 1 or 0, log-linear between."""
    floor = 1e-300
    mixed = weight * np.log(np.maximum(plume, floor)) + (1.0 - weight) * np.log(np.maximum(puff, floor))
    return np.asarray(np.exp(mixed), dtype=np.float64)


def finite_duration_factor(
    distance_m: FloatArray, wind_speed_m_s: float, duration_s: float, stability: weather.StabilityClass
) -> FloatArray:
    """erf(u·Td/(2√2·σx)): the share of the steady-plume peak a release of duration Td reaches."""
    sigma_x = dispersion.puff_dispersion_coefficients(distance_m, stability)[0]
    length = positive(wind_speed_m_s, "wind_speed_m_s") * positive(duration_s, "duration_s")
    return np.asarray(special.erf(length / (2.0 * math.sqrt(2.0) * sigma_x)), dtype=np.float64)


@dataclass(frozen=True)
class CloudState:
    """The released cloud once its aerosol has evaporated (or the pure vapour when there is none)."""

    density_kg_m3: float
    temperature_k: float
    release_mole_fraction: float  # of the released substance in the cloud
    air_kg_per_kg: float  # dry air entrained per kg of airborne release
    molar_mass_kg_mol: float


def flashing_cloud(
    *,
    aerosol_fraction: float,
    molar_mass_kg_mol: float,
    boiling_point_k: float,
    heat_of_vaporisation_j_kg: float,
    liquid_heat_capacity_j_kg_k: float,
    ambient_temperature_k: float,
    ambient_pressure_pa: float,
    vapour_pressure_pa: Callable[[float], float],
) -> CloudState:
    """State of a flashing release's cloud when its aerosol has evaporated (see module).

    ``aerosol_fraction`` is the liquid share of the airborne mass (0 for a pure vapour, ½ under the
    2 × flash rule while 2f < 1)."""
    if not 0.0 <= aerosol_fraction < 1.0:
        raise ConsequenceInputError(f"aerosol_fraction must be in [0, 1), got {aerosol_fraction!r}")
    molar = positive(molar_mass_kg_mol, "molar_mass_kg_mol")
    boiling = positive(boiling_point_k, "boiling_point_k")
    pressure = positive(ambient_pressure_pa, "ambient_pressure_pa")
    ambient = positive(ambient_temperature_k, "ambient_temperature_k")
    if aerosol_fraction == 0.0:
        return CloudState(pressure * molar / (GAS_CONSTANT * boiling), boiling, 1.0, 0.0, molar)
    heat_needed = aerosol_fraction * positive(heat_of_vaporisation_j_kg, "heat_of_vaporisation_j_kg")
    cp_liquid = positive(liquid_heat_capacity_j_kg_k, "liquid_heat_capacity_j_kg_k")

    def air_for(temperature: float) -> tuple[float, float]:
        fraction = min(vapour_pressure_pa(temperature) / pressure, 1.0)
        return fraction, AIR_MOLAR_MASS_KG_MOL * (1.0 - fraction) / (fraction * molar)

    def balance(temperature: float) -> float:
        _, air = air_for(temperature)
        given = air * AIR_HEAT_CAPACITY_J_KG_K * (ambient - temperature)
        return given + aerosol_fraction * cp_liquid * (boiling - temperature) - heat_needed

    high = min(boiling, ambient) - 1e-6
    low = max(high - 150.0, 0.5 * boiling)
    try:
        temperature = optimize.brentq(balance, low, high, xtol=1e-6)
    except (ValueError, ArithmeticError) as exc:
        raise ConsequenceInputError("the aerosol's evaporation could not be balanced in the air") from exc
    fraction, air = air_for(temperature)
    mixture_molar = fraction * molar + (1.0 - fraction) * AIR_MOLAR_MASS_KG_MOL
    density = pressure * mixture_molar / (GAS_CONSTANT * temperature)
    return CloudState(density, temperature, fraction, air, mixture_molar)


Profile = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
"""Downwind distances → (centre-line concentration g/m³, crosswind σy m), as :mod:`zones` needs."""


def finite_duration_gaussian(
    plume: Profile, *, wind_speed_m_s: float, duration_s: float, stability: weather.StabilityClass
) -> Profile:
    """A steady Gaussian plume profile cut down to a release of ``duration_s`` (Palazzi et al. 1982)."""

    def profile(x_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        concentration, sigma_y = plume(x_m)
        factor = finite_duration_factor(x_m, wind_speed_m_s, duration_s, stability)
        return np.asarray(concentration * factor, dtype=np.float64), sigma_y

    return profile


def envelope(first: Profile, second: Profile) -> Profile:
    """The larger concentration and the larger σy of two profiles at each distance: the threat zone
    it gives contains both models' zones (w = σy·√(2 ln(C/C*)) grows with each).

    Used for a dense cloud: the workbook curves end at C/C0 = 0.002 (plume) or 0.001 (puff), where
    the cloud has become passive, and a toxic level in ppm lies far beyond them; there the passive
    Gaussian model from the same source governs, and nowhere is the zone shorter than either model's."""

    def profile(x_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        c1, s1 = first(x_m)
        c2, s2 = second(x_m)
        return np.maximum(c1, c2), np.maximum(s1, s2)

    return profile


@dataclass(frozen=True)
class DenseRelease:
    """A dense release as the workbook sees it: the cloud (after any aerosol has evaporated) fed at
    ``rate_kg_s`` of released substance for ``duration_s`` (None: steady), or ``mass_kg`` at once."""

    cloud: CloudState
    release_molar_mass_kg_mol: float
    rate_kg_s: float | None = None
    duration_s: float | None = None
    mass_kg: float | None = None


def _equivalent_sigma(half_width_m: FloatArray) -> FloatArray:
    """σy of the Gaussian with the same crosswind integral as a top-hat of this half-width."""
    return np.asarray(2.0 * half_width_m / math.sqrt(2.0 * math.pi), dtype=np.float64)


def dense_gas_profile(
    release: DenseRelease, *, wind_speed_10m_m_s: float, ambient_temperature_k: float, ambient_pressure_pa: float
) -> Profile:
    """Britter–McQuaid centre-line concentration (g/m³ of the released substance) and an equivalent
    σy, blending plume and puff by u·Td/x (see module). Widths: plume half-width
    L_H = D + 8·l_b + 2.5·(l_b·x²)^(1/3), l_b = g0′q0/u³ (workbook §4.3); puff radius
    R² = R0² + 1.2·√(g0′V0)·t with the cloud advected at 0.4·u (workbook §4.4), R0 = (V0/π)^(1/3)."""
    cloud = release.cloud
    wind = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s")
    air_density = ambient_pressure_pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT * ambient_temperature_k)
    g0 = dense_gas.reduced_gravity_m_s2(cloud.density_kg_m3, air_density)
    per_release = 1.0 + cloud.air_kg_per_kg  # kg of cloud per kg of released substance
    to_g_m3 = (
        cloud.release_mole_fraction
        * ambient_pressure_pa
        * release.release_molar_mass_kg_mol
        * 1000.0
        / (GAS_CONSTANT * ambient_temperature_k)
    )
    common = {
        "release_density_kg_m3": cloud.density_kg_m3,
        "ambient_density_kg_m3": air_density,
        "wind_speed_10m_m_s": wind,
        "release_temperature_k": cloud.temperature_k,
        "ambient_temperature_k": ambient_temperature_k,
    }
    mass = (
        release.mass_kg
        if release.mass_kg is not None
        else (
            None if release.duration_s is None or release.rate_kg_s is None else release.rate_kg_s * release.duration_s
        )
    )

    def profile(x_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        x = np.asarray(x_m, dtype=np.float64)
        plume_c = plume_w = puff_c = puff_w = np.zeros_like(x)
        if release.rate_kg_s is not None:
            rate = release.rate_kg_s * per_release
            plume_c = dense_gas.britter_mcquaid_plume(rate, x, **common).volume_fraction
            q0 = rate / cloud.density_kg_m3
            buoyancy = g0 * q0 / wind**3
            plume_w = _equivalent_sigma(math.sqrt(q0 / wind) + 8.0 * buoyancy + 2.5 * np.cbrt(buoyancy * x**2))
        if mass is not None:
            cloud_mass = mass * per_release
            puff_c = dense_gas.britter_mcquaid_puff(cloud_mass, x, **common).volume_fraction
            volume = cloud_mass / cloud.density_kg_m3
            radius = np.sqrt((volume / math.pi) ** (2.0 / 3.0) + 1.2 * math.sqrt(g0 * volume) * x / (0.4 * wind))
            puff_w = _equivalent_sigma(radius)
        if release.rate_kg_s is None:
            weight = np.zeros_like(x)
        elif mass is None:
            weight = np.ones_like(x)
        else:
            weight = continuity_weight(x, wind, positive(release.duration_s or 0.0, "duration_s"))
        concentration = blend(plume_c, puff_c, weight) * to_g_m3
        return concentration, np.asarray(weight * plume_w + (1.0 - weight) * puff_w, dtype=np.float64)

    return profile
