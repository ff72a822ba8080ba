"""Source terms: how fast a hazardous material gets into the air.

A dispersion model needs a release rate. This module gives it for the common loss-of-containment
cases: gas through a hole (choked or not) and the blowdown of a vessel of compressed gas, liquid
through a hole, the vapour flash of a superheated liquefied gas, and evaporation from a spreading pool.

Sources
-------
* Crowl, D.A. & Louvar, J.F. (2011) *Chemical Process Safety*, 3rd ed.: eq. 4-6 (liquid through a
  hole), eqs. 4-48 to 4-50 (gas, choked and unchoked, critical pressure ratio), eq. 4-93 (flash
  fraction, integrated form), eq. 3-14 (evaporation driving force).
* TNO (2005) *Yellow Book* CPR 14E, ch. 2 (outflow) and ch. 3 (pool evaporation); discharge
  coefficient 0.62 for a sharp-edged orifice (liquid), 1.0 for gas is the conservative choice.
* Mackay, D. & Matsugu, R.S. (1973) *Evaporation rates of liquid hydrocarbon spills on land and
  water*, Can. J. Chem. Eng. 51:434–439: k = 0.0048 u^(7/9) Z^(−1/9) Sc^(−2/3) (m/s), u the 10 m
  wind (m/s), Z the pool diameter (m), Sc the gas-phase Schmidt number.
* Properties from the ``chemicals`` package (Bell, Caleb et al., ChEDL): molar mass, normal boiling
  point, vapour-pressure correlations (Antoine: Poling, Prausnitz & O'Connell 2001 *Properties of
  Gases and Liquids* 5th ed. Appendix A; Wagner: McGarry 1983; Perry's 8th ed. Table 2-8), heat
  of vaporisation (CRC Handbook, else Riedel's estimate), liquid heat capacity (Poling), liquid
  density by COSTALD (Hankinson & Thomson 1979). Mixtures it has no record for (gasoline, diesel,
  mixed xylenes, LPG) from ``data/mixture_properties.csv`` (:mod:`chempark.consequence.mixtures`).
  Where neither has a value the caller must pass one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import chemicals
from chemicals import heat_capacity, phase_change, vapor_pressure, volume

from chempark.consequence import mixtures
from chempark.consequence._checks import in_range, non_negative, positive
from chempark.consequence.errors import ConsequenceInputError

GAS_CONSTANT_J_MOL_K: Final[float] = 8.314462618
GRAVITY_M_S2: Final[float] = 9.80665
ATMOSPHERIC_PRESSURE_PA: Final[float] = 101_325.0


# --- properties by CAS ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChemicalProperties:
    """The few properties the source models need, in SI units."""

    cas: str
    molar_mass_kg_mol: float
    boiling_point_k: float
    heat_of_vaporisation_j_kg: float | None
    liquid_heat_capacity_j_kg_k: float | None


def _mixture_properties(found: mixtures.Mixture) -> ChemicalProperties:
    """A tabulated mixture's figures, the gaps filled from its representative component."""
    stand_in = chemical_properties(found.representative_cas) if found.representative_cas else None
    molar_mass = (
        found.molar_mass_g_mol / 1000.0
        if found.molar_mass_g_mol is not None
        else stand_in.molar_mass_kg_mol
        if stand_in is not None
        else None
    )
    boiling = found.boiling_point_k or (stand_in.boiling_point_k if stand_in is not None else None)
    if molar_mass is None or boiling is None:
        raise ConsequenceInputError(f"no molar mass or boiling point known for CAS {found.cas!r}")
    return ChemicalProperties(
        cas=found.cas,
        molar_mass_kg_mol=molar_mass,
        boiling_point_k=boiling,
        heat_of_vaporisation_j_kg=found.heat_of_vaporisation_j_kg
        or (stand_in.heat_of_vaporisation_j_kg if stand_in is not None else None),
        liquid_heat_capacity_j_kg_k=found.liquid_heat_capacity_j_kg_k
        or (stand_in.liquid_heat_capacity_j_kg_k if stand_in is not None else None),
    )


def _riedel_heat_of_vaporisation_j_mol(cas: str, boiling_point_k: float) -> float | None:
    """Heat of vaporisation at the normal boiling point by Riedel's corresponding-states equation
    from Tb, Tc and Pc (Poling, Prausnitz & O'Connell 2001 eq. 7-10.2, about 2 % off on average),
    for substances the CRC table lacks (phosgene, formaldehyde, hydrogen cyanide); None without
    critical data."""
    tc, pc = chemicals.Tc(cas), chemicals.Pc(cas)
    if tc is None or pc is None or boiling_point_k >= float(tc):
        return None
    return float(phase_change.Riedel(boiling_point_k, float(tc), float(pc)))


def chemical_properties(cas: str) -> ChemicalProperties:
    """Properties from ``chemicals``: heat of vaporisation from the CRC table, else Riedel's estimate;
    missing heat of vaporisation / liquid heat capacity are None.
    A mixture ``chemicals`` lacks (gasoline, diesel, LPG...) takes them from :mod:`mixtures`."""
    key = cas.strip()
    found = mixtures.mixture(key)
    if found is not None:
        return _mixture_properties(found)
    try:
        molar_mass_g = chemicals.MW(key)
        boiling = chemicals.Tb(key)
    except Exception as exc:  # chemicals raises several types for an unknown CAS
        raise ConsequenceInputError(f"unknown CAS number {cas!r}") from exc
    if molar_mass_g is None or boiling is None:
        raise ConsequenceInputError(f"no molar mass or boiling point known for CAS {cas!r}")
    molar_mass = float(molar_mass_g) / 1000.0
    hvap = phase_change.Hvap_data_CRC["HvapTb"].get(key)
    if hvap is None or math.isnan(hvap):
        hvap = _riedel_heat_of_vaporisation_j_mol(key, float(boiling))
    cpl = heat_capacity.Cp_data_Poling["Cpl"].get(key)
    return ChemicalProperties(
        cas=key,
        molar_mass_kg_mol=molar_mass,
        boiling_point_k=float(boiling),
        heat_of_vaporisation_j_kg=None if hvap is None or math.isnan(hvap) else float(hvap) / molar_mass,
        liquid_heat_capacity_j_kg_k=None if cpl is None or math.isnan(cpl) else float(cpl) / molar_mass,
    )


def perry_liquid_heat_capacity_j_kg_k(cas: str, temperature_k: float, molar_mass_kg_mol: float) -> float | None:
    """Liquid cp from Perry's Chemical Engineers' Handbook 8th ed. Table 2-153 (through
    ``chemicals``): C1 + C2 T + C3 T² + C4 T³ + C5 T⁴ in J/kmol/K, when ``temperature_k`` is within
    5 K of the table's range (clamped into it: the ranges end a fraction of a kelvin short of the
    boiling point); None otherwise."""
    table = heat_capacity.Cp_data_Perry_Table_153_100
    if cas not in table.index:
        return None
    row = table.loc[cas]
    low, high = float(row["Tmin"]), float(row["Tmax"])
    if not low - 5.0 <= temperature_k <= high + 5.0:
        return None
    t = min(max(temperature_k, low), high)
    molar = sum(float(row[key]) * t**power for power, key in enumerate(("A", "B", "C", "D", "E")))
    return molar / 1000.0 / positive(molar_mass_kg_mol, "molar_mass_kg_mol")


def molar_mass_g_mol(cas: str) -> float:
    """Molar mass (g/mol) from ``chemicals``, or of a tabulated mixture (:mod:`mixtures`)."""
    if mixtures.mixture(cas) is not None:
        return chemical_properties(cas).molar_mass_kg_mol * 1000.0
    try:
        value = chemicals.MW(cas.strip())
    except Exception as exc:  # chemicals raises several types for an unknown CAS
        raise ConsequenceInputError(f"unknown CAS number {cas!r}") from exc
    if value is None:
        raise ConsequenceInputError(f"no molar mass known for CAS {cas!r}")
    return float(value)


def _tabulated_vapour_pressure_pa(cas: str, t: float) -> float | None:
    """Saturation pressure from the first of the ``chemicals`` correlation tables that has the CAS
    number and a range holding ``t``:

    1. Antoine, Poling, Prausnitz & O'Connell (2001) *Properties of Gases and Liquids* 5th ed.
       Appendix A: log10 P = A − B / (T + C).
    2. Wagner (2.5–5 form as fitted by McGarry 1983, *Ind. Eng. Chem. Process Des. Dev.* 22:313):
       ln(P/Pc) = (a τ + b τ^1.5 + c τ^3 + d τ^6) / Tr, τ = 1 − Tr, from Tmin to Tc. Phosgene and
       formaldehyde have this and no Antoine row.
    3. Perry's Chemical Engineers' Handbook 8th ed. Table 2-8 (DIPPR eq. 101):
       ln P = C1 + C2/T + C3 ln T + C4 T^C5. Hydrogen cyanide has only this one.

    None when no table covers the substance at ``t`` (the caller falls back to Clausius–Clapeyron).
    """
    antoine = vapor_pressure.Psat_data_AntoinePoling
    if cas in antoine.index:
        row = antoine.loc[cas]
        if float(row["Tmin"]) <= t <= float(row["Tmax"]):
            return float(10.0 ** (float(row["A"]) - float(row["B"]) / (t + float(row["C"]))))
    wagner = vapor_pressure.Psat_data_WagnerMcGarry
    if cas in wagner.index:
        row = wagner.loc[cas]
        if float(row["Tmin"]) <= t < float(row["Tc"]):
            return float(
                vapor_pressure.Wagner_original(
                    t,
                    float(row["Tc"]),
                    float(row["Pc"]),
                    float(row["A"]),
                    float(row["B"]),
                    float(row["C"]),
                    float(row["D"]),
                )
            )
    perry = vapor_pressure.Psat_data_Perrys2_8
    if cas in perry.index:
        row = perry.loc[cas]
        if float(row["Tmin"]) <= t <= float(row["Tmax"]):
            c1, c2, c3, c4, c5 = (float(row[key]) for key in ("C1", "C2", "C3", "C4", "C5"))
            return math.exp(c1 + c2 / t + c3 * math.log(t) + c4 * t**c5)
    return None


def vapour_pressure_pa(cas: str, temperature_k: float) -> float:
    """Saturation pressure: the first correlation of :func:`_tabulated_vapour_pressure_pa` whose
    range holds the temperature, else Clausius–Clapeyron from the normal boiling point and the heat
    of vaporisation there (CRC). A tabulated mixture: Clausius–
    Clapeyron through its vapour pressure at 20 °C (a mixture does not boil at one temperature), or
    its representative component's."""
    t = positive(temperature_k, "temperature_k")
    key = cas.strip()
    found = mixtures.mixture(key)
    if found is not None:
        if found.vapour_pressure_pa_20c is None:
            if found.representative_cas is None:
                raise ConsequenceInputError(f"no vapour-pressure data for CAS {cas} at {t:g} K")
            return vapour_pressure_pa(found.representative_cas, t)
        props = _mixture_properties(found)
        if props.heat_of_vaporisation_j_kg is None:
            raise ConsequenceInputError(f"no vapour-pressure data for CAS {cas} at {t:g} K")
        h_molar = props.heat_of_vaporisation_j_kg * props.molar_mass_kg_mol
        reference = mixtures.VAPOUR_PRESSURE_REFERENCE_K
        return found.vapour_pressure_pa_20c * math.exp(-h_molar / GAS_CONSTANT_J_MOL_K * (1.0 / t - 1.0 / reference))
    tabulated = _tabulated_vapour_pressure_pa(key, t)
    if tabulated is not None:
        return tabulated
    props = chemical_properties(key)
    if props.heat_of_vaporisation_j_kg is None:
        raise ConsequenceInputError(f"no vapour-pressure data for CAS {cas} at {t:g} K")
    h_molar = props.heat_of_vaporisation_j_kg * props.molar_mass_kg_mol
    exponent = -h_molar / GAS_CONSTANT_J_MOL_K * (1.0 / t - 1.0 / props.boiling_point_k)
    return ATMOSPHERIC_PRESSURE_PA * math.exp(exponent)


def liquid_density_kg_m3(cas: str, temperature_k: float) -> float:
    """Saturated liquid density by COSTALD (Hankinson & Thomson 1979) from critical data; a
    tabulated mixture's density as given (near 15 °C), or its representative component's."""
    key = cas.strip()
    t = positive(temperature_k, "temperature_k")
    found = mixtures.mixture(key)
    if found is not None:
        if found.liquid_density_kg_m3 is not None:
            return found.liquid_density_kg_m3
        if found.representative_cas is None:
            raise ConsequenceInputError(f"no liquid density for CAS {cas} at {t:g} K")
        return liquid_density_kg_m3(found.representative_cas, t)
    tc, vc, omega = chemicals.Tc(key), chemicals.Vc(key), chemicals.omega(key)
    if None in (tc, vc, omega) or t >= float(tc):
        raise ConsequenceInputError(f"no liquid density for CAS {cas} at {t:g} K")
    molar_volume = volume.COSTALD(t, tc, vc, omega)
    return chemical_properties(key).molar_mass_kg_mol / float(molar_volume)


# --- outflow --------------------------------------------------------------------------------------


def critical_pressure_ratio(heat_capacity_ratio: float) -> float:
    """p*/p0 = (2/(γ+1))^(γ/(γ−1)) (Crowl & Louvar eq. 4-48); 0.528 for air (γ = 1.4)."""
    gamma = positive(heat_capacity_ratio, "heat_capacity_ratio")
    if gamma <= 1.0:
        raise ConsequenceInputError("heat_capacity_ratio must be > 1")
    return float((2.0 / (gamma + 1.0)) ** (gamma / (gamma - 1.0)))


@dataclass(frozen=True)
class GasRelease:
    """Mass flow of gas through a hole and whether the flow is choked (sonic)."""

    rate_kg_s: float
    choked: bool
    critical_pressure_ratio: float


def gas_release_rate(
    *,
    hole_diameter_m: float,
    upstream_pressure_pa: float,
    temperature_k: float,
    molar_mass_kg_mol: float,
    heat_capacity_ratio: float,
    downstream_pressure_pa: float = ATMOSPHERIC_PRESSURE_PA,
    discharge_coefficient: float = 1.0,
) -> GasRelease:
    """Ideal-gas flow through a hole from a reservoir (Crowl & Louvar eqs. 4-49, 4-50).

    Choked when p_down/p0 ≤ (2/(γ+1))^(γ/(γ−1)):
        m = Cd A p0 √(γ M / (R T0) · (2/(γ+1))^((γ+1)/(γ−1)))
    otherwise
        m = Cd A p0 √(2 M / (R T0) · γ/(γ−1) · [(p/p0)^(2/γ) − (p/p0)^((γ+1)/γ)])
    """
    diameter = positive(hole_diameter_m, "hole_diameter_m")
    p0 = positive(upstream_pressure_pa, "upstream_pressure_pa")
    p_down = positive(downstream_pressure_pa, "downstream_pressure_pa")
    t0 = positive(temperature_k, "temperature_k")
    molar_mass = positive(molar_mass_kg_mol, "molar_mass_kg_mol")
    cd = in_range(discharge_coefficient, "discharge_coefficient", 0.1, 1.0)
    gamma = heat_capacity_ratio
    ratio_crit = critical_pressure_ratio(gamma)
    if p0 <= p_down:
        raise ConsequenceInputError("upstream_pressure_pa must exceed downstream_pressure_pa")
    area = math.pi * diameter**2 / 4.0
    ratio = p_down / p0
    if ratio <= ratio_crit:
        factor = (
            gamma * molar_mass / (GAS_CONSTANT_J_MOL_K * t0) * (2.0 / (gamma + 1.0)) ** ((gamma + 1.0) / (gamma - 1.0))
        )
        return GasRelease(cd * area * p0 * math.sqrt(factor), True, ratio_crit)
    bracket = ratio ** (2.0 / gamma) - ratio ** ((gamma + 1.0) / gamma)
    factor = 2.0 * molar_mass / (GAS_CONSTANT_J_MOL_K * t0) * gamma / (gamma - 1.0) * bracket
    return GasRelease(cd * area * p0 * math.sqrt(factor), False, ratio_crit)


def ideal_gas_heat_capacity_ratio(cas: str) -> float:
    """γ = Cp/(Cp − R) from the ideal-gas heat capacity at 25 °C (CRC Handbook standard
    thermodynamic data, through ``chemicals``): 1.40 for hydrogen and CO, 1.30 for methane, 1.24 for
    ethylene."""
    table = heat_capacity.CRC_standard_data
    cp = float(table.at[cas, "Cpg"]) if cas in table.index else math.nan
    if math.isnan(cp) or cp <= GAS_CONSTANT_J_MOL_K:
        raise ConsequenceInputError(f"no ideal-gas heat capacity known for CAS {cas}")
    return cp / (cp - GAS_CONSTANT_J_MOL_K)


def stored_as_gas(cas: str, temperature_k: float) -> bool:
    """Whether the substance is above its critical temperature, so a vessel can hold it only as a
    compressed gas (hydrogen, methane, carbon monoxide; ethylene, Tc 9.2 °C, at 20 °C)."""
    tc = chemicals.Tc(cas.strip()) if mixtures.mixture(cas.strip()) is None else None
    return tc is not None and positive(temperature_k, "temperature_k") >= float(tc)


@dataclass(frozen=True)
class VesselBlowdown:
    """Gas escaping through a hole from a vessel of compressed gas: what the vessel holds, the
    initial flow and the time constant of the blowdown."""

    inventory_kg: float
    gas_density_kg_m3: float
    initial_rate_kg_s: float
    choked: bool
    time_constant_s: float

    def rate_kg_s(self, time_s: float) -> float:
        """Flow after ``time_s`` seconds while it stays choked: ṁ0·exp(−t/τ)."""
        return self.initial_rate_kg_s * math.exp(-non_negative(time_s, "time_s") / self.time_constant_s)

    def released_kg(self, time_s: float) -> float:
        """Mass out after ``time_s`` seconds: m0·(1 − exp(−t/τ))."""
        return self.inventory_kg * (1.0 - math.exp(-non_negative(time_s, "time_s") / self.time_constant_s))


def compressed_gas_vessel_release(
    *,
    volume_m3: float,
    storage_pressure_pa: float,
    temperature_k: float,
    molar_mass_kg_mol: float,
    heat_capacity_ratio: float,
    hole_diameter_m: float,
    discharge_coefficient: float = 1.0,
) -> VesselBlowdown:
    """Release from a hole in a vessel of compressed gas at ``storage_pressure_pa`` (absolute).

    The vessel holds m0 = V·ρ, ρ = p M/(R T) (ideal gas: the compressibility of hydrogen, methane and
    CO stays within a few per cent of 1 up to about 2 MPa at 20 °C). The initial flow is the
    orifice flow of :func:`gas_release_rate` (Crowl & Louvar 2011 eqs. 4-49/4-50). While the flow is
    choked it is proportional to the vessel pressure, and so — isothermal blowdown, the gas kept at
    the wall temperature — to the mass left: dm/dt = −m/τ with τ = m0/ṁ0, so m(t) = m0 e^(−t/τ)
    (the isothermal vessel blowdown of the Yellow Book CPR14E ch. 2 — recalled; the cooling of an
    adiabatic blowdown is not modelled). A release held at ṁ0 for τ carries the same mass
    as the whole blowdown, which is how the QRA rows use it.
    """
    volume = positive(volume_m3, "volume_m3")
    pressure = positive(storage_pressure_pa, "storage_pressure_pa")
    temperature = positive(temperature_k, "temperature_k")
    molar_mass = positive(molar_mass_kg_mol, "molar_mass_kg_mol")
    density = pressure * molar_mass / (GAS_CONSTANT_J_MOL_K * temperature)
    flow = gas_release_rate(
        hole_diameter_m=hole_diameter_m,
        upstream_pressure_pa=pressure,
        temperature_k=temperature,
        molar_mass_kg_mol=molar_mass,
        heat_capacity_ratio=heat_capacity_ratio,
        discharge_coefficient=discharge_coefficient,
    )
    inventory = volume * density
    return VesselBlowdown(inventory, density, flow.rate_kg_s, flow.choked, inventory / flow.rate_kg_s)


def liquid_release_rate_kg_s(
    *,
    hole_diameter_m: float,
    liquid_density_kg_m3: float,
    gauge_pressure_pa: float,
    liquid_head_m: float = 0.0,
    discharge_coefficient: float = 0.61,
) -> float:
    """Bernoulli flow of a liquid through a hole: m = Cd A √(2 ρ (Δp + ρ g h))
    (Crowl & Louvar eq. 4-6 with the liquid head added; Cd ≈ 0.61 sharp-edged orifice)."""
    diameter = positive(hole_diameter_m, "hole_diameter_m")
    rho = positive(liquid_density_kg_m3, "liquid_density_kg_m3")
    dp = non_negative(gauge_pressure_pa, "gauge_pressure_pa")
    head = non_negative(liquid_head_m, "liquid_head_m")
    cd = in_range(discharge_coefficient, "discharge_coefficient", 0.1, 1.0)
    driving = dp + rho * GRAVITY_M_S2 * head
    if driving <= 0.0:
        raise ConsequenceInputError("no driving pressure: gauge pressure and liquid head are both zero")
    return cd * math.pi * diameter**2 / 4.0 * math.sqrt(2.0 * rho * driving)


def flash_fraction(
    *,
    temperature_k: float,
    boiling_point_k: float,
    liquid_heat_capacity_j_kg_k: float,
    heat_of_vaporisation_j_kg: float,
) -> float:
    """Mass fraction of a superheated liquid that flashes to vapour on release to 1 atm:
    f = 1 − exp(−cp (T − Tb) / ΔHv) (Crowl & Louvar eq. 4-93); 0 when T ≤ Tb."""
    t = positive(temperature_k, "temperature_k")
    tb = positive(boiling_point_k, "boiling_point_k")
    cp = positive(liquid_heat_capacity_j_kg_k, "liquid_heat_capacity_j_kg_k")
    hv = positive(heat_of_vaporisation_j_kg, "heat_of_vaporisation_j_kg")
    if t <= tb:
        return 0.0
    return 1.0 - math.exp(-cp * (t - tb) / hv)


# --- pools ----------------------------------------------------------------------------------------


def pool_area_m2(volume_m3: float, *, min_thickness_m: float = 0.01, bund_area_m2: float | None = None) -> float:
    """Area of a spilled liquid that spreads until it is ``min_thickness_m`` thick (TNO Yellow
    Book ch. 3: ~5 mm on smooth, ~10–20 mm on rough ground), capped by a bund if there is one."""
    volume_spilled = positive(volume_m3, "volume_m3")
    thickness = positive(min_thickness_m, "min_thickness_m")
    area = volume_spilled / thickness
    if bund_area_m2 is not None:
        area = min(area, positive(bund_area_m2, "bund_area_m2"))
    return area


def mackay_matsugu_mass_transfer_m_s(
    wind_speed_10m_m_s: float, pool_diameter_m: float, schmidt_number: float = 0.8
) -> float:
    """Gas-side mass-transfer coefficient k = 0.0048 u^(7/9) Z^(−1/9) Sc^(−2/3) (m/s)
    (Mackay & Matsugu 1973); Sc ≈ 0.8 for most vapours in air."""
    wind = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s")
    diameter = positive(pool_diameter_m, "pool_diameter_m")
    sc = positive(schmidt_number, "schmidt_number")
    return float(0.0048 * wind ** (7.0 / 9.0) * diameter ** (-1.0 / 9.0) * sc ** (-2.0 / 3.0))


def pool_evaporation_rate_kg_s(
    *,
    pool_area_m2: float,
    vapour_pressure_pa: float,
    molar_mass_kg_mol: float,
    liquid_temperature_k: float,
    wind_speed_10m_m_s: float,
    schmidt_number: float = 0.8,
) -> float:
    """Evaporation of a non-boiling pool: m = k A Psat M / (R T) (Crowl & Louvar eq. 3-14 with the
    Mackay–Matsugu k). For a boiling pool (Psat ≥ 1 atm) the rate is set by heat transfer from
    the ground instead, which this function does not model — it raises."""
    area = positive(pool_area_m2, "pool_area_m2")
    psat = positive(vapour_pressure_pa, "vapour_pressure_pa")
    if psat >= ATMOSPHERIC_PRESSURE_PA:
        raise ConsequenceInputError("the pool is boiling (vapour pressure >= 1 atm); use a boiling-pool model")
    molar_mass = positive(molar_mass_kg_mol, "molar_mass_kg_mol")
    temperature = positive(liquid_temperature_k, "liquid_temperature_k")
    diameter = math.sqrt(4.0 * area / math.pi)
    k = mackay_matsugu_mass_transfer_m_s(wind_speed_10m_m_s, diameter, schmidt_number)
    return k * area * psat * molar_mass / (GAS_CONSTANT_J_MOL_K * temperature)
