"""REST endpoints of the notifications: the caller's inbox and the delivery log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictInt

from chempark.core.api import actor_of
from chempark.notifications import selectors, services
from chempark.notifications.models import Channel, DeliveryStatus
from chempark.park.schemas import StrictInput

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadIn(StrictInput):
    ids: Annotated[list[Annotated[StrictInt, Field(ge=1)]], Field(min_length=1, max_length=500)]


class ReadOut(Schema):
    marked: int


class DeliveryOut(Schema):
    id: int
    channel: str
    address: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class DeliveryFilters(Schema):
    status: DeliveryStatus | None = None
    channel: Channel | None = None


@router.get("/notifications", response=list[NotificationOut], summary="The caller's inbox, newest first")
def list_notifications(request: HttpRequest) -> Any:
    return selectors.inbox(actor_of(request))[:200]


@router.post("/notifications/read", response=ReadOut, summary="Mark the caller's messages read")
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": services.mark_read(actor=actor_of(request), ids=payload.ids)}


@router.get("/notifications/deliveries", response=list[DeliveryOut], summary="E-mail, SMS and robot deliveries")
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilters]) -> Any:
    actor = actor_of(request)
    rows = selectors.deliveries(actor, status=filters.status or "", channel=filters.channel or "")[:500]
    return [{**{f: getattr(row, f) for f in DeliveryOut.model_fields}, "address": row.shown_address} for row in rows]
