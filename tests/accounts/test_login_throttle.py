"""Failed logins throttle (username, client address) with growing delays, never the account: the
finding was that five wrong passwords every fifteen minutes, from anywhere, kept any account —
the administrator's included — locked with no way to unlock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from chempark.accounts import login
from chempark.accounts.models import AuditEvent, LoginThrottle
from chempark.accounts.services import user_lock, user_unlock
from chempark.common.client_address import parse_trusted_proxies
from chempark.core.errors import Conflict
from chempark.core.roles import Role
from tests.conftest import PASSWORD, SmallPark

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def post_token(username: str, password: str, address: str, **headers: str) -> Any:
    return Client(REMOTE_ADDR=address, headers=headers).post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


@pytest.fixture
def throttle_settings(settings: Any) -> Any:
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_DELAY_S = 60
    settings.LOGIN_LOCKOUT_S = 3600
    return settings


def test_attacker_failures_do_not_keep_the_admin_out_from_another_address(
    park: SmallPark, throttle_settings: Any
) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        for _round in range(4):  # a persistent attacker, five tries every fifteen minutes
            clock.shift(timedelta(minutes=15))
            for _ in range(5):
                assert post_token("bureau_admin", "guess", ATTACKER).status_code == 401
        # the attacker's address waits, even with the right password ...
        assert post_token("bureau_admin", PASSWORD, ATTACKER).status_code == 401
        # ... the administrator, from their own address, logs in
        assert post_token("bureau_admin", PASSWORD, OWNER).status_code == 200
        page = Client(REMOTE_ADDR=OWNER).post("/accounts/login/", {"username": "bureau_admin", "password": PASSWORD})
        assert page.status_code == 302


def test_delays_grow_and_tries_while_waiting_do_not_lengthen_them(park: SmallPark, throttle_settings: Any) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(4):
            post_token("expert", "bad", ATTACKER)
        assert post_token("expert", PASSWORD, ATTACKER).status_code == 200, "four failures cost nothing"
        for _ in range(5):
            post_token("expert", "bad", ATTACKER)
        pair = LoginThrottle.objects.get(username="expert", address=ATTACKER)
        assert pair.blocked_until == NOW + timedelta(seconds=60)
        for _ in range(10):  # hammering while it waits changes nothing
            post_token("expert", "bad", ATTACKER)
        pair.refresh_from_db()
        assert (pair.failures, pair.blocked_until) == (5, NOW + timedelta(seconds=60))
        clock.shift(timedelta(seconds=61))
        post_token("expert", "bad", ATTACKER)  # sixth failure: twice the delay
        pair.refresh_from_db()
        assert pair.blocked_until == NOW + timedelta(seconds=61 + 120)
    assert [login.delay_after(n).total_seconds() for n in (4, 5, 6, 7, 11, 12, 40)] == [
        0,
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_unknown_users_answer_and_count_the_same(park: SmallPark, throttle_settings: Any) -> None:
    known = post_token("expert", "bad", ATTACKER).json()
    unknown = post_token("nobody", "bad", ATTACKER).json()
    assert known == unknown
    assert LoginThrottle.objects.get(username="nobody").failures == 1
    row = AuditEvent.objects.filter(action="login_failed", object_label="nobody").get()
    assert row.after == {"reason": "unknown_user", "address": ATTACKER, "failures": 1}


def test_every_refused_login_leaves_an_audit_row(park: SmallPark, throttle_settings: Any) -> None:
    throttle_settings.LOGIN_MAX_FAILURES = 1
    post_token("expert", "bad", ATTACKER)
    post_token("expert", PASSWORD, ATTACKER)  # throttled
    user_lock(actor=park.actor(Role.SECURITY_ADMIN), user_id=park.users[Role.DISPATCHER].pk)
    post_token("dispatcher", PASSWORD, OWNER)  # locked
    reasons = list(AuditEvent.objects.filter(action="login_failed").order_by("id").values_list("after", flat=True))
    assert [r["reason"] for r in reasons] == ["wrong_password", "throttled", "locked"]


def test_the_password_is_hashed_on_every_path(
    park: SmallPark, throttle_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Constant work whether the user exists, is locked or is throttled: one hash per attempt."""
    from django.contrib.auth import hashers

    calls = []
    original = hashers.MD5PasswordHasher.encode

    def counting(self: Any, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(hashers.MD5PasswordHasher, "encode", counting)
    throttle_settings.LOGIN_MAX_FAILURES = 1
    post_token("expert", "bad", ATTACKER)  # the pair now waits
    user_lock(actor=park.actor(Role.SECURITY_ADMIN), user_id=park.users[Role.DISPATCHER].pk)
    for username, password in (("nobody", "x1"), ("expert", "x2"), ("dispatcher", "x3"), ("inspector", "x4")):
        calls.clear()
        assert post_token(username, password, ATTACKER).status_code == 401
        assert calls == [password], username


def test_security_admin_unlocks_an_account_on_the_page(park: SmallPark, throttle_settings: Any) -> None:
    for address in (ATTACKER, OWNER):
        for _ in range(5):
            post_token("inspector", "bad", address)
    assert post_token("inspector", PASSWORD, OWNER).status_code == 401
    client = Client()
    client.force_login(park.users[Role.SECURITY_ADMIN])
    page = client.get("/accounts/users/").content.decode()
    assert ATTACKER in page and OWNER in page
    response = client.post(f"/accounts/users/{park.users[Role.INSPECTOR].pk}/unlock/")
    assert response.status_code == 302
    assert post_token("inspector", PASSWORD, OWNER).status_code == 200
    row = AuditEvent.objects.get(action="unlocked")
    assert row.actor_username == "security_admin" and row.before["throttled_addresses"] == sorted([ATTACKER, OWNER])
    # nobody else may
    other = Client()
    other.force_login(park.users[Role.BUREAU_ADMIN])
    assert other.post(f"/accounts/users/{park.users[Role.INSPECTOR].pk}/unlock/").status_code == 403


def test_security_admin_unlocks_through_the_api(park: SmallPark, api: Any, throttle_settings: Any) -> None:
    for _ in range(5):
        post_token("expert", "bad", ATTACKER)
    user = park.users[Role.EXPERT]
    listed = {u["username"]: u for u in api(Role.SECURITY_ADMIN).call("GET", "/users").json()["items"]}
    assert listed["expert"]["throttled_addresses"] == [ATTACKER]
    answer = api(Role.SECURITY_ADMIN).call("POST", f"/users/{user.pk}/unlock")
    assert answer.status_code == 200 and answer.json()["throttled_addresses"] == []
    assert post_token("expert", PASSWORD, ATTACKER).status_code == 200


def test_the_only_active_security_admin_cannot_be_locked(park: SmallPark) -> None:
    secadmin = park.actor(Role.SECURITY_ADMIN)
    with pytest.raises(Conflict):
        user_lock(actor=secadmin, user_id=park.users[Role.SECURITY_ADMIN].pk)
    assert post_token("security_admin", PASSWORD, OWNER).status_code == 200
    # with a second one, either may be locked and unlocked by the other
    from chempark.accounts.services import user_create
    from chempark.core.actors import SYSTEM

    second = user_create(actor=SYSTEM, username="secadmin2", password=PASSWORD, role=Role.SECURITY_ADMIN)
    user_lock(actor=secadmin, user_id=second.pk)
    with pytest.raises(Conflict):
        user_lock(actor=secadmin, user_id=park.users[Role.SECURITY_ADMIN].pk)
    user_unlock(actor=secadmin, user_id=second.pk)


def test_unlock_command_needs_no_login(park: SmallPark, throttle_settings: Any) -> None:
    """The console's way back in when every address in use waits (e.g. all behind one proxy)."""
    from django.core.management import call_command

    for _ in range(5):
        post_token("security_admin", "bad", OWNER)
    assert post_token("security_admin", PASSWORD, OWNER).status_code == 401
    call_command("unlock-account", "security_admin")
    assert post_token("security_admin", PASSWORD, OWNER).status_code == 200
    import getpass

    assert AuditEvent.objects.filter(action="unlocked", actor_username=f"cli:{getpass.getuser()}").exists()


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(park: SmallPark, throttle_settings: Any) -> None:
    throttle_settings.LOGIN_MAX_FAILURES = 1
    # no trusted proxy: a forged header does not choose the address counted
    post_token("expert", "bad", ATTACKER, **{"X-Forwarded-For": OWNER})
    assert list(LoginThrottle.objects.values_list("address", flat=True)) == [ATTACKER]
    # behind a trusted proxy, the client it names is counted, and others behind it are not held up
    throttle_settings.TRUSTED_PROXIES = parse_trusted_proxies(["10.0.0.0/8"])
    post_token("dispatcher", "bad", "10.0.0.2", **{"X-Forwarded-For": f"{OWNER}, {ATTACKER}"})
    assert LoginThrottle.objects.filter(username="dispatcher").get().address == ATTACKER
    assert post_token("dispatcher", PASSWORD, "10.0.0.2", **{"X-Forwarded-For": OWNER}).status_code == 200


def test_a_unix_socket_proxy_is_trusted_only_when_configured(park: SmallPark, throttle_settings: Any) -> None:
    """uvicorn behind nginx on a Unix socket sees no remote address at all."""
    throttle_settings.LOGIN_MAX_FAILURES = 1
    post_token("expert", "bad", "", **{"X-Forwarded-For": ATTACKER})
    assert LoginThrottle.objects.get().address == "unknown"  # every client the same: configure the proxy
    LoginThrottle.objects.all().delete()
    throttle_settings.TRUSTED_PROXIES = parse_trusted_proxies(["unix"])
    post_token("expert", "bad", "", **{"X-Forwarded-For": ATTACKER})
    assert LoginThrottle.objects.get().address == ATTACKER
