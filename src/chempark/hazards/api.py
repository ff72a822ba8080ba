"""REST endpoints of the major hazard registry: major hazards and their filing workflow, unit
identification history, level changes, responsible persons and duty checks, daily commitments."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chempark.core.api import Page, actor_of
from chempark.core.bounds import Date, RowId
from chempark.core.errors import InvalidInput
from chempark.hazards import selectors, services, workflow
from chempark.hazards.models import Guarantor, GuarantorRole, LevelChange, SafetyCommitment
from chempark.hazards.schemas import (
    ApproveFilingIn,
    AssessmentOut,
    CommitmentIn,
    CommitmentOut,
    DutyCheckIn,
    DutyCheckOut,
    EnterpriseRefOut,
    GuarantorIn,
    GuarantorOut,
    HazardFilters,
    LevelChangeOut,
    MajorHazardDetailOut,
    MajorHazardOut,
    OverdueOut,
    ReasonIn,
    RegisterIn,
    SafetyAssessmentIn,
    decimal_text,
)
from chempark.hazards.selectors import interval_of

router = Router(tags=["hazards"])


def _guarantor(row: Guarantor) -> dict[str, Any]:
    return {
        "id": row.pk,
        "hazard": row.hazard_id,
        "role": row.role,
        "name": row.name,
        "position": row.position,
        "phone": row.phone,
        "check_interval_days": interval_of(row),
        "assigned_on": row.assigned_on,
        "last_check": getattr(row, "last_check", None),
    }


def _level_change(row: LevelChange) -> dict[str, Any]:
    return {
        "id": row.pk,
        "hazard": row.hazard_id,
        "hazard_name": str(row.hazard),
        "before": row.before_id,
        "after": row.after_id,
        "old_s": decimal_text(row.old_s),
        "new_s": decimal_text(row.new_s),
        "old_level": row.old_level,
        "new_level": row.new_level,
        "raised_at": row.raised_at,
        "acknowledged_at": row.acknowledged_at,
        "acknowledged_by": row.acknowledged_by,
    }


def _commitment(row: SafetyCommitment) -> dict[str, Any]:
    return {
        **{
            f: getattr(row, f)
            for f in (
                "id",
                "date",
                "units_running",
                "units_under_maintenance",
                "special_operations",
                "special_operations_note",
                "hazards_under_control",
                "principal_name",
                "commitment",
                "submitted_at",
                "submitted_by",
                "late",
            )
        },
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor = actor_of(request)
    hazard = selectors.major_hazard_get(actor, pk)
    return {
        **MajorHazardOut.from_row(hazard),
        "latest_assessment": AssessmentOut.from_row(hazard.assessment),
        "transitions": list(hazard.transitions.all()),
        "guarantors": [_guarantor(g) for g in selectors.guarantors(actor, pk)],
    }


# --- Major hazards ---------------------------------------------------------------------------------


class MajorHazardPage(Page):
    """The page is cut in SQL (LIMIT/OFFSET) and only its rows are turned into answers: building
    every row first made the same 50-row page twelve times slower at ten times the data."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [MajorHazardOut.from_row(row) for row in page[self.items_attribute]]
        return page


@router.get("/major-hazards", response=list[MajorHazardOut], summary="List major hazards")
@paginate(MajorHazardPage)
def list_major_hazards(request: HttpRequest, filters: Query[HazardFilters]) -> Any:
    return selectors.major_hazard_search(actor_of(request), **filters.dict())


@router.get("/major-hazards/{id:pk}", response=MajorHazardDetailOut, summary="Read one major hazard")
def get_major_hazard(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post(
    "/major-hazards/{id:pk}/register",
    response=MajorHazardDetailOut,
    summary="Register (登记建档): identified → registered",
)
def register_major_hazard(request: HttpRequest, pk: int, payload: RegisterIn) -> Any:
    services.major_hazard_register(actor=actor_of(request), hazard_id=pk, **payload.model_dump())
    return _detail(request, pk)


@router.post(
    "/major-hazards/{id:pk}/approve-filing",
    response=MajorHazardDetailOut,
    summary="Approve the filing (备案) with its number and date: filing_submitted → filed",
)
def approve_filing(request: HttpRequest, pk: int, payload: ApproveFilingIn) -> Any:
    services.major_hazard_approve_filing(actor=actor_of(request), hazard_id=pk, **payload.model_dump())
    return _detail(request, pk)


def _register_reason_transition(action: workflow.Action) -> None:
    service = services.TRANSITION_SERVICES[action]
    path = action.value.replace("_", "-")

    def transition(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
        actor = actor_of(request)
        if action is workflow.Action.SUBMIT_FILING:
            service(actor=actor, hazard_id=pk)
        else:
            service(actor=actor, hazard_id=pk, reason=payload.reason)
        return _detail(request, pk)

    transition.__name__ = f"{action.value}_major_hazard"
    router.post(
        f"/major-hazards/{{id:pk}}/{path}",
        response=MajorHazardDetailOut,
        operation_id=f"{action.value}_major_hazard",
        summary=f"Workflow: {action.value}",
    )(transition)


for _action in services.TRANSITION_SERVICES:
    _register_reason_transition(_action)


@router.post(
    "/major-hazards/{id:pk}/safety-assessment",
    response=MajorHazardDetailOut,
    summary="Record the safety assessment (due again in 3 years)",
)
def record_safety_assessment(request: HttpRequest, pk: int, payload: SafetyAssessmentIn) -> Any:
    services.major_hazard_record_safety_assessment(actor=actor_of(request), hazard_id=pk, **payload.model_dump())
    return _detail(request, pk)


@router.put(
    "/major-hazards/{id:pk}/guarantors/{role}",
    response=GuarantorOut,
    summary="Name the responsible person (包保责任人) of a role",
)
def assign_guarantor(request: HttpRequest, pk: int, role: GuarantorRole, payload: GuarantorIn) -> Any:
    row = services.guarantor_assign(actor=actor_of(request), hazard_id=pk, role=role.value, **payload.model_dump())
    return _guarantor(row)


@router.get(
    "/safety-assessments/due",
    response=list[MajorHazardOut],
    summary="Major hazards whose safety assessment is due soon, overdue or missing",
)
@paginate(Page)
def assessments_due(request: HttpRequest) -> Any:
    return [MajorHazardOut.from_row(row) for row in selectors.safety_assessments_due(actor_of(request))]


# --- Unit identification ----------------------------------------------------------------------------


@router.get(
    "/units/{id:pk}/assessments",
    response=list[AssessmentOut],
    summary="A unit's GB 18218 identification history, newest first",
)
@paginate(Page)
def unit_assessments(request: HttpRequest, pk: int) -> Any:
    return [AssessmentOut.from_row(row) for row in selectors.unit_assessments(actor_of(request), pk)]


@router.post(
    "/units/{id:pk}/reassess", response={200: AssessmentOut, 204: None}, summary="Recompute a unit's identification now"
)
def reassess_unit(request: HttpRequest, pk: int) -> Any:
    row = services.unit_reassess(actor=actor_of(request), unit_id=pk)
    return AssessmentOut.from_row(row) if row is not None else Status(204, None)


# --- Level changes ---------------------------------------------------------------------------------


@router.get("/level-changes", response=list[LevelChangeOut], summary="Level changes raised by recomputations")
@paginate(Page)
def list_level_changes(request: HttpRequest, open: bool = False) -> Any:
    return [_level_change(row) for row in selectors.level_changes(actor_of(request), open_only=open)]


@router.post(
    "/level-changes/{id:pk}/acknowledge", response=LevelChangeOut, summary="The bureau acknowledges a level change"
)
def acknowledge_level_change(request: HttpRequest, pk: int) -> Any:
    return _level_change(services.level_change_acknowledge(actor=actor_of(request), change_id=pk))


# --- Duty checks ------------------------------------------------------------------------------------


@router.get("/guarantors/{id:pk}/duty-checks", response=list[DutyCheckOut], summary="A person's duty checks")
@paginate(Page)
def list_duty_checks(request: HttpRequest, pk: int) -> Any:
    return [
        {
            "id": c.pk,
            "guarantor": c.guarantor_id,
            "checked_on": c.checked_on,
            "findings": c.findings,
            "recorded_at": c.recorded_at,
            "recorded_by": c.recorded_by,
        }
        for c in selectors.duty_checks(actor_of(request), pk)
    ]


@router.post("/guarantors/{id:pk}/duty-checks", response={201: DutyCheckOut}, summary="Record a duty check")
def record_duty_check(request: HttpRequest, pk: int, payload: DutyCheckIn) -> Any:
    c = services.duty_check_record(actor=actor_of(request), guarantor_id=pk, **payload.model_dump())
    return Status(
        201,
        {
            "id": c.pk,
            "guarantor": c.guarantor_id,
            "checked_on": c.checked_on,
            "findings": c.findings,
            "recorded_at": c.recorded_at,
            "recorded_by": c.recorded_by,
        },
    )


@router.get("/duty-checks/overdue", response=list[OverdueOut], summary="Responsible persons with overdue checks")
@paginate(Page)
def overdue_duty_checks(request: HttpRequest) -> Any:
    return [
        {
            "guarantor": _guarantor(row.guarantor),
            "hazard_name": str(row.guarantor.hazard),
            "enterprise": row.guarantor.hazard.enterprise_id,
            "enterprise_name": row.guarantor.hazard.enterprise.name,
            "interval_days": row.interval_days,
            "last_check": row.last_check,
            "due_on": row.due_on,
            "days_overdue": row.days_overdue,
        }
        for row in selectors.overdue_duty_checks(actor_of(request))
    ]


# --- Daily commitments -------------------------------------------------------------------------------


@router.get("/safety-commitments", response=list[CommitmentOut], summary="Daily safety commitments")
@paginate(Page)
def list_commitments(request: HttpRequest, date: Date | None = None, enterprise: RowId | None = None) -> Any:
    rows = selectors.commitments(actor_of(request), date=date, enterprise_id=enterprise)
    return [_commitment(row) for row in rows]


@router.post("/safety-commitments", response={201: CommitmentOut}, summary="Submit today's safety commitment")
def submit_commitment(request: HttpRequest, payload: CommitmentIn) -> Any:
    actor = actor_of(request)
    values = payload.model_dump()
    enterprise_id = values.pop("enterprise") or actor.enterprise_id
    if enterprise_id is None:
        raise InvalidInput("请指定企业。", details={"enterprise": ["必填"]})
    row = services.commitment_submit(actor=actor, enterprise_id=enterprise_id, **values)
    return Status(201, _commitment(row))


@router.get(
    "/safety-commitments/missing",
    response=list[EnterpriseRefOut],
    summary="Operating enterprises without a commitment for the day",
)
@paginate(Page)
def missing_commitments(request: HttpRequest, date: Date | None = None) -> Any:
    return selectors.commitments_missing(actor_of(request), date)
