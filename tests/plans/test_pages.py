"""The pages as their users see them: lists, forms that save or say in Chinese why not, the
calendar kept by the bureau administrator, and warnings composed, published and cancelled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chempark.core.roles import Role
from chempark.plans import cap
from chempark.plans.models import CalendarDay, CapMessage, Drill, ImprovementAction, Plan, PublicWarning
from tests.conftest import SmallPark
from tests.plans.conftest import AREA, days_ago, docx, warning_values

PAGES = ["/plans/", "/plans/new/", "/plans/drills/", "/plans/compliance/", "/plans/calendar/", "/plans/warnings/"]


def login(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ENTERPRISE, Role.DISPATCHER, Role.AUDITOR])
def test_pages_open_for_their_users(park: SmallPark, plans: dict[str, Any], role: Role) -> None:
    client = login(park, role)
    readers = role is not Role.AUDITOR
    for path in PAGES:
        status = client.get(path).status_code
        if not readers:
            assert status == 403, path
        elif path == "/plans/new/" and role is Role.DISPATCHER:
            assert status == 403
        else:
            assert status == 200, (role, path)
    page = login(park, Role.ENTERPRISE).get("/plans/").content.decode()
    assert plans["own"].title in page and plans["foreign"].title not in page
    assert login(park, Role.ENTERPRISE).get(f"/plans/{plans['foreign'].pk}/").status_code == 404


def test_plan_form_and_upload(park: SmallPark) -> None:
    client = login(park, Role.ENTERPRISE)
    response = client.post(
        "/plans/new/",
        {
            "chemicals": [str(park.chlorine.pk)],
            "title": "液氯泄漏专项预案",
            "kind": "specific",
            "enterprise": park.enterprise_a.pk,
            "incident_types": ["leak"],
            "published_on": str(days_ago(3)),
        },
    )
    plan = Plan.objects.get(title="液氯泄漏专项预案")
    assert response.status_code == 302 and plan.incident_types == ["leak"] and plan.enterprise == park.enterprise_a
    assert list(plan.chemicals.all()) == [park.chlorine]
    edit = client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert 'value="液氯泄漏专项预案"' in edit and "checked" in edit
    client.post(
        f"/plans/{plan.pk}/edit/",
        {
            "title": "液氯泄漏专项应急预案",
            "kind": "specific",
            "incident_types": ["leak", "poisoning"],
            "published_on": str(days_ago(3)),
        },
    )
    plan.refresh_from_db()
    assert plan.title == "液氯泄漏专项应急预案" and plan.incident_types == ["leak", "poisoning"]
    assert not plan.chemicals.exists() and plan.enterprise == park.enterprise_a
    foreign = login(park, Role.ENTERPRISE).get(f"/plans/{Plan.objects.create(kind='specific', title='局').pk}/edit/")
    assert foreign.status_code == 404
    plans_before = Plan.objects.count()
    bad = client.post("/plans/new/", {"title": "x", "kind": "nonsense"}, follow=True)
    assert "类别" in bad.content.decode() and Plan.objects.count() == plans_before
    upload = docx("液氯泄漏应急处置")
    client.post(
        f"/plans/{plan.pk}/version/",
        {"version": "V1", "file": SimpleUploadedFile("预案.docx", upload), "review_experts": "王工"},
    )
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "预案.docx" in detail and "王工" in detail
    refused = client.post(
        f"/plans/{plan.pk}/version/",
        {"version": "V2", "file": SimpleUploadedFile("a.docx", b"not a document")},
        follow=True,
    )
    assert "不是 PDF 或 DOCX" in refused.content.decode()
    early = login(park, Role.INSPECTOR).post(
        f"/plans/{plan.pk}/filing/", {"filed_on": str(days_ago(9)), "filing_number": "B-1"}, follow=True
    )
    assert "备案日期不能早于发布日期" in early.content.decode()


def test_calendar_is_kept_by_the_bureau_administrator(park: SmallPark) -> None:
    admin = login(park, Role.BUREAU_ADMIN)
    assert "春节" in admin.get("/plans/calendar/?year=2026").content.decode()
    admin.post("/plans/calendar/", {"date": "2027-02-06", "kind": "holiday", "name": "春节"})
    assert CalendarDay.objects.get(date="2027-02-06").kind == "holiday"
    admin.post("/plans/calendar/", {"date": "2027-02-06", "delete": "1"})
    assert not CalendarDay.objects.filter(date="2027-02-06").exists()
    assert (
        login(park, Role.INSPECTOR).post("/plans/calendar/", {"date": "2027-02-06", "kind": "holiday"}).status_code
        == 403
    )


def test_warning_composed_on_the_page(park: SmallPark) -> None:
    client = login(park, Role.DISPATCHER)
    form = {k: v for k, v in warning_values().items() if k != "area"}
    refused = client.post("/plans/warnings/new/", {**form, "area": ""}, follow=True)
    assert "预警必须有区域" in refused.content.decode() and not PublicWarning.objects.exists()
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    refused = client.post("/plans/warnings/new/", {**form, "area": json.dumps(bow_tie)}, follow=True)
    assert "预警区域：几何对象无效：多边形的边自相交" in refused.content.decode() and not PublicWarning.objects.exists()
    client.post(
        "/plans/warnings/new/", {**form, "area": json.dumps(AREA), "publish": "1", "expires": "2199-01-01T08:00"}
    )
    warning = PublicWarning.objects.get()
    assert warning.status == "issued" and timezone.localtime(warning.expires).hour == 8
    client.post(f"/plans/warnings/{warning.pk}/", {"step": "cancel", "note": "已控制"})
    kinds = list(CapMessage.objects.filter(warning=warning).order_by("sent", "id").values_list("msg_type", flat=True))
    assert kinds == ["Alert", "Cancel"]
    page = client.get(f"/plans/warnings/{warning.pk}/").content.decode()
    assert "已解除" in page
    for message in CapMessage.objects.all():
        assert cap.validate(bytes(message.xml)) == []


def test_demo_loader_runs_once(park: SmallPark) -> None:
    from chempark.plans.demo import load_demo_plans

    assert "预案演示数据" in load_demo_plans()
    assert Plan.objects.filter(enterprise__isnull=True).count() == 2
    assert PublicWarning.objects.filter(status="issued").count() == 1
    assert "已存在" in load_demo_plans()


def test_drill_recorded_and_its_action_completed_on_the_page(park: SmallPark) -> None:
    client = login(park, Role.ENTERPRISE)
    client.post(
        "/plans/drills/",
        {
            "title": "罐区泄漏演练",
            "kind": "on_site",
            "form": "live",
            "planned_on": str(days_ago(3)),
            "enterprise": park.enterprise_a.pk,
        },
    )
    drill = Drill.objects.get(title="罐区泄漏演练")
    future = client.post(f"/plans/drills/{drill.pk}/", {"step": "done", "done_on": str(days_ago(-2))}, follow=True)
    assert "实施日期不能晚于今天" in future.content.decode()
    client.post(f"/plans/drills/{drill.pk}/", {"step": "done", "done_on": str(days_ago(2)), "participant_count": "12"})
    client.post(
        f"/plans/drills/{drill.pk}/",
        {
            "step": "action",
            "problem": "喷淋启动慢",
            "action": "检修喷淋阀",
            "owner": "张工",
            "deadline": str(days_ago(-10)),
        },
    )
    action = ImprovementAction.objects.get(drill=drill)
    client.post(
        f"/plans/drills/{drill.pk}/", {"step": "complete", "action_id": action.pk, "completed_on": str(days_ago(0))}
    )
    action.refresh_from_db()
    drill.refresh_from_db()
    assert drill.participant_count == 12 and action.completed_on == days_ago(0)
