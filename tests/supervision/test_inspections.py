"""Inspections and draws: findings become hidden dangers (with rectification ordered when a deadline
is given) all or nothing; a draw is recorded with its seed and repeats from it; empty pools and
bad counts are refused by field; the public list shows names only."""

from __future__ import annotations

from typing import Any

from django.test import Client

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.supervision import inspection_services
from chempark.supervision.models import Campaign, Checklist, HiddenDanger, Inspection, PoolMember, RandomDraw
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today


def campaign() -> Campaign:
    return inspection_services.campaign_create(
        actor=SYSTEM,
        name="重大危险源和罐区专项检查",
        kind="major_hazard_tank",
        starts_on=days_from_today(-10),
        ends_on=days_from_today(30),
    )


def pools(inspectors: int = 4, experts: int = 2) -> None:
    for i in range(inspectors):
        PoolMember.objects.create(name=f"执法{i}", kind="inspector")
    for i in range(experts):
        PoolMember.objects.create(name=f"专家{i}", kind="expert")


def test_findings_become_hidden_dangers(park: SmallPark, api: Any) -> None:
    checklist = Checklist.objects.create(name="罐区检查表", items=["紧急切断可用", "防火堤完好"])
    body = {
        "enterprise": park.enterprise_a.pk,
        "inspected_on": days_from_today(-1).isoformat(),
        "inspectors": "王建国、李明",
        "experts": "周工",
        "expert_fee_yuan": "1500",
        "checklist": checklist.pk,
        "answers": [{"item": "紧急切断可用", "ok": True}, {"item": "防火堤完好", "ok": False, "note": "裂缝"}],
        "findings": [
            {"description": "防火堤裂缝", "deadline": days_from_today(20).isoformat(), "plan": "修补"},
            {"description": "报警器未检定"},
        ],
    }
    answer = api(Role.INSPECTOR).call("POST", "/inspections", body)
    assert answer.status_code == 201, answer.json()
    found = HiddenDanger.objects.filter(inspection_id=answer.json()["id"]).order_by("id")
    assert [(d.status, d.source) for d in found] == [("ordered", "expert_check"), ("found", "expert_check")]
    assert found[0].deadline == days_from_today(20)
    inspection = Inspection.objects.get()
    assert inspection.answers[1] == {"item": "防火堤完好", "ok": False, "note": "裂缝"}
    assert str(inspection.expert_fee_yuan) == "1500.00"


def test_a_bad_finding_saves_nothing(park: SmallPark, api: Any) -> None:
    body = {
        "enterprise": park.enterprise_a.pk,
        "inspected_on": days_from_today(-1).isoformat(),
        "inspectors": "王建国、李明",
        "findings": [
            {"description": "第一条"},
            {"description": "第二条", "deadline": days_from_today(-5).isoformat()},
        ],
    }
    answer = api(Role.INSPECTOR).call("POST", "/inspections", body)
    assert answer.status_code == 422 and "deadline" in answer.json()["details"]
    assert not Inspection.objects.exists() and not HiddenDanger.objects.exists()


def test_a_draw_is_recorded_and_repeats_from_its_seed(park: SmallPark, api: Any) -> None:
    pools()
    client = api(Role.INSPECTOR)
    body = {"campaign": campaign().pk, "enterprise_count": 1, "inspector_count": 2, "expert_count": 1, "seed": 42}
    first = client.call("POST", "/random-draws", body)
    assert first.status_code == 201, first.json()
    again = client.call("POST", "/random-draws", body).json()
    assert first.json()["result"] == again["result"] and first.json()["reproduced"]
    assert len(first.json()["result"]["inspectors"]) == 2 and first.json()["seed"] == 42
    unseeded = client.call("POST", "/random-draws", {**body, "seed": None}).json()
    assert unseeded["seed"] != 42
    assert client.call("GET", f"/random-draws/{unseeded['id']}").json()["reproduced"]


def test_empty_pools_and_bad_counts_are_refused_by_field(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    body = {"campaign": campaign().pk, "enterprise_count": 1, "inspector_count": 2}
    empty = client.call("POST", "/random-draws", body)
    assert empty.status_code == 422
    assert empty.json()["code"] == "empty_population" and "inspector_count" in empty.json()["details"]
    pools()
    no_enterprise = client.call("POST", "/random-draws", {**body, "enterprise_kind": "storage"})
    assert no_enterprise.json()["code"] == "empty_population"
    assert "enterprise_kind" in no_enterprise.json()["details"]
    alone = client.call("POST", "/random-draws", {**body, "inspector_count": 1})
    assert alone.status_code == 422
    assert not RandomDraw.objects.exists()


def test_the_public_list_shows_names_without_login(park: SmallPark) -> None:
    pools()
    row = inspection_services.draw_run(
        actor=SYSTEM, campaign_id=campaign().pk, enterprise_count=2, inspector_count=2, seed=7
    )
    page = Client().get("/supervision/public/draws/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "7" in text and row.result["enterprises"][0]["name"] in text
    assert park.enterprise_a.uscc not in text
