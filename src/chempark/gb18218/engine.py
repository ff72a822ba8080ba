"""Major hazard installation identification and grading under GB 18218-2018 (pure, no Django).

One call assesses one unit (a production unit or a storage unit):

* q is the design maximum quantity of each substance; holdings of the same substance are summed.
* Q comes from Table 1 when the substance is listed there, even if it also has a Table 2
  category; otherwise from Table 2, taking the lowest Q when several categories are declared.
* S = Σ q/Q; the unit is a major hazard when S ≥ 1.
* R = α · Σ β·q/Q, with β from Table 3 for its named toxic gases and otherwise from Table 4 by
  category, and α from Table 5 by the residents within 500 m of the plant boundary.
  Levels: 一级 R ≥ 100, 二级 50 ≤ R < 100, 三级 10 ≤ R < 50, 四级 R < 10. A unit with S < 1
  is not graded.

Sums are exact (fractions) so that a value on a boundary — R = 10, 50, 100 or S = 1 — lands in
the level the standard gives it even when a ratio such as q/0.3 has no finite decimal. Results are
reported as ``Decimal``: exact when the value has a finite decimal expansion, otherwise rounded
to 34 significant digits after the decision was taken on the exact value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

from chempark.common.identifiers import cas_problem, normalise_cas
from chempark.gb18218.tables import (
    DEFAULT_BETA,
    NO_CATEGORY,
    TABLE_VERSION,
    Table1Row,
    alpha_for_population,
    normalise_name,
    table1,
    table2,
    table3,
    table4,
)

__all__ = [
    "TABLE_VERSION",
    "Assessment",
    "GB18218InputError",
    "Holding",
    "Line",
    "identify",
    "level_for",
    "lookup_substance",
    "to_json",
    "validate_cas",
]

LEVEL_THRESHOLDS: tuple[tuple[int, Fraction], ...] = (
    (1, Fraction(100)),
    (2, Fraction(50)),
    (3, Fraction(10)),
)
"""Table 6 lower bounds: a value on a boundary belongs to the higher level."""

_REPORT_CONTEXT = Context(prec=34)


class GB18218InputError(ValueError):
    """Input the standard cannot be applied to.

    ``code`` is stable for programs; ``message`` names the offending holding and field for people.
    """

    def __init__(self, code: str, message: str, *, holding_index: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.holding_index = holding_index
        self.field = field


@dataclass(frozen=True)
class Holding:
    """One recorded quantity of one substance in the unit (a tank, a warehouse bay, a reactor).

    ``categories`` are Table 2 codes such as ``("W5.3",)``: required for a substance not in
    Table 1 (a mixture or an unlisted chemical); for a Table 1 substance not in Table 3 they
    replace the category recorded for β (e.g. ``W5.1`` for a liquid kept above its boiling point).
    ``mass_fraction`` (0–1, None = pure or unknown) decides rows whose name limits the
    concentration: formalin (甲醛 37 %) is not row 8 "甲醛(含量>90%)" and needs its categories.
    """

    quantity_t: Decimal
    cas: str | None = None
    name: str | None = None
    categories: tuple[str, ...] = ()
    mass_fraction: Decimal | None = None


@dataclass(frozen=True)
class Line:
    """One substance's contribution, with where each figure came from."""

    substance: str
    cas: str | None
    q_t: Decimal
    critical_q_t: Decimal
    q_source: str
    beta: Decimal
    beta_source: str
    ratio: Decimal


@dataclass(frozen=True)
class Assessment:
    """The outcome for one unit: S, whether it is a major hazard, and (if so) R and its level."""

    s: Decimal
    is_major: bool
    r: Decimal | None
    level: int | None
    alpha: Decimal
    lines: tuple[Line, ...]
    table_version: str = TABLE_VERSION


def validate_cas(cas: str) -> bool:
    """True if ``cas`` (full-width forms allowed) is a CAS number with a correct check digit."""
    return cas_problem(normalise_cas(cas)) is None


def lookup_substance(*, cas: str | None = None, name: str | None = None) -> Table1Row | None:
    """The Table 1 row for a CAS number and/or a Chinese name or alias, or None if not listed.

    Raises :class:`GB18218InputError` when the CAS number is malformed, when it is shared by
    several rows (nitrocellulose, ammonium nitrate grades) and no name settles which, or when CAS
    and name point to different rows.
    """
    by_cas: list[Table1Row] = []
    if cas is not None:
        folded = normalise_cas(cas)
        problem = cas_problem(folded)
        if problem is not None:
            raise GB18218InputError("invalid_cas", problem, field="cas")
        by_cas = [row for row in table1() if folded in row.lookup_cas_numbers]
    by_name: list[Table1Row] = []
    if name is not None:
        key = normalise_name(name)
        by_name = [row for row in table1() if key in row.lookup_names]
    if by_cas and by_name:
        common = [row for row in by_cas if row in by_name]
        if not common:
            raise GB18218InputError(
                "cas_name_conflict",
                f"CAS {cas} is Table 1 row {_rows(by_cas)} but name {name!r} is row {_rows(by_name)}",
            )
        by_cas = common
    candidates = by_cas or by_name
    if len(candidates) > 1:
        raise GB18218InputError(
            "ambiguous_substance",
            f"{cas or name} matches Table 1 rows {_rows(candidates)}; give the row's full name",
        )
    return candidates[0] if candidates else None


def _rows(rows: Sequence[Table1Row]) -> str:
    return ", ".join(str(row.row) for row in rows)


@dataclass
class _Accumulator:
    substance: str
    cas: str | None
    critical_q_t: Decimal
    q_source: str
    beta: Decimal
    beta_source: str
    q_t: Decimal = Decimal(0)


def _beta_for_categories(codes: Sequence[str], governing: str | None = None) -> tuple[Decimal, str]:
    """The largest Table 4 β among the declared categories (an under-graded unit is the worse error).

    On a tie the category that set Q is named, so that the line reads consistently.
    """
    code = max(codes, key=lambda code: (table4()[code], code == governing))
    return table4()[code], f"Table 4 {code}"


def _resolve(holding: Holding, index: int) -> tuple[tuple[object, ...], _Accumulator]:
    """The aggregation key and the Q/β figures of one holding."""
    try:
        row = lookup_substance(cas=holding.cas, name=holding.name)
    except GB18218InputError as error:
        field = error.field or "cas"
        raise GB18218InputError(
            error.code, f"holdings[{index}].{field}: {error.message}", holding_index=index, field=field
        ) from None
    if row is not None and not row.applies_to(holding.mass_fraction):
        row = None
    categories = tuple(holding.categories)
    if row is not None:
        gas = table3().get(row.row)
        if gas is not None:
            beta, beta_source = gas.beta, f"Table 3 {gas.gas}"
        elif categories:
            beta, beta_source = _beta_for_categories(categories)
            beta_source += " (category given with the holding)"
        elif row.beta_category == NO_CATEGORY:
            beta = DEFAULT_BETA
            beta_source = f"no Table 4 category for Table 1 row {row.row} ({row.beta_confidence})"
        else:
            beta = table4()[row.beta_category]
            beta_source = f"Table 4 {row.beta_category} (category of Table 1 row {row.row}, {row.beta_confidence})"
        figures = _Accumulator(
            substance=row.name,
            cas=row.cas_numbers[0] if row.cas_numbers else None,
            critical_q_t=row.critical_q_t,
            q_source=f"Table 1 row {row.row}",
            beta=beta,
            beta_source=beta_source,
        )
        return ("table1", row.row), figures
    if not categories:
        label = holding.cas or holding.name or "(unnamed)"
        raise GB18218InputError(
            "unknown_substance",
            f"holdings[{index}].category: {label} is not in Table 1; give its Table 2 category",
            holding_index=index,
            field="category",
        )
    governing = min(categories, key=lambda code: (table2()[code].critical_q_t, -table4()[code]))
    beta, beta_source = _beta_for_categories(categories, governing)
    cas = normalise_cas(holding.cas) if holding.cas is not None else None
    identity = cas or (normalise_name(holding.name) if holding.name else None)
    key = ("table2", identity, tuple(sorted(categories)))
    figures = _Accumulator(
        substance=holding.name or cas or table2()[governing].description,
        cas=cas,
        critical_q_t=table2()[governing].critical_q_t,
        q_source=f"Table 2 {governing}",
        beta=beta,
        beta_source=beta_source,
    )
    return key, figures


def _check_holding(holding: Holding, index: int) -> None:
    quantity = holding.quantity_t
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity < 0:
        raise GB18218InputError(
            "invalid_quantity",
            f"holdings[{index}].quantity_t must be a finite number of tonnes ≥ 0, got {quantity!r}",
            holding_index=index,
            field="quantity_t",
        )
    unknown = [code for code in holding.categories if code not in table2()]
    if unknown:
        raise GB18218InputError(
            "unknown_category",
            f"holdings[{index}].category: {unknown[0]!r} is not a Table 2 code (J1-J5, W1.1-W11)",
            holding_index=index,
            field="category",
        )
    fraction = holding.mass_fraction
    if fraction is not None and (
        not isinstance(fraction, Decimal) or not fraction.is_finite() or not 0 < fraction <= 1
    ):
        raise GB18218InputError(
            "invalid_mass_fraction",
            f"holdings[{index}].mass_fraction must be a number in (0, 1], got {fraction!r}",
            holding_index=index,
            field="mass_fraction",
        )
    if holding.cas is None and holding.name is None and not holding.categories:
        raise GB18218InputError(
            "unknown_substance",
            f"holdings[{index}]: give cas, name or category",
            holding_index=index,
            field="cas",
        )


def _exact(value: Decimal) -> Fraction:
    return Fraction(value)


def _report(value: Fraction) -> Decimal:
    """A Decimal for an exact value: exact if it has a finite decimal expansion, else 34 digits."""
    exact = _finite_decimal(value)
    if exact is not None:
        return exact
    return _REPORT_CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _finite_decimal(value: Fraction) -> Decimal | None:
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    scaled = value * 10**places
    return Decimal(scaled.numerator).scaleb(-places)


def level_for(r: Fraction | Decimal) -> int:
    """The grade (1 = 一级 … 4 = 四级) for an R value; boundaries go to the higher grade."""
    exact = r if isinstance(r, Fraction) else Fraction(r)
    for level, lower_bound in LEVEL_THRESHOLDS:
        if exact >= lower_bound:
            return level
    return 4


def identify(holdings: Iterable[Holding], population_500m: int) -> Assessment:
    """Identify and, if it is a major hazard, grade one unit. Raises :class:`GB18218InputError`."""
    if isinstance(population_500m, bool) or not isinstance(population_500m, int) or population_500m < 0:
        raise GB18218InputError(
            "invalid_population",
            f"population_500m must be a whole number ≥ 0, got {population_500m!r}",
            field="population_500m",
        )
    alpha = alpha_for_population(population_500m)
    accumulated: dict[tuple[object, ...], _Accumulator] = {}
    count = 0
    for index, holding in enumerate(holdings):
        count += 1
        _check_holding(holding, index)
        key, figures = _resolve(holding, index)
        line = accumulated.setdefault(key, figures)
        if line.beta_source != figures.beta_source:
            raise GB18218InputError(
                "conflicting_category",
                f"holdings[{index}].category: {line.substance} appears earlier with β from "
                f"{line.beta_source}, here from {figures.beta_source}; "
                "give every holding of a substance the same category",
                holding_index=index,
                field="category",
            )
        line.q_t += holding.quantity_t
    if count == 0:
        raise GB18218InputError("no_holdings", "holdings is empty: a unit needs at least one holding", field="holdings")

    lines = []
    s = weighted = Fraction(0)
    for line in accumulated.values():
        ratio = _exact(line.q_t) / _exact(line.critical_q_t)
        s += ratio
        weighted += _exact(line.beta) * ratio
        lines.append(
            Line(
                substance=line.substance,
                cas=line.cas,
                q_t=line.q_t,
                critical_q_t=line.critical_q_t,
                q_source=line.q_source,
                beta=line.beta,
                beta_source=line.beta_source,
                ratio=_report(ratio),
            )
        )
    is_major = s >= 1
    r = _exact(alpha) * weighted if is_major else None
    return Assessment(
        s=_report(s),
        is_major=is_major,
        r=_report(r) if r is not None else None,
        level=level_for(r) if r is not None else None,
        alpha=alpha,
        lines=tuple(lines),
    )


JsonNumber = int | float


def json_number(value: Decimal) -> JsonNumber:
    """How every Decimal of the result is written as a JSON number.

    Whole values become integers (R = 30 → ``30``, α = 2.0 → ``2``); others are rounded half-even
    to 6 decimal places and written as the shortest float that reads back to that decimal
    (α = 1.5 → ``1.5``, 10/3 → ``3.333333``). Decisions (major, level) are taken on exact values
    before this rounding.
    """
    rounded = value.quantize(Decimal("0.000001"), context=_REPORT_CONTEXT)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def to_json(assessment: Assessment) -> dict[str, object]:
    """The command line's output shape: S, is_major, R, level, alpha, lines."""
    return {
        "S": json_number(assessment.s),
        "is_major": assessment.is_major,
        "R": json_number(assessment.r) if assessment.r is not None else None,
        "level": assessment.level,
        "alpha": json_number(assessment.alpha),
        "lines": [
            {
                "substance": line.substance,
                "cas": line.cas,
                "q_t": json_number(line.q_t),
                "critical_q_t": json_number(line.critical_q_t),
                "q_source": line.q_source,
                "beta": json_number(line.beta),
                "beta_source": line.beta_source,
                "ratio": json_number(line.ratio),
            }
            for line in assessment.lines
        ],
    }
