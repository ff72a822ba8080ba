"""The point counts kept by the database's triggers (``point_counts``) always equal a recount from
the points themselves: after creation, readings (connected, online), the offline check, an
acknowledgement, disabling, moving, deletion (by the service and by a bulk delete), bulk inserts and
compaction; and an enterprise user's indicators count only its own points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
import time_machine

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring import point_counts, point_index
from chempark.monitoring.config_services import point_create, point_delete
from chempark.monitoring.indicators import indicators
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, Point, PointCountDelta, PointLatest, Transport
from chempark.monitoring.services import IncomingMessage, alarm_acknowledge, ingest_messages, points_check_stale
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

NOW = datetime(2028, 3, 1, 2, 0, tzinfo=UTC)


def kept() -> dict[int, point_counts.Counts]:
    """The kept counts, without the enterprises whose sums came back to zero."""
    return {e: c for e, c in point_counts.counts().items() if c != point_counts.Counts()}


def assert_agree() -> dict[int, point_counts.Counts]:
    counted = point_counts.recount()
    assert kept() == counted
    return counted


def push(point: Point, value: float, at: datetime) -> None:
    raw = orjson.dumps({"readings": [{"point": point.code, "ts": datetime_to_ms(at), "value": value}]})
    with time_machine.travel(at, tick=False):
        outcome = ingest_messages(
            actor=SYSTEM, messages=[IncomingMessage(raw, point.enterprise_id)], transport=Transport.DEMO
        )[0]
    assert outcome.accepted == 1


def test_the_counts_follow_every_change_of_points_and_latest_values(park: SmallPark) -> None:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        a1, a2, a3 = (point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, c)) for c in "XYZ")
        b1 = point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, "B1"))
    a, b = park.enterprise_a.pk, park.enterprise_b.pk
    counted = assert_agree()
    assert (counted[a].points, counted[a].connected, counted[b].points) == (3, 0, 1)

    # readings: connected once; one above its high limit raises an alarm
    push(a1, 5.0, NOW)
    push(a2, 9.5, NOW)
    push(b1, 5.0, NOW)
    assert assert_agree()[a].connected == 2
    # acknowledging changes the latest value's alarm state, not a count
    alarm = Alarm.objects.get(point=a2)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        alarm_acknowledge(actor=park.actor(Role.ENTERPRISE), alarm_id=alarm.pk, note="现场确认")
    assert_agree()

    # an hour without readings: the offline check takes points offline, a reading brings one back
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert points_check_stale(actor=SYSTEM) >= 3
    offline = assert_agree()
    assert offline[a].online < 3 and offline[b].online == 0
    push(b1, 5.0, NOW + timedelta(hours=1, minutes=1))
    assert assert_agree()[b].online == 1

    # disabled, moved to another enterprise, enabled again
    Point.objects.filter(pk=a3.pk).update(enabled=False)
    assert assert_agree()[a].points == 2
    Point.objects.filter(pk=a1.pk).update(enterprise=park.enterprise_b)
    assert assert_agree()[b].points == 2
    Point.objects.filter(pk=a3.pk).update(enabled=True)
    assert_agree()

    # deleted by the service (latest value first, then the point) and by a bulk delete; points
    # that never raised an alarm (the others may only be disabled)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        d1, d2 = (
            point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, c)) for c in ("D1", "D2")
        )
    push(d1, 5.0, NOW + timedelta(hours=2))
    assert assert_agree()[a].points == 4
    point_delete(actor=SYSTEM, pk=d1.pk)
    assert assert_agree()[a].points == 3
    Point.objects.filter(pk=d2.pk).delete()
    assert assert_agree()[a].points == 2

    # bulk inserts (imports, the scale benchmark) are counted too
    made = Point.objects.bulk_create(
        Point(
            **(
                point_values(park.enterprise_b, park.unit_b, f"K{i}")
                | {"enterprise": park.enterprise_b, "unit": park.unit_b}
            )
        )
        for i in range(5)
    )
    PointLatest.objects.bulk_create(
        PointLatest(point=p, ts_ms=1, state={}, online=i % 2 == 0) for i, p in enumerate(made)
    )
    assert assert_agree()[b].points == 7

    # compaction keeps the sums in one row per enterprise
    rows = PointCountDelta.objects.count()
    assert point_counts.compact() == rows
    assert PointCountDelta.objects.count() == len(kept())
    assert_agree()


def test_an_enterprise_user_counts_only_its_own_points(park: SmallPark) -> None:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        own = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "OWN"))
        for code in ("B1", "B2"):
            point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, code))
    point_index.invalidate()
    push(own, 5.0, NOW)
    with time_machine.travel(NOW, tick=False):
        mine = indicators(park.actor(Role.ENTERPRISE))
        bureau = indicators(SYSTEM)
    assert [row["name"] for row in mine["enterprises"]] == [park.enterprise_a.name]
    assert (mine["park"]["points"], mine["park"]["connected"]) == (1, 1)
    assert point_counts.counts([park.enterprise_a.pk]) == point_counts.recount([park.enterprise_a.pk])
    assert (bureau["park"]["points"], bureau["park"]["connected"]) == (3, 1)


def test_the_triggers_write_the_model_table() -> None:
    assert PointCountDelta._meta.db_table == point_counts.TABLE


def test_the_offline_check_folds_the_rows_when_they_pile_up(park: SmallPark, monkeypatch: pytest.MonkeyPatch) -> None:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        for code in ("P1", "P2", "P3"):
            point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, code))
    before = assert_agree()
    assert PointCountDelta.objects.count() > 1
    monkeypatch.setattr(point_counts, "COMPACT_AFTER", 0)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        points_check_stale(actor=SYSTEM)
    assert PointCountDelta.objects.count() == 1
    assert assert_agree()[park.enterprise_a.pk].points == before[park.enterprise_a.pk].points
