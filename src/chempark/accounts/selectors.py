"""Reads for accounts: the audit trail (auditor only) and token lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from chempark.accounts.models import ApiToken, AuditEvent, User
from chempark.core.actors import Actor


def audit_events(
    actor: Actor,
    *,
    object_type: str = "",
    object_id: str = "",
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
    if username:
        events = events.filter(actor_username=username)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events.order_by("-at", "-id")


def tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    """An actor's own tokens; all tokens for the security administrator."""
    tokens = ApiToken.objects.select_related("user", "enterprise").order_by("-created_at")
    if actor.can("accounts.manage"):
        return tokens
    if actor.user_id is None:
        return tokens.none()
    return tokens.filter(user_id=actor.user_id)


def users_for(actor: Actor) -> QuerySet[Any]:
    actor.require("accounts.manage")
    return User.objects.select_related("enterprise").order_by("username")
