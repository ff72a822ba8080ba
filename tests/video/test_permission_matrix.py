"""Every video endpoint × every role: whoever reads monitoring data may watch the cameras and see
which of them cover an alarm, an enterprise user only its own enterprise's; the auditor and the
security administrator (three-role separation) and machines watch nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from chempark.core.roles import Role
from tests.conftest import ApiClient
from tests.monitoring.conftest import Points
from tests.monitoring.test_permission_matrix import raise_alarms
from tests.video.conftest import camera_at

COVERED_PATHS = {
    "/api/v1/video/cameras/{pk}/stream",
    "/api/v1/video/cameras/{pk}/hls/{name}",
    "/api/v1/video/alarms/{pk}/cameras",
    "/api/v1/video/cameras/{pk}/view",
}
CONFIGURERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE}
VIEW = {"kind": "tower", "heading_deg": 90.0, "fov_deg": 60.0, "range_m": 2000.0}
WATCHERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
PERSONS = [r for r in Role if r is not Role.MACHINE]


def attempt(client: ApiClient, path: str, method: str = "GET", body: Any = None) -> int:
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_video_matrix(park: Any, points: Points, api: Any, role: Role | None, configure: Any) -> None:
    configure(video_hls_url_template="https://media.example/{camera}.m3u8")  # no ffmpeg in a permission check
    own = camera_at(park.enterprise_a, "A-1")
    foreign = camera_at(park.enterprise_b, "B-1")
    alarm_a, alarm_b = raise_alarms(points)
    client = api(role)
    paths = {
        "own_stream": f"/video/cameras/{own.pk}/stream",
        "foreign_stream": f"/video/cameras/{foreign.pk}/stream",
        "own_file": f"/video/cameras/{own.pk}/hls/index.m3u8",
        "own_alarm": f"/video/alarms/{alarm_a.pk}/cameras",
        "foreign_alarm": f"/video/alarms/{alarm_b.pk}/cameras",
    }
    if role not in WATCHERS:
        refused = 401 if role is None else 403
        assert {name: attempt(client, path) for name, path in paths.items()} == dict.fromkeys(paths, refused)
        assert attempt(client, f"/video/cameras/{own.pk}/view", "PUT", VIEW) == refused
        return
    scoped = role is Role.ENTERPRISE
    assert attempt(client, paths["own_stream"]) == 200
    assert attempt(client, paths["foreign_stream"]) == (404 if scoped else 200)
    assert attempt(client, paths["own_file"]) == 404  # nothing playing on the built-in gateway
    assert attempt(client, f"/video/cameras/{foreign.pk}/hls/index.m3u8") == 404
    assert attempt(client, paths["own_alarm"]) == 200
    assert attempt(client, paths["foreign_alarm"]) == (404 if scoped else 200)
    configures = role in CONFIGURERS
    assert attempt(client, f"/video/cameras/{own.pk}/view", "PUT", VIEW) == (200 if configures else 403)
    assert attempt(client, f"/video/cameras/{foreign.pk}/view", "PUT", VIEW) == (
        404 if scoped else (200 if configures else 403)
    )
