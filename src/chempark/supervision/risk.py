"""Risk grading of risk points (安全风险分级管控, pure): a 5 × 5 risk matrix or the LEC method, both
giving one of four levels, 重大/较大/一般/低 = 红/橙/黄/蓝 (level 1 is the highest).

Risk matrix: R = L × S with likelihood L and severity S each 1..5; R ≥ 20 red, 15–16 orange,
9–12 yellow, ≤ 8 blue (the banding of the 5 × 5 matrix in common use for 双重预防, e.g. DB37/T 2882).
LEC (Graham–Kinney): D = L × E × C with the method's tabulated values; D ≥ 320 red (极其危险),
160–320 orange (高度危险), 70–160 yellow (显著危险), < 70 blue.
"""

from __future__ import annotations

from decimal import Decimal

LEC_L = frozenset(Decimal(v) for v in ("0.1", "0.2", "0.5", "1", "3", "6", "10"))
LEC_E = frozenset(Decimal(v) for v in ("0.5", "1", "2", "3", "6", "10"))
LEC_C = frozenset(Decimal(v) for v in ("1", "3", "7", "15", "40", "100"))


class InvalidRating(ValueError):
    """A factor outside the method's scale; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def matrix(likelihood: int, severity: int) -> tuple[Decimal, int]:
    """(R, level) of the 5 × 5 risk matrix."""
    for field, value in (("likelihood", likelihood), ("severity", severity)):
        if not 1 <= value <= 5:
            raise InvalidRating(field, f"{field} must be 1..5")
    r = likelihood * severity
    level = 1 if r >= 20 else 2 if r >= 15 else 3 if r >= 9 else 4
    return Decimal(r), level


def lec(likelihood: Decimal, exposure: Decimal, consequence: Decimal) -> tuple[Decimal, int]:
    """(D, level) of the LEC method; each factor must be one of the method's tabulated values."""
    for field, value, scale in (
        ("likelihood", likelihood, LEC_L),
        ("exposure", exposure, LEC_E),
        ("consequence", consequence, LEC_C),
    ):
        if value not in scale:
            raise InvalidRating(field, f"{field} must be one of {sorted(scale)}")
    d = likelihood * exposure * consequence
    level = 1 if d >= 320 else 2 if d >= 160 else 3 if d >= 70 else 4
    return d, level
