"""Management commands that hand their arguments to a pure module's ``main``.

The pure cores (GB 18218, consequence models) have their own argument handling and exit codes
(2 for bad input), usable without Django; the ``chempark`` command only routes to them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand


class PassThroughCommand(BaseCommand):
    entry: Callable[[list[str]], int]

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is ["chempark", "<command>", ...]: everything after the command name is the tool's.
        sys.exit(type(self).entry(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        raise SystemExit(type(self).entry(list(args)))
