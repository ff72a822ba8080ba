"""The camera page, the video panel on the alarm page, the one-map's camera layer with its view
cones, and the demo park's cameras."""

from __future__ import annotations

from typing import Any

from chempark.common.geo import haversine_m
from chempark.core.roles import Role
from chempark.monitoring.models import Camera
from chempark.video.demo import load_demo_video
from chempark.video.models import CameraKind, CameraView
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points
from tests.monitoring.test_permission_matrix import raise_alarms
from tests.video.conftest import camera_at, looking


def test_the_camera_page_shows_its_view_and_a_player_to_whoever_may_see_it(park: SmallPark, client: Any) -> None:
    camera = looking(camera_at(park.enterprise_a, "A-T"), 45, 60, 2000, CameraKind.TOWER)
    foreign = camera_at(park.enterprise_b, "B-1")
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get(f"/video/cameras/{camera.pk}/").content.decode()
    assert "高空瞭望（云台）" in page and "45° · 视场角 60° · 可视距离 2000 m" in page
    assert f'data-stream-url="/api/v1/video/cameras/{camera.pk}/stream"' in page
    assert "vendor/hls/hls.min.js" in page and "video/player.js" in page
    assert "rtsp://" not in page  # the camera's address (and password) stays on the server
    client.force_login(park.users[Role.ENTERPRISE])
    assert client.get(f"/video/cameras/{camera.pk}/").status_code == 200
    assert client.get(f"/video/cameras/{foreign.pk}/").status_code == 404
    client.force_login(park.users[Role.AUDITOR])
    assert client.get(f"/video/cameras/{camera.pk}/").status_code == 403


def test_the_alarm_page_has_the_video_panel(park: SmallPark, points: Points, client: Any) -> None:
    alarm, _ = raise_alarms(points)
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    assert f'data-video-cameras-url="/api/v1/video/alarms/{alarm.pk}/cameras"' in page
    assert "现场视频" in page and "video/player.js" in page


def test_the_camera_layer_draws_each_cone_with_tower_cameras_in_their_colour(park: SmallPark, api: Any) -> None:
    tower = looking(camera_at(park.enterprise_a, "A-T"), 90, 60, 1000, CameraKind.TOWER)
    plain = camera_at(park.enterprise_b, "B-1")
    features = {
        f["properties"]["name"]: f for f in api(Role.DISPATCHER).call("GET", "/map/layers/cameras").json()["features"]
    }
    cone = features[tower.name]
    assert (
        cone["properties"]["color"] == "--map-camera-tower"
        and f"/video/cameras/{tower.pk}/" in cone["properties"]["popup"]
    )
    ring = cone["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [tower.lon, tower.lat]
    assert all(abs(haversine_m(tower.lon, tower.lat, lon, lat) - 1000) < 10 for lon, lat in ring[1:-1])
    circle = features[plain.name]["geometry"]["coordinates"][0]  # no surveyed view: all round, 300 m
    assert features[plain.name]["properties"]["color"] == "--map-camera"
    assert all(abs(haversine_m(plain.lon, plain.lat, lon, lat) - 300) < 5 for lon, lat in circle)
    own = api(Role.ENTERPRISE).call("GET", "/map/layers/cameras").json()["features"]
    assert [f["properties"]["name"] for f in own] == [tower.name]


def test_the_demo_gives_every_camera_a_view_and_two_towers(park: SmallPark) -> None:
    for n in range(4):
        camera_at(park.enterprise_a if n % 2 else park.enterprise_b, f"CAM-{n}", north_m=n * 100)
    assert "4 个摄像机视域（2 台高空瞭望）" in load_demo_video()
    assert CameraView.objects.filter(kind=CameraKind.TOWER).count() == 2
    assert set(CameraView.objects.values_list("camera_id", flat=True)) == set(
        Camera.objects.values_list("pk", flat=True)
    )
    assert "跳过" in load_demo_video() and CameraView.objects.count() == 4


def test_the_camera_list_by_type_in_the_monitoring_menu(park: SmallPark, client: Any) -> None:
    tower = looking(camera_at(park.enterprise_a, "A-T"), 45, 60, 2000, CameraKind.TOWER)
    fixed = camera_at(park.enterprise_a, "A-F")
    foreign = camera_at(park.enterprise_b, "B-F")
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get("/video/cameras/").content.decode()
    assert 'href="/video/cameras/"' in page and "视频监控" in page  # the navigation entry
    assert all(f"/video/cameras/{c.pk}/" in page for c in (tower, fixed, foreign))
    assert "45° / 60° / 2000 m" in page and "未测定（按全向 300 米）" in page
    towers = client.get("/video/cameras/?kind=tower").content.decode()
    assert f"/video/cameras/{tower.pk}/" in towers and f"/video/cameras/{fixed.pk}/" not in towers
    fixed_only = client.get("/video/cameras/?kind=fixed&q=A-").content.decode()
    assert f"/video/cameras/{fixed.pk}/" in fixed_only and f"/video/cameras/{tower.pk}/" not in fixed_only
    assert f"/video/cameras/{foreign.pk}/" not in fixed_only
    client.force_login(park.users[Role.ENTERPRISE])
    assert f"/video/cameras/{foreign.pk}/" not in client.get("/video/cameras/").content.decode()
    client.force_login(park.users[Role.AUDITOR])
    assert client.get("/video/cameras/").status_code == 403
