"""GB 18218-2018's tables, loaded from the CSV files in ``chempark/gb18218/data``.

The tables live in data files, one row of the standard per line with the standard's own row
number or category code, so that a reviewer can check each line against the printed text and a
future revision changes data, not code. Columns that are not in the standard (the hazard
category used for β of a Table 1 row, extra lookup names) say so in their header and carry a
confidence mark; see ``docs/hazards.md``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

TABLE_VERSION = "GB 18218-2018"
"""Stored with every identification snapshot so that old results can be recomputed after a revision."""

NO_CATEGORY = "-"
"""``beta_category`` of a Table 1 row that falls in no Table 4 category; its β is :data:`DEFAULT_BETA`."""

DEFAULT_BETA = Decimal(1)

_CAS_IN_TEXT = re.compile(r"[0-9]{2,7}-[0-9]{2}-[0-9]")
_LIST_SEPARATORS = re.compile(r"[;、]")


def normalise_name(value: str) -> str:
    """A chemical name folded for matching: full-width forms to ASCII, all whitespace removed, lower case.

    Lower case only affects Latin letters (``TDI``/``tdi``); Chinese text is unchanged.
    """
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).lower()


@dataclass(frozen=True)
class Table1Row:
    """A named substance of Table 1 with its critical quantity and the β-category recorded for it."""

    row: int
    name: str
    aliases: tuple[str, ...]
    cas_numbers: tuple[str, ...]
    critical_q_t: Decimal
    beta_category: str  # "" when β comes from Table 3, NO_CATEGORY when no Table 4 category applies
    beta_basis: str
    beta_confidence: str  # "standard", "inferred" or "uncertain"
    extra_names: tuple[str, ...]
    extra_cas_numbers: tuple[str, ...]
    # The row's name limits its concentration ("甲醛(含量>90%)"): it applies only to a holding whose
    # mass fraction exceeds this. None: the row has no such limit.
    above_mass_fraction: Decimal | None = None

    def applies_to(self, mass_fraction: Decimal | None) -> bool:
        """Whether a holding of this mass fraction is this row's substance. An unknown fraction
        (None) counts as the row's: taking the named row is the safer reading (its Q is the lower)."""
        return self.above_mass_fraction is None or mass_fraction is None or mass_fraction > self.above_mass_fraction

    @property
    def lookup_names(self) -> tuple[str, ...]:
        """Every name the row answers to, normalised."""
        return tuple(normalise_name(n) for n in (self.name, *self.aliases, *self.extra_names))

    @property
    def lookup_cas_numbers(self) -> tuple[str, ...]:
        return self.cas_numbers + self.extra_cas_numbers


@dataclass(frozen=True)
class Table2Category:
    """A hazard category of Table 2 (e.g. ``J1``, ``W5.3``) with its critical quantity."""

    code: str
    hazard_class: str
    description: str
    critical_q_t: Decimal


@dataclass(frozen=True)
class Table3Gas:
    """A named toxic gas of Table 3 with its β and the Table 1 row that lists it."""

    gas: str
    cas: str
    beta: Decimal
    table1_row: int


@dataclass(frozen=True)
class PopulationBand:
    """A band of Table 5: α for ``min_people`` ≤ people ≤ ``max_people`` (None: no upper bound)."""

    min_people: int
    max_people: int | None
    alpha: Decimal

    def contains(self, people: int) -> bool:
        return people >= self.min_people and (self.max_people is None or people <= self.max_people)


def _read(filename: str) -> Iterator[dict[str, str]]:
    text = resources.files("chempark.gb18218.data").joinpath(filename).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip())


@cache
def table1() -> tuple[Table1Row, ...]:
    """Table 1 in the standard's row order."""
    rows = []
    for record in _read("gb18218_table1.csv"):
        extra = _split_list(record["extra_lookup"])
        rows.append(
            Table1Row(
                row=int(record["row"]),
                name=record["name"],
                aliases=_split_list(record["aliases"]),
                cas_numbers=tuple(_CAS_IN_TEXT.findall(record["cas"])),
                critical_q_t=Decimal(record["q_t"]),
                beta_category=record["beta_category"],
                beta_basis=record["beta_basis"],
                beta_confidence=record["beta_confidence"],
                extra_names=tuple(item for item in extra if not _CAS_IN_TEXT.fullmatch(item)),
                extra_cas_numbers=tuple(item for item in extra if _CAS_IN_TEXT.fullmatch(item)),
                above_mass_fraction=Decimal(record["above_mass_fraction"]) if record["above_mass_fraction"] else None,
            )
        )
    return tuple(rows)


@cache
def table2() -> dict[str, Table2Category]:
    """Table 2 keyed by category code."""
    return {
        record["code"]: Table2Category(
            code=record["code"],
            hazard_class=record["hazard_class"],
            description=record["description"],
            critical_q_t=Decimal(record["q_t"]),
        )
        for record in _read("gb18218_table2.csv")
    }


@cache
def table3() -> dict[int, Table3Gas]:
    """Table 3 keyed by the Table 1 row of the gas."""
    return {
        int(record["table1_row"]): Table3Gas(
            gas=record["gas"],
            cas=record["cas"],
            beta=Decimal(record["beta"]),
            table1_row=int(record["table1_row"]),
        )
        for record in _read("gb18218_table3.csv")
    }


@cache
def table4() -> dict[str, Decimal]:
    """Table 4: β keyed by Table 2 category code."""
    return {record["code"]: Decimal(record["beta"]) for record in _read("gb18218_table4.csv")}


@cache
def table5() -> tuple[PopulationBand, ...]:
    """Table 5's population bands, highest first as printed."""
    return tuple(
        PopulationBand(
            min_people=int(record["min_people"]),
            max_people=int(record["max_people"]) if record["max_people"] else None,
            alpha=Decimal(record["alpha"]),
        )
        for record in _read("gb18218_table5.csv")
    )


def alpha_for_population(people: int) -> Decimal:
    """α of Table 5 for the number of residents within 500 m of the plant boundary."""
    if people < 0:
        raise ValueError(f"population cannot be negative, got {people}")
    for band in table5():
        if band.contains(people):
            return band.alpha
    raise LookupError(f"Table 5 has no band for {people} people")  # the bands cover 0..∞
