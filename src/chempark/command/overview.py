"""What a user sees first after login, chosen for their work (``core.navigation.landing_url``):

* the bureau (administrator, duty officer, inspector, expert) — the **command overview** (指挥总览):
  the 大屏's tiles at desk size, the unacknowledged alarms to act on, the enterprises by dynamic
  risk, and who is on duty (the page include every bureau page carries);
* an enterprise user — the **enterprise workbench** (企业工作台): today's safety commitment, its own
  active alarms, overdue duty checks of its responsible persons, the tiles of its own figures
  (hidden dangers when that module is installed) and its risk index.

The one-map stays a menu entry. Reads only, each through the module's selector with the actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chempark.command import selectors
from chempark.core import screen_tiles
from chempark.core.actors import Actor
from chempark.core.selectors import visible_to
from chempark.hazards import selectors as hazard_selectors
from chempark.hazards.models import SafetyCommitment
from chempark.hazards.settings import commitment_deadline
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import AlarmStatus
from chempark.park.models import Enterprise

LIST_LENGTH = 10
WORKBENCH_TILES = ("hazards", "points", "alarms", "duties", "supervision", "incidents")
"""The tiles of the 大屏 that mean something for one enterprise (not the park's connection target)."""


def _tiles(actor: Actor, now: dt.datetime, names: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    return [
        {"name": tile.name, "title": str(tile.title), "figures": tile.build(actor, now)}
        for tile in screen_tiles.tiles_for(actor)
        if names is None or tile.name in names
    ]


def command_overview(actor: Actor, now: dt.datetime | None = None) -> dict[str, Any]:
    actor.require("command.read")
    now = now or timezone.now()
    unacked = (
        monitoring_selectors.alarms_visible(actor)
        .filter(status=AlarmStatus.ACTIVE_UNACK)
        .select_related("enterprise", "point", "camera")
        .order_by("-raised_at")
    )
    return {
        "generated_at": now,
        "tiles": _tiles(actor, now),
        "unacked": list(unacked[:LIST_LENGTH]),
        "unacked_total": unacked.count(),
        "ranking": selectors.risk_ranking(actor, now)[:LIST_LENGTH],
    }


def enterprise_workbench(actor: Actor, now: dt.datetime | None = None) -> dict[str, Any]:
    actor.require("workbench.read")
    now = now or timezone.now()
    if actor.enterprise_id is None:
        return {"enterprise": None}
    enterprise = visible_to(actor, Enterprise.objects.filter(pk=actor.enterprise_id), "id").first()
    if enterprise is None:
        return {"enterprise": None}
    local = timezone.localtime(now)
    today = local.date()
    holds_major = enterprise.pk in hazard_selectors.enterprise_major_hazard_levels([enterprise.pk])
    commitment = SafetyCommitment.objects.filter(enterprise=enterprise, date=today).first()
    alarms = (
        monitoring_selectors.alarms_visible(actor)
        .filter(status__in=selectors.ACTIVE)
        .select_related("point", "camera")
        .order_by("-status", "-raised_at")  # active_unack before active_ack
    )
    return {
        "enterprise": enterprise,
        "generated_at": now,
        "holds_major": holds_major,
        "commitment": commitment,
        "deadline": commitment_deadline(),
        "commitment_late": holds_major and commitment is None and local.time() > commitment_deadline(),
        "alarms": list(alarms[:LIST_LENGTH]),
        "alarms_total": alarms.count(),
        "overdue_checks": hazard_selectors.overdue_duty_checks(actor, today, enterprise_id=enterprise.pk),
        "tiles": _tiles(actor, now, WORKBENCH_TILES),
        "risk": selectors.enterprise_risk(actor, enterprise.pk, now),
    }
