"""Fires: pool fire (solid flame), jet fire (point source) and BLEVE fireball (solid sphere).

Coordinates are local and in metres: the fire is at the origin, the wind blows towards +x
(x downwind, y crosswind), receptors at ground level unless stated. Fluxes are in W/m².

Sources
-------
* Babrauskas, V. (1983) Fire Technology 19:251 — large-pool burning rate m″ = m∞(1 − e^(−kβD)).
* Burgess, Strasser & Grumer (1961) — m″ = 10⁻³·ΔHc/ΔH*, ΔH* = ΔHv + Cp,l(Tb − Ta); CCPS (1999)
  *Guidelines for Consequence Analysis of Chemical Releases* §3.4.1; Yellow Book CPR14E §6.5.3.
* Thomas, P.H. (1963) 9th Symp. (Int.) on Combustion 844 — flame length H/D = 42·(m″/(ρa√(gD)))^0.61
  in still air, H/D = 55·(m″/(ρa√(gD)))^0.67·(u*)^−0.21 in wind; CCPS (1999) eqs. for pool fires.
* American Gas Association (1974) *LNG safety research program* IS 3-1 — tilt cos θ = 1/√u* for
  u* ≥ 1, u* = u_w/(g·m″·D/ρv)^(1/3); CCPS (1999) §3.4.1.
* Mudan, K.S. & Croce, P.A. (1988) SFPE Handbook 1st ed. §2-4 — E = Emax·e^(−sD) + Es(1 − e^(−sD)),
  Emax = 140 kW/m², Es = 20 kW/m², s = 0.12 m⁻¹ (smoke obscuration of large sooty fires).
* CCPS (1999) §3.4.1 (after Mudan 1984, Prog. Energy Combust. Sci. 10:59) — SEP of an unobscured
  flame from its radiant fraction, E = f·m″·ΔHc/(1 + 4L/D) (the radiated heat f·m″·ΔHc·πD²/4 spread
  over the side and top of the cylinder, πDL + πD²/4), f = 0.15–0.35; used for clean-burning fuels
  (LNG, hydrogen, methanol, ethanol), whose flames carry no smoke shield. Bounded by the emission of
  a black body at the effective radiating temperature of large LNG fires, about 1500 K (Raj, Moussa
  & Aravamudan 1979, USCG CG-D-55-79, China Lake trials): σ(Tf⁴ − Ta⁴) ≈ 287 kW/m².
* API Standard 521 (2014) §5.7 (flares) — flame length L = 0.00326·Q^0.478 (L in m, Q in W) and
  the point-source flux q = τ·χ·Q/(4πd²); Chamberlain, G.A. (1987) Chem. Eng. Res. Des. 65:299 —
  radiant fraction χ = 0.21·e^(−0.00323·u_j) + 0.11 (u_j jet exit velocity, m/s).
* CCPS (1994) *Guidelines for Evaluating the Characteristics of Vapor Cloud Explosions, Flash Fires,
  and BLEVEs* ch. 6 — fireball D = 5.8·M^(1/3), t = 0.45·M^(1/3) (M < 30 t) or 2.6·M^(1/6),
  centre height 0.75·D, SEP 350 kW/m² for large hydrocarbon fireballs; Roberts (1981) Fire Safety J.
  4:197 and Yellow Book CPR14E §6.5.6 — radiant fraction 0.27·P^0.32 (P vessel pressure in MPa).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from chempark.consequence import radiation
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.fuels import GAS_CONSTANT_J_MOL_K, FuelProperties

GRAVITY_M_S2 = 9.80665
AIR_MOLAR_MASS_KG_MOL = 0.028965
STANDARD_FLUX_LEVELS_W_M2: tuple[float, ...] = (37.5e3, 25.0e3, 12.5e3, 4.0e3, 1.6e3)


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ConsequenceInputError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _non_negative(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ConsequenceInputError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def air_density_kg_m3(air_temperature_k: float, pressure_pa: float = 101_325.0) -> float:
    """Ideal-gas density of dry air."""
    return pressure_pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT_J_MOL_K * air_temperature_k)


# --- pool fire ------------------------------------------------------------------------------------


def burning_rate_babrauskas(diameter_m: float, burning_rate_inf_kg_m2_s: float, k_beta_per_m: float) -> float:
    """Mass burning rate per unit area (kg/m²/s), m″ = m∞·(1 − exp(−kβ·D)) (Babrauskas 1983 eq. 1)."""
    diameter = _positive(diameter_m, "diameter_m")
    return burning_rate_inf_kg_m2_s * (1.0 - math.exp(-k_beta_per_m * diameter))


def burning_rate_burgess(
    heat_of_combustion_j_kg: float,
    heat_of_vaporisation_j_kg: float,
    liquid_heat_capacity_j_kg_k: float,
    boiling_point_k: float,
    ambient_temperature_k: float,
) -> float:
    """Mass burning rate (kg/m²/s) of a large pool, m″ = 10⁻³·ΔHc/ΔH* with ΔH* = ΔHv + Cp,l·(Tb − Ta)
    (Burgess, Strasser & Grumer 1961; CCPS 1999 §3.4.1). A liquefied gas boiling below ambient
    burns with ΔH* = ΔHv (no sensible heating). The constant 10⁻³ kg/m²/s is the empirical
    regression rate factor (0.076 mm/s times the liquid density in the original form).
    """
    sensible = liquid_heat_capacity_j_kg_k * max(boiling_point_k - ambient_temperature_k, 0.0)
    return 1.0e-3 * heat_of_combustion_j_kg / (heat_of_vaporisation_j_kg + sensible)


def pool_burning_rate(fuel: FuelProperties, diameter_m: float, ambient_temperature_k: float) -> float:
    """Babrauskas when the fuel is in the table, otherwise Burgess from ``chemicals`` properties."""
    if fuel.burning_rate_inf_kg_m2_s is not None and fuel.k_beta_per_m is not None:
        return burning_rate_babrauskas(diameter_m, fuel.burning_rate_inf_kg_m2_s, fuel.k_beta_per_m)
    if (
        fuel.heat_of_vaporisation_j_kg is None
        or fuel.liquid_heat_capacity_j_kg_k is None
        or fuel.boiling_point_k is None
    ):
        raise ConsequenceInputError(f"no burning-rate data for {fuel.name!r}; give burning_rate_kg_m2_s explicitly")
    return burning_rate_burgess(
        fuel.heat_of_combustion_j_kg,
        fuel.heat_of_vaporisation_j_kg,
        fuel.liquid_heat_capacity_j_kg_k,
        fuel.boiling_point_k,
        ambient_temperature_k,
    )


def dimensionless_wind_speed(
    wind_speed_m_s: float, burning_rate_kg_m2_s: float, diameter_m: float, vapour_density_kg_m3: float
) -> float:
    """u* = u_w / (g·m″·D/ρv)^(1/3) (AGA 1974; CCPS 1999 §3.4.1)."""
    characteristic = math.pow(GRAVITY_M_S2 * burning_rate_kg_m2_s * diameter_m / vapour_density_kg_m3, 1.0 / 3.0)
    return wind_speed_m_s / characteristic


def flame_length_thomas(diameter_m: float, burning_rate_kg_m2_s: float, air_density: float, u_star: float) -> float:
    """Mean visible flame length (m) of a pool fire (Thomas 1963).

    Still air (u* = 0): H/D = 42·(m″/(ρa√(gD)))^0.61; wind: H/D = 55·(m″/(ρa√(gD)))^0.67·u*^−0.21,
    with u* floored at 1 so the two forms meet smoothly at low wind (CCPS 1999 §3.4.1).
    """
    group = burning_rate_kg_m2_s / (air_density * math.sqrt(GRAVITY_M_S2 * diameter_m))
    if u_star <= 0.0:
        return 42.0 * diameter_m * math.pow(group, 0.61)
    return 55.0 * diameter_m * math.pow(group, 0.67) * math.pow(max(u_star, 1.0), -0.21)


def flame_tilt_aga(u_star: float) -> float:
    """Flame tilt from vertical (rad): cos θ = 1 for u* < 1, 1/√u* otherwise (AGA 1974)."""
    return 0.0 if u_star < 1.0 else math.acos(1.0 / math.sqrt(u_star))


def surface_emissive_power_mudan_croce(diameter_m: float) -> float:
    """SEP (W/m²) of a sooty hydrocarbon pool fire, E = 140e^(−0.12D) + 20(1 − e^(−0.12D)) kW/m²
    (Mudan & Croce 1988)."""
    attenuation = math.exp(-0.12 * diameter_m)
    return (140.0 * attenuation + 20.0 * (1.0 - attenuation)) * 1e3


CLEAN_FLAME_RADIANT_FRACTION = 0.35
"""Upper end of the 0.15–0.35 range CCPS (1999) §3.4.1 gives for f: the conservative choice."""
CLEAN_FLAME_TEMPERATURE_K = 1500.0
"""Effective radiating temperature of large LNG pool fires (Raj et al. 1979, China Lake trials)."""
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8


def surface_emissive_power_clean_flame(
    burning_rate_kg_m2_s: float,
    heat_of_combustion_j_kg: float,
    flame_length_m: float,
    diameter_m: float,
    *,
    air_temperature_k: float,
    radiant_fraction: float = CLEAN_FLAME_RADIANT_FRACTION,
) -> float:
    """SEP (W/m²) of a clean-burning pool fire: E = f·m″·ΔHc/(1 + 4L/D) (CCPS 1999 §3.4.1), at most
    the black-body emission σ(Tf⁴ − Ta⁴) at Tf = 1500 K (see the module sources)."""
    radiated = radiant_fraction * burning_rate_kg_m2_s * heat_of_combustion_j_kg
    spread = radiated / (1.0 + 4.0 * flame_length_m / diameter_m)
    black_body = STEFAN_BOLTZMANN_W_M2_K4 * (CLEAN_FLAME_TEMPERATURE_K**4 - air_temperature_k**4)
    return min(spread, black_body)


@dataclass(frozen=True, slots=True)
class PoolFire:
    """A steady pool fire: geometry and radiative properties, ready to give fluxes at receptors."""

    diameter_m: float
    burning_rate_kg_m2_s: float
    flame_length_m: float
    tilt_rad: float
    surface_emissive_power_w_m2: float
    heat_release_w: float
    water_partial_pressure_pa: float
    warnings: tuple[str, ...]
    emissive_power_model: Literal["given", "clean_flame", "mudan_croce"] = "mudan_croce"

    def flux_w_m2(self, x_m: FloatArray | float, y_m: FloatArray | float = 0.0) -> FloatArray:
        """Incident flux at ground receptors (x downwind, y crosswind from the pool centre)."""
        x = np.asarray(x_m, dtype=np.float64)
        y = np.asarray(y_m, dtype=np.float64)
        radius = 0.5 * self.diameter_m
        distance = np.hypot(x, y)
        if self.tilt_rad < 1e-3:
            view = radiation.view_factor_vertical_cylinder(distance, radius, self.flame_length_m)
        else:
            view = radiation.view_factor_tilted_cylinder(
                x, y, radius_m=radius, length_m=self.flame_length_m, tilt_rad=self.tilt_rad
            )
        tau = radiation.atmospheric_transmissivity(distance - radius, self.water_partial_pressure_pa)
        return np.asarray(tau * self.surface_emissive_power_w_m2 * view, dtype=np.float64)


def pool_fire(
    diameter_m: float,
    fuel: FuelProperties,
    *,
    wind_speed_m_s: float = 0.0,
    air_temperature_k: float = 293.15,
    relative_humidity: float = 0.7,
    burning_rate_kg_m2_s: float | None = None,
    surface_emissive_power_w_m2: float | None = None,
    air_pressure_pa: float = 101_325.0,
) -> PoolFire:
    """Build a pool fire from its diameter, fuel and weather (correlations in the module docstring).

    The SEP follows the fuel: a clean-burning fuel (:attr:`FuelProperties.clean_burning`, decided
    from its formula) radiates from its whole flame surface (:func:`surface_emissive_power_clean_flame`);
    a smoky one is obscured by its smoke (Mudan–Croce). ``burning_rate_kg_m2_s`` and
    ``surface_emissive_power_w_m2`` override the correlations (e.g. a measured SEP).
    ``air_pressure_pa`` sets the air density of Thomas' flame length: thinner air (a site at
    altitude) gives a longer flame.
    """
    diameter = _positive(diameter_m, "diameter_m")
    wind = _non_negative(wind_speed_m_s, "wind_speed_m_s")
    pw = radiation.water_vapour_partial_pressure_pa(relative_humidity, air_temperature_k)
    rate = (
        _positive(burning_rate_kg_m2_s, "burning_rate_kg_m2_s")
        if burning_rate_kg_m2_s is not None
        else pool_burning_rate(fuel, diameter, air_temperature_k)
    )
    warnings: list[str] = []
    vapour_density = fuel.vapour_density_kg_m3()
    if vapour_density is None:
        vapour_density = 3.0
        if wind > 0.0:
            warnings.append("fuel vapour density unknown; 3 kg/m3 assumed for flame tilt")
    u_star = dimensionless_wind_speed(wind, rate, diameter, vapour_density) if wind > 0.0 else 0.0
    air_density = air_density_kg_m3(air_temperature_k, _positive(air_pressure_pa, "air_pressure_pa"))
    length = flame_length_thomas(diameter, rate, air_density, u_star)
    tilt = flame_tilt_aga(u_star)
    sep_model: Literal["given", "clean_flame", "mudan_croce"]
    if surface_emissive_power_w_m2 is not None:
        sep, sep_model = _positive(surface_emissive_power_w_m2, "surface_emissive_power_w_m2"), "given"
    elif fuel.clean_burning:
        # never below the sooty-flame value: for small pools the radiant-fraction estimate is the less
        # certain one, and a zone must not shrink because a fuel was recognised as clean-burning
        clean = surface_emissive_power_clean_flame(
            rate, fuel.heat_of_combustion_j_kg, length, diameter, air_temperature_k=air_temperature_k
        )
        sooty = surface_emissive_power_mudan_croce(diameter)
        sep, sep_model = (clean, "clean_flame") if clean >= sooty else (sooty, "mudan_croce")
    else:
        sep, sep_model = surface_emissive_power_mudan_croce(diameter), "mudan_croce"
    if diameter > 100.0:
        warnings.append("pool diameter above 100 m: Thomas and Mudan-Croce correlations extrapolated")
    if diameter < 1.0:
        warnings.append("pool diameter below 1 m: flame is optically thin, solid-flame model not intended")
    heat_release = rate * fuel.heat_of_combustion_j_kg * math.pi * diameter**2 / 4.0
    return PoolFire(
        diameter_m=diameter,
        burning_rate_kg_m2_s=rate,
        flame_length_m=length,
        tilt_rad=tilt,
        surface_emissive_power_w_m2=sep,
        heat_release_w=heat_release,
        water_partial_pressure_pa=pw,
        warnings=tuple(warnings),
        emissive_power_model=sep_model,
    )


# --- jet fire -------------------------------------------------------------------------------------

JetOrientation = Literal["vertical", "horizontal"]


def radiant_fraction_chamberlain(jet_velocity_m_s: float) -> float:
    """Fraction of the heat release radiated by a jet flame, χ = 0.21e^(−0.00323·u_j) + 0.11
    (Chamberlain 1987; Yellow Book CPR14E §6.5.4)."""
    return 0.21 * math.exp(-0.00323 * _non_negative(jet_velocity_m_s, "jet_velocity_m_s")) + 0.11


def flame_length_api521(heat_release_w: float) -> float:
    """Jet/flare flame length (m), L = 0.00326·Q^0.478 with Q in W (API 521 flare curve fit)."""
    return 0.00326 * math.pow(_positive(heat_release_w, "heat_release_w"), 0.478)


@dataclass(frozen=True, slots=True)
class JetFire:
    """A jet flame treated as a point source at the middle of the flame (API 521)."""

    heat_release_w: float
    flame_length_m: float
    radiant_fraction: float
    source_x_m: float
    source_height_m: float
    water_partial_pressure_pa: float
    warnings: tuple[str, ...]

    def flux_w_m2(self, x_m: FloatArray | float, y_m: FloatArray | float = 0.0) -> FloatArray:
        """q = τ·χ·Q/(4πd²), d from the mid-flame point to the ground receptor."""
        x = np.asarray(x_m, dtype=np.float64)
        y = np.asarray(y_m, dtype=np.float64)
        d2 = (x - self.source_x_m) ** 2 + y**2 + self.source_height_m**2
        tau = radiation.atmospheric_transmissivity(np.sqrt(d2), self.water_partial_pressure_pa)
        return np.asarray(tau * self.radiant_fraction * self.heat_release_w / (4.0 * math.pi * d2), dtype=np.float64)


def jet_fire(
    mass_rate_kg_s: float,
    fuel: FuelProperties,
    *,
    release_height_m: float = 0.0,
    orientation: JetOrientation = "vertical",
    jet_velocity_m_s: float | None = None,
    radiant_fraction: float | None = None,
    air_temperature_k: float = 293.15,
    relative_humidity: float = 0.7,
) -> JetFire:
    """Point-source jet fire (API 521). A horizontal jet points downwind (+x).

    The radiant fraction is, in order: the value given, Chamberlain's from the exit velocity, or 0.2
    (the middle of the 0.15–0.3 range API 521 quotes for hydrocarbon flames).
    """
    rate = _positive(mass_rate_kg_s, "mass_rate_kg_s")
    height = _non_negative(release_height_m, "release_height_m")
    pw = radiation.water_vapour_partial_pressure_pa(relative_humidity, air_temperature_k)
    heat = rate * fuel.heat_of_combustion_j_kg
    length = flame_length_api521(heat)
    if radiant_fraction is not None:
        fraction = radiant_fraction
        if not 0.0 < fraction < 1.0:
            raise ConsequenceInputError(f"radiant_fraction must be between 0 and 1, got {fraction!r}")
    elif jet_velocity_m_s is not None:
        fraction = radiant_fraction_chamberlain(jet_velocity_m_s)
    else:
        fraction = 0.2
    if orientation == "vertical":
        source_x, source_z = 0.0, height + 0.5 * length
    elif orientation == "horizontal":
        source_x, source_z = 0.5 * length, height
    else:
        raise ConsequenceInputError(f"orientation must be 'vertical' or 'horizontal', got {orientation!r}")
    warnings = ("receptors closer than one flame length are inside the point-source model's near field",)
    return JetFire(
        heat_release_w=heat,
        flame_length_m=length,
        radiant_fraction=fraction,
        source_x_m=source_x,
        source_height_m=source_z,
        water_partial_pressure_pa=pw,
        warnings=warnings,
    )


# --- fireball -------------------------------------------------------------------------------------


def fireball_diameter_m(mass_kg: float) -> float:
    """Maximum fireball diameter D = 5.8·M^(1/3) (CCPS 1994 ch. 6; Roberts 1981)."""
    return 5.8 * math.cbrt(_positive(mass_kg, "mass_kg"))


def fireball_duration_s(mass_kg: float) -> float:
    """Fireball duration: 0.45·M^(1/3) for M < 30 000 kg, 2.6·M^(1/6) above (CCPS 1994 ch. 6)."""
    mass = _positive(mass_kg, "mass_kg")
    return 0.45 * math.cbrt(mass) if mass < 30_000.0 else 2.6 * math.pow(mass, 1.0 / 6.0)


def fireball_radiant_fraction_roberts(vessel_pressure_pa: float) -> float:
    """Fraction of combustion heat radiated by a fireball, 0.27·P^0.32, P in MPa (Roberts 1981;
    Yellow Book CPR14E §6.5.6)."""
    return 0.27 * math.pow(_positive(vessel_pressure_pa, "vessel_pressure_pa") / 1e6, 0.32)


@dataclass(frozen=True, slots=True)
class Fireball:
    """A BLEVE fireball treated as a sphere of uniform surface emissive power."""

    mass_kg: float
    diameter_m: float
    duration_s: float
    centre_height_m: float
    surface_emissive_power_w_m2: float
    water_partial_pressure_pa: float
    transmissivity_override: float | None
    warnings: tuple[str, ...]

    def flux_w_m2(
        self, x_m: FloatArray | float, y_m: FloatArray | float = 0.0, *, orientation: str = "max"
    ) -> FloatArray:
        """q = τ·E·F at ground receptors; τ over the path from the fireball surface."""
        distance = np.hypot(np.asarray(x_m, dtype=np.float64), np.asarray(y_m, dtype=np.float64))
        radius = 0.5 * self.diameter_m
        view = radiation.view_factor_sphere(
            distance, radius_m=radius, centre_height_m=self.centre_height_m, orientation=orientation
        )
        if self.transmissivity_override is not None:
            tau: FloatArray | float = self.transmissivity_override
        else:
            path = np.hypot(distance, self.centre_height_m) - radius
            tau = radiation.atmospheric_transmissivity(path, self.water_partial_pressure_pa)
        return np.asarray(tau * self.surface_emissive_power_w_m2 * view, dtype=np.float64)

    def dose(self, x_m: FloatArray | float, y_m: FloatArray | float) -> FloatArray:
        """Thermal dose q^(4/3)·t over the fireball's life, (W/m²)^(4/3)·s."""
        return np.asarray(self.flux_w_m2(x_m, y_m) ** (4.0 / 3.0) * self.duration_s, dtype=np.float64)


def fireball(
    mass_kg: float,
    fuel: FuelProperties,
    *,
    surface_emissive_power_w_m2: float | None = None,
    vessel_pressure_pa: float | None = None,
    centre_height_m: float | None = None,
    air_temperature_k: float = 293.15,
    relative_humidity: float = 0.7,
    transmissivity: float | None = None,
) -> Fireball:
    """Build a fireball (CCPS 1994). SEP is, in order: the value given; from Roberts' radiant
    fraction E = χ·M·ΔHc/(πD²t) when the vessel burst pressure is known; else 350 kW/m² (CCPS 1994).
    ``centre_height_m`` defaults to 0.75·D; ``transmissivity`` fixes τ (e.g. 1 to reproduce a
    textbook example that neglects the air)."""
    mass = _positive(mass_kg, "mass_kg")
    diameter = fireball_diameter_m(mass)
    duration = fireball_duration_s(mass)
    if surface_emissive_power_w_m2 is not None:
        sep = _positive(surface_emissive_power_w_m2, "surface_emissive_power_w_m2")
    elif vessel_pressure_pa is not None:
        fraction = fireball_radiant_fraction_roberts(vessel_pressure_pa)
        sep = fraction * mass * fuel.heat_of_combustion_j_kg / (math.pi * diameter**2 * duration)
    else:
        sep = 350.0e3
    height = 0.75 * diameter if centre_height_m is None else _non_negative(centre_height_m, "centre_height_m")
    if transmissivity is not None and not 0.0 < transmissivity <= 1.0:
        raise ConsequenceInputError(f"transmissivity must be in (0, 1], got {transmissivity!r}")
    warnings = []
    if mass > 1.0e6:
        warnings.append("fuel mass above 1000 t: fireball correlations extrapolated")
    return Fireball(
        mass_kg=mass,
        diameter_m=diameter,
        duration_s=duration,
        centre_height_m=height,
        surface_emissive_power_w_m2=sep,
        water_partial_pressure_pa=radiation.water_vapour_partial_pressure_pa(relative_humidity, air_temperature_k),
        transmissivity_override=transmissivity,
        warnings=tuple(warnings),
    )


def distances_to_flux_levels(
    flux_at: Callable[[FloatArray], FloatArray],
    *,
    levels_w_m2: tuple[float, ...] = STANDARD_FLUX_LEVELS_W_M2,
    r_min_m: float = 0.1,
    r_max_m: float = 20_000.0,
) -> dict[float, float]:
    """Largest distance along a ray (given as ``flux_at(r)``) at which each flux level is reached."""
    return {
        level: radiation.distance_to_level(flux_at, level, r_min_m=r_min_m, r_max_m=r_max_m) for level in levels_w_m2
    }
