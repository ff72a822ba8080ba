"""Due dates of emergency plans and drills (生产安全事故应急预案管理办法, 令第2号 as amended).

* Filing (art. 26): within 20 working days of publication → 未备案 until then, 逾期 after, 已备案 once filed.
* Evaluation (art. 35): hazardous-chemicals units evaluate their plans every 3 years, counted from
  the last evaluation or, before the first, from publication.
* Drills (art. 33): each enterprise drills a comprehensive or a specific plan at least once a year,
  and each on-site procedure (现场处置方案) at least every half-year. A requirement is counted from the
  last drill that meets it or, before the first, from the publication of the plan that creates it.

Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chempark.plans.workdays import WorkCalendar, add_months, add_working_days, add_years

FILING_WORKING_DAYS = 20
EVALUATION_YEARS = 3
PLAN_DRILL_MONTHS = 12
ON_SITE_DRILL_MONTHS = 6


class PlanKind(StrEnum):
    COMPREHENSIVE = "comprehensive"
    SPECIFIC = "specific"
    ON_SITE = "on_site"


class FilingStatus(StrEnum):
    NOT_PUBLISHED = "not_published"
    PENDING = "pending"
    FILED = "filed"
    OVERDUE = "overdue"


def filing_due(published_on: dt.date, calendar: WorkCalendar) -> dt.date:
    return add_working_days(published_on, FILING_WORKING_DAYS, calendar)


def filing_status(
    published_on: dt.date | None, filed_on: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> FilingStatus:
    """Filed is filed, even late (the lateness shows in the dates); unfiled past the due day is overdue."""
    if published_on is None:
        return FilingStatus.NOT_PUBLISHED
    if filed_on is not None:
        return FilingStatus.FILED
    return FilingStatus.OVERDUE if today > filing_due(published_on, calendar) else FilingStatus.PENDING


def evaluation_due(published_on: dt.date | None, evaluated_on: dt.date | None) -> dt.date | None:
    start = evaluated_on or published_on
    return add_years(start, EVALUATION_YEARS) if start is not None else None


@dataclass(frozen=True)
class PlanFacts:
    id: int
    kind: PlanKind
    published_on: dt.date | None


@dataclass(frozen=True)
class DrillFacts:
    kind: PlanKind
    plan_id: int | None
    done_on: dt.date


@dataclass(frozen=True)
class Obligation:
    """One drill requirement of one enterprise: ``plan_id`` is the on-site plan it is for, or None for
    the yearly comprehensive-or-specific drill."""

    plan_id: int | None
    last_drill: dt.date | None
    due: dt.date
    overdue: bool


def _latest(days: Iterable[dt.date]) -> dt.date | None:
    return max(days, default=None)


def drill_obligations(plans: Sequence[PlanFacts], drills: Sequence[DrillFacts], today: dt.date) -> list[Obligation]:
    """The drill requirements one enterprise's published plans create, with their next due date.

    A drill done on the due day itself is in time; the day after the due day the requirement is overdue."""
    obligations: list[Obligation] = []
    yearly_plans = [p for p in plans if p.kind is not PlanKind.ON_SITE and p.published_on is not None]
    if yearly_plans:
        last = _latest(d.done_on for d in drills if d.kind is not PlanKind.ON_SITE and d.done_on <= today)
        start = last or min(p.published_on for p in yearly_plans if p.published_on is not None)
        due = add_months(start, PLAN_DRILL_MONTHS)
        obligations.append(Obligation(None, last, due, today > due))
    for plan in plans:
        if plan.kind is not PlanKind.ON_SITE or plan.published_on is None:
            continue
        last = _latest(d.done_on for d in drills if d.plan_id == plan.id and d.done_on <= today)
        due = add_months(last or plan.published_on, ON_SITE_DRILL_MONTHS)
        obligations.append(Obligation(plan.id, last, due, today > due))
    return obligations
