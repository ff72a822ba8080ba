"""Who may see the command centre, written out independently of ``chempark.core.roles``: the 大屏
and the park-wide ranking are the bureau's (administrator, inspector, duty officer, expert); an
enterprise user reads only its own enterprise's risk index (another's is "not found"); the auditor,
the security administrator and machines see none of it (three-role separation)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

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
