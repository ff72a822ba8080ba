"""The one-map page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chempark.core import map_layers
from chempark.core.actors import actor_for_user
from chempark.core.navigation import landing_url


@login_required
def onemap(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    landing = landing_url(actor)
    if not actor.can("map.read") and landing is not None:
        return redirect(landing)  # the site's root: roles without the map go to their own first page
    actor.require("map.read")
    legend = [(colour, label) for layer in map_layers.layers_for(actor) for colour, label in layer.legend]
    return render(
        request,
        "dashboard/onemap.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "layer_config": map_layers.map_config(actor),
            "legend": legend,
        },
    )
