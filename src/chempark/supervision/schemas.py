"""Input and output schemas of the supervision API; the pages check their forms with the same input
schemas (``core.page_input``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from chempark.core.bounds import Date, DateTime, RowId
from chempark.supervision import workflow
from chempark.supervision.models import (
    CampaignKind,
    CertificateKind,
    DangerGrade,
    DangerSource,
    LicenceKind,
    OperationGrade,
    OperationKind,
    RiskMethod,
    RiskPointKind,
    ViolationKind,
)

Text = Annotated[str, Field(max_length=2000)]
Short = Annotated[str, Field(max_length=200)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Count_ = Annotated[StrictInt, Field(ge=0, le=1000)]


class DangerIn(Schema):
    enterprise: RowId
    source: DangerSource
    grade: DangerGrade
    description: Text
    found_on: Date
    location: Short = ""
    criteria: list[RowId] = []
    campaign: RowId | None = None


class OrderIn(Schema):
    plan: Text
    owner: Short
    deadline: Date
    interim_measures: Text
    funds_yuan: Money | None = None


class NoteIn(Schema):
    note: Text = ""


class VerifyIn(Schema):
    passed: StrictBool
    note: Text = ""


class EvidenceIn(Schema):
    """A photo as base64 (the API takes JSON only); pages upload the file itself."""

    content_base64: Annotated[str, Field(max_length=12 * 1024 * 1024)]
    caption: Short = ""


class DangerFilters(Schema):
    q: Short = ""
    status: str = ""
    grade: str = ""
    enterprise: RowId | None = None
    overdue: bool = False


class DangerOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    source: str
    grade: str
    description: str
    location: str
    found_on: dt.date
    found_by: str
    status: str
    plan: str
    funds_yuan: Decimal | None
    owner: str
    deadline: dt.date | None
    interim_measures: str
    rectification_note: str
    verification_note: str
    escalated_at: dt.datetime | None
    closed_at: dt.datetime | None
    campaign: int | None
    inspection: int | None
    criteria: list[str]
    evidence: list[int]
    allowed: list[str]
    overdue: bool

    @staticmethod
    def from_row(row: Any, today: dt.date) -> dict[str, Any]:
        return {
            **{
                f: getattr(row, f)
                for f in (
                    "id",
                    "source",
                    "grade",
                    "description",
                    "location",
                    "found_on",
                    "found_by",
                    "status",
                    "plan",
                    "funds_yuan",
                    "owner",
                    "deadline",
                    "interim_measures",
                    "rectification_note",
                    "verification_note",
                    "escalated_at",
                    "closed_at",
                )
            },
            "enterprise": row.enterprise_id,
            "enterprise_name": row.enterprise.name,
            "campaign": row.campaign_id,
            "inspection": row.inspection_id,
            "criteria": [c.code for c in row.criteria.all()],
            "evidence": [e.pk for e in row.evidence.all().only("id")],
            "allowed": list(workflow.HIDDEN_DANGER.allowed(row.status)),
            "overdue": row.overdue_on(today),
        }


class RateOut(Schema):
    id: int | None
    name: str
    found: int
    rectified: int
    overdue: int
    rectification_rate: Decimal | None
    overdue_rate: Decimal | None


class CampaignIn(Schema):
    name: Short
    kind: CampaignKind
    starts_on: Date
    ends_on: Date
    description: Text = ""


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    description: str


class DrawIn(Schema):
    campaign: RowId
    enterprise_count: Annotated[StrictInt, Field(ge=1, le=1000)]
    inspector_count: Annotated[StrictInt, Field(ge=2, le=100)]
    expert_count: Count_ = 0
    enterprise_kind: Annotated[str, Field(max_length=32)] = ""
    weighted: StrictBool = False
    seed: Annotated[StrictInt, Field(ge=0, le=2**63 - 1)] | None = None


class DrawOut(Schema):
    id: int
    campaign: int
    campaign_name: str
    seed: int
    enterprise_kind: str
    weighted: bool
    result: dict[str, Any]
    drawn_at: dt.datetime
    reproduced: bool


class AnswerIn(Schema):
    item: Short
    ok: StrictBool
    note: Short = ""


class FindingIn(Schema):
    description: Text
    grade: DangerGrade = DangerGrade.GENERAL
    location: Short = ""
    criteria: list[RowId] = []
    deadline: Date | None = None
    plan: Text = ""
    owner: Short = ""
    interim_measures: Text = ""


class InspectionIn(Schema):
    enterprise: RowId
    inspected_on: Date
    inspectors: Short
    experts: Short = ""
    expert_fee_yuan: Money = Decimal(0)
    campaign: RowId | None = None
    checklist: RowId | None = None
    answers: list[AnswerIn] = []
    summary: Text = ""
    findings: Annotated[list[FindingIn], Field(max_length=50)] = []


class InspectionOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    campaign: int | None
    inspected_on: dt.date
    inspectors: str
    experts: str
    expert_fee_yuan: Decimal
    answers: list[dict[str, Any]]
    summary: str
    findings: list[int]


class CaseIn(Schema):
    number: Annotated[str, Field(max_length=64)]
    enterprise: RowId
    violation_kind: ViolationKind
    violation: Text
    filed_on: Date
    handler: Short
    legal_basis: Short = ""
    inspection: RowId | None = None


class CaseAdvanceIn(Schema):
    on: Date
    note: Text = ""
    legal_basis: Short | None = None
    penalty_yuan: Money | None = None


class DeadlineOut(Schema):
    label: str
    basis: str
    due_on: dt.date
    met_on: dt.date | None
    waiting: bool
    overdue: bool


class CaseOut(Schema):
    id: int
    number: str
    enterprise: int
    enterprise_name: str
    violation_kind: str
    violation: str
    legal_basis: str
    penalty_yuan: Decimal | None
    stage: str
    filed_on: dt.date
    handler: str
    allowed: list[str]
    deadlines: list[DeadlineOut]


class LicenceIn(Schema):
    enterprise: RowId
    kind: LicenceKind
    number: Annotated[str, Field(max_length=64)]
    issued_on: Date
    expires_on: Date
    scope: Text = ""


class LicenceOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    kind: str
    number: str
    scope: str
    issued_on: dt.date
    expires_on: dt.date


class CertificateIn(Schema):
    enterprise: RowId
    kind: CertificateKind
    holder: Short
    number: Annotated[str, Field(max_length=64)]
    issued_on: Date
    expires_on: Date


class CertificateOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    kind: str
    holder: str
    number: str
    issued_on: dt.date
    expires_on: dt.date


class ExpiringOut(Schema):
    kind: str
    id: int
    name: str
    enterprise_name: str
    expires_on: dt.date
    days_left: int
    threshold: int | None


class CoverageOut(Schema):
    enterprise: str
    kind: str
    required: int
    valid: int
    met: bool


class OperationIn(Schema):
    enterprise: RowId
    kind: OperationKind
    grade: OperationGrade
    place: Short
    starts_at: DateTime
    ends_at: DateTime
    permit_number: Annotated[str, Field(max_length=64)]
    guardian: Annotated[str, Field(max_length=50)]


class OperationOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    kind: str
    grade: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    permit_number: str
    guardian: str


class PermitIn(Schema):
    permit_number: Annotated[str, Field(max_length=64)]
    kind: OperationKind
    grade: OperationGrade
    place: Short
    valid_from: DateTime
    valid_to: DateTime
    issuer: Annotated[str, Field(max_length=50)] = ""


class PermitOut(Schema):
    id: int
    enterprise: int
    permit_number: str
    kind: str
    grade: str
    place: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    issuer: str


class SpotCheckIn(Schema):
    compliant: StrictBool
    note: Text = ""


class SpotCheckOut(Schema):
    id: int
    operation: int
    compliant: bool
    note: str
    checked_by: str
    checked_at: dt.datetime


class OperationFindingOut(Schema):
    problem: str
    filing: int | None
    permit: int | None
    detail: str


class RiskPointIn(Schema):
    enterprise: RowId
    name: Short
    kind: RiskPointKind
    method: RiskMethod
    factors: dict[str, Annotated[Decimal, Field(ge=0, le=1000)]]
    control_measures: Text
    responsible: Annotated[str, Field(max_length=100)]
    assessed_on: Date
    phone: Annotated[str, Field(max_length=30)] = ""


class RiskPointOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    name: str
    kind: str
    method: str
    factors: dict[str, str]
    score: Decimal
    level: int
    control_measures: str
    responsible: str
    phone: str
    assessed_on: dt.date


class ProjectIn(Schema):
    enterprise: RowId
    name: Short
    description: Text = ""


class DecisionIn(Schema):
    passed: StrictBool
    decided_on: Date
    documents: Text = ""
    note: Text = ""


class DecisionOut(Schema):
    stage: str
    passed: bool
    decided_on: dt.date
    documents: str
    note: str


class ProjectOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    name: str
    description: str
    stage: str
    allowed: list[str]
    decisions: list[DecisionOut]


class OrganisationIn(Schema):
    name: Short
    enterprises: list[RowId] = []
    members: list[RowId] = []


class OrganisationOut(Schema):
    id: int
    name: str
    enterprises: list[int]
    members: list[int]
