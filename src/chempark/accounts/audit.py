"""Writing the audit trail. Called by services inside their own transaction, so a change and its
audit row commit or roll back together."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from chempark.accounts.actors import Actor
from chempark.accounts.models import AuditAction, AuditEvent
from chempark.core.request_context import current_request_id


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored field values of ``instance`` as JSON-ready data (foreign keys by id)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return data


def record(
    *,
    actor: Actor,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    enterprise_id: int | None = None,
) -> AuditEvent:
    """Append one audit row for ``actor``'s ``action``."""
    return AuditEvent.objects.create(
        actor_id=actor.user_id,
        actor_username=actor.username,
        actor_role=actor.role.value,
        enterprise_id=enterprise_id if enterprise_id is not None else actor.enterprise_id,
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )
