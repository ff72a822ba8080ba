"""Special operations through the API: an enterprise files, its system's machine token sends the
permit, the checks flag what does not match, the bureau spot-checks; bad input refused by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chempark.core.roles import Role
from chempark.supervision.models import SpecialOperation, SpotCheck, WorkPermit
from tests.conftest import SmallPark


def at(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def filing(
    park: SmallPark, number: str = "DH-001", start: float = -1, hours: float = 6, **extra: Any
) -> dict[str, Any]:
    return {
        "enterprise": park.enterprise_a.pk,
        "kind": "hot_work",
        "grade": "first",
        "place": "T01 罐区",
        "starts_at": at(start),
        "ends_at": at(start + hours),
        "permit_number": number,
        "guardian": "赵师傅",
        **extra,
    }


def test_filing_permit_checks_and_spot_check(park: SmallPark, api: Any) -> None:
    company, gateway, bureau = api(Role.ENTERPRISE), api(Role.MACHINE), api(Role.INSPECTOR)
    assert company.call("POST", "/special-operations", filing(park)).status_code == 201
    assert company.call("POST", "/special-operations", filing(park, "DH-002", start=2, hours=10)).status_code == 201
    permit = {k: v for k, v in filing(park).items() if k not in ("enterprise", "guardian", "starts_at", "ends_at")}
    sent = gateway.call("POST", "/work-permits", {**permit, "valid_from": at(-1), "valid_to": at(5)})
    assert sent.status_code == 201, sent.json()
    orphan = {**permit, "permit_number": "SX-009", "kind": "confined_space", "grade": "none"}
    assert gateway.call("POST", "/work-permits", {**orphan, "valid_from": at(0), "valid_to": at(4)}).status_code == 201
    assert company.call("POST", "/work-permits", {**orphan, "valid_from": at(0), "valid_to": at(4)}).status_code == 403
    problems = {(row["problem"], row["detail"]) for row in bureau.call("GET", "/special-operations/checks").json()}
    assert problems == {
        ("filing_without_permit", "DH-002"),
        ("validity_over_limit", "DH-002 · 10 h"),
        ("overlapping_hot_work", "DH-001 / DH-002"),
        ("permit_without_filing", "SX-009"),
    }
    ongoing = bureau.call("GET", "/special-operations?ongoing=true").json()["items"]
    assert [row["permit_number"] for row in ongoing] == ["DH-001"]
    pk = ongoing[0]["id"]
    refused = bureau.call("POST", f"/special-operations/{pk}/spot-checks", {"compliant": False})
    assert refused.status_code == 422 and "note" in refused.json()["details"]
    done = bureau.call("POST", f"/special-operations/{pk}/spot-checks", {"compliant": False, "note": "监护人不在场"})
    assert done.status_code == 201 and SpotCheck.objects.get().note == "监护人不在场"
    stats = bureau.call("GET", "/special-operations/statistics").json()
    assert stats["kind"] == [{"kind": "hot_work", "operations": 2, "spot_checks": 1}]


def test_bad_filings_are_refused_by_field_and_save_nothing(park: SmallPark, api: Any) -> None:
    company = api(Role.ENTERPRISE)
    backwards = company.call("POST", "/special-operations", filing(park, hours=-2))
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["details"]
    ungraded = company.call("POST", "/special-operations", filing(park, grade="none"))
    assert ungraded.status_code == 422 and "grade" in ungraded.json()["details"]
    foreign = company.call("POST", "/special-operations", filing(park, enterprise=park.enterprise_b.pk))
    assert foreign.status_code == 403
    assert not SpecialOperation.objects.exists() and not WorkPermit.objects.exists()
