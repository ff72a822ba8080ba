"""The alarm list for triage: filters (enterprise, point kind, severity, type, status, time range)
on the page and the API, the row's marks (severity badge, unacknowledged / escalated / offline tags,
values with units), and acknowledging several alarms at once with one note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.alarm_bulk import alarms_acknowledge
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmHandling, AlarmStatus, AlarmType, HandlingKind, Severity
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points

RAISED = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)  # 10:30 in the park


def _alarm(point: Any, *, minutes: int, severity: str = Severity.CRITICAL, **extra: Any) -> Alarm:
    raised = RAISED + timedelta(minutes=minutes)
    values: dict[str, Any] = {
        "enterprise_id": point.enterprise_id,
        "point": point,
        "alarm_type": AlarmType.HIGH,
        "level": "hh",
        "severity": severity,
        "status": AlarmStatus.CLEARED_UNACK,
        "raised_ms": datetime_to_ms(raised),
        "raised_at": raised,
        "value": 45.0,
        "peak_value": 52.0,
    }
    values.update(extra)
    return Alarm.objects.create(**values)


@pytest.fixture
def alarms(points: Points) -> dict[str, Alarm]:
    return {
        "gas_critical": _alarm(points.gas_a, minutes=0),
        "level_minor": _alarm(points.level_a, minutes=10, severity=Severity.MINOR, value=8.4, peak_value=8.4),
        "done": _alarm(points.level_a, minutes=20, status=AlarmStatus.CLEARED_ACK, acked_at=RAISED),
        "escalated": _alarm(points.gas_a, minutes=30, escalated_at=RAISED + timedelta(minutes=45)),
        "other_day": _alarm(points.level_a, minutes=-3 * 24 * 60),
        "foreign": _alarm(points.level_b, minutes=5),
    }


def page_client(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def listed(client: Client, query: str) -> set[int]:
    html = client.get(f"/monitoring/alarms/?fragment=1&{query}").content.decode()
    return {int(part.split('"', 1)[0]) for part in html.split('data-alarm="')[1:]}


def test_page_filters(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    client = page_client(park, Role.DISPATCHER)
    ids = {name: alarm.pk for name, alarm in alarms.items()}
    assert listed(client, "") == {ids[n] for n in ("gas_critical", "level_minor", "escalated", "other_day", "foreign")}
    assert listed(client, "show=all") == set(ids.values())
    assert listed(client, "show=escalated") == {ids["escalated"]}
    assert listed(client, "severity=minor") == {ids["level_minor"]}
    assert listed(client, "point_kind=gas_lel") == {ids["gas_critical"], ids["escalated"]}
    assert listed(client, f"enterprise={park.enterprise_b.pk}") == {ids["foreign"]}
    assert listed(client, "show=all&status=cleared_ack") == {ids["done"]}
    assert listed(client, "alarm_type=offline") == set()
    # the park's day 2026-03-01 (Shanghai): the alarm three days earlier is outside
    assert ids["other_day"] not in listed(client, "since=2026-03-01&until=2026-03-01")
    assert listed(client, "since=2026-02-26&until=2026-02-26") == {ids["other_day"]}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("severity=loud", "严重程度"),
        ("point_kind=x", "点位类型"),
        ("since=yesterday", "起始日期"),
        ("enterprise=abc", "企业"),
    ],
)
def test_a_bad_filter_is_named_in_chinese_and_lists_nothing(
    park: SmallPark, alarms: dict[str, Alarm], query: str, named: str
) -> None:
    response = page_client(park, Role.DISPATCHER).get(f"/monitoring/alarms/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in html and f"{named}：" in html
    assert "data-alarm=" not in html


def test_an_end_before_the_start_is_refused(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    html = page_client(park, Role.DISPATCHER).get("/monitoring/alarms/?since=2026-03-02&until=2026-03-01")
    assert "截止日期不能早于起始日期" in html.content.decode()


def test_the_row_marks(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    html = page_client(park, Role.DISPATCHER).get("/monitoring/alarms/?fragment=1").content.decode()
    row = html.split(f'data-alarm="{alarms["escalated"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "unacked" in html and 'class="sev sev-critical"' in row
    assert "tag-new" in row and "tag-escalated" in row
    assert "45.00 / 52.00 %LEL" in row  # value and peak with the point's unit
    minor = html.split(f'data-alarm="{alarms["level_minor"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "8.40 m" in minor and "tag-escalated" not in minor and 'class="sev sev-minor"' in minor
    # the severity is a badge, not the row's paint
    assert 'class="st-' in html and "<tr data-alarm" in html and ' class="sev-' not in html.replace('"sev sev-', "")


def test_api_filters(api: Any, alarms: dict[str, Alarm]) -> None:
    client = api(Role.DISPATCHER)
    got = client.call("GET", "/monitoring/alarms?severity=minor").json()["items"]
    assert [a["id"] for a in got] == [alarms["level_minor"].pk]
    got = client.call("GET", "/monitoring/alarms?point_kind=gas_lel&since=2026-03-01T10:35:00").json()["items"]
    assert [a["id"] for a in got] == [alarms["escalated"].pk]
    refused = client.call("GET", "/monitoring/alarms?severity=loud")
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_filter"
    assert refused.json()["details"] == {"field": "severity"}
    backwards = client.call("GET", "/monitoring/alarms?since=2026-03-02T00:00:00&until=2026-03-01T00:00:00")
    assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_range"


def test_bulk_acknowledge_reports_each_alarm(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    actor = park.actor(Role.ENTERPRISE)  # enterprise A's user
    asked = [alarms["gas_critical"].pk, alarms["done"].pk, alarms["foreign"].pk, alarms["level_minor"].pk]
    before = AuditEvent.objects.filter(object_type="alarm").count()
    result = alarms_acknowledge(actor=actor, alarm_ids=[*asked, asked[0]], note="夜班统一核实")
    assert result.acknowledged == [alarms["gas_critical"].pk, alarms["level_minor"].pk]
    assert result.already_acknowledged == [alarms["done"].pk]
    assert result.not_found == [alarms["foreign"].pk]
    assert AuditEvent.objects.filter(object_type="alarm").count() == before + 2
    for name in ("gas_critical", "level_minor"):
        alarm = Alarm.objects.get(pk=alarms[name].pk)
        assert alarm.status == AlarmStatus.CLEARED_ACK
        assert AlarmHandling.objects.get(alarm=alarm, kind=HandlingKind.ACKNOWLEDGE).text == "夜班统一核实"
    assert Alarm.objects.get(pk=alarms["foreign"].pk).status == AlarmStatus.CLEARED_UNACK


def test_bulk_acknowledge_api(api: Any, alarms: dict[str, Alarm]) -> None:
    client = api(Role.DISPATCHER)
    ids = [alarms["gas_critical"].pk, alarms["done"].pk]
    answer = client.call("POST", "/monitoring/alarms/acknowledge", {"ids": ids, "note": "已通知企业"})
    assert answer.status_code == 200
    assert answer.json() == {"acknowledged": [ids[0]], "already_acknowledged": [ids[1]], "not_found": []}
    for body in ({"ids": []}, {"ids": ["1"]}, {"ids": list(range(1, 202))}, {"ids": [ids[0]], "note": "x" * 2001}):
        assert client.call("POST", "/monitoring/alarms/acknowledge", body).status_code == 422
    assert api(Role.INSPECTOR).call("POST", "/monitoring/alarms/acknowledge", {"ids": ids}).status_code == 403


def test_acknowledge_from_the_row_and_in_bulk_on_the_page(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    client = page_client(park, Role.DISPATCHER)
    html = client.get("/monitoring/alarms/").content.decode()
    assert 'data-testid="bulk-ack"' in html and 'name="one"' in html
    response = client.post(
        "/monitoring/alarms/acknowledge/",
        {
            "one": alarms["escalated"].pk,
            "ids": [alarms["foreign"].pk],
            "note": "现场已处置",
            "query": "severity=critical",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/monitoring/alarms/?severity=critical"
    assert Alarm.objects.get(pk=alarms["escalated"].pk).status == AlarmStatus.CLEARED_ACK
    assert Alarm.objects.get(pk=alarms["foreign"].pk).status == AlarmStatus.CLEARED_UNACK  # only the row's
    response = client.post(
        "/monitoring/alarms/acknowledge/",
        {"ids": [alarms["foreign"].pk, alarms["escalated"].pk], "note": ""},
        follow=True,
    )
    text = response.content.decode()
    assert "已确认 1 条报警" in text and "1 条报警此前已被确认" in text
    bad = client.post("/monitoring/alarms/acknowledge/", {"ids": ["x"]}, follow=True)
    assert "所选报警编号无效" in bad.content.decode()
    none = client.post("/monitoring/alarms/acknowledge/", {}, follow=True)
    assert "请至少选择一条报警" in none.content.decode()


def test_roles_without_alarm_handling_see_no_acknowledge_controls(park: SmallPark, alarms: dict[str, Alarm]) -> None:
    client = page_client(park, Role.INSPECTOR)
    html = client.get("/monitoring/alarms/").content.decode()
    assert 'data-testid="bulk-ack"' not in html and 'name="one"' not in html
    client.post("/monitoring/alarms/acknowledge/", {"ids": [alarms["gas_critical"].pk]})
    assert Alarm.objects.get(pk=alarms["gas_critical"].pk).status == AlarmStatus.CLEARED_UNACK
