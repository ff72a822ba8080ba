"""The audit trail: written by services in the same transaction, readable by the auditor only,
and impossible to change or delete even with direct SQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from chempark.accounts.models import AuditEvent
from chempark.core.errors import InvalidInput
from chempark.core.roles import Role
from chempark.park.services import registry_update
from tests.conftest import SmallPark


def test_update_writes_before_and_after(park: SmallPark) -> None:
    registry_update(actor=park.actor(Role.INSPECTOR), kind="unit", pk=park.unit_a.pk, values={"name": "一号罐区"})
    event = AuditEvent.objects.get(object_type="unit", object_id=str(park.unit_a.pk), action="update")
    assert (event.before["name"], event.after["name"]) == ("储罐区", "一号罐区")
    assert event.actor_username == "inspector" and event.enterprise_id == park.enterprise_a.pk


def test_refused_change_leaves_no_audit_row(park: SmallPark) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput):
        registry_update(
            actor=park.actor(Role.INSPECTOR), kind="enterprise", pk=park.enterprise_a.pk, values={"uscc": "123"}
        )
    assert AuditEvent.objects.count() == before


def test_no_op_update_is_not_audited(park: SmallPark) -> None:
    before = AuditEvent.objects.count()
    registry_update(actor=park.actor(Role.INSPECTOR), kind="unit", pk=park.unit_a.pk, values={"name": "储罐区"})
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts_auditevent SET actor_username = 'someone else'",
        "DELETE FROM accounts_auditevent",
    ],
)
def test_database_refuses_rewriting_history(park: SmallPark, statement: str) -> None:
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(actor_username="someone else").exists()


def test_orm_delete_is_refused_too(park: SmallPark) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_auditor_reads_trail_via_api_with_filters(park: SmallPark, api: Any) -> None:
    registry_update(actor=park.actor(Role.INSPECTOR), kind="unit", pk=park.unit_a.pk, values={"name": "改"})
    body = api(Role.AUDITOR).call("GET", f"/audit?object_type=unit&object_id={park.unit_a.pk}&action=update").json()
    assert body["count"] == 1
    assert body["items"][0]["after"]["name"] == "改"
    assert api(Role.INSPECTOR).call("GET", "/audit").status_code == 403


def test_audit_page_for_auditor_only(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.AUDITOR])
    assert client.get("/accounts/audit/?object_type=unit").status_code == 200
    client.force_login(park.users[Role.ENTERPRISE])
    assert client.get("/accounts/audit/").status_code == 403


def test_audit_filter_by_time_takes_the_offset_and_excludes_the_end(park: SmallPark, api: Any) -> None:
    midnight = datetime(2028, 2, 29, tzinfo=ZoneInfo("Asia/Shanghai"))  # 16:00 on the 28th in UTC
    for name, moment in (
        ("前一天", midnight - timedelta(seconds=1)),
        ("零点", midnight),
        ("当天", midnight + timedelta(hours=23, minutes=59, seconds=59)),
        ("次日", midnight + timedelta(days=1)),
    ):
        with time_machine.travel(moment, tick=False):
            registry_update(actor=park.actor(Role.INSPECTOR), kind="unit", pk=park.unit_a.pk, values={"name": name})
    auditor = api(Role.AUDITOR)

    def names(**window: str) -> list[str]:
        query = urlencode({"object_type": "unit", "action": "update", **window})
        return [item["after"]["name"] for item in auditor.call("GET", f"/audit?{query}").json()["items"]]

    assert names(since="2028-02-29T00:00:00+08:00", until="2028-03-01T00:00:00+08:00") == ["当天", "零点"]
    assert names(since="2028-02-28T16:00:00Z", until="2028-02-29T16:00:00Z") == ["当天", "零点"]
    assert names(until="2028-02-29T00:00:00+08:00") == ["前一天"]
