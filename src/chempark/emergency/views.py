"""Pages of the emergency module: the 事故模拟 page and the QRA studies (list, detail with a polled
progress bar, the PDF report). The simulation page's script calls the same API as other clients."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chempark.accounts.actors import actor_for_user
from chempark.consequence import accident
from chempark.core.errors import Conflict, DomainError, InvalidInput
from chempark.emergency import model_warnings, reports, selectors, services
from chempark.emergency.models import InstallationStatus, QraStatus, QraStudy
from chempark.park.selectors import registry_visible


@login_required
def simulation_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("simulation.run")
    chemicals = [
        {"cas": c.cas, "name": c.name_zh, "levels": accident.has_default_thresholds(c.cas or "")}
        for c in registry_visible(actor, "chemical").exclude(cas__isnull=True).exclude(cas="")
    ]
    chemicals.sort(key=lambda c: (not c["levels"], c["name"]))
    runs = selectors.simulation_runs(actor, kind="accident")[:8]
    return render(request, "emergency/simulation.html", {
        "chemicals": chemicals, "runs": runs, "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION, "warning_texts": model_warnings.warning_texts(),
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
            if request.POST.get("action") == "edit":
                services.qra_study_update(actor=actor, pk=pk, values=_study_edits(request, study))
            else:
                services.qra_start(actor=actor, pk=pk)
        except DomainError as exc:
            error = exc.message
            study = selectors.qra_study_get(actor, pk)
        else:
            return redirect("emergency:qra-detail", pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "emergency/qra_progress.html", {"study": study})
    return render(request, "emergency/qra_detail.html", {
        "study": study, "error": error, "running": services.qra_running(study),
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "sectors": list(zip(WIND_SECTORS, study.wind_rose, strict=False)),
        "stabilities": ("A", "B", "C", "D", "E", "F"),
        "notes": [model_warnings.localized_note(n) for n in study.notes],
        "warnings": model_warnings.localized_qra_warnings(study.results or {}),
    }, status=422 if error else 200)


WIND_SECTORS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")


def _float(request: HttpRequest, name: str, label: str) -> float:
    raw = (request.POST.get(name) or "").strip()
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(f"{label}：“{raw}”不是数字。", code="validation_error", details={name: ["number"]}) from None


def _study_edits(request: HttpRequest, study: QraStudy) -> dict[str, Any]:
    """The page's edit form → the fields of :func:`services.qra_study_update` (which validates them:
    probabilities sum to 1, frequencies non-negative). A weather row with an empty name is dropped."""
    weather = []
    for index in range(len(study.weather_classes) + 1):
        name = (request.POST.get(f"w{index}_name") or "").strip()
        if not name:
            continue
        weather.append({"name": name[:20], "stability": request.POST.get(f"w{index}_stability", ""),
                        "wind_speed_m_s": _float(request, f"w{index}_speed", f"{name} 风速"),
                        "probability": _float(request, f"w{index}_p", f"{name} 概率")})
    rose = [_float(request, f"rose{index}", f"风玫瑰 {sector}") for index, sector in enumerate(WIND_SECTORS)]
    scenarios = []
    for index, row in enumerate(study.scenarios):
        frequency = _float(request, f"f{index}", f"{row.get('name', index)} 频率")
        if frequency < 0.0:
            raise InvalidInput(f"{row.get('name', index)}：频率不能为负。", code="validation_error",
                               details={f"f{index}": ["negative"]})
        scenarios.append({**row, "frequency_per_year": frequency})
    return {"weather_classes": weather, "wind_rose": rose, "scenarios": scenarios}


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
