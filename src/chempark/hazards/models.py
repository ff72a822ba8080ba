"""The major hazard registry: identification snapshots of every unit, the major hazard records with
their filing workflow, the responsible persons (包保责任人) and their duty checks, and the daily
safety commitments (安全承诺) of the enterprises.

Snapshots, transitions, duty checks and level-change notices are append-only: no service updates or
deletes them (a notice is only marked acknowledged), and the foreign keys to them protect them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.hazards import workflow
from chempark.park.models import Enterprise, Unit


class Level(models.IntegerChoices):
    """GB 18218-2018 Table 6 grades."""

    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


class AssessmentReason(models.TextChoices):
    INVENTORY = "inventory", _("存量变更")
    UNIT = "unit", _("单元变更")
    ENTERPRISE = "enterprise", _("周边人口变更")
    CHEMICAL = "chemical", _("化学品类别变更")
    MANUAL = "manual", _("手动重新计算")


class UnitAssessment(models.Model):
    """One GB 18218 calculation of one unit: its inputs, the table version and the result.

    A new row is written whenever a recomputation's inputs or result differ from the unit's latest
    row; old rows are kept as the unit's history.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="assessments")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    actor_username = models.CharField(_("操作人"), max_length=150)
    reason = models.CharField(_("原因"), max_length=32, choices=AssessmentReason.choices)
    table_version = models.CharField(_("标准版本"), max_length=40)
    population_500m = models.PositiveIntegerField(_("厂界外500米内常住人口"), null=True, blank=True)
    population_reported = models.BooleanField(_("人口已填报"), default=True)
    # The holdings given to the engine: inventory id, chemical, q (design maximum), categories and their source.
    holdings = models.JSONField(_("计算输入"), default=list)
    # Inventories that could not be counted, each with its reason (never silently dropped).
    unclassified = models.JSONField(_("未能辨识的存量"), default=list)
    # The engine's result (chempark.gb18218.engine.to_json) plus exact S and R as text.
    result = models.JSONField(_("计算结果"), default=dict)
    s = models.DecimalField("S", max_digits=24, decimal_places=6)
    is_major = models.BooleanField(_("构成重大危险源"))
    r = models.DecimalField("R", max_digits=24, decimal_places=6, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, null=True, blank=True)
    alpha = models.DecimalField("α", max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("单元辨识")
        verbose_name_plural = _("单元辨识")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["unit", "-computed_at"])]


class HazardStatus(models.TextChoices):
    IDENTIFIED = workflow.Status.IDENTIFIED.value, _("已辨识")
    REGISTERED = workflow.Status.REGISTERED.value, _("已登记建档")
    FILING_SUBMITTED = workflow.Status.FILING_SUBMITTED.value, _("备案待审")
    FILED = workflow.Status.FILED.value, _("已备案")
    CANCELLATION_REQUESTED = workflow.Status.CANCELLATION_REQUESTED.value, _("核销待审")
    CANCELLED = workflow.Status.CANCELLED.value, _("已核销")


class MajorHazard(models.Model):
    """A major hazard installation (重大危险源): a unit whose S reached 1, with its registration
    (登记建档), filing (备案), safety assessment and cancellation (核销).

    At most one record per unit is open (not cancelled); a cancelled unit that becomes major again
    gets a new record.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="major_hazards")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="major_hazards"
    )
    status = models.CharField(_("状态"), max_length=32, choices=HazardStatus.choices, default=HazardStatus.IDENTIFIED)
    status_before_request = models.CharField(_("申请前状态"), max_length=32, choices=HazardStatus.choices, blank=True)
    identified_at = models.DateTimeField(_("辨识时间"), default=timezone.now)
    assessment = models.ForeignKey(
        UnitAssessment, verbose_name=_("最新计算"), on_delete=models.PROTECT, related_name="+"
    )
    # Current figures, copied from the latest assessment for lists and filters.
    s = models.DecimalField("S", max_digits=24, decimal_places=6)
    r = models.DecimalField("R", max_digits=24, decimal_places=6, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, null=True, blank=True)
    still_major = models.BooleanField(_("仍构成重大危险源"), default=True)
    # Registration data, 登记建档:
    name = models.CharField(_("重大危险源名称"), max_length=200, blank=True)
    process_description = models.TextField(_("工艺/储存条件"), blank=True)
    safety_measures = models.TextField(_("安全监控措施"), blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    # Filing data, 备案:
    filing_submitted_at = models.DateTimeField(_("备案提交时间"), null=True, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    # Safety assessment (安全评估), repeated at least every 3 years
    last_safety_assessment_on = models.DateField(_("最近安全评估日期"), null=True, blank=True)
    safety_assessment_agency = models.CharField(_("评估机构"), max_length=200, blank=True)
    safety_assessment_report = models.CharField(_("评估报告编号"), max_length=100, blank=True)
    next_safety_assessment_due = models.DateField(_("下次安全评估到期日"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("重大危险源")
        verbose_name_plural = _("重大危险源")
        ordering = ["level", "-r", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=~models.Q(status="cancelled"), name="one_open_major_hazard_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.unit.name} ({self.unit.code})"


class HazardTransition(models.Model):
    """One step of a major hazard's workflow history: who moved it from which status to which, and why."""

    hazard = models.ForeignKey(
        MajorHazard, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("重大危险源")
    )
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=32, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32, choices=HazardStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor_username = models.CharField(_("操作人"), max_length=150)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "id"]


class LevelChange(models.Model):
    """A recomputation changed a major hazard's S or level: raised to the bureau until acknowledged."""

    hazard = models.ForeignKey(
        MajorHazard, on_delete=models.PROTECT, related_name="level_changes", verbose_name=_("重大危险源")
    )
    before = models.ForeignKey(UnitAssessment, on_delete=models.PROTECT, related_name="+", verbose_name=_("变更前辨识"))
    after = models.ForeignKey(UnitAssessment, on_delete=models.PROTECT, related_name="+", verbose_name=_("变更后辨识"))
    old_s = models.DecimalField("S (原)", max_digits=24, decimal_places=6)
    new_s = models.DecimalField("S (新)", max_digits=24, decimal_places=6)
    old_level = models.PositiveSmallIntegerField(_("原级别"), choices=Level.choices, null=True, blank=True)
    new_level = models.PositiveSmallIntegerField(_("新级别"), choices=Level.choices, null=True, blank=True)
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("确认人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("等级变化")
        verbose_name_plural = _("等级变化")
        ordering = ["-raised_at", "-id"]

    @property
    def level_changed(self) -> bool:
        return self.old_level != self.new_level


class GuarantorRole(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人")
    TECHNICAL = "technical", _("技术负责人")
    OPERATIONS = "operations", _("操作负责人")


class Guarantor(models.Model):
    """A responsible person (包保责任人) of one major hazard in one of the three roles."""

    hazard = models.ForeignKey(
        MajorHazard, on_delete=models.PROTECT, related_name="guarantors", verbose_name=_("重大危险源")
    )
    role = models.CharField(_("包保角色"), max_length=16, choices=GuarantorRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Days between duty checks; null = the platform default for the role.
    check_interval_days = models.PositiveIntegerField(_("履职检查周期 (天)"), null=True, blank=True)
    assigned_on = models.DateField(_("任命日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("包保责任人")
        verbose_name_plural = _("包保责任人")
        ordering = ["hazard_id", "role"]
        constraints = [models.UniqueConstraint(fields=["hazard", "role"], name="one_guarantor_per_role")]


class DutyCheck(models.Model):
    """One recorded duty check (履职检查) by a responsible person."""

    guarantor = models.ForeignKey(
        Guarantor, on_delete=models.PROTECT, related_name="checks", verbose_name=_("包保责任人")
    )
    checked_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("检查情况"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    recorded_by = models.CharField(_("记录人"), max_length=150)

    class Meta:
        verbose_name = _("履职检查")
        verbose_name_plural = _("履职检查")
        ordering = ["-checked_on", "-id"]


class SafetyCommitment(models.Model):
    """An enterprise's daily safety risk assessment and commitment (安全风险研判与承诺公告)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="commitments"
    )
    date = models.DateField(_("承诺日期"))
    units_running = models.PositiveIntegerField(_("运行装置数"))
    units_under_maintenance = models.PositiveIntegerField(_("检修装置数"))
    special_operations = models.PositiveIntegerField(_("特殊作业数"))
    special_operations_note = models.CharField(_("特殊作业说明"), max_length=300, blank=True)
    hazards_under_control = models.BooleanField(_("重大危险源处于安全受控状态"))
    principal_name = models.CharField(_("承诺人（主要负责人）"), max_length=50)
    commitment = models.TextField(_("承诺内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    submitted_by = models.CharField(_("提交人"), max_length=150)
    late = models.BooleanField(_("逾期提交"), default=False)

    class Meta:
        verbose_name = _("安全承诺")
        verbose_name_plural = _("安全承诺")
        ordering = ["-date", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "date"], name="one_commitment_per_day")]
