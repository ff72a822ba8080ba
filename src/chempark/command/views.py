"""Pages of the command centre: the screen (大屏: one page, dark, for a wall at 1920 × 1080; its
figures come from ``/api/v1/command/screen`` and are fetched again on every live event), the landing
pages (the bureau's command overview, the enterprise workbench: ``overview.py``), the duty roster
with the daily report, and the shift handovers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.command import duty_report, duty_selectors, duty_services, overview
from chempark.command.models import HandoverStatus
from chempark.command.schemas import NotesIn, ReportDay, ShiftIn
from chempark.core import map_layers
from chempark.core.actors import actor_for_user
from chempark.core.errors import DomainError
from chempark.core.page_input import checked_input

SCREEN_LAYERS = ("park", "areas", "enterprises", "major_hazards")


@login_required
def command_overview(request: HttpRequest) -> HttpResponse:
    """The bureau's landing page: the 大屏 at desk size (``?fragment=1``: its body, reloaded each minute)."""
    context = overview.command_overview(actor_for_user(request.user))
    template = "command/_overview_body.html" if request.GET.get("fragment") else "command/overview.html"
    return render(request, template, context)


@login_required
def enterprise_workbench(request: HttpRequest) -> HttpResponse:
    """An enterprise user's landing page: what is due today and what is wrong now, its own only."""
    context = overview.enterprise_workbench(actor_for_user(request.user))
    template = "command/_workbench_body.html" if request.GET.get("fragment") else "command/workbench.html"
    return render(request, template, context)


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("command.read")
    return render(
        request,
        "command/screen.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "layer_config": map_layers.map_config(actor, SCREEN_LAYERS),
            "labels": {
                "open": _("实时已连接"),
                "reconnecting": _("实时重连中"),
                "updated": _("更新于"),
                "no_alarms": _("当前无报警"),
                "alarms": _("报警数"),
                "alarms_unit": _("条"),
                "index": _("风险指数"),
                "inherent": _("固有"),
                "monitoring": _("监测"),
                "management": _("管理"),
                "error": _("数据获取失败，稍后自动重试"),
            },
        },
    )


# --- duty roster and handover ------------------------------------------------------------------------

SHIFT_LABELS = {
    "starts_at": _("开始时间"),
    "ends_at": _("结束时间"),
    "leader": _("带班领导"),
    "officers": _("值班员"),
    "phone": _("值班电话"),
    "note": _("备注"),
}


def _int_or_text(raw: str) -> int | str:
    return int(raw) if raw.strip().isdigit() else raw


@login_required
def duty(request: HttpRequest) -> HttpResponse:
    """The roster: yesterday to a week ahead, who is on duty now, a new shift, the daily report."""
    actor = actor_for_user(request.user)
    actor.require("command.read")
    if request.method == "POST":
        form = request.POST
        data = {
            "starts_at": form.get("starts_at", ""),
            "ends_at": form.get("ends_at", ""),
            "leader": _int_or_text(form.get("leader", "")),
            "officers": [_int_or_text(v) for v in form.getlist("officers")],
            "phone": form.get("phone", ""),
            "note": form.get("note", ""),
        }
        try:
            values = checked_input(ShiftIn, data, labels=SHIFT_LABELS)
            duty_services.shift_create(actor=actor, **values.model_dump())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("班次已安排。"))
            return redirect("command:duty")
    today = timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min))
    return render(
        request,
        "command/duty.html",
        {
            "shifts": duty_selectors.shifts(actor, since=since, until=since + dt.timedelta(days=9)),
            "now_shift": duty_selectors.shift_now(),
            "staff": duty_selectors.duty_staff(),
            "can_write": actor.can("duty.write"),
            "today": today,
        },
    )


@login_required
def duty_report_download(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    day = checked_input(ReportDay, {"date": request.GET.get("date", "")}, labels={"date": _("日期")}).date
    response = HttpResponse(duty_report.duty_report_docx(actor, day), content_type=duty_report.DOCX)
    response["Content-Disposition"] = f'attachment; filename="duty-report-{day.isoformat()}.docx"'
    return response


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    if request.method == "POST":
        try:
            record = duty_services.handover_create(actor=actor, notes=request.POST.get("notes", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("command:handover-list")
        return redirect("command:handover-detail", pk=record.pk)
    return render(
        request,
        "command/handover_list.html",
        {
            "rows": duty_selectors.handovers(actor)[:200],
            "now_shift": duty_selectors.shift_now(),
            "can_write": actor.can("duty.write"),
        },
    )


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    record = duty_selectors.handover_get(actor, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "notes":
                notes = checked_input(
                    NotesIn, {"notes": request.POST.get("notes", "")}, labels={"notes": _("交班说明")}
                )
                duty_services.handover_update(actor=actor, pk=pk, notes=notes.notes)
            elif action == "sign":
                duty_services.handover_sign(actor=actor, pk=pk)
            elif action == "accept":
                duty_services.handover_accept(actor=actor, pk=pk)
            else:
                messages.error(request, _("未知的操作。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("command:handover-detail", pk=pk)
    groups: dict[str, list[dict[str, str]]] = {}
    for item in record.open_items:
        groups.setdefault(item.get("group", ""), []).append(item)
    mine = record.outgoing_id == actor.user_id
    return render(
        request,
        "command/handover_detail.html",
        {
            "record": record,
            "groups": groups,
            "can_edit": actor.can("duty.write") and mine and record.status == HandoverStatus.DRAFT,
            "can_accept": actor.can("duty.write") and not mine and record.status == HandoverStatus.HANDED_OVER,
        },
    )
