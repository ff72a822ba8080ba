"""Video-analytics snapshots on the pages: the alarm list shows a thumbnail made at ingest, the
alarm page the full picture beside the camera's live player, and both are served only to whoever
may see the alarm (an enterprise user never sees another enterprise's pictures)."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.utils import timezone
from PIL import Image

from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, VideoEvent
from tests.monitoring.test_cameras import Gateway, cameras, picture

__all__ = ["cameras"]  # the fixture, used by name


def client_of(park: Any, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def test_the_list_and_the_alarm_page_show_the_snapshot(park: Any, cameras: Any) -> None:
    photo = picture("JPEG", (640, 480))
    answer = Gateway(park.enterprise_a.pk).send("CAM-A", photo, kind="smoke")
    assert answer.status_code == 201, answer.content
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    thumb = Image.open(io.BytesIO(bytes(VideoEvent.objects.get(alarm=alarm).thumbnail)))
    assert (thumb.format, thumb.size) == ("JPEG", (213, 160))  # fits 240 × 160, keeps 4:3

    for role in (Role.ENTERPRISE, Role.DISPATCHER):
        client = client_of(park, role)
        listing = client.get("/monitoring/alarms/").content.decode()
        assert 'data-testid="alarm-thumb"' in listing
        assert f"/monitoring/alarms/{alarm.pk}/snapshot/thumb/" in listing
        small = client.get(f"/monitoring/alarms/{alarm.pk}/snapshot/thumb/")
        assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(small.content)).size == (213, 160)
        full = client.get(f"/monitoring/alarms/{alarm.pk}/snapshot/")
        assert full.status_code == 200 and full.content == photo and full["Content-Type"] == "image/jpeg"
        assert full["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in full["Content-Security-Policy"]
        page = client.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
        assert 'data-testid="alarm-snapshot"' in page and "烟雾" in page and "置信度 90 %" in page
        assert f'src="/monitoring/alarms/{alarm.pk}/snapshot/"' in page
        assert 'data-testid="alarm-video"' in page  # the live player of the cameras that see it, own camera first


def test_another_enterprise_never_sees_the_snapshot(park: Any, cameras: Any) -> None:
    answer = Gateway(park.enterprise_b.pk).send("CAM-B", picture("PNG"), kind="intrusion")
    assert answer.status_code == 201, answer.content
    pk = answer.json()["alarm"]
    own = client_of(park, Role.ENTERPRISE)  # enterprise A's user
    assert own.get(f"/monitoring/alarms/{pk}/snapshot/").status_code == 404
    assert own.get(f"/monitoring/alarms/{pk}/snapshot/thumb/").status_code == 404
    assert f"/monitoring/alarms/{pk}/snapshot/" not in own.get("/monitoring/alarms/").content.decode()
    bureau = client_of(park, Role.BUREAU_ADMIN).get(f"/monitoring/alarms/{pk}/snapshot/")
    assert bureau.status_code == 200 and bureau["Content-Type"] == "image/png"
    assert Client().get(f"/monitoring/alarms/{pk}/snapshot/").status_code == 302  # to the login page


def test_an_alarm_without_a_snapshot_has_none(park: Any, cameras: Any) -> None:
    alarm = Alarm.objects.create(
        enterprise=park.enterprise_a,
        alarm_type="offline",
        severity="minor",
        status="active_unack",
        raised_ms=0,
        raised_at=timezone.now(),
    )
    client = client_of(park, Role.BUREAU_ADMIN)
    answer = client.get(f"/monitoring/alarms/{alarm.pk}/snapshot/")
    assert answer.status_code == 404
    assert 'data-testid="alarm-snapshot"' not in client.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
