"""Thermal radiation from a solid flame to a receptor: view factors and atmospheric transmissivity.

The "solid flame" model treats a fire as a grey surface of uniform surface emissive power E (W/m²);
the flux received is q = τ·E·F, with F the geometric view (configuration) factor from the flame
surface to a small target and τ the fraction of radiation the air transmits (TNO Yellow Book
CPR14E (2005) §6.5.5; CCPS (1999) *Guidelines for Consequence Analysis of Chemical
Releases* §3.4.2). This module holds the geometric and atmospheric pieces so the pool fire,
jet fire and fireball share them.

View factors are for the worst target orientation ("maximum view factor"), as in the Yellow Book
and SFPE handbook: a person or a tank wall facing the flame.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError

STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8


def water_vapour_partial_pressure_pa(relative_humidity: float, air_temperature_k: float) -> float:
    """Partial pressure of water in air, Pw = 101325·RH·exp(14.4114 − 5328/T) Pa.

    CCPS (1999) *Guidelines for Consequence Analysis* §3.4.2 — a Clausius–Clapeyron fit to the
    saturation pressure of water (within 1 % of steam tables between 0 and 40 °C).
    """
    if not 0.0 <= relative_humidity <= 1.0:
        raise ConsequenceInputError(f"relative_humidity must be between 0 and 1, got {relative_humidity:g}")
    if not 200.0 <= air_temperature_k <= 350.0:
        raise ConsequenceInputError(f"air_temperature_k must be between 200 and 350 K, got {air_temperature_k:g}")
    return 101_325.0 * relative_humidity * math.exp(14.4114 - 5328.0 / air_temperature_k)


def atmospheric_transmissivity(path_length_m: FloatArray | float, water_partial_pressure_pa: float) -> FloatArray:
    """Fraction of thermal radiation transmitted by humid air: τ = 2.02·(Pw·X)^(−0.09), capped at 1.

    Pietersen & Huerta (1985), TNO report 84-0222, as given in CCPS (1999) §3.4.2 and CCPS (2000)
    CPQRA §2.2; X is the path length from the flame surface to the receptor (m), Pw in Pa.
    Valid for 10⁴ < Pw·X < 10⁵ N/m; outside it the value is still bounded to [0, 1].
    """
    x = np.maximum(np.asarray(path_length_m, dtype=np.float64), 0.0)
    product = np.maximum(water_partial_pressure_pa * x, 1.0)
    return np.asarray(np.clip(2.02 * product ** (-0.09), 0.0, 1.0), dtype=np.float64)


def _safe_atan(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    return np.asarray(np.arctan2(numerator, denominator), dtype=np.float64)


def view_factor_vertical_cylinder(distance_m: FloatArray | float, radius_m: float, height_m: float) -> FloatArray:
    """Maximum view factor from a vertical cylinder (radius R, height H, base on the ground) to a
    ground-level target at horizontal distance ``distance_m`` from the cylinder axis.

    Mudan (1984) *Prog. Energy Combust. Sci.* 10:59, in the form of the SFPE Handbook (Beyler,
    "Fire hazard calculations for large, open hydrocarbon fires") and NUREG-1805 (2004) ch. 5:
    with h = H/R, S = L/R, A = (h² + S² + 1)/(2S), B = (1 + S²)/(2S),

        F_V = 1/(πS)·atan(h/√(S²−1)) − h/(πS)·atan(√((S−1)/(S+1)))
              + A·h/(πS√(A²−1))·atan(√((A+1)(S−1)/((A−1)(S+1))))
        F_H = (B − 1/S)/(π√(B²−1))·atan(√((B+1)(S−1)/((B−1)(S+1))))
              − (A − 1/S)/(π√(A²−1))·atan(√((A+1)(S−1)/((A−1)(S+1))))
        F_max = √(F_V² + F_H²).

    Receptors inside the flame base (S ≤ 1) get F = 1 (engulfed).
    """
    distance = np.asarray(distance_m, dtype=np.float64)
    # S = 1 exactly makes B = 1 and 0/0 terms; a receptor 1 µm outside the flame base is the limit.
    s = np.maximum(distance / radius_m, 1.0 + 1e-6)
    h = height_m / radius_m
    a = (h * h + s * s + 1.0) / (2.0 * s)
    b = (1.0 + s * s) / (2.0 * s)
    root_ratio_a = np.sqrt((a + 1.0) * (s - 1.0) / ((a - 1.0) * (s + 1.0)))
    root_ratio_b = np.sqrt((b + 1.0) * (s - 1.0) / ((b - 1.0) * (s + 1.0)))
    f_vertical = (
        _safe_atan(np.full_like(s, h), np.sqrt(s * s - 1.0)) / (math.pi * s)
        - h / (math.pi * s) * np.arctan(np.sqrt((s - 1.0) / (s + 1.0)))
        + a * h / (math.pi * s * np.sqrt(a * a - 1.0)) * np.arctan(root_ratio_a)
    )
    f_horizontal = (b - 1.0 / s) / (math.pi * np.sqrt(b * b - 1.0)) * np.arctan(root_ratio_b) - (a - 1.0 / s) / (
        math.pi * np.sqrt(a * a - 1.0)
    ) * np.arctan(root_ratio_a)
    result = np.sqrt(f_vertical**2 + f_horizontal**2)
    return np.asarray(np.where(distance <= radius_m, 1.0, np.minimum(result, 1.0)), dtype=np.float64)


def view_factor_tilted_cylinder(
    x_m: FloatArray | float,
    y_m: FloatArray | float,
    *,
    radius_m: float,
    length_m: float,
    tilt_rad: float,
    receptor_height_m: float = 0.0,
    n_azimuth: int = 96,
    n_height: int = 32,
    chunk: int = 4096,
) -> FloatArray:
    """Maximum view factor from a wind-tilted cylinder to targets at (x, y) by integrating over the
    flame surface; wind (and tilt) along +x, base centre at the origin.

    The flame is the sheared cylinder of the Yellow Book CPR14E §6.5.5 and Mudan (1984): circular
    horizontal sections of radius R whose centres move downwind as tan(θ) per metre of height, up to
    the height L·cos θ. For each receptor the vector V = Σ (n·(−d)) d /(π|d|⁴) ΔA is summed over the
    surface elements that face it (n·(−d) > 0, d from receptor to element), and F_max = |V| is the
    view factor of a target whose normal points along V. This is the definition of the view factor,
    evaluated numerically (midpoint rule in azimuth, Gauss–Legendre in height), so it also covers the
    upwind/crosswind asymmetry that the closed forms for tilted cylinders only give on the wind axis.
    Accuracy against the closed form for θ = 0 is better than 1 % beyond one radius from the flame.
    """
    x = np.atleast_1d(np.asarray(x_m, dtype=np.float64))
    y = np.atleast_1d(np.asarray(y_m, dtype=np.float64))
    x, y = np.broadcast_arrays(x, y)
    shape = x.shape
    xf, yf = x.ravel(), y.ravel()
    height = length_m * math.cos(tilt_rad)
    shear = math.tan(tilt_rad)
    psi = (np.arange(n_azimuth) + 0.5) * (2.0 * math.pi / n_azimuth)
    nodes, weights = np.polynomial.legendre.leggauss(n_height)
    heights = 0.5 * height * (nodes + 1.0)
    height_weights = 0.5 * height * weights
    psi_grid, z_grid = np.meshgrid(psi, heights, indexing="ij")
    element_x = radius_m * np.cos(psi_grid) + shear * z_grid
    element_y = radius_m * np.sin(psi_grid)
    normal_x = radius_m * np.cos(psi_grid)
    normal_y = radius_m * np.sin(psi_grid)
    normal_z = -radius_m * shear * np.cos(psi_grid)
    area_weight = (2.0 * math.pi / n_azimuth) * np.broadcast_to(height_weights, psi_grid.shape)
    result = np.empty(xf.shape, dtype=np.float64)
    for start in range(0, xf.size, chunk):
        stop = min(start + chunk, xf.size)
        dx = element_x[None] - xf[start:stop, None, None]
        dy = element_y[None] - yf[start:stop, None, None]
        dz = z_grid[None] - receptor_height_m
        facing = -(normal_x[None] * dx + normal_y[None] * dy + normal_z[None] * dz)
        facing = np.where(facing > 0.0, facing, 0.0) * area_weight[None]
        r4 = (dx * dx + dy * dy + dz * dz) ** 2
        factor = facing / (math.pi * r4)
        vx = np.sum(factor * dx, axis=(1, 2))
        vy = np.sum(factor * dy, axis=(1, 2))
        vz = np.sum(factor * dz, axis=(1, 2))
        result[start:stop] = np.sqrt(vx * vx + vy * vy + vz * vz)
    inside = (xf - 0.0) ** 2 + yf**2 <= radius_m**2
    result = np.where(inside, 1.0, np.minimum(result, 1.0))
    return result.reshape(shape)


def view_factor_sphere(
    horizontal_distance_m: FloatArray | float,
    *,
    radius_m: float,
    centre_height_m: float,
    orientation: str = "max",
) -> FloatArray:
    """View factor from a sphere (radius r, centre at height H) to a ground target at horizontal
    distance X: F_max = (r/ℓ)², F_vertical = (r/ℓ)²·X/ℓ, F_horizontal = (r/ℓ)²·H/ℓ, ℓ² = X² + H².

    CCPS (1994) *Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and BLEVEs*
    §6.2 and Yellow Book CPR14E §6.5.6 (sphere to a differential element facing the centre).
    """
    x = np.asarray(horizontal_distance_m, dtype=np.float64)
    ell2 = x * x + centre_height_m**2
    base = np.minimum(radius_m**2 / np.maximum(ell2, 1e-12), 1.0)
    ell = np.sqrt(ell2)
    if orientation == "max":
        return np.asarray(base, dtype=np.float64)
    if orientation == "vertical":
        return np.asarray(base * x / np.maximum(ell, 1e-12), dtype=np.float64)
    if orientation == "horizontal":
        return np.asarray(base * centre_height_m / np.maximum(ell, 1e-12), dtype=np.float64)
    raise ConsequenceInputError(f"orientation must be 'max', 'vertical' or 'horizontal', got {orientation!r}")


def distance_to_level(
    value_at: Callable[[FloatArray], FloatArray],
    level: float,
    *,
    r_min_m: float,
    r_max_m: float,
    samples: int = 400,
) -> float:
    """Largest distance r in [r_min, r_max] where ``value_at(r) >= level`` (NaN-free, decreasing
    far field assumed). Returns 0 if the level is never reached and ``r_max`` if it is still
    exceeded there (the caller flags that as a warning).

    A log-spaced scan finds the last crossing, then bisection refines it to 1 mm, so non-monotone
    near-field behaviour (a fireball overhead, a tilted flame) does not fool a single bracket.
    """
    grid = np.geomspace(max(r_min_m, 1e-3), r_max_m, samples)
    values = value_at(grid)
    above = np.nonzero(values >= level)[0]
    if above.size == 0:
        return 0.0
    last = int(above[-1])
    if last == samples - 1:
        return float(r_max_m)
    low, high = float(grid[last]), float(grid[last + 1])
    while high - low > 1e-3:
        middle = 0.5 * (low + high)
        if float(value_at(np.array([middle]))[0]) >= level:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)
