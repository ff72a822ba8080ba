"""Emergency plans (应急预案) with their versions, filing and evaluation; drills (演练) with their
improvement actions; the working-day calendar; public warnings and the CAP messages issued for them.

A plan of the bureau has no enterprise. Issued CAP messages are append-only: an update or a
cancellation is a new message referencing the earlier ones, never an edit of one already sent.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.hazards.models import MajorHazard
from chempark.park.models import Chemical, Enterprise
from chempark.plans import schedule


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休上班日")


class CalendarDay(models.Model):
    """A public holiday or make-up working day of the State Council's yearly arrangement, kept by the
    bureau: weekends and ordinary weekdays need no row."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PlanKind(models.TextChoices):
    COMPREHENSIVE = schedule.PlanKind.COMPREHENSIVE.value, _("综合应急预案")
    SPECIFIC = schedule.PlanKind.SPECIFIC.value, _("专项应急预案")
    ON_SITE = schedule.PlanKind.ON_SITE.value, _("现场处置方案")


class IncidentType(models.TextChoices):
    """The incident types of the command module, so a plan can be matched to an incident."""

    FIRE = "fire", _("火灾")
    EXPLOSION = "explosion", _("爆炸")
    LEAK = "leak", _("泄漏")
    POISONING = "poisoning", _("中毒窒息")
    OTHER = "other", _("其他")


class Plan(models.Model):
    """One emergency plan; its documents are its versions. ``search_text`` holds the title and the
    current version's text cut into words (jieba), which the full-text index reads."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("预案类别"), max_length=16, choices=PlanKind.choices)
    title = models.CharField(_("预案名称"), max_length=200)
    incident_types = models.JSONField(_("适用事故类型"), default=list, blank=True)
    chemicals = models.ManyToManyField(Chemical, verbose_name=_("涉及化学品"), blank=True, related_name="+")
    major_hazards = models.ManyToManyField(MajorHazard, verbose_name=_("涉及重大危险源"), blank=True, related_name="+")
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    evaluated_on = models.DateField(_("最近评估日期"), null=True, blank=True)
    evaluation_conclusion = models.TextField(_("评估结论"), blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # Set by selectors.annotate_dues when read (from the calendar as it stands then), never stored.
    filing_due: dt.date | None
    filing_status: str
    evaluation_due: dt.date | None
    evaluation_overdue: bool

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """An uploaded document of a plan (PDF or DOCX, checked by content) and its expert review record
    (专家评审, art. 21)."""

    plan = models.ForeignKey(Plan, verbose_name=_("预案"), on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("版本号"), max_length=20)
    file_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    content = models.BinaryField(_("文件内容"))
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField(_("提取的文本"), blank=True)
    reviewed_on = models.DateField(_("评审日期"), null=True, blank=True)
    review_experts = models.CharField(_("评审专家"), max_length=500, blank=True)
    review_conclusion = models.TextField(_("评审意见"), blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.CharField(_("上传人"), max_length=150)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plans_version_unique")]
        verbose_name = _("预案版本")
        verbose_name_plural = _("预案版本")

    def __str__(self) -> str:
        return f"{self.plan} {self.version}"


class DrillForm(models.TextChoices):
    LIVE = "live", _("实战演练")
    TABLETOP = "tabletop", _("桌面演练")


class Drill(models.Model):
    """A drill, planned (``done_on`` empty) or done, with its evaluation."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="drills"
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("演练预案"), null=True, blank=True, on_delete=models.PROTECT, related_name="drills"
    )
    title = models.CharField(_("演练名称"), max_length=200)
    kind = models.CharField(_("演练类别"), max_length=16, choices=PlanKind.choices)
    form = models.CharField(_("演练形式"), max_length=16, choices=DrillForm.choices)
    planned_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("实施日期"), null=True, blank=True)
    participants = models.TextField(_("参演单位和人员"), blank=True)
    participant_count = models.PositiveIntegerField(_("参演人数"), default=0)
    evaluation = models.TextField(_("演练评估"), blank=True)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")

    def __str__(self) -> str:
        return self.title


class ImprovementAction(models.Model):
    """A problem a drill found and what will be done about it, by whom and by when."""

    drill = models.ForeignKey(Drill, verbose_name=_("演练"), on_delete=models.CASCADE, related_name="actions")
    problem = models.TextField(_("发现的问题"))
    action = models.TextField(_("整改措施"))
    owner = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("整改期限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self) -> str:
        return self.problem[:40]


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已发布")
    CANCELLED = "cancelled", _("已解除")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("立即行动")
    EXPECTED = "Expected", _("1 小时内行动")
    FUTURE = "Future", _("近期行动")
    PAST = "Past", _("无需行动")
    UNKNOWN = "Unknown", _("未知")


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("特别严重")
    SEVERE = "Severe", _("严重")
    MODERATE = "Moderate", _("较重")
    MINOR = "Minor", _("一般")
    UNKNOWN = "Unknown", _("未知")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("已发生")
    LIKELY = "Likely", _("很可能")
    POSSIBLE = "Possible", _("可能")
    UNLIKELY = "Unlikely", _("不太可能")
    UNKNOWN = "Unknown", _("未知")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("就地避险")
    EVACUATE = "Evacuate", _("撤离")
    PREPARE = "Prepare", _("做好准备")
    AVOID = "Avoid", _("远离该区域")
    MONITOR = "Monitor", _("关注后续信息")
    ALL_CLEAR = "AllClear", _("解除")


class PublicWarning(models.Model):
    """A public warning as the bureau composes it; every publication (first, update, cancellation)
    is a :class:`CapMessage`."""

    event = models.CharField(_("事件"), max_length=100)
    headline = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    instruction = models.TextField(_("公众应对指引"), blank=True)
    response_type = models.CharField(_("应对措施"), max_length=16, choices=ResponseType.choices)
    urgency = models.CharField(_("紧迫程度"), max_length=16, choices=Urgency.choices)
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices)
    certainty = models.CharField(_("确定程度"), max_length=16, choices=Certainty.choices)
    area_desc = models.CharField(_("区域描述"), max_length=200)
    area = models.JSONField(_("预警区域"))
    expires = models.DateTimeField(_("失效时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.CharField(_("创建人"), max_length=150)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("关联事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("由事件处置页发布的预警所属的事件，其 CAP 消息引用该事件。"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公众预警")
        verbose_name_plural = _("公众预警")

    def __str__(self) -> str:
        return self.headline


class MsgType(models.TextChoices):
    ALERT = "Alert", _("发布")
    UPDATE = "Update", _("更新")
    CANCEL = "Cancel", _("解除")


class CapMessage(models.Model):
    """One CAP 1.2 document as sent, kept byte for byte (append-only)."""

    warning = models.ForeignKey(
        PublicWarning, verbose_name=_("公众预警"), on_delete=models.PROTECT, related_name="messages"
    )
    identifier = models.CharField(_("消息标识"), max_length=100, unique=True)
    msg_type = models.CharField(_("消息类型"), max_length=16, choices=MsgType.choices)
    sent = models.DateTimeField(_("发送时间"))
    xml = models.BinaryField(_("CAP 文档"))
    sent_by = models.CharField(_("发布人"), max_length=150)

    class Meta:
        ordering = ["-sent", "-id"]
        verbose_name = _("CAP 消息")
        verbose_name_plural = _("CAP 消息")

    def __str__(self) -> str:
        return self.identifier
