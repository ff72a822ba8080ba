"""Special-operation filings, work permits and online spot checks (GB 30871-2022)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise


class OperationKind(models.TextChoices):
    HOT_WORK = "hot_work", _("动火作业")
    CONFINED_SPACE = "confined_space", _("受限空间作业")
    BLINDING = "blinding", _("盲板抽堵作业")
    HEIGHT = "height", _("高处作业")
    LIFTING = "lifting", _("吊装作业")
    TEMPORARY_POWER = "temporary_power", _("临时用电作业")
    EXCAVATION = "excavation", _("动土作业")
    ROAD_CLOSURE = "road_closure", _("断路作业")


class OperationGrade(models.TextChoices):
    SPECIAL = "special", _("特级")
    FIRST = "first", _("一级")
    SECOND = "second", _("二级")
    THIRD = "third", _("三级")
    FOURTH = "fourth", _("四级")
    NONE = "none", _("不分级")


class SpecialOperation(models.Model):
    """An enterprise's filing (报备) of a special operation (GB 30871-2022): its kind and grade, place,
    time window, permit number and guardian (监护人)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="special_operations"
    )
    kind = models.CharField(_("作业类别"), max_length=32, choices=OperationKind.choices)
    grade = models.CharField(_("作业级别"), max_length=16, choices=OperationGrade.choices)
    place = models.CharField(_("作业地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    permit_number = models.CharField(_("作业票编号"), max_length=64)
    guardian = models.CharField(_("监护人"), max_length=50)
    filed_by = models.CharField(_("报备人"), max_length=150)
    filed_at = models.DateTimeField(_("报备时间"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("特殊作业报备")
        verbose_name_plural = _("特殊作业报备")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "permit_number"], name="supervision_operation_permit")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.place}"

    @property
    def name(self) -> str:
        return str(self)


class WorkPermit(models.Model):
    """A work permit (作业票) as the enterprise's system sends it to the platform."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="work_permits"
    )
    permit_number = models.CharField(_("作业票编号"), max_length=64)
    kind = models.CharField(_("作业类别"), max_length=32, choices=OperationKind.choices)
    grade = models.CharField(_("作业级别"), max_length=16, choices=OperationGrade.choices)
    place = models.CharField(_("作业地点"), max_length=200)
    valid_from = models.DateTimeField(_("有效期起"))
    valid_to = models.DateTimeField(_("有效期止"))
    issuer = models.CharField(_("签发人"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("作业票")
        verbose_name_plural = _("作业票")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "permit_number"], name="supervision_permit_number")
        ]

    def __str__(self) -> str:
        return self.permit_number

    @property
    def name(self) -> str:
        return self.permit_number


class SpotCheck(models.Model):
    """An online spot check (在线抽查) of a filed operation by the bureau, with its result."""

    operation = models.ForeignKey(SpecialOperation, on_delete=models.PROTECT, related_name="spot_checks")
    compliant = models.BooleanField(_("符合要求"))
    note = models.TextField(_("抽查情况"), blank=True)
    checked_by = models.CharField(_("抽查人"), max_length=150)
    checked_at = models.DateTimeField(_("抽查时间"), default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("特殊作业抽查")
        verbose_name_plural = _("特殊作业抽查")
