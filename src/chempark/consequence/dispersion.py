"""Passive (neutrally buoyant) dispersion: the Gaussian plume and the Gaussian puff.

A *plume* is a steady release (a leaking flange, an evaporating pool) seen by a receptor long enough
to reach a steady concentration; a *puff* is an instantaneous release (a ruptured cylinder) that
drifts past. Both treat the gas as a passive tracer, which is only right once the cloud is no denser
than air: use :mod:`chempark.consequence.dense_gas` (Britter–McQuaid) before that, and
:func:`select_dispersion_model` to decide.

Coordinates: the source is at (0, 0) on the ground; x runs downwind, y crosswind, z up (m).
Concentrations are in g/m³ from rates in g/s (plume) or masses in g (puff).

Sources
-------
* Turner, D.B. (1970) *Workbook of Atmospheric Dispersion Estimates*, AP-26, eq. 3.1 (plume with
  ground reflection).
* US EPA (1995) ISC3 User's Guide Vol. II, EPA-454/B-95-003b, eqs. 1-1, 1-50 to 1-54: vertical
  term with multiple reflections between the ground and the mixing lid, and the uniform-mixing limit
  for σz > 1.6 zi.
* CCPS (2000) *Guidelines for Chemical Process Quantitative Risk Analysis*, 2nd ed., §2.1.3, and
  Crowl & Louvar (2011) *Chemical Process Safety*, 3rd ed., eq. 5-38 (puff) with Slade (1968)
  puff dispersion coefficients (Table 5-4 there).
"""

from __future__ import annotations

import math
from typing import Final, Literal

import numpy as np

from chempark.consequence import weather
from chempark.consequence._checks import FloatArray, as_float_array, non_negative, positive
from chempark.consequence.dense_gas import Selection, select_dispersion_model
from chempark.consequence.errors import ConsequenceInputError

__all__ = [
    "GAUSSIAN_MIN_WIND_M_S",
    "GAUSSIAN_VALID_DISTANCE_M",
    "Selection",
    "gaussian_plume_concentration_g_m3",
    "gaussian_puff_concentration_g_m3",
    "gaussian_puff_peak_concentration_g_m3",
    "plume_validity_warnings",
    "puff_dispersion_coefficients",
    "select_dispersion_model",
    "vertical_term",
]

GAUSSIAN_MIN_WIND_M_S: Final[float] = 1.0
"""Below about 1 m/s the plume meanders and the Gaussian steady-state picture does not hold
(ISC3 floors the wind at 1 m/s; ALOHA warns below 3 mph ≈ 1.3 m/s)."""

GAUSSIAN_VALID_DISTANCE_M: Final[tuple[float, float]] = (100.0, 10_000.0)
"""Range over which the Pasquill–Gifford curves were fitted and are normally quoted as valid."""

_REFLECTION_IMAGES: Final[int] = 4  # terms beyond 4 images are < 1e-5 before the uniform limit


def _receptors(
    x_m: float | FloatArray, y_m: float | FloatArray, z_m: float | FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    x = as_float_array(x_m, "x_m")
    y = as_float_array(y_m, "y_m")
    z = as_float_array(z_m, "z_m")
    if np.any(z < 0.0):
        raise ConsequenceInputError("z_m (receptor height) must be >= 0")
    try:
        bx, by, bz = np.broadcast_arrays(x, y, z)
    except ValueError as exc:
        raise ConsequenceInputError("x_m, y_m and z_m must have the same shape") from exc
    return bx.astype(np.float64), by.astype(np.float64), bz.astype(np.float64)


def _check_wind(wind_speed_m_s: float) -> float:
    wind = positive(wind_speed_m_s, "wind_speed_m_s")
    if wind < GAUSSIAN_MIN_WIND_M_S:
        raise ConsequenceInputError(
            f"wind_speed_m_s {wind:g} is below {GAUSSIAN_MIN_WIND_M_S:g} m/s, where the Gaussian model "
            "does not apply (calm, meandering plume)"
        )
    return wind


def _mixing_height(mixing_height_m: float | None, stability: weather.StabilityClass, release_height_m: float) -> float:
    if mixing_height_m is None:
        lid = weather.default_mixing_height_m(stability)
    elif isinstance(mixing_height_m, float) and math.isinf(mixing_height_m) and mixing_height_m > 0:
        lid = math.inf
    else:
        lid = positive(mixing_height_m, "mixing_height_m")
    if release_height_m >= lid:
        raise ConsequenceInputError(
            f"release_height_m {release_height_m:g} is at or above the mixing height {lid:g} m; "
            "the ground-level plume model does not apply"
        )
    return lid


def vertical_term(
    z_m: FloatArray, release_height_m: float, sigma_z_m: FloatArray, mixing_height_m: float
) -> FloatArray:
    """Vertical factor V of the plume equation (ISC3 Vol. II eq. 1-50): the source and its images
    reflected by the ground and by the mixing lid, with V = √(2π) σz / zi once σz > 1.6 zi
    (the plume is then well mixed through the layer, eq. 1-54). Infinite ``mixing_height_m``
    leaves only the ground reflection (Turner 1970 eq. 3.1)."""
    h = release_height_m
    zi = mixing_height_m
    value = np.exp(-0.5 * ((z_m - h) / sigma_z_m) ** 2) + np.exp(-0.5 * ((z_m + h) / sigma_z_m) ** 2)
    if math.isinf(zi):
        return np.asarray(value, dtype=np.float64)
    for i in range(1, _REFLECTION_IMAGES + 1):
        for image_height in (2.0 * i * zi - h, 2.0 * i * zi + h):
            value = value + np.exp(-0.5 * ((z_m - image_height) / sigma_z_m) ** 2)
            value = value + np.exp(-0.5 * ((z_m + image_height) / sigma_z_m) ** 2)
    uniform = math.sqrt(2.0 * math.pi) * sigma_z_m / zi
    return np.asarray(np.where(sigma_z_m > 1.6 * zi, uniform, value), dtype=np.float64)


def gaussian_plume_concentration_g_m3(
    rate_g_s: float,
    x_m: float | FloatArray,
    y_m: float | FloatArray,
    z_m: float | FloatArray,
    *,
    wind_speed_m_s: float,
    release_height_m: float,
    stability: weather.StabilityClass,
    scheme: weather.SigmaScheme = weather.DEFAULT_SIGMA_SCHEME,
    terrain: weather.Terrain = "rural",
    mixing_height_m: float | None = None,
) -> FloatArray:
    """Steady Gaussian plume concentration (g/m³) at receptors (x downwind, y crosswind, z up).

    C = Q / (2π u σy σz) · exp(−y² / 2σy²) · V(z; H, σz, zi)   (Turner 1970 eq. 3.1; ISC3 eq. 1-1)

    ``wind_speed_m_s`` is the transport wind (see :func:`weather.transport_wind_speed_m_s`);
    ``mixing_height_m`` defaults to :func:`weather.default_mixing_height_m` for the class, and
    ``math.inf`` disables the lid. Receptors at x ≤ 0 (upwind) get 0. Arrays broadcast together.
    """
    rate = non_negative(rate_g_s, "rate_g_s")
    wind = _check_wind(wind_speed_m_s)
    height = non_negative(release_height_m, "release_height_m")
    lid = _mixing_height(mixing_height_m, weather.parse_stability(stability), height)
    x, y, z = _receptors(x_m, y_m, z_m)
    concentration = np.zeros(x.shape, dtype=np.float64)
    downwind = x > 0.0
    if not np.any(downwind):
        return concentration
    sigma_y, sigma_z = weather.dispersion_coefficients(x[downwind], stability, scheme=scheme, terrain=terrain)
    crosswind = np.exp(-0.5 * (y[downwind] / sigma_y) ** 2)
    vertical = vertical_term(z[downwind], height, sigma_z, lid)
    concentration[downwind] = rate / (2.0 * math.pi * wind * sigma_y * sigma_z) * crosswind * vertical
    return concentration


# --- instantaneous release ------------------------------------------------------------------------

PuffSigmaScheme = Literal["slade", "plume"]

# Slade (1968) puff coefficients as given in CCPS (2000) and Crowl & Louvar Table 5-4:
# sigma_x = sigma_y = a x^b, sigma_z = c x^d with x the distance travelled (m).
_SLADE_PUFF: Final[dict[weather.StabilityClass, tuple[float, float, float, float]]] = {
    "A": (0.18, 0.92, 0.60, 0.75),
    "B": (0.14, 0.92, 0.53, 0.73),
    "C": (0.10, 0.92, 0.34, 0.71),
    "D": (0.06, 0.92, 0.15, 0.70),
    "E": (0.04, 0.92, 0.10, 0.65),
    "F": (0.02, 0.89, 0.05, 0.61),
}


def puff_dispersion_coefficients(
    travel_distance_m: float | FloatArray,
    stability: weather.StabilityClass,
    *,
    scheme: PuffSigmaScheme = "slade",
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(σx, σy, σz) in metres of a puff that has travelled ``travel_distance_m`` (> 0).

    ``"slade"``: Slade (1968) instantaneous-release coefficients (CCPS 2000; Crowl & Louvar
    Table 5-4), σx = σy. ``"plume"``: the default plume σ with σx = σy, a common simplification
    that over-spreads a short puff.
    """
    x = as_float_array(travel_distance_m, "travel_distance_m")
    if np.any(x <= 0.0):
        raise ConsequenceInputError("travel_distance_m must be > 0")
    cls = weather.parse_stability(stability)
    if scheme == "plume":
        sigma_y, sigma_z = weather.dispersion_coefficients(x, cls)
        return sigma_y, sigma_y, sigma_z
    if scheme != "slade":
        raise ConsequenceInputError(f"unknown puff sigma scheme {scheme!r}; expected 'slade' or 'plume'")
    a, b, c, d = _SLADE_PUFF[cls]
    sigma_y = np.asarray(a * x**b, dtype=np.float64)
    return sigma_y, sigma_y, np.asarray(c * x**d, dtype=np.float64)


def gaussian_puff_concentration_g_m3(
    mass_g: float,
    x_m: float | FloatArray,
    y_m: float | FloatArray,
    z_m: float | FloatArray,
    *,
    time_s: float,
    wind_speed_m_s: float,
    release_height_m: float,
    stability: weather.StabilityClass,
    scheme: PuffSigmaScheme = "slade",
    mixing_height_m: float | None = None,
) -> FloatArray:
    """Concentration (g/m³) of an instantaneous puff ``time_s`` seconds after release.

    C = M / ((2π)^{3/2} σx σy σz) · exp(−(x − u t)² / 2σx²) · exp(−y² / 2σy²) · V(z; H, σz, zi)
    (Crowl & Louvar eq. 5-38 with the ground and lid reflections of :func:`vertical_term`).
    σ are evaluated at the distance the puff centre has travelled, u·t.
    """
    mass = non_negative(mass_g, "mass_g")
    wind = _check_wind(wind_speed_m_s)
    elapsed = positive(time_s, "time_s")
    height = non_negative(release_height_m, "release_height_m")
    lid = _mixing_height(mixing_height_m, weather.parse_stability(stability), height)
    x, y, z = _receptors(x_m, y_m, z_m)
    travelled = wind * elapsed
    sigma_x, sigma_y, sigma_z = puff_dispersion_coefficients(travelled, stability, scheme=scheme)
    along = np.exp(-0.5 * ((x - travelled) / sigma_x) ** 2)
    crosswind = np.exp(-0.5 * (y / sigma_y) ** 2)
    vertical = vertical_term(z, height, np.broadcast_to(sigma_z, z.shape), lid)
    scale = mass / ((2.0 * math.pi) ** 1.5 * sigma_x * sigma_y * sigma_z)
    return np.asarray(scale * along * crosswind * vertical, dtype=np.float64)


def gaussian_puff_peak_concentration_g_m3(
    mass_g: float,
    x_m: float | FloatArray,
    y_m: float | FloatArray,
    z_m: float | FloatArray,
    *,
    wind_speed_m_s: float,
    release_height_m: float,
    stability: weather.StabilityClass,
    scheme: PuffSigmaScheme = "slade",
    mixing_height_m: float | None = None,
) -> FloatArray:
    """Highest concentration (g/m³) a receptor sees as the puff passes, taken when the puff
    centre is level with it (t = x/u, so σ are taken at the receptor distance x); this is what a
    threat zone for a puff release needs. The peak does not depend on the wind speed, which is still
    checked against the model's validity."""
    mass = non_negative(mass_g, "mass_g")
    _check_wind(wind_speed_m_s)
    height = non_negative(release_height_m, "release_height_m")
    lid = _mixing_height(mixing_height_m, weather.parse_stability(stability), height)
    x, y, z = _receptors(x_m, y_m, z_m)
    peak = np.zeros(x.shape, dtype=np.float64)
    downwind = x > 0.0
    if not np.any(downwind):
        return peak
    sigma_x, sigma_y, sigma_z = puff_dispersion_coefficients(x[downwind], stability, scheme=scheme)
    crosswind = np.exp(-0.5 * (y[downwind] / sigma_y) ** 2)
    vertical = vertical_term(z[downwind], height, sigma_z, lid)
    peak[downwind] = mass / ((2.0 * math.pi) ** 1.5 * sigma_x * sigma_y * sigma_z) * crosswind * vertical
    return peak


def plume_validity_warnings(x_m: FloatArray, wind_speed_m_s: float, stability: str) -> list[str]:
    """Plain-language warnings for results outside where the Gaussian model is trustworthy."""
    warnings: list[str] = []
    low, high = GAUSSIAN_VALID_DISTANCE_M
    x = np.asarray(x_m, dtype=np.float64)
    if np.any((x > 0.0) & (x < low)):
        warnings.append(f"receptors closer than {low:g} m: Pasquill-Gifford sigmas are extrapolated there")
    if np.any(x > high):
        warnings.append(f"receptors beyond {high / 1000:g} km: wind shifts and terrain dominate there")
    if np.any(x <= 0.0):
        warnings.append("receptors at or upwind of the source get zero concentration")
    if wind_speed_m_s < 2.0 and stability in ("E", "F"):
        warnings.append("low wind in stable air: the Gaussian model is least reliable here")
    return warnings
