"""The major hazard registry through its services and API: recomputation on registry changes, the
append-only history, level changes, unclassified inventories, and the filing workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.hazards import services
from chempark.hazards.models import HazardStatus, HazardTransition, LevelChange, MajorHazard, UnitAssessment
from chempark.hazards.workflow import Action, Status, allowed_actions
from chempark.park.models import Inventory
from tests.conftest import SmallPark
from tests.hazards.conftest import add_inventory, days_ago, make_chemical, make_unit, set_status


def latest(unit: Any) -> UnitAssessment:
    return UnitAssessment.objects.filter(unit=unit).order_by("-computed_at", "-id").first()  # type: ignore[return-value]  # first() may be None; the callers expect a row and fail without one


@pytest.fixture
def so2_unit(park: SmallPark, api: Any) -> Any:
    """The published example: SO₂ q = 200 t (Q = 20 t, β = 2), 60 residents (α = 1.5): S = 10, R = 30 → 三级."""
    inspector = api(Role.INSPECTOR)
    response = inspector.call("PATCH", f"/enterprises/{park.enterprise_a.pk}", {"population_500m": 60})
    assert response.status_code == 200
    unit = make_unit(park, park.enterprise_a)
    so2 = make_chemical("二氧化硫", "7446-09-5", ["加压气体", "急性毒性-吸入 类别3"])
    response = api(Role.ENTERPRISE).call(
        "POST", "/inventories", {"unit": unit.pk, "chemical": so2.pk, "design_max_t": "200", "current_t": "80"}
    )
    assert response.status_code == 201
    unit.so2_inventory_id = response.json()["id"]
    return unit


def test_published_so2_example_through_the_api(park: SmallPark, api: Any, so2_unit: Any) -> None:
    history = api(Role.ENTERPRISE).call("GET", f"/units/{so2_unit.pk}/assessments").json()
    assert history["count"] == 1
    snapshot = history["items"][0]
    assert (snapshot["s"], snapshot["r"], snapshot["level"], snapshot["alpha"]) == ("10", "30", 3, "1.5")
    assert snapshot["population_500m"] == 60 and snapshot["population_reported"] is True
    assert snapshot["table_version"] == "GB 18218-2018"
    line = snapshot["result"]["lines"][0]
    assert (line["q_t"], line["critical_q_t"], line["beta"], line["ratio"]) == (200, 20, 2, 10)
    assert snapshot["holdings"][0]["design_max_t"] == "200.0000"  # q is the design maximum, not the 80 t held
    hazard = MajorHazard.objects.get(unit=so2_unit)
    assert (hazard.status, hazard.level, hazard.r) == ("identified", 3, Decimal(30))


def test_changing_an_inventory_keeps_the_old_snapshot_and_raises_a_level_change(
    park: SmallPark, api: Any, so2_unit: Any
) -> None:
    client = api(Role.ENTERPRISE)
    response = client.call("PATCH", f"/inventories/{so2_unit.so2_inventory_id}", {"design_max_t": "400"})
    assert response.status_code == 200
    history = client.call("GET", f"/units/{so2_unit.pk}/assessments").json()["items"]
    assert [(a["s"], a["r"], a["level"]) for a in history] == [("20", "60", 2), ("10", "30", 3)]
    hazard = MajorHazard.objects.get(unit=so2_unit)
    assert (hazard.level, hazard.r, hazard.assessment_id) == (2, Decimal(60), history[0]["id"])
    change = LevelChange.objects.get(hazard=hazard)
    assert (change.old_level, change.new_level, change.old_s, change.new_s) == (3, 2, Decimal(10), Decimal(20))
    # the bureau sees it and acknowledges it; an enterprise user cannot
    assert client.call("POST", f"/level-changes/{change.pk}/acknowledge").status_code == 403
    listed = api(Role.INSPECTOR).call("GET", "/level-changes?open=true").json()
    # also open: the chlorine unit went from 二级 to 三级 when the population (α 2.0 → 1.5) was reported
    assert {(c["hazard"], c["old_level"], c["new_level"]) for c in listed["items"]} == {
        (hazard.pk, 3, 2),
        (MajorHazard.objects.get(unit=park.unit_a).pk, 2, 3),
    }
    assert api(Role.INSPECTOR).call("POST", f"/level-changes/{change.pk}/acknowledge").status_code == 200
    again = api(Role.INSPECTOR).call("POST", f"/level-changes/{change.pk}/acknowledge")
    assert again.status_code == 409


def test_population_change_recomputes_every_unit_of_the_enterprise(park: SmallPark, api: Any, so2_unit: Any) -> None:
    # 0 residents: α = 0.5; chlorine unit R = 0.5 × 4 × 40/5 = 16 (三级);
    # SO₂ unit R = 0.5 × 2 × 10 = 10 (三级, on the boundary)
    response = api(Role.INSPECTOR).call("PATCH", f"/enterprises/{park.enterprise_a.pk}", {"population_500m": 0})
    assert response.status_code == 200
    assert (latest(park.unit_a).r, latest(park.unit_a).level) == (Decimal(16), 3)
    assert (latest(so2_unit).r, latest(so2_unit).level, latest(so2_unit).reason) == (Decimal(10), 3, "enterprise")
    assert latest(park.unit_b).population_500m is None  # the other enterprise is untouched


def test_unreported_population_grades_with_the_largest_alpha(park: SmallPark) -> None:
    snapshot = latest(park.unit_b)
    assert snapshot.population_reported is False and snapshot.alpha == Decimal(2)
    assert (snapshot.s, snapshot.r, snapshot.level) == (Decimal(8), Decimal(64), 2)  # 2 × 4 × 40/5


def test_enterprise_user_cannot_set_its_own_population(park: SmallPark, api: Any) -> None:
    before = UnitAssessment.objects.count()
    response = api(Role.ENTERPRISE).call("PATCH", f"/enterprises/{park.enterprise_a.pk}", {"population_500m": 0})
    assert response.status_code == 403 and response.json()["code"] == "bureau_only_field"
    assert UnitAssessment.objects.count() == before


def test_unclassified_inventory_is_reported_not_dropped(park: SmallPark, api: Any) -> None:
    acid = make_chemical("硫酸", "7664-93-9", ["皮肤腐蚀/刺激 类别1A"])
    add_inventory(park.unit_a, acid, "30")
    snapshot = latest(park.unit_a)
    assert snapshot.s == Decimal(8)  # chlorine only
    assert [(u["chemical"], u["code"]) for u in snapshot.unclassified] == [("硫酸", "no_category")]
    # the bureau confirms it is outside Table 2: a new snapshot says so
    response = api(Role.INSPECTOR).call("PATCH", f"/chemicals/{acid.pk}", {"gb18218_categories": ["-"]})
    assert response.status_code == 200
    snapshot = latest(park.unit_a)
    assert [(u["chemical"], u["code"]) for u in snapshot.unclassified] == [("硫酸", "outside_gb18218")]
    assert snapshot.reason == "chemical"


def test_non_table_1_chemical_counts_with_its_derived_or_explicit_category(park: SmallPark, api: Any) -> None:
    unit = make_unit(park, park.enterprise_b, "U05")
    xylene = make_chemical("二甲苯异构体混合物", "1330-20-7", ["易燃液体 类别3"])
    add_inventory(unit, xylene, "6000")
    snapshot = latest(unit)
    assert snapshot.holdings[0]["categories"] == ["W5.4"]
    assert snapshot.s == Decimal("1.2")  # 6000 / 5000
    response = api(Role.INSPECTOR).call("PATCH", f"/chemicals/{xylene.pk}", {"gb18218_categories": ["W5.3"]})
    assert response.status_code == 200
    assert latest(unit).s == Decimal(6) and latest(unit).holdings[0]["category_source"] == "explicit"


def test_unknown_category_code_is_refused(park: SmallPark, api: Any) -> None:
    response = api(Role.INSPECTOR).call("PATCH", f"/chemicals/{park.chlorine.pk}", {"gb18218_categories": ["W99"]})
    assert response.status_code == 422
    park.chlorine.refresh_from_db()
    assert park.chlorine.gb18218_categories == []


def test_bad_inventory_change_leaves_inventory_and_history_unchanged(park: SmallPark, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    before = (UnitAssessment.objects.count(), AuditEvent.objects.count())
    response = client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"design_max_t": "-5"})
    assert response.status_code == 422
    assert (UnitAssessment.objects.count(), AuditEvent.objects.count()) == before
    assert Inventory.objects.get(pk=park.inventory_a.pk).design_max_t == Decimal(40)


def test_inventory_change_and_snapshot_commit_together(park: SmallPark, api: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("recomputation failed")

    monkeypatch.setattr(services, "_reassess", broken)
    client = api(Role.ENTERPRISE)
    client.client.raise_request_exception = False
    response = client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"design_max_t": "80"})
    assert response.status_code == 500
    assert Inventory.objects.get(pk=park.inventory_a.pk).design_max_t == Decimal(40)


def test_identical_recomputation_adds_no_snapshot(park: SmallPark, api: Any) -> None:
    before = latest(park.unit_a)
    response = api(Role.ENTERPRISE).call("POST", f"/units/{park.unit_a.pk}/reassess")
    assert response.status_code == 200 and response.json()["id"] == before.pk
    assert UnitAssessment.objects.filter(unit=park.unit_a).count() == 1


def test_deleting_the_last_inventory_records_s_zero_and_flags_the_hazard(park: SmallPark, api: Any) -> None:
    assert api(Role.ENTERPRISE).call("DELETE", f"/inventories/{park.inventory_a.pk}").status_code == 204
    snapshot = latest(park.unit_a)
    assert (snapshot.s, snapshot.is_major, snapshot.level) == (Decimal(0), False, None)
    hazard = MajorHazard.objects.get(unit=park.unit_a)
    assert hazard.still_major is False and hazard.status == "identified"
    assert UnitAssessment.objects.filter(unit=park.unit_a).count() == 2


# --- Workflow ---------------------------------------------------------------------------------------


def test_filing_workflow_end_to_end(park: SmallPark, api: Any, hazard_a: MajorHazard) -> None:
    company, bureau = api(Role.ENTERPRISE), api(Role.INSPECTOR)
    base = f"/major-hazards/{hazard_a.pk}"
    body = {"name": "液氯储罐区重大危险源", "process_description": "常温加压储存", "safety_measures": "DCS、SIS"}
    response = company.call("POST", f"{base}/register", body)
    assert response.status_code == 200 and response.json()["status"] == "registered"
    assert response.json()["allowed_actions"] == ["submit_filing", "request_cancellation"]
    assert company.call("POST", f"{base}/submit-filing", {}).status_code == 200
    filed_on = days_ago(30)
    assert (
        company.call("POST", f"{base}/approve-filing", {"filing_number": "X-1", "filed_on": filed_on}).status_code
        == 403
    )
    returned = bureau.call("POST", f"{base}/return-filing", {"reason": "缺少安全评估报告"})
    assert returned.status_code == 200 and returned.json()["status"] == "registered"
    assert company.call("POST", f"{base}/submit-filing", {}).status_code == 200
    filed = bureau.call(
        "POST", f"{base}/approve-filing", {"filing_number": "唐应急危备〔2026〕001号", "filed_on": filed_on}
    ).json()
    assert (filed["status"], filed["filing_number"], filed["filed_on"]) == (
        "filed",
        "唐应急危备〔2026〕001号",
        filed_on,
    )
    assert [t["action"] for t in filed["transitions"]] == [
        "identify",
        "register",
        "submit_filing",
        "return_filing",
        "submit_filing",
        "approve_filing",
    ]
    assert filed["transitions"][3]["reason"] == "缺少安全评估报告"
    # 核销 needs the bureau's approval; a rejection returns it to where it was
    assert company.call("POST", f"{base}/request-cancellation", {"reason": "装置拆除"}).status_code == 200
    assert company.call("POST", f"{base}/approve-cancellation", {}).status_code == 403
    rejected = bureau.call("POST", f"{base}/reject-cancellation", {"reason": "装置仍在运行"}).json()
    assert rejected["status"] == "filed"
    assert company.call("POST", f"{base}/request-cancellation", {"reason": "装置拆除"}).status_code == 200
    cancelled = bureau.call("POST", f"{base}/approve-cancellation", {}).json()
    assert cancelled["status"] == "cancelled" and cancelled["allowed_actions"] == []
    assert (
        AuditEvent.objects.filter(object_type="major_hazard", object_id=str(hazard_a.pk), action="update").count() == 9
    )


def test_a_cancelled_unit_that_becomes_major_again_gets_a_new_record(
    park: SmallPark, api: Any, hazard_a: MajorHazard
) -> None:
    set_status(hazard_a, HazardStatus.CANCELLED)
    response = api(Role.ENTERPRISE).call("PATCH", f"/inventories/{park.inventory_a.pk}", {"design_max_t": "50"})
    assert response.status_code == 200
    records = MajorHazard.objects.filter(unit=park.unit_a).order_by("id")
    assert [r.status for r in records] == ["cancelled", "identified"]


@pytest.mark.parametrize("status", list(Status))
def test_every_forbidden_transition_answers_409_naming_the_allowed_ones(
    park: SmallPark, api: Any, hazard_a: MajorHazard, status: Status
) -> None:
    bodies = {
        Action.REGISTER: {"name": "名称"},
        Action.APPROVE_FILING: {"filing_number": "N-1", "filed_on": days_ago(30)},
        Action.SUBMIT_FILING: {},
        Action.APPROVE_CANCELLATION: {},
    }
    previous = "filed" if status is Status.CANCELLATION_REQUESTED else ""
    set_status(hazard_a, HazardStatus(status.value), previous=previous)
    allowed = [a.value for a in allowed_actions(status)]
    bureau = api(Role.INSPECTOR)
    for action in Action:
        if action.value in allowed:
            continue
        before = (HazardTransition.objects.count(), AuditEvent.objects.count())
        response = bureau.call(
            "POST",
            f"/major-hazards/{hazard_a.pk}/{action.value.replace('_', '-')}",
            bodies.get(action, {"reason": "理由"}),
        )
        assert response.status_code == 409, (status, action)
        error = response.json()
        assert error["code"] == "transition_not_allowed"
        assert error["details"] == {"status": status.value, "action": action.value, "allowed": allowed}
        assert (HazardTransition.objects.count(), AuditEvent.objects.count()) == before
        hazard_a.refresh_from_db()
        assert hazard_a.status == status.value


def test_missing_reason_is_422_and_changes_nothing(park: SmallPark, api: Any, hazard_a: MajorHazard) -> None:
    set_status(hazard_a, HazardStatus.FILING_SUBMITTED)
    response = api(Role.INSPECTOR).call("POST", f"/major-hazards/{hazard_a.pk}/return-filing", {"reason": " "})
    assert response.status_code == 422 and response.json()["code"] == "reason_required"
    hazard_a.refresh_from_db()
    assert hazard_a.status == "filing_submitted"


def test_bad_filing_input_is_refused(park: SmallPark, api: Any, hazard_a: MajorHazard) -> None:
    set_status(hazard_a, HazardStatus.FILING_SUBMITTED)
    bureau = api(Role.INSPECTOR)
    url = f"/major-hazards/{hazard_a.pk}/approve-filing"
    past, tomorrow = days_ago(30), days_ago(-1)
    for body in (
        {"filing_number": "", "filed_on": past},
        {"filing_number": "N", "filed_on": tomorrow},
        {"filing_number": 12, "filed_on": past},
        {"filing_number": "N", "filed_on": past, "extra": 1},
    ):
        assert bureau.call("POST", url, body).status_code == 422, body
    hazard_a.refresh_from_db()
    assert (hazard_a.status, hazard_a.filing_number) == ("filing_submitted", "")


def test_enterprise_user_cannot_see_or_act_on_another_enterprise(
    park: SmallPark, api: Any, hazard_b: MajorHazard
) -> None:
    company = api(Role.ENTERPRISE)
    assert company.call("GET", f"/major-hazards/{hazard_b.pk}").status_code == 404
    assert company.call("POST", f"/major-hazards/{hazard_b.pk}/register", {"name": "x"}).status_code == 404
    assert company.call("GET", f"/units/{park.unit_b.pk}/assessments").status_code == 404
    listed = company.call("GET", "/major-hazards").json()
    assert {h["enterprise"] for h in listed["items"]} == {park.enterprise_a.pk}


def test_list_filters_by_level_and_status(park: SmallPark, api: Any, so2_unit: Any) -> None:
    client = api(Role.INSPECTOR)
    # enterprise A reported 60 residents: its chlorine unit R = 1.5 × 4 × 8 = 48 and SO₂ R = 30 (both 三级);
    # enterprise B's chlorine unit, population unreported, R = 2 × 4 × 8 = 64 (二级)
    assert [h["r"] for h in client.call("GET", "/major-hazards?level=3").json()["items"]] == ["48", "30"]
    assert [h["unit"] for h in client.call("GET", "/major-hazards?level=2").json()["items"]] == [park.unit_b.pk]
    assert client.call("GET", "/major-hazards?status=filed").json()["count"] == 0
    assert client.call("GET", "/major-hazards?level=7").status_code == 422


def test_safety_assessment_sets_the_due_date_three_years_on(park: SmallPark, hazard_a: MajorHazard) -> None:
    hazard = services.major_hazard_record_safety_assessment(
        actor=SYSTEM, hazard_id=hazard_a.pk, assessed_on=dt.date(2024, 2, 29), agency="某评价公司"
    )
    assert hazard.next_safety_assessment_due == dt.date(2027, 2, 28)


def test_formalin_is_not_the_concentrated_formaldehyde_row(park: SmallPark, api: Any) -> None:
    # 甲醛(含量>90%) is Table 1 row 8 (Q 5 t); formalin (37 %) is classified by its GHS classes as a
    # liquid: 急性毒性-吸入 类别3 maps to no Table 2 category, so it is reported, not counted.
    unit = make_unit(park, park.enterprise_b, "U06")
    formaldehyde = make_chemical(
        "甲醛溶液", "50-00-0", ["急性毒性-吸入 类别3", "致癌性 类别1B"], boiling_point_k=254.05
    )
    inventory = add_inventory(unit, formaldehyde, "20")
    assert latest(unit).holdings[0]["table1_row"] == 8 and latest(unit).s == Decimal(4)
    response = api(Role.INSPECTOR).call("PATCH", f"/inventories/{inventory.pk}", {"mass_fraction": "0.37"})
    assert response.status_code == 200 and Decimal(response.json()["mass_fraction"]) == Decimal("0.37")
    snapshot = latest(unit)
    assert snapshot.s == 0 and [u["code"] for u in snapshot.unclassified] == ["no_category"]
    assert Decimal(snapshot.unclassified[0]["mass_fraction"]) == Decimal("0.37")
    # a flammable grade (with methanol) counts through its derived category
    response = api(Role.INSPECTOR).call("PATCH", f"/chemicals/{formaldehyde.pk}", {"gb18218_categories": ["W5.4"]})
    assert response.status_code == 200 and latest(unit).holdings[0]["categories"] == ["W5.4"]
    response = api(Role.INSPECTOR).call("PATCH", f"/inventories/{inventory.pk}", {"mass_fraction": "1.5"})
    assert response.status_code == 422
    assert Inventory.objects.get(pk=inventory.pk).mass_fraction == Decimal("0.37")
