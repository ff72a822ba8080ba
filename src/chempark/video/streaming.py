"""The web process's video gateway and what a viewer is told about a camera's stream.

One :class:`~chempark.video.gateway.Gateway` per process, built from the settings on first use and
stopped at exit. With ``CHEMPARK_VIDEO_HLS_URL_TEMPLATE`` set a production media server (MediaMTX,
ZLMediaKit, SRS) serves the video and the built-in gateway is never started.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from chempark import config
from chempark.monitoring.models import Camera
from chempark.video.gateway import PLAYLIST, FailureReason, Gateway, StreamState

EXTERNAL = "external"
NO_SOURCE = "no_source"

_gateway: Gateway | None = None
_lock = threading.Lock()


def gateway() -> Gateway:
    global _gateway  # noqa: PLW0603 - one gateway per process, shared by every request thread
    with _lock:
        if _gateway is None:
            conf = config.current()
            _gateway = Gateway(
                settings.DATA_DIR / "hls",
                ffmpeg=conf.video_ffmpeg,
                transcode=conf.video_transcode,
                start_timeout_s=conf.video_start_timeout_s,
                idle_s=conf.video_idle_s,
            )
            atexit.register(_gateway.stop_all)
        return _gateway


@dataclass(frozen=True)
class ViewerStatus:
    camera: int
    state: str
    message: str
    detail: str
    playlist_url: str


def _reason_text(reason: FailureReason | None) -> str:
    return {
        FailureReason.EXITED: _("视频流无响应：拉流进程已退出"),
        FailureReason.NO_PLAYLIST: _("视频流无响应：超时未收到画面"),
        FailureReason.NOT_STARTED: _("视频网关无法启动（ffmpeg 不可用）"),
    }.get(reason or FailureReason.EXITED, _("视频流无响应"))


def watch(camera: Camera) -> ViewerStatus:
    """Where the viewer's player finds the camera's video, starting the built-in gateway if needed.
    Returns at once: a camera that does not answer is reported, never waited for."""
    template = config.current().video_hls_url_template
    if template:
        url = template.replace("{camera}", str(camera.pk)).replace("{code}", camera.code)
        return ViewerStatus(camera.pk, EXTERNAL, _("播放中"), "", url)
    if not camera.stream_url:
        return ViewerStatus(camera.pk, NO_SOURCE, _("未配置视频流地址"), "", "")
    status = gateway().watch(camera.pk, camera.stream_url)
    playlist = reverse("api:video_hls_file", kwargs={"pk": camera.pk, "name": PLAYLIST})
    if status.state is StreamState.FAILED:
        return ViewerStatus(camera.pk, status.state, _reason_text(status.reason), status.detail, "")
    if status.state is StreamState.STARTING:
        return ViewerStatus(camera.pk, status.state, _("正在连接摄像机…"), "", "")
    return ViewerStatus(camera.pk, status.state, _("播放中"), "", playlist)
