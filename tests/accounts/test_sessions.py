"""The 30-minute idle timeout: only the user's own requests renew it. The finding was that a page
left open renewed it forever through its live stream and background refreshes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from chempark.core.roles import Role
from tests.conftest import SmallPark

NOW = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)


def signed_in(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def test_user_requests_renew_the_idle_timeout(park: SmallPark, settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with time_machine.travel(NOW, tick=False) as clock:
        client = signed_in(park, Role.DISPATCHER)
        clock.shift(timedelta(minutes=20))
        assert client.get("/registry/unit/").status_code == 200
        assert Session.objects.get().expire_date == NOW + timedelta(minutes=50)
        clock.shift(timedelta(minutes=31))
        response = client.get("/registry/unit/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_background_requests_do_not(park: SmallPark, settings: Any) -> None:
    settings.LIVE_STREAM_S = 1
    with time_machine.travel(NOW, tick=False) as clock:
        client = signed_in(park, Role.DISPATCHER)
        expires = Session.objects.get().expire_date
        for _minute in range(7):  # an open page for 28 minutes: polls and the live stream, no user action
            clock.shift(timedelta(minutes=4))
            assert client.get("/monitoring/alarms/?fragment=1", headers={"X-Background": "1"}).status_code == 200
            assert client.get(f"/monitoring/points/{0}/trend.json", headers={"X-Background": "1"}).status_code in (
                200,
                404,
            )
            assert client.get("/api/v1/map/layers/enterprises", headers={"X-Background": "1"}).status_code == 200
            assert Session.objects.get().expire_date == expires
        clock.shift(timedelta(minutes=3))  # 31 minutes after the last action
        assert client.get("/monitoring/alarms/").status_code == 302


def test_the_live_stream_does_not(park: SmallPark, monkeypatch: Any) -> None:
    from chempark.monitoring import live

    # The view and its middleware as they are; only the stream's body is left out (it polls for
    # 25 s and closes the test's database connection when it ends).
    monkeypatch.setattr(live, "stream_for", lambda request, actor: iter([b"retry: 1000\n\n"]))
    with time_machine.travel(NOW, tick=False) as clock:
        client = signed_in(park, Role.DISPATCHER)
        expires = Session.objects.get().expire_date
        clock.shift(timedelta(minutes=10))
        response = client.get("/monitoring/live/")
        assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
        assert Session.objects.get().expire_date == expires


def test_the_session_row_is_written_at_most_once_a_minute(park: SmallPark) -> None:
    """Every page view used to write the session row; a renewal per minute keeps the timeout."""
    with time_machine.travel(NOW, tick=False) as clock:
        client = signed_in(park, Role.DISPATCHER)
        clock.shift(timedelta(minutes=5))
        assert client.get("/registry/unit/").status_code == 200
        renewed = Session.objects.get().expire_date
        assert renewed == NOW + timedelta(minutes=35)
        for _step in range(5):  # five views in 50 s: no write
            clock.shift(timedelta(seconds=10))
            assert client.get("/registry/unit/").status_code == 200
            assert Session.objects.get().expire_date == renewed
        clock.shift(timedelta(seconds=10))  # a minute after the renewal
        assert client.get("/registry/unit/").status_code == 200
        assert Session.objects.get().expire_date == NOW + timedelta(minutes=36)
