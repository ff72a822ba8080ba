"""The core's page: the platform's periodic tasks and their last runs (系统 → 定时任务)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from chempark.core.actors import actor_for_user
from chempark.core.periodic_status import periodic_tasks
from chempark.core.tables import columns


@login_required
def periodic(request: HttpRequest) -> HttpResponse:
    rows = periodic_tasks(actor_for_user(request.user))
    return render(
        request,
        "core/periodic.html",
        {
            "rows": rows,
            "late": [row for row in rows if row.late],
            "columns": columns(
                _("任务"),
                _("运行时间"),
                _("最近开始"),
                _("最近结束"),
                _("结果"),
                _("运行摘要"),
                _("最近失败"),
                _("状态"),
            ),
        },
    )
