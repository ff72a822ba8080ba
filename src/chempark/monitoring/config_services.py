"""Configuration writes: monitoring points (with their alarm limits) and cameras.

Enterprise users configure their own enterprise's points; the bureau any. A point's limits are
checked by the alarm engine's own ``PointConfig`` (L below H, ranges not empty, ...), so a stored
point can always be evaluated.

The settings a regulator relies on — alarm limits, deadband, on-delay, whether the point is enabled
(``REGULATED_FIELDS``) — an enterprise user cannot change alone: its change of them becomes a
:class:`PointChangeRequest` that a bureau role (``monitoring.approve``) approves, which applies it,
or rejects with a reason. Until then the point keeps its values. Bureau users change them directly.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.core.model_writes import assign_fields, save_model, validate_model
from chempark.monitoring import alarm_model as am
from chempark.monitoring import point_index, selectors
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import (
    Camera,
    ChangeDecision,
    Point,
    PointChangeDecision,
    PointChangeRequest,
    PointLatest,
)
from chempark.park.models import Tank, Unit

POINT_FIELDS = (
    "enterprise",
    "unit",
    "tank",
    "code",
    "name",
    "kind",
    "unit_of_measure",
    "range_min",
    "range_max",
    "ll",
    "l",
    "h",
    "hh",
    "ll_severity",
    "l_severity",
    "h_severity",
    "hh_severity",
    "on_delay_s",
    "deadband",
    "stale_timeout_s",
    "lon",
    "lat",
    "enabled",
)
CODE_NOT_UNIQUE = "编码在本企业内须唯一"
CAMERA_FIELDS = ("enterprise", "code", "name", "lon", "lat", "stream_url")
REGULATED_FIELDS = ("ll", "l", "h", "hh", "deadband", "on_delay_s", "enabled")


def _check_point(actor: Actor, point: Point) -> None:
    if actor.is_enterprise_scoped and point.enterprise_id != actor.enterprise_id:
        raise Forbidden("只能维护本企业的监测点位。", code=ErrorCode.OTHER_ENTERPRISE)
    unit = Unit.objects.filter(pk=point.unit_id).first()
    if unit is None or unit.enterprise_id != point.enterprise_id:
        raise InvalidInput(
            "单元须属于点位所在企业。",
            code=ErrorCode.UNIT_OF_OTHER_ENTERPRISE,
            details={"unit": ["单元须属于点位所在企业"]},
        )
    if point.tank_id is not None and not Tank.objects.filter(pk=point.tank_id, unit_id=point.unit_id).exists():
        raise InvalidInput(
            "储罐须属于所选单元。", code=ErrorCode.TANK_OF_OTHER_UNIT, details={"tank": ["储罐须属于所选单元"]}
        )
    validate_model(point)
    try:
        point_index.config_of(point)
    except ValueError as exc:
        raise InvalidInput(
            f"报警限值不一致：{exc}", code=ErrorCode.INVALID_LIMITS, details={"__all__": [str(exc)]}
        ) from exc


def point_create(*, actor: Actor, values: dict[str, Any]) -> Point:
    actor.require("monitoring.configure")
    point = Point()
    assign_fields(point, POINT_FIELDS, values)
    _check_point(actor, point)
    with transaction.atomic():
        save_model(point, conflict_message=CODE_NOT_UNIQUE)
        PointLatest.objects.create(
            point=point, state=am.AlarmState.start(datetime_to_ms(timezone.now())).to_dict(), online=True
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="monitoring_point",
            object_id=point.pk,
            after=audit.snapshot(point),
            enterprise_id=point.enterprise_id,
        )
    transaction.on_commit(point_index.invalidate)
    point_index.invalidate()
    return point


def point_update(*, actor: Actor, pk: int, values: dict[str, Any]) -> tuple[Point, PointChangeRequest | None]:
    """Change a point. An enterprise user's changes of regulated settings are not applied but
    requested (the other fields change at once); the point and that request, if any, are returned."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        point = selectors.point_get(actor, pk, for_update=True)
        requested = _regulated_changes(point, values) if actor.is_enterprise_scoped else {}
        direct = {name: value for name, value in values.items() if name not in requested}
        request = None
        if requested:
            _check_requested(actor, point, requested)
            request = _request_create(actor, point, requested)
        _apply(actor, point, direct)
    return point, request


def _apply(actor: Actor, point: Point, values: dict[str, Any]) -> None:
    before = audit.snapshot(point)
    assign_fields(point, POINT_FIELDS, values)
    _check_point(actor, point)
    audit.save_changes(
        actor=actor,
        instance=point,
        before=before,
        object_type="monitoring_point",
        enterprise_id=point.enterprise_id,
        conflict_message=CODE_NOT_UNIQUE,
    )
    transaction.on_commit(point_index.invalidate)
    point_index.invalidate()


def _regulated_changes(point: Point, values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in REGULATED_FIELDS if name in values and values[name] != getattr(point, name)}


def _check_requested(actor: Actor, point: Point, requested: dict[str, Any]) -> None:
    """The requested values must make a valid point now (checked on a copy; nothing is assigned),
    and a point has at most one pending request (a second would race the first's decision)."""
    if selectors.change_requests_pending().filter(point=point).exists():
        raise Conflict(
            f"点位 {point.code} 已有待审批的变更申请，请等待审批结果。", code=ErrorCode.CHANGE_REQUEST_PENDING
        )
    proposed = Point.objects.get(pk=point.pk)
    assign_fields(proposed, POINT_FIELDS, requested)
    _check_point(actor, proposed)


def _request_create(actor: Actor, point: Point, requested: dict[str, Any]) -> PointChangeRequest:
    request = PointChangeRequest.objects.create(
        point=point,
        requested_by_id=actor.user_id,
        changes=requested,
        before={name: getattr(point, name) for name in requested},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="point_change_request",
        object_id=request.pk,
        after={"point": point.pk, "code": point.code, "before": request.before, "changes": requested},
        enterprise_id=point.enterprise_id,
    )
    return request


def change_request_approve(*, actor: Actor, pk: int) -> PointChangeRequest:
    """Apply a pending request's changes to its point (checked again against the point as it is now)."""
    actor.require("monitoring.approve")
    with transaction.atomic():
        request = _pending(actor, pk)
        point = selectors.point_get(actor, request.point_id, for_update=True)
        _apply(actor, point, request.changes)
        _decide(actor, request, ChangeDecision.APPROVED, "")
    return request


def change_request_reject(*, actor: Actor, pk: int, reason: str) -> PointChangeRequest:
    actor.require("monitoring.approve")
    if not reason.strip():
        raise InvalidInput("驳回须说明理由。", code=ErrorCode.REASON_REQUIRED, details={"reason": ["必填"]})
    with transaction.atomic():
        request = _pending(actor, pk)
        _decide(actor, request, ChangeDecision.REJECTED, reason.strip())
    return request


def _pending(actor: Actor, pk: int) -> PointChangeRequest:
    request = selectors.change_request_get(actor, pk, for_update=True)
    if PointChangeDecision.objects.filter(request=request).exists():
        raise Conflict(f"变更申请 {pk} 已审批。", code=ErrorCode.TRANSITION_NOT_ALLOWED, details={"allowed": []})
    return request


def _decide(actor: Actor, request: PointChangeRequest, decision: ChangeDecision, reason: str) -> None:
    made = PointChangeDecision.objects.create(
        request=request, decision=decision, decided_by_id=actor.user_id, reason=reason
    )
    request.decision = made
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="point_change_decision",
        object_id=made.pk,
        after={"request": request.pk, "point": request.point_id, "decision": decision.value, "reason": reason},
        enterprise_id=request.point.enterprise_id,
    )


def point_delete(*, actor: Actor, pk: int) -> None:
    """Delete a point that never raised an alarm (readings go with it); otherwise disable it instead."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        point = selectors.point_get(actor, pk, for_update=True)
        audit.delete_recorded(
            actor=actor,
            instance=point,
            object_type="monitoring_point",
            enterprise_id=point.enterprise_id,
            in_use_message=f"点位 {pk} 已有报警记录，不能删除；可停用。",
        )
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
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="camera",
            object_id=camera.pk,
            after=audit.snapshot(camera),
            enterprise_id=camera.enterprise_id,
        )
    return camera


def camera_update(*, actor: Actor, pk: int, values: dict[str, Any]) -> Camera:
    actor.require("monitoring.configure")
    with transaction.atomic():
        camera = selectors.camera_get(actor, pk, for_update=True)
        before = audit.snapshot(camera)
        assign_fields(camera, CAMERA_FIELDS, values)
        _check_camera(actor, camera)
        audit.save_changes(
            actor=actor,
            instance=camera,
            before=before,
            object_type="camera",
            enterprise_id=camera.enterprise_id,
            conflict_message=CODE_NOT_UNIQUE,
        )
    return camera


def camera_move(*, actor: Actor, pk: int, lon: float, lat: float) -> None:
    """Move a camera (the video module's view page sets position and view together)."""
    camera_update(actor=actor, pk=pk, values={"lon": lon, "lat": lat})


def camera_delete(*, actor: Actor, pk: int) -> None:
    """Delete a camera that has no video events or alarms (they keep their camera)."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        camera = selectors.camera_get(actor, pk, for_update=True)
        audit.delete_recorded(
            actor=actor,
            instance=camera,
            object_type="camera",
            enterprise_id=camera.enterprise_id,
            in_use_message=f"摄像机 {pk} 已有识别事件或报警，不能删除。",
        )
