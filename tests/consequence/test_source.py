"""Source terms against hand-worked textbook formulas, and physical properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chempark.consequence import source
from chempark.consequence.errors import ConsequenceInputError

CHLORINE_GAS = {
    "hole_diameter_m": 0.01,
    "temperature_k": 298.0,
    "molar_mass_kg_mol": 0.070906,
    "heat_capacity_ratio": 1.4,
}


def test_critical_pressure_ratio_for_air():
    # (2 / 2.4)^(1.4 / 0.4) = 0.52828
    assert source.critical_pressure_ratio(1.4) == pytest.approx(0.52828, abs=1e-5)


def test_choked_gas_flow_by_hand():
    # A = pi 0.01^2 / 4 = 7.85398e-5 m2; p0 = 10 bar abs; factor = gamma M / (R T) (2/2.4)^6
    # m = A p0 sqrt(1.4 * 0.070906 / (8.314463 * 298) * 0.334898) = 0.287691 kg/s
    release = source.gas_release_rate(upstream_pressure_pa=1.0e6, **CHLORINE_GAS)
    assert release.choked
    assert release.rate_kg_s == pytest.approx(0.287691, rel=1e-5)


def test_unchoked_flow_meets_choked_flow_at_the_critical_ratio():
    ratio = source.critical_pressure_ratio(1.4)
    just_choked = source.gas_release_rate(upstream_pressure_pa=101_325.0 / ratio * 1.0001, **CHLORINE_GAS)
    just_unchoked = source.gas_release_rate(upstream_pressure_pa=101_325.0 / ratio * 0.9999, **CHLORINE_GAS)
    assert just_choked.choked
    assert not just_unchoked.choked
    assert just_unchoked.rate_kg_s == pytest.approx(just_choked.rate_kg_s, rel=1e-3)


@given(st.floats(min_value=1.1e5, max_value=5e6), st.floats(min_value=1.01, max_value=2.0))
def test_gas_flow_rises_with_pressure(pressure, factor):
    low = source.gas_release_rate(upstream_pressure_pa=pressure, **CHLORINE_GAS).rate_kg_s
    high = source.gas_release_rate(upstream_pressure_pa=pressure * factor, **CHLORINE_GAS).rate_kg_s
    assert high > low > 0


def test_liquid_flow_by_hand():
    # m = 0.61 * pi 0.02^2/4 * sqrt(2 * 1000 * 1e5) = 2.71016 kg/s
    rate = source.liquid_release_rate_kg_s(hole_diameter_m=0.02, liquid_density_kg_m3=1000.0, gauge_pressure_pa=1.0e5)
    assert rate == pytest.approx(2.71016, rel=1e-5)
    # a 10.197 m water head is the same 1 bar of driving pressure
    head = source.liquid_release_rate_kg_s(
        hole_diameter_m=0.02,
        liquid_density_kg_m3=1000.0,
        gauge_pressure_pa=0.0,
        liquid_head_m=1.0e5 / (1000 * 9.80665),
    )
    assert head == pytest.approx(rate, rel=1e-9)


def test_flash_fraction_by_hand():
    # f = 1 - exp(-4000 * 10 / 1e6) = 0.0392106
    got = source.flash_fraction(
        temperature_k=250.0,
        boiling_point_k=240.0,
        liquid_heat_capacity_j_kg_k=4000.0,
        heat_of_vaporisation_j_kg=1.0e6,
    )
    assert got == pytest.approx(0.0392106, rel=1e-6)
    sub_cooled = source.flash_fraction(
        temperature_k=230.0,
        boiling_point_k=240.0,
        liquid_heat_capacity_j_kg_k=4000.0,
        heat_of_vaporisation_j_kg=1.0e6,
    )
    assert sub_cooled == 0.0


def test_pool_spread_and_bund():
    assert source.pool_area_m2(1.0) == pytest.approx(100.0)  # 1 m3 at 10 mm
    assert source.pool_area_m2(1.0, bund_area_m2=40.0) == 40.0


def test_mackay_matsugu_evaporation_by_hand():
    # k = 0.0048 * 3^(7/9) * 10^(-1/9) * 0.8^(-2/3) = 0.0101352 m/s for a 10 m pool in a 3 m/s wind
    assert source.mackay_matsugu_mass_transfer_m_s(3.0, 10.0) == pytest.approx(0.0101352, rel=1e-5)
    # m = k A Psat M / (R T), A = pi 25 (10 m pool), Psat = 10 kPa, M = 0.032, T = 293 K -> 0.104561 kg/s
    rate = source.pool_evaporation_rate_kg_s(
        pool_area_m2=math.pi * 25.0,
        vapour_pressure_pa=1.0e4,
        molar_mass_kg_mol=0.032,
        liquid_temperature_k=293.0,
        wind_speed_10m_m_s=3.0,
    )
    assert rate == pytest.approx(0.104561, rel=1e-5)


def test_properties_from_chemicals():
    methanol = source.chemical_properties("67-56-1")
    assert methanol.molar_mass_kg_mol == pytest.approx(0.032042, rel=1e-4)
    assert 337.0 < methanol.boiling_point_k < 338.5
    # methanol at 20 C: about 12.9 kPa (Antoine, Poling)
    assert source.vapour_pressure_pa("67-56-1", 293.15) == pytest.approx(12_900.0, rel=0.03)
    # vapour pressure at the normal boiling point is one atmosphere
    assert source.vapour_pressure_pa("67-56-1", methanol.boiling_point_k) == pytest.approx(101_325.0, rel=0.03)


def test_source_rejects_bad_input():
    with pytest.raises(ConsequenceInputError):
        source.gas_release_rate(upstream_pressure_pa=5.0e4, **CHLORINE_GAS)
    with pytest.raises(ConsequenceInputError):
        source.critical_pressure_ratio(0.9)
    with pytest.raises(ConsequenceInputError, match="boiling"):
        source.pool_evaporation_rate_kg_s(
            pool_area_m2=10.0, vapour_pressure_pa=2.0e5, molar_mass_kg_mol=0.017,
            liquid_temperature_k=293.0, wind_speed_10m_m_s=3.0,
        )  # fmt: skip
    with pytest.raises(ConsequenceInputError, match="CAS"):
        source.chemical_properties("0-00-0")


PHOSGENE, HYDROGEN_CYANIDE, FORMALDEHYDE = "75-44-5", "74-90-8", "50-00-0"


@pytest.mark.parametrize(
    ("cas", "reference_pa", "rel"),
    [
        # NIOSH Pocket Guide to Chemical Hazards, phosgene: VP 1.6 atm (at 20 degC); Wagner-McGarry
        (PHOSGENE, 1.6 * 101_325.0, 0.03),
        # NRC (2002) AEGLs vol. 2 ch. 6 Table 6-1, hydrogen cyanide: 630 mm Hg at 20 degC; Perry's Table 2-8
        (HYDROGEN_CYANIDE, 630.0 * 133.322, 0.04),
    ],
)
def test_vapour_pressure_of_substances_without_an_antoine_row(cas: str, reference_pa: float, rel: float):
    assert source.vapour_pressure_pa(cas, 293.15) == pytest.approx(reference_pa, rel=rel)


@pytest.mark.parametrize("cas", [PHOSGENE, HYDROGEN_CYANIDE, FORMALDEHYDE])
def test_wagner_and_perry_curves_pass_through_the_normal_boiling_point(cas: str):
    boiling = source.chemical_properties(cas).boiling_point_k
    assert source.vapour_pressure_pa(cas, boiling) == pytest.approx(101_325.0, rel=0.02)
    # and rise with temperature (a liquefied gas at 20 degC: several bar for formaldehyde)
    assert source.vapour_pressure_pa(cas, boiling + 10.0) > 101_325.0


def test_heat_of_vaporisation_by_riedel_when_the_crc_table_has_none():
    # NIST WebBook, phosgene: 24.401 kJ/mol at 280.71 K (Giauque & Jones 1948)
    phosgene = source.chemical_properties(PHOSGENE)
    assert phosgene.heat_of_vaporisation_j_kg is not None
    assert phosgene.heat_of_vaporisation_j_kg * phosgene.molar_mass_kg_mol == pytest.approx(24_401.0, rel=0.03)
