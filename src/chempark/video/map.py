"""The one-map layer of cameras: each camera's view cone, tower/PTZ cameras (高空瞭望) in their own
colour, with a popup linking to the camera's live video."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, popup
from chempark.video.geometry import cone_polygon
from chempark.video.models import CameraKind
from chempark.video.selectors import camera_kind, cameras_with_views, view_cone


def _features(actor: Actor) -> list[Feature]:
    result = []
    for camera in cameras_with_views(actor):
        cone = view_cone(camera)
        ring = [[round(lon, 7), round(lat, 7)] for lon, lat in cone_polygon(cone)]
        view = getattr(camera, "view", None)
        tower = view is not None and view.kind == CameraKind.TOWER
        colour = "--map-camera-tower" if tower else "--map-camera"
        result.append(
            feature(
                {"type": "Polygon", "coordinates": [ring]},
                id=camera.pk,
                name=camera.name,
                color=colour,
                fillColor=colour,
                popup_html=popup(
                    camera.name,
                    f"{camera_kind(camera)} · {_('可视距离')} {cone.range_m:.0f} m",
                    camera.enterprise.name,
                    url=reverse("video:camera-detail", args=[camera.pk]),
                ),
            )
        )
    return result


CAMERA_LAYER = MapLayer(
    "cameras",
    gettext_lazy("摄像机视域"),
    55,
    _features,
    capability="monitoring.read",
    style={"weight": 1, "fillOpacity": 0.12},
    visible=False,
    legend=(("--map-camera", gettext_lazy("固定摄像机")), ("--map-camera-tower", gettext_lazy("高空瞭望（云台）"))),
)
