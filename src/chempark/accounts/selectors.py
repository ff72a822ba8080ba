"""Reads for accounts: the audit trail (auditor only) and token lists."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chempark.accounts.models import ApiToken, AuditEvent, LoginThrottle, User
from chempark.core.actor_names import actor_label
from chempark.core.actors import Actor
from chempark.core.errors import NotFound


def audit_events(
    actor: Actor,
    *,
    object_type: str = "",
    object_id: str = "",
    object_name: str = "",
    username: str = "",
    action: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, for the auditor."""
    actor.require("audit.read")
    events = AuditEvent.objects.all()
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if object_name:
        events = events.filter(object_label__icontains=object_name)
    if username:
        events = events.filter(actor_username=username)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=_aware(since))
    if until is not None:
        events = events.filter(at__lt=_aware(until))
    return events.order_by("-at", "-id")


def audit_object_types(actor: Actor) -> list[str]:
    """The object types the trail holds, for the auditor's type filter."""
    actor.require("audit.read")
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())


def audit_actors(actor: Actor) -> list[tuple[str, str]]:
    """(username, how the auditor reads it) of everyone the trail names, for the actor filter: the
    display name where the account still exists, the username alone for the platform and deleted users."""
    actor.require("audit.read")
    usernames = AuditEvent.objects.order_by().values_list("actor_username", flat=True).distinct()
    names = dict(User.objects.filter(username__in=usernames).values_list("username", "first_name"))
    return sorted(((u, actor_label(u, names.get(u, ""))) for u in usernames), key=lambda choice: choice[1])


def _aware(moment: datetime) -> datetime:
    """A time without an offset is the park's local time (Asia/Shanghai), as the auditor reads it."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    """An actor's own tokens; all tokens for the security administrator."""
    tokens = ApiToken.objects.select_related("user", "enterprise").order_by("-created_at")
    if actor.can("accounts.manage"):
        return tokens
    if actor.user_id is None:
        return tokens.none()
    return tokens.filter(user_id=actor.user_id)


def users_for(actor: Actor) -> list[Any]:
    """All accounts, each with ``throttled_addresses``: the client addresses whose failed logins
    make it wait now (for the security administrator, who can unlock them)."""
    actor.require("accounts.manage")
    return _with_throttles(list(User.objects.select_related("enterprise").order_by("username")))


def user_get(actor: Actor, user_id: int) -> Any:
    actor.require("accounts.manage")
    user = User.objects.select_related("enterprise").filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在。")
    return _with_throttles([user])[0]


def _with_throttles(users: list[Any]) -> list[Any]:
    blocked: dict[str, list[str]] = defaultdict(list)
    rows = (
        LoginThrottle.objects.filter(username__in=[u.username for u in users], blocked_until__gt=timezone.now())
        .order_by("address")
        .values_list("username", "address")
    )
    for username, address in rows:
        blocked[username].append(address)
    for user in users:
        user.throttled_addresses = blocked.get(user.username, [])
    return users
