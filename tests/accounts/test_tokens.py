"""No role can obtain a token of another user; person tokens end; every audit row names the token.

The finding these guard against: ``POST /api/v1/tokens {"kind": "person", "user_id": 1}`` as the
security administrator returned a working token of the bureau administrator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from chempark.accounts.models import ApiToken, AuditEvent, TokenKind, User
from chempark.accounts.services import token_issue, user_lock, user_unlock
from chempark.core.errors import Forbidden
from chempark.core.roles import Role
from tests.conftest import PASSWORD, ApiClient, SmallPark

PERSONS = [r for r in Role if r is not Role.MACHINE]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def login_token(client: Client, username: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_no_role_obtains_a_token_of_another_user(park: SmallPark, api: Any, role: Role) -> None:
    client = api(role)
    tokens_before = ApiToken.objects.count()
    for victim in (Role.BUREAU_ADMIN, Role.AUDITOR, Role.EXPERT):
        other = park.users[victim]
        if other.pk == park.users[role].pk:
            continue
        response = client.call("POST", "/tokens", {"name": "x", "kind": "person", "user_id": other.pk})
        assert response.status_code == 422, (role, victim)  # there is no field to name another user
    assert ApiToken.objects.count() == tokens_before
    assert not ApiToken.objects.exclude(user=park.users[role]).filter(kind="person", name="x").exists()


def test_security_admin_through_the_session_cannot_issue_for_others_either(park: SmallPark, client: Client) -> None:
    client.force_login(park.users[Role.SECURITY_ADMIN])
    admin = park.users[Role.BUREAU_ADMIN]
    response = client.post(
        "/api/v1/tokens", {"name": "x", "kind": "person", "user_id": admin.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=admin).exists()
    # its own person token, from its session, it may have
    own = client.post("/api/v1/tokens", {"name": "mine"}, content_type="application/json")
    assert own.status_code == 201 and own.json()["user_id"] == park.users[Role.SECURITY_ADMIN].pk


def test_a_token_cannot_mint_another_person_token(park: SmallPark, api: Any) -> None:
    response = api(Role.INSPECTOR).call("POST", "/tokens", {"name": "more"})
    assert response.status_code == 403 and response.json()["code"] == "token_cannot_issue"


def test_the_platform_itself_issues_no_person_tokens(park: SmallPark) -> None:
    from chempark.core.actors import SYSTEM

    with pytest.raises(Forbidden):
        token_issue(actor=SYSTEM, name="x", kind=TokenKind.PERSON)


def test_security_admin_revokes_anyones_token(park: SmallPark, api: Any, client: Client) -> None:
    raw = login_token(client, "expert")["token"]
    token = ApiToken.objects.get(user=park.users[Role.EXPERT])
    assert api(Role.SECURITY_ADMIN).call("POST", f"/tokens/{token.pk}/revoke").status_code == 200
    assert ApiClient(raw).call("GET", "/units").status_code == 401


def test_audit_rows_name_the_acting_token(park: SmallPark, client: Client) -> None:
    raw = login_token(client, "inspector")["token"]
    token = ApiToken.objects.get(user=park.users[Role.INSPECTOR], revoked_at__isnull=True)
    assert ApiClient(raw).call("PATCH", f"/units/{park.unit_a.pk}", {"name": "改名装置"}).status_code == 200
    row = AuditEvent.objects.filter(object_type="unit", action="update").latest("id")
    assert (row.actor_username, row.token_id, row.token_kind) == ("inspector", token.pk, "person")
    assert row.object_label == "改名装置"
    # a session acts through no token
    session = Client()
    session.force_login(park.users[Role.INSPECTOR])
    session.post("/api/v1/tokens", {"name": "laptop"}, content_type="application/json")
    issued = AuditEvent.objects.filter(action="token_issue").latest("id")
    assert issued.token_id is None and issued.token_kind == ""


def test_machine_token_rows_carry_the_machine_token(park: SmallPark, api: Any) -> None:
    response = api(Role.SECURITY_ADMIN).call(
        "POST", "/tokens", {"name": "gw", "kind": "machine", "enterprise_id": park.enterprise_a.pk}
    )
    issued = AuditEvent.objects.filter(action="token_issue").latest("id")
    secadmin_token = ApiToken.objects.get(user=park.users[Role.SECURITY_ADMIN], name="test")
    assert issued.token_id == secadmin_token.pk and issued.token_kind == "person"
    assert response.json()["expires_at"] is None  # machine tokens run until revoked


def test_person_tokens_expire(park: SmallPark, client: Client, settings: Any) -> None:
    settings.PERSON_TOKEN_TTL_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        answer = login_token(client, "expert")
        assert answer["expires_at"].startswith("2026-04-01")
    with time_machine.travel(NOW + timedelta(days=29, hours=23), tick=False):
        assert ApiClient(answer["token"]).call("GET", "/units").status_code == 200
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        assert ApiClient(answer["token"]).call("GET", "/units").status_code == 401


def test_a_new_login_replaces_the_previous_login_token(park: SmallPark, client: Client) -> None:
    first = login_token(client, "expert")["token"]
    second = login_token(client, "expert")["token"]
    assert ApiClient(first).call("GET", "/units").status_code == 401
    assert ApiClient(second).call("GET", "/units").status_code == 200
    live = ApiToken.objects.filter(user=park.users[Role.EXPERT], revoked_at__isnull=True)
    assert live.count() == 1
    # named tokens are not login tokens: a login leaves them alone
    session = Client()
    session.force_login(park.users[Role.EXPERT])
    named = session.post("/api/v1/tokens", {"name": "script"}, content_type="application/json").json()["token"]
    login_token(client, "expert")
    assert ApiClient(named).call("GET", "/units").status_code == 200


def test_locked_or_disabled_accounts_tokens_stop_working(park: SmallPark, client: Client) -> None:
    raw = login_token(client, "dispatcher")["token"]
    dispatcher = park.users[Role.DISPATCHER]
    secadmin = park.actor(Role.SECURITY_ADMIN)
    user_lock(actor=secadmin, user_id=dispatcher.pk)
    assert ApiClient(raw).call("GET", "/units").status_code == 401
    user_unlock(actor=secadmin, user_id=dispatcher.pk)
    assert ApiClient(raw).call("GET", "/units").status_code == 200
    User.objects.filter(pk=dispatcher.pk).update(is_active=False)
    assert ApiClient(raw).call("GET", "/units").status_code == 401


def test_a_lock_ends_the_accounts_open_session(park: SmallPark, client: Client) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    assert client.get("/registry/unit/").status_code == 200
    user_lock(actor=park.actor(Role.SECURITY_ADMIN), user_id=park.users[Role.INSPECTOR].pk)
    response = client.get("/registry/unit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
