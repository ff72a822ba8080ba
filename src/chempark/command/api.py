"""REST endpoints of the command centre: the 大屏's document and the enterprise dynamic risk index."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from chempark.command import screen, selectors
from chempark.core.api import actor_of
from chempark.core.bounds import RowId
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
