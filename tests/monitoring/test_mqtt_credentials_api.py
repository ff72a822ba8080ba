"""The MQTT account endpoints: what the list shows (never a secret), issuing shows the password
once, bad input changes nothing, and the broker's password file follows issue and revoke."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring import mosquitto_files as mf
from chempark.monitoring import mqtt_accounts
from chempark.monitoring.models import MqttCredential

URL = "/monitoring/mqtt-credentials"


def state() -> tuple[list[tuple[str, str, Any]], int]:
    rows = list(MqttCredential.objects.order_by("pk").values_list("username", "password_hash", "revoked_at"))
    return rows, AuditEvent.objects.filter(object_type="mqtt_credential").count()


def test_issue_shows_the_password_once_and_the_list_never_shows_a_secret(park: Any, api: Any) -> None:
    client = api(Role.SECURITY_ADMIN)
    answer = client.call("POST", URL, {"enterprise": park.enterprise_a.pk})
    assert answer.status_code == 201
    issued = answer.json()
    assert issued["username"] == park.enterprise_a.uscc and issued["kind"] == "enterprise"
    assert issued["enterprise"] == park.enterprise_a.pk and issued["revoked_at"] is None
    stored = MqttCredential.objects.get(pk=issued["id"])
    assert mf.verify_password(issued["password"], stored.password_hash)
    listing = client.call("GET", URL)
    assert listing.status_code == 200
    (row,) = listing.json()["items"]
    assert set(row) == {"id", "username", "kind", "enterprise", "enterprise_name", "issued_at", "revoked_at"}
    assert row["enterprise_name"] == park.enterprise_a.name
    assert issued["password"] not in listing.content.decode() and "$7$" not in listing.content.decode()
    audit = AuditEvent.objects.get(object_type="mqtt_credential", action="token_issue")
    assert audit.actor_role == "security_admin" and issued["password"] not in str(audit.after)


@pytest.mark.parametrize(
    "body",
    [
        {"enterprise": 999_999},  # unknown enterprise
        {"enterprise": "1"},  # a string for a number
        {"enterprise": True},  # a boolean for a number
        {"enterprise": 1.0},  # a float for a number
        {"enterprise": None},
        {},  # missing
        {"enterprise": 1, "password": "mine"},  # a field the endpoint does not take
    ],
)
def test_bad_input_is_422_and_changes_nothing(park: Any, api: Any, body: dict[str, Any]) -> None:
    mqtt_accounts.enterprise_credential_issue(actor=park.actor(Role.SECURITY_ADMIN), enterprise_id=park.enterprise_b.pk)
    before = state()
    answer = api(Role.SECURITY_ADMIN).call("POST", URL, body)
    assert answer.status_code == 422, answer.content
    error = answer.json()
    assert set(error) == {"code", "message", "details"} and error["code"] == "validation_error"
    assert state() == before


def test_enterprise_without_uscc_is_refused(park: Any, api: Any) -> None:
    type(park.enterprise_b).objects.filter(pk=park.enterprise_b.pk).update(uscc="")
    answer = api(Role.SECURITY_ADMIN).call("POST", URL, {"enterprise": park.enterprise_b.pk})
    assert answer.status_code == 422 and answer.json()["code"] == "missing_uscc"
    assert state() == ([], 0)


def test_revoking_twice_is_a_conflict(park: Any, api: Any) -> None:
    client = api(Role.SECURITY_ADMIN)
    issued = client.call("POST", URL, {"enterprise": park.enterprise_a.pk}).json()
    first = client.call("POST", f"{URL}/{issued['id']}/revoke")
    assert first.status_code == 200 and first.json()["revoked_at"] is not None
    before = state()
    again = client.call("POST", f"{URL}/{issued['id']}/revoke")
    assert again.status_code == 409 and again.json()["code"] == "already_revoked"
    assert state() == before
    actions = list(
        AuditEvent.objects.filter(object_type="mqtt_credential").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["token_issue", "token_revoke"]


def test_password_file_has_the_new_account_and_not_the_revoked_one(park: Any, api: Any, tmp_path: Path) -> None:
    client = api(Role.SECURITY_ADMIN)
    a = client.call("POST", URL, {"enterprise": park.enterprise_a.pk}).json()
    b = client.call("POST", URL, {"enterprise": park.enterprise_b.pk}).json()
    assert client.call("POST", f"{URL}/{b['id']}/revoke").status_code == 200
    passwd, acl = tmp_path / "passwd", tmp_path / "acl"
    assert mqtt_accounts.mosquitto_config_write(password_file=passwd, acl_file=acl) == 1
    lines = dict(line.split(":", 1) for line in passwd.read_text().splitlines())
    assert set(lines) == {a["username"]}
    assert mf.verify_password(a["password"], lines[a["username"]])
    assert b["username"] not in passwd.read_text() and b["username"] not in acl.read_text()
    listed = {row["username"]: row["revoked_at"] for row in client.call("GET", URL).json()["items"]}
    assert listed[a["username"]] is None and listed[b["username"]] is not None
    # issuing again reopens the revoked account with a new password
    again = client.call("POST", URL, {"enterprise": park.enterprise_b.pk}).json()
    assert again["id"] == b["id"] and again["revoked_at"] is None and again["password"] != b["password"]
    mqtt_accounts.mosquitto_config_write(password_file=passwd, acl_file=acl)
    lines = dict(line.split(":", 1) for line in passwd.read_text().splitlines())
    assert set(lines) == {a["username"], b["username"]}
    assert mf.verify_password(again["password"], lines[b["username"]])
    assert not mf.verify_password(b["password"], lines[b["username"]])


def test_a_uscc_corrected_to_another_enterprise_takes_its_account_along(park: Any) -> None:
    from chempark.core.actors import SYSTEM
    from chempark.park.demo import demo_uscc
    from chempark.park.services import registry_update

    secadmin = park.actor(Role.SECURITY_ADMIN)
    wrong = park.enterprise_a.uscc  # registered for A by mistake: it is B's code
    mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=park.enterprise_a.pk)
    registry_update(actor=SYSTEM, kind="enterprise", pk=park.enterprise_a.pk, values={"uscc": demo_uscc(7)})
    registry_update(actor=SYSTEM, kind="enterprise", pk=park.enterprise_b.pk, values={"uscc": demo_uscc(8)})
    registry_update(actor=SYSTEM, kind="enterprise", pk=park.enterprise_b.pk, values={"uscc": wrong})
    credential, password = mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=park.enterprise_b.pk)
    assert credential.username == wrong and credential.enterprise_id == park.enterprise_b.pk
    assert MqttCredential.objects.filter(username=wrong).count() == 1
    accounts = {a.username: a for a in mqtt_accounts.accounts()}
    assert wrong in accounts and mf.verify_password(password, accounts[wrong].password_hash)


def test_a_position_platform_account_may_write_only_its_own_topic(park: Any, api: Any, tmp_path: Path) -> None:
    client = api(Role.SECURITY_ADMIN)
    answer = client.call("POST", f"{URL}/position-platforms", {"name": "wuliu"})
    assert answer.status_code == 201, answer.content
    issued = answer.json()
    assert (issued["username"], issued["kind"], issued["enterprise"]) == ("wuliu", "vehicle_platform", None)
    passwd, acl = tmp_path / "passwd", tmp_path / "acl"
    mqtt_accounts.mosquitto_config_write(password_file=passwd, acl_file=acl)
    assert mf.verify_password(
        issued["password"], dict(line.split(":", 1) for line in passwd.read_text().splitlines())["wuliu"]
    )
    assert "topic write chempark/positions/wuliu" in acl.read_text()


@pytest.mark.parametrize("name", ["a/b", "all+", "#", "readings", "", 7, None])
def test_a_bad_platform_name_is_422_and_changes_nothing(park: Any, api: Any, name: Any) -> None:
    before = state()
    answer = api(Role.SECURITY_ADMIN).call("POST", f"{URL}/position-platforms", {"name": name})
    assert answer.status_code == 422, answer.content
    assert state() == before
