"""The camera page: what the camera is, where it looks, and its live video."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chempark.core.actors import actor_for_user
from chempark.video import selectors


@login_required
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camera = selectors.camera_get(actor_for_user(request.user), pk)
    view = getattr(camera, "view", None)
    return render(request, "video/camera_detail.html", {"camera": camera, "view": view})
