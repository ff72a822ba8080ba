"""API schemas of the monitoring module: strict input (no coercion, no NaN), plain output."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, StrictStr, create_model

from chempark.core.bounds import DateTime, EpochMs, RowId, StrictRowId
from chempark.monitoring import selectors
from chempark.monitoring.alarm_bulk import BULK_MAX
from chempark.monitoring.models import PointKind, Severity
from chempark.park.schemas import FiniteFloat, StrictInput

KindLiteral = Literal[tuple(PointKind.values)]  # type: ignore[valid-type]  # a Literal of the enum's values, built at run time
SeverityLiteral = Literal[tuple(Severity.values)]  # type: ignore[valid-type]  # a Literal of the enum's values, built at run time

_POINT_INPUT: dict[str, tuple[Any, bool]] = {  # name: (type, required on create)
    "enterprise": (StrictRowId, True),
    "unit": (StrictRowId, True),
    "tank": (StrictRowId | None, False),
    "code": (Annotated[StrictStr, Field(min_length=1, max_length=64)], True),
    "name": (Annotated[StrictStr, Field(min_length=1, max_length=200)], True),
    "kind": (KindLiteral, True),
    "unit_of_measure": (Annotated[StrictStr, Field(max_length=16)], True),
    "range_min": (FiniteFloat | StrictInt, True),
    "range_max": (FiniteFloat | StrictInt, True),
    "ll": (FiniteFloat | StrictInt | None, False),
    "l": (FiniteFloat | StrictInt | None, False),
    "h": (FiniteFloat | StrictInt | None, False),
    "hh": (FiniteFloat | StrictInt | None, False),
    "ll_severity": (SeverityLiteral, False),
    "l_severity": (SeverityLiteral, False),
    "h_severity": (SeverityLiteral, False),
    "hh_severity": (SeverityLiteral, False),
    "on_delay_s": (FiniteFloat | StrictInt, False),
    "deadband": (FiniteFloat | StrictInt, False),
    "stale_timeout_s": (FiniteFloat | StrictInt, False),
    "lon": (FiniteFloat | StrictInt, True),
    "lat": (FiniteFloat | StrictInt, True),
    "enabled": (StrictBool, False),
}


def _point_schema(*, partial: bool) -> type[Schema]:
    definitions: dict[str, Any] = {}
    for name, (annotation, required) in _POINT_INPUT.items():
        if required and not partial:
            definitions[name] = (annotation, ...)
        else:
            definitions[name] = (annotation | None if partial else annotation, None)
    return create_model("PointPatch" if partial else "PointCreate", __base__=StrictInput, **definitions)


PointCreate = _point_schema(partial=False)
PointPatch = _point_schema(partial=True)


class PointOut(Schema):
    id: int
    enterprise: int = Field(validation_alias="enterprise_id")
    unit: int = Field(validation_alias="unit_id")
    tank: int | None = Field(validation_alias="tank_id")
    code: str
    name: str
    kind: str
    unit_of_measure: str
    range_min: float
    range_max: float
    ll: float | None
    l: float | None  # noqa: E741 - the instrument engineer's name for the low limit
    h: float | None
    hh: float | None
    ll_severity: str
    l_severity: str
    h_severity: str
    hh_severity: str
    on_delay_s: float
    deadband: float
    stale_timeout_s: float
    lon: float
    lat: float
    enabled: bool


class PointListFilters(Schema):
    q: str = ""
    enterprise: RowId | None = None
    kind: str = ""


class NearbyCameraOut(Schema):
    id: int
    code: str
    name: str
    distance_m: int
    stream_url: str


class AlarmOut(Schema):
    id: int
    enterprise: int | None = Field(validation_alias="enterprise_id")
    point: int | None = Field(validation_alias="point_id")
    camera: int | None = Field(validation_alias="camera_id")
    alarm_type: str
    level: str
    severity: str
    status: str
    raised_at: datetime
    value: float | None
    peak_value: float | None
    flapping: bool
    detail: str
    cleared_at: datetime | None
    acked_at: datetime | None
    escalated_at: datetime | None
    reminders: int
    source: str = Field(description="the module that raised it, when not a point or camera (vehicles, tracking …)")
    subject: str = Field(description="what another module's alarm is about: a plate, an area")
    lon: float | None
    lat: float | None
    cameras: list[NearbyCameraOut] = Field(
        description=f"cameras within {selectors.NEARBY_CAMERA_M:g} m of the alarm's point (or its own camera), "
        "nearest first; the same rule as the alarm page"
    )

    @staticmethod
    def resolve_cameras(obj: Any) -> list[dict[str, Any]]:
        """From the cameras the endpoint placed on the alarm (``with_nearby_cameras``): a schema runs
        no query."""
        return [
            {
                "id": near.camera.pk,
                "code": near.camera.code,
                "name": near.camera.name,
                "distance_m": near.distance_m,
                "stream_url": near.camera.stream_url,
            }
            for near in obj.nearby_cameras
        ]


class AlarmFilters(Schema):
    status: str = ""
    alarm_type: str = ""
    severity: str = ""
    point_kind: str = ""
    enterprise: RowId | None = None
    active: bool = False
    escalated: bool = False
    since: DateTime | None = Field(None, description="raised at or after (without an offset: park time)")
    until: DateTime | None = Field(None, description="raised before (without an offset: park time)")


class BulkAcknowledgeIn(StrictInput):
    ids: Annotated[list[StrictRowId], Field(min_length=1, max_length=BULK_MAX)]
    note: Annotated[StrictStr, Field(max_length=2000)] = ""


class BulkAcknowledgeOut(Schema):
    acknowledged: list[int]
    already_acknowledged: list[int] = Field(description="not in a state that can be acknowledged (done before)")
    not_found: list[int] = Field(description="no such alarm, or not the actor's to see")


class AcknowledgeIn(StrictInput):
    note: Annotated[StrictStr, Field(max_length=2000)] = ""


class HandlingIn(StrictInput):
    text: Annotated[StrictStr, Field(min_length=1, max_length=2000)]


class HandlingOut(Schema):
    id: int
    kind: str
    at: datetime
    by: int | None = Field(validation_alias="by_id")
    text: str


class TrendPoint(Schema):
    minute_ms: int
    min: float
    max: float
    mean: float
    count: int


class TrendOut(Schema):
    point: int
    unit_of_measure: str
    limits: dict[str, float | None]
    series: list[TrendPoint]


class TrendFilters(Schema):
    since_ms: EpochMs
    until_ms: EpochMs


class DeadLetterOut(Schema):
    id: int
    received_at: datetime
    transport: str
    enterprise_id: int | None
    topic: str
    reason: str
    message: str
    rejected: list[dict[str, Any]]
    payload_bytes: int
    payload_text: str

    @staticmethod
    def resolve_payload_text(obj: Any) -> str:
        return bytes(obj.payload).decode("utf-8", errors="replace")


_CAMERA_INPUT: dict[str, tuple[Any, bool]] = {
    "enterprise": (StrictRowId, True),
    "code": (Annotated[StrictStr, Field(min_length=1, max_length=64)], True),
    "name": (Annotated[StrictStr, Field(min_length=1, max_length=200)], True),
    "lon": (FiniteFloat | StrictInt, True),
    "lat": (FiniteFloat | StrictInt, True),
    "stream_url": (Annotated[StrictStr, Field(max_length=500)], False),
}


def _camera_schema(*, partial: bool) -> type[Schema]:
    definitions: dict[str, Any] = {}
    for name, (annotation, required) in _CAMERA_INPUT.items():
        if required and not partial:
            definitions[name] = (annotation, ...)
        else:
            definitions[name] = (annotation | None if partial else annotation, None)
    return create_model("CameraPatch" if partial else "CameraCreate", __base__=StrictInput, **definitions)


CameraCreate = _camera_schema(partial=False)
CameraPatch = _camera_schema(partial=True)


class CameraOut(Schema):
    id: int
    enterprise: int = Field(validation_alias="enterprise_id")
    code: str
    name: str
    lon: float
    lat: float
    stream_url: str


class CameraListFilters(Schema):
    q: str = ""
    enterprise: RowId | None = None


class VideoEventOut(Schema):
    id: int
    alarm: int | None


class MqttCredentialOut(Schema):
    """A broker account as listed: never its password or hash."""

    id: int
    username: str
    kind: str
    enterprise: int | None = Field(validation_alias="enterprise_id")
    enterprise_name: str | None
    issued_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_enterprise_name(obj: Any) -> str | None:
        return obj.enterprise.name if obj.enterprise_id is not None else None


class MqttCredentialIssued(MqttCredentialOut):
    """The answer to issuing: the only time the password is ever shown."""

    password: str


class MqttCredentialIssueIn(StrictInput):
    enterprise: StrictRowId


class PositionPlatformCredentialIn(StrictInput):
    """The platform's name: its broker username and the last level of its topic."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=64)]


class ChangeRequestFilters(Schema):
    status: Literal["", "pending", "approved", "rejected"] = ""
    point: RowId | None = None


class RejectIn(StrictInput):
    reason: Annotated[StrictStr, Field(min_length=1, max_length=2000)]


class ChangeRequestOut(Schema):
    """A request to change a point's regulated settings (alarm limits, deadband, on-delay, enabled)
    and, once decided, the bureau's decision."""

    id: int
    point: int
    point_code: str
    requested_by: str | None
    requested_at: datetime
    before: dict[str, float | bool | None]
    changes: dict[str, float | bool | None]
    status: Literal["pending", "approved", "rejected"]
    decided_by: str | None
    decided_at: datetime | None
    reason: str
