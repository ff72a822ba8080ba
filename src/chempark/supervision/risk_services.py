"""Writes of risk points: an assessment by the risk matrix or LEC gives the level (``risk.py``).
Same rules as :mod:`chempark.supervision.services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.supervision import risk
from chempark.supervision.models import RiskMethod, RiskPoint, RiskPointKind
from chempark.supervision.services import enterprise_in_scope, refuse, required_text

FACTOR_LABELS = {
    "likelihood": "可能性 L",
    "severity": "严重性 S",
    "exposure": "暴露频繁程度 E",
    "consequence": "后果 C",
}


def _rating(method: str, factors: dict[str, Any]) -> tuple[Decimal, int, dict[str, str]]:
    names = {RiskMethod.MATRIX: ("likelihood", "severity"), RiskMethod.LEC: ("likelihood", "exposure", "consequence")}
    if method not in names:
        raise refuse("method", "评价方法须为风险矩阵法或 LEC 法。")
    try:
        values = {name: Decimal(str(factors.get(name, ""))) for name in names[RiskMethod(method)]}
    except (ValueError, TypeError, InvalidOperation):
        raise refuse("factors", "评价因子须为数字。") from None
    try:
        if method == RiskMethod.LEC:
            score, level = risk.lec(values["likelihood"], values["exposure"], values["consequence"])
        else:
            for name, value in values.items():
                if value != value.to_integral_value():
                    raise risk.InvalidRating(name, f"{name} must be a whole number")
            score, level = risk.matrix(int(values["likelihood"]), int(values["severity"]))
    except risk.InvalidRating as exc:
        raise refuse(exc.field, f"{FACTOR_LABELS[exc.field]}超出该方法的取值范围。") from None
    return score, level, {name: str(value) for name, value in values.items()}


def risk_point_assess(
    *,
    actor: Actor,
    enterprise_id: int,
    name: str,
    kind: str,
    method: str,
    factors: dict[str, Any],
    control_measures: str,
    responsible: str,
    assessed_on: dt.date,
    phone: str = "",
) -> RiskPoint:
    """Record a risk point with its assessment; its level follows from the method and factors."""
    actor.require("risk.write")
    label = required_text(name, "name", "风险点名称")
    measures = required_text(control_measures, "control_measures", "管控措施")
    who = required_text(responsible, "responsible", "责任人")
    if kind not in RiskPointKind.values:
        raise refuse("kind", "风险点类型不合法。")
    if assessed_on > timezone.localdate():
        raise refuse("assessed_on", "评价日期不能晚于今天。")
    score, level, values = _rating(method, factors)
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        row = RiskPoint.objects.create(
            enterprise=enterprise,
            name=label,
            kind=kind,
            method=method,
            factors=values,
            score=score,
            level=level,
            control_measures=measures,
            responsible=who,
            phone=phone.strip(),
            assessed_on=assessed_on,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="risk_point",
            object_id=row.pk,
            after=audit.snapshot(row),
            enterprise_id=enterprise.pk,
            object_label=str(row),
        )
    return row
