"""Broker accounts: issuing and rotating MQTT passwords, and the Mosquitto files made from them.

An enterprise gateway logs in with its USCC as username and may only publish to
``chempark/<USCC>/readings``; the ingest worker may only subscribe to ``chempark/+/readings``.
Vehicle positions pushed by another platform (docs/tracking.md) follow the same pattern: the
platform's account, named as its topic, may only publish to ``chempark/positions/<name>``, and the
position worker's (``chempark ingest-positions``) may only subscribe to ``chempark/positions/+``.
Issuing and revoking are the security administrator's (``accounts.manage``): a broker password is
a credential like a machine API token, and 等保 three-role separation keeps credentials with that
role. The password is returned once and kept only as its Mosquitto hash, so the files can be
regenerated at any time. Revoking keeps the row (the record of who had access until when) and
leaves the account out of the files.
"""

from __future__ import annotations

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.monitoring import mosquitto_files as mf
from chempark.monitoring import selectors
from chempark.monitoring.ingest.payload import DEFAULT_MAX_BYTES
from chempark.monitoring.ingest.worker import TOPIC_FILTER
from chempark.monitoring.models import MqttAccountKind, MqttCredential
from chempark.park.models import Enterprise

INGEST_USERNAME = "chempark-ingest"
POSITIONS_INGEST_USERNAME = "chempark-positions"
# ``chempark ingest-positions`` subscribes to this filter (``tracking.mqtt.TOPIC_FILTER``; a test keeps
# the two equal): monitoring sits below no feature app, so it names the topic rather than importing it.
POSITIONS_TOPIC_FILTER = "chempark/positions/+"
# A platform named "readings" would publish to chempark/positions/readings, which the readings
# worker's filter chempark/+/readings matches as well.
RESERVED_PLATFORM_NAMES = frozenset({"readings"})


def readings_topic(uscc: str) -> str:
    return f"chempark/{uscc}/readings"


def positions_topic(platform: str) -> str:
    return f"chempark/positions/{platform}"


def _check_username(username: str) -> None:
    if not username or len(username) > 64 or any(c.isspace() or c == ":" for c in username):
        raise InvalidInput("用户名不可含空白或冒号，且不超过 64 字符。", code=ErrorCode.INVALID_USERNAME)


def _check_kind_free(username: str, kind: MqttAccountKind) -> None:
    existing = MqttCredential.objects.filter(username=username).first()
    if existing is not None and existing.kind != kind:
        raise InvalidInput(
            f"{username} 已是{MqttAccountKind(existing.kind).label}账号。", code=ErrorCode.USERNAME_TAKEN
        )


def _public(credential: MqttCredential) -> dict[str, object]:
    # the audit trail names the account and when; the hash stays out of it
    revoked = credential.revoked_at.isoformat() if credential.revoked_at is not None else None
    return {
        "username": credential.username,
        "kind": credential.kind,
        "enterprise_id": credential.enterprise_id,
        "issued_at": credential.issued_at.isoformat(),
        "revoked_at": revoked,
    }


def _issue(
    actor: Actor, *, username: str, kind: MqttAccountKind, enterprise_id: int | None
) -> tuple[MqttCredential, str]:
    password = mf.new_password()
    with transaction.atomic():
        credential = MqttCredential.objects.select_for_update().filter(username=username).first()
        if credential is None and enterprise_id is not None:
            # the enterprise's own account under its former USCC: renamed to the current one (a second
            # row for the enterprise would break its one-account rule)
            credential = MqttCredential.objects.select_for_update().filter(enterprise_id=enterprise_id).first()
        before = _public(credential) if credential is not None else None
        if credential is None:
            credential = MqttCredential(username=username)
        credential.username = username
        # the account is the current holder's: a USCC corrected from one enterprise to another
        # moves its account with it
        credential.kind = kind
        credential.enterprise_id = enterprise_id
        credential.password_hash = mf.hash_password(password)
        credential.issued_at = timezone.now()
        credential.revoked_at = None
        try:
            with transaction.atomic():
                credential.save()
        except IntegrityError:  # issued for the same name at the same moment by someone else
            raise Conflict(
                f"MQTT 账号 {username} 正被同时开通，请刷新后重试。", code=ErrorCode.CONCURRENT_ISSUE
            ) from None
        audit.record(
            actor=actor,
            action=AuditAction.TOKEN_ISSUE,
            object_type="mqtt_credential",
            object_id=credential.pk,
            before=before,
            after=_public(credential),
            enterprise_id=enterprise_id,
        )
    return credential, password


def enterprise_credential_issue(*, actor: Actor, enterprise_id: int) -> tuple[MqttCredential, str]:
    """Issue (or rotate: the old password stops working at the next file write) an enterprise's
    MQTT password. Returns the account and the password, which is not stored."""
    actor.require("accounts.manage")
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        # named in the request body, so a bad value is invalid input (422), like any unknown reference
        raise InvalidInput(f"企业 {enterprise_id} 不存在。", details={"enterprise": ["企业不存在"]})
    if not enterprise.uscc:
        raise InvalidInput(
            "企业没有统一社会信用代码，不能开通 MQTT 账号。",
            code=ErrorCode.MISSING_USCC,
            details={"enterprise": ["企业没有统一社会信用代码"]},
        )
    _check_kind_free(enterprise.uscc, MqttAccountKind.ENTERPRISE)
    return _issue(actor, username=enterprise.uscc, kind=MqttAccountKind.ENTERPRISE, enterprise_id=enterprise.pk)


def ingest_credential_issue(*, actor: Actor, username: str = INGEST_USERNAME) -> tuple[MqttCredential, str]:
    """Issue or rotate the ingest worker's account."""
    actor.require("accounts.manage")
    _check_username(username)
    _check_kind_free(username, MqttAccountKind.INGEST)
    return _issue(actor, username=username, kind=MqttAccountKind.INGEST, enterprise_id=None)


def position_platform_credential_issue(*, actor: Actor, name: str) -> tuple[MqttCredential, str]:
    """Issue or rotate the account of a platform that pushes vehicle positions: username ``name``, the
    last level of its topic ``chempark/positions/<name>``, so it can be given no other topic. A name
    must be one topic level (no ``/``, ``+`` or ``#``)."""
    actor.require("accounts.manage")
    _check_username(name)
    if any(c in "/+#" for c in name):
        raise InvalidInput("平台名称是主题的一级，不可含 /、+ 或 #。", code=ErrorCode.INVALID_USERNAME)
    if name in RESERVED_PLATFORM_NAMES:
        raise InvalidInput(f"平台名称不可为 {name}（与监测数据主题冲突）。", code=ErrorCode.INVALID_USERNAME)
    _check_kind_free(name, MqttAccountKind.POSITION_PLATFORM)
    return _issue(actor, username=name, kind=MqttAccountKind.POSITION_PLATFORM, enterprise_id=None)


def positions_ingest_credential_issue(
    *, actor: Actor, username: str = POSITIONS_INGEST_USERNAME
) -> tuple[MqttCredential, str]:
    """Issue or rotate the account of the position worker (``chempark ingest-positions``)."""
    actor.require("accounts.manage")
    _check_username(username)
    _check_kind_free(username, MqttAccountKind.POSITIONS_INGEST)
    return _issue(actor, username=username, kind=MqttAccountKind.POSITIONS_INGEST, enterprise_id=None)


def credential_open(
    *, actor: Actor, kind: MqttAccountKind, enterprise_id: int | None = None, username: str = ""
) -> tuple[MqttCredential, str]:
    """Open a broker account from the security administrator's page: an enterprise's (by
    ``enterprise_id``), a platform's (``username`` is its name) or a worker's (``username`` defaults
    to the worker's usual name).

    Unlike the API's issue-or-rotate, an account that is active already is refused (409): a new
    password cuts off the old one at the next file write, so it must be the deliberate "rotate"
    action on that row, never the side effect of a stale picker. A revoked account is reopened with a
    new password, as the API does. The writing is the issue services' own."""
    actor.require("accounts.manage")
    kind = MqttAccountKind(kind)
    with transaction.atomic():
        if kind == MqttAccountKind.ENTERPRISE:
            if enterprise_id is None:
                raise InvalidInput("请选择企业。", details={"enterprise": ["请选择企业"]})
            holding = MqttCredential.objects.filter(enterprise_id=enterprise_id)
        else:
            username = username or _DEFAULT_USERNAMES.get(kind, "")
            holding = MqttCredential.objects.filter(username=username)
        active = holding.select_for_update().filter(revoked_at__isnull=True).first()
        if active is not None and active.kind == kind:  # a name of another kind: the issue refuses it
            raise Conflict(
                f"{MqttAccountKind(active.kind).label}账号 {active.username} 已开通且未吊销；"
                "需要新密码时请在列表中对它“轮换密码”。",
                code=ErrorCode.CONFLICT,
            )
        if kind == MqttAccountKind.ENTERPRISE:
            assert enterprise_id is not None
            return enterprise_credential_issue(actor=actor, enterprise_id=enterprise_id)
        return _issue_named(actor, kind, username)


def credential_rotate(*, actor: Actor, credential_id: int) -> tuple[MqttCredential, str]:
    """Give an active broker account a new password (the old one works until the files are rewritten
    and the broker reloaded). A revoked account is not rotated (409): reopening it is a new issue,
    a decision of its own, not something a stale list should do."""
    with transaction.atomic():
        credential = selectors.mqtt_credential_get(actor, credential_id, for_update=True)
        if credential.revoked_at is not None:
            raise Conflict(
                f"MQTT 账号 {credential.username} 已吊销，不能轮换密码；需要恢复时请重新开通。",
                code=ErrorCode.ALREADY_REVOKED,
            )
        if credential.kind == MqttAccountKind.ENTERPRISE:
            if credential.enterprise_id is None:  # kept for safety: an enterprise account always names one
                raise Conflict(f"MQTT 账号 {credential.username} 没有所属企业。", code=ErrorCode.CONFLICT)
            return enterprise_credential_issue(actor=actor, enterprise_id=credential.enterprise_id)
        return _issue_named(actor, MqttAccountKind(credential.kind), credential.username)


_DEFAULT_USERNAMES = {
    MqttAccountKind.INGEST: INGEST_USERNAME,
    MqttAccountKind.POSITIONS_INGEST: POSITIONS_INGEST_USERNAME,
}


def _issue_named(actor: Actor, kind: MqttAccountKind, username: str) -> tuple[MqttCredential, str]:
    if kind == MqttAccountKind.INGEST:
        return ingest_credential_issue(actor=actor, username=username)
    if kind == MqttAccountKind.POSITIONS_INGEST:
        return positions_ingest_credential_issue(actor=actor, username=username)
    return position_platform_credential_issue(actor=actor, name=username)


def account_topic(credential: MqttCredential) -> tuple[str, str]:
    """What an account may do on the broker, as (``"publish"`` or ``"read"``, topic): the same
    topics :func:`accounts` writes into the ACL file."""
    if credential.kind == MqttAccountKind.INGEST:
        return "read", TOPIC_FILTER
    if credential.kind == MqttAccountKind.POSITIONS_INGEST:
        return "read", POSITIONS_TOPIC_FILTER
    if credential.kind == MqttAccountKind.POSITION_PLATFORM:
        return "publish", positions_topic(credential.username)
    return "publish", readings_topic(credential.username)


def credential_revoke(*, actor: Actor, credential_id: int) -> MqttCredential:
    """Revoke a broker account: it is left out of the files from their next write (run
    ``chempark mosquitto-config`` and SIGHUP the broker). Revoking twice is a conflict (409), so a
    stale screen cannot hide that someone else already did it."""
    with transaction.atomic():
        credential = selectors.mqtt_credential_get(actor, credential_id, for_update=True)
        if credential.revoked_at is not None:
            raise Conflict(
                f"MQTT 账号 {credential.username} 已于 {credential.revoked_at:%Y-%m-%d %H:%M} 吊销。",
                code=ErrorCode.ALREADY_REVOKED,
            )
        before = _public(credential)
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.TOKEN_REVOKE,
            object_type="mqtt_credential",
            object_id=credential.pk,
            before=before,
            after=_public(credential),
            enterprise_id=credential.enterprise_id,
        )
    return credential


def accounts() -> list[mf.Account]:
    """Every broker account that is not revoked, with its topics: the data of both files."""
    result: list[mf.Account] = []
    live = MqttCredential.objects.filter(revoked_at__isnull=True)
    for credential in live.select_related("enterprise").order_by("username"):
        if credential.kind == MqttAccountKind.INGEST:
            result.append(mf.Account(credential.username, credential.password_hash, read=(TOPIC_FILTER,)))
        elif credential.kind == MqttAccountKind.POSITIONS_INGEST:
            result.append(mf.Account(credential.username, credential.password_hash, read=(POSITIONS_TOPIC_FILTER,)))
        elif credential.kind == MqttAccountKind.POSITION_PLATFORM:
            result.append(
                mf.Account(credential.username, credential.password_hash, write=(positions_topic(credential.username),))
            )
        elif credential.enterprise is not None and credential.enterprise.uscc == credential.username:
            result.append(
                mf.Account(credential.username, credential.password_hash, write=(readings_topic(credential.username),))
            )
        # an enterprise whose USCC changed since issuing gets no access until its password is reissued
    return result


def mosquitto_config_write(*, password_file: Path, acl_file: Path, conf_file: Path | None = None) -> int:
    """Write the broker's password and ACL files atomically (mode 0600) and, if asked, the settings
    file that names them and limits message size; returns the account count. Mosquitto rereads the
    password and ACL files on SIGHUP."""
    current = accounts()
    mf.write_atomically(Path(password_file), mf.password_file(current))
    mf.write_atomically(Path(acl_file), mf.acl_file(current))
    if conf_file is not None:
        mf.write_atomically(
            Path(conf_file),
            mf.broker_conf(
                password_file=Path(password_file).resolve(),
                acl_file=Path(acl_file).resolve(),
                message_size_limit=DEFAULT_MAX_BYTES,
            ),
        )
    return len(current)
