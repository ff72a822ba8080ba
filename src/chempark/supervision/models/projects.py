"""三同时 construction projects and the decisions of their stages."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise
from chempark.supervision.workflow import ProjectStage


class ProjectStageChoice(models.TextChoices):
    CONDITIONS_REVIEW = ProjectStage.CONDITIONS_REVIEW, _("安全条件审查")
    DESIGN_REVIEW = ProjectStage.DESIGN_REVIEW, _("安全设施设计审查")
    TRIAL_PRODUCTION = ProjectStage.TRIAL_PRODUCTION, _("试生产")
    COMPLETION_ACCEPTANCE = ProjectStage.COMPLETION_ACCEPTANCE, _("竣工验收")
    ACCEPTED = ProjectStage.ACCEPTED, _("已通过验收")


class ConstructionProject(models.Model):
    """A new, rebuilt or extended project whose safety facilities follow 三同时 (designed, built and
    put into use together with the main works)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="construction_projects"
    )
    name = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("建设内容"), blank=True)
    stage = models.CharField(
        _("阶段"), max_length=32, choices=ProjectStageChoice.choices, default=ProjectStageChoice.CONDITIONS_REVIEW
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("三同时项目")
        verbose_name_plural = _("三同时项目")

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.name}"


class ProjectDecision(models.Model):
    """One decision on a project's stage (append-only): passed (the stage is left) or returned."""

    project = models.ForeignKey(ConstructionProject, on_delete=models.PROTECT, related_name="decisions")
    stage = models.CharField(_("阶段"), max_length=32, choices=ProjectStageChoice.choices)
    passed = models.BooleanField(_("通过"))
    decided_on = models.DateField(_("决定日期"))
    documents = models.TextField(_("文件"), blank=True)
    note = models.TextField(_("意见"), blank=True)
    actor_username = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("三同时阶段决定")
        verbose_name_plural = _("三同时阶段决定")
