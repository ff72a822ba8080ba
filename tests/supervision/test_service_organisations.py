"""The service-organisation role (安全管家 / 第三方服务机构): its users record findings and expert checks
for the enterprises assigned to their organisation and see nothing else — not other enterprises'
dangers, not the other modules."""

from __future__ import annotations

from typing import Any

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.supervision import organisation_services
from chempark.supervision.models import HiddenDanger
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today, report


def assign(park: SmallPark) -> None:
    organisation_services.organisation_create(
        actor=SYSTEM,
        name="协会安全管家服务队",
        enterprises=[park.enterprise_a.pk],
        members=[park.users[Role.SERVICE_ORG].pk],
    )


def finding(enterprise: Any, source: str = "steward") -> dict[str, Any]:
    return {
        "enterprise": enterprise.pk,
        "source": source,
        "grade": "general",
        "description": "安全管家发现消防器材过期",
        "found_on": days_from_today(-1).isoformat(),
    }


def test_service_users_work_only_for_their_assigned_enterprises(park: SmallPark, api: Any) -> None:
    assign(park)
    own, other = report(park.enterprise_a), report(park.enterprise_b)
    steward = api(Role.SERVICE_ORG)
    assert steward.call("POST", "/hidden-dangers", finding(park.enterprise_a)).status_code == 201
    assert steward.call("POST", "/hidden-dangers", finding(park.enterprise_a, "expert_check")).status_code == 201
    refused = steward.call("POST", "/hidden-dangers", finding(park.enterprise_b))
    assert refused.status_code == 403 and refused.json()["code"] == "other_enterprise"
    bad_source = steward.call("POST", "/hidden-dangers", finding(park.enterprise_a, "bureau_inspection"))
    assert bad_source.status_code == 422 and "source" in bad_source.json()["details"]
    seen = {row["id"] for row in steward.call("GET", "/hidden-dangers").json()["items"]}
    assert own.pk in seen and other.pk not in seen and len(seen) == 3
    assert steward.call("GET", f"/hidden-dangers/{other.pk}").status_code == 404
    assert steward.call("POST", f"/hidden-dangers/{own.pk}/order", {}).status_code in (403, 422)
    assert HiddenDanger.objects.filter(enterprise=park.enterprise_b).count() == 1


def test_an_unassigned_service_user_sees_nothing(park: SmallPark, api: Any) -> None:
    report(park.enterprise_a)
    steward = api(Role.SERVICE_ORG)
    assert steward.call("GET", "/hidden-dangers").json()["items"] == []
    assert steward.call("POST", "/hidden-dangers", finding(park.enterprise_a)).status_code == 403


def test_service_users_see_nothing_of_the_other_modules(park: SmallPark, api: Any) -> None:
    assign(park)
    steward = api(Role.SERVICE_ORG)
    for path in (
        "/enterprises",
        "/major-hazards",
        "/inspections",
        "/enforcement-cases",
        "/special-operations",
        "/licences",
        "/risk-points",
        "/construction-projects",
        "/service-organisations",
        "/hidden-dangers-rates",
    ):
        expected = 200 if path == "/hidden-dangers-rates" else 403
        assert steward.call("GET", path).status_code == expected, path
    rates = steward.call("GET", "/hidden-dangers-rates").json()
    assert {row["name"] for row in rates} <= {park.enterprise_a.name}
