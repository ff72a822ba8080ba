"""Alarm state machine: one scenario per rule, then properties over random reading sequences."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.monitoring.alarm_rules import (
    TRANSITIONS,
    AlarmAcknowledged,
    AlarmAction,
    AlarmCleared,
    AlarmEscalated,
    AlarmNotActiveError,
    AlarmRaised,
    AlarmReminder,
    AlarmState,
    AlarmStatus,
    AlarmType,
    AlarmUpdated,
    DataAbnormal,
    Event,
    ForbiddenTransitionError,
    Level,
    PointBackOnline,
    PointConfig,
    PointOffline,
    Severity,
    Threshold,
    acknowledge,
    check_stale,
    due_escalations,
    evaluate,
    next_status,
)
from chempark.monitoring.ingest.payload import Reading

S = 1000  # ms per second

TANK_LEVEL = PointConfig(
    range_min=0.0,
    range_max=100.0,
    ll=Threshold(5.0, Severity.CRITICAL),
    l=Threshold(10.0, Severity.MAJOR),
    h=Threshold(80.0, Severity.MAJOR),
    hh=Threshold(90.0, Severity.CRITICAL),
    deadband=2.0,
    stale_timeout_s=120.0,
    flap_count=0,
)


def run(
    config: PointConfig, samples: Iterable[tuple[float, float]], state: AlarmState | None = None
) -> tuple[AlarmState, list[Event]]:
    """Feed (seconds, value) samples; return the final state and all events."""
    state = AlarmState.start(0) if state is None else state
    events: list[Event] = []
    for seconds, value in samples:
        state, new_events = evaluate(config, state, Reading(1, round(seconds * S), value))
        events.extend(new_events)
    return state, events


def kinds(events: Iterable[Event]) -> list[str]:
    return [e.kind for e in events]


def with_config(**changes: object) -> PointConfig:
    base = {
        "range_min": 0.0,
        "range_max": 100.0,
        "h": Threshold(80.0, Severity.MAJOR),
        "hh": Threshold(90.0, Severity.CRITICAL),
        "l": Threshold(10.0, Severity.MAJOR),
        "ll": Threshold(5.0, Severity.CRITICAL),
        "deadband": 2.0,
        "flap_count": 0,
    }
    base.update(changes)
    return PointConfig(**base)  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal


# --- raising, on-delay, level escalation --------------------------------------------------------


def test_normal_values_change_nothing_but_the_last_reading() -> None:
    state, events = run(TANK_LEVEL, [(1, 50.0), (2, 79.9), (3, 10.1)])
    assert events == []
    assert state.active_alarms() == ()
    assert (state.last_ms, state.last_value) == (3 * S, 10.1)


def test_reaching_the_threshold_raises_immediately_without_on_delay() -> None:
    state, events = run(TANK_LEVEL, [(1, 80.0)])
    assert events == [AlarmRaised(AlarmType.HIGH, Level.H, Severity.MAJOR, 1 * S, 80.0)]
    alarm = state.alarm(AlarmType.HIGH)
    assert alarm is not None
    assert alarm.status is AlarmStatus.ACTIVE_UNACK


def test_on_delay_requires_the_condition_to_hold() -> None:
    config = with_config(on_delay_s=30)
    _, events = run(config, [(0, 85), (20, 86), (25, 70), (40, 85), (69, 85)])
    assert events == []  # the dip at 25 s restarted the clock
    _, events = run(config, [(0, 85), (20, 86), (25, 70), (40, 85), (70, 85)])
    assert kinds(events) == ["raised"]
    assert events[0].ts_ms == 70 * S  # type: ignore[union-attr]  # None would fail the test here, which is what it should do


def test_on_delay_raises_at_the_highest_level_whose_delay_ran_out() -> None:
    config = with_config(on_delay_s=10)
    _, events = run(config, [(0, 95), (10, 95)])
    assert events == [AlarmRaised(AlarmType.HIGH, Level.HH, Severity.CRITICAL, 10 * S, 95.0)]


def test_h_then_hh_is_one_alarm_escalating_in_place() -> None:
    state, events = run(TANK_LEVEL, [(0, 82), (1, 91), (2, 85)])
    assert kinds(events) == ["raised", "updated"]
    update = events[1]
    assert isinstance(update, AlarmUpdated)
    assert (update.level, update.severity, update.peak_value) == (Level.HH, Severity.CRITICAL, 91.0)
    alarm = state.alarm(AlarmType.HIGH)
    assert alarm is not None
    assert alarm.level is Level.HH  # no de-escalation while active
    assert alarm.raised_ms == 0


def test_hh_escalation_honours_the_on_delay() -> None:
    config = with_config(on_delay_s=5)
    _, events = run(config, [(0, 85), (5, 85), (6, 95), (10, 95), (11, 95)])
    assert [(e.kind, getattr(e, "level", None), getattr(e, "worsened", None)) for e in events] == [
        ("raised", Level.H, None),
        ("updated", Level.H, False),  # new peak 95, level not yet HH: not a worsening
        ("updated", Level.HH, True),  # H → HH: the duty officer is told at once
    ]


def test_only_hh_configured() -> None:
    config = PointConfig(range_min=0, range_max=100, hh=Threshold(90, Severity.CRITICAL), deadband=10)
    state, events = run(config, [(0, 89), (1, 90), (2, 80)])
    assert events == [AlarmRaised(AlarmType.HIGH, Level.HH, Severity.CRITICAL, 1 * S, 90.0)]
    assert kinds(run(config, [(3, 79.9)], state)[1]) == ["cleared"]


def test_low_side_mirrors_the_high_side() -> None:
    state, events = run(TANK_LEVEL, [(0, 9), (1, 4), (2, 6), (3, 11.9), (4, 12.1)])
    assert kinds(events) == ["raised", "updated", "cleared"]
    raised, updated, cleared = events
    assert isinstance(raised, AlarmRaised)
    assert (raised.alarm_type, raised.level) == (AlarmType.LOW, Level.L)
    assert isinstance(updated, AlarmUpdated)
    assert (updated.level, updated.peak_value) == (Level.LL, 4.0)
    assert isinstance(cleared, AlarmCleared)
    assert cleared.ts_ms == 4 * S
    assert state.active_alarms() == ()


# --- peak, hysteresis, clearing ------------------------------------------------------------------


def test_peak_is_tracked_and_only_new_peaks_emit_updates() -> None:
    state, events = run(TANK_LEVEL, [(0, 81), (1, 84), (2, 83), (3, 86), (4, 86)])
    updates = [e for e in events if isinstance(e, AlarmUpdated)]
    assert [(e.peak_value, e.worsened) for e in updates] == [(84.0, False), (86.0, False)]
    alarm = state.alarm(AlarmType.HIGH)
    assert alarm is not None
    assert alarm.peak_value == 86.0


def test_hysteresis_holds_the_alarm_inside_the_deadband() -> None:
    state, events = run(TANK_LEVEL, [(0, 81), (1, 79), (2, 78.0), (3, 78.5)])
    assert kinds(events) == ["raised"]
    state, events = run(TANK_LEVEL, [(4, 77.99)], state)
    assert kinds(events) == ["cleared"]


def test_clear_without_acknowledgement_is_cleared_unack() -> None:
    _, events = run(TANK_LEVEL, [(0, 85), (1, 50)])
    cleared = events[-1]
    assert isinstance(cleared, AlarmCleared)
    assert cleared.status is AlarmStatus.CLEARED_UNACK
    assert cleared.raised_ms == 0


def test_acknowledged_then_cleared_is_cleared_ack() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    state, events = acknowledge(state, AlarmType.HIGH, at_ms=30 * S, by="zhang.wei", note="valve closed")
    assert events == (AlarmAcknowledged(AlarmType.HIGH, 30 * S, "zhang.wei", "valve closed", AlarmStatus.ACTIVE_ACK),)
    _, events_after = run(TANK_LEVEL, [(60, 50)], state)
    cleared = events_after[-1]
    assert isinstance(cleared, AlarmCleared)
    assert cleared.status is AlarmStatus.CLEARED_ACK


def test_new_excursion_after_clear_is_a_new_alarm() -> None:
    state, events = run(TANK_LEVEL, [(0, 85), (1, 50), (2, 85)])
    assert kinds(events) == ["raised", "cleared", "raised"]
    alarm = state.alarm(AlarmType.HIGH)
    assert alarm is not None
    assert alarm.raised_ms == 2 * S


def test_readings_older_than_the_last_are_ignored() -> None:
    state, _ = run(TANK_LEVEL, [(10, 50)])
    same, events = evaluate(TANK_LEVEL, state, Reading(1, 5 * S, 99.0))
    assert same is state
    assert events == ()


# --- flapping -----------------------------------------------------------------------------------


def test_flapping_latches_the_alarm_until_quiet_for_the_window() -> None:
    config = with_config(flap_count=3, flap_window_s=300)
    chatter = [(t, 81.0 if t % 20 == 0 else 70.0) for t in range(0, 400, 10)]
    state, events = run(config, chatter)
    # two ordinary raise/clear cycles, then the third raise latches
    assert kinds(events) == ["raised", "cleared", "raised", "cleared", "raised"]
    last = events[-1]
    assert isinstance(last, AlarmRaised)
    assert last.flapping
    assert last.ts_ms == 40 * S
    # the chatter ends with 70 at 390 s; held until normal for a whole window, then cleared
    state, events = run(config, [(400, 70), (689, 70)], state)
    assert events == []
    state, events = run(config, [(690, 70)], state)
    assert kinds(events) == ["cleared"]
    assert state.active_alarms() == ()


def test_flapping_raises_outside_the_window_do_not_count() -> None:
    config = with_config(flap_count=3, flap_window_s=60)
    samples = [(t, 81.0 if (t // 100) % 2 == 0 else 70.0) for t in range(0, 1000, 50)]
    _, events = run(config, samples)
    assert not any(getattr(e, "flapping", False) for e in events)


# --- offline, data abnormal ---------------------------------------------------------------------


def test_stale_point_goes_offline_and_back_online() -> None:
    state, _ = run(TANK_LEVEL, [(0, 50)])
    same, events = check_stale(TANK_LEVEL, state, 119 * S)
    assert (same, events) == (state, ())
    state, events = check_stale(TANK_LEVEL, state, 120 * S)
    assert kinds(events) == ["offline", "raised"]
    assert events[0] == PointOffline(120 * S, 0)
    offline = state.alarm(AlarmType.OFFLINE)
    assert offline is not None
    assert offline.severity is Severity.MINOR
    assert check_stale(TANK_LEVEL, state, 500 * S)[1] == ()  # raised once
    state, events = run(TANK_LEVEL, [(130, 50)], state)
    assert events[0] == PointBackOnline(130 * S, 120 * S)
    assert isinstance(events[1], AlarmCleared)
    assert events[1].alarm_type is AlarmType.OFFLINE
    assert state.active_alarms() == ()


def test_a_point_that_never_reports_goes_offline_from_watch_start() -> None:
    _, events = check_stale(TANK_LEVEL, AlarmState.start(1000 * S), 1120 * S)
    assert events[0] == PointOffline(1120 * S, 1000 * S)


def test_offline_keeps_process_alarms_and_restarts_on_delay_clocks() -> None:
    config = with_config(on_delay_s=60, stale_timeout_s=30)
    state, _ = run(config, [(0, 50), (10, 95)])  # HH pending, not yet raised
    state, _ = run(config, [(0, 95), (60, 95)])  # raised
    assert state.alarm(AlarmType.HIGH) is not None
    state, _ = check_stale(config, state, 100 * S)
    assert state.alarm(AlarmType.HIGH) is not None  # a dead sensor does not clear an excursion

    pending, _ = run(config, [(0, 50), (10, 85)])
    pending, _ = check_stale(config, pending, 50 * S)
    _, events = run(config, [(70, 85)], pending)
    assert kinds(events) == ["back_online", "cleared"]  # no high alarm: clock restarted at 70 s


def test_out_of_range_is_data_abnormal_not_a_process_alarm() -> None:
    state, events = run(TANK_LEVEL, [(0, 50), (1, 180), (2, 250)])
    assert kinds(events) == ["data_abnormal", "raised"]
    assert events[0] == DataAbnormal(1 * S, 180.0)
    assert isinstance(events[1], AlarmRaised)
    assert events[1].alarm_type is AlarmType.DATA_ABNORMAL
    assert state.alarm(AlarmType.HIGH) is None
    state, events = run(TANK_LEVEL, [(3, 50)], state)
    assert [(e.kind, getattr(e, "alarm_type", None)) for e in events] == [("cleared", AlarmType.DATA_ABNORMAL)]


def test_abnormal_values_neither_clear_nor_feed_process_alarms() -> None:
    config = with_config(on_delay_s=10)
    state, _ = run(config, [(0, 85), (10, 85)])
    state, events = run(config, [(11, -5.0), (12, 50.0)], state)  # -5 is outside 0..100
    assert [(e.kind, getattr(e, "alarm_type", None)) for e in events] == [
        ("data_abnormal", None),
        ("raised", AlarmType.DATA_ABNORMAL),
        ("cleared", AlarmType.DATA_ABNORMAL),
        ("cleared", AlarmType.HIGH),
    ]
    pending, _ = run(config, [(0, 85), (5, 120), (10, 85)])
    assert pending.alarm(AlarmType.HIGH) is None  # the abnormal reading restarted the clock


# --- acknowledgement and transitions ------------------------------------------------------------


def test_transition_table() -> None:
    assert next_status(AlarmStatus.ACTIVE_UNACK, AlarmAction.ACKNOWLEDGE) is AlarmStatus.ACTIVE_ACK
    assert next_status(AlarmStatus.ACTIVE_UNACK, AlarmAction.CLEAR) is AlarmStatus.CLEARED_UNACK
    assert next_status(AlarmStatus.ACTIVE_ACK, AlarmAction.CLEAR) is AlarmStatus.CLEARED_ACK
    assert next_status(AlarmStatus.CLEARED_UNACK, AlarmAction.ACKNOWLEDGE) is AlarmStatus.CLEARED_ACK
    assert TRANSITIONS[AlarmStatus.CLEARED_ACK] == {}


def test_forbidden_transition_lists_the_allowed_actions() -> None:
    with pytest.raises(ForbiddenTransitionError, match="allowed: clear") as caught:
        next_status(AlarmStatus.ACTIVE_ACK, AlarmAction.ACKNOWLEDGE)
    assert caught.value.allowed == (AlarmAction.CLEAR,)
    with pytest.raises(ForbiddenTransitionError, match="final status"):
        next_status(AlarmStatus.CLEARED_ACK, AlarmAction.ACKNOWLEDGE)


def test_acknowledging_twice_is_forbidden() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    state, _ = acknowledge(state, AlarmType.HIGH, at_ms=1, by="a")
    with pytest.raises(ForbiddenTransitionError):
        acknowledge(state, AlarmType.HIGH, at_ms=2, by="b")


def test_acknowledging_without_an_active_alarm() -> None:
    with pytest.raises(AlarmNotActiveError):
        acknowledge(AlarmState.start(0), AlarmType.LOW, at_ms=1, by="a")


# --- escalation ---------------------------------------------------------------------------------


def test_escalation_after_the_ack_timeout_then_reminders() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    notices: list[tuple[str, int]] = []
    for minute in range(46):
        state, events = due_escalations(state, minute * 60 * S, ack_timeout_s=900, reminder_every_s=600)
        notices.extend((e.kind, minute) for e in events)
    assert notices == [("escalated", 15), ("reminder", 25), ("reminder", 35), ("reminder", 45)]
    alarm = state.alarm(AlarmType.HIGH)
    assert alarm is not None
    assert (alarm.escalated_ms, alarm.reminders_sent) == (15 * 60 * S, 3)


def test_escalation_defaults_to_15_minutes_and_one_notice_per_call() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    state, events = due_escalations(state, 899 * S)
    assert events == ()
    state, events = due_escalations(state, 900 * S)
    assert events == (AlarmEscalated(AlarmType.HIGH, 900 * S, 0, Severity.MAJOR),)
    _, events = due_escalations(state, 10_000 * S)  # long outage: one reminder, not a burst
    assert events == (AlarmReminder(AlarmType.HIGH, 10_000 * S, 0, 1),)


def test_reminders_stop_at_the_limit_on_ack_and_on_clear() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    state, _ = due_escalations(state, 900 * S, max_reminders=1)
    state, events = due_escalations(state, 1800 * S, max_reminders=1)
    assert kinds(events) == ["reminder"]
    assert due_escalations(state, 2700 * S, max_reminders=1)[1] == ()

    acked, _ = acknowledge(state, AlarmType.HIGH, at_ms=1000 * S, by="a")
    assert due_escalations(acked, 9000 * S)[1] == ()
    cleared, _ = run(TANK_LEVEL, [(1000, 50)], state)
    assert due_escalations(cleared, 9000 * S)[1] == ()


def test_several_alarm_types_escalate_independently() -> None:
    state, _ = run(TANK_LEVEL, [(0, 85)])
    state, _ = check_stale(TANK_LEVEL, state, 300 * S)
    _, events = due_escalations(state, 1200 * S)
    assert sorted(e.alarm_type.value for e in events if isinstance(e, AlarmEscalated)) == ["high", "offline"]


# --- configuration and persistence -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"range_min": 100.0}, "empty"),
        ({"h": Threshold(95.0, Severity.MAJOR)}, "H=95.0 must be below HH=90.0"),
        ({"l": Threshold(3.0, Severity.MAJOR)}, "LL=5.0 must be below L=3.0"),
        ({"deadband": -1.0}, "negative"),
        ({"stale_timeout_s": 0.0}, "positive"),
    ],
)
def test_inconsistent_configuration_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        with_config(**changes)


def test_state_round_trips_through_json() -> None:
    config = with_config(flap_count=2, flap_window_s=600, on_delay_s=1)
    state, _ = run(config, [(0, 85), (1, 85), (2, 50), (3, 85), (4, 85), (5, 3), (6, 150)])
    state, _ = check_stale(config, state, 10_000 * S)
    state, _ = due_escalations(state, 20_000 * S)
    state, _ = acknowledge(state, AlarmType.OFFLINE, at_ms=20_001 * S, by="li.na")
    restored = AlarmState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    assert restored.detail.quiet == state.detail.quiet


@pytest.mark.parametrize("bad", [{}, {"v": 2}, {"v": 1, "last_ms": 0}, {"v": 1, "last_ms": "x", "high": 3}])
def test_corrupt_state_is_a_value_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="alarm state"):
        AlarmState.from_dict(bad)


# --- properties ---------------------------------------------------------------------------------

step_values = st.one_of(
    st.floats(-20, 120, allow_nan=False),
    st.sampled_from([4.9, 5.0, 8.0, 10.0, 12.0, 78.0, 79.99, 80.0, 90.0, 95.0]),
)
sequences = st.lists(st.tuples(st.integers(0, 120), step_values), min_size=1, max_size=60)
configs = st.builds(
    with_config,
    on_delay_s=st.sampled_from([0.0, 5.0, 30.0]),
    deadband=st.sampled_from([0.0, 1.0, 3.0]),
    flap_count=st.sampled_from([0, 2, 3]),
    flap_window_s=st.sampled_from([60.0, 300.0]),
    stale_timeout_s=st.sampled_from([60.0, 200.0]),
)


def run_timeline(
    config: PointConfig, steps: list[tuple[int, float]]
) -> list[tuple[float, AlarmState, tuple[Event, ...]]]:
    """Advance time by each step's gap, checking staleness before every reading."""
    state = AlarmState.start(0)
    now_s = 0
    timeline = []
    for gap_s, value in steps:
        now_s += gap_s
        state, stale_events = check_stale(config, state, now_s * S)
        state, events = evaluate(config, state, Reading(1, now_s * S, value))
        timeline.append((value, state, stale_events + events))
    return timeline


@settings(max_examples=200, deadline=None)
@given(configs, sequences)
def test_at_most_one_active_alarm_per_type(config: PointConfig, steps: list[tuple[int, float]]) -> None:
    open_alarms: dict[AlarmType, int] = dict.fromkeys(AlarmType, 0)
    for _, state, events in run_timeline(config, steps):
        for event in events:
            if isinstance(event, AlarmRaised):
                open_alarms[event.alarm_type] += 1
            elif isinstance(event, AlarmCleared):
                open_alarms[event.alarm_type] -= 1
            assert all(count in (0, 1) for count in open_alarms.values()), events
        for alarm_type, count in open_alarms.items():
            assert (state.alarm(alarm_type) is not None) == (count == 1)


@settings(max_examples=200, deadline=None)
@given(configs, sequences)
def test_no_clear_while_beyond_threshold_minus_hysteresis(config: PointConfig, steps: list[tuple[int, float]]) -> None:
    for value, _, events in run_timeline(config, steps):
        for event in events:
            if isinstance(event, AlarmCleared) and event.alarm_type is AlarmType.HIGH:
                assert value < 80.0 - config.deadband
            if isinstance(event, AlarmCleared) and event.alarm_type is AlarmType.LOW:
                assert value > 10.0 + config.deadband


@settings(max_examples=100, deadline=None)
@given(configs, sequences)
def test_every_state_survives_a_restart(config: PointConfig, steps: list[tuple[int, float]]) -> None:
    for _, state, _ in run_timeline(config, steps):
        assert AlarmState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
