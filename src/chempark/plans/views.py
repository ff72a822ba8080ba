"""Pages of plans, drills, the working-day calendar and public warnings, plus the public Atom feed and
CAP documents of issued warnings (no login: a public warning is for everyone, and CAP aggregators
poll the feed).

Forms are checked with the API's own schemas (``core.page_input``); a refused form comes back with
the reason in Chinese and nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.map_layers import map_config
from chempark.core.page_input import S, form_input
from chempark.core.selectors import visible_to
from chempark.core.tables import columns
from chempark.hazards.models import MajorHazard
from chempark.park.models import Chemical, Enterprise
from chempark.plans import selectors, services
from chempark.plans.models import (
    CalendarDayKind,
    Certainty,
    DrillForm,
    IncidentType,
    Plan,
    PlanKind,
    ResponseType,
    Severity,
    Urgency,
)
from chempark.plans.schemas import (
    ActionDoneIn,
    ActionIn,
    CalendarDayIn,
    DrillDoneIn,
    DrillIn,
    EvaluationIn,
    FilingIn,
    PlanIn,
    WarningIn,
)

FILING_LABELS = {
    "not_published": gettext_lazy("未发布"),
    "pending": gettext_lazy("未备案"),
    "filed": gettext_lazy("已备案"),
    "overdue": gettext_lazy("逾期未备案"),
}
LABELS = {
    "kind": gettext_lazy("类别"),
    "title": gettext_lazy("名称"),
    "enterprise": gettext_lazy("企业"),
    "published_on": gettext_lazy("发布日期"),
    "filed_on": gettext_lazy("备案日期"),
    "filing_number": gettext_lazy("备案编号"),
    "evaluated_on": gettext_lazy("评估日期"),
    "conclusion": gettext_lazy("评估结论"),
    "form": gettext_lazy("演练形式"),
    "plan": gettext_lazy("演练预案"),
    "planned_on": gettext_lazy("计划日期"),
    "done_on": gettext_lazy("实施日期"),
    "participants": gettext_lazy("参演单位和人员"),
    "participant_count": gettext_lazy("参演人数"),
    "evaluation": gettext_lazy("演练评估"),
    "problem": gettext_lazy("发现的问题"),
    "action": gettext_lazy("整改措施"),
    "owner": gettext_lazy("责任人"),
    "deadline": gettext_lazy("整改期限"),
    "date": gettext_lazy("日期"),
    "name": gettext_lazy("节日"),
    "event": gettext_lazy("事件"),
    "headline": gettext_lazy("标题"),
    "description": gettext_lazy("情况说明"),
    "instruction": gettext_lazy("公众应对指引"),
    "response_type": gettext_lazy("应对措施"),
    "urgency": gettext_lazy("紧迫程度"),
    "severity": gettext_lazy("严重程度"),
    "certainty": gettext_lazy("确定程度"),
    "area_desc": gettext_lazy("区域描述"),
    "area": gettext_lazy("预警区域"),
    "expires": gettext_lazy("失效时间"),
}


def _form(schema: type[S], data: Any) -> S:
    return form_input(schema, data, labels={name: str(label) for name, label in LABELS.items()})


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


def _paged(request: HttpRequest, rows: Any) -> tuple[Any, str]:
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(rows, 25).get_page(request.GET.get("page")), query.urlencode()


def _attempt(request: HttpRequest, write: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """Run a page's write; on a refusal show its reason on the page it came from, nothing changed."""
    try:
        result = write()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, success)
    return redirect(result if isinstance(result, str) else back)


def _enterprises(actor: Actor) -> Any:
    rows = Enterprise.objects.order_by("name")
    return rows.filter(pk=actor.enterprise_id or 0) if actor.is_enterprise_scoped else rows


# --- Plans ---------------------------------------------------------------------------------------

PLAN_COLUMNS = columns(
    gettext_lazy("预案名称"),
    gettext_lazy("类别"),
    gettext_lazy("单位"),
    gettext_lazy("发布日期"),
    gettext_lazy("备案期限"),
    gettext_lazy("备案状态"),
    gettext_lazy("下次评估"),
)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = {name: request.GET.get(name, "")[:200] for name in ("q", "kind", "filing")}
    rows = selectors.plan_search(actor, q=filters["q"], kind=filters["kind"], filing=filters["filing"])
    page, query = _paged(request, rows)
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "columns": PLAN_COLUMNS,
            "filing_labels": FILING_LABELS,
            "menus": [
                {"name": "kind", "label": _("类别"), "choices": PlanKind.choices},
                {"name": "filing", "label": _("备案状态"), "choices": list(FILING_LABELS.items())},
            ],
            "can_write": actor.can("plan.write"),
        },
    )


def _plan_values(request: HttpRequest) -> dict[str, Any]:
    form = request.POST.dict()
    data = _form(
        PlanIn,
        {k: v for k, v in form.items() if k not in ("incident_types", "enterprise", "chemicals", "major_hazards")},
    )
    values = data.dict()
    values["incident_types"] = [t for t in request.POST.getlist("incident_types") if t in IncidentType.values]
    enterprise = form.get("enterprise", "")
    values["enterprise"] = int(enterprise) if enterprise.isdigit() else None
    for name in ("chemicals", "major_hazards"):  # unknown ids are refused by the service, naming the field
        values[name] = [int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) < 19]
    return values


def _plan_form(request: HttpRequest, actor: Actor, plan: Plan | None) -> HttpResponse:
    return render(
        request,
        "plans/plan_new.html",
        {
            "plan": plan,
            "kinds": PlanKind.choices,
            "incident_types": IncidentType.choices,
            "enterprises": _enterprises(actor),
            "chemicals": Chemical.objects.order_by("name_zh"),
            "major_hazards": visible_to(actor, MajorHazard.objects.select_related("enterprise"), "enterprise_id"),
            "chosen_chemicals": set(plan.chemicals.values_list("pk", flat=True)) if plan else set(),
            "chosen_hazards": set(plan.major_hazards.values_list("pk", flat=True)) if plan else set(),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("plan.write")
    if request.method == "POST":
        return _attempt(
            request,
            lambda: reverse("plans:detail", args=[services.plan_create(actor=actor, **_plan_values(request)).pk]),
            _("预案已登记。"),
            reverse("plans:new"),
        )
    return _plan_form(request, actor, None)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require("plan.write")
    plan = selectors.plan_get(actor, pk)
    if request.method == "POST":

        def update() -> str:
            values = _plan_values(request)
            values.pop("enterprise")  # a plan stays with its owner
            services.plan_update(actor=actor, pk=pk, **values)
            return reverse("plans:detail", args=[pk])

        return _attempt(request, update, _("预案已保存。"), reverse("plans:edit", args=[pk]))
    return _plan_form(request, actor, plan)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.annotate_dues([selectors.plan_get(actor, pk)])[0]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "filing_label": FILING_LABELS[plan.filing_status],
            "incident_labels": [IncidentType(t).label for t in plan.incident_types if t in IncidentType.values],
            "versions": selectors.plan_versions(actor, pk),
            "drills": plan.drills.all()[:20],
            "can_write": actor.can("plan.write"),
            "can_file": actor.can("plan.file"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    back = reverse("plans:detail", args=[pk])
    writes: dict[str, tuple[Callable[[], Any], str]] = {
        "filing": (
            lambda: services.plan_file(actor=actor, pk=pk, **_form(FilingIn, request.POST).dict()),
            _("备案已登记。"),
        ),
        "evaluation": (
            lambda: services.plan_evaluate(actor=actor, pk=pk, **_form(EvaluationIn, request.POST).dict()),
            _("评估已登记。"),
        ),
        "version": (lambda: _upload(request, actor, pk), _("文件已上传。")),
    }
    if action not in writes:
        raise Http404
    write, success = writes[action]
    return _attempt(request, write, success, back)


def _upload(request: HttpRequest, actor: Actor, pk: int) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(_("请选择要上传的文件。"))
    reviewed = request.POST.get("reviewed_on", "").strip()
    review = services.Review(
        form_input(EvaluationIn, {"evaluated_on": reviewed}, labels={"evaluated_on": _("评审日期")}).evaluated_on
        if reviewed
        else None,
        request.POST.get("review_experts", "")[:500],
        request.POST.get("review_conclusion", "")[:5000],
    )
    return services.plan_version_add(
        actor=actor,
        plan_id=pk,
        version=request.POST.get("version", "").strip()[:20] or "V1",
        file_name=upload.name or "plan",
        content=upload.read(services.MAX_DOCUMENT_BYTES + 1),
        review=review,
    )


@login_required
def version_file(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.plan_version_get(_actor(request), pk)
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.file_name)}"
    return response


# --- Drills --------------------------------------------------------------------------------------

DRILL_COLUMNS = columns(
    gettext_lazy("演练名称"),
    gettext_lazy("单位"),
    gettext_lazy("类别"),
    gettext_lazy("形式"),
    gettext_lazy("计划日期"),
    gettext_lazy("实施日期"),
    gettext_lazy("参演人数"),
)


@login_required
def drill_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = {name: request.GET.get(name, "")[:200] for name in ("q", "kind", "done")}
    page, query = _paged(request, selectors.drill_search(actor, **filters))
    if request.method == "POST":
        actor.require("plan.write")

        def create() -> str:
            form = request.POST.dict()
            data = _form(DrillIn, {k: v for k, v in form.items() if k not in ("enterprise", "plan")})
            values = data.dict()
            for key in ("enterprise", "plan"):
                values[key] = int(form[key]) if form.get(key, "").isdigit() else None
            return reverse("plans:drill", args=[services.drill_create(actor=actor, **values).pk])

        return _attempt(request, create, _("演练已登记。"), reverse("plans:drills"))
    return render(
        request,
        "plans/drill_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "columns": DRILL_COLUMNS,
            "menus": [
                {"name": "kind", "label": _("类别"), "choices": PlanKind.choices},
                {"name": "done", "label": _("实施"), "choices": [("yes", _("已实施")), ("no", _("计划中"))]},
            ],
            "can_write": actor.can("plan.write"),
            "kinds": PlanKind.choices,
            "forms": DrillForm.choices,
            "enterprises": _enterprises(actor),
            "plans": selectors.plans_visible(actor).order_by("title"),
        },
    )


@login_required
def drill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    drill = selectors.drill_get(actor, pk)
    if request.method == "POST":
        actor.require("plan.write")
        back = reverse("plans:drill", args=[pk])
        step = request.POST.get("step", "")
        if step == "done":
            return _attempt(
                request,
                lambda: services.drill_record(actor=actor, pk=pk, **_form(DrillDoneIn, request.POST).dict()),
                _("演练实施情况已登记。"),
                back,
            )
        if step == "complete":
            action_id = request.POST.get("action_id", "")
            return _attempt(
                request,
                lambda: services.action_complete(
                    actor=actor,
                    pk=int(action_id) if action_id.isdigit() and len(action_id) < 19 else 0,
                    **_form(ActionDoneIn, request.POST).dict(),
                ),
                _("整改措施已完成。"),
                back,
            )
        if step == "action":
            return _attempt(
                request,
                lambda: services.action_add(actor=actor, drill_id=pk, **_form(ActionIn, request.POST).dict()),
                _("整改措施已登记。"),
                back,
            )
        raise Http404
    return render(
        request,
        "plans/drill_detail.html",
        {
            "drill": drill,
            "actions": drill.actions.all(),
            "can_write": actor.can("plan.write"),
            "today": timezone.localdate(),
        },
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "plans/compliance.html",
        {
            "rows": selectors.drill_compliance(actor),
            "filing_overdue": selectors.filing_overdue(actor),
            "actions": selectors.actions_open(actor)[:100],
            "today": timezone.localdate(),
        },
    )


# --- Calendar ------------------------------------------------------------------------------------


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    back = reverse("plans:calendar")
    if request.method == "POST":
        actor.require("calendar.manage")
        if request.POST.get("delete"):
            data = _form(CalendarDayIn, {**request.POST.dict(), "kind": "holiday"})
            return _attempt(
                request, lambda: services.calendar_day_delete(actor=actor, date=data.date), _("已删除。"), back
            )
        return _attempt(
            request,
            lambda: services.calendar_day_set(actor=actor, **_form(CalendarDayIn, request.POST).dict()),
            _("已保存。"),
            back,
        )
    year = request.GET.get("year", "")
    rows = selectors.calendar_days(actor, int(year) if year.isdigit() and 1900 <= int(year) <= 2199 else None)
    return render(
        request,
        "plans/calendar.html",
        {"rows": rows, "kinds": CalendarDayKind.choices, "can_manage": actor.can("calendar.manage")},
    )


# --- Public warnings ------------------------------------------------------------------------------

WARNING_COLUMNS = columns(
    gettext_lazy("标题"),
    gettext_lazy("事件"),
    gettext_lazy("严重程度"),
    gettext_lazy("应对措施"),
    gettext_lazy("状态"),
    gettext_lazy("创建时间"),
)
CHOICES = {
    "response_types": ResponseType.choices,
    "urgencies": Urgency.choices,
    "severities": Severity.choices,
    "certainties": Certainty.choices,
}


def _map_context(actor: Actor) -> dict[str, Any]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "layer_config": map_config(actor, ("park", "areas", "enterprises")),
    }


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page, query = _paged(request, selectors.warnings_visible(actor))
    return render(
        request,
        "plans/warning_list.html",
        {"page": page, "query": query, "columns": WARNING_COLUMNS, "can_issue": actor.can("warning.issue")},
    )


def warning_form_values(post: Mapping[str, Any]) -> dict[str, Any]:
    """The warning form (compose, edit, update) checked: the CAP fields, the area drawn on the map
    (GeoJSON text) and the expiry. Also the check of the update an incident's warning sends from this
    page through the incident (``incident_warnings.PlansWarningProvider.revision``)."""
    form = {name: post[name] for name in post}
    raw_area = str(form.pop("area", "")).strip()
    try:
        area = json.loads(raw_area) if raw_area else None
    except ValueError:
        raise InvalidInput(_("预警区域不是有效的 GeoJSON。"), details={"field": "area"}) from None
    return _form(WarningIn, form).dict() | {"area": area}


def _warning_values(request: HttpRequest) -> dict[str, Any]:
    return warning_form_values(request.POST.dict())


@login_required
def warning_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("warning.issue")
    if request.method == "POST":

        def create() -> str:
            warning = services.warning_create(actor=actor, **_warning_values(request))
            if request.POST.get("publish"):
                services.warning_publish(actor=actor, pk=warning.pk)
            return reverse("plans:warning", args=[warning.pk])

        return _attempt(request, create, _("预警已保存。"), reverse("plans:warning-new"))
    return render(request, "plans/warning_new.html", {**CHOICES, **_map_context(actor)})


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    warning = selectors.warning_get(actor, pk)
    if request.method == "POST":
        actor.require("warning.issue")
        back = reverse("plans:warning", args=[pk])
        step = request.POST.get("step", "")
        writes: dict[str, Callable[[], Any]] = {
            "publish": lambda: services.warning_publish(actor=actor, pk=pk),
            "cancel": lambda: services.warning_cancel(actor=actor, pk=pk, note=request.POST.get("note", "")[:500]),
            "update": lambda: services.warning_update(actor=actor, pk=pk, **_warning_values(request)),
            "edit": lambda: services.warning_edit(actor=actor, pk=pk, **_warning_values(request)),
        }
        if step not in writes:
            raise Http404
        if warning.incident_id is not None and step != "edit":  # the page posts these to the incident
            messages.error(request, _("该预警属于突发事件，请在本页重新提交，发布、更新和解除都记入事件处置记录。"))
            return redirect(back)
        return _attempt(request, writes[step], _("已发送。"), back)
    return render(
        request,
        "plans/warning_detail.html",
        {
            "warning": warning,
            "area_json": warning.area,
            "area_json_text": json.dumps(warning.area, ensure_ascii=False),
            "cap_messages": selectors.warning_messages(warning),
            "actions": services.warning_actions(warning.status) if actor.can("warning.issue") else [],
            **CHOICES,
            **_map_context(actor),
        },
    )


def cap_document(request: HttpRequest, identifier: str) -> HttpResponse:
    """One CAP message as it was sent (public)."""
    message = selectors.message_public(identifier)
    if message is None:
        raise Http404
    return HttpResponse(bytes(message.xml), content_type="application/cap+xml; charset=utf-8")


def warning_feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the CAP messages sent, newest first, each entry linking its CAP document (public)."""
    feed = feedgenerator.Atom1Feed(
        title=_("公众预警"),
        link=request.build_absolute_uri(reverse("plans:feed")),
        description=_("应急管理局发布的公众预警（CAP 1.2）"),
        language="zh-cn",
        feed_url=request.build_absolute_uri(reverse("plans:feed")),
    )
    for message in selectors.messages_issued()[:50]:
        url = request.build_absolute_uri(reverse("plans:cap", args=[message.identifier]))
        feed.add_item(
            title=f"[{message.get_msg_type_display()}] {message.warning.headline}",
            link=url,
            description=message.warning.instruction or message.warning.description,
            unique_id=f"urn:cap:{message.identifier}",
            pubdate=message.sent,
            updateddate=message.sent,
            enclosures=[feedgenerator.Enclosure(url, str(len(bytes(message.xml))), "application/cap+xml")],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
