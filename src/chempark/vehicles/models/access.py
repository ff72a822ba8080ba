"""Personnel access control (门禁) inside an enterprise: its areas (office, production...), the doors
into them, the people with badges and certificates, and who is inside each area now.

不持证不上岗: an area may require a valid operating certificate to enter. Headcount limits are the
enterprise's or the park's own policy (no national figure exists), so each area carries its own."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.vehicles.models.gates import Direction, GateDecision


class AreaKind(models.TextChoices):
    OFFICE = "office", _("办公区")
    PRODUCTION = "production", _("生产区")
    STORAGE = "storage", _("储存区")
    CONTROL_ROOM = "control_room", _("控制室")


class EnterpriseArea(models.Model):
    """An access-controlled area of an enterprise."""

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("区域名称"), max_length=100)
    kind = models.CharField(_("区域类型"), max_length=16, choices=AreaKind.choices)
    requires_certificate = models.BooleanField(_("须持证进入"), default=False)
    headcount_limit = models.PositiveIntegerField(
        _("人数上限"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("留空表示不限")
    )
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业门禁区域")
        ordering = ["enterprise_id", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="area_name_unique_in_enterprise")]

    def __str__(self) -> str:
        return self.name


class AccessGate(models.Model):
    """A door (门禁点) into ``area``: "in" enters the area, "out" leaves it."""

    area = models.ForeignKey(EnterpriseArea, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="gates")
    code = models.CharField(_("门禁编号"), max_length=32)
    name = models.CharField(_("门禁名称"), max_length=100)

    class Meta:
        verbose_name = _("门禁点")
        ordering = ["area_id", "code"]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    """A person with a badge at an enterprise, and the operating certificate if they hold one."""

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    badge = models.CharField(_("门禁卡号"), max_length=32)
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    certificate_no = models.CharField(_("操作证号"), max_length=40, blank=True)
    certificate_expires = models.DateField(_("操作证有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("门禁人员")
        ordering = ["enterprise_id", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "badge"], name="badge_unique_in_enterprise")]

    def __str__(self) -> str:
        return self.name


class AccessEvent(models.Model):
    """One badge read at a door, with the answer given (append-only)."""

    gate = models.ForeignKey(AccessGate, verbose_name=_("门禁点"), on_delete=models.PROTECT, related_name="events")
    badge = models.CharField(_("门禁卡号"), max_length=32)
    worker = models.ForeignKey(
        Worker, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    at = models.DateTimeField(_("刷卡时间"))
    decision = models.CharField(_("结果"), max_length=8, choices=GateDecision.choices)
    reason = models.CharField(_("原因代码"), max_length=32, blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("门禁记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "gate", "direction", "at"], name="access_event_once"),
        ]


class Presence(models.Model):
    """A person's stay in an area, from the entry let in to the exit (None while inside)."""

    worker = models.ForeignKey(Worker, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="presences")
    area = models.ForeignKey(EnterpriseArea, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="presences")
    entered_at = models.DateTimeField(_("进入时间"))
    exited_at = models.DateTimeField(_("离开时间"), null=True, blank=True)

    class Meta:
        ordering = ["-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "area"], condition=models.Q(exited_at__isnull=True), name="one_open_presence"
            ),
        ]
