"""The enterprise page's panel: its dynamic risk index, the breakdown and the last 30 days."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from chempark.command import selectors
from chempark.command.risk_index import Factor
from chempark.core.actors import Actor

FACTOR_LABELS = {
    "hazard": _("重大危险源级别与 R 值"),
    "unacked_alarms": _("未确认报警"),
    "active_alarms": _("报警中"),
    "offline_points": _("离线点位占比"),
    "missed_commitments": _("近 7 日未报安全承诺"),
    "overdue_duty_checks": _("包保履职逾期"),
}
FAMILY_LABELS = {"inherent": _("固有风险"), "monitoring": _("监测状态"), "management": _("管理状态")}


def _factor(factor: Factor) -> dict[str, Any]:
    return {
        "family": FAMILY_LABELS[factor.family],
        "label": FACTOR_LABELS.get(factor.name, factor.name),
        "score": round(100 * factor.score, 1),
        "weight": factor.weight,
    }


def enterprise_risk_panel(actor: Actor, enterprise: Any) -> dict[str, Any] | None:
    row = selectors.enterprise_risk(actor, enterprise.pk)
    if row is None:
        return None
    return {
        "risk": row.score.index,
        "families": [(FAMILY_LABELS[k], round(100 * v, 1)) for k, v in row.score.families.items()],
        "factors": [_factor(f) for f in row.score.factors],
        "history": selectors.risk_history(actor, enterprise.pk),
    }
