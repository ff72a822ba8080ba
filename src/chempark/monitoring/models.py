"""Real-time monitoring: points, their readings, alarms and the bookkeeping of the ingest stream.

Times of readings are integer epoch milliseconds (``ts_ms``), like the pure cores: exact, cheap to
compare, and what a gateway sends. Human-facing times (alarm raised, acknowledged) are aware
datetimes as elsewhere in the platform.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LON = [MinValueValidator(-180), MaxValueValidator(180)]
LAT = [MinValueValidator(-90), MaxValueValidator(90)]


class PointKind(models.TextChoices):
    """Same values as :class:`chempark.monitoring.simulation.PointKind`."""

    LEVEL = "level", _("液位")
    TEMPERATURE = "temperature", _("温度")
    PRESSURE = "pressure", _("压力")
    FLOW = "flow", _("流量")
    COMPOSITION = "composition", _("组分")
    GAS_LEL = "gas_lel", _("可燃气体 (%LEL)")
    GAS_PPM = "gas_ppm", _("有毒气体 (ppm)")
    OTHER = "other", _("其他")
    WIND_SPEED = "wind_speed", _("风速")  # m/s at the station's anemometer
    WIND_DIRECTION = "wind_direction", _("风向")  # degrees the wind blows from, 0–360 clockwise from north


class Severity(models.TextChoices):
    """Same values as :class:`chempark.monitoring.alarm_model.Severity`."""

    CRITICAL = "critical", _("紧急")
    MAJOR = "major", _("重要")
    MINOR = "minor", _("次要")
    WARNING = "warning", _("提示")


class Point(models.Model):
    """A monitoring point (监测点位): one instrument signal of an enterprise, with its alarm limits.

    The code is what the gateway sends; it is unique within the enterprise. Limits are in the
    point's own unit of measure. The major hazard level that feeds the enterprise's warning level is
    not stored here: it is computed from the inventories (``hazards.selectors``).
    """

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="monitoring_points"
    )
    unit = models.ForeignKey("park.Unit", verbose_name=_("单元"), on_delete=models.PROTECT, related_name="+")
    tank = models.ForeignKey(
        "park.Tank", verbose_name=_("储罐"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("点位编码"), max_length=64)
    name = models.CharField(_("点位名称"), max_length=200)
    kind = models.CharField(_("监测类型"), max_length=16, choices=PointKind.choices)
    unit_of_measure = models.CharField(_("计量单位"), max_length=16)
    range_min = models.FloatField(_("量程下限"))
    range_max = models.FloatField(_("量程上限"))
    ll = models.FloatField(_("低低报"), null=True, blank=True)
    l = models.FloatField(_("低报"), null=True, blank=True)  # noqa: E741 - the instrument engineer's name
    h = models.FloatField(_("高报"), null=True, blank=True)
    hh = models.FloatField(_("高高报"), null=True, blank=True)
    ll_severity = models.CharField(_("低低报级别"), max_length=16, choices=Severity.choices, default=Severity.CRITICAL)
    l_severity = models.CharField(_("低报级别"), max_length=16, choices=Severity.choices, default=Severity.MAJOR)
    h_severity = models.CharField(_("高报级别"), max_length=16, choices=Severity.choices, default=Severity.MAJOR)
    hh_severity = models.CharField(_("高高报级别"), max_length=16, choices=Severity.choices, default=Severity.CRITICAL)
    on_delay_s = models.FloatField(_("报警延时 (s)"), default=0, validators=[MinValueValidator(0)])
    deadband = models.FloatField(_("恢复死区"), default=0, validators=[MinValueValidator(0)])
    stale_timeout_s = models.FloatField(_("离线判定 (s)"), default=300, validators=[MinValueValidator(1)])
    lon = models.FloatField(_("经度"), validators=LON)
    lat = models.FloatField(_("纬度"), validators=LAT)
    enabled = models.BooleanField(_("启用"), default=True)
    # Indexed: the indicators count the points registered today.
    created_at = models.DateTimeField(_("接入时间"), auto_now_add=True, db_index=True)
    # Indexed: the ingest workers' point index asks for its maximum to notice changes (point_index).
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("监测点位")
        verbose_name_plural = _("监测点位")
        ordering = ["enterprise_id", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="point_code_unique_in_enterprise")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PointLatest(models.Model):
    """The latest value of a point and its whole alarm state (``AlarmState.to_dict()``).

    One row per point, written once per batch that touches the point, so the alarm state survives
    a restart of any process. ``online`` mirrors the engine's offline alarm for fast indicators.
    """

    point = models.OneToOneField(Point, primary_key=True, on_delete=models.CASCADE, related_name="latest")
    ts_ms = models.BigIntegerField(null=True)
    value = models.FloatField(null=True)
    state = models.JSONField()
    online = models.BooleanField(default=False)
    # Whether the state holds an active, unacknowledged alarm: the escalation job reads only these.
    unacked = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name = _("点位最新值")
        verbose_name_plural = _("点位最新值")


class PointCountDelta(models.Model):
    """A change of an enterprise's point counts: enabled points, points that have sent a reading
    (connected) and points online now. The counts are the sums of these rows per enterprise.

    Written only by database triggers on ``Point`` and ``PointLatest`` (``point_counts.py``), in the
    transaction of the change, whichever code makes it (services, the ingest's bulk updates, imports,
    ``bulk_create``); rows are appended, never updated, so concurrent writers never wait for each
    other on a counter row, and ``point_counts.compact`` folds them into one row per enterprise.
    The indicators read these sums instead of joining every point to its latest value.
    """

    enterprise = models.ForeignKey(
        "park.Enterprise", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=True
    )
    points = models.IntegerField(default=0)
    connected = models.IntegerField(default=0)
    online = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("点位计数变化")
        verbose_name_plural = _("点位计数变化")


class Reading(models.Model):
    """A raw reading; (point, ts_ms) is the key, so a redelivered message is stored once."""

    pk = models.CompositePrimaryKey("point", "ts_ms")
    # No index of its own: the primary key (point, time) serves every lookup by point.
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    ts_ms = models.BigIntegerField()
    value = models.FloatField()

    class Meta:
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")


class Rollup(models.Model):
    """Per-minute statistics of a point (trend charts, online rate); kept much longer than raw data."""

    pk = models.CompositePrimaryKey("point", "minute_ms")
    # No index of its own: the primary key (point, time) serves every lookup by point.
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    minute_ms = models.BigIntegerField()
    min_value = models.FloatField()
    max_value = models.FloatField()
    sum_value = models.FloatField()
    count = models.PositiveIntegerField()

    @property
    def mean_value(self) -> float:
        return self.sum_value / self.count if self.count else 0.0

    class Meta:
        verbose_name = _("分钟汇总")
        verbose_name_plural = _("分钟汇总")


class AlarmType(models.TextChoices):
    HIGH = "high", _("高限报警")
    LOW = "low", _("低限报警")
    OFFLINE = "offline", _("离线")
    DATA_ABNORMAL = "data_abnormal", _("数据异常")
    VIDEO = "video", _("视频识别")
    # raised by other modules through chempark.core.alarm_feed (same values as its AlarmKind)
    OVERSTAY = "overstay", _("车辆超时滞留")
    OVERSPEED = "overspeed", _("超速")
    DEVIATION = "deviation", _("偏离路线")
    FORBIDDEN_ZONE = "forbidden_zone", _("驶入禁区")
    ILLEGAL_PARKING = "illegal_parking", _("违规停车")
    LOT_FULL = "lot_full", _("停车场满")
    TIME_WINDOW = "time_window", _("非规定时段行驶")
    VEHICLE_OFFLINE = "vehicle_offline", _("车辆定位中断")
    OVER_CAPACITY = "over_capacity", _("区域超员")


class AlarmStatus(models.TextChoices):
    ACTIVE_UNACK = "active_unack", _("报警中·未确认")
    ACTIVE_ACK = "active_ack", _("报警中·已确认")
    CLEARED_UNACK = "cleared_unack", _("已恢复·未确认")
    CLEARED_ACK = "cleared_ack", _("已恢复·已确认")


class Alarm(models.Model):
    """One alarm occurrence of a point (or a camera's video event), identified by (point, type, raised_ms),
    or of another module's condition (a vehicle overstaying, an area over its headcount), identified
    by (source, alarm_type, source_ref) while active (``chempark.core.alarm_feed``).

    The engine keeps the active alarm in the point's state; this row is its record, updated in
    place (level, peak) and kept after it clears. A park-level alarm (a vehicle bound for no
    enterprise) has no enterprise and is seen by the bureau only.
    """

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    point = models.ForeignKey(
        Point, verbose_name=_("点位"), null=True, blank=True, on_delete=models.PROTECT, related_name="alarms"
    )
    camera = models.ForeignKey(
        "Camera", verbose_name=_("摄像机"), null=True, blank=True, on_delete=models.PROTECT, related_name="alarms"
    )
    alarm_type = models.CharField(_("报警类型"), max_length=16, choices=AlarmType.choices)
    level = models.CharField(_("报警级别"), max_length=4, blank=True)
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices)
    status = models.CharField(_("状态"), max_length=16, choices=AlarmStatus.choices, default=AlarmStatus.ACTIVE_UNACK)
    raised_ms = models.BigIntegerField(_("报警时间（毫秒）"))
    raised_at = models.DateTimeField(_("报警时间"))
    value = models.FloatField(_("触发值"), null=True, blank=True)
    peak_value = models.FloatField(_("峰值"), null=True, blank=True)
    flapping = models.BooleanField(_("频繁报警"), default=False)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    cleared_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    acked_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acked_by = models.ForeignKey(
        "accounts.User", verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("提醒次数"), default=0)
    # Alarms from other modules: which module, its key for the condition, what it is about, where.
    source = models.CharField(_("来源模块"), max_length=32, blank=True)
    source_ref = models.CharField(_("来源标识"), max_length=64, blank=True)
    subject = models.CharField(_("报警对象"), max_length=100, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True, validators=LON)
    lat = models.FloatField(_("纬度"), null=True, blank=True, validators=LAT)

    class Meta:
        verbose_name = _("报警")
        verbose_name_plural = _("报警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["point", "alarm_type", "raised_ms"], name="alarm_unique_occurrence"),
            models.UniqueConstraint(
                fields=["source", "alarm_type", "source_ref"],
                condition=models.Q(status__in=["active_unack", "active_ack"]) & ~models.Q(source=""),
                name="alarm_one_active_per_source_ref",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "status"]), models.Index(fields=["status", "raised_at"])]

    def __str__(self) -> str:
        return f"{self.get_alarm_type_display()} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.status in (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)

    @property
    def level_label(self) -> str:
        """The limit crossed in words (高高报), as the point's page names its limits — the pages showed
        the stored code 「HH」."""
        return str(LEVEL_LABELS.get(self.level, self.level.upper()))

    @property
    def measure_unit(self) -> str:
        """The unit of ``value`` and ``peak_value``: the point's own, or for an alarm another module
        raised the unit of its measure (``core.alarm_feed``: dwell hours, speed, headcount) — a bare
        「58.00」 on the alarm list did not say whether it was a speed or a time."""
        if self.point_id is not None and self.point is not None:
            return self.point.unit_of_measure
        return str(FEED_UNITS.get(self.alarm_type, ""))

    @property
    def value_places(self) -> str:
        """``floatformat``'s argument for ``value``: a reading keeps two places, so a column of
        readings lines up; another module's measure (a headcount, hours inside) shows places only
        where it has them — 「5 人」, not 「5.00 人」."""
        return "2" if self.point_id is not None else "-2"


LEVEL_LABELS: dict[str, object] = {"ll": _("低低报"), "l": _("低报"), "h": _("高报"), "hh": _("高高报")}
"""The limits by the names the point's own fields carry."""

FEED_UNITS: dict[str, object] = {
    AlarmType.OVERSTAY: _("小时"),
    AlarmType.OVERSPEED: "km/h",
    AlarmType.OVER_CAPACITY: _("人"),
}
"""The units of the measures other modules' alarms carry (``core.alarm_feed``)."""


class HandlingKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("确认")
    NOTE = "note", _("处置记录")
    ESCALATED = "escalated", _("超时升级")
    REMINDER = "reminder", _("再次提醒")


class AlarmHandling(models.Model):
    """The handling record (处置记录) of an alarm: acknowledgement, notes, escalations and reminders."""

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="handling", verbose_name=_("报警"))
    kind = models.CharField(_("类型"), max_length=16, choices=HandlingKind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("报警处置记录")
        verbose_name_plural = _("报警处置记录")
        ordering = ["at", "id"]


class EnterpriseWarning(models.Model):
    """An enterprise's current warning level (红橙黄蓝) and the rule that set it."""

    enterprise = models.OneToOneField("park.Enterprise", primary_key=True, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("预警等级"), max_length=8)
    rule = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("企业预警")
        verbose_name_plural = _("企业预警")


class LiveEvent(models.Model):
    """What the browsers' live stream sends: written by whichever process raised it, read by the web
    process's stream, pruned by the scheduler. The table is the bus between processes."""

    created_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=24)
    enterprise_id = models.IntegerField(null=True)
    data = models.JSONField()

    class Meta:
        verbose_name = _("实时事件")
        verbose_name_plural = _("实时事件")


class Transport(models.TextChoices):
    HTTP = "http", "HTTP"
    MQTT = "mqtt", "MQTT"
    DEMO = "demo", _("演示")


class DeadLetter(models.Model):
    """A message (or the rejected part of one) kept for the sender's engineers; the table is bounded."""

    received_at = models.DateTimeField(_("接收时间"), db_index=True)
    transport = models.CharField(_("通道"), max_length=8, choices=Transport.choices)
    enterprise_id = models.IntegerField(_("企业"), null=True)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    reason = models.CharField(_("原因"), max_length=32)
    message = models.CharField(_("说明"), max_length=500)
    rejected = models.JSONField(_("被拒读数"), default=list)
    payload = models.BinaryField(_("原始报文"))
    payload_bytes = models.PositiveIntegerField(_("报文长度"))

    class Meta:
        verbose_name = _("无法入库的消息")
        verbose_name_plural = _("无法入库的消息")
        ordering = ["-id"]


class IngestCounter(models.Model):
    """Readings accepted and rejected (by reason) per day, enterprise and transport."""

    day = models.DateField()
    enterprise_id = models.IntegerField(default=0)  # 0: sender unknown (bad topic, unknown USCC)
    transport = models.CharField(max_length=8, choices=Transport.choices)
    name = models.CharField(max_length=32)  # "accepted", "messages" or a reject reason code
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("接入计数")
        verbose_name_plural = _("接入计数")
        constraints = [
            models.UniqueConstraint(fields=["day", "enterprise_id", "transport", "name"], name="ingest_counter_key")
        ]


class Camera(models.Model):
    """A video camera of an enterprise (视频监控), with where it stands and its stream address."""

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("编号"), max_length=64)
    name = models.CharField(_("名称"), max_length=200)
    lon = models.FloatField(_("经度"), validators=LON)
    lat = models.FloatField(_("纬度"), validators=LAT)
    stream_url = models.CharField(_("视频流地址"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("摄像机")
        verbose_name_plural = _("摄像机")
        ordering = ["enterprise_id", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="camera_code_unique_in_enterprise")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class VideoEventKind(models.TextChoices):
    FIRE = "fire", _("明火")
    SMOKE = "smoke", _("烟雾")
    INTRUSION = "intrusion", _("区域入侵")
    NO_HELMET = "no_helmet", _("未戴安全帽")
    NO_WORKWEAR = "no_workwear", _("未穿工作服")
    PHONE = "phone", _("打电话")
    LEAK = "leak", _("跑冒滴漏")
    OTHER = "other", _("其他")


class VideoEvent(models.Model):
    """A video-analytics detection with its snapshot; each raises an alarm."""

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("识别类型"), max_length=16, choices=VideoEventKind.choices)
    ts_ms = models.BigIntegerField()
    confidence = models.FloatField(null=True, blank=True)
    snapshot = models.BinaryField()
    snapshot_type = models.CharField(max_length=16)
    thumbnail = models.BinaryField(default=b"")  # JPEG at most 240 × 160, made at ingest for the alarm list
    alarm = models.ForeignKey(Alarm, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("视频事件")
        verbose_name_plural = _("视频事件")


class MqttAccountKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业网关")
    INGEST = "ingest", _("接入服务")
    POSITION_PLATFORM = "vehicle_platform", _("车辆定位平台")
    POSITIONS_INGEST = "positions_ingest", _("定位接入服务")


class MqttCredential(models.Model):
    """A broker account (MQTT 用户): an enterprise gateway's, named by its USCC, the ingest worker's, a
    vehicle positioning platform's (named as its topic ``chempark/positions/<name>``) or the position
    ingest worker's.

    Only the Mosquitto password hash is kept (``$7$`` PBKDF2-SHA512); the password itself is shown
    once when issued. The broker's password and ACL files are generated from these rows; a revoked
    account stays listed (who had access, until when) but is left out of both files. Issuing again
    reopens it with a new password."""

    username = models.CharField(_("用户名"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=MqttAccountKind.choices)
    enterprise = models.OneToOneField(
        "park.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    password_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField(_("签发时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("MQTT 账号")
        verbose_name_plural = _("MQTT 账号")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username


class PointChangeRequest(models.Model):
    """An enterprise's request to change the regulated settings of one of its points — alarm limits,
    deadband, on-delay, enabled — which only the bureau may approve; until then the point keeps its
    values. Append-only: the decision is a row of its own (:class:`PointChangeDecision`)."""

    point = models.ForeignKey(
        Point, verbose_name=_("监测点位"), on_delete=models.PROTECT, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("原值"))  # the requested fields' values when asked
    changes = models.JSONField(_("申请值"))  # field → requested value

    class Meta:
        verbose_name = _("点位变更申请")
        verbose_name_plural = _("点位变更申请")
        ordering = ["-requested_at", "-id"]


class ChangeDecision(models.TextChoices):
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class PointChangeDecision(models.Model):
    """The bureau's decision on a change request: approved (the changes applied) or rejected with a reason."""

    request = models.OneToOneField(
        PointChangeRequest, on_delete=models.PROTECT, related_name="decision", verbose_name=_("变更申请")
    )
    decision = models.CharField(_("决定"), max_length=16, choices=ChangeDecision.choices)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("审批人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("点位变更审批")
        verbose_name_plural = _("点位变更审批")
