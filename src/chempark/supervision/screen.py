"""The 大屏's tile of dual prevention: open hidden dangers (major ones and overdue ones) and the
special operations going on now."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.screen_tiles import Figure, ScreenTile, figure
from chempark.supervision import selectors
from chempark.supervision.models import DangerGrade, DangerStatusChoice


def supervision_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    dangers = selectors.dangers_visible(actor)
    open_ = dangers.exclude(status__in=(DangerStatusChoice.VERIFIED, DangerStatusChoice.CLOSED))
    major = open_.filter(grade=DangerGrade.MAJOR).count()
    overdue = selectors.overdue_dangers(dangers, timezone.localtime(now).date()).count()
    operations = selectors.ongoing_operations(actor, now).count()
    return [
        figure(_("未销号隐患"), open_.count(), _("项"), "warn" if open_.exists() else "ok"),
        figure(_("重大隐患"), major, _("项"), "alert" if major else ""),
        figure(_("整改逾期"), overdue, _("项"), "alert" if overdue else ""),
        figure(_("进行中特殊作业"), operations, _("项")),
    ]


TILE = ScreenTile("supervision", gettext_lazy("双重预防"), 80, supervision_tile, "danger.read")
