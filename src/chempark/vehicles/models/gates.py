"""The park's gates (卡口) and what passes them: every plate read is a gate event with the gate's
answer; a vehicle let in opens a visit (在园), closed by its exit. Gate events are append-only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.vehicles.models.registry import Vehicle
from chempark.vehicles.models.reservations import Reservation

LON_LAT_HELP = _("WGS84")


class Gate(models.Model):
    """A checkpoint of the park's fence. Hazmat vehicles may pass only hazmat gates (危化品专用卡口)."""

    code = models.CharField(_("卡口编号"), max_length=32, unique=True)
    name = models.CharField(_("卡口名称"), max_length=100)
    hazmat = models.BooleanField(_("危化品车辆专用"), default=False)
    lon = models.FloatField(_("经度"), help_text=LON_LAT_HELP)
    lat = models.FloatField(_("纬度"), help_text=LON_LAT_HELP)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("卡口")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    IN = "in", _("入园")
    OUT = "out", _("出园")


class GateDecision(models.TextChoices):
    ALLOW = "allow", _("放行")
    DENY = "deny", _("拒绝")


class GateEvent(models.Model):
    """One passage (or attempt) at a gate as the gate reported it, with the platform's answer."""

    gate = models.ForeignKey(Gate, verbose_name=_("卡口"), on_delete=models.PROTECT, related_name="events")
    plate = models.CharField(_("车牌号"), max_length=16)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    at = models.DateTimeField(_("过车时间"))
    received_at = models.DateTimeField(_("接收时间"))
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("车辆"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reservation = models.ForeignKey(
        Reservation, verbose_name=_("预约"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("结果"), max_length=8, choices=GateDecision.choices)
    reason = models.CharField(_("原因代码"), max_length=32, blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    photo = models.BinaryField(_("抓拍图片"), null=True, blank=True)
    photo_type = models.CharField(_("图片类型"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("过车记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plate", "gate", "direction", "at"], name="gate_event_once"),
        ]


class Visit(models.Model):
    """A vehicle's stay in the park, from the entry let in to its exit (None while inside)."""

    vehicle = models.ForeignKey(Vehicle, verbose_name=_("车辆"), on_delete=models.PROTECT, related_name="visits")
    reservation = models.ForeignKey(
        Reservation, verbose_name=_("预约"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(GateEvent, verbose_name=_("入园记录"), on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("入园时间"))
    exit = models.ForeignKey(
        GateEvent, verbose_name=_("出园记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exited_at = models.DateTimeField(_("出园时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("在园记录")
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=models.Q(exited_at__isnull=True), name="one_open_visit_per_vehicle"
            ),
        ]
