"""Reads of the video module: a camera to watch, and the cameras that see an alarm's place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from chempark.core.actors import Actor
from chempark.monitoring import selectors as monitoring
from chempark.monitoring.models import Alarm, Camera
from chempark.video.geometry import ViewCone, sees
from chempark.video.models import CameraKind


@dataclass(frozen=True)
class SeeingCamera:
    camera: Camera
    distance_m: int


def view_cone(camera: Camera) -> ViewCone:
    """The camera's cone; one without a surveyed view sees all around within monitoring's radius."""
    view = getattr(camera, "view", None)
    if view is None:
        return ViewCone(camera.lon, camera.lat, monitoring.NEARBY_CAMERA_M)
    return ViewCone(camera.lon, camera.lat, view.range_m, view.heading_deg, view.fov_deg)


def camera_kind(camera: Camera) -> str:
    view = getattr(camera, "view", None)
    return str(CameraKind(view.kind).label if view is not None else CameraKind.FIXED.label)


def cameras_with_views(actor: Actor) -> list[Camera]:
    return list(monitoring.cameras_visible(actor).select_related("view"))


def cameras_search(actor: Actor, *, query: str = "", kind: str = "") -> QuerySet[Camera]:
    """The actor's cameras by code or name and type (a camera without a surveyed view is fixed)."""
    queryset = monitoring.cameras_search(actor, query=query).select_related("view")
    if kind == CameraKind.TOWER:
        queryset = queryset.filter(view__kind=CameraKind.TOWER)
    elif kind == CameraKind.FIXED:
        queryset = queryset.exclude(view__kind=CameraKind.TOWER)
    return queryset


def camera_get(actor: Actor, pk: int) -> Camera:
    return monitoring.camera_get(actor, pk)


def cameras_seeing(actor: Actor, lon: float, lat: float) -> list[SeeingCamera]:
    """The actor's cameras whose view cone holds the place, nearest first."""
    found = []
    for camera in cameras_with_views(actor):
        distance = sees(view_cone(camera), lon, lat)
        if distance is not None:
            found.append(SeeingCamera(camera, round(distance)))
    return sorted(found, key=lambda item: (item.distance_m, item.camera.pk))


def cameras_seeing_alarm(actor: Actor, pk: int) -> list[SeeingCamera]:
    """The cameras that see where alarm ``pk`` comes from (its point; a video alarm's own camera first)."""
    alarm: Alarm = monitoring.alarm_get(actor, pk)
    origin = alarm.point if alarm.point_id is not None else alarm.camera
    if origin is None:
        return []
    found = cameras_seeing(actor, origin.lon, origin.lat)
    return sorted(found, key=lambda item: item.camera.pk != alarm.camera_id)  # stable: own camera, then nearest
