"""Pages of budget performance: the project list with the department summary, a project's page
(plan, chart, spending, the indicator table as the statement lays it out, the score), an indicator's
result and evidence, the import, training and education activities, and the report downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.budget import reports, selectors, services, workbook
from chempark.budget.models import ActivityKind, Grade
from chempark.budget.schemas import ActivityIn, IndicatorIn, SpendingIn, TraineeIn, WeightsIn
from chempark.core import figures
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import Conflict, DomainError, InvalidInput
from chempark.core.page_input import checked_input, form_input
from chempark.core.tables import columns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATE_LABELS = {"met": gettext_lazy("已达计划"), "behind": gettext_lazy("滞后"), "upcoming": gettext_lazy("未到期")}
LIST_COLUMNS = columns(
    gettext_lazy("序号"),
    gettext_lazy("项目名称"),
    gettext_lazy("预算数（万元）"),
    gettext_lazy("已支出（万元）"),
    gettext_lazy("预算执行率"),
    gettext_lazy("计划进度"),
    gettext_lazy("自评得分"),
)
ACTIVITY_COLUMNS = columns(
    gettext_lazy("日期"),
    gettext_lazy("类别"),
    gettext_lazy("主题"),
    gettext_lazy("组织单位"),
    gettext_lazy("参加人数"),
    gettext_lazy("考核合格人数"),
    gettext_lazy("发证数"),
)


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    budget_year = selectors.current_year(actor, request.GET.get("year"))
    views = selectors.year_views(actor, budget_year.year) if budget_year else []
    return render(
        request,
        "budget/list.html",
        {
            "budget_year": budget_year,
            "years": list(selectors.years(actor).values_list("year", flat=True)),
            "rows": views,
            "goals": list(budget_year.goals.order_by("position")) if budget_year else [],
            "summary": selectors.summary(views),
            "columns": LIST_COLUMNS,
            "can_import": actor.can("budget.import"),
        },
    )


def _detail_context(actor: Actor, pk: int) -> dict[str, Any]:
    project = selectors.project_get(actor, pk)
    view = selectors.project_view(project)
    groups: list[dict[str, Any]] = []
    for item in view.indicators:  # the level-1 cell spans its rows, as in the statement
        if not groups or groups[-1]["level1"] != item.row.level1:
            groups.append({"level1": item.row.level1, "items": []})
        groups[-1]["items"].append(item)
    return {
        "project": project,
        "view": view,
        "groups": groups,
        "chart": selectors.chart(view),
        "spending": selectors.spending(actor, project),
        "states": STATE_LABELS,
        "today": min(timezone.localdate(), dt.date(project.budget_year.year, 12, 31)),
        "can_spend": actor.can("budget.spend"),
        "can_evaluate": actor.can("budget.evaluate"),
    }


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "budget/detail.html", _detail_context(_actor(request), pk))


SPENDING_LABELS = {"date": "支出日期", "amount": "金额（万元）", "voucher": "凭证号", "note": "摘要"}


@login_required
@require_POST
def spending_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require("budget.spend")
    try:
        data = form_input(SpendingIn, request.POST, labels=SPENDING_LABELS)
        services.spending_record(actor=actor, project_id=pk, **data.model_dump())
    except InvalidInput as exc:
        context = _detail_context(actor, pk) | {
            "spending_error": _field_message(exc, SPENDING_LABELS),
            "form": request.POST,
        }
        return render(request, "budget/detail.html", context, status=exc.status)
    messages.success(request, _("已记录支出。"))
    return redirect("budget:detail", pk=pk)


@login_required
@require_POST
def spending_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require("budget.spend")
    try:
        row = services.spending_reverse(actor=actor, spending_id=pk, reason=request.POST.get("reason", ""))
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        project_id = selectors.spending_get(actor, pk).project_id
    else:
        messages.success(request, _("已冲销该笔支出。"))
        project_id = row.project_id
    return redirect("budget:detail", pk=project_id)


def _field_message(exc: InvalidInput, labels: dict[str, str]) -> str:
    """The refusal naming the field in the page's words (the service's message already does when
    it is about one field; a schema refusal lists them)."""
    if isinstance(exc.details, dict) and len(exc.details) == 1:
        (name,) = exc.details
        if name in labels and not exc.message.startswith(_("填写的内容有误")):
            return f"{_(labels[name])}：{exc.message}"
    return exc.message


@login_required
@require_POST
def weights_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    labels = {
        "execution": "预算执行权重",
        "output": "产出指标权重",
        "effect": "效益指标权重",
        "satisfaction": "满意度指标权重",
    }
    try:
        data = form_input(WeightsIn, request.POST, labels=labels)
        services.weights_update(actor=actor, project_id=pk, **data.model_dump())
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存自评权重。"))
    return redirect("budget:detail", pk=pk)


INDICATOR_LABELS = {
    "achieved_value": "实际完成值",
    "grade": "完成情况",
    "deviation_reason": "偏差原因",
    "figure_code": "平台数据",
}


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    indicator = selectors.indicator_get(actor, pk)
    error, status = "", 200
    if request.method == "POST":
        actor.require("budget.evaluate")
        try:
            data = form_input(IndicatorIn, request.POST, labels=INDICATOR_LABELS)
            upload = request.FILES.get("evidence")
            with transaction.atomic():  # the result and its evidence are saved together or not at all
                if upload is not None:
                    name, content = upload.name or "", upload.read()
                    services.evidence_attach(actor=actor, indicator_id=pk, filename=name, content=content)
                services.indicator_update(actor=actor, indicator_id=pk, **data.model_dump())
        except InvalidInput as exc:
            error, status = _field_message(exc, {**INDICATOR_LABELS, "file": "佐证材料"}), exc.status
        else:
            messages.success(request, _("已保存指标完成情况。"))
            return redirect("budget:detail", pk=indicator.project_id)
    figure = selectors.figure_of(indicator.figure_code) if indicator.figure_code else None
    view = selectors.project_view(indicator.project)
    value = next((item.achieved for item in view.indicators if item.row.pk == indicator.pk), None)
    return render(
        request,
        "budget/indicator.html",
        {
            "indicator": indicator,
            "figure": figure,
            "figure_value": value if figure else None,
            "figures": selectors.bindable_figures(),
            "grades": Grade.choices,
            "evidence": indicator.evidence.all(),
            "error": error,
            "can_evaluate": actor.can("budget.evaluate"),
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.evidence_get(_actor(request), pk)
    return _download(bytes(row.content), row.content_type, row.filename)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("budget.import")
    context: dict[str, Any] = {
        "year": timezone.localdate().year,
        "years": list(selectors.years(actor).values_list("year", flat=True)),
    }
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        year_text = request.POST.get("year", "").strip()
        context["year"] = year_text
        try:
            if upload is None:
                raise InvalidInput(_("请选择要导入的绩效目标文本文件。"), details={"file": ["必填"]})
            if not year_text.isdigit():
                raise InvalidInput(_("预算年度须为四位年份，如 2026。"), details={"year": ["须为整数"]})
            name, content, year = upload.name or "", upload.read(), int(year_text)
            if name.lower().endswith(".xlsx"):
                outcome = services.workbook_import(actor=actor, content=content, year=year, filename=name)
            else:
                outcome = services.document_import(actor=actor, data=content, year=year, filename=name)
            context["outcome"] = outcome
        except DomainError as exc:
            status = exc.status
            context["error"] = exc.message
            problems = exc.details.get("problems", []) if isinstance(exc.details, dict) else []
            context["problems"] = [p for p in problems if isinstance(p, dict)]
    return render(request, "budget/import.html", context, status=status)


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    """The xlsx template: a year's targets to copy for the next (``?year=``), or empty."""
    actor = _actor(request)
    actor.require("budget.import")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    content = workbook.export(selectors.year_document(actor, year))
    return _download(content, XLSX, f"performance-targets-{year or 'template'}.xlsx")


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    error, status = "", 200
    labels = {
        "kind": "类别",
        "topic": "主题",
        "date": "日期",
        "participants": "参加人数",
        "organizer": "组织单位",
        "passed": "考核合格人数",
        "certificates": "发证数",
        "note": "备注",
    }
    if request.method == "POST":
        actor.require("training.write")
        try:
            data = form_input(ActivityIn, request.POST, labels=labels)
            services.activity_create(actor=actor, **data.model_dump())
        except InvalidInput as exc:
            error, status = _field_message(exc, labels), exc.status
        else:
            messages.success(request, _("已记录活动。"))
            return redirect("budget:activities")
    year = timezone.localdate().year
    return render(
        request,
        "budget/activities.html",
        {
            "rows": selectors.activities(actor)[:200],
            "columns": ACTIVITY_COLUMNS,
            "kinds": ActivityKind.choices,
            "figures": [(f, f.value(year)) for f in figures.all_figures()],
            "year": year,
            "error": error,
            "form": request.POST if error else {},
            "can_write": actor.can("training.write"),
        },
        status=status,
    )


TRAINEE_LABELS = {"name": "姓名", "organization": "单位", "passed": "考核结果", "certificate_no": "证书编号"}
_PASSED = {"yes": True, "no": False}


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A training session and its name list: who took part, passed or failed, got a certificate."""
    actor = _actor(request)
    activity = selectors.activity_get(actor, pk)
    error, status = "", 200
    if request.method == "POST":
        actor.require("training.write")
        values = {key: request.POST.get(key, "").strip() for key in ("name", "organization", "certificate_no")}
        try:
            data = checked_input(
                TraineeIn, {**values, "passed": _PASSED.get(request.POST.get("passed", ""))}, labels=TRAINEE_LABELS
            )
            services.trainee_add(actor=actor, activity_id=pk, **data.model_dump())
        except InvalidInput as exc:
            error, status = _field_message(exc, TRAINEE_LABELS), exc.status
        else:
            messages.success(request, _("已添加参训人员。"))
            return redirect("budget:activity", pk=pk)
    return render(
        request,
        "budget/activity.html",
        {
            "activity": activity,
            "trainees": activity.trainees.all(),
            "error": error,
            "form": request.POST if error else {},
            "can_write": actor.can("training.write") and activity.kind == ActivityKind.TRAINING,
        },
        status=status,
    )


@login_required
def project_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.project_view(selectors.project_get(_actor(request), pk))
    return _download(reports.project_docx(view), DOCX, f"self-evaluation-{view.project.code}.docx")


@login_required
def project_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.project_view(selectors.project_get(_actor(request), pk))
    return _download(reports.project_xlsx(view), XLSX, f"self-evaluation-{view.project.code}.xlsx")


@login_required
def summary_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    actor = _actor(request)
    budget_year = selectors.year_get(actor, year)
    views = selectors.year_views(actor, year)
    return _download(reports.summary_xlsx(budget_year, views), XLSX, f"self-evaluation-{year}.xlsx")
