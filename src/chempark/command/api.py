"""REST endpoints of the command centre: the 大屏's document and the enterprise dynamic risk index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from chempark.command import duty_report, duty_selectors, duty_services, screen, selectors
from chempark.command.models import DutyShift, ShiftHandover
from chempark.command.schemas import NotesIn, ReportDay, ShiftIn
from chempark.core.api import actor_of
from chempark.core.bounds import DateTime, RowId
from chempark.core.errors import NotFound

router = Router(tags=["command"])


class FactorOut(Schema):
    family: str
    name: str
    score: float
    weight: float


class RiskOut(Schema):
    enterprise_id: int
    name: str
    index: float
    families: dict[str, float]
    factors: list[FactorOut]


class RiskDayOut(Schema):
    date: str
    index: float


class RiskDetailOut(RiskOut):
    history: list[RiskDayOut]


class FigureOut(Schema):
    label: str
    value: int | float | str
    unit: str
    tone: str


class TileOut(Schema):
    name: str
    title: str
    figures: list[FigureOut]


class LevelCountOut(Schema):
    level: str
    label: str
    count: int


class HourOut(Schema):
    hour: str
    count: int


class RankOut(Schema):
    enterprise_id: int
    name: str
    index: float
    families: dict[str, float]


class MapAlarmOut(Schema):
    id: int
    enterprise: str
    point: str
    type: str
    severity: str
    severity_label: str
    unacked: bool
    raised_at: str
    lon: float | None
    lat: float | None


class ScreenOut(Schema):
    generated_at: str
    tiles: list[TileOut]
    warning_levels: list[LevelCountOut]
    trend: list[HourOut]
    ranking: list[RankOut]
    alarms: list[MapAlarmOut]


def _risk(row: selectors.EnterpriseRisk) -> dict[str, Any]:
    return {
        "enterprise_id": row.enterprise_id,
        "name": row.name,
        "index": row.score.index,
        "families": dict(row.score.families),
        "factors": [vars(f) for f in row.score.factors],
    }


@router.get(
    "/screen", response=ScreenOut, summary="The command-centre screen (大屏): tiles, trend, ranking, active alarms"
)
def get_screen(request: HttpRequest) -> dict[str, Any]:
    return screen.screen_data(actor_of(request))


@router.get("/risk", response=list[RiskOut], summary="Enterprises by dynamic risk index, highest first")
def list_risk(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    actor.require("command.read")
    return [_risk(row) for row in selectors.risk_ranking(actor)]


@router.get(
    "/risk/{enterprise_id}", response=RiskDetailOut, summary="One enterprise's risk index, breakdown and history"
)
def get_risk(request: HttpRequest, enterprise_id: RowId) -> dict[str, Any]:
    actor = actor_of(request)
    actor.require("monitoring.read")
    row = selectors.enterprise_risk(actor, enterprise_id)
    if row is None:
        raise NotFound("没有该企业的风险指数（企业不存在、不在营或不在您的权限范围内）。")
    history = [{"date": d.date.isoformat(), "index": d.index} for d in selectors.risk_history(actor, enterprise_id)]
    return {**_risk(row), "history": history}


# --- duty roster and handover ------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    leader: PersonOut
    officers: list[PersonOut]
    phone: str
    note: str


class ShiftWindow(Schema):
    since: DateTime | None = None
    until: DateTime | None = None


class OpenItemOut(Schema):
    group: str
    kind: str
    title: str
    url: str


class HandoverOut(Schema):
    id: int
    shift: int
    status: str
    open_items: list[OpenItemOut]
    notes: str
    created_at: dt.datetime
    outgoing: PersonOut
    handed_over_at: dt.datetime | None
    incoming: PersonOut | None
    accepted_at: dt.datetime | None


def _person(user: Any) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.first_name or user.username}


def _shift(row: DutyShift) -> dict[str, Any]:
    return {
        "id": row.pk,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "leader": _person(row.leader),
        "officers": [_person(u) for u in row.officers.all()],
        "phone": row.phone,
        "note": row.note,
    }


def _handover(row: ShiftHandover) -> dict[str, Any]:
    return {
        "id": row.pk,
        "shift": row.shift_id,
        "status": row.status,
        "open_items": row.open_items,
        "notes": row.notes,
        "created_at": row.created_at,
        "outgoing": _person(row.outgoing),
        "handed_over_at": row.handed_over_at,
        "incoming": _person(row.incoming),
        "accepted_at": row.accepted_at,
    }


@router.get("/shifts", response=list[ShiftOut], summary="Duty shifts overlapping a window")
def list_shifts(request: HttpRequest, window: Query[ShiftWindow]) -> list[dict[str, Any]]:
    rows = duty_selectors.shifts(actor_of(request), since=window.since, until=window.until)
    return [_shift(row) for row in rows[:500]]


@router.post("/shifts", response={201: ShiftOut}, summary="Plan a duty shift (no overlap with another)")
def create_shift(request: HttpRequest, payload: ShiftIn) -> Any:
    return Status(201, _shift(duty_services.shift_create(actor=actor_of(request), **payload.model_dump())))


@router.get("/shifts/now", response={200: ShiftOut, 204: None}, summary="The shift on duty now")
def current_shift(request: HttpRequest) -> Any:
    actor_of(request).require("command.read")
    row = duty_selectors.shift_now()
    return _shift(row) if row is not None else Status(204, None)


@router.get("/handovers", response=list[HandoverOut], summary="Shift handovers, newest first")
def list_handovers(request: HttpRequest) -> list[dict[str, Any]]:
    return [_handover(row) for row in duty_selectors.handovers(actor_of(request))[:200]]


@router.post("/handovers", response={201: HandoverOut}, summary="Start the handover of the shift on duty now")
def create_handover(request: HttpRequest, payload: NotesIn) -> Any:
    return Status(201, _handover(duty_services.handover_create(actor=actor_of(request), notes=payload.notes)))


@router.get("/handovers/{id:pk}", response=HandoverOut, summary="One shift handover")
def get_handover(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _handover(duty_selectors.handover_get(actor_of(request), pk))


@router.patch("/handovers/{id:pk}", response=HandoverOut, summary="Change the notes of a draft handover")
def update_handover(request: HttpRequest, pk: int, payload: NotesIn) -> dict[str, Any]:
    return _handover(duty_services.handover_update(actor=actor_of(request), pk=pk, notes=payload.notes))


@router.post("/handovers/{id:pk}/sign", response=HandoverOut, summary="The outgoing officer signs")
def sign_handover(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _handover(duty_services.handover_sign(actor=actor_of(request), pk=pk))


@router.post("/handovers/{id:pk}/accept", response=HandoverOut, summary="The incoming officer signs")
def accept_handover(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _handover(duty_services.handover_accept(actor=actor_of(request), pk=pk))


@router.get("/duty-report", summary="The daily duty report (值班日报) as DOCX")
def get_duty_report(request: HttpRequest, day: Query[ReportDay]) -> HttpResponse:
    content = duty_report.duty_report_docx(actor_of(request), day.date)
    response = HttpResponse(content, content_type=duty_report.DOCX)
    response["Content-Disposition"] = f'attachment; filename="duty-report-{day.date.isoformat()}.docx"'
    return response
