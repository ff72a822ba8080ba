"""The 大屏's tile of the closed park: hazmat vehicles inside now, those over the time limit, and
today's reservations."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.config import current
from chempark.core.actors import Actor
from chempark.core.screen_tiles import Figure, ScreenTile, figure
from chempark.vehicles import selectors
from chempark.vehicles.models import ReservationStatus


def vehicles_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    inside = selectors.vehicles_in_park(actor)
    over = inside.filter(entered_at__lt=now - dt.timedelta(hours=current().vehicle_max_stay_h)).count()
    today = selectors.reservations_visible(actor).filter(date=timezone.localtime(now).date())
    return [
        figure(_("在园危化品车辆"), inside.count(), _("辆")),
        figure(_("超时滞留"), over, _("辆"), "alert" if over else ""),
        figure(_("今日预约"), today.exclude(status=ReservationStatus.REFUSED).count(), _("车次")),
        figure(_("待审批"), today.filter(status=ReservationStatus.REQUESTED).count(), _("车次")),
    ]


TILE = ScreenTile("vehicles", gettext_lazy("封闭化管理"), 60, vehicles_tile, "vehicle.read")
