"""The module's scheduled checks: safety assessments coming due, overdue duty checks of responsible
persons, enterprises without today's commitment after the deadline, open level changes.

Each is a read through the selectors as the platform itself; ``run_daily`` gathers them and the
``chempark hazards-daily`` command prints them. It is not a periodic task of ``chempark scheduler``:
it changes nothing and sends nothing — the reminders of overdue duty checks and coming assessments
reach users through ``core.notices`` (``hazards.reminders``, sent by the notifier), and the page
待办与提醒 shows the same lists live — so running it on a schedule would only print into a log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.hazards import selectors
from chempark.hazards.models import LevelChange, MajorHazard
from chempark.hazards.selectors import OverdueCheck
from chempark.hazards.settings import commitment_deadline
from chempark.park.models import Enterprise


@dataclass(frozen=True)
class DailyReport:
    at: dt.datetime
    assessments_due: list[MajorHazard]
    overdue_checks: list[OverdueCheck]
    missing_commitments: list[Enterprise]
    open_level_changes: list[LevelChange]


def missing_commitments(now: dt.datetime) -> QuerySet[Enterprise] | list[Enterprise]:
    """Operating enterprises without today's commitment — empty before the deadline."""
    local = timezone.localtime(now)
    if local.time() <= commitment_deadline():
        return []
    return selectors.commitments_missing(SYSTEM, local.date())


def run_daily(now: dt.datetime | None = None) -> DailyReport:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return DailyReport(
        at=now,
        assessments_due=list(selectors.safety_assessments_due(SYSTEM, today)),
        overdue_checks=selectors.overdue_duty_checks(SYSTEM, today),
        missing_commitments=list(missing_commitments(now)),
        open_level_changes=list(selectors.level_changes(SYSTEM, open_only=True)),
    )
