"""Campaigns, the inspector and expert pools, random draws, checklists and inspection records."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise


class CampaignKind(models.TextChoices):
    ANNUAL_PLAN = "annual_plan", _("年度检查计划")
    SMALL_CHEMICAL = "small_chemical", _("小化工复查")
    MAJOR_HAZARD_TANK = "major_hazard_tank", _("重大危险源和罐区专项检查")
    GENERAL_SURVEY = "general_survey", _("一般化工企业摸排")
    OTHER = "other", _("其他专项")


class PoolKind(models.TextChoices):
    INSPECTOR = "inspector", _("执法人员")
    EXPERT = "expert", _("专家")


class Campaign(models.Model):
    """An annual inspection plan or a special campaign (专项行动) that inspections belong to."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=CampaignKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("检查计划/专项行动")
        verbose_name_plural = _("检查计划/专项行动")

    def __str__(self) -> str:
        return self.name


class PoolMember(models.Model):
    """A member of the inspector pool (执法人员名录库) or the expert pool (专家库) that draws pick from."""

    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=16, choices=PoolKind.choices)
    organisation = models.CharField(_("单位"), max_length=200, blank=True)
    specialty = models.CharField(_("专业"), max_length=100, blank=True)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("执法人员/专家")
        verbose_name_plural = _("执法人员/专家")

    def __str__(self) -> str:
        return self.name


class RandomDraw(models.Model):
    """One 双随机 draw: its rule, its seed and population (so anyone can repeat it) and its result,
    with the names as they were when drawn (the public list shows these)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField(_("随机种子"), validators=[MinValueValidator(0)])
    enterprise_kind = models.CharField(_("企业类型"), max_length=32, blank=True)
    weighted = models.BooleanField(_("按风险加权"), default=False)
    enterprise_count = models.PositiveIntegerField(_("抽取企业数"))
    inspector_count = models.PositiveIntegerField(_("抽取执法人员数"))
    expert_count = models.PositiveIntegerField(_("抽取专家数"))
    population = models.JSONField(_("抽取范围"), default=dict)
    result = models.JSONField(_("抽取结果"), default=dict)
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    drawn_by = models.CharField(_("抽取人"), max_length=150)

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")

    def __str__(self) -> str:
        return f"{self.campaign.name} · {timezone.localtime(self.drawn_at):%Y-%m-%d}"


class Checklist(models.Model):
    """A configurable inspection checklist (检查表): its items, each answered 符合/不符合 on site."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    items = models.JSONField(_("检查项"), default=list)

    class Meta:
        ordering = ["id"]
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """One inspection of an enterprise (执法检查 or 专家检查) with its checklist answers, the people
    who took part and the experts' fees; its findings are hidden dangers."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="inspections"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查表"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("执法人员"), max_length=300)
    experts = models.CharField(_("参与专家"), max_length=300, blank=True)
    expert_fee_yuan = models.DecimalField(
        _("专家费 (元)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    answers = models.JSONField(_("检查表结果"), default=list)
    summary = models.TextField(_("检查情况"), blank=True)
    recorded_by = models.CharField(_("记录人"), max_length=150)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.inspected_on:%Y-%m-%d}"
