"""The ``chempark`` console script: Django's manage.py for this project.

Project commands (``demo``, ``gb18218``, ``consequence``, ...) are management commands, so
``chempark --help`` lists them all in one place.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command with this project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    from django.core.management import execute_from_command_line

    from chempark.config import data_dir

    # The embedded database and uploads live here; create it on first use rather than fail.
    data_dir().mkdir(parents=True, exist_ok=True)

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
