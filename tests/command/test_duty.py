"""Duty roster and shift handover: the rules of a shift (order, length, bureau staff, no overlap),
the handover's state machine with its frozen open items and both signatures, the audit trail, the
strip on every bureau page and the daily report read back from its DOCX."""

from __future__ import annotations

import datetime as dt
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from docx import Document

from chempark.accounts.models import AuditEvent
from chempark.command import duty_selectors, handover
from chempark.command.duty_report import duty_report_docx
from chempark.command.duty_services import (
    handover_accept,
    handover_create,
    handover_sign,
    handover_update,
    shift_create,
)
from chempark.command.models import DutyShift
from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.core.roles import Role
from chempark.monitoring.config_services import point_create
from tests.command.test_screen import raise_alarm
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

NOW = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)  # 14:30 in the park
START = NOW - timedelta(hours=6)


def plan(park: SmallPark, start: datetime = START, hours: int = 24, officer: Role = Role.DISPATCHER) -> DutyShift:
    return shift_create(
        actor=SYSTEM,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        leader=park.users[Role.BUREAU_ADMIN].pk,
        officers=[park.users[officer].pk],
        phone="0315-12350",
    )


def test_the_handover_workflow_names_what_is_allowed() -> None:
    assert handover.allowed(handover.Status.DRAFT) == [handover.Action.EDIT, handover.Action.HAND_OVER]
    assert handover.next_status(handover.Status.HANDED_OVER, handover.Action.ACCEPT) is handover.Status.ACCEPTED
    with pytest.raises(handover.TransitionNotAllowed) as refused:
        handover.next_status(handover.Status.ACCEPTED, handover.Action.EDIT)
    assert refused.value.allowed == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": START - timedelta(hours=1)}, "ends_at"),
        ({"ends_at": START + timedelta(hours=49)}, "ends_at"),
        ({"officers": []}, "officers"),
        ({"officers": ["enterprise"]}, "officers"),
        ({"leader": "auditor"}, "leader"),
    ],
)
def test_a_bad_shift_is_refused_naming_the_field(park: SmallPark, change: dict, field: str) -> None:
    values = {
        "starts_at": START,
        "ends_at": START + timedelta(hours=24),
        "leader": park.users[Role.BUREAU_ADMIN].pk,
        "officers": [park.users[Role.DISPATCHER].pk],
    }
    for key, value in change.items():
        if key == "officers":
            values[key] = [park.users[Role(v)].pk for v in value]
        elif key == "leader":
            values[key] = park.users[Role(value)].pk
        else:
            values[key] = value
    with pytest.raises(InvalidInput) as refused:
        shift_create(actor=SYSTEM, **values)
    assert field in refused.value.details
    assert not DutyShift.objects.exists()


def test_shifts_do_not_overlap_and_local_times_are_the_parks(park: SmallPark) -> None:
    plan(park)
    with pytest.raises(Conflict, match="时间重叠"):
        plan(park, start=START + timedelta(hours=23))
    naive = dt.datetime(2027, 6, 4, 8, 30)  # noqa: DTZ001 - 08:30 in the park, typed without an offset
    nxt = shift_create(
        actor=SYSTEM,
        starts_at=naive,
        ends_at=naive + timedelta(hours=24),
        leader=park.users[Role.BUREAU_ADMIN].pk,
        officers=[park.users[Role.INSPECTOR].pk],
    )
    assert nxt.starts_at == START + timedelta(hours=24)
    assert duty_selectors.shift_now(NOW).officers.get().username == "dispatcher"
    assert duty_selectors.shift_now(START + timedelta(hours=25)) == nxt
    assert AuditEvent.objects.filter(object_type="command.dutyshift").count() == 2


def test_a_handover_lists_what_is_open_freezes_it_and_takes_two_signatures(park: SmallPark) -> None:
    plan(park)
    dispatcher, inspector = park.actor(Role.DISPATCHER), park.actor(Role.INSPECTOR)
    point = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Conflict, match="不在当前值班班次"):
            handover_create(actor=inspector)
        raise_alarm(point)
        record = handover_create(actor=dispatcher, notes="注意液位")
        groups = {item["group"] for item in record.open_items}
        assert groups == {"未确认报警", "今日未报安全承诺的企业"}  # 14:30: both enterprises late
        assert len(record.open_items) == 3
        with pytest.raises(Conflict, match="交班人本人"):
            handover_update(actor=inspector, pk=record.pk, notes="改")
        handover_sign(actor=dispatcher, pk=record.pk)
        with pytest.raises(Conflict, match="另一名值班人员"):
            handover_accept(actor=dispatcher, pk=record.pk)
        signed = duty_selectors.handover_get(dispatcher, record.pk)
        assert signed.status == "handed_over" and signed.handed_over_at == NOW
        raise_alarm(point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, "LT-9")))
        with pytest.raises(Conflict) as refused:
            handover_update(actor=dispatcher, pk=record.pk, notes="再改")
        assert refused.value.code is ErrorCode.TRANSITION_NOT_ALLOWED
        assert refused.value.details["allowed"] == ["accept"]
        accepted = handover_accept(actor=inspector, pk=record.pk)
    assert accepted.status == "accepted" and accepted.incoming_id == inspector.user_id
    assert len(accepted.open_items) == 3  # frozen at signing: the later alarm is not in it
    assert AuditEvent.objects.filter(object_type="command.shifthandover").count() == 3


def test_the_strip_shows_who_is_on_duty_to_the_bureau_only(park: SmallPark) -> None:
    plan(park)
    with time_machine.travel(NOW, tick=False):
        for role, shown in [(Role.INSPECTOR, True), (Role.ENTERPRISE, False)]:
            client = Client()
            client.force_login(park.users[role])
            page = client.get("/registry/enterprise/").content.decode()
            assert ('data-testid="on-duty"' in page) is shown, role
            if shown:
                assert "0315-12350" in page


def test_the_daily_report_holds_the_day(park: SmallPark) -> None:
    plan(park)
    point = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))
    with time_machine.travel(NOW, tick=False):
        raise_alarm(point)
        record = handover_create(actor=park.actor(Role.DISPATCHER), notes="罐区巡检两次")
        handover_sign(actor=park.actor(Role.DISPATCHER), pk=record.pk)
        content = duty_report_docx(park.actor(Role.INSPECTOR), dt.date(2027, 6, 3))
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    tables = ["\t".join(c.text for c in row.cells) for t in Document(io.BytesIO(content)).tables for row in t.rows]
    assert "值班日报（2027-06-03）" in text
    assert "全天报警 1 条" in text and "罐区巡检两次" in text and "未确认报警" in text
    assert any("dispatcher" in row and "0315-12350" in row for row in tables)
    assert any(park.enterprise_a.name in row for row in tables)


def test_a_handover_names_an_alarm_without_a_point_by_its_subject(park: SmallPark) -> None:
    """A vehicle's park-level alarm has neither an enterprise nor a point: the open item names the park
    and the plate (it read 「None ·  · 超速」), and the alarm's value carries its unit."""
    from chempark.command.open_items import unacknowledged_alarms
    from chempark.core import alarm_feed
    from chempark.monitoring.models import Alarm

    with time_machine.travel(NOW, tick=False):
        pk = alarm_feed.raise_alarm(
            source="tracking",
            kind=alarm_feed.AlarmKind.OVERSPEED,
            severity=alarm_feed.FeedSeverity.MAJOR,
            enterprise_id=None,
            title="冀A12345",
            detail="超速：58 km/h，限速 40 km/h",
            lon=None,
            lat=None,
            ref="look-1",
            value=58.0,
        )
        titles = [item["title"] for item in unacknowledged_alarms(park.actor(Role.DISPATCHER), NOW)]
    assert titles == ["06-03 14:30 园区 · 冀A12345 · 超速（重要）"]
    assert Alarm.objects.get(pk=pk).measure_unit == "km/h"
