"""Release duration (plume, puff or between), two-phase clouds and the model the accident simulation
chooses, with the reason it reports."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chempark.consequence import accident, gas_units, release_regime, source

AMMONIA = "7664-41-7"
CHLORINE = "7782-50-5"


def _ammonia_thresholds() -> list[accident.Threshold]:
    return accident.default_thresholds(AMMONIA, 60.0, 293.15)


def _simulate(
    release: accident.ReleaseInput, *, wind: float = 3.0, stability: str = "D", cas: str = AMMONIA, **met: float
) -> accident.AccidentResult:
    return accident.simulate(
        cas=cas,
        molar_mass_g_mol=source.molar_mass_g_mol(cas),
        source_lon_deg=118.18,
        source_lat_deg=39.2,
        release=release,
        met=accident.WeatherInput(wind, 90.0, stability=stability, **met),
        thresholds=accident.default_thresholds(cas, 60.0, 293.15),
    )


# --- duration ------------------------------------------------------------------------------------


def test_britter_mcquaid_continuity_criterion_ends():
    # u Td / x = 2 m/s * 100 s / x: continuous up to x = 80 m (ratio 2.5), instantaneous from 333 m (0.6)
    weight = release_regime.continuity_weight(np.array([50.0, 80.0, 200.0, 1000.0 / 3.0, 1000.0]), 2.0, 100.0)
    assert weight[0] == 1.0 and weight[1] == pytest.approx(1.0)
    assert 0.0 < weight[2] < 1.0
    assert weight[3] == pytest.approx(0.0, abs=1e-12) and weight[4] == 0.0
    # log-linear between: at ratio 1 (x = 200 m) the weight is ln(1/0.6)/ln(2.5/0.6) = 0.35795
    assert weight[2] == pytest.approx(math.log(1 / 0.6) / math.log(2.5 / 0.6), rel=1e-9)


def test_finite_duration_factor_limits():
    x = np.array([100.0, 1000.0])
    long = release_regime.finite_duration_factor(x, 3.0, 3600.0, "D")
    assert np.all(long > 0.999)
    far = np.array([1000.0, 5000.0])
    short = release_regime.finite_duration_factor(far, 3.0, 2.0, "D")
    # erf(z) -> 2z/sqrt(pi) for small z: the plume times u Td/(sqrt(2 pi) sigma_x) is the puff of Q Td
    sigma_x = 0.06 * far**0.92  # Slade class D puff spread, σx = σy
    assert short == pytest.approx(3.0 * 2.0 / (math.sqrt(2 * math.pi) * sigma_x), rel=0.01)
    assert short[1] < short[0]


def test_short_passive_release_is_reported_and_shortens_only_the_far_zone():
    steady = _simulate(accident.ReleaseInput("continuous", rate_kg_s=0.05, height_m=1.0), cas="7664-41-7")
    brief = _simulate(accident.ReleaseInput("continuous", rate_kg_s=0.05, inventory_kg=0.3, height_m=1.0))
    assert steady.dispersion is not None and steady.dispersion.code == "passive_plume"
    assert brief.dispersion is not None and brief.dispersion.code == "passive_finite_duration"
    assert 0.0 < float(brief.dispersion.params["duration_factor"]) < 0.99
    assert brief.zones[-1].zone.downwind_extent_m < steady.zones[-1].zone.downwind_extent_m


def test_dense_release_between_plume_and_puff():
    # 10 kg/s of chlorine for 20 s: a plume near the source, a puff of 200 kg far away
    result = _simulate(
        accident.ReleaseInput("continuous", rate_kg_s=10.0, inventory_kg=200.0, height_m=1.0), cas=CHLORINE
    )
    assert result.dispersion is not None and result.dispersion.model == "britter_mcquaid"
    assert result.dispersion.code in ("dense_transition", "dense_puff")
    assert "dense_gas_model" in [w.code for w in result.model_warnings]


# --- two-phase releases ----------------------------------------------------------------------------


def test_flashing_ammonia_cloud_by_heat_balance():
    props = source.chemical_properties(AMMONIA)
    cp = 4700.0  # J/kg/K, liquid ammonia near its boiling point
    cloud = release_regime.flashing_cloud(
        aerosol_fraction=0.5,
        molar_mass_kg_mol=props.molar_mass_kg_mol,
        boiling_point_k=props.boiling_point_k,
        heat_of_vaporisation_j_kg=props.heat_of_vaporisation_j_kg,
        liquid_heat_capacity_j_kg_k=cp,
        ambient_temperature_k=293.15,
        ambient_pressure_pa=101_325.0,
        vapour_pressure_pa=lambda t: source.vapour_pressure_pa(AMMONIA, t),
    )
    # the balance the solver closed: heat from the air and the cooled liquid evaporates the aerosol
    given = cloud.air_kg_per_kg * 1006.0 * (293.15 - cloud.temperature_k)
    sensible = 0.5 * cp * (props.boiling_point_k - cloud.temperature_k)
    assert given + sensible == pytest.approx(0.5 * props.heat_of_vaporisation_j_kg, rel=1e-6)
    # saturated vapour when the last drop goes, and the mole balance of the air
    y = source.vapour_pressure_pa(AMMONIA, cloud.temperature_k) / 101_325.0
    assert cloud.release_mole_fraction == pytest.approx(y, rel=1e-6)
    assert cloud.air_kg_per_kg == pytest.approx(0.028964 * (1 - y) / (y * props.molar_mass_kg_mol), rel=1e-6)
    # a cold cloud (about -60 C) denser than air (1.20 kg/m3), though ammonia vapour is lighter
    assert 190.0 < cloud.temperature_k < props.boiling_point_k
    assert cloud.density_kg_m3 > 1.3


def test_ammonia_flashing_release_selects_the_dense_gas_model():
    # liquid ammonia at 20 C (8.6 bar saturation) through a 25 mm hole
    result = _simulate(accident.ReleaseInput("tank_hole", hole_diameter_mm=25.0, phase="liquid"))
    assert result.source_term.cloud is not None
    assert result.dispersion is not None and result.dispersion.model == "britter_mcquaid"
    assert result.dispersion.code == "dense_plume"
    assert float(result.dispersion.params["cloud_density_kg_m3"]) > 1.2


def test_ammonia_vapour_at_ambient_temperature_stays_passive():
    result = _simulate(accident.ReleaseInput("continuous", rate_kg_s=1.0, height_m=1.0))
    assert result.source_term.cloud is None
    assert result.dispersion is not None and result.dispersion.model == "gaussian"
    assert "dense_gas_model" not in [w.code for w in result.model_warnings]


def test_dense_zones_are_never_shorter_than_the_passive_ones():
    # the envelope: Britter-McQuaid near the source, the passive plume wherever it reaches farther
    dense = _simulate(
        accident.ReleaseInput("continuous", rate_kg_s=1.0, height_m=1.0), cas=CHLORINE, stability="F", wind=2.0
    )
    assert dense.dispersion is not None and dense.dispersion.model == "britter_mcquaid"
    from chempark.consequence import zones

    passive = zones.plume_profile(
        1000.0, wind_speed_m_s=dense.transport_wind_speed_m_s, release_height_m=1.0, stability="F"
    )
    for result in dense.zones:
        alone = zones.threat_zone(passive, result.threshold.concentration_g_m3)
        assert result.zone.downwind_extent_m >= alone.downwind_extent_m - 1e-6
        assert result.zone.area_m2 >= alone.area_m2 * (1 - 1e-9)


# --- air pressure ----------------------------------------------------------------------------------


def test_pressure_from_altitude_standard_atmosphere():
    assert gas_units.pressure_at_altitude_pa(0.0) == pytest.approx(101_325.0)
    assert gas_units.pressure_at_altitude_pa(1000.0) == pytest.approx(89_875.0, rel=1e-4)  # ISO 2533 table
    assert accident.WeatherInput(3.0, 90.0, stability="D", altitude_m=1500.0).pressure_pa == pytest.approx(
        84_556.0, rel=1e-4
    )
    assert accident.WeatherInput(3.0, 90.0, stability="D", ambient_pressure_pa=95_000.0).pressure_pa == 95_000.0


def test_lower_pressure_lowers_the_hole_outflow():
    sea = _simulate(accident.ReleaseInput("tank_hole", hole_diameter_mm=25.0, phase="liquid"))
    high = _simulate(accident.ReleaseInput("tank_hole", hole_diameter_mm=25.0, phase="liquid"), altitude_m=3000.0)
    # the gauge pressure grows as the air pressure falls: more liquid leaves the hole
    assert high.source_term.outflow_kg_s is not None and sea.source_term.outflow_kg_s is not None
    assert high.source_term.outflow_kg_s > sea.source_term.outflow_kg_s
