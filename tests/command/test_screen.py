"""The command centre on the small park: what the 大屏 shows when an alarm is raised, the enterprise
page's risk breakdown, and the daily history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
import time_machine
from django.test import Client

from chempark.command.models import RiskIndexDaily
from chempark.command.services import risk_history_record
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import point_create
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Point, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

NOW = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)  # 14:30 in the park, after the commitment deadline


def raise_alarm(point: Point, value: float = 9.5) -> None:
    message = IncomingMessage(
        orjson.dumps({"readings": [{"point": point.code, "ts": datetime_to_ms(NOW), "value": value}]}),
        point.enterprise_id,
    )
    ingest_messages(actor=SYSTEM, messages=[message], transport=Transport.DEMO)


@pytest.fixture
def level_a(park: SmallPark) -> Point:
    return point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))


def test_an_alarm_reaches_the_tiles_the_map_list_and_the_ranking(park: SmallPark, api: Any, level_a: Point) -> None:
    with time_machine.travel(NOW, tick=False):
        calm = api(Role.DISPATCHER).call("GET", "/command/screen").json()
        raise_alarm(level_a)
        alarmed = api(Role.DISPATCHER).call("GET", "/command/screen").json()

    def figures(screen: dict[str, Any], tile: str) -> dict[str, Any]:
        return {f["label"]: f["value"] for t in screen["tiles"] if t["name"] == tile for f in t["figures"]}

    names = [t["name"] for t in alarmed["tiles"]]
    assert names[:5] == ["enterprises", "hazards", "points", "alarms", "duties"]
    assert {"vehicles", "incidents"} <= set(names) and "supervision" not in names  # the duty officer's modules
    inspector = {t["name"] for t in api(Role.INSPECTOR).call("GET", "/command/screen").json()["tiles"]}
    assert "supervision" in inspector
    assert figures(calm, "alarms")["报警中"] == 0
    assert figures(alarmed, "alarms")["报警中"] == 1
    assert sum(v for k, v in figures(alarmed, "alarms").items() if k.startswith("未确认")) == 1
    assert figures(alarmed, "enterprises")["已接入监测"] == "1 / 90"
    assert figures(alarmed, "duties")["今日承诺未报"] == 2  # neither enterprise committed by 14:30
    [alarm] = alarmed["alarms"]
    assert alarm["enterprise"] == park.enterprise_a.name and alarm["unacked"] is True
    assert (alarm["lon"], alarm["lat"]) == (118.2, 39.2)
    before = {r["name"]: r["index"] for r in calm["ranking"]}
    after = {r["name"]: r["index"] for r in alarmed["ranking"]}
    assert after[park.enterprise_a.name] > before[park.enterprise_a.name]
    assert after[park.enterprise_b.name] == before[park.enterprise_b.name]
    assert sum(hour["count"] for hour in alarmed["trend"]) == 1 and len(alarmed["trend"]) == 24


def test_the_enterprise_page_shows_its_breakdown_and_history(park: SmallPark, level_a: Point) -> None:
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        assert risk_history_record(actor=SYSTEM) == 2
    with time_machine.travel(NOW, tick=False):
        raise_alarm(level_a)
        assert risk_history_record(actor=SYSTEM) == 2
        assert risk_history_record(actor=SYSTEM) == 2  # the day's row is replaced, not added
        client = Client()
        client.force_login(park.users[Role.ENTERPRISE])
        page = client.get(f"/registry/enterprise/{park.enterprise_a.pk}/").content.decode()
    assert RiskIndexDaily.objects.count() == 4
    rows = list(RiskIndexDaily.objects.filter(enterprise=park.enterprise_a).order_by("date"))
    assert rows[1].index > rows[0].index  # the alarm raised today's index
    assert "企业动态风险指数" in page and "未确认报警" in page and "近 30 日" in page
    assert f"{rows[1].index:.1f}" in page
