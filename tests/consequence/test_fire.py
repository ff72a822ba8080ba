"""Fire models: each formula against hand-computed values, the models against published examples,
and the physical properties (flux falls with distance, zones grow with size) with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import fire, fuels, radiation
from chempark.consequence.errors import ConsequenceInputError

FT2_M2 = 0.09290304


def _pool_diameter_from_area(area_m2: float) -> float:
    return math.sqrt(4.0 * area_m2 / math.pi)


# --- published worked examples -------------------------------------------------------------------


def test_fireball_matches_ccps_propane_tank_truck_example() -> None:
    """CCPS (1994) BLEVE sample problem (propane tank truck 22.7 m³, 90 % full, ρ = 585.3 kg/m³,
    receptor at X = 100 m, E = 350 kW/m², τ = 1, view factor to a vertical target with the fireball
    centre at D/2): published m = 11 957.7 kg, D = 132.6 m, t = 10.3 s, Fv = 0.255, q = 89.1 kW/m²."""
    mass = 22.7 * 0.90 * 585.3
    assert mass == pytest.approx(11_957.7, abs=0.1)
    propane = fuels.fuel_properties("74-98-6")
    ball = fire.fireball(mass, propane, surface_emissive_power_w_m2=350e3, transmissivity=1.0)
    assert ball.diameter_m == pytest.approx(132.6, abs=0.05)
    assert ball.duration_s == pytest.approx(10.3, abs=0.05)
    example = fire.fireball(
        mass,
        propane,
        surface_emissive_power_w_m2=350e3,
        centre_height_m=ball.diameter_m / 2,
        transmissivity=1.0,
    )
    view = radiation.view_factor_sphere(
        100.0, radius_m=ball.diameter_m / 2, centre_height_m=ball.diameter_m / 2, orientation="vertical"
    )
    assert float(view) == pytest.approx(0.255, abs=0.001)
    assert float(example.flux_w_m2(100.0, 0.0, orientation="vertical")) / 1e3 == pytest.approx(89.1, abs=0.1)


@pytest.mark.parametrize(
    ("fuel", "area_ft2", "published_kw"),
    [
        # NUREG-1805 (2004) Fire Dynamics Tools, spreadsheet 05.1 (point-source pool fire) inputs and
        # its printed heat release rate Q = m″·ΔHc·(1 − e^(−kβD))·A:
        ("diesel", 2545.0, 472_403.60),  # m″ 0.045, ΔHc 44 400 kJ/kg, kβ 2.1 m⁻¹
        ("transformer oil", 9.0, 771.52),  # m″ 0.039, ΔHc 46 000 kJ/kg, kβ 0.7 m⁻¹
    ],
)
def test_pool_heat_release_matches_nureg_1805_examples(fuel: str, area_ft2: float, published_kw: float) -> None:
    diameter = _pool_diameter_from_area(area_ft2 * FT2_M2)
    pool = fire.pool_fire(diameter, fuels.fuel_properties(fuel))
    assert pool.heat_release_w / 1e3 == pytest.approx(published_kw, rel=1e-4)


@pytest.mark.parametrize("distance_over_diameter", [2.0, 3.0, 4.0, 5.0])
def test_pool_fire_agrees_with_shokri_beyler_correlation(distance_over_diameter: float) -> None:
    """Shokri & Beyler (1989), SFPE Handbook: q = 15.4·(L/D)^−1.59 kW/m² for a ground target facing
    a hydrocarbon pool fire, fitted to measured fluxes. Independent of our solid-flame pieces; agreement
    within 40 % for a 10 m gasoline fire is what the correlation's own scatter allows."""
    pool = fire.pool_fire(10.0, fuels.fuel_properties("gasoline"), relative_humidity=0.5)
    ours = float(pool.flux_w_m2(distance_over_diameter * 10.0)) / 1e3
    published = 15.4 * distance_over_diameter**-1.59
    assert ours == pytest.approx(published, rel=0.4)


# --- formulas against hand values -----------------------------------------------------------------


def test_burning_rates_hand_values() -> None:
    # Babrauskas: gasoline D = 1 m: 0.055·(1 − e^(−2.1)) = 0.055·0.877 544 = 0.048 265
    assert fire.burning_rate_babrauskas(1.0, 0.055, 2.1) == pytest.approx(0.048265, rel=1e-4)
    # Burgess: ΔHc 40.1 MJ/kg, ΔHv 0.393 MJ/kg, Cp 1740 J/kg/K, Tb 353.2 K, Ta 293.2 K:
    # ΔH* = 393 000 + 1740·60 = 497 400; m″ = 1e-3·40.1e6/497 400 = 0.080 619
    assert fire.burning_rate_burgess(40.1e6, 393e3, 1740.0, 353.2, 293.2) == pytest.approx(0.080619, rel=1e-4)
    # liquefied gas boiling below ambient: no sensible term: 1e-3·46e6/426e3 = 0.107 98
    assert fire.burning_rate_burgess(46e6, 426e3, 2500.0, 231.0, 293.0) == pytest.approx(0.10798, rel=1e-4)


def test_benzene_burgess_estimate_is_close_to_babrauskas_table() -> None:
    """Two independent routes to benzene's large-pool burning rate agree within 10 %."""
    benzene = fuels.fuel_properties("71-43-2")
    assert benzene.heat_of_vaporisation_j_kg is not None
    assert benzene.liquid_heat_capacity_j_kg_k is not None
    assert benzene.boiling_point_k is not None
    burgess = fire.burning_rate_burgess(
        benzene.heat_of_combustion_j_kg,
        benzene.heat_of_vaporisation_j_kg,
        benzene.liquid_heat_capacity_j_kg_k,
        benzene.boiling_point_k,
        293.15,
    )
    assert burgess == pytest.approx(0.085, rel=0.1)


def test_thomas_flame_length_hand_value() -> None:
    # still air, D = 20 m, m″ = 0.085, ρa = 1.2041: √(gD) = 14.0047; group = 0.085/16.8631 = 0.005 040 6
    # H = 42·20·0.005 040 6^0.61 = 840·0.039 68 = 33.33 m
    assert fire.flame_length_thomas(20.0, 0.085, 1.2041, 0.0) == pytest.approx(33.33, rel=2e-3)
    # wind u* = 2: H = 55·20·0.005 040 6^0.67·2^−0.21 = 1100·0.028 91·0.864 55 = 27.49 m
    assert fire.flame_length_thomas(20.0, 0.085, 1.2041, 2.0) == pytest.approx(27.49, rel=3e-3)


def test_aga_tilt_and_dimensionless_wind_hand_values() -> None:
    assert fire.flame_tilt_aga(0.5) == 0.0
    assert math.degrees(fire.flame_tilt_aga(4.0)) == pytest.approx(60.0)
    # u* = 3/(9.80665·0.085·20/3.0)^(1/3) = 3/5.5571^(1/3) = 3/1.7713 = 1.6937
    assert fire.dimensionless_wind_speed(3.0, 0.085, 20.0, 3.0) == pytest.approx(1.6937, rel=1e-3)


def test_mudan_croce_sep_hand_value() -> None:
    # D = 20 m: 140·e^−2.4 + 20·(1 − e^−2.4) = 12.700 + 18.186 = 30.886 kW/m²
    assert fire.surface_emissive_power_mudan_croce(20.0) == pytest.approx(30_886.0, rel=1e-4)


def test_clean_flame_sep_hand_value() -> None:
    # f m'' dHc / (1 + 4 L/D) = 0.35 * 0.078 * 50e6 / (1 + 4 * 1.5) = 1.365e6 / 7 = 195.0 kW/m2
    sep = fire.surface_emissive_power_clean_flame(0.078, 50e6, 30.0, 20.0, air_temperature_k=293.15)
    assert sep == pytest.approx(195_000.0)
    # a very bright estimate is held to the black body at 1500 K: 5.670374e-8 (1500^4 - 293.15^4) = 286.7 kW/m2
    capped = fire.surface_emissive_power_clean_flame(0.2, 50e6, 10.0, 20.0, air_temperature_k=293.15)
    assert capped == pytest.approx(286_660.0, rel=1e-4)


@pytest.mark.parametrize(
    ("fuel", "clean"),
    [
        ("lng", True),
        ("methanol", True),
        ("ethanol", True),
        ("1333-74-0", True),
        ("butane", False),
        ("benzene", False),
        ("acetone", False),
        ("gasoline", False),
    ],
)
def test_clean_burning_is_decided_from_the_formula(fuel: str, clean: bool) -> None:
    assert fuels.fuel_properties(fuel).clean_burning is clean


# Measured surface emissive power of large LNG pool fires. Each trial: (name and source, pool
# diameter m, wind m/s, measured burning rate kg/m2/s or None for the model's, measured SEP range
# kW/m2). "confirmed" = figure read in the source's published abstract while writing this test;
# "recalled" = figure as summarised in the reviews of Luketa-Hanlin (2006) J. Hazard. Mater. 132:119
# and Raj (2007) J. Hazard. Mater. 140:444, not re-read.
LNG_TRIALS = [
    # China Lake, LNG on water (Raj, Moussa & Aravamudan 1979, USCG CG-D-55-79): mean SEP about
    # 210 kW/m2 (confirmed, report abstract), 220 kW/m2 in the AGA overview (confirmed, OSTI 6929366);
    # test-to-test scatter about +-30 kW/m2 and pools up to about 15 m (recalled)
    ("China Lake 1978", 15.0, 2.0, None, 180.0, 250.0),
    ("China Lake 1978", 15.0, 6.0, None, 180.0, 250.0),
    # Montoir, 35 m dike on land (Nedelka, Moorhouse & Tucker 1990; Raj 2007 Process Saf. Prog.
    # 26:237): wide-angle 175 to narrow-angle about 300 kW/m2, winds 3-9 m/s (recalled)
    ("Montoir 1987", 35.0, 3.0, None, 175.0, 300.0),
    ("Montoir 1987", 35.0, 9.0, None, 175.0, 300.0),
    # Sandia 2009, 56 m pool on water (Blanchat et al. 2011): burning rate about 0.147 kg/m2/s and
    # SEP up to 286 kW/m2 (both confirmed, paper abstract); the lower bound is the China Lake mean
    ("Sandia 2009", 56.0, 5.0, 0.147, 210.0, 290.0),
]


@pytest.mark.parametrize(("trial", "diameter", "wind", "rate", "low_kw", "high_kw"), LNG_TRIALS)
def test_lng_pool_fire_sep_within_measured_range(
    trial: str, diameter: float, wind: float, rate: float | None, low_kw: float, high_kw: float
) -> None:
    model = fire.pool_fire(diameter, fuels.fuel_properties("lng"), wind_speed_m_s=wind, burning_rate_kg_m2_s=rate)
    assert model.emissive_power_model == "clean_flame", trial
    assert low_kw <= model.surface_emissive_power_w_m2 / 1e3 <= high_kw, trial
    # the smoky-hydrocarbon correlation gave a fraction of this (35 m: 22 kW/m2)
    assert model.surface_emissive_power_w_m2 > 4.0 * fire.surface_emissive_power_mudan_croce(diameter)


def test_clean_fuel_never_radiates_less_than_the_sooty_correlation() -> None:
    # small methanol pools: the radiant-fraction estimate is below Mudan-Croce, which is kept
    for diameter in (1.0, 3.0, 10.0, 30.0):
        model = fire.pool_fire(diameter, fuels.fuel_properties("methanol"))
        assert model.surface_emissive_power_w_m2 >= fire.surface_emissive_power_mudan_croce(diameter)


def test_transmissivity_hand_value() -> None:
    # 20 °C, RH 0.6: Pw = 101 325·0.6·e^(14.4114 − 5328/293.15) = 60 795·0.023 197 = 1410.3 Pa
    pw = radiation.water_vapour_partial_pressure_pa(0.6, 293.15)
    assert pw == pytest.approx(1410.3, rel=1e-3)
    # X = 50 m: τ = 2.02·(1410.3·50)^−0.09 = 2.02·e^(−0.09·11.163 6) = 2.02·0.366 14 = 0.7396
    assert float(radiation.atmospheric_transmissivity(50.0, pw)) == pytest.approx(0.7396, rel=1e-3)


def test_jet_fire_hand_value() -> None:
    # propane 2 kg/s, ΔHc from chemicals (LHV ≈ 46.35 MJ/kg); χ = 0.2; vertical, release at ground.
    propane = fuels.fuel_properties("74-98-6")
    flame = fire.jet_fire(2.0, propane, radiant_fraction=0.2, relative_humidity=0.0)
    q_w = 2.0 * propane.heat_of_combustion_j_kg
    assert flame.flame_length_m == pytest.approx(0.00326 * q_w**0.478)
    # RH 0 → Pw = 0 → τ capped at 1; receptor 50 m away at ground, source at L/2 height
    d2 = 50.0**2 + (flame.flame_length_m / 2) ** 2
    assert float(flame.flux_w_m2(50.0, 0.0)) == pytest.approx(0.2 * q_w / (4 * math.pi * d2), rel=1e-9)
    # Chamberlain radiant fraction at 100 m/s: 0.21·e^−0.323 + 0.11 = 0.21·0.723 99 + 0.11 = 0.262 04
    assert fire.radiant_fraction_chamberlain(100.0) == pytest.approx(0.26204, rel=1e-4)


# --- view factors ---------------------------------------------------------------------------------


def test_vertical_cylinder_view_factor_matches_surface_integration() -> None:
    """The closed form (Mudan 1984) and a direct integration of the view-factor definition are
    independent computations; they agree to 0.2 % from 1.2 radii outwards."""
    distance = np.array([12.0, 15.0, 20.0, 40.0, 100.0])
    closed = radiation.view_factor_vertical_cylinder(distance, 10.0, 30.0)
    integrated = radiation.view_factor_tilted_cylinder(
        distance,
        np.zeros_like(distance),
        radius_m=10.0,
        length_m=30.0,
        tilt_rad=0.0,
        n_azimuth=400,
        n_height=64,
    )
    assert closed == pytest.approx(integrated, rel=2e-3)


def test_far_field_view_factor_is_projected_area_over_pi_r2() -> None:
    # at 1 km a 20 m × 30 m flame subtends A_proj/(πL²) = 600/(π·10⁶) = 1.9099e-4
    assert float(radiation.view_factor_vertical_cylinder(1000.0, 10.0, 30.0)) == pytest.approx(1.9099e-4, rel=0.01)


def test_tilted_flame_radiates_more_downwind_than_upwind() -> None:
    pool = fire.pool_fire(20.0, fuels.fuel_properties("71-43-2"), wind_speed_m_s=5.0)
    assert pool.tilt_rad > 0.3
    downwind, upwind = pool.flux_w_m2(np.array([40.0, -40.0]), np.zeros(2))
    assert downwind > 1.3 * upwind


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=2.0, max_value=60.0), st.floats(min_value=1.05, max_value=20.0))
def test_pool_fire_flux_falls_with_distance(diameter: float, ratio: float) -> None:
    pool = fire.pool_fire(diameter, fuels.fuel_properties("gasoline"))
    near, far = pool.flux_w_m2(np.array([ratio * diameter / 2, 1.5 * ratio * diameter / 2]))
    assert far < near


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=100.0, max_value=2e5), st.floats(min_value=1.1, max_value=10.0))
def test_fireball_zone_grows_with_mass(mass: float, factor: float) -> None:
    propane = fuels.fuel_properties("74-98-6")
    small, large = (fire.fireball(m, propane) for m in (mass, mass * factor))
    d_small = radiation.distance_to_level(small.flux_w_m2, 4e3, r_min_m=1.0, r_max_m=2e4)
    d_large = radiation.distance_to_level(large.flux_w_m2, 4e3, r_min_m=1.0, r_max_m=2e4)
    assert d_large > d_small


@settings(max_examples=20, deadline=None)
@given(st.floats(min_value=2.0, max_value=50.0), st.floats(min_value=1.2, max_value=4.0))
def test_pool_fire_zone_grows_with_diameter(diameter: float, factor: float) -> None:
    diesel = fuels.fuel_properties("diesel")
    distances = [
        fire.distances_to_flux_levels(fire.pool_fire(d, diesel).flux_w_m2, levels_w_m2=(4e3,))[4e3]
        for d in (diameter, diameter * factor)
    ]
    assert distances[1] > distances[0]


def test_bad_inputs_are_rejected() -> None:
    gasoline = fuels.fuel_properties("gasoline")
    with pytest.raises(ConsequenceInputError):
        fire.pool_fire(-1.0, gasoline)
    with pytest.raises(ConsequenceInputError):
        fire.pool_fire(10.0, gasoline, relative_humidity=1.5)
    with pytest.raises(ConsequenceInputError):
        fire.fireball(0.0, gasoline)
    with pytest.raises(ConsequenceInputError):
        fuels.fuel_properties("not-a-fuel")
    with pytest.raises(ConsequenceInputError):
        fire.jet_fire(1.0, gasoline, orientation="sideways")  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal
