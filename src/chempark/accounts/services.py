"""Writes for accounts: login with lockout, users, API tokens. Each writes its audit row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import ApiToken, AuditAction, TokenKind, User, enterprise_model
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import ErrorCode, InvalidInput, NotFound
from chempark.core.roles import Role

TOKEN_BYTES = 32


class LoginRefused(Exception):
    """Wrong credentials or a locked account. The message never says which, by design."""

    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def login_check(*, username: str, password: str) -> User:
    """Check a password, counting failures; lock the account after too many in a row.

    A locked account refuses even the right password until the lockout ends. Failures for unknown
    usernames are not distinguishable from wrong passwords to the caller.
    """
    refused = LoginRefused("用户名或密码错误，或账号已被锁定。")
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None or not user.is_active:
            raise refused
        actor = actor_for_user(user)
        if user.locked_until is not None and user.locked_until > now:
            audit.record(actor=actor, action=AuditAction.LOGIN_FAILED, object_type="user", object_id=user.pk,
                         after={"reason": "locked"})
            raise LoginRefused(str(refused), locked=True)
        if not user.check_password(password):
            user.failed_login_count += 1
            after: dict[str, object] = {"failed_login_count": user.failed_login_count}
            action = AuditAction.LOGIN_FAILED
            if user.failed_login_count >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_S)
                user.failed_login_count = 0
                after["locked_until"] = user.locked_until.isoformat()
                action = AuditAction.LOCKED
            user.save(update_fields=["failed_login_count", "locked_until"])
            audit.record(actor=actor, action=action, object_type="user", object_id=user.pk, after=after)
        else:
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login = now
            user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
            audit.record(actor=actor, action=AuditAction.LOGIN, object_type="user", object_id=user.pk)
            return user
    raise refused


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    enterprise_id: int | None = None,
    display_name: str = "",
    check_password_rules: bool = True,
) -> User:
    """Create a person's account. Only the security administrator (or the system) may."""
    actor.require("accounts.manage")
    if role is Role.MACHINE:
        raise InvalidInput("设备不是用户：请为企业签发设备令牌。", code=ErrorCode.INVALID_ROLE)
    if (role is Role.ENTERPRISE) != (enterprise_id is not None):
        raise InvalidInput("企业用户必须且只能绑定一个企业；局内用户不绑定企业。", code=ErrorCode.INVALID_ENTERPRISE)
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名 {username} 已存在。", code=ErrorCode.USERNAME_TAKEN)
    user = User(username=username, role=role.value, enterprise_id=enterprise_id, first_name=display_name)
    if check_password_rules:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput("；".join(exc.messages), code=ErrorCode.WEAK_PASSWORD) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit.record(actor=actor, action=AuditAction.CREATE, object_type="user", object_id=user.pk,
                     after={"username": username, "role": role.value, "enterprise_id": enterprise_id})
    return user


def token_issue(
    *, actor: Actor, name: str, kind: TokenKind, user_id: int | None = None, enterprise_id: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token and return it with its clear value (shown once, never stored).

    Anyone may issue a person token for themselves; tokens for others and machine tokens need
    ``accounts.manage``.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("令牌名称不能为空。", code=ErrorCode.MISSING_NAME)
    if kind == TokenKind.PERSON:
        owner_id = user_id if user_id is not None else actor.user_id
        if owner_id is None:
            raise InvalidInput("个人令牌须指定用户。", code=ErrorCode.MISSING_USER)
        if owner_id != actor.user_id:
            actor.require("accounts.manage")
        if not User.objects.filter(pk=owner_id).exists():
            raise NotFound(f"用户 {owner_id} 不存在。")
        enterprise_id = None
    else:
        actor.require("accounts.manage")
        if enterprise_id is None or not enterprise_model()._default_manager.filter(pk=enterprise_id).exists():
            raise InvalidInput("设备令牌须绑定一个存在的企业。", code=ErrorCode.INVALID_ENTERPRISE)
        owner_id = None
    raw = "cp_" + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name, kind=kind, key_hash=hash_token(raw), prefix=raw[:10], user_id=owner_id,
            enterprise_id=enterprise_id,
        )
        audit.record(actor=actor, action=AuditAction.TOKEN_ISSUE, object_type="api_token", object_id=token.pk,
                     after={"name": name, "kind": kind, "user_id": owner_id, "enterprise_id": enterprise_id})
    return token, raw


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token: its owner or the security administrator may."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (token.user_id != actor.user_id and not actor.can("accounts.manage")):
            raise NotFound(f"令牌 {token_id} 不存在。")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action=AuditAction.TOKEN_REVOKE, object_type="api_token",
                         object_id=token.pk)
    return token


def token_authenticate(raw: str) -> Actor | None:
    """The actor a bearer token stands for, or ``None`` for an unknown or revoked token."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch last_used at most once a minute: a gateway posting every second must not write each time.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if token.kind == TokenKind.MACHINE:
        return Actor(user_id=None, username=f"machine:{token.name}", role=Role.MACHINE,
                     enterprise_id=token.enterprise_id)
    if token.user is None or not token.user.is_active:
        return None
    return actor_for_user(token.user)
