"""Video analytics events: a camera's detection (fire, smoke, intrusion, no helmet, ...) with its
snapshot becomes an alarm of type ``video`` on the enterprise, pushed live like any other.

The request is ``multipart/form-data`` with the fields ``camera`` (the camera code), ``kind``, ``ts``
(ISO 8601 or epoch ms), optional ``confidence`` (0–1) and the file ``snapshot`` (JPEG or PNG, at most
``CHEMPARK_SNAPSHOT_MAX_BYTES``, default 2 MiB). The image type is read from its first bytes, not
from the declared content type, and then the picture is decoded by Pillow: a file that only starts
like a JPEG, a truncated one, one of more than ``SNAPSHOT_MAX_PIXELS`` (a decompression bomb) or
one whose decoded format disagrees with its first bytes is refused. A small JPEG thumbnail is made
once here, so the alarm list never decodes the full snapshot. A refused event is counted and
dead-lettered (without the image).
"""

from __future__ import annotations

import io
import math
import warnings
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from chempark.common.images import image_type as detect_image_type
from chempark.config import current
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, Forbidden, InvalidInput
from chempark.monitoring import storage
from chempark.monitoring.alarm_writes import alarm_live_data, live
from chempark.monitoring.ingest.payload import datetime_to_ms, ms_to_datetime
from chempark.monitoring.models import (
    Alarm,
    AlarmStatus,
    AlarmType,
    Camera,
    DeadLetter,
    Transport,
    VideoEvent,
    VideoEventKind,
)

OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["camera", "kind", "ts", "snapshot"],
                    "properties": {
                        "camera": {"type": "string"},
                        "kind": {"type": "string", "enum": list(VideoEventKind.values)},
                        "ts": {"type": "string"},
                        "confidence": {"type": "number"},
                        "snapshot": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}
SNAPSHOT_MAX_PIXELS = 40_000_000
"""Largest picture decoded (about 8K × 5K); a camera's snapshot is 1080p or 4K."""
THUMBNAIL_SIZE = (240, 160)
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
SEVERITY = {"fire": "critical", "smoke": "critical", "leak": "major", "intrusion": "major"}
MAX_FUTURE_MS = 300_000


def _parse_ts(raw: str, now_ms: int) -> int:
    raw = raw.strip()
    try:
        ts_ms = int(raw) if raw.isdigit() else datetime_to_ms(datetime.fromisoformat(raw))
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInput("ts 须为 ISO 8601 时间或毫秒时间戳。", code=ErrorCode.BAD_TIMESTAMP) from exc
    if ts_ms > now_ms + MAX_FUTURE_MS:
        raise InvalidInput("ts 比服务器时间超前 5 分钟以上。", code=ErrorCode.FUTURE_TIMESTAMP)
    return ts_ms


def _decoded(image: bytes, declared_type: str) -> bytes:
    """Decode the picture fully and return its JPEG thumbnail; refuse anything Pillow cannot read,
    or a picture whose format is not what its first bytes say."""
    refused = InvalidInput("抓拍图片无法解码（不是完整的 JPEG 或 PNG 图片）。", code=ErrorCode.BAD_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(image)) as picture:
                width, height = picture.size
                if width * height > SNAPSHOT_MAX_PIXELS:
                    raise InvalidInput(
                        f"抓拍图片像素过多（{width}×{height}），不超过 {SNAPSHOT_MAX_PIXELS} 像素。",
                        code=ErrorCode.BAD_IMAGE,
                    )
                if _FORMATS.get(picture.format or "") != declared_type:
                    raise refused
                picture.load()  # decodes every byte: a truncated file fails here
                thumb = picture.convert("RGB")
                thumb.thumbnail(THUMBNAIL_SIZE)
                out = io.BytesIO()
                thumb.save(out, format="JPEG", quality=80)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise refused from exc
    except Image.DecompressionBombError as exc:
        raise refused from exc


def _reject(actor: Actor, code: str, message: str, data: Any) -> None:
    fields = {k: str(v)[:200] for k, v in data.items()} if data is not None else {}
    with transaction.atomic():
        DeadLetter.objects.create(
            received_at=timezone.now(),
            transport=Transport.HTTP,
            enterprise_id=actor.enterprise_id,
            topic="video-events",
            reason=code,
            message=message[:500],
            rejected=[fields],
            payload=b"",
            payload_bytes=0,
        )
        storage.add_counters(
            [(timezone.localdate(), actor.enterprise_id or 0, Transport.HTTP.value, f"video_{code}"[:32], 1)]
        )


def video_event_ingest(*, actor: Actor, content_type: str, body: bytes, files: Any, data: Any) -> VideoEvent:
    actor.require("ingest.write")
    if actor.enterprise_id is None:
        raise Forbidden("设备令牌未绑定企业。", code=ErrorCode.MACHINE_WITHOUT_ENTERPRISE)
    try:
        return _ingest(actor, content_type, files, data)
    except InvalidInput as exc:
        _reject(actor, exc.code, exc.message, data)
        raise


def _ingest(actor: Actor, content_type: str, files: Any, data: Any) -> VideoEvent:
    assert actor.enterprise_id is not None  # checked by the caller
    if content_type != "multipart/form-data":
        raise InvalidInput("请求须为 multipart/form-data。", code=ErrorCode.WRONG_CONTENT_TYPE)
    now = timezone.now()
    camera = Camera.objects.filter(enterprise_id=actor.enterprise_id, code=data.get("camera", "")).first()
    if camera is None:
        raise InvalidInput(f"本企业没有编号为 {data.get('camera', '')!r} 的摄像机。", code=ErrorCode.UNKNOWN_CAMERA)
    kind = data.get("kind", "")
    if kind not in VideoEventKind.values:
        raise InvalidInput(f"kind 须为 {', '.join(VideoEventKind.values)}", details={"kind": ["invalid"]})
    ts_ms = _parse_ts(data.get("ts", ""), datetime_to_ms(now))
    confidence = None
    if data.get("confidence"):
        try:
            confidence = float(data["confidence"])
        except ValueError as exc:
            raise InvalidInput("confidence 须为 0–1 的数。", details={"confidence": ["invalid"]}) from exc
        if not math.isfinite(confidence) or not 0 <= confidence <= 1:
            raise InvalidInput("confidence 须为 0–1 的数。", details={"confidence": ["invalid"]})
    upload = files.get("snapshot")
    if upload is None:
        raise InvalidInput("缺少抓拍图片 snapshot。", details={"snapshot": ["required"]})
    limit = current().snapshot_max_bytes
    if upload.size > limit:
        raise InvalidInput(f"抓拍图片超过 {limit} 字节。", code=ErrorCode.PAYLOAD_TOO_LARGE)
    image = upload.read()
    image_type = detect_image_type(image[:8])
    if image_type is None:
        raise InvalidInput("抓拍图片须为 JPEG 或 PNG。", code=ErrorCode.BAD_IMAGE)
    thumbnail = _decoded(image, image_type)
    with transaction.atomic():
        alarm = Alarm.objects.create(
            enterprise_id=camera.enterprise_id,
            camera=camera,
            alarm_type=AlarmType.VIDEO,
            level="",
            severity=SEVERITY.get(kind, "minor"),
            status=AlarmStatus.ACTIVE_UNACK,
            raised_ms=ts_ms,
            raised_at=ms_to_datetime(ts_ms),
            detail=str(VideoEventKind(kind).label),
        )
        event = VideoEvent.objects.create(
            camera=camera,
            kind=kind,
            ts_ms=ts_ms,
            confidence=confidence,
            snapshot=image,
            snapshot_type=image_type,
            thumbnail=thumbnail,
            alarm=alarm,
        )
        storage.add_counters(
            [(timezone.localdate(now), camera.enterprise_id, Transport.HTTP.value, "video_accepted", 1)]
        )
        live("alarm", alarm.enterprise_id, alarm_live_data(alarm) | {"change": "raised"}, now=now)
    return event
