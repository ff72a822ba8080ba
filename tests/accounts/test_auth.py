"""Login, bearer tokens (hashed, revocable), password rules (throttling, tokens and sessions: their own modules)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import ApiToken, TokenKind, User
from chempark.accounts.services import hash_token, token_issue, token_revoke, user_create
from chempark.core.actors import SYSTEM
from chempark.core.errors import Forbidden, InvalidInput
from chempark.core.roles import Role
from tests.conftest import PASSWORD, SmallPark


def post_token(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_token_login_and_use(park: SmallPark, client: Client) -> None:
    response = post_token(client, "inspector", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.filter(key_hash=hash_token(token)).exists()
    assert not ApiToken.objects.filter(key_hash=token).exists(), "the clear token is never stored"
    listed = client.get("/api/v1/enterprises", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200


def test_login_page_success_and_open_redirect_guard(park: SmallPark, client: Client) -> None:
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "dispatcher", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/command/overview/"  # the dispatcher's landing


def test_revoked_token_stops_working(park: SmallPark, client: Client) -> None:
    token, raw = token_issue(actor=park.actor(Role.EXPERT), name="laptop", kind=TokenKind.PERSON)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    token_revoke(actor=park.actor(Role.EXPERT), token_id=token.pk)
    assert client.get("/api/v1/units", headers=headers).status_code == 401


def test_only_security_admin_issues_machine_tokens(park: SmallPark) -> None:
    with pytest.raises(Forbidden):
        token_issue(
            actor=park.actor(Role.BUREAU_ADMIN), name="gw", kind=TokenKind.MACHINE, enterprise_id=park.enterprise_a.pk
        )
    token, _raw = token_issue(
        actor=park.actor(Role.SECURITY_ADMIN), name="gw", kind=TokenKind.MACHINE, enterprise_id=park.enterprise_a.pk
    )
    assert token.enterprise_id == park.enterprise_a.pk and token.user_id is None


def test_users_cannot_revoke_others_tokens(park: SmallPark) -> None:
    token, _raw = token_issue(actor=park.actor(Role.EXPERT), name="mine", kind=TokenKind.PERSON)
    with pytest.raises(Exception, match="不存在"):
        token_revoke(actor=park.actor(Role.DISPATCHER), token_id=token.pk)


@pytest.mark.parametrize("password", ["short1!", "alllowercaseletters", "Abcdefghijkl", "1234567890123"])
def test_password_rules(db: None, password: str) -> None:
    with pytest.raises(InvalidInput):
        user_create(actor=SYSTEM, username="newuser", password=password, role=Role.EXPERT)
    assert not User.objects.filter(username="newuser").exists()


def test_enterprise_user_needs_exactly_one_enterprise(park: SmallPark) -> None:
    with pytest.raises(InvalidInput):
        user_create(actor=SYSTEM, username="e2", password="Good-Passw0rd", role=Role.ENTERPRISE)
    with pytest.raises(InvalidInput):
        user_create(
            actor=SYSTEM, username="b2", password="Good-Passw0rd", role=Role.EXPERT, enterprise_id=park.enterprise_a.pk
        )


def test_only_security_admin_creates_users(park: SmallPark) -> None:
    with pytest.raises(Forbidden):
        user_create(actor=park.actor(Role.BUREAU_ADMIN), username="x1", password="Good-Passw0rd", role=Role.EXPERT)
    user_create(actor=park.actor(Role.SECURITY_ADMIN), username="x1", password="Good-Passw0rd", role=Role.EXPERT)


def test_role_names_match_the_pure_table() -> None:
    from chempark.accounts.models import ROLE_CHOICES
    from chempark.core.roles import ROLE_LABELS_ZH

    assert {value: str(label) for value, label in ROLE_CHOICES} == {
        role.value: label for role, label in ROLE_LABELS_ZH.items() if role is not Role.MACHINE
    }
