"""Every emergency command endpoint and page × every role, against a policy written out here
independently of ``chempark.core.roles``: bureau staff, the dispatcher, experts and enterprise users
read (an enterprise user only its own enterprise's resources and incidents: the rest is 404); the
bureau and enterprises keep the ledger; the bureau and the dispatcher block roads, command incidents
and warn the public from them (the expert commands but does not warn); the auditor and the security
administrator see none of it (three-role separation); anonymous callers get 401 and machine tokens
403."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.incidents import dispatch_services, ledger_services, services, warning_services
from chempark.incidents.models import RoadSegment
from chempark.incidents.schemas import IncidentWarningIn
from tests.conftest import PASSWORD, SmallPark
from tests.incidents.conftest import Command

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
KEEPERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE}
COMMANDERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER}
WARNERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER}

COVERED_PATHS = {
    "/api/v1/resources",
    "/api/v1/resources/{pk}",
    "/api/v1/resources/{pk}/position",
    "/api/v1/resource-reminders",
    "/api/v1/roads",
    "/api/v1/roads/{pk}",
    "/api/v1/route",
    "/api/v1/incidents",
    "/api/v1/alarms/{pk}/incident",
    "/api/v1/simulations/{pk}/incident",
    "/api/v1/incidents/{pk}",
    "/api/v1/incidents/{pk}/timeline",
    "/api/v1/incidents/{pk}/zone",
    "/api/v1/incidents/{pk}/zone/release",
    "/api/v1/incidents/{pk}/notes",
    "/api/v1/incidents/{pk}/close",
    "/api/v1/incidents/{pk}/decision",
    "/api/v1/incidents/{pk}/dispatches",
    "/api/v1/dispatches/{pk}/{action}",
    "/api/v1/incidents/{pk}/investigation",
    "/api/v1/incidents/{pk}/warnings",
    "/api/v1/incidents/{pk}/warnings/{warning_id}/publish",
    "/api/v1/incidents/{pk}/warnings/{warning_id}/update",
    "/api/v1/incidents/{pk}/warnings/{warning_id}/cancel",
}


def attempt(client: Any, method: str, path: str, body: Any = None) -> int:
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def stage(park: SmallPark, command: Command) -> dict[str, Any]:
    """Per enterprise: an own resource (A's is the enterprise user's), an incident with an order."""
    stage: dict[str, Any] = {}
    for key, enterprise, unit in (("own", park.enterprise_a, park.unit_a), ("foreign", park.enterprise_b, park.unit_b)):
        team = ledger_services.resource_save(
            actor=SYSTEM,
            values={
                "kind": "team",
                "name": f"{enterprise.name}消防队",
                "owner_kind": "enterprise",
                "enterprise": enterprise.pk,
                "lon": 118.2,
                "lat": 39.17,
            },
        )
        incident = services.incident_create(
            actor=SYSTEM,
            data=services.IncidentInput(
                title=f"{enterprise.name}泄漏", kind="leak", unit_id=unit.pk, chemical_ids=(park.chlorine.pk,)
            ),
        )
        order = dispatch_services.dispatch_create(actor=SYSTEM, incident_id=incident.pk, resource_id=team.pk)
        draft, issued = (
            warning_services.incident_warning_issue(
                actor=SYSTEM, pk=incident.pk, data=IncidentWarningIn(publish=publish)
            )
            for publish in (False, True)
        )
        stage[key] = {
            "team": team,
            "incident": incident,
            "order": order,
            "alarm": command.alarm,
            "draft": draft.id,
            "issued": issued.id,
        }
    stage["bureau_team"] = command.team
    stage["segment"] = RoadSegment.objects.first()
    return stage


def calls(stage: dict[str, Any], key: str) -> list[tuple[str, str, Any, set[Role]]]:
    s = stage[key]
    i, team = s["incident"].pk, s["team"].pk
    return [
        ("GET", f"/resources/{team}", None, READERS),
        (
            "PUT",
            f"/resources/{team}",
            {"kind": "team", "name": "改名消防队", "owner_kind": "enterprise", "enterprise": s["team"].enterprise_id},
            KEEPERS,
        ),
        ("DELETE", f"/resources/{team}", None, KEEPERS),
        ("PUT", f"/resources/{team}/position", {"lon": 118.21, "lat": 39.19}, KEEPERS | COMMANDERS),
        ("GET", f"/incidents/{i}", None, READERS),
        ("PATCH", f"/incidents/{i}", {"level": 3}, COMMANDERS),
        ("GET", f"/incidents/{i}/timeline", None, READERS),
        ("POST", f"/incidents/{i}/zone", None, COMMANDERS),
        ("POST", f"/incidents/{i}/zone/release", {"kind": "continuous", "rate_kg_s": 2}, COMMANDERS),
        ("POST", f"/incidents/{i}/notes", {"text": "回访"}, COMMANDERS),
        ("GET", f"/incidents/{i}/decision", None, READERS),
        ("GET", f"/incidents/{i}/dispatches", None, READERS),
        ("POST", f"/incidents/{i}/dispatches", {"resource": stage["bureau_team"].pk}, COMMANDERS),
        ("POST", f"/dispatches/{s['order'].pk}/depart", None, COMMANDERS),
        ("GET", f"/incidents/{i}/warnings", None, READERS),
        ("POST", f"/incidents/{i}/warnings", {"response_type": "Evacuate"}, WARNERS),
        ("POST", f"/incidents/{i}/warnings/{s['draft']}/publish", None, WARNERS),
        ("POST", f"/incidents/{i}/warnings/{s['issued']}/update", {"zone": 0}, WARNERS),
        ("POST", f"/incidents/{i}/warnings/{s['issued']}/cancel", {"note": "解除"}, WARNERS),
        ("POST", f"/incidents/{i}/close", {"summary": "完毕"}, COMMANDERS),
        (
            "PUT",
            f"/incidents/{i}/investigation",
            {"lead": "王", "opened_on": timezone.localdate(s["incident"].reported_at).isoformat()},
            COMMANDERS,
        ),
    ]


OK = {"GET": 200, "POST": 200, "PUT": 200, "PATCH": 200, "DELETE": 204}
CREATED = ("/notes", "/dispatches", "/warnings")


def expected_ok(method: str, path: str) -> int:
    if method == "DELETE":
        return 409  # the team has a dispatch order: in use
    if path.endswith("/close"):
        return 409  # its unit is still dispatched
    return 201 if method == "POST" and path.endswith(CREATED) else OK[method]


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_incident_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    for key in ("own", "foreign"):
        for method, path, body, allowed in calls(stage, key):
            if role is None or role is Role.MACHINE:
                expected = 401 if role is None else 403
            elif role not in allowed:
                expected = 403
            elif role is Role.ENTERPRISE and key == "foreign":
                expected = 404
            else:
                expected = expected_ok(method, path)
            if role is Role.ENTERPRISE and key == "foreign" and method == "GET":
                expected = 404
            assert attempt(client, method, path, body) == expected, (role, key, method, path)


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_collection_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    segment = stage["segment"].pk
    for method, path, body, allowed, ok in (
        ("GET", "/resources", None, READERS, 200),
        ("POST", "/resources", {"kind": "hydrant", "name": "新消火栓", "lon": 118.2, "lat": 39.2}, KEEPERS, 201),
        ("GET", "/resource-reminders", None, READERS, 200),
        ("GET", "/roads", None, READERS, 200),
        ("PUT", f"/roads/{segment}", {"speed_kmh": 20}, COMMANDERS, 200),
        ("GET", "/route?from_lon=118.2&from_lat=39.17&to_lon=118.2&to_lat=39.2", None, READERS, 200),
        ("GET", "/incidents", None, READERS, 200),
        ("POST", "/incidents", {"title": "起火", "kind": "fire", "lon": 118.2, "lat": 39.2}, COMMANDERS, 201),
        ("POST", f"/alarms/{stage['own']['alarm'].pk}/incident", None, COMMANDERS, 201),
        ("POST", "/simulations/999999/incident", None, COMMANDERS, 404),
    ):
        if role is None or role is Role.MACHINE:
            expected = 401 if role is None else 403
        else:
            expected = ok if role in allowed else 403
        assert attempt(client, method, path, body) == expected, (role, method, path)


def test_enterprise_users_see_only_their_own(park: SmallPark, api: Any, stage: dict[str, Any]) -> None:
    client = api(Role.ENTERPRISE)
    names = {r["name"] for r in client.call("GET", "/resources").json()["items"]}
    assert names == {f"{park.enterprise_a.name}消防队"}
    assert {i["id"] for i in client.call("GET", "/incidents").json()["items"]} == {stage["own"]["incident"].pk}
    foreign = client.call(
        "POST",
        "/resources",
        {"kind": "team", "name": "越权队", "owner_kind": "enterprise", "enterprise": park.enterprise_b.pk},
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "other_enterprise"


PAGES = (
    ("/incidents/", READERS),
    ("/incidents/new/", COMMANDERS),
    ("/incidents/resources/", READERS),
    ("/incidents/resources/new/", READERS),
    ("/incidents/reminders/", READERS),
    ("/incidents/roads/", READERS),
    ("/incidents/resources/export.xlsx", READERS),
)


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_page_matrix(park: SmallPark, stage: dict[str, Any], role: Role) -> None:
    client = Client()
    assert client.login(username=role.value, password=PASSWORD)
    own = stage["own"]["incident"].pk
    for path, allowed in (*PAGES, (f"/incidents/{own}/", READERS), (f"/incidents/{own}/report.docx", READERS)):
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path, status)
    foreign = stage["foreign"]["incident"].pk
    expected = 404 if role is Role.ENTERPRISE else (200 if role in READERS else 403)
    assert client.get(f"/incidents/{foreign}/").status_code == expected
