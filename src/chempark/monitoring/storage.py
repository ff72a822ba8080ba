"""Bulk writes of the ingest path, in the SQL each database does fastest.

* Raw readings: ``INSERT … ON CONFLICT DO NOTHING``, so a redelivered reading is stored once and
  only the readings new to the database go on to the rollups and the alarm engine. On PostgreSQL a
  batch first goes by ``COPY`` straight into the table; only if that meets a reading stored before
  (a redelivery) is it undone to a savepoint and sent through a temporary table with
  ``INSERT … ON CONFLICT DO NOTHING RETURNING``. On SQLite as multi-row ``VALUES … RETURNING`` in chunks.
* Rollups and counters: ``INSERT … ON CONFLICT DO UPDATE`` adding to the stored row; the rollups
  of a batch are aggregated per (point, minute) in Python and, on PostgreSQL, sent as one array
  per column (``unnest``), bound on the server in binary.

Called only inside the ingest service's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import psycopg
from django.db import IntegrityError, connection

Row = tuple[int, int, float]  # (point_id, ts_ms, value)

_SQLITE_CHUNK = 300  # rows per statement: 3 parameters each, well below SQLite's variable limit


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def insert_readings(rows: Sequence[Row]) -> list[Row]:
    """Store readings; return those that were not stored already."""
    if not rows:
        return []
    if _is_postgres():
        return _insert_readings_pg(rows)
    inserted: list[Row] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _SQLITE_CHUNK):
            chunk = rows[start : start + _SQLITE_CHUNK]
            values = ",".join(["(%s,%s,%s)"] * len(chunk))
            params = [item for row in chunk for item in row]
            cursor.execute(
                f"INSERT INTO monitoring_reading (point_id, ts_ms, value) VALUES {values} "  # noqa: S608 - placeholders only
                "ON CONFLICT (point_id, ts_ms) DO NOTHING RETURNING point_id, ts_ms, value",
                params,
            )
            inserted.extend(cursor.fetchall())
    return inserted


def _copy_text(rows: Sequence[Row]) -> str:
    """Rows in ``COPY``'s text format, built in one go (``write_row`` per row costs more than the
    rest of the insert). Numbers only, so nothing needs escaping; ``repr`` of a float is exact and
    the parser has refused non-finite values."""
    return "".join([f"{p}\t{t}\t{v!r}\n" for p, t, v in rows])


def _insert_readings_pg(rows: Sequence[Row]) -> list[Row]:
    text = _copy_text(rows)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        # Optimistic first: ``COPY`` straight into the table, as fast as the table can take rows. A
        # batch holding a reading stored before (a redelivery) or twice fails on the primary key;
        # then undo to the savepoint and take the careful path.
        cursor.execute("SAVEPOINT reading_copy")
        try:  # psycopg's own errors, raised as Django's (the worker retries a DatabaseError)
            with (
                connection.wrap_database_errors,
                raw.copy("COPY monitoring_reading (point_id, ts_ms, value) FROM STDIN") as copy,
            ):
                copy.write(text)
        except IntegrityError as exc:
            if not isinstance(exc.__cause__, psycopg.errors.UniqueViolation):
                raise
            cursor.execute("ROLLBACK TO SAVEPOINT reading_copy")
        else:
            cursor.execute("RELEASE SAVEPOINT reading_copy")
            return list(rows)
        cursor.execute("RELEASE SAVEPOINT reading_copy")
        # The careful path: through a temporary table, inserting what is new and returning it.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS monitoring_reading_in "
            "(point_id integer, ts_ms bigint, value double precision) ON COMMIT DELETE ROWS"
        )
        with (
            connection.wrap_database_errors,
            raw.copy("COPY monitoring_reading_in (point_id, ts_ms, value) FROM STDIN") as copy,
        ):
            copy.write(text)
        cursor.execute(
            "INSERT INTO monitoring_reading (point_id, ts_ms, value) "
            "SELECT point_id, ts_ms, value FROM monitoring_reading_in "
            "ON CONFLICT (point_id, ts_ms) DO NOTHING RETURNING point_id, ts_ms, value"
        )
        inserted = [(int(p), int(t), float(v)) for p, t, v in cursor.fetchall()]
        cursor.execute("TRUNCATE monitoring_reading_in")
    return inserted


LatestRow = tuple[int, int | None, float | None, dict[str, Any], bool, bool]  # point, ts, value, state, online, unacked


def update_latest(rows: Sequence[LatestRow]) -> None:
    """Write the points' latest value and alarm state, one row per point (``PointLatest``).

    Django's ``bulk_update`` builds a ``CASE`` expression per field and row, which cost most of a
    batch's time; this sends one array per column and updates with one join on ``unnest`` on
    PostgreSQL, and one prepared ``UPDATE`` per row on SQLite."""
    if not rows:
        return
    items = [
        (p, t, None if v is None else float(v), orjson.dumps(state).decode(), online, unacked)
        for p, t, v, state, online, unacked in rows
    ]  # float(): psycopg refuses a list of ints and floats
    with connection.cursor() as cursor:
        if not _is_postgres():
            cursor.executemany(
                "UPDATE monitoring_pointlatest SET ts_ms = %s, value = %s, state = %s, online = %s, unacked = %s "
                "WHERE point_id = %s",
                [(t, v, state, online, unacked, p) for p, t, v, state, online, unacked in items],
            )
            return
        # One statement with one array per column: no temporary table to fill and truncate.
        _execute_bound(
            "UPDATE monitoring_pointlatest AS l SET ts_ms = i.ts_ms, value = i.value, state = i.state::jsonb, "
            "online = i.online, unacked = i.unacked FROM unnest(%b::integer[], %b::bigint[], %b::float8[], "
            "%b::text[], %b::boolean[], %b::boolean[]) AS i(point_id, ts_ms, value, state, online, unacked) "
            "WHERE l.point_id = i.point_id",
            [list(column) for column in zip(*items, strict=True)],
        )


def _execute_bound(query: str, params: list[Any]) -> None:
    """Run ``query`` with its parameters bound on the server in binary (``%b``), on a plain psycopg
    cursor over Django's connection (same transaction). Django's client-side binding would format
    every element of an array parameter in Python (text elements through a regular expression),
    which for a batch's arrays of a thousand elements cost more than the statement."""
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, params)  # errors as Django's classes: the worker retries a DatabaseError


def upsert_rollups(rows: Iterable[Row]) -> None:
    """Add new readings to their points' per-minute min/max/sum/count."""
    buckets: dict[tuple[int, int], list[float]] = {}
    for point_id, ts_ms, value in rows:
        key = (point_id, ts_ms - ts_ms % 60_000)
        bucket = buckets.get(key)
        if bucket is None:
            buckets[key] = [value, value, value, 1.0]
        else:
            bucket[0] = min(bucket[0], value)
            bucket[1] = max(bucket[1], value)
            bucket[2] += value
            bucket[3] += 1
    if not buckets:
        return
    least, greatest = ("LEAST", "GREATEST") if _is_postgres() else ("min", "max")
    table = "monitoring_rollup"
    items = [(p, m, float(b[0]), float(b[1]), float(b[2]), int(b[3])) for (p, m), b in buckets.items()]
    if _is_postgres():
        _upsert_rollups_pg(items)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(items), 150):
            chunk = items[start : start + 150]
            values = ",".join(["(%s,%s,%s,%s,%s,%s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (point_id, minute_ms, min_value, max_value, sum_value, count) "  # noqa: S608 - fixed names
                f"VALUES {values} ON CONFLICT (point_id, minute_ms) DO UPDATE SET "
                f"min_value = {least}({table}.min_value, excluded.min_value), "
                f"max_value = {greatest}({table}.max_value, excluded.max_value), "
                f"sum_value = {table}.sum_value + excluded.sum_value, count = {table}.count + excluded.count",
                [item for row in chunk for item in row],
            )


def _upsert_rollups_pg(items: list[tuple[int, int, float, float, float, int]]) -> None:
    """One upsert of the batch's buckets, sent as one array per column (sorted, so that concurrent
    batches lock rollup rows in the same order)."""
    items.sort()
    table = "monitoring_rollup"
    _execute_bound(
        f"INSERT INTO {table} (point_id, minute_ms, min_value, max_value, sum_value, count) "  # noqa: S608 - fixed names
        "SELECT * FROM unnest(%b::integer[], %b::bigint[], %b::float8[], %b::float8[], %b::float8[], "
        f"%b::integer[]) ON CONFLICT (point_id, minute_ms) DO UPDATE SET "
        f"min_value = LEAST({table}.min_value, excluded.min_value), "
        f"max_value = GREATEST({table}.max_value, excluded.max_value), "
        f"sum_value = {table}.sum_value + excluded.sum_value, count = {table}.count + excluded.count",
        [list(column) for column in zip(*items, strict=True)],
    )


def add_counters(rows: Iterable[tuple[Any, int, str, str, int]]) -> None:
    """Add to the ingest counters: rows of (day, enterprise_id, transport, name, count)."""
    items = list(rows)
    if not items:
        return
    values = ",".join(["(%s,%s,%s,%s,%s)"] * len(items))
    table = "monitoring_ingestcounter"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, enterprise_id, transport, name, count) VALUES {values} "  # noqa: S608 - fixed names
            f"ON CONFLICT (day, enterprise_id, transport, name) DO UPDATE SET count = {table}.count + excluded.count",
            [item for row in items for item in row],
        )
