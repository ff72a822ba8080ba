"""The consequence use cases the emergency services call, without a database."""

from __future__ import annotations

import pytest

from chempark.consequence import accident, simulations
from chempark.consequence.errors import ConsequenceInputError

CHLORINE = "7782-50-5"
MET = accident.WeatherInput(wind_speed_m_s=3.0, wind_from_deg=270.0, stability="D")


def test_a_tank_hole_takes_the_tank_inventory_and_the_air_pressure_only_when_not_given() -> None:
    hole = accident.ReleaseInput("tank_hole", hole_diameter_mm=50.0)
    # a vented (not pressurised) tank holds the pressure of the air around it, 79.5 kPa at 2 000 m
    filled = simulations.tank_release(hole, inventory_kg=20_000.0, pressurised=False, ambient_pressure_pa=79_495.0)
    assert (filled.inventory_kg, filled.storage_pressure_pa) == (20_000.0, 79_495.0)
    tank = {"inventory_kg": 20_000.0, "ambient_pressure_pa": 101_325.0}
    assert simulations.tank_release(hole, pressurised=True, **tank).storage_pressure_pa is None
    given = accident.ReleaseInput("tank_hole", hole_diameter_mm=50.0, inventory_kg=5.0, storage_pressure_pa=3e5)
    assert simulations.tank_release(given, pressurised=False, **tank) == given
    continuous = accident.ReleaseInput("continuous", rate_kg_s=1.0)
    assert simulations.tank_release(continuous, pressurised=False, **tank) == continuous


def test_a_threshold_needs_exactly_one_of_ppm_or_concentration() -> None:
    with pytest.raises(ConsequenceInputError, match="exactly one"):
        simulations.thresholds_for(
            [simulations.ThresholdSpec("x", ppm=1.0, concentration_g_m3=1.0)],
            None,
            CHLORINE,
            molar_mass=70.9,
            duration_min=60.0,
            temperature_k=293.15,
        )


def test_simulate_accident_returns_zones_nearest_target_first_and_json_ready_results() -> None:
    near = accident.TargetInput(1, "近处学校", "school", {"type": "Point", "coordinates": [118.203, 39.2]}, 500)
    far_upwind = accident.TargetInput(2, "上风向村庄", "village", {"type": "Point", "coordinates": [118.15, 39.2]}, 80)
    result = simulations.simulate_accident(
        cas=CHLORINE,
        molar_mass=70.9,
        source_lon=118.2,
        source_lat=39.2,
        release=accident.ReleaseInput("continuous", rate_kg_s=1.0),
        met=MET,
        thresholds=None,
        levels=None,
        duration_min=60.0,
        targets=[near, far_upwind],
    )
    assert [z["level"] for z in result.results["zones"]] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    assert [t.id for t in result.affected] == [1]
    assert result.results["affected_targets"][0]["name"] == "近处学校"


def test_a_leak_source_needs_two_detectors_and_ppm_needs_the_chemical() -> None:
    one = [simulations.DetectorReading(118.2, 39.2, concentration_g_m3=0.01)]
    with pytest.raises(ConsequenceInputError, match="at least 2"):
        simulations.estimate_leak_source(
            detectors=one, met=MET, cas=None, molar_mass=None, release_height_m=0.0, detector_height_m=1.5, targets=[]
        )
    in_ppm = [simulations.DetectorReading(118.2, 39.2, ppm=5.0), simulations.DetectorReading(118.21, 39.2, ppm=1.0)]
    with pytest.raises(ConsequenceInputError, match="needs the chemical"):
        simulations.estimate_leak_source(
            detectors=in_ppm,
            met=MET,
            cas=None,
            molar_mass=None,
            release_height_m=0.0,
            detector_height_m=1.5,
            targets=[],
        )
