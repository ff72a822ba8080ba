"""Supervision records: hidden dangers and their closed loop, inspections with their campaigns,
checklists and random draws, enforcement cases and their document templates."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise
from chempark.supervision.workflow import RUNNING_DANGER, CaseStage, DangerStatus


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


class CampaignKind(models.TextChoices):
    ANNUAL_PLAN = "annual_plan", _("年度检查计划")
    SMALL_CHEMICAL = "small_chemical", _("小化工复查")
    MAJOR_HAZARD_TANK = "major_hazard_tank", _("重大危险源和罐区专项检查")
    GENERAL_SURVEY = "general_survey", _("一般化工企业摸排")
    OTHER = "other", _("其他专项")


class PoolKind(models.TextChoices):
    INSPECTOR = "inspector", _("执法人员")
    EXPERT = "expert", _("专家")


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
