"""Every supervision endpoint × every role, against a policy written out here independently of
``chempark.core.roles``: hidden dangers are read and reported by the bureau, experts and the
enterprise (its own only: others' are 404), rectified by the enterprise and the bureau, ordered,
verified, closed out and escalated by the bureau; inspections are read by the bureau and experts and
run by the bureau; enforcement cases are the bureau's. The auditor, the security administrator and
the dispatcher get 403, anonymous callers 401, machine tokens 403."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.supervision import case_services, inspection_services, operation_services, project_services
from chempark.supervision.models import Evidence, HiddenDanger, PoolMember
from tests.conftest import ApiClient, SmallPark
from tests.supervision.conftest import days_from_today, png, report

PERSONS = [r for r in Role if r is not Role.MACHINE]
BUREAU = {Role.BUREAU_ADMIN, Role.INSPECTOR}
DANGER_READERS = BUREAU | {Role.EXPERT, Role.ENTERPRISE}
RECTIFIERS = BUREAU | {Role.ENTERPRISE}
INSPECTION_READERS = BUREAU | {Role.EXPERT}
LICENCE_READERS = BUREAU | {Role.ENTERPRISE}
OPERATION_READERS = BUREAU | {Role.EXPERT, Role.ENTERPRISE}
OPERATION_FILERS = BUREAU | {Role.ENTERPRISE}

COVERED_PATHS = {
    "/api/v1/hidden-dangers",
    "/api/v1/hidden-dangers/{pk}",
    "/api/v1/hidden-dangers/{pk}/order",
    "/api/v1/hidden-dangers/{pk}/start",
    "/api/v1/hidden-dangers/{pk}/evidence",
    "/api/v1/hidden-dangers/{pk}/submit",
    "/api/v1/hidden-dangers/{pk}/verify",
    "/api/v1/hidden-dangers/{pk}/close-out",
    "/api/v1/hidden-dangers/{pk}/escalate",
    "/api/v1/hidden-dangers-rates",
    "/api/v1/campaigns",
    "/api/v1/random-draws",
    "/api/v1/random-draws/{pk}",
    "/api/v1/inspections",
    "/api/v1/enforcement-cases",
    "/api/v1/enforcement-cases/statistics",
    "/api/v1/enforcement-cases/{pk}",
    "/api/v1/enforcement-cases/{pk}/{action}",
    "/api/v1/enforcement-cases/{pk}/documents/{kind}.{fmt}",
    "/api/v1/licences",
    "/api/v1/certificates",
    "/api/v1/licences-expiring",
    "/api/v1/certificate-coverage",
    "/api/v1/special-operations",
    "/api/v1/special-operations/checks",
    "/api/v1/special-operations/statistics",
    "/api/v1/special-operations/{pk}/spot-checks",
    "/api/v1/work-permits",
    "/api/v1/risk-points",
    "/api/v1/construction-projects",
    "/api/v1/construction-projects/{pk}/{action}",
    "/api/v1/service-organisations",
}


def attempt(
    client: ApiClient, method: str, path: str, body: Any = None, setup: Callable[[], None] | None = None
) -> int:
    with transaction.atomic():
        if setup is not None:
            setup()
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


def expect(role: Role | None, allowed: set[Role], ok: int) -> int:
    if role is None:
        return 401
    if role is Role.MACHINE or role not in allowed:
        return 403
    return ok


def in_status(
    danger: HiddenDanger, status: str, *, evidence: bool = False, deadline_days: int = 5
) -> Callable[[], None]:
    def setup() -> None:
        HiddenDanger.objects.filter(pk=danger.pk).update(status=status, deadline=days_from_today(deadline_days))
        if evidence:
            Evidence.objects.create(
                danger=danger, content=png(), content_type="image/png", size_bytes=1, uploaded_by="x"
            )

    return setup


ROLES = [None, Role.MACHINE, *PERSONS]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_hidden_danger_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    photo = {"content_base64": base64.b64encode(png()).decode()}
    order = {"plan": "方案", "owner": "李工", "deadline": days_from_today(5).isoformat(), "interim_measures": "监护"}
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        danger = report(enterprise)
        base = f"/hidden-dangers/{danger.pk}"
        calls = [
            ("GET", base, None, None, DANGER_READERS, 200),
            ("POST", f"{base}/order", order, None, BUREAU, 200),
            ("POST", f"{base}/start", {}, in_status(danger, "ordered"), RECTIFIERS, 200),
            ("POST", f"{base}/evidence", photo, in_status(danger, "rectifying"), RECTIFIERS, 201),
            (
                "POST",
                f"{base}/submit",
                {"note": "完成"},
                in_status(danger, "rectifying", evidence=True),
                RECTIFIERS,
                200,
            ),
            ("POST", f"{base}/verify", {"passed": True}, in_status(danger, "submitted"), BUREAU, 200),
            ("POST", f"{base}/close-out", {}, in_status(danger, "verified"), BUREAU, 200),
            ("POST", f"{base}/escalate", {}, in_status(danger, "ordered", deadline_days=-1), BUREAU, 200),
        ]
        for method, path, body, setup, allowed, ok in calls:
            # another enterprise's danger is not found before any capability is weighed; a service
            # organisation's user assigned no enterprise (as here) finds none
            hidden = (role is Role.ENTERPRISE and key == "foreign") or role is Role.SERVICE_ORG
            expected = 404 if hidden else expect(role, allowed, ok)
            assert attempt(client, method, path, body, setup) == expected, (role, key, method, path)
        new = {
            "enterprise": enterprise.pk,
            "source": "self_investigation",
            "grade": "general",
            "description": "自查发现",
            "found_on": days_from_today(-1).isoformat(),
        }
        expected_new = expect(role, DANGER_READERS, 201)
        if (role is Role.ENTERPRISE and key == "foreign") or role is Role.SERVICE_ORG:
            expected_new = 403  # writing for an enterprise outside one's scope: refused, not hidden
        assert attempt(client, "POST", "/hidden-dangers", new) == expected_new, (role, key)
    for path in ("/hidden-dangers", "/hidden-dangers-rates"):
        assert attempt(client, "GET", path) == expect(role, DANGER_READERS | {Role.SERVICE_ORG}, 200), (role, path)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_inspection_and_case_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    for name, kind in (("甲", "inspector"), ("乙", "inspector"), ("丙", "expert")):
        PoolMember.objects.create(name=name, kind=kind)
    campaign = inspection_services.campaign_create(
        actor=SYSTEM, name="专项", kind="other", starts_on=days_from_today(-1), ends_on=days_from_today(9)
    )
    drawn = inspection_services.draw_run(
        actor=SYSTEM, campaign_id=campaign.pk, enterprise_count=1, inspector_count=2, seed=1
    )
    case = case_services.case_file(
        actor=SYSTEM,
        number="K-1",
        enterprise_id=park.enterprise_a.pk,
        violation_kind="other",
        violation="事实",
        filed_on=days_from_today(-2),
        handler="王",
    )
    new_campaign = {
        "name": "新专项",
        "kind": "other",
        "starts_on": days_from_today(0).isoformat(),
        "ends_on": days_from_today(5).isoformat(),
    }
    inspection = {
        "enterprise": park.enterprise_a.pk,
        "inspected_on": days_from_today(-1).isoformat(),
        "inspectors": "甲、乙",
    }
    new_case = {
        "number": "K-2",
        "enterprise": park.enterprise_a.pk,
        "violation_kind": "other",
        "violation": "事实",
        "filed_on": days_from_today(-1).isoformat(),
        "handler": "王",
    }
    calls = [
        ("GET", "/campaigns", None, INSPECTION_READERS, 200),
        ("POST", "/campaigns", new_campaign, BUREAU, 201),
        ("GET", "/random-draws", None, INSPECTION_READERS, 200),
        ("GET", f"/random-draws/{drawn.pk}", None, INSPECTION_READERS, 200),
        ("POST", "/random-draws", {"campaign": campaign.pk, "enterprise_count": 1, "inspector_count": 2}, BUREAU, 201),
        ("GET", "/inspections", None, INSPECTION_READERS, 200),
        ("POST", "/inspections", inspection, BUREAU, 201),
        ("GET", "/enforcement-cases", None, BUREAU, 200),
        ("POST", "/enforcement-cases", new_case, BUREAU, 201),
        ("GET", "/enforcement-cases/statistics", None, BUREAU, 200),
        ("GET", f"/enforcement-cases/{case.pk}", None, BUREAU, 200),
        ("POST", f"/enforcement-cases/{case.pk}/to_investigated", {"on": days_from_today(0).isoformat()}, BUREAU, 200),
        ("GET", f"/enforcement-cases/{case.pk}/documents/rectification_order.pdf", None, BUREAU, 422),
    ]
    for method, path, body, allowed, ok in calls:
        assert attempt(client, method, path, body) == expect(role, allowed, ok), (role, method, path)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_licence_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    for path in ("/licences", "/certificates", "/licences-expiring", "/certificate-coverage"):
        assert attempt(client, "GET", path) == expect(role, LICENCE_READERS, 200), (role, path)
    dates = {"issued_on": days_from_today(-10).isoformat(), "expires_on": days_from_today(300).isoformat()}
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        licence = {"enterprise": enterprise.pk, "kind": "safety_production", "number": f"L-{key}", **dates}
        assert attempt(client, "POST", "/licences", licence) == expect(role, BUREAU, 201), (role, key)
        person = {"enterprise": enterprise.pk, "kind": "principal", "holder": "王总", "number": f"C-{key}", **dates}
        expected = expect(role, LICENCE_READERS, 201)
        if role is Role.ENTERPRISE and key == "foreign":
            expected = 403
        assert attempt(client, "POST", "/certificates", person) == expected, (role, key)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_special_operation_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    now = timezone.now()
    window = {
        "starts_at": (now - dt.timedelta(hours=1)).isoformat(),
        "ends_at": (now + dt.timedelta(hours=3)).isoformat(),
    }
    for path in (
        "/special-operations",
        "/special-operations/checks",
        "/special-operations/statistics",
        "/work-permits",
    ):
        assert attempt(client, "GET", path) == expect(role, OPERATION_READERS, 200), (role, path)
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        operation = operation_services.operation_file(
            actor=SYSTEM,
            enterprise_id=enterprise.pk,
            kind="height",
            grade="second",
            place="平台",
            permit_number=f"GC-{key}",
            guardian="赵",
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=3),
        )
        body = {
            "enterprise": enterprise.pk,
            "kind": "height",
            "grade": "second",
            "place": "平台",
            "permit_number": f"N-{key}",
            "guardian": "赵",
            **window,
        }
        expected = expect(role, OPERATION_FILERS, 201)
        if role is Role.ENTERPRISE and key == "foreign":
            expected = 403
        assert attempt(client, "POST", "/special-operations", body) == expected, (role, key)
        check = {"compliant": True}
        expected = 404 if role is Role.ENTERPRISE and key == "foreign" else expect(role, BUREAU, 201)
        path = f"/special-operations/{operation.pk}/spot-checks"
        assert attempt(client, "POST", path, check) == expected, (role, key)
    permit = {
        "permit_number": "P-1",
        "kind": "height",
        "grade": "second",
        "place": "平台",
        "valid_from": window["starts_at"],
        "valid_to": window["ends_at"],
    }
    expected = 401 if role is None else 201 if role is Role.MACHINE else 403
    assert attempt(client, "POST", "/work-permits", permit) == expected, role


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_risk_point_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    assert attempt(client, "GET", "/risk-points") == expect(role, OPERATION_READERS, 200), role
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        point = {
            "enterprise": enterprise.pk,
            "name": "罐区",
            "kind": "unit",
            "method": "matrix",
            "factors": {"likelihood": 2, "severity": 3},
            "control_measures": "巡检",
            "responsible": "李工",
            "assessed_on": days_from_today(-1).isoformat(),
        }
        expected = expect(role, OPERATION_FILERS, 201)
        if role is Role.ENTERPRISE and key == "foreign":
            expected = 403
        assert attempt(client, "POST", "/risk-points", point) == expected, (role, key)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_project_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    assert attempt(client, "GET", "/construction-projects") == expect(role, LICENCE_READERS | {Role.EXPERT}, 200), role
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        project = project_services.project_register(actor=SYSTEM, enterprise_id=enterprise.pk, name=f"项目{key}")
        body = {"passed": True, "decided_on": days_from_today(0).isoformat()}
        path = f"/construction-projects/{project.pk}/pass_conditions_review"
        expected = 404 if role is Role.ENTERPRISE and key == "foreign" else expect(role, BUREAU, 200)
        assert attempt(client, "POST", path, body) == expected, (role, key)
        new = {"enterprise": enterprise.pk, "name": "新项目"}
        assert attempt(client, "POST", "/construction-projects", new) == expect(role, BUREAU, 201), (role, key)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_service_organisation_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    assert attempt(client, "GET", "/service-organisations") == expect(role, BUREAU, 200), role
    body = {"name": "安全管家", "enterprises": [park.enterprise_a.pk], "members": [park.users[Role.SERVICE_ORG].pk]}
    assert attempt(client, "POST", "/service-organisations", body) == expect(role, BUREAU, 201), role
