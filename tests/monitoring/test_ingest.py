"""The ingest service and its HTTP endpoint: storage unique on (point, ts), rollups, alarm
evaluation with persisted state, counters, and bad input rejected with a reason and dead-lettered."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import orjson
import pytest
from django.utils import timezone

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring import alarm_model as am
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import (
    Alarm,
    DeadLetter,
    EnterpriseWarning,
    IngestCounter,
    LiveEvent,
    PointLatest,
    Reading,
    Rollup,
)
from chempark.monitoring.services import alarms_escalate, points_check_stale
from tests.conftest import ApiClient
from tests.monitoring.conftest import Points


def now_ms() -> int:
    return int(time.time() * 1000)


def body(*readings: tuple[str, Any, Any]) -> dict[str, Any]:
    return {"readings": [{"point": p, "ts": t, "value": v} for p, t, v in readings]}


def counters(name: str) -> int:
    return sum(IngestCounter.objects.filter(name=name).values_list("count", flat=True))


def test_readings_are_stored_once_with_latest_value_and_rollup(api: Any, points: Points) -> None:
    client = api(Role.MACHINE)
    t0 = now_ms() - 120_000
    t0 -= t0 % 60_000
    payload = body(("LT-101", t0, 3.0), ("LT-101", t0 + 10_000, 5.0), ("GD-301", t0, 1.5))
    response = client.call("POST", "/ingest/readings", payload)
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "duplicate": 0, "rejected": [], "error": None}
    # the same message again (a redelivery): stored once, rollup not counted twice, reported as duplicates
    assert client.call("POST", "/ingest/readings", payload).json() == {
        "accepted": 0,
        "duplicate": 3,
        "rejected": [],
        "error": None,
    }
    assert Reading.objects.filter(point=points.level_a).count() == 2
    rollup = Rollup.objects.get(point=points.level_a, minute_ms=t0)
    assert (rollup.min_value, rollup.max_value, rollup.count, rollup.mean_value) == (3.0, 5.0, 2, 4.0)
    latest = PointLatest.objects.get(point=points.level_a)
    assert (latest.ts_ms, latest.value, latest.online) == (t0 + 10_000, 5.0, True)
    assert counters("accepted") == 3 and counters("duplicate") == 3 and counters("messages") == 2
    assert not Reading.objects.filter(point=points.level_b).exists(), "same code, other enterprise untouched"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        (b'{"readings": 5}', "wrong_type"),
        (b'{"data": []}', "missing_field"),
    ],
)
def test_a_refused_message_answers_400_is_counted_and_dead_lettered(
    api: Any, points: Points, raw: bytes, reason: str
) -> None:
    response = api(Role.MACHINE).call("POST", "/ingest/readings", raw=raw)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "ingest_refused" and answer["details"]["error"]["reason"] == reason
    assert answer["details"]["accepted"] == 0
    letter = DeadLetter.objects.get()
    assert (letter.reason, bytes(letter.payload), letter.transport) == (reason, raw, "http")
    assert counters(reason) == 1
    assert not Reading.objects.exists()


def test_bad_readings_are_rejected_by_index_with_reason_and_neighbours_kept(api: Any, points: Points) -> None:
    t = now_ms() - 1000
    raw = (
        b'{"readings": [{"point": "LT-101", "ts": %d, "value": 2.5},'
        b'{"point": "LT-101", "ts": %d, "value": "3"},'
        b'{"point": "LT-101", "ts": %d, "value": NaN},'
        b'{"point": "LT-101", "ts": %d, "value": Infinity},'
        b'{"point": "nope", "ts": %d, "value": 1},'
        b'{"point": "B-ONLY", "ts": %d, "value": 1},'
        b'{"point": "GD-301", "ts": %d, "value": 1}]}'
    ) % (t, t + 1, t + 2, t + 3, t, t, t + 3_600_000)
    response = api(Role.MACHINE).call("POST", "/ingest/readings", raw=raw)
    assert response.status_code == 200
    answer = response.json()
    assert answer["accepted"] == 1
    assert [(r["index"], r["reason"]) for r in answer["rejected"]] == [
        (1, "wrong_type"),
        (2, "not_finite"),
        (3, "not_finite"),
        (4, "unknown_point"),
        (5, "foreign_point"),
        (6, "future_timestamp"),
    ]
    assert Reading.objects.count() == 1
    assert not Reading.objects.filter(point=points.only_b).exists(), "another enterprise's point is never written"
    letter = DeadLetter.objects.get()
    assert letter.reason == "wrong_type" and len(letter.rejected) == 6 and bytes(letter.payload) == raw
    assert counters("foreign_point") == 1 and counters("future_timestamp") == 1 and counters("not_finite") == 2


def test_dead_letter_table_is_bounded(api: Any, points: Points, configure: Any) -> None:
    configure(dead_letter_max_rows=3)
    client = api(Role.MACHINE)
    for n in range(5):
        assert client.call("POST", "/ingest/readings", raw=b"garbage %d" % n).status_code == 400
    assert [bytes(p) for p in DeadLetter.objects.order_by("id").values_list("payload", flat=True)] == [
        b"garbage 2",
        b"garbage 3",
        b"garbage 4",
    ]
    assert counters("invalid_json") == 5


def test_the_dead_letter_cap_is_per_enterprise(api: Any, park: Any, points: Points, configure: Any) -> None:
    """One enterprise's broken gateway cannot push another's dead letters out of the table."""
    configure(dead_letter_max_rows=2)
    _t, raw_b = token_issue(actor=SYSTEM, name="gw-b", kind=TokenKind.MACHINE, enterprise_id=park.enterprise_b.pk)
    assert ApiClient(raw_b).call("POST", "/ingest/readings", raw=b"garbage of b").status_code == 400
    for n in range(4):
        assert api(Role.MACHINE).call("POST", "/ingest/readings", raw=b"garbage %d" % n).status_code == 400
    kept = DeadLetter.objects.order_by("id").values_list("enterprise_id", "payload")
    a, b = park.enterprise_a.pk, park.enterprise_b.pk
    assert [(e, bytes(p)) for e, p in kept] == [(b, b"garbage of b"), (a, b"garbage 2"), (a, b"garbage 3")]


def test_a_resent_reading_is_a_duplicate_and_a_foreign_point_only_not_yours(api: Any, points: Points) -> None:
    ts = int(time.time() * 1000) - 5000
    raw = b'{"readings": [{"point": "LT-101", "ts": %d, "value": 2.0}, {"point": "B-ONLY", "ts": %d, "value": 1}]}'
    client = api(Role.MACHINE)
    first = client.call("POST", "/ingest/readings", raw=raw % (ts, ts)).json()
    assert (first["accepted"], first["duplicate"]) == (1, 0)
    assert first["rejected"] == [{"index": 1, "reason": "foreign_point", "message": "point 'B-ONLY': 不属于本企业"}]
    again = client.call("POST", "/ingest/readings", raw=raw % (ts, ts)).json()
    assert (again["accepted"], again["duplicate"], len(again["rejected"])) == (0, 1, 1)
    assert Reading.objects.filter(point=points.level_a).count() == 1
    assert counters("duplicate") == 1 and counters("accepted") == 1


def test_person_tokens_cannot_ingest_and_payload_limits_apply(api: Any, points: Points) -> None:
    assert api(Role.ENTERPRISE).call("POST", "/ingest/readings", body()).status_code == 403
    assert api(None).call("POST", "/ingest/readings", body()).status_code == 401
    big = b'{"readings": [' + b",".join([b'{"point": "LT-101", "ts": 1, "value": 1}'] * 10_001) + b"]}"
    response = api(Role.MACHINE).call("POST", "/ingest/readings", raw=big)
    refused = response.json()
    assert response.status_code == 400 and refused["code"] == "ingest_refused"
    assert refused["details"]["error"]["reason"] == "too_many_readings"


def test_excursion_raises_escalates_in_place_and_clears_with_state_persisted(api: Any, points: Points) -> None:
    client = api(Role.MACHINE)
    t = now_ms() - 60_000
    client.call("POST", "/ingest/readings", body(("LT-101", t, 5.0), ("LT-101", t + 1000, 8.5)))
    alarm = Alarm.objects.get()
    assert (alarm.alarm_type, alarm.level, alarm.severity, alarm.status) == ("high", "h", "major", "active_unack")
    pushes = LiveEvent.objects.filter(kind="alarm", data__id=alarm.pk).order_by("id")
    raised = pushes.get().data
    assert (raised["change"], raised["enterprise"]) == ("raised", points.level_a.enterprise.name)
    state = am.AlarmState.from_dict(PointLatest.objects.get(point=points.level_a).state)
    assert state.alarm(am.AlarmType.HIGH) is not None, "the engine's state is stored with the point"
    warning = EnterpriseWarning.objects.get(enterprise=points.level_a.enterprise)
    assert warning.level == "yellow", "an unacknowledged H alarm on a level-2 major hazard (its chlorine)"
    # passes HH: the same alarm escalates in place
    client.call("POST", "/ingest/readings", body(("LT-101", t + 2000, 9.5)))
    alarm.refresh_from_db()
    assert (alarm.level, alarm.severity, alarm.peak_value, Alarm.objects.count()) == ("hh", "critical", 9.5, 1)
    assert EnterpriseWarning.objects.get(enterprise=points.level_a.enterprise).level == "red"
    worsened = pushes.last()
    assert worsened is not None, "H → HH tells the duty officer at once, as a new alarm does"
    assert (worsened.data["change"], worsened.data["severity"]) == ("worsened", "critical")
    client.call("POST", "/ingest/readings", body(("LT-101", t + 2500, 9.7)))
    assert pushes.count() == 2, "a mere new peak is written, not pushed"
    # inside the deadband: still active; below it: cleared
    client.call("POST", "/ingest/readings", body(("LT-101", t + 3000, 7.9)))
    alarm.refresh_from_db()
    assert alarm.status == "active_unack"
    client.call("POST", "/ingest/readings", body(("LT-101", t + 4000, 7.0)))
    alarm.refresh_from_db()
    assert alarm.status == "cleared_unack" and alarm.cleared_at is not None
    assert EnterpriseWarning.objects.get(enterprise=points.level_a.enterprise).level == "blue"


def test_out_of_range_value_is_stored_and_raises_data_abnormal(api: Any, points: Points) -> None:
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", now_ms() - 1000, 55.0)))
    assert Reading.objects.get().value == 55.0
    assert Alarm.objects.get().alarm_type == "data_abnormal"


def test_acknowledge_then_second_acknowledge_is_409(api: Any, points: Points, park: Any) -> None:
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", now_ms() - 1000, 9.6)))
    alarm = Alarm.objects.get()
    client = api(Role.ENTERPRISE)
    response = client.call("POST", f"/monitoring/alarms/{alarm.pk}/acknowledge", {"note": "已安排人员现场确认"})
    assert response.status_code == 200 and response.json()["status"] == "active_ack"
    state = am.AlarmState.from_dict(PointLatest.objects.get(point=points.level_a).state)
    assert state.alarm(am.AlarmType.HIGH).status is am.AlarmStatus.ACTIVE_ACK  # type: ignore[union-attr]  # None would fail the test here, which is what it should do
    again = client.call("POST", f"/monitoring/alarms/{alarm.pk}/acknowledge", {"note": ""})
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    handling = client.call("GET", f"/monitoring/alarms/{alarm.pk}/handling").json()
    assert [h["kind"] for h in handling] == ["acknowledge"] and handling[0]["text"] == "已安排人员现场确认"
    assert EnterpriseWarning.objects.get(enterprise=park.enterprise_a).level == "orange"


def test_unacknowledged_alarm_escalates_then_reminds(api: Any, points: Points) -> None:
    raised = timezone.now() - timedelta(minutes=16)
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("GD-301", datetime_to_ms(raised), 45.0)))
    alarm = Alarm.objects.get()
    assert alarms_escalate(actor=SYSTEM) == 1
    alarm.refresh_from_db()
    assert alarm.escalated_at is not None and alarm.reminders == 0
    assert LiveEvent.objects.filter(kind="escalated", data__id=alarm.pk).count() == 1
    assert alarms_escalate(actor=SYSTEM) == 0, "no second notice before the reminder interval"
    assert alarms_escalate(actor=SYSTEM, now=timezone.now() + timedelta(minutes=16)) == 1
    alarm.refresh_from_db()
    assert alarm.reminders == 1
    assert list(alarm.handling.values_list("kind", flat=True)) == ["escalated", "reminder"]


def test_silent_points_go_offline_and_come_back(api: Any, points: Points) -> None:
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", now_ms() - 600_000, 5.0)))
    assert points_check_stale(actor=SYSTEM) == 1, "the point silent for 10 min; the others were just registered"
    assert not PointLatest.objects.get(point=points.level_a).online
    assert points_check_stale(actor=SYSTEM, now=timezone.now() + timedelta(minutes=6)) == 3
    assert Alarm.objects.filter(alarm_type="offline").count() == 4
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", now_ms(), 5.0)))
    assert PointLatest.objects.get(point=points.level_a).online
    assert Alarm.objects.get(point=points.level_a, alarm_type="offline").status == "cleared_unack"


def test_http_batch_with_iso_timestamps(api: Any, points: Points) -> None:
    moment = timezone.now() - timedelta(seconds=30)
    raw = orjson.dumps(body(("LT-101", moment.isoformat(), 4), ("GD-301", moment.isoformat(), 2)))
    assert api(Role.MACHINE).call("POST", "/ingest/readings", raw=raw).json()["accepted"] == 2


def test_the_alarm_list_keeps_a_self_cleared_alarm_until_someone_acknowledges_it(
    api: Any, points: Points, park: Any, client: Any
) -> None:
    t = now_ms() - 60_000
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", t, 9.5), ("LT-101", t + 1000, 5.0)))
    alarm = Alarm.objects.get()
    assert alarm.status == "cleared_unack", "an excursion that cleared by itself"
    client.force_login(park.users[Role.DISPATCHER])
    listed = client.get("/monitoring/alarms/?fragment=1").content.decode()
    assert f'data-alarm="{alarm.pk}"' in listed, "the default view (待处置) still shows it"
    assert "共 1 条" in listed and "fragment" not in listed, "the live reload brings the pager's count along"
    api(Role.ENTERPRISE).call("POST", f"/monitoring/alarms/{alarm.pk}/acknowledge", {"note": "现场确认无泄漏"})
    assert Alarm.objects.get().status == "cleared_ack"
    assert f'data-alarm="{alarm.pk}"' not in client.get("/monitoring/alarms/?fragment=1").content.decode()
    assert f'data-alarm="{alarm.pk}"' in client.get("/monitoring/alarms/?show=all&fragment=1").content.decode()
