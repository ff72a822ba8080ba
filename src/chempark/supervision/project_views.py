"""The 三同时 projects page: each project with its stage, the decisions so far, and (for the bureau)
the decision on its current stage; registering a project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.errors import DomainError
from chempark.park.models import Enterprise
from chempark.supervision import project_services, selectors, workflow
from chempark.supervision.schemas import DecisionIn, ProjectIn
from chempark.supervision.views import FIELD_LABELS, actor_of, form

LABELS = {
    **FIELD_LABELS,
    "name": gettext_lazy("项目名称"),
    "description": gettext_lazy("建设内容"),
    "passed": gettext_lazy("通过"),
    "decided_on": gettext_lazy("决定日期"),
    "documents": gettext_lazy("文件"),
    "note": gettext_lazy("意见"),
}
ACTION_LABELS = {
    "pass_conditions_review": gettext_lazy("安全条件审查决定"),
    "pass_design_review": gettext_lazy("安全设施设计审查决定"),
    "finish_trial_production": gettext_lazy("试生产结束"),
    "pass_completion_acceptance": gettext_lazy("竣工验收决定"),
}


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        try:
            values = form(ProjectIn, request.POST, LABELS)
            project_services.project_register(actor=actor, enterprise_id=values.pop("enterprise"), **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已登记。"))
            return redirect("supervision:projects")
    rows = selectors.projects(actor).prefetch_related("decisions")[:200]
    return render(
        request,
        "supervision/projects.html",
        {
            "rows": [(row, [(a, ACTION_LABELS[a]) for a in workflow.PROJECT.allowed(row.stage)]) for row in rows],
            "enterprises": Enterprise.objects.order_by("name"),
            "can_manage": actor.can("project.manage"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def project_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        values = form(DecisionIn, request.POST, LABELS)
        project_services.project_decide(actor=actor_of(request), project_id=pk, action=action, **values)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("supervision:projects")
