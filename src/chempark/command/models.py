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
