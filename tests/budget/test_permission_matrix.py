"""Every endpoint and page of budget performance × every role, against a policy written out here
independently of ``chempark.core.roles``: finance (财务) imports, records spending and evaluates; the
bureau's administration (admin, inspectors) reads everything and records training; finance reads
too; no one else sees the budget (auditor and security administrator included: three-role
separation). Anonymous callers get 401, machine tokens 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from chempark.budget.models import Activity, Project, Spending
from chempark.core.roles import Role
from tests.budget.conftest import STATEMENT, YEAR
from tests.conftest import ApiClient, SmallPark

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.FINANCE}
FINANCE = {Role.FINANCE}
TRAINERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
MID_JULY = dt.datetime(YEAR, 7, 15, 10, 0, tzinfo=dt.UTC)

COVERED_PATHS = {
    "/api/v1/budget/years",
    "/api/v1/budget/years/{year}/import",
    "/api/v1/budget/years/{year}/summary",
    "/api/v1/budget/projects",
    "/api/v1/budget/projects/{pk}",
    "/api/v1/budget/projects/{pk}/spending",
    "/api/v1/budget/projects/{pk}/weights",
    "/api/v1/budget/indicators/{pk}",
    "/api/v1/budget/figures",
    "/api/v1/budget/activities",
    "/api/v1/budget/activities/{pk}/trainees",
    "/api/v1/budget/spending/{pk}/reverse",
}


def calls(project: Project, training: Activity) -> list[tuple[str, str, Any, set[Role], int]]:
    indicator = project.indicators.first()
    assert indicator is not None
    weights = {"execution": 10, "output": 50, "effect": 30, "satisfaction": 10}
    result = {"achieved_value": "96", "grade": "", "deviation_reason": "", "figure_code": ""}
    session = {"kind": "training", "topic": "安全培训", "date": f"{YEAR}-07-01", "participants": 10, "passed": 9}
    return [
        ("GET", "/budget/years", None, READERS, 200),
        ("GET", f"/budget/years/{YEAR}/summary", None, READERS, 200),
        ("GET", f"/budget/projects?year={YEAR}", None, READERS, 200),
        ("GET", f"/budget/projects/{project.pk}", None, READERS, 200),
        ("GET", f"/budget/projects/{project.pk}/spending", None, READERS, 200),
        ("GET", f"/budget/figures?year={YEAR}", None, READERS, 200),
        ("GET", "/budget/activities", None, READERS, 200),
        ("POST", f"/budget/years/{YEAR}/import", {"document": STATEMENT.read_text(encoding="utf-8")}, FINANCE, 200),
        ("POST", f"/budget/projects/{project.pk}/spending", {"date": f"{YEAR}-07-01", "amount": "1.5"}, FINANCE, 201),
        ("PUT", f"/budget/projects/{project.pk}/weights", weights, FINANCE, 200),
        ("POST", f"/budget/spending/{_entry(project).pk}/reverse", {"reason": "重复录入"}, FINANCE, 200),
        ("PUT", f"/budget/indicators/{indicator.pk}", result, FINANCE, 200),
        ("POST", "/budget/activities", session, TRAINERS, 201),
        ("GET", f"/budget/activities/{training.pk}/trainees", None, READERS, 200),
        ("POST", f"/budget/activities/{training.pk}/trainees", {"name": "张三", "passed": True}, TRAINERS, 201),
    ]


def _entry(project: Project) -> Spending:
    return Spending.objects.get_or_create(
        project=project, voucher="记-03-001", defaults={"date": dt.date(YEAR, 3, 1), "amount": 1, "recorded_by": "t"}
    )[0]


def _training() -> Activity:
    return Activity.objects.get_or_create(
        kind="training", topic="执法证培训", date=dt.date(YEAR, 3, 1), defaults={"participants": 0, "recorded_by": "t"}
    )[0]


def attempt(client: ApiClient, method: str, path: str, body: Any) -> int:
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


@time_machine.travel(MID_JULY, tick=False)
@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_budget_api_matrix(imported: list[Project], api: Any, role: Role | None) -> None:
    client = api(role)
    for method, path, body, allowed, ok in calls(imported[1], _training()):
        if role is None:
            expected = 401
        elif role is Role.MACHINE or role not in allowed:
            expected = 403
        else:
            expected = ok
        assert attempt(client, method, path, body) == expected, (role, method, path)


@time_machine.travel(MID_JULY, tick=False)
@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_budget_pages_matrix(imported: list[Project], park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    project = imported[1]
    indicator = project.indicators.first()
    assert indicator is not None
    pages = [
        ("/budget/", READERS),
        (f"/budget/projects/{project.pk}/", READERS),
        (f"/budget/projects/{project.pk}/report.docx", READERS),
        (f"/budget/projects/{project.pk}/report.xlsx", READERS),
        (f"/budget/{YEAR}/summary.xlsx", READERS),
        (f"/budget/indicators/{indicator.pk}/", READERS),
        ("/budget/activities/", READERS),
        (f"/budget/activities/{_training().pk}/", READERS),
        ("/budget/import/", FINANCE),
        (f"/budget/template.xlsx?year={YEAR}", FINANCE),
    ]
    for path, allowed in pages:
        assert client.get(path).status_code == (200 if role in allowed else 403), (role, path)
    posts = [
        (f"/budget/projects/{project.pk}/spending/", {"date": f"{YEAR}-07-01", "amount": "1"}, FINANCE, 302),
        (f"/budget/spending/{_entry(project).pk}/reverse/", {"reason": "重复录入"}, FINANCE, 302),
        (
            f"/budget/projects/{project.pk}/weights/",
            {"execution": "10", "output": "50", "effect": "30", "satisfaction": "10"},
            FINANCE,
            302,
        ),
        (f"/budget/indicators/{indicator.pk}/", {"grade": "achieved"}, FINANCE, 302),
        (
            "/budget/activities/",
            {"kind": "warning_education", "topic": "警示教育", "date": f"{YEAR}-07-01", "participants": "30"},
            TRAINERS,
            302,
        ),
    ]
    for path, body, allowed, ok in posts:
        with transaction.atomic():
            status = client.post(path, body).status_code
            transaction.set_rollback(True)
        assert status == (ok if role in allowed else 403), (role, path)


def test_finance_sees_only_the_budget(park: SmallPark, api: Any) -> None:
    finance = api(Role.FINANCE)
    for path in ("/major-hazards", "/enterprises", "/monitoring/points"):
        assert finance.call("GET", path).status_code == 403, path
