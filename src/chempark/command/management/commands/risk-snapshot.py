# ruff: noqa: N999 — Django names a command after its file, and the command is `chempark risk-snapshot`
"""``chempark risk-snapshot``: record today's dynamic risk index of every operating enterprise by
hand. ``chempark scheduler`` does it daily at 23:50 (task ``command.risk-snapshot``); running it
again replaces the day's row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Record today's enterprise dynamic risk index (one row per enterprise and day)"

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.command.services import risk_history_record
        from chempark.core.actors import SYSTEM

        count = risk_history_record(actor=SYSTEM)
        self.stdout.write(f"recorded the risk index of {count} enterprises")
