"""Enforcement cases, their stage history and the document templates."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise
from chempark.supervision.models.inspections import Inspection
from chempark.supervision.workflow import CaseStage


class CaseStageChoice(models.TextChoices):
    FILED = CaseStage.FILED, _("立案")
    INVESTIGATED = CaseStage.INVESTIGATED, _("调查取证")
    REVIEWED = CaseStage.REVIEWED, _("审查")
    NOTIFIED = CaseStage.NOTIFIED, _("告知（听证权利）")
    DECIDED = CaseStage.DECIDED, _("决定")
    SERVED = CaseStage.SERVED, _("送达")
    EXECUTED = CaseStage.EXECUTED, _("执行")
    CLOSED = CaseStage.CLOSED, _("结案")


class ViolationKind(models.TextChoices):
    HIDDEN_DANGER = "hidden_danger", _("未按规定排查治理隐患")
    SPECIAL_OPERATION = "special_operation", _("特殊作业违规")
    MAJOR_HAZARD = "major_hazard", _("重大危险源管理违规")
    LICENCE = "licence", _("无证或超范围经营")
    TRAINING = "training", _("未按规定培训或持证")
    OTHER = "other", _("其他")


class EnforcementCase(models.Model):
    """An administrative penalty case (行政处罚案件) against an enterprise."""

    number = models.CharField(_("案件编号"), max_length=64, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="enforcement_cases"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    violation_kind = models.CharField(_("违法类型"), max_length=32, choices=ViolationKind.choices)
    violation = models.TextField(_("违法事实"))
    legal_basis = models.CharField(_("处罚依据"), max_length=300, blank=True)
    penalty_yuan = models.DecimalField(
        _("罚款金额 (元)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=CaseStageChoice.choices, default=CaseStageChoice.FILED)
    filed_on = models.DateField(_("立案日期"))
    handler = models.CharField(_("承办人"), max_length=100)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")

    def __str__(self) -> str:
        return self.number

    @property
    def name(self) -> str:
        return self.number


class CaseTransition(models.Model):
    """One stage reached by an enforcement case (append-only); its date starts the stage's deadline."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("操作"), max_length=32)
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=CaseStageChoice.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=CaseStageChoice.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), default=timezone.now)
    actor_username = models.CharField(_("操作人"), max_length=150)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")


class DocumentKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")


class DocumentTemplate(models.Model):
    """The text of an enforcement document with ``{field}`` placeholders, edited by the bureau."""

    kind = models.CharField(_("文书"), max_length=32, choices=DocumentKind.choices, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self) -> str:
        return self.title
