"""Writes for accounts: users, their lock, API tokens. Each writes its audit row (login: ``login.py``)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import ApiToken, AuditAction, LoginThrottle, TokenKind, User, enterprise_model
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput, NotFound
from chempark.core.roles import Role

TOKEN_BYTES = 32


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


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
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="user",
            object_id=user.pk,
            after={"username": username, "role": role.value, "enterprise_id": enterprise_id},
        )
    return user


def _lock_target(actor: Actor, user_id: int) -> User:
    actor.require("accounts.manage")
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在。")
    return user


def user_lock(*, actor: Actor, user_id: int) -> User:
    """Lock an account (e.g. a suspected compromise): no login and none of its tokens work until
    ``user_unlock``. The only active security administrator cannot be locked, or nobody could
    unlock anyone."""
    with transaction.atomic():
        user = _lock_target(actor, user_id)
        if user.locked_at is not None:
            return user
        if user.role == Role.SECURITY_ADMIN and not _other_active_security_admins(user).exists():
            raise Conflict("这是唯一可用的安全管理员账号，不能锁定。", code=ErrorCode.LAST_SECURITY_ADMIN)
        user.locked_at = timezone.now()
        user.save(update_fields=["locked_at"])
        audit.record(
            actor=actor, action=AuditAction.LOCKED, object_type="user", object_id=user.pk, object_label=user.username
        )
    return user


def user_unlock(*, actor: Actor, user_id: int) -> User:
    """Unlock an account: lift the lock and forget its failed logins from every address."""
    with transaction.atomic():
        user = _lock_target(actor, user_id)
        throttles = LoginThrottle.objects.filter(username=user.username)
        addresses = sorted(throttles.values_list("address", flat=True))
        if user.locked_at is None and not addresses:
            return user
        throttles.delete()
        before = {"locked_at": user.locked_at.isoformat() if user.locked_at else None, "throttled_addresses": addresses}
        user.locked_at = None
        user.save(update_fields=["locked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UNLOCKED,
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
            before=before,
        )
    return user


def _other_active_security_admins(user: User) -> Any:
    return User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True, locked_at__isnull=True).exclude(pk=user.pk)


def token_issue(
    *, actor: Actor, name: str, kind: TokenKind, enterprise_id: int | None = None, from_login: bool = False
) -> tuple[ApiToken, str]:
    """Issue a token and return it with its clear value (shown once, never stored).

    A person token is the actor's own, issued after the actor proved who they are — a password
    (``POST /auth/token``) or a login session; nobody, the security administrator included, can
    issue one for someone else, and a token cannot mint another (a stolen token would outlive its
    revocation). It expires after ``PERSON_TOKEN_TTL_DAYS``. A login token (``from_login``)
    replaces the user's previous one, so logging in again does not pile up live tokens. Machine
    tokens (an enterprise gateway) are issued by the security administrator.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("令牌名称不能为空。", code=ErrorCode.MISSING_NAME)
    now = timezone.now()
    expires_at = None
    if kind == TokenKind.PERSON:
        if actor.user_id is None:
            raise Forbidden("个人令牌只能由本人登录后签发。", code=ErrorCode.PERSON_TOKEN_OWNER)
        if actor.token_id is not None:
            raise Forbidden("访问令牌不能签发新的个人令牌：请用密码或登录会话签发。", code=ErrorCode.TOKEN_CANNOT_ISSUE)
        owner_id: int | None = actor.user_id
        enterprise_id = None
        expires_at = now + timedelta(days=settings.PERSON_TOKEN_TTL_DAYS)
    else:
        actor.require("accounts.manage")
        if enterprise_id is None or not enterprise_model()._default_manager.filter(pk=enterprise_id).exists():
            raise InvalidInput("设备令牌须绑定一个存在的企业。", code=ErrorCode.INVALID_ENTERPRISE)
        owner_id = None
        from_login = False
    raw = "cp_" + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        if from_login and owner_id is not None:
            replaced = ApiToken.objects.filter(user_id=owner_id, from_login=True, revoked_at__isnull=True)
            for old in replaced.select_for_update():
                _revoke(actor, old, now)
        token = ApiToken.objects.create(
            name=name,
            kind=kind,
            key_hash=hash_token(raw),
            prefix=raw[:10],
            user_id=owner_id,
            enterprise_id=enterprise_id,
            expires_at=expires_at,
            from_login=from_login,
        )
        audit.record(
            actor=actor,
            action=AuditAction.TOKEN_ISSUE,
            object_type="api_token",
            object_id=token.pk,
            after={
                "name": name,
                "kind": kind,
                "user_id": owner_id,
                "enterprise_id": enterprise_id,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, raw


def _revoke(actor: Actor, token: ApiToken, now: datetime) -> None:
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKE,
        object_type="api_token",
        object_id=token.pk,
        object_label=token.name,
    )


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token: its owner or the security administrator may."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (token.user_id != actor.user_id and not actor.can("accounts.manage")):
            raise NotFound(f"令牌 {token_id} 不存在。")
        if token.revoked_at is None:
            _revoke(actor, token, timezone.now())
    return token


def token_authenticate(raw: str) -> Actor | None:
    """The actor a bearer token stands for (carrying the token's id and kind, for the audit trail),
    or ``None`` for an unknown, revoked or expired token, or one whose user is disabled or locked."""
    now = timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.kind == TokenKind.MACHINE:
        actor = Actor(
            user_id=None, username=f"machine:{token.name}", role=Role.MACHINE, enterprise_id=token.enterprise_id
        )
    elif token.user is None or not token.user.is_active or token.user.locked_at is not None:
        return None
    else:
        actor = actor_for_user(token.user)
    # Touch last_used at most once a minute: a gateway posting every second must not write each time.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return replace(actor, token_id=token.pk, token_kind=token.kind)
