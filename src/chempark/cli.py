"""The ``chempark`` console script: Django's manage.py for this project.

Project commands (``demo``, ``gb18218``, ``consequence``, ...) are management commands, so
``chempark --help`` lists them all in one place.
"""

from __future__ import annotations

import os
import sys

from chempark import config


def main(argv: list[str] | None = None) -> None:
    """Run a management command with this project's settings."""
    args = argv if argv is not None else sys.argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    if args[1:2] == ["demo"]:
        # The demo is the one command that may run with the published key and passwords; it says so itself.
        os.environ.setdefault(config.variable("env"), config.Env.DEMO.value)
    try:
        settings = config.current()
    except config.ConfigError as exc:
        sys.stderr.write(f"chempark: {exc}\n")
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    # The embedded database and uploads live here; create it on first use rather than fail.
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
