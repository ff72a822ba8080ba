"""The one-map page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chempark.accounts.actors import actor_for_user


@login_required
def onemap(request: HttpRequest) -> HttpResponse:
    actor_for_user(request.user).require("map.read")
    return render(request, "dashboard/onemap.html", {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })
