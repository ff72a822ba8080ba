"""Regulated point settings (alarm limits, deadband, on-delay, enabled) change only with the bureau's
approval: an enterprise user's change is a pending request that changes nothing, a bureau approver
applies it (audited) or rejects it with a reason, and the history stays append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.models import Point, PointChangeDecision, PointChangeRequest
from tests.monitoring.conftest import Points
from tests.park.test_api import assert_error


def limits(point: Any) -> tuple[Any, ...]:
    fresh = Point.objects.get(pk=point.pk)
    return fresh.ll, fresh.l, fresh.h, fresh.hh, fresh.deadband, fresh.on_delay_s, fresh.enabled


@pytest.mark.parametrize(
    "change", [{"hh": 9.8}, {"l": 0.5}, {"deadband": 0.5}, {"on_delay_s": 30}, {"enabled": False}, {"ll": 0.2}]
)
def test_an_enterprise_change_of_a_regulated_field_is_a_pending_request(
    park: Any, points: Points, api: Any, change: dict[str, Any]
) -> None:
    before = limits(points.level_a)
    response = api(Role.ENTERPRISE).call("PATCH", f"/monitoring/points/{points.level_a.pk}", change)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["changes"] == change and body["requested_by"] == "enterprise"
    assert limits(points.level_a) == before, "a pending request changes nothing"
    assert AuditEvent.objects.filter(object_type="point_change_request", object_id=str(body["id"])).exists()


def test_other_fields_change_at_once_and_unchanged_limits_make_no_request(park: Any, points: Points, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    response = client.call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"name": "新名称", "hh": 9.0})
    assert response.status_code == 200 and response.json()["name"] == "新名称"
    assert not PointChangeRequest.objects.exists()
    response = client.call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"name": "再改名", "hh": 9.6})
    assert response.status_code == 202
    point = Point.objects.get(pk=points.level_a.pk)
    assert point.name == "再改名" and point.hh == 9.0


def test_bureau_users_change_regulated_fields_directly(park: Any, points: Points, api: Any) -> None:
    response = api(Role.INSPECTOR).call(
        "PATCH", f"/monitoring/points/{points.level_a.pk}", {"hh": 9.7, "enabled": False}
    )
    assert response.status_code == 200
    assert limits(points.level_a)[3:] == (9.7, 0.2, 0.0, False)
    assert not PointChangeRequest.objects.exists()


def test_approval_applies_the_request_with_an_audit_row(park: Any, points: Points, api: Any) -> None:
    request = (
        api(Role.ENTERPRISE)
        .call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"hh": 9.9, "enabled": False})
        .json()
    )
    approved = api(Role.BUREAU_ADMIN).call("POST", f"/monitoring/change-requests/{request['id']}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["decided_by"] == "bureau_admin"
    assert limits(points.level_a)[3] == 9.9 and limits(points.level_a)[6] is False
    change = AuditEvent.objects.filter(
        object_type="monitoring_point", object_id=str(points.level_a.pk), actor_username="bureau_admin"
    ).latest("id")
    assert change.before["hh"] == 9.0 and change.after["hh"] == 9.9
    assert AuditEvent.objects.filter(object_type="point_change_decision", actor_username="bureau_admin").exists()
    again = api(Role.BUREAU_ADMIN).call("POST", f"/monitoring/change-requests/{request['id']}/reject", {"reason": "x"})
    assert_error(again, 409, "transition_not_allowed")


def test_rejection_needs_a_reason_and_changes_nothing(park: Any, points: Points, api: Any) -> None:
    before = limits(points.level_a)
    request = api(Role.ENTERPRISE).call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"h": 7.5}).json()
    bureau = api(Role.INSPECTOR)
    assert_error(
        bureau.call("POST", f"/monitoring/change-requests/{request['id']}/reject", {"reason": "  "}),
        422,
        "reason_required",
    )
    rejected = bureau.call("POST", f"/monitoring/change-requests/{request['id']}/reject", {"reason": "无整定依据"})
    assert rejected.status_code == 200 and rejected.json()["reason"] == "无整定依据"
    assert limits(points.level_a) == before
    listed = api(Role.ENTERPRISE).call("GET", "/monitoring/change-requests?status=rejected").json()["items"]
    assert [row["id"] for row in listed] == [request["id"]]


def test_an_enterprise_user_cannot_approve_its_own_request(park: Any, points: Points, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    request = client.call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"enabled": False}).json()
    assert_error(client.call("POST", f"/monitoring/change-requests/{request['id']}/approve"), 403, "forbidden")
    assert limits(points.level_a)[6] is True
    assert not PointChangeDecision.objects.exists()


def test_one_pending_request_per_point_and_invalid_requests_are_refused(park: Any, points: Points, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    url = f"/monitoring/points/{points.level_a.pk}"
    assert_error(client.call("PATCH", url, {"h": 9.5}), 422, "invalid_limits")  # H above HH
    assert not PointChangeRequest.objects.exists()
    assert client.call("PATCH", url, {"hh": 9.5}).status_code == 202
    assert_error(client.call("PATCH", url, {"hh": 9.6}), 409, "change_request_pending")
    assert PointChangeRequest.objects.count() == 1


@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_change_request_history_is_append_only(park: Any, points: Points, api: Any, statement: str) -> None:
    request = api(Role.ENTERPRISE).call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"hh": 9.5}).json()
    api(Role.BUREAU_ADMIN).call("POST", f"/monitoring/change-requests/{request['id']}/reject", {"reason": "否"})
    for model in (PointChangeRequest, PointChangeDecision):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(table=model._meta.db_table))
    assert PointChangeRequest.objects.count() == 1 and PointChangeDecision.objects.count() == 1


def test_the_point_page_shows_pending_requests_in_chinese(park: Any, points: Points, api: Any, client: Any) -> None:
    api(Role.ENTERPRISE).call("PATCH", f"/monitoring/points/{points.level_a.pk}", {"hh": 9.5, "enabled": False})
    client.force_login(park.users[Role.INSPECTOR])
    page = client.get(f"/monitoring/points/{points.level_a.pk}/").content.decode()
    assert "待审批的变更申请" in page
    assert "高高报：9.0 → 9.5" in page and "启用：启用 → 停用" in page
    assert "hh" not in page.split("待审批的变更申请", 1)[1].split("近期报警", 1)[0]
