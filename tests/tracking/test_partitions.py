"""On PostgreSQL positions are partitioned by month like monitoring's readings, and a fix sent
twice is one row whichever partition holds it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.partitions import is_partitioned, month_partitions
from chempark.tracking.models import Position
from chempark.tracking.partitions import ensure_position_partitions
from chempark.tracking.services import PositionIn, positions_store, terminal_register
from tests.tracking.conftest import ROAD_LAT, Fleet

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)


@pytest.mark.postgresql
@pytest.mark.django_db
def test_positions_land_in_their_month_and_are_stored_once(fleet: Fleet) -> None:
    assert is_partitioned("tracking_position")
    created = ensure_position_partitions(NOW)
    assert "tracking_position_p202605" in set(month_partitions("tracking_position")) | set(created)
    terminal_register("13900000001")
    fix = PositionIn("13900000001", datetime_to_ms(NOW), 118.19, ROAD_LAT, 30)
    positions_store([fix])
    positions_store([fix])  # a resend
    assert Position.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tracking_position")
        assert cursor.fetchone()[0] == "tracking_position_p202605"
