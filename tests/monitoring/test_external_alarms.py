"""Alarms from other modules through ``chempark.core.alarm_feed``: one row per active condition, the
same list, acknowledgement, pages and live events as a point's alarm; park-level ones for the bureau."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from chempark.core import alarm_feed
from chempark.core.alarm_feed import AlarmKind, FeedSeverity
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, LiveEvent


def overstay(enterprise_id: int | None = None, ref: str = "visit:1", value: float = 6.5, **extra: Any) -> int:
    return alarm_feed.raise_alarm(
        source="vehicles",
        kind=AlarmKind.OVERSTAY,
        severity=FeedSeverity.MAJOR,
        enterprise_id=enterprise_id,
        title="苏E12345",
        detail="在园 6.5 小时，超过 6 小时",
        lon=118.2,
        lat=39.2,
        ref=ref,
        value=value,
        **extra,
    )


def test_every_feed_kind_is_an_alarm_type_with_a_chinese_label() -> None:
    for kind in AlarmKind:
        assert kind.value in AlarmType.values
        assert not str(AlarmType(kind.value).label).isascii()


def test_a_park_level_alarm_is_a_row_for_the_bureau_only(park: Any, api: Any) -> None:
    pk = overstay()
    alarm = Alarm.objects.get(pk=pk)
    assert (alarm.enterprise_id, alarm.status, alarm.subject, alarm.source) == (
        None,
        AlarmStatus.ACTIVE_UNACK,
        "苏E12345",
        "vehicles",
    )
    listed = api(Role.DISPATCHER).call("GET", "/monitoring/alarms").json()["items"]
    assert [(row["id"], row["enterprise"], row["subject"], row["lon"]) for row in listed] == [
        (pk, None, "苏E12345", 118.2)
    ]
    assert api(Role.ENTERPRISE).call("GET", "/monitoring/alarms").json()["items"] == []
    assert api(Role.ENTERPRISE).call("GET", f"/monitoring/alarms/{pk}").status_code == 404
    event = LiveEvent.objects.get(kind="alarm")
    assert event.enterprise_id is None
    assert (event.data["source"], event.data["enterprise"], event.data["change"]) == ("苏E12345", "", "raised")


def test_an_enterprise_alarm_reaches_that_enterprise(park: Any, api: Any) -> None:
    pk = overstay(park.enterprise_a.pk)
    assert [row["id"] for row in api(Role.ENTERPRISE).call("GET", "/monitoring/alarms").json()["items"]] == [pk]


def test_raising_again_while_active_keeps_one_row_and_its_peak(park: Any) -> None:
    first = overstay(value=6.5)
    assert overstay(value=8.0) == first
    assert overstay(value=7.0) == first
    alarm = Alarm.objects.get(pk=first)
    assert (alarm.value, alarm.peak_value) == (6.5, 8.0)
    assert overstay(ref="visit:2") != first


def test_clear_ends_it_and_a_new_occurrence_is_a_new_row(park: Any) -> None:
    first = overstay()
    at = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert alarm_feed.clear_alarm(source="vehicles", kind=AlarmKind.OVERSTAY, ref="visit:1", at=at) == first
    alarm = Alarm.objects.get(pk=first)
    assert (alarm.status, alarm.cleared_at) == (AlarmStatus.CLEARED_UNACK, at)
    assert alarm_feed.clear_alarm(source="vehicles", kind=AlarmKind.OVERSTAY, ref="visit:1") is None
    assert overstay() != first


def test_acknowledged_stays_active_until_its_module_clears_it(park: Any, api: Any) -> None:
    pk = overstay()
    answer = api(Role.DISPATCHER).call("POST", f"/monitoring/alarms/{pk}/acknowledge", {"note": "已通知驾驶员离园"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == AlarmStatus.ACTIVE_ACK
    assert overstay() == pk  # still the same condition
    alarm_feed.clear_alarm(source="vehicles", kind=AlarmKind.OVERSTAY, ref="visit:1")
    assert Alarm.objects.get(pk=pk).status == AlarmStatus.CLEARED_ACK
    again = api(Role.DISPATCHER).call("POST", f"/monitoring/alarms/{pk}/acknowledge", {"note": ""})
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"


def _raise_then_fail() -> None:
    with transaction.atomic():
        overstay()
        raise RuntimeError("the caller's change failed")


def test_it_commits_with_the_callers_transaction(park: Any) -> None:
    with pytest.raises(RuntimeError):
        _raise_then_fail()
    assert not Alarm.objects.exists()
    assert not LiveEvent.objects.exists()


def test_impossible_coordinates_are_dropped_not_stored(park: Any) -> None:
    pk = alarm_feed.raise_alarm(
        source="vehicles",
        kind=AlarmKind.OVER_CAPACITY,
        severity=FeedSeverity.MINOR,
        enterprise_id=park.enterprise_a.pk,
        title="生产区",
        detail="",
        lon=500.0,
        lat=39.2,
        ref="area:1",
    )
    alarm = Alarm.objects.get(pk=pk)
    assert (alarm.lon, alarm.lat) == (None, None)


def test_pages_show_a_park_level_alarm_with_its_subject_and_place(park: Any) -> None:
    pk = overstay()
    client = Client()
    client.force_login(park.users[Role.DISPATCHER])
    listing = client.get("/monitoring/alarms/").content.decode()
    assert "苏E12345" in listing and "车辆超时滞留" in listing and "园区" in listing
    detail = client.get(f"/monitoring/alarms/{pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "苏E12345" in text and "超过 6 小时" in text and 'data-lon="118.200000"' in text


def test_alarm_values_show_decimals_only_where_they_have_them(park: Any) -> None:
    """A count of people or hours read 「7.00」; a measured 6.5 keeps its two places."""
    overstay(ref="visit:1", value=6.5)
    whole = overstay(ref="visit:2", value=7.0)
    client = Client()
    client.force_login(park.users[Role.DISPATCHER])
    listing = client.get("/monitoring/alarms/").content.decode()
    assert ">6.50 小时</td>" in listing and ">7 小时</td>" in listing
    assert 'data-testid="alarm-value">7 小时<' in client.get(f"/monitoring/alarms/{whole}/").content.decode()


def test_monitoring_indicators_leave_other_modules_alarms_out(park: Any, api: Any) -> None:
    overstay(park.enterprise_a.pk)
    answer = api(Role.DISPATCHER).call("GET", "/monitoring/indicators")
    assert answer.status_code == 200
    assert answer.json()["park"]["alarms_today"] == 0
