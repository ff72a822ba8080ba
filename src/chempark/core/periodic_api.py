"""REST endpoint of the periodic tasks: the same list as the page 定时任务, for monitoring scripts."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from chempark.core.api import actor_of
from chempark.core.periodic_status import periodic_tasks

router = Router(tags=["system"])


class PeriodicTaskOut(Schema):
    name: str
    label: str
    schedule: str
    last_started_at: dt.datetime | None
    last_finished_at: dt.datetime | None
    last_outcome: str
    last_summary: str
    last_failed_at: dt.datetime | None
    last_error: str
    failures_in_a_row: int
    late: bool
    late_reason: str


@router.get("/periodic-tasks", response=list[PeriodicTaskOut])
def list_periodic_tasks(request: HttpRequest) -> list[PeriodicTaskOut]:
    """Every registered periodic task with its schedule and last run; ``late`` marks a daily task
    without a successful run yesterday (or today past its time) and an interval task not started
    for three intervals."""
    return [
        PeriodicTaskOut(**{k: v for k, v in vars(row).items() if k != "last_outcome_label"})
        for row in periodic_tasks(actor_of(request))
    ]
