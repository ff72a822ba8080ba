"""Positioning terminals, their positions, the park's fences and the violations found in the track."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.fencing.rules import FenceKind as EngineFenceKind


class Terminal(models.Model):
    """A JT/T 808 terminal, named by its number without BCD padding; registered against a vehicle."""

    number = models.CharField(_("终端手机号"), max_length=20, unique=True)
    vehicle = models.OneToOneField(
        "vehicles.Vehicle",
        verbose_name=_("车辆"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="terminal",
    )
    auth_code = models.CharField(_("鉴权码"), max_length=32, blank=True)
    registered_at = models.DateTimeField(_("注册时间"), null=True, blank=True)
    # the last accepted fix, kept here so the live map reads one row per vehicle
    last_ms = models.BigIntegerField(_("最新定位时间"), null=True, blank=True)
    last_lon = models.FloatField(_("经度"), null=True, blank=True)
    last_lat = models.FloatField(_("纬度"), null=True, blank=True)
    last_speed_kmh = models.FloatField(_("速度（km/h）"), null=True, blank=True)
    last_heading = models.PositiveSmallIntegerField(_("方向"), null=True, blank=True)

    class Meta:
        verbose_name = _("定位终端")
        verbose_name_plural = _("定位终端")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    @property
    def last_at(self) -> datetime | None:
        return None if self.last_ms is None else datetime.fromtimestamp(self.last_ms / 1000, tz=UTC)


class Position(models.Model):
    """One fix; (terminal, device time) is the key, so a resent fix is stored once.

    On PostgreSQL the table is partitioned by month of ``ts_ms`` (see ``tracking.partitions``)."""

    pk = models.CompositePrimaryKey("terminal", "ts_ms")
    terminal = models.ForeignKey(
        Terminal, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    ts_ms = models.BigIntegerField()  # device time (the fix's own time), epoch milliseconds
    lon = models.FloatField()
    lat = models.FloatField()
    speed_kmh = models.FloatField()
    heading = models.PositiveSmallIntegerField()
    altitude_m = models.IntegerField(default=0)
    alarm_flags = models.BigIntegerField(default=0)
    status_flags = models.BigIntegerField(default=0)
    mileage_km = models.FloatField(null=True)
    received_ms = models.BigIntegerField()


class FenceKind(models.TextChoices):
    BOUNDARY = EngineFenceKind.BOUNDARY.value, _("园区边界")
    CORRIDOR = EngineFenceKind.CORRIDOR.value, _("指定路线")
    FORBIDDEN = EngineFenceKind.FORBIDDEN.value, _("禁行区")
    PARKING = EngineFenceKind.PARKING.value, _("停车场")
    LOADING = EngineFenceKind.LOADING.value, _("装卸区")
    SPEED = EngineFenceKind.SPEED.value, _("限速区")


class Fence(models.Model):
    """A fence or a designated route, as GeoJSON (a corridor is its centre line plus a width)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=FenceKind.choices)
    geometry = models.JSONField(_("几何（GeoJSON）"))
    width_m = models.FloatField(_("路线宽度（m）"), null=True, blank=True)
    speed_limit_kmh = models.FloatField(_("限速（km/h）"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("车位数"), null=True, blank=True)
    # [[start minute, end minute], ...] of the day, Beijing time; empty: no time restriction
    windows = models.JSONField(_("通行时段"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("电子围栏")
        verbose_name_plural = _("电子围栏")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ViolationKind(models.TextChoices):
    OVERSPEED = "overspeed", _("超速")
    DEVIATION = "deviation", _("偏离路线")
    FORBIDDEN_ZONE = "forbidden_zone", _("驶入禁行区")
    ILLEGAL_PARKING = "illegal_parking", _("违规停车")
    LOT_FULL = "lot_full", _("停车场满")


class Violation(models.Model):
    """A rule broken by a vehicle (or a full lot), from its start to its end; raised as an alarm."""

    kind = models.CharField(_("违规类型"), max_length=16, choices=ViolationKind.choices)
    terminal = models.ForeignKey(
        Terminal, verbose_name=_("终端"), on_delete=models.CASCADE, null=True, blank=True, related_name="violations"
    )
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", verbose_name=_("车辆"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fence = models.ForeignKey(Fence, verbose_name=_("围栏"), on_delete=models.SET_NULL, null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    peak_kmh = models.FloatField(_("最高速度（km/h）"), null=True, blank=True)
    limit_kmh = models.FloatField(_("限速（km/h）"), null=True, blank=True)
    alarm_id = models.BigIntegerField(_("报警编号"), null=True, blank=True)
    ref = models.CharField(_("标识"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("车辆违规")
        verbose_name_plural = _("车辆违规")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ref}"
