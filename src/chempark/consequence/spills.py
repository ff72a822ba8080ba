"""Pool size of a liquid spill and the flash fire of an instantaneous cloud, for the QRA defaults.

Pool size
---------
A spilled liquid spreads until it reaches a minimum layer thickness, or until it fills the bund
(TNO Yellow Book CPR14E ch. 3, "pool evaporation", spreading on land: the minimum thickness depends
on the ground roughness, about 5 mm on smooth and 10–20 mm on rough ground — recalled, the same
figures as :func:`chempark.consequence.source.pool_area_m2`). The platform takes
:data:`DEFAULT_MIN_THICKNESS_M` = 10 mm (rough industrial ground: gravel, unpaved, joints) and caps
the diameter at :data:`MAX_POOL_DIAMETER_M` = 100 m, the end of the range of the Thomas flame-length
and Mudan–Croce emissive-power correlations used by :func:`chempark.consequence.fire.pool_fire`.

A continuous leak ignited at once burns as a pool whose area grows until the burning rate consumes
the outflow (Yellow Book CPR14E ch. 6, pool fire of a continuous spill — recalled):
``m_out = m''(D) · π D² / 4``. :func:`burning_pool_diameter_m` solves it by fixed-point iteration;
the pool fire then takes the smaller of that and the spread (or bund) diameter.

Flash fire of an instantaneous cloud
------------------------------------
Lethality 1 wherever the peak concentration of the Gaussian puff
(:func:`chempark.consequence.dispersion.gaussian_puff_peak_concentration_g_m3`) reaches the lower
flammability limit, 0 elsewhere (Purple Book CPR18E ch. 5: people inside the flammable cloud die).
The passive puff ignores the dense, slumping start of a liquefied-gas cloud: a screening estimate.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from chempark.consequence import dispersion, fire
from chempark.consequence._checks import FloatArray, positive
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.fuels import FuelProperties
from chempark.consequence.qra.model import LethalityFunction, WeatherClass

DEFAULT_MIN_THICKNESS_M: Final[float] = 0.01
MAX_POOL_DIAMETER_M: Final[float] = 100.0


def spread_pool_diameter_m(
    volume_m3: float, *, min_thickness_m: float = DEFAULT_MIN_THICKNESS_M, bund_area_m2: float | None = None
) -> float:
    """Diameter of the pool a spill of ``volume_m3`` forms: the bund's equivalent diameter when a
    bund is given (the liquid fills it, or what it covers when it is smaller — then the bund does
    not limit it), else the spread to ``min_thickness_m``; at most :data:`MAX_POOL_DIAMETER_M`."""
    volume = positive(volume_m3, "volume_m3")
    thickness = positive(min_thickness_m, "min_thickness_m")
    if bund_area_m2 is not None and not (math.isfinite(bund_area_m2) and bund_area_m2 > 0.0):
        raise ConsequenceInputError(f"bund_area_m2 must be > 0, got {bund_area_m2!r}")
    area = volume / thickness
    if bund_area_m2 is not None:
        area = min(area, bund_area_m2)
    return min(math.sqrt(4.0 * area / math.pi), MAX_POOL_DIAMETER_M)


def burning_pool_diameter_m(outflow_kg_s: float, fuel: FuelProperties, air_temperature_k: float = 293.15) -> float:
    """Equilibrium diameter of a pool fire fed at ``outflow_kg_s``: D = √(4 m_out / (π m''(D)))
    with the burning rate m''(D) of :func:`chempark.consequence.fire.pool_burning_rate`; at most
    :data:`MAX_POOL_DIAMETER_M`."""
    outflow = positive(outflow_kg_s, "outflow_kg_s")
    diameter = MAX_POOL_DIAMETER_M
    for _ in range(100):
        rate = fire.pool_burning_rate(fuel, diameter, air_temperature_k)
        new = min(math.sqrt(4.0 * outflow / (math.pi * rate)), MAX_POOL_DIAMETER_M)
        if abs(new - diameter) <= 1e-6 * max(new, 1e-9):
            return new
        diameter = new
    return diameter


def puff_flash_fire_lethality(
    mass_kg: float, lower_flammability_limit_g_m3: float, release_height_m: float = 0.0
) -> LethalityFunction:
    """Lethality 1 where the puff's peak concentration reaches the LFL, 0 elsewhere."""
    mass_g = positive(mass_kg, "mass_kg") * 1000.0
    lfl = positive(lower_flammability_limit_g_m3, "lower_flammability_limit_g_m3")
    height = release_height_m

    def lethality(downwind_m: FloatArray, crosswind_m: FloatArray, w: WeatherClass) -> FloatArray:
        peak = dispersion.gaussian_puff_peak_concentration_g_m3(
            mass_g,
            downwind_m,
            crosswind_m,
            0.0,
            wind_speed_m_s=w.wind_speed_m_s,
            release_height_m=height,
            stability=w.stability,
        )
        return np.asarray(np.where(peak >= lfl, 1.0, 0.0), dtype=np.float64)

    return lethality
