"""Writes of the video module: a camera's view (type, heading, field of view, range), set by whoever
configures the camera's enterprise's monitoring, validated and audited in one transaction — with,
from the view-editing page, the camera's position, which monitoring's own service moves
(``core.camera_places``) inside the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core import camera_places
from chempark.core.actors import Actor
from chempark.core.model_writes import save_model, validate_model
from chempark.monitoring import selectors as monitoring
from chempark.video.models import CameraView

VIEW_FIELDS = ("kind", "heading_deg", "fov_deg", "range_m")


def camera_view_set(
    *, actor: Actor, pk: int, values: dict[str, Any], place: tuple[float, float] | None = None
) -> CameraView:
    """Create or replace camera ``pk``'s view. A heading of None makes it an all-round camera.
    ``place`` (lon, lat) moves the camera too; the view and the move stand or fall together."""
    actor.require("monitoring.configure")
    with transaction.atomic():
        camera = monitoring.camera_get(actor, pk, for_update=True)
        if place is not None and (camera.lon, camera.lat) != place:
            camera_places.move(actor=actor, pk=camera.pk, lon=place[0], lat=place[1])
        view = CameraView.objects.filter(camera=camera).first()
        before = audit.snapshot(view) if view is not None else None
        if view is None:
            view = CameraView(camera=camera)
        for name in VIEW_FIELDS:
            setattr(view, name, values[name])
        validate_model(view)
        after = audit.snapshot(view)
        if after == before:
            return view
        save_model(view)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            object_type="camera_view",
            object_id=camera.pk,
            before=before,
            after=audit.snapshot(view),
            enterprise_id=camera.enterprise_id,
            object_label=camera.name,
        )
    return view
