"""Who may see the command centre, written out independently of ``chempark.core.roles``: the 大屏
and the park-wide ranking are the bureau's (administrator, inspector, duty officer, expert); an
enterprise user reads only its own enterprise's risk index (another's is "not found"); the auditor,
the security administrator and machines see none of it (three-role separation). The duty roster
and handovers are read by the bureau; shifts are planned and handovers signed by the administrator,
the inspector and the duty officer — a handover only by its own outgoing officer, accepted only by
another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from chempark.command.duty_services import handover_create, handover_sign, shift_create
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from tests.conftest import SmallPark
from tests.park.test_permission_matrix import PERSONS, attempt

BUREAU = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT}

COVERED_PATHS = {"/api/v1/command/screen", "/api/v1/command/risk", "/api/v1/command/risk/{enterprise_id}"}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_command_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    refused = 401 if role is None else 403
    bureau = role in BUREAU
    assert attempt(client, "GET", "/command/screen") == (200 if bureau else refused), role
    assert attempt(client, "GET", "/command/risk") == (200 if bureau else refused), role
    own, other = park.enterprise_a.pk, park.enterprise_b.pk
    readers = bureau or role is Role.ENTERPRISE
    assert attempt(client, "GET", f"/command/risk/{own}") == (200 if readers else refused), role
    expected_other = 404 if role is Role.ENTERPRISE else (200 if bureau else refused)
    assert attempt(client, "GET", f"/command/risk/{other}") == expected_other, role


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_the_screen_page_is_the_bureaus(park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    response = client.get("/command/screen/")
    assert response.status_code == (200 if role in BUREAU else 403)
    if role in BUREAU:
        assert "化工园区安全生产指挥大屏" in response.content.decode()


DUTY_WRITERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER}
NOW = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)

COVERED_PATHS |= {
    "/api/v1/command/shifts",
    "/api/v1/command/shifts/now",
    "/api/v1/command/handovers",
    "/api/v1/command/handovers/{pk}",
    "/api/v1/command/handovers/{pk}/sign",
    "/api/v1/command/handovers/{pk}/accept",
    "/api/v1/command/duty-report",
}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_duty_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    users = park.users
    with time_machine.travel(NOW, tick=False):
        shift_create(
            actor=SYSTEM,
            starts_at=NOW - timedelta(hours=2),
            ends_at=NOW + timedelta(hours=22),
            leader=users[Role.BUREAU_ADMIN].pk,
            officers=[users[r].pk for r in DUTY_WRITERS],
        )
        dispatcher = park.actor(Role.DISPATCHER)
        draft = handover_create(actor=dispatcher).pk
        signed = handover_sign(actor=dispatcher, pk=handover_create(actor=dispatcher).pk).pk
        client = api(role)
        refused = 401 if role is None else 403
        reader, writer = role in BUREAU, role in DUTY_WRITERS

        def expect(allowed: int) -> int:
            return allowed if writer else refused

        future = {
            "starts_at": "2027-07-01T08:30:00+08:00",
            "ends_at": "2027-07-02T08:30:00+08:00",
            "leader": users[Role.BUREAU_ADMIN].pk,
            "officers": [users[Role.DISPATCHER].pk],
        }
        assert attempt(client, "GET", "/command/shifts") == (200 if reader else refused), role
        assert attempt(client, "POST", "/command/shifts", future) == expect(201), role
        assert attempt(client, "GET", "/command/shifts/now") == (200 if reader else refused), role
        assert attempt(client, "GET", "/command/handovers") == (200 if reader else refused), role
        assert attempt(client, "GET", f"/command/handovers/{draft}") == (200 if reader else refused), role
        assert attempt(client, "POST", "/command/handovers", {"notes": "交班"}) == expect(201), role
        mine = role is Role.DISPATCHER
        assert attempt(client, "PATCH", f"/command/handovers/{draft}", {"notes": "改"}) == expect(200 if mine else 409)
        assert attempt(client, "POST", f"/command/handovers/{draft}/sign") == expect(200 if mine else 409), role
        assert attempt(client, "POST", f"/command/handovers/{signed}/accept") == expect(409 if mine else 200), role
        report = attempt(client, "GET", "/command/duty-report?date=2027-06-03")
        assert report == (200 if reader else refused), role


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_the_duty_pages_are_the_bureaus(park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    for url in ("/command/duty/", "/command/handovers/", "/command/duty/report.docx?date=2027-06-03"):
        assert client.get(url).status_code == (200 if role in BUREAU else 403), (role, url)
