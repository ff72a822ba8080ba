"""The air pressure of a site above sea level, through the models that depend on it: ppm readings and
levels, the pool flame, the blast, the accident simulation's zones and the QRA's toxic lethality."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chempark.consequence import accident, explosion, fire, fuels, gas_units, qra_platform, qra_rows, simulations
from chempark.consequence.qra.lethality import toxic_plume_lethality

SEA_LEVEL_PA = 101_325.0
# ICAO standard atmosphere at 2 000 m (ISO 2533 tables: 79.495 kPa)
AT_2000_M_PA = 101_325.0 * (1.0 - 2.25577e-5 * 2000.0) ** 5.25588
CHLORINE = "7782-50-5"


def test_the_standard_atmosphere_at_2000_m() -> None:
    assert gas_units.pressure_at_altitude_pa(2000.0) == pytest.approx(79_495.0, abs=10.0)  # ISO 2533 table
    met = accident.WeatherInput(wind_speed_m_s=3.0, wind_from_deg=90.0, stability="D", altitude_m=2000.0)
    assert met.pressure_facts() == {
        "ambient_pressure_pa": round(AT_2000_M_PA),
        "ambient_pressure_source": "altitude",
        "altitude_m": 2000.0,
    }
    given = accident.WeatherInput(wind_speed_m_s=3.0, wind_from_deg=90.0, stability="D", ambient_pressure_pa=95_000.0)
    assert given.pressure_facts()["ambient_pressure_source"] == "given"


def test_a_ppm_reading_is_fewer_grams_in_thinner_air() -> None:
    # the same volume fraction of a thinner air: the mass concentration scales with the pressure
    sea = gas_units.ppm_to_g_m3(10.0, 70.906)
    high = gas_units.ppm_to_g_m3(10.0, 70.906, pressure_pa=AT_2000_M_PA)
    assert high == pytest.approx(sea * AT_2000_M_PA / SEA_LEVEL_PA, rel=1e-12)
    lel = gas_units.lel_percent_to_g_m3(50.0, 0.044, 16.043, pressure_pa=AT_2000_M_PA)
    assert lel == pytest.approx(gas_units.lel_percent_to_g_m3(50.0, 0.044, 16.043) * AT_2000_M_PA / SEA_LEVEL_PA)


def test_a_pool_flame_is_longer_in_thinner_air() -> None:
    gasoline = fuels.fuel_properties("86290-81-5")
    sea = fire.pool_fire(20.0, gasoline)
    high = fire.pool_fire(20.0, gasoline, air_pressure_pa=AT_2000_M_PA)
    # Thomas in still air: H ∝ ρa^-0.61, and ρa ∝ p at the same temperature
    assert high.flame_length_m == pytest.approx(sea.flame_length_m * (SEA_LEVEL_PA / AT_2000_M_PA) ** 0.61, rel=1e-9)
    assert high.burning_rate_kg_m2_s == sea.burning_rate_kg_m2_s


def test_a_tnt_blast_is_sachs_scaled_at_altitude() -> None:
    sea = explosion.tnt_explosion(1000.0, 46e6)
    high = explosion.tnt_explosion(1000.0, 46e6, ambient_pressure_pa=AT_2000_M_PA)
    distance = 150.0
    # Kinney & Graham: Z = f·R/W^(1/3), f = (p/p0)^(1/3); p/pa from the same fit
    z = distance * (AT_2000_M_PA / SEA_LEVEL_PA) ** (1 / 3) / high.effective_charge_kg ** (1 / 3)
    expected = AT_2000_M_PA * float(explosion.kinney_graham_overpressure_ratio(z))
    assert float(high.overpressure_pa(distance)) == pytest.approx(expected, rel=1e-12)
    # at sea level the scaling is the plain Hopkinson-Cranz one
    z0 = distance / sea.effective_charge_kg ** (1 / 3)
    assert float(sea.overpressure_pa(distance)) == pytest.approx(
        SEA_LEVEL_PA * float(explosion.kinney_graham_overpressure_ratio(z0)), rel=1e-12
    )
    # less air to push: a weaker blast, so a level is reached nearer the cloud
    assert high.distance_to_overpressure_m(6_895.0) < sea.distance_to_overpressure_m(6_895.0)


def simulate(altitude_m: float, release: accident.ReleaseInput) -> dict[str, object]:
    met = accident.WeatherInput(wind_speed_m_s=3.0, wind_from_deg=90.0, stability="D", altitude_m=altitude_m)
    return simulations.simulate_accident(
        cas=CHLORINE,
        molar_mass=70.906,
        source_lon=118.2,
        source_lat=39.2,
        release=release,
        met=met,
        thresholds=None,
        levels=None,
        duration_min=60.0,
        targets=[],
    ).results


def test_the_aegl_zones_of_a_park_at_2000_m() -> None:
    release = accident.ReleaseInput("continuous", rate_kg_s=0.2)
    sea, high = simulate(0.0, release), simulate(2000.0, release)
    assert (sea["ambient_pressure_pa"], high["ambient_pressure_pa"]) == (101_325, round(AT_2000_M_PA))
    assert high["ambient_pressure_source"] == "altitude" and high["altitude_m"] == 2000.0
    for low, up in zip(sea["zones"], high["zones"], strict=True):  # type: ignore[call-overload]  # the results are a JSON dict of mixed value types
        # the same ppm level (a volume fraction) is fewer grams per m³ in thinner air ...
        assert up["threshold_ppm"] == low["threshold_ppm"]
        assert up["threshold_g_m3"] == pytest.approx(low["threshold_g_m3"] * AT_2000_M_PA / SEA_LEVEL_PA, rel=1e-4)
        # ... so the same mass release reaches it farther downwind
        assert up["downwind_extent_m"] > low["downwind_extent_m"]


def test_a_hole_in_a_liquefied_gas_tank_leaks_faster_into_thinner_air() -> None:
    hole = accident.ReleaseInput(
        "tank_hole", hole_diameter_mm=10.0, storage_temperature_k=293.15, inventory_kg=40_000.0
    )
    sea, high = simulate(0.0, hole), simulate(2000.0, hole)
    psat = 6.8e5  # chlorine at 20 °C, about 6.8 bar absolute: the gauge pressure grows by 21.8 kPa
    sea_rate = sea["source_term"]["rate_kg_s"]  # type: ignore[index]  # the results are a JSON dict of mixed value types
    high_rate = high["source_term"]["rate_kg_s"]  # type: ignore[index]  # the results are a JSON dict of mixed value types
    # Bernoulli: the outflow goes with √(p_sat − p_air); the flash fraction does not depend on p_air
    assert high_rate / sea_rate == pytest.approx(math.sqrt((psat - AT_2000_M_PA) / (psat - SEA_LEVEL_PA)), rel=0.01)
    assert high["zones"][1]["downwind_extent_m"] > sea["zones"][1]["downwind_extent_m"]  # type: ignore[index]  # the results are a JSON dict of mixed value types


def test_the_qra_weather_carries_the_site_pressure_into_the_toxic_lethality() -> None:
    [sea] = qra_rows.weathers_from_rows([qra_rows.DEFAULT_WEATHER_CLASSES[0]])
    [high] = qra_rows.weathers_from_rows([qra_rows.DEFAULT_WEATHER_CLASSES[0]], air_pressure_pa=AT_2000_M_PA)
    assert (sea.air_pressure_pa, high.air_pressure_pa) == (SEA_LEVEL_PA, AT_2000_M_PA)
    lethality = toxic_plume_lethality(1.0, CHLORINE, exposure_min=30.0)
    x, y = np.array([400.0]), np.array([0.0])
    # the same grams per m³ are more ppm of the thinner air: a higher probit
    assert 0.0 < float(lethality(x, y, sea)[0]) < float(lethality(x, y, high)[0]) < 1.0


def test_a_qra_study_says_the_pressure_it_ran_at() -> None:
    origin = (118.2, 39.2)
    row = {
        "name": "氯气泄漏",
        "cas": CHLORINE,
        "lon": origin[0],
        "lat": origin[1],
        "frequency_per_year": 1e-5,
        "outcome": "toxic",
        "rate_kg_s": 1.0,
        "exposure_min": 30.0,
    }
    target = accident.TargetInput(1, "学校", "school", {"type": "Point", "coordinates": [118.195, 39.2]}, 500)
    runs = {
        altitude: qra_platform.run_study(
            scenario_rows=[row],
            weather_rows=list(qra_rows.DEFAULT_WEATHER_CLASSES),
            wind_rose=list(qra_rows.DEFAULT_WIND_ROSE),
            limit_rows=qra_rows.default_limits_rows(),
            fn_row=None,
            targets=[target],
            origin_lon=origin[0],
            origin_lat=origin[1],
            installation_status="existing",
            cell_m=100.0,
            margin_m=500.0,
            altitude_m=altitude,
        )
        for altitude in (0.0, 2000.0)
    }
    assert runs[2000.0]["ambient_pressure_pa"] == round(AT_2000_M_PA)
    assert runs[2000.0]["ambient_pressure_source"] == "altitude" and runs[0.0]["ambient_pressure_pa"] == 101_325
    risk = {altitude: run["target_checks"][0]["individual_risk_per_year"] for altitude, run in runs.items()}
    assert risk[2000.0] > risk[0.0] > 0.0
