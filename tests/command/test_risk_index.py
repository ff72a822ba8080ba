"""The enterprise dynamic risk index as a pure function: a hand-computed example, bounds, and
monotonicity — more alarms, missed commitments, overdue checks, offline points or a worse grade
never lower it."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.command.risk_index import (
    FACTOR_WEIGHTS,
    MODULE_FACTORS,
    RiskInputs,
    RiskWeights,
    parse_weights,
    risk_index,
)

counts = st.integers(min_value=0, max_value=500)
inputs = st.builds(
    RiskInputs,
    hazard_level=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
    max_r=st.one_of(st.none(), st.floats(min_value=0, max_value=1e5)),
    unacked_alarms=counts,
    active_alarms=counts,
    points=st.integers(min_value=0, max_value=1000),
    points_offline=st.integers(min_value=0, max_value=1000),
    missed_commitments=st.integers(min_value=0, max_value=7),
    overdue_duty_checks=counts,
    open_dangers=st.one_of(st.none(), counts),
    major_dangers=st.one_of(st.none(), counts),
    overdue_dangers=st.one_of(st.none(), counts),
    ongoing_operations=st.one_of(st.none(), counts),
    irregular_operations=st.one_of(st.none(), counts),
)
factor_weights = st.fixed_dictionaries({name: st.floats(min_value=0, max_value=5) for name in FACTOR_WEIGHTS})
weights = st.builds(
    RiskWeights,
    inherent=st.floats(min_value=0, max_value=100),
    monitoring=st.floats(min_value=0.1, max_value=100),
    management=st.floats(min_value=0, max_value=100),
    factors=st.one_of(st.just(dict(FACTOR_WEIGHTS)), factor_weights),
)


def test_a_hand_computed_enterprise() -> None:
    """二级 hazard with R = 60, 1 unacknowledged of 2 active alarms, 2 of 10 points offline, 1 missed
    commitment, 1 overdue duty check; default weights 40/35/25."""
    score = risk_index(
        RiskInputs(
            hazard_level=2,
            max_r=60.0,
            unacked_alarms=1,
            active_alarms=2,
            points=10,
            points_offline=2,
            missed_commitments=1,
            overdue_duty_checks=1,
        )
    )
    inherent = max(0.75, math.log10(61) / math.log10(201))  # R = 60 refines the grade: 0.7752 > 0.75
    monitoring = 0.5 * (1 - math.exp(-0.5)) + 0.2 * (1 - math.exp(-2 / 3)) + 0.3 * 0.2
    management = 0.5 * (1 / 7) + 0.5 * (1 - math.exp(-0.5))
    expected = 100 * (40 * inherent + 35 * monitoring + 25 * management) / 100
    assert math.log10(61) / math.log10(201) == pytest.approx(0.7752, abs=1e-4)
    assert score.index == round(expected, 1) == 50.1  # 0.4·0.7752 + 0.35·0.3541 + 0.25·0.2682
    assert score.families["inherent"] == pytest.approx(0.7752, abs=1e-4)


def test_nothing_held_and_nothing_wrong_is_zero_and_the_worst_is_near_a_hundred() -> None:
    assert risk_index(RiskInputs()).index == 0.0
    worst = RiskInputs(
        hazard_level=1,
        max_r=1e6,
        unacked_alarms=1000,
        active_alarms=1000,
        points=10,
        points_offline=10,
        missed_commitments=7,
        overdue_duty_checks=1000,
    )
    assert risk_index(worst).index == 100.0


@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(inputs, weights)
def test_the_index_is_between_0_and_100(facts: RiskInputs, w: RiskWeights) -> None:
    assert 0.0 <= risk_index(facts, w).index <= 100.0


@pytest.mark.parametrize(
    "field", ["unacked_alarms", "active_alarms", "missed_commitments", "overdue_duty_checks", "points_offline"]
)
@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(facts=inputs, w=weights, more=st.integers(min_value=1, max_value=50))
def test_more_of_anything_bad_never_lowers_the_index(field: str, facts: RiskInputs, w: RiskWeights, more: int) -> None:
    worse = replace(facts, **{field: getattr(facts, field) + more})
    if field == "points_offline":
        worse = replace(worse, points=max(worse.points, worse.points_offline))
        facts = replace(facts, points=worse.points)
    assert risk_index(worse, w).index >= risk_index(facts, w).index


@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(facts=inputs, w=weights)
def test_a_worse_grade_or_a_larger_r_never_lowers_the_index(facts: RiskInputs, w: RiskWeights) -> None:
    level = facts.hazard_level
    if level is not None and level > 1:
        assert risk_index(replace(facts, hazard_level=level - 1), w).index >= risk_index(facts, w).index
    if level is None:
        assert risk_index(replace(facts, hazard_level=4), w).index >= risk_index(facts, w).index
    r = facts.max_r or 0.0
    assert risk_index(replace(facts, max_r=r * 2 + 1), w).index >= risk_index(facts, w).index


@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(facts=inputs)
def test_more_unacknowledged_alarms_raise_it_until_the_family_saturates(facts: RiskInputs) -> None:
    calm = replace(facts, unacked_alarms=0)
    assert risk_index(replace(calm, unacked_alarms=1)).families["monitoring"] > risk_index(calm).families["monitoring"]


def test_weights_parse_and_only_their_ratio_matters() -> None:
    assert parse_weights("inherent=40,monitoring=35,management=25") == RiskWeights()
    assert parse_weights(" monitoring = 70 ") == RiskWeights(monitoring=70.0)
    facts = RiskInputs(hazard_level=3, unacked_alarms=2, missed_commitments=3)
    assert risk_index(facts, RiskWeights(4, 3.5, 2.5)).index == risk_index(facts).index


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("inherent=40,danger=3", "unknown risk weight"),
        ("inherent=abc", "not a number"),
        ("inherent=0,monitoring=0,management=0", "not all zero"),
        ("inherent=-1", "non-negative"),
        ("inherent", "unknown risk weight"),
        ("overdue_dangers=-0.5", "factor weights must be finite and non-negative"),
        ("major_dangers=inf", "factor weights must be finite and non-negative"),
    ],
)
def test_bad_weights_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_weights(text)


@pytest.mark.parametrize("field", MODULE_FACTORS)
@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(facts=inputs, w=weights, more=st.integers(min_value=1, max_value=50))
def test_more_hidden_dangers_or_operations_never_lower_the_index(
    field: str, facts: RiskInputs, w: RiskWeights, more: int
) -> None:
    """With the dual-prevention module present, more (overdue, major, open) hidden dangers and more
    ongoing or irregular special operations never lower the index."""
    present = replace(facts, **{field: getattr(facts, field) or 0})
    worse = replace(present, **{field: getattr(present, field) + more})
    assert risk_index(worse, w).index >= risk_index(present, w).index


@settings(deadline=None)  # timing is not what is tested; a loaded machine must not fail it
@given(facts=inputs)
def test_an_overdue_hidden_danger_raises_the_management_state(facts: RiskInputs) -> None:
    calm = replace(facts, overdue_dangers=0)
    worse = replace(calm, overdue_dangers=1)
    assert risk_index(worse).families["management"] > risk_index(calm).families["management"]


def test_a_hand_computed_enterprise_with_hidden_dangers_and_operations() -> None:
    """No hazard, no alarms, all points online, nothing missed; 4 open hidden dangers of which 1 is
    major and 2 are overdue; 1 operation going on, no irregular one."""
    score = risk_index(
        RiskInputs(open_dangers=4, major_dangers=1, overdue_dangers=2, ongoing_operations=1, irregular_operations=0)
    )
    s = {
        "open": 1 - math.exp(-4 / 3),
        "major": 1 - math.exp(-1),
        "overdue": 1 - math.exp(-1),
        "ongoing": 1 - math.exp(-1 / 3),
    }
    management = (0.15 * s["open"] + 0.3 * s["major"] + 0.3 * s["overdue"] + 0.1 * s["ongoing"]) / (
        0.5 + 0.5 + 0.15 + 0.3 + 0.3 + 0.1 + 0.25
    )
    assert score.families["management"] == pytest.approx(management)
    assert score.index == round(25 * management, 1) == 6.2
    names = [f.name for f in score.factors if f.family == "management"]
    assert names == ["missed_commitments", "overdue_duty_checks", *MODULE_FACTORS]


def test_an_absent_module_adds_no_factor() -> None:
    names = {f.name for f in risk_index(RiskInputs()).factors}
    assert names.isdisjoint(MODULE_FACTORS)


def test_factor_weights_are_configurable() -> None:
    weights = parse_weights("management=25,overdue_dangers=2")
    assert weights.factor("overdue_dangers") == 2.0
    assert weights.factor("major_dangers") == FACTOR_WEIGHTS["major_dangers"]
    facts = RiskInputs(open_dangers=0, major_dangers=0, overdue_dangers=3, ongoing_operations=0, irregular_operations=0)
    assert risk_index(facts, weights).index > risk_index(facts).index
