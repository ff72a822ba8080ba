"""API schemas of plans, drills, the calendar and public warnings: strict inputs (unknown fields,
strings for numbers and numbers for strings refused), choices as enums."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictInt, StrictStr

from chempark.core.bounds import Date, DateTime, RowId, StrictRowId
from chempark.park.schemas import StrictInput

Text = Annotated[StrictStr, Field(max_length=5000)]
PlanKindIn = Literal["comprehensive", "specific", "on_site"]
IncidentTypeIn = Literal["fire", "explosion", "leak", "poisoning", "other"]


class PlanIn(StrictInput):
    kind: PlanKindIn
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    enterprise: StrictRowId | None = None
    incident_types: Annotated[list[IncidentTypeIn], Field(max_length=5)] = []
    chemicals: Annotated[list[StrictRowId], Field(max_length=200)] = []
    major_hazards: Annotated[list[StrictRowId], Field(max_length=200)] = []
    published_on: Date | None = None


class PlanPatch(StrictInput):
    kind: PlanKindIn | None = None
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    incident_types: Annotated[list[IncidentTypeIn], Field(max_length=5)] | None = None
    chemicals: Annotated[list[StrictRowId], Field(max_length=200)] | None = None
    major_hazards: Annotated[list[StrictRowId], Field(max_length=200)] | None = None
    published_on: Date | None = None


class FilingIn(StrictInput):
    filed_on: Date
    filing_number: Annotated[StrictStr, Field(min_length=1, max_length=60)]


class EvaluationIn(StrictInput):
    evaluated_on: Date
    conclusion: Text = ""


class PlanOut(Schema):
    id: int
    kind: str
    title: str
    enterprise: int | None
    enterprise_name: str | None
    incident_types: list[str]
    published_on: dt.date | None
    filed_on: dt.date | None
    filing_number: str
    filing_due: dt.date | None
    filing_status: str
    evaluated_on: dt.date | None
    evaluation_due: dt.date | None

    @staticmethod
    def from_row(plan: Any) -> dict[str, Any]:
        return {
            **{name: getattr(plan, name) for name in PlanOut.model_fields if hasattr(plan, name)},
            "enterprise": plan.enterprise_id,
            "enterprise_name": plan.enterprise.name if plan.enterprise_id else None,
        }


class VersionOut(Schema):
    id: int
    plan: int
    version: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    reviewed_on: dt.date | None
    review_experts: str
    review_conclusion: str
    uploaded_at: dt.datetime
    uploaded_by: str

    @staticmethod
    def from_row(row: Any) -> dict[str, Any]:
        return {**{n: getattr(row, n) for n in VersionOut.model_fields if n != "plan"}, "plan": row.plan_id}


class PlanFilters(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    kind: PlanKindIn | Literal[""] = ""
    filing: Literal["", "not_published", "pending", "filed", "overdue"] = ""


class MatchFilters(Schema):
    enterprise: RowId | None = None
    chemicals: Annotated[list[RowId], Field(max_length=200)] = []
    incident_type: IncidentTypeIn | Literal[""] = ""


class DrillIn(StrictInput):
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    kind: PlanKindIn
    form: Literal["live", "tabletop"]
    planned_on: Date
    enterprise: StrictRowId | None = None
    plan: StrictRowId | None = None
    done_on: Date | None = None
    participants: Text = ""
    participant_count: Annotated[StrictInt, Field(ge=0, le=100_000)] = 0
    evaluation: Text = ""


class DrillDoneIn(StrictInput):
    done_on: Date
    participants: Text = ""
    participant_count: Annotated[StrictInt, Field(ge=0, le=100_000)] = 0
    evaluation: Text = ""


class ActionIn(StrictInput):
    problem: Annotated[StrictStr, Field(min_length=1, max_length=2000)]
    action: Annotated[StrictStr, Field(min_length=1, max_length=2000)]
    owner: Annotated[StrictStr, Field(min_length=1, max_length=50)]
    deadline: Date


class ActionDoneIn(StrictInput):
    completed_on: Date


class ActionOut(Schema):
    id: int
    drill: int
    problem: str
    action: str
    owner: str
    deadline: dt.date
    completed_on: dt.date | None

    @staticmethod
    def from_row(row: Any) -> dict[str, Any]:
        return {**{n: getattr(row, n) for n in ActionOut.model_fields if n != "drill"}, "drill": row.drill_id}


class DrillOut(Schema):
    id: int
    title: str
    kind: str
    form: str
    enterprise: int | None
    plan: int | None
    planned_on: dt.date
    done_on: dt.date | None
    participants: str
    participant_count: int
    evaluation: str

    @staticmethod
    def from_row(row: Any) -> dict[str, Any]:
        names = [n for n in DrillOut.model_fields if n not in ("enterprise", "plan")]
        return {**{n: getattr(row, n) for n in names}, "enterprise": row.enterprise_id, "plan": row.plan_id}


class ComplianceOut(Schema):
    enterprise: int
    enterprise_name: str
    plan: int | None
    plan_title: str | None
    last_drill: dt.date | None
    due: dt.date
    overdue: bool


class CalendarDayIn(StrictInput):
    date: Date
    kind: Literal["holiday", "workday"]
    name: Annotated[StrictStr, Field(max_length=40)] = ""


class CalendarDayOut(Schema):
    date: dt.date
    kind: str
    name: str


class WarningIn(StrictInput):
    event: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    headline: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    description: Text = ""
    instruction: Text = ""
    response_type: Literal["Shelter", "Evacuate", "Prepare", "Avoid", "Monitor", "AllClear"]
    urgency: Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
    severity: Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
    certainty: Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]
    area_desc: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    area: dict[str, Any] | None = None
    expires: DateTime | None = None


class CancelIn(StrictInput):
    note: Annotated[StrictStr, Field(max_length=500)] = ""


class MessageOut(Schema):
    identifier: str
    msg_type: str
    sent: dt.datetime
    url: str


class WarningOut(Schema):
    id: int
    status: str
    event: str
    headline: str
    description: str
    instruction: str
    response_type: str
    urgency: str
    severity: str
    certainty: str
    area_desc: str
    area: dict[str, Any]
    expires: dt.datetime | None
    messages: list[MessageOut]
