"""Who reads notifications, written out independently of ``chempark.core.roles``: everyone who
reads business data has an inbox (their own messages only); the delivery log is the bureau
administrator's; the auditor and the security administrator have neither (three-role separation)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chempark.core.roles import Role
from chempark.notifications.models import Notification
from tests.conftest import SmallPark
from tests.park.test_permission_matrix import PERSONS, attempt

READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}

COVERED_PATHS = {
    "/api/v1/notifications",
    "/api/v1/notifications/read",
    "/api/v1/notifications/deliveries",
    "/api/v1/notifications/subscriptions",
}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_notifications_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    other = Notification.objects.create(user=park.users[Role.INSPECTOR], title="他人", created_at=timezone.now())
    client = api(role)
    refused = 401 if role is None else 403
    reader = role in READERS
    assert attempt(client, "GET", "/notifications") == (200 if reader else refused), role
    assert attempt(client, "POST", "/notifications/read", {"ids": [other.pk]}) == (200 if reader else refused)
    admin = role is Role.BUREAU_ADMIN
    assert attempt(client, "GET", "/notifications/deliveries") == (200 if admin else refused), role
    assert attempt(client, "GET", "/notifications/subscriptions") == (200 if reader else refused), role
    one = {"items": [{"event_type": "alarm.raised", "enabled": True, "min_severity": "critical"}]}
    assert attempt(client, "PUT", "/notifications/subscriptions", one) == (200 if reader else refused), role
    if reader:
        marked = client.call("POST", "/notifications/read", {"ids": [other.pk]}).json()["marked"]
        assert marked == (1 if role is Role.INSPECTOR else 0)  # nobody marks another's message


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_the_pages(park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    assert client.get("/notifications/").status_code == (200 if role in READERS else 403)
    assert client.get("/notifications/subscriptions/").status_code == (200 if role in READERS else 403)
    assert client.get("/notifications/deliveries/").status_code == (200 if role is Role.BUREAU_ADMIN else 403)
