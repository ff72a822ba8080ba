"""REST endpoints of the notifications: the caller's inbox and the delivery log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictInt

from chempark.core.alarm_feed import FeedSeverity
from chempark.core.api import actor_of
from chempark.notifications import selectors, services
from chempark.notifications.models import Channel, DeliveryStatus
from chempark.notifications.subscription_services import Choice, subscriptions_save
from chempark.notifications.subscriptions import Setting
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


class SubscriptionOut(Schema):
    event_type: str
    label: str
    group: str
    note: str
    enabled: bool
    min_severity: str
    email: bool
    sms: bool
    saved: bool = Field(description="False: the role's default applies")


class SubscriptionIn(StrictInput):
    event_type: Annotated[str, Field(min_length=1, max_length=64)]
    enabled: bool
    min_severity: FeedSeverity
    email: bool = True
    sms: bool = False


class SubscriptionsIn(StrictInput):
    items: Annotated[list[SubscriptionIn], Field(min_length=1, max_length=100)]


def _out(setting: Setting) -> dict[str, Any]:
    return {
        "event_type": setting.event.code,
        "label": str(setting.event.label),
        "group": str(setting.event.group),
        "note": str(setting.event.note),
        "enabled": setting.enabled,
        "min_severity": setting.min_severity.value,
        "email": setting.email,
        "sms": setting.sms,
        "saved": setting.saved,
    }


@router.get(
    "/notifications/subscriptions",
    response=list[SubscriptionOut],
    summary="The caller's subscriptions: each event type they may receive, saved or by their role's default",
)
def list_subscriptions(request: HttpRequest) -> Any:
    return [_out(s) for s in selectors.my_subscriptions(actor_of(request))]


@router.put(
    "/notifications/subscriptions",
    response=list[SubscriptionOut],
    summary="Save the caller's choices for the event types named (the others keep theirs)",
)
def save_subscriptions(request: HttpRequest, payload: SubscriptionsIn) -> Any:
    choices = [Choice(i.event_type, i.enabled, i.min_severity.value, i.email, i.sms) for i in payload.items]
    return [_out(s) for s in subscriptions_save(actor=actor_of(request), choices=choices)]
