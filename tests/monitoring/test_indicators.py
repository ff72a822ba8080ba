"""Values of the monitoring indicators: the connection rate (points that ever sent a reading) and
today's online rate (5-minute slots with a reading since midnight in the park, or since the point
was registered), per enterprise and for the park."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import time_machine

from chempark.core.actors import SYSTEM
from chempark.monitoring.config_services import point_create
from chempark.monitoring.indicators import indicators
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Point, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

MIDNIGHT = datetime(2028, 2, 28, 16, 0, tzinfo=UTC)  # 00:00 on 29 February 2028 in the park (UTC+8)
NOW = MIDNIGHT + timedelta(minutes=18)  # four 5-minute slots of the day have begun


def push(point: Point, *minutes_after_midnight: float) -> None:
    """Readings of ``point`` at these moments (negative: the day before in the park)."""
    readings = [
        {"point": point.code, "ts": datetime_to_ms(MIDNIGHT + timedelta(minutes=m)), "value": 5.0}
        for m in minutes_after_midnight
    ]
    message = IncomingMessage(orjson.dumps({"readings": readings}), point.enterprise_id)
    with time_machine.travel(NOW, tick=False):
        outcome = ingest_messages(actor=SYSTEM, messages=[message], transport=Transport.DEMO)[0]
    assert outcome.accepted == len(readings)


def create_point(park: SmallPark, enterprise: Any, unit: Any, code: str, registered: datetime) -> Point:
    with time_machine.travel(registered, tick=False):
        return point_create(actor=SYSTEM, values=point_values(enterprise, unit, code))


def test_connection_and_online_rates_count_points_and_slots_of_the_park_day(park: SmallPark) -> None:
    yesterday = MIDNIGHT - timedelta(hours=2)
    steady = create_point(park, park.enterprise_a, park.unit_a, "LT-1", yesterday)
    patchy = create_point(park, park.enterprise_a, park.unit_a, "LT-2", yesterday)
    create_point(park, park.enterprise_b, park.unit_b, "LT-3", yesterday)  # never sends
    yesterday_only = create_point(park, park.enterprise_b, park.unit_b, "LT-4", yesterday)
    late = create_point(park, park.enterprise_b, park.unit_b, "LT-5", MIDNIGHT + timedelta(minutes=10))
    push(steady, -2, 1, 6, 7, 11, 16.5)  # every slot of the day (two in the second); the one before midnight
    push(patchy, 7)  # one slot of four
    push(yesterday_only, -30)  # connected, but nothing today
    push(late, 12)  # registered at 00:10: two slots expected, one in time

    with time_machine.travel(NOW, tick=False):
        result = indicators(SYSTEM)

    by_name = {row["name"]: row for row in result["enterprises"]}
    a, b, total = by_name[park.enterprise_a.name], by_name[park.enterprise_b.name], result["park"]
    assert result["day"] == "2028-02-29"
    assert (a["points"], a["connected"], a["connection_rate"]) == (2, 2, 1.0)
    assert a["online_rate_today"] == round((4 + 1) / (4 + 4), 4)
    assert (b["points"], b["connected"], b["connection_rate"]) == (3, 2, round(2 / 3, 4))
    assert b["online_rate_today"] == round((0 + 0 + 1) / (4 + 4 + 2), 4)
    assert (total["points"], total["connected"], total["connection_rate"]) == (5, 4, 0.8)
    assert total["online_rate_today"] == round(6 / 18, 4)


def test_rates_are_none_without_points_and_a_disabled_point_does_not_count(park: SmallPark) -> None:
    with time_machine.travel(NOW, tick=False):
        assert indicators(SYSTEM)["park"]["connection_rate"] is None
        assert indicators(SYSTEM)["park"]["online_rate_today"] is None
    point = create_point(park, park.enterprise_a, park.unit_a, "LT-1", MIDNIGHT - timedelta(hours=1))
    create_point(park, park.enterprise_a, park.unit_a, "LT-2", MIDNIGHT - timedelta(hours=1))
    Point.objects.filter(code="LT-2").update(enabled=False)
    push(point, 1)
    with time_machine.travel(NOW, tick=False):
        summary = indicators(SYSTEM)["park"]
    assert (summary["points"], summary["connection_rate"], summary["online_rate_today"]) == (1, 1.0, 0.25)
