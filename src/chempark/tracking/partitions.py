"""Positions are partitioned by month on PostgreSQL like monitoring's readings, with the same
machinery (``monitoring.partitions``): month tables ``tracking_position_pYYYYMM`` and a default one,
kept from the retention horizon to two months ahead, expired by dropping a month."""

from __future__ import annotations

from datetime import datetime

from chempark.monitoring.partitions import PartitionedTable, apply_retention, ensure_partitions

POSITIONS = PartitionedTable("tracking_position", "ts_ms", "position_retention_days")


def ensure_position_partitions(now: datetime) -> list[str]:
    return ensure_partitions(now, (POSITIONS,))


def expire_positions(now: datetime) -> list[str]:
    return apply_retention(now, (POSITIONS,))
