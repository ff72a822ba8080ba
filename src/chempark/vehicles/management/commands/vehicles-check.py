# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark vehicles-check``: the vehicle checks once, by hand — overstay alarms, reservations
expiring. ``chempark scheduler`` runs the same checks every 60 s (task ``vehicles.checks``), so
this command no longer loops; ``--once`` is still accepted from the days it did."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

log = logging.getLogger("chempark.vehicles")


class Command(BaseCommand):
    help = (
        "Run the vehicle checks once (overstay alarms, expired reservations); chempark scheduler runs them every 60 s"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="accepted for old scripts; the checks always run once")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.vehicles.tasks import run_checks

        try:
            close_old_connections()
            report = run_checks()
        except DatabaseError as exc:
            log.warning("database unavailable: %s", exc)
            raise SystemExit(1) from exc
        self.stdout.write(f"{timezone.localtime():%H:%M:%S} overstaying {report.overstaying}, expired {report.expired}")
