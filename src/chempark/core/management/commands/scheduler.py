"""``chempark scheduler``: run every registered periodic task (``core/periodic.py``) until stopped.

One process runs them all — monitoring's escalations, offline checks and retention, the vehicle
checks, the daily risk-index snapshot, the morning 督办 of overdue hidden dangers — so an
installation needs no timer per duty. Each run is recorded (``core/scheduler.py``); two schedulers
run nothing twice. SIGTERM or SIGINT stops it after the current task; a second one stops it at once
(the interrupted task's lease then lapses after its ``timeout_s`` and the task runs again). A lost
database is logged and retried.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from chempark.core import periodic
from chempark.core.models import RunOutcome
from chempark.core.scheduler import next_wakeup, run_round, runner_name

log = logging.getLogger("chempark.scheduler")


class Command(BaseCommand):
    help = "Run the platform's periodic tasks (escalations, vehicle checks, daily 督办 and risk snapshot …)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="longest pause between two rounds, in seconds (default 10); a task due earlier wakes it earlier",
        )
        parser.add_argument("--once", action="store_true", help="run the tasks that are due once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["interval"] > 0:
            self.stderr.write("--interval must be positive")
            raise SystemExit(2)
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if stop.is_set():
                raise KeyboardInterrupt
            self.stderr.write("stopping after the current task (signal again to stop now)")
            stop.set()

        if not options["once"]:
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        runner = runner_name()
        log.info("scheduler %s: %s", runner, ", ".join(task.name for task in periodic.tasks()))
        while not stop.is_set():
            pause = options["interval"]
            try:
                close_old_connections()
                for result in run_round(runner, stop):
                    if result.outcome == RunOutcome.FAILED:
                        self.stdout.write(f"{timezone.localtime():%H:%M:%S} {result.task} 失败：{result.error}")
                    elif result.summary:
                        self.stdout.write(f"{timezone.localtime():%H:%M:%S} {result.task} {result.summary}")
                now = timezone.now()
                wakeup = next_wakeup(now)
                if wakeup is not None:
                    pause = min(pause, max((wakeup - now).total_seconds(), 0.05))
            except DatabaseError as exc:
                log.warning("database unavailable: %s", exc)
            if options["once"]:
                return
            stop.wait(pause)
