"""Reads of plans, drills, the calendar and public warnings, scoped in one place: an enterprise user
sees its own enterprise's plans and drills (not the bureau's, nor other enterprises'); public warnings
are public once issued.

Due dates are computed when read, from the calendar as it stands: a holiday the bureau adds later
moves the filing deadline of a plan published before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.core.selectors import one_visible, visible_to
from chempark.park.models import Enterprise
from chempark.plans import schedule, text
from chempark.plans.models import (
    CalendarDay,
    CalendarDayKind,
    CapMessage,
    Drill,
    ImprovementAction,
    Plan,
    PlanKind,
    PlanVersion,
    PublicWarning,
    WarningStatus,
)
from chempark.plans.workdays import WorkCalendar

SEARCH_CONFIG = "simple"


def work_calendar() -> WorkCalendar:
    days = CalendarDay.objects.values_list("date", "kind")
    return WorkCalendar.of(
        holidays=[d for d, kind in days if kind == CalendarDayKind.HOLIDAY],
        workdays=[d for d, kind in days if kind == CalendarDayKind.WORKDAY],
    )


def calendar_days(actor: Actor, year: int | None = None) -> QuerySet[CalendarDay]:
    actor.require("plan.read")
    rows = CalendarDay.objects.all()
    return rows.filter(date__year=year) if year else rows


# --- Plans ---------------------------------------------------------------------------------------


def plans_visible(actor: Actor) -> QuerySet[Plan]:
    actor.require("plan.read")
    return visible_to(actor, Plan.objects.select_related("enterprise"), "enterprise_id")


def plan_get(actor: Actor, pk: int, *, for_update: bool = False) -> Plan:
    return one_visible(plans_visible(actor), pk, "预案", for_update=for_update)


def plan_versions(actor: Actor, plan_id: int) -> QuerySet[PlanVersion]:
    plan = plan_get(actor, plan_id)
    return plan.versions.defer("content", "text")


def plan_version_get(actor: Actor, pk: int) -> PlanVersion:
    actor.require("plan.read")
    rows = visible_to(actor, PlanVersion.objects.select_related("plan"), "plan__enterprise_id")
    return one_visible(rows, pk, "预案版本")


def full_text(rows: QuerySet[Plan], query: str) -> QuerySet[Plan]:
    """Plans whose title or current document holds every word of ``query``.

    On PostgreSQL the match is ``to_tsvector('simple', search_text) @@ plainto_tsquery('simple', …)``,
    which the GIN index over the same expression answers (migration 0002); elsewhere each word is
    looked for in the stored words."""
    words = text.query_words(query)
    if not words:
        return rows
    if connection.vendor == "postgresql":
        vector = SearchVector(F("search_text"), config=SEARCH_CONFIG)
        return rows.annotate(search=vector).filter(search=SearchQuery(" ".join(words), config=SEARCH_CONFIG))
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return rows.filter(condition)


def plan_search(
    actor: Actor,
    *,
    q: str = "",
    kind: str = "",
    filing: str = "",
) -> list[Plan]:
    rows = plans_visible(actor)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = full_text(rows, q)
    found = annotate_dues(list(rows))
    return [p for p in found if p.filing_status == filing] if filing else found


def annotate_dues(plans: list[Plan], today: dt.date | None = None) -> list[Plan]:
    """Each plan with ``filing_due``, ``filing_status`` and ``evaluation_due`` set for the page and API."""
    calendar, today = work_calendar(), today or timezone.localdate()
    for plan in plans:
        plan.filing_due = schedule.filing_due(plan.published_on, calendar) if plan.published_on else None
        plan.filing_status = schedule.filing_status(plan.published_on, plan.filed_on, today, calendar).value
        plan.evaluation_due = schedule.evaluation_due(plan.published_on, plan.evaluated_on)
        plan.evaluation_overdue = plan.evaluation_due is not None and plan.evaluation_due < today
    return plans


def plans_matching(
    actor: Actor, enterprise_id: int | None, chemical_ids: Iterable[int] = (), incident_type: str = ""
) -> list[Plan]:
    """The published plans that may apply to an incident, best first: the enterprise's own plans and
    the bureau's, ranked by how many of (same enterprise, a shared chemical, the incident type) they
    meet; a plan meeting none of them is left out (the bureau's comprehensive plan always applies)."""
    chemicals = set(chemical_ids)
    rows = (
        plans_visible(actor)
        .filter(published_on__isnull=False)
        .filter(Q(enterprise_id=enterprise_id) | Q(enterprise__isnull=True))
        .prefetch_related("chemicals")
    )
    scored = []
    for plan in rows:
        own = enterprise_id is not None and plan.enterprise_id == enterprise_id
        shared = bool(chemicals & {c.pk for c in plan.chemicals.all()})
        typed = bool(incident_type) and incident_type in plan.incident_types
        bureau_general = plan.enterprise_id is None and plan.kind == PlanKind.COMPREHENSIVE
        score = 2 * shared + 2 * typed + own + bureau_general
        if score:
            scored.append((score, plan))
    scored.sort(key=lambda item: (-item[0], item[1].kind != PlanKind.ON_SITE, item[1].title))
    return [plan for _score, plan in scored]


# --- Drills ----------------------------------------------------------------------------------------


def drills_visible(actor: Actor) -> QuerySet[Drill]:
    actor.require("plan.read")
    return visible_to(actor, Drill.objects.select_related("enterprise", "plan"), "enterprise_id")


def drill_get(actor: Actor, pk: int, *, for_update: bool = False) -> Drill:
    return one_visible(drills_visible(actor), pk, "演练", for_update=for_update)


def drill_search(actor: Actor, *, q: str = "", kind: str = "", done: str = "") -> QuerySet[Drill]:
    rows = drills_visible(actor)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if done == "yes":
        rows = rows.filter(done_on__isnull=False)
    elif done == "no":
        rows = rows.filter(done_on__isnull=True)
    return rows


def action_get(actor: Actor, pk: int, *, for_update: bool = False) -> ImprovementAction:
    rows = visible_to(actor, ImprovementAction.objects.select_related("drill"), "drill__enterprise_id")
    actor.require("plan.read")
    return one_visible(rows, pk, "整改措施", for_update=for_update)


@dataclass(frozen=True)
class Compliance:
    enterprise: Enterprise
    plan: Plan | None
    last_drill: dt.date | None
    due: dt.date
    overdue: bool


def drill_compliance(actor: Actor, today: dt.date | None = None, *, overdue_only: bool = False) -> list[Compliance]:
    """Every enterprise's drill requirements (yearly comprehensive/specific, half-yearly per on-site
    plan) with the next due date; overdue ones first."""
    today = today or timezone.localdate()
    plans = list(plans_visible(actor).filter(enterprise__isnull=False, published_on__isnull=False))
    drills = drills_visible(actor).filter(enterprise__isnull=False, done_on__isnull=False)
    by_enterprise: dict[int | None, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_enterprise[plan.enterprise_id].append(plan)
    drill_facts: dict[int | None, list[schedule.DrillFacts]] = defaultdict(list)
    for drill in drills:
        if drill.done_on is not None:
            facts = schedule.DrillFacts(schedule.PlanKind(drill.kind), drill.plan_id, drill.done_on)
            drill_facts[drill.enterprise_id].append(facts)
    rows: list[Compliance] = []
    for enterprise_id, own in by_enterprise.items():
        published = [schedule.PlanFacts(p.pk, schedule.PlanKind(p.kind), p.published_on) for p in own]
        plan_by_id = {p.pk: p for p in own}
        enterprise = own[0].enterprise
        if enterprise is None:  # the query asked for enterprise plans only
            continue
        for item in schedule.drill_obligations(published, drill_facts[enterprise_id], today):
            on_site = plan_by_id[item.plan_id] if item.plan_id is not None else None
            rows.append(Compliance(enterprise, on_site, item.last_drill, item.due, item.overdue))
    rows.sort(key=lambda r: (not r.overdue, r.due, r.enterprise.name))
    return [r for r in rows if r.overdue] if overdue_only else rows


def filing_overdue(actor: Actor, today: dt.date | None = None) -> list[Plan]:
    plans = plans_visible(actor).filter(published_on__isnull=False, filed_on__isnull=True)
    return [p for p in annotate_dues(list(plans), today) if p.filing_status == schedule.FilingStatus.OVERDUE]


def actions_open(actor: Actor) -> QuerySet[ImprovementAction]:
    actor.require("plan.read")
    rows = ImprovementAction.objects.select_related("drill", "drill__enterprise").filter(completed_on__isnull=True)
    return visible_to(actor, rows, "drill__enterprise_id")


# --- Public warnings ------------------------------------------------------------------------------


def warnings_visible(actor: Actor) -> QuerySet[PublicWarning]:
    actor.require("plan.read")
    return PublicWarning.objects.all()


def warning_get(actor: Actor, pk: int, *, for_update: bool = False) -> PublicWarning:
    return one_visible(warnings_visible(actor), pk, "公众预警", for_update=for_update)


def warnings_issued() -> QuerySet[PublicWarning]:
    """Warnings that went out (issued or since cancelled): public, as their feed is."""
    return PublicWarning.objects.exclude(status=WarningStatus.DRAFT)


def messages_issued() -> QuerySet[CapMessage]:
    """Every CAP message sent, newest first: the public feed."""
    return CapMessage.objects.select_related("warning")


def message_public(identifier: str) -> CapMessage | None:
    return CapMessage.objects.filter(identifier=identifier).first()


def warning_messages(warning: PublicWarning) -> Sequence[CapMessage]:
    return list(warning.messages.order_by("sent", "id"))
