"""REST endpoints of the monitoring module: ingest (machines), points, alarms, trends, dead letters,
cameras and the enterprise gateways' MQTT accounts."""

from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chempark.core.api import Page, actor_of
from chempark.core.errors import DomainError, ErrorCode
from chempark.monitoring import alarm_bulk, config_services, indicators, mqtt_accounts, selectors, services, video
from chempark.monitoring.ingest.payload import RejectReason
from chempark.monitoring.models import MqttCredential, PointChangeRequest, Transport
from chempark.monitoring.schemas import (
    AcknowledgeIn,
    AlarmFilters,
    AlarmOut,
    BulkAcknowledgeIn,
    BulkAcknowledgeOut,
    CameraCreate,
    CameraListFilters,
    CameraOut,
    CameraPatch,
    ChangeRequestFilters,
    ChangeRequestOut,
    DeadLetterOut,
    HandlingIn,
    HandlingOut,
    MqttCredentialIssued,
    MqttCredentialIssueIn,
    MqttCredentialOut,
    PointCreate,
    PointListFilters,
    PointOut,
    PointPatch,
    PositionPlatformCredentialIn,
    RejectIn,
    TrendFilters,
    TrendOut,
    VideoEventOut,
)

router = Router(tags=["monitoring"])
ISSUED_ATTRIBUTES = ("id", "username", "kind", "enterprise_id", "enterprise", "issued_at", "revoked_at")

_READINGS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["readings"],
                    "properties": {
                        "readings": {
                            "type": "array",
                            "maxItems": 10_000,
                            "items": {
                                "type": "object",
                                "required": ["point", "ts", "value"],
                                "properties": {
                                    "point": {"type": "string"},
                                    "ts": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "integer"}]},
                                    "value": {"type": "number"},
                                },
                            },
                        }
                    },
                }
            }
        },
    }
}


class IngestRefused(DomainError):
    """The whole message was refused; ``details`` is the same answer a partial success gets, with
    the ingest reason (``invalid_json``, ``too_many_readings``...) in ``details.error.reason``."""

    status = 400
    code = ErrorCode.INGEST_REFUSED


@router.post(
    "/ingest/readings",
    operation_id="ingest_readings",
    summary="Push readings (machine token)",
    openapi_extra=_READINGS_BODY,
)
def ingest_readings(request: HttpRequest) -> Any:
    """Answer: ``{"accepted": n, "duplicate": n, "rejected": [{"index", "reason", "message"}],
    "error": null}`` — a duplicate is a reading of a point at a time already stored (a resend).
    A refused message answers 400 (413 if too large) with that answer in ``details``."""
    actor = actor_of(request, machines=True)
    outcome = services.ingest_batch(actor=actor, raw=request.body, transport=Transport.HTTP)
    assert outcome.result is not None  # the sender's enterprise is the actor's own
    error = outcome.result.message_error
    if error is not None:
        exc = IngestRefused(error.message, details=outcome.as_response())
        if error.reason is RejectReason.PAYLOAD_TOO_LARGE:
            exc.status = 413
        raise exc
    return outcome.as_response()


@router.post(
    "/ingest/video-events",
    response={201: VideoEventOut},
    operation_id="ingest_video_event",
    summary="Push a video-analytics event with its snapshot (machine token)",
    openapi_extra=video.OPENAPI_BODY,
)
def ingest_video_event(request: HttpRequest) -> Any:
    actor = actor_of(request, machines=True)
    event = video.video_event_ingest(
        actor=actor, content_type=request.content_type or "", body=request.body, files=request.FILES, data=request.POST
    )
    return Status(201, {"id": event.pk, "alarm": event.alarm_id})


@router.get("/monitoring/points", response=list[PointOut], operation_id="list_monitoring_points")
@paginate(Page)
def list_points(request: HttpRequest, filters: Query[PointListFilters]) -> Any:
    return selectors.points_search(actor_of(request), query=filters.q, enterprise=filters.enterprise, kind=filters.kind)


@router.post("/monitoring/points", response={201: PointOut}, operation_id="create_monitoring_point")
def create_point(request: HttpRequest, payload: PointCreate) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
    values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
    return Status(201, config_services.point_create(actor=actor_of(request), values=values))


@router.get("/monitoring/points/{id:pk}", response=PointOut, operation_id="get_monitoring_point")
def get_point(request: HttpRequest, pk: int) -> Any:
    return selectors.point_get(actor_of(request), pk)


@router.patch(
    "/monitoring/points/{id:pk}",
    response={200: PointOut, 202: ChangeRequestOut},
    operation_id="update_monitoring_point",
    summary="Change a point; an enterprise user's change of alarm limits, deadband, on-delay or "
    "enabling is a change request for the bureau (202, the point keeps its values)",
)
def update_point(request: HttpRequest, pk: int, payload: PointPatch) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
    values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
    point, change_request = config_services.point_update(actor=actor_of(request), pk=pk, values=values)
    return point if change_request is None else Status(202, _change_request(change_request))


def _change_request(row: PointChangeRequest) -> dict[str, Any]:
    decision = getattr(row, "decision", None)
    return {
        "id": row.pk,
        "point": row.point_id,
        "point_code": row.point.code,
        "requested_by": row.requested_by.username if row.requested_by else None,
        "requested_at": row.requested_at,
        "before": row.before,
        "changes": row.changes,
        "status": decision.decision if decision else "pending",
        "decided_by": decision.decided_by.username if decision and decision.decided_by else None,
        "decided_at": decision.decided_at if decision else None,
        "reason": decision.reason if decision else "",
    }


@router.get(
    "/monitoring/change-requests",
    response=list[ChangeRequestOut],
    operation_id="list_point_change_requests",
    summary="Requests to change points' regulated settings, newest first",
)
@paginate(Page)
def list_change_requests(request: HttpRequest, filters: Query[ChangeRequestFilters]) -> Any:
    rows = selectors.change_requests_search(actor_of(request), status=filters.status, point=filters.point)
    return [_change_request(row) for row in rows]


@router.post(
    "/monitoring/change-requests/{id:pk}/approve",
    response=ChangeRequestOut,
    operation_id="approve_point_change_request",
    summary="Approve and apply a change request (bureau)",
)
def approve_change_request(request: HttpRequest, pk: int) -> Any:
    return _change_request(config_services.change_request_approve(actor=actor_of(request), pk=pk))


@router.post(
    "/monitoring/change-requests/{id:pk}/reject",
    response=ChangeRequestOut,
    operation_id="reject_point_change_request",
    summary="Reject a change request with a reason (bureau)",
)
def reject_change_request(request: HttpRequest, pk: int, payload: RejectIn) -> Any:
    return _change_request(config_services.change_request_reject(actor=actor_of(request), pk=pk, reason=payload.reason))


@router.delete("/monitoring/points/{id:pk}", response={204: None}, operation_id="delete_monitoring_point")
def delete_point(request: HttpRequest, pk: int) -> Any:
    config_services.point_delete(actor=actor_of(request), pk=pk)
    return Status(204, None)


@router.get("/monitoring/points/{id:pk}/trend", response=TrendOut, operation_id="monitoring_point_trend")
def point_trend(request: HttpRequest, pk: int, filters: Query[TrendFilters]) -> Any:
    return indicators.trend(actor_of(request), pk, since_ms=filters.since_ms, until_ms=filters.until_ms)


class AlarmPagination(Page):
    """Limit/offset pages of alarms, each alarm with its nearby cameras placed after the page is cut."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = selectors.with_nearby_cameras(actor_of(request), page[self.items_attribute])
        return page


@router.get("/monitoring/alarms", response=list[AlarmOut], operation_id="list_alarms")
@paginate(AlarmPagination)
def list_alarms(request: HttpRequest, filters: Query[AlarmFilters]) -> Any:
    return selectors.alarms_search(
        actor_of(request),
        status=filters.status,
        alarm_type=filters.alarm_type,
        severity=filters.severity,
        point_kind=filters.point_kind,
        enterprise=filters.enterprise,
        active_only=filters.active,
        escalated_only=filters.escalated,
        since=filters.since,
        until=filters.until,
    )


@router.post(
    "/monitoring/alarms/acknowledge",
    response=BulkAcknowledgeOut,
    operation_id="acknowledge_alarms",
    summary="Acknowledge several alarms with one note; each is audited, those done before are reported",
)
def acknowledge_alarms(request: HttpRequest, payload: BulkAcknowledgeIn) -> Any:
    return alarm_bulk.alarms_acknowledge(actor=actor_of(request), alarm_ids=payload.ids, note=payload.note)


@router.get("/monitoring/alarms/{id:pk}", response=AlarmOut, operation_id="get_alarm")
def get_alarm(request: HttpRequest, pk: int) -> Any:
    actor = actor_of(request)
    return selectors.with_nearby_cameras(actor, [selectors.alarm_get(actor, pk)])[0]


@router.post("/monitoring/alarms/{id:pk}/acknowledge", response=AlarmOut, operation_id="acknowledge_alarm")
def acknowledge_alarm(request: HttpRequest, pk: int, payload: AcknowledgeIn) -> Any:
    actor = actor_of(request)
    alarm = services.alarm_acknowledge(actor=actor, alarm_id=pk, note=payload.note)
    return selectors.with_nearby_cameras(actor, [alarm])[0]


@router.get("/monitoring/alarms/{id:pk}/handling", response=list[HandlingOut], operation_id="list_alarm_handling")
def list_handling(request: HttpRequest, pk: int) -> Any:
    return list(selectors.alarm_get(actor_of(request), pk).handling.all())


@router.post("/monitoring/alarms/{id:pk}/handling", response={201: HandlingOut}, operation_id="add_alarm_handling")
def add_handling(request: HttpRequest, pk: int, payload: HandlingIn) -> Any:
    return Status(201, services.alarm_record_handling(actor=actor_of(request), alarm_id=pk, text=payload.text))


@router.get("/monitoring/indicators", operation_id="monitoring_indicators")
def get_indicators(request: HttpRequest) -> Any:
    return indicators.indicators(actor_of(request))


@router.get("/monitoring/dead-letters", response=list[DeadLetterOut], operation_id="list_dead_letters")
@paginate(Page)
def list_dead_letters(request: HttpRequest) -> Any:
    return selectors.dead_letters_visible(actor_of(request))


@router.get("/monitoring/cameras", response=list[CameraOut], operation_id="list_cameras")
@paginate(Page)
def list_cameras(request: HttpRequest, filters: Query[CameraListFilters]) -> Any:
    return selectors.cameras_search(actor_of(request), query=filters.q, enterprise=filters.enterprise)


@router.post("/monitoring/cameras", response={201: CameraOut}, operation_id="create_camera")
def create_camera(request: HttpRequest, payload: CameraCreate) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
    values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
    return Status(201, config_services.camera_create(actor=actor_of(request), values=values))


@router.get("/monitoring/cameras/{id:pk}", response=CameraOut, operation_id="get_camera")
def get_camera(request: HttpRequest, pk: int) -> Any:
    return selectors.camera_get(actor_of(request), pk)


@router.patch("/monitoring/cameras/{id:pk}", response=CameraOut, operation_id="update_camera")
def update_camera(request: HttpRequest, pk: int, payload: CameraPatch) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
    values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
    return config_services.camera_update(actor=actor_of(request), pk=pk, values=values)


@router.delete("/monitoring/cameras/{id:pk}", response={204: None}, operation_id="delete_camera")
def delete_camera(request: HttpRequest, pk: int) -> Any:
    config_services.camera_delete(actor=actor_of(request), pk=pk)
    return Status(204, None)


@router.get("/monitoring/mqtt-credentials", response=list[MqttCredentialOut], operation_id="list_mqtt_credentials")
@paginate(Page)
def list_mqtt_credentials(request: HttpRequest) -> Any:
    return selectors.mqtt_credentials_visible(actor_of(request))


@router.post(
    "/monitoring/mqtt-credentials",
    response={201: MqttCredentialIssued},
    operation_id="issue_mqtt_credential",
    summary="Issue or rotate an enterprise gateway's MQTT password (shown once in the answer)",
)
def issue_mqtt_credential(request: HttpRequest, payload: MqttCredentialIssueIn) -> Any:
    credential, password = mqtt_accounts.enterprise_credential_issue(
        actor=actor_of(request), enterprise_id=payload.enterprise
    )
    return Status(201, _issued(credential, password))


def _issued(credential: MqttCredential, password: str) -> SimpleNamespace:
    # the password exists only in this answer: it is not an attribute of the stored account
    return SimpleNamespace(**{name: getattr(credential, name) for name in ISSUED_ATTRIBUTES}, password=password)


@router.post(
    "/monitoring/mqtt-credentials/position-platforms",
    response={201: MqttCredentialIssued},
    operation_id="issue_position_platform_credential",
    summary="Issue or rotate the MQTT password of a platform that pushes vehicle positions (shown once)",
)
def issue_position_platform_credential(request: HttpRequest, payload: PositionPlatformCredentialIn) -> Any:
    credential, password = mqtt_accounts.position_platform_credential_issue(actor=actor_of(request), name=payload.name)
    return Status(201, _issued(credential, password))


@router.post(
    "/monitoring/mqtt-credentials/{id:pk}/revoke",
    response=MqttCredentialOut,
    operation_id="revoke_mqtt_credential",
    summary="Revoke an MQTT account (left out of the broker files)",
)
def revoke_mqtt_credential(request: HttpRequest, pk: int) -> Any:
    return mqtt_accounts.credential_revoke(actor=actor_of(request), credential_id=pk)
