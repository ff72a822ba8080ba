"""The dispatcher opens an alarm and watches the live video of the cameras that see it: a local
ffmpeg test-pattern camera plays through the built-in RTSP → HLS gateway (``chempark video-gateway``,
a process of its own) and its time advances, while the demo's other cameras (whose addresses lead
nowhere) show why they do not play; the camera's page plays the same stream; the one-map draws the
cameras' view cones."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Camera, Point, Severity
from chempark.video.models import CameraKind
from tests.e2e.conftest import login, screenshot
from tests.video.rtsp_source import pattern_camera
from tests.video.service_processes import GatewayProcess, ffmpegs_writing_into


@pytest.fixture
def gateway(demo_site: str, tmp_path: Path, settings: Any) -> Iterator[GatewayProcess]:
    """``chempark video-gateway`` as a process of its own on the demo's database, as production runs
    it; the live server (the web process) serves the files it writes."""
    settings.DATA_DIR = tmp_path / "data"
    gateway = GatewayProcess(tmp_path / "data", tmp_path / "gateway.log", start_timeout_s=10)
    yield gateway
    gateway.stop()
    assert not ffmpegs_writing_into(gateway.root), "the stopped gateway left an ffmpeg running"


def _alarm_seen_by(camera: Camera) -> Alarm:
    """A high-level alarm, raised now, on a point of the unit the camera watches."""
    point = Point.objects.filter(enterprise_id=camera.enterprise_id, code__endswith=camera.code.removeprefix("CAM-"))
    chosen = point.order_by("pk").first()
    assert chosen is not None
    now = timezone.now()
    return Alarm.objects.create(
        enterprise_id=camera.enterprise_id,
        point=chosen,
        alarm_type=AlarmType.HIGH,
        severity=Severity.MAJOR,
        status=AlarmStatus.ACTIVE_UNACK,
        raised_ms=datetime_to_ms(now),
        raised_at=now,
        value=9.5,
        peak_value=9.5,
    )


def test_the_dispatcher_watches_the_live_video_of_an_alarm(page: Page, demo_site: str, gateway: GatewayProcess) -> None:
    camera = Camera.objects.filter(view__kind=CameraKind.FIXED).order_by("pk").first()
    assert camera is not None
    alarm = _alarm_seen_by(camera)
    with pattern_camera() as url:
        Camera.objects.filter(pk=camera.pk).update(stream_url=url)
        login(page, demo_site, "dispatcher")
        page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
        live = page.locator(f"[data-testid=video-player][data-video-camera='{camera.pk}']")
        expect(live).to_have_attribute("data-state", "playing", timeout=30_000)
        expect(live.locator("[data-testid=video-status]")).to_have_text("播放中")
        video = live.locator("video")
        page.wait_for_function("v => v.currentTime > 0.5", arg=video.element_handle(), timeout=30_000)
        first = video.evaluate("v => v.currentTime")
        time.sleep(2)  # real playback time: the point of the test is that the picture moves
        assert video.evaluate("v => v.currentTime") > first + 1
        # the demo's other cameras on the alarm have no reachable stream: a clear status, no player error
        other = page.locator(
            f"[data-testid=alarm-video] [data-testid=video-player]:not([data-video-camera='{camera.pk}'])"
        )
        expect(other.first).to_have_attribute("data-state", "failed", timeout=30_000)
        failed_status = other.first.locator("[data-testid=video-status]")
        expect(failed_status).to_contain_text("视频流无响应")
        # ffmpeg's English reason is for whoever hovers over it, not in the Chinese text
        assert not re.search("[A-Za-z]", failed_status.inner_text()), failed_status.inner_text()
        live.scroll_into_view_if_needed()
        screenshot(page, "video-alarm-live")
        # the camera's own page, reached from the player, shares the running stream
        live.locator(".video-title a").click()
        expect(page.get_by_test_id("camera-fields")).to_contain_text("固定摄像机")
        expect(page.get_by_test_id("video-player")).to_have_attribute("data-state", "playing", timeout=30_000)
        page.wait_for_function("v => v.currentTime > 0.5", arg=page.locator("video").element_handle(), timeout=30_000)
        screenshot(page, "video-camera-page")
    # the one-map's camera layer: the view cones, tower cameras reaching far over the park
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    page.locator(".leaflet-control-layers-overlays label", has_text="摄像机视域").locator("input").check()
    expect(page.locator(".map-legend")).to_contain_text("高空瞭望（云台）")
    screenshot(page, "video-onemap-cones")
