"""Hidden dangers, their closed-loop history and rectification photos; the major-danger criteria."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise
from chempark.supervision.models.inspections import Campaign, Inspection
from chempark.supervision.workflow import RUNNING_DANGER, DangerStatus


class DangerSource(models.TextChoices):
    BUREAU_INSPECTION = "bureau_inspection", _("执法检查")
    EXPERT_CHECK = "expert_check", _("专家检查")
    STEWARD = "steward", _("安全管家服务")
    SELF_INVESTIGATION = "self_investigation", _("企业自查")
    PUBLIC_TIP = "public_tip", _("群众举报")


class DangerGrade(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class DangerStatusChoice(models.TextChoices):
    FOUND = DangerStatus.FOUND, _("已发现")
    ORDERED = DangerStatus.ORDERED, _("已下达整改")
    RECTIFYING = DangerStatus.RECTIFYING, _("整改中")
    SUBMITTED = DangerStatus.SUBMITTED, _("待复查")
    VERIFIED = DangerStatus.VERIFIED, _("复查通过")
    CLOSED = DangerStatus.CLOSED, _("已销号")


class MajorDangerCriterion(models.Model):
    """One item of the major-hidden-danger criteria (重大隐患判定标准), kept as data the bureau edits."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    text = models.CharField(_("判定条款"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("重大隐患判定条款")
        verbose_name_plural = _("重大隐患判定条款")

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class HiddenDanger(models.Model):
    """A hidden danger (事故隐患) and its rectification: the 五定 (plan, funds, owner, deadline,
    interim control measures), its status in the closed loop and its escalation (督办)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="hidden_dangers"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=32, choices=DangerSource.choices)
    grade = models.CharField(_("等级"), max_length=16, choices=DangerGrade.choices)
    criteria = models.ManyToManyField(MajorDangerCriterion, verbose_name=_("重大隐患判定依据"), blank=True)
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("部位"), max_length=200, blank=True)
    found_on = models.DateField(_("发现日期"))
    found_by = models.CharField(_("发现人"), max_length=150)
    status = models.CharField(
        _("状态"), max_length=16, choices=DangerStatusChoice.choices, default=DangerStatusChoice.FOUND
    )
    plan = models.TextField(_("整改方案"), blank=True)
    funds_yuan = models.DecimalField(
        _("整改资金 (元)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    owner = models.CharField(_("整改负责人"), max_length=50, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    interim_measures = models.TextField(_("临时管控措施"), blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    verification_note = models.TextField(_("复查意见"), blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.description[:30]}"

    @property
    def name(self) -> str:
        return str(self)

    def overdue_on(self, today: dt.date) -> bool:
        """Whether the rectification is still running past its deadline on ``today``."""
        return self.status in RUNNING_DANGER and self.deadline is not None and self.deadline < today

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())


class DangerTransition(models.Model):
    """One step of a hidden danger's closed loop (append-only)."""

    danger = models.ForeignKey(HiddenDanger, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, choices=DangerStatusChoice.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=DangerStatusChoice.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor_username = models.CharField(_("操作人"), max_length=150)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("隐患流转记录")
        verbose_name_plural = _("隐患流转记录")


class Evidence(models.Model):
    """A rectification photo (JPEG or PNG, checked by its content), kept in the database with its
    hidden danger so a backup holds both."""

    danger = models.ForeignKey(HiddenDanger, on_delete=models.PROTECT, related_name="evidence")
    content = models.BinaryField(_("图片"))
    content_type = models.CharField(_("类型"), max_length=32)
    size_bytes = models.PositiveIntegerField(_("大小 (字节)"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.CharField(_("上传人"), max_length=150)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("整改照片")
        verbose_name_plural = _("整改照片")
