"""The enterprise list's filter by major hazard level (一级…四级, 无), which the park registry
offers through ``park.hooks`` because only this app knows the hazards.

An enterprise's level is that of its most serious open (not cancelled) major hazard — 一级 is the
most serious — the level an inspector means when asking for "the 一级 enterprises"; 无 is an
enterprise with no open major hazard at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chempark.hazards.models import HazardStatus, Level, MajorHazard
from chempark.park.hooks import ListFilter

NO_HAZARD = "none"


def _by_hazard_level(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    open_hazards = MajorHazard.objects.exclude(status=HazardStatus.CANCELLED)
    if value == NO_HAZARD:
        return rows.exclude(pk__in=open_hazards.values("enterprise_id"))
    graded: QuerySet[Any] = rows.annotate(
        highest_hazard_level=Min("major_hazards__level", filter=~Q(major_hazards__status=HazardStatus.CANCELLED))
    )
    return graded.filter(highest_hazard_level=int(value))


ENTERPRISE_HAZARD_LEVEL = ListFilter(
    kind="enterprise",
    name="hazard_level",
    label=_("重大危险源级别"),
    choices=(*((str(level.value), level.label) for level in Level), (NO_HAZARD, _("无"))),
    apply=_by_hazard_level,
)
