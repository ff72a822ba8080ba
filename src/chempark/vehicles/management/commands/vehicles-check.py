# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark vehicles-check``: the vehicle checks in a loop — overstay alarms, reservations expiring."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

log = logging.getLogger("chempark.vehicles")


class Command(BaseCommand):
    help = "Run the vehicle checks every --interval seconds (overstay alarms, expired reservations)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs (default 60)")
        parser.add_argument("--once", action="store_true", help="run the checks once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.vehicles.tasks import run_checks

        while True:
            try:
                close_old_connections()
                report = run_checks()
                if report.overstaying or report.expired:
                    self.stdout.write(
                        f"{timezone.localtime():%H:%M:%S} overstaying {report.overstaying}, expired {report.expired}"
                    )
            except DatabaseError as exc:
                log.warning("database unavailable: %s", exc)
            if options["once"]:
                return
            time.sleep(options["interval"])
