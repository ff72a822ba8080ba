"""The command centre's records: the daily history of each enterprise's dynamic risk index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskIndexDaily(models.Model):
    """An enterprise's risk index as recorded once a day (the last recording of the day wins)."""

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("日期"))
    index = models.FloatField(_("风险指数"))
    families = models.JSONField(_("分项得分"), default=dict)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("企业风险指数记录")
        verbose_name_plural = _("企业风险指数记录")
        constraints = [models.UniqueConstraint(fields=["enterprise", "date"], name="risk_index_daily_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date} {self.index}"


class DutyShift(models.Model):
    """A duty shift (值班) of the bureau: the leader on duty (带班领导) and the duty officers (值班员)
    from ``starts_at`` to ``ends_at``. Shifts do not overlap, so "who is on duty now" has one answer."""

    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    leader = models.ForeignKey("accounts.User", verbose_name=_("带班领导"), on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField("accounts.User", verbose_name=_("值班员"), related_name="+")
    phone = models.CharField(_("值班电话"), max_length=30, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} 班次"


class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    HANDED_OVER = "handed_over", _("交班已签")
    ACCEPTED = "accepted", _("接班已签")


class ShiftHandover(models.Model):
    """A shift handover record (交接班): what was open when the outgoing officer handed over (listed
    automatically, frozen at signing), their notes, and both signatures."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("交班班次"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.DRAFT)
    open_items = models.JSONField(_("未结事项"), default=list)
    notes = models.TextField(_("交班说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    outgoing = models.ForeignKey("accounts.User", verbose_name=_("交班人"), on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField(_("交班签字时间"), null=True, blank=True)
    incoming = models.ForeignKey(
        "accounts.User", verbose_name=_("接班人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("接班签字时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交接班记录")
        verbose_name_plural = _("交接班记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"交接班 {self.created_at:%Y-%m-%d %H:%M}"
