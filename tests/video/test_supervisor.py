"""Two gateway services on one database: the second stands by while the first beats, takes over
when the first's beat stops moving (on its own clock), and the first, finding the beat taken, stops
its ffmpegs — so a camera never has two. A service stopped cleanly hands over at once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.video.gateway import Gateway
from chempark.video.models import VideoGatewayBeat, VideoStream
from chempark.video.supervisor import HEARTBEAT_S, STALE_S, Supervisor
from tests.video.conftest import camera_at


class Service:
    """A gateway service's rounds on a clock of the test's."""

    def __init__(self, root: Path, owner: str) -> None:
        self.now = 1000.0
        self.gateway = Gateway(root, start_timeout_s=30)
        self.supervisor = Supervisor(self.gateway, owner=owner, idle_s=30, clock=lambda: self.now)

    def round(self, advance: float = HEARTBEAT_S) -> None:
        self.now += advance
        self.supervisor.round()


@pytest.fixture
def silent_url() -> Iterator[str]:
    with socket.socket() as silent:  # accepts the connection, answers nothing: ffmpeg keeps waiting
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        yield f"rtsp://127.0.0.1:{silent.getsockname()[1]}/x"


def test_a_second_service_stands_by_and_takes_over_a_silent_one(
    park: Any, api: Any, tmp_path: Path, settings: Any, silent_url: str
) -> None:
    settings.DATA_DIR = tmp_path
    first, second = Service(tmp_path / "hls", "first"), Service(tmp_path / "hls", "second")
    try:
        first.round()
        camera = camera_at(park.enterprise_a, "A-1", url=silent_url)
        api(Role.DISPATCHER).call("GET", f"/video/cameras/{camera.pk}/stream")
        first.round()
        assert camera.pk in first.gateway.running()
        for _ in range(12):  # both beat on: the second only watches
            first.round()
            second.round()
        assert first.supervisor.active and not second.supervisor.active
        assert second.gateway.running() == {} and VideoGatewayBeat.objects.get().owner == "first"

        second.round(STALE_S - HEARTBEAT_S)  # the first hangs: its beat count stays...
        assert not second.supervisor.active
        second.round(HEARTBEAT_S)  # ...for STALE_S on the second's clock: taken over, the viewer's demand too
        assert second.supervisor.active and VideoGatewayBeat.objects.get().owner == "second"
        assert camera.pk in second.gateway.running()
        assert VideoStream.objects.get(camera=camera).state == "starting"  # the second's own attempt
        first.round()  # the first wakes up, finds the beat taken and stops its ffmpeg
        assert not first.supervisor.active and first.gateway.running() == {}
        assert VideoGatewayBeat.objects.get().owner == "second"
        second.supervisor.close()  # stopped cleanly: it lets go at once
        first.round()
        assert first.supervisor.active and VideoGatewayBeat.objects.get().owner == "first"
    finally:
        first.supervisor.close()
        second.supervisor.close()


def test_a_long_reason_is_cut_to_fit_its_column(park: Any, api: Any, tmp_path: Path, settings: Any) -> None:
    """ffmpeg missing under a long path: the reason is written (a refused write would stall the loop)."""
    settings.DATA_DIR = tmp_path
    service = Service(tmp_path / "hls", "only")
    service.gateway.ffmpeg = str(tmp_path / ("x" * 250) / ("y" * 200))
    try:
        service.round()
        camera = camera_at(park.enterprise_a, "A-1", url="rtsp://127.0.0.1:9/x")
        answer = api(Role.DISPATCHER).call("GET", f"/video/cameras/{camera.pk}/stream").json()
        assert answer["state"] == "starting"
        service.round()
        row = VideoStream.objects.get(camera=camera)
        assert (row.state, row.reason, len(row.detail)) == ("failed", "not_started", 300)
        answer = api(Role.DISPATCHER).call("GET", f"/video/cameras/{camera.pk}/stream").json()
        assert answer["message"] == "视频网关无法启动（ffmpeg 不可用）"
    finally:
        service.supervisor.close()
