"""``chempark gb18218 FILE``: assess one unit described in a JSON file (``-`` reads standard input).

Input::

    {"population_500m": 60,
     "holdings": [{"cas": "7446-09-5", "quantity_t": 200},
                  {"name": "甲醇", "quantity_t": 12.5},
                  {"name": "稀释剂", "category": "W5.3", "quantity_t": 3}]}

``category`` may also be a list of Table 2 codes for a substance with several hazards.
Output is the JSON of :func:`chempark.gb18218.engine.to_json`. Every bad input ends with exit
code 2 and one line ``{"error": {"code": ..., "message": ...}}`` on standard error, so that
scripts and the web platform can tell a data problem from a crash.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import TextIO

from chempark.gb18218.engine import GB18218InputError, Holding, identify, to_json

EXIT_OK = 0
EXIT_BAD_INPUT = 2
USAGE = "usage: chempark gb18218 FILE  (FILE may be - for standard input)"

_HOLDING_FIELDS = frozenset({"cas", "name", "category", "quantity_t"})


def _reject_constant(token: str) -> Decimal:
    """NaN and Infinity are parsed, not refused, so the field check can name the field they are in."""
    return Decimal(token)


def _show(value: object) -> str:
    """A parsed JSON value written back the way the user typed it, for error messages."""
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _parse_quantity(value: object, index: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise GB18218InputError(
            "invalid_quantity",
            f"holdings[{index}].quantity_t must be a number of tonnes, got {_show(value)}",
            holding_index=index,
            field="quantity_t",
        )
    quantity = Decimal(value)
    if not quantity.is_finite() or quantity < 0:
        raise GB18218InputError(
            "invalid_quantity",
            f"holdings[{index}].quantity_t must be finite and ≥ 0, got {value}",
            holding_index=index,
            field="quantity_t",
        )
    return quantity


def _optional_text(record: dict[str, object], field: str, index: int) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise GB18218InputError(
            f"invalid_{field}",
            f"holdings[{index}].{field} must be a non-empty string",
            holding_index=index,
            field=field,
        )
    return value.strip()


def _parse_categories(value: object, index: int) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        raise GB18218InputError(
            "invalid_category",
            f'holdings[{index}].category must be a Table 2 code such as "W5.3" or a list of codes',
            holding_index=index,
            field="category",
        )
    return tuple(str(item).strip().upper() for item in items)


def _parse_holding(record: object, index: int) -> Holding:
    if not isinstance(record, dict):
        raise GB18218InputError(
            "invalid_holding", f"holdings[{index}] must be an object", holding_index=index, field="holdings"
        )
    unknown = sorted(set(record) - _HOLDING_FIELDS)
    if unknown:
        raise GB18218InputError(
            "unknown_field",
            f"holdings[{index}] has unknown field {unknown[0]!r} (allowed: cas, name, category, quantity_t)",
            holding_index=index,
            field=unknown[0],
        )
    if "quantity_t" not in record:
        raise GB18218InputError(
            "missing_quantity",
            f"holdings[{index}].quantity_t is missing",
            holding_index=index,
            field="quantity_t",
        )
    return Holding(
        quantity_t=_parse_quantity(record["quantity_t"], index),
        cas=_optional_text(record, "cas", index),
        name=_optional_text(record, "name", index),
        categories=_parse_categories(record.get("category"), index),
    )


def _parse_document(text: str) -> tuple[list[Holding], int]:
    try:
        document = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError as error:
        raise GB18218InputError("invalid_json", f"input is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise GB18218InputError("invalid_document", "input must be a JSON object with population_500m and holdings")
    if "population_500m" not in document:
        raise GB18218InputError("missing_population", "population_500m is missing", field="population_500m")
    population = document["population_500m"]
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise GB18218InputError(
            "invalid_population",
            f"population_500m must be a whole number of people ≥ 0, got {_show(population)}",
            field="population_500m",
        )
    records = document.get("holdings")
    if not isinstance(records, list) or not records:
        raise GB18218InputError("no_holdings", "holdings must be a non-empty list of holdings", field="holdings")
    return [_parse_holding(record, index) for index, record in enumerate(records)], population


def _read_input(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise GB18218InputError("unreadable_file", f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise GB18218InputError("unreadable_file", f"{path} is not UTF-8 text") from None


def _fail(stderr: TextIO, code: str, message: str) -> int:
    stderr.write(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command; returns the exit code (0, or 2 for any bad input)."""
    args = sys.argv[1:] if argv is None else argv
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    if args in (["-h"], ["--help"]):
        stdout.write(USAGE + "\n")
        return EXIT_OK
    if len(args) != 1:
        return _fail(stderr, "usage", USAGE)
    try:
        holdings, population = _parse_document(_read_input(args[0], stdin))
        assessment = identify(holdings, population)
    except GB18218InputError as error:
        return _fail(stderr, error.code, error.message)
    stdout.write(json.dumps(to_json(assessment), ensure_ascii=False) + "\n")
    return EXIT_OK
