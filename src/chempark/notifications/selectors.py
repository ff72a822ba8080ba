"""Reads of the notifications: one's own inbox; the delivery log for the bureau administrator."""

from __future__ import annotations

from django.db.models import QuerySet

from chempark.core.actors import Actor
from chempark.notifications.models import Contact, Delivery, EscalationStep, Notification
from chempark.notifications.subscriptions import Setting, own_user, settings_of


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


def my_subscriptions(actor: Actor) -> list[Setting]:
    """The actor's effective subscriptions (an actor without an account has none)."""
    actor.require("notifications.read")
    user = own_user(actor)
    return [] if user is None else settings_of(user)


def my_addresses(actor: Actor) -> tuple[str, str]:
    """The actor's e-mail address and phone, where e-mail and SMS would reach them ("" when none)."""
    user = own_user(actor)
    if user is None:
        return "", ""
    phone = Contact.objects.filter(user=user).values_list("phone", flat=True).first() or ""
    return user.email, phone
