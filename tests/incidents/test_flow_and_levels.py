"""The dispatch state machine and the suggested response level (both pure)."""

from __future__ import annotations

import pytest

from chempark.incidents.dispatch_flow import ACTIVE, Action, State, TransitionNotAllowed, allowed_actions, next_state
from chempark.incidents.response_level import Facts, Rule, rules_from_json, suggest


def test_a_dispatch_runs_its_course() -> None:
    state = State.DISPATCHED
    for action in ("depart", "arrive", "release", "stand_down"):
        state = next_state(state, action)
    assert state is State.AVAILABLE
    assert state not in ACTIVE


def test_a_forbidden_move_names_the_allowed_ones() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        next_state(State.ON_SCENE, "depart")
    assert caught.value.allowed == (Action.RELEASE,)
    with pytest.raises(TransitionNotAllowed):
        next_state(State.AVAILABLE, "nonsense")
    assert allowed_actions(State.DISPATCHED) == (Action.DEPART, Action.CANCEL)
    assert allowed_actions(State.CANCELLED) == ()


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        (Facts(), 4),
        (Facts(deaths=2, injured=9), 4),
        (Facts(deaths=3), 3),
        (Facts(injured=10), 3),
        (Facts(deaths=10), 2),
        (Facts(injured=99), 2),
        (Facts(deaths=30), 1),
        (Facts(injured=100), 1),
        (Facts(people_in_zone=600), 3),
        (Facts(deaths=1, kind="explosion"), 3),
        (Facts(deaths=1, kind="fire"), 4),
    ],
)
def test_default_levels_follow_the_accident_grades(facts: Facts, level: int) -> None:
    assert suggest(facts).level == level


def test_rules_from_configuration() -> None:
    rules = rules_from_json([{"level": 2, "people_in_zone": 100, "kinds": ["leak"]}])
    assert rules == (Rule(2, people_in_zone=100, kinds=("leak",)),)
    assert suggest(Facts(people_in_zone=150, kind="leak"), rules).level == 2
    assert suggest(Facts(people_in_zone=150, kind="fire"), rules).level == 4
    for bad in ({"level": 2}, [{"level": 5}], [{"level": 1, "deaths": -1}], [{"level": 1, "kinds": "leak"}]):
        with pytest.raises(ValueError, match=r"rule|list"):
            rules_from_json(bad)
