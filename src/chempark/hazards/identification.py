"""From a unit's inventories to the GB 18218 engine's input, and back to a storable result.

Kept apart from the services so the rules that choose a substance's Table 1 row or Table 2 category
live in one place: q is the inventory's design maximum; the substance is the chemical's Table 1 row
found by CAS number, else by Chinese name, when the inventory's mass fraction is within the row's
(a row such as 甲醛(含量>90%) does not take formalin); a chemical not in Table 1 takes its bureau-set
``gb18218_categories`` or, failing that, the categories derived from its GHS classes
(``chempark.hazards.categories``). Whatever cannot be counted is returned as unclassified, with why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chempark.gb18218.engine import (
    TABLE_VERSION,
    Assessment,
    GB18218InputError,
    Holding,
    identify,
    lookup_substance,
    to_json,
)
from chempark.gb18218.tables import Table1Row, alpha_for_population
from chempark.hazards.categories import derive_categories

OUTSIDE = "-"
"""``gb18218_categories`` value saying the bureau confirmed the chemical is in no Table 2 category."""

UNREPORTED_POPULATION = 100
"""Used for α while the enterprise's population within 500 m is not reported: α = 2.0, the largest,
so an unreported figure can only grade a unit too high, never too low."""


@dataclass(frozen=True)
class InventoryInput:
    """What the calculation needs of one inventory row."""

    inventory_id: int
    chemical_id: int
    chemical_name: str
    cas: str | None
    design_max_t: Decimal
    explicit_categories: tuple[str, ...]
    ghs_classes: tuple[str, ...]
    boiling_point_k: float | None
    mass_fraction: Decimal | None = None

    @property
    def is_solution(self) -> bool:
        return self.mass_fraction is not None and self.mass_fraction < 1


@dataclass
class Outcome:
    assessment: Assessment
    population_500m: int | None
    population_reported: bool
    holdings: list[dict[str, Any]] = field(default_factory=list)
    unclassified: list[dict[str, Any]] = field(default_factory=list)

    @property
    def result(self) -> dict[str, Any]:
        data = to_json(self.assessment)
        data["S_exact"] = str(self.assessment.s)
        data["R_exact"] = str(self.assessment.r) if self.assessment.r is not None else None
        data["table_version"] = self.assessment.table_version
        return data


def _table1_row(item: InventoryInput) -> Table1Row | None:
    """The Table 1 row of the holding, or None when its concentration is outside the row's (formalin
    is not "甲醛(含量>90%)")."""
    row = _named_row(item)
    return row if row is not None and row.applies_to(item.mass_fraction) else None


def _named_row(item: InventoryInput) -> Table1Row | None:
    """The Table 1 row by CAS (the name settles a CAS shared by several rows), else by Chinese name."""
    if item.cas:
        try:
            row = lookup_substance(cas=item.cas)
        except GB18218InputError as error:
            if error.code != "ambiguous_substance":
                raise
            return lookup_substance(cas=item.cas, name=item.chemical_name)
        if row is not None:
            return row
    return lookup_substance(name=item.chemical_name)


def _holding(item: InventoryInput) -> tuple[Holding | None, dict[str, Any]]:
    """The engine's holding for one inventory (None when it cannot be counted) and its record."""
    record: dict[str, Any] = {
        "inventory_id": item.inventory_id,
        "chemical_id": item.chemical_id,
        "chemical": item.chemical_name,
        "cas": item.cas,
        "design_max_t": str(item.design_max_t),
    }
    if item.mass_fraction is not None:
        record["mass_fraction"] = str(item.mass_fraction)
    explicit = tuple(code for code in item.explicit_categories if code != OUTSIDE)
    try:
        row = _table1_row(item)
    except GB18218InputError as error:
        return None, {**record, "code": error.code, "reason": error.message}
    if row is not None:
        record.update(
            table1_row=row.row,
            categories=list(explicit),
            category_source="explicit (β only)" if explicit else "Table 1",
        )
        return Holding(
            quantity_t=item.design_max_t, name=row.name, categories=explicit, mass_fraction=item.mass_fraction
        ), record
    if OUTSIDE in item.explicit_categories:
        return None, {
            **record,
            "code": "outside_gb18218",
            "reason": "not in Table 1 and in no Table 2 category (confirmed by the bureau)",
        }
    if explicit:
        categories, source = explicit, "explicit"
    else:
        derived = derive_categories(item.ghs_classes, item.boiling_point_k, solution=item.is_solution)
        if not derived.categories:
            return None, {**record, "code": "no_category", "reason": f"not in Table 1; {derived.note}"}
        categories, source = derived.categories, "derived from GHS"
    record.update(table1_row=None, categories=list(categories), category_source=source)
    return Holding(
        quantity_t=item.design_max_t,
        cas=item.cas,
        name=item.chemical_name,
        categories=categories,
        mass_fraction=item.mass_fraction,
    ), record


def assess(items: list[InventoryInput], population_500m: int | None) -> Outcome:
    """Identify and grade one unit from its inventories; never raises for bad catalogue data."""
    reported = population_500m is not None
    people = population_500m if population_500m is not None else UNREPORTED_POPULATION
    counted: list[tuple[Holding, dict[str, Any]]] = []
    unclassified: list[dict[str, Any]] = []
    for item in items:
        holding, record = _holding(item)
        if holding is None:
            unclassified.append(record)
        else:
            counted.append((holding, record))
    while counted:
        try:
            assessment = identify([h for h, _r in counted], people)
        except GB18218InputError as error:
            if error.holding_index is None:
                raise
            _holding_out, record = counted.pop(error.holding_index)
            unclassified.append({**record, "code": error.code, "reason": error.message})
            continue
        return Outcome(assessment, population_500m, reported, [r for _h, r in counted], unclassified)
    empty = Assessment(
        s=Decimal(0),
        is_major=False,
        r=None,
        level=None,
        alpha=alpha_for_population(people),
        lines=(),
        table_version=TABLE_VERSION,
    )
    return Outcome(empty, population_500m, reported, [], unclassified)
