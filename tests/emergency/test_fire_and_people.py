"""事故模拟 beyond toxic clouds: fire and explosion zones through the API, the people counted in
each zone (protective targets, employees, the population layer), refusals that name the model,
a tank's measured storage conditions, and the link of a run to the alarm it was started from."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency.models import PopulatedArea, SimulationRun
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Point, PointKind, PointLatest, Severity
from chempark.park.services import registry_create
from tests.conftest import SmallPark
from tests.emergency.conftest import chlorine_leak

WEATHER = {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"}
# a village of about 220 m × 220 m, 470-690 m west (downwind of an east wind) of the leak at 118.18, 39.2
VILLAGE = {
    "type": "Polygon",
    "coordinates": [[[118.172, 39.199], [118.1746, 39.199], [118.1746, 39.201], [118.172, 39.201], [118.172, 39.199]]],
}


@pytest.fixture
def gasoline(park: SmallPark) -> Any:
    return registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={"name_zh": "汽油", "name_en": "gasoline", "cas": "86290-81-5", "un_number": "1203"},
    )


def test_pool_fire_of_a_gasoline_tank_draws_radiation_zones(park: SmallPark, api: Any, gasoline: Any) -> None:
    tank = registry_create(
        actor=SYSTEM,
        kind="tank",
        values={
            "unit": park.unit_a.pk,
            "code": "T09",
            "name": "汽油储罐",
            "kind": "fixed_roof",
            "chemical": gasoline.pk,
            "design_max_t": Decimal("500"),
            "bund_area_m2": Decimal("3000"),
        },
    )
    body = {"tank_id": tank.pk, "scenario": {"kind": "pool_fire"}, "weather": WEATHER}
    response = api(Role.DISPATCHER).call("POST", "/simulations/fire", body)
    assert response.status_code == 201, response.json()
    run = response.json()
    assert run["scenario"] == "pool_fire" and run["chemical_cas"] == "86290-81-5"
    zones = run["results"]["zones"]
    assert [(z["value"], z["unit"]) for z in zones] == [
        (37.5, "kW/m2"),
        (12.5, "kW/m2"),
        (4.0, "kW/m2"),
        (1.6, "kW/m2"),
    ]
    reaches = [z["reach_m"] for z in zones]
    # lower flux reaches farther; the bund (3000 m², a 62 m pool) holds the 500 t spill
    assert reaches[1] < reaches[2] < reaches[3] and 30.0 < reaches[3] < 1000.0
    facts = {f["code"]: f["value"] for f in run["results"]["facts"]}
    assert facts["pool_diameter"] == pytest.approx((4 * 3000 / 3.141592653589793) ** 0.5, abs=0.1)
    # the employees of both enterprises, at their sites next to the tank, are inside the 1.6 kW/m² zone
    assert zones[3]["people"]["enterprise"] == 200


@pytest.mark.parametrize(
    ("scenario", "chemical", "message"),
    [
        (
            {"kind": "pool_fire", "pool_diameter_m": 20.0},
            "7782-50-5",
            "池火模型拒绝计算：缺少化学品（CAS 7782-50-5）的燃烧数据",
        ),
        (
            {"kind": "pool_fire", "pool_diameter_m": 250.0},
            "86290-81-5",
            "池火模型拒绝计算：池直径 250 m 超过关联式适用上限 100 m",
        ),
        ({"kind": "fireball"}, "86290-81-5", "火球模型拒绝计算：缺少输入：可燃物质量"),
    ],
)
def test_refusals_name_the_model_and_what_is_missing(
    park: SmallPark, api: Any, gasoline: Any, scenario: Any, chemical: str, message: str
) -> None:
    body = {"chemical_cas": chemical, "source": {"lon": 118.2, "lat": 39.2}, "scenario": scenario, "weather": WEATHER}
    response = api(Role.DISPATCHER).call("POST", "/simulations/fire", body)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message), response.json()
    assert not SimulationRun.objects.exists()


def test_explosions_give_overpressure_circles(park: SmallPark, api: Any, gasoline: Any) -> None:
    client = api(Role.EXPERT)
    tnt = client.call(
        "POST",
        "/simulations/fire",
        {
            "chemical_cas": "86290-81-5",
            "source": {"lon": 118.2, "lat": 39.2},
            "weather": WEATHER,
            "scenario": {"kind": "vce_tnt", "mass_kg": 1000.0},
        },
    ).json()
    multi = client.call(
        "POST",
        "/simulations/fire",
        {
            "chemical_cas": "86290-81-5",
            "source": {"lon": 118.2, "lat": 39.2},
            "weather": WEATHER,
            "scenario": {"kind": "vce_multi_energy", "congested_volume_m3": 2000.0, "strength": 7},
        },
    ).json()
    for run in (tnt, multi):
        zones = run["results"]["zones"]
        assert [z["unit"] for z in zones] == ["kPa"] * 3
        assert 0 < zones[0]["reach_m"] < zones[1]["reach_m"] < zones[2]["reach_m"]
        # a circle: every vertex at the same distance from the centre
        ring = run["results"]["geojson"]["features"][2]["geometry"]["coordinates"][0]
        lons = [p[0] for p in ring]
        assert max(lons) - 118.2 == pytest.approx(118.2 - min(lons), rel=1e-3)


def test_the_population_layer_is_counted_per_zone(park: SmallPark, api: Any) -> None:
    bureau = api(Role.BUREAU_ADMIN)
    created = bureau.call(
        "POST",
        "/populated-areas",
        {"name": "西河村", "kind": "village", "geometry": VILLAGE, "population": 800, "source": "2024 年村委会统计"},
    )
    assert created.status_code == 201, created.json()
    run = bureau.call("POST", "/simulations/accident", chlorine_leak()).json()
    zones = run["results"]["zones"]
    village = [t for t in run["results"]["affected_targets"] if t["group"] == "population"]
    assert [t["name"] for t in village] == ["西河村"] and 0 < village[0]["people_affected"] <= 800
    # the outermost zone counts everyone inside it: the village share; the enterprises are upwind
    assert zones[-1]["people"]["population"] >= village[0]["people_affected"]
    assert zones[-1]["people"]["enterprise"] == 0
    assert zones[-1]["people"]["total"] == sum(v for k, v in zones[-1]["people"].items() if k != "total")
    # the thresholds are shown in both units
    assert zones[0]["threshold_ppm"] == 20.0 and zones[0]["threshold_mg_m3"] == pytest.approx(59.0, abs=0.5)


def test_populated_areas_are_the_bureaus_to_edit(park: SmallPark, api: Any) -> None:
    body = {"name": "东村", "geometry": VILLAGE, "population": 10}
    assert api(Role.DISPATCHER).call("POST", "/populated-areas", body).status_code == 403
    bad = api(Role.BUREAU_ADMIN).call(
        "POST", "/populated-areas", {**body, "geometry": {"type": "Point", "coordinates": [1, 2]}}
    )
    assert bad.status_code == 422 and bad.json()["details"] == {"geometry": ["invalid"]}
    pk = api(Role.BUREAU_ADMIN).call("POST", "/populated-areas", body).json()["id"]
    changed = api(Role.BUREAU_ADMIN).call("PATCH", f"/populated-areas/{pk}", {"population": 25})
    assert changed.json()["population"] == 25 and PopulatedArea.objects.get(pk=pk).population == 25


def _point(park: SmallPark, kind: str, uom: str, value: float, **extra: Any) -> Point:
    point = Point.objects.create(
        enterprise=park.enterprise_a,
        unit=park.unit_a,
        code=f"{kind}-1",
        name=kind,
        kind=kind,
        unit_of_measure=uom,
        range_min=0,
        range_max=100,
        lon=118.2,
        lat=39.2,
        **extra,
    )
    PointLatest.objects.create(point=point, ts_ms=1_700_000_000_000, value=value, state={}, online=True)
    return point


def test_a_tank_hole_uses_the_measured_temperature_or_says_it_is_missing(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(
        source=None, chemical_cas=None, tank_id=park.tank_a.pk, release={"kind": "tank_hole", "hole_diameter_mm": 10}
    )
    client = api(Role.DISPATCHER)
    refused = client.call("POST", "/simulations/accident", body)
    assert refused.status_code == 422
    assert "没有储存温度" in refused.json()["message"] and "储罐孔洞泄漏模型" in refused.json()["message"]
    _point(park, PointKind.TEMPERATURE, "°C", 30.0, tank=park.tank_a)
    run = client.call("POST", "/simulations/accident", body).json()
    assert run["inputs"]["release"]["storage_temperature_k"] == pytest.approx(303.15)


def test_a_run_started_from_an_alarm_is_linked_to_it(park: SmallPark, api: Any) -> None:
    point = _point(park, PointKind.GAS_PPM, "ppm", 30.0, tank=park.tank_a)
    with time_machine.travel(datetime(2025, 1, 8, 3, 0, tzinfo=UTC), tick=False):
        alarm = Alarm.objects.create(
            enterprise=park.enterprise_a,
            point=point,
            alarm_type=AlarmType.HIGH,
            severity=Severity.MAJOR,
            status=AlarmStatus.ACTIVE_UNACK,
            raised_ms=1_736_305_200_000,
            raised_at=datetime(2025, 1, 8, 3, 0, tzinfo=UTC),
            value=30.0,
        )
    run = (
        api(Role.DISPATCHER)
        .call("POST", "/simulations/accident", chlorine_leak(alarm_id=alarm.pk, origin="alarm"))
        .json()
    )
    assert run["alarm_id"] == alarm.pk and run["origin"] == "alarm"
    # an enterprise user of another enterprise does not see that alarm
    other = api(Role.ENTERPRISE).call("POST", "/simulations/accident", chlorine_leak(alarm_id=alarm.pk))
    assert other.status_code in (201, 404)
