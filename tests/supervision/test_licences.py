"""Licences and certificates: expiry not after issue refused naming the field and saving nothing,
reminders at 90 and 30 days, required versus valid certificates per enterprise, scope."""

from __future__ import annotations

import io
from typing import Any

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.supervision import licence_services, selectors
from chempark.supervision.models import Certificate, Licence
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today


def certificate(park: SmallPark, kind: str, expires_in: int, enterprise: Any = None, number: str = "C1") -> Certificate:
    return licence_services.certificate_create(
        actor=SYSTEM,
        enterprise_id=(enterprise or park.enterprise_a).pk,
        kind=kind,
        holder="王总",
        number=number,
        issued_on=days_from_today(expires_in - 1000),
        expires_on=days_from_today(expires_in),
    )


def test_an_expiry_before_the_issue_is_refused_naming_the_field(park: SmallPark, api: Any) -> None:
    body = {
        "enterprise": park.enterprise_a.pk,
        "kind": "principal",
        "holder": "王总",
        "number": "X-1",
        "issued_on": days_from_today(0).isoformat(),
        "expires_on": days_from_today(-1).isoformat(),
    }
    answer = api(Role.ENTERPRISE).call("POST", "/certificates", body)
    assert answer.status_code == 422 and "expires_on" in answer.json()["details"]
    licence = {**body, "kind": "safety_production"}
    licence.pop("holder")
    assert "expires_on" in api(Role.INSPECTOR).call("POST", "/licences", licence).json()["details"]
    assert not Certificate.objects.exists() and not Licence.objects.exists()


def test_reminders_at_90_and_30_days(park: SmallPark, api: Any) -> None:
    certificate(park, "principal", 100, number="A")
    certificate(park, "principal", 85, number="B")
    certificate(park, "safety_manager", 20, number="C")
    certificate(park, "safety_manager", -3, number="D")
    due = {e.row.number: e.threshold for e in selectors.expiring(SYSTEM)}
    assert due == {"B": 90, "C": 30, "D": None}
    listed = api(Role.ENTERPRISE).call("GET", "/licences-expiring").json()
    assert [row["threshold"] for row in listed] == [None, 30, 90]


def test_required_versus_valid_certificates(park: SmallPark, api: Any) -> None:
    certificate(park, "principal", 300, number="A")
    certificate(park, "safety_manager", -1, number="B")
    certificate(park, "safety_manager", 300, enterprise=park.enterprise_b, number="C")
    rows = {(c.enterprise, c.kind): (c.required, c.valid, c.met) for c in selectors.certificate_coverage(SYSTEM)}
    a, b = park.enterprise_a.name, park.enterprise_b.name
    assert rows[(a, "主要负责人安全生产知识和管理能力考核合格证")] == (1, 1, True)
    assert rows[(a, "安全生产管理人员考核合格证")] == (1, 0, False)
    assert rows[(b, "主要负责人安全生产知识和管理能力考核合格证")] == (1, 0, False)
    own = api(Role.ENTERPRISE).call("GET", "/certificate-coverage").json()
    assert {row["enterprise"] for row in own} == {a}


def test_the_daily_run_lists_licences_on_their_reminder_day(park: SmallPark) -> None:
    from django.core.management import call_command

    from chempark.supervision import tasks

    certificate(park, "principal", 90, number="A")
    certificate(park, "principal", 89, number="B")
    certificate(park, "safety_manager", 30, number="C")
    assert {e.row.number for e in tasks.run_daily().expiring} == {"A", "C"}
    out = io.StringIO()
    call_command("supervision-daily", stdout=out)
    assert "证照到期提醒：2" in out.getvalue()
