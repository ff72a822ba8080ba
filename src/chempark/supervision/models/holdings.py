"""Licences, personnel certificates and risk points of enterprises."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("安全生产许可证")
    HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营许可证")
    FIREWORKS = "fireworks", _("烟花爆竹经营许可证")
    PRECURSOR = "precursor", _("非药品类易制毒化学品生产经营许可证")


class CertificateKind(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人安全生产知识和管理能力考核合格证")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员考核合格证")
    SPECIAL_OPERATION = "special_operation", _("特种作业操作证")


class Licence(models.Model):
    """An enterprise's administrative licence with its scope and validity."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="licences"
    )
    kind = models.CharField(_("许可类别"), max_length=32, choices=LicenceKind.choices)
    number = models.CharField(_("证书编号"), max_length=64, unique=True)
    scope = models.TextField(_("许可范围"), blank=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def name(self) -> str:
        return str(self)


class Certificate(models.Model):
    """A person's certificate (不持证不上岗): principal, safety manager or special-operation worker."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("证书类别"), max_length=32, choices=CertificateKind.choices)
    holder = models.CharField(_("持证人"), max_length=50)
    number = models.CharField(_("证书编号"), max_length=64)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("资格证书")
        verbose_name_plural = _("资格证书")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="supervision_certificate_number")]

    def __str__(self) -> str:
        return f"{self.holder} · {self.get_kind_display()}"

    @property
    def name(self) -> str:
        return str(self)


class RiskMethod(models.TextChoices):
    MATRIX = "matrix", _("风险矩阵法")
    LEC = "lec", _("LEC 法")


class RiskLevel(models.IntegerChoices):
    MAJOR = 1, _("重大风险（红）")
    HIGH = 2, _("较大风险（橙）")
    GENERAL = 3, _("一般风险（黄）")
    LOW = 4, _("低风险（蓝）")


class RiskPointKind(models.TextChoices):
    UNIT = "unit", _("装置/单元")
    EQUIPMENT = "equipment", _("设备设施")
    OPERATION = "operation", _("作业活动")


class RiskPoint(models.Model):
    """A risk point (风险点) of an enterprise with its assessment, level, control measures and the
    people responsible for it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="risk_points"
    )
    name = models.CharField(_("风险点名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=RiskPointKind.choices)
    method = models.CharField(_("评价方法"), max_length=16, choices=RiskMethod.choices)
    factors = models.JSONField(_("评价因子"), default=dict)
    score = models.DecimalField(_("风险值"), max_digits=10, decimal_places=2)
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices)
    control_measures = models.TextField(_("管控措施"))
    responsible = models.CharField(_("责任人"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    assessed_on = models.DateField(_("评价日期"))

    class Meta:
        ordering = ["level", "enterprise_id", "id"]
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.name}"
