"""How a camera looks at the park: its type and view cone (heading, field of view, range).

Kept beside monitoring's ``Camera`` (one row per surveyed camera) rather than in it, so the video
module owns what only it uses; a camera without a row is an all-round camera of the default range.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CameraKind(models.TextChoices):
    FIXED = "fixed", _("固定摄像机")
    TOWER = "tower", _("高空瞭望（云台）")


class CameraView(models.Model):
    camera = models.OneToOneField(
        "monitoring.Camera", verbose_name=_("摄像机"), on_delete=models.CASCADE, related_name="view"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=CameraKind.choices, default=CameraKind.FIXED)
    heading_deg = models.FloatField(
        _("朝向（度）"), null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(360.0)]
    )
    fov_deg = models.FloatField(
        _("水平视场角（度）"), default=90.0, validators=[MinValueValidator(1.0), MaxValueValidator(360.0)]
    )
    range_m = models.FloatField(
        _("可视距离（米）"), default=300.0, validators=[MinValueValidator(1.0), MaxValueValidator(20_000.0)]
    )

    class Meta:
        verbose_name = _("摄像机视域")
        verbose_name_plural = _("摄像机视域")

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.get_kind_display()}"
