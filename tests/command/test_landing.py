"""The landing pages: the bureau's command overview and the enterprise workbench show the work of
the moment — alarms to acknowledge, today's commitment, overdue duty checks, the tiles of the 大屏
and the risk index — each within the reader's scope, and refuse the other audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.hazards.models import MajorHazard, SafetyCommitment
from chempark.monitoring.config_services import point_create
from chempark.monitoring.models import Point
from tests.command.test_screen import raise_alarm
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

MORNING = datetime(2027, 6, 3, 1, 0, tzinfo=UTC)  # 09:00 in the park, before the 10:00 deadline
AFTERNOON = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)  # 14:30, after it


@pytest.fixture
def alarms(park: SmallPark) -> tuple[Point, Point]:
    a = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))
    b = point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, "LT-201"))
    with time_machine.travel(AFTERNOON - timedelta(minutes=5), tick=False):
        raise_alarm(a)
        raise_alarm(b)
    return a, b


def login(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def test_the_command_overview_lists_what_to_act_on(park: SmallPark, alarms: tuple[Point, Point]) -> None:
    with time_machine.travel(AFTERNOON, tick=False):
        client = login(park, Role.DISPATCHER)
        page = client.get("/command/overview/").content.decode()
        body = client.get("/command/overview/?fragment=1").content.decode()
    overview = page.split('data-testid="overview-unacked"', 1)[1].split("</section>", 1)[0]
    assert overview.count("/monitoring/alarms/") >= 3  # the two alarms and the link to the list
    assert park.enterprise_a.name in overview and park.enterprise_b.name in overview
    for tile in ("alarms", "points", "duties"):
        assert f'data-tile="{tile}"' in page
    ranking = page.split('data-testid="overview-ranking"', 1)[1].split("</section>", 1)[0]
    assert park.enterprise_a.name in ranking and "#risk-index" in ranking
    assert "值班安排" in page and "/command/screen/" in page
    assert "<html" not in body and 'data-testid="overview-unacked"' in body  # the minute's reload


def test_the_enterprise_workbench_shows_its_own_only(park: SmallPark, alarms: tuple[Point, Point]) -> None:
    with time_machine.travel(AFTERNOON, tick=False):
        page = login(park, Role.ENTERPRISE).get("/command/workbench/").content.decode()
    assert park.enterprise_a.name in page and park.enterprise_b.name not in page
    own = page.split('data-testid="workbench-alarms"', 1)[1].split("</section>", 1)[0]
    assert alarms[0].name in own and alarms[1].name not in own
    assert 'data-tile="enterprises"' not in page  # the park's connection target is not the enterprise's business
    assert 'data-testid="workbench-risk"' in page and 'data-testid="workbench-duty-checks"' in page


def test_todays_commitment_is_due_then_late_then_submitted(park: SmallPark) -> None:
    assert MajorHazard.objects.filter(enterprise=park.enterprise_a).exists()  # so a commitment is due
    client = login(park, Role.ENTERPRISE)
    with time_machine.travel(MORNING, tick=False):
        client.force_login(park.users[Role.ENTERPRISE])
        due = client.get("/command/workbench/").content.decode()
    with time_machine.travel(AFTERNOON, tick=False):
        client.force_login(park.users[Role.ENTERPRISE])
        late = client.get("/command/workbench/").content.decode()
        SafetyCommitment.objects.create(
            enterprise=park.enterprise_a,
            date=AFTERNOON.date(),
            units_running=1,
            units_under_maintenance=0,
            special_operations=0,
            hazards_under_control=True,
            principal_name="王总",
            commitment="安全受控",
            submitted_by="enterprise",
        )
        done = client.get("/command/workbench/").content.decode()
    assert 'data-state="due"' in due and "10:00" in due and "/hazards/commitments/" in due
    assert 'data-state="late"' in late and "已超过截止时间" in late
    assert 'data-state="submitted"' in done and "王总" in done


def test_each_landing_page_refuses_the_other_audience(park: SmallPark) -> None:
    assert login(park, Role.ENTERPRISE).get("/command/overview/").status_code == 403
    assert login(park, Role.DISPATCHER).get("/command/workbench/").status_code == 403
    assert login(park, Role.AUDITOR).get("/command/overview/").status_code == 403
    assert Client().get("/command/workbench/").status_code == 302
