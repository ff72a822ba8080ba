"""The command-centre screen (大屏): one page, dark, for a wall at 1920 × 1080; its figures come
from ``/api/v1/command/screen`` and are fetched again on every live event."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chempark.core import map_layers
from chempark.core.actors import actor_for_user

SCREEN_LAYERS = ("park", "areas", "enterprises", "major_hazards")


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("command.read")
    return render(
        request,
        "command/screen.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "layer_config": map_layers.map_config(actor, SCREEN_LAYERS),
            "labels": {
                "open": _("实时已连接"),
                "reconnecting": _("实时重连中"),
                "updated": _("更新于"),
                "no_alarms": _("当前无报警"),
                "alarms": _("报警数"),
                "index": _("风险指数"),
                "inherent": _("固有"),
                "monitoring": _("监测"),
                "management": _("管理"),
                "error": _("数据获取失败，稍后自动重试"),
            },
        },
    )
