"""Writing the audit trail. Called by services inside their own transaction, so a change and its
audit row commit or roll back together."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from chempark.accounts.models import AuditAction, AuditEvent
from chempark.core.actors import Actor
from chempark.core.model_writes import DEFAULT_CONFLICT_MESSAGE, delete_model, save_model
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
    object_label: str = "",
) -> AuditEvent:
    """Append one audit row for ``actor``'s ``action``, with the token it acted through.

    ``object_label`` names the object for the auditor; by default it is taken from the snapshot's
    name field, so most callers need not pass it.
    """
    return AuditEvent.objects.create(
        actor_id=actor.user_id,
        actor_username=actor.username,
        actor_role=actor.role.value,
        enterprise_id=enterprise_id if enterprise_id is not None else actor.enterprise_id,
        request_id=current_request_id(),
        token_id=actor.token_id,
        token_kind=actor.token_kind,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=(object_label or _label(after) or _label(before))[:200],
        before=before,
        after=after,
    )


_LABEL_FIELDS = ("name", "name_zh", "username", "code", "title")


def _label(snapshot: dict[str, Any] | None) -> str:
    """The first name-like value of a snapshot, or "" (the object's name at the time of the row)."""
    for field in _LABEL_FIELDS:
        value = (snapshot or {}).get(field)
        if isinstance(value, str) and value:
            return value
    return ""


def save_changes(
    *,
    actor: Actor,
    instance: models.Model,
    before: dict[str, Any],
    object_type: str,
    enterprise_id: int | None,
    conflict_message: str = DEFAULT_CONFLICT_MESSAGE,
) -> dict[str, Any] | None:
    """Save ``instance`` and append its update row if its fields differ from ``before``; a change
    that changes nothing writes nothing. Returns the new snapshot, or None when unchanged."""
    after = snapshot(instance)
    if after == before:
        return None
    save_model(instance, conflict_message=conflict_message)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=object_type,
        object_id=instance.pk,
        before=before,
        after=after,
        enterprise_id=enterprise_id,
    )
    return after


def delete_recorded(
    *, actor: Actor, instance: models.Model, object_type: str, enterprise_id: int | None, in_use_message: str
) -> dict[str, Any]:
    """Delete ``instance`` (409 while still referenced) and append its delete row; returns what it was."""
    before = snapshot(instance)
    object_id = instance.pk
    delete_model(instance, in_use_message=in_use_message)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        object_type=object_type,
        object_id=object_id,
        before=before,
        enterprise_id=enterprise_id,
    )
    return before
