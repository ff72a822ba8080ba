"""The hidden-danger closed loop through the API and the services: every step audited with its
history row, forbidden steps answered 409 with the allowed ones, bad input refused by field and
nothing saved, evidence photos checked by content, escalation and reminders of overdue items."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.errors import InvalidInput
from chempark.core.roles import Role
from chempark.supervision import selectors, services, tasks
from chempark.supervision.models import DangerTransition, Evidence, HiddenDanger, MajorDangerCriterion
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today, ordered, png, rectifying, report

ORDER = {"plan": "更换检测报警器", "owner": "李工", "interim_measures": "便携式检测仪巡检"}


def photo_body() -> dict[str, Any]:
    return {"content_base64": base64.b64encode(png()).decode(), "caption": "更换后"}


def test_the_whole_loop_through_the_api(park: SmallPark, api: Any) -> None:
    bureau, company = api(Role.INSPECTOR), api(Role.ENTERPRISE)
    found = days_from_today(-5).isoformat()
    response = bureau.call(
        "POST",
        "/hidden-dangers",
        {
            "enterprise": park.enterprise_a.pk,
            "source": "bureau_inspection",
            "grade": "general",
            "description": "可燃气体检测报警器超期未检",
            "found_on": found,
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["allowed"] == ["order"]
    steps = [
        (bureau, "order", {**ORDER, "deadline": days_from_today(10).isoformat()}, "ordered"),
        (company, "start", {}, "rectifying"),
        (company, "evidence", photo_body(), "rectifying"),
        (company, "submit", {"note": "已更换"}, "submitted"),
        (bureau, "verify", {"passed": False, "note": "未附检定证书"}, "rectifying"),
        (company, "submit", {"note": "已补检定证书"}, "submitted"),
        (bureau, "verify", {"passed": True}, "verified"),
        (bureau, "close-out", {}, "closed"),
    ]
    for client, step, body, status in steps:
        answer = client.call("POST", f"/hidden-dangers/{pk}/{step}", body)
        assert answer.status_code in (200, 201), (step, answer.json())
        assert answer.json()["status"] == status, step
    history = list(DangerTransition.objects.filter(danger_id=pk).values_list("action", "to_status"))
    assert [a for a, _s in history] == [
        "report",
        "order",
        "start",
        "submit",
        "verify_fail",
        "submit",
        "verify_pass",
        "close_out",
    ]
    audited = AuditEvent.objects.filter(object_type="hidden_danger", object_id=str(pk))
    assert audited.count() == len(history)
    assert sorted(a.after.get("transition", "report") for a in audited) == sorted(a for a, _s in history)
    assert AuditEvent.objects.filter(object_type="danger_evidence").count() == 1


def test_a_forbidden_step_is_409_naming_the_allowed_ones_and_changes_nothing(park: SmallPark, api: Any) -> None:
    danger, client = report(park.enterprise_a), api(Role.INSPECTOR)
    events = AuditEvent.objects.count()
    answer = client.call("POST", f"/hidden-dangers/{danger.pk}/close-out", {})
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "transition_not_allowed"
    assert body["details"]["allowed"] == ["order"]
    danger.refresh_from_db()
    assert danger.status == "found" and AuditEvent.objects.count() == events


def test_the_enterprise_cannot_order_or_verify_and_sees_only_its_own(park: SmallPark, api: Any) -> None:
    own, foreign = report(park.enterprise_a), report(park.enterprise_b)
    company = api(Role.ENTERPRISE)
    body = {**ORDER, "deadline": days_from_today(5).isoformat()}
    assert company.call("POST", f"/hidden-dangers/{own.pk}/order", body).status_code == 403
    assert company.call("GET", f"/hidden-dangers/{foreign.pk}").status_code == 404
    assert [d["id"] for d in company.call("GET", "/hidden-dangers").json()["items"]] == [own.pk]


def test_a_deadline_before_the_finding_is_refused_naming_the_field(park: SmallPark, api: Any) -> None:
    danger = report(park.enterprise_a, found_days_ago=3)
    body = {**ORDER, "deadline": days_from_today(-4).isoformat()}
    answer = api(Role.INSPECTOR).call("POST", f"/hidden-dangers/{danger.pk}/order", body)
    assert answer.status_code == 422
    assert "deadline" in answer.json()["details"]
    danger.refresh_from_db()
    assert danger.status == "found" and danger.deadline is None


def test_a_verification_without_evidence_is_refused(park: SmallPark, api: Any) -> None:
    danger = rectifying(park.enterprise_a)
    answer = api(Role.ENTERPRISE).call("POST", f"/hidden-dangers/{danger.pk}/submit", {"note": "已整改"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "evidence_required"
    assert "evidence" in answer.json()["details"]
    danger.refresh_from_db()
    assert danger.status == "rectifying" and danger.rectification_note == ""


def test_photos_are_checked_by_content(park: SmallPark, api: Any) -> None:
    danger = rectifying(park.enterprise_a)
    company = api(Role.ENTERPRISE)
    fake = b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10
    for content in (fake, b"GIF89a...", b"<svg onload=alert(1)>"):
        body = {"content_base64": base64.b64encode(content).decode()}
        answer = company.call("POST", f"/hidden-dangers/{danger.pk}/evidence", body)
        assert answer.status_code == 422 and answer.json()["code"] == "bad_image", content[:10]
    assert not Evidence.objects.exists()
    assert company.call("POST", f"/hidden-dangers/{danger.pk}/evidence", photo_body()).status_code == 201
    assert Evidence.objects.get().content_type == "image/png"


def test_a_major_danger_needs_a_criterion_from_the_checklist(park: SmallPark) -> None:
    with pytest.raises(InvalidInput) as refused:
        report(park.enterprise_a, grade="major")
    assert "criteria" in refused.value.details
    criterion = MajorDangerCriterion.objects.create(code="T1", text="测试条款")
    danger = report(park.enterprise_a, grade="major", criteria=[criterion.pk])
    assert list(danger.criteria.all()) == [criterion]
    assert HiddenDanger.objects.count() == 1


def test_overdue_items_are_escalated_once_and_reminded_daily(park: SmallPark) -> None:
    late = ordered(park.enterprise_a, deadline_in_days=5)
    soon = ordered(park.enterprise_b, deadline_in_days=9)
    report_now = tasks.run_daily()
    assert report_now.escalated == [] and report_now.reminded == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=7), tick=False):
        today = timezone.localdate()
        assert list(selectors.overdue_dangers(selectors.dangers_visible(SYSTEM))) == [late]
        first = tasks.run_daily()
        assert [d.pk for d in first.escalated] == [late.pk]
        assert {d.pk for d in first.reminded} == {late.pk, soon.pk}
        again = tasks.run_daily()
        assert again.escalated == [] and again.reminded == []
        late.refresh_from_db()
        assert late.escalated_at is not None and late.reminded_on == today
    assert AuditEvent.objects.filter(object_type="hidden_danger", object_id=str(late.pk)).count() == 4


def test_rates_per_enterprise_and_campaign(park: SmallPark) -> None:
    done = rectifying(park.enterprise_a)
    services.evidence_add(actor=SYSTEM, danger_id=done.pk, content=png())
    services.danger_submit(actor=SYSTEM, danger_id=done.pk, note="完成")
    services.danger_verify(actor=SYSTEM, danger_id=done.pk, passed=True)
    ordered(park.enterprise_a, deadline_in_days=-1, found_days_ago=10)
    report(park.enterprise_a)
    rows = {r.name: r for r in selectors.danger_rates(SYSTEM, "enterprise")}
    row = rows[park.enterprise_a.name]
    assert (row.found, row.rectified, row.overdue) == (3, 1, 1)
    assert str(row.rectification_rate) == "33.3" and str(row.overdue_rate) == "33.3"
