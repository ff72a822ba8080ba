"""Emergency command: the resources ledger (应急资源台账), the park's road network, incidents
(接处警) with their append-only timeline and attachments, dispatch orders and the accident
investigation record.

One ``Resource`` table holds every kind of resource (teams, experts, equipment, supplies,
warehouses, 消防水鹤 and hydrants, shelters, medical points): they share owner, position,
availability and contact, the decision panel ranks them together, and the few fields proper to one
kind stay empty for the others. Nine tables with the same six columns would be nine sets of
services, pages and imports for no gain.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.incidents.dispatch_flow import ACTIVE, State


class ResourceKind(models.TextChoices):
    TEAM = "team", _("救援队伍")
    EXPERT = "expert", _("应急专家")
    EQUIPMENT = "equipment", _("应急装备")
    SUPPLY = "supply", _("应急物资")
    WAREHOUSE = "warehouse", _("物资仓库")
    WATER_CRANE = "water_crane", _("消防水鹤")
    HYDRANT = "hydrant", _("消火栓")
    SHELTER = "shelter", _("避难场所")
    MEDICAL = "medical", _("医疗救护点")


DISPATCHABLE = (ResourceKind.TEAM, ResourceKind.EQUIPMENT)
GPS_FRESH = dt.timedelta(minutes=30)
"""A GPS fix older than this no longer says where the unit is (a tracker off or out of coverage):
routing falls back to the unit's base."""


class OwnerKind(models.TextChoices):
    BUREAU = "bureau", _("应急管理局")
    ENTERPRISE = "enterprise", _("企业")
    TEAM = "team", _("救援队伍")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("可用")
    MAINTENANCE = "maintenance", _("维修保养")
    OUT_OF_SERVICE = "out_of_service", _("停用")


class EquipmentType(models.TextChoices):
    FIRE_TRUCK = "fire_truck", _("消防车")
    FOAM_TENDER = "foam_tender", _("泡沫消防车")
    PUMP = "pump", _("排水/输转泵")
    GAS_DETECTOR = "gas_detector", _("气体检测仪")
    PROTECTIVE_SUIT = "protective_suit", _("防化服")
    OTHER = "other", _("其他")


class Resource(models.Model):
    """One entry of the emergency resources ledger: a team, an expert, a piece of equipment, a stock
    of supplies, a warehouse, a water crane or hydrant, a shelter or a medical point."""

    kind = models.CharField(_("类别"), max_length=16, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    owner_kind = models.CharField(_("归属"), max_length=16, choices=OwnerKind.choices, default=OwnerKind.BUREAU)
    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "self", verbose_name=_("所属队伍"), null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    warehouse = models.ForeignKey(
        "self", verbose_name=_("存放仓库"), null=True, blank=True, on_delete=models.PROTECT, related_name="stock"
    )
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    availability = models.CharField(
        _("可用状态"), max_length=16, choices=Availability.choices, default=Availability.AVAILABLE
    )
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("值班/联系电话"), max_length=40, blank=True)
    members = models.PositiveIntegerField(_("队员人数"), null=True, blank=True)
    specialty = models.CharField(_("专业"), max_length=200, blank=True)
    chemicals = models.ManyToManyField("park.Chemical", verbose_name=_("熟悉的化学品"), blank=True, related_name="+")
    equipment_type = models.CharField(_("装备类型"), max_length=20, choices=EquipmentType.choices, blank=True)
    last_inspected_on = models.DateField(_("最近检验日期"), null=True, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2, null=True, blank=True)
    min_stock = models.DecimalField(_("最低库存"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField(_("计量单位"), max_length=16, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    signage = models.BooleanField(_("已设置标识"), default=False)
    notes = models.CharField(_("备注"), max_length=500, blank=True)
    # Where a team or a vehicle is now, from its GPS (or radioed in): the ledger's lon/lat is its base.
    gps_lon = models.FloatField(_("实时经度"), null=True, blank=True)
    gps_lat = models.FloatField(_("实时纬度"), null=True, blank=True)
    gps_at = models.DateTimeField(_("定位时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急资源")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="resource_name_unique_per_kind"),
            models.CheckConstraint(
                name="resource_lon_lat_together",
                condition=models.Q(lon__isnull=True, lat__isnull=True) | models.Q(lon__isnull=False, lat__isnull=False),
                violation_error_message=_("经度和纬度须同时填写。"),
            ),
            models.CheckConstraint(
                name="resource_gps_complete",
                condition=models.Q(gps_lon__isnull=True, gps_lat__isnull=True, gps_at__isnull=True)
                | models.Q(gps_lon__isnull=False, gps_lat__isnull=False, gps_at__isnull=False),
                violation_error_message=_("实时位置须同时有经度、纬度和定位时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def gps_fresh(self, now: dt.datetime) -> bool:
        """Whether the GPS position is recent enough to route from (see :data:`GPS_FRESH`)."""
        return self.gps_at is not None and now - self.gps_at <= GPS_FRESH

    def position(self, now: dt.datetime) -> tuple[float, float] | None:
        """Where the unit is: its fresh GPS position, else its base from the ledger (None if neither)."""
        if self.gps_fresh(now) and self.gps_lon is not None and self.gps_lat is not None:
            return self.gps_lon, self.gps_lat
        if self.lon is None or self.lat is None:
            return None
        return self.lon, self.lat


class RoadNode(models.Model):
    """A node of the road network: a crossing, a road's end or a point along it."""

    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))

    class Meta:
        verbose_name = _("路网节点")
        constraints = [models.UniqueConstraint(fields=["lon", "lat"], name="road_node_unique_position")]


class RoadSegment(models.Model):
    """A stretch of road between two nodes, with its length, speed and whether it is blocked."""

    name = models.CharField(_("道路名称"), max_length=100)
    a = models.ForeignKey(RoadNode, verbose_name=_("起点"), on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(RoadNode, verbose_name=_("终点"), on_delete=models.CASCADE, related_name="+")
    length_m = models.FloatField(_("长度 (m)"))
    speed_kmh = models.FloatField(_("通行速度 (km/h)"))
    blocked = models.BooleanField(_("封闭"), default=False)
    blocked_reason = models.CharField(_("封闭原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("路段")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(name="road_speed_positive", condition=models.Q(speed_kmh__gt=0)),
            models.CheckConstraint(name="road_length_not_negative", condition=models.Q(length_m__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class IncidentKind(models.TextChoices):
    FIRE = "fire", _("火灾")
    EXPLOSION = "explosion", _("爆炸")
    LEAK = "leak", _("泄漏")
    POISONING = "poisoning", _("中毒窒息")
    OTHER = "other", _("其他")


class IncidentSource(models.TextChoices):
    PHONE = "phone", _("电话报警")
    ALARM = "alarm", _("监测报警")
    SIMULATION = "simulation", _("事故模拟")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已结案")


class Level(models.IntegerChoices):
    I = 1, _("Ⅰ级响应")  # noqa: E741 — the level's own name
    II = 2, _("Ⅱ级响应")
    III = 3, _("Ⅲ级响应")
    IV = 4, _("Ⅳ级响应")


class Incident(models.Model):
    """An emergency incident (警情/事故) from its report to its closure."""

    title = models.CharField(_("事件名称"), max_length=200)
    kind = models.CharField(_("事件类型"), max_length=16, choices=IncidentKind.choices)
    source = models.CharField(_("报警来源"), max_length=16, choices=IncidentSource.choices)
    status = models.CharField(_("状态"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    reported_at = models.DateTimeField(_("接警时间"))
    reporter = models.CharField(_("报警人"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("报警电话"), max_length=40, blank=True)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("事发企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "park.Unit", verbose_name=_("事发单元"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chemicals = models.ManyToManyField("park.Chemical", verbose_name=_("涉及化学品"), blank=True, related_name="+")
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injured = models.PositiveIntegerField(_("受伤人数"), default=0)
    description = models.TextField(_("事件描述"), blank=True)
    alarm = models.ForeignKey(
        "monitoring.Alarm",
        verbose_name=_("关联报警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    simulation = models.ForeignKey(
        "emergency.SimulationRun",
        verbose_name=_("关联事故模拟"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_level = models.PositiveSmallIntegerField(_("建议响应级别"), choices=Level.choices, default=Level.IV)
    level = models.PositiveSmallIntegerField(_("响应级别"), choices=Level.choices, null=True, blank=True)
    # The threat zone computed for it (incidents.zone): zones as GeoJSON, the people and targets inside.
    zone = models.JSONField(_("威胁区"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    summary = models.TextField(_("处置总结"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("事件")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return self.title


class IncidentEvent(models.Model):
    """One line of an incident's timeline: when, who, what. Append-only in the database."""

    incident = models.ForeignKey(Incident, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("动作"), max_length=32)
    text = models.CharField(_("内容"), max_length=1000)

    class Meta:
        verbose_name = _("事件时间线")
        ordering = ["at", "id"]


class Attachment(models.Model):
    """A file attached to an incident (photo, scanned report); its bytes stay in the database so a
    backup of the database is a backup of the record."""

    incident = models.ForeignKey(Incident, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小 (字节)"))
    content = models.BinaryField(_("内容"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.CharField(_("上传人"), max_length=150)

    class Meta:
        verbose_name = _("附件")
        ordering = ["uploaded_at", "id"]


class Dispatch(models.Model):
    """An order sending a team or a piece of equipment to an incident, and where it stands."""

    incident = models.ForeignKey(Incident, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="dispatches")
    resource = models.ForeignKey(
        Resource, verbose_name=_("调派对象"), on_delete=models.PROTECT, related_name="dispatches"
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=[
            (State.DISPATCHED.value, _("已调派")),
            (State.EN_ROUTE.value, _("途中")),
            (State.ON_SCENE.value, _("到达现场")),
            (State.RETURNING.value, _("返回中")),
            (State.AVAILABLE.value, _("已归队")),
            (State.CANCELLED.value, _("已取消")),
        ],
        default=State.DISPATCHED.value,
    )
    eta_min = models.FloatField(_("预计到达 (分钟)"), null=True, blank=True)
    note = models.CharField(_("调派说明"), max_length=500, blank=True)
    dispatched_at = models.DateTimeField(_("调派时间"))
    updated_at = models.DateTimeField(_("状态更新时间"))

    class Meta:
        verbose_name = _("调派指令")
        ordering = ["dispatched_at", "id"]
        constraints = [
            # A unit serves one incident at a time: the database refuses a second active order even
            # when two dispatchers press the button at once.
            models.UniqueConstraint(
                fields=["resource"],
                condition=models.Q(state__in=sorted(s.value for s in ACTIVE)),
                name="dispatch_one_active_per_resource",
            )
        ]


class Investigation(models.Model):
    """The accident investigation record (事故调查) of an incident, with its legal deadline:
    《生产安全事故报告和调查处理条例》 art. 29 — the report within 60 days of the accident, extendable
    once, by at most 60 days."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="investigation"
    )
    lead = models.CharField(_("调查组组长"), max_length=100)
    opened_on = models.DateField(_("成立日期"))
    due_on = models.DateField(_("报告期限"))
    extended_to = models.DateField(_("延长至"), null=True, blank=True)
    submitted_on = models.DateField(_("报告提交日期"), null=True, blank=True)
    findings = models.TextField(_("调查结论"), blank=True)

    class Meta:
        verbose_name = _("事故调查")
