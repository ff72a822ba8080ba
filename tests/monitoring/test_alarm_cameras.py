"""Cameras near an alarm, on the alarm API (detail and list) and the alarm page: one rule for both —
within 300 m of the alarm's point, nearest first, among the cameras the user may see."""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chempark.common import geo
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import camera_create
from chempark.monitoring.models import Alarm, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.monitoring.conftest import Points

M_PER_DEG_LAT = 111_195.0  # metres per degree of latitude on the mean sphere


def camera_at(enterprise: Any, code: str, north_m: float = 0.0, east_m: float = 0.0) -> Any:
    lat = 39.2 + north_m / M_PER_DEG_LAT
    lon = 118.2 + east_m / (M_PER_DEG_LAT * 0.7749)  # cos(39.2°)
    return camera_create(
        actor=SYSTEM,
        values={
            "enterprise": enterprise.pk,
            "code": code,
            "name": f"摄像机 {code}",
            "lon": lon,
            "lat": lat,
            "stream_url": f"rtsp://10.0.0.9/{code}",
        },
    )


def raise_alarm(point: Any) -> Alarm:
    ts = int(time.time() * 1000) - 1000
    raw = b'{"readings": [{"point": "%s", "ts": %d, "value": 9.5}]}' % (point.code.encode(), ts)
    ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, point.enterprise_id)], transport=Transport.HTTP)
    return Alarm.objects.get(point=point)


def setup(park: Any, points: Points) -> Alarm:
    """The alarm's point is at (118.2, 39.2); cameras around it."""
    camera_at(park.enterprise_a, "A-200", north_m=200)
    camera_at(park.enterprise_a, "A-400", north_m=400)
    camera_at(park.enterprise_b, "B-100", east_m=100)
    return raise_alarm(points.level_a)


def test_detail_lists_cameras_within_300_m_nearest_first(park: Any, points: Points, api: Any) -> None:
    alarm = setup(park, points)
    cameras = api(Role.DISPATCHER).call("GET", f"/monitoring/alarms/{alarm.pk}").json()["cameras"]
    assert [c["code"] for c in cameras] == ["B-100", "A-200"]
    assert abs(cameras[0]["distance_m"] - 100) <= 2 and abs(cameras[1]["distance_m"] - 200) <= 2
    assert set(cameras[1]) == {"id", "code", "name", "distance_m", "stream_url"}
    assert cameras[1]["stream_url"] == "rtsp://10.0.0.9/A-200"


def test_another_enterprises_camera_follows_the_users_view(park: Any, points: Points, api: Any) -> None:
    # the page's rule: the bureau sees every camera, an enterprise user only its own enterprise's
    alarm = setup(park, points)
    own = api(Role.ENTERPRISE).call("GET", f"/monitoring/alarms/{alarm.pk}").json()["cameras"]
    assert [c["code"] for c in own] == ["A-200"]
    listed = api(Role.ENTERPRISE).call("GET", "/monitoring/alarms").json()["items"]
    assert [c["code"] for c in listed[0]["cameras"]] == ["A-200"]


def test_page_and_api_agree(park: Any, points: Points, api: Any) -> None:
    alarm = setup(park, points)
    for role in (Role.DISPATCHER, Role.ENTERPRISE):
        client = Client()
        client.force_login(park.users[role])
        page = client.get(reverse("monitoring:alarm-detail", args=[alarm.pk])).content.decode()
        table = page[page.index('data-testid="camera-table"') :]
        shown = [code for code in ("A-200", "A-400", "B-100") if f"({code})" in table]
        from_api = [c["code"] for c in api(role).call("GET", f"/monitoring/alarms/{alarm.pk}").json()["cameras"]]
        assert sorted(shown) == sorted(from_api), role
        assert [table.index(f"({code})") for code in from_api] == sorted(table.index(f"({c})") for c in from_api)


def test_list_fetches_the_cameras_once(park: Any, points: Points, api: Any) -> None:
    setup(park, points)
    raise_alarm(points.level_b)
    with CaptureQueriesContext(connection) as queries:
        items = api(Role.DISPATCHER).call("GET", "/monitoring/alarms").json()["items"]
    assert len(items) == 2 and all(item["cameras"] for item in items)
    assert sum('FROM "monitoring_camera"' in q["sql"] for q in queries.captured_queries) == 1


def test_video_alarm_is_placed_at_its_camera(park: Any, points: Points) -> None:
    from chempark.monitoring import selectors

    near = camera_at(park.enterprise_a, "A-200", north_m=200)
    far = camera_at(park.enterprise_a, "A-400", north_m=400)
    alarm = Alarm(
        enterprise_id=park.enterprise_a.pk,
        camera=far,
        alarm_type="video",
        severity="major",
        status="active_unack",
        raised_ms=0,
        detail="",
    )
    found = selectors.cameras_near_alarm(park.actor(Role.DISPATCHER), alarm)
    assert [(n.camera.code, n.distance_m) for n in found] == [("A-400", 0), ("A-200", 200)]
    assert round(geo.haversine_m(near.lon, near.lat, 118.2, 39.2)) == 200
