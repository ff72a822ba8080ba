"""The security administrator's broker-account page (物联网接入账号): who may open it, issuing shows
the password once (a reload shows nothing), rotating and revoking, every refusal shown in Chinese on
the form with nothing changed, and the audit rows the services write."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring import mosquitto_files as mf
from chempark.monitoring import mqtt_accounts
from chempark.monitoring.models import MqttAccountKind, MqttCredential
from chempark.monitoring.mqtt_pages import ISSUED_KEY, broker_address

LIST = reverse("monitoring:mqtt-accounts")
ISSUED = reverse("monitoring:mqtt-issued")
PERSONS = [r for r in Role if r is not Role.MACHINE]
# Broker passwords are credentials: the security administrator's alone (three-role separation).
MANAGERS = {Role.SECURITY_ADMIN}


def state() -> tuple[list[tuple[Any, ...]], list[str]]:
    """Every account as stored (hash included) and the audit trail's actions on accounts."""
    rows = list(
        MqttCredential.objects.order_by("pk").values_list(
            "username", "kind", "enterprise_id", "password_hash", "issued_at", "revoked_at"
        )
    )
    actions = list(
        AuditEvent.objects.filter(object_type="mqtt_credential").order_by("id").values_list("action", flat=True)
    )
    return rows, actions


def signed_in(park: Any, role: Role | None, **options: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", **options)
    if role is not None:
        client.force_login(park.users[role])
    return client


def rotate_url(pk: int) -> str:
    return reverse("monitoring:mqtt-rotate", args=[pk])


def revoke_url(pk: int) -> str:
    return reverse("monitoring:mqtt-revoke", args=[pk])


def password_on(page: str) -> str:
    start = page.index('data-testid="mqtt-password">') + len('data-testid="mqtt-password">')
    return page[start : page.index("</code>", start)]


def listed(client: Client, **query: Any) -> str:
    """The account table of the list page for these filters."""
    page = client.get(LIST, query).content.decode()
    start = page.index('data-testid="mqtt-table"')
    return page[start : page.index("</table>", start)]


def picker(page: str) -> str:
    """The enterprise picker of the "open a gateway account" form."""
    start = page.index('id="mqtt-enterprise"')
    return page[start : page.index("</select>", start)]


@pytest.mark.parametrize("role", [None, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_page_permission_matrix(park: Any, role: Role | None) -> None:
    own, _pw = mqtt_accounts.enterprise_credential_issue(
        actor=park.actor(Role.SECURITY_ADMIN), enterprise_id=park.enterprise_a.pk
    )
    client = signed_in(park, role)
    before = state()
    allowed = role in MANAGERS
    posts = [
        (LIST, {"form": "enterprise", "enterprise": park.enterprise_b.pk}),
        (LIST, {"form": "platform", "name": "wuliu"}),
        (LIST, {"form": "worker", "kind": "ingest", "username": ""}),
        (rotate_url(own.pk), {}),
        (revoke_url(own.pk), {}),
    ]
    if role is None:  # to the login page, for every page and action
        for url in (LIST, ISSUED):
            assert client.get(url).status_code == 302
        for url, body in posts:
            answer = client.post(url, body)
            assert answer.status_code == 302 and answer["Location"].startswith(reverse("accounts:login"))
        assert state() == before
        return
    if not allowed:  # an enterprise user too, for its own gateway's account
        for url in (LIST, ISSUED):
            answer = client.get(url)
            assert answer.status_code == 403, (role, url)
            assert "无权执行此操作" in answer.content.decode()
        for url, body in posts:
            assert client.post(url, body).status_code == 403, (role, url)
        assert state() == before
        return
    assert client.get(LIST).status_code == 200
    for url, body in posts:
        assert client.post(url, body).status_code == 302, url
    rows, actions = state()
    assert actions == ["token_issue", "token_issue", "token_issue", "token_issue", "token_issue", "token_revoke"]
    assert {row[0] for row in rows} == {park.enterprise_a.uscc, park.enterprise_b.uscc, "wuliu", "chempark-ingest"}


def test_the_menu_offers_the_page_to_the_security_administrator_only(park: Any) -> None:
    for role in PERSONS:
        page = signed_in(park, role).get(reverse("accounts:password")).content.decode()
        assert (f'href="{LIST}"' in page) is (role in MANAGERS), role


def test_issue_for_an_enterprise_shows_the_password_once(park: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = signed_in(park, Role.SECURITY_ADMIN)
    page = client.get(LIST).content.decode()
    assert park.enterprise_a.name in page and "kill -HUP" in page  # the broker's reload step is said
    answer = client.post(LIST, {"form": "enterprise", "enterprise": park.enterprise_a.pk})
    assert answer.status_code == 302 and answer["Location"] == ISSUED
    assert "password" not in answer["Location"]
    result = client.get(ISSUED)
    assert result.status_code == 200 and "no-store" in result["Cache-Control"]
    text = result.content.decode()
    password = password_on(text)
    credential = MqttCredential.objects.get(username=park.enterprise_a.uscc)
    assert mf.verify_password(password, credential.password_hash)
    assert ISSUED_KEY not in client.session  # out of the session once shown
    assert password not in caplog.text  # nor in any log line
    assert f"chempark/{park.enterprise_a.uscc}/readings" in text and "只能向主题发布" in text
    assert "127.0.0.1:1883" in text  # CHEMPARK_MQTT_URL's host and port, never its user or password
    assert "mosquitto-config" in text and "kill -HUP" in text
    # shown once: a reload (or coming back) shows no password, and writes nothing
    before = state()
    again = client.get(ISSUED).content.decode()
    assert password not in again and "不再显示" in again and 'data-testid="mqtt-password"' not in again
    assert state() == before
    listing = client.get(LIST).content.decode()
    assert password not in listing and credential.password_hash not in listing
    assert park.enterprise_a.uscc in listing and "企业网关" in listing
    # the enterprise now has an account in use: the picker no longer offers it
    offered = picker(listing)
    assert f'<option value="{park.enterprise_a.pk}"' not in offered
    assert f'<option value="{park.enterprise_b.pk}"' in offered
    # the audit row names the account, not its password or hash
    (audit,) = AuditEvent.objects.filter(object_type="mqtt_credential")
    assert audit.action == "token_issue" and audit.actor_role == "security_admin"
    assert password not in str(audit.after) and "$7$" not in str(audit.after) and audit.before is None


def test_issue_platform_and_worker_accounts(park: Any) -> None:
    client = signed_in(park, Role.SECURITY_ADMIN)
    client.post(LIST, {"form": "platform", "name": "hb-logistics"})
    text = client.get(ISSUED).content.decode()
    platform = MqttCredential.objects.get(username="hb-logistics")
    assert platform.kind == MqttAccountKind.POSITION_PLATFORM and mf.verify_password(
        password_on(text), platform.password_hash
    )
    assert "chempark/positions/hb-logistics" in text and "车辆定位平台" in text
    client.post(LIST, {"form": "worker", "kind": "positions_ingest", "username": ""})
    text = client.get(ISSUED).content.decode()
    worker = MqttCredential.objects.get(username="chempark-positions")
    assert worker.kind == MqttAccountKind.POSITIONS_INGEST
    assert mf.verify_password(password_on(text), worker.password_hash)
    assert "chempark/positions/+" in text and "只能订阅" in text
    client.post(LIST, {"form": "worker", "kind": "ingest", "username": "ingest-2"})
    text = client.get(ISSUED).content.decode()
    assert MqttCredential.objects.get(username="ingest-2").kind == MqttAccountKind.INGEST
    assert "chempark/+/readings" in text


def test_rotate_gives_a_new_password_and_revoke_closes_the_account(park: Any) -> None:
    secadmin = park.actor(Role.SECURITY_ADMIN)
    credential, old = mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=park.enterprise_a.pk)
    client = signed_in(park, Role.SECURITY_ADMIN)
    answer = client.post(rotate_url(credential.pk))
    assert answer.status_code == 302 and answer["Location"] == ISSUED
    new = password_on(client.get(ISSUED).content.decode())
    credential.refresh_from_db()
    assert new != old and mf.verify_password(new, credential.password_hash)
    assert not mf.verify_password(old, credential.password_hash)
    assert credential.revoked_at is None
    answer = client.post(revoke_url(credential.pk), follow=True)
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert "已吊销" in answer.content.decode() and "SIGHUP" in answer.content.decode()
    assert mqtt_accounts.accounts() == []  # out of the broker's files from their next write
    actions = list(
        AuditEvent.objects.filter(object_type="mqtt_credential", object_id=credential.pk)
        .order_by("id")
        .values_list("action", "actor_role")
    )
    assert actions == [
        ("token_issue", "security_admin"),
        ("token_issue", "security_admin"),
        ("token_revoke", "security_admin"),
    ]
    # filters: the revoked account is listed as revoked, not as in use
    assert credential.username in listed(client, state="revoked")
    assert credential.username not in listed(client, state="active")
    assert credential.username in listed(client, kind="enterprise")
    assert credential.username not in listed(client, kind="ingest")
    assert credential.username in listed(client, enterprise=park.enterprise_a.pk)
    assert credential.username not in listed(client, enterprise=park.enterprise_b.pk)
    # a revoked enterprise is offered again: opening reopens its account with a new password
    assert client.post(LIST, {"form": "enterprise", "enterprise": park.enterprise_a.pk}).status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"form": "enterprise", "enterprise": "A"}, "已开通且未吊销"),  # already has an account in use
        ({"form": "enterprise", "enterprise": 999_999}, "企业须从列表中选择"),
        ({"form": "enterprise", "enterprise": ""}, "这个字段是必填项"),
        ({"form": "platform", "name": "chempark-ingest"}, "已是接入服务账号"),  # username taken
        ({"form": "platform", "name": "A-USCC"}, "已是企业网关账号"),  # an enterprise's USCC
        ({"form": "platform", "name": "hb/logistics"}, "不可含 /、+ 或 #"),
        ({"form": "platform", "name": "hb+"}, "不可含 /、+ 或 #"),
        ({"form": "platform", "name": "readings"}, "平台名称不可为 readings"),
        ({"form": "platform", "name": " hb"}, "不可含空白或冒号"),  # not trimmed, as the API
        ({"form": "platform", "name": "hb:1"}, "不可含空白或冒号"),
        ({"form": "platform", "name": "x" * 65}, "64"),
        ({"form": "platform", "name": ""}, "这个字段是必填项"),
        ({"form": "worker", "kind": "ingest", "username": ""}, "已开通且未吊销"),  # chempark-ingest in use
        ({"form": "worker", "kind": "ingest", "username": "A-USCC"}, "已是企业网关账号"),
        ({"form": "worker", "kind": "enterprise", "username": "x"}, "选择一个有效的选项"),
    ],
)
def test_refusals_are_shown_on_the_form_and_change_nothing(park: Any, body: dict[str, Any], message: str) -> None:
    secadmin = park.actor(Role.SECURITY_ADMIN)
    mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=park.enterprise_a.pk)
    mqtt_accounts.ingest_credential_issue(actor=secadmin)
    stand_ins = {"A": park.enterprise_a.pk, "A-USCC": park.enterprise_a.uscc}
    body = {key: stand_ins.get(value, value) for key, value in body.items()}
    client = signed_in(park, Role.SECURITY_ADMIN)
    before = state()
    answer = client.post(LIST, body)
    assert answer.status_code == 422, answer.content.decode()[:500]
    page = answer.content.decode()
    assert message in page, page
    assert state() == before
    assert client.get(ISSUED).content.decode().count('data-testid="mqtt-password"') == 0


def test_a_revoked_account_is_not_rotated_and_revoking_twice_is_refused(park: Any) -> None:
    secadmin = park.actor(Role.SECURITY_ADMIN)
    credential, _pw = mqtt_accounts.position_platform_credential_issue(actor=secadmin, name="wuliu")
    mqtt_accounts.credential_revoke(actor=secadmin, credential_id=credential.pk)
    client = signed_in(park, Role.SECURITY_ADMIN)
    before = state()
    page = client.post(rotate_url(credential.pk), follow=True).content.decode()
    assert "已吊销，不能轮换密码" in page
    page = client.post(revoke_url(credential.pk), follow=True).content.decode()
    assert "已于" in page and "吊销" in page
    page = client.post(rotate_url(999_999), follow=True).content.decode()
    assert "MQTT 账号 999999 不存在" in page
    assert state() == before
    assert 'data-testid="mqtt-password"' not in client.get(ISSUED).content.decode()


def test_actions_are_post_only_with_csrf(park: Any) -> None:
    credential, _pw = mqtt_accounts.ingest_credential_issue(actor=park.actor(Role.SECURITY_ADMIN))
    client = signed_in(park, Role.SECURITY_ADMIN, enforce_csrf_checks=True)
    before = state()
    assert client.get(rotate_url(credential.pk)).status_code == 405
    assert client.get(revoke_url(credential.pk)).status_code == 405
    assert client.post(rotate_url(credential.pk)).status_code == 403  # no CSRF token
    assert client.post(revoke_url(credential.pk)).status_code == 403
    assert client.post(LIST, {"form": "platform", "name": "wuliu"}).status_code == 403
    assert state() == before
    # with the page's token the same action goes through
    client.get(LIST)
    token = client.cookies["csrftoken"].value
    assert client.post(revoke_url(credential.pk), {"csrfmiddlewaretoken": token}).status_code == 302
    assert state()[1][-1] == "token_revoke"


@pytest.mark.parametrize("query", [{"kind": "gateway"}, {"enterprise": "x"}, {"state": "gone"}])
def test_a_bad_filter_is_refused_in_chinese(park: Any, query: dict[str, str]) -> None:
    answer = signed_in(park, Role.SECURITY_ADMIN).get(LIST, query)
    assert answer.status_code == 422
    assert any(text in answer.content.decode() for text in ("没有这种账号", "企业须从列表中选择"))


def test_the_broker_address_never_shows_the_workers_password() -> None:
    assert broker_address("mqtt://chempark-ingest:s3cret@broker.park.local:1884") == "broker.park.local:1884"
    assert broker_address("mqtt://10.0.0.2") == "10.0.0.2:1883"
    assert broker_address("mqtt://[::1]:1883") == "[::1]:1883"
    assert broker_address("not a url") == ""


def test_rotating_after_a_uscc_correction_renames_the_account(park: Any) -> None:
    """An enterprise whose USCC was corrected keeps one account: rotating it (the page) or issuing
    again (the API) gives it the current USCC as username and a new password."""
    from chempark.core.actors import SYSTEM
    from chempark.park.demo import demo_uscc
    from chempark.park.services import registry_update

    secadmin = park.actor(Role.SECURITY_ADMIN)
    credential, _pw = mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=park.enterprise_a.pk)
    registry_update(actor=SYSTEM, kind="enterprise", pk=park.enterprise_a.pk, values={"uscc": demo_uscc(7)})
    assert mqtt_accounts.accounts() == []  # the old name gives no access any more
    client = signed_in(park, Role.SECURITY_ADMIN)
    assert client.post(rotate_url(credential.pk))["Location"] == ISSUED
    password = password_on(client.get(ISSUED).content.decode())
    credential.refresh_from_db()
    assert credential.username == demo_uscc(7) and MqttCredential.objects.count() == 1
    (account,) = mqtt_accounts.accounts()
    assert account.username == demo_uscc(7) and mf.verify_password(password, account.password_hash)
