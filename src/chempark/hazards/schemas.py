"""API schemas of the major hazard registry: strict inputs (unknown fields, strings for numbers and
numbers for strings refused) and outputs with S and R as exact decimal text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, StrictStr

from chempark.core.bounds import Date, StrictRowId
from chempark.hazards import workflow
from chempark.hazards.models import HazardStatus, Level, MajorHazard, UnitAssessment
from chempark.park.schemas import StrictInput


def decimal_text(value: Decimal | None) -> str | None:
    """``30.000000`` → ``"30"``, ``1.250000`` → ``"1.25"``; None stays None."""
    if value is None:
        return None
    return format(value.normalize(), "f")


Count = Annotated[StrictInt, Field(ge=0, le=100_000)]


class ReasonIn(StrictInput):
    reason: Annotated[StrictStr, Field(max_length=2000)] = ""


class RegisterIn(StrictInput):
    name: Annotated[StrictStr, Field(max_length=200)]
    process_description: Annotated[StrictStr, Field(max_length=5000)] = ""
    safety_measures: Annotated[StrictStr, Field(max_length=5000)] = ""


class ApproveFilingIn(StrictInput):
    filing_number: Annotated[StrictStr, Field(max_length=60)]
    filed_on: Date


class SafetyAssessmentIn(StrictInput):
    assessed_on: Date
    agency: Annotated[StrictStr, Field(max_length=200)]
    report_number: Annotated[StrictStr, Field(max_length=100)] = ""


class GuarantorIn(StrictInput):
    name: Annotated[StrictStr, Field(max_length=50)]
    position: Annotated[StrictStr, Field(max_length=100)] = ""
    phone: Annotated[StrictStr, Field(max_length=30)] = ""
    check_interval_days: Annotated[StrictInt, Field(ge=1, le=3660)] | None = None


class DutyCheckIn(StrictInput):
    checked_on: Date
    findings: Annotated[StrictStr, Field(max_length=5000)] = ""


class CommitmentIn(StrictInput):
    enterprise: StrictRowId | None = Field(default=None, description="企业编号；企业用户可省略（本企业）")
    units_running: Count
    units_under_maintenance: Count
    special_operations: Count
    special_operations_note: Annotated[StrictStr, Field(max_length=300)] = ""
    hazards_under_control: StrictBool
    principal_name: Annotated[StrictStr, Field(max_length=50)]
    commitment: Annotated[StrictStr, Field(max_length=5000)]


class HazardFilters(Schema):
    q: str = ""
    level: Literal["", "1", "2", "3", "4", "none"] = ""
    status: Literal["", *HazardStatus.values] = ""  # type: ignore[valid-type]  # a Literal of the enum's values, built at run time
    enterprise: str = ""
    include_cancelled: bool = False


class AssessmentOut(Schema):
    id: int
    unit: int
    enterprise: int
    computed_at: dt.datetime
    actor_username: str
    reason: str
    table_version: str
    population_500m: int | None
    population_reported: bool
    holdings: list[dict[str, Any]]
    unclassified: list[dict[str, Any]]
    result: dict[str, Any]
    s: str
    is_major: bool
    r: str | None
    level: int | None
    alpha: str

    @staticmethod
    def from_row(row: UnitAssessment) -> dict[str, Any]:
        return {
            "id": row.pk,
            "unit": row.unit_id,
            "enterprise": row.enterprise_id,
            "computed_at": row.computed_at,
            "actor_username": row.actor_username,
            "reason": row.reason,
            "table_version": row.table_version,
            "population_500m": row.population_500m,
            "population_reported": row.population_reported,
            "holdings": row.holdings,
            "unclassified": row.unclassified,
            "result": row.result,
            "s": decimal_text(row.s),
            "is_major": row.is_major,
            "r": decimal_text(row.r),
            "level": row.level,
            "alpha": decimal_text(row.alpha),
        }


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor_username: str
    reason: str


class GuarantorOut(Schema):
    id: int
    hazard: int
    role: str
    name: str
    position: str
    phone: str
    check_interval_days: int
    assigned_on: dt.date
    last_check: dt.date | None = None


class DutyCheckOut(Schema):
    id: int
    guarantor: int
    checked_on: Date
    findings: str
    recorded_at: dt.datetime
    recorded_by: str


class OverdueOut(Schema):
    guarantor: GuarantorOut
    hazard_name: str
    enterprise: int
    enterprise_name: str
    interval_days: int
    last_check: dt.date | None
    due_on: dt.date
    days_overdue: int


class LevelChangeOut(Schema):
    id: int
    hazard: int
    hazard_name: str
    before: int
    after: int
    old_s: str
    new_s: str
    old_level: int | None
    new_level: int | None
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str


class MajorHazardOut(Schema):
    id: int
    name: str
    unit: int
    unit_code: str
    unit_name: str
    enterprise: int
    enterprise_name: str
    status: str
    allowed_actions: list[str]
    level: int | None
    level_label: str | None
    s: str
    r: str | None
    still_major: bool
    assessment: int
    identified_at: dt.datetime
    process_description: str
    safety_measures: str
    registered_at: dt.datetime | None
    filing_submitted_at: dt.datetime | None
    filing_number: str
    filed_on: dt.date | None
    last_safety_assessment_on: dt.date | None
    safety_assessment_agency: str
    safety_assessment_report: str
    next_safety_assessment_due: dt.date | None
    cancelled_at: dt.datetime | None

    @staticmethod
    def from_row(hazard: MajorHazard) -> dict[str, Any]:
        return {
            "id": hazard.pk,
            "name": str(hazard),
            "unit": hazard.unit_id,
            "unit_code": hazard.unit.code,
            "unit_name": hazard.unit.name,
            "enterprise": hazard.enterprise_id,
            "enterprise_name": hazard.enterprise.name,
            "status": hazard.status,
            "allowed_actions": [a.value for a in workflow.allowed_actions(workflow.Status(hazard.status))],
            "level": hazard.level,
            "level_label": str(Level(hazard.level).label) if hazard.level else None,
            "s": decimal_text(hazard.s),
            "r": decimal_text(hazard.r),
            "still_major": hazard.still_major,
            "assessment": hazard.assessment_id,
            "identified_at": hazard.identified_at,
            "process_description": hazard.process_description,
            "safety_measures": hazard.safety_measures,
            "registered_at": hazard.registered_at,
            "filing_submitted_at": hazard.filing_submitted_at,
            "filing_number": hazard.filing_number,
            "filed_on": hazard.filed_on,
            "last_safety_assessment_on": hazard.last_safety_assessment_on,
            "safety_assessment_agency": hazard.safety_assessment_agency,
            "safety_assessment_report": hazard.safety_assessment_report,
            "next_safety_assessment_due": hazard.next_safety_assessment_due,
            "cancelled_at": hazard.cancelled_at,
        }


class MajorHazardDetailOut(MajorHazardOut):
    latest_assessment: AssessmentOut
    transitions: list[TransitionOut]
    guarantors: list[GuarantorOut]


class CommitmentOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    date: dt.date
    units_running: int
    units_under_maintenance: int
    special_operations: int
    special_operations_note: str
    hazards_under_control: bool
    principal_name: str
    commitment: str
    submitted_at: dt.datetime
    submitted_by: str
    late: bool


class EnterpriseRefOut(Schema):
    id: int
    name: str
    uscc: str
    safety_contact: str
    safety_phone: str
