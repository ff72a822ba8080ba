"""Reads of the monitoring module, with visibility in one place: an enterprise user sees only its
own enterprise's points, alarms, cameras and dead letters; anything else is "not found"."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from chempark.common import geo
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, InvalidInput, NotFound
from chempark.core.selectors import one_visible, visible_to
from chempark.monitoring.ingest.payload import ms_to_datetime
from chempark.monitoring.models import (
    Alarm,
    AlarmStatus,
    AlarmType,
    Camera,
    DeadLetter,
    EnterpriseWarning,
    MqttCredential,
    Point,
    PointChangeRequest,
    PointKind,
    Rollup,
    Severity,
    VideoEvent,
)
from chempark.park.models import Enterprise


def points_visible(actor: Actor) -> QuerySet[Point]:
    actor.require("monitoring.read")
    return visible_to(actor, Point.objects.select_related("enterprise", "unit", "latest"))


def point_get(actor: Actor, pk: int, *, for_update: bool = False) -> Point:
    return one_visible(points_visible(actor), pk, "监测点位", for_update=for_update)


CHANGE_REQUEST_STATUSES = ("pending", "approved", "rejected")


def change_requests_visible(actor: Actor) -> QuerySet[PointChangeRequest]:
    actor.require("monitoring.read")
    return visible_to(actor, PointChangeRequest.objects.all(), "point__enterprise_id")


def change_requests_search(actor: Actor, *, status: str = "", point: int | None = None) -> QuerySet[PointChangeRequest]:
    """Change requests of points the actor sees, newest first: ``pending`` (no decision yet),
    ``approved`` or ``rejected``, of one point or all."""
    queryset = change_requests_visible(actor).select_related("point", "requested_by", "decision__decided_by")
    if status == "pending":
        queryset = queryset.filter(decision__isnull=True)
    elif status in CHANGE_REQUEST_STATUSES:
        queryset = queryset.filter(decision__decision=status)
    elif status:
        raise InvalidInput(f"状态筛选须为 {', '.join(CHANGE_REQUEST_STATUSES)}", code=ErrorCode.INVALID_FILTER)
    if point is not None:
        queryset = queryset.filter(point_id=point)
    return queryset


def change_requests_pending() -> QuerySet[PointChangeRequest]:
    """Every request still awaiting the bureau (the services' check of one pending request per point)."""
    return PointChangeRequest.objects.filter(decision__isnull=True)


def change_request_get(actor: Actor, pk: int, *, for_update: bool = False) -> PointChangeRequest:
    return one_visible(change_requests_visible(actor), pk, "变更申请", for_update=for_update)


def points_search(actor: Actor, *, query: str = "", enterprise: int | None = None, kind: str = "") -> QuerySet[Point]:
    queryset = points_visible(actor)
    if query.strip():
        queryset = queryset.filter(code__icontains=query.strip()) | queryset.filter(name__icontains=query.strip())
    if enterprise is not None:
        queryset = queryset.filter(enterprise_id=enterprise)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("enterprise_id", "code")


WARNING_LEVELS = ("red", "orange", "yellow", "blue")
"""Enterprise warning levels, most urgent first (an enterprise without a row is blue)."""


def warning_level_of_enterprise(enterprise_ref: str = "pk") -> Subquery:
    """The warning level of the enterprise a query's row names (``OuterRef(enterprise_ref)``), to
    annotate an enterprise query in SQL rather than fetch every level."""
    return Subquery(EnterpriseWarning.objects.filter(enterprise_id=OuterRef(enterprise_ref)).values("level")[:1])


def alarms_visible(actor: Actor) -> QuerySet[Alarm]:
    actor.require("monitoring.read")
    return visible_to(actor, Alarm.objects.select_related("enterprise", "point", "camera", "acked_by"))


def alarm_snapshot(actor: Actor, pk: int) -> VideoEvent:
    """The video-analytics event (with its snapshot) that raised alarm ``pk``, if the actor may see
    the alarm; the snapshot is as private as the alarm."""
    alarm = alarm_get(actor, pk)
    event = VideoEvent.objects.filter(alarm=alarm).order_by("pk").first()
    if event is None:
        raise NotFound(f"报警 {pk} 没有抓拍图片。")
    return event


def alarm_snapshot_events(alarms: Iterable[Alarm]) -> dict[int, VideoEvent]:
    """The video events of the given (already visible) alarms, by alarm id, without their images."""
    ids = [alarm.pk for alarm in alarms]
    events = VideoEvent.objects.filter(alarm_id__in=ids).defer("snapshot", "thumbnail").order_by("pk")
    return {event.alarm_id: event for event in reversed(list(events)) if event.alarm_id is not None}


def alarm_get(actor: Actor, pk: int, *, for_update: bool = False) -> Alarm:
    queryset = alarms_visible(actor)
    if for_update:
        queryset = Alarm.objects.filter(pk__in=queryset.filter(pk=pk).values("pk")).select_for_update()
    alarm = queryset.filter(pk=pk).first()
    if alarm is None:
        raise NotFound(f"报警 {pk} 不存在。")
    return alarm


def alarms_search(
    actor: Actor,
    *,
    status: str = "",
    alarm_type: str = "",
    enterprise: int | None = None,
    active_only: bool = False,
    open_only: bool = False,
    escalated_only: bool = False,
    severity: str = "",
    point_kind: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Alarm]:
    """``active_only``: the condition is present; ``open_only``: the alarm still needs someone —
    present, or gone but never acknowledged (an excursion that cleared by itself at night must still
    be seen and acknowledged: an alarm is closed only when both cleared and acknowledged).
    ``since``/``until`` bound the time it was raised, [since, until). Each coded filter is checked
    against its model choices, so a type added to the choices is filterable with no change here."""
    queryset = alarms_visible(actor)
    since, until = _park_time(since), _park_time(until)
    for value, choices, field, label in (
        (status, AlarmStatus, "status", "状态"),
        (alarm_type, AlarmType, "alarm_type", "报警类型"),
        (severity, Severity, "severity", "严重程度"),
        (point_kind, PointKind, "point__kind", "点位类型"),
    ):
        if value:
            if value not in choices.values:
                raise InvalidInput(
                    f"{label}须为 {', '.join(choices.values)}", code=ErrorCode.INVALID_FILTER, details={"field": field}
                )
            queryset = queryset.filter(**{field: value})
    if since is not None and until is not None and until <= since:
        raise InvalidInput("时间范围的结束须晚于开始。", code=ErrorCode.INVALID_RANGE, details={"field": "until"})
    if since is not None:
        queryset = queryset.filter(raised_at__gte=since)
    if until is not None:
        queryset = queryset.filter(raised_at__lt=until)
    if enterprise is not None:
        queryset = queryset.filter(enterprise_id=enterprise)
    if active_only:
        queryset = queryset.filter(status__in=(AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK))
    if open_only:
        queryset = queryset.exclude(status=AlarmStatus.CLEARED_ACK)
    if escalated_only:
        queryset = queryset.filter(escalated_at__isnull=False)
    return queryset.order_by("-raised_at", "-id")


def _park_time(moment: datetime | None) -> datetime | None:
    """A time without an offset is the park's local time, as the duty officer reads it."""
    return timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment


def rollups_of(actor: Actor, point_id: int, *, since_ms: int, until_ms: int) -> tuple[Point, list[Rollup]]:
    """A point's per-minute rollups in [since, until): the trend chart's data."""
    point = point_get(actor, point_id)
    if until_ms <= since_ms or until_ms - since_ms > 31 * 86_400_000:
        raise InvalidInput("时间范围须为正且不超过 31 天。", code=ErrorCode.INVALID_RANGE)
    rows = list(
        Rollup.objects.filter(point_id=point.pk, minute_ms__gte=since_ms, minute_ms__lt=until_ms).order_by("minute_ms")
    )
    return point, rows


def cameras_visible(actor: Actor) -> QuerySet[Camera]:
    actor.require("monitoring.read")
    return visible_to(actor, Camera.objects.select_related("enterprise"))


def camera_get(actor: Actor, pk: int, *, for_update: bool = False) -> Camera:
    return one_visible(cameras_visible(actor), pk, "摄像机", for_update=for_update)


def cameras_search(actor: Actor, *, query: str = "", enterprise: int | None = None) -> QuerySet[Camera]:
    queryset = cameras_visible(actor)
    if query.strip():
        queryset = queryset.filter(code__icontains=query.strip()) | queryset.filter(name__icontains=query.strip())
    if enterprise is not None:
        queryset = queryset.filter(enterprise_id=enterprise)
    return queryset.order_by("enterprise_id", "code")


NEARBY_CAMERA_M = 300.0


@dataclass(frozen=True)
class NearbyCamera:
    """A camera near an alarm's origin: where the duty officer looks first."""

    camera: Camera
    distance_m: int


@dataclass(frozen=True)
class CameraPool:
    """The cameras one actor may see, fetched once to place many alarms (an alarm list page)."""

    actor: Actor
    cameras: Sequence[Camera]


def camera_pool(actor: Actor) -> CameraPool:
    return CameraPool(actor, list(cameras_visible(actor)))


def cameras_near_alarm(actor: Actor, alarm: Alarm, *, pool: CameraPool | None = None) -> list[NearbyCamera]:
    """The cameras the actor may see within ``NEARBY_CAMERA_M`` of where the alarm comes from (its
    point; for a video alarm its own camera), nearest first. The bureau sees every enterprise's
    cameras, so a neighbour's camera facing the scene is listed; an enterprise user only its own."""
    origin = alarm.point if alarm.point_id is not None else alarm.camera
    if origin is None:
        return []
    if pool is None or pool.actor != actor:
        pool = camera_pool(actor)
    found = []
    for camera in pool.cameras:
        distance = geo.haversine_m(origin.lon, origin.lat, camera.lon, camera.lat)
        if distance <= NEARBY_CAMERA_M:
            found.append(NearbyCamera(camera, round(distance)))
    return sorted(found, key=lambda near: (near.distance_m, near.camera.pk))


def with_nearby_cameras(actor: Actor, alarms: Iterable[Alarm]) -> list[Alarm]:
    """The alarms, each with ``nearby_cameras`` set (like a prefetch's ``to_attr``) from one fetch
    of the actor's cameras, so an answer listing many alarms places them all without more queries."""
    pool = camera_pool(actor)
    rows = list(alarms)
    for alarm in rows:
        alarm.nearby_cameras = cameras_near_alarm(actor, alarm, pool=pool)  # type: ignore[attr-defined]  # attached for the response schema, not a model field
    return rows


# a reading outside these is a faulty instrument, not weather (the strongest gust on record is ~113 m/s)
WIND_SPEED_PLAUSIBLE_M_S = (0.0, 75.0)
WIND_DIRECTION_PLAUSIBLE_DEG = (0.0, 360.0)


@dataclass(frozen=True)
class WindReading:
    """The fresh latest value of one wind point."""

    point_id: int
    code: str
    enterprise_id: int
    value: float
    at: datetime


@dataclass(frozen=True)
class MeasuredWind:
    """The park's wind now, from its wind speed and wind direction points."""

    speed: WindReading
    direction: WindReading

    @property
    def speed_m_s(self) -> float:
        return self.speed.value

    @property
    def from_deg(self) -> float:
        return self.direction.value % 360.0


def _freshest(points: Sequence[Point], now_ms: int, plausible: tuple[float, float]) -> WindReading | None:
    best: WindReading | None = None
    best_ms = -1
    for point in points:
        latest = getattr(point, "latest", None)
        if latest is None or latest.ts_ms is None or latest.value is None or not latest.online:
            continue
        value = float(latest.value)
        fresh = now_ms - latest.ts_ms <= point.stale_timeout_s * 1000.0
        if not (fresh and math.isfinite(value) and plausible[0] <= value <= plausible[1]):
            continue
        if latest.ts_ms > best_ms:
            best_ms = latest.ts_ms
            best = WindReading(point.pk, point.code, point.enterprise_id, value, ms_to_datetime(latest.ts_ms))
    return best


def wind_now(actor: Actor, *, park_id: int, now_ms: int) -> MeasuredWind | None:
    """The measured wind of a park: the most recent fresh reading (not older than the point's stale
    timeout, point online and enabled, value physically plausible) of its wind speed points and of
    its wind direction points, or None unless both exist.

    Not scoped to the actor's enterprise: the wind is a park-wide condition, measured by whichever
    enterprise (or the park operator) runs the weather mast, and every enterprise's leak estimate
    needs it. Only the wind and the points' codes and times leave this function."""
    actor.require("monitoring.read")
    points = list(
        Point.objects.select_related("latest").filter(
            enterprise__park_id=park_id, enabled=True, kind__in=(PointKind.WIND_SPEED, PointKind.WIND_DIRECTION)
        )
    )
    speed = _freshest([p for p in points if p.kind == PointKind.WIND_SPEED], now_ms, WIND_SPEED_PLAUSIBLE_M_S)
    direction = _freshest(
        [p for p in points if p.kind == PointKind.WIND_DIRECTION], now_ms, WIND_DIRECTION_PLAUSIBLE_DEG
    )
    if speed is None or direction is None:
        return None
    return MeasuredWind(speed, direction)


def dead_letters_visible(actor: Actor) -> QuerySet[DeadLetter]:
    """Refused messages: the bureau sees all, an enterprise user its own senders' (configurers only)."""
    actor.require("monitoring.configure")
    return visible_to(actor, DeadLetter.objects.all()).order_by("-id")


def mqtt_credentials_visible(actor: Actor) -> QuerySet[MqttCredential]:
    """Broker accounts (never their hashes in any answer): the security administrator's, like API
    tokens; nobody else, not even an enterprise for its own gateway, sees the list."""
    actor.require("accounts.manage")
    return MqttCredential.objects.select_related("enterprise").order_by("username")


def mqtt_credential_get(actor: Actor, pk: int, *, for_update: bool = False) -> MqttCredential:
    return one_visible(mqtt_credentials_visible(actor), pk, "MQTT 账号", for_update=for_update)


def mqtt_credentials_search(
    actor: Actor, *, kind: str = "", enterprise_id: int | None = None, revoked: bool | None = None
) -> QuerySet[MqttCredential]:
    """The broker-account page's list: by kind, enterprise, and revoked or not (``None``: both)."""
    rows = mqtt_credentials_visible(actor)
    if kind:
        rows = rows.filter(kind=kind)
    if enterprise_id is not None:
        rows = rows.filter(enterprise_id=enterprise_id)
    if revoked is not None:
        rows = rows.filter(revoked_at__isnull=not revoked)
    return rows


def mqtt_account_enterprises(actor: Actor) -> list[tuple[int, str]]:
    """The enterprises holding a broker account (live or revoked), by name: the list's filter."""
    rows = mqtt_credentials_visible(actor).filter(enterprise__isnull=False)
    return sorted(set(rows.values_list("enterprise_id", "enterprise__name")), key=lambda choice: choice[1])


def mqtt_enterprises_to_open(actor: Actor) -> QuerySet[Enterprise]:
    """Enterprises that can be given a gateway account now: a USCC (the username) and no account in
    use (a revoked one may be reopened)."""
    actor.require("accounts.manage")
    active = MqttCredential.objects.filter(revoked_at__isnull=True, enterprise__isnull=False)
    return Enterprise.objects.exclude(uscc="").exclude(pk__in=active.values("enterprise_id")).order_by("name")
