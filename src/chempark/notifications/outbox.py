"""The outbox: an inbox message per user and its deliveries over the outside channels, each either
pending or, past the address's hourly share, logged as rate-limited. ``services`` sends them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import timezone

from chempark.accounts.models import User
from chempark.config import current
from chempark.notifications.models import Channel, Contact, Delivery, DeliveryStatus, Notification


def _limit(channel: str) -> int | None:
    return {Channel.SMS: current().notify_sms_per_hour, Channel.EMAIL: current().notify_mail_per_hour}.get(
        Channel(channel)
    )


def queue_delivery(
    channel: Channel,
    address: str,
    now: dt.datetime,
    *,
    subject: str,
    body: str,
    notification: Notification | None = None,
) -> Delivery:
    """A pending delivery, or one marked rate-limited when the address had its share this hour."""
    limit = _limit(channel)
    recent = Delivery.objects.filter(
        channel=channel,
        address=address,
        created_at__gt=now - dt.timedelta(hours=1),
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.FAILED),
    )
    limited = limit is not None and recent.count() >= limit
    return Delivery.objects.create(
        notification=notification,
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        status=DeliveryStatus.RATE_LIMITED if limited else DeliveryStatus.PENDING,
        created_at=now,
        next_attempt_at=None if limited else now,
    )


def notify(
    *,
    users: Iterable[User],
    title: str,
    body: str,
    url: str = "",
    now: dt.datetime | None = None,
    channels: Mapping[int, frozenset[str]] | None = None,
) -> list[Notification]:
    """An inbox message for each user and, for each, an e-mail (account address) and an SMS
    (contact phone) when they have one — only over the channels ``channels`` names for the user,
    when given (a subscription's choice)."""
    now = now or timezone.now()
    users = list(users)
    phones = dict(Contact.objects.filter(user__in=users).exclude(phone="").values_list("user_id", "phone"))
    made = []
    for user in users:
        notification = Notification.objects.create(user=user, title=title, body=body, url=url, created_at=now)
        for channel, address in ((Channel.EMAIL, user.email), (Channel.SMS, phones.get(user.pk, ""))):
            if address and (channels is None or channel.value in channels.get(user.pk, frozenset())):
                queue_delivery(channel, address, now, subject=title, body=body, notification=notification)
        made.append(notification)
    return made
