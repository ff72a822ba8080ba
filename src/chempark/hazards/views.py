"""Pages of the major hazard registry: the list with level colours, a hazard's detail (calculation
breakdown, history, filing workflow, responsible persons), a unit's identification, the bureau's
to-do page, the daily commitments and the public gate screen."""

from __future__ import annotations

import datetime as dt
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
from chempark.core.bounds import parse_row_id
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.page_input import S, form_input
from chempark.core.tables import columns
from chempark.core.xlsx import table_workbook, xlsx_response
from chempark.hazards import selectors, services, workflow
from chempark.hazards.models import GuarantorRole, HazardStatus, Level
from chempark.hazards.schemas import (
    ApproveFilingIn,
    CommitmentIn,
    DutyCheckIn,
    GuarantorIn,
    ReasonIn,
    RegisterIn,
    SafetyAssessmentIn,
)
from chempark.hazards.selectors import interval_of
from chempark.hazards.settings import commitment_deadline

ACTION_LABELS = {
    "identify": gettext_lazy("辨识为重大危险源"),
    workflow.Action.REGISTER: gettext_lazy("登记建档"),
    workflow.Action.SUBMIT_FILING: gettext_lazy("提交备案"),
    workflow.Action.APPROVE_FILING: gettext_lazy("备案通过"),
    workflow.Action.RETURN_FILING: gettext_lazy("退回备案"),
    workflow.Action.REQUEST_CANCELLATION: gettext_lazy("申请核销"),
    workflow.Action.APPROVE_CANCELLATION: gettext_lazy("批准核销"),
    workflow.Action.REJECT_CANCELLATION: gettext_lazy("驳回核销"),
}


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = {name: request.GET.get(name, "") for name in ("q", "level", "status", "enterprise")}
    rows = selectors.major_hazard_search(
        actor, q=filters["q"], level=filters["level"], status=filters["status"], enterprise=filters["enterprise"]
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = dict.fromkeys((1, 2, 3, 4), 0)
    for level in selectors.major_hazard_search(actor).values_list("level", flat=True):
        if level in counts:
            counts[level] += 1
    return render(
        request,
        "hazards/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "columns": LIST_COLUMNS,
            "menus": [
                {"name": "level", "label": _("级别"), "choices": [*Level.choices, ("none", _("未分级"))]},
                {"name": "status", "label": _("状态"), "choices": HazardStatus.choices},
            ],
            "counts": [(lvl, Level(lvl).label, n) for lvl, n in counts.items()],
        },
    )


LIST_COLUMNS = columns(
    gettext_lazy("重大危险源名称"),
    gettext_lazy("级别"),
    "R",
    "S",
    gettext_lazy("企业"),
    gettext_lazy("单元"),
    gettext_lazy("状态"),
    gettext_lazy("备案编号"),
    gettext_lazy("下次安全评估到期日"),
)


def _assessment_context(actor: Actor, unit_id: int) -> dict[str, Any]:
    history = list(selectors.unit_assessments(actor, unit_id)[:50])
    return {"latest": history[0] if history else None, "history": history}


@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    hazard = selectors.major_hazard_get(actor, pk)
    allowed = workflow.allowed_actions(workflow.Status(hazard.status))
    actions = [a for a in allowed if actor.can(workflow.TRANSITIONS[a].capability)]
    guarantors = {g.role: g for g in selectors.guarantors(actor, pk)}
    return render(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "actions": [(a.value, ACTION_LABELS[a], workflow.TRANSITIONS[a].needs_reason) for a in actions],
            "transitions": [(t, ACTION_LABELS.get(t.action, t.action)) for t in hazard.transitions.all()],
            "guarantors": [
                (value, label, guarantors.get(value), interval_of(guarantors[value]) if value in guarantors else None)
                for value, label in GuarantorRole.choices
            ],
            "level_changes": hazard.level_changes.all()[:20],
            "can_submit": actor.can("hazard.submit") and hazard.status != HazardStatus.CANCELLED,
            "can_approve": actor.can("hazard.approve"),
            "today": timezone.localdate(),
            **_assessment_context(actor, hazard.unit_id),
        },
    )


@login_required
def unit_identification(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = _actor(request)
    unit = selectors.unit_get(actor, unit_id)
    hazard = selectors.major_hazards_visible(actor).filter(unit=unit).exclude(status=HazardStatus.CANCELLED).first()
    return render(
        request,
        "hazards/unit.html",
        {
            "unit": unit,
            "hazard": hazard,
            "can_reassess": actor.can("hazard.submit"),
            **_assessment_context(actor, unit_id),
        },
    )


def _back(pk: int) -> HttpResponse:
    return redirect("hazards:detail", pk=pk)


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(_("日期格式应为 YYYY-MM-DD。"), details={field: ["YYYY-MM-DD"]}) from exc


# the forms' fields in the pages' words, for error messages
FIELD_LABELS = {
    "name": gettext_lazy("名称"),
    "process_description": gettext_lazy("工艺/储存条件"),
    "safety_measures": gettext_lazy("安全监控措施"),
    "filing_number": gettext_lazy("备案编号"),
    "filed_on": gettext_lazy("备案日期"),
    "reason": gettext_lazy("理由"),
    "assessed_on": gettext_lazy("评估日期"),
    "agency": gettext_lazy("评估机构"),
    "report_number": gettext_lazy("评估报告编号"),
    "position": gettext_lazy("职务"),
    "phone": gettext_lazy("联系电话"),
    "check_interval_days": gettext_lazy("履职检查周期 (天)"),
    "checked_on": gettext_lazy("检查日期"),
    "findings": gettext_lazy("检查情况"),
    "enterprise": gettext_lazy("企业"),
    "units_running": gettext_lazy("运行装置数"),
    "units_under_maintenance": gettext_lazy("检修装置数"),
    "special_operations": gettext_lazy("特殊作业数"),
    "special_operations_note": gettext_lazy("特殊作业说明"),
    "hazards_under_control": gettext_lazy("重大危险源处于安全受控状态"),
    "principal_name": gettext_lazy("承诺人"),
    "commitment": gettext_lazy("承诺内容"),
}


def _form(schema: type[S], post: Any) -> dict[str, Any]:
    """The posted form checked by the API's input schema, as the service's keyword arguments."""
    labels = {name: str(label) for name, label in FIELD_LABELS.items()}
    return form_input(schema, post, labels=labels).model_dump()


def _id(post: Any, name: str) -> int:
    """A row id from a hidden field (a path parameter in the API); anything else finds no row."""
    try:
        return parse_row_id(post.get(name, ""))
    except ValueError:
        return 0


@login_required
@require_POST
def hazard_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor, post = _actor(request), request.POST
    try:
        if action == workflow.Action.REGISTER:
            services.major_hazard_register(actor=actor, hazard_id=pk, **_form(RegisterIn, post))
        elif action == workflow.Action.APPROVE_FILING:
            services.major_hazard_approve_filing(actor=actor, hazard_id=pk, **_form(ApproveFilingIn, post))
        elif action == workflow.Action.SUBMIT_FILING:
            services.major_hazard_submit_filing(actor=actor, hazard_id=pk)
        elif action in services.TRANSITION_SERVICES:
            services.TRANSITION_SERVICES[workflow.Action(action)](actor=actor, hazard_id=pk, **_form(ReasonIn, post))
        elif action == "safety-assessment":
            services.major_hazard_record_safety_assessment(actor=actor, hazard_id=pk, **_form(SafetyAssessmentIn, post))
        elif action == "guarantor":
            services.guarantor_assign(actor=actor, hazard_id=pk, role=post.get("role", ""), **_form(GuarantorIn, post))
        elif action == "duty-check":
            services.duty_check_record(actor=actor, guarantor_id=_id(post, "guarantor"), **_form(DutyCheckIn, post))
        elif action == "acknowledge":
            services.level_change_acknowledge(actor=actor, change_id=_id(post, "change"))
        else:
            raise InvalidInput(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return _back(pk)


@login_required
@require_POST
def unit_reassess(request: HttpRequest, unit_id: int) -> HttpResponse:
    try:
        services.unit_reassess(actor=_actor(request), unit_id=unit_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新计算。"))
    return redirect("hazards:unit", unit_id=unit_id)


SUPERVISION_TYPES = {
    "filings": gettext_lazy("备案待审"),
    "cancellations": gettext_lazy("核销待审"),
    "level_changes": gettext_lazy("级别变化待确认"),
    "overdue": gettext_lazy("履职检查逾期"),
    "assessments_overdue": gettext_lazy("安全评估逾期"),
    "assessments_unrecorded": gettext_lazy("未记录安全评估"),
    "assessments_soon": gettext_lazy("安全评估即将到期"),
    "missing": gettext_lazy("今日未提交承诺"),
}


def _supervision_lists(request: HttpRequest) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The to-do lists, each sorted most overdue first, narrowed to one enterprise and/or one type."""
    actor, today = _actor(request), timezone.localdate()
    enterprises = selectors.enterprises_with_hazards(actor)
    chosen = request.GET.get("enterprise", "")
    try:
        enterprise_id = parse_row_id(chosen) if chosen else None
    except ValueError:
        raise InvalidInput(_("企业须从列表中选择。"), details={"enterprise": [chosen]}) from None
    kind = request.GET.get("type", "")
    if kind and kind not in SUPERVISION_TYPES:
        raise InvalidInput(_("没有这种待办类型。"), details={"type": [kind]})
    hazards = selectors.major_hazards_visible(actor)
    changes = selectors.level_changes(actor, open_only=True).order_by("raised_at")
    missing = selectors.commitments_missing(actor)
    if enterprise_id is not None:
        hazards = hazards.filter(enterprise_id=enterprise_id)
        changes = changes.filter(hazard__enterprise_id=enterprise_id)
        missing = missing.filter(pk=enterprise_id)
    due = list(selectors.safety_assessments_due(actor).filter(pk__in=hazards.values("pk")))
    lists: dict[str, list[Any]] = {
        "filings": list(hazards.filter(status=HazardStatus.FILING_SUBMITTED).order_by("filing_submitted_at")),
        "cancellations": list(hazards.filter(status=HazardStatus.CANCELLATION_REQUESTED)),
        "level_changes": list(changes[:200]),
        "overdue": selectors.overdue_duty_checks(actor, enterprise_id=enterprise_id)[:200],
        "assessments_overdue": [
            h for h in due if h.next_safety_assessment_due and h.next_safety_assessment_due < today
        ],
        "assessments_unrecorded": [h for h in due if h.next_safety_assessment_due is None],
        "assessments_soon": [h for h in due if h.next_safety_assessment_due and h.next_safety_assessment_due >= today],
        "missing": list(missing),
    }
    context = {
        "today": today,
        "enterprises": [(str(e.pk), e.name) for e in enterprises],
        "types": list(SUPERVISION_TYPES.items()),
        "counts": [(key, label, len(lists[key])) for key, label in SUPERVISION_TYPES.items()],
        "shown": {key: (not kind or kind == key) for key in SUPERVISION_TYPES},
    }
    return context, lists


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """The bureau's to-do page (an enterprise user sees its own part): what is overdue, most overdue
    first, by enterprise and type, with an export."""
    context, lists = _supervision_lists(request)
    menus = [
        {"name": "enterprise", "label": _("企业"), "choices": context["enterprises"]},
        {"name": "type", "label": _("类型"), "choices": context["types"]},
    ]
    sections = [
        ("assessments_overdue", lists["assessments_overdue"], _("安全评估逾期（三年一次）")),
        ("assessments_unrecorded", lists["assessments_unrecorded"], _("未记录安全评估")),
        ("assessments_soon", lists["assessments_soon"], _("安全评估即将到期")),
    ]
    extra = {"filter_menus": menus, "assessment_sections": sections, "query": request.GET.urlencode()}
    return render(request, "hazards/supervision.html", {**context, **lists, **extra})


@login_required
def supervision_export(request: HttpRequest) -> HttpResponse:
    """The to-do lists as one workbook sheet, one row per item, most overdue first within each type."""
    context, lists = _supervision_lists(request)
    headers = [_("类型"), _("重大危险源"), _("企业"), _("说明"), _("应办日期"), _("逾期天数")]
    rows: list[list[Any]] = []
    for key, label in SUPERVISION_TYPES.items():
        if context["shown"][key]:
            rows.extend([str(label), *_export_row(key, item)] for item in lists[key])
    content = table_workbook(_("待办与提醒"), headers, rows)
    return xlsx_response(content, _("待办与提醒-%(day)s.xlsx") % {"day": timezone.localdate().isoformat()})


def _export_row(key: str, item: Any) -> list[Any]:
    """(hazard, enterprise, note, due date, days overdue) of one to-do item."""
    today = timezone.localdate()
    if key == "overdue":
        never = _("从未检查") if item.never_checked else item.last_findings
        note = f"{item.guarantor.get_role_display()} {item.guarantor.name}：{never}"
        return [str(item.guarantor.hazard), item.guarantor.hazard.enterprise.name, note, item.due_on, item.days_overdue]
    if key == "level_changes":
        note = _("级别 %(old)s → %(new)s") % {
            "old": item.get_old_level_display() or "—",
            "new": item.get_new_level_display() or "—",
        }
        return [str(item.hazard), "", note, timezone.localtime(item.raised_at).date(), ""]
    if key == "missing":
        return ["", item.name, f"{item.safety_contact} {item.safety_phone}".strip(), today, ""]
    due_on = item.next_safety_assessment_due
    late = (today - due_on).days if due_on and due_on < today else ""
    return [str(item), item.enterprise.name, item.get_status_display(), due_on or "", late]


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = timezone.localdate()
    date = _date(request.GET["date"], "date") if request.GET.get("date") else today
    if request.method == "POST":
        try:
            values = _form(CommitmentIn, request.POST)
            chosen = values.pop("enterprise")
            enterprise_id = actor.enterprise_id or chosen or 0
            services.commitment_submit(actor=actor, enterprise_id=enterprise_id, **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("今日承诺已提交。"))
            return redirect("hazards:commitments")
    submitted = selectors.commitments(actor, date=date)
    own_today = None
    if actor.enterprise_id is not None:
        own_today = selectors.commitments(actor, date=today, enterprise_id=actor.enterprise_id).first()
    return render(
        request,
        "hazards/commitments.html",
        {
            "date": date,
            "today": today,
            "rows": submitted,
            "missing": selectors.commitments_missing(actor, date),
            "deadline": commitment_deadline(),
            "can_submit": actor.can("hazard.submit") and actor.enterprise_id,
            "own_today": own_today,
        },
    )


def gate(request: HttpRequest, uscc: str) -> HttpResponse:
    """The public gate screen (no login): today's commitment of one enterprise."""
    enterprise, commitment = selectors.public_commitment(uscc)
    return render(
        request,
        "hazards/gate.html",
        {"enterprise": enterprise, "commitment": commitment, "today": timezone.localdate()},
    )
