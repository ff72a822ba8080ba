"""The major hazard record's status workflow (pure, no Django): one explicit transition table.

::

    identified ──register──▶ registered ──submit_filing──▶ filing_submitted ──approve_filing──▶ filed
                                  ▲                               │
                                  └──────────return_filing────────┘
    identified / registered / filed ──request_cancellation──▶ cancellation_requested
    cancellation_requested ──approve_cancellation──▶ cancelled
    cancellation_requested ──reject_cancellation──▶ (the status it was requested from)

``identified`` is set by the identification itself (S ≥ 1); ``cancelled`` (核销) is final. A
forbidden move raises :class:`TransitionNotAllowed`, which names the actions the current status
allows, so that a client can be told what it may do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    IDENTIFIED = "identified"
    REGISTERED = "registered"
    FILING_SUBMITTED = "filing_submitted"
    FILED = "filed"
    CANCELLATION_REQUESTED = "cancellation_requested"
    CANCELLED = "cancelled"


class Action(StrEnum):
    REGISTER = "register"
    SUBMIT_FILING = "submit_filing"
    APPROVE_FILING = "approve_filing"
    RETURN_FILING = "return_filing"
    REQUEST_CANCELLATION = "request_cancellation"
    APPROVE_CANCELLATION = "approve_cancellation"
    REJECT_CANCELLATION = "reject_cancellation"


PREVIOUS = "previous"
"""Target of a transition that returns to the status held before the pending request."""


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | str  # a Status, or PREVIOUS
    capability: str  # "hazard.submit" (the enterprise, or the bureau for it) or "hazard.approve" (the bureau)
    needs_reason: bool = False


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.REGISTER, frozenset({Status.IDENTIFIED}), Status.REGISTERED, "hazard.submit"),
        Transition(Action.SUBMIT_FILING, frozenset({Status.REGISTERED}), Status.FILING_SUBMITTED, "hazard.submit"),
        Transition(Action.APPROVE_FILING, frozenset({Status.FILING_SUBMITTED}), Status.FILED, "hazard.approve"),
        Transition(
            Action.RETURN_FILING,
            frozenset({Status.FILING_SUBMITTED}),
            Status.REGISTERED,
            "hazard.approve",
            needs_reason=True,
        ),
        Transition(
            Action.REQUEST_CANCELLATION,
            frozenset({Status.IDENTIFIED, Status.REGISTERED, Status.FILED}),
            Status.CANCELLATION_REQUESTED,
            "hazard.submit",
            needs_reason=True,
        ),
        Transition(
            Action.APPROVE_CANCELLATION, frozenset({Status.CANCELLATION_REQUESTED}), Status.CANCELLED, "hazard.approve"
        ),
        Transition(
            Action.REJECT_CANCELLATION,
            frozenset({Status.CANCELLATION_REQUESTED}),
            PREVIOUS,
            "hazard.approve",
            needs_reason=True,
        ),
    )
}


class TransitionNotAllowed(Exception):
    """``action`` is not allowed from ``status``; ``allowed`` lists the actions that are."""

    def __init__(self, status: Status, action: str, allowed: tuple[Action, ...]) -> None:
        names = ", ".join(a.value for a in allowed) or "none"
        super().__init__(f"{action} is not allowed from status {status.value}; allowed: {names}")
        self.status = status
        self.action = action
        self.allowed = allowed


class ReasonRequired(ValueError):
    """The action needs a reason (returning a filing, requesting or rejecting a cancellation)."""


def allowed_actions(status: Status) -> tuple[Action, ...]:
    """The actions the transition table allows from ``status``, in the table's order."""
    return tuple(t.action for t in TRANSITIONS.values() if status in t.sources)


def next_status(status: Status, action: str, *, previous: Status | None = None, reason: str = "") -> Status:
    """The status after ``action``; raises :class:`TransitionNotAllowed` or :class:`ReasonRequired`.

    ``previous`` is the status held before a pending cancellation request, for ``reject_cancellation``.
    """
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise TransitionNotAllowed(status, action, allowed_actions(status)) from None
    if status not in transition.sources:
        raise TransitionNotAllowed(status, action, allowed_actions(status))
    if transition.needs_reason and not reason.strip():
        raise ReasonRequired(f"{action} needs a reason")
    if transition.target == PREVIOUS:
        if previous is None or previous not in TRANSITIONS[Action.REQUEST_CANCELLATION].sources:
            raise ValueError(f"{action} needs the status the request was made from, got {previous!r}")
        return previous
    return Status(transition.target)
