"""Third-party service organisations (安全管家 / 第三方服务机构) and the enterprises assigned to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Enterprise


class ServiceOrganisation(models.Model):
    """A service organisation under contract with the bureau: its users record findings and expert
    checks for the enterprises assigned to it, and see nothing else."""

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    enterprises = models.ManyToManyField(Enterprise, verbose_name=_("服务企业"), related_name="+", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("机构人员"), related_name="service_organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("第三方服务机构")
        verbose_name_plural = _("第三方服务机构")

    def __str__(self) -> str:
        return self.name
