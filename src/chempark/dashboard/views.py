"""The one-map page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chempark.core import map_layers
from chempark.core.actors import actor_for_user


@login_required
def onemap(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("map.read")
    visible = map_layers.layers_for(actor)
    config = [
        {"name": layer.name, "label": str(layer.label), "style": layer.style, "visible": layer.visible}
        for layer in visible
    ]
    legend = [(colour, label) for layer in visible for colour, label in layer.legend]
    return render(request, "dashboard/onemap.html", {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "layer_config": config,
        "legend": legend,
    })
