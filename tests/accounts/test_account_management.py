"""Account management by the security administrator (edit, disable, reset a password) and every
person's own password change: the three-role rules hold, a disabled account's sessions and tokens
stop at once, a reset ends the old credentials, and each change leaves its audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import ApiToken, AuditAction, AuditEvent, User
from chempark.accounts.services import generate_password, user_create, user_set_active, user_update
from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict
from chempark.core.roles import Role
from tests.conftest import PASSWORD, SmallPark

NEW_PASSWORD = "An0ther-Passw0rd!"


def audit_rows(user: User, action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="user", object_id=str(user.pk), action=action))


def test_edit_changes_name_role_and_enterprise_and_is_audited(park: SmallPark, api: Any) -> None:
    admin = api(Role.SECURITY_ADMIN)
    expert = park.users[Role.EXPERT]
    expert_client = api(Role.EXPERT)
    assert expert_client.call("GET", "/enterprises").status_code == 200
    body = {"display_name": " 王工 ", "role": "enterprise", "enterprise_id": park.enterprise_b.pk}
    response = admin.call("PUT", f"/users/{expert.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "王工" and response.json()["role"] == "enterprise"
    expert.refresh_from_db()
    assert (expert.first_name, expert.role, expert.enterprise_id) == ("王工", "enterprise", park.enterprise_b.pk)
    # the same token now acts as an enterprise user of enterprise B: it sees only that enterprise
    listed = expert_client.call("GET", "/enterprises").json()["items"]
    assert [row["id"] for row in listed] == [park.enterprise_b.pk]
    (row,) = audit_rows(expert, AuditAction.UPDATE)
    assert row.actor_username == park.users[Role.SECURITY_ADMIN].username
    assert row.before == {"display_name": "", "role": "expert", "enterprise_id": None}
    assert row.after is not None and row.after["enterprise_id"] == park.enterprise_b.pk


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"display_name": "x", "role": "machine"}, "invalid_role"),
        ({"display_name": "x", "role": "enterprise"}, "invalid_enterprise"),
        ({"display_name": "x", "role": "expert", "enterprise_id": 1}, "invalid_enterprise"),
        ({"display_name": "x", "role": "enterprise", "enterprise_id": 999999}, "invalid_enterprise"),
    ],
)
def test_edit_keeps_the_role_rules(park: SmallPark, api: Any, body: dict[str, Any], code: str) -> None:
    expert = park.users[Role.EXPERT]
    response = api(Role.SECURITY_ADMIN).call("PUT", f"/users/{expert.pk}", body)
    assert response.status_code == 422 and response.json()["code"] == code
    expert.refresh_from_db()
    assert (expert.role, expert.first_name) == ("expert", "")
    assert not audit_rows(expert, AuditAction.UPDATE)


def test_the_security_admin_cannot_take_another_role_or_disable_themselves(park: SmallPark, api: Any) -> None:
    admin_user = park.users[Role.SECURITY_ADMIN]
    admin = api(Role.SECURITY_ADMIN)
    response = admin.call("PUT", f"/users/{admin_user.pk}", {"display_name": "安全员", "role": "bureau_admin"})
    assert response.status_code == 409 and response.json()["code"] == "own_account"
    assert admin.call("POST", f"/users/{admin_user.pk}/disable").json()["code"] == "own_account"
    assert admin.call("POST", f"/users/{admin_user.pk}/password", {}).json()["code"] == "own_account"
    # renaming oneself is harmless
    renamed = admin.call("PUT", f"/users/{admin_user.pk}", {"display_name": "安全员", "role": "security_admin"})
    assert renamed.status_code == 200
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.is_active, admin_user.first_name) == ("security_admin", True, "安全员")


def test_the_last_security_admin_keeps_the_role(park: SmallPark) -> None:
    second = user_create(actor=SYSTEM, username="sec2", password=PASSWORD, role=Role.SECURITY_ADMIN)
    only = park.users[Role.SECURITY_ADMIN]
    user_set_active(actor=park.actor(Role.SECURITY_ADMIN), user_id=second.pk, active=False)
    with pytest.raises(Conflict) as refused:
        user_set_active(actor=SYSTEM, user_id=only.pk, active=False)
    assert refused.value.code == "last_security_admin"
    with pytest.raises(Conflict):
        user_update(actor=SYSTEM, user_id=only.pk, display_name="", role=Role.EXPERT, enterprise_id=None)
    only.refresh_from_db()
    assert (only.role, only.is_active) == ("security_admin", True)


def test_a_disabled_user_loses_sessions_and_tokens_until_enabled(park: SmallPark, api: Any) -> None:
    admin = api(Role.SECURITY_ADMIN)
    dispatcher = park.users[Role.DISPATCHER]
    token_client = api(Role.DISPATCHER)
    session = Client()
    session.force_login(dispatcher)
    assert token_client.call("GET", "/tokens").status_code == 200
    assert session.get("/registry/unit/").status_code == 200

    response = admin.call("POST", f"/users/{dispatcher.pk}/disable")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert token_client.call("GET", "/tokens").status_code == 401
    assert session.get("/registry/unit/").status_code == 302  # back to the login page
    credentials = {"username": dispatcher.username, "password": PASSWORD}
    login = Client().post("/api/v1/auth/token", credentials, content_type="application/json")
    assert login.status_code == 401

    assert admin.call("POST", f"/users/{dispatcher.pk}/enable").json()["is_active"] is True
    assert token_client.call("GET", "/tokens").status_code == 200
    for action in (AuditAction.DISABLED, AuditAction.ENABLED):
        (row,) = audit_rows(dispatcher, action)
        assert row.actor_id == park.users[Role.SECURITY_ADMIN].pk


def test_reset_generates_a_password_once_and_ends_the_old_credentials(park: SmallPark, api: Any) -> None:
    inspector = park.users[Role.INSPECTOR]
    token_client = api(Role.INSPECTOR)
    session = Client()
    session.force_login(inspector)
    response = api(Role.SECURITY_ADMIN).call("POST", f"/users/{inspector.pk}/password", {})
    assert response.status_code == 200
    password = response.json()["password"]
    inspector.refresh_from_db()
    assert inspector.check_password(password) and not inspector.check_password(PASSWORD)
    assert token_client.call("GET", "/tokens").status_code == 401  # revoked
    assert not ApiToken.objects.filter(user=inspector, revoked_at__isnull=True).exists()
    assert session.get("/registry/unit/").status_code == 302
    (row,) = audit_rows(inspector, AuditAction.PASSWORD_RESET)
    assert row.after == {"generated": True} and password not in str(row.before) + str(row.after)


def test_reset_to_a_given_password_applies_the_password_rules(park: SmallPark, api: Any) -> None:
    inspector = park.users[Role.INSPECTOR]
    admin = api(Role.SECURITY_ADMIN)
    weak = admin.call("POST", f"/users/{inspector.pk}/password", {"password": "abcdefgh"})
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    inspector.refresh_from_db()
    assert inspector.check_password(PASSWORD)
    assert admin.call("POST", f"/users/{inspector.pk}/password", {"password": NEW_PASSWORD}).json() == {
        "password": NEW_PASSWORD
    }
    inspector.refresh_from_db()
    assert inspector.check_password(NEW_PASSWORD)
    assert audit_rows(inspector, AuditAction.PASSWORD_RESET)[0].after == {"generated": False}


def test_generated_passwords_pass_the_rules() -> None:
    from django.contrib.auth import password_validation

    for _ in range(50):
        password_validation.validate_password(generate_password())


def test_own_password_change_needs_the_current_one(park: SmallPark, api: Any) -> None:
    auditor = park.users[Role.AUDITOR]
    client = api(Role.AUDITOR)
    wrong = client.call("POST", "/me/password", {"current_password": "nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_password"
    weak = client.call("POST", "/me/password", {"current_password": PASSWORD, "new_password": "password"})
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    auditor.refresh_from_db()
    assert auditor.check_password(PASSWORD)
    assert not audit_rows(auditor, AuditAction.PASSWORD_CHANGE)
    ok = client.call("POST", "/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204
    auditor.refresh_from_db()
    assert auditor.check_password(NEW_PASSWORD)
    (row,) = audit_rows(auditor, AuditAction.PASSWORD_CHANGE)
    assert row.actor_id == auditor.pk


def test_the_password_page_keeps_the_session_and_ends_the_others(park: SmallPark) -> None:
    enterprise_user = park.users[Role.ENTERPRISE]
    here, elsewhere = Client(), Client()
    here.force_login(enterprise_user)
    elsewhere.force_login(enterprise_user)
    page = here.get("/registry/unit/")
    assert 'href="/accounts/password/"' in page.content.decode()
    response = here.post(
        "/accounts/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get("/registry/unit/").status_code == 200
    assert elsewhere.get("/registry/unit/").status_code == 302
    mismatch = here.post(
        "/accounts/password/",
        {"current_password": NEW_PASSWORD, "new_password": PASSWORD, "new_password_again": "other"},
    )
    assert mismatch.status_code == 200 and "两次输入的新密码不一致" in mismatch.content.decode()


def test_the_user_page_edits_disables_and_resets(park: SmallPark) -> None:
    client = Client()
    client.force_login(park.users[Role.SECURITY_ADMIN])
    expert = park.users[Role.EXPERT]
    page = client.get(f"/accounts/users/{expert.pk}/")
    assert page.status_code == 200
    edited = client.post(
        f"/accounts/users/{expert.pk}/", {"form": "edit", "display_name": "李专家", "role": "expert", "enterprise": ""}
    )
    assert edited.status_code == 302
    reset = client.post(f"/accounts/users/{expert.pk}/", {"form": "password", "password": ""})
    assert reset.status_code == 200 and 'data-testid="new-password"' in reset.content.decode()
    client.post(f"/accounts/users/{expert.pk}/", {"form": "active", "active": "0"})
    expert.refresh_from_db()
    assert (expert.first_name, expert.is_active) == ("李专家", False)
    assert not expert.check_password(PASSWORD)
    # another role does not reach the page
    other = Client()
    other.force_login(park.users[Role.BUREAU_ADMIN])
    assert other.get(f"/accounts/users/{expert.pk}/").status_code == 403
