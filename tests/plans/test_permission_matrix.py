"""Every endpoint of plans, drills, the calendar and public warnings × every role, against a policy
written out here independently of ``chempark.core.roles``: everyone signed in reads except the
auditor and the security administrator; the bureau (administrator, inspector) and the enterprise
write plans and drills, an enterprise user only its own (others' are 404); only the bureau records
filings; the bureau and the dispatcher issue warnings; only the bureau administrator keeps the
calendar. Anonymous callers get 401, machine tokens 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.plans import services
from tests.conftest import ApiClient, SmallPark
from tests.plans.conftest import PDF, days_ago, docx, warning_values

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
WRITERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE}
FILERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
ISSUERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER}
KEEPERS = {Role.BUREAU_ADMIN}

COVERED_PATHS = {
    "/api/v1/work-calendar",
    "/api/v1/work-calendar/{date}",
    "/api/v1/plans",
    "/api/v1/plans/matching",
    "/api/v1/plans/filing-overdue",
    "/api/v1/plans/{pk}",
    "/api/v1/plans/{pk}/filing",
    "/api/v1/plans/{pk}/evaluation",
    "/api/v1/plans/{pk}/versions",
    "/api/v1/plan-versions/{pk}/file",
    "/api/v1/drills",
    "/api/v1/drills/compliance",
    "/api/v1/drills/{pk}",
    "/api/v1/drills/{pk}/done",
    "/api/v1/drills/{pk}/actions",
    "/api/v1/drill-actions/{pk}/complete",
    "/api/v1/warnings",
    "/api/v1/warnings/{pk}",
    "/api/v1/warnings/{pk}/publish",
    "/api/v1/warnings/{pk}/update",
    "/api/v1/warnings/{pk}/cancel",
}
Call = tuple[str, str, Any, set[Role], int]


def attempt(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    """Make the request and roll everything back, so the next attempt sees the same park."""
    with transaction.atomic():
        raw = body if isinstance(body, bytes) else None
        status = client.call(method, path, None if raw else body, raw=raw).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def stage(park: SmallPark) -> dict[str, Any]:
    stage: dict[str, Any] = {}
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        plan = services.plan_create(
            actor=SYSTEM, kind="specific", title="泄漏专项预案", enterprise=enterprise.pk, published_on=days_ago(30)
        )
        version = services.plan_version_add(
            actor=SYSTEM, plan_id=plan.pk, version="V1", file_name="a.docx", content=docx("泄漏")
        )
        planned = services.drill_create(
            actor=SYSTEM,
            title="计划演练",
            kind="specific",
            form="live",
            planned_on=days_ago(-5),
            enterprise=enterprise.pk,
        )
        done = services.drill_create(
            actor=SYSTEM,
            title="已完成演练",
            kind="specific",
            form="tabletop",
            planned_on=days_ago(20),
            done_on=days_ago(20),
            enterprise=enterprise.pk,
            plan=plan.pk,
        )
        action = services.action_add(
            actor=SYSTEM, drill_id=done.pk, problem="通讯不畅", action="加中继台", owner="刘工", deadline=days_ago(-30)
        )
        stage[key] = {"plan": plan, "version": version, "planned": planned, "done": done, "action": action}
    draft = services.warning_create(actor=SYSTEM, **warning_values())
    issued = services.warning_create(actor=SYSTEM, **warning_values())
    services.warning_publish(actor=SYSTEM, pk=issued.pk)
    stage["draft"], stage["issued"] = draft, issued
    return stage


def scoped_calls(s: dict[str, Any]) -> list[Call]:
    """(method, path, body, roles allowed, success status) on one enterprise's rows."""
    plan, drill = s["plan"].pk, s["done"].pk
    return [
        ("GET", f"/plans/{plan}", None, READERS, 200),
        ("PATCH", f"/plans/{plan}", {"title": "新名称"}, WRITERS, 200),
        ("POST", f"/plans/{plan}/filing", {"filed_on": str(days_ago(1)), "filing_number": "B-1"}, FILERS, 200),
        ("POST", f"/plans/{plan}/evaluation", {"evaluated_on": str(days_ago(1))}, WRITERS, 200),
        ("GET", f"/plans/{plan}/versions", None, READERS, 200),
        ("POST", f"/plans/{plan}/versions?version=V9&file_name=b.pdf", PDF, WRITERS, 201),
        ("GET", f"/plan-versions/{s['version'].pk}/file", None, READERS, 200),
        ("GET", f"/drills/{drill}", None, READERS, 200),
        ("POST", f"/drills/{s['planned'].pk}/done", {"done_on": str(days_ago(0))}, WRITERS, 200),
        ("GET", f"/drills/{drill}/actions", None, READERS, 200),
        (
            "POST",
            f"/drills/{drill}/actions",
            {"problem": "p", "action": "a", "owner": "o", "deadline": str(days_ago(-3))},
            WRITERS,
            201,
        ),
        ("POST", f"/drill-actions/{s['action'].pk}/complete", {"completed_on": str(days_ago(0))}, WRITERS, 200),
    ]


def shared_calls(park: SmallPark, stage: dict[str, Any]) -> list[Call]:
    draft, issued = stage["draft"].pk, stage["issued"].pk
    own = park.enterprise_a.pk
    body = warning_values()
    return [
        ("GET", "/work-calendar?year=2026", None, READERS, 200),
        ("PUT", "/work-calendar", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, KEEPERS, 200),
        ("DELETE", "/work-calendar/2026-01-01", None, KEEPERS, 204),
        ("GET", "/plans", None, READERS, 200),
        ("GET", "/plans?q=泄漏&filing=pending", None, READERS, 200),
        ("GET", f"/plans/matching?enterprise={own}&incident_type=leak", None, READERS, 200),
        ("GET", "/plans/filing-overdue", None, READERS, 200),
        ("POST", "/plans", {"kind": "on_site", "title": "罐区处置方案", "enterprise": own}, WRITERS, 201),
        ("GET", "/drills", None, READERS, 200),
        ("GET", "/drills/compliance?overdue=true", None, READERS, 200),
        (
            "POST",
            "/drills",
            {"title": "演练", "kind": "on_site", "form": "live", "planned_on": str(days_ago(-9)), "enterprise": own},
            WRITERS,
            201,
        ),
        ("GET", "/warnings", None, READERS, 200),
        ("GET", f"/warnings/{issued}", None, READERS, 200),
        ("POST", "/warnings", body, ISSUERS, 201),
        ("PATCH", f"/warnings/{draft}", body, ISSUERS, 200),
        ("POST", f"/warnings/{draft}/publish", None, ISSUERS, 200),
        ("POST", f"/warnings/{issued}/update", body, ISSUERS, 200),
        ("POST", f"/warnings/{issued}/cancel", {"note": "解除"}, ISSUERS, 200),
    ]


def expected(role: Role | None, allowed: set[Role], ok: int, foreign: bool = False) -> int:
    if role is None:
        return 401
    if role is Role.MACHINE or role not in allowed:
        return 403
    if foreign and role is Role.ENTERPRISE:
        return 404
    return ok


ROLES = [None, Role.MACHINE, *PERSONS]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_enterprise_rows_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    for key in ("own", "foreign"):
        for method, path, body, allowed, ok in scoped_calls(stage[key]):
            want = expected(role, allowed, ok, foreign=key == "foreign")
            if role is Role.ENTERPRISE and key == "foreign" and method == "GET":
                want = 404
            assert attempt(client, method, path, body) == want, (role, key, method, path)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_shared_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    for method, path, body, allowed, ok in shared_calls(park, stage):
        assert attempt(client, method, path, body) == expected(role, allowed, ok), (role, method, path)


def test_enterprise_sees_only_its_own_rows(park: SmallPark, api: Any, stage: dict[str, Any]) -> None:
    company, bureau = api(Role.ENTERPRISE), api(Role.INSPECTOR)
    for path in ("/plans", "/drills"):
        own = company.call("GET", path).json()["items"]
        everyone = bureau.call("GET", path).json()["items"]
        assert own and len(everyone) > len(own), path
    assert {p["enterprise"] for p in company.call("GET", "/plans").json()["items"]} == {park.enterprise_a.pk}
    foreign = {"kind": "on_site", "title": "x", "enterprise": park.enterprise_b.pk}
    refused = company.call("POST", "/plans", foreign)
    assert refused.status_code == 403 and refused.json()["code"] == "other_enterprise"


def test_api_errors_name_the_field(park: SmallPark, api: Any, stage: dict[str, Any]) -> None:
    bureau = api(Role.INSPECTOR)
    plan = stage["own"]["plan"].pk
    early = bureau.call("POST", f"/plans/{plan}/filing", {"filed_on": str(days_ago(40)), "filing_number": "B"})
    assert early.status_code == 422
    assert early.json()["code"] == "dates_out_of_order" and early.json()["details"] == {"field": "filed_on"}
    no_area = bureau.call("POST", "/warnings", {**warning_values(), "area": None})
    assert no_area.status_code == 422 and no_area.json()["code"] == "invalid_area"
    bad = bureau.call("POST", f"/plans/{plan}/versions?version=V2&file_name=a.pdf", raw=b"GIF89a....")
    assert bad.status_code == 422 and bad.json()["code"] == "bad_document"
    again = bureau.call("POST", f"/warnings/{stage['draft'].pk}/cancel", {})
    assert again.status_code == 409 and again.json()["details"]["allowed"] == ["publish", "edit"]
