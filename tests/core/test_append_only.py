"""Every append-only table refuses UPDATE and DELETE at the database, whatever issues them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from chempark.core import append_only
from tests.conftest import SmallPark


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("table", append_only.TABLES)
def test_every_listed_table_is_guarded(db: None, table: str) -> None:
    assert {f"{table}_no_update", f"{table}_no_delete"} <= _triggers(table)


@pytest.mark.parametrize("table", ["accounts_auditevent", "hazards_unitassessment"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_rows_cannot_be_changed(park: SmallPark, table: str, statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        before = cursor.fetchone()[0]
    assert before > 0, "the small park writes audit rows and identification snapshots"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == before
