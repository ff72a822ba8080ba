"""Pages of the resources ledger: the list by kind (with xlsx export and import), an entry's form,
the low-stock and expiry reminders, and the road network (speeds and blocks, with its map)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.errors import DomainError, InvalidInput
from chempark.core.page_input import form_input
from chempark.core.tables import columns, import_error_columns
from chempark.incidents import ledger_services, ledger_workbook, selectors
from chempark.incidents.map import resource_line
from chempark.incidents.models import Availability, EquipmentType, OwnerKind, ResourceKind
from chempark.incidents.schemas import ResourceIn, RoadSegmentIn
from chempark.incidents.views import _actor, _map_context, labels
from chempark.park.selectors import registry_visible

RESOURCE_LABELS = {
    "kind": gettext_lazy("类别"),
    "name": gettext_lazy("名称"),
    "owner_kind": gettext_lazy("归属"),
    "enterprise": gettext_lazy("所属企业"),
    "team": gettext_lazy("所属队伍"),
    "warehouse": gettext_lazy("存放仓库"),
    "lon": gettext_lazy("经度"),
    "lat": gettext_lazy("纬度"),
    "availability": gettext_lazy("可用状态"),
    "contact": gettext_lazy("联系人"),
    "phone": gettext_lazy("值班/联系电话"),
    "members": gettext_lazy("队员人数"),
    "specialty": gettext_lazy("专业"),
    "chemicals": gettext_lazy("熟悉的化学品"),
    "equipment_type": gettext_lazy("装备类型"),
    "last_inspected_on": gettext_lazy("最近检验日期"),
    "quantity": gettext_lazy("数量"),
    "min_stock": gettext_lazy("最低库存"),
    "unit_of_measure": gettext_lazy("计量单位"),
    "expires_on": gettext_lazy("有效期至"),
    "capacity": gettext_lazy("容纳人数"),
    "signage": gettext_lazy("已设置标识"),
    "notes": gettext_lazy("备注"),
    "speed_kmh": gettext_lazy("通行速度 (km/h)"),
    "blocked": gettext_lazy("封闭"),
    "blocked_reason": gettext_lazy("封闭原因"),
}
RESOURCE_COLUMNS = columns(
    gettext_lazy("名称"), gettext_lazy("类别"), gettext_lazy("归属"), gettext_lazy("状态与规模"), gettext_lazy("位置")
)
REMINDER_COLUMNS = columns(
    gettext_lazy("名称"),
    gettext_lazy("数量"),
    gettext_lazy("最低库存"),
    gettext_lazy("有效期至"),
    gettext_lazy("存放仓库"),
)
ROAD_COLUMNS = columns(
    gettext_lazy("道路"),
    gettext_lazy("长度 (m)"),
    gettext_lazy("通行速度与封闭"),
)


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind, q = request.GET.get("kind", ""), request.GET.get("q", "")
    rows = selectors.resources(actor, kind=kind, q=q)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/resources.html",
        {
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "columns": RESOURCE_COLUMNS,
            "menus": [{"name": "kind", "label": _("类别"), "choices": ResourceKind.choices}],
            "can_write": actor.can("resource.write"),
            "line": resource_line,
        },
    )


@login_required
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _actor(request)
    resource = selectors.resource_get(actor, pk) if pk is not None else None
    if request.method == "POST":
        try:
            values = form_input(ResourceIn, request.POST, labels=labels(RESOURCE_LABELS)).model_dump()
            values.pop("chemicals")
            if values["owner_kind"] is None:
                del values["owner_kind"]
            chemicals = [int(v) for v in request.POST.getlist("chemicals") if v.isdigit()]
            saved = ledger_services.resource_save(actor=actor, values=values, chemical_ids=chemicals, pk=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("incidents:resource", pk=saved.pk)
    teams = selectors.resources(actor, kind=ResourceKind.TEAM)
    return render(
        request,
        "incidents/resource_form.html",
        {
            "resource": resource,
            "chosen": {c.pk for c in resource.chemicals.all()} if resource else set(),
            "kinds": ResourceKind.choices,
            "owners": OwnerKind.choices,
            "availabilities": Availability.choices,
            "equipment_types": EquipmentType.choices,
            "enterprises": registry_visible(actor, "enterprise").order_by("name"),
            "teams": teams,
            "warehouses": selectors.resources(actor, kind=ResourceKind.WAREHOUSE),
            "chemicals": selectors.chemicals(actor).order_by("name_zh"),
            "can_write": actor.can("resource.write"),
            "own_enterprise": actor.enterprise_id if actor.is_enterprise_scoped else None,
            "dispatches": resource.dispatches.select_related("incident")[:20] if resource else [],
        },
    )


@login_required
@require_POST
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require("resource.write")  # a role without it gets the 403 page, not a message
    try:
        ledger_services.resource_delete(actor=actor, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("incidents:resource", pk=pk)
    messages.success(request, _("已删除。"))
    return redirect("incidents:resources")


@login_required
def resource_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.resources(_actor(request), kind=request.GET.get("kind", ""), q=request.GET.get("q", ""))
    response = HttpResponse(
        ledger_workbook.export_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="emergency-resources.xlsx"'
    return response


@login_required
@require_POST
def resource_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 xlsx 文件。"))
        return redirect("incidents:resources")
    result = ledger_workbook.import_workbook(actor=actor, content=upload.read())
    if result.errors:
        context = {"errors": result.errors, "error_columns": import_error_columns()}
        return render(request, "incidents/import_errors.html", context, status=422)
    messages.success(
        request, _("导入完成：新增 %(c)s 条，更新 %(u)s 条。") % {"c": result.created, "u": result.updated}
    )
    return redirect("incidents:resources")


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    low, expiring = list(selectors.low_stock(actor)), list(selectors.expiring(actor))
    return render(
        request,
        "incidents/reminders.html",
        {
            "low": low,
            "expiring": expiring,
            "columns": REMINDER_COLUMNS,
            "days": selectors.EXPIRY_WARNING_DAYS,
            "shelters_without_signage": selectors.resources(actor, kind=ResourceKind.SHELTER)
            .filter(signage=False)
            .count(),
        },
    )


@login_required
def roads(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        try:
            raw = str(request.POST.get("segment", ""))
            if not raw.isdigit():
                raise InvalidInput(_("请选择路段。"), details={"segment": ["required"]})
            values: dict[str, Any] = form_input(
                RoadSegmentIn, request.POST, labels=labels(RESOURCE_LABELS)
            ).model_dump()
            ledger_services.road_segment_update(actor=actor, pk=int(raw), **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("incidents:roads")
    segments = selectors.road_segments(actor)
    return render(
        request,
        "incidents/roads.html",
        {
            "segments": segments,
            "columns": ROAD_COLUMNS,
            "can_write": actor.can("road.write"),
            "blocked": segments.filter(blocked=True).count(),
            **_map_context(actor, ("park", "roads")),
        },
    )
