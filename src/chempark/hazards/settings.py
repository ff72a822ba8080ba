"""The module's settings, from the ``CHEMPARK_*`` settings object (see docs/hazards.md)."""

from __future__ import annotations

import datetime as dt

from chempark.config import current


def duty_check_interval_days(role: str) -> int:
    """包保责任人 duty checks: ``CHEMPARK_DUTY_CHECK_DAYS_PRINCIPAL`` / ``_TECHNICAL`` / ``_OPERATIONS``,
    by default quarterly, monthly and weekly (90 / 30 / 7 days)."""
    days: int = getattr(current(), f"duty_check_days_{role}")
    return days


def commitment_deadline() -> dt.time:
    """``CHEMPARK_COMMITMENT_DEADLINE`` (HH:MM, Asia/Shanghai), default 10:00."""
    return current().commitment_deadline


def assessment_reminder_days() -> int:
    """``CHEMPARK_ASSESSMENT_REMINDER_DAYS``: how long before the due date reminders start (default 90)."""
    return current().assessment_reminder_days
