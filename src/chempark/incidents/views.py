"""Pages of incident command: the incident list, taking a call (form with a map click or an
enterprise/unit picker), one click from an alarm or a 事故模拟 run, the incident page (map with zone,
units, shelters and routes; decision panel; the zone for a reported release; public warnings;
dispatch; timeline; closure; investigation) and the closing report as DOCX and PDF."""

from __future__ import annotations

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

from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import DomainError, InvalidInput, NotFound
from chempark.core.map_layers import map_config
from chempark.core.page_input import checked_input, form_input, number_or_text
from chempark.core.tables import columns
from chempark.emergency import selectors as emergency
from chempark.emergency import simulation_sources
from chempark.emergency.models import SimulationKind
from chempark.incidents import (
    decision,
    dispatch_flow,
    dispatch_services,
    release_page,
    reports,
    selectors,
    services,
    warning_providers,
    warning_services,
)
from chempark.incidents.api import incident_input
from chempark.incidents.decision import route_geojson
from chempark.incidents.map import resource_line
from chempark.incidents.models import Incident, IncidentKind, IncidentStatus, Level
from chempark.incidents.schemas import (
    CloseIn,
    IncidentIn,
    IncidentPatch,
    IncidentWarningIn,
    InvestigationIn,
    NoteIn,
    WarningCancelIn,
)
from chempark.park.selectors import registry_visible

MAP_LAYERS = ("park", "targets", "enterprises", "roads", "emergency_resources", "shelters")
LABELS = {
    "title": gettext_lazy("事件名称"),
    "kind": gettext_lazy("事件类型"),
    "lon": gettext_lazy("经度"),
    "lat": gettext_lazy("纬度"),
    "enterprise": gettext_lazy("事发企业"),
    "unit": gettext_lazy("事发单元"),
    "chemicals": gettext_lazy("涉及化学品"),
    "deaths": gettext_lazy("死亡人数"),
    "injured": gettext_lazy("受伤人数"),
    "description": gettext_lazy("事件描述"),
    "reporter": gettext_lazy("报警人"),
    "reporter_phone": gettext_lazy("报警电话"),
    "level": gettext_lazy("响应级别"),
    "text": gettext_lazy("记录内容"),
    "summary": gettext_lazy("处置总结"),
    "lead": gettext_lazy("调查组组长"),
    "opened_on": gettext_lazy("成立日期"),
    "extended_to": gettext_lazy("延长至"),
    "submitted_on": gettext_lazy("报告提交日期"),
    "findings": gettext_lazy("调查结论"),
    "zone": gettext_lazy("预警范围"),
    "response_type": gettext_lazy("应对措施"),
    "urgency": gettext_lazy("紧迫程度"),
    "severity": gettext_lazy("严重程度"),
    "certainty": gettext_lazy("确定程度"),
    "event": gettext_lazy("事件"),
    "headline": gettext_lazy("预警标题"),
    "area_desc": gettext_lazy("区域描述"),
    "instruction": gettext_lazy("公众应对指引"),
    "note": gettext_lazy("解除说明"),
}
WARNING_CHOICES = {
    "response_types": [
        ("Shelter", gettext_lazy("就地避险")),
        ("Evacuate", gettext_lazy("撤离")),
        ("Prepare", gettext_lazy("做好准备")),
        ("Avoid", gettext_lazy("远离该区域")),
        ("Monitor", gettext_lazy("关注后续信息")),
    ],
    "urgencies": [
        ("Immediate", gettext_lazy("立即行动")),
        ("Expected", gettext_lazy("1 小时内行动")),
        ("Future", gettext_lazy("近期行动")),
    ],
    "severities": [
        ("Extreme", gettext_lazy("特别严重")),
        ("Severe", gettext_lazy("严重")),
        ("Moderate", gettext_lazy("较重")),
        ("Minor", gettext_lazy("一般")),
    ],
    "certainties": [
        ("Observed", gettext_lazy("已发生")),
        ("Likely", gettext_lazy("很可能")),
        ("Possible", gettext_lazy("可能")),
        ("Unlikely", gettext_lazy("不太可能")),
    ],
}
ACTION_LABELS = {
    dispatch_flow.Action.DEPART: gettext_lazy("出发"),
    dispatch_flow.Action.ARRIVE: gettext_lazy("到达现场"),
    dispatch_flow.Action.RELEASE: gettext_lazy("撤离返回"),
    dispatch_flow.Action.STAND_DOWN: gettext_lazy("归队可用"),
    dispatch_flow.Action.CANCEL: gettext_lazy("取消"),
}
LIST_COLUMNS = columns(
    gettext_lazy("事件名称"),
    gettext_lazy("类型"),
    gettext_lazy("来源"),
    gettext_lazy("接警时间"),
    gettext_lazy("事发企业"),
    gettext_lazy("建议响应级别"),
    gettext_lazy("状态"),
)


def labels(table: dict[str, Any]) -> dict[str, str]:
    """A table of lazy field labels in the current language, for a form's error messages."""
    return {name: str(label) for name, label in table.items()}


def _actor(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)


def _map_context(actor: Actor, names: tuple[str, ...] = MAP_LAYERS) -> dict[str, Any]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # every layer a page names is drawn, including those the one-map starts with switched off
        "layer_config": [{**layer, "visible": True} for layer in map_config(actor, names)],
    }


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status, q = request.GET.get("status", ""), request.GET.get("q", "")
    page = Paginator(selectors.incidents(actor, status=status, q=q), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/list.html",
        {
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "columns": LIST_COLUMNS,
            "menus": [{"name": "status", "label": _("状态"), "choices": IncidentStatus.choices}],
            "can_command": actor.can("incident.command"),
            "runs": _recent_runs(actor),
        },
    )


RECENT_RUNS = 5


def _recent_runs(actor: Actor) -> list[Any]:
    """The latest 事故模拟 runs the dispatcher may turn into an incident (with a button each)."""
    if not (actor.can("incident.command") and actor.can("simulation.run")):
        return []
    return list(emergency.simulation_runs(actor, kind=SimulationKind.ACCIDENT).order_by("-created_at")[:RECENT_RUNS])


def _incident_form(post: Any) -> IncidentIn:
    """The call form as the API's input: numbers read as numbers, the chemicals as a list of ids."""
    data: dict[str, Any] = {}
    for name in ("title", "kind", "description", "reporter", "reporter_phone"):
        data[name] = str(post.get(name, "")).strip()
    for name in ("lon", "lat", "enterprise", "unit", "deaths", "injured"):
        raw = str(post.get(name, "")).strip()
        if raw:
            value = number_or_text(raw)
            data[name] = (
                int(value) if isinstance(value, float) and value.is_integer() and name not in ("lon", "lat") else value
            )
    data["chemicals"] = [int(v) for v in post.getlist("chemicals") if v.isdigit()]
    return checked_input(IncidentIn, data, labels=labels(LABELS))


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("incident.command")
    if request.method == "POST":
        try:
            incident = services.incident_create(actor=actor, data=incident_input(_incident_form(request.POST)))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已接警，事件已建立。"))
            return redirect("incidents:detail", pk=incident.pk)
    units = registry_visible(actor, "unit").select_related("enterprise").order_by("enterprise__name", "code")
    return render(
        request,
        "incidents/new.html",
        {
            "kinds": IncidentKind.choices,
            "enterprises": registry_visible(actor, "enterprise").order_by("name"),
            "units": units,
            "chemicals": selectors.chemicals(actor).order_by("name_zh"),
            "form": request.POST,
            **_map_context(actor, ("park", "enterprises", "roads")),
        },
    )


@login_required
@require_POST
def incident_from_alarm(request: HttpRequest, alarm_id: int) -> HttpResponse:
    try:
        incident = services.incident_from_alarm(actor=_actor(request), alarm_id=alarm_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:alarm-detail", pk=alarm_id)
    messages.success(request, _("已由报警建立事件。"))
    return redirect("incidents:detail", pk=incident.pk)


@login_required
@require_POST
def incident_from_simulation(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        incident = services.incident_from_simulation(actor=_actor(request), run_id=run_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("emergency:simulation")
    messages.success(request, _("已由事故模拟建立事件。"))
    return redirect("incidents:detail", pk=incident.pk)


def _map_data(incident: Incident, panel: decision.Panel, dispatches: list[Any]) -> dict[str, Any]:
    """What the incident map draws over the park: the zone, the scene, dispatched and nearest units,
    shelters, routes and the assembly point (GeoJSON; colours as tokens)."""
    features: list[dict[str, Any]] = []
    for index, zone_feature in enumerate(incident.zone.get("geojson", {}).get("features", [])):
        features.append(
            {
                **zone_feature,
                "properties": {"role": "zone", "index": index, "name": zone_feature["properties"].get("label", "")},
            }
        )
    dispatched = {d.resource_id for d in dispatches if d.state in dispatch_flow.ACTIVE}
    now = timezone.now()
    for unit in panel.units:
        r = unit.resource
        lon, lat = r.position(now) or (r.lon, r.lat)
        line = f"{r.get_kind_display()} · {_eta(unit.route)}{_gps_note(r, now)}"
        features.append(_point(lon, lat, "unit", r.name, line))
        if unit.route is not None:
            features.append(route_geojson(unit.route, role="route", name=r.name))
    for d in dispatches:
        where = d.resource.position(now)
        if d.resource_id in dispatched and where is not None:
            line = f"{d.get_state_display()}{_gps_note(d.resource, now)}"
            features.append(_point(where[0], where[1], "dispatched", d.resource.name, line))
    for item in panel.shelters:
        s = item["resource"]
        features.append(_point(s.lon, s.lat, "shelter", s.name, f"{resource_line(s)} · {_eta(item['route'])}"))
    for item in panel.evacuation_routes:
        if item["route"] is not None:
            features.append(route_geojson(item["route"], role="evacuation", name=item["name"]))
    if panel.assembly is not None:
        features.append(_point(panel.assembly["lon"], panel.assembly["lat"], "assembly", _("上风向集结点"), ""))
    features.append(_point(incident.lon, incident.lat, "scene", incident.title, incident.get_kind_display()))
    return {"type": "FeatureCollection", "features": features}


def _gps_note(resource: Any, now: Any) -> str:
    """Where the position comes from, for the tooltip: a GPS fix and its time, or the base."""
    if resource.gps_fresh(now):
        return " · " + _("实时定位 %(time)s") % {"time": timezone.localtime(resource.gps_at).strftime("%H:%M")}
    return " · " + _("驻地位置")


def _point(lon: Any, lat: Any, role: str, name: str, line: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"role": role, "name": name, "line": line},
    }


def _eta(route: Any) -> str:
    return _("约 %(min)s 分钟") % {"min": f"{route.eta_min:.0f}"} if route is not None else _("不可达")


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    incident = selectors.incident_get(actor, pk)
    panel = decision.panel(actor, incident)
    orders = list(selectors.dispatches(actor, pk))
    rows = [
        (d, [(a.value, ACTION_LABELS[a]) for a in dispatch_flow.allowed_actions(dispatch_flow.State(d.state))])
        for d in orders
    ]
    investigation = getattr(incident, "investigation", None)
    zones = warning_services.zone_choices(incident)
    tanks = release_page.tank_choices(actor, incident)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "panel": panel,
            "dispatches": rows,
            "timeline": selectors.timeline(incident),
            "attachments": incident.attachments.defer("content"),
            "investigation": investigation,
            "levels": Level.choices,
            "open": incident.status == IncidentStatus.OPEN,
            "can_command": actor.can("incident.command"),
            "zone": incident.zone,
            "release_facts": release_page.facts(incident.zone),
            "release_notes": release_page.notes(incident.zone),
            "release_tanks": tanks,
            "hole": release_page.form_initial(
                incident.zone, tanks, simulation_sources.park_wind(actor)["ambient_pressure_pa"]
            ),
            "map_data": _map_data(incident, panel, orders),
            "warnings_available": warning_providers.provider() is not None,
            "can_warn": actor.can("warning.issue") and warning_providers.provider() is not None,
            "warnings": selectors.incident_warnings(actor, incident.pk),
            "warning_zones": zones,
            "warning_zone_default": zones[-1][0] if zones else None,
            "warning_texts": warning_services.defaults(incident),
            "warning_defaults": {r: warning_services.defaults(incident, r) for r in warning_services.RESPONSE_LABELS},
            **WARNING_CHOICES,
            **_map_context(actor),
        },
    )


def _form(schema: Any, post: Any) -> dict[str, Any]:
    result: dict[str, Any] = form_input(schema, post, labels=labels(LABELS)).model_dump()
    return result


@login_required
@require_POST
def incident_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor, post = _actor(request), request.POST
    try:
        if action == "note":
            services.incident_note(actor=actor, pk=pk, **_form(NoteIn, post))
        elif action == "zone":
            services.incident_zone_refresh(actor=actor, pk=pk, release=release_page.release_form(actor, post))
        elif action == "update":
            services.incident_update(actor=actor, pk=pk, **_form(IncidentPatch, post))
        elif action == "dispatch":
            dispatch_services.dispatch_create(actor=actor, incident_id=pk, resource_id=_row_id(post, "resource"))
        elif action == "dispatch-state":
            dispatch_services.dispatch_transition(
                actor=actor, pk=_row_id(post, "dispatch"), action=str(post.get("to", ""))
            )
        elif action == "close":
            services.incident_close(actor=actor, pk=pk, **_form(CloseIn, post))
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput(_("请选择要上传的文件。"), details={"file": ["required"]})
            services.attachment_add(
                actor=actor, pk=pk, name=upload.name or "", content=upload.read(services.MAX_ATTACHMENT_BYTES + 1)
            )
        elif action == "investigation":
            services.investigation_save(actor=actor, incident_id=pk, **_form(InvestigationIn, post))
        else:
            raise InvalidInput(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("incidents:detail", pk=pk)


@login_required
@require_POST
def incident_warning_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish (or draft), publish a reviewed draft, update or lift a warning of the incident."""
    actor, post = _actor(request), request.POST
    try:
        if action == "issue":
            ref = warning_services.incident_warning_issue(actor=actor, pk=pk, data=_warning_form(post))
            if ref.status == "draft":  # a draft is reviewed (and edited) on its own page
                messages.success(request, _("预警草稿已保存，请审核后发布。"))
                return redirect(ref.url)
        elif action == "publish":
            warning_services.incident_warning_publish(actor=actor, pk=pk, warning_id=_row_id(post, "warning"))
        elif action == "update":
            warning_services.incident_warning_update(
                actor=actor, pk=pk, warning_id=_row_id(post, "warning"), data=_warning_form(post)
            )
        elif action == "revise":
            return _warning_revise(request, actor, pk, _row_id(post, "warning"))
        elif action == "cancel":
            warning_services.incident_warning_cancel(
                actor=actor, pk=pk, warning_id=_row_id(post, "warning"), **_form(WarningCancelIn, post)
            )
        else:
            raise InvalidInput(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预警已发送。"))
    return redirect("incidents:detail", pk=pk)


def _warning_revise(request: HttpRequest, actor: Actor, pk: int, warning_id: int) -> HttpResponse:
    """The update form of the warning's own page (area drawn by hand), sent through the incident;
    the dispatcher stays on the warning's page, which shows the result or the reason of a refusal."""
    back = warning_services.warning_page(actor, pk, warning_id)
    try:
        revision = warning_services.warning_revision(request.POST)
        ref = warning_services.incident_warning_revise(actor=actor, pk=pk, warning_id=warning_id, revision=revision)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back) if back else redirect("incidents:detail", pk=pk)
    messages.success(request, _("预警更新已发送，已记入事件处置记录。"))
    return redirect(ref.url)


def _warning_form(post: Any) -> IncidentWarningIn:
    """The warning form as the API's input: the publish button is the ticked "publish" box, the
    draft button leaves it out."""
    return form_input(IncidentWarningIn, post, labels=labels(LABELS))


def _row_id(post: Any, name: str) -> int:
    raw = str(post.get(name, ""))
    if not raw.isdigit():
        raise InvalidInput(_("请选择对象。"), details={name: ["required"]})
    return int(raw)


@login_required
def incident_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    incident = selectors.incident_get(_actor(request), pk)
    if fmt == "docx":
        body, kind = (
            reports.incident_report_docx(incident),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        body, kind = reports.incident_report_pdf(incident), "application/pdf"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}.{fmt}"'
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    incident = selectors.incident_get(_actor(request), pk)
    attachment = incident.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("附件不存在。"))
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="attachment-{attachment.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
