"""How a camera looks at the park: its type and view cone (heading, field of view, range).

Kept beside monitoring's ``Camera`` (one row per surveyed camera) rather than in it, so the video
module owns what only it uses; a camera without a row is an all-round camera of the default range.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CameraKind(models.TextChoices):
    FIXED = "fixed", _("固定摄像机")
    TOWER = "tower", _("高空瞭望（云台）")


class CameraView(models.Model):
    camera = models.OneToOneField(
        "monitoring.Camera", verbose_name=_("摄像机"), on_delete=models.CASCADE, related_name="view"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=CameraKind.choices, default=CameraKind.FIXED)
    heading_deg = models.FloatField(
        _("朝向（度）"), null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(360.0)]
    )
    fov_deg = models.FloatField(
        _("水平视场角（度）"), default=90.0, validators=[MinValueValidator(1.0), MaxValueValidator(360.0)]
    )
    range_m = models.FloatField(
        _("可视距离（米）"), default=300.0, validators=[MinValueValidator(1.0), MaxValueValidator(20_000.0)]
    )

    class Meta:
        verbose_name = _("摄像机视域")
        verbose_name_plural = _("摄像机视域")

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.get_kind_display()}"


class StreamState(models.TextChoices):
    """What the gateway service says of a camera's stream (the values of the pure gateway's states,
    plus ``idle``: no ffmpeg runs for it)."""

    IDLE = "idle", _("未播放")
    STARTING = "starting", _("正在连接")
    PLAYING = "playing", _("播放中")
    FAILED = "failed", _("无响应")


class StreamFailure(models.TextChoices):
    EXITED = "exited", _("拉流进程已退出")
    NO_PLAYLIST = "no_playlist", _("超时未收到画面")
    STALLED = "stalled", _("画面中断")
    NOT_STARTED = "not_started", _("视频网关无法启动（ffmpeg 不可用）")


class VideoStream(models.Model):
    """A camera's live stream between the web processes and the gateway service (``chempark
    video-gateway``): the web side writes the demand (``wanted_at``, refreshed every few seconds while
    a player fetches the playlist), the service writes what its ffmpeg does. Machine state, like a job's
    heartbeat, so not audited; one row per camera ever watched."""

    camera = models.OneToOneField(
        "monitoring.Camera",
        verbose_name=_("摄像机"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="video_stream",
    )
    wanted_at = models.DateTimeField(_("最近观看请求"))
    state = models.CharField(_("状态"), max_length=8, choices=StreamState.choices, default=StreamState.IDLE)
    reason = models.CharField(_("原因"), max_length=12, choices=StreamFailure.choices, blank=True)
    detail = models.CharField(_("详情"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("状态变化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频流")
        verbose_name_plural = _("视频流")

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.state}"


class VideoGatewayBeat(models.Model):
    """The one active gateway service's heartbeat (a single row, id 1): its name, a count of its
    beats and when it last beat. Others compare the count, not the time, each on its own clock, so
    no two machines' clocks (nor a test's set clock) need agree. A second service stands by while
    the beat moves and takes over when it stops, so a camera never has two ffmpegs; the web reports
    the gateway down when the beat stops moving."""

    owner = models.CharField(_("网关进程"), max_length=120, blank=True)
    beats = models.PositiveBigIntegerField(_("心跳次数"), default=0)
    beat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频网关心跳")
        verbose_name_plural = _("视频网关心跳")

    def __str__(self) -> str:
        return self.owner or "-"
