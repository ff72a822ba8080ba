"""Pages of the hidden-danger closed loop: the list, reporting, a danger's page with its steps (usable
on a phone: the enterprise user uploads the rectification photo there), the photos, reminders and
rates. Inspections and cases have their pages in :mod:`chempark.supervision.inspection_views`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.page_input import S, form_input
from chempark.core.tables import columns
from chempark.park.models import Enterprise
from chempark.supervision import selectors, services, workflow
from chempark.supervision.models import (
    Campaign,
    DangerGrade,
    DangerSource,
    DangerStatusChoice,
    MajorDangerCriterion,
)
from chempark.supervision.schemas import DangerIn, NoteIn, OrderIn

ACTION_LABELS = {
    "report": gettext_lazy("登记隐患"),
    "order": gettext_lazy("下达整改"),
    "start": gettext_lazy("开始整改"),
    "submit": gettext_lazy("提交复查"),
    "verify_pass": gettext_lazy("复查通过"),
    "verify_fail": gettext_lazy("复查不通过"),
    "close_out": gettext_lazy("销号"),
}

FIELD_LABELS = {
    "enterprise": gettext_lazy("企业"),
    "source": gettext_lazy("来源"),
    "grade": gettext_lazy("等级"),
    "description": gettext_lazy("隐患描述"),
    "location": gettext_lazy("部位"),
    "found_on": gettext_lazy("发现日期"),
    "criteria": gettext_lazy("重大隐患判定依据"),
    "campaign": gettext_lazy("专项行动"),
    "plan": gettext_lazy("整改方案"),
    "owner": gettext_lazy("整改负责人"),
    "deadline": gettext_lazy("整改期限"),
    "interim_measures": gettext_lazy("临时管控措施"),
    "funds_yuan": gettext_lazy("整改资金 (元)"),
    "note": gettext_lazy("说明"),
}


def actor_of(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


def form(schema: type[S], post: Any, labels: dict[str, Any] | None = None) -> dict[str, Any]:
    """The posted form checked by the API's schema, as keyword arguments."""
    names = {k: str(v) for k, v in (labels or FIELD_LABELS).items()}
    return form_input(schema, post, labels=names).model_dump()


def paged(request: HttpRequest, rows: Any, per_page: int = 25) -> tuple[Any, str]:
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(rows, per_page).get_page(request.GET.get("page")), query.urlencode()


DANGER_COLUMNS = columns(
    gettext_lazy("隐患描述"),
    gettext_lazy("企业"),
    gettext_lazy("等级"),
    gettext_lazy("来源"),
    gettext_lazy("发现日期"),
    gettext_lazy("整改期限"),
    gettext_lazy("状态"),
)


TRANSITION_COLUMNS = columns(
    gettext_lazy("时间"), gettext_lazy("操作"), gettext_lazy("状态"), gettext_lazy("操作人"), gettext_lazy("说明")
)
REMINDER_COLUMNS = columns(
    gettext_lazy("隐患描述"),
    gettext_lazy("企业"),
    gettext_lazy("等级"),
    gettext_lazy("整改负责人"),
    gettext_lazy("整改期限"),
    gettext_lazy("状态"),
)
RATE_COLUMNS = columns(
    gettext_lazy("名称"),
    gettext_lazy("发现隐患"),
    gettext_lazy("已整改"),
    gettext_lazy("逾期"),
    gettext_lazy("整改率"),
    gettext_lazy("逾期率"),
)


@login_required
def danger_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    enterprise = request.GET.get("enterprise", "")
    rows = selectors.danger_search(
        actor,
        q=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        grade=request.GET.get("grade", ""),
        enterprise=int(enterprise) if enterprise.isdigit() else None,
        overdue=request.GET.get("overdue") == "1",
    )
    page, query = paged(request, rows)
    return render(
        request,
        "supervision/danger_list.html",
        {
            "page": page,
            "query": query,
            "q": request.GET.get("q", ""),
            "columns": DANGER_COLUMNS,
            "today": timezone.localdate(),
            "menus": [
                {"name": "status", "label": _("状态"), "choices": DangerStatusChoice.choices},
                {"name": "grade", "label": _("等级"), "choices": DangerGrade.choices},
                {"name": "overdue", "label": _("逾期"), "choices": [("1", _("仅逾期"))]},
            ],
            "can_report": actor.can("danger.report"),
        },
    )


@login_required
def danger_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    actor.require("danger.report")
    if request.method == "POST":
        try:
            post = request.POST.copy()
            if actor.enterprise_id is not None:
                post["enterprise"] = str(actor.enterprise_id)
                post["source"] = DangerSource.SELF_INVESTIGATION
            values = form(DangerIn, post)
            values["criteria"] = [int(v) for v in request.POST.getlist("criteria") if v.isdigit()]
            danger = services.danger_report(
                actor=actor, enterprise_id=values.pop("enterprise"), campaign_id=values.pop("campaign"), **values
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("隐患已登记。"))
            return redirect("supervision:danger", pk=danger.pk)
    enterprises = Enterprise.objects.order_by("name")
    scope = selectors.service_enterprises(actor)
    if scope is not None:
        enterprises = enterprises.filter(pk__in=scope)
    return render(
        request,
        "supervision/danger_new.html",
        {
            "enterprises": [] if actor.enterprise_id else enterprises,
            "sources": [c for c in DangerSource.choices if scope is None or c[0] in services.SERVICE_SOURCES],
            "grades": DangerGrade.choices,
            "criteria": MajorDangerCriterion.objects.filter(active=True),
            "campaigns": Campaign.objects.all() if actor.can("inspection.read") else [],
            "today": timezone.localdate(),
            "post": request.POST,
        },
    )


@login_required
def danger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    danger = selectors.danger_get(actor, pk)
    allowed = workflow.HIDDEN_DANGER.allowed(danger.status)
    step_capability = {t.action: t.capability for t in workflow.HIDDEN_DANGER.transitions}
    today = timezone.localdate()
    overdue = danger.overdue_on(today)
    return render(
        request,
        "supervision/danger_detail.html",
        {
            "danger": danger,
            "actions": [a for a in allowed if actor.can(step_capability[a])],
            "transitions": [(t, ACTION_LABELS.get(t.action, t.action)) for t in danger.transitions.all()],
            "transition_columns": TRANSITION_COLUMNS,
            "evidence": danger.evidence.all().only("id", "caption", "uploaded_at", "uploaded_by"),
            "can_upload": danger.status == workflow.DangerStatus.RECTIFYING and actor.can("danger.rectify"),
            "can_escalate": overdue and danger.escalated_at is None and actor.can("danger.manage"),
            "overdue": overdue,
            "today": today,
            "can_read_inspections": actor.can("inspection.read"),
        },
    )


@login_required
def evidence_image(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    evidence = selectors.evidence_get(actor_of(request), pk, evidence_id)
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo(request: HttpRequest) -> bytes:
    upload = request.FILES.get("photo")
    if upload is None:
        raise services.refuse("photo", _("请选择整改照片。"))
    if upload.size is not None and upload.size > services.EVIDENCE_MAX_BYTES:
        raise services.refuse("photo", _("整改照片过大。"))
    return bytes(upload.read(services.EVIDENCE_MAX_BYTES + 1))


@login_required
@require_POST
def danger_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor, post = actor_of(request), request.POST
    try:
        if action == "order":
            services.danger_order(actor=actor, danger_id=pk, **form(OrderIn, post))
        elif action == "start":
            services.danger_start(actor=actor, danger_id=pk, **form(NoteIn, post))
        elif action == "evidence":
            services.evidence_add(actor=actor, danger_id=pk, content=_photo(request), caption=post.get("caption", ""))
        elif action == "submit":
            services.danger_submit(actor=actor, danger_id=pk, **form(NoteIn, post))
        elif action in ("verify_pass", "verify_fail"):
            services.danger_verify(actor=actor, danger_id=pk, passed=action == "verify_pass", **form(NoteIn, post))
        elif action == "close_out":
            services.danger_close_out(actor=actor, danger_id=pk, **form(NoteIn, post))
        elif action == "escalate":
            services.danger_escalate(actor=actor, danger_id=pk, **form(NoteIn, post))
        else:
            raise InvalidInput(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("supervision:danger", pk=pk)


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    """Overdue rectifications (escalated or not) and those due within a few days."""
    actor = actor_of(request)
    today = timezone.localdate()
    visible = selectors.dangers_visible(actor)
    return render(
        request,
        "supervision/reminders.html",
        {
            "overdue": selectors.overdue_dangers(visible, today).order_by("deadline", "id")[:200],
            "due_soon": selectors.due_soon(visible, today).order_by("deadline", "id")[:200],
            "waiting": visible.filter(status=workflow.DangerStatus.SUBMITTED).order_by("id")[:200],
            "today": today,
            "reminder_days": selectors.REMINDER_DAYS,
            "columns": REMINDER_COLUMNS,
        },
    )


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "supervision/rates.html",
        {
            "by_enterprise": selectors.danger_rates(actor, "enterprise"),
            "by_campaign": selectors.danger_rates(actor, "campaign"),
            "columns": RATE_COLUMNS,
        },
    )
