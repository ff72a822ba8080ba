"""The demo's monitoring figures agree with each other whether or not its simulator runs: a demo copy
as the browser tests load it (no ``chempark simulate`` beside it) shows online only the points that
have reported, and after the simulator's first step every point is online and connected."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice

import pytest
import time_machine

from chempark.command.selectors import enterprises_visible
from chempark.command.tiles import enterprises_tile, points_tile
from chempark.core.actors import SYSTEM, Actor
from chempark.core.roles import Role
from chempark.monitoring.demo import load_demo_monitoring, simulated_messages
from chempark.monitoring.models import Point, PointLatest, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from chempark.park.demo import load_demo_park

NOW = datetime(2027, 6, 3, 2, 0, tzinfo=UTC)  # 10:00 in the park
DUTY_OFFICER = Actor(user_id=None, username="duty", role=Role.DISPATCHER)


@pytest.fixture
def demo(db: None) -> None:
    with time_machine.travel(NOW, tick=False):
        load_demo_park()
        load_demo_monitoring()


def _overview() -> dict[str, str]:
    with time_machine.travel(NOW, tick=False):
        tiles = points_tile(DUTY_OFFICER, NOW) + enterprises_tile(DUTY_OFFICER, NOW)
    return {figure["label"]: str(figure["value"]) for figure in tiles}


def test_before_any_reading_only_the_points_that_reported_are_online(demo: None) -> None:
    points = Point.objects.filter(enabled=True).count()
    assert points > 1000
    latest = PointLatest.objects.filter(point__enabled=True)
    reported = latest.filter(ts_ms__isnull=False)
    # the two practice alarms' points (the first enterprise's) are the only ones that have reported
    assert reported.count() == 2 and reported.values("point__enterprise").distinct().count() == 1
    assert set(latest.filter(online=True).values_list("pk", flat=True)) == set(reported.values_list("pk", flat=True))
    overview = _overview()
    assert overview["监测点位"] == str(points)
    assert overview["在线"] == "2"
    assert overview["离线"] == str(points - 2)
    assert overview["接入率"] == f"{100 * 2 / points:.1f}"
    assert overview["已接入监测"] == "1 / 90"


def test_after_the_simulators_first_step_every_point_is_online_and_connected(demo: None) -> None:
    with time_machine.travel(NOW, tick=False):
        for _moment, messages in islice(simulated_messages(NOW, 5.0, seed=7), 1):
            ingest_messages(
                actor=SYSTEM,
                messages=[IncomingMessage(raw, enterprise) for enterprise, raw in messages.items()],
                transport=Transport.DEMO,
            )
    points = Point.objects.filter(enabled=True)
    operating = enterprises_visible(DUTY_OFFICER).values("id")
    connected = points.filter(enterprise_id__in=operating).values("enterprise_id").distinct().count()
    overview = _overview()
    assert overview["监测点位"] == overview["在线"] == str(points.count())
    assert overview["离线"] == "0"
    assert overview["接入率"] == "100.0"
    assert overview["已接入监测"] == f"{connected} / 90"
