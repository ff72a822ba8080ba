"""三同时 projects: the four stages in order, a returned review keeping the stage with its reasons,
a skipped stage answered 409 naming the allowed decision, each decision in the history and audited."""

from __future__ import annotations

from typing import Any

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.supervision.models import ProjectDecision
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today


def test_stages_in_order_with_a_returned_design_review(park: SmallPark, api: Any) -> None:
    bureau = api(Role.INSPECTOR)
    made = bureau.call(
        "POST", "/construction-projects", {"enterprise": park.enterprise_a.pk, "name": "10 万吨/年烧碱扩建"}
    )
    assert made.status_code == 201 and made.json()["allowed"] == ["pass_conditions_review"]
    pk = made.json()["id"]
    day = days_from_today(-30).isoformat()
    skip = bureau.call("POST", f"/construction-projects/{pk}/pass_design_review", {"passed": True, "decided_on": day})
    assert skip.status_code == 409 and skip.json()["details"]["allowed"] == ["pass_conditions_review"]
    steps = [
        ("pass_conditions_review", True, "", "design_review"),
        ("pass_design_review", False, "", None),
        ("pass_design_review", False, "防火间距不足", "design_review"),
        ("pass_design_review", True, "", "trial_production"),
        ("finish_trial_production", True, "", "completion_acceptance"),
        ("pass_completion_acceptance", True, "", "accepted"),
    ]
    for action, passed, note, stage in steps:
        body = {"passed": passed, "decided_on": day, "documents": "审查意见书", "note": note}
        answer = bureau.call("POST", f"/construction-projects/{pk}/{action}", body)
        if stage is None:
            assert answer.status_code == 422 and "note" in answer.json()["details"]
            continue
        assert answer.status_code == 200 and answer.json()["stage"] == stage, (action, answer.json())
    assert [(d.stage, d.passed) for d in ProjectDecision.objects.filter(project_id=pk)] == [
        ("conditions_review", True),
        ("design_review", False),
        ("design_review", True),
        ("trial_production", True),
        ("completion_acceptance", True),
    ]
    assert AuditEvent.objects.filter(object_type="construction_project", object_id=str(pk)).count() == 6
    company = api(Role.ENTERPRISE)
    assert [p["id"] for p in company.call("GET", "/construction-projects").json()["items"]] == [pk]
    assert (
        company.call("POST", f"/construction-projects/{pk}/x", {"passed": True, "decided_on": day}).status_code == 409
    )
