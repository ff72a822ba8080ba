"""The module's periodic checks, run by ``chempark scheduler`` every 60 s (registered in ``apps.py``;
``chempark vehicles-check`` runs them once by hand): overstay alarms for vehicles inside longer than
the limit, and approved reservations whose day has passed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.vehicles.gates import visits_check_dwell
from chempark.vehicles.services import reservations_expire


@dataclass(frozen=True)
class CheckReport:
    overstaying: int
    expired: int


def run_checks(now: dt.datetime | None = None) -> CheckReport:
    now = now or timezone.now()
    return CheckReport(
        overstaying=visits_check_dwell(actor=SYSTEM, now=now),
        expired=reservations_expire(actor=SYSTEM, now=now),
    )


def run_periodic(now: dt.datetime) -> str:
    """The scheduler's task: the checks, summed up in a line (empty when nothing happened)."""
    report = run_checks(now)
    if report.overstaying or report.expired:
        return f"超时停留 {report.overstaying} 辆，预约过期 {report.expired} 个"
    return ""
