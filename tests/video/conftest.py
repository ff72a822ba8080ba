"""Video fixtures: monitoring's points on the small park, cameras with view cones around them, and
the gateway service's rounds run by the test, writing into a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chempark.core.actors import SYSTEM
from chempark.monitoring.config_services import camera_create
from chempark.video import streaming
from chempark.video.gateway import Gateway
from chempark.video.models import CameraKind, CameraView
from chempark.video.supervisor import Supervisor
from tests.monitoring.conftest import _fresh_point_index, points  # noqa: F401 - fixtures shared with monitoring

M_PER_DEG_LAT = 111_195.0  # metres per degree of latitude on the haversine sphere
POINT_LON, POINT_LAT = 118.2, 39.2  # where tests.monitoring's points stand


def camera_at(enterprise: Any, code: str, *, north_m: float = 0.0, east_m: float = 0.0, url: str = "") -> Any:
    return camera_create(
        actor=SYSTEM,
        values={
            "enterprise": enterprise.pk,
            "code": code,
            "name": f"摄像机 {code}",
            "lon": POINT_LON + east_m / (M_PER_DEG_LAT * 0.7749),  # cos(39.2°)
            "lat": POINT_LAT + north_m / M_PER_DEG_LAT,
            "stream_url": url or f"rtsp://10.0.0.9/{code}",
        },
    )


def looking(camera: Any, heading: float, fov: float, range_m: float, kind: str = CameraKind.FIXED) -> Any:
    CameraView.objects.create(camera=camera, kind=kind, heading_deg=heading, fov_deg=fov, range_m=range_m)
    return camera


class GatewayRounds:
    """The gateway service's rounds (what ``chempark video-gateway`` loops over) run by the test
    itself, in its thread and database transaction, writing into the settings' HLS directory."""

    def __init__(self, root: Path) -> None:
        self.gateway = Gateway(root, start_timeout_s=10)
        self.supervisor = Supervisor(self.gateway, owner="test-gateway", idle_s=30)

    def round(self) -> None:
        self.supervisor.round()


@pytest.fixture(autouse=True)
def _fresh_web_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is a web process that has seen no gateway beat and written no demand yet."""
    monkeypatch.setattr(streaming, "_beat_seen", None)
    monkeypatch.setattr(streaming, "_refreshed", {})


@pytest.fixture
def gateway(tmp_path: Path, settings: Any) -> Iterator[GatewayRounds]:
    settings.DATA_DIR = tmp_path
    rounds = GatewayRounds(streaming.hls_root())
    rounds.round()  # the service is up: it beats
    yield rounds
    rounds.supervisor.close()
