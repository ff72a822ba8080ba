"""Reads of the supervision module, each scoped to what the actor may see (``core.selectors``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.core.roles import Role
from chempark.core.selectors import one_visible, visible_to
from chempark.park.models import Enterprise, EnterpriseStatus
from chempark.supervision import operation_checks, workflow
from chempark.supervision.models import (
    Campaign,
    Certificate,
    CertificateKind,
    ConstructionProject,
    EnforcementCase,
    Evidence,
    HiddenDanger,
    Inspection,
    Licence,
    RandomDraw,
    RiskPoint,
    ServiceOrganisation,
    SpecialOperation,
    WorkPermit,
)

REMINDER_DAYS = 3
"""A running rectification is reminded of this many days before its deadline."""


def service_enterprises(actor: Actor) -> set[int] | None:
    """The enterprises a service organisation's user works for (those assigned to their
    organisations); None for everyone else, whose scope ``visible_to`` decides."""
    if actor.role is not Role.SERVICE_ORG:
        return None
    if actor.user_id is None:
        return set()
    ids = ServiceOrganisation.objects.filter(members__id=actor.user_id).values_list("enterprises__id", flat=True)
    return {pk for pk in ids if pk is not None}


def dangers_visible(actor: Actor) -> QuerySet[HiddenDanger]:
    actor.require("danger.read")
    rows = visible_to(actor, HiddenDanger.objects.select_related("enterprise", "campaign", "inspection"))
    scope = service_enterprises(actor)
    return rows if scope is None else rows.filter(enterprise_id__in=scope)


def danger_search(
    actor: Actor,
    *,
    q: str = "",
    status: str = "",
    grade: str = "",
    enterprise: int | None = None,
    overdue: bool = False,
) -> QuerySet[HiddenDanger]:
    rows = dangers_visible(actor)
    if q:
        rows = rows.filter(Q(description__icontains=q) | Q(location__icontains=q) | Q(enterprise__name__icontains=q))
    if status:
        rows = rows.filter(status=status)
    if grade:
        rows = rows.filter(grade=grade)
    if enterprise:
        rows = rows.filter(enterprise_id=enterprise)
    if overdue:
        rows = overdue_dangers(rows)
    return rows


def danger_get(actor: Actor, pk: int, *, for_update: bool = False) -> HiddenDanger:
    return one_visible(dangers_visible(actor), pk, "隐患", for_update=for_update)


def evidence_get(actor: Actor, danger_id: int, pk: int) -> Evidence:
    danger = danger_get(actor, danger_id)
    return one_visible(Evidence.objects.filter(danger=danger), pk, "整改照片")


def overdue_dangers(rows: QuerySet[HiddenDanger], today: dt.date | None = None) -> QuerySet[HiddenDanger]:
    """Rectifications still running past their deadline."""
    today = today or timezone.localdate()
    return rows.filter(status__in=workflow.RUNNING_DANGER, deadline__lt=today)


def due_soon(rows: QuerySet[HiddenDanger], today: dt.date | None = None) -> QuerySet[HiddenDanger]:
    """Rectifications still running whose deadline falls within the next ``REMINDER_DAYS`` days."""
    today = today or timezone.localdate()
    return rows.filter(
        status__in=workflow.RUNNING_DANGER, deadline__gte=today, deadline__lte=today + dt.timedelta(days=REMINDER_DAYS)
    )


@dataclass(frozen=True)
class RateRow:
    """Rectification figures of one enterprise or campaign: found, rectified (verified or closed),
    overdue now, and the two rates in percent (None when nothing was found)."""

    key: int | None
    name: str
    found: int
    rectified: int
    overdue: int

    @property
    def rectification_rate(self) -> Decimal | None:
        return _percent(self.rectified, self.found)

    @property
    def overdue_rate(self) -> Decimal | None:
        return _percent(self.overdue, self.found)


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def danger_rates(actor: Actor, by: str, today: dt.date | None = None) -> list[RateRow]:
    """Rectification and overdue rates per enterprise (``by="enterprise"``) or per campaign."""
    today = today or timezone.localdate()
    key, name = ("enterprise_id", "enterprise__name") if by == "enterprise" else ("campaign_id", "campaign__name")
    rectified = [workflow.DangerStatus.VERIFIED, workflow.DangerStatus.CLOSED]
    rows = (
        dangers_visible(actor)
        .values(key, name)
        .annotate(
            found=Count("id"),
            rectified=Count("id", filter=Q(status__in=rectified)),
            overdue=Count("id", filter=Q(status__in=workflow.RUNNING_DANGER, deadline__lt=today)),
        )
        .order_by(name)
    )
    return [RateRow(r[key], r[name] or "—", r["found"], r["rectified"], r["overdue"]) for r in rows]


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    actor.require("inspection.read")
    return Campaign.objects.all()


def campaign_get(actor: Actor, pk: int) -> Campaign:
    return one_visible(campaigns(actor), pk, "专项行动")


def draws(actor: Actor) -> QuerySet[RandomDraw]:
    actor.require("inspection.read")
    return RandomDraw.objects.select_related("campaign")


def draw_get(actor: Actor, pk: int) -> RandomDraw:
    return one_visible(draws(actor), pk, "抽取")


def public_draws() -> QuerySet[RandomDraw]:
    """The draws as published (双随机一公开): for the public page, which shows names only."""
    return RandomDraw.objects.select_related("campaign")


def inspections(actor: Actor) -> QuerySet[Inspection]:
    actor.require("inspection.read")
    rows = Inspection.objects.select_related("enterprise", "campaign").annotate(finding_count=Count("findings"))
    return rows.order_by("-inspected_on", "-id")


def inspection_get(actor: Actor, pk: int) -> Inspection:
    return one_visible(inspections(actor), pk, "检查记录")


def cases(actor: Actor) -> QuerySet[EnforcementCase]:
    actor.require("enforcement.manage")
    return EnforcementCase.objects.select_related("enterprise")


def case_get(actor: Actor, pk: int, *, for_update: bool = False) -> EnforcementCase:
    return one_visible(cases(actor), pk, "案件", for_update=for_update)


@dataclass(frozen=True)
class Deadline:
    """A legal time limit of one case: when it ends, whether it is met, overdue or a waiting period."""

    label: str
    basis: str
    due_on: dt.date
    met_on: dt.date | None
    waiting: bool

    def overdue(self, today: dt.date) -> bool:
        return not self.waiting and self.met_on is None and today > self.due_on


def case_deadlines(case: EnforcementCase) -> list[Deadline]:
    """The legal deadlines that have started for ``case``, from the dates its stages were reached."""
    reached_on = {t.to_stage: t.on for t in case.transitions.all()}
    reached_on.setdefault(workflow.CaseStage.FILED, case.filed_on)
    labels = dict(type(case).stage.field.choices or [])
    result = []
    for rule in workflow.DEADLINES:
        start = reached_on.get(rule.start)
        if start is None:
            continue
        result.append(
            Deadline(
                label=f"{labels[rule.start]} → {labels[rule.until]}",
                basis=rule.basis,
                due_on=start + dt.timedelta(days=rule.days),
                met_on=reached_on.get(rule.until),
                waiting=rule.waiting,
            )
        )
    return result


def case_statistics(actor: Actor) -> dict[str, list[dict[str, object]]]:
    """Cases and penalties by enterprise, by kind of violation and by month of filing."""
    rows = cases(actor)
    totals = {"cases": Count("id"), "penalty_yuan": Sum("penalty_yuan")}
    return {
        "enterprise": list(rows.values("enterprise__name").annotate(**totals).order_by("enterprise__name")),
        "violation": list(rows.values("violation_kind").annotate(**totals).order_by("violation_kind")),
        "month": list(rows.annotate(month=TruncMonth("filed_on")).values("month").annotate(**totals).order_by("month")),
    }


# --- Licences and certificates -------------------------------------------------------------------

REMINDER_THRESHOLDS_DAYS = (90, 30)
"""Licences and certificates are reminded 90 and again 30 days before they expire."""
REQUIRED_CERTIFICATES = {CertificateKind.PRINCIPAL: 1, CertificateKind.SAFETY_MANAGER: 1}
"""Certificates every operating enterprise must hold valid: its principal's and at least one safety
manager's (安全生产法 art. 27: both assessed for competence in hazardous-chemical enterprises)."""


def licences(actor: Actor) -> QuerySet[Licence]:
    actor.require("licence.read")
    return visible_to(actor, Licence.objects.select_related("enterprise"))


def certificates(actor: Actor) -> QuerySet[Certificate]:
    actor.require("licence.read")
    return visible_to(actor, Certificate.objects.select_related("enterprise"))


@dataclass(frozen=True)
class Expiring:
    """A licence or certificate expiring within the first threshold (or expired): which reminder it is due."""

    kind: str
    row: Licence | Certificate
    days_left: int

    @property
    def threshold(self) -> int | None:
        """The smallest threshold reached (30 after 90), None once expired."""
        if self.days_left < 0:
            return None
        return min(t for t in REMINDER_THRESHOLDS_DAYS if self.days_left <= t)


def expiring(actor: Actor, today: dt.date | None = None) -> list[Expiring]:
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    rows: list[Expiring] = []
    for kind, queryset in (("licence", licences(actor)), ("certificate", certificates(actor))):
        for row in queryset.filter(expires_on__lte=horizon):
            rows.append(Expiring(kind, row, (row.expires_on - today).days))
    return sorted(rows, key=lambda e: e.days_left)


@dataclass(frozen=True)
class CertificateCoverage:
    """For one enterprise and one certificate kind: how many are required and how many are valid."""

    enterprise: str
    kind: str
    required: int
    valid: int

    @property
    def met(self) -> bool:
        return self.valid >= self.required


def certificate_coverage(actor: Actor, today: dt.date | None = None) -> list[CertificateCoverage]:
    """Required versus valid certificates of every operating enterprise the actor sees (不持证不上岗)."""
    today = today or timezone.localdate()
    actor.require("licence.read")
    enterprises = visible_to(actor, Enterprise.objects.filter(status=EnterpriseStatus.OPERATING), "id").order_by("name")
    valid = {
        (row["enterprise_id"], row["kind"]): row["n"]
        for row in certificates(actor)
        .filter(issued_on__lte=today, expires_on__gte=today)
        .values("enterprise_id", "kind")
        .annotate(n=Count("id"))
    }
    labels = dict(CertificateKind.choices)
    return [
        CertificateCoverage(e.name, str(labels[kind]), required, valid.get((e.pk, kind), 0))
        for e in enterprises
        for kind, required in REQUIRED_CERTIFICATES.items()
    ]


# --- Special operations --------------------------------------------------------------------------


def operations(actor: Actor) -> QuerySet[SpecialOperation]:
    actor.require("operation.read")
    return visible_to(actor, SpecialOperation.objects.select_related("enterprise"))


def operation_get(actor: Actor, pk: int) -> SpecialOperation:
    return one_visible(operations(actor), pk, "特殊作业")


def permits(actor: Actor) -> QuerySet[WorkPermit]:
    actor.require("operation.read")
    return visible_to(actor, WorkPermit.objects.select_related("enterprise"))


def ongoing_operations(actor: Actor, now: dt.datetime | None = None) -> QuerySet[SpecialOperation]:
    now = now or timezone.now()
    return operations(actor).filter(starts_at__lte=now, ends_at__gt=now)


def operation_findings(actor: Actor, since: dt.datetime | None = None) -> list[operation_checks.Finding]:
    """The checks over the filings and permits of the last 30 days (by start) the actor may see."""
    since = since or timezone.now() - dt.timedelta(days=30)
    filings = [
        operation_checks.Window(
            o.pk, o.enterprise_id, o.permit_number, o.kind, o.grade, o.place, o.starts_at, o.ends_at
        )
        for o in operations(actor).filter(ends_at__gte=since)
    ]
    received = [
        operation_checks.Window(
            p.pk, p.enterprise_id, p.permit_number, p.kind, p.grade, p.place, p.valid_from, p.valid_to
        )
        for p in permits(actor).filter(valid_to__gte=since)
    ]
    return operation_checks.check(filings, received)


def operation_statistics(actor: Actor) -> dict[str, list[dict[str, object]]]:
    """Filed operations by kind, by enterprise and by month, with their spot checks."""
    rows = operations(actor)
    totals = {"operations": Count("id", distinct=True), "spot_checks": Count("spot_checks")}
    return {
        "kind": list(rows.values("kind").annotate(**totals).order_by("kind")),
        "enterprise": list(rows.values("enterprise__name").annotate(**totals).order_by("enterprise__name")),
        "month": list(
            rows.annotate(month=TruncMonth("starts_at")).values("month").annotate(**totals).order_by("month")
        ),
    }


# --- Risk points ---------------------------------------------------------------------------------


def risk_points(actor: Actor) -> QuerySet[RiskPoint]:
    actor.require("risk.read")
    return visible_to(actor, RiskPoint.objects.select_related("enterprise"))


def enterprise_risk_levels(actor: Actor) -> dict[int, int]:
    """Each visible enterprise's highest risk level (1 = red) among its risk points."""
    rows = risk_points(actor).values("enterprise_id").annotate(highest=Min("level"))
    return {row["enterprise_id"]: row["highest"] for row in rows}


def projects(actor: Actor) -> QuerySet[ConstructionProject]:
    actor.require("project.read")
    return visible_to(actor, ConstructionProject.objects.select_related("enterprise"))


def organisations(actor: Actor) -> QuerySet[ServiceOrganisation]:
    actor.require("inspection.manage")
    return ServiceOrganisation.objects.prefetch_related("enterprises", "members")
