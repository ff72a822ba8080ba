"""The hazmat transport registry: carriers with their road transport permit, their vehicles, the
drivers and escorts with their qualification certificates, and the blacklist.

危险货物道路运输安全管理办法 requires an escort (押运员) on every hazmat vehicle and a qualified
driver; a park refuses entry to a vehicle or person it has banned (repeated illegal parking: a one
year ban is common). Expiry dates are checked when a reservation is made and at the gate.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.park.validators import validate_uscc
from chempark.vehicles.validators import validate_plate, validate_terminal_phone


class Carrier(models.Model):
    """A road transport company (承运企业) licensed to carry dangerous goods."""

    name = models.CharField(_("承运企业名称"), max_length=200, unique=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    permit_no = models.CharField(_("道路运输经营许可证号"), max_length=40)
    permit_expires = models.DateField(_("许可证有效期至"))
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("承运企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def permit_valid_on(self, day: date) -> bool:
        return self.permit_expires >= day


class VehicleType(models.TextChoices):
    TANK = "tank", _("罐式车辆")
    VAN = "van", _("厢式车辆")
    FLATBED = "flatbed", _("栏板/平板车辆")
    TRACTOR = "tractor", _("牵引车")
    TRAILER = "trailer", _("挂车")
    OTHER = "other", _("其他")


class Vehicle(models.Model):
    """A vehicle of a carrier, named by its plate; ``terminal_phone`` is its JT/T 808 positioning
    terminal's number (the header's terminal id), which ties positions to the vehicle."""

    plate = models.CharField(_("车牌号"), max_length=10, unique=True, validators=[validate_plate])
    carrier = models.ForeignKey(Carrier, verbose_name=_("承运企业"), on_delete=models.PROTECT, related_name="vehicles")
    vehicle_type = models.CharField(_("车辆类型"), max_length=16, choices=VehicleType.choices)
    hazmat = models.BooleanField(_("危险货物运输车辆"), default=True)
    tank_capacity_m3 = models.DecimalField(
        _("罐体容积 (m³)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    road_permit_no = models.CharField(_("道路运输证号"), max_length=40, blank=True)
    terminal_phone = models.CharField(
        _("终端手机号"), max_length=20, unique=True, null=True, blank=True, validators=[validate_terminal_phone]
    )

    class Meta:
        verbose_name = _("车辆")
        ordering = ["plate"]

    def __str__(self) -> str:
        return self.plate


class CrewDuty(models.TextChoices):
    DRIVER = "driver", _("驾驶员")
    ESCORT = "escort", _("押运员")


class CrewMember(models.Model):
    """A driver or escort of a carrier with the qualification certificate (从业资格证) the law requires."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("承运企业"), on_delete=models.PROTECT, related_name="crew")
    name = models.CharField(_("姓名"), max_length=50)
    duty = models.CharField(_("岗位"), max_length=16, choices=CrewDuty.choices)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    certificate_no = models.CharField(_("从业资格证号"), max_length=40)
    certificate_expires = models.DateField(_("资格证有效期至"))

    class Meta:
        verbose_name = _("驾驶员/押运员")
        ordering = ["carrier_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_duty_display()}）"

    def certificate_valid_on(self, day: date) -> bool:
        return self.certificate_expires >= day


class BlacklistTarget(models.TextChoices):
    VEHICLE = "vehicle", _("车辆")
    PERSON = "person", _("人员")


class BlacklistEntry(models.Model):
    """A ban from entering the park (黑名单): a vehicle or a driver/escort, from a date, until an
    expiry date (none: until lifted)."""

    target = models.CharField(_("对象类型"), max_length=16, choices=BlacklistTarget.choices)
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("车辆"), null=True, blank=True, on_delete=models.PROTECT, related_name="bans"
    )
    person = models.ForeignKey(
        CrewMember, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="bans"
    )
    reason = models.CharField(_("原因"), max_length=300)
    starts_on = models.DateField(_("生效日期"))
    expires_on = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("留空表示长期有效"))

    class Meta:
        verbose_name = _("黑名单")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(target="vehicle", vehicle__isnull=False, person__isnull=True))
                | (models.Q(target="person", person__isnull=False, vehicle__isnull=True)),
                name="blacklist_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(self.vehicle or self.person)

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.expires_on is None or self.expires_on >= day)
