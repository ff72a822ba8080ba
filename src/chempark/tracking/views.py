"""Pages of vehicle tracking: live vehicles, track replay, violations, fences and routes, the
monthly report."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.common.geo import geometry_problem, outside_park_problem
from chempark.core import map_layers
from chempark.core.actors import Actor, actor_for_user
from chempark.core.bounds import parse_row_id
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.page_input import checked_input, number_or_text
from chempark.core.tables import columns
from chempark.park.selectors import park_boundary
from chempark.tracking import report as monthly
from chempark.tracking import selectors, services
from chempark.tracking.models import FenceKind, ViolationKind
from chempark.tracking.schemas import FenceValues

VEHICLE_COLUMNS = columns(
    gettext_lazy("车牌号"),
    gettext_lazy("承运企业"),
    gettext_lazy("终端"),
    gettext_lazy("状态"),
    gettext_lazy("速度（km/h）"),
    gettext_lazy("最新定位"),
    gettext_lazy("轨迹"),
)
VIOLATION_COLUMNS = columns(
    gettext_lazy("违规类型"),
    gettext_lazy("车辆"),
    gettext_lazy("围栏/路线"),
    gettext_lazy("开始"),
    gettext_lazy("结束"),
    gettext_lazy("最高速度/限速"),
)
FENCE_COLUMNS = columns(
    gettext_lazy("名称"),
    gettext_lazy("类型"),
    gettext_lazy("限速（km/h）"),
    gettext_lazy("宽度（m）"),
    gettext_lazy("车位数"),
    gettext_lazy("通行时段"),
)
FENCE_LABELS = {
    "name": _("名称"),
    "kind": _("类型"),
    "geometry": _("位置"),
    "width_m": _("路线宽度（m）"),
    "speed_limit_kmh": _("限速（km/h）"),
    "capacity": _("车位数"),
    "windows": _("通行时段"),
}
REPLAY_DEFAULT_H = 2


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


def _map_context(actor: Actor, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "layer_config": map_layers.map_config(actor, names),
    }


@login_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    open_terminals = selectors.open_violation_terminals(actor)
    rows = [(t, selectors.live_state(t, t.pk in open_terminals)) for t in selectors.terminals(actor)]
    return render(request, "tracking/vehicles.html", {"rows": rows, "columns": VEHICLE_COLUMNS})


def _local_input(value: str, fallback: datetime) -> datetime:
    """A ``datetime-local`` field's value in the site's time zone; the fallback when empty."""
    if not value:
        return fallback
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError:
        raise InvalidInput(
            _("时间格式无效：%(value)s") % {"value": value}, details={"start": [_("时间格式无效")]}
        ) from None


@login_required
def replay(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    terminals = list(selectors.terminals(actor).exclude(last_ms=None))
    chosen = None
    raw = request.GET.get("terminal", "")
    if raw:
        try:
            chosen = selectors.terminal_get(actor, parse_row_id(raw))
        except ValueError:
            raise InvalidInput(_("车辆编号无效"), details={"terminal": [_("车辆编号无效")]}) from None
    elif terminals:
        chosen = terminals[0]
    end_default = timezone.now()
    if chosen is not None and chosen.last_ms is not None:
        end_default = datetime.fromtimestamp(chosen.last_ms / 1000, tz=timezone.get_current_timezone()) + timedelta(
            minutes=1
        )
    end = _local_input(request.GET.get("end", ""), end_default)
    start = _local_input(request.GET.get("start", ""), end - timedelta(hours=REPLAY_DEFAULT_H))
    track: list[dict[str, Any]] = []
    if chosen is not None:
        track = [
            {"t": p.ts_ms, "lon": p.lon, "lat": p.lat, "v": p.speed_kmh, "h": p.heading}
            for p in selectors.track(actor, chosen.pk, start, end)
        ]
    violations = []
    if chosen is not None:
        rows = selectors.violations(actor, terminal_id=chosen.pk).filter(started_at__gte=start, started_at__lte=end)
        for row in rows.order_by("started_at"):
            violations.append(
                {
                    "t": int(row.started_at.timestamp() * 1000),
                    "kind": row.get_kind_display(),
                    "lon": row.lon,
                    "lat": row.lat,
                }
            )
    local = timezone.get_current_timezone()
    return render(
        request,
        "tracking/replay.html",
        {
            **_map_context(actor, ("park", "fences")),
            "terminals": terminals,
            "chosen": chosen,
            "start": start.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
            "end": end.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
            "track": {"points": track, "violations": violations},
        },
    )


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind = request.GET.get("kind", "")
    if kind and kind not in ViolationKind.values:
        raise InvalidInput(_("违规类型无效"), details={"kind": [_("违规类型无效")]})
    open_only = request.GET.get("open") == "1"
    rows = selectors.violations(actor, kind=kind, open_only=open_only)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/violations.html",
        {
            "page": page,
            "columns": VIOLATION_COLUMNS,
            "query": query.urlencode(),
            "filters": {"kind": kind, "open": "1" if open_only else ""},
            "menus": [
                {"name": "kind", "label": _("违规类型"), "choices": ViolationKind.choices},
                {"name": "open", "label": _("状态"), "choices": [("1", _("持续中"))]},
            ],
        },
    )


@login_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    row = selectors.violation_get(actor, pk)
    replay_from = (row.started_at - timedelta(minutes=15)).astimezone(timezone.get_current_timezone())
    replay_to = ((row.ended_at or timezone.now()) + timedelta(minutes=15)).astimezone(timezone.get_current_timezone())
    return render(
        request,
        "tracking/violation.html",
        {
            "row": row,
            "replay_from": replay_from.strftime("%Y-%m-%dT%H:%M"),
            "replay_to": replay_to.strftime("%Y-%m-%dT%H:%M"),
        },
    )


@login_required
def fence_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "tracking/fences.html",
        {"rows": selectors.fences(actor), "columns": FENCE_COLUMNS, "can_edit": actor.can("tracking.configure")},
    )


def _fence_values(request: HttpRequest) -> FenceValues:
    """The form through the API's schema: numbers read from their text, geometry and windows as JSON."""
    form = request.POST
    data: dict[str, Any] = {"name": form.get("name", "").strip(), "kind": form.get("kind", "")}
    for name in ("width_m", "speed_limit_kmh"):
        raw = form.get(name, "").strip()
        if raw:
            data[name] = number_or_text(raw)
    capacity = form.get("capacity", "").strip()
    if capacity:
        data["capacity"] = int(capacity) if capacity.isdigit() else capacity
    for name in ("geometry", "windows"):
        text = form.get(name, "").strip()
        if not text:
            continue
        try:
            data[name] = json.loads(text)
        except json.JSONDecodeError:
            label = FENCE_LABELS[name]
            raise InvalidInput(_("%(label)s不是有效的 JSON") % {"label": label}, details={name: [label]}) from None
    _check_drawn(data)
    return checked_input(FenceValues, data, labels=FENCE_LABELS)


def _check_drawn(data: dict[str, Any]) -> None:
    """The drawn geometry refused in the page's words, before the schema (whose message names the API's
    field): an invalid shape (a self-intersecting polygon) or one far outside the park."""
    geometry = data.get("geometry")
    if geometry is None or data["kind"] not in FenceKind.values:
        return
    allowed = ("LineString",) if data["kind"] == FenceKind.CORRIDOR else ("Polygon",)
    problem = geometry_problem(geometry, allowed)
    boundary = park_boundary()
    if problem is None and boundary is not None and data["kind"] != FenceKind.BOUNDARY:
        problem = outside_park_problem(geometry, boundary)
    if problem is not None:
        label = FENCE_LABELS["geometry"]
        raise InvalidInput(f"{label}：{problem}", details={"geometry": [problem]})


def _fence_kinds() -> list[tuple[str, str, str]]:
    """The kinds with the geometry each is drawn as: a corridor's centre line, every other an area."""
    return [
        (value, str(label), "LineString" if value == FenceKind.CORRIDOR else "Polygon")
        for value, label in FenceKind.choices
    ]


@login_required
def fence_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _actor(request)
    actor.require("tracking.configure")
    fence = selectors.fence_get(actor, pk) if pk is not None else None
    error = ""
    if request.method == "POST":
        try:
            values = _fence_values(request)
            if fence is None:
                fence = services.fence_create(actor=actor, values=values)
            else:
                fence = services.fence_update(actor=actor, fence_id=fence.pk, values=values)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已保存围栏“%(name)s”。") % {"name": fence.name})
            return redirect("tracking:fences")
    initial = {
        "name": request.POST.get("name", fence.name if fence else ""),
        "kind": request.POST.get("kind", fence.kind if fence else FenceKind.CORRIDOR),
        "geometry": request.POST.get("geometry", json.dumps(fence.geometry, ensure_ascii=False) if fence else ""),
        "width_m": request.POST.get("width_m", fence.width_m if fence and fence.width_m is not None else ""),
        "speed_limit_kmh": request.POST.get(
            "speed_limit_kmh", fence.speed_limit_kmh if fence and fence.speed_limit_kmh else ""
        ),
        "capacity": request.POST.get("capacity", fence.capacity if fence and fence.capacity else ""),
        "windows": request.POST.get("windows", json.dumps(fence.windows) if fence and fence.windows else ""),
    }
    return render(
        request,
        "tracking/fence_form.html",
        {"fence": fence, "initial": initial, "kinds": _fence_kinds(), "error": error},
        status=422 if error else 200,
    )


@login_required
@require_POST
def fence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    fence = selectors.fence_get(actor, pk)
    services.fence_delete(actor=actor, fence_id=pk)
    messages.success(request, _("已删除围栏“%(name)s”。") % {"name": fence.name})
    return redirect("tracking:fences")


@login_required
def report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("tracking.read")
    month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
    try:
        monthly.month_bounds(month)
    except ValueError:
        raise InvalidInput(_("月份格式应为 YYYY-MM"), details={"month": [_("月份格式应为 YYYY-MM")]}) from None
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            monthly.workbook(actor, month),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="vehicles-{month}.xlsx"'
        return response
    return render(
        request,
        "tracking/report.html",
        {"month": month, "rows": monthly.carrier_month(actor, month), "kinds": list(ViolationKind)},
    )
