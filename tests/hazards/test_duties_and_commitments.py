"""Responsible persons and their duty checks, overdue lists, daily commitments and the scheduled checks."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict, Forbidden, InvalidInput
from chempark.core.roles import Role
from chempark.hazards import services, tasks
from chempark.hazards.models import DutyCheck, Guarantor, MajorHazard, SafetyCommitment
from chempark.hazards.selectors import overdue_duty_checks
from tests.conftest import SmallPark

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEAP_DAY = dt.date(2028, 2, 29)
JUST_AFTER_MIDNIGHT = dt.datetime(2028, 2, 29, 0, 0, 30, tzinfo=SHANGHAI)  # still the 28th in UTC
COMMITMENT = {
    "units_running": 3,
    "units_under_maintenance": 1,
    "special_operations": 2,
    "special_operations_note": "动火作业2处",
    "hazards_under_control": True,
    "principal_name": "王总",
    "commitment": "今日安全风险已研判，承诺安全受控。",
}


def assign(hazard: MajorHazard, role: str, assigned_on: dt.date, interval: int | None = None) -> Guarantor:
    guarantor = services.guarantor_assign(
        actor=SYSTEM, hazard_id=hazard.pk, role=role, name=f"{role}人", check_interval_days=interval
    )
    Guarantor.objects.filter(pk=guarantor.pk).update(assigned_on=assigned_on)
    guarantor.refresh_from_db()
    return guarantor


def test_default_intervals_and_overdue_list(park: SmallPark, hazard_a: MajorHazard) -> None:
    today = dt.date(2026, 6, 30)
    principal = assign(hazard_a, "principal", dt.date(2026, 1, 1))  # due 2026-04-01: 90 days overdue
    technical = assign(hazard_a, "technical", dt.date(2026, 6, 1))  # due 2026-07-01: not yet
    operations = assign(hazard_a, "operations", dt.date(2026, 6, 1))  # weekly
    DutyCheck.objects.create(guarantor=operations, checked_on=dt.date(2026, 6, 20), recorded_by="t")  # due 06-27
    rows = overdue_duty_checks(park.actor(Role.INSPECTOR), today)
    assert [(r.guarantor.pk, r.interval_days, r.due_on, r.days_overdue) for r in rows] == [
        (principal.pk, 90, dt.date(2026, 4, 1), 90),
        (operations.pk, 7, dt.date(2026, 6, 27), 3),
    ]
    assert technical.pk not in {r.guarantor.pk for r in rows}


def test_interval_is_configurable_per_person_and_by_environment(
    park: SmallPark, hazard_a: MajorHazard, configure: Any
) -> None:
    custom = assign(hazard_a, "technical", dt.date(2026, 6, 1), interval=10)
    assert [r.interval_days for r in overdue_duty_checks(SYSTEM, dt.date(2026, 6, 12))] == [10]
    configure(duty_check_days_principal=5)
    principal = assign(hazard_a, "principal", dt.date(2026, 6, 1))
    due = {r.guarantor.pk: r.due_on for r in overdue_duty_checks(SYSTEM, dt.date(2026, 6, 12))}
    assert due == {custom.pk: dt.date(2026, 6, 11), principal.pk: dt.date(2026, 6, 6)}


@time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False)
def test_duty_check_through_the_api_clears_the_overdue_entry(park: SmallPark, api: Any, hazard_a: MajorHazard) -> None:
    guarantor = assign(hazard_a, "operations", dt.date(2028, 2, 1))  # weekly: due 8 February
    client = api(Role.ENTERPRISE)
    overdue = client.call("GET", "/duty-checks/overdue").json()["items"]
    assert [(o["guarantor"]["id"], o["days_overdue"]) for o in overdue] == [(guarantor.pk, 21)]
    response = client.call(
        "POST", f"/guarantors/{guarantor.pk}/duty-checks", {"checked_on": "2028-02-29", "findings": "现场巡查正常"}
    )
    assert response.status_code == 201, "today in the park, though still the 28th in UTC"
    assert client.call("GET", "/duty-checks/overdue").json()["count"] == 0
    tomorrow = client.call("POST", f"/guarantors/{guarantor.pk}/duty-checks", {"checked_on": "2028-03-01"})
    assert tomorrow.status_code == 422
    assert DutyCheck.objects.count() == 1


def test_guarantor_replacement_keeps_one_per_role(park: SmallPark, api: Any, hazard_a: MajorHazard) -> None:
    client = api(Role.ENTERPRISE)
    assert client.call("PUT", f"/major-hazards/{hazard_a.pk}/guarantors/principal", {"name": "王总"}).status_code == 200
    response = client.call(
        "PUT", f"/major-hazards/{hazard_a.pk}/guarantors/principal", {"name": "李总", "check_interval_days": 60}
    )
    assert response.json()["name"] == "李总" and response.json()["check_interval_days"] == 60
    assert Guarantor.objects.filter(hazard=hazard_a).count() == 1
    assert client.call("PUT", f"/major-hazards/{hazard_a.pk}/guarantors/boss", {"name": "x"}).status_code == 422
    assert client.call("PUT", f"/major-hazards/{hazard_a.pk}/guarantors/principal", {"name": ""}).status_code == 422
    assert Guarantor.objects.get(hazard=hazard_a).name == "李总"


def test_commitment_once_a_day_late_after_the_deadline(park: SmallPark) -> None:
    actor = park.actor(Role.ENTERPRISE)
    at_nine = dt.datetime(2026, 3, 2, 9, 59, tzinfo=SHANGHAI)
    row = services.commitment_submit(actor=actor, enterprise_id=park.enterprise_a.pk, now=at_nine, **COMMITMENT)
    assert (row.date, row.late) == (dt.date(2026, 3, 2), False)
    with pytest.raises(Conflict):
        services.commitment_submit(actor=actor, enterprise_id=park.enterprise_a.pk, now=at_nine, **COMMITMENT)
    late = services.commitment_submit(
        actor=SYSTEM,
        enterprise_id=park.enterprise_b.pk,
        now=dt.datetime(2026, 3, 2, 10, 1, tzinfo=SHANGHAI),
        **COMMITMENT,
    )
    assert late.late is True
    # 01:30 UTC on the 3rd is 09:30 in Shanghai on the 3rd: a new day, on time
    next_day = services.commitment_submit(
        actor=actor, enterprise_id=park.enterprise_a.pk, now=dt.datetime(2026, 3, 3, 1, 30, tzinfo=dt.UTC), **COMMITMENT
    )
    assert (next_day.date, next_day.late) == (dt.date(2026, 3, 3), False)


def test_commitment_deadline_is_configurable(park: SmallPark, configure: Any) -> None:
    configure(commitment_deadline=dt.time(8, 30))
    row = services.commitment_submit(
        actor=SYSTEM,
        enterprise_id=park.enterprise_a.pk,
        now=dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI),
        **COMMITMENT,
    )
    assert row.late is True


def test_commitment_refusals_change_nothing(park: SmallPark) -> None:
    actor = park.actor(Role.ENTERPRISE)
    with pytest.raises(Forbidden):
        services.commitment_submit(actor=actor, enterprise_id=park.enterprise_b.pk, **COMMITMENT)
    with pytest.raises(InvalidInput):
        services.commitment_submit(
            actor=actor, enterprise_id=park.enterprise_a.pk, **{**COMMITMENT, "principal_name": " "}
        )
    with pytest.raises(Forbidden):
        services.commitment_submit(actor=park.actor(Role.DISPATCHER), enterprise_id=park.enterprise_a.pk, **COMMITMENT)
    assert SafetyCommitment.objects.count() == 0


@time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False)
def test_bureau_sees_who_has_not_committed_and_the_gate_page_is_public(park: SmallPark, api: Any, client: Any) -> None:
    company = api(Role.ENTERPRISE)
    response = company.call("POST", "/safety-commitments", dict(COMMITMENT))
    assert response.status_code == 201 and response.json()["enterprise"] == park.enterprise_a.pk
    assert (response.json()["date"], response.json()["late"]) == ("2028-02-29", False), "the park's day"
    missing = api(Role.INSPECTOR).call("GET", "/safety-commitments/missing").json()["items"]
    assert [e["name"] for e in missing] == [park.enterprise_b.name]
    page = client.get(f"/hazards/gate/{park.enterprise_a.uscc}/")
    text = page.content.decode()
    assert page.status_code == 200 and "今日安全风险已研判，承诺安全受控。" in text and "动火作业2处" in text
    other = client.get(f"/hazards/gate/{park.enterprise_b.uscc}/").content.decode()
    assert "今日安全承诺尚未提交" in other
    assert client.get("/hazards/gate/91130209MA00000000/").status_code == 404


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(LEAP_DAY, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def test_daily_tasks_and_command(park: SmallPark, hazard_a: MajorHazard) -> None:
    with time_machine.travel(at(8), tick=False):
        services.major_hazard_record_safety_assessment(
            actor=SYSTEM,
            hazard_id=hazard_a.pk,
            assessed_on=LEAP_DAY - dt.timedelta(days=3 * 365 - 30),
            agency="某评价公司",
        )
        assign(hazard_a, "operations", LEAP_DAY - dt.timedelta(days=10))
    assert tasks.run_daily(now=at(10)).missing_commitments == [], "not before the deadline has passed"
    report = tasks.run_daily(now=at(10, 0, 1))
    # due within 90 days (a), and never assessed (b)
    assert {h.pk for h in report.assessments_due} == {hazard_a.pk, MajorHazard.objects.get(unit=park.unit_b).pk}
    assert [(o.guarantor.role, o.days_overdue) for o in report.overdue_checks] == [("operations", 3)]
    assert {e.pk for e in report.missing_commitments} == {park.enterprise_a.pk, park.enterprise_b.pk}
    for moment, missing in ((at(9, 59, 59), 0), (at(23, 59, 59), 2), (at(0, 0, 1) + dt.timedelta(days=1), 0)):
        out = io.StringIO()
        with time_machine.travel(moment, tick=False):
            call_command("hazards-daily", stdout=out)
        text = out.getvalue()
        assert "安全评估到期或未做（三年一次）：2" in text, moment
        assert f"今日未提交安全承诺（截止时间后）：{missing}" in text, moment
