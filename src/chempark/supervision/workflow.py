"""The supervision module's two workflows as explicit transition tables (pure, no Django).

Hidden danger (隐患排查治理, the closed loop 排查 → 登记 → 整改 → 验收 → 销号)::

    found ──order──▶ ordered ──start──▶ rectifying ──submit──▶ submitted ──verify_pass──▶ verified ──close_out──▶ closed
                                            ▲                      │
                                            └─────verify_fail──────┘

三同时 construction project (safety facilities designed, built and put in use with the project)::

    conditions_review ─▶ design_review ─▶ trial_production ─▶ completion_acceptance ─▶ accepted

Enforcement case (行政处罚, the stages of the Administrative Penalty Law)::

    filed ─▶ investigated ─▶ reviewed ─▶ notified ─▶ decided ─▶ served ─▶ executed ─▶ closed

A forbidden move raises :class:`TransitionNotAllowed` naming the actions the current status allows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum


class DangerStatus(StrEnum):
    FOUND = "found"
    ORDERED = "ordered"
    RECTIFYING = "rectifying"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CLOSED = "closed"


class CaseStage(StrEnum):
    FILED = "filed"
    INVESTIGATED = "investigated"
    REVIEWED = "reviewed"
    NOTIFIED = "notified"
    DECIDED = "decided"
    SERVED = "served"
    EXECUTED = "executed"
    CLOSED = "closed"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    capability: str


class TransitionNotAllowed(Exception):
    """``action`` is not allowed from ``status``; ``allowed`` lists the actions that are."""

    def __init__(self, status: str, action: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"{action} is not allowed from {status}; allowed: {', '.join(allowed) or 'none'}")
        self.status = status
        self.action = action
        self.allowed = allowed


@dataclass(frozen=True)
class Machine:
    """One workflow: its transitions by action name, in the order a page offers them."""

    transitions: tuple[Transition, ...]

    def allowed(self, status: str) -> tuple[str, ...]:
        return tuple(t.action for t in self.transitions if status in t.sources)

    def transition(self, status: str, action: str) -> Transition:
        """The transition ``action`` from ``status``; raises :class:`TransitionNotAllowed`."""
        for candidate in self.transitions:
            if candidate.action == action and status in candidate.sources:
                return candidate
        raise TransitionNotAllowed(status, action, self.allowed(status))

    def actions(self) -> tuple[str, ...]:
        return tuple(t.action for t in self.transitions)


def _t(action: str, source: str, target: str, capability: str) -> Transition:
    return Transition(action, frozenset({source}), target, capability)


D = DangerStatus
# "danger.manage": the bureau orders, verifies and closes out; "danger.rectify": the enterprise (or the
# bureau on its behalf) rectifies and submits its evidence.
HIDDEN_DANGER = Machine(
    (
        _t("order", D.FOUND, D.ORDERED, "danger.manage"),
        _t("start", D.ORDERED, D.RECTIFYING, "danger.rectify"),
        _t("submit", D.RECTIFYING, D.SUBMITTED, "danger.rectify"),
        _t("verify_pass", D.SUBMITTED, D.VERIFIED, "danger.manage"),
        _t("verify_fail", D.SUBMITTED, D.RECTIFYING, "danger.manage"),
        _t("close_out", D.VERIFIED, D.CLOSED, "danger.manage"),
    )
)
OPEN_DANGER = frozenset({D.FOUND, D.ORDERED, D.RECTIFYING, D.SUBMITTED})
"""Statuses of a hidden danger not yet rectified (verified and closed ones are rectified)."""
RUNNING_DANGER = frozenset({D.ORDERED, D.RECTIFYING})
"""Statuses in which the rectification deadline runs: an item here past its deadline is overdue."""


class ProjectStage(StrEnum):
    CONDITIONS_REVIEW = "conditions_review"
    DESIGN_REVIEW = "design_review"
    TRIAL_PRODUCTION = "trial_production"
    COMPLETION_ACCEPTANCE = "completion_acceptance"
    ACCEPTED = "accepted"


P = ProjectStage
# A review that does not pass keeps the project at its stage (the decision is recorded, the stage
# is not left); each passed stage moves it on, one at a time.
PROJECT = Machine(
    (
        _t("pass_conditions_review", P.CONDITIONS_REVIEW, P.DESIGN_REVIEW, "project.manage"),
        _t("pass_design_review", P.DESIGN_REVIEW, P.TRIAL_PRODUCTION, "project.manage"),
        _t("finish_trial_production", P.TRIAL_PRODUCTION, P.COMPLETION_ACCEPTANCE, "project.manage"),
        _t("pass_completion_acceptance", P.COMPLETION_ACCEPTANCE, P.ACCEPTED, "project.manage"),
    )
)

C = CaseStage
_STAGE_ORDER = tuple(CaseStage)
ENFORCEMENT_CASE = Machine(
    tuple(
        _t(f"to_{target.value}", source, target, "enforcement.manage")
        for source, target in itertools.pairwise(_STAGE_ORDER)
    )
)


@dataclass(frozen=True)
class StageDeadline:
    """A legal time limit: counted from entering ``start``, ``until`` must be reached within ``days``.

    A ``waiting`` period is the party's (the hearing request): shown with its end, never overdue."""

    start: CaseStage
    until: CaseStage
    days: int
    basis: str
    waiting: bool = False


# 《中华人民共和国行政处罚法》(2021): art. 60 decision within 90 days of filing; art. 64 a hearing is
# asked for within 5 days of the notice; art. 61 a decision not handed over on the spot is served
# within 7 days; art. 67 the fine is paid within 15 days of service.
DEADLINES: tuple[StageDeadline, ...] = (
    StageDeadline(C.FILED, C.DECIDED, 90, "《行政处罚法》第六十条：立案之日起九十日内作出行政处罚决定"),
    StageDeadline(C.NOTIFIED, C.DECIDED, 5, "《行政处罚法》第六十四条：告知后五日内提出听证要求", waiting=True),
    StageDeadline(C.DECIDED, C.SERVED, 7, "《行政处罚法》第六十一条：七日内送达行政处罚决定书"),
    StageDeadline(C.SERVED, C.EXECUTED, 15, "《行政处罚法》第六十七条：收到决定书之日起十五日内缴纳罚款"),
)


def reached(current: CaseStage, stage: CaseStage) -> bool:
    """Whether a case at ``current`` has already passed through ``stage``."""
    return _STAGE_ORDER.index(current) >= _STAGE_ORDER.index(stage)
