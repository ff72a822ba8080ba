"""Notification settings read through ``chempark.config``."""

from __future__ import annotations

import datetime as dt

from chempark.config import ConfigError, current, variable


def escalation_delays() -> tuple[dt.timedelta, ...]:
    """``CHEMPARK_ESCALATION_MINUTES`` as delays after an alarm's escalation, one per step
    (officer on duty, leader on duty, bureau administrators), non-decreasing."""
    try:
        minutes = [int(text) for text in current().escalation_minutes]
    except ValueError as exc:
        raise ConfigError(f"{variable('escalation_minutes')}: whole minutes, e.g. 0,15,30") from exc
    if len(minutes) != 3 or minutes != sorted(minutes) or minutes[0] < 0:
        raise ConfigError(f"{variable('escalation_minutes')}: three non-decreasing minutes, e.g. 0,15,30")
    return tuple(dt.timedelta(minutes=m) for m in minutes)
