"""The video API: a camera's stream status (asking is watching: it writes the camera's demand, which
the gateway service answers), the gateway's HLS playlist and segments, and the cameras that see an
alarm. Everything scoped like the cameras: whoever may read the camera's enterprise's monitoring data
may watch it."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from chempark.core.api import actor_of
from chempark.core.errors import NotFound
from chempark.video import selectors, services, streaming
from chempark.video.schemas import CameraViewIn

router = Router(tags=["video"])

_CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


class StreamOut(Schema):
    camera: int
    state: str
    message: str
    detail: str
    playlist_url: str


class CameraViewOut(Schema):
    camera: int = Field(validation_alias="camera_id")
    kind: str
    heading_deg: float | None
    fov_deg: float
    range_m: float


class SeeingCameraOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    distance_m: int
    stream_url: str
    page_url: str


@router.get("/video/cameras/{id:pk}/stream", response=StreamOut, operation_id="watch_camera", url_name="video_watch")
def watch_camera(request: HttpRequest, pk: int) -> Any:
    """The stream's state and playlist; asking is watching (the gateway service starts or keeps the
    camera's ffmpeg)."""
    return streaming.watch(selectors.camera_get(actor_of(request), pk))


@router.get("/video/cameras/{id:pk}/hls/{name}", operation_id="video_hls_file", url_name="video_hls_file")
def hls_file(request: HttpRequest, pk: int, name: str) -> Any:
    camera = selectors.camera_get(actor_of(request), pk)
    path = streaming.hls_file(camera, name)
    if path is None:
        raise NotFound(f"视频文件 {name} 不存在（视频流未在播放）。")
    try:
        opened = path.open("rb")
    except FileNotFoundError:  # ffmpeg deleted the segment as it rolled the playlist on
        raise NotFound(f"视频文件 {name} 已过期。") from None
    response = FileResponse(opened, content_type=_CONTENT_TYPES[path.suffix])
    response["Cache-Control"] = "no-cache"
    return response


@router.put("/video/cameras/{id:pk}/view", response=CameraViewOut, operation_id="set_camera_view")
def set_camera_view(request: HttpRequest, pk: int, payload: CameraViewIn) -> Any:
    """Set where the camera looks: its type, heading, field of view and range."""
    return services.camera_view_set(actor=actor_of(request), pk=pk, values=payload.model_dump())


@router.get(
    "/video/alarms/{id:pk}/cameras",
    response=list[SeeingCameraOut],
    operation_id="cameras_seeing_alarm",
    url_name="cameras_seeing_alarm_url",
)
def cameras_seeing_alarm(request: HttpRequest, pk: int) -> Any:
    return [
        SeeingCameraOut(
            id=item.camera.pk,
            code=item.camera.code,
            name=item.camera.name,
            kind=selectors.camera_kind(item.camera),
            distance_m=item.distance_m,
            stream_url=reverse("api:video_watch", kwargs={"pk": item.camera.pk}),
            page_url=reverse("video:camera-detail", args=[item.camera.pk]),
        )
        for item in selectors.cameras_seeing_alarm(actor_of(request), pk)
    ]
