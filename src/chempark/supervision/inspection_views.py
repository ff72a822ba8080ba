"""Pages of inspections and enforcement: campaigns and their random draws (with the public list of
双随机一公开), inspection records on a checklist with their findings (usable on a phone on site),
and enforcement cases with their stages, legal deadlines and documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.errors import DomainError
from chempark.core.page_input import checked_input
from chempark.park.models import Enterprise, EnterpriseKind
from chempark.supervision import case_services, documents, inspection_services, selectors, workflow
from chempark.supervision.models import (
    CampaignKind,
    CaseStageChoice,
    Checklist,
    DangerGrade,
    DocumentKind,
    ViolationKind,
)
from chempark.supervision.schemas import CampaignIn, CaseAdvanceIn, CaseIn, DrawIn, InspectionIn
from chempark.supervision.views import FIELD_LABELS, actor_of, form, paged

LABELS = {
    **FIELD_LABELS,
    "name": gettext_lazy("名称"),
    "kind": gettext_lazy("类型"),
    "starts_on": gettext_lazy("开始日期"),
    "ends_on": gettext_lazy("结束日期"),
    "description": gettext_lazy("说明"),
    "enterprise_count": gettext_lazy("抽取企业数"),
    "inspector_count": gettext_lazy("抽取执法人员数"),
    "expert_count": gettext_lazy("抽取专家数"),
    "enterprise_kind": gettext_lazy("企业类型"),
    "seed": gettext_lazy("随机种子"),
    "inspected_on": gettext_lazy("检查日期"),
    "inspectors": gettext_lazy("执法人员"),
    "experts": gettext_lazy("参与专家"),
    "expert_fee_yuan": gettext_lazy("专家费 (元)"),
    "summary": gettext_lazy("检查情况"),
    "findings": gettext_lazy("发现的问题"),
    "answers": gettext_lazy("检查表结果"),
    "number": gettext_lazy("案件编号"),
    "violation_kind": gettext_lazy("违法类型"),
    "violation": gettext_lazy("违法事实"),
    "filed_on": gettext_lazy("立案日期"),
    "handler": gettext_lazy("承办人"),
    "legal_basis": gettext_lazy("处罚依据"),
    "penalty_yuan": gettext_lazy("罚款金额 (元)"),
    "on": gettext_lazy("日期"),
}
FINDING_ROWS = 5


# --- Campaigns and draws -----------------------------------------------------------------------------


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        try:
            inspection_services.campaign_create(actor=actor, **form(CampaignIn, request.POST, LABELS))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:campaigns")
    return render(
        request,
        "supervision/campaigns.html",
        {
            "campaigns": selectors.campaigns(actor),
            "draws": selectors.draws(actor)[:50],
            "kinds": CampaignKind.choices,
            "enterprise_kinds": EnterpriseKind.choices,
            "can_manage": actor.can("inspection.manage"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def draw_new(request: HttpRequest) -> HttpResponse:
    try:
        values = form(DrawIn, request.POST, LABELS)
        row = inspection_services.draw_run(actor=actor_of(request), campaign_id=values.pop("campaign"), **values)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:campaigns")
    messages.success(request, _("抽取完成。"))
    return redirect("supervision:draw", pk=row.pk)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.draw_get(actor_of(request), pk)
    replay = inspection_services.draw_replay(row)
    recorded = {key: [p["id"] for p in people] for key, people in row.result.items()}
    return render(request, "supervision/draw.html", {"draw": row, "reproduced": replay == recorded})


def public_draws(request: HttpRequest) -> HttpResponse:
    """双随机一公开: the draws as published, without login and without any business detail."""
    rows, query = paged(request, selectors.public_draws(), per_page=20)
    return render(request, "supervision/public_draws.html", {"page": rows, "query": query})


# --- Inspections -------------------------------------------------------------------------------------


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page, query = paged(request, selectors.inspections(actor))
    return render(
        request,
        "supervision/inspections.html",
        {"page": page, "query": query, "can_manage": actor.can("inspection.manage")},
    )


def _inspection_data(post: Any, checklist: Checklist | None) -> dict[str, Any]:
    """The inspection form as the API's JSON body: checklist answers and the filled finding rows."""
    data: dict[str, Any] = {
        name: post.get(name, "").strip()
        for name in ("enterprise", "inspected_on", "inspectors", "experts", "summary", "campaign", "checklist")
    }
    data["expert_fee_yuan"] = post.get("expert_fee_yuan", "").strip() or "0"
    data = {k: v for k, v in data.items() if v != ""}
    if checklist is not None:
        data["answers"] = [
            {"item": item, "ok": post.get(f"answer-{i}") == "ok", "note": post.get(f"answer-note-{i}", "")}
            for i, item in enumerate(checklist.items)
            if post.get(f"answer-{i}") in ("ok", "fail")
        ]
    findings = []
    for i in range(FINDING_ROWS):
        description = post.get(f"finding-{i}-description", "").strip()
        if not description:
            continue
        finding: dict[str, Any] = {"description": description, "grade": post.get(f"finding-{i}-grade", "general")}
        for name in ("location", "deadline", "plan"):
            value = post.get(f"finding-{i}-{name}", "").strip()
            if value:
                finding[name] = value
        findings.append(finding)
    data["findings"] = findings
    return data


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    actor.require("inspection.manage")
    checklists = list(Checklist.objects.all())
    chosen = request.POST.get("checklist") or request.GET.get("checklist", "")
    checklist = next((c for c in checklists if str(c.pk) == chosen), None)
    if request.method == "POST":
        try:
            values = checked_input(
                InspectionIn,
                _inspection_data(request.POST, checklist),
                labels={k: str(v) for k, v in LABELS.items()},
            ).model_dump()
            findings = [inspection_services.Finding(**f) for f in values.pop("findings")]
            row = inspection_services.inspection_record(
                actor=actor,
                enterprise_id=values.pop("enterprise"),
                campaign_id=values.pop("campaign"),
                checklist_id=values.pop("checklist"),
                findings=findings,
                **values,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("检查记录已保存，发现的问题已登记为隐患。"))
            return redirect("supervision:inspection", pk=row.pk)
    return render(
        request,
        "supervision/inspection_new.html",
        {
            "enterprises": Enterprise.objects.order_by("name"),
            "campaigns": selectors.campaigns(actor),
            "checklists": checklists,
            "checklist": checklist,
            "grades": DangerGrade.choices,
            "rows": range(FINDING_ROWS),
            "today": timezone.localdate(),
            "post": request.POST,
        },
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.inspection_get(actor_of(request), pk)
    return render(request, "supervision/inspection.html", {"inspection": row, "findings": row.findings.all()})


# --- Enforcement cases -------------------------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        try:
            values = form(CaseIn, request.POST, LABELS)
            row = case_services.case_file(
                actor=actor,
                enterprise_id=values.pop("enterprise"),
                inspection_id=values.pop("inspection"),
                **values,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已立案。"))
            return redirect("supervision:case", pk=row.pk)
    page, query = paged(request, selectors.cases(actor))
    return render(
        request,
        "supervision/cases.html",
        {
            "page": page,
            "query": query,
            "enterprises": Enterprise.objects.order_by("name"),
            "kinds": ViolationKind.choices,
            "stats": selectors.case_statistics(actor),
            "kind_labels": dict(ViolationKind.choices),
            "today": timezone.localdate(),
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get(actor, pk)
    today = timezone.localdate()
    stage_labels = dict(CaseStageChoice.choices)
    actions = [
        (action, stage_labels[workflow.ENFORCEMENT_CASE.transition(case.stage, action).target])
        for action in workflow.ENFORCEMENT_CASE.allowed(case.stage)
    ]
    return render(
        request,
        "supervision/case.html",
        {
            "case": case,
            "actions": actions,
            "deadlines": [(d, d.overdue(today)) for d in selectors.case_deadlines(case)],
            "transitions": case.transitions.all(),
            "documents": DocumentKind.choices,
            "today": today,
        },
    )


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        values = form(CaseAdvanceIn, request.POST, LABELS)
        case_services.case_advance(actor=actor_of(request), case_id=pk, action=action, **values)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("supervision:case", pk=pk)


@login_required
def case_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    case = selectors.case_get(actor_of(request), pk)
    try:
        return documents.download(case, kind, fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:case", pk=pk)
