"""The alarm state machine of one monitoring point: pure, deterministic, serialisable.

The model follows ThingsBoard's: **at most one active alarm per (point, alarm type)**, updated in
place. Alarm types are ``high``, ``low``, ``offline`` and ``data_abnormal``. The four process
thresholds fold into two types: H and HH are *levels* of one ``high`` alarm, L and LL of one
``low`` alarm. An excursion that passes H and then HH is one event in the plant, so it is one
alarm whose level and severity escalate (H → HH); it never de-escalates while active, because the
record must show the worst the excursion reached. Separate H and HH alarms would double the alarm
count of every serious excursion — the kind of flood the national system spent 2020–2022 cutting.

Rules, per direction (high shown; low mirrors it):

* **on-delay**: a level is reached only after the value has stayed at or beyond its threshold
  (``value >= H``) continuously for ``on_delay_s``;
* **hysteresis**: the alarm clears when the value drops below ``first threshold - deadband``;
* **flapping**: the ``flap_count``-th raise within ``flap_window_s`` latches the alarm: it then
  clears only after the value has been normal for a whole ``flap_window_s``, so a chattering
  point gives one held alarm instead of a stream of raise/clear pairs. Raising itself is never
  suppressed — a real excursion on a chattering point must still be seen;
* a value outside the instrument's valid range raises ``data_abnormal`` and is *ignored* by the
  process rules: it neither raises, clears nor feeds the on-delay clocks;
* no data for ``stale_timeout_s`` raises ``offline``; the on-delay clocks restart, but active
  process alarms stay (a sensor that dies during an HH excursion must not clear the alarm).

Readings older than the last one are ignored (the engine only moves forward in time).
Time is integer epoch milliseconds throughout. Every function returns ``(new_state, events)``:
the platform stores ``state.to_dict()`` and turns the frozen events into writes and pushes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Final, Protocol

from chempark.monitoring.alarm_model import (
    PROCESS_ALARM_TYPES,
    SEVERITY_RANK,
    TRANSITIONS,
    Alarm,
    AlarmAcknowledged,
    AlarmAction,
    AlarmCleared,
    AlarmDetail,
    AlarmEscalated,
    AlarmNotActiveError,
    AlarmRaised,
    AlarmReminder,
    AlarmState,
    AlarmStatus,
    AlarmType,
    AlarmUpdated,
    BandState,
    DataAbnormal,
    Event,
    ForbiddenTransitionError,
    Level,
    PointBackOnline,
    PointOffline,
    Severity,
    next_status,
)

__all__ = [
    "PROCESS_ALARM_TYPES",
    "SEVERITY_RANK",
    "TRANSITIONS",
    "Alarm",
    "AlarmAcknowledged",
    "AlarmAction",
    "AlarmCleared",
    "AlarmEscalated",
    "AlarmNotActiveError",
    "AlarmRaised",
    "AlarmReminder",
    "AlarmState",
    "AlarmStatus",
    "AlarmType",
    "AlarmUpdated",
    "DataAbnormal",
    "Event",
    "ForbiddenTransitionError",
    "Level",
    "PointBackOnline",
    "PointConfig",
    "PointOffline",
    "Severity",
    "Threshold",
    "TimedValue",
    "acknowledge",
    "check_stale",
    "due_escalations",
    "evaluate",
    "next_status",
]

NO_EVENTS: Final[tuple[Event, ...]] = ()
DEFAULT_ACK_TIMEOUT_S: Final = 900.0
DEFAULT_REMINDER_EVERY_S: Final = 900.0


class TimedValue(Protocol):
    """A reading as the engine needs it; ``payload.Reading`` satisfies it."""

    @property
    def ts_ms(self) -> int: ...

    @property
    def value(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Threshold:
    """One alarm limit in the point's unit of measure, and the severity of reaching it."""

    value: float
    severity: Severity


@dataclass(frozen=True, slots=True)
class _Band:
    """One direction's thresholds in *signed* space (low side negated), so one code serves both."""

    alarm_type: AlarmType
    sign: float
    first_at: float
    first_level: Level
    first_severity: Severity
    outer_at: float | None
    outer_level: Level
    outer_severity: Severity
    clear_below: float


@dataclass(frozen=True, slots=True)
class PointConfig:
    """Alarm configuration of one monitoring point (from the point's database row).

    ``deadband`` is in the point's unit; timings in seconds. ``flap_count`` 0 disables flapping
    detection. Inconsistent limits raise ``ValueError`` naming the problem.
    """

    range_min: float
    range_max: float
    hh: Threshold | None = None
    h: Threshold | None = None
    l: Threshold | None = None  # noqa: E741 - L is the instrument engineer's name for the low limit
    ll: Threshold | None = None
    on_delay_s: float = 0.0
    deadband: float = 0.0
    stale_timeout_s: float = 300.0
    flap_window_s: float = 600.0
    flap_count: int = 5
    offline_severity: Severity = Severity.MINOR
    abnormal_severity: Severity = Severity.WARNING
    # Derived once, so the per-reading path does arithmetic only.
    quiet_min: float = field(init=False)
    quiet_max: float = field(init=False)
    high_band: _Band | None = field(init=False)
    low_band: _Band | None = field(init=False)
    on_delay_ms: int = field(init=False)
    stale_ms: int = field(init=False)
    flap_window_ms: int = field(init=False)

    def __post_init__(self) -> None:
        self._validate()
        high_band = _make_band(
            alarm_type=AlarmType.HIGH,
            sign=1.0,
            first=self.h,
            first_level=Level.H,
            outer=self.hh,
            outer_level=Level.HH,
            deadband=self.deadband,
        )
        low_band = _make_band(
            alarm_type=AlarmType.LOW,
            sign=-1.0,
            first=self.l,
            first_level=Level.L,
            outer=self.ll,
            outer_level=Level.LL,
            deadband=self.deadband,
        )
        # A value in [quiet_min, quiet_max] on a quiet point changes nothing but the last reading.
        quiet_max = self.range_max if high_band is None else min(self.range_max, _below(high_band.first_at))
        quiet_min = self.range_min if low_band is None else max(self.range_min, _above(-low_band.first_at))
        values = {
            "quiet_min": quiet_min,
            "quiet_max": quiet_max,
            "high_band": high_band,
            "low_band": low_band,
            "on_delay_ms": round(self.on_delay_s * 1000),
            "stale_ms": round(self.stale_timeout_s * 1000),
            "flap_window_ms": round(self.flap_window_s * 1000),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _validate(self) -> None:
        if not self.range_min < self.range_max:
            raise ValueError(f"valid range [{self.range_min}, {self.range_max}] is empty")
        named = (("LL", self.ll), ("L", self.l), ("H", self.h), ("HH", self.hh))
        limits = [(name, t.value) for name, t in named if t is not None]
        for (lower_name, lower), (upper_name, upper) in itertools.pairwise(limits):
            if not lower < upper:
                raise ValueError(f"threshold {lower_name}={lower} must be below {upper_name}={upper}")
        if self.deadband < 0 or self.on_delay_s < 0 or self.flap_count < 0:
            raise ValueError("deadband, on-delay and flap count must not be negative")
        if self.stale_timeout_s <= 0 or self.flap_window_s <= 0:
            raise ValueError("stale timeout and flapping window must be positive")


def _below(limit: float) -> float:
    """Largest float strictly below a limit: a reading equal to a limit is in alarm."""
    return math.nextafter(limit, -math.inf)


def _above(limit: float) -> float:
    """Smallest float strictly above a limit."""
    return math.nextafter(limit, math.inf)


def _make_band(
    *,
    alarm_type: AlarmType,
    sign: float,
    first: Threshold | None,
    first_level: Level,
    outer: Threshold | None,
    outer_level: Level,
    deadband: float,
) -> _Band | None:
    if first is None and outer is None:
        return None
    if first is None:  # only HH (or LL) configured: the alarm starts at the outer level
        assert outer is not None  # for the type checker; guarded by the test above
        first, first_level = outer, outer_level
    return _Band(
        alarm_type=alarm_type,
        sign=sign,
        first_at=sign * first.value,
        first_level=first_level,
        first_severity=first.severity,
        outer_at=None if outer is None else sign * outer.value,
        outer_level=outer_level,
        outer_severity=first.severity if outer is None else outer.severity,
        clear_below=sign * first.value - deadband,
    )


def evaluate(config: PointConfig, state: AlarmState, reading: TimedValue) -> tuple[AlarmState, tuple[Event, ...]]:
    """Apply one reading. The no-change path (quiet point, normal value) allocates one object."""
    ts_ms = reading.ts_ms
    value = reading.value
    if ts_ms < state.last_ms:
        return state, NO_EVENTS
    detail = state.detail
    if detail.quiet and config.quiet_min <= value <= config.quiet_max:
        return AlarmState(ts_ms, value, detail), NO_EVENTS
    return _evaluate_changing(config, detail, ts_ms, value)


def _evaluate_changing(
    config: PointConfig, detail: AlarmDetail, ts_ms: int, value: float
) -> tuple[AlarmState, tuple[Event, ...]]:
    events: list[Event] = []
    offline = detail.offline
    if offline is not None:
        events.append(PointBackOnline(ts_ms, offline.raised_ms))
        events.append(_cleared(offline, ts_ms, value))
        offline = None
    abnormal = detail.abnormal
    if not config.range_min <= value <= config.range_max:
        if abnormal is None:
            abnormal = Alarm(
                AlarmType.DATA_ABNORMAL,
                None,
                config.abnormal_severity,
                AlarmStatus.ACTIVE_UNACK,
                ts_ms,
                peak_value=value,
            )
            events.append(DataAbnormal(ts_ms, value))
            events.append(AlarmRaised(AlarmType.DATA_ABNORMAL, None, config.abnormal_severity, ts_ms, value))
        high, low = _restart_clocks(detail.high), _restart_clocks(detail.low)
    else:
        if abnormal is not None:
            events.append(_cleared(abnormal, ts_ms, value))
            abnormal = None
        high = _step_band(config, config.high_band, detail.high, ts_ms, value, events)
        low = _step_band(config, config.low_band, detail.low, ts_ms, value, events)
    unchanged = high is detail.high and low is detail.low and offline is detail.offline
    if unchanged and abnormal is detail.abnormal and not events:
        return AlarmState(ts_ms, value, detail), NO_EVENTS  # steady alarm: share the detail
    return AlarmState(ts_ms, value, AlarmDetail(high, low, offline, abnormal)), tuple(events)


def _cleared(alarm: Alarm, ts_ms: int, value: float | None) -> AlarmCleared:
    return AlarmCleared(alarm.alarm_type, ts_ms, value, next_status(alarm.status, AlarmAction.CLEAR), alarm.raised_ms)


def _restart_clocks(band_state: BandState) -> BandState:
    if band_state.first_since is None and band_state.outer_since is None and band_state.normal_since is None:
        return band_state
    return BandState(band_state.alarm, None, None, None, band_state.raises)


def _step_band(  # noqa: PLR0917 - hot path helper called positionally
    config: PointConfig, band: _Band | None, current: BandState, ts_ms: int, value: float, events: list[Event]
) -> BandState:
    """One direction's rules for one in-range reading; appends its events."""
    if band is None:
        return current
    signed = band.sign * value
    first_since = None
    if signed >= band.first_at:
        first_since = ts_ms if current.first_since is None else current.first_since
    outer_since = None
    if band.outer_at is not None and signed >= band.outer_at:
        outer_since = ts_ms if current.outer_since is None else current.outer_since
    if current.alarm is None:
        return _step_idle(config, band, current, ts_ms, value, first_since, outer_since, events)
    return _step_active(config, band, current, current.alarm, ts_ms, value, first_since, outer_since, events)


def _step_idle(  # noqa: PLR0917 - private helper of _step_band; positional keeps the call cheap
    config: PointConfig,
    band: _Band,
    current: BandState,
    ts_ms: int,
    value: float,
    first_since: int | None,
    outer_since: int | None,
    events: list[Event],
) -> BandState:
    """No alarm yet: raise one once a level's on-delay has run out (the highest level wins)."""
    delay = config.on_delay_ms
    if outer_since is not None and ts_ms - outer_since >= delay:
        level, severity = band.outer_level, band.outer_severity
    elif first_since is not None and ts_ms - first_since >= delay:
        level, severity = band.first_level, band.first_severity
    elif first_since == current.first_since and outer_since == current.outer_since:
        return current
    else:
        return BandState(None, first_since, outer_since, None, current.raises)
    window_start = ts_ms - config.flap_window_ms
    raises = (*(t for t in current.raises if t > window_start), ts_ms)
    flapping = 0 < config.flap_count <= len(raises)
    raises = raises[-max(config.flap_count, 1) :]
    alarm = Alarm(band.alarm_type, level, severity, AlarmStatus.ACTIVE_UNACK, ts_ms, value, flapping=flapping)
    events.append(AlarmRaised(band.alarm_type, level, severity, ts_ms, value, flapping))
    return BandState(alarm, first_since, outer_since, None, raises)


def _step_active(  # noqa: PLR0917 - private helper of _step_band; positional keeps the call cheap
    config: PointConfig,
    band: _Band,
    current: BandState,
    alarm: Alarm,
    ts_ms: int,
    value: float,
    first_since: int | None,
    outer_since: int | None,
    events: list[Event],
) -> BandState:
    """An alarm is active: clear it past the deadband (after the hold if latched), else update it."""
    signed = band.sign * value
    if signed < band.clear_below:
        if alarm.flapping:
            normal_since = ts_ms if current.normal_since is None else current.normal_since
            if ts_ms - normal_since < config.flap_window_ms:
                if normal_since == current.normal_since:
                    return current
                return BandState(alarm, None, None, normal_since, current.raises)
        events.append(_cleared(alarm, ts_ms, value))
        return BandState(None, None, None, None, current.raises)

    level, severity = alarm.level, alarm.severity
    if level is not band.outer_level and outer_since is not None and ts_ms - outer_since >= config.on_delay_ms:
        level, severity = band.outer_level, band.outer_severity
    peak = alarm.peak_value
    if peak is None or signed > band.sign * peak:
        peak = value
    if level is not alarm.level or peak != alarm.peak_value:
        worsened = level is not alarm.level or SEVERITY_RANK[severity] > SEVERITY_RANK[alarm.severity]
        alarm = replace(alarm, level=level, severity=severity, peak_value=peak)
        events.append(AlarmUpdated(band.alarm_type, level, severity, ts_ms, peak, alarm.flapping, worsened))
    elif (first_since, outer_since, current.normal_since) == (current.first_since, current.outer_since, None):
        return current
    return BandState(alarm, first_since, outer_since, None, current.raises)


def check_stale(config: PointConfig, state: AlarmState, now_ms: int) -> tuple[AlarmState, tuple[Event, ...]]:
    """Raise ``offline`` when the point has sent nothing for ``stale_timeout_s`` (scheduler job)."""
    detail = state.detail
    if detail.offline is not None or now_ms - state.last_ms < config.stale_ms:
        return state, NO_EVENTS
    offline = Alarm(AlarmType.OFFLINE, None, config.offline_severity, AlarmStatus.ACTIVE_UNACK, now_ms)
    new_detail = AlarmDetail(_restart_clocks(detail.high), _restart_clocks(detail.low), offline, detail.abnormal)
    events: tuple[Event, ...] = (
        PointOffline(now_ms, state.last_ms),
        AlarmRaised(AlarmType.OFFLINE, None, config.offline_severity, now_ms, None),
    )
    return AlarmState(state.last_ms, state.last_value, new_detail), events


def acknowledge(
    state: AlarmState, alarm_type: AlarmType, *, at_ms: int, by: str, note: str = ""
) -> tuple[AlarmState, tuple[Event, ...]]:
    """Record that ``by`` took the active alarm in hand (``note``: the handling record).

    Raises :class:`AlarmNotActiveError` when no alarm of that type is active, and
    :class:`ForbiddenTransitionError` when it is acknowledged already.
    """
    alarm = state.alarm(alarm_type)
    if alarm is None:
        raise AlarmNotActiveError(f"no active {alarm_type.value} alarm on this point")
    status = next_status(alarm.status, AlarmAction.ACKNOWLEDGE)
    acked = replace(alarm, status=status, acked_ms=at_ms, acked_by=by)
    return state.with_alarm(alarm_type, acked), (AlarmAcknowledged(alarm_type, at_ms, by, note, status),)


def due_escalations(
    state: AlarmState,
    now_ms: int,
    *,
    ack_timeout_s: float = DEFAULT_ACK_TIMEOUT_S,
    reminder_every_s: float = DEFAULT_REMINDER_EVERY_S,
    max_reminders: int | None = None,
) -> tuple[AlarmState, tuple[Event, ...]]:
    """Escalate active alarms unacknowledged for ``ack_timeout_s``, then remind periodically.

    At most one notice per alarm per call: after downtime the duty officer gets one reminder,
    not a burst of every one missed. Cleared alarms stop escalating — the danger has passed,
    and the unacknowledged record stays in the enterprise's list.
    """
    timeout_ms = round(ack_timeout_s * 1000)
    every_ms = round(reminder_every_s * 1000)
    events: list[Event] = []
    for alarm in state.active_alarms():
        if alarm.status is not AlarmStatus.ACTIVE_UNACK:
            continue
        if alarm.escalated_ms is None:
            if now_ms - alarm.raised_ms < timeout_ms:
                continue
            updated = replace(alarm, escalated_ms=now_ms, last_notice_ms=now_ms)
            events.append(AlarmEscalated(alarm.alarm_type, now_ms, alarm.raised_ms, alarm.severity))
        else:
            last_notice = alarm.escalated_ms if alarm.last_notice_ms is None else alarm.last_notice_ms
            if now_ms - last_notice < every_ms:
                continue
            if max_reminders is not None and alarm.reminders_sent >= max_reminders:
                continue
            number = alarm.reminders_sent + 1
            updated = replace(alarm, reminders_sent=number, last_notice_ms=now_ms)
            events.append(AlarmReminder(alarm.alarm_type, now_ms, alarm.raised_ms, number))
        state = state.with_alarm(alarm.alarm_type, updated)
    return state, tuple(events)
