"""REST endpoints of budget performance: budget years and their import, projects with their
position and score, spending, indicator results, self-evaluation weights, platform figures,
training and education activities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from chempark.budget import selectors, services
from chempark.budget.models import Activity, Spending, Trainee
from chempark.budget.schemas import ActivityIn, ImportIn, IndicatorIn, ReversalIn, SpendingIn, TraineeIn, WeightsIn
from chempark.core import figures
from chempark.core.api import actor_of

router = Router(tags=["budget"])


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _project(view: selectors.ProjectView) -> dict[str, Any]:
    project = view.project
    return {
        "id": project.pk,
        "year": project.budget_year.year,
        "number": project.number,
        "code": project.code,
        "name": project.name,
        "budget": _text(project.budget),
        "fiscal_funds": _text(project.fiscal_funds),
        "other_funds": _text(project.other_funds),
        "spent": _text(view.spent),
        "remaining": _text(view.remaining),
        "execution_rate": _text(view.rate.quantize(Decimal("0.0001"))),
        "planned_percent_now": _text(view.planned_now),
        "behind_schedule": view.behind is not None,
        "score": _text(view.score.total),
        "rating": view.score.rating,
    }


def _detail(view: selectors.ProjectView) -> dict[str, Any]:
    project = view.project
    return {
        **_project(view),
        "purpose": project.purpose,
        "goals": project.goals,
        "weights": {
            "execution": project.weight_execution,
            "output": project.weight_output,
            "effect": project.weight_effect,
            "satisfaction": project.weight_satisfaction,
        },
        "checkpoints": [
            {
                "month": c.month,
                "due": c.due,
                "percent": _text(c.percent),
                "planned": _text(c.planned),
                "actual": _text(c.actual),
                "state": c.state,
            }
            for c in view.checkpoints
        ],
        "score_parts": {
            "execution": _text(view.score.execution),
            **{k: _text(v) for k, v in view.score.groups.items()},
        },
        "indicators": [
            {
                "id": i.row.pk,
                "level1": i.row.level1,
                "level2": i.row.level2,
                "level3": i.row.level3,
                "description": i.row.description,
                "target": i.row.target_text,
                "basis": i.row.basis,
                "operator": i.row.operator,
                "target_value": _text(i.row.target_value),
                "target_unit": i.row.target_unit,
                "figure_code": i.row.figure_code,
                "figure_available": i.figure.available if i.figure else None,
                "achieved_value": _text(i.achieved),
                "grade": i.row.grade,
                "deviation_reason": i.row.deviation_reason,
                "met": i.met,
                "points": _text(i.points),
            }
            for i in view.indicators
        ],
    }


def _project_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(selectors.project_view(selectors.project_get(actor_of(request), pk)))


@router.get("/budget/years", response=list[dict[str, Any]], summary="Budget years imported")
def list_years(request: HttpRequest) -> Any:
    return [
        {
            "year": row.year,
            "department_code": row.department_code,
            "department_name": row.department_name,
            "projects": getattr(row, "project_count", 0),
            "total_budget": _text(getattr(row, "total_budget", None)),
            "imported_at": row.imported_at,
        }
        for row in selectors.years(actor_of(request))
    ]


@router.post(
    "/budget/years/{year}/import",
    response=dict[str, Any],
    summary="Import the performance-target statement (its text) for a year; the same document again changes nothing",
)
def import_year(request: HttpRequest, year: int, payload: ImportIn) -> Any:
    outcome = services.document_import(
        actor=actor_of(request), data=payload.document.encode("utf-8"), year=year, filename=payload.filename
    )
    return outcome.as_dict()


@router.get("/budget/years/{year}/summary", response=dict[str, Any], summary="Department summary of a year")
def year_summary(request: HttpRequest, year: int) -> Any:
    actor = actor_of(request)
    selectors.year_get(actor, year)
    views = selectors.year_views(actor, year)
    total = selectors.summary(views)
    return {
        "year": year,
        **{k: _text(v) if isinstance(v, Decimal) else v for k, v in total.items()},
        "items": [_project(v) for v in views],
    }


@router.get("/budget/projects", response=list[dict[str, Any]], summary="Projects of a year with their position")
def list_projects(request: HttpRequest, year: int) -> Any:
    actor = actor_of(request)
    selectors.year_get(actor, year)
    return [_project(v) for v in selectors.year_views(actor, year)]


@router.get("/budget/projects/{id:pk}", response=dict[str, Any], summary="One project: plan, indicators, score")
def get_project(request: HttpRequest, pk: int) -> Any:
    return _project_detail(request, pk)


def _spending(row: Spending) -> dict[str, Any]:
    return {
        "id": row.pk,
        "date": row.date,
        "amount": _text(row.amount),
        "voucher": row.voucher,
        "note": row.note,
        "recorded_by": row.recorded_by,
        "recorded_at": row.recorded_at,
        "reversed_at": row.reversed_at,
        "reversed_by": row.reversed_by,
        "reversal_reason": row.reversal_reason,
    }


@router.get("/budget/projects/{id:pk}/spending", response=list[dict[str, Any]], summary="A project's spending")
def list_spending(request: HttpRequest, pk: int) -> Any:
    actor = actor_of(request)
    return [_spending(row) for row in selectors.spending(actor, selectors.project_get(actor, pk))]


@router.post(
    "/budget/projects/{id:pk}/spending",
    response={201: dict[str, Any]},
    summary="Record spending (refused over the remaining budget or outside the budget year)",
)
def record_spending(request: HttpRequest, pk: int, payload: SpendingIn) -> Any:
    row = services.spending_record(actor=actor_of(request), project_id=pk, **payload.model_dump())
    return Status(201, _spending(row))


@router.post(
    "/budget/spending/{id:pk}/reverse",
    response=dict[str, Any],
    summary="Reverse (冲销) a wrong spending entry: kept on record, no longer counted",
)
def reverse_spending(request: HttpRequest, pk: int, payload: ReversalIn) -> Any:
    return _spending(services.spending_reverse(actor=actor_of(request), spending_id=pk, reason=payload.reason))


@router.put("/budget/projects/{id:pk}/weights", response=dict[str, Any], summary="Self-evaluation weights (sum 100)")
def set_weights(request: HttpRequest, pk: int, payload: WeightsIn) -> Any:
    services.weights_update(actor=actor_of(request), project_id=pk, **payload.model_dump())
    return _project_detail(request, pk)


@router.put("/budget/indicators/{id:pk}", response=dict[str, Any], summary="An indicator's result or figure binding")
def set_indicator(request: HttpRequest, pk: int, payload: IndicatorIn) -> Any:
    row = services.indicator_update(actor=actor_of(request), indicator_id=pk, **payload.model_dump())
    return _project_detail(request, row.project_id)


@router.get("/budget/figures", response=list[dict[str, Any]], summary="Platform figures and their value in a year")
def list_figures(request: HttpRequest, year: int) -> Any:
    actor_of(request).require("budget.read")
    services.check_year(year)
    return [
        {
            "code": f.code,
            "name": f.name,
            "definition": f.definition,
            "unit": f.unit,
            "available": f.available,
            "value": _text(f.value(year)),
        }
        for f in figures.all_figures()
    ]


def _activity(row: Activity) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "topic": row.topic,
        "date": row.date,
        "organizer": row.organizer,
        "participants": row.participants,
        "passed": row.passed,
        "certificates": row.certificates,
        "note": row.note,
    }


@router.get("/budget/activities", response=list[dict[str, Any]], summary="Training and education activities")
def list_activities(request: HttpRequest, year: int | None = None) -> Any:
    return [_activity(row) for row in selectors.activities(actor_of(request), year)]


@router.post("/budget/activities", response={201: dict[str, Any]}, summary="Record a training or an activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    return Status(201, _activity(services.activity_create(actor=actor_of(request), **payload.model_dump())))


def _trainee(row: Trainee) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "organization": row.organization,
        "passed": row.passed,
        "certificate_no": row.certificate_no,
    }


@router.get("/budget/activities/{id:pk}/trainees", response=list[dict[str, Any]], summary="A training's name list")
def list_trainees(request: HttpRequest, pk: int) -> Any:
    return [_trainee(row) for row in selectors.activity_get(actor_of(request), pk).trainees.all()]


@router.post(
    "/budget/activities/{id:pk}/trainees",
    response={201: dict[str, Any]},
    summary="Add a trainee (pass or fail, certificate); the session's counts follow the list",
)
def add_trainee(request: HttpRequest, pk: int, payload: TraineeIn) -> Any:
    row = services.trainee_add(actor=actor_of(request), activity_id=pk, **payload.model_dump())
    return Status(201, _trainee(row))
