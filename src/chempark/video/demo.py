"""The demo park's camera views: every unit's camera looks north at its unit (a fixed camera, 90°,
300 m), and the cameras of two units spread apart are tower/PTZ cameras (高空瞭望) watching the park
with a 60° view reaching 2 km. Idempotent: skipped when views exist."""

from __future__ import annotations

from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import SYSTEM
from chempark.monitoring.models import Camera
from chempark.video.models import CameraKind, CameraView

TOWER_HEADINGS = (45.0, 225.0)  # the first looks north-east over the park, the last south-west


def load_demo_video() -> str:
    if CameraView.objects.exists():
        return f"视频：已有 {CameraView.objects.count()} 个摄像机视域，跳过"
    cameras = list(Camera.objects.order_by("pk"))
    if not cameras:
        return "视频：没有摄像机，跳过"
    towers = {cameras[0].pk: TOWER_HEADINGS[0], cameras[-1].pk: TOWER_HEADINGS[1]}
    views = [
        CameraView(camera=camera, kind=CameraKind.TOWER, heading_deg=towers[camera.pk], fov_deg=60.0, range_m=2000.0)
        if camera.pk in towers
        else CameraView(camera=camera, kind=CameraKind.FIXED, heading_deg=0.0, fov_deg=90.0, range_m=300.0)
        for camera in cameras
    ]
    with transaction.atomic():
        CameraView.objects.bulk_create(views, batch_size=500)
        audit.record(
            actor=SYSTEM,
            action=AuditAction.IMPORT,
            object_type="camera_view",
            after={"views": len(views), "towers": len(towers), "source": "demo"},
        )
    return f"视频：{len(views)} 个摄像机视域（{len(towers)} 台高空瞭望）"
