"""``chempark notify``: the escalation chain of unacknowledged alarms and the delivery of e-mail,
SMS and robot messages, in a loop (or ``--once``)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

log = logging.getLogger("chempark.notifications")


class Command(BaseCommand):
    help = "Escalate unacknowledged alarms to the officer and leader on duty, and deliver messages"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between runs (default 10)")
        parser.add_argument("--once", action="store_true", help="run once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.notifications.services import run_once

        while True:
            try:
                close_old_connections()
                steps, sent = run_once()
                if steps or sent:
                    self.stdout.write(f"escalation steps {steps}, deliveries attempted {sent}")
            except DatabaseError as exc:
                log.warning("database unavailable: %s", exc)
            if options["once"]:
                return
            time.sleep(options["interval"])
