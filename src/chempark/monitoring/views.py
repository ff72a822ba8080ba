"""Monitoring pages: alarms (list, detail with acknowledge and handling record), points with their
trend chart, indicators, and the live event stream."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.core.actors import actor_for_user
from chempark.core.bounds import parse_row_id
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.map_layers import map_config
from chempark.core.middleware import background
from chempark.core.tables import columns
from chempark.monitoring import alarm_bulk, indicators, live, selectors, services
from chempark.monitoring.forms import AlarmFilterForm
from chempark.monitoring.models import AlarmStatus, Point, PointChangeRequest, PointKind
from chempark.park.selectors import registry_visible

ALARM_COLUMNS = columns(
    gettext_lazy("选择"),
    gettext_lazy("报警时间"),
    gettext_lazy("企业"),
    gettext_lazy("点位/摄像机"),
    gettext_lazy("类型"),
    gettext_lazy("严重程度"),
    gettext_lazy("触发值/峰值"),
    gettext_lazy("状态"),
    gettext_lazy("操作"),
)
POINT_COLUMNS = columns(
    gettext_lazy("点位"),
    gettext_lazy("企业"),
    gettext_lazy("类型"),
    gettext_lazy("最新值"),
    gettext_lazy("L / H / HH"),
    gettext_lazy("状态"),
)


@login_required
def alarm_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    enterprises = (
        list(registry_visible(actor, "enterprise").order_by("name").values_list("pk", "name"))
        if actor.can("registry.read")
        else []
    )
    form = AlarmFilterForm(request.GET, enterprises=enterprises)
    if form.is_valid():
        rows = selectors.alarms_search(actor, **form.search_arguments()).select_related("point__latest")
    else:  # a bad filter is named above the table, and nothing is listed for it
        rows = selectors.alarms_search(actor).none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("fragment", None)
    query.pop("page", None)
    context = {
        "page": page,
        "snapshots": selectors.alarm_snapshot_events(page.object_list),
        "form": form,
        "query": query.urlencode(),
        "columns": ALARM_COLUMNS,
        "can_ack": actor.can("alarm.handle"),
        "ackable": (AlarmStatus.ACTIVE_UNACK, AlarmStatus.CLEARED_UNACK),
    }
    if request.GET.get("fragment"):  # the live reload: the table and its pager, counts included
        return render(request, "monitoring/_alarm_table.html", context)
    return render(request, "monitoring/alarm_list.html", context)


@login_required
@require_POST
def alarm_acknowledge_many(request: HttpRequest) -> HttpResponse:
    """Acknowledge the ticked alarms, or the one whose row button was pressed, with the note; back
    to the list as it was filtered."""
    one = request.POST.get("one", "")
    raw = [one] if one else request.POST.getlist("ids")
    back = reverse("monitoring:alarm-list") + "?" + request.POST.get("query", "")
    try:
        ids = [parse_row_id(value) for value in raw]
    except ValueError:
        messages.error(request, _("所选报警编号无效。"))
        return redirect(back)
    try:
        done = alarm_bulk.alarms_acknowledge(
            actor=actor_for_user(request.user), alarm_ids=ids, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if done.acknowledged:
        messages.success(request, _("已确认 %(n)d 条报警。") % {"n": len(done.acknowledged)})
    if done.already_acknowledged:
        messages.warning(request, _("%(n)d 条报警此前已被确认，未重复处理。") % {"n": len(done.already_acknowledged)})
    if done.not_found:
        messages.error(request, _("%(n)d 条报警不存在或不属于本企业。") % {"n": len(done.not_found)})
    return redirect(back)


ALARM_MAP_LAYERS = ("park", "areas", "enterprises", "units")
"""The one-map layers under the alarm page's small map: the area, enterprise and unit the point is in."""


@login_required
def alarm_snapshot(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    """The snapshot of a video-analytics alarm (``size="thumb"``: its small JPEG), served only to
    whoever may see the alarm. The picture was decoded at ingest; it is still sent with its own
    type, ``nosniff`` and a sandboxing policy, so a browser never runs it as anything else."""
    event = selectors.alarm_snapshot(actor_for_user(request.user), pk)
    if size == "thumb" and event.thumbnail:
        response = HttpResponse(bytes(event.thumbnail), content_type="image/jpeg")
    else:
        response = HttpResponse(bytes(event.snapshot), content_type=event.snapshot_type)
    extension = "png" if event.snapshot_type == "image/png" and size != "thumb" else "jpg"
    response["Content-Disposition"] = f'inline; filename="alarm-{pk}{"-thumb" if size == "thumb" else ""}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def alarm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    alarm = selectors.alarm_get(actor, pk)
    cameras = selectors.cameras_near_alarm(actor, alarm)
    can_handle = actor.can("alarm.handle")
    # where it is: the point's (or the camera's) place, drawn on a small map
    source = alarm.point or alarm.camera
    location = None if source is None else {"lon": source.lon, "lat": source.lat, "name": source.name}
    if location is None and alarm.lon is not None and alarm.lat is not None:  # another module's alarm
        location = {"lon": alarm.lon, "lat": alarm.lat, "name": alarm.subject}
    return render(
        request,
        "monitoring/alarm_detail.html",
        {
            "alarm": alarm,
            "location": location,
            "can_registry": actor.can("registry.read"),
            "can_map": actor.can("map.read"),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "layer_config": map_config(actor, ALARM_MAP_LAYERS),
            "handling": alarm.handling.select_related("by"),
            "snapshot": selectors.alarm_snapshot_events([alarm]).get(alarm.pk),
            "cameras": cameras,
            "can_ack": can_handle and alarm.status in (AlarmStatus.ACTIVE_UNACK, AlarmStatus.CLEARED_UNACK),
            "can_handle": can_handle,
            # 事故模拟 pre-filled with the point's tank or unit, its chemical and the measured wind
            "can_simulate": actor.can("simulation.run") and alarm.point_id is not None,
        },
    )


@login_required
@require_POST
def alarm_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.alarm_acknowledge(actor=actor_for_user(request.user), alarm_id=pk, note=request.POST.get("note", ""))
        messages.success(request, _("报警已确认。"))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("monitoring:alarm-detail", pk=pk)


@login_required
@require_POST
def alarm_handling(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.alarm_record_handling(
            actor=actor_for_user(request.user), alarm_id=pk, text=request.POST.get("text", "")
        )
        messages.success(request, _("处置记录已保存。"))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("monitoring:alarm-detail", pk=pk)


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    chosen = request.GET.get("enterprise", "")
    try:
        enterprise = parse_row_id(chosen) if chosen else None
    except ValueError:
        raise InvalidInput(_("企业须从列表中选择。"), details={"enterprise": [chosen]}) from None
    kind = request.GET.get("kind", "")
    if kind and kind not in PointKind.values:
        raise InvalidInput(_("没有这种点位类型。"), details={"kind": [kind]})
    rows = selectors.points_search(actor, query=request.GET.get("q", ""), kind=kind, enterprise=enterprise)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    menus = [{"name": "kind", "label": _("点位类型"), "choices": PointKind.choices}]
    if actor.enterprise_id is None:  # an enterprise user sees only its own points
        enterprises = registry_visible(actor, "enterprise").order_by("name").values_list("pk", "name")
        menus.insert(0, {"name": "enterprise", "label": _("企业"), "choices": list(enterprises)})
    return render(
        request,
        "monitoring/point_list.html",
        {
            "page": page,
            "q": request.GET.get("q", ""),
            "query": query.urlencode(),
            "columns": POINT_COLUMNS,
            "menus": menus,
        },
    )


MAX_TREND_HOURS = 24 * 366


def _hours(request: HttpRequest) -> int:
    """The trend window asked for (``?hours=``), 6 hours unless it is a whole number of hours up to a year."""
    try:
        hours = int(request.GET.get("hours", "6"))
    except ValueError:
        return 6
    return hours if 1 <= hours <= MAX_TREND_HOURS else 6


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    point = selectors.point_get(actor, pk)
    since_ms, until_ms = indicators.default_window(hours=_hours(request))
    trend = indicators.trend(actor, pk, since_ms=since_ms, until_ms=until_ms)
    return render(
        request,
        "monitoring/point_detail.html",
        {
            "point": point,
            "trend": trend,
            "alarms": selectors.alarms_search(actor).filter(point=point)[:20],
            "change_requests": [
                _pending_change(row)
                for row in selectors.change_requests_search(actor, status="pending", point=point.pk)
            ],
        },
    )


def _pending_change(row: PointChangeRequest) -> dict[str, Any]:
    """A pending change request in the page's words: each field's name, current and requested value."""

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return str(_("启用") if value else _("停用"))
        return "—" if value is None else str(value)

    changes = [
        {
            "field": str(getattr(Point._meta.get_field(name), "verbose_name", name)),
            "before": shown(row.before.get(name)),
            "after": shown(value),
        }
        for name, value in row.changes.items()
    ]
    return {"requested_at": row.requested_at, "requested_by": row.requested_by, "changes": changes}


@login_required
def point_trend(request: HttpRequest, pk: int) -> JsonResponse:
    actor = actor_for_user(request.user)
    since_ms, until_ms = indicators.default_window(hours=_hours(request))
    return JsonResponse(indicators.trend(actor, pk, since_ms=since_ms, until_ms=until_ms))


@login_required
def indicator_page(request: HttpRequest) -> HttpResponse:
    data = indicators.indicators(actor_for_user(request.user))
    return render(request, "monitoring/indicators.html", {"data": data})


@background
@login_required
def live_stream(request: HttpRequest) -> StreamingHttpResponse:
    actor = actor_for_user(request.user)
    actor.require("monitoring.read")
    response = StreamingHttpResponse(live.stream_for(request, actor), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
