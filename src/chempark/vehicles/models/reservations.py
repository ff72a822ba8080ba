"""Entry reservations (预约): the destination enterprise asks for one vehicle, its crew and cargo to
enter on one day; the park approves or refuses. Park practice: a reservation is valid for one day
and a hazmat vehicle is approved by both the enterprise and the park authority."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.vehicles.models.registry import CrewMember, Vehicle


class ReservationStatus(models.TextChoices):
    """The values of :class:`chempark.vehicles.workflow.Status`."""

    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")
    CANCELLED = "cancelled", _("已取消")
    USED = "used", _("已入园")
    EXPIRED = "expired", _("已过期")


class Reservation(models.Model):
    """One vehicle's entry to one enterprise on one day with one cargo."""

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("目的企业"), on_delete=models.PROTECT, related_name="+"
    )
    vehicle = models.ForeignKey(Vehicle, verbose_name=_("车辆"), on_delete=models.PROTECT, related_name="reservations")
    driver = models.ForeignKey(CrewMember, verbose_name=_("驾驶员"), on_delete=models.PROTECT, related_name="+")
    escort = models.ForeignKey(CrewMember, verbose_name=_("押运员"), on_delete=models.PROTECT, related_name="+")
    chemical = models.ForeignKey(
        "park.Chemical", verbose_name=_("装载货物"), on_delete=models.PROTECT, related_name="+"
    )
    un_number = models.CharField(_("UN 号"), max_length=4)
    quantity_t = models.DecimalField(_("数量 (t)"), max_digits=10, decimal_places=3, validators=[MinValueValidator(0)])
    date = models.DateField(_("预约日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReservationStatus.choices, default=ReservationStatus.REQUESTED
    )
    reason = models.CharField(_("审批意见/原因"), max_length=300, blank=True)
    # The corridors this trip may drive (tracking's fences of kind corridor); none: every corridor.
    routes = models.ManyToManyField("tracking.Fence", verbose_name=_("指定路线"), blank=True, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("入园预约")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["vehicle", "date", "status"])]

    def __str__(self) -> str:
        return f"{self.vehicle.plate} · {self.date:%Y-%m-%d}"

    @property
    def quantity_text(self) -> str:
        """12.500 → "12.5": stored precision is not declared precision."""
        return format(self.quantity_t.normalize(), "f")


class ReservationTransition(models.Model):
    """One step of a reservation's workflow, with who took it and why (append-only)."""

    reservation = models.ForeignKey(
        Reservation, verbose_name=_("预约"), on_delete=models.PROTECT, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=16)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def to_status_label(self) -> str:
        return str(ReservationStatus(self.to_status).label)
