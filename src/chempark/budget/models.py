"""Budget performance: a budget year imported from the bureau's performance-target statement, its
department goals, projects with their spending plan and three-level indicators, the spending
recorded against them, indicator results with evidence, and the training and education activities
some indicators count.

Amounts are in 万元 as the statement writes them, exact decimals (4 places: one yuan).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetYear(models.Model):
    year = models.PositiveIntegerField(_("预算年度"), unique=True)
    department_code = models.CharField(_("单位编码"), max_length=20, blank=True)
    department_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    source_name = models.CharField(_("导入文件"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预算年度")
        verbose_name_plural = _("预算年度")
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year}"


class DepartmentGoal(models.Model):
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(_("序号"))
    section = models.CharField(_("部分"), max_length=50)
    number = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("部门绩效目标")
        verbose_name_plural = _("部门绩效目标")
        ordering = ("budget_year", "position")
        constraints = [models.UniqueConstraint(fields=("budget_year", "position"), name="budget_goal_position")]


class Project(models.Model):
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="projects")
    number = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("项目编码"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    budget = models.DecimalField(_("预算数（万元）"), max_digits=14, decimal_places=4)
    fiscal_funds = models.DecimalField(_("财政资金（万元）"), max_digits=14, decimal_places=4)
    other_funds = models.DecimalField(_("其他资金（万元）"), max_digits=14, decimal_places=4, default=Decimal(0))
    purpose = models.TextField(_("资金用途"), blank=True)
    goals = models.JSONField(_("绩效目标"), default=list)
    # [{"month": 3, "percent": "25"}, ...]: the cumulative share of the budget spent by each month's end
    checkpoints = models.JSONField(_("资金支出计划"), default=list)
    weight_execution = models.PositiveSmallIntegerField(_("预算执行权重"), default=10)
    weight_output = models.PositiveSmallIntegerField(_("产出指标权重"), default=50)
    weight_effect = models.PositiveSmallIntegerField(_("效益指标权重"), default=30)
    weight_satisfaction = models.PositiveSmallIntegerField(_("满意度指标权重"), default=10)

    class Meta:
        verbose_name = _("预算项目")
        verbose_name_plural = _("预算项目")
        ordering = ("budget_year", "number")
        constraints = [
            models.UniqueConstraint(fields=("budget_year", "code"), name="budget_project_code"),
            models.CheckConstraint(name="budget_positive", condition=models.Q(budget__gte=0)),
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    """A qualitative indicator's result, in the words of the self-evaluation forms."""

    ACHIEVED = "achieved", _("达成年度指标")
    PARTLY = "partly", _("部分达成")
    MISSED = "missed", _("未达成")


class Indicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("序号"))
    line = models.PositiveIntegerField(_("原文行号"), default=0)
    level1 = models.CharField(_("一级指标"), max_length=50)
    level2 = models.CharField(_("二级指标"), max_length=100)
    level3 = models.CharField(_("三级指标"), max_length=200)
    description = models.CharField(_("绩效指标描述"), max_length=300, blank=True)
    target_text = models.CharField(_("指标值"), max_length=200, blank=True)
    basis = models.CharField(_("指标值确定依据"), max_length=200, blank=True)
    operator = models.CharField(_("比较符"), max_length=2, blank=True)
    target_value = models.DecimalField(_("目标数值"), max_digits=14, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField(_("目标单位"), max_length=10, blank=True)
    figure_code = models.CharField(_("平台数据"), max_length=50, blank=True)
    achieved_value = models.DecimalField(_("实际完成值"), max_digits=14, decimal_places=4, null=True, blank=True)
    grade = models.CharField(_("完成情况"), max_length=10, choices=Grade.choices, blank=True)
    deviation_reason = models.TextField(_("偏差原因"), blank=True)

    class Meta:
        verbose_name = _("绩效指标")
        verbose_name_plural = _("绩效指标")
        ordering = ("project", "position")
        constraints = [models.UniqueConstraint(fields=("project", "position"), name="budget_indicator_position")]

    def __str__(self) -> str:
        return self.level3

    @property
    def is_comparable(self) -> bool:
        return self.target_value is not None


class Evidence(models.Model):
    """A file backing a hand-entered indicator result (a signed survey, an acceptance record)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="evidence")
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    content = models.BinaryField(_("内容"))
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.CharField(_("上传人"), max_length=150)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ("uploaded_at", "id")


class Spending(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="spending")
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=4)
    voucher = models.CharField(_("凭证号"), max_length=50, blank=True)
    note = models.CharField(_("摘要"), max_length=300, blank=True)
    recorded_by = models.CharField(_("录入人"), max_length=150)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # A wrong entry is reversed (冲销), never deleted: it stays on record with who and why, and no
    # longer counts as spent.
    reversed_at = models.DateTimeField(_("冲销时间"), null=True, blank=True)
    reversed_by = models.CharField(_("冲销人"), max_length=150, blank=True)
    reversal_reason = models.CharField(_("冲销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("支出记录")
        verbose_name_plural = _("支出记录")
        ordering = ("date", "id")
        constraints = [models.CheckConstraint(name="budget_spending_positive", condition=models.Q(amount__gt=0))]


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("培训")
    SAFETY_MONTH = "safety_month", _("安全生产月活动")
    WARNING_EDUCATION = "warning_education", _("警示教育")


class Activity(models.Model):
    """A training session or an education activity. For training, ``passed`` of the ``participants``
    passed its examination and ``certificates`` certificates were issued."""

    kind = models.CharField(_("类别"), max_length=20, choices=ActivityKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"))
    organizer = models.CharField(_("组织单位"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"))
    passed = models.PositiveIntegerField(_("考核合格人数"), null=True, blank=True)
    certificates = models.PositiveIntegerField(_("发证数"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.CharField(_("录入人"), max_length=150)

    class Meta:
        verbose_name = _("培训与宣教活动")
        verbose_name_plural = _("培训与宣教活动")
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                name="budget_passed_within_participants",
                condition=models.Q(passed__isnull=True) | models.Q(passed__lte=models.F("participants")),
            )
        ]

    def __str__(self) -> str:
        return self.topic


class Trainee(models.Model):
    """One person of a training session's name list. A session with a list takes its counts from it
    (participants, passed, certificates), so the two never disagree."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="trainees")
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.CharField(_("单位"), max_length=200, blank=True)
    passed = models.BooleanField(_("考核合格"), null=True, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ("activity", "id")
        constraints = [
            models.CheckConstraint(
                name="budget_certificate_only_when_passed",
                condition=models.Q(certificate_no="") | models.Q(passed=True),
            )
        ]

    def __str__(self) -> str:
        return self.name
