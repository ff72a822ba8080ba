"""An enterprise's warning level (红橙黄蓝: red / orange / yellow / blue) from its active alarms.

The national hazchem monitoring system grades warnings red / orange / yellow / blue for
major / large / general / low risk. The platform derives an enterprise's level from two things:
its *active* alarms (type, severity, acknowledged or not) and its highest major hazard
installation level (GB 18218: 1 is the most hazardous, 4 the least; ``None`` = no MHI).

The rule is a table, because each province publishes its own: every rule names a colour and the
alarms that trigger it; the enterprise gets the highest colour of any matching rule, or the
table's baseline (blue, low risk) when none matches — so every enterprise always carries a level.
:data:`DEFAULT_RULES` is documented in ``docs/monitoring.md`` and can be replaced from
configuration through :meth:`WarningRuleTable.from_dicts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, NamedTuple

from chempark.monitoring.alarm_model import PROCESS_ALARM_TYPES, SEVERITY_RANK, Alarm, AlarmType, Severity

__all__ = [
    "DEFAULT_RULES",
    "NO_MAJOR_HAZARD",
    "ActiveAlarm",
    "WarningAssessment",
    "WarningLevel",
    "WarningRule",
    "WarningRuleTable",
    "assess_warning",
]

NO_MAJOR_HAZARD: Final = 0
"""Stands for "no major hazard installation" in a rule's ``hazard_levels``."""


class WarningLevel(StrEnum):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        """4 for red down to 1 for blue."""
        return _WARNING_RANK[self]


_WARNING_RANK: Final[Mapping[WarningLevel, int]] = {
    WarningLevel.BLUE: 1,
    WarningLevel.YELLOW: 2,
    WarningLevel.ORANGE: 3,
    WarningLevel.RED: 4,
}


class ActiveAlarm(NamedTuple):
    """What the rule needs to know about one active alarm (from the engine or a database row)."""

    alarm_type: AlarmType
    severity: Severity
    acknowledged: bool

    @classmethod
    def from_alarm(cls, alarm: Alarm) -> ActiveAlarm:
        return cls(alarm.alarm_type, alarm.severity, alarm.acknowledged)


@dataclass(frozen=True, slots=True)
class WarningRule:
    """One row of the rule table: ``level`` applies when at least ``min_count`` active alarms of
    ``alarm_types`` with severity ≥ ``min_severity`` (and unacknowledged, if asked) exist on an
    enterprise whose highest MHI level is in ``hazard_levels`` (``None``: any, including none).
    """

    level: WarningLevel
    description: str
    hazard_levels: frozenset[int] | None = None
    alarm_types: frozenset[AlarmType] = PROCESS_ALARM_TYPES
    min_severity: Severity = Severity.WARNING
    unacknowledged_only: bool = False
    min_count: int = 1

    def __post_init__(self) -> None:
        if self.hazard_levels is not None and not self.hazard_levels <= {NO_MAJOR_HAZARD, 1, 2, 3, 4}:
            raise ValueError(f"hazard levels must be 1-4 or {NO_MAJOR_HAZARD} (none): {sorted(self.hazard_levels)}")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")
        if not self.alarm_types:
            raise ValueError("a rule needs at least one alarm type")

    def count_matching(self, alarms: Sequence[ActiveAlarm], hazard_level: int) -> int:
        """How many of ``alarms`` this rule counts (0 when the enterprise's MHI level is out of scope)."""
        if self.hazard_levels is not None and hazard_level not in self.hazard_levels:
            return 0
        floor = SEVERITY_RANK[self.min_severity]
        return sum(
            1
            for alarm in alarms
            if alarm.alarm_type in self.alarm_types
            and SEVERITY_RANK[alarm.severity] >= floor
            and not (self.unacknowledged_only and alarm.acknowledged)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "description": self.description,
            "hazard_levels": None if self.hazard_levels is None else sorted(self.hazard_levels),
            "alarm_types": sorted(t.value for t in self.alarm_types),
            "min_severity": self.min_severity.value,
            "unacknowledged_only": self.unacknowledged_only,
            "min_count": self.min_count,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarningRule:
        hazard_levels = data.get("hazard_levels")
        alarm_types = data.get("alarm_types")
        return cls(
            level=WarningLevel(data["level"]),
            description=str(data.get("description", "")),
            hazard_levels=None if hazard_levels is None else frozenset(int(h) for h in hazard_levels),
            alarm_types=PROCESS_ALARM_TYPES if alarm_types is None else frozenset(AlarmType(t) for t in alarm_types),
            min_severity=Severity(data.get("min_severity", Severity.WARNING.value)),
            unacknowledged_only=bool(data.get("unacknowledged_only", False)),
            min_count=int(data.get("min_count", 1)),
        )


@dataclass(frozen=True, slots=True)
class WarningRuleTable:
    """The configured rules and the level of an enterprise that matches none of them."""

    rules: tuple[WarningRule, ...]
    baseline: WarningLevel = WarningLevel.BLUE

    def to_dicts(self) -> list[dict[str, Any]]:
        return [rule.to_dict() for rule in self.rules]

    @classmethod
    def from_dicts(
        cls, rows: Iterable[Mapping[str, Any]], baseline: WarningLevel = WarningLevel.BLUE
    ) -> WarningRuleTable:
        """Build a table from configuration; unknown colours, types or severities raise ``ValueError``."""
        return cls(tuple(WarningRule.from_dict(row) for row in rows), baseline)


@dataclass(frozen=True, slots=True)
class WarningAssessment:
    """The level and, for the explanation shown to users, the first rule that gave it."""

    level: WarningLevel
    rule: WarningRule | None
    matching_alarms: int


_CRITICAL_ONLY: Final = Severity.CRITICAL
_MHI_1_2: Final = frozenset({1, 2})
_MHI_3_4: Final = frozenset({3, 4})

DEFAULT_RULES: Final = WarningRuleTable(
    (
        WarningRule(
            WarningLevel.RED,
            "一、二级重大危险源企业有未确认的高高/低低报警",
            hazard_levels=_MHI_1_2,
            min_severity=_CRITICAL_ONLY,
            unacknowledged_only=True,
        ),
        WarningRule(
            WarningLevel.RED,
            "一、二级重大危险源企业同时有两个及以上高高/低低报警",
            hazard_levels=_MHI_1_2,
            min_severity=_CRITICAL_ONLY,
            min_count=2,
        ),
        WarningRule(
            WarningLevel.ORANGE,
            "一、二级重大危险源企业有高高/低低报警(已确认, 处置中)",
            hazard_levels=_MHI_1_2,
            min_severity=_CRITICAL_ONLY,
        ),
        WarningRule(
            WarningLevel.ORANGE,
            "三、四级重大危险源企业有未确认的高高/低低报警",
            hazard_levels=_MHI_3_4,
            min_severity=_CRITICAL_ONLY,
            unacknowledged_only=True,
        ),
        WarningRule(WarningLevel.YELLOW, "有高高/低低报警", min_severity=_CRITICAL_ONLY),
        WarningRule(
            WarningLevel.YELLOW,
            "一、二级重大危险源企业有未确认的高/低报警",
            hazard_levels=_MHI_1_2,
            min_severity=Severity.MAJOR,
            unacknowledged_only=True,
        ),
        WarningRule(
            WarningLevel.YELLOW,
            "一、二级重大危险源企业监测点位离线未确认",
            hazard_levels=_MHI_1_2,
            alarm_types=frozenset({AlarmType.OFFLINE}),
            unacknowledged_only=True,
        ),
    )
)


def assess_warning(
    alarms: Iterable[ActiveAlarm],
    major_hazard_level: int | None,
    rules: WarningRuleTable = DEFAULT_RULES,
) -> WarningAssessment:
    """The enterprise's level: the highest colour of any matching rule, else the baseline.

    Among rules of the same colour the first in the table is reported, so order the table with
    the most telling explanation first.
    """
    if major_hazard_level is not None and major_hazard_level not in {1, 2, 3, 4}:
        raise ValueError(f"major hazard level must be 1-4 or None, got {major_hazard_level}")
    hazard = NO_MAJOR_HAZARD if major_hazard_level is None else major_hazard_level
    active = list(alarms)
    best: WarningAssessment = WarningAssessment(rules.baseline, None, 0)
    for rule in rules.rules:
        outranked = rule.level.rank < best.level.rank
        if outranked or (rule.level.rank == best.level.rank and best.rule is not None):
            continue
        matching = rule.count_matching(active, hazard)
        if matching >= rule.min_count:
            best = WarningAssessment(rule.level, rule, matching)
    return best
