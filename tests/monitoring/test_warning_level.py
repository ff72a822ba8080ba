"""Enterprise warning level: the default table row by row, configuration, and monotonicity."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chempark.monitoring.alarm_rules import Alarm, AlarmStatus, AlarmType, Level, Severity
from chempark.monitoring.warning_level import (
    DEFAULT_RULES,
    ActiveAlarm,
    WarningLevel,
    WarningRule,
    WarningRuleTable,
    assess_warning,
)

HH_UNACK = ActiveAlarm(AlarmType.HIGH, Severity.CRITICAL, acknowledged=False)
HH_ACK = ActiveAlarm(AlarmType.HIGH, Severity.CRITICAL, acknowledged=True)
LL_ACK = ActiveAlarm(AlarmType.LOW, Severity.CRITICAL, acknowledged=True)
H_UNACK = ActiveAlarm(AlarmType.HIGH, Severity.MAJOR, acknowledged=False)
H_ACK = ActiveAlarm(AlarmType.HIGH, Severity.MAJOR, acknowledged=True)
OFFLINE_UNACK = ActiveAlarm(AlarmType.OFFLINE, Severity.MINOR, acknowledged=False)
ABNORMAL_UNACK = ActiveAlarm(AlarmType.DATA_ABNORMAL, Severity.CRITICAL, acknowledged=False)


@pytest.mark.parametrize(
    ("alarms", "hazard_level", "expected"),
    [
        ([], 1, WarningLevel.BLUE),
        ([], None, WarningLevel.BLUE),
        ([HH_UNACK], 1, WarningLevel.RED),
        ([HH_UNACK], 2, WarningLevel.RED),
        ([HH_ACK, LL_ACK], 2, WarningLevel.RED),
        ([HH_ACK], 1, WarningLevel.ORANGE),
        ([HH_UNACK], 3, WarningLevel.ORANGE),
        ([HH_UNACK], 4, WarningLevel.ORANGE),
        ([HH_ACK], 3, WarningLevel.YELLOW),
        ([HH_UNACK], None, WarningLevel.YELLOW),
        ([H_UNACK], 1, WarningLevel.YELLOW),
        ([H_ACK], 1, WarningLevel.BLUE),
        ([H_UNACK], 3, WarningLevel.BLUE),
        ([OFFLINE_UNACK], 2, WarningLevel.YELLOW),
        ([OFFLINE_UNACK], 3, WarningLevel.BLUE),
        ([ABNORMAL_UNACK], 1, WarningLevel.BLUE),  # an instrument fault is not a process alarm
        ([H_UNACK, OFFLINE_UNACK, HH_UNACK], 1, WarningLevel.RED),
    ],
)
def test_default_table(alarms: list[ActiveAlarm], hazard_level: int | None, expected: WarningLevel) -> None:
    assert assess_warning(alarms, hazard_level).level is expected


def test_assessment_explains_itself() -> None:
    assessment = assess_warning([HH_UNACK, H_UNACK], 1)
    assert assessment.rule is DEFAULT_RULES.rules[0]
    assert assessment.matching_alarms == 1
    baseline = assess_warning([], 1)
    assert (baseline.level, baseline.rule, baseline.matching_alarms) == (WarningLevel.BLUE, None, 0)


def test_engine_alarms_convert() -> None:
    alarm = Alarm(AlarmType.LOW, Level.LL, Severity.CRITICAL, AlarmStatus.ACTIVE_ACK, raised_ms=0)
    assert ActiveAlarm.from_alarm(alarm) == LL_ACK


def test_custom_table_from_configuration() -> None:
    rows = [
        {"level": "red", "description": "any offline", "alarm_types": ["offline"]},
        {"level": "orange", "min_severity": "major", "min_count": 2, "hazard_levels": [0, 3]},
    ]
    table = WarningRuleTable.from_dicts(json.loads(json.dumps(rows)), baseline=WarningLevel.BLUE)
    assert assess_warning([OFFLINE_UNACK], 4, table).level is WarningLevel.RED
    assert assess_warning([H_ACK, H_UNACK], None, table).level is WarningLevel.ORANGE
    assert assess_warning([H_ACK, H_UNACK], 1, table).level is WarningLevel.BLUE
    assert WarningRuleTable.from_dicts(table.to_dicts()) == table


def test_default_table_round_trips() -> None:
    assert WarningRuleTable.from_dicts(DEFAULT_RULES.to_dicts()) == DEFAULT_RULES


@pytest.mark.parametrize(
    "row",
    [
        {"level": "purple"},
        {"level": "red", "hazard_levels": [5]},
        {"level": "red", "alarm_types": ["smoke"]},
        {"level": "red", "min_severity": "fatal"},
        {"level": "red", "min_count": 0},
        {"level": "red", "alarm_types": []},
    ],
)
def test_bad_configuration_is_refused(row: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case fails in a different constructor
        WarningRule.from_dict(row)


def test_hazard_level_must_be_valid() -> None:
    with pytest.raises(ValueError, match="1-4"):
        assess_warning([], 0)


alarms_strategy = st.lists(
    st.builds(ActiveAlarm, st.sampled_from(list(AlarmType)), st.sampled_from(list(Severity)), st.booleans()),
    max_size=6,
)


@given(
    alarms_strategy,
    st.sampled_from([None, 1, 2, 3, 4]),
    st.builds(ActiveAlarm, st.sampled_from(list(AlarmType)), st.sampled_from(list(Severity)), st.booleans()),
)
def test_one_more_alarm_never_lowers_the_level(
    alarms: list[ActiveAlarm], hazard_level: int | None, extra: ActiveAlarm
) -> None:
    before = assess_warning(alarms, hazard_level).level
    after = assess_warning([*alarms, extra], hazard_level).level
    assert after.rank >= before.rank


@given(alarms_strategy)
def test_a_more_hazardous_installation_never_lowers_the_level(alarms: list[ActiveAlarm]) -> None:
    ranks = [assess_warning(alarms, level).level.rank for level in (None, 4, 3, 2, 1)]
    assert ranks == sorted(ranks)
