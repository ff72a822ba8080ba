"""Reads of the command centre: the facts behind each enterprise's dynamic risk index, the ranking,
and the figures of the 大屏. Every count is one grouped query over the actor's scope, so the screen
costs the same handful of queries for ten enterprises or a thousand."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from chempark.command.models import RiskIndexDaily
from chempark.command.risk_index import COMMITMENT_WINDOW_DAYS, MODULE_FACTORS, RiskInputs, RiskScore, risk_index
from chempark.command.settings import risk_weights
from chempark.core import risk_facts
from chempark.core.actors import Actor
from chempark.core.selectors import visible_to
from chempark.hazards import selectors as hazard_selectors
from chempark.hazards.models import SafetyCommitment
from chempark.hazards.settings import commitment_deadline
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import AlarmStatus, EnterpriseWarning
from chempark.park.models import Enterprise, EnterpriseStatus

ACTIVE = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)


@dataclass(frozen=True)
class EnterpriseRisk:
    enterprise_id: int
    name: str
    inputs: RiskInputs
    score: RiskScore


def enterprises_visible(actor: Actor) -> Any:
    return visible_to(actor, Enterprise.objects.filter(status=EnterpriseStatus.OPERATING), "id").order_by("name")


def _commitment_days(now: dt.datetime) -> list[dt.date]:
    """The last COMMITMENT_WINDOW_DAYS days whose commitment is due: today only after the deadline."""
    local = timezone.localtime(now)
    last = local.date() if local.time() > commitment_deadline() else local.date() - dt.timedelta(days=1)
    return [last - dt.timedelta(days=i) for i in range(COMMITMENT_WINDOW_DAYS)]


def _missed_commitments(ids: list[int], now: dt.datetime) -> Counter[int]:
    days = _commitment_days(now)
    submitted = dict(
        SafetyCommitment.objects.filter(enterprise_id__in=ids, date__in=days)
        .values("enterprise_id")
        .annotate(n=Count("date", distinct=True))
        .values_list("enterprise_id", "n")
    )
    return Counter({i: len(days) - submitted.get(i, 0) for i in ids})


def risk_inputs(actor: Actor, now: dt.datetime | None = None) -> dict[int, tuple[str, RiskInputs]]:
    """The facts of every enterprise the actor sees, by enterprise id: (name, inputs)."""
    now = now or timezone.now()
    names = dict(enterprises_visible(actor).values_list("id", "name"))
    ids = list(names)
    levels = hazard_selectors.enterprise_major_hazard_levels(ids)
    max_r = dict(
        hazard_selectors.major_hazards_visible(actor)
        .filter(enterprise_id__in=ids, still_major=True)
        .values("enterprise_id")
        .annotate(r=Max("r"))
        .values_list("enterprise_id", "r")
    )
    alarms: Counter[tuple[int, str]] = Counter()
    for enterprise_id, status, n in (
        monitoring_selectors.alarms_visible(actor)
        .filter(status__in=ACTIVE, enterprise_id__in=ids)
        .values("enterprise_id", "status")
        .annotate(n=Count("id"))
        .values_list("enterprise_id", "status", "n")
    ):
        alarms[(enterprise_id, status)] += n
    points = {
        row["enterprise_id"]: row
        for row in monitoring_selectors.points_visible(actor)
        .filter(enabled=True, enterprise_id__in=ids)
        .values("enterprise_id")
        .annotate(n=Count("id"), online=Count("id", filter=Q(latest__online=True)))
    }
    missed = _missed_commitments(ids, now)
    overdue = Counter(
        row.guarantor.hazard.enterprise_id
        for row in hazard_selectors.overdue_duty_checks(actor, timezone.localtime(now).date())
    )
    extra = risk_facts.facts(ids, now)
    result = {}
    for enterprise_id, name in names.items():
        unacked = alarms[(enterprise_id, AlarmStatus.ACTIVE_UNACK)]
        own_points = points.get(enterprise_id, {"n": 0, "online": 0})
        r = max_r.get(enterprise_id)
        result[enterprise_id] = (
            name,
            RiskInputs(
                hazard_level=levels.get(enterprise_id),
                max_r=float(r) if r is not None else None,
                unacked_alarms=unacked,
                active_alarms=unacked + alarms[(enterprise_id, AlarmStatus.ACTIVE_ACK)],
                points=own_points["n"],
                points_offline=own_points["n"] - own_points["online"],
                missed_commitments=missed.get(enterprise_id, 0),
                overdue_duty_checks=overdue.get(enterprise_id, 0),
            ),
        )
        module_facts = {k: v for k, v in extra[enterprise_id].items() if k in MODULE_FACTORS}
        if module_facts:  # other modules' factors (hidden dangers, special operations)
            result[enterprise_id] = (name, replace(result[enterprise_id][1], **module_facts))  # type: ignore[arg-type]  # keys are checked against MODULE_FACTORS, all int fields
    return result


def risk_ranking(actor: Actor, now: dt.datetime | None = None) -> list[EnterpriseRisk]:
    """Every visible enterprise with its index, highest first (ties by name)."""
    weights = risk_weights()
    rows = [
        EnterpriseRisk(enterprise_id, name, inputs, risk_index(inputs, weights))
        for enterprise_id, (name, inputs) in risk_inputs(actor, now).items()
    ]
    return sorted(rows, key=lambda row: (-row.score.index, row.name))


def enterprise_risk(actor: Actor, enterprise_id: int, now: dt.datetime | None = None) -> EnterpriseRisk | None:
    """One enterprise's index (None when it is not operating or not visible)."""
    return next((row for row in risk_ranking(actor, now) if row.enterprise_id == enterprise_id), None)


def risk_history(actor: Actor, enterprise_id: int, days: int = 30) -> list[RiskIndexDaily]:
    rows = visible_to(actor, RiskIndexDaily.objects.filter(enterprise_id=enterprise_id), "enterprise_id")
    return list(rows.order_by("-date")[:days])[::-1]


def warning_levels(actor: Actor) -> Counter[str]:
    """Operating enterprises by their current warning level (红橙黄蓝)."""
    ids = enterprises_visible(actor).values("id")
    return Counter(EnterpriseWarning.objects.filter(enterprise_id__in=ids).values_list("level", flat=True))


def alarm_trend(actor: Actor, now: dt.datetime | None = None, hours: int = 24) -> list[tuple[dt.datetime, int]]:
    """Alarms raised per hour over the last ``hours`` hours, oldest first (empty hours are 0)."""
    now = now or timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    start = end - dt.timedelta(hours=hours)
    counts: Counter[int] = Counter()
    for raised_at in (
        monitoring_selectors.alarms_visible(actor).filter(raised_at__gte=start).values_list("raised_at", flat=True)
    ):
        counts[int((raised_at - start).total_seconds() // 3600)] += 1
    return [(start + dt.timedelta(hours=i), counts[i]) for i in range(hours)]
