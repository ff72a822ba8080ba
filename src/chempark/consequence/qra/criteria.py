"""Risk acceptance criteria: GB 36894-2018 individual-risk limits and configurable F-N lines.

GB 36894-2018 *危险化学品生产装置和储存设施风险基准* sets the maximum individual risk at each
category of protective target, stricter for new installations than for existing ones, and judges
societal risk on an F-N diagram with an intolerable line and a negligible line (ALARP between).
The individual-risk table is read from ``data/gb36894_criteria.csv`` (editable; each row carries a
confidence mark). The F-N line coordinates of the standard were not available when this was
written, so no F-N line is built in for it: callers pass an :class:`FnCriterion` explicitly.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError

InstallationStatus = Literal["new", "existing"]


@dataclass(frozen=True, slots=True)
class IndividualRiskLimit:
    """One row of the criteria table."""

    category: str
    description_zh: str
    description_en: str
    new_per_year: float
    existing_per_year: float
    confidence: str

    def limit(self, status: InstallationStatus) -> float:
        """The limit that applies to a new or an existing installation."""
        return self.new_per_year if status == "new" else self.existing_per_year


def load_individual_risk_limits(path: str | Path | None = None) -> dict[str, IndividualRiskLimit]:
    """{category: limit} from a criteria CSV (default: the packaged GB 36894 table)."""
    if path is None:
        text = resources.files("chempark.consequence").joinpath("data/gb36894_criteria.csv").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table = {}
    for row in csv.DictReader(rows):
        table[row["category"]] = IndividualRiskLimit(
            category=row["category"],
            description_zh=row["description_zh"],
            description_en=row["description_en"],
            new_per_year=float(row["new_installation_per_year"]),
            existing_per_year=float(row["existing_installation_per_year"]),
            confidence=row["confidence"],
        )
    return table


@functools.cache
def gb36894_limits() -> dict[str, IndividualRiskLimit]:
    """The packaged GB 36894 individual-risk table."""
    return load_individual_risk_limits()


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """Result of checking one protective target against its individual-risk limit."""

    name: str
    category: str
    individual_risk_per_year: float
    limit_per_year: float
    acceptable: bool
    confidence: str


def check_individual_risk(
    name: str,
    category: str,
    individual_risk_per_year: float,
    status: InstallationStatus,
    limits: dict[str, IndividualRiskLimit] | None = None,
) -> TargetCheck:
    """Compare a target's individual risk with the limit for its category (risk ≤ limit passes)."""
    table = gb36894_limits() if limits is None else limits
    if category not in table:
        raise ConsequenceInputError(f"unknown protective-target category {category!r}; one of {sorted(table)}")
    if status not in ("new", "existing"):
        raise ConsequenceInputError(f"installation status must be 'new' or 'existing', got {status!r}")
    row = table[category]
    limit = row.limit(status)
    return TargetCheck(
        name, category, individual_risk_per_year, limit, individual_risk_per_year <= limit, row.confidence
    )


@dataclass(frozen=True, slots=True)
class FnCriterion:
    """F-N acceptance lines F(N) = C/N^a: above ``intolerable`` is not acceptable, below
    ``negligible`` is broadly acceptable, between is ALARP. ``negligible`` may be None (one line)."""

    name: str
    intolerable_constant: float
    intolerable_slope: float
    negligible_constant: float | None
    negligible_slope: float | None
    source: str
    confidence: str

    def intolerable_line(self, n: FloatArray) -> FloatArray:
        """F of the upper line at N."""
        return np.asarray(self.intolerable_constant / np.asarray(n, dtype=np.float64) ** self.intolerable_slope)

    def assess(self, n: FloatArray, f: FloatArray) -> str:
        """'intolerable', 'alarp' or 'tolerable' for an F-N curve given at its step points."""
        n_arr, f_arr = np.asarray(n, dtype=np.float64), np.asarray(f, dtype=np.float64)
        if n_arr.size == 0:
            return "tolerable"
        if np.any(f_arr > self.intolerable_line(n_arr)):
            return "intolerable"
        if self.negligible_constant is not None and self.negligible_slope is not None:
            lower = self.negligible_constant / n_arr**self.negligible_slope
            if np.any(f_arr > lower):
                return "alarp"
        return "tolerable"


NL_GROUP_RISK_ORIENTATION = FnCriterion(
    name="Netherlands group-risk orientation value (BEVI 2004): F ≤ 10⁻³/N² for N ≥ 10",
    intolerable_constant=1e-3,
    intolerable_slope=2.0,
    negligible_constant=None,
    negligible_slope=None,
    source="Besluit externe veiligheid inrichtingen (2004); Purple Book CPR18E ch. 1",
    confidence="recalled; an example line, not GB 36894",
)
