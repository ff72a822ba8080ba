"""The supervision pages for every role, and the page journeys: an inspection with two findings, the
enterprise user's photo upload and submission, the bureau's verification, refusals shown in words
with nothing saved, the evidence photo visible only within scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.supervision import case_services, inspection_services, services
from chempark.supervision.models import (
    Checklist,
    HiddenDanger,
    Inspection,
    PoolMember,
    RiskPoint,
    SpecialOperation,
)
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today, png, rectifying, report

PERSONS = [r for r in Role if r is not Role.MACHINE]
DANGER_READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.EXPERT, Role.ENTERPRISE}
INSPECTION_READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.EXPERT}
BUREAU = {Role.BUREAU_ADMIN, Role.INSPECTOR}


def signed_in(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_pages_render_for_every_role(park: SmallPark, role: Role) -> None:
    danger = report(park.enterprise_a)
    for name, kind in (("甲", "inspector"), ("乙", "inspector")):
        PoolMember.objects.create(name=name, kind=kind)
    campaign = inspection_services.campaign_create(
        actor=SYSTEM, name="专项", kind="other", starts_on=days_from_today(-1), ends_on=days_from_today(9)
    )
    drawn = inspection_services.draw_run(actor=SYSTEM, campaign_id=campaign.pk, enterprise_count=1, inspector_count=2)
    inspection = inspection_services.inspection_record(
        actor=SYSTEM, enterprise_id=park.enterprise_a.pk, inspected_on=days_from_today(-1), inspectors="甲、乙"
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
    client = signed_in(park, role)
    pages = [
        ("/supervision/dangers/", DANGER_READERS),
        (f"/supervision/dangers/{danger.pk}/", DANGER_READERS),
        ("/supervision/reminders/", DANGER_READERS | {Role.SERVICE_ORG}),
        ("/supervision/rates/", DANGER_READERS | {Role.SERVICE_ORG}),
        ("/supervision/dangers/new/", DANGER_READERS),
        ("/supervision/campaigns/", INSPECTION_READERS),
        (f"/supervision/draws/{drawn.pk}/", INSPECTION_READERS),
        ("/supervision/inspections/", INSPECTION_READERS),
        (f"/supervision/inspections/{inspection.pk}/", INSPECTION_READERS),
        ("/supervision/inspections/new/", BUREAU),
        ("/supervision/cases/", BUREAU),
        (f"/supervision/cases/{case.pk}/", BUREAU),
        ("/supervision/operations/", DANGER_READERS),  # the same four roles read special operations
        ("/supervision/licences/", BUREAU | {Role.ENTERPRISE}),
        ("/supervision/risk-points/", DANGER_READERS),
        ("/supervision/projects/", DANGER_READERS),
    ]
    for url, readers in pages:
        if role is Role.SERVICE_ORG and url.startswith("/supervision/dangers/"):
            # reads hidden dangers, of its assigned enterprises only (none here)
            expected = 404 if url == f"/supervision/dangers/{danger.pk}/" else 200
        else:
            expected = 200 if role in readers else 403
        assert client.get(url).status_code == expected, (role, url)
    assert client.get("/supervision/public/draws/").status_code == 200


def test_an_inspection_with_two_findings_through_the_page(park: SmallPark) -> None:
    checklist = Checklist.objects.create(name="罐区检查表", items=["紧急切断可用"])
    client = signed_in(park, Role.INSPECTOR)
    form = {
        "checklist": checklist.pk,
        "enterprise": park.enterprise_a.pk,
        "inspected_on": days_from_today(0).isoformat(),
        "inspectors": "王建国、李明",
        "answer-0": "fail",
        "finding-0-description": "紧急切断阀无法远程关闭",
        "finding-0-deadline": days_from_today(7).isoformat(),
        "finding-1-description": "防火堤排水阀常开",
        "finding-1-grade": "general",
        "finding-1-deadline": days_from_today(3).isoformat(),
    }
    answer = client.post("/supervision/inspections/new/", form)
    inspection = Inspection.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/supervision/inspections/{inspection.pk}/"
    assert inspection.answers == [{"item": "紧急切断可用", "ok": False, "note": ""}]
    assert list(inspection.findings.values_list("status", flat=True)) == ["ordered", "ordered"]


def test_a_bad_inspection_form_is_refused_in_words_and_saves_nothing(park: SmallPark) -> None:
    client = signed_in(park, Role.INSPECTOR)
    form = {
        "enterprise": park.enterprise_a.pk,
        "inspected_on": "2026-13-45",
        "inspectors": "王建国",
        "finding-0-description": "问题",
    }
    answer = client.post("/supervision/inspections/new/", form, follow=True)
    assert "检查日期" in answer.content.decode()
    assert not Inspection.objects.exists() and not HiddenDanger.objects.exists()


def test_the_enterprise_uploads_a_photo_and_submits_and_the_bureau_verifies(park: SmallPark) -> None:
    danger = rectifying(park.enterprise_a)
    company = signed_in(park, Role.ENTERPRISE)
    base = f"/supervision/dangers/{danger.pk}"
    refused = company.post(f"{base}/submit/", {"note": "已整改"}, follow=True)
    assert "提交复查须至少上传一张整改照片" in refused.content.decode()
    not_image = SimpleUploadedFile("a.png", b"<svg/>", content_type="image/png")
    assert "JPEG 或 PNG" in company.post(f"{base}/evidence/", {"photo": not_image}, follow=True).content.decode()
    photo = SimpleUploadedFile("a.png", png(), content_type="image/png")
    company.post(f"{base}/evidence/", {"photo": photo, "caption": "更换后"})
    evidence = danger.evidence.get()
    shown = company.get(f"{base}/photo/{evidence.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png" and shown.content == png()
    company.post(f"{base}/submit/", {"note": "已整改"})
    signed_in(park, Role.INSPECTOR).post(f"{base}/verify_pass/", {"note": "符合要求"})
    danger.refresh_from_db()
    assert danger.status == "verified" and danger.verification_note == "符合要求"


def test_another_enterprise_photo_is_not_found(park: SmallPark) -> None:
    danger = rectifying(park.enterprise_b)
    evidence = services.evidence_add(actor=SYSTEM, danger_id=danger.pk, content=png())
    company = signed_in(park, Role.ENTERPRISE)
    assert company.get(f"/supervision/dangers/{danger.pk}/photo/{evidence.pk}/").status_code == 404
    assert company.get(f"/supervision/dangers/{danger.pk}/").status_code == 404


def test_the_enterprise_reports_its_own_finding(park: SmallPark) -> None:
    company = signed_in(park, Role.ENTERPRISE)
    form: dict[str, Any] = {
        "enterprise": park.enterprise_b.pk,
        "grade": "general",
        "description": "自查发现消防通道堵塞",
        "found_on": days_from_today(0).isoformat(),
    }
    company.post("/supervision/dangers/new/", form)
    danger = HiddenDanger.objects.get()
    assert danger.enterprise_id == park.enterprise_a.pk and danger.source == "self_investigation"


def test_an_operation_filed_on_the_page_in_park_time_and_spot_checked(park: SmallPark) -> None:
    company = signed_in(park, Role.ENTERPRISE)
    start = timezone.localtime() - dt.timedelta(hours=1)
    form = {
        "kind": "hot_work",
        "grade": "second",
        "place": "T01 罐区",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "permit_number": "DH-9",
        "guardian": "赵师傅",
    }
    assert company.post("/supervision/operations/", {**form, "ends_at": "明天"}, follow=True).status_code == 200
    assert not SpecialOperation.objects.exists()
    company.post("/supervision/operations/", form)
    operation = SpecialOperation.objects.get()
    assert operation.enterprise_id == park.enterprise_a.pk
    assert timezone.localtime(operation.starts_at).strftime("%H:%M") == start.strftime("%H:%M")
    bureau = signed_in(park, Role.INSPECTOR)
    assert "DH-9" in bureau.get("/supervision/operations/").content.decode()
    bureau.post(f"/supervision/operations/{operation.pk}/spot-check/", {"compliant": "on", "note": "监护到位"})
    assert operation.spot_checks.get().compliant
    assert company.get("/supervision/licences/").status_code == 200


def test_a_risk_point_assessed_on_the_page(park: SmallPark) -> None:
    company = signed_in(park, Role.ENTERPRISE)
    form = {
        "name": "液氯储罐区",
        "kind": "unit",
        "method": "lec",
        "lec-likelihood": "3",
        "lec-exposure": "6",
        "lec-consequence": "15",
        "matrix-likelihood": "",
        "control_measures": "紧急切断",
        "responsible": "李工",
        "assessed_on": days_from_today(0).isoformat(),
    }
    company.post("/supervision/risk-points/", form)
    point = RiskPoint.objects.get()
    assert (point.level, point.score, point.enterprise_id) == (2, 270, park.enterprise_a.pk)
    refused = company.post("/supervision/risk-points/", {**form, "lec-exposure": "4"}, follow=True)
    assert "暴露频繁程度 E超出该方法的取值范围" in refused.content.decode() and RiskPoint.objects.count() == 1
