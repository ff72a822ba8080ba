"""Password login with throttling by (username, client address) and growing delays.

等保 2.0 asks that repeated failed logins be limited. Locking the *account* after a few failures
would hand anyone a way to keep any account — the administrator's included — locked: five wrong
passwords every fifteen minutes from anywhere. So failures are counted per username *and* client
address: after ``LOGIN_MAX_FAILURES`` failures in a row from one address, that address waits
``LOGIN_DELAY_S`` before its next try, doubling with each further failure up to
``LOGIN_LOCKOUT_S``. Tries while waiting are refused unheard and do not lengthen the wait. The
owner logging in from another address is not affected; the security administrator can clear the
counts (``user_unlock``).

Every answer takes the same path whether the user exists, is locked or is throttled: the password
is always hashed once, the same counters are written, and the message is the same.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction, AuditEvent, LoginThrottle, User
from chempark.common.client_address import client_address
from chempark.core.actors import actor_for_user
from chempark.core.request_context import current_request_id

REFUSED_MESSAGE = "用户名或密码错误，或暂时不能登录。"
FORGET_AFTER = timedelta(days=1)  # a pair's count starts again after a day without failures


class LoginRefused(Exception):
    """Wrong credentials, a locked account or a throttled address. The message never says which."""

    def __init__(self) -> None:
        super().__init__(REFUSED_MESSAGE)


def request_address(request: HttpRequest) -> str:
    """The client address of ``request`` (``X-Forwarded-For`` believed only from a trusted proxy)."""
    address = client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXIES
    )
    return address[:64] or "unknown"


def delay_after(failures: int) -> timedelta:
    """How long an address waits after its ``failures``-th failure in a row (zero below the limit)."""
    extra = failures - settings.LOGIN_MAX_FAILURES
    if extra < 0:
        return timedelta(0)
    seconds = min(settings.LOGIN_DELAY_S * 2 ** min(extra, 32), settings.LOGIN_LOCKOUT_S)
    return timedelta(seconds=seconds)


def login_check(*, username: str, password: str, address: str) -> User:
    """Check a password from ``address``; return the user, or raise ``LoginRefused``."""
    now = timezone.now()
    with transaction.atomic():
        # get_or_create: two first failures at once must not collide on the (username, address) key.
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
            username=username, address=address, defaults={"last_failure_at": now}
        )
        if now - throttle.last_failure_at > FORGET_AFTER:
            throttle.failures, throttle.blocked_until = 0, None
        user = User.objects.filter(username=username).first()
        if user is not None:
            password_ok = user.check_password(password)
        else:
            make_password(password)  # the same hashing work, so the time taken says nothing
            password_ok = False
        waiting = throttle.blocked_until is not None and throttle.blocked_until > now
        reason = (
            "throttled"
            if waiting
            else "unknown_user"
            if user is None
            else "wrong_password"
            if not password_ok
            else "disabled"
            if not user.is_active
            else "locked"
            if user.locked_at is not None
            else ""
        )
        if not reason:
            assert user is not None
            throttle.delete()
            user.last_login = now
            user.save(update_fields=["last_login"])
            audit.record(
                actor=actor_for_user(user),
                action=AuditAction.LOGIN,
                object_type="user",
                object_id=user.pk,
                after={"address": address},
            )
            return user
        after: dict[str, Any] = {"reason": reason, "address": address}
        if reason in ("unknown_user", "wrong_password"):
            throttle.failures += 1
            throttle.last_failure_at = now
            delay = delay_after(throttle.failures)
            throttle.blocked_until = now + delay if delay else None
            throttle.save()
            after["failures"] = throttle.failures
            if throttle.blocked_until is not None:
                after["blocked_until"] = throttle.blocked_until.isoformat()
        elif throttle.failures == 0:
            throttle.delete()  # refused for another reason, with nothing to count
        _record_refusal(username, user, after)
    raise LoginRefused()


def _record_refusal(username: str, user: User | None, after: dict[str, Any]) -> None:
    """The audit row of a refused login: the account it was for, or the unknown name tried."""
    if user is not None:
        audit.record(
            actor=actor_for_user(user),
            action=AuditAction.LOGIN_FAILED,
            object_type="user",
            object_id=user.pk,
            after=after,
        )
        return
    AuditEvent.objects.create(
        actor_username=username[:150],
        actor_role="",
        request_id=current_request_id(),
        action=AuditAction.LOGIN_FAILED,
        object_type="user",
        object_label=username[:200],
        after=after,
    )
