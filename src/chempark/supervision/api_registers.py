"""REST endpoints of the supervision registers: licences and certificates, special operations and
work permits, risk points, 三同时 projects and service organisations (mounted by ``api.router``)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from chempark.core.api import Page, actor_of
from chempark.supervision import (
    licence_services,
    operation_services,
    organisation_services,
    project_services,
    risk_services,
    selectors,
    workflow,
)
from chempark.supervision.api_parts import create, enterprise_row
from chempark.supervision.schemas import (
    CertificateIn,
    CertificateOut,
    CoverageOut,
    DecisionIn,
    ExpiringOut,
    LicenceIn,
    LicenceOut,
    OperationFindingOut,
    OperationIn,
    OperationOut,
    OrganisationIn,
    OrganisationOut,
    PermitIn,
    PermitOut,
    ProjectIn,
    ProjectOut,
    RiskPointIn,
    RiskPointOut,
    SpotCheckIn,
    SpotCheckOut,
)

router = Router(tags=["supervision"])


# --- Licences and certificates ---------------------------------------------------------------------


def _holding(row: Any) -> dict[str, Any]:
    """A licence or a certificate (the fields either has)."""
    names = ("id", "kind", "number", "scope", "holder", "issued_on", "expires_on")
    return enterprise_row(row, (name for name in names if hasattr(row, name)))


@router.get("/licences", response=list[LicenceOut], summary="List enterprise licences")
@paginate(Page)
def list_licences(request: HttpRequest) -> Any:
    return [_holding(row) for row in selectors.licences(actor_of(request))]


@router.post("/licences", response={201: LicenceOut}, summary="Record a licence")
def create_licence(request: HttpRequest, payload: LicenceIn) -> Any:
    return create(request, payload, licence_services.licence_create, _holding)


@router.get("/certificates", response=list[CertificateOut], summary="List personnel certificates")
@paginate(Page)
def list_certificates(request: HttpRequest) -> Any:
    return [_holding(row) for row in selectors.certificates(actor_of(request))]


@router.post("/certificates", response={201: CertificateOut}, summary="Record a personnel certificate")
def create_certificate(request: HttpRequest, payload: CertificateIn) -> Any:
    return create(request, payload, licence_services.certificate_create, _holding)


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
    return enterprise_row(row, ("id", "kind", "grade", "place", "starts_at", "ends_at", "permit_number", "guardian"))


@router.get("/special-operations", response=list[OperationOut], summary="List special-operation filings")
@paginate(Page)
def list_operations(request: HttpRequest, ongoing: bool = False) -> Any:
    actor = actor_of(request)
    rows = selectors.ongoing_operations(actor) if ongoing else selectors.operations(actor)
    return [_operation(row) for row in rows]


@router.post("/special-operations", response={201: OperationOut}, summary="File (报备) a special operation")
def file_operation(request: HttpRequest, payload: OperationIn) -> Any:
    return create(request, payload, operation_services.operation_file, _operation)


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
    return enterprise_row(row, (*names, "assessed_on"))


@router.get("/risk-points", response=list[RiskPointOut], summary="List risk points with their levels")
@paginate(Page)
def list_risk_points(request: HttpRequest) -> Any:
    return [_risk_point(row) for row in selectors.risk_points(actor_of(request))]


@router.post("/risk-points", response={201: RiskPointOut}, summary="Assess a risk point (risk matrix or LEC)")
def assess_risk_point(request: HttpRequest, payload: RiskPointIn) -> Any:
    return create(request, payload, risk_services.risk_point_assess, _risk_point)


# --- 三同时 projects -------------------------------------------------------------------------------


def _project(row: Any) -> dict[str, Any]:
    return {
        **enterprise_row(row, ("name", "description", "stage")),
        "id": row.pk,
        "allowed": list(workflow.PROJECT.allowed(row.stage)),
        "decisions": list(row.decisions.all()),
    }


@router.get("/construction-projects", response=list[ProjectOut], summary="List 三同时 projects")
@paginate(Page)
def list_projects(request: HttpRequest) -> Any:
    return [_project(row) for row in selectors.projects(actor_of(request)).prefetch_related("decisions")]


@router.post("/construction-projects", response={201: ProjectOut}, summary="Register a 三同时 project")
def register_project(request: HttpRequest, payload: ProjectIn) -> Any:
    return create(request, payload, project_services.project_register, _project)


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
