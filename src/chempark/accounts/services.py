"""Writes for accounts: users, their lock, API tokens. Each writes its audit row (login: ``login.py``)."""

from __future__ import annotations

import hashlib
import secrets
import string
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
    _check_role(role, enterprise_id)
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名 {username} 已存在。", code=ErrorCode.USERNAME_TAKEN)
    user = User(username=username, role=role.value, enterprise_id=enterprise_id, first_name=display_name)
    if check_password_rules:
        _check_password(password, user)
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


def _check_role(role: Role, enterprise_id: int | None) -> None:
    if role is Role.MACHINE:
        raise InvalidInput("设备不是用户：请为企业签发设备令牌。", code=ErrorCode.INVALID_ROLE)
    if (role is Role.ENTERPRISE) != (enterprise_id is not None):
        raise InvalidInput("企业用户必须且只能绑定一个企业；局内用户不绑定企业。", code=ErrorCode.INVALID_ENTERPRISE)
    if enterprise_id is not None and not enterprise_model()._default_manager.filter(pk=enterprise_id).exists():
        raise InvalidInput(f"企业 {enterprise_id} 不存在。", code=ErrorCode.INVALID_ENTERPRISE)


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("；".join(exc.messages), code=ErrorCode.WEAK_PASSWORD) from exc


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
        _keep_a_security_admin(user, "不能锁定")
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


def _not_own_account(actor: Actor, user: User, message: str) -> None:
    """The security administrator manages other people's accounts, not their own: changing one's own
    role would hand oneself another of the three separated powers, and disabling oneself or
    resetting one's own password (without the current one) is never what was meant."""
    if actor.user_id == user.pk:
        raise Conflict(message, code=ErrorCode.OWN_ACCOUNT)


def _keep_a_security_admin(user: User, refused: str) -> None:
    """Refuse (``refused`` says what) to take the only active security administrator out of
    service: nobody could manage, unlock or enable accounts any more."""
    if user.role == Role.SECURITY_ADMIN and not _other_active_security_admins(user).exists():
        raise Conflict(f"这是唯一可用的安全管理员账号，{refused}。", code=ErrorCode.LAST_SECURITY_ADMIN)


def _user_state(user: User) -> dict[str, Any]:
    return {
        "display_name": user.first_name,
        "role": user.role,
        "enterprise_id": user.enterprise_id,
    }


def user_update(*, actor: Actor, user_id: int, display_name: str, role: Role, enterprise_id: int | None) -> User:
    """Change a person's display name, role and enterprise. The change takes effect on their next
    request: sessions and tokens read the role from the account each time."""
    actor.require("accounts.manage")
    display_name = display_name.strip()
    _check_role(role, enterprise_id)
    with transaction.atomic():
        user = _lock_target(actor, user_id)
        if role.value != user.role:
            _not_own_account(actor, user, "不能更改自己的角色。")
            _keep_a_security_admin(user, "不能更改其角色")
        before = _user_state(user)
        user.first_name, user.role, user.enterprise_id = display_name, role.value, enterprise_id
        after = _user_state(user)
        if after == before:
            return user
        user.save(update_fields=["first_name", "role", "enterprise"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
            before=before,
            after=after,
        )
    return user


def user_set_active(*, actor: Actor, user_id: int, active: bool) -> User:
    """Disable an account (someone left) or enable it again. A disabled account cannot log in, its
    open sessions end on their next request and its tokens stop working, as with a lock; unlike a
    lock it says the account is out of use, not under suspicion."""
    with transaction.atomic():
        user = _lock_target(actor, user_id)
        if user.is_active == active:
            return user
        if not active:
            _not_own_account(actor, user, "不能停用自己的账号。")
            _keep_a_security_admin(user, "不能停用")
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action=AuditAction.ENABLED if active else AuditAction.DISABLED,
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
        )
    return user


_PASSWORD_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_!@#%+=")


def generate_password() -> str:
    """A random 16-character password with every character class, so the password rules accept it."""
    alphabet = "".join(_PASSWORD_CLASSES)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if all(any(c in group for c in password) for group in _PASSWORD_CLASSES):
            return password


def user_password_reset(*, actor: Actor, user_id: int, password: str = "") -> tuple[User, str]:
    """Set a person's password for them (they forgot it, or it may be known to someone else) and
    return it: the one given, or a generated one when none is, shown to the administrator once.
    Their open sessions end (the session carries a hash of the password) and their person tokens
    are revoked, since they may have been issued with the old password."""
    generated = not password
    with transaction.atomic():
        user = _lock_target(actor, user_id)
        _not_own_account(actor, user, "不能重置自己的密码：请在“修改密码”页修改。")
        password = password or generate_password()
        _check_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        now = timezone.now()
        for token in ApiToken.objects.select_for_update().filter(user_id=user.pk, revoked_at__isnull=True):
            _revoke(actor, token, now)
        audit.record(
            actor=actor,
            action=AuditAction.PASSWORD_RESET,
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
            after={"generated": generated},
        )
    return user, password


def user_password_change(*, actor: Actor, current_password: str, new_password: str) -> User:
    """A person changes their own password, proving the current one. Their other sessions end (the
    session carries a hash of the password); the page keeps the one it was changed from."""
    if actor.user_id is None:
        raise Forbidden("只有本人登录后才能修改密码。")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.user_id)
        if not user.check_password(current_password):
            raise InvalidInput("当前密码不正确。", code=ErrorCode.WRONG_PASSWORD)
        if new_password == current_password:
            raise InvalidInput("新密码不能与当前密码相同。", code=ErrorCode.WEAK_PASSWORD)
        _check_password(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(
            actor=actor,
            action=AuditAction.PASSWORD_CHANGE,
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
        )
    return user
