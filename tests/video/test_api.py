"""The video API: the cameras whose view cone covers an alarm's place, a camera's stream status
(the built-in gateway, a production media server, a camera without an address, one that does not
answer) and the gateway's files."""

from __future__ import annotations

import time
from typing import Any

from chempark.accounts.models import AuditAction, AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm
from chempark.video.gateway import Gateway
from chempark.video.models import CameraKind, CameraView
from tests.monitoring.conftest import Points
from tests.monitoring.test_permission_matrix import raise_alarms
from tests.video.conftest import camera_at, looking
from tests.video.rtsp_source import pattern_camera


def cameras_around(park: Any) -> dict[str, Any]:
    """Around the alarm's point: a camera 200 m south looking north (sees it), one 100 m south looking
    south (does not), one 250 m west without a surveyed view (all round, 300 m: sees it), a camera
    looking north from 400 m south with a 300 m range (too far), and enterprise B's tower 1.5 km east
    looking west (sees it)."""
    return {
        "south": looking(camera_at(park.enterprise_a, "A-S", north_m=-200), 0, 90, 300),
        "away": looking(camera_at(park.enterprise_a, "A-AWAY", north_m=-100), 180, 90, 300),
        "plain": camera_at(park.enterprise_a, "A-W", east_m=-250),
        "far": looking(camera_at(park.enterprise_a, "A-FAR", north_m=-400), 0, 90, 300),
        "tower": looking(camera_at(park.enterprise_b, "B-TOWER", east_m=1500), 270, 60, 2000, CameraKind.TOWER),
    }


def test_the_cameras_that_see_an_alarm_by_view_cone_and_distance(park: Any, points: Points, api: Any) -> None:
    cameras_around(park)
    alarm, _ = raise_alarms(points)
    seen = api(Role.DISPATCHER).call("GET", f"/video/alarms/{alarm.pk}/cameras").json()
    assert [(c["code"], c["kind"]) for c in seen] == [
        ("A-S", "固定摄像机"),
        ("A-W", "固定摄像机"),
        ("B-TOWER", "高空瞭望（云台）"),
    ]
    assert [round(c["distance_m"], -1) for c in seen] == [200, 250, 1500]
    own = api(Role.ENTERPRISE).call("GET", f"/video/alarms/{alarm.pk}/cameras").json()
    assert [c["code"] for c in own] == ["A-S", "A-W"]  # the enterprise sees none of B's cameras


def test_a_video_alarm_lists_its_own_camera_first(park: Any, points: Points, api: Any) -> None:
    cameras = cameras_around(park)
    alarm, _ = raise_alarms(points)
    Alarm.objects.filter(pk=alarm.pk).update(point=None, camera=cameras["plain"])
    seen = api(Role.DISPATCHER).call("GET", f"/video/alarms/{alarm.pk}/cameras").json()
    assert seen[0]["code"] == "A-W" and seen[0]["distance_m"] == 0


def test_watching_a_live_camera_through_the_gateway(park: Any, api: Any, gateway: Gateway) -> None:
    client = api(Role.DISPATCHER)
    with pattern_camera() as url:
        camera = camera_at(park.enterprise_a, "A-LIVE", url=url)
        first = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
        assert first["state"] == "starting" and first["message"] == "正在连接摄像机…" and first["playlist_url"] == ""
        deadline = time.monotonic() + 20
        status = first
        while status["state"] == "starting" and time.monotonic() < deadline:
            time.sleep(0.2)  # ffmpeg's real start-up
            status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
        assert status["state"] == "playing", status
        assert status["playlist_url"] == f"/api/v1/video/cameras/{camera.pk}/hls/index.m3u8"
        playlist = client.call("GET", status["playlist_url"].removeprefix("/api/v1"))
        assert playlist.status_code == 200 and playlist["Content-Type"] == "application/vnd.apple.mpegurl"
        text = b"".join(playlist.streaming_content).decode()
        segment_name = next(line for line in text.splitlines() if line.endswith(".ts"))
        segment = client.call("GET", f"/video/cameras/{camera.pk}/hls/{segment_name}")
        assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
        assert b"".join(segment.streaming_content)[:1] == b"\x47"
    missing = client.call("GET", f"/video/cameras/{camera.pk}/hls/seg999999.ts")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_camera_that_does_not_answer_is_a_status_with_the_reason(park: Any, api: Any, gateway: Gateway) -> None:
    camera = camera_at(park.enterprise_a, "A-DEAD", url="rtsp://127.0.0.1:9/none")  # the discard port: refused
    client = api(Role.DISPATCHER)
    status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    deadline = time.monotonic() + 20
    while status["state"] == "starting" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    assert status["state"] == "failed" and status["message"] == "视频流无响应：拉流进程已退出"
    assert "refused" in status["detail"].lower() and status["playlist_url"] == ""


def test_a_camera_without_an_address_and_a_production_media_server(
    park: Any, api: Any, configure: Any, gateway: Gateway
) -> None:
    camera = camera_at(park.enterprise_a, "A-NONE", url="rtsp://x/1")
    camera.stream_url = ""
    camera.save()
    client = api(Role.INSPECTOR)
    status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    assert status["state"] == "no_source" and status["message"] == "未配置视频流地址"
    configure(video_hls_url_template="https://media.example/live/{code}/{camera}.m3u8")
    status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    assert status["state"] == "external"
    assert status["playlist_url"] == f"https://media.example/live/A-NONE/{camera.pk}.m3u8"
    assert not gateway._streams  # the built-in gateway was never started


def test_setting_a_cameras_view_is_validated_audited_and_used_at_once(park: Any, points: Points, api: Any) -> None:
    camera = camera_at(park.enterprise_a, "A-NORTH", north_m=200)  # all round, 300 m: sees the point
    alarm, _ = raise_alarms(points)
    client = api(Role.ENTERPRISE)
    seen = client.call("GET", f"/video/alarms/{alarm.pk}/cameras").json()
    assert [c["code"] for c in seen] == ["A-NORTH"]
    view = {"kind": "fixed", "heading_deg": 0.0, "fov_deg": 90.0, "range_m": 300.0}  # looking away
    assert client.call("PUT", f"/video/cameras/{camera.pk}/view", view).json() == {"camera": camera.pk, **view}
    assert client.call("GET", f"/video/alarms/{alarm.pk}/cameras").json() == []
    turned = {**view, "kind": "tower", "heading_deg": 180.0}
    assert client.call("PUT", f"/video/cameras/{camera.pk}/view", turned).status_code == 200
    assert client.call("PUT", f"/video/cameras/{camera.pk}/view", turned).status_code == 200  # unchanged: no row
    assert [c["kind"] for c in client.call("GET", f"/video/alarms/{alarm.pk}/cameras").json()] == ["高空瞭望（云台）"]
    rows = AuditEvent.objects.filter(object_type="camera_view", object_id=str(camera.pk)).order_by("pk")
    assert [(r.action, (r.before or {}).get("heading_deg"), r.after["heading_deg"]) for r in rows] == [
        (AuditAction.CREATE, None, 0.0),
        (AuditAction.UPDATE, 0.0, 180.0),
    ]
    for field, bad in (("heading_deg", 400.0), ("fov_deg", 0.0), ("range_m", -5.0), ("kind", "dome")):
        answer = client.call("PUT", f"/video/cameras/{camera.pk}/view", {**turned, field: bad})
        assert answer.status_code == 422 and field in str(answer.json()["details"]), (field, answer.json())
    assert CameraView.objects.get(camera=camera).heading_deg == 180.0  # bad input changed nothing
