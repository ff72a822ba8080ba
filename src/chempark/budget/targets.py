"""Indicator targets as the bureau writes them, read into something a figure can be compared with.

The target column of a performance-target table mixes numbers and words: "≥98", "100", "≥1次应急演练",
">98", "≥100购买率（%）", "100企业满意度", "按时完成". A target that starts with a number (after an
optional comparison sign) is *comparable*: its operator, number, unit and the words after it (the
label) are kept. A bare number means "=" (the table states the value to reach). Anything else is
qualitative — unless it starts with a comparison sign and no number follows, which is a target the
reader cannot interpret and is reported.

Pure: no Django, so the document parser and the scoring use it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Operator(StrEnum):
    GE = "≥"
    GT = ">"
    EQ = "="
    LE = "≤"
    LT = "<"


_SIGNS = {
    "≥": Operator.GE,
    ">=": Operator.GE,
    "＞": Operator.GT,
    ">": Operator.GT,
    "=": Operator.EQ,
    "＝": Operator.EQ,
    "≤": Operator.LE,
    "<=": Operator.LE,
    "＜": Operator.LT,
    "<": Operator.LT,
}
# Units written straight after the number; anything else after it is a label ("企业满意度").
_UNITS = ("%", "％", "万元", "次", "个", "人次", "人", "家", "台", "辆", "项", "份", "天", "日", "处", "套")
_TARGET = re.compile(
    r"^\s*(?P<sign>>=|<=|[≥>=≤<＞＜＝])?\s*(?P<number>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>" + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True)) + r")?(?P<label>.*)$",
    re.DOTALL,
)
_SIGN_ONLY = re.compile(r"^\s*(>=|<=|[≥>=≤<＞＜＝])")


@dataclass(frozen=True)
class Comparable:
    operator: Operator
    value: Decimal
    unit: str
    label: str

    def met_by(self, achieved: Decimal) -> bool:
        """Whether ``achieved`` satisfies the target."""
        match self.operator:
            case Operator.GE:
                return achieved >= self.value
            case Operator.GT:
                return achieved > self.value
            case Operator.EQ:
                return achieved >= self.value
            case Operator.LE:
                return achieved <= self.value
            case Operator.LT:
                return achieved < self.value

    def ratio(self, achieved: Decimal) -> Decimal:
        """How much of the target ``achieved`` reaches, 0..1: 1 when met; for "at least" targets the
        achieved share of the target, for "at most" targets the target's share of what was reached."""
        if self.met_by(achieved):
            return Decimal(1)
        if achieved <= 0:
            return Decimal(0) if self.operator in (Operator.GE, Operator.GT, Operator.EQ) else Decimal(1)
        if self.operator in (Operator.LE, Operator.LT):
            return min(Decimal(1), self.value / achieved)
        if self.value == 0:
            return Decimal(0)
        return min(Decimal(1), achieved / self.value)


class Unreadable(ValueError):
    """A target that starts like a comparison but has no number after its sign."""


def read_target(text: str) -> Comparable | None:
    """The comparable target in ``text``, or None when the target is qualitative.

    Raises ``Unreadable`` for a comparison sign without a number ("≥若干")."""
    match = _TARGET.match(text)
    if match is None:
        if _SIGN_ONLY.match(text):
            raise Unreadable(text)
        return None
    unit = match["unit"] or ""
    label = match["label"].strip()
    if unit == "％":
        unit = "%"
    if not unit and ("%" in label or "％" in label):
        unit = "%"
    operator = _SIGNS[match["sign"]] if match["sign"] else Operator.EQ
    return Comparable(operator, Decimal(match["number"]), unit, label)
