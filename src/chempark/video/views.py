"""The camera pages: the list of the cameras one may watch, and a camera with its view and live video."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from chempark.core.actors import actor_for_user
from chempark.core.tables import columns
from chempark.video import selectors
from chempark.video.models import CameraKind

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
    return render(request, "video/camera_detail.html", {"camera": camera, "view": view})
