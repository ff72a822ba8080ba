"""The ingest path's shortcuts keep its results: the insert without ``RETURNING`` falls back when a
batch holds readings stored before (or twice), rollups of a batch are one upsert, and the point
index is rebuilt only when due."""

from __future__ import annotations

import time
from typing import Any

import orjson
import pytest

from chempark.core.roles import Role
from chempark.monitoring import alarm_model as am
from chempark.monitoring import point_index
from chempark.monitoring.ingest.worker import WORKER
from chempark.monitoring.models import Alarm, Point, PointLatest, Reading, Rollup, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.monitoring.conftest import Points


def body(*readings: tuple[str, Any, Any]) -> dict[str, Any]:
    return {"readings": [{"point": p, "ts": t, "value": v} for p, t, v in readings]}


def test_partly_redelivered_batch_stores_and_evaluates_only_the_new_readings(api: Any, points: Points) -> None:
    client = api(Role.MACHINE)
    t0 = int(time.time() * 1000) - 300_000
    t0 -= t0 % 60_000
    first = body(("LT-101", t0, 3.0), ("LT-101", t0 + 10_000, 5.0))
    assert client.call("POST", "/ingest/readings", first).json()["accepted"] == 2
    # old readings again (one with another value: the stored one wins) and new ones in the same
    # minute, one crossing HH
    again = body(
        ("LT-101", t0, 7.0), ("LT-101", t0 + 10_000, 5.0), ("LT-101", t0 + 20_000, 9.5), ("LT-101", t0 + 30_000, 4.0)
    )
    answer = client.call("POST", "/ingest/readings", again).json()
    assert (answer["accepted"], answer["duplicate"], answer["rejected"]) == (2, 2, []), "a resend is a duplicate"
    stored = dict(Reading.objects.filter(point=points.level_a).values_list("ts_ms", "value"))
    assert stored == {t0: 3.0, t0 + 10_000: 5.0, t0 + 20_000: 9.5, t0 + 30_000: 4.0}
    rollup = Rollup.objects.get(point=points.level_a, minute_ms=t0)
    assert (rollup.count, rollup.min_value, rollup.max_value, rollup.sum_value) == (4, 3.0, 9.5, 21.5)
    assert Alarm.objects.filter(point=points.level_a).count() == 1
    latest = PointLatest.objects.get(point=points.level_a)
    assert (latest.ts_ms, latest.value) == (t0 + 30_000, 4.0)


def test_same_message_twice_in_one_batch_is_stored_once(points: Points) -> None:
    t0 = int(time.time() * 1000) - 300_000
    t0 -= t0 % 60_000
    raw = orjson.dumps(body(("LT-101", t0, 9.5), ("LT-101", t0 + 10_000, 9.6)))
    message = IncomingMessage(raw, points.level_a.enterprise_id, "t")
    outcomes = ingest_messages(actor=WORKER, messages=[message, message], transport=Transport.MQTT)
    assert [(o.accepted, o.duplicates) for o in outcomes] == [(2, 0), (0, 2)]
    assert Reading.objects.filter(point=points.level_a).count() == 2
    assert Rollup.objects.get(point=points.level_a, minute_ms=t0).count == 2
    assert Alarm.objects.filter(point=points.level_a).count() == 1


def test_rollups_of_many_points_and_minutes_in_one_batch(api: Any, points: Points) -> None:
    client = api(Role.MACHINE)
    t0 = int(time.time() * 1000) - 600_000
    t0 -= t0 % 60_000
    readings = [(code, t0 + k * 15_000, float(k % 7)) for code in ("LT-101", "GD-301") for k in range(20)]
    assert client.call("POST", "/ingest/readings", body(*readings)).json()["accepted"] == 40
    rows = Rollup.objects.filter(point__in=[points.level_a, points.gas_a])
    assert rows.count() == 10
    assert sum(r.count for r in rows) == 40
    assert sum(r.sum_value for r in rows) == pytest.approx(2 * sum(float(k % 7) for k in range(20)))


def test_point_index_shares_equal_configs(points: Points) -> None:
    index = point_index.current()
    a, b = index.points[points.level_a.pk], index.points[points.level_b.pk]
    assert a.config is b.config  # same limits: one PointConfig
    assert a.config == point_index.config_of(points.level_a)
    assert index.points[points.gas_a.pk].config == point_index.config_of(points.gas_a)


def test_point_index_rebuilds_for_a_change_made_elsewhere_and_not_otherwise(
    points: Points, monkeypatch: pytest.MonkeyPatch, configure: Any
) -> None:
    configure(point_index_ttl_s=0)
    first = point_index.current()
    assert point_index.current() is first, "nothing changed: no rebuild"
    # another process edits a point (the web process, say): it saves through the model
    Point.objects.get(pk=points.level_a.pk).save()  # only updated_at moves
    monkeypatch.setattr(point_index, "_build_s", 60.0)  # as if a rebuild took a minute
    assert point_index.current() is first, "not due before three times the rebuild time"
    monkeypatch.setattr(point_index, "_build_s", 0.0)
    rebuilt = point_index.current()
    assert rebuilt is not first, "a change elsewhere is picked up once due"
    Point.objects.filter(pk=points.gas_a.pk).delete()
    monkeypatch.setattr(point_index, "_build_s", 0.0)
    assert point_index.current() is not rebuilt, "a deletion changes the signature too"
    again = point_index.current()
    monkeypatch.setattr(point_index, "MAX_AGE_S", 0.0)
    monkeypatch.setattr(point_index, "_build_s", 0.0)
    assert point_index.current() is not again, "rebuilt anyway once older than MAX_AGE_S (the backstop)"
    monkeypatch.setattr(point_index, "MAX_AGE_S", 300.0)
    again = point_index.current()
    monkeypatch.setattr(point_index, "_build_s", 60.0)
    point_index.invalidate()
    assert point_index.current() is not again, "a change in this process rebuilds at once"


def test_quiet_batch_keeps_the_state_evaluate_would_give(api: Any, points: Points) -> None:
    client = api(Role.MACHINE)
    t0 = int(time.time() * 1000) - 300_000
    assert (
        client.call("POST", "/ingest/readings", body(("LT-101", t0, 5.0), ("LT-101", t0 + 1000, 5.5))).json()[
            "accepted"
        ]
        == 2
    )
    before = PointLatest.objects.get(point=points.level_a)
    state = am.AlarmState.from_dict(before.state)
    assert state.detail.quiet and (state.last_ms, state.last_value) == (t0 + 1000, 5.5)
    assert before.state == state.to_dict() and before.online and not before.unacked
    # a later batch whose readings are all older than the last one: nothing moves
    assert client.call("POST", "/ingest/readings", body(("LT-101", t0 - 5000, 6.0))).json()["accepted"] == 1
    assert PointLatest.objects.get(point=points.level_a).state == before.state
    # a quiet batch with one reading outside the band takes the per-reading path and raises
    readings = body(("LT-101", t0 + 2000, 5.0), ("LT-101", t0 + 3000, 9.5), ("LT-101", t0 + 4000, 9.6))
    assert client.call("POST", "/ingest/readings", readings).json()["accepted"] == 3
    after = PointLatest.objects.get(point=points.level_a)
    assert (after.ts_ms, after.value, after.unacked) == (t0 + 4000, 9.6, True)
    assert Alarm.objects.filter(point=points.level_a, status="active_unack").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_errors_of_the_bound_statements_are_djangos_so_the_worker_retries_them() -> None:
    from django.db import DatabaseError, transaction

    from chempark.monitoring import storage

    with pytest.raises(DatabaseError), transaction.atomic():
        storage._execute_bound("SELECT 1 / %b", [0])
