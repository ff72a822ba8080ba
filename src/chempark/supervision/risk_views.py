"""The risk points page (安全风险分级管控): counts by colour, the list, and the assessment form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.errors import DomainError
from chempark.core.page_input import checked_input
from chempark.park.models import Enterprise
from chempark.supervision import risk_services, selectors
from chempark.supervision.models import RiskLevel, RiskMethod, RiskPointKind
from chempark.supervision.schemas import RiskPointIn
from chempark.supervision.views import FIELD_LABELS, actor_of

LABELS = {
    **FIELD_LABELS,
    "name": gettext_lazy("风险点名称"),
    "kind": gettext_lazy("类型"),
    "method": gettext_lazy("评价方法"),
    "factors": gettext_lazy("评价因子"),
    "control_measures": gettext_lazy("管控措施"),
    "responsible": gettext_lazy("责任人"),
    "phone": gettext_lazy("联系电话"),
    "assessed_on": gettext_lazy("评价日期"),
}
FACTORS = {RiskMethod.MATRIX: ("likelihood", "severity"), RiskMethod.LEC: ("likelihood", "exposure", "consequence")}


def _posted(post: Any, enterprise_id: int | None) -> dict[str, Any]:
    data = {name: post.get(name, "").strip() for name in LABELS if name in RiskPointIn.model_fields}
    data["enterprise"] = enterprise_id or data.get("enterprise")
    method = data.get("method", "")
    data["factors"] = (
        {name: post.get(f"{method}-{name}", "").strip() for name in FACTORS.get(RiskMethod(method), ())}
        if method in RiskMethod.values
        else {}
    )
    return {k: v for k, v in data.items() if v not in ("", None)}


@login_required
def risk_points(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        try:
            values = checked_input(
                RiskPointIn, _posted(request.POST, actor.enterprise_id), labels={k: str(v) for k, v in LABELS.items()}
            ).model_dump()
            risk_services.risk_point_assess(actor=actor, enterprise_id=values.pop("enterprise"), **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:risk-points")
    rows = selectors.risk_points(actor)
    counts = dict.fromkeys(RiskLevel.values, 0)
    for level in rows.values_list("level", flat=True):
        counts[level] += 1
    return render(
        request,
        "supervision/risk_points.html",
        {
            "rows": rows[:500],
            "counts": [(level, label, counts[level]) for level, label in RiskLevel.choices],
            "kinds": RiskPointKind.choices,
            "enterprises": [] if actor.enterprise_id else Enterprise.objects.order_by("name"),
            "can_write": actor.can("risk.write"),
            "today": timezone.localdate(),
        },
    )
