"""A park above sea level: its altitude, set in the registry, gives the air pressure of every
事故模拟 run, leak-source estimate and QRA study, and each says which pressure it used."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import services
from chempark.emergency.models import QraStudy
from chempark.park.services import registry_create, registry_update
from tests.conftest import SmallPark
from tests.emergency.conftest import chlorine_leak
from tests.emergency.test_leak_source_layer import SOURCE_A, detectors, ingest, sources

AT_2000_M_PA = 101_325.0 * (1.0 - 2.25577e-5 * 2000.0) ** 5.25588  # ICAO standard atmosphere, 79.50 kPa
WEATHER = {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"}


def at_altitude(park: SmallPark, altitude_m: float) -> None:
    registry_update(actor=SYSTEM, kind="park", pk=park.park.pk, values={"altitude_m": altitude_m})


def test_a_tank_leak_at_2000_m_has_thinner_air_and_a_longer_zone(park: SmallPark, api: Any) -> None:
    client = api(Role.DISPATCHER)
    body = chlorine_leak(
        source=None,
        chemical_cas=None,
        tank_id=park.tank_a.pk,
        release={"kind": "tank_hole", "hole_diameter_mm": 10, "storage_temperature_k": 293.15},
    )
    sea = client.call("POST", "/simulations/accident", body).json()["results"]
    at_altitude(park, 2000.0)
    response = client.call("POST", "/simulations/accident", body)
    assert response.status_code == 201, response.json()
    high = response.json()["results"]
    assert (sea["ambient_pressure_pa"], sea["altitude_m"]) == (101_325, 0.0)
    assert high["ambient_pressure_pa"] == round(AT_2000_M_PA)
    assert (high["ambient_pressure_source"], high["altitude_m"]) == ("altitude", 2000.0)
    # the liquefied chlorine pushes against 21.8 kPa less air: it leaks faster, and each AEGL (the
    # same ppm, fewer grams in the thinner air) is reached farther downwind
    assert high["source_term"]["rate_kg_s"] > sea["source_term"]["rate_kg_s"]
    for low, up in zip(sea["zones"], high["zones"], strict=True):
        assert up["threshold_ppm"] == low["threshold_ppm"]
        assert up["downwind_extent_m"] > low["downwind_extent_m"]


def test_a_vented_tank_holds_the_air_pressure_of_its_park(park: SmallPark, api: Any) -> None:
    methanol = registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={"name_zh": "甲醇", "name_en": "methanol", "cas": "67-56-1", "un_number": "1230"},
    )
    tank = registry_create(
        actor=SYSTEM,
        kind="tank",
        values={
            "unit": park.unit_a.pk,
            "code": "T08",
            "name": "甲醇储罐",
            "kind": "fixed_roof",
            "chemical": methanol.pk,
            "design_max_t": Decimal("100"),
        },
    )
    at_altitude(park, 2000.0)
    body = chlorine_leak(
        source=None,
        chemical_cas=None,
        tank_id=tank.pk,
        release={"kind": "tank_hole", "hole_diameter_mm": 50, "storage_temperature_k": 293.15},
        thresholds=[{"label": "1000 ppm", "ppm": 1000}],
    )
    response = api(Role.DISPATCHER).call("POST", "/simulations/accident", body)
    # the tank breathes the park's 79.5 kPa, so a hole at its bottom without a liquid head has nothing
    # to push the liquid out; taken at 1 atm it would have 21.8 kPa of phantom gauge pressure
    assert response.status_code == 422
    assert response.json()["details"]["reason"].startswith("no driving pressure")


def test_fire_and_blast_at_2000_m(park: SmallPark, api: Any) -> None:
    registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={"name_zh": "丙烷", "name_en": "propane", "cas": "74-98-6", "un_number": "1978"},
    )
    registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={"name_zh": "汽油", "name_en": "gasoline", "cas": "86290-81-5", "un_number": "1203"},
    )
    client = api(Role.DISPATCHER)
    pool = {
        "source": {"lon": 118.18, "lat": 39.2},
        "weather": WEATHER,
        "chemical_cas": "86290-81-5",
        "scenario": {"kind": "pool_fire", "pool_diameter_m": 20.0},
    }
    blast = {
        "source": {"lon": 118.18, "lat": 39.2},
        "weather": WEATHER,
        "chemical_cas": "74-98-6",
        "scenario": {"kind": "vce_tnt", "mass_kg": 2000.0},
    }
    sea = [client.call("POST", "/simulations/fire", body).json()["results"] for body in (pool, blast)]
    at_altitude(park, 2000.0)
    high = [client.call("POST", "/simulations/fire", body).json()["results"] for body in (pool, blast)]
    assert [r["ambient_pressure_pa"] for r in high] == [round(AT_2000_M_PA)] * 2
    assert [r["ambient_pressure_pa"] for r in sea] == [101_325] * 2
    flame = [{f["code"]: f["value"] for f in r["facts"]}["flame_length"] for r in (sea[0], high[0])]
    assert flame[1] > flame[0]  # thinner air: a longer flame (Thomas), so the heat reaches farther
    assert high[0]["zones"][-1]["reach_m"] > sea[0]["zones"][-1]["reach_m"]
    # less air to push: the 1 psi line of the blast draws in
    assert high[1]["zones"][-1]["reach_m"] < sea[1]["zones"][-1]["reach_m"]


def test_the_leak_source_layer_reads_ppm_in_the_parks_air(park: SmallPark, api: Any) -> None:
    ingest(park.enterprise_a, detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA"))
    [sea] = sources(api(Role.DISPATCHER).call("GET", "/map/layers/leak_source").json()["features"])
    at_altitude(park, 2000.0)
    [high] = sources(api(Role.DISPATCHER).call("GET", "/map/layers/leak_source").json()["features"])
    assert (sea["properties"]["ambient_pressure_pa"], high["properties"]["ambient_pressure_pa"]) == (
        101_325,
        round(AT_2000_M_PA),
    )
    # the same ppm readings are fewer grams per m³ at 2 000 m: the fitted rate scales with the pressure
    assert high["properties"]["rate_g_s"] == pytest.approx(
        sea["properties"]["rate_g_s"] * AT_2000_M_PA / 101_325, rel=2e-3
    )
    assert high["geometry"]["coordinates"] == pytest.approx(sea["geometry"]["coordinates"], abs=1e-6)


def test_a_leak_source_estimate_through_the_api_says_its_pressure(park: SmallPark, api: Any) -> None:
    at_altitude(park, 2000.0)
    body = {
        "detectors": [
            {"lon": 118.19, "lat": 39.2, "ppm": 5.0},
            {"lon": 118.185, "lat": 39.2, "ppm": 2.0},
            {"lon": 118.185, "lat": 39.201, "ppm": 1.0},
        ],
        "weather": WEATHER,
        "chemical_cas": "7782-50-5",
    }
    response = api(Role.DISPATCHER).call("POST", "/simulations/leak-source", body)
    assert response.status_code == 201, response.json()
    assert response.json()["results"]["ambient_pressure_pa"] == round(AT_2000_M_PA)


def test_a_qra_study_runs_at_the_parks_altitude(
    park: SmallPark, small_study: QraStudy, run_jobs: Callable[[], int]
) -> None:
    at_altitude(park, 2000.0)
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    assert run_jobs() == 1
    small_study.refresh_from_db()
    assert small_study.results is not None, small_study.error
    assert small_study.results["ambient_pressure_pa"] == round(AT_2000_M_PA)
    assert (small_study.results["ambient_pressure_source"], small_study.results["altitude_m"]) == ("altitude", 2000.0)


def test_the_simulation_page_shows_the_air_pressure_and_converts_gauge_pressure_over_it(
    park: SmallPark, client: Any
) -> None:
    at_altitude(park, 2000.0)
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get("/emergency/simulation/").content.decode()
    assert "环境气压 79.5 kPa（园区海拔 2000 m，按标准大气）" in page
    # the script adds this to a tank's gauge reading to make the absolute storage pressure
    assert f'data-ambient-pressure-pa="{round(AT_2000_M_PA)}"' in page
