"""Writes of the command centre."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chempark.command import selectors
from chempark.command.models import RiskIndexDaily
from chempark.core.actors import Actor


@transaction.atomic
def risk_history_record(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Record today's index of every enterprise the actor sees (run daily, and again at will: the
    day's row is replaced). Returns the number of enterprises recorded. Not audited: it is a
    measurement the platform takes, not a change anyone makes."""
    actor.require("map.read")
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rows = selectors.risk_ranking(actor, now)
    for row in rows:
        RiskIndexDaily.objects.update_or_create(
            enterprise_id=row.enterprise_id,
            date=today,
            defaults={"index": row.score.index, "families": dict(row.score.families), "recorded_at": now},
        )
    return len(rows)
