"""Every accounts endpoint × every role, against a policy written out here independently of
``chempark.core.roles``: the auditor alone reads the audit trail; the security administrator
alone manages accounts, their locks and machine tokens, and revokes anyone's token; every person
lists and revokes their own tokens; nobody obtains a token of another user, and a bearer token
does not mint another person token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.roles import Role
from tests.conftest import PASSWORD, SmallPark
from tests.park.test_permission_matrix import attempt

PERSONS = [r for r in Role if r is not Role.MACHINE]
AUDIT_READERS = {Role.AUDITOR}
ACCOUNT_MANAGERS = {Role.SECURITY_ADMIN}

COVERED_PATHS = {
    "/api/v1/auth/token",
    "/api/v1/tokens",
    "/api/v1/tokens/{token_id}/revoke",
    "/api/v1/audit",
    "/api/v1/users",
    "/api/v1/users/{user_id}/lock",
    "/api/v1/users/{user_id}/unlock",
    "/api/v1/users/{user_id}",
    "/api/v1/users/{user_id}/disable",
    "/api/v1/users/{user_id}/enable",
    "/api/v1/users/{user_id}/password",
    "/api/v1/me/password",
}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_accounts_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    person = role not in (None, Role.MACHINE)
    refused = 401 if role is None else 403

    def allowed_for(roles: set[Role], ok: int) -> int:
        return ok if role in roles else refused

    assert attempt(client, "GET", "/audit") == allowed_for(AUDIT_READERS, 200), role
    assert attempt(client, "GET", "/tokens") == (200 if person else refused), role
    # a bearer token never mints a person token, for its owner or anyone else
    assert attempt(client, "POST", "/tokens", {"name": "mine"}) == refused, role
    machine = {"name": "gw", "kind": "machine", "enterprise_id": park.enterprise_a.pk}
    assert attempt(client, "POST", "/tokens", machine) == allowed_for(ACCOUNT_MANAGERS, 201), role
    expert_token, _raw = token_issue(actor=park.actor(Role.EXPERT), name="expert's", kind=TokenKind.PERSON)
    own_or_foreign = 200 if role in ACCOUNT_MANAGERS or role is Role.EXPERT else 404
    assert attempt(client, "POST", f"/tokens/{expert_token.pk}/revoke") == (own_or_foreign if person else refused), role
    target = park.users[Role.DISPATCHER].pk
    assert attempt(client, "GET", "/users") == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", f"/users/{target}/lock") == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", f"/users/{target}/unlock") == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", "/users/999999/unlock") == allowed_for(ACCOUNT_MANAGERS, 404), role
    edit = {"display_name": "调度员", "role": "expert"}
    assert attempt(client, "PUT", f"/users/{target}", edit) == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", f"/users/{target}/disable") == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", f"/users/{target}/enable") == allowed_for(ACCOUNT_MANAGERS, 200), role
    assert attempt(client, "POST", f"/users/{target}/password", {}) == allowed_for(ACCOUNT_MANAGERS, 200), role
    # every person may change their own password (the wrong current one given here: 422 past the gate)
    wrong = {"current_password": "not-it", "new_password": "An0ther-Passw0rd!"}
    assert attempt(client, "POST", "/me/password", wrong) == (422 if person else refused), role


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_nobody_names_another_user_for_a_token(park: SmallPark, api: Any, role: Role) -> None:
    victim = park.users[Role.BUREAU_ADMIN if role is not Role.BUREAU_ADMIN else Role.AUDITOR]
    body = {"name": "x", "kind": "person", "user_id": victim.pk}
    assert attempt(api(role), "POST", "/tokens", body) == 422, role


def test_token_lists_are_own_except_for_the_security_admin(park: SmallPark, api: Any) -> None:
    everyone = {t["user_id"] for t in api(Role.SECURITY_ADMIN).call("GET", "/tokens").json()["items"]}
    api(Role.EXPERT)  # issues the expert's token
    assert len(api(Role.SECURITY_ADMIN).call("GET", "/tokens").json()["items"]) > len(everyone)
    own = api(Role.INSPECTOR).call("GET", "/tokens").json()["items"]
    assert {t["user_id"] for t in own} == {park.users[Role.INSPECTOR].pk}


def test_login_token_endpoint_is_open_but_checks_the_password(park: SmallPark) -> None:
    client = Client()
    ok = client.post(
        "/api/v1/auth/token", {"username": "expert", "password": PASSWORD}, content_type="application/json"
    )
    assert ok.status_code == 200
    bad = client.post("/api/v1/auth/token", {"username": "expert", "password": "nope"}, content_type="application/json")
    assert bad.status_code == 401 and bad.json()["code"] == "invalid_credentials"
