"""Every monitoring endpoint × every role, against a policy written out here independently of
``chempark.core.roles``: who reads, who configures points, who handles alarms, who may push
data — that an enterprise user never reaches another enterprise's points or alarms, and that the
auditor and the security administrator (three-role separation) read none of it, camera streams
included."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import transaction

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM, Actor
from chempark.core.roles import Role
from chempark.monitoring import mqtt_accounts
from chempark.monitoring.config_services import camera_create, point_update
from chempark.monitoring.models import Alarm, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import ApiClient
from tests.monitoring.conftest import Points, point_values

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
CONFIGURERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE}
HANDLERS = {Role.DISPATCHER, Role.ENTERPRISE}

COVERED_PATHS = {
    "/api/v1/ingest/readings",
    "/api/v1/ingest/video-events",
    "/api/v1/monitoring/points",
    "/api/v1/monitoring/points/{pk}",
    "/api/v1/monitoring/points/{pk}/trend",
    "/api/v1/monitoring/alarms",
    "/api/v1/monitoring/alarms/{pk}",
    "/api/v1/monitoring/alarms/{pk}/acknowledge",
    "/api/v1/monitoring/alarms/acknowledge",
    "/api/v1/monitoring/alarms/{pk}/handling",
    "/api/v1/monitoring/indicators",
    "/api/v1/monitoring/dead-letters",
    "/api/v1/monitoring/cameras",
    "/api/v1/monitoring/cameras/{pk}",
    "/api/v1/monitoring/mqtt-credentials",
    "/api/v1/monitoring/mqtt-credentials/position-platforms",
    "/api/v1/monitoring/mqtt-credentials/{pk}/revoke",
    "/api/v1/monitoring/change-requests",
    "/api/v1/monitoring/change-requests/{pk}/approve",
    "/api/v1/monitoring/change-requests/{pk}/reject",
}
APPROVERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}


def attempt(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


def raise_alarms(points: Points) -> tuple[Alarm, Alarm]:
    ts = int(time.time() * 1000) - 1000
    for point in (points.level_a, points.level_b):
        raw = b'{"readings": [{"point": "%s", "ts": %d, "value": 9.5}]}' % (point.code.encode(), ts)
        ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, point.enterprise_id)], transport=Transport.HTTP)
    return Alarm.objects.get(point=points.level_a), Alarm.objects.get(point=points.level_b)


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_monitoring_matrix(park: Any, points: Points, api: Any, role: Role | None) -> None:
    alarm_a, alarm_b = raise_alarms(points)
    client = api(role)
    own, foreign = points.level_a, points.level_b
    reading = {"readings": [{"point": "LT-101", "ts": int(time.time() * 1000), "value": 1.0}]}
    if role not in READERS:
        refused = 401 if role is None else 403
        expected_ingest = {None: 401, Role.MACHINE: 200}.get(role, 403)
        assert attempt(client, "POST", "/ingest/readings", reading) == expected_ingest
        assert attempt(client, "POST", "/ingest/video-events", {}) == {None: 401, Role.MACHINE: 422}.get(role, 403)
        for method, url in (
            ("GET", "/monitoring/points"),
            ("GET", f"/monitoring/points/{own.pk}"),
            ("PATCH", f"/monitoring/points/{own.pk}"),
            ("DELETE", f"/monitoring/points/{own.pk}"),
            ("GET", f"/monitoring/points/{own.pk}/trend?since_ms=0&until_ms=1000"),
            ("GET", "/monitoring/alarms"),
            ("GET", f"/monitoring/alarms/{alarm_a.pk}"),
            ("POST", f"/monitoring/alarms/{alarm_a.pk}/acknowledge"),
            ("POST", "/monitoring/alarms/acknowledge"),
            ("GET", f"/monitoring/alarms/{alarm_a.pk}/handling"),
            ("POST", f"/monitoring/alarms/{alarm_a.pk}/handling"),
            ("GET", "/monitoring/indicators"),
            ("GET", "/monitoring/dead-letters"),
        ):
            body = (
                {"note": ""} | ({"ids": [alarm_a.pk]} if url.endswith("alarms/acknowledge") else {})
                if "acknowledge" in url
                else ({"text": "x"} if method == "POST" else ({"name": "x"} if method == "PATCH" else None))
            )
            assert attempt(client, method, url, body) == refused, (role, method, url)
        create = point_values(park.enterprise_a, park.unit_a, "NEW-1")
        assert attempt(client, "POST", "/monitoring/points", create) == refused
        assert attempt(client, "GET", f"/monitoring/alarms/{alarm_b.pk}/handling") == refused
        return
    scoped = role is Role.ENTERPRISE
    # persons never push data
    assert attempt(client, "POST", "/ingest/readings", reading) == 403
    assert attempt(client, "POST", "/ingest/video-events", {}) == 403
    # read
    assert attempt(client, "GET", "/monitoring/points") == 200
    assert attempt(client, "GET", f"/monitoring/points/{own.pk}") == 200
    assert attempt(client, "GET", f"/monitoring/points/{foreign.pk}") == (404 if scoped else 200)
    window = "since_ms=0&until_ms=86400000"
    assert attempt(client, "GET", f"/monitoring/points/{own.pk}/trend?{window}") == 200
    assert attempt(client, "GET", f"/monitoring/points/{foreign.pk}/trend?{window}") == (404 if scoped else 200)
    assert attempt(client, "GET", "/monitoring/alarms") == 200
    assert attempt(client, "GET", f"/monitoring/alarms/{alarm_a.pk}") == 200
    assert attempt(client, "GET", f"/monitoring/alarms/{alarm_b.pk}") == (404 if scoped else 200)
    assert attempt(client, "GET", f"/monitoring/alarms/{alarm_b.pk}/handling") == (404 if scoped else 200)
    assert attempt(client, "GET", "/monitoring/indicators") == 200
    assert attempt(client, "GET", "/monitoring/dead-letters") == (200 if role in CONFIGURERS else 403)
    # configure
    configures = role in CONFIGURERS
    create = point_values(park.enterprise_a, park.unit_a, "NEW-1")
    assert attempt(client, "POST", "/monitoring/points", create) == (201 if configures else 403)
    create_b = point_values(park.enterprise_b, park.unit_b, "NEW-2")
    assert attempt(client, "POST", "/monitoring/points", create_b) == (403 if scoped or not configures else 201)
    assert attempt(client, "PATCH", f"/monitoring/points/{own.pk}", {"name": "改名"}) == (200 if configures else 403)
    assert attempt(client, "PATCH", f"/monitoring/points/{foreign.pk}", {"name": "改名"}) == (
        404 if scoped else (200 if configures else 403)
    )
    # a point with alarms cannot be deleted (409); one without can
    assert attempt(client, "DELETE", f"/monitoring/points/{own.pk}") == (409 if configures else 403)
    assert attempt(client, "DELETE", f"/monitoring/points/{points.gas_a.pk}") == (204 if configures else 403)
    assert attempt(client, "DELETE", f"/monitoring/points/{points.only_b.pk}") == (
        404 if scoped else (204 if configures else 403)
    )
    # handle alarms
    handles = role in HANDLERS
    assert attempt(client, "POST", f"/monitoring/alarms/{alarm_a.pk}/acknowledge", {"note": "处置中"}) == (
        200 if handles else 403
    )
    assert attempt(client, "POST", f"/monitoring/alarms/{alarm_b.pk}/acknowledge", {"note": ""}) == (
        404 if scoped else (200 if handles else 403)
    )
    # in bulk: another enterprise's alarm is reported as not found to an enterprise user, not acknowledged
    with transaction.atomic():
        bulk = client.call("POST", "/monitoring/alarms/acknowledge", {"ids": [alarm_a.pk, alarm_b.pk]})
        transaction.set_rollback(True)
    assert bulk.status_code == (200 if handles else 403)
    if handles:
        assert bulk.json() == {
            "acknowledged": [alarm_a.pk] if scoped else [alarm_a.pk, alarm_b.pk],
            "already_acknowledged": [],
            "not_found": [alarm_b.pk] if scoped else [],
        }
    assert attempt(client, "POST", f"/monitoring/alarms/{alarm_a.pk}/handling", {"text": "关闭进料阀"}) == (
        201 if handles else 403
    )
    assert attempt(client, "POST", f"/monitoring/alarms/{alarm_b.pk}/handling", {"text": "x"}) == (
        404 if scoped else (201 if handles else 403)
    )


def camera_values(enterprise: Any, code: str) -> dict[str, Any]:
    return {
        "enterprise": enterprise.pk,
        "code": code,
        "name": f"摄像机 {code}",
        "lon": 118.2,
        "lat": 39.2,
        "stream_url": "rtsp://10.0.0.5:554/stream1",
    }


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_camera_matrix(park: Any, api: Any, role: Role | None) -> None:
    own = camera_create(actor=SYSTEM, values=camera_values(park.enterprise_a, "CAM-A"))
    foreign = camera_create(actor=SYSTEM, values=camera_values(park.enterprise_b, "CAM-B"))
    client = api(role)
    calls = (
        ("GET", "/monitoring/cameras", None),
        ("GET", f"/monitoring/cameras/{own.pk}", None),
        ("POST", "/monitoring/cameras", camera_values(park.enterprise_a, "CAM-NEW")),
        ("PATCH", f"/monitoring/cameras/{own.pk}", {"name": "改名"}),
        ("DELETE", f"/monitoring/cameras/{own.pk}", None),
    )
    if role not in READERS:  # the stream URL included
        for method, url, body in calls:
            assert attempt(client, method, url, body) == (401 if role is None else 403), (role, method, url)
        assert attempt(client, "GET", f"/monitoring/cameras/{foreign.pk}") == (401 if role is None else 403)
        return
    scoped = role is Role.ENTERPRISE
    configures = role in CONFIGURERS
    assert attempt(client, "GET", "/monitoring/cameras") == 200
    assert attempt(client, "GET", f"/monitoring/cameras/{own.pk}") == 200
    assert attempt(client, "GET", f"/monitoring/cameras/{foreign.pk}") == (404 if scoped else 200)
    assert attempt(client, "POST", "/monitoring/cameras", camera_values(park.enterprise_a, "CAM-NEW")) == (
        201 if configures else 403
    )
    assert attempt(client, "POST", "/monitoring/cameras", camera_values(park.enterprise_b, "CAM-NEW")) == (
        403 if scoped or not configures else 201
    )
    assert attempt(client, "PATCH", f"/monitoring/cameras/{own.pk}", {"name": "改名"}) == (200 if configures else 403)
    assert attempt(client, "PATCH", f"/monitoring/cameras/{foreign.pk}", {"name": "改名"}) == (
        404 if scoped else (200 if configures else 403)
    )
    assert attempt(client, "DELETE", f"/monitoring/cameras/{own.pk}") == (204 if configures else 403)
    assert attempt(client, "DELETE", f"/monitoring/cameras/{foreign.pk}") == (
        404 if scoped else (204 if configures else 403)
    )
    listed = client.call("GET", "/monitoring/cameras").json()["items"]
    assert {c["enterprise"] for c in listed} == (
        {park.enterprise_a.pk} if scoped else {park.enterprise_a.pk, park.enterprise_b.pk}
    )


# Broker accounts are credentials: the security administrator's alone, as API tokens are.
MQTT_ISSUERS = {Role.SECURITY_ADMIN}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_mqtt_credential_matrix(park: Any, api: Any, role: Role | None) -> None:
    own, _pw = mqtt_accounts.enterprise_credential_issue(actor=SYSTEM, enterprise_id=park.enterprise_a.pk)
    foreign, _pw = mqtt_accounts.enterprise_credential_issue(actor=SYSTEM, enterprise_id=park.enterprise_b.pk)
    client = api(role)
    refused = 401 if role is None else 403
    allowed = role in MQTT_ISSUERS
    # an enterprise user is refused even for its own gateway's account: 403 before any lookup
    assert attempt(client, "GET", "/monitoring/mqtt-credentials") == (200 if allowed else refused), role
    for enterprise in (park.enterprise_a, park.enterprise_b):
        assert attempt(client, "POST", "/monitoring/mqtt-credentials", {"enterprise": enterprise.pk}) == (
            201 if allowed else refused
        ), (role, enterprise)
    assert attempt(client, "POST", "/monitoring/mqtt-credentials/position-platforms", {"name": "wuliu"}) == (
        201 if allowed else refused
    ), role
    for credential in (own, foreign):
        assert attempt(client, "POST", f"/monitoring/mqtt-credentials/{credential.pk}/revoke") == (
            200 if allowed else refused
        ), (role, credential)
    assert attempt(client, "POST", "/monitoring/mqtt-credentials/999999/revoke") == (404 if allowed else refused)


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_change_request_matrix(park: Any, points: Points, api: Any, role: Role | None) -> None:
    """Readers list the change requests of the points they see; only the bureau's approvers decide
    them — never an enterprise user, its own enterprise's requests included."""
    requests = {}
    for name, point in (("own", points.level_a), ("foreign", points.level_b)):
        asker = Actor(user_id=None, username="ent", role=Role.ENTERPRISE, enterprise_id=point.enterprise_id)
        _point, requests[name] = point_update(actor=asker, pk=point.pk, values={"hh": 9.5})
    client = api(role)
    refused = 401 if role is None else 403
    listed = attempt(client, "GET", "/monitoring/change-requests")
    assert listed == (200 if role in READERS else refused), role
    scoped = role is Role.ENTERPRISE
    for name, request in requests.items():
        decides = role in APPROVERS
        for action, body in (("approve", None), ("reject", {"reason": "限值依据不足"})):
            expected = 200 if decides else refused
            assert attempt(client, "POST", f"/monitoring/change-requests/{request.pk}/{action}", body) == expected, (
                role,
                name,
                action,
            )
    if role in READERS:
        seen = {row["id"] for row in client.call("GET", "/monitoring/change-requests").json()["items"]}
        assert seen == ({requests["own"].pk} if scoped else {r.pk for r in requests.values()})


def test_enterprise_user_lists_only_own_points_and_alarms(park: Any, points: Points, api: Any) -> None:
    raise_alarms(points)
    client = api(Role.ENTERPRISE)
    listed = client.call("GET", "/monitoring/points?limit=100").json()["items"]
    assert {p["enterprise"] for p in listed} == {park.enterprise_a.pk}
    alarms = client.call("GET", "/monitoring/alarms").json()["items"]
    assert {a["enterprise"] for a in alarms} == {park.enterprise_a.pk}
    assert len(api(Role.DISPATCHER).call("GET", "/monitoring/alarms").json()["items"]) == 2
    indicators = client.call("GET", "/monitoring/indicators").json()
    assert [e["id"] for e in indicators["enterprises"]] == [park.enterprise_a.pk]


def test_machine_token_of_enterprise_b_writes_only_b(park: Any, points: Points) -> None:
    _t, raw = token_issue(actor=SYSTEM, name="gw-b", kind=TokenKind.MACHINE, enterprise_id=park.enterprise_b.pk)
    client = ApiClient(raw)
    ts = int(time.time() * 1000)
    answer = client.call(
        "POST",
        "/ingest/readings",
        {"readings": [{"point": "LT-101", "ts": ts, "value": 2.0}, {"point": "GD-301", "ts": ts, "value": 2.0}]},
    ).json()
    assert answer["accepted"] == 1 and answer["rejected"][0]["reason"] == "foreign_point"
