"""The plans that match an incident, offered to the incident's decision-support panel through the
incidents module's provider registry (``incidents.plan_providers``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chempark.core.actors import Actor
from chempark.incidents.plan_providers import IncidentFacts, PlanMatch
from chempark.park.models import Chemical
from chempark.plans.selectors import plans_matching


def matching_plans(actor: Actor, facts: IncidentFacts) -> list[PlanMatch]:
    if not actor.can("plan.read"):
        return []
    chemical_ids = list(Chemical.objects.filter(cas__in=facts.chemical_cas).values_list("pk", flat=True))
    chemicals = set(chemical_ids)
    matches = []
    for plan in plans_matching(actor, facts.enterprise_id, chemical_ids, facts.kind)[:10]:
        reasons = []
        if facts.enterprise_id is not None and plan.enterprise_id == facts.enterprise_id:
            reasons.append(_("本企业预案"))
        if chemicals & {c.pk for c in plan.chemicals.all()}:
            reasons.append(_("涉及该化学品"))
        if facts.kind in plan.incident_types:
            reasons.append(_("适用该事故类型"))
        if plan.enterprise_id is None:
            reasons.append(_("局预案"))
        matches.append(PlanMatch(plan.title, reverse("plans:detail", args=[plan.pk]), "、".join(reasons)))
    return matches
