"""The special-operations page: ongoing operations, the filing and permit checks, statistics, the
filing form (enterprise) and online spot checks (bureau)."""

from __future__ import annotations

import datetime as dt

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
from chempark.supervision import operation_services, selectors
from chempark.supervision.models import OperationGrade, OperationKind
from chempark.supervision.operation_checks import Problem
from chempark.supervision.schemas import OperationIn, SpotCheckIn
from chempark.supervision.services import refuse
from chempark.supervision.views import FIELD_LABELS, actor_of, form

LABELS = {
    **FIELD_LABELS,
    "kind": gettext_lazy("作业类别"),
    "grade": gettext_lazy("作业级别"),
    "place": gettext_lazy("作业地点"),
    "starts_at": gettext_lazy("开始时间"),
    "ends_at": gettext_lazy("结束时间"),
    "permit_number": gettext_lazy("作业票编号"),
    "guardian": gettext_lazy("监护人"),
    "compliant": gettext_lazy("符合要求"),
}
PROBLEM_LABELS = {
    Problem.FILING_WITHOUT_PERMIT: gettext_lazy("有报备无作业票"),
    Problem.PERMIT_WITHOUT_FILING: gettext_lazy("有作业票无报备"),
    Problem.VALIDITY_OVER_LIMIT: gettext_lazy("作业时间超过规定时限"),
    Problem.OVERLAPPING_HOT_WORK: gettext_lazy("同一地点动火作业时间重叠"),
}


def _park_time(text: str, field: str) -> str:
    """A ``datetime-local`` value (no offset) as an instant in the park's time zone."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise refuse(field, _("时间格式有误。")) from None
    return (moment if moment.tzinfo else timezone.make_aware(moment)).isoformat()


@login_required
def operations(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        post = request.POST.copy()
        if actor.enterprise_id is not None:
            post["enterprise"] = str(actor.enterprise_id)
        try:
            for name in ("starts_at", "ends_at"):  # a datetime-local field has no offset: the park's time
                if post.get(name):
                    post[name] = _park_time(str(post.get(name)), name)
            values = form(OperationIn, post, LABELS)
            operation_services.operation_file(actor=actor, enterprise_id=values.pop("enterprise"), **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已报备。"))
            return redirect("supervision:operations")
    findings = selectors.operation_findings(actor)
    return render(
        request,
        "supervision/operations.html",
        {
            "ongoing": selectors.ongoing_operations(actor).prefetch_related("spot_checks"),
            "recent": selectors.operations(actor)[:50],
            "findings": [(PROBLEM_LABELS[f.problem], f) for f in findings],
            "stats": selectors.operation_statistics(actor),
            "kind_labels": dict(OperationKind.choices),
            "kinds": OperationKind.choices,
            "grades": OperationGrade.choices,
            "enterprises": [] if actor.enterprise_id else Enterprise.objects.order_by("name"),
            "can_file": actor.can("operation.file"),
            "can_check": actor.can("operation.check"),
        },
    )


@login_required
@require_POST
def spot_check(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        operation_services.spot_check(
            actor=actor_of(request), operation_id=pk, **form(SpotCheckIn, request.POST, LABELS)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("抽查结果已记录。"))
    return redirect("supervision:operations")
