"""The 大屏's tile of emergency command: incidents being handled and units out on them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.screen_tiles import Figure, ScreenTile, figure
from chempark.incidents import selectors
from chempark.incidents.models import IncidentStatus


def incidents_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    open_ = selectors.incidents(actor, status=IncidentStatus.OPEN).count()
    return [
        figure(_("处置中事件"), open_, _("起"), "alert" if open_ else "ok"),
        figure(_("出动中队伍与装备"), len(selectors.busy_resource_ids()), _("个")),
    ]


TILE = ScreenTile("incidents", gettext_lazy("应急处置"), 70, incidents_tile, "incident.read")
