"""Input of the duty roster and the handover, shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated

from ninja import Field
from pydantic import StrictStr

from chempark.core.bounds import Date, DateTime, StrictRowId
from chempark.park.schemas import StrictInput


class ShiftIn(StrictInput):
    starts_at: DateTime
    ends_at: DateTime
    leader: StrictRowId
    officers: Annotated[list[StrictRowId], Field(min_length=1, max_length=20)]
    phone: Annotated[StrictStr, Field(max_length=30)] = ""
    note: Annotated[StrictStr, Field(max_length=300)] = ""


class NotesIn(StrictInput):
    notes: Annotated[StrictStr, Field(max_length=5000)] = ""


class ReportDay(StrictInput):
    date: Date
