"""The suggested response level (响应级别 I–IV) of an incident, by an ordered table of rules (pure).

The default table follows the accident grades of 《生产安全事故报告和调查处理条例》 (国务院令第493号)
art. 3 — 特别重大 ≥ 30 deaths or ≥ 100 seriously injured (incl. acute poisoning), 重大 ≥ 10 or ≥ 50,
较大 ≥ 3 or ≥ 10, 一般 below — which the government response levels I–IV (红橙黄蓝) mirror; and adds
the people inside the computed threat zone, since a leak with no casualties yet but a town
downwind is not a level-IV event. Thresholds on people to evacuate are the park's choice, not
law: a bureau changes them through the ``CHEMPARK_INCIDENT_LEVEL_RULES_FILE`` setting (a JSON file, same
shape as :data:`DEFAULT_RULES`). The first rule that matches, in level order, wins; none → IV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Facts:
    deaths: int = 0
    injured: int = 0
    people_in_zone: int = 0
    kind: str = "other"


@dataclass(frozen=True)
class Rule:
    """Level ``level`` when any threshold given is reached (deaths, injured, people in the zone), and,
    when ``kinds`` is not empty, the incident is of one of those kinds."""

    level: int
    deaths: int | None = None
    injured: int | None = None
    people_in_zone: int | None = None
    kinds: tuple[str, ...] = ()

    def matches(self, facts: Facts) -> bool:
        if self.kinds and facts.kind not in self.kinds:
            return False
        pairs = (
            (self.deaths, facts.deaths),
            (self.injured, facts.injured),
            (self.people_in_zone, facts.people_in_zone),
        )
        return any(limit is not None and value >= limit for limit, value in pairs)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(1, deaths=30, injured=100, people_in_zone=10_000),
    Rule(2, deaths=10, injured=50, people_in_zone=3_000),
    Rule(3, deaths=3, injured=10, people_in_zone=500),
    Rule(3, deaths=1, kinds=("explosion",)),
)


@dataclass(frozen=True)
class Suggestion:
    level: int
    rule: Rule | None  # the rule that matched; None = no rule, level IV


def suggest(facts: Facts, rules: Sequence[Rule] = DEFAULT_RULES) -> Suggestion:
    for rule in sorted(rules, key=lambda r: r.level):
        if rule.matches(facts):
            return Suggestion(rule.level, rule)
    return Suggestion(4, None)


def rules_from_json(data: Any) -> tuple[Rule, ...]:
    """Rules read from a JSON list of objects (``level`` 1–4 and thresholds); ``ValueError`` names the
    first bad entry."""
    if not isinstance(data, list):
        raise ValueError("response level rules must be a JSON list")
    rules = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or item.get("level") not in (1, 2, 3, 4):
            raise ValueError(f"rule {index}: needs a level 1-4")
        limits = {k: item.get(k) for k in ("deaths", "injured", "people_in_zone")}
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0) for v in limits.values()):
            raise ValueError(f"rule {index}: thresholds must be non-negative integers")
        kinds = item.get("kinds", [])
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise ValueError(f"rule {index}: kinds must be a list of incident kinds")
        rules.append(Rule(item["level"], kinds=tuple(kinds), **limits))
    return tuple(rules)
