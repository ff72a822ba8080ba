"""Reads of budget performance, and each project's position: spent, execution rate, the plan's
checkpoints, the indicators with their results (a bound figure's live value), the score.

Budget data belong to the bureau, not to an enterprise, so the scope is the capability alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from chempark.budget import document, scoring
from chempark.budget.models import Activity, ActivityKind, BudgetYear, Evidence, Indicator, Project, Spending
from chempark.budget.targets import Comparable, Operator, read_target
from chempark.core import figures
from chempark.core.actors import Actor
from chempark.core.errors import NotFound
from chempark.core.selectors import one_visible

_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=4))


def years(actor: Actor) -> QuerySet[BudgetYear]:
    actor.require("budget.read")
    return BudgetYear.objects.annotate(
        project_count=Count("projects", distinct=True), total_budget=Coalesce(Sum("projects__budget"), _ZERO)
    )


def year_get(actor: Actor, year: int) -> BudgetYear:
    row = years(actor).filter(year=year).first() if _plausible(year) else None
    if row is None:
        raise NotFound(f"没有 {year} 年度的预算绩效目标。")
    return row


def _plausible(year: int) -> bool:
    """A year the calendar and the database hold (a query for year 10^30 would overflow)."""
    return 1900 <= year <= 2199


def current_year(actor: Actor, wanted: str | None = None) -> BudgetYear | None:
    """The year asked for, else this calendar year's, else the latest imported."""
    rows = years(actor)
    if wanted and wanted.isdigit():
        return rows.filter(year=int(wanted)).first()
    return rows.filter(year=timezone.localdate().year).first() or rows.first()


def projects(actor: Actor, year: int | None = None) -> QuerySet[Project]:
    actor.require("budget.read")
    rows = Project.objects.select_related("budget_year")
    return rows if year is None else rows.filter(budget_year__year=year)


def project_get(actor: Actor, pk: int) -> Project:
    return one_visible(projects(actor), pk, "预算项目")


def spending(actor: Actor, project: Project) -> QuerySet[Spending]:
    """All entries of a project, reversed ones included (shown struck through)."""
    actor.require("budget.read")
    return project.spending.order_by("date", "id")


def spending_get(actor: Actor, pk: int) -> Spending:
    actor.require("budget.read")
    return one_visible(Spending.objects.all(), pk, "支出记录")


def counted_spending(project: Project) -> QuerySet[Spending]:
    """The entries that count as spent: all but the reversed ones."""
    return project.spending.filter(reversed_at__isnull=True)


def indicator_get(actor: Actor, pk: int) -> Indicator:
    actor.require("budget.read")
    return one_visible(Indicator.objects.select_related("project__budget_year"), pk, "绩效指标")


def evidence_get(actor: Actor, pk: int) -> Evidence:
    actor.require("budget.read")
    return one_visible(Evidence.objects.all(), pk, "佐证材料")


def activity_get(actor: Actor, pk: int) -> Activity:
    return one_visible(activities(actor), pk, "活动")


def activities(actor: Actor, year: int | None = None) -> QuerySet[Activity]:
    actor.require("budget.read")
    rows = Activity.objects.all()
    if year is None:
        return rows
    return rows.filter(date__year=year) if _plausible(year) else rows.none()


# --- A project's position -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorView:
    row: Indicator
    figure: figures.Figure | None
    achieved: Decimal | None  # the bound figure's value, else the hand-entered one
    points: Decimal | None
    met: bool | None

    @property
    def from_figure(self) -> bool:
        return self.figure is not None


@dataclass(frozen=True)
class ProjectView:
    project: Project
    spent: Decimal
    rate: Decimal  # 预算执行率, a fraction
    checkpoints: list[scoring.CheckpointState]
    planned_now: Decimal  # the plan's percentage at the last checkpoint passed
    behind: scoring.CheckpointState | None  # the latest passed checkpoint missed, if any
    indicators: list[IndicatorView]
    score: scoring.Score

    @property
    def remaining(self) -> Decimal:
        return self.project.budget - self.spent

    @property
    def rate_percent(self) -> Decimal:
        return percent(self.rate)


def percent(fraction: Decimal) -> Decimal:
    return (fraction * 100).quantize(Decimal("0.01"))


def _per_project(year: int) -> Decimal | None:
    """No value for a year as a whole: ``project_view`` computes it for each project."""
    return None


# The project's own 预算执行率, bindable like a platform figure (project 11 of the statement states
# "预算执行率 100" among its indicators); it follows the spending recorded against that project.
PROJECT_EXECUTION_RATE = figures.Figure(
    "project_execution_rate",
    "预算执行率",
    "本项目已支出（冲销的不计）÷ 预算数 × 100%，随支出记录自动更新。",
    "%",
    _per_project,
)


def figure_of(code: str) -> figures.Figure | None:
    """The figure an indicator may be bound to: the project's execution rate or a platform figure."""
    return PROJECT_EXECUTION_RATE if code == PROJECT_EXECUTION_RATE.code else figures.get(code)


def figure_named(name: str) -> figures.Figure | None:
    """The figure an indicator of this level-3 name is bound to on import, if any."""
    return PROJECT_EXECUTION_RATE if name == PROJECT_EXECUTION_RATE.name else figures.by_name(name)


def bindable_figures() -> list[figures.Figure]:
    return [PROJECT_EXECUTION_RATE, *figures.all_figures()]


def comparable_of(row: Indicator) -> Comparable | None:
    if row.target_value is None or not row.operator:
        return None
    return Comparable(Operator(row.operator), row.target_value, row.target_unit, "")


def plan_of(project: Project) -> list[tuple[int, Decimal]]:
    return [(int(c["month"]), Decimal(c["percent"])) for c in project.checkpoints]


def weights_of(project: Project) -> scoring.Weights:
    return scoring.Weights(
        project.weight_execution, project.weight_output, project.weight_effect, project.weight_satisfaction
    )


def project_view(
    project: Project, *, today: dt.date | None = None, figure_values: dict[str, Any] | None = None
) -> ProjectView:
    """Everything a project's page, the list and the reports show. ``figure_values`` caches figure
    values across the projects of one year."""
    today = today or timezone.localdate()
    year = project.budget_year.year
    entries = list(counted_spending(project).values_list("date", "amount"))
    spent = sum((amount for _day, amount in entries), Decimal(0))
    states = scoring.checkpoints(year, project.budget, plan_of(project), entries, today)
    passed = [s for s in states if s.state != "upcoming"]
    cache = figure_values if figure_values is not None else {}
    views, results = [], []
    rate = scoring.execution_rate(spent, project.budget)
    for row in project.indicators.all():
        figure = figure_of(row.figure_code) if row.figure_code else None
        if figure is PROJECT_EXECUTION_RATE:
            achieved: Decimal | None = percent(rate)
        elif figure is not None:
            if figure.code not in cache:
                cache[figure.code] = figure.value(year)
            achieved = cache[figure.code]
        else:
            achieved = row.achieved_value
        comparable = comparable_of(row)
        results.append(scoring.Result(row.level1, comparable, achieved, row.grade))
        met = comparable.met_by(achieved) if comparable is not None and achieved is not None else None
        views.append((row, figure, achieved, met))
    score = scoring.score(weights_of(project), spent, project.budget, results)
    return ProjectView(
        project,
        spent,
        rate,
        states,
        passed[-1].percent if passed else Decimal(0),
        passed[-1] if passed and passed[-1].state == "behind" else None,
        [
            IndicatorView(row, figure, achieved, points, met)
            for (row, figure, achieved, met), points in zip(views, score.indicator_points, strict=True)
        ],
        score,
    )


def year_views(actor: Actor, year: int) -> list[ProjectView]:
    cache: dict[str, Any] = {}
    rows = projects(actor, year).prefetch_related("indicators")
    return [project_view(project, figure_values=cache) for project in rows]


def chart(view: ProjectView, *, today: dt.date | None = None) -> dict[str, Any]:
    """Planned against actual cumulative spending at each month's end (万元), for the ECharts line
    chart; actual stops at the current month of the running year."""
    today = today or timezone.localdate()
    project, year = view.project, view.project.budget_year.year
    plan = plan_of(project)
    entries = list(counted_spending(project).values_list("date", "amount"))
    months = list(range(1, 13))
    last = 12 if today.year > year else (0 if today.year < year else today.month)
    planned = [float(project.budget * scoring.planned_share(m, plan) / 100) for m in months]
    actual = [
        float(sum((a for d, a in entries if d <= scoring.month_end(year, m)), Decimal(0))) if m <= last else None
        for m in months
    ]
    return {"months": [f"{m}月" for m in months], "planned": planned, "actual": actual, "budget": float(project.budget)}


def summary(views: list[ProjectView]) -> dict[str, Any]:
    """The department summary across projects: totals, execution rate, budget-weighted score."""
    budget = sum((v.project.budget for v in views), Decimal(0))
    spent = sum((v.spent for v in views), Decimal(0))
    weighted = sum((v.score.total * v.project.budget for v in views), Decimal(0))
    return {
        "projects": len(views),
        "budget": budget,
        "spent": spent,
        "rate": scoring.execution_rate(spent, budget),
        "rate_percent": percent(scoring.execution_rate(spent, budget)),
        "score": (weighted / budget).quantize(Decimal("0.01")) if budget else Decimal(0),
        "behind": sum(1 for v in views if v.behind is not None),
        "open_indicators": sum(v.score.open_indicators for v in views),
    }


# --- Figures of this module -----------------------------------------------------------------------


def training_person_times(year: int) -> Decimal:
    """培训人员人次: participants of the training sessions held in ``year``."""
    total = Activity.objects.filter(kind=ActivityKind.TRAINING, date__year=year).aggregate(n=Sum("participants"))["n"]
    return Decimal(total or 0)


def training_pass_rate(year: int) -> Decimal | None:
    """培训合格率 (%): passed ÷ examined participants of the year's training sessions; None before
    any examination (a rate of nothing, not 0 % and not 100 %)."""
    rows = Activity.objects.filter(kind=ActivityKind.TRAINING, date__year=year, passed__isnull=False)
    totals = rows.aggregate(examined=Sum("participants"), passed=Sum("passed"))
    if not totals["examined"]:
        return None
    rate: Decimal = (Decimal(totals["passed"]) * 100 / totals["examined"]).quantize(Decimal("0.01"))
    return rate


def year_document(actor: Actor, year: int | None) -> document.Document:
    """A year as the statement's reader would give it (for the xlsx template); empty without a year."""
    actor.require("budget.read")
    result = document.Document()
    if year is None:
        return result
    budget_year = year_get(actor, year)
    result.department_code, result.department_name = budget_year.department_code, budget_year.department_name
    result.goals = [
        document.DepartmentGoal(g.section, g.number, g.title, g.text) for g in budget_year.goals.order_by("position")
    ]
    for project in Project.objects.filter(budget_year=budget_year).prefetch_related("indicators").order_by("number"):
        table = document.ProjectTable(project.number, 0, project.name, project.code, project.name)
        table.budget, table.fiscal_funds, table.other_funds = project.budget, project.fiscal_funds, project.other_funds
        table.purpose, table.goals = project.purpose, list(project.goals)
        table.checkpoints = [document.Checkpoint(month, percent) for month, percent in plan_of(project)]
        table.indicators = [
            document.IndicatorRow(
                row.line,
                row.level1,
                row.level2,
                row.level3,
                row.description,
                row.target_text,
                row.basis,
                read_target(row.target_text),
            )
            for row in project.indicators.all()
        ]
        result.projects.append(table)
    return result
