"""``chempark scheduler``: the monitoring jobs in a loop — escalate unacknowledged alarms and
remind, raise offline alarms for silent points, prune old live events, readings and rollups."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

log = logging.getLogger("chempark.scheduler")


def prune(now: Any) -> None:
    """Retention (see ``monitoring.partitions``): raw readings ``CHEMPARK_RAW_RETENTION_DAYS`` (30),
    rollups ``CHEMPARK_ROLLUP_RETENTION_DAYS`` (1100, about 3 years), live events one hour; and the
    month partitions for the coming months."""
    from chempark.monitoring.models import LiveEvent
    from chempark.monitoring.partitions import apply_retention, ensure_partitions

    created = ensure_partitions(now)
    dropped = apply_retention(now)
    LiveEvent.objects.filter(created_at__lt=now - timedelta(hours=1)).delete()
    if created or dropped:
        log.info("partitions created %s, dropped %s", created, dropped)


class Command(BaseCommand):
    help = "Run the monitoring jobs every --interval seconds (escalations, offline points, retention)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between runs (default 10)")
        parser.add_argument("--once", action="store_true", help="run the jobs once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.core.actors import SYSTEM
        from chempark.monitoring.services import alarms_escalate, points_check_stale

        last_prune = 0.0
        while True:
            try:
                close_old_connections()
                now = timezone.now()
                notices = alarms_escalate(actor=SYSTEM, now=now)
                offline = points_check_stale(actor=SYSTEM, now=now)
                if time.monotonic() - last_prune > 3600 or options["once"]:
                    prune(now)
                    last_prune = time.monotonic()
                if notices or offline:
                    self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} notices {notices}, offline {offline}")
            except DatabaseError as exc:
                log.warning("database unavailable: %s", exc)
            if options["once"]:
                return
            time.sleep(options["interval"])
