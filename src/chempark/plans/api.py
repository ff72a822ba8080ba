"""REST endpoints of plans, drills, the working-day calendar and public warnings.

A plan document is uploaded as the raw request body (PDF or DOCX bytes; its kind is read from the
bytes), with the version and review record in the query: no multipart parsing, and the size limit
of every request body applies."""

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from chempark.core.api import Page, actor_of
from chempark.core.bounds import Date
from chempark.plans import selectors, services
from chempark.plans.models import PublicWarning
from chempark.plans.schemas import (
    ActionDoneIn,
    ActionIn,
    ActionOut,
    CalendarDayIn,
    CalendarDayOut,
    CancelIn,
    ComplianceOut,
    DrillDoneIn,
    DrillIn,
    DrillOut,
    EvaluationIn,
    FilingIn,
    MatchFilters,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPatch,
    VersionOut,
    WarningIn,
    WarningOut,
)

router = Router(tags=["plans"])


def _plan(actor: Any, pk: int) -> dict[str, Any]:
    return PlanOut.from_row(selectors.annotate_dues([selectors.plan_get(actor, pk)])[0])


# --- Calendar ------------------------------------------------------------------------------------


class YearFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2199)


@router.get("/work-calendar", response=list[CalendarDayOut], summary="Public holidays and make-up working days")
def list_calendar(request: HttpRequest, filters: Query[YearFilter]) -> Any:
    return list(selectors.calendar_days(actor_of(request), filters.year))


@router.put("/work-calendar", response=CalendarDayOut, summary="Set a holiday or make-up working day")
def set_calendar_day(request: HttpRequest, payload: CalendarDayIn) -> Any:
    return services.calendar_day_set(actor=actor_of(request), **payload.dict())


@router.delete("/work-calendar/{date}", response={204: None}, summary="Remove a day from the arrangement")
def delete_calendar_day(request: HttpRequest, date: Date) -> Any:
    services.calendar_day_delete(actor=actor_of(request), date=date)
    return Status(204, None)


# --- Plans ---------------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="List or search plans (Chinese full text)")
@paginate(Page)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    rows = selectors.plan_search(actor_of(request), q=filters.q, kind=filters.kind, filing=filters.filing)
    return [PlanOut.from_row(p) for p in rows]


@router.get("/plans/matching", response=list[PlanOut], summary="Plans that may apply to an incident")
def matching_plans(request: HttpRequest, filters: Query[MatchFilters]) -> Any:
    actor = actor_of(request)
    rows = selectors.plans_matching(actor, filters.enterprise, filters.chemicals, filters.incident_type)
    return [PlanOut.from_row(p) for p in selectors.annotate_dues(rows)]


@router.get("/plans/filing-overdue", response=list[PlanOut], summary="Published plans past their filing due date")
def filing_overdue(request: HttpRequest) -> Any:
    return [PlanOut.from_row(p) for p in selectors.filing_overdue(actor_of(request))]


@router.post("/plans", response={201: PlanOut}, summary="Create a plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    actor = actor_of(request)
    plan = services.plan_create(actor=actor, **payload.dict())
    return Status(201, _plan(actor, plan.pk))


@router.get("/plans/{id:pk}", response=PlanOut, summary="Read one plan")
def get_plan(request: HttpRequest, pk: int) -> Any:
    return _plan(actor_of(request), pk)


@router.patch("/plans/{id:pk}", response=PlanOut, summary="Change a plan")
def update_plan(request: HttpRequest, pk: int, payload: PlanPatch) -> Any:
    actor = actor_of(request)
    services.plan_update(actor=actor, pk=pk, **payload.dict(exclude_unset=True))
    return _plan(actor, pk)


@router.post("/plans/{id:pk}/filing", response=PlanOut, summary="Record the plan's filing")
def file_plan(request: HttpRequest, pk: int, payload: FilingIn) -> Any:
    actor = actor_of(request)
    services.plan_file(actor=actor, pk=pk, **payload.dict())
    return _plan(actor, pk)


@router.post("/plans/{id:pk}/evaluation", response=PlanOut, summary="Record the plan's evaluation")
def evaluate_plan(request: HttpRequest, pk: int, payload: EvaluationIn) -> Any:
    actor = actor_of(request)
    services.plan_evaluate(actor=actor, pk=pk, **payload.dict())
    return _plan(actor, pk)


@router.get("/plans/{id:pk}/versions", response=list[VersionOut], summary="A plan's documents")
def list_versions(request: HttpRequest, pk: int) -> Any:
    return [VersionOut.from_row(v) for v in selectors.plan_versions(actor_of(request), pk)]


class VersionQuery(Schema):
    version: str = Field(min_length=1, max_length=20)
    file_name: str = Field(min_length=1, max_length=200)
    reviewed_on: Date | None = None
    review_experts: str = Field("", max_length=500)
    review_conclusion: str = Field("", max_length=5000)


@router.post("/plans/{id:pk}/versions", response={201: VersionOut}, summary="Upload a document (raw PDF/DOCX body)")
def upload_version(request: HttpRequest, pk: int, meta: Query[VersionQuery]) -> Any:
    review = services.Review(meta.reviewed_on, meta.review_experts, meta.review_conclusion)
    row = services.plan_version_add(
        actor=actor_of(request),
        plan_id=pk,
        version=meta.version,
        file_name=meta.file_name,
        content=request.body,
        review=review,
    )
    return Status(201, VersionOut.from_row(row))


@router.get("/plan-versions/{id:pk}/file", summary="Download a plan document")
def download_version(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.plan_version_get(actor_of(request), pk)
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.file_name)}"
    return response


# --- Drills --------------------------------------------------------------------------------------


class DrillFilters(Schema):
    q: str = Field("", max_length=200)
    kind: str = Field("", max_length=16)
    done: str = Field("", pattern="^(|yes|no)$")


@router.get("/drills", response=list[DrillOut], summary="List drills")
@paginate(Page)
def list_drills(request: HttpRequest, filters: Query[DrillFilters]) -> Any:
    return [DrillOut.from_row(d) for d in selectors.drill_search(actor_of(request), **filters.dict())]


@router.post("/drills", response={201: DrillOut}, summary="Plan or record a drill")
def create_drill(request: HttpRequest, payload: DrillIn) -> Any:
    return Status(201, DrillOut.from_row(services.drill_create(actor=actor_of(request), **payload.dict())))


@router.get("/drills/compliance", response=list[ComplianceOut], summary="Drill requirements per enterprise")
def drill_compliance(request: HttpRequest, overdue: bool = False) -> Any:
    return [
        {
            "enterprise": r.enterprise.pk,
            "enterprise_name": r.enterprise.name,
            "plan": r.plan.pk if r.plan else None,
            "plan_title": r.plan.title if r.plan else None,
            "last_drill": r.last_drill,
            "due": r.due,
            "overdue": r.overdue,
        }
        for r in selectors.drill_compliance(actor_of(request), overdue_only=overdue)
    ]


@router.get("/drills/{id:pk}", response=DrillOut, summary="Read one drill")
def get_drill(request: HttpRequest, pk: int) -> Any:
    return DrillOut.from_row(selectors.drill_get(actor_of(request), pk))


@router.post("/drills/{id:pk}/done", response=DrillOut, summary="Record that a drill took place")
def record_drill(request: HttpRequest, pk: int, payload: DrillDoneIn) -> Any:
    return DrillOut.from_row(services.drill_record(actor=actor_of(request), pk=pk, **payload.dict()))


@router.get("/drills/{id:pk}/actions", response=list[ActionOut], summary="A drill's improvement actions")
def list_actions(request: HttpRequest, pk: int) -> Any:
    drill = selectors.drill_get(actor_of(request), pk)
    return [ActionOut.from_row(a) for a in drill.actions.all()]


@router.post("/drills/{id:pk}/actions", response={201: ActionOut}, summary="Add an improvement action")
def add_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    row = services.action_add(actor=actor_of(request), drill_id=pk, **payload.dict())
    return Status(201, ActionOut.from_row(row))


@router.post("/drill-actions/{id:pk}/complete", response=ActionOut, summary="Mark an improvement action done")
def complete_action(request: HttpRequest, pk: int, payload: ActionDoneIn) -> Any:
    return ActionOut.from_row(services.action_complete(actor=actor_of(request), pk=pk, **payload.dict()))


# --- Public warnings ------------------------------------------------------------------------------


def _warning(warning: PublicWarning) -> dict[str, Any]:
    fields = [n for n in WarningOut.model_fields if n not in ("id", "messages")]
    return {
        "id": warning.pk,
        **{n: getattr(warning, n) for n in fields},
        "messages": [
            {
                "identifier": m.identifier,
                "msg_type": m.msg_type,
                "sent": m.sent,
                "url": reverse("plans:cap", args=[m.identifier]),
            }
            for m in selectors.warning_messages(warning)
        ],
    }


@router.get("/warnings", response=list[WarningOut], summary="List public warnings")
@paginate(Page)
def list_warnings(request: HttpRequest) -> Any:
    return [_warning(w) for w in selectors.warnings_visible(actor_of(request))]


@router.post("/warnings", response={201: WarningOut}, summary="Compose a warning (draft)")
def create_warning(request: HttpRequest, payload: WarningIn) -> Any:
    return Status(201, _warning(services.warning_create(actor=actor_of(request), **payload.dict())))


@router.get("/warnings/{id:pk}", response=WarningOut, summary="Read one warning")
def get_warning(request: HttpRequest, pk: int) -> Any:
    return _warning(selectors.warning_get(actor_of(request), pk))


@router.patch("/warnings/{id:pk}", response=WarningOut, summary="Change a draft warning")
def edit_warning(request: HttpRequest, pk: int, payload: WarningIn) -> Any:
    return _warning(services.warning_edit(actor=actor_of(request), pk=pk, **payload.dict()))


@router.post("/warnings/{id:pk}/publish", response=WarningOut, summary="Publish as CAP Alert")
def publish_warning(request: HttpRequest, pk: int) -> Any:
    message = services.warning_publish(actor=actor_of(request), pk=pk)
    return _warning(message.warning)


@router.post("/warnings/{id:pk}/update", response=WarningOut, summary="Change and send a CAP Update")
def update_warning(request: HttpRequest, pk: int, payload: WarningIn) -> Any:
    message = services.warning_update(actor=actor_of(request), pk=pk, **payload.dict())
    return _warning(message.warning)


@router.post("/warnings/{id:pk}/cancel", response=WarningOut, summary="Lift the warning: a CAP Cancel")
def cancel_warning(request: HttpRequest, pk: int, payload: CancelIn) -> Any:
    message = services.warning_cancel(actor=actor_of(request), pk=pk, note=payload.note)
    return _warning(message.warning)
