"""The camera view-editing page: position, type, heading, field of view and range set together
(monitoring moves the camera through its own audited service, the video module sets the view),
validated with the API's rules so a refused form changes nothing and says why in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.models import Camera
from chempark.video.models import CameraKind, CameraView
from tests.video.conftest import camera_at, looking

GOOD = {"kind": "tower", "lon": "118.205", "lat": "39.21", "heading_deg": "135", "fov_deg": "60", "range_m": "2000"}


def client_of(park: Any, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def test_the_page_shows_the_current_view_and_saves_position_and_view(park: Any) -> None:
    camera = looking(camera_at(park.enterprise_a, "CAM-1"), 0.0, 90.0, 300.0)
    client = client_of(park, Role.ENTERPRISE)
    page = client.get(f"/video/cameras/{camera.pk}/view/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="view-map"' in html and 'name="fov_deg"' in html and 'value="300.0"' in html
    assert "video/view_edit.js" in html and "chempark/map.js" in html
    detail = client.get(f"/video/cameras/{camera.pk}/").content.decode()
    assert f'href="/video/cameras/{camera.pk}/view/"' in detail

    answer = client.post(f"/video/cameras/{camera.pk}/view/", GOOD)
    assert answer.status_code == 302 and answer["Location"] == f"/video/cameras/{camera.pk}/"
    camera.refresh_from_db()
    view = CameraView.objects.get(camera=camera)
    assert (camera.lon, camera.lat) == (118.205, 39.21)
    assert (view.kind, view.heading_deg, view.fov_deg, view.range_m) == (CameraKind.TOWER, 135.0, 60.0, 2000.0)
    audited = set(AuditEvent.objects.filter(object_id=str(camera.pk)).values_list("object_type", "action"))
    assert ("camera", "update") in audited and ("camera_view", "update") in audited

    all_round = client.post(f"/video/cameras/{camera.pk}/view/", {**GOOD, "heading_deg": "", "kind": "fixed"})
    assert all_round.status_code == 302
    assert CameraView.objects.get(camera=camera).heading_deg is None


@pytest.mark.parametrize(
    ("field", "bad", "words"),
    [
        ("fov_deg", "0", "水平视场角"),
        ("fov_deg", "400", "水平视场角"),
        ("range_m", "25000", "可视距离"),
        ("range_m", "-5", "可视距离"),
        ("heading_deg", "361", "朝向"),
        ("lon", "190", "经度"),
        ("lat", "abc", "纬度"),
        ("kind", "dome", "类型"),
    ],
)
def test_a_refused_form_changes_nothing_and_says_why(park: Any, field: str, bad: str, words: str) -> None:
    camera = looking(camera_at(park.enterprise_a, "CAM-1"), 0.0, 90.0, 300.0)
    before = (camera.lon, camera.lat)
    audits = AuditEvent.objects.count()
    answer = client_of(park, Role.ENTERPRISE).post(f"/video/cameras/{camera.pk}/view/", {**GOOD, field: bad})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'data-testid="view-error"' in html and words in html
    assert f'value="{bad}"' in html or field == "kind"  # the form comes back as typed
    camera.refresh_from_db()
    view = CameraView.objects.get(camera=camera)
    assert (camera.lon, camera.lat) == before and (view.heading_deg, view.fov_deg, view.range_m) == (0.0, 90.0, 300.0)
    assert AuditEvent.objects.count() == audits


def test_only_those_who_configure_the_cameras_enterprise_may_edit(park: Any) -> None:
    other = camera_at(park.enterprise_b, "CAM-B")
    assert client_of(park, Role.ENTERPRISE).get(f"/video/cameras/{other.pk}/view/").status_code == 404
    assert client_of(park, Role.ENTERPRISE).post(f"/video/cameras/{other.pk}/view/", GOOD).status_code == 404
    dispatcher = client_of(park, Role.DISPATCHER)
    assert dispatcher.get(f"/video/cameras/{other.pk}/view/").status_code == 403
    assert "编辑位置与视域" not in dispatcher.get(f"/video/cameras/{other.pk}/").content.decode()
    assert Client().get(f"/video/cameras/{other.pk}/view/").status_code == 302
    assert client_of(park, Role.BUREAU_ADMIN).post(f"/video/cameras/{other.pk}/view/", GOOD).status_code == 302
    assert Camera.objects.get(pk=other.pk).lat == 39.21
