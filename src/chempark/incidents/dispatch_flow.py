"""A dispatch order's states (pure, no Django), after the unit states of computer-aided dispatch
systems such as Resgrid (Enroute, OnScene, Returning, Available)::

    dispatched ──depart──▶ en_route ──arrive──▶ on_scene ──release──▶ returning ──stand_down──▶ available
    dispatched / en_route ──cancel──▶ cancelled

A unit is busy while one of its orders is in an :data:`ACTIVE` state; ``available`` and
``cancelled`` are final and free it. A forbidden move raises :class:`TransitionNotAllowed` naming
the actions the current state allows.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    AVAILABLE = "available"
    CANCELLED = "cancelled"


class Action(StrEnum):
    DEPART = "depart"
    ARRIVE = "arrive"
    RELEASE = "release"
    STAND_DOWN = "stand_down"
    CANCEL = "cancel"


TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.DEPART: (frozenset({State.DISPATCHED}), State.EN_ROUTE),
    Action.ARRIVE: (frozenset({State.EN_ROUTE}), State.ON_SCENE),
    Action.RELEASE: (frozenset({State.ON_SCENE}), State.RETURNING),
    Action.STAND_DOWN: (frozenset({State.RETURNING}), State.AVAILABLE),
    Action.CANCEL: (frozenset({State.DISPATCHED, State.EN_ROUTE}), State.CANCELLED),
}

ACTIVE = frozenset({State.DISPATCHED, State.EN_ROUTE, State.ON_SCENE, State.RETURNING})


class TransitionNotAllowed(Exception):
    def __init__(self, state: State, action: str, allowed: tuple[Action, ...]) -> None:
        super().__init__(f"{action} is not allowed from {state.value}; allowed: {', '.join(allowed) or 'none'}")
        self.state = state
        self.action = action
        self.allowed = allowed


def allowed_actions(state: State) -> tuple[Action, ...]:
    return tuple(action for action, (sources, _) in TRANSITIONS.items() if state in sources)


def next_state(state: State, action: str) -> State:
    """The state after ``action``, or :class:`TransitionNotAllowed`."""
    try:
        sources, target = TRANSITIONS[Action(action)]
    except ValueError:
        raise TransitionNotAllowed(state, action, allowed_actions(state)) from None
    if state not in sources:
        raise TransitionNotAllowed(state, action, allowed_actions(state))
    return target
