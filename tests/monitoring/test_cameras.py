"""Camera registry through the API (validation, audit, in-use cameras) and video-analytics events:
an accepted JPEG/PNG snapshot becomes a ``video`` alarm; anything refused stores nothing."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from chempark.accounts.models import AuditEvent, TokenKind
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import camera_create
from chempark.monitoring.models import Alarm, AlarmType, Camera, VideoEvent
from tests.monitoring.test_permission_matrix import camera_values


def picture(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0 if mode == "1" else (200, 90, 30)).save(out, format=fmt)
    return out.getvalue()


JPEG = picture("JPEG")
PNG = picture("PNG")


def test_stream_url_and_location_are_validated(park: Any, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    created = client.call("POST", "/monitoring/cameras", camera_values(park.enterprise_a, "CAM-1"))
    assert created.status_code == 201
    pk = created.json()["id"]
    for url in ("ftp://10.0.0.5/x", "javascript:alert(1)", "rtsp://", "http://host/a b", "file:///etc/passwd"):
        answer = client.call("PATCH", f"/monitoring/cameras/{pk}", {"stream_url": url})
        assert answer.status_code == 422, url
        assert answer.json()["code"] == "invalid_stream_url"
    for url in ("rtsp://user:pw@10.0.0.5:554/h264", "https://nvr.example/live/1.m3u8", ""):
        assert client.call("PATCH", f"/monitoring/cameras/{pk}", {"stream_url": url}).status_code == 200
    for body in ({"lon": 181}, {"lat": -91.5}, {"lon": "118.2"}, {"lat": None}, {"color": "red"}):
        assert client.call("PATCH", f"/monitoring/cameras/{pk}", body).status_code in (400, 422), body
    duplicate = client.call("POST", "/monitoring/cameras", camera_values(park.enterprise_a, "CAM-1"))
    assert duplicate.status_code == 422
    camera = Camera.objects.get(pk=pk)
    assert (camera.lon, camera.lat, camera.stream_url) == (118.2, 39.2, "")
    assert AuditEvent.objects.filter(object_type="camera", object_id=str(pk)).count() == 4  # create + 3 updates


class Gateway:
    def __init__(self, enterprise_id: int) -> None:
        _t, raw = token_issue(actor=SYSTEM, name="nvr", kind=TokenKind.MACHINE, enterprise_id=enterprise_id)
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def send(self, camera: str, image: bytes, *, kind: str = "fire", name: str = "snap.jpg") -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "camera": camera,
            "kind": kind,
            "ts": str(int(time.time() * 1000) - 1000),
            "confidence": "0.9",
            "snapshot": SimpleUploadedFile(name, image, content_type="image/jpeg"),
        }
        return self.client.post("/api/v1/ingest/video-events", data)


@pytest.fixture
def cameras(park: Any) -> tuple[Camera, Camera]:
    return (
        camera_create(actor=SYSTEM, values=camera_values(park.enterprise_a, "CAM-A")),
        camera_create(actor=SYSTEM, values=camera_values(park.enterprise_b, "CAM-B")),
    )


@pytest.mark.parametrize("image", [JPEG, PNG], ids=["jpeg", "png"])
def test_accepted_snapshot_raises_a_video_alarm(park: Any, cameras: Any, image: bytes) -> None:
    answer = Gateway(park.enterprise_a.pk).send("CAM-A", image, kind="smoke")
    assert answer.status_code == 201, answer.content
    event = VideoEvent.objects.get(pk=answer.json()["id"])
    assert bytes(event.snapshot) == image
    assert event.snapshot_type == ("image/jpeg" if image is JPEG else "image/png")
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    assert (alarm.alarm_type, alarm.camera_id, alarm.severity) == (AlarmType.VIDEO, cameras[0].pk, "critical")


@pytest.mark.parametrize(
    ("camera", "image", "code", "status"),
    [
        ("CAM-A", b"GIF89a" + b"\x00" * 100, "bad_image", 422),
        ("CAM-A", b"%PDF-1.7 \xff\xd8\xff", "bad_image", 422),
        ("CAM-A", b"\xff\xd8\xff" + b"\x00" * 3000, "payload_too_large", 422),
        ("CAM-A", JPEG[: len(JPEG) // 2], "bad_image", 422),  # truncated: starts like a JPEG, does not decode
        ("CAM-A", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "bad_image", 422),  # only the first bytes of a JPEG
        ("CAM-A", b"\xff\xd8\xff" + PNG, "bad_image", 422),  # JPEG bytes in front of a PNG
        ("CAM-X", JPEG, "unknown_camera", 422),
        ("CAM-B", JPEG, "unknown_camera", 422),  # another enterprise's camera is not this sender's
    ],
    ids=[
        "gif",
        "pdf-named-jpg",
        "too-large",
        "truncated",
        "jpeg-magic-only",
        "jpeg-magic-png",
        "unknown",
        "other-enterprise",
    ],
)
def test_refused_event_stores_nothing(
    park: Any, cameras: Any, configure: Any, camera: str, image: bytes, code: str, status: int
) -> None:
    configure(snapshot_max_bytes=2048)
    answer = Gateway(park.enterprise_a.pk).send(camera, image)
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["code"] == code and body["message"]
    assert not VideoEvent.objects.exists() and not Alarm.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(park: Any, cameras: Any, configure: Any) -> None:
    """A 1-bit PNG of 8000 × 6000 (48 million pixels) is a few kilobytes on the wire."""
    bomb = picture("PNG", (8000, 6000), mode="1")
    configure(snapshot_max_bytes=len(bomb) + 1024)
    answer = Gateway(park.enterprise_a.pk).send("CAM-A", bomb)
    assert answer.status_code == 422 and answer.json()["code"] == "bad_image"
    assert "像素过多" in answer.json()["message"]
    assert not VideoEvent.objects.exists() and not Alarm.objects.exists()
