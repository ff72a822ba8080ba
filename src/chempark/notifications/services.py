"""Sending notifications: the inbox, deliveries over the outside channels with retries and rate
limits, and the escalation chain of unacknowledged alarms.

The chain reads monitoring's escalated, still unacknowledged alarms and the duty roster: step 1
notifies the officers on duty when the alarm escalates, step 2 the leader on duty, step 3 the bureau
administrators, at the delays of ``CHEMPARK_ESCALATION_MINUTES``. Each (alarm, step) is recorded
once (a unique row), so a step never notifies twice, whichever process runs the chain.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from chempark.accounts.models import User
from chempark.command.duty_selectors import shift_now
from chempark.config import current
from chempark.core.actors import SYSTEM, Actor
from chempark.core.roles import Role
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import Alarm, AlarmStatus
from chempark.notifications import channels
from chempark.notifications.events import ALARM_ESCALATED, announce_alarms, send_event, send_reminders
from chempark.notifications.models import Channel, Delivery, DeliveryStatus, EscalationStep, Notification
from chempark.notifications.outbox import notify, queue_delivery
from chempark.notifications.settings import escalation_delays

log = logging.getLogger("chempark.notifications")
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=15))
MAX_ATTEMPTS = len(BACKOFF) + 1


def _text(alarm: Alarm) -> tuple[str, str]:
    place = alarm.point or alarm.camera or ""
    title = (
        f"【报警未确认】{alarm.enterprise} {place} {alarm.get_alarm_type_display()}（{alarm.get_severity_display()}）"
    )
    raised = timezone.localtime(alarm.raised_at).strftime("%m-%d %H:%M")
    body = f"{raised} 报警，至今未确认。请立即处置：{reverse('monitoring:alarm-detail', args=[alarm.pk])}"
    return title, body


def _recipients(step: int, now: dt.datetime) -> list[User]:
    shift = shift_now(now)
    if step == 1:
        return list(shift.officers.filter(is_active=True)) if shift else []
    if step == 2:
        return [shift.leader] if shift and shift.leader.is_active else []
    return list(User.objects.filter(is_active=True, role=Role.BUREAU_ADMIN.value).order_by("pk"))


def escalate_alarms(*, actor: Actor = SYSTEM, now: dt.datetime | None = None) -> int:
    """Take every escalation step that is due; returns the number of steps taken."""
    now = now or timezone.now()
    delays = escalation_delays()
    alarms = list(
        monitoring_selectors.alarms_visible(actor)
        .filter(status=AlarmStatus.ACTIVE_UNACK, escalated_at__isnull=False, escalated_at__lte=now - delays[0])
        .select_related("enterprise", "point", "camera")
        .order_by("escalated_at")[:500]
    )
    taken = set(EscalationStep.objects.filter(alarm_id__in=[a.pk for a in alarms]).values_list("alarm_id", "step"))
    steps = 0
    for alarm in alarms:
        assert alarm.escalated_at is not None  # filtered above
        for step, delay in enumerate(delays, start=1):
            if (alarm.pk, step) in taken or alarm.escalated_at + delay > now:
                continue
            steps += _take_step(alarm, step, now)
    return steps


def _take_step(alarm: Alarm, step: int, now: dt.datetime) -> int:
    users = _recipients(step, now)
    title, body = _text(alarm)
    try:
        with transaction.atomic():
            EscalationStep.objects.create(alarm_id=alarm.pk, step=step, at=now, recipients=[u.username for u in users])
            notify(
                users=users, title=title, body=body, url=reverse("monitoring:alarm-detail", args=[alarm.pk]), now=now
            )
            if step == 1:
                for webhook in current().webhook_urls:  # the duty group's robots hear the first step
                    queue_delivery(Channel.WEBHOOK, webhook, now, subject=title, body=body)
    except IntegrityError:
        return 0  # another process took this step at the same moment
    if step == 1:  # those subscribed to escalations hear it too, unless the chain just told them
        send_event(
            code=ALARM_ESCALATED,
            key=f"alarm:{alarm.pk}",
            severity=alarm.severity,
            enterprise_id=alarm.enterprise_id,
            title=title,
            body=body,
            url=reverse("monitoring:alarm-detail", args=[alarm.pk]),
            now=now,
            exclude={u.pk for u in users},
        )
    return 1


def deliver_due(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Send the deliveries whose time has come; a failure is retried after 1, 5 and 15 minutes,
    then given up. Sending happens outside any transaction: a slow server holds no lock."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")[
            :limit
        ]
    )
    for delivery in due:
        _attempt(delivery, now)
    return len(due)


def _attempt(delivery: Delivery, now: dt.datetime) -> None:
    delivery.attempts += 1
    try:
        if delivery.channel == Channel.EMAIL:
            channels.send_email(delivery.address, delivery.subject, delivery.body)
        elif delivery.channel == Channel.SMS:
            channels.send_sms(delivery.address, delivery.subject)  # an SMS carries the title only
        else:
            channels.send_webhook(delivery.address, f"{delivery.subject}\n{delivery.body}")
    except channels.ChannelNotConfigured as exc:  # given up at once: no retry can succeed
        delivery.last_error = str(exc)[:500]
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        log.info("delivery %s over %s not sent: %s", delivery.pk, delivery.channel, exc)
    except channels.ChannelError as exc:
        delivery.last_error = str(exc)[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        log.warning("delivery %s over %s to %s failed: %s", delivery.pk, delivery.channel, delivery.address, exc)
    else:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])


def mark_read(*, actor: Actor, ids: Sequence[int], now: dt.datetime | None = None) -> int:
    """Mark the actor's own messages read (another user's ids are ignored)."""
    actor.require("notifications.read")
    if actor.user_id is None:
        return 0
    return Notification.objects.filter(user_id=actor.user_id, pk__in=ids, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def run_once(now: dt.datetime | None = None, *, reminders: bool = True) -> tuple[int, int]:
    """One round of ``chempark notify``: take the due escalation steps, announce the alarms raised or
    worsened to their subscribers, send the day's reminders (when ``reminders``), then send what is
    due. Returns (escalation steps taken, deliveries attempted)."""
    now = now or timezone.now()
    steps = escalate_alarms(now=now)
    announce_alarms(now=now)
    if reminders:
        send_reminders(now=now)
    return steps, deliver_due(now=now)
