"""``chempark notify``: the escalation chain of unacknowledged alarms, the alarms and reminders its
subscribers asked for, and the delivery of e-mail, SMS and robot messages, in a loop (or ``--once``).
The modules' reminders are gathered every ``CHEMPARK_REMINDER_EVERY_MINUTES`` (a round reads every
overdue check and licence; each reminder still reaches a recipient once a day)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

log = logging.getLogger("chempark.notifications")


class Command(BaseCommand):
    help = (
        "Escalate unacknowledged alarms to the officer and leader on duty, "
        "send the alarms and reminders users subscribed to, deliver messages"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between runs (default 10)")
        parser.add_argument("--once", action="store_true", help="run once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from chempark.config import current
        from chempark.notifications.services import run_once

        last_reminders: dt.datetime | None = None
        while True:
            try:
                close_old_connections()
                now = timezone.now()
                every = dt.timedelta(minutes=current().reminder_every_minutes)
                reminders = last_reminders is None or now - last_reminders >= every
                steps, sent = run_once(now, reminders=reminders)
                if reminders:
                    last_reminders = now
                if steps or sent:
                    self.stdout.write(f"escalation steps {steps}, deliveries attempted {sent}")
            except DatabaseError as exc:
                log.warning("database unavailable: %s", exc)
            if options["once"]:
                return
            time.sleep(options["interval"])
