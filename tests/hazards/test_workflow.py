"""The workflow's transition table (pure)."""

from __future__ import annotations

import pytest

from chempark.hazards.workflow import (
    TRANSITIONS,
    Action,
    ReasonRequired,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
)

EXPECTED = {
    Status.IDENTIFIED: {Action.REGISTER: Status.REGISTERED, Action.REQUEST_CANCELLATION: Status.CANCELLATION_REQUESTED},
    Status.REGISTERED: {
        Action.SUBMIT_FILING: Status.FILING_SUBMITTED,
        Action.REQUEST_CANCELLATION: Status.CANCELLATION_REQUESTED,
    },
    Status.FILING_SUBMITTED: {Action.APPROVE_FILING: Status.FILED, Action.RETURN_FILING: Status.REGISTERED},
    Status.FILED: {Action.REQUEST_CANCELLATION: Status.CANCELLATION_REQUESTED},
    Status.CANCELLATION_REQUESTED: {Action.APPROVE_CANCELLATION: Status.CANCELLED},
    Status.CANCELLED: {},
}


@pytest.mark.parametrize("status", list(Status))
def test_every_status_action_pair_is_allowed_or_refused_with_the_allowed_named(status: Status) -> None:
    for action in Action:
        if action is Action.REJECT_CANCELLATION and status is Status.CANCELLATION_REQUESTED:
            assert next_status(status, action, previous=Status.FILED, reason="资料不全") is Status.FILED
            continue
        if action in EXPECTED[status]:
            assert next_status(status, action, reason="理由") is EXPECTED[status][action]
        else:
            with pytest.raises(TransitionNotAllowed) as caught:
                next_status(status, action, reason="理由")
            assert set(caught.value.allowed) == set(allowed_actions(status))
            assert action not in caught.value.allowed


def test_cancelled_is_final_and_unknown_actions_are_refused() -> None:
    assert allowed_actions(Status.CANCELLED) == ()
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(Status.IDENTIFIED, "delete")
    assert caught.value.allowed == (Action.REGISTER, Action.REQUEST_CANCELLATION)


@pytest.mark.parametrize("action", [Action.RETURN_FILING, Action.REQUEST_CANCELLATION, Action.REJECT_CANCELLATION])
def test_reasons_are_required_where_the_table_says(action: Action) -> None:
    assert TRANSITIONS[action].needs_reason
    source = next(iter(TRANSITIONS[action].sources))
    with pytest.raises(ReasonRequired):
        next_status(source, action, previous=Status.REGISTERED, reason="  ")


def test_only_the_bureau_approves() -> None:
    bureau = {a for a, t in TRANSITIONS.items() if t.capability == "hazard.approve"}
    assert bureau == {
        Action.APPROVE_FILING,
        Action.RETURN_FILING,
        Action.APPROVE_CANCELLATION,
        Action.REJECT_CANCELLATION,
    }
