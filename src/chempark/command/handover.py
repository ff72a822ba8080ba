"""The handover's workflow (pure): draft → handed over (the outgoing officer signs) → accepted (the
incoming officer signs). Signatures are final: a signed record is never edited again."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    HANDED_OVER = "handed_over"
    ACCEPTED = "accepted"


class Action(StrEnum):
    EDIT = "edit"
    HAND_OVER = "hand_over"
    ACCEPT = "accept"


NEXT: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.HAND_OVER): Status.HANDED_OVER,
    (Status.HANDED_OVER, Action.ACCEPT): Status.ACCEPTED,
}


class TransitionNotAllowed(Exception):
    def __init__(self, status: Status, action: Action) -> None:
        super().__init__(f"{action} is not allowed in {status}")
        self.allowed = allowed(status)


def allowed(status: Status) -> list[Action]:
    return [action for (source, action) in NEXT if source is status]


def next_status(status: Status, action: Action) -> Status:
    try:
        return NEXT[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(status, action) from None
