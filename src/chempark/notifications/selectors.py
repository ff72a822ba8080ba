"""Reads of the notifications: one's own inbox; the delivery log for the bureau administrator."""

from __future__ import annotations

from django.db.models import QuerySet

from chempark.core.actors import Actor
from chempark.notifications.models import Delivery, EscalationStep, Notification


def inbox(actor: Actor) -> QuerySet[Notification]:
    actor.require("notifications.read")
    if actor.user_id is None:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=actor.user_id)


def unread_count(actor: Actor) -> int:
    return inbox(actor).filter(read_at__isnull=True).count()


def deliveries(actor: Actor, *, status: str = "", channel: str = "") -> QuerySet[Delivery]:
    actor.require("notifications.log")
    rows = Delivery.objects.all()
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    return rows


def escalation_steps(actor: Actor, alarm_id: int) -> QuerySet[EscalationStep]:
    actor.require("monitoring.read")
    return EscalationStep.objects.filter(alarm_id=alarm_id).order_by("step")
