"""The one-map at the scale of a large park: located layers answer for the map's view, in clusters
when zoomed out, with a bounded number of queries and a bounded answer whatever the registry holds
(bench/onemap_scale.py measures the times at 1,000 enterprises and 100,000 points)."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chempark.core.map_view import DETAIL_CAP, DETAIL_MAX
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, AlarmStatus, Point, PointLatest
from chempark.park.models import Enterprise
from tests.conftest import SmallPark

BBOX = "118.17,39.18,118.24,39.23"


def many_points(park: SmallPark, n: int, *, alarms_every: int = 0, prefix: str = "BULK") -> list[Point]:
    rng = random.Random(7)
    points = Point.objects.bulk_create(
        Point(
            enterprise=park.enterprise_a if i % 2 else park.enterprise_b,
            unit=park.unit_a if i % 2 else park.unit_b,
            code=f"{prefix}-{i}",
            name=f"批量点位{i}",
            kind="level",
            unit_of_measure="m",
            range_min=0,
            range_max=10,
            lon=rng.uniform(118.17, 118.24),
            lat=rng.uniform(39.18, 39.23),
        )
        for i in range(n)
    )
    PointLatest.objects.bulk_create(
        PointLatest(point=p, ts_ms=0, value=1.0, state={}, online=i % 10 != 0) for i, p in enumerate(points)
    )
    if alarms_every:
        Alarm.objects.bulk_create(
            Alarm(
                enterprise_id=p.enterprise_id,
                point=p,
                alarm_type="high",
                level="h",
                severity="major",
                status=AlarmStatus.ACTIVE_UNACK,
                raised_ms=1,
                raised_at="2026-01-01T00:00:00Z",
            )
            for p in points[::alarms_every]
        )
    return points


def layer(api: Any, role: Role, name: str, query: str = "") -> tuple[dict[str, Any], int, int]:
    client = api(role)
    with CaptureQueriesContext(connection) as captured:
        response = client.call("GET", f"/map/layers/{name}{query}")
    assert response.status_code == 200, response.content
    # the bearer-token check costs a few queries of its own; those of the layer are what must not grow
    return orjson.loads(response.content), len(response.content), len(captured.captured_queries)


def test_zoomed_out_the_points_layer_is_clusters_counting_alarms(park: SmallPark, api: Any) -> None:
    many_points(park, DETAIL_MAX + 200, alarms_every=50)
    data, size, queries = layer(api, Role.DISPATCHER, "monitoring_points", f"?bbox={BBOX}&zoom=13")
    assert data["clustered"] and data["total"] == DETAIL_MAX + 200
    assert sum(f["properties"]["cluster"] for f in data["features"]) == DETAIL_MAX + 200
    assert len(data["features"]) < 60 and size < 40_000
    assert all(f["properties"]["name"] == f"{f['properties']['cluster']} 个点位" for f in data["features"])
    red = [f for f in data["features"] if f["properties"]["fillColor"] == "--point-alarm"]
    assert red and all("报警未确认" in f["properties"]["popup"] for f in red)
    many_points(park, 2000, prefix="MORE")  # four times the points: as many queries, no larger an answer
    _data, size_after, queries_after = layer(api, Role.DISPATCHER, "monitoring_points", f"?bbox={BBOX}&zoom=13")
    assert queries_after == queries and size_after < 40_000


def test_zoomed_in_it_draws_each_point_in_view_and_only_those(park: SmallPark, api: Any) -> None:
    points = many_points(park, DETAIL_MAX + 200, alarms_every=7)
    west, south = 118.20, 39.20
    inside = [p for p in points if west <= p.lon <= west + 0.01 and south <= p.lat <= south + 0.005]
    data, _size, queries = layer(
        api, Role.DISPATCHER, "monitoring_points", f"?bbox={west},{south},{west + 0.01},{south + 0.005}&zoom=17"
    )
    assert not data["clustered"]
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(p.pk for p in inside)
    assert {f["properties"]["state"] for f in data["features"]} <= {"alarm", "offline", "normal"}
    assert queries <= 8  # the rows, their alarms, the count: not one per point


def test_an_answer_is_capped(park: SmallPark, api: Any) -> None:
    many_points(park, DETAIL_CAP + 100)
    data, size, _queries = layer(api, Role.DISPATCHER, "monitoring_points", f"?bbox={BBOX}&zoom=18")
    assert len(data["features"]) == DETAIL_CAP and data["total"] == DETAIL_CAP + 100
    assert size < 1_000_000


def test_an_enterprise_user_sees_only_its_own_points_in_clusters(park: SmallPark, api: Any) -> None:
    many_points(park, 2 * DETAIL_MAX + 2)
    data, _size, _queries = layer(api, Role.ENTERPRISE, "monitoring_points", f"?bbox={BBOX}&zoom=12")
    own = Point.objects.filter(enterprise=park.enterprise_a).count()
    assert data["total"] == own and sum(f["properties"].get("cluster", 1) for f in data["features"]) == own


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?bbox=1,2,3&zoom=3", "bbox"),
        ("?bbox=5,0,4,1&zoom=3", "bbox"),
        ("?bbox=0,0,1,1", "zoom"),
        ("?bbox=0,0,1,1&zoom=40", "zoom"),
        ("?bbox=nan,0,1,1&zoom=1", "bbox"),
    ],
)
def test_a_bad_view_is_named(park: SmallPark, api: Any, query: str, field: str) -> None:
    response = api(Role.DISPATCHER).call("GET", f"/map/layers/units{query}")
    assert response.status_code == 422 and response.json()["details"] == {"field": field}


def test_enterprises_are_coloured_by_their_warning_level(park: SmallPark, api: Any) -> None:
    from chempark.monitoring.models import EnterpriseWarning

    EnterpriseWarning.objects.create(enterprise=park.enterprise_a, level="red", updated_at="2026-01-01T00:00:00Z")
    data, _size, _queries = layer(api, Role.DISPATCHER, "enterprises", f"?bbox={BBOX}&zoom=14")
    colours = {f["properties"]["id"]: f["properties"]["fillColor"] for f in data["features"]}
    assert colours[park.enterprise_a.pk] == "--level-1" and colours[park.enterprise_b.pk] == "--level-4"
    popup = next(f for f in data["features"] if f["properties"]["id"] == park.enterprise_a.pk)["properties"]["popup"]
    assert "红色预警" in popup
    assert Enterprise.objects.count() == 2


def test_the_points_layer_starts_switched_off(park: SmallPark) -> None:
    from chempark.core.map_layers import map_config

    config = {c["name"]: c for c in map_config(park.actor(Role.DISPATCHER))}
    assert config["monitoring_points"]["visible"] is False and config["monitoring_points"]["viewport"] is True
    assert config["park"]["viewport"] is False
