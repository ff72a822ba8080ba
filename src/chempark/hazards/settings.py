"""The module's settings, read from ``CHEMPARK_*`` environment variables (see docs/hazards.md)."""

from __future__ import annotations

import datetime as dt

from chempark.config import ConfigError, env_int, env_str

DUTY_CHECK_DEFAULT_DAYS = {"principal": 90, "technical": 30, "operations": 7}
"""包保责任人 duty checks: principal quarterly, technical monthly, operations weekly."""


def duty_check_interval_days(role: str) -> int:
    """``CHEMPARK_DUTY_CHECK_DAYS_PRINCIPAL`` / ``_TECHNICAL`` / ``_OPERATIONS``, default 90 / 30 / 7."""
    return env_int(f"DUTY_CHECK_DAYS_{role.upper()}", DUTY_CHECK_DEFAULT_DAYS[role], minimum=1)


def commitment_deadline() -> dt.time:
    """``CHEMPARK_COMMITMENT_DEADLINE`` (HH:MM, Asia/Shanghai), default 10:00."""
    raw = env_str("COMMITMENT_DEADLINE", "10:00")
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()  # noqa: DTZ007 — a time of day, not an instant
    except ValueError as exc:
        raise ConfigError(f"CHEMPARK_COMMITMENT_DEADLINE={raw!r} is not HH:MM") from exc


def assessment_reminder_days() -> int:
    """``CHEMPARK_ASSESSMENT_REMINDER_DAYS``: how long before the due date reminders start (default 90)."""
    return env_int("ASSESSMENT_REMINDER_DAYS", 90, minimum=0)
