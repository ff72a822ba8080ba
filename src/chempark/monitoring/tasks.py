"""The module's periodic tasks, run by ``chempark scheduler`` (registered in ``apps.py``): escalate
unacknowledged alarms and remind, raise offline alarms for silent points (every 10 s), and keep
the retention of readings, rollups and live events with the month partitions (hourly)."""

from __future__ import annotations

import datetime as dt
import logging

from chempark.core.actors import SYSTEM
from chempark.monitoring.models import LiveEvent
from chempark.monitoring.partitions import apply_retention, ensure_partitions
from chempark.monitoring.services import alarms_escalate, points_check_stale

log = logging.getLogger("chempark.scheduler")


def check_alarms(now: dt.datetime) -> str:
    """Escalations and reminders of unacknowledged alarms, then offline points."""
    notices = alarms_escalate(actor=SYSTEM, now=now)
    offline = points_check_stale(actor=SYSTEM, now=now)
    return f"升级与提醒 {notices} 条，离线点位 {offline} 个" if notices or offline else ""


def prune(now: dt.datetime) -> str:
    """Retention (see ``monitoring.partitions``): raw readings ``CHEMPARK_RAW_RETENTION_DAYS`` (30),
    rollups ``CHEMPARK_ROLLUP_RETENTION_DAYS`` (1100, about 3 years), live events one hour; and the
    month partitions for the coming months."""
    created = ensure_partitions(now)
    dropped = apply_retention(now)
    LiveEvent.objects.filter(created_at__lt=now - dt.timedelta(hours=1)).delete()
    if created or dropped:
        log.info("partitions created %s, dropped %s", created, dropped)
        return f"新建分区 {len(created)} 个，删除分区 {len(dropped)} 个"
    return ""
