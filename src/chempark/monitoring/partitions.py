"""Retention of raw readings and rollups; on PostgreSQL by monthly partitions.

On PostgreSQL ``monitoring_reading`` (by ``ts_ms``) and ``monitoring_rollup`` (by ``minute_ms``)
are range-partitioned by calendar month (UTC), one table per month named ``<table>_pYYYYMM``, plus
a default partition ``<table>_default`` for rows no month table covers. Expiring a month is then a
``DROP TABLE`` of its partition — no dead tuples, no vacuum, no long ``DELETE`` holding back the
ingest — instead of deleting hundreds of millions of rows.

Correctness never depends on the partitions being there: a row whose month has no table lands in
the default partition. ``ensure_partitions`` (run by the migration, the scheduler every hour and
the ingest worker at start) keeps month tables from the retention horizon to two months ahead, so
the default partition normally holds only stragglers older than the horizon, which retention
deletes. If the default partition does hold rows of a month being created (the scheduler was down
for months), they are moved into the new table in the same transaction.

On SQLite retention is a plain ``DELETE``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from chempark.config import current
from chempark.monitoring.ingest.payload import datetime_to_ms

log = logging.getLogger("chempark.partitions")

MONTHS_AHEAD = 2
#: How long partition DDL waits for its lock on the parent table. The DDL needs an exclusive lock;
#: waiting behind a long query (a year's trend, an export) would queue every ingest batch behind it,
#: so it gives up instead and the hourly job tries again.
LOCK_TIMEOUT_MS = 1000


@dataclass(frozen=True)
class PartitionedTable:
    name: str
    key: str  # the epoch-milliseconds column the table is partitioned by
    retention_setting: str  # the settings field of its days kept (floor: raw ≥ 30 days, rollups ≥ 3 years)

    def retention_days(self) -> int:
        days: int = getattr(current(), self.retention_setting)
        return days


READINGS = PartitionedTable("monitoring_reading", "ts_ms", "raw_retention_days")
ROLLUPS = PartitionedTable("monitoring_rollup", "minute_ms", "rollup_retention_days")
TABLES = (READINGS, ROLLUPS)


# --- calendar months in epoch milliseconds (pure) ----------------------------------------------


def month_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def partition_name(table: str, start: datetime) -> str:
    return f"{table}_p{start:%Y%m}"


def months_between(first: datetime, last: datetime) -> list[datetime]:
    """Month starts from the month of ``first`` to the month of ``last``, both included."""
    months, current, end = [], month_start(first), month_start(last)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


# --- PostgreSQL --------------------------------------------------------------------------------


def is_partitioned(table: str) -> bool:
    """Whether ``table`` is a partitioned table here (PostgreSQL after the migration)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def month_partitions(table: str) -> dict[str, datetime]:
    """The month tables attached to ``table``: name → month start."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    prefix = f"{table}_p"
    months = {}
    for name in names:
        suffix = name[len(prefix) :]
        if name.startswith(prefix) and len(suffix) == 6 and suffix.isdigit():
            months[name] = datetime(int(suffix[:4]), int(suffix[4:]), 1, tzinfo=UTC)
    return months


def _limit_lock_wait(cursor: Any) -> None:
    cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")


def create_month(table: PartitionedTable, start: datetime) -> None:
    """Create the month table for ``start``, moving in rows the default partition holds for it."""
    name = partition_name(table.name, start)
    low, high = datetime_to_ms(start), datetime_to_ms(next_month(start))
    default = f"{table.name}_default"
    with transaction.atomic(), connection.cursor() as cursor:
        _limit_lock_wait(cursor)
        cursor.execute(
            f"SELECT 1 FROM {default} WHERE {table.key} >= %s AND {table.key} < %s LIMIT 1",  # noqa: S608 - fixed names
            [low, high],
        )
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {table.name} FOR VALUES FROM ({low}) TO ({high})")
            return
        # A plain CREATE … PARTITION OF would fail: the default partition holds rows of this month.
        cursor.execute(f"ALTER TABLE {table.name} DETACH PARTITION {default}")
        cursor.execute(f"CREATE TABLE {name} PARTITION OF {table.name} FOR VALUES FROM ({low}) TO ({high})")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {default} WHERE {table.key} >= %s AND {table.key} < %s RETURNING *) "  # noqa: S608 - fixed names
            f"INSERT INTO {name} SELECT * FROM moved",
            [low, high],
        )
        cursor.execute(f"ALTER TABLE {table.name} ATTACH PARTITION {default} DEFAULT")
        log.info("moved rows of %s from %s into %s", f"{start:%Y-%m}", default, name)


def ensure_partitions(now: datetime, tables: tuple[PartitionedTable, ...] = TABLES) -> list[str]:
    """Create the missing month tables from the retention horizon to ``MONTHS_AHEAD`` months ahead;
    return their names. Does nothing where the tables are not partitioned (SQLite). Other modules
    with a partitioned table of their own pass it as ``tables``."""
    created = []
    for table in tables:
        if not is_partitioned(table.name):
            continue
        existing = set(month_partitions(table.name).values())
        horizon = now - timedelta(days=table.retention_days())
        ahead = now
        for _ in range(MONTHS_AHEAD):
            ahead = next_month(month_start(ahead))
        for start in months_between(horizon, ahead):
            if start not in existing:
                create_month(table, start)
                created.append(partition_name(table.name, start))
    return created


def drop_expired(table: PartitionedTable, now: datetime) -> list[str]:
    """Drop the month tables that end before the retention horizon, and delete older stragglers
    from the default partition; return the dropped tables' names."""
    cutoff = datetime_to_ms(now - timedelta(days=table.retention_days()))
    dropped = []
    for name, start in sorted(month_partitions(table.name).items()):
        if datetime_to_ms(next_month(start)) <= cutoff:
            # one short transaction per table: the exclusive lock on the parent is held for one DROP
            with transaction.atomic(), connection.cursor() as cursor:
                _limit_lock_wait(cursor)
                cursor.execute(f"DROP TABLE {name}")
            dropped.append(name)
    with transaction.atomic(), connection.cursor() as cursor:  # a plain DELETE: no lock on the parent
        cursor.execute(f"DELETE FROM {table.name}_default WHERE {table.key} < %s", [cutoff])  # noqa: S608 - fixed names
    return dropped


def apply_retention(now: datetime, tables: tuple[PartitionedTable, ...] = TABLES) -> list[str]:
    """Remove readings and rollups (or ``tables``) older than their retention; on PostgreSQL by
    dropping whole months (so between the retention and one month more is kept), elsewhere by ``DELETE``."""
    dropped: list[str] = []
    for table in tables:
        if is_partitioned(table.name):
            dropped += drop_expired(table, now)
            continue
        cutoff = datetime_to_ms(now - timedelta(days=table.retention_days()))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table.name} WHERE {table.key} < %s", [cutoff])  # noqa: S608 - fixed names
    return dropped
