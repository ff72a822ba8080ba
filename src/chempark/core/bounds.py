"""Input types bounded to what the database and the calendar can hold.

A row id past the 64-bit range, an offset of 10^30 or the year 1 reach the database driver as an
overflow (an HTML 500 before these types); bounded here, they are a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt

# Row ids are 64-bit (DEFAULT_AUTO_FIELD is BigAutoField).
MAX_ROW_ID = 2**63 - 1
# The dates the platform deals with: registrations, filings, inspections, readings.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
# Epoch milliseconds (readings, trends): from the epoch itself to the last of those dates.
EARLIEST_MS = 0
LATEST_MS = int(dt.datetime(2199, 12, 31, tzinfo=dt.UTC).timestamp() * 1000)
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?")


def parse_row_id(text: str) -> int:
    """A filter's text as a row id; ``ValueError`` when it is no number or out of the id range."""
    number = int(text)
    if not 1 <= number <= MAX_ROW_ID:
        raise ValueError(text)
    return number


# A row id in a query string (text there, so not strict) or in a JSON body (a number, never text).
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
StrictRowId = Annotated[StrictInt, Field(ge=1, le=MAX_ROW_ID)]
EpochMs = Annotated[int, Field(ge=EARLIEST_MS, le=LATEST_MS)]


def _no_number(value: Any) -> Any:
    """pydantic reads a number (or a number as text, as a query string has it) as seconds since 1970;
    a date field takes only ISO text."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
        raise ValueError("须为 ISO 8601 格式的日期，如 2024-05-01")
    return value


def _in_range(value: dt.date) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"须在 {EARLIEST_DATE} 与 {LATEST_DATE} 之间")
    return value


Date = Annotated[dt.date, BeforeValidator(_no_number), AfterValidator(_in_range)]
DateTime = Annotated[dt.datetime, BeforeValidator(_no_number), AfterValidator(_in_range)]
