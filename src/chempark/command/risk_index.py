"""The enterprise dynamic risk index (企业动态风险指数): one 0–100 figure per enterprise.

It answers the duty officer's question "which enterprise needs me first?" by combining three
families of facts, each scored 0–1 and weighted (weights configurable, default 40/35/25):

* **inherent risk (固有风险)** — what the enterprise holds: its highest GB 18218 grade, refined by
  the largest R of its major hazards. ``r_score = log10(1 + R) / log10(1 + R_TOP)`` (R_TOP = 200,
  twice the 一级 threshold of 100) grows steeply over the low grades and flattens above 一级; the
  grade alone gives 一级 1.0, 二级 0.75, 三级 0.5, 四级 0.25; the larger of the two counts.
* **monitoring state (监测状态)** — what it is doing now: unacknowledged alarms (weight 0.5),
  active alarms (0.2) and the share of its points offline (0.3). Counts saturate as
  ``1 − exp(−n / n₀)`` (n₀ = 2 unacknowledged, 3 active): the first alarms matter most and a flood
  cannot outweigh everything else.
* **management state (管理状态)** — whether it keeps its duties: daily safety commitments missed in
  the last 7 days (share, weight 0.5) and overdue duty checks of responsible persons (saturating,
  n₀ = 2, weight 0.5); later modules add factors (open hidden dangers, special operations) with
  their own weights through ``extra_management``.

``index = 100 × Σ wᵢ sᵢ / Σ wᵢ``. Every factor is non-decreasing in its input, so more alarms,
missed commitments or overdue checks never lower the index (property-tested). Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

R_TOP = 200.0
LEVEL_SCORE: Mapping[int, float] = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25}
COMMITMENT_WINDOW_DAYS = 7


@dataclass(frozen=True)
class RiskWeights:
    """Weights of the three families; only their ratios matter."""

    inherent: float = 40.0
    monitoring: float = 35.0
    management: float = 25.0

    def __post_init__(self) -> None:
        values = (self.inherent, self.monitoring, self.management)
        if any(not math.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("risk weights must be finite, non-negative and not all zero")


@dataclass(frozen=True)
class RiskInputs:
    """The facts about one enterprise at one moment."""

    hazard_level: int | None = None  # highest (smallest number) GB 18218 grade, None = no major hazard
    max_r: float | None = None  # largest R of its major hazards
    unacked_alarms: int = 0
    active_alarms: int = 0
    points: int = 0
    points_offline: int = 0
    missed_commitments: int = 0  # of the last COMMITMENT_WINDOW_DAYS days
    overdue_duty_checks: int = 0
    # Further management factors from other modules: name -> (score 0..1, weight)
    extra_management: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Factor:
    """One scored fact: its family, name, score 0–1 and weight within the family."""

    family: str
    name: str
    score: float
    weight: float


@dataclass(frozen=True)
class RiskScore:
    index: float  # 0–100, one decimal
    families: Mapping[str, float]  # family -> 0–1
    factors: tuple[Factor, ...]


def saturating(n: float, scale: float) -> float:
    """``1 − exp(−n/scale)`` for n ≥ 0: 0 at none, rising fastest for the first few."""
    return 1.0 - math.exp(-max(n, 0.0) / scale)


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _inherent(inputs: RiskInputs) -> list[Factor]:
    level = LEVEL_SCORE.get(inputs.hazard_level, 0.0) if inputs.hazard_level is not None else 0.0
    r = inputs.max_r if inputs.max_r is not None and math.isfinite(inputs.max_r) else 0.0
    r_score = _clamp(math.log10(1.0 + max(r, 0.0)) / math.log10(1.0 + R_TOP))
    return [Factor("inherent", "hazard", max(level, r_score), 1.0)]


def _monitoring(inputs: RiskInputs) -> list[Factor]:
    offline_share = _clamp(inputs.points_offline / inputs.points) if inputs.points > 0 else 0.0
    return [
        Factor("monitoring", "unacked_alarms", saturating(inputs.unacked_alarms, 2.0), 0.5),
        Factor("monitoring", "active_alarms", saturating(inputs.active_alarms, 3.0), 0.2),
        Factor("monitoring", "offline_points", offline_share, 0.3),
    ]


def _management(inputs: RiskInputs) -> list[Factor]:
    missed = _clamp(inputs.missed_commitments / COMMITMENT_WINDOW_DAYS)
    factors = [
        Factor("management", "missed_commitments", missed, 0.5),
        Factor("management", "overdue_duty_checks", saturating(inputs.overdue_duty_checks, 2.0), 0.5),
    ]
    for name, (score, weight) in sorted(inputs.extra_management.items()):
        if weight > 0 and math.isfinite(weight):
            factors.append(Factor("management", name, _clamp(score), weight))
    return factors


def risk_index(inputs: RiskInputs, weights: RiskWeights | None = None) -> RiskScore:
    """Score one enterprise; see the module docstring for the rule."""
    weights = weights or RiskWeights()
    factors = _inherent(inputs) + _monitoring(inputs) + _management(inputs)
    families: dict[str, float] = {}
    for family in ("inherent", "monitoring", "management"):
        own = [f for f in factors if f.family == family]
        total_weight = sum(f.weight for f in own)
        families[family] = sum(f.score * f.weight for f in own) / total_weight if total_weight else 0.0
    family_weights = {
        "inherent": weights.inherent,
        "monitoring": weights.monitoring,
        "management": weights.management,
    }
    index = 100.0 * sum(families[k] * w for k, w in family_weights.items()) / sum(family_weights.values())
    return RiskScore(index=round(index, 1), families=families, factors=tuple(factors))


def parse_weights(text: str) -> RiskWeights:
    """``"inherent=40,monitoring=35,management=25"`` (any subset; the rest keep their default)."""
    values: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, number = part.partition("=")
        name = name.strip()
        if not sep or name not in ("inherent", "monitoring", "management"):
            raise ValueError(f"unknown risk weight {part!r}: use inherent=, monitoring=, management=")
        try:
            values[name] = float(number)
        except ValueError:
            raise ValueError(f"risk weight {name} is not a number: {number!r}") from None
    return RiskWeights(**values)
