"""Dense-gas dispersion by the Britter–McQuaid workbook correlations, and the choice of model.

A cloud denser than air (chlorine, a cold ammonia or LPG release) slumps and spreads along the
ground, entraining less air than a passive plume, so the Gaussian model under-predicts its
concentrations near the source. Britter & McQuaid fitted dimensionless curves to the field trials
(Thorney Island, Maplin Sands, Burro, ...): the centre-line concentration ratio Cm/C0 as a function
of a scaled distance, for a family of buoyancy parameters α.

Continuous release (plume), with q0 the volume rate (m³/s) and g0' = g (ρ0 − ρa)/ρa:
    D = √(q0/u),  α = 0.2 log10(g0'² q0 / u⁵),  β = log10(x / D)
Instantaneous release (puff), with V0 the released volume (m³):
    α = 0.5 log10(g0' V0^(1/3) / u²),  β = log10(x / V0^(1/3))
u is the 10 m wind. For each curve Cm/C0 ∈ {0.1 … 0.002 (0.001 for puffs)} β(α) is piecewise
linear; we interpolate ln(Cm/C0) linearly in β between curves. Nearer than the first curve the
workbook's near-field forms are used (plume: C = 306 x'⁻²/(1 + 306 x'⁻²) for x' < 30; puff:
C = 3.24/(3.24 + x'²)); beyond the last curve the decay is continued with the slope of the last
segment (log–log). A non-isothermal release is corrected by C = C′/(C′ + (1 − C′)·T0/Ta), from the
mole and heat balance of the mixing (workbook §4.4; see :func:`temperature_corrected_fraction`).

When is a gas "dense"? (Britter & McQuaid 1988, §3.1 and §4.1): a continuous release when
(g0' q0 / (u³ D))^(1/3) ≥ 0.15, an instantaneous one when √(g0' V0^(1/3)) / u ≥ 0.2, and never
when ρ0 ≤ ρa. :func:`select_dispersion_model` applies these.

Sources: Britter, R.E. & McQuaid, J. (1988) *Workbook on the Dispersion of Dense Gases*, HSE
Contract Research Report 17/1988, Figs. 4.9 (plume) and 4.10 (puff); the curve approximations as
tabulated in CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases* §2.3.2 and in
EPA (1994) *User's Guide to TSCREEN*, EPA-454/B-94-023.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from scipy import optimize

from chempark.consequence._checks import FloatArray, as_float_array, positive
from chempark.consequence.errors import ConsequenceInputError

GRAVITY_M_S2: Final[float] = 9.80665
PLUME_CRITERION: Final[float] = 0.15
PUFF_CRITERION: Final[float] = 0.2

_Segments = tuple[tuple[float, float, float], ...]  # (alpha upper bound, slope, intercept)
# Plume curves: beta(alpha) per concentration ratio; constant segments have slope 0.
_PLUME_CURVES: Final[tuple[tuple[float, _Segments], ...]] = (
    (0.10, ((-0.55, 0.0, 1.75), (-0.14, 0.24, 1.88), (1.0, -0.50, 1.78))),
    (0.05, ((-0.68, 0.0, 1.92), (-0.29, 0.36, 2.16), (-0.18, 0.0, 2.06), (1.0, -0.56, 1.96))),
    (0.02, ((-0.69, 0.0, 2.08), (-0.31, 0.45, 2.39), (-0.16, 0.0, 2.25), (1.0, -0.54, 2.16))),
    (0.01, ((-0.70, 0.0, 2.25), (-0.29, 0.49, 2.59), (-0.20, 0.0, 2.45), (1.0, -0.52, 2.35))),
    (0.005, ((-0.67, 0.0, 2.40), (-0.28, 0.59, 2.80), (-0.15, 0.0, 2.63), (1.0, -0.49, 2.56))),
    (0.002, ((-0.69, 0.0, 2.60), (-0.25, 0.39, 2.87), (-0.13, 0.0, 2.77), (1.0, -0.50, 2.71))),
)
_PUFF_CURVES: Final[tuple[tuple[float, _Segments], ...]] = (
    (0.10, ((-0.44, 0.0, 0.70), (0.43, 0.26, 0.81), (1.0, 0.0, 0.93))),
    (0.05, ((-0.56, 0.0, 0.85), (0.31, 0.26, 1.00), (1.0, -0.12, 1.12))),
    (0.02, ((-0.66, 0.0, 0.95), (0.32, 0.36, 1.19), (1.0, -0.26, 1.38))),
    (0.01, ((-0.71, 0.0, 1.15), (0.37, 0.34, 1.39), (1.0, -0.38, 1.66))),
    (0.005, ((-0.52, 0.0, 1.48), (0.24, 0.26, 1.62), (1.0, -0.30, 1.75))),
    (0.002, ((0.27, 0.0, 1.83), (1.0, -0.32, 1.92))),
    (0.001, ((-0.10, 0.0, 2.075), (1.0, -0.27, 2.05))),
)
ALPHA_RANGE: Final[tuple[float, float]] = (-1.0, 1.0)


def _beta(segments: _Segments, alpha: float) -> float:
    for upper, slope, intercept in segments:
        if alpha <= upper:
            return slope * alpha + intercept
    _, slope, intercept = segments[-1]
    return slope * alpha + intercept


def reduced_gravity_m_s2(release_density_kg_m3: float, ambient_density_kg_m3: float) -> float:
    """g0' = g (ρ0 − ρa) / ρa."""
    rho0 = positive(release_density_kg_m3, "release_density_kg_m3")
    rho_a = positive(ambient_density_kg_m3, "ambient_density_kg_m3")
    return GRAVITY_M_S2 * (rho0 - rho_a) / rho_a


@dataclass(frozen=True)
class DenseGasResult:
    """Centre-line concentration (volume fraction) at each distance, and the fit parameters."""

    volume_fraction: FloatArray
    alpha: float
    length_scale_m: float
    outside_correlation: bool  # α outside [−1, 1] or a distance beyond the last curve


def _profile(
    x_scaled: FloatArray, alpha: float, curves: tuple[tuple[float, _Segments], ...], near_field: str
) -> tuple[FloatArray, bool]:
    ratios = np.array([ratio for ratio, _ in curves])
    betas = np.array([_beta(segments, alpha) for _, segments in curves])
    order = np.argsort(betas)
    betas, log_ratios = betas[order], np.log(ratios[order])
    if near_field == "plume":
        beta0 = math.log10(30.0)
        near = 306.0 / 30.0**2
        betas = np.concatenate([[beta0], betas])
        log_ratios = np.concatenate([[math.log(near / (1.0 + near))], log_ratios])
    beta = np.log10(np.maximum(x_scaled, 1e-12))
    result = np.interp(beta, betas, log_ratios)
    slope = (log_ratios[-1] - log_ratios[-2]) / (betas[-1] - betas[-2])
    far = beta > betas[-1]
    result = np.where(far, log_ratios[-1] + slope * (beta - betas[-1]), result)
    values = np.exp(result)
    first = beta < betas[0]
    if near_field == "plume":
        near_values = 306.0 * x_scaled**-2.0 / (1.0 + 306.0 * x_scaled**-2.0)
    else:
        near_values = np.maximum(3.24 / (3.24 + x_scaled**2), ratios.max())
    values = np.where(first, near_values, values)
    return np.minimum(values, 1.0), bool(np.any(far))


def temperature_corrected_fraction(
    curve_fraction: FloatArray, release_temperature_k: float, ambient_temperature_k: float
) -> FloatArray:
    """Mole (volume) fraction of released gas from the workbook's isothermal curve value C′.

    The curves give the *volume* dilution C′ = V0/(V0 + Va): released gas and entrained air each
    counted at their own initial temperature. Mixing ideal gases of equal molar heat capacity at
    constant pressure conserves that volume (heat balance: n0·T0 + na·Ta = (n0 + na)·T, so
    (n0 + na)·R·T/P = V0 + Va), so C′ is unchanged by the mixing; the mole balance then gives
    n0 ∝ V0/T0 and na ∝ Va/Ta, hence

        C = C′ / (C′ + (1 − C′)·T0/Ta)          (Britter & McQuaid 1988 §4.4)

    A cold release (T0 < Ta) is therefore *more* concentrated than the isothermal curve says, by
    up to Ta/T0 in the far field — the reason an LNG cloud reaches its LFL so far downwind. The
    inverse form C′ = C/(C + (1 − C)·Ta/T0) is what the CCPS worked example applies to the
    *target* concentration before reading the curves; both give the same distance.
    """
    t_ratio = positive(release_temperature_k, "release_temperature_k") / positive(
        ambient_temperature_k, "ambient_temperature_k"
    )
    fraction = np.asarray(curve_fraction, dtype=np.float64)
    return np.asarray(fraction / (fraction + (1.0 - fraction) * t_ratio), dtype=np.float64)


def _result(
    x_scaled: FloatArray,
    alpha: float,
    scale: float,
    kind: Literal["plume", "puff"],
    *,
    release_temperature_k: float,
    ambient_temperature_k: float,
) -> DenseGasResult:
    """Read the workbook curves at the scaled distances and correct for the release temperature."""
    curves = _PLUME_CURVES if kind == "plume" else _PUFF_CURVES
    fraction, far = _profile(x_scaled, alpha, curves, kind)
    corrected = temperature_corrected_fraction(fraction, release_temperature_k, ambient_temperature_k)
    outside = far or not ALPHA_RANGE[0] <= alpha <= ALPHA_RANGE[1]
    return DenseGasResult(corrected, alpha, scale, outside)


def _checked(
    distance_m: float | FloatArray,
    release_density_kg_m3: float,
    ambient_density_kg_m3: float,
    wind_speed_10m_m_s: float,
    passive_model: str,
) -> tuple[FloatArray, float, float]:
    """Distances, wind speed and reduced gravity g₀′, after the checks both release kinds share."""
    wind = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s")
    g0 = reduced_gravity_m_s2(release_density_kg_m3, ambient_density_kg_m3)
    if g0 <= 0.0:
        raise ConsequenceInputError(f"the release is not denser than air; use the {passive_model}")
    x = as_float_array(distance_m, "distance_m")
    if np.any(x <= 0.0):
        raise ConsequenceInputError("distance_m must be > 0")
    return x, wind, g0


def britter_mcquaid_plume(
    rate_kg_s: float,
    distance_m: float | FloatArray,
    *,
    release_density_kg_m3: float,
    ambient_density_kg_m3: float,
    wind_speed_10m_m_s: float,
    release_temperature_k: float,
    ambient_temperature_k: float,
) -> DenseGasResult:
    """Continuous dense-gas release: centre-line volume fraction at ground level (see module)."""
    volume_rate = positive(rate_kg_s, "rate_kg_s") / positive(release_density_kg_m3, "release_density_kg_m3")
    x, wind, g0 = _checked(
        distance_m, release_density_kg_m3, ambient_density_kg_m3, wind_speed_10m_m_s, "Gaussian plume"
    )
    scale = math.sqrt(volume_rate / wind)
    alpha = 0.2 * math.log10(g0**2 * volume_rate / wind**5)
    return _result(
        x / scale,
        alpha,
        scale,
        "plume",
        release_temperature_k=release_temperature_k,
        ambient_temperature_k=ambient_temperature_k,
    )


def britter_mcquaid_puff(
    mass_kg: float,
    distance_m: float | FloatArray,
    *,
    release_density_kg_m3: float,
    ambient_density_kg_m3: float,
    wind_speed_10m_m_s: float,
    release_temperature_k: float,
    ambient_temperature_k: float,
) -> DenseGasResult:
    """Instantaneous dense-gas release: peak centre-line volume fraction as the cloud passes."""
    volume = positive(mass_kg, "mass_kg") / positive(release_density_kg_m3, "release_density_kg_m3")
    x, wind, g0 = _checked(
        distance_m, release_density_kg_m3, ambient_density_kg_m3, wind_speed_10m_m_s, "Gaussian puff"
    )
    scale = volume ** (1.0 / 3.0)
    alpha = 0.5 * math.log10(g0 * scale / wind**2)
    return _result(
        x / scale,
        alpha,
        scale,
        "puff",
        release_temperature_k=release_temperature_k,
        ambient_temperature_k=ambient_temperature_k,
    )


ModelChoice = Literal["gaussian", "britter_mcquaid"]


@dataclass(frozen=True)
class Selection:
    """Which model to use, the criterion value and the reason in words."""

    model: ModelChoice
    criterion: float
    reason: str


def select_dispersion_model(
    *,
    release: Literal["continuous", "instantaneous"],
    amount: float,
    release_density_kg_m3: float,
    ambient_density_kg_m3: float,
    wind_speed_10m_m_s: float,
) -> Selection:
    """Dense-gas or passive? ``amount`` is kg/s (continuous) or kg (instantaneous).
    Britter & McQuaid (1988): continuous (g0' q0/(u³ D))^(1/3) ≥ 0.15, instantaneous
    √(g0' V0^(1/3))/u ≥ 0.2; a release no denser than air is always passive."""
    g0 = reduced_gravity_m_s2(release_density_kg_m3, ambient_density_kg_m3)
    wind = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s")
    volume = positive(amount, "amount") / release_density_kg_m3
    if g0 <= 0.0:
        return Selection("gaussian", 0.0, "release is not denser than air: passive Gaussian model")
    if release == "continuous":
        scale = math.sqrt(volume / wind)
        criterion = (g0 * volume / (wind**3 * scale)) ** (1.0 / 3.0)
        limit = PLUME_CRITERION
    elif release == "instantaneous":
        criterion = math.sqrt(g0 * volume ** (1.0 / 3.0)) / wind
        limit = PUFF_CRITERION
    else:
        raise ConsequenceInputError("release must be 'continuous' or 'instantaneous'")
    if criterion >= limit:
        return Selection("britter_mcquaid", criterion, f"dense-gas criterion {criterion:.3g} >= {limit:g}")
    return Selection("gaussian", criterion, f"dense-gas criterion {criterion:.3g} < {limit:g}: passive")


def distance_to_fraction_m(
    kind: Literal["plume", "puff"],
    amount: float,
    volume_fraction: float,
    *,
    release_density_kg_m3: float,
    ambient_density_kg_m3: float,
    wind_speed_10m_m_s: float,
    release_temperature_k: float,
    ambient_temperature_k: float,
    max_distance_m: float = 100_000.0,
) -> float:
    """Downwind distance (m) at which the centre-line volume fraction falls to ``volume_fraction``
    (the LFL, a toxic level in ppm × 10⁻⁶ ...); 0 when it is never reached, ``max_distance_m`` when
    it is still exceeded there. ``amount`` is kg/s (plume) or kg (puff). The workbook profile falls
    monotonically with distance, so the crossing is unique."""
    target = positive(volume_fraction, "volume_fraction")
    if target >= 1.0:
        raise ConsequenceInputError("volume_fraction must be below 1")
    model = britter_mcquaid_plume if kind == "plume" else britter_mcquaid_puff

    def log_excess(log_x: float) -> float:
        found = model(
            amount,
            math.exp(log_x),
            release_density_kg_m3=release_density_kg_m3,
            ambient_density_kg_m3=ambient_density_kg_m3,
            wind_speed_10m_m_s=wind_speed_10m_m_s,
            release_temperature_k=release_temperature_k,
            ambient_temperature_k=ambient_temperature_k,
        )
        return math.log(max(float(found.volume_fraction), 1e-300)) - math.log(target)

    low, high = math.log(1e-3), math.log(positive(max_distance_m, "max_distance_m"))
    if log_excess(low) < 0.0:
        return 0.0
    if log_excess(high) >= 0.0:
        return max_distance_m
    return math.exp(optimize.brentq(log_excess, low, high, xtol=1e-9))
