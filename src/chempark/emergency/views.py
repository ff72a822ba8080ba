"""Pages of the emergency module: the 事故模拟 page and the QRA studies (list, detail with a polled
progress bar, the PDF report). The simulation page's script calls the same API as other clients."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chempark.accounts.actors import actor_for_user
from chempark.consequence import toxic
from chempark.core.errors import Conflict, DomainError
from chempark.emergency import reports, selectors, services
from chempark.emergency.models import InstallationStatus, QraStatus
from chempark.park.selectors import registry_visible


@login_required
def simulation_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("simulation.run")
    chemicals = [
        {"cas": c.cas, "name": c.name_zh, "levels": bool(toxic.levels_of_concern(c.cas or ""))}
        for c in registry_visible(actor, "chemical").exclude(cas__isnull=True).exclude(cas="")
    ]
    chemicals.sort(key=lambda c: (not c["levels"], c["name"]))
    runs = selectors.simulation_runs(actor, kind="accident")[:8]
    return render(request, "emergency/simulation.html", {
        "chemicals": chemicals, "runs": runs, "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


@login_required
def qra_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    studies = selectors.qra_studies(actor)
    error = ""
    if request.method == "POST":
        try:
            study = services.qra_study_create(
                actor=actor, name=(request.POST.get("name") or "").strip() or "园区定量风险评价",
                values={"installation_status": request.POST.get("installation_status", "existing")})
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("emergency:qra-detail", pk=study.pk)
    return render(request, "emergency/qra_list.html", {
        "studies": studies[:50], "error": error, "statuses": InstallationStatus.choices,
    }, status=422 if error else 200)


@login_required
def qra_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    study = selectors.qra_study_get(actor, pk)
    error = ""
    if request.method == "POST":
        try:
            services.qra_start(actor=actor, pk=pk, background=not getattr(settings, "QRA_IN_FOREGROUND", False))
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("emergency:qra-detail", pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "emergency/qra_progress.html", {"study": study})
    return render(request, "emergency/qra_detail.html", {
        "study": study, "error": error, "running": study.status in (QraStatus.QUEUED, QraStatus.RUNNING),
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


@login_required
def qra_report(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    study = selectors.qra_study_get(actor, pk)
    if study.status != QraStatus.SUCCEEDED:
        raise Conflict("该研究尚未完成计算，没有报告。", code="qra_not_finished")
    targets = registry_visible(actor, "protectivetarget").filter(park_id=study.park_id)
    response = HttpResponse(reports.qra_report_pdf(study, list(targets)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qra-{study.pk}.pdf"'
    return response
