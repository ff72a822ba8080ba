"""Acknowledging many alarms at once (the duty officer's triage of a night's alarms).

Each alarm goes through the one-alarm service, so each is scope-checked, moved by the state machine,
audited and pushed to the live stream exactly as when it is acknowledged from its own page. An alarm
that is already acknowledged (or out of the actor's view) is reported in the answer, not an error for
the batch: two officers triaging the same list must not undo each other's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput, NotFound
from chempark.monitoring.services import alarm_acknowledge

BULK_MAX = 200
"""At most this many alarms in one request: a page of the list is 50."""


@dataclass
class BulkAcknowledgement:
    """What happened to each alarm asked for, by id."""

    acknowledged: list[int] = field(default_factory=list)
    already_acknowledged: list[int] = field(default_factory=list)
    not_found: list[int] = field(default_factory=list)


def alarms_acknowledge(
    *, actor: Actor, alarm_ids: list[int], note: str = "", now: datetime | None = None
) -> BulkAcknowledgement:
    """Acknowledge every alarm of ``alarm_ids`` with the same ``note``; duplicates count once."""
    actor.require("alarm.handle")
    ids = list(dict.fromkeys(alarm_ids))
    if not ids:
        raise InvalidInput("请至少选择一条报警。", code=ErrorCode.VALIDATION_ERROR, details={"field": "ids"})
    if len(ids) > BULK_MAX:
        raise InvalidInput(
            f"一次最多确认 {BULK_MAX} 条报警。", code=ErrorCode.VALIDATION_ERROR, details={"field": "ids"}
        )
    now = now or timezone.now()
    result = BulkAcknowledgement()
    with transaction.atomic():
        for alarm_id in ids:
            try:
                alarm_acknowledge(actor=actor, alarm_id=alarm_id, note=note, now=now)
            except NotFound:
                result.not_found.append(alarm_id)
            except Conflict as exc:
                if exc.code != ErrorCode.TRANSITION_NOT_ALLOWED:
                    raise
                result.already_acknowledged.append(alarm_id)
            else:
                result.acknowledged.append(alarm_id)
    return result
