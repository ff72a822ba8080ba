"""The module's scheduled check, run daily at 07:00 by ``chempark scheduler`` (registered in
``apps.py``; ``chempark supervision-daily`` runs it by hand): escalate (督办) every
rectification overdue and not yet escalated, and remind once a day of those due within
``selectors.REMINDER_DAYS`` days and of the overdue ones, and lists the licences and certificates
reaching their 90- or 30-day expiry reminder. It acts as the platform through the
services, so each escalation and reminder is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.supervision import selectors, services
from chempark.supervision.models import HiddenDanger


@dataclass(frozen=True)
class DailyReport:
    on: dt.date
    escalated: list[HiddenDanger]
    reminded: list[HiddenDanger]
    expiring: list[selectors.Expiring]
    """Licences and certificates reaching their 90- or 30-day reminder today, or expired yesterday."""


def run_daily(today: dt.date | None = None) -> DailyReport:
    today = today or timezone.localdate()
    visible = selectors.dangers_visible(SYSTEM)
    escalated = []
    for danger in selectors.overdue_dangers(visible, today).filter(escalated_at__isnull=True).order_by("id"):
        escalated.append(services.danger_escalate(actor=SYSTEM, danger_id=danger.pk, note="逾期未整改，系统自动督办"))
    due = selectors.due_soon(visible, today) | selectors.overdue_dangers(visible, today)
    reminded = []
    for danger in due.exclude(reminded_on=today).order_by("deadline", "id"):
        services.danger_mark_reminded(actor=SYSTEM, danger_id=danger.pk, on=today)
        reminded.append(danger)
    expiring = [
        e
        for e in selectors.expiring(SYSTEM, today)
        if e.days_left in selectors.REMINDER_THRESHOLDS_DAYS or e.days_left == -1
    ]
    return DailyReport(today, escalated, reminded, expiring)


def run_periodic(now: dt.datetime) -> str:
    """The scheduler's task: the day's check, summed up in a line."""
    report = run_daily(timezone.localdate(now))
    return (
        f"督办 {len(report.escalated)} 项，整改提醒 {len(report.reminded)} 项，证照到期提醒 {len(report.expiring)} 项"
    )
