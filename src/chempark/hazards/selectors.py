"""Reads of the major hazard registry, with visibility in one place: an enterprise user sees only its
own enterprise's units, major hazards, persons and commitments; anything else is "not found"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.core.bounds import parse_row_id
from chempark.core.errors import ErrorCode, InvalidInput, NotFound
from chempark.core.selectors import M, one_visible, visible_to
from chempark.hazards.models import (
    DutyCheck,
    Guarantor,
    HazardStatus,
    LevelChange,
    MajorHazard,
    SafetyCommitment,
    UnitAssessment,
)
from chempark.hazards.settings import assessment_reminder_days, duty_check_interval_days
from chempark.park.models import Enterprise, EnterpriseStatus, Unit


def _scoped(actor: Actor, queryset: QuerySet[M], path: str) -> QuerySet[M]:
    actor.require("hazard.read")
    return visible_to(actor, queryset, path)


def major_hazards_visible(actor: Actor) -> QuerySet[MajorHazard]:
    return _scoped(actor, MajorHazard.objects.select_related("unit", "enterprise", "assessment"), "enterprise_id")


def enterprise_major_hazard_levels(enterprise_ids: Iterable[int]) -> dict[int, int]:
    """Each enterprise's most hazardous (lowest) GB 18218 level among its open major hazard records —
    computed from the inventories, so a regrade is seen at once; enterprises without one are absent.

    The one source of an enterprise's major hazard level for other modules (the monitoring warning
    level). It serves the platform's own computations, not a user's view, so it takes no actor."""
    rows = (
        MajorHazard.objects.filter(enterprise_id__in=list(enterprise_ids), level__isnull=False)
        .exclude(status=HazardStatus.CANCELLED)
        .values("enterprise_id")
        .annotate(highest=Min("level"))
    )
    return {row["enterprise_id"]: row["highest"] for row in rows}


def major_hazard_search(
    actor: Actor,
    *,
    q: str = "",
    level: str = "",
    status: str = "",
    enterprise: str = "",
    include_cancelled: bool = False,
) -> QuerySet[MajorHazard]:
    """Major hazards matching a free-text query and exact filters (level 1-4 or "none", status, enterprise id)."""
    rows = major_hazards_visible(actor)
    if q.strip():
        text = q.strip()
        rows = rows.filter(
            Q(name__icontains=text)
            | Q(unit__name__icontains=text)
            | Q(enterprise__name__icontains=text)
            | Q(filing_number__icontains=text)
        )
    if level:
        if level == "none":
            rows = rows.filter(level__isnull=True)
        elif level in {"1", "2", "3", "4"}:
            rows = rows.filter(level=int(level))
        else:
            raise InvalidInput("级别筛选须为 1、2、3、4 或 none。", code=ErrorCode.INVALID_FILTER)
    if status:
        if status not in HazardStatus.values:
            raise InvalidInput(f"状态筛选须为 {', '.join(HazardStatus.values)}", code=ErrorCode.INVALID_FILTER)
        rows = rows.filter(status=status)
    elif not include_cancelled:
        rows = rows.exclude(status=HazardStatus.CANCELLED)
    if enterprise:
        try:
            rows = rows.filter(enterprise_id=parse_row_id(enterprise))
        except ValueError as exc:
            raise InvalidInput("企业筛选须为编号（整数）。", code=ErrorCode.INVALID_FILTER) from exc
    return rows.order_by("level", "-r", "id")


def major_hazard_get(actor: Actor, pk: int, *, for_update: bool = False) -> MajorHazard:
    queryset = (
        major_hazards_visible(actor) if not for_update else _scoped(actor, MajorHazard.objects.all(), "enterprise_id")
    )
    return one_visible(queryset, pk, "重大危险源", for_update=for_update)


def unit_get(actor: Actor, pk: int, *, for_update: bool = False) -> Unit:
    return one_visible(
        _scoped(actor, Unit.objects.select_related("enterprise"), "enterprise_id"), pk, "单元", for_update=for_update
    )


def enterprise_get(actor: Actor, pk: int) -> Enterprise:
    return one_visible(_scoped(actor, Enterprise.objects.all(), "id"), pk, "企业")


def unit_assessments(actor: Actor, unit_id: int) -> QuerySet[UnitAssessment]:
    """A unit's identification history, newest first."""
    unit = unit_get(actor, unit_id)
    return UnitAssessment.objects.filter(unit=unit).order_by("-computed_at", "-id")


def unit_latest_assessment(actor: Actor, unit_id: int) -> UnitAssessment | None:
    return unit_assessments(actor, unit_id).first()


def level_changes(actor: Actor, *, open_only: bool = False) -> QuerySet[LevelChange]:
    rows = _scoped(
        actor, LevelChange.objects.select_related("hazard__unit", "hazard__enterprise"), "hazard__enterprise_id"
    )
    return rows.filter(acknowledged_at__isnull=True) if open_only else rows


def level_change_get(actor: Actor, pk: int, *, for_update: bool = False) -> LevelChange:
    rows = _scoped(actor, LevelChange.objects.select_related("hazard"), "hazard__enterprise_id")
    return one_visible(rows, pk, "级别变化", for_update=for_update)


def guarantors(actor: Actor, hazard_id: int) -> QuerySet[Guarantor]:
    hazard = major_hazard_get(actor, hazard_id)
    return Guarantor.objects.filter(hazard=hazard).annotate(last_check=Max("checks__checked_on"))


def guarantor_get(actor: Actor, pk: int) -> Guarantor:
    rows = _scoped(actor, Guarantor.objects.select_related("hazard"), "hazard__enterprise_id")
    return one_visible(rows, pk, "包保责任人")


def duty_checks(actor: Actor, guarantor_id: int) -> QuerySet[DutyCheck]:
    return DutyCheck.objects.filter(guarantor=guarantor_get(actor, guarantor_id))


@dataclass(frozen=True)
class OverdueCheck:
    guarantor: Guarantor
    interval_days: int
    last_check: dt.date | None
    due_on: dt.date
    days_overdue: int
    last_findings: str = ""  # what the latest duty check found ("" when never checked)

    @property
    def never_checked(self) -> bool:
        return self.last_check is None


def interval_of(guarantor: Guarantor) -> int:
    return guarantor.check_interval_days or duty_check_interval_days(guarantor.role)


def overdue_duty_checks(
    actor: Actor, today: dt.date | None = None, *, enterprise_id: int | None = None
) -> list[OverdueCheck]:
    """Responsible persons of open major hazards whose next duty check is past due, most overdue first,
    with what their latest check found."""
    today = today or timezone.localdate()
    latest = DutyCheck.objects.filter(guarantor=OuterRef("pk")).order_by("-checked_on", "-id")
    rows = (
        _scoped(actor, Guarantor.objects.select_related("hazard__enterprise", "hazard__unit"), "hazard__enterprise_id")
        .exclude(hazard__status=HazardStatus.CANCELLED)
        .annotate(last_check=Max("checks__checked_on"), last_findings=Subquery(latest.values("findings")[:1]))
    )
    if enterprise_id is not None:
        rows = rows.filter(hazard__enterprise_id=enterprise_id)
    result = []
    for guarantor in rows:
        interval = interval_of(guarantor)
        last: dt.date | None = guarantor.last_check
        due = (last or guarantor.assigned_on) + dt.timedelta(days=interval)
        if due < today:
            overdue = OverdueCheck(guarantor, interval, last, due, (today - due).days, guarantor.last_findings or "")
            result.append(overdue)
    return sorted(result, key=lambda row: -row.days_overdue)


def safety_assessments_due(
    actor: Actor, today: dt.date | None = None, within_days: int | None = None
) -> QuerySet[MajorHazard]:
    """Open major hazards whose safety assessment is due within ``within_days`` (or past due, or never done)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=assessment_reminder_days() if within_days is None else within_days)
    return (
        major_hazards_visible(actor)
        .exclude(status=HazardStatus.CANCELLED)
        .filter(Q(next_safety_assessment_due__lte=horizon) | Q(next_safety_assessment_due__isnull=True))
        .order_by("next_safety_assessment_due", "id")
    )


def commitments(
    actor: Actor, *, date: dt.date | None = None, enterprise_id: int | None = None
) -> QuerySet[SafetyCommitment]:
    rows = _scoped(actor, SafetyCommitment.objects.select_related("enterprise"), "enterprise_id")
    if date is not None:
        rows = rows.filter(date=date)
    if enterprise_id is not None:
        rows = rows.filter(enterprise_id=enterprise_id)
    return rows.order_by("-date", "enterprise__name")


def enterprises_with_hazards(actor: Actor) -> QuerySet[Enterprise]:
    """The visible enterprises holding an open major hazard, for the to-do page's enterprise filter."""
    open_hazards = MajorHazard.objects.exclude(status=HazardStatus.CANCELLED).values("enterprise_id")
    return _scoped(actor, Enterprise.objects.filter(pk__in=open_hazards), "id").order_by("name")


def commitments_missing(actor: Actor, date: dt.date | None = None) -> QuerySet[Enterprise]:
    """Operating enterprises that have not submitted the commitment of ``date`` (default today)."""
    date = date or timezone.localdate()
    rows = _scoped(actor, Enterprise.objects.filter(status=EnterpriseStatus.OPERATING), "id")
    return rows.exclude(commitments__date=date).order_by("name")


def public_commitment(uscc: str, date: dt.date | None = None) -> tuple[Enterprise, SafetyCommitment | None]:
    """The gate screen's public notice: an enterprise (by its USCC) and its commitment of the day.

    Public by design (the notice is posted at the gate); shows nothing but the commitment itself.
    """
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise NotFound("未找到该企业。")
    date = date or timezone.localdate()
    return enterprise, SafetyCommitment.objects.filter(enterprise=enterprise, date=date).first()
