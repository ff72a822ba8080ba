"""Who sees the periodic tasks, written out independently of ``chempark.core.roles``: the bureau's
system administrator only, who runs the platform; not the security administrator nor the auditor
(three-role separation), nor enterprises or machines."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chempark.core.roles import Role
from tests.conftest import SmallPark
from tests.park.test_permission_matrix import PERSONS, attempt

COVERED_PATHS = {"/api/v1/periodic-tasks"}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_periodic_tasks_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    refused = 401 if role is None else 403
    expected = 200 if role is Role.BUREAU_ADMIN else refused
    assert attempt(api(role), "GET", "/periodic-tasks") == expected, role


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_the_page(park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    assert client.get("/system/periodic/").status_code == (200 if role is Role.BUREAU_ADMIN else 403)


def test_the_page_needs_a_login(park: SmallPark) -> None:
    answer = Client().get("/system/periodic/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
