"""Pages of the vehicles module: the registries (list, detail, edit, xlsx export), reservations and
their decisions, vehicles in the park with the gate log, headcounts and the evacuation roster."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.page_input import form_input
from chempark.core.tables import Column, columns
from chempark.core.xlsx import xlsx_response
from chempark.park.display import page_field_label, page_value
from chempark.park.export import column_label, registry_workbook, sheet_title, template_workbook_of
from chempark.park.forms import form_values, registry_form
from chempark.park.registry import enterprise_id_of
from chempark.vehicles import gates, imports, selectors, services, workflow
from chempark.vehicles.models import ReservationStatus
from chempark.vehicles.registry import ENTITIES, Entity, entity_for
from chempark.vehicles.schemas import ReservationIn, TransitionIn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_LABELS = {
    workflow.Action.APPROVE: gettext_lazy("批准"),
    workflow.Action.REFUSE: gettext_lazy("拒绝"),
    workflow.Action.CANCEL: gettext_lazy("取消预约"),
}
FIELD_LABELS = {
    "enterprise": gettext_lazy("目的企业"),
    "vehicle": gettext_lazy("车辆"),
    "driver": gettext_lazy("驾驶员"),
    "escort": gettext_lazy("押运员"),
    "chemical": gettext_lazy("装载货物"),
    "un_number": gettext_lazy("UN 号"),
    "quantity_t": gettext_lazy("数量 (t)"),
    "date": gettext_lazy("预约日期"),
    "action": gettext_lazy("操作"),
    "reason": gettext_lazy("原因"),
}


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


# --- registries -------------------------------------------------------------------------------------


def _search(request: HttpRequest, actor: Actor, entity: Entity) -> Any:
    spec = entity.spec
    filters = {name: request.GET.get(name.split("__")[-1], "") for name in spec.filter_fields}
    return selectors.entities_search(
        actor,
        entity.key,
        query=request.GET.get("q", ""),
        filters={k: v for k, v in filters.items() if v},
        sort=request.GET.get("sort", ""),
    )


def _menus(entity: Entity) -> list[dict[str, Any]]:
    result = []
    for name in entity.spec.filter_fields:
        field: Any = entity.spec.model._meta.get_field(name)
        if field.choices:
            result.append({"name": name, "label": field.verbose_name, "choices": field.choices})
    return result


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def entity_list(request: HttpRequest, kind: str) -> HttpResponse:
    actor, entity = _actor(request), entity_for(kind)
    spec = entity.spec
    page = Paginator(_search(request, actor, entity), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/entity_list.html",
        {
            "entity": entity,
            "page": page,
            "table": [
                {
                    "url": reverse(f"vehicles:{kind}-detail", args=[r.pk]),
                    "cells": [page_value(r, c) for c in spec.columns],
                }
                for r in page
            ],
            "export_url": reverse(f"vehicles:{kind}-export"),
            "create_url": reverse(f"vehicles:{kind}-create") if actor.can(spec.create_capability) else "",
            "columns": [Column(column_label(spec, c), sort=c if "__" not in c else "") for c in spec.columns],
            "filters": _menus(entity),
            "query": _query(request),
            "sort": request.GET.get("sort", ""),
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def entity_export(request: HttpRequest, kind: str) -> HttpResponse:
    actor, entity = _actor(request), entity_for(kind)
    rows = _search(request, actor, entity)
    sheet = next((s for s in imports.SHEETS if s.key == kind), None)  # importable: in the template's layout
    content = template_workbook_of(sheet, rows) if sheet is not None else registry_workbook(entity.spec, rows)
    return xlsx_response(content, f"{entity.spec.label}-{timezone.localdate().isoformat()}.xlsx")


def _can_write(actor: Actor, entity: Entity, instance: Any) -> bool:
    if not actor.can(entity.spec.write_capability):
        return False
    return not actor.is_enterprise_scoped or enterprise_id_of(entity.spec, instance) == actor.enterprise_id


@login_required
def entity_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor, entity = _actor(request), entity_for(kind)
    instance = selectors.entity_get(actor, kind, pk)
    fields = [(page_field_label(entity.spec.model, n), page_value(instance, n)) for n in ("id", *entity.spec.fields)]
    can_write = _can_write(actor, entity, instance)
    return render(
        request,
        "vehicles/entity_detail.html",
        {"entity": entity, "object": instance, "fields": fields, "can_edit": can_write, "can_delete": can_write},
    )


def _entity_form(entity: Entity, actor: Actor, data: Any, instance: Any) -> forms.ModelForm[Any]:
    """The park registry's model form of the spec, with this module's foreign keys scoped too."""
    form = registry_form(entity.spec, actor, data=data, instance=instance)
    own = {e.spec.model: e.key for e in ENTITIES.values()}
    for name, field in form.fields.items():
        model_field = entity.spec.model._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey) and isinstance(field, forms.ModelChoiceField):
            related = own.get(model_field.related_model)  # type: ignore[arg-type]  # a foreign key's related model is a class here
            if related is not None:
                field.queryset = selectors.entities_visible(actor, related)
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return form


def _edit(request: HttpRequest, kind: str, pk: int | None) -> HttpResponse:
    actor, entity = _actor(request), entity_for(kind)
    instance = selectors.entity_get(actor, kind, pk) if pk is not None else None
    actor.require(entity.spec.write_capability)
    form = _entity_form(entity, actor, request.POST or None, instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form_values(entity.spec, form)
            try:
                if instance is None:
                    saved = services.entity_create(actor=actor, kind=kind, values=values)
                else:
                    saved = services.entity_update(actor=actor, kind=kind, pk=instance.pk, values=values)
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(f"vehicles:{kind}-detail", pk=saved.pk)
        status = 422
    return render(
        request, "vehicles/entity_edit.html", {"entity": entity, "form": form, "object": instance}, status=status
    )


def _form_errors(form: forms.BaseForm, exc: DomainError) -> None:
    for field, errors in exc.details.items() if isinstance(exc.details, dict) else []:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not form.errors:
        form.add_error(None, exc.message)


@login_required
def entity_create(request: HttpRequest, kind: str) -> HttpResponse:
    return _edit(request, kind, None)


@login_required
def entity_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _edit(request, kind, pk)


@login_required
@require_POST
def entity_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        services.entity_delete(actor=_actor(request), kind=kind, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"vehicles:{kind}-detail", pk=pk)
    messages.success(request, _("已删除。"))
    return redirect(f"vehicles:{kind}-list")


# --- reservations ------------------------------------------------------------------------------------

RESERVATION_COLUMNS = columns(
    gettext_lazy("日期"),
    gettext_lazy("车牌号"),
    gettext_lazy("目的企业"),
    gettext_lazy("货物"),
    gettext_lazy("数量 (t)"),
    gettext_lazy("驾驶员 / 押运员"),
    gettext_lazy("状态"),
)


def _reservations(request: HttpRequest, actor: Actor) -> Any:
    status = request.GET.get("status", "")
    status = status if status in ReservationStatus.values else ""
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = None
    return selectors.reservations_search(actor, status=status, day=day, query=request.GET.get("q", ""))


@login_required
def reservation_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = Paginator(_reservations(request, actor), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/reservation_list.html",
        {
            "page": page,
            "columns": RESERVATION_COLUMNS,
            "menus": [{"name": "status", "label": _("状态"), "choices": ReservationStatus.choices}],
            "query": _query(request),
            "q": request.GET.get("q", ""),
            "can_request": actor.can("reservation.request"),
        },
    )


RESERVATION_EXPORT_HEADERS = (
    gettext_lazy("预约日期"),
    gettext_lazy("车牌号"),
    gettext_lazy("目的企业"),
    gettext_lazy("承运企业"),
    gettext_lazy("装载货物"),
    gettext_lazy("UN 号"),
    gettext_lazy("数量 (t)"),
    gettext_lazy("驾驶员"),
    gettext_lazy("押运员"),
    gettext_lazy("状态"),
    gettext_lazy("审批意见/原因"),
)


@login_required
def reservation_export(request: HttpRequest) -> HttpResponse:
    """The reservations of the list's query as xlsx, one row each."""
    rows = _reservations(request, _actor(request))  # refused before any workbook is begun
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(_("入园预约")))
    sheet.append([str(header) for header in RESERVATION_EXPORT_HEADERS])
    for r in rows:
        sheet.append(
            [
                r.date.isoformat(),
                r.vehicle.plate,
                r.enterprise.name,
                r.vehicle.carrier.name,
                r.chemical.name_zh,
                r.un_number,
                float(r.quantity_t),
                r.driver.name,
                r.escort.name,
                str(r.get_status_display()),
                r.reason,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="reservations.xlsx"'
    return response


def _route_ids(posted: list[str]) -> list[int]:
    """The designated routes ticked on the form (a multiple choice the generic form reader does not
    take); anything but row ids is refused like the API refuses it."""
    if any(not value.isdigit() for value in posted):
        raise InvalidInput(_("指定路线须从列表中选择。"), details={"routes": [_("须从列表中选择")]})
    return [int(value) for value in posted]


@login_required
def reservation_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("reservation.request")
    error = None
    status = 200
    if request.method == "POST":
        labels = {name: str(label) for name, label in FIELD_LABELS.items()}
        try:
            single = {name: value for name, value in request.POST.items() if name != "routes"}
            values = form_input(ReservationIn, single, labels=labels).model_dump()
            values["routes"] = _route_ids(request.POST.getlist("routes"))
            reservation = services.reservation_create(actor=actor, values=values)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("预约已提交，等待园区审批。"))
            return redirect("vehicles:reservation-detail", pk=reservation.pk)
    context = selectors.reservation_form_choices(actor) | {
        "error": error,
        "posted": request.POST,
        "posted_routes": request.POST.getlist("routes"),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "vehicles/reservation_form.html", context, status=status)


@login_required
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    reservation = selectors.reservation_get(actor, pk)
    allowed = workflow.allowed_actions(workflow.Status(reservation.status))
    actions = [
        {"value": a.value, "label": ACTION_LABELS[a], "needs_reason": a in workflow.NEEDS_REASON}
        for a in allowed
        if a in ACTION_LABELS and actor.can(services.ACTION_CAPABILITY[a])
    ]
    return render(
        request,
        "vehicles/reservation_detail.html",
        {"reservation": reservation, "actions": actions, "transitions": reservation.transitions.select_related("by")},
    )


@login_required
@require_POST
def reservation_transition(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    labels = {name: str(label) for name, label in FIELD_LABELS.items()}
    try:
        step = form_input(TransitionIn, request.POST, labels=labels)
        services.reservation_transition(actor=actor, reservation_id=pk, action=step.action, reason=step.reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已处理。"))
    return redirect("vehicles:reservation-detail", pk=pk)


# --- in the park, headcounts, rosters ----------------------------------------------------------------


@login_required
def in_park(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    now = timezone.now()
    visits = [
        {"visit": v, "hours": (now - v.entered_at).total_seconds() / 3600} for v in selectors.vehicles_in_park(actor)
    ]
    page = Paginator(selectors.gate_events(actor), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/in_park.html",
        {
            "visits": visits,
            "visit_columns": columns(
                _("车牌号"), _("承运企业"), _("目的企业"), _("货物"), _("入园卡口"), _("入园时间"), _("在园时长")
            ),
            "event_columns": columns(_("时间"), _("卡口"), _("车牌号"), _("方向"), _("结果"), _("原因")),
            "page": page,
            "query": "",
            "limit_h": gates.max_stay_h(),
        },
    )


@login_required
def headcount_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "vehicles/headcounts.html",
        {
            "rows": selectors.headcounts(actor),
            "columns": columns(_("企业"), _("区域"), _("类型"), _("须持证"), _("在内人数"), _("人数上限")),
        },
    )


@login_required
def roster_page(request: HttpRequest, pk: int) -> HttpResponse:
    area, people = selectors.roster(_actor(request), pk)
    return render(
        request,
        "vehicles/roster.html",
        {
            "area": area,
            "people": people,
            "columns": columns(_("序号"), _("姓名"), _("门禁卡号"), _("岗位"), _("进入时间"), _("点名")),
            "printed_at": timezone.localtime(),
        },
    )


@login_required
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    area, people = selectors.roster(_actor(request), pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(f"{area.name}在场人员"))
    sheet.append([_("序号"), _("姓名"), _("门禁卡号"), _("岗位"), _("进入时间")])
    for number, presence in enumerate(people, start=1):
        entered = timezone.localtime(presence.entered_at).strftime("%Y-%m-%d %H:%M:%S")
        sheet.append([number, presence.worker.name, presence.worker.badge, presence.worker.post, entered])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{area.pk}.xlsx"'
    return response


# --- workbook import ----------------------------------------------------------------------------------


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload the transport registry workbook; the answer lists what was written or every problem."""
    actor = _actor(request)
    actor.require("vehicle.manage")
    outcome = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的 xlsx 文件。"))
            status = 422
        else:
            outcome = imports.import_transport_workbook(actor=actor, content=upload.read(), filename=upload.name or "")
            status = 422 if outcome.errors else 200
    return render(
        request,
        "vehicles/import.html",
        {
            "outcome": outcome,
            "labels": {e.key: e.spec.label for e in ENTITIES.values()},
            "error_columns": columns(_("工作表"), _("行"), _("列"), _("问题")),
        },
        status=status,
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _actor(request).require("vehicle.manage")
    response = HttpResponse(imports.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="transport-template.xlsx"'
    return response
