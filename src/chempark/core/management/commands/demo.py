"""``chempark demo``: migrate, load the demo data of every module once, and serve it with the
modules' background services (simulators, ingest) running beside the web server."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from chempark import config
from chempark.core import demo


class Command(BaseCommand):
    help = "Migrate, load the demo park (idempotent) and serve it at http://HOST:PORT"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if config.current().env is config.Env.PRODUCTION:
            self.stderr.write(
                "chempark demo creates accounts with a published password; it does not run with "
                f"{config.variable('env')}=production."
            )
            raise SystemExit(2)
        port: int = options["port"]
        if not 1 <= port <= 65535:
            self.stderr.write(f"--port must be between 1 and 65535, got {port}")
            raise SystemExit(2)
        call_command("migrate", interactive=False, verbosity=0)
        for loader in demo.loaders():
            with transaction.atomic():
                self.stdout.write(loader.load())
        if options["no_serve"]:
            return
        import uvicorn

        # Static files come from the app directories (WhiteNoise finders); an empty STATIC_ROOT keeps
        # WhiteNoise from warning that the collected-files directory is missing.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        stoppers = [service.start() for service in demo.services()]
        self.stdout.write(f"正在服务 http://{options['host']}:{port}/ （Ctrl+C 停止）")
        # uvicorn stops on SIGTERM and then raises the signal again with the handler it found: with
        # Python's default one the process ended there, before the services below were stopped, and
        # left them running without their demo.
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            uvicorn.run("chempark.asgi:application", host=options["host"], port=port, log_level="warning")
        finally:
            for stop in reversed(stoppers):
                stop()
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
