"""``chempark worker``: run queued jobs (QRA studies, workbook imports) until stopped.

SIGTERM or SIGINT stops it after the current job; a second one stops it at once and gives the job
back to the queue. A worker killed outright (SIGKILL, power loss) leaves its job "running" with a
heartbeat that goes stale; the next worker's reaper queues it again.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from chempark.core.jobs.worker import Worker, WorkerInterrupted


class Command(BaseCommand):
    help = "Run background jobs (QRA studies, workbook imports); --once runs the ready ones and exits"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the ready jobs, then exit (burst mode)")
        parser.add_argument("--name", default=None, help="worker name (default host:pid:random)")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=settings.JOB_HEARTBEAT_S,
            help="seconds between heartbeats (CHEMPARK_JOB_HEARTBEAT_S)",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=settings.JOB_STALE_S,
            help="a running job without heartbeat for this long is reaped (CHEMPARK_JOB_STALE_S)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stale_after"] < 2 * options["heartbeat"]:
            self.stderr.write("--stale-after must be at least twice --heartbeat")
            raise SystemExit(2)
        worker = Worker(
            options["name"],
            heartbeat_s=options["heartbeat"],
            stale_after_s=options["stale_after"],
            poll_s=options["poll"],
            reap_every_s=max(options["stale_after"] / 2, 1.0),
        )

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if worker.stop.is_set():
                raise WorkerInterrupted
            self.stderr.write("stopping after the current job (signal again to stop now)")
            worker.stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            if options["once"]:
                ran = worker.run_pending()
                self.stdout.write(f"{ran} job(s) run")
            else:
                worker.run_forever()
        except WorkerInterrupted:
            self.stderr.write("stopped; the current job went back to the queue")
