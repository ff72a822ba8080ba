# Written by hand: on PostgreSQL the (still empty) position table becomes partitioned by month.

from typing import Any

from django.db import migrations


def _partition(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.utils import timezone

    from chempark.tracking.partitions import ensure_position_partitions

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE tracking_position RENAME TO tracking_position_plain")
        cursor.execute("CREATE TABLE tracking_position (LIKE tracking_position_plain INCLUDING DEFAULTS "
                       "INCLUDING CONSTRAINTS) PARTITION BY RANGE (ts_ms)")
        cursor.execute("DROP TABLE tracking_position_plain")
        cursor.execute("ALTER TABLE tracking_position ADD CONSTRAINT tracking_position_pkey PRIMARY KEY (terminal_id, ts_ms)")
        cursor.execute("CREATE TABLE tracking_position_default PARTITION OF tracking_position DEFAULT")
    ensure_position_partitions(timezone.now())


def _unpartition(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE tracking_position RENAME TO tracking_position_parted")
        cursor.execute("ALTER INDEX tracking_position_pkey RENAME TO tracking_position_parted_pkey")
        cursor.execute("CREATE TABLE tracking_position (LIKE tracking_position_parted INCLUDING DEFAULTS "
                       "INCLUDING CONSTRAINTS)")
        cursor.execute("ALTER TABLE tracking_position ADD CONSTRAINT tracking_position_pkey PRIMARY KEY (terminal_id, ts_ms)")
        cursor.execute("INSERT INTO tracking_position SELECT * FROM tracking_position_parted")
        cursor.execute("DROP TABLE tracking_position_parted")


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    operations = [migrations.RunPython(_partition, _unpartition)]
