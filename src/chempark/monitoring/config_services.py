"""Configuration writes: monitoring points (with their alarm limits) and cameras.

Enterprise users configure their own enterprise's points; the bureau any. A point's limits are
checked by the alarm engine's own ``PointConfig`` (L below H, ranges not empty, ...), so a stored
point can always be evaluated.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, Forbidden, InvalidInput
from chempark.core.model_writes import assign_fields, save_model, validate_model
from chempark.monitoring import alarm_model as am
from chempark.monitoring import point_index, selectors
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Camera, Point, PointLatest
from chempark.park.models import Tank, Unit

POINT_FIELDS = ("enterprise", "unit", "tank", "code", "name", "kind", "unit_of_measure",
                "range_min", "range_max", "ll", "l", "h", "hh", "ll_severity", "l_severity", "h_severity",
                "hh_severity", "on_delay_s", "deadband", "stale_timeout_s", "lon", "lat", "enabled")
CODE_NOT_UNIQUE = "编码在本企业内须唯一"
CAMERA_FIELDS = ("enterprise", "code", "name", "lon", "lat", "stream_url")






def _check_point(actor: Actor, point: Point) -> None:
    if actor.is_enterprise_scoped and point.enterprise_id != actor.enterprise_id:
        raise Forbidden("只能维护本企业的监测点位。", code=ErrorCode.OTHER_ENTERPRISE)
    unit = Unit.objects.filter(pk=point.unit_id).first()
    if unit is None or unit.enterprise_id != point.enterprise_id:
        raise InvalidInput("单元须属于点位所在企业。", code=ErrorCode.UNIT_OF_OTHER_ENTERPRISE,
                           details={"unit": ["单元须属于点位所在企业"]})
    if point.tank_id is not None and not Tank.objects.filter(pk=point.tank_id, unit_id=point.unit_id).exists():
        raise InvalidInput("储罐须属于所选单元。", code=ErrorCode.TANK_OF_OTHER_UNIT,
                           details={"tank": ["储罐须属于所选单元"]})
    validate_model(point)
    try:
        point_index.config_of(point)
    except ValueError as exc:
        raise InvalidInput(f"报警限值不一致：{exc}", code=ErrorCode.INVALID_LIMITS,
                           details={"__all__": [str(exc)]}) from exc




def point_create(*, actor: Actor, values: dict[str, Any]) -> Point:
    actor.require("monitoring.configure")
    point = Point()
    assign_fields(point, POINT_FIELDS, values)
    _check_point(actor, point)
    with transaction.atomic():
        save_model(point, conflict_message=CODE_NOT_UNIQUE)
        PointLatest.objects.create(point=point, state=am.AlarmState.start(datetime_to_ms(timezone.now())).to_dict(),
                                   online=True)
        audit.record(actor=actor, action=AuditAction.CREATE, object_type="monitoring_point", object_id=point.pk,
                     after=audit.snapshot(point), enterprise_id=point.enterprise_id)
    transaction.on_commit(point_index.invalidate)
    point_index.invalidate()
    return point


def point_update(*, actor: Actor, pk: int, values: dict[str, Any]) -> Point:
    actor.require("monitoring.configure")
    with transaction.atomic():
        point = selectors.point_get(actor, pk, for_update=True)
        before = audit.snapshot(point)
        assign_fields(point, POINT_FIELDS, values)
        _check_point(actor, point)
        audit.save_changes(actor=actor, instance=point, before=before, object_type="monitoring_point",
                           enterprise_id=point.enterprise_id, conflict_message=CODE_NOT_UNIQUE)
    transaction.on_commit(point_index.invalidate)
    point_index.invalidate()
    return point


def point_delete(*, actor: Actor, pk: int) -> None:
    """Delete a point that never raised an alarm (readings go with it); otherwise disable it instead."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        point = selectors.point_get(actor, pk, for_update=True)
        audit.delete_recorded(actor=actor, instance=point, object_type="monitoring_point",
                              enterprise_id=point.enterprise_id,
                              in_use_message=f"点位 {pk} 已有报警记录，不能删除；可停用。")
    point_index.invalidate()


STREAM_SCHEMES = ("rtsp", "http", "https")


def _check_camera(actor: Actor, camera: Camera) -> None:
    if actor.is_enterprise_scoped and camera.enterprise_id != actor.enterprise_id:
        raise Forbidden("只能维护本企业的摄像机。", code=ErrorCode.OTHER_ENTERPRISE)
    if camera.stream_url:
        parts = urlsplit(camera.stream_url)
        spaced = any(c.isspace() for c in camera.stream_url)
        if parts.scheme.lower() not in STREAM_SCHEMES or not parts.hostname or spaced:
            message = "视频流地址须为 rtsp://、http:// 或 https:// 开头的完整地址"
            raise InvalidInput(f"{message}。", code=ErrorCode.INVALID_STREAM_URL, details={"stream_url": [message]})
    validate_model(camera)


def camera_create(*, actor: Actor, values: dict[str, Any]) -> Camera:
    actor.require("monitoring.configure")
    camera = Camera()
    assign_fields(camera, CAMERA_FIELDS, values)
    _check_camera(actor, camera)
    with transaction.atomic():
        save_model(camera, conflict_message=CODE_NOT_UNIQUE)
        audit.record(actor=actor, action=AuditAction.CREATE, object_type="camera", object_id=camera.pk,
                     after=audit.snapshot(camera), enterprise_id=camera.enterprise_id)
    return camera


def camera_update(*, actor: Actor, pk: int, values: dict[str, Any]) -> Camera:
    actor.require("monitoring.configure")
    with transaction.atomic():
        camera = selectors.camera_get(actor, pk, for_update=True)
        before = audit.snapshot(camera)
        assign_fields(camera, CAMERA_FIELDS, values)
        _check_camera(actor, camera)
        audit.save_changes(actor=actor, instance=camera, before=before, object_type="camera",
                           enterprise_id=camera.enterprise_id, conflict_message=CODE_NOT_UNIQUE)
    return camera


def camera_delete(*, actor: Actor, pk: int) -> None:
    """Delete a camera that has no video events or alarms (they keep their camera)."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        camera = selectors.camera_get(actor, pk, for_update=True)
        audit.delete_recorded(actor=actor, instance=camera, object_type="camera", enterprise_id=camera.enterprise_id,
                              in_use_message=f"摄像机 {pk} 已有识别事件或报警，不能删除。")
