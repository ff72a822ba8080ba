"""Alarms raised by modules that are not monitoring: vehicles, gates, access control, tracking.

Every alarm of the platform is a row of monitoring's ``Alarm`` — one list, one acknowledgement, one
live banner — but the modules that detect a vehicle overstaying or an area over its headcount sit
beside monitoring, not below it, and must not write its tables. Monitoring registers the one handler
in its ``AppConfig.ready()``; the others call :func:`raise_alarm` and :func:`clear_alarm` here, inside
their own transaction, so the alarm commits (or not) with the change that caused it.

An alarm is named by ``(source, kind, ref)``: ``source`` is the raising module (``"vehicles"``),
``ref`` its own key for the condition (``"visit:12"``). While that alarm is active, raising it again
returns the same row (its value keeps the peak), so a periodic check may raise on every pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NotRequired, Protocol, TypedDict, Unpack


class AlarmKind(StrEnum):
    """The alarm types other modules raise; monitoring's ``AlarmType`` has each with its label."""

    OVERSTAY = "overstay"  # 车辆超时滞留
    OVERSPEED = "overspeed"  # 超速
    DEVIATION = "deviation"  # 偏离路线
    FORBIDDEN_ZONE = "forbidden_zone"  # 驶入禁区
    ILLEGAL_PARKING = "illegal_parking"  # 违规停车
    LOT_FULL = "lot_full"  # 停车场满
    TIME_WINDOW = "time_window"  # 非规定时段行驶
    VEHICLE_OFFLINE = "vehicle_offline"  # 车辆定位中断
    OVER_CAPACITY = "over_capacity"  # 区域超员


class FeedSeverity(StrEnum):
    """The same values as monitoring's ``Severity``."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    WARNING = "warning"


class FeedAlarm(TypedDict):
    """What a module says when it raises an alarm: the keyword arguments of :func:`raise_alarm`, which
    the handler takes as they are (one list of fields for the caller, the feed and the handler).

    ``enterprise_id`` None: a park-level alarm (a vehicle with no destination), seen by the bureau only.
    ``title`` names what the alarm is about (a plate, an area), ``detail`` says what happened;
    ``lon``/``lat`` (WGS84) place it on the alarm's map; ``at`` is when it happened (default now);
    ``value`` a measure (dwell hours, speed km/h, headcount) whose peak the row keeps."""

    source: str
    kind: AlarmKind
    severity: FeedSeverity
    enterprise_id: int | None
    title: str
    detail: str
    lon: float | None
    lat: float | None
    ref: str
    at: NotRequired[datetime | None]
    value: NotRequired[float | None]


class RaiseAlarm(Protocol):
    def __call__(self, **alarm: Unpack[FeedAlarm]) -> int: ...


class ClearAlarm(Protocol):
    def __call__(self, *, source: str, kind: AlarmKind, ref: str, at: datetime | None = None) -> int | None: ...


@dataclass(frozen=True)
class _Handler:
    raise_alarm: RaiseAlarm
    clear_alarm: ClearAlarm


_handler: list[_Handler] = []


def register(*, raise_alarm: RaiseAlarm, clear_alarm: ClearAlarm) -> None:
    """Install the handler (monitoring's, in its ``ready()``); a second registration replaces the first."""
    _handler[:] = [_Handler(raise_alarm, clear_alarm)]


def _current() -> _Handler:
    if not _handler:
        raise RuntimeError("No alarm handler is registered (is chempark.monitoring installed?).")
    return _handler[0]


def raise_alarm(**alarm: Unpack[FeedAlarm]) -> int:
    """Raise the alarm ``(source, kind, ref)`` (or find it still active) and return its id; the fields
    are :class:`FeedAlarm`'s."""
    return _current().raise_alarm(**alarm)


def clear_alarm(*, source: str, kind: AlarmKind, ref: str, at: datetime | None = None) -> int | None:
    """The condition of alarm ``(source, kind, ref)`` is over: clear it; its id, None if none was active."""
    return _current().clear_alarm(source=source, kind=kind, ref=ref, at=at)
