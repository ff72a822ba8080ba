"""Every endpoint of the major hazard registry × every role, against a policy written out here
independently of ``chempark.core.roles``: everyone signed in reads except the auditor and the
security administrator (three-role separation; an enterprise user reads only its own enterprise:
others' rows are 404), the enterprise and the bureau submit, only the bureau approves; anonymous
callers get 401 and machine tokens 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.hazards import services
from chempark.hazards.models import HazardStatus, LevelChange, MajorHazard
from chempark.park.services import registry_update
from tests.conftest import ApiClient, SmallPark
from tests.hazards.conftest import days_ago, set_status

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
SUBMITTERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE}
APPROVERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}

COVERED_PATHS = {
    "/api/v1/major-hazards",
    "/api/v1/major-hazards/{pk}",
    "/api/v1/major-hazards/{pk}/register",
    "/api/v1/major-hazards/{pk}/submit-filing",
    "/api/v1/major-hazards/{pk}/approve-filing",
    "/api/v1/major-hazards/{pk}/return-filing",
    "/api/v1/major-hazards/{pk}/request-cancellation",
    "/api/v1/major-hazards/{pk}/approve-cancellation",
    "/api/v1/major-hazards/{pk}/reject-cancellation",
    "/api/v1/major-hazards/{pk}/safety-assessment",
    "/api/v1/major-hazards/{pk}/guarantors/{role}",
    "/api/v1/safety-assessments/due",
    "/api/v1/units/{pk}/assessments",
    "/api/v1/units/{pk}/reassess",
    "/api/v1/level-changes",
    "/api/v1/level-changes/{pk}/acknowledge",
    "/api/v1/guarantors/{pk}/duty-checks",
    "/api/v1/duty-checks/overdue",
    "/api/v1/safety-commitments",
    "/api/v1/safety-commitments/missing",
}


def attempt(
    client: ApiClient, method: str, path: str, body: Any = None, setup: Callable[[], None] | None = None
) -> int:
    """Set the stage, make the request, roll everything back so the next attempt sees the same park."""
    with transaction.atomic():
        if setup is not None:
            setup()
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


def in_status(hazard: MajorHazard, status: HazardStatus, previous: str = "") -> Callable[[], None]:
    return lambda: set_status(hazard, status, previous) and None


@pytest.fixture
def stage(park: SmallPark) -> dict[str, Any]:
    """One record of each kind per enterprise: major hazards, responsible persons, level changes."""
    stage: dict[str, Any] = {}
    for key, unit in (("own", park.unit_a), ("foreign", park.unit_b)):
        hazard = MajorHazard.objects.get(unit=unit)
        guarantor = services.guarantor_assign(actor=SYSTEM, hazard_id=hazard.pk, role="technical", name="李工")
        stage[key] = {"hazard": hazard, "guarantor": guarantor, "unit": unit}
    for enterprise in (park.enterprise_a, park.enterprise_b):
        registry_update(actor=SYSTEM, kind="enterprise", pk=enterprise.pk, values={"population_500m": 10})
    stage["own"]["change"] = LevelChange.objects.get(hazard=stage["own"]["hazard"])
    stage["foreign"]["change"] = LevelChange.objects.get(hazard=stage["foreign"]["hazard"])
    return stage


def hazard_calls(s: dict[str, Any]) -> list[tuple[str, str, Any, Callable[[], None] | None, set[Role]]]:
    """(method, path, body, setup, roles allowed) for one enterprise's records."""
    h, g = s["hazard"], s["guarantor"]
    base = f"/major-hazards/{h.pk}"
    everyone = READERS
    return [
        ("GET", base, None, None, everyone),
        ("GET", f"/units/{s['unit'].pk}/assessments", None, None, everyone),
        ("GET", f"/guarantors/{g.pk}/duty-checks", None, None, everyone),
        ("POST", f"{base}/register", {"name": "液氯储罐区"}, None, SUBMITTERS),
        ("POST", f"{base}/submit-filing", {}, in_status(h, HazardStatus.REGISTERED), SUBMITTERS),
        (
            "POST",
            f"{base}/approve-filing",
            {"filing_number": "N-1", "filed_on": days_ago(30)},
            in_status(h, HazardStatus.FILING_SUBMITTED),
            APPROVERS,
        ),
        ("POST", f"{base}/return-filing", {"reason": "缺材料"}, in_status(h, HazardStatus.FILING_SUBMITTED), APPROVERS),
        ("POST", f"{base}/request-cancellation", {"reason": "拆除"}, in_status(h, HazardStatus.FILED), SUBMITTERS),
        (
            "POST",
            f"{base}/approve-cancellation",
            {},
            in_status(h, HazardStatus.CANCELLATION_REQUESTED, "filed"),
            APPROVERS,
        ),
        (
            "POST",
            f"{base}/reject-cancellation",
            {"reason": "仍在用"},
            in_status(h, HazardStatus.CANCELLATION_REQUESTED, "filed"),
            APPROVERS,
        ),
        ("POST", f"{base}/safety-assessment", {"assessed_on": days_ago(200), "agency": "某评价公司"}, None, SUBMITTERS),
        ("PUT", f"{base}/guarantors/principal", {"name": "王总"}, None, SUBMITTERS),
        ("POST", f"/units/{s['unit'].pk}/reassess", None, None, SUBMITTERS),
        ("POST", f"/guarantors/{g.pk}/duty-checks", {"checked_on": days_ago(1)}, None, SUBMITTERS),
        ("POST", f"/level-changes/{s['change'].pk}/acknowledge", None, None, APPROVERS),
    ]


OK = {"GET": 200, "POST": 200, "PUT": 200}
CREATED = ("/duty-checks",)


def expected_ok(method: str, path: str) -> int:
    return 201 if method == "POST" and path.endswith(CREATED) else OK[method]


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_hazard_record_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    for key in ("own", "foreign"):
        for method, path, body, setup, allowed in hazard_calls(stage[key]):
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
            assert attempt(client, method, path, body, setup) == expected, (role, key, method, path)


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_lists_and_commitments_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    person = role not in (None, Role.MACHINE)
    refused = 401 if role is None else 403
    for path in (
        "/major-hazards",
        "/safety-assessments/due",
        "/level-changes",
        "/duty-checks/overdue",
        "/safety-commitments",
        "/safety-commitments/missing",
    ):
        assert attempt(client, "GET", path) == (200 if role in READERS else refused), (role, path)
    body = {
        "units_running": 3,
        "units_under_maintenance": 1,
        "special_operations": 0,
        "hazards_under_control": True,
        "principal_name": "王总",
        "commitment": "承诺安全",
    }
    own = {**body, "enterprise": park.enterprise_a.pk}
    foreign = {**body, "enterprise": park.enterprise_b.pk}
    expected_own = 201 if role in SUBMITTERS else refused if not person else 403
    assert attempt(client, "POST", "/safety-commitments", own) == expected_own, role
    expected_foreign = 403 if role is Role.ENTERPRISE else expected_own
    assert attempt(client, "POST", "/safety-commitments", foreign) == expected_foreign, role


def test_enterprise_lists_hold_only_its_own_rows(park: SmallPark, api: Any, stage: dict[str, Any]) -> None:
    company, bureau = api(Role.ENTERPRISE), api(Role.INSPECTOR)
    for path in ("/major-hazards", "/level-changes", "/safety-assessments/due"):
        own = company.call("GET", path).json()["items"]
        everyone = bureau.call("GET", path).json()["items"]
        assert own and len(everyone) > len(own), path
    hazards = company.call("GET", "/major-hazards").json()["items"]
    assert {h["enterprise"] for h in hazards} == {park.enterprise_a.pk}
    missing = company.call("GET", "/safety-commitments/missing").json()["items"]
    assert [e["id"] for e in missing] == [park.enterprise_a.pk]
