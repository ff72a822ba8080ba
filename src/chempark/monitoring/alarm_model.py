"""Values of the alarm state machine: types, statuses, the transition table, events and state.

Split from :mod:`chempark.monitoring.alarm_rules` (which holds the configuration and the
functions that move the machine) so each stays small. Everything here is an immutable value;
:class:`AlarmState` round-trips through a JSON-safe dict so alarm state survives a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Final

STATE_FORMAT_VERSION: Final = 1


class AlarmType(StrEnum):
    """One active alarm per (point, type). H/HH share ``high``; L/LL share ``low``."""

    HIGH = "high"
    LOW = "low"
    OFFLINE = "offline"
    DATA_ABNORMAL = "data_abnormal"


PROCESS_ALARM_TYPES: Final = frozenset({AlarmType.HIGH, AlarmType.LOW})


class Level(StrEnum):
    """Threshold level reached by a process alarm (高高/高/低/低低)."""

    HH = "hh"
    H = "h"
    L = "l"
    LL = "ll"


class Severity(StrEnum):
    """ThingsBoard's severity names; :data:`SEVERITY_RANK` orders them."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    WARNING = "warning"


SEVERITY_RANK: Final[Mapping[Severity, int]] = {
    Severity.WARNING: 1,
    Severity.MINOR: 2,
    Severity.MAJOR: 3,
    Severity.CRITICAL: 4,
}


class AlarmStatus(StrEnum):
    """Derived from (active or cleared) × (acknowledged or not), as in ThingsBoard."""

    ACTIVE_UNACK = "active_unack"
    ACTIVE_ACK = "active_ack"
    CLEARED_UNACK = "cleared_unack"
    CLEARED_ACK = "cleared_ack"


class AlarmAction(StrEnum):
    """What can happen to an existing alarm. Raising creates one in ``active_unack``."""

    ACKNOWLEDGE = "acknowledge"
    CLEAR = "clear"


TRANSITIONS: Final[Mapping[AlarmStatus, Mapping[AlarmAction, AlarmStatus]]] = {
    AlarmStatus.ACTIVE_UNACK: {
        AlarmAction.ACKNOWLEDGE: AlarmStatus.ACTIVE_ACK,
        AlarmAction.CLEAR: AlarmStatus.CLEARED_UNACK,
    },
    AlarmStatus.ACTIVE_ACK: {AlarmAction.CLEAR: AlarmStatus.CLEARED_ACK},
    AlarmStatus.CLEARED_UNACK: {AlarmAction.ACKNOWLEDGE: AlarmStatus.CLEARED_ACK},
    AlarmStatus.CLEARED_ACK: {},
}


class ForbiddenTransitionError(Exception):
    """An action that the transition table does not allow from the current status (HTTP 409)."""

    def __init__(self, status: AlarmStatus, action: AlarmAction) -> None:
        self.status = status
        self.action = action
        self.allowed = tuple(TRANSITIONS[status])
        allowed = ", ".join(a.value for a in self.allowed) or "nothing (final status)"
        super().__init__(f"cannot {action.value} an alarm that is {status.value}; allowed: {allowed}")


class AlarmNotActiveError(LookupError):
    """The point has no alarm of that type in the engine (it may be cleared already, HTTP 409).

    A cleared-unacknowledged alarm lives on only in the database; acknowledge it there with
    :func:`next_status`.
    """


def next_status(status: AlarmStatus, action: AlarmAction) -> AlarmStatus:
    """The status after ``action``, or :class:`ForbiddenTransitionError` naming the allowed actions."""
    try:
        return TRANSITIONS[status][action]
    except KeyError:
        raise ForbiddenTransitionError(status, action) from None


# --- events -------------------------------------------------------------------------------------
# Small frozen values; ``kind`` is a stable string for dispatch, logs and the live push.


@dataclass(frozen=True, slots=True)
class AlarmRaised:
    """A new alarm occurrence: insert an alarm row, push it live."""

    kind: ClassVar[str] = "raised"
    alarm_type: AlarmType
    level: Level | None
    severity: Severity
    ts_ms: int
    value: float | None
    flapping: bool = False


@dataclass(frozen=True, slots=True)
class AlarmUpdated:
    """The active alarm changed in place: new peak, escalated level/severity, or flapping latched.

    ``worsened`` says the level or severity rose (H → HH): the duty officer is told at once, as for a
    new alarm, while a mere new peak is only written.
    """

    kind: ClassVar[str] = "updated"
    alarm_type: AlarmType
    level: Level | None
    severity: Severity
    ts_ms: int
    peak_value: float | None
    flapping: bool
    worsened: bool = False


@dataclass(frozen=True, slots=True)
class AlarmCleared:
    """The condition ended; ``status`` is cleared_unack or cleared_ack."""

    kind: ClassVar[str] = "cleared"
    alarm_type: AlarmType
    ts_ms: int
    value: float | None
    status: AlarmStatus
    raised_ms: int


@dataclass(frozen=True, slots=True)
class AlarmAcknowledged:
    """An enterprise user took the alarm in hand; ``note`` is the handling record."""

    kind: ClassVar[str] = "acknowledged"
    alarm_type: AlarmType
    ts_ms: int
    by: str
    note: str
    status: AlarmStatus


@dataclass(frozen=True, slots=True)
class AlarmEscalated:
    """Not acknowledged in time: notify the bureau's duty officer."""

    kind: ClassVar[str] = "escalated"
    alarm_type: AlarmType
    ts_ms: int
    raised_ms: int
    severity: Severity


@dataclass(frozen=True, slots=True)
class AlarmReminder:
    """Still not acknowledged after escalation: remind again (``number`` counts from 1)."""

    kind: ClassVar[str] = "reminder"
    alarm_type: AlarmType
    ts_ms: int
    raised_ms: int
    number: int


@dataclass(frozen=True, slots=True)
class PointOffline:
    """No data for the stale timeout: mark the point offline (an ``offline`` alarm is raised too)."""

    kind: ClassVar[str] = "offline"
    ts_ms: int
    last_seen_ms: int


@dataclass(frozen=True, slots=True)
class PointBackOnline:
    """Data arrived again after the point was offline (its ``offline`` alarm clears too)."""

    kind: ClassVar[str] = "back_online"
    ts_ms: int
    offline_since_ms: int


@dataclass(frozen=True, slots=True)
class DataAbnormal:
    """A value outside the instrument's valid range: flag the reading, not a process alarm."""

    kind: ClassVar[str] = "data_abnormal"
    ts_ms: int
    value: float


Event = (
    AlarmRaised
    | AlarmUpdated
    | AlarmCleared
    | AlarmAcknowledged
    | AlarmEscalated
    | AlarmReminder
    | PointOffline
    | PointBackOnline
    | DataAbnormal
)


# --- state --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alarm:
    """One alarm occurrence as the engine tracks it while it is active."""

    alarm_type: AlarmType
    level: Level | None
    severity: Severity
    status: AlarmStatus
    raised_ms: int
    peak_value: float | None = None
    acked_ms: int | None = None
    acked_by: str | None = None
    escalated_ms: int | None = None
    reminders_sent: int = 0
    last_notice_ms: int | None = None
    flapping: bool = False

    @property
    def acknowledged(self) -> bool:
        return self.status in (AlarmStatus.ACTIVE_ACK, AlarmStatus.CLEARED_ACK)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.alarm_type.value,
            "level": None if self.level is None else self.level.value,
            "severity": self.severity.value,
            "status": self.status.value,
            "raised_ms": self.raised_ms,
            "peak": self.peak_value,
            "acked_ms": self.acked_ms,
            "acked_by": self.acked_by,
            "escalated_ms": self.escalated_ms,
            "reminders": self.reminders_sent,
            "notice_ms": self.last_notice_ms,
            "flapping": self.flapping,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alarm:
        level = data["level"]
        peak = data["peak"]
        return cls(
            alarm_type=AlarmType(data["type"]),
            level=None if level is None else Level(level),
            severity=Severity(data["severity"]),
            status=AlarmStatus(data["status"]),
            raised_ms=int(data["raised_ms"]),
            peak_value=None if peak is None else float(peak),
            acked_ms=_opt_int(data["acked_ms"]),
            acked_by=None if data["acked_by"] is None else str(data["acked_by"]),
            escalated_ms=_opt_int(data["escalated_ms"]),
            reminders_sent=int(data["reminders"]),
            last_notice_ms=_opt_int(data["notice_ms"]),
            flapping=bool(data["flapping"]),
        )


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True, slots=True)
class BandState:
    """State of one direction (high or low) of a point.

    ``first_since``/``outer_since``: since when the value has continuously been at or beyond the
    first (H or L) and the outer (HH or LL) threshold — the on-delay clocks.
    ``normal_since``: since when a latched (flapping) alarm's value has been back to normal.
    ``raises``: recent raise times, for flapping detection.
    """

    alarm: Alarm | None = None
    first_since: int | None = None
    outer_since: int | None = None
    normal_since: int | None = None
    raises: tuple[int, ...] = ()

    @property
    def idle(self) -> bool:
        return self.alarm is None and self.first_since is None and self.outer_since is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "alarm": None if self.alarm is None else self.alarm.to_dict(),
            "first_since": self.first_since,
            "outer_since": self.outer_since,
            "normal_since": self.normal_since,
            "raises": list(self.raises),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BandState:
        alarm = data["alarm"]
        if (
            alarm is None
            and data["first_since"] is None
            and data["outer_since"] is None
            and data["normal_since"] is None
            and not data["raises"]
        ):
            return IDLE_BAND  # most bands of most points, every batch: no need to build one
        return cls(
            alarm=None if alarm is None else Alarm.from_dict(alarm),
            first_since=_opt_int(data["first_since"]),
            outer_since=_opt_int(data["outer_since"]),
            normal_since=_opt_int(data["normal_since"]),
            raises=tuple(int(t) for t in data["raises"]),
        )


IDLE_BAND: Final = BandState()


@dataclass(frozen=True, slots=True)
class AlarmDetail:
    """Everything but the last reading; shared unchanged between states on the no-change path."""

    high: BandState = IDLE_BAND
    low: BandState = IDLE_BAND
    offline: Alarm | None = None
    abnormal: Alarm | None = None
    quiet: bool = field(init=False)

    def __post_init__(self) -> None:
        quiet = self.high.idle and self.low.idle and self.offline is None and self.abnormal is None
        object.__setattr__(self, "quiet", quiet)


QUIET_DETAIL: Final = AlarmDetail()


@dataclass(frozen=True, slots=True)
class AlarmState:
    """The whole alarm state of one point: a plain value the platform stores and reloads.

    ``last_ms`` is the time of the last reading, or when watching began (for the stale check).
    """

    last_ms: int
    last_value: float | None = None
    detail: AlarmDetail = QUIET_DETAIL

    @classmethod
    def start(cls, now_ms: int) -> AlarmState:
        """A point that is watched from ``now_ms`` and has no data yet."""
        return cls(last_ms=now_ms)

    def alarm(self, alarm_type: AlarmType) -> Alarm | None:
        detail = self.detail
        if alarm_type is AlarmType.HIGH:
            return detail.high.alarm
        if alarm_type is AlarmType.LOW:
            return detail.low.alarm
        if alarm_type is AlarmType.OFFLINE:
            return detail.offline
        return detail.abnormal

    def active_alarms(self) -> tuple[Alarm, ...]:
        detail = self.detail
        candidates = (detail.high.alarm, detail.low.alarm, detail.offline, detail.abnormal)
        return tuple(a for a in candidates if a is not None)

    def with_alarm(self, alarm_type: AlarmType, alarm: Alarm) -> AlarmState:
        """The same state with the alarm of ``alarm_type`` replaced (used by ack and escalation)."""
        detail = self.detail
        if alarm_type is AlarmType.HIGH:
            new_detail = AlarmDetail(_with_band_alarm(detail.high, alarm), detail.low, detail.offline, detail.abnormal)
        elif alarm_type is AlarmType.LOW:
            new_detail = AlarmDetail(detail.high, _with_band_alarm(detail.low, alarm), detail.offline, detail.abnormal)
        elif alarm_type is AlarmType.OFFLINE:
            new_detail = AlarmDetail(detail.high, detail.low, alarm, detail.abnormal)
        else:
            new_detail = AlarmDetail(detail.high, detail.low, detail.offline, alarm)
        return AlarmState(self.last_ms, self.last_value, new_detail)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail
        return {
            "v": STATE_FORMAT_VERSION,
            "last_ms": self.last_ms,
            "last_value": self.last_value,
            "high": detail.high.to_dict(),
            "low": detail.low.to_dict(),
            "offline": None if detail.offline is None else detail.offline.to_dict(),
            "abnormal": None if detail.abnormal is None else detail.abnormal.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlarmState:
        """Rebuild a stored state; a corrupt or foreign dict raises ``ValueError``."""
        try:
            if data["v"] != STATE_FORMAT_VERSION:
                raise ValueError(f"alarm state format {data['v']!r}, expected {STATE_FORMAT_VERSION}")
            offline = data["offline"]
            abnormal = data["abnormal"]
            last_value = data["last_value"]
            high = BandState.from_dict(data["high"])
            low = BandState.from_dict(data["low"])
            if high is IDLE_BAND and low is IDLE_BAND and offline is None and abnormal is None:
                detail = QUIET_DETAIL
            else:
                detail = AlarmDetail(
                    high=high,
                    low=low,
                    offline=None if offline is None else Alarm.from_dict(offline),
                    abnormal=None if abnormal is None else Alarm.from_dict(abnormal),
                )
            return cls(int(data["last_ms"]), None if last_value is None else float(last_value), detail)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"corrupt alarm state: {error!r}") from error


def _with_band_alarm(band: BandState, alarm: Alarm) -> BandState:
    return BandState(alarm, band.first_since, band.outer_since, band.normal_since, band.raises)
