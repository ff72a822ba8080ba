"""The major hazard pages for every role: the bureau and the enterprise see and act, others read;
an enterprise user gets 404 for another enterprise's record; bad form input shows its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from chempark.core.roles import Role
from chempark.hazards.models import MajorHazard, SafetyCommitment
from tests.conftest import SmallPark

PERSONS = [r for r in Role if r is not Role.MACHINE]


def signed_in(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_pages_render_for_every_role(park: SmallPark, hazard_a: MajorHazard, hazard_b: MajorHazard, role: Role) -> None:
    client = signed_in(park, role)
    # three-role separation; a service organisation sees hidden dangers only, finance the budget only
    reads = role not in {Role.AUDITOR, Role.SECURITY_ADMIN, Role.SERVICE_ORG, Role.FINANCE}
    for url in (
        "/hazards/",
        "/hazards/supervision/",
        "/hazards/commitments/",
        f"/hazards/{hazard_a.pk}/",
        f"/hazards/unit/{park.unit_a.pk}/",
    ):
        assert client.get(url).status_code == (200 if reads else 403), (role, url)
    if not reads:
        return
    foreign = client.get(f"/hazards/{hazard_b.pk}/").status_code
    assert foreign == (404 if role is Role.ENTERPRISE else 200)
    detail = client.get(f"/hazards/{hazard_a.pk}/").content.decode()
    assert ('data-action="register"' in detail) == (role in {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.ENTERPRISE})


def test_detail_shows_the_breakdown(park: SmallPark, hazard_a: MajorHazard) -> None:
    html = signed_in(park, Role.INSPECTOR).get(f"/hazards/{hazard_a.pk}/").content.decode()
    assert 'data-testid="value-s">8<' in html and 'data-testid="value-r">64<' in html
    assert "表3 氯" in html and "Table 3" not in html and "未填报，按 α = 2.0 计" in html


def test_refused_action_on_a_page_says_why_and_changes_nothing(park: SmallPark, hazard_a: MajorHazard) -> None:
    client = signed_in(park, Role.ENTERPRISE)
    response = client.post(
        f"/hazards/{hazard_a.pk}/approve_filing/", {"filing_number": "N", "filed_on": "2026-01-05"}, follow=True
    )
    assert "无权" in response.content.decode() or "hazard.approve" in response.content.decode()
    response = client.post(f"/hazards/{hazard_a.pk}/submit_filing/", follow=True)
    assert "不允许执行 submit_filing" in response.content.decode()
    hazard_a.refresh_from_db()
    assert hazard_a.status == "identified"


@time_machine.travel(dt.datetime(2028, 2, 29, 10, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_enterprise_submits_its_commitment_on_the_page(park: SmallPark, client: Any) -> None:
    page = signed_in(park, Role.ENTERPRISE)
    response = page.post(
        "/hazards/commitments/",
        {
            "units_running": "2",
            "units_under_maintenance": "0",
            "special_operations": "1",
            "hazards_under_control": "on",
            "principal_name": "王总",
            "commitment": "承诺安全受控",
        },
        follow=True,
    )
    assert "今日承诺已提交。" in response.content.decode()
    assert "承诺安全受控" in client.get(f"/hazards/gate/{park.enterprise_a.uscc}/").content.decode()
    row = SafetyCommitment.objects.get()
    assert (row.date, row.late) == (dt.date(2028, 2, 29), True), "30 s after the 10:00 deadline"
