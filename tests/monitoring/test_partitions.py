"""Retention of readings and rollups, and on PostgreSQL the monthly partitions behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from chempark.monitoring import partitions
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Reading, Rollup

# Years before the test database is made: the migration creates the month tables around the real date,
# and none of them may stand in for (or hide) a month table these tests expect ensure_partitions to make.
NOW = datetime(2020, 11, 28, 15, 0, tzinfo=UTC)


def month_table(year: int, month: int, table: str = "monitoring_reading") -> str:
    return f"{table}_p{year:04d}{month:02d}"


def test_month_arithmetic_crosses_the_year() -> None:
    months = partitions.months_between(datetime(2026, 11, 30, 23, 59, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    assert [f"{m:%Y-%m}" for m in months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert partitions.next_month(datetime(2026, 12, 1, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert partitions.partition_name("monitoring_reading", months[2]) == "monitoring_reading_p202701"


def _store(*rows: tuple[int, datetime, float]) -> None:
    Reading.objects.bulk_create([Reading(point_id=p, ts_ms=datetime_to_ms(t), value=v) for p, t, v in rows])


def _stored_days_ago() -> set[int]:
    return {round((datetime_to_ms(NOW) - ts) / 86_400_000) for ts in Reading.objects.values_list("ts_ms", flat=True)}


@pytest.mark.django_db
def test_retention_keeps_at_least_the_configured_days(configure: Any) -> None:
    configure(raw_retention_days=30)
    partitions.ensure_partitions(NOW - timedelta(days=120))  # months back then, as a long-running park has
    partitions.ensure_partitions(NOW)
    _store(*[(1, NOW - timedelta(days=days), 1.0) for days in (0, 10, 29, 31, 70, 100, 400)])
    Rollup.objects.bulk_create(
        [
            Rollup(
                point_id=1,
                minute_ms=datetime_to_ms(NOW - timedelta(days=days)),
                min_value=1,
                max_value=1,
                sum_value=1,
                count=1,
            )
            for days in (10, 400, 1200)
        ]
    )
    partitions.apply_retention(NOW)
    kept = _stored_days_ago()
    assert {0, 10, 29} <= kept  # nothing younger than the retention goes
    assert not kept & {70, 100, 400}  # whole expired months (and the default partition's stragglers) go
    rollup_days = {
        round((datetime_to_ms(NOW) - m) / 86_400_000) for m in Rollup.objects.values_list("minute_ms", flat=True)
    }
    assert rollup_days == {10, 400}  # rollups are kept about three years


def test_retention_below_the_floor_is_refused(configure: Any) -> None:
    from chempark.config import ConfigError, load

    with pytest.raises(ConfigError, match="CHEMPARK_RAW_RETENTION_DAYS=7 is below the minimum 30"):
        load({"CHEMPARK_RAW_RETENTION_DAYS": "7"})
    with pytest.raises(ConfigError, match="CHEMPARK_ROLLUP_RETENTION_DAYS=1000 is below the minimum 1096"):
        configure(rollup_retention_days=1000)
    configure(raw_retention_days=45)
    assert partitions.READINGS.retention_days() == 45


def _partition_of(ts_ms: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM monitoring_reading WHERE ts_ms = %s", [ts_ms])
        return str(cursor.fetchone()[0])


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgres_tables_are_partitioned_by_month() -> None:
    assert partitions.is_partitioned("monitoring_reading")
    assert partitions.is_partitioned("monitoring_rollup")
    partitions.ensure_partitions(NOW)
    months = set(partitions.month_partitions("monitoring_reading"))
    assert {month_table(2020, 10), month_table(2020, 11), month_table(2021, 1)} <= months
    _store((1, NOW, 1.0), (1, datetime(2001, 1, 1, tzinfo=UTC), 2.0))
    assert _partition_of(datetime_to_ms(NOW)) == month_table(2020, 11)
    assert _partition_of(datetime_to_ms(datetime(2001, 1, 1, tzinfo=UTC))) == "monitoring_reading_default"


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_month_created_late_takes_its_rows_from_the_default_partition() -> None:
    partitions.ensure_partitions(NOW)
    later = NOW + timedelta(days=150)  # April 2021: no table yet, rows land in the default partition
    _store((1, later, 1.0), (2, later + timedelta(minutes=1), 2.0))
    assert _partition_of(datetime_to_ms(later)) == "monitoring_reading_default"
    created = partitions.ensure_partitions(later)
    assert month_table(2021, 4) in created
    assert _partition_of(datetime_to_ms(later)) == month_table(2021, 4)
    assert Reading.objects.count() == 2  # moved, not lost or doubled


@pytest.mark.postgresql
@pytest.mark.django_db
def test_expired_months_are_dropped_as_tables(configure: Any) -> None:
    configure(raw_retention_days=30)
    partitions.ensure_partitions(NOW - timedelta(days=120))  # months back then, as a long-running park has
    partitions.ensure_partitions(NOW)  # and the months around NOW, whatever the real date the database was made on
    dropped = partitions.apply_retention(NOW)
    assert month_table(2020, 8) in dropped
    assert month_table(2020, 10) not in dropped  # October ends after 29 October, the horizon
    remaining = set(partitions.month_partitions("monitoring_reading"))
    assert month_table(2020, 8) not in remaining
    assert month_table(2020, 10) in remaining


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_partition_ddl_gives_up_instead_of_queueing_the_ingest_behind_a_long_query(
    monkeypatch: pytest.MonkeyPatch, configure: Any
) -> None:
    import time

    import psycopg
    from django.db import DatabaseError

    configure(raw_retention_days=30)
    monkeypatch.setattr(partitions, "LOCK_TIMEOUT_MS", 200)
    partitions.ensure_partitions(NOW - timedelta(days=120))
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params) as reader:  # a long query holds its lock on the readings table
        reader.execute("SELECT count(*) FROM monitoring_reading")
        started = time.monotonic()
        with pytest.raises(DatabaseError):
            partitions.apply_retention(NOW)
        assert time.monotonic() - started < 2.0
        assert month_table(2020, 8) in partitions.month_partitions("monitoring_reading"), "nothing dropped"
        reader.rollback()
    assert month_table(2020, 8) in partitions.apply_retention(NOW)  # the next run does it
