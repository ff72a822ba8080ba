"""The alarm page opens in every state an alarm can be in, including the records the platform writes
itself (an escalation, a reminder, an acknowledgement without a person) — the duty officer reaches an
escalated alarm from the banner at night, and that page must not fail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.monitoring.alarm_writes import escalate_row
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmHandling, AlarmStatus, AlarmType, HandlingKind, Severity
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points

RAISED = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


def _alarm(points: Points, status: AlarmStatus, offset_min: int) -> Alarm:
    raised = RAISED + timedelta(minutes=offset_min)
    acked = status in (AlarmStatus.ACTIVE_ACK, AlarmStatus.CLEARED_ACK)
    cleared = status in (AlarmStatus.CLEARED_UNACK, AlarmStatus.CLEARED_ACK)
    return Alarm.objects.create(
        enterprise_id=points.gas_a.enterprise_id,
        point=points.gas_a,
        alarm_type=AlarmType.HIGH,
        level="hh",
        severity=Severity.CRITICAL,
        status=status,
        raised_ms=datetime_to_ms(raised),
        raised_at=raised,
        value=45.0,
        peak_value=52.0,
        acked_at=raised + timedelta(minutes=20) if acked else None,
        cleared_at=raised + timedelta(minutes=30) if cleared else None,
    )


@pytest.mark.parametrize("status", list(AlarmStatus))
def test_every_alarm_state_opens_with_the_platforms_own_records(
    park: SmallPark, points: Points, client: Any, status: AlarmStatus
) -> None:
    alarm = _alarm(points, status, offset_min=list(AlarmStatus).index(status))
    escalate_row(alarm, RAISED + timedelta(minutes=15), reminder=False)
    escalate_row(alarm, RAISED + timedelta(minutes=30), reminder=True)
    AlarmHandling.objects.create(
        alarm=alarm, kind=HandlingKind.NOTE, at=RAISED + timedelta(minutes=31), text="现场处置"
    )
    for role in (Role.DISPATCHER, Role.ENTERPRISE, Role.INSPECTOR):
        client.force_login(park.users[role])
        response = client.get(f"/monitoring/alarms/{alarm.pk}/")
        assert response.status_code == 200, (role, response.status_code)
        page = response.content.decode()
        assert "超时升级" in page and "再次提醒" in page and "系统" in page


def test_the_alarm_page_says_where_with_links_to_the_registry_and_the_one_map(
    park: SmallPark, points: Points, client: Any
) -> None:
    alarm = _alarm(points, AlarmStatus.ACTIVE_UNACK, offset_min=0)
    point = points.gas_a
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    assert f'href="/registry/enterprise/{point.enterprise_id}/"' in page
    assert f'href="/registry/unit/{point.unit_id}/"' in page
    focus = f"{point.lon:.6f},{point.lat:.6f}"
    assert f'href="/?focus={focus}"' in page, "the one-map centred on the point"
    assert f'data-lon="{point.lon:.6f}" data-lat="{point.lat:.6f}"' in page, "the small map marks the point"
    assert 'id="alarm-map-layers"' in page and "monitoring/alarm_map.js" in page


def test_the_alarm_page_and_list_name_the_limit_and_the_units(park: SmallPark, points: Points, client: Any) -> None:
    """「紧急 · 高高报」 and 「52.000 %LEL」 for the peak, not the stored code 「HH」 and a bare number."""
    alarm = _alarm(points, AlarmStatus.ACTIVE_UNACK, offset_min=0)
    unit = points.gas_a.unit_of_measure
    assert unit
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    assert "紧急 · 高高报" in page and "· HH" not in page
    assert f'data-testid="alarm-peak">52.00 {unit}<' in page
    listing = client.get("/monitoring/alarms/").content.decode()
    assert "高限报警 · 高高报" in listing and f"45.00 / 52.00 {unit}" in listing
