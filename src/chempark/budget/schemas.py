"""API schemas of budget performance: strict inputs, amounts as exact decimals."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chempark.core.bounds import Date
from chempark.park.schemas import ExactDecimal, StrictInput

Weight = Annotated[StrictInt, Field(ge=0, le=100)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]


class ImportIn(StrictInput):
    document: Annotated[StrictStr, Field(max_length=5_000_000)]
    filename: Annotated[StrictStr, Field(max_length=200)] = ""


class SpendingIn(StrictInput):
    date: Date
    amount: ExactDecimal
    voucher: Annotated[StrictStr, Field(max_length=50)] = ""
    note: Annotated[StrictStr, Field(max_length=300)] = ""


class WeightsIn(StrictInput):
    execution: Weight
    output: Weight
    effect: Weight
    satisfaction: Weight


class IndicatorIn(StrictInput):
    achieved_value: ExactDecimal | None = None
    grade: Literal["", "achieved", "partly", "missed"] = ""
    deviation_reason: Annotated[StrictStr, Field(max_length=2000)] = ""
    figure_code: Annotated[StrictStr, Field(max_length=50)] = ""


class ActivityIn(StrictInput):
    kind: Literal["training", "safety_month", "warning_education"]
    topic: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    date: Date
    participants: Count
    organizer: Annotated[StrictStr, Field(max_length=200)] = ""
    passed: Count | None = None
    certificates: Count = 0
    note: Annotated[StrictStr, Field(max_length=300)] = ""


class TraineeIn(StrictInput):
    name: Annotated[StrictStr, Field(min_length=1, max_length=50)]
    organization: Annotated[StrictStr, Field(max_length=200)] = ""
    passed: StrictBool | None = None
    certificate_no: Annotated[StrictStr, Field(max_length=50)] = ""


class ReversalIn(StrictInput):
    reason: Annotated[StrictStr, Field(max_length=300)]
