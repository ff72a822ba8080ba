"""What ``chempark demo`` loads and runs, contributed by each app in its ``AppConfig.ready``.

Loaders fill the database once (each must be idempotent); services run beside the web server for
as long as the demo runs (simulators, ingest workers). Keeping the lists here lets every module add
its part without the demo command knowing the modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: Callable[[], str]  # returns one line saying what it did


@dataclass(frozen=True)
class DemoService:
    name: str
    # Starts the service in the background (a thread or a process) and returns a function that stops it.
    start: Callable[[], Callable[[], None]]


_LOADERS: list[DemoLoader] = []
_SERVICES: list[DemoService] = []


def register_loader(name: str, order: int, load: Callable[[], str]) -> None:
    if all(existing.name != name for existing in _LOADERS):
        _LOADERS.append(DemoLoader(name, order, load))


def register_service(name: str, start: Callable[[], Callable[[], None]]) -> None:
    if all(existing.name != name for existing in _SERVICES):
        _SERVICES.append(DemoService(name, start))


def loaders() -> list[DemoLoader]:
    return sorted(_LOADERS, key=lambda loader: loader.order)


def services() -> list[DemoService]:
    return list(_SERVICES)


def command_process(*args: str) -> Callable[[], None]:
    """Start ``chempark <args>`` as a process beside the demo's web server, as production runs it — a
    service that crashes or hogs the interpreter cannot take the web server with it. Returns the
    function that stops it (SIGTERM, then SIGKILL after 30 s)."""
    command = [sys.executable, "-m", "chempark.cli", *args]  # the platform's own commands, named in its code
    process = subprocess.Popen(command, env=dict(os.environ))  # noqa: S603 - see the line above

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    return stop


def start_scheduler() -> Callable[[], None]:
    """Run ``chempark scheduler`` (every module's periodic tasks: escalations, offline points, vehicle
    checks, the daily 督办 and risk snapshot) as one process beside the demo's web server."""
    return command_process("scheduler")
