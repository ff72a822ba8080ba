"""The self-evaluation score (绩效自评) of one project, and the spending plan's checkpoints.

Scoring rule (the weighting of the Ministry of Finance's project self-evaluation, 财预〔2020〕10号:
budget execution 10, outputs 50, effects 30, satisfaction 10 — per project configurable):

* **预算执行率** scores ``weight × min(1, spent ÷ budget)``.
* Each level-1 group (产出 / 效益 / 满意度指标) shares its weight equally among its indicators. An
  indicator scores its share × its achievement ratio: a comparable target compares the achieved
  value (``Comparable.ratio``: 1 when met, else the reached share); a qualitative one takes its grade
  — 达成 1, 部分达成 0.6, 未达成 0. An indicator without a result scores 0 and is counted as open.
* The total is out of 100 when the weights add up to 100; its class follows the same rules:
  ≥ 90 优, ≥ 80 良, ≥ 60 中, below 差.

Pure: no Django.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from chempark.budget.targets import Comparable

GRADE_RATIO = {"achieved": Decimal(1), "partly": Decimal("0.6"), "missed": Decimal(0)}
GROUPS = ("产出指标", "效益指标", "满意度指标")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Weights:
    execution: int = 10
    output: int = 50
    effect: int = 30
    satisfaction: int = 10

    def of(self, group: str) -> int:
        return {"产出指标": self.output, "效益指标": self.effect, "满意度指标": self.satisfaction}[group]

    @property
    def total(self) -> int:
        return self.execution + self.output + self.effect + self.satisfaction


@dataclass(frozen=True)
class Result:
    """One indicator as the score sees it."""

    group: str
    comparable: Comparable | None
    achieved: Decimal | None
    grade: str

    def ratio(self) -> Decimal | None:
        """The achievement ratio 0..1, or None when no result is known yet."""
        if self.comparable is not None and self.achieved is not None:
            return self.comparable.ratio(self.achieved)
        if self.grade in GRADE_RATIO:
            return GRADE_RATIO[self.grade]
        return None


@dataclass(frozen=True)
class Score:
    execution: Decimal
    groups: dict[str, Decimal]
    indicator_points: list[Decimal | None]  # per indicator, in order; None = not evaluated yet
    open_indicators: int

    @property
    def total(self) -> Decimal:
        return (self.execution + sum(self.groups.values(), Decimal(0))).quantize(_CENT, ROUND_HALF_UP)

    @property
    def rating(self) -> str:
        total = self.total
        if total >= 90:
            return "优"
        if total >= 80:
            return "良"
        if total >= 60:
            return "中"
        return "差"


def execution_rate(spent: Decimal, budget: Decimal) -> Decimal:
    """预算执行率 as a fraction (0 for a zero budget)."""
    return Decimal(0) if budget <= 0 else spent / budget


def score(weights: Weights, spent: Decimal, budget: Decimal, results: Sequence[Result]) -> Score:
    execution = Decimal(weights.execution) * min(Decimal(1), execution_rate(spent, budget))
    counts = {group: sum(1 for r in results if r.group == group) for group in GROUPS}
    points: list[Decimal | None] = []
    groups = dict.fromkeys(GROUPS, Decimal(0))
    for result in results:
        ratio = result.ratio()
        if result.group not in counts or counts[result.group] == 0 or ratio is None:
            points.append(None)
            continue
        share = Decimal(weights.of(result.group)) / counts[result.group]
        points.append((share * ratio).quantize(_CENT, ROUND_HALF_UP))
        groups[result.group] += share * ratio
    return Score(
        execution.quantize(_CENT, ROUND_HALF_UP),
        {group: value.quantize(_CENT, ROUND_HALF_UP) for group, value in groups.items()},
        points,
        sum(1 for p in points if p is None),
    )


# --- The spending plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointState:
    month: int
    due: dt.date
    percent: Decimal
    planned: Decimal
    actual: Decimal
    state: str  # "met", "behind" or "upcoming"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def checkpoints(
    year: int,
    budget: Decimal,
    plan: Sequence[tuple[int, Decimal]],
    spending: Sequence[tuple[dt.date, Decimal]],
    today: dt.date,
) -> list[CheckpointState]:
    """Each checkpoint of the plan with what was planned and spent by its month's end; a checkpoint
    whose day has passed is met or behind, a later one upcoming."""
    states = []
    for month, percent in plan:
        due = month_end(year, month)
        planned = budget * percent / 100
        actual = sum((amount for day, amount in spending if day <= due), Decimal(0))
        state = "upcoming" if today <= due else ("met" if actual >= planned else "behind")
        states.append(CheckpointState(month, due, percent, planned, actual, state))
    return states


def planned_share(month: int, plan: Sequence[tuple[int, Decimal]]) -> Decimal:
    """The cumulative planned percentage at the end of ``month``, linear between checkpoints (0 at
    the start of the year), for drawing the plan as a line."""
    previous_month, previous_percent = 0, Decimal(0)
    for plan_month, percent in plan:
        if month <= plan_month:
            span = plan_month - previous_month
            return previous_percent + (percent - previous_percent) * (month - previous_month) / span
        previous_month, previous_percent = plan_month, percent
    return previous_percent
