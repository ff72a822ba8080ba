"""Who may pass: the answer to a plate read at a park gate and to a badge read at an enterprise door
(pure). The Django side gathers the facts; these functions hold the rules and their order, so the
first reason that applies is the one the gate shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    UNKNOWN_PLATE = "unknown_plate"  # not in the registry
    BLACKLISTED = "blacklisted"  # the vehicle or its crew is banned
    NON_HAZMAT_GATE = "non_hazmat_gate"  # a hazmat vehicle at a general gate
    ALREADY_INSIDE = "already_inside"  # an entry while the vehicle is recorded inside
    NO_RESERVATION = "no_reservation"  # no approved reservation for today
    PAPERS_EXPIRED = "papers_expired"  # the carrier's permit or the crew's certificates expired
    NOT_INSIDE = "not_inside"  # an exit of a vehicle not recorded inside (let out, noted)
    UNKNOWN_BADGE = "unknown_badge"
    NO_CERTIFICATE = "no_certificate"  # 不持证不上岗


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: Reason | None = None


ALLOW = Answer(allowed=True)


@dataclass(frozen=True)
class VehicleFacts:
    entering: bool
    known: bool
    hazmat_vehicle: bool = False
    hazmat_gate: bool = False
    inside: bool = False
    blacklisted: bool = False
    reserved_today: bool = False
    papers_valid: bool = False


def gate_answer(facts: VehicleFacts) -> Answer:
    """An exit is always let out (a gate must not trap a vehicle in a chemical park); one not recorded
    inside is noted. An entry must pass every check, in the order a guard would ask."""
    if not facts.entering:
        return ALLOW if facts.inside else Answer(allowed=True, reason=Reason.NOT_INSIDE)
    refusals = (
        (not facts.known, Reason.UNKNOWN_PLATE),
        (facts.blacklisted, Reason.BLACKLISTED),
        (facts.hazmat_vehicle and not facts.hazmat_gate, Reason.NON_HAZMAT_GATE),
        (facts.inside, Reason.ALREADY_INSIDE),
        (not facts.reserved_today, Reason.NO_RESERVATION),
        (not facts.papers_valid, Reason.PAPERS_EXPIRED),
    )
    reason = next((reason for refused, reason in refusals if refused), None)
    return ALLOW if reason is None else Answer(allowed=False, reason=reason)


def door_answer(*, entering: bool, known: bool, requires_certificate: bool, certificate_valid: bool) -> Answer:
    """A badge at an enterprise door: leaving is always allowed; entering an area that requires a
    certificate needs a valid one. A headcount over the limit does not lock people out (that could
    keep a rescuer out): it raises an alarm instead."""
    if not entering:
        return ALLOW
    if not known:
        return Answer(allowed=False, reason=Reason.UNKNOWN_BADGE)
    if requires_certificate and not certificate_valid:
        return Answer(allowed=False, reason=Reason.NO_CERTIFICATE)
    return ALLOW
