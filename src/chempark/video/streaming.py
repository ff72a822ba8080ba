"""The web side of live video: a viewer's demand for a camera, what the viewer is told about its
stream, and the HLS files the gateway service writes.

The web process runs no ffmpeg. Asking for a camera's stream (and fetching its playlist or segments)
writes the camera's demand, ``VideoStream.wanted_at``, at most every :func:`refresh_s` seconds per
process; the gateway service (``chempark video-gateway``) starts one ffmpeg per wanted camera for all
web processes together and writes the stream's state back. With ``CHEMPARK_VIDEO_HLS_URL_TEMPLATE``
set a production media server (MediaMTX, ZLMediaKit, SRS) serves the video and none of this runs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark import config
from chempark.monitoring.models import Camera
from chempark.video.gateway import PLAYLIST, is_hls_file_name
from chempark.video.models import StreamFailure, StreamState, VideoGatewayBeat, VideoStream
from chempark.video.supervisor import BEAT_ROW, STALE_S

EXTERNAL = "external"
NO_SOURCE = "no_source"

_lock = threading.Lock()
_refreshed: dict[int, float] = {}  # camera → when this process last wrote its demand (monotonic)
_beat_seen: tuple[tuple[str, int] | None, float] | None = None  # the gateway's beat, when first seen


def hls_root() -> Path:
    """Where the gateway service writes each camera's playlist and segments (``<root>/<camera id>/``);
    the web processes serve from the same directory, so both run on one machine (or share it)."""
    return Path(settings.DATA_DIR) / "hls"


def refresh_s() -> float:
    """How often a watched camera's demand is written: often enough that the gateway never takes a
    watched camera for idle, seldom enough that a player's requests (one a second) cost no write."""
    return min(5.0, config.current().video_idle_s / 3)


@dataclass(frozen=True)
class ViewerStatus:
    camera: int
    state: str
    message: str
    detail: str
    playlist_url: str


def _reason_text(reason: str) -> str:
    texts: dict[str, str] = {
        StreamFailure.EXITED: _("视频流无响应：拉流进程已退出"),
        StreamFailure.NO_PLAYLIST: _("视频流无响应：超时未收到画面"),
        StreamFailure.STALLED: _("视频流无响应：画面中断"),
        StreamFailure.NOT_STARTED: _("视频网关无法启动（ffmpeg 不可用）"),
    }
    return texts.get(reason, _("视频流无响应"))


def watch(camera: Camera) -> ViewerStatus:
    """Where the viewer's player finds the camera's video; asking is watching (it writes the demand).
    Returns at once: a camera that does not answer, or a gateway that does not run, is reported,
    never waited for."""
    template = config.current().video_hls_url_template
    if template:
        url = template.replace("{camera}", str(camera.pk)).replace("{code}", camera.code)
        return ViewerStatus(camera.pk, EXTERNAL, _("播放中"), "", url)
    if not camera.stream_url:
        return ViewerStatus(camera.pk, NO_SOURCE, _("未配置视频流地址"), "", "")
    stream = _want(camera.pk)
    if not gateway_running():
        return ViewerStatus(camera.pk, StreamState.FAILED, _("视频网关服务未运行"), "", "")
    if stream.state == StreamState.FAILED:
        return ViewerStatus(camera.pk, StreamState.FAILED, _reason_text(stream.reason), stream.detail, "")
    if stream.state == StreamState.PLAYING:
        playlist = reverse("api:video_hls_file", kwargs={"pk": camera.pk, "name": PLAYLIST})
        return ViewerStatus(camera.pk, StreamState.PLAYING, _("播放中"), "", playlist)
    return ViewerStatus(camera.pk, StreamState.STARTING, _("正在连接摄像机…"), "", "")


def hls_file(camera: Camera, name: str) -> Path | None:
    """The playlist or a segment of the camera's playing stream, or None; fetching it keeps the
    camera wanted. Only the names ffmpeg writes are served, so no path leaves the camera's directory."""
    if not is_hls_file_name(name):
        return None
    state = VideoStream.objects.filter(pk=camera.pk).values_list("state", flat=True).first()
    if state != StreamState.PLAYING:
        return None
    mono = time.monotonic()
    with _lock:
        due = mono - _refreshed.get(camera.pk, -refresh_s()) >= refresh_s()
        if due:
            _refreshed[camera.pk] = mono
    if due:
        VideoStream.objects.filter(pk=camera.pk).update(wanted_at=timezone.now())
    path = hls_root() / str(camera.pk) / name
    return path if path.is_file() else None


def gateway_running() -> bool:
    """Whether a gateway service beats: its row names an owner and the beat count moved within
    :data:`~chempark.video.supervisor.STALE_S`, as seen on this process's own clock (the count, not
    the gateway's time, is compared, so the two clocks need not agree). A web process that has only
    just seen the beat takes it as running until it has watched it for that long."""
    global _beat_seen  # noqa: PLW0603 - one observation per process, shared by its request threads
    beat = VideoGatewayBeat.objects.filter(pk=BEAT_ROW).values_list("owner", "beats").first()
    mono = time.monotonic()
    with _lock:
        if _beat_seen is None or _beat_seen[0] != beat:
            _beat_seen = (beat, mono)
        since = _beat_seen[1]
    return beat is not None and bool(beat[0]) and mono - since < STALE_S


def _want(camera: int) -> VideoStream:
    """The camera's stream row with its demand written now, unless this or another web process wrote
    it within :func:`refresh_s` (by the web's clock, which all web processes share)."""
    now = timezone.now()
    stream = VideoStream.objects.filter(pk=camera).first()
    if stream is None:
        try:
            with transaction.atomic():
                return VideoStream.objects.create(camera_id=camera, wanted_at=now)
        except IntegrityError:  # another request made it first
            stream = VideoStream.objects.get(pk=camera)
    if not 0 <= (now - stream.wanted_at).total_seconds() < refresh_s():
        VideoStream.objects.filter(pk=camera).update(wanted_at=now)
        stream.wanted_at = now
    with _lock:
        _refreshed[camera] = time.monotonic()
    return stream
