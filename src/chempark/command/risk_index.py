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
  n₀ = 2, weight 0.5). When the dual-prevention module is installed it adds its facts (``None``
  means "module absent": the factor is left out, not scored 0):

  ==========================  =====  ====  ==================================================
  factor                      n₀     w     why
  ==========================  =====  ====  ==================================================
  open_dangers                3      0.15  hidden dangers not yet verified: the backlog
  major_dangers               1      0.30  open 重大隐患: one is already a serious finding
  overdue_dangers             2      0.30  rectifications past their deadline: duties not kept
  ongoing_operations          3      0.10  special operations (hot work …) going on now
  irregular_operations        1      0.25  filings/permits that disagree or break GB 30871, and
                                           failed spot checks, over the last 30 days
  ==========================  =====  ====  ==================================================

  Any other module may add a factor with its own score and weight through ``extra_management``.

``index = 100 × Σ_families W_f · (Σ wᵢ sᵢ / Σ wᵢ) / Σ W_f``. Every factor is non-decreasing in its
input, so more alarms, missed commitments, overdue checks or overdue hidden dangers never lower the
index (property-tested). All weights — the three family weights and each factor's weight within its
family — are configurable through ``CHEMPARK_RISK_WEIGHTS`` (``parse_weights``). Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

R_TOP = 200.0
FAMILIES = ("inherent", "monitoring", "management")
FACTOR_WEIGHTS: Mapping[str, float] = {
    "hazard": 1.0,
    "unacked_alarms": 0.5,
    "active_alarms": 0.2,
    "offline_points": 0.3,
    "missed_commitments": 0.5,
    "overdue_duty_checks": 0.5,
    "open_dangers": 0.15,
    "major_dangers": 0.3,
    "overdue_dangers": 0.3,
    "ongoing_operations": 0.1,
    "irregular_operations": 0.25,
}
"""Default weight of each factor within its family (see the module docstring)."""
SATURATION: Mapping[str, float] = {
    "unacked_alarms": 2.0,
    "active_alarms": 3.0,
    "overdue_duty_checks": 2.0,
    "open_dangers": 3.0,
    "major_dangers": 1.0,
    "overdue_dangers": 2.0,
    "ongoing_operations": 3.0,
    "irregular_operations": 1.0,
}
"""n₀ of each counted factor: the count at which it reaches 63 % of its full score."""
MODULE_FACTORS = ("open_dangers", "major_dangers", "overdue_dangers", "ongoing_operations", "irregular_operations")
"""Management factors that other modules supply; ``None`` in :class:`RiskInputs` = module absent."""
LEVEL_SCORE: Mapping[int, float] = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25}
COMMITMENT_WINDOW_DAYS = 7


@dataclass(frozen=True)
class RiskWeights:
    """Weights of the three families; only their ratios matter."""

    inherent: float = 40.0
    monitoring: float = 35.0
    management: float = 25.0
    factors: Mapping[str, float] = field(default_factory=lambda: dict(FACTOR_WEIGHTS))

    def __post_init__(self) -> None:
        values = (self.inherent, self.monitoring, self.management)
        if any(not math.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("risk weights must be finite, non-negative and not all zero")
        unknown = set(self.factors) - set(FACTOR_WEIGHTS)
        if unknown:
            raise ValueError(f"unknown risk factor {sorted(unknown)[0]!r}")
        if any(not math.isfinite(v) or v < 0 for v in self.factors.values()):
            raise ValueError("factor weights must be finite and non-negative")

    def factor(self, name: str) -> float:
        return self.factors.get(name, FACTOR_WEIGHTS[name])


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
    # Dual prevention (None = the module is not installed, the factor is left out)
    open_dangers: int | None = None  # hidden dangers not yet verified or closed
    major_dangers: int | None = None  # of them, 重大隐患
    overdue_dangers: int | None = None  # rectifications running past their deadline
    ongoing_operations: int | None = None  # special operations going on now
    irregular_operations: int | None = None  # findings of the filing/permit checks and failed spot checks, 30 days
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


def _inherent(inputs: RiskInputs, weights: RiskWeights) -> list[Factor]:
    level = LEVEL_SCORE.get(inputs.hazard_level, 0.0) if inputs.hazard_level is not None else 0.0
    r = inputs.max_r if inputs.max_r is not None and math.isfinite(inputs.max_r) else 0.0
    r_score = _clamp(math.log10(1.0 + max(r, 0.0)) / math.log10(1.0 + R_TOP))
    return [Factor("inherent", "hazard", max(level, r_score), weights.factor("hazard"))]


def _counted(family: str, name: str, n: int, weights: RiskWeights) -> Factor:
    return Factor(family, name, saturating(n, SATURATION[name]), weights.factor(name))


def _monitoring(inputs: RiskInputs, weights: RiskWeights) -> list[Factor]:
    offline_share = _clamp(inputs.points_offline / inputs.points) if inputs.points > 0 else 0.0
    return [
        _counted("monitoring", "unacked_alarms", inputs.unacked_alarms, weights),
        _counted("monitoring", "active_alarms", inputs.active_alarms, weights),
        Factor("monitoring", "offline_points", offline_share, weights.factor("offline_points")),
    ]


def _management(inputs: RiskInputs, weights: RiskWeights) -> list[Factor]:
    missed = _clamp(inputs.missed_commitments / COMMITMENT_WINDOW_DAYS)
    factors = [
        Factor("management", "missed_commitments", missed, weights.factor("missed_commitments")),
        _counted("management", "overdue_duty_checks", inputs.overdue_duty_checks, weights),
    ]
    for name in MODULE_FACTORS:
        count = getattr(inputs, name)
        if count is not None:
            factors.append(_counted("management", name, count, weights))
    for name, (score, weight) in sorted(inputs.extra_management.items()):
        if weight > 0 and math.isfinite(weight):
            factors.append(Factor("management", name, _clamp(score), weight))
    return factors


def risk_index(inputs: RiskInputs, weights: RiskWeights | None = None) -> RiskScore:
    """Score one enterprise; see the module docstring for the rule."""
    weights = weights or RiskWeights()
    factors = _inherent(inputs, weights) + _monitoring(inputs, weights) + _management(inputs, weights)
    families: dict[str, float] = {}
    for family in FAMILIES:
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
    """``"inherent=40,monitoring=35,management=25,overdue_dangers=0.5"``: family weights and factor
    weights within a family, any subset; the rest keep their default."""
    values: dict[str, float] = {}
    factors = dict(FACTOR_WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, number = part.partition("=")
        name = name.strip()
        if not sep or (name not in FAMILIES and name not in FACTOR_WEIGHTS):
            raise ValueError(
                f"unknown risk weight {part!r}: use inherent=, monitoring=, management= or a factor "
                f"({', '.join(FACTOR_WEIGHTS)})"
            )
        try:
            value = float(number)
        except ValueError:
            raise ValueError(f"risk weight {name} is not a number: {number!r}") from None
        if name in FAMILIES:
            values[name] = value
        else:
            factors[name] = value
    return RiskWeights(**values, factors=factors)
