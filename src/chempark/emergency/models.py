"""Emergency module: accident simulations (事故模拟), leak-source estimates and park QRA studies.

A simulation run keeps exactly what was asked and what was answered, so a duty officer's decision
can be traced later to the zones he saw. A QRA study (定量风险评价) keeps its editable inputs —
release scenarios with their frequencies and sources, weather classes, wind rose, the GB 36894
limits table — and, once run, its results; its status and progress let a page poll it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimulationKind(models.TextChoices):
    ACCIDENT = "accident", _("事故模拟")
    LEAK_SOURCE = "leak_source", _("泄漏源反演")


class SimulationOrigin(models.TextChoices):
    PAGE = "page", _("事故模拟页面")
    API = "api", _("接口")
    ALARM = "alarm", _("报警联动")
    INCIDENT = "incident", _("事故处置")


class AccidentScenario(models.TextChoices):
    """What an accident simulation models: a toxic release, a fire or an explosion."""

    TOXIC = "toxic", _("有毒气体泄漏扩散")
    POOL_FIRE = "pool_fire", _("池火")
    JET_FIRE = "jet_fire", _("喷射火")
    FIREBALL = "fireball", _("火球（沸腾液体扩展蒸气爆炸）")
    VCE_TNT = "vce_tnt", _("蒸气云爆炸（TNT 当量法）")
    VCE_MULTI_ENERGY = "vce_multi_energy", _("蒸气云爆炸（多能法）")


class SimulationRun(models.Model):
    """One consequence simulation or leak-source estimate, with its inputs and results as given."""

    kind = models.CharField(_("类型"), max_length=16, choices=SimulationKind.choices)
    scenario = models.CharField(
        _("事故类型"), max_length=20, choices=AccidentScenario.choices, default=AccidentScenario.TOXIC
    )
    # The alarm the run was started from (报警联动), when it was.
    alarm = models.ForeignKey(
        "monitoring.Alarm",
        verbose_name=_("关联报警"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(_("来源"), max_length=16, choices=SimulationOrigin.choices, default=SimulationOrigin.API)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    # The enterprise of an enterprise user who ran it (their runs are visible to them only).
    enterprise_id = models.IntegerField(_("企业"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    chemical_cas = models.CharField(_("CAS 号"), max_length=12, blank=True)
    chemical_name = models.CharField(_("化学品"), max_length=200, blank=True)
    source_lon = models.FloatField(_("源经度"))
    source_lat = models.FloatField(_("源纬度"))
    inputs = models.JSONField(_("输入"))
    results = models.JSONField(_("结果"))
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    affected_targets = models.PositiveIntegerField(_("受影响防护目标数"), default=0)
    affected_people = models.PositiveIntegerField(_("受影响人数"), default=0)

    class Meta:
        verbose_name = _("事故模拟记录")
        verbose_name_plural = _("事故模拟记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"


class PopulatedAreaKind(models.TextChoices):
    VILLAGE = "village", _("村庄")
    RESIDENTIAL = "residential", _("居民区")
    OTHER = "other", _("其他人员聚集区")


class PopulatedArea(models.Model):
    """A village or residential area around the park, as a polygon with its head count: the
    population layer that, with the protective targets and the enterprises' employees, tells a
    simulation how many people are inside each zone. Kept by the bureau."""

    park = models.ForeignKey("park.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(
        _("类型"), max_length=16, choices=PopulatedAreaKind.choices, default=PopulatedAreaKind.VILLAGE
    )
    geometry = models.JSONField(_("范围"), help_text="GeoJSON Polygon or MultiPolygon, WGS84")
    population = models.PositiveIntegerField(_("人口"))
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员聚集区")
        verbose_name_plural = _("人员聚集区")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="populated_area_name_unique_in_park")]

    def __str__(self) -> str:
        return self.name


class InstallationStatus(models.TextChoices):
    NEW = "new", _("新建装置")
    EXISTING = "existing", _("在役装置")


class QraStatus(models.TextChoices):
    DRAFT = "draft", _("待计算")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("计算失败")


class QraStudy(models.Model):
    """A quantitative risk assessment of the park's installations against its protective targets."""

    name = models.CharField(_("名称"), max_length=200)
    park = models.ForeignKey("park.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    installation_status = models.CharField(
        _("装置类别"), max_length=16, choices=InstallationStatus.choices, default=InstallationStatus.EXISTING
    )
    grid_cell_m = models.FloatField(_("网格尺寸 (m)"), default=100.0)
    grid_margin_m = models.FloatField(_("网格外扩 (m)"), default=3000.0)
    scenarios = models.JSONField(_("泄漏情景"), default=list)
    weather_classes = models.JSONField(_("气象类别"), default=list)
    wind_rose = models.JSONField(_("风玫瑰"), default=list)
    risk_limits = models.JSONField(_("个人风险基准"), default=list)
    fn_criterion = models.JSONField(_("社会风险判据"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=QraStatus.choices, default=QraStatus.DRAFT)
    progress = models.FloatField(_("进度"), default=0.0)
    error = models.TextField(_("错误"), blank=True)
    notes = models.JSONField(_("说明"), default=list, blank=True)  # e.g. tanks left without a default scenario
    results = models.JSONField(_("结果"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定量风险评价")
        verbose_name_plural = _("定量风险评价")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int:
        return round(100 * self.progress)
