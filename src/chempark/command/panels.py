"""The enterprise page's panel: its dynamic risk index, the breakdown and the last 30 days."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from chempark.command import selectors
from chempark.command.risk_index import MODULE_FACTORS, Factor, RiskInputs
from chempark.core.actors import Actor

FACTOR_LABELS = {
    "hazard": _("重大危险源级别与 R 值"),
    "unacked_alarms": _("未确认报警"),
    "active_alarms": _("报警中"),
    "offline_points": _("离线点位占比"),
    "missed_commitments": _("近 7 日未报安全承诺"),
    "overdue_duty_checks": _("包保履职逾期"),
    "open_dangers": _("未销号隐患"),
    "major_dangers": _("重大隐患"),
    "overdue_dangers": _("隐患整改逾期"),
    "ongoing_operations": _("进行中特殊作业"),
    "irregular_operations": _("近 30 日特殊作业不规范"),
}
LEVEL_LABELS = {1: _("一级"), 2: _("二级"), 3: _("三级"), 4: _("四级")}
FAMILY_LABELS = {"inherent": _("固有风险"), "monitoring": _("监测状态"), "management": _("管理状态")}


COUNTED = ("unacked_alarms", "active_alarms", "missed_commitments", "overdue_duty_checks", *MODULE_FACTORS)


def _fact(name: str, inputs: RiskInputs) -> str:
    """What the factor was computed from, in words: ``3 项``, ``2 / 10``, ``二级 · R = 60``."""
    if name in COUNTED:
        return _("%(n)d 项") % {"n": getattr(inputs, name)}
    if name == "offline_points":
        return f"{inputs.points_offline} / {inputs.points}"
    if name == "hazard":
        if inputs.hazard_level is None:
            return str(_("无重大危险源"))
        return _("%(level)s · R = %(r)s") % {
            "level": LEVEL_LABELS.get(inputs.hazard_level, ""),
            "r": f"{inputs.max_r:g}" if inputs.max_r is not None else "—",
        }
    return ""


def _factor(factor: Factor, inputs: RiskInputs) -> dict[str, Any]:
    return {
        "family": FAMILY_LABELS[factor.family],
        "label": FACTOR_LABELS.get(factor.name, factor.name),
        "fact": _fact(factor.name, inputs),
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
        "factors": [_factor(f, row.inputs) for f in row.score.factors],
        "history": selectors.risk_history(actor, enterprise.pk),
    }
