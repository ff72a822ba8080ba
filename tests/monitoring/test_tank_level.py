"""A tank's page shows its live level: the latest reading of its level point with the time and unit,
how full the tank is, and a marker once the value is stale or the point offline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import time_machine

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import point_create
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import PointLatest, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from chempark.monitoring.tank_level import fill_fraction
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

NOW = dt.datetime(2026, 5, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_fill_fraction_reads_percent_and_length_against_the_range() -> None:
    assert fill_fraction(40.0, "%", 0.0, 100.0) == 0.4
    assert fill_fraction(6.5, "m", 0.0, 10.0) == 0.65
    assert fill_fraction(2.0, "m", 1.0, 5.0) == 0.25
    assert fill_fraction(12.0, "m", 0.0, 10.0) == 1.0, "an over-range reading is a full tank, not 120 %"
    assert fill_fraction(3.0, "m", 5.0, 5.0) is None


def page_of(client: Any, park: SmallPark) -> str:
    return str(client.get(f"/registry/tank/{park.tank_a.pk}/").content.decode())


def test_the_tank_page_shows_the_latest_level(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    assert "实时液位" not in page_of(client, park), "no level point, no panel"
    with time_machine.travel(NOW, tick=False):
        point = point_create(
            actor=SYSTEM,
            values=point_values(park.enterprise_a, park.unit_a, "LT-T1", tank=park.tank_a.pk, stale_timeout_s=300),
        )
        html = page_of(client, park)
        assert "实时液位" in html and "尚无读数" in html
        read_at = NOW - dt.timedelta(seconds=60)
        raw = orjson.dumps({"readings": [{"point": point.code, "ts": datetime_to_ms(read_at), "value": 6.5}]})
        ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, park.enterprise_a.pk)], transport=Transport.DEMO)
        html = page_of(client, park)
        assert "6.50 m" in html and "2026-05-06 09:59:00" in html
        assert 'data-testid="tank-level-percent">65%' in html
        assert "数据过时" not in html and "离线" not in html
        assert f'href="/monitoring/points/{point.pk}/"' in html

    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        html = page_of(client, park)
        assert "6.50 m" in html and "数据过时" in html, "older than the point's offline timeout"
        PointLatest.objects.filter(point=point).update(online=False)
        assert "离线" in page_of(client, park)

    client.force_login(park.users[Role.ENTERPRISE])
    assert "6.50 m" in page_of(client, park), "the enterprise sees its own tank's level"
