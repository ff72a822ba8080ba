"""The one-map's search, on the server and scoped: it finds points, tanks and cameras (and
enterprises, units, protective targets) by name or code, with where to centre the map; an
enterprise user finds only its own."""

from __future__ import annotations

from typing import Any

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import camera_create
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points
from tests.monitoring.test_permission_matrix import camera_values


def found(api: Any, role: Role, q: str) -> list[tuple[str, int]]:
    response = api(role).call("GET", f"/map/search?q={q}")
    assert response.status_code == 200, response.content
    return [(hit["kind"], hit["id"]) for hit in response.json()]


def test_points_tanks_and_cameras_are_found(park: SmallPark, points: Points, api: Any) -> None:
    camera_a = camera_create(actor=SYSTEM, values=camera_values(park.enterprise_a, "CAM-A"))
    camera_b = camera_create(actor=SYSTEM, values=camera_values(park.enterprise_b, "CAM-B"))
    assert found(api, Role.DISPATCHER, "GD-301") == [("point", points.gas_a.pk)]
    assert set(found(api, Role.DISPATCHER, "液氯储罐")) == {("tank", park.tank_a.pk), ("tank", park.tank_b.pk)}
    assert set(found(api, Role.DISPATCHER, "CAM")) == {("camera", camera_a.pk), ("camera", camera_b.pk)}
    hit = api(Role.DISPATCHER).call("GET", "/map/search?q=GD-301").json()[0]
    assert (hit["lon"], hit["lat"]) == (points.gas_a.lon, points.gas_a.lat)
    assert hit["kind_label"] == "监测点位" and hit["url"] == f"/monitoring/points/{points.gas_a.pk}/"
    tank = next(h for h in api(Role.DISPATCHER).call("GET", "/map/search?q=T01").json() if h["kind"] == "tank")
    assert (tank["lon"], tank["lat"]) == (park.unit_a.lon, park.unit_a.lat)  # a tank is where its unit is


def test_an_enterprise_user_finds_only_its_own(park: SmallPark, points: Points, api: Any) -> None:
    camera_create(actor=SYSTEM, values=camera_values(park.enterprise_b, "CAM-B"))
    assert found(api, Role.ENTERPRISE, "LT-101") == [("point", points.level_a.pk)]
    assert found(api, Role.ENTERPRISE, "B-ONLY") == []
    assert found(api, Role.ENTERPRISE, "CAM-B") == []
    assert found(api, Role.ENTERPRISE, "液氯储罐") == [("tank", park.tank_a.pk)]
    assert ("enterprise", park.enterprise_b.pk) not in found(api, Role.ENTERPRISE, park.enterprise_b.name)


def test_targets_are_placed_inside_their_area(park: SmallPark, api: Any) -> None:
    hits = api(Role.INSPECTOR).call("GET", f"/map/search?q={park.target.name}").json()
    target = next(h for h in hits if h["kind"] == "target")
    assert target["id"] == park.target.pk and -180 <= target["lon"] <= 180


def test_an_empty_or_overlong_query(park: SmallPark, api: Any) -> None:
    assert found(api, Role.DISPATCHER, "  ") == []
    response = api(Role.DISPATCHER).call("GET", "/map/search?q=" + "字" * 51)
    assert response.status_code == 422 and response.json()["details"] == {"field": "q"}
