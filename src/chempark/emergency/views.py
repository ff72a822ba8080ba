"""Pages of the emergency module: the 事故模拟 page and the QRA studies (list, detail with a polled
progress bar, the PDF report). The simulation page's script calls the same API as other clients."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.consequence import accident, qra_platform
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import Conflict, DomainError, ErrorCode
from chempark.core.map_layers import map_config
from chempark.core.page_input import checked_input, form_input, number_or_text
from chempark.core.tables import columns
from chempark.emergency import model_warnings, reports, selectors, services, simulation_sources
from chempark.emergency.models import AccidentScenario, InstallationStatus, PopulatedAreaKind, QraStatus, QraStudy
from chempark.emergency.schemas import QraStudyCreate, QraStudyPatch
from chempark.park.models import TargetKind
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
    initial = _from_alarm(actor, request.GET.get("alarm", ""))
    return render(
        request,
        "emergency/simulation.html",
        {
            "chemicals": chemicals,
            "runs": runs,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "warning_texts": model_warnings.page_texts(),
            "layer_config": map_config(actor, MAP_LAYERS),
            "page_text": _simulation_text(),
            "tanks": simulation_sources.tank_choices(actor),
            "wind": simulation_sources.park_wind(actor),
            "initial": initial,
            "scenarios": AccidentScenario.choices,
            "stabilities": STABILITIES,
        },
    )


STABILITIES = (
    ("A", gettext_lazy("极不稳定")),
    ("B", gettext_lazy("不稳定")),
    ("C", gettext_lazy("弱不稳定")),
    ("D", gettext_lazy("中性")),
    ("E", gettext_lazy("弱稳定")),
    ("F", gettext_lazy("稳定")),
)


def _from_alarm(actor: Actor, alarm_id: str) -> dict[str, Any]:
    """The page opened from an alarm (``?alarm=``): the alarm and the tank its point watches."""
    if not alarm_id.isdigit() or not actor.can("monitoring.read"):
        return {}
    return simulation_sources.alarm_context(actor, int(alarm_id))


MAP_LAYERS = ("park", "targets", "enterprises", "population")
"""The one-map layers under the 事故模拟 map; the QRA map shows the park and its targets."""
QRA_MAP_LAYERS = ("park", "targets")


def _simulation_text() -> dict[str, Any]:
    """The 事故模拟 script's texts in the user's language (the page hands them over with json_script)."""
    return {
        "rate": _("泄漏速率 (kg/s)"),
        "mass": _("泄漏质量 (kg)"),
        "hole": _("孔径 (mm)"),
        "none": _("影响范围内没有登记的人员"),
        "source": _("事故位置"),
        "summary": _("稳定度 %(s)s，输送风速 %(u)s m/s，源强 %(q)s。"),
        "people_summary": _("影响范围内约 %(p)s 人（其中受影响防护目标 %(n)s 处）。"),
        "running": _("计算中…"),
        "run": _("开始模拟"),
        "error": _("计算失败"),
        "kinds": {
            **{str(value): str(label) for value, label in TargetKind.choices},
            **{str(value): str(label) for value, label in PopulatedAreaKind.choices},
            "enterprise": str(_("企业员工")),
        },
        "scenarios": {str(value): str(label) for value, label in AccidentScenario.choices},
        "measured": _("实测"),
        "missing": _("无在线测点读数，请填写"),
        "zones": [_("红区"), _("橙区"), _("黄区"), _("蓝区")],
    }


STUDY_COLUMNS = columns(
    gettext_lazy("名称"),
    gettext_lazy("装置类别"),
    gettext_lazy("情景数"),
    gettext_lazy("状态"),
    gettext_lazy("创建时间"),
)


@login_required
def qra_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    studies = selectors.qra_studies(actor)
    error = ""
    if request.method == "POST":
        try:
            form = {
                "name": request.POST.get("name", "").strip() or _("园区定量风险评价"),
                "installation_status": request.POST.get("installation_status", "existing"),
            }
            values = form_input(QraStudyCreate, form, labels=_labels()).model_dump(exclude_unset=True)
            study = services.qra_study_create(actor=actor, name=values.pop("name"), values=values)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("emergency:qra-detail", pk=study.pk)
    return render(
        request,
        "emergency/qra_list.html",
        {
            "studies": studies[:50],
            "error": error,
            "statuses": InstallationStatus.choices,
            "columns": STUDY_COLUMNS,
        },
        status=422 if error else 200,
    )


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
    return render(
        request,
        "emergency/qra_detail.html",
        {
            "study": study,
            "error": error,
            "running": services.qra_running(study),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "layer_config": map_config(actor, QRA_MAP_LAYERS),
            "sectors": list(zip(WIND_SECTORS, study.wind_rose, strict=False)),
            "stabilities": ("A", "B", "C", "D", "E", "F"),
            "notes": [model_warnings.localized_note(n) for n in study.notes],
            "warnings": model_warnings.localized_qra_warnings(study.results or {}),
            "fn_chart": qra_platform.fn_chart((study.results or {}).get("fn", []), study.fn_criterion),
        },
        status=422 if error else 200,
    )


WIND_SECTORS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")


FIELD_LABELS = {
    "name": gettext_lazy("名称"),
    "installation_status": gettext_lazy("装置类别"),
    "weather_classes": gettext_lazy("气象类别"),
    "wind_rose": gettext_lazy("风玫瑰"),
    "scenarios": gettext_lazy("情景频率 (/年)"),
}


def _labels() -> dict[str, str]:
    return {name: str(label) for name, label in FIELD_LABELS.items()}


def _study_edits(request: HttpRequest, study: QraStudy) -> dict[str, Any]:
    """The page's edit form → the fields of :func:`services.qra_study_update`, checked by the API's
    schema (probabilities and frequencies within 0–1, sixteen wind sectors). A weather row with an
    empty name is dropped."""
    post = request.POST
    weather = []
    for index in range(len(study.weather_classes) + 1):
        name = post.get(f"w{index}_name", "").strip()
        if name:
            weather.append(
                {
                    "name": name[:20],
                    "stability": post.get(f"w{index}_stability", ""),
                    "wind_speed_m_s": number_or_text(post.get(f"w{index}_speed", "")),
                    "probability": number_or_text(post.get(f"w{index}_p", "")),
                }
            )
    edits = {
        "weather_classes": weather,
        "wind_rose": [number_or_text(post.get(f"rose{index}", "")) for index in range(len(WIND_SECTORS))],
        "scenarios": [
            {**row, "frequency_per_year": number_or_text(post.get(f"f{index}", ""))}
            for index, row in enumerate(study.scenarios)
        ],
    }
    return checked_input(QraStudyPatch, edits, labels=_labels()).model_dump(exclude_unset=True)


@login_required
def qra_report(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    study = selectors.qra_study_get(actor, pk)
    if study.status != QraStatus.SUCCEEDED:
        raise Conflict("该研究尚未完成计算，没有报告。", code=ErrorCode.QRA_NOT_FINISHED)
    targets = registry_visible(actor, "protectivetarget").filter(park_id=study.park_id)
    response = HttpResponse(reports.qra_report_pdf(study, list(targets)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qra-{study.pk}.pdf"'
    return response
