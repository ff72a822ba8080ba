"""The audit trail's append-only guard (see ``chempark.core.append_only``), installed by migration 0003."""

from __future__ import annotations

from typing import Any

from chempark.core import append_only

TABLE = "accounts_auditevent"


def install(connection: Any) -> None:
    append_only.install(connection, TABLE)


def remove(connection: Any) -> None:
    append_only.remove(connection, TABLE)
