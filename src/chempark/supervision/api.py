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
    selectors,
    services,
    workflow,
)
from chempark.supervision.api_parts import create, enterprise_row
from chempark.supervision.api_registers import router as registers_router
from chempark.supervision.models import EnforcementCase, Inspection, RandomDraw
from chempark.supervision.schemas import (
    CampaignIn,
    CampaignOut,
    CaseAdvanceIn,
    CaseIn,
    CaseOut,
    DangerFilters,
    DangerIn,
    DangerOut,
    DrawIn,
    DrawOut,
    EvidenceIn,
    InspectionIn,
    InspectionOut,
    NoteIn,
    OrderIn,
    RateOut,
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
    return create(
        request,
        payload,
        services.danger_report,
        lambda danger: _danger(request, danger.pk),
        references=("enterprise", "campaign"),
    )


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
    return create(request, payload, inspection_services.draw_run, _draw, references=("campaign",))


@router.get("/random-draws/{id:pk}", response=DrawOut, summary="Read one draw, checked by repeating it")
def get_draw(request: HttpRequest, pk: int) -> Any:
    return _draw(selectors.draw_get(actor_of(request), pk))


def _inspection(row: Inspection) -> dict[str, Any]:
    return {
        **enterprise_row(row, ("id", "inspected_on", "inspectors", "experts", "expert_fee_yuan", "answers", "summary")),
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
    names = ("id", "number", "violation_kind", "violation", "legal_basis", "penalty_yuan", "stage", "filed_on")
    return {
        **enterprise_row(row, (*names, "handler")),
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
    return create(
        request,
        payload,
        case_services.case_file,
        lambda row: _case(row, timezone.localdate()),
        references=("enterprise", "inspection"),
    )


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


router.add_router("/", registers_router)
