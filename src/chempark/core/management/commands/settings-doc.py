# ruff: noqa: N999 — Django names a command after its file, and the command is `chempark settings-doc`
"""``chempark settings-doc``: print the table of every ``CHEMPARK_*`` setting (docs/operations.md holds it;
a test fails when the two differ)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chempark.config import markdown_table


class Command(BaseCommand):
    help = "Print the Markdown table of every CHEMPARK_* setting: type, default, allowed range, meaning"
    requires_system_checks: list[str] = []  # documentation works in any environment

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown_table(), ending="")
