"""The camera pages: the list of the cameras one may watch, a camera with its view and live video,
and the page that edits where a camera stands and how it looks, its cone previewed on the map."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import actor_for_user
from chempark.core.errors import DomainError
from chempark.core.map_layers import map_config
from chempark.core.page_input import form_input
from chempark.core.tables import columns
from chempark.video import selectors, services
from chempark.video.models import CameraKind
from chempark.video.schemas import CameraPlaceViewIn

CAMERA_COLUMNS = columns(
    gettext_lazy("摄像机"), gettext_lazy("企业"), gettext_lazy("类型"), gettext_lazy("朝向 / 视场角 / 可视距离")
)


@login_required
def camera_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    rows = selectors.cameras_search(actor, query=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "q": request.GET.get("q", ""),
        "query": query.urlencode(),
        "columns": CAMERA_COLUMNS,
        "menus": [{"name": "kind", "label": gettext_lazy("类型"), "choices": CameraKind.choices}],
    }
    return render(request, "video/camera_list.html", context)


@login_required
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camera = selectors.camera_get(actor_for_user(request.user), pk)
    view = getattr(camera, "view", None)
    can_edit = actor_for_user(request.user).can("monitoring.configure")
    return render(request, "video/camera_detail.html", {"camera": camera, "view": view, "can_edit": can_edit})


VIEW_LABELS = {
    "kind": gettext_lazy("类型"),
    "lon": gettext_lazy("经度"),
    "lat": gettext_lazy("纬度"),
    "heading_deg": gettext_lazy("朝向（度）"),
    "fov_deg": gettext_lazy("水平视场角（度）"),
    "range_m": gettext_lazy("可视距离（米）"),
}
EDIT_MAP_LAYERS = ("park", "areas", "enterprises", "units", "cameras")
"""Under the edited cone: the park, its areas, enterprises and units, and every camera's current view."""


def _current(camera: Any) -> dict[str, Any]:
    view = getattr(camera, "view", None)
    return {
        "kind": view.kind if view is not None else CameraKind.FIXED.value,
        "lon": camera.lon,
        "lat": camera.lat,
        "heading_deg": "" if view is None or view.heading_deg is None else view.heading_deg,
        "fov_deg": view.fov_deg if view is not None else 90.0,
        "range_m": view.range_m if view is not None else 300.0,
    }


@login_required
def camera_view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a camera's position, type, heading, field of view and range (``monitoring.configure``,
    an enterprise user for its own cameras). A refused form is shown again, as typed, with the
    reason (422), and nothing is changed."""
    actor = actor_for_user(request.user)
    actor.require("monitoring.configure")
    camera = selectors.camera_get(actor, pk)
    values, error, status = _current(camera), None, 200
    if request.method == "POST":
        try:
            labels = {name: str(label) for name, label in VIEW_LABELS.items()}
            data = form_input(CameraPlaceViewIn, request.POST, labels=labels)
            services.camera_view_set(
                actor=actor,
                pk=camera.pk,
                values=data.model_dump(include={"kind", "heading_deg", "fov_deg", "range_m"}),
                place=(data.lon, data.lat),
            )
        except DomainError as exc:
            values = {name: request.POST.get(name, "") for name in VIEW_LABELS}
            error, status = exc, exc.status
        else:
            messages.success(request, _("摄像机位置与视域已保存。"))
            return redirect("video:camera-detail", pk=camera.pk)
    context = {
        "camera": camera,
        "values": values,
        "error": error,
        "kinds": CameraKind.choices,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "layer_config": map_config(actor, EDIT_MAP_LAYERS),
    }
    return render(request, "video/camera_view_edit.html", context, status=status)
