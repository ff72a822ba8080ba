"""The video API: the cameras whose view cone covers an alarm's place, a camera's stream status
(the built-in gateway, a production media server, a camera without an address, one that does not
answer) and the gateway's files."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import F

from chempark.accounts.models import AuditAction, AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm
from chempark.video import streaming
from chempark.video.models import CameraKind, CameraView, VideoGatewayBeat, VideoStream
from chempark.video.supervisor import STALE_S
from tests.monitoring.conftest import Points
from tests.monitoring.test_permission_matrix import raise_alarms
from tests.video.conftest import GatewayRounds, camera_at, looking
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


def _poll(client: Any, camera: Any, gateway: GatewayRounds) -> dict[str, Any]:
    """The stream's status once it is no longer starting, the gateway service's rounds running
    between the player's polls."""
    deadline = time.monotonic() + 20
    status: dict[str, Any] = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    while status["state"] == "starting" and time.monotonic() < deadline:
        time.sleep(0.2)  # ffmpeg's real start-up
        gateway.round()
        status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    return status


def test_watching_a_live_camera_through_the_gateway(park: Any, api: Any, gateway: GatewayRounds) -> None:
    client = api(Role.DISPATCHER)
    with pattern_camera() as url:
        camera = camera_at(park.enterprise_a, "A-LIVE", url=url)
        first = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
        assert first["state"] == "starting" and first["message"] == "正在连接摄像机…" and first["playlist_url"] == ""
        assert VideoStream.objects.get(camera=camera).state == "idle"  # the demand, not yet answered
        status = _poll(client, camera, gateway)
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
    for name in ("ffmpeg.log", "..%2Fsecret"):
        assert client.call("GET", f"/video/cameras/{camera.pk}/hls/{name}").status_code == 404
    gateway.supervisor.close()  # the service stops: its streams are idle, nothing is served
    assert VideoStream.objects.get(camera=camera).state == "idle"
    assert client.call("GET", status["playlist_url"].removeprefix("/api/v1")).status_code == 404


def test_a_watched_camera_stays_wanted_and_an_unwatched_one_is_stopped(
    park: Any, api: Any, gateway: GatewayRounds
) -> None:
    """The demand is written at most every few seconds, and the service stops a camera whose demand
    has not moved for the idle time — measured on its own clock, whatever the web's says."""
    client = api(Role.DISPATCHER)
    camera = camera_at(park.enterprise_a, "A-IDLE", url="rtsp://127.0.0.1:9/none")
    client.call("GET", f"/video/cameras/{camera.pk}/stream")
    written = VideoStream.objects.get(camera=camera).wanted_at
    client.call("GET", f"/video/cameras/{camera.pk}/stream")
    assert VideoStream.objects.get(camera=camera).wanted_at == written  # within refresh_s: no write
    service_clock = [time.monotonic()]
    gateway.supervisor.clock = lambda: service_clock[0]
    gateway.round()
    assert camera.pk in gateway.gateway._streams
    service_clock[0] += 29
    gateway.round()
    assert camera.pk in gateway.gateway._streams
    service_clock[0] += 1
    gateway.round()
    assert camera.pk not in gateway.gateway._streams  # 30 s without a new demand: stopped
    assert VideoStream.objects.get(camera=camera).state == "idle"


def test_a_camera_that_does_not_answer_is_a_status_with_the_reason(park: Any, api: Any, gateway: GatewayRounds) -> None:
    camera = camera_at(park.enterprise_a, "A-DEAD", url="rtsp://127.0.0.1:9/none")  # the discard port: refused
    client = api(Role.DISPATCHER)
    status = _poll(client, camera, gateway)
    assert status["state"] == "failed" and status["message"] == "视频流无响应：拉流进程已退出"
    assert "refused" in status["detail"].lower() and status["playlist_url"] == ""
    row = VideoStream.objects.get(camera=camera)
    assert (row.state, row.reason) == ("failed", "exited") and "refused" in row.detail.lower()


def test_without_a_running_gateway_service_the_viewer_is_told(park: Any, api: Any, gateway: GatewayRounds) -> None:
    camera = camera_at(park.enterprise_a, "A-GW", url="rtsp://127.0.0.1:9/none")
    client = api(Role.DISPATCHER)
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["state"] == "starting"
    gateway.supervisor.close()  # stopped: it let go of its beat
    status = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
    assert (status["state"], status["message"]) == ("failed", "视频网关服务未运行")
    VideoGatewayBeat.objects.all().delete()  # never started
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["message"] == "视频网关服务未运行"


def test_a_gateway_whose_beat_stops_moving_is_reported_down(
    park: Any, api: Any, gateway: GatewayRounds, monkeypatch: Any
) -> None:
    camera = camera_at(park.enterprise_a, "A-BEAT", url="rtsp://127.0.0.1:9/none")
    client = api(Role.DISPATCHER)
    web_clock = [1000.0]
    monkeypatch.setattr(streaming.time, "monotonic", lambda: web_clock[0])
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["state"] == "starting"
    web_clock[0] += STALE_S - 1
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["state"] == "starting"
    web_clock[0] += 1  # the beat count has not moved for STALE_S (the service hangs or died)
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["message"] == "视频网关服务未运行"
    VideoGatewayBeat.objects.update(beats=F("beats") + 1)  # it beats again
    assert client.call("GET", f"/video/cameras/{camera.pk}/stream").json()["state"] != "failed"


def test_a_camera_without_an_address_and_a_production_media_server(
    park: Any, api: Any, configure: Any, gateway: GatewayRounds
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
    assert not VideoStream.objects.exists()  # nothing asked of the built-in gateway
    gateway.round()
    assert not gateway.gateway._streams


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
