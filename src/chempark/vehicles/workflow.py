"""The reservation workflow (pure): statuses, actions and the one table of allowed transitions.

requested → approved | refused (the park decides); approved → cancelled (the enterprise or the park),
used (the vehicle entered at a gate) or expired (its day passed unused).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    USED = "used"
    EXPIRED = "expired"


class Action(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"
    CANCEL = "cancel"
    USE = "use"
    EXPIRE = "expire"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.REQUESTED, Action.APPROVE): Status.APPROVED,
    (Status.REQUESTED, Action.REFUSE): Status.REFUSED,
    (Status.APPROVED, Action.CANCEL): Status.CANCELLED,
    (Status.APPROVED, Action.USE): Status.USED,
    (Status.APPROVED, Action.EXPIRE): Status.EXPIRED,
}

NEEDS_REASON = frozenset({Action.REFUSE, Action.CANCEL})


class TransitionNotAllowedError(Exception):
    def __init__(self, status: Status, action: Action, allowed: list[Action]) -> None:
        super().__init__(f"{action.value} not allowed from {status.value}")
        self.status, self.action, self.allowed = status, action, allowed


def allowed_actions(status: Status) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source == status]


def next_status(status: Status, action: Action) -> Status:
    """The status after ``action``; raises :class:`TransitionNotAllowedError` naming the allowed ones."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowedError(status, action, allowed_actions(status)) from None
