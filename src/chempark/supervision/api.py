"""REST endpoints of dual prevention and supervision: hidden dangers and their closed loop, rates and
reminders, campaigns and random draws, inspections, enforcement cases and their documents."""

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chempark.core.api import Page, actor_of
from chempark.core.errors import InvalidInput
from chempark.supervision import (
    case_services,
    documents,
    inspection_services,
    licence_services,
    operation_services,
    organisation_services,
    project_services,
    risk_services,
    selectors,
    services,
    workflow,
)
from chempark.supervision.models import EnforcementCase, Inspection, RandomDraw
from chempark.supervision.schemas import (
    CampaignIn,
    CampaignOut,
    CaseAdvanceIn,
    CaseIn,
    CaseOut,
    CertificateIn,
    CertificateOut,
    CoverageOut,
    DangerFilters,
    DangerIn,
    DangerOut,
    DecisionIn,
    DrawIn,
    DrawOut,
    EvidenceIn,
    ExpiringOut,
    InspectionIn,
    InspectionOut,
    LicenceIn,
    LicenceOut,
    NoteIn,
    OperationFindingOut,
    OperationIn,
    OperationOut,
    OrderIn,
    OrganisationIn,
    OrganisationOut,
    PermitIn,
    PermitOut,
    ProjectIn,
    ProjectOut,
    RateOut,
    RiskPointIn,
    RiskPointOut,
    SpotCheckIn,
    SpotCheckOut,
    VerifyIn,
)

router = Router(tags=["supervision"])


def _danger(request: HttpRequest, pk: int) -> dict[str, Any]:
    return DangerOut.from_row(selectors.danger_get(actor_of(request), pk), timezone.localdate())


# --- Hidden dangers --------------------------------------------------------------------------------


@router.get("/hidden-dangers", response=list[DangerOut], summary="List hidden dangers")
@paginate(Page)
def list_dangers(request: HttpRequest, filters: Query[DangerFilters]) -> Any:
    today = timezone.localdate()
    rows = selectors.danger_search(actor_of(request), **filters.dict()).prefetch_related("criteria", "evidence")
    return [DangerOut.from_row(row, today) for row in rows]


@router.post("/hidden-dangers", response={201: DangerOut}, summary="Report a hidden danger (status found)")
def report_danger(request: HttpRequest, payload: DangerIn) -> Any:
    values = payload.model_dump()
    danger = services.danger_report(
        actor=actor_of(request),
        enterprise_id=values.pop("enterprise"),
        campaign_id=values.pop("campaign"),
        **values,
    )
    return Status(201, _danger(request, danger.pk))


@router.get("/hidden-dangers/{id:pk}", response=DangerOut, summary="Read one hidden danger")
def get_danger(request: HttpRequest, pk: int) -> Any:
    return _danger(request, pk)


@router.post("/hidden-dangers/{id:pk}/order", response=DangerOut, summary="Order rectification (五定): found → ordered")
def order_danger(request: HttpRequest, pk: int, payload: OrderIn) -> Any:
    services.danger_order(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.post("/hidden-dangers/{id:pk}/start", response=DangerOut, summary="Start rectifying: ordered → rectifying")
def start_danger(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    services.danger_start(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.post(
    "/hidden-dangers/{id:pk}/evidence", response={201: DangerOut}, summary="Attach a rectification photo (base64)"
)
def add_evidence(request: HttpRequest, pk: int, payload: EvidenceIn) -> Any:
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise services.refuse("content_base64", "照片内容须为 base64 编码。") from None
    services.evidence_add(actor=actor_of(request), danger_id=pk, content=content, caption=payload.caption)
    return Status(201, _danger(request, pk))


@router.post(
    "/hidden-dangers/{id:pk}/submit", response=DangerOut, summary="Submit for verification: rectifying → submitted"
)
def submit_danger(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    services.danger_submit(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.post(
    "/hidden-dangers/{id:pk}/verify",
    response=DangerOut,
    summary="Verify: pass → verified, fail → back to rectifying",
)
def verify_danger(request: HttpRequest, pk: int, payload: VerifyIn) -> Any:
    services.danger_verify(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.post("/hidden-dangers/{id:pk}/close-out", response=DangerOut, summary="Close out (销号): verified → closed")
def close_out_danger(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    services.danger_close_out(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.post("/hidden-dangers/{id:pk}/escalate", response=DangerOut, summary="Escalate an overdue rectification (督办)")
def escalate_danger(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    services.danger_escalate(actor=actor_of(request), danger_id=pk, **payload.model_dump())
    return _danger(request, pk)


@router.get("/hidden-dangers-rates", response=list[RateOut], summary="Rectification and overdue rates")
def danger_rates(request: HttpRequest, by: str = "enterprise") -> Any:
    if by not in ("enterprise", "campaign"):
        raise InvalidInput("by 须为 enterprise 或 campaign。", details={"by": ["enterprise", "campaign"]})
    return [
        {**row.__dict__, "id": row.key, "rectification_rate": row.rectification_rate, "overdue_rate": row.overdue_rate}
        for row in selectors.danger_rates(actor_of(request), by)
    ]


# --- Campaigns, draws, inspections -----------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut], summary="List inspection plans and campaigns")
@paginate(Page)
def list_campaigns(request: HttpRequest) -> Any:
    return selectors.campaigns(actor_of(request))


@router.post("/campaigns", response={201: CampaignOut}, summary="Create an inspection plan or campaign")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    return Status(201, inspection_services.campaign_create(actor=actor_of(request), **payload.model_dump()))


def _draw(row: RandomDraw) -> dict[str, Any]:
    return {
        "id": row.pk,
        "campaign": row.campaign_id,
        "campaign_name": row.campaign.name,
        "seed": row.seed,
        "enterprise_kind": row.enterprise_kind,
        "weighted": row.weighted,
        "result": row.result,
        "drawn_at": row.drawn_at,
        "reproduced": inspection_services.draw_replay(row)
        == {key: [p["id"] for p in people] for key, people in row.result.items()},
    }


@router.get("/random-draws", response=list[DrawOut], summary="List random draws (双随机)")
@paginate(Page)
def list_draws(request: HttpRequest) -> Any:
    return [_draw(row) for row in selectors.draws(actor_of(request))]


@router.post("/random-draws", response={201: DrawOut}, summary="Draw enterprises, inspectors and experts")
def run_draw(request: HttpRequest, payload: DrawIn) -> Any:
    values = payload.model_dump()
    row = inspection_services.draw_run(actor=actor_of(request), campaign_id=values.pop("campaign"), **values)
    return Status(201, _draw(row))


@router.get("/random-draws/{id:pk}", response=DrawOut, summary="Read one draw, checked by repeating it")
def get_draw(request: HttpRequest, pk: int) -> Any:
    return _draw(selectors.draw_get(actor_of(request), pk))


def _inspection(row: Inspection) -> dict[str, Any]:
    return {
        **{
            f: getattr(row, f)
            for f in ("id", "inspected_on", "inspectors", "experts", "expert_fee_yuan", "answers", "summary")
        },
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
        "campaign": row.campaign_id,
        "findings": list(row.findings.values_list("id", flat=True)),
    }


@router.get("/inspections", response=list[InspectionOut], summary="List inspection records")
@paginate(Page)
def list_inspections(request: HttpRequest) -> Any:
    return [_inspection(row) for row in selectors.inspections(actor_of(request))]


@router.post("/inspections", response={201: InspectionOut}, summary="Record an inspection; findings become dangers")
def record_inspection(request: HttpRequest, payload: InspectionIn) -> Any:
    values = payload.model_dump()
    findings = [inspection_services.Finding(**f) for f in values.pop("findings")]
    row = inspection_services.inspection_record(
        actor=actor_of(request),
        enterprise_id=values.pop("enterprise"),
        campaign_id=values.pop("campaign"),
        checklist_id=values.pop("checklist"),
        findings=findings,
        **values,
    )
    return Status(201, _inspection(selectors.inspection_get(actor_of(request), row.pk)))


# --- Enforcement cases -----------------------------------------------------------------------------


def _case(row: EnforcementCase, today: dt.date) -> dict[str, Any]:
    return {
        **{
            f: getattr(row, f)
            for f in ("id", "number", "violation_kind", "violation", "legal_basis", "penalty_yuan", "stage", "filed_on")
        },
        "handler": row.handler,
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
        "allowed": list(workflow.ENFORCEMENT_CASE.allowed(row.stage)),
        "deadlines": [{**d.__dict__, "overdue": d.overdue(today)} for d in selectors.case_deadlines(row)],
    }


@router.get("/enforcement-cases", response=list[CaseOut], summary="List enforcement cases")
@paginate(Page)
def list_cases(request: HttpRequest) -> Any:
    today = timezone.localdate()
    return [_case(row, today) for row in selectors.cases(actor_of(request)).prefetch_related("transitions")]


@router.post("/enforcement-cases", response={201: CaseOut}, summary="File a case (立案)")
def file_case(request: HttpRequest, payload: CaseIn) -> Any:
    values = payload.model_dump()
    row = case_services.case_file(
        actor=actor_of(request),
        enterprise_id=values.pop("enterprise"),
        inspection_id=values.pop("inspection"),
        **values,
    )
    return Status(201, _case(row, timezone.localdate()))


@router.get("/enforcement-cases/statistics", response=dict[str, list[dict[str, Any]]], summary="Case statistics")
def case_statistics(request: HttpRequest) -> Any:
    return selectors.case_statistics(actor_of(request))


@router.get("/enforcement-cases/{id:pk}", response=CaseOut, summary="Read one case with its legal deadlines")
def get_case(request: HttpRequest, pk: int) -> Any:
    return _case(selectors.case_get(actor_of(request), pk), timezone.localdate())


@router.post(
    "/enforcement-cases/{id:pk}/{action}", response=CaseOut, summary="Move a case to its next stage (to_<stage>)"
)
def advance_case(request: HttpRequest, pk: int, action: str, payload: CaseAdvanceIn) -> Any:
    row = case_services.case_advance(actor=actor_of(request), case_id=pk, action=action, **payload.model_dump())
    return _case(row, timezone.localdate())


@router.get(
    "/enforcement-cases/{id:pk}/documents/{kind}.{fmt}",
    response={200: None},
    summary="A case document (inspection_record, rectification_order, penalty_decision) as docx or pdf",
)
def case_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    case = selectors.case_get(actor_of(request), pk)
    return documents.download(case, kind, fmt)


# --- Licences and certificates ---------------------------------------------------------------------


def _holding(row: Any) -> dict[str, Any]:
    """A licence or a certificate (the fields either has)."""
    names = ("id", "kind", "number", "scope", "holder", "issued_on", "expires_on")
    values = {name: getattr(row, name) for name in names if hasattr(row, name)}
    return {**values, "enterprise": row.enterprise_id, "enterprise_name": row.enterprise.name}


@router.get("/licences", response=list[LicenceOut], summary="List enterprise licences")
@paginate(Page)
def list_licences(request: HttpRequest) -> Any:
    return [_holding(row) for row in selectors.licences(actor_of(request))]


@router.post("/licences", response={201: LicenceOut}, summary="Record a licence")
def create_licence(request: HttpRequest, payload: LicenceIn) -> Any:
    values = payload.model_dump()
    row = licence_services.licence_create(actor=actor_of(request), enterprise_id=values.pop("enterprise"), **values)
    return Status(201, _holding(row))


@router.get("/certificates", response=list[CertificateOut], summary="List personnel certificates")
@paginate(Page)
def list_certificates(request: HttpRequest) -> Any:
    return [_holding(row) for row in selectors.certificates(actor_of(request))]


@router.post("/certificates", response={201: CertificateOut}, summary="Record a personnel certificate")
def create_certificate(request: HttpRequest, payload: CertificateIn) -> Any:
    values = payload.model_dump()
    row = licence_services.certificate_create(actor=actor_of(request), enterprise_id=values.pop("enterprise"), **values)
    return Status(201, _holding(row))


@router.get(
    "/licences-expiring",
    response=list[ExpiringOut],
    summary="Licences and certificates due for a reminder (90/30 days)",
)
def list_expiring(request: HttpRequest) -> Any:
    return [
        {
            "kind": e.kind,
            "id": e.row.pk,
            "name": str(e.row),
            "enterprise_name": e.row.enterprise.name,
            "expires_on": e.row.expires_on,
            "days_left": e.days_left,
            "threshold": e.threshold,
        }
        for e in selectors.expiring(actor_of(request))
    ]


@router.get("/certificate-coverage", response=list[CoverageOut], summary="Required versus valid certificates")
def certificate_coverage(request: HttpRequest) -> Any:
    return [{**c.__dict__, "met": c.met} for c in selectors.certificate_coverage(actor_of(request))]


# --- Special operations ----------------------------------------------------------------------------


def _operation(row: Any) -> dict[str, Any]:
    names = ("id", "kind", "grade", "place", "starts_at", "ends_at", "permit_number", "guardian")
    return {
        **{n: getattr(row, n) for n in names},
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
    }


@router.get("/special-operations", response=list[OperationOut], summary="List special-operation filings")
@paginate(Page)
def list_operations(request: HttpRequest, ongoing: bool = False) -> Any:
    actor = actor_of(request)
    rows = selectors.ongoing_operations(actor) if ongoing else selectors.operations(actor)
    return [_operation(row) for row in rows]


@router.post("/special-operations", response={201: OperationOut}, summary="File (报备) a special operation")
def file_operation(request: HttpRequest, payload: OperationIn) -> Any:
    values = payload.model_dump()
    row = operation_services.operation_file(actor=actor_of(request), enterprise_id=values.pop("enterprise"), **values)
    return Status(201, _operation(row))


@router.get("/special-operations/checks", response=list[OperationFindingOut], summary="Filing and permit checks")
def operation_checks(request: HttpRequest) -> Any:
    return [
        {"problem": f.problem, "filing": f.filing_id, "permit": f.permit_id, "detail": f.detail}
        for f in selectors.operation_findings(actor_of(request))
    ]


@router.get("/special-operations/statistics", response=dict[str, list[dict[str, Any]]], summary="Operation statistics")
def operation_statistics(request: HttpRequest) -> Any:
    return selectors.operation_statistics(actor_of(request))


@router.post(
    "/special-operations/{id:pk}/spot-checks", response={201: SpotCheckOut}, summary="Record an online spot check"
)
def spot_check_operation(request: HttpRequest, pk: int, payload: SpotCheckIn) -> Any:
    row = operation_services.spot_check(actor=actor_of(request), operation_id=pk, **payload.model_dump())
    return Status(
        201,
        {
            "id": row.pk,
            "operation": row.operation_id,
            "compliant": row.compliant,
            "note": row.note,
            "checked_by": row.checked_by,
            "checked_at": row.checked_at,
        },
    )


@router.get("/work-permits", response=list[PermitOut], summary="List work permits received")
@paginate(Page)
def list_permits(request: HttpRequest) -> Any:
    return [
        {**row.__dict__, "id": row.pk, "enterprise": row.enterprise_id} for row in selectors.permits(actor_of(request))
    ]


@router.post("/work-permits", response={201: PermitOut}, summary="A work permit from an enterprise system (machine)")
def receive_permit(request: HttpRequest, payload: PermitIn) -> Any:
    row = operation_services.permit_receive(actor=actor_of(request, machines=True), **payload.model_dump())
    return Status(201, {**row.__dict__, "id": row.pk, "enterprise": row.enterprise_id})


# --- Risk points -----------------------------------------------------------------------------------


def _risk_point(row: Any) -> dict[str, Any]:
    names = ("id", "name", "kind", "method", "factors", "score", "level", "control_measures", "responsible", "phone")
    values = {name: getattr(row, name) for name in names}
    return {
        **values,
        "assessed_on": row.assessed_on,
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
    }


@router.get("/risk-points", response=list[RiskPointOut], summary="List risk points with their levels")
@paginate(Page)
def list_risk_points(request: HttpRequest) -> Any:
    return [_risk_point(row) for row in selectors.risk_points(actor_of(request))]


@router.post("/risk-points", response={201: RiskPointOut}, summary="Assess a risk point (risk matrix or LEC)")
def assess_risk_point(request: HttpRequest, payload: RiskPointIn) -> Any:
    values = payload.model_dump()
    row = risk_services.risk_point_assess(actor=actor_of(request), enterprise_id=values.pop("enterprise"), **values)
    return Status(201, _risk_point(row))


# --- 三同时 projects -------------------------------------------------------------------------------


def _project(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
        "name": row.name,
        "description": row.description,
        "stage": row.stage,
        "allowed": list(workflow.PROJECT.allowed(row.stage)),
        "decisions": list(row.decisions.all()),
    }


@router.get("/construction-projects", response=list[ProjectOut], summary="List 三同时 projects")
@paginate(Page)
def list_projects(request: HttpRequest) -> Any:
    return [_project(row) for row in selectors.projects(actor_of(request)).prefetch_related("decisions")]


@router.post("/construction-projects", response={201: ProjectOut}, summary="Register a 三同时 project")
def register_project(request: HttpRequest, payload: ProjectIn) -> Any:
    values = payload.model_dump()
    row = project_services.project_register(actor=actor_of(request), enterprise_id=values.pop("enterprise"), **values)
    return Status(201, _project(row))


@router.post(
    "/construction-projects/{id:pk}/{action}", response=ProjectOut, summary="Decide the current stage of a project"
)
def decide_project(request: HttpRequest, pk: int, action: str, payload: DecisionIn) -> Any:
    row = project_services.project_decide(actor=actor_of(request), project_id=pk, action=action, **payload.model_dump())
    return _project(row)


# --- Service organisations -------------------------------------------------------------------------


def _organisation(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "enterprises": sorted(e.pk for e in row.enterprises.all()),
        "members": sorted(m.pk for m in row.members.all()),
    }


@router.get("/service-organisations", response=list[OrganisationOut], summary="List service organisations")
@paginate(Page)
def list_organisations(request: HttpRequest) -> Any:
    return [_organisation(row) for row in selectors.organisations(actor_of(request))]


@router.post("/service-organisations", response={201: OrganisationOut}, summary="Name a service organisation")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    row = organisation_services.organisation_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, _organisation(row))
