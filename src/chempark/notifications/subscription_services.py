"""Saving a user's own subscriptions (我的订阅): checked whole, then written and audited together."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from chempark.accounts.audit import record, snapshot
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.errors import InvalidInput
from chempark.notifications.models import Contact, Subscription
from chempark.notifications.subscriptions import Setting, own_user, settings_of, subscribable


@dataclass(frozen=True)
class Choice:
    """What the user chose for one event type."""

    event_type: str
    enabled: bool
    min_severity: str
    email: bool
    sms: bool


def _check(actor: Actor, choices: Sequence[Choice]) -> None:
    allowed = {t.code for t in subscribable(actor)}
    seen: set[str] = set()
    for choice in choices:
        if choice.event_type not in allowed:
            raise InvalidInput(f"没有可订阅的事件类型“{choice.event_type}”。")
        if choice.event_type in seen:
            raise InvalidInput("同一事件类型只能出现一次。")
        seen.add(choice.event_type)
        if choice.min_severity not in FeedSeverity.__members__.values():
            raise InvalidInput("最低严重程度须为提示、次要、重要或紧急之一。")


def subscriptions_save(*, actor: Actor, choices: Sequence[Choice], now: dt.datetime | None = None) -> list[Setting]:
    """Save the actor's own choices (types not named keep theirs); all or nothing. Returns the
    actor's effective settings."""
    actor.require("notifications.read")
    user = own_user(actor)
    if user is None:
        raise InvalidInput("只有登录用户才有自己的订阅。")
    _check(actor, choices)
    now = now or timezone.now()
    labels = {t.code: str(t.label) for t in subscribable(actor)}
    with transaction.atomic():
        for choice in choices:
            row = Subscription.objects.filter(user=user, event_type=choice.event_type).first()
            before = None if row is None else _shown(row, labels)
            row = row or Subscription(user=user, event_type=choice.event_type)
            row.enabled, row.min_severity, row.email, row.sms = (
                choice.enabled,
                choice.min_severity,
                choice.email,
                choice.sms,
            )
            after = _shown(row, labels)
            if before is not None and {**before, "updated_at": None} == {**after, "updated_at": None}:
                continue
            row.updated_at = now
            row.save()
            record(
                actor=actor,
                action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                object_type="subscription",
                object_id=row.pk,
                before=before,
                after=_shown(row, labels),
                object_label=f"{user.get_username()} · {labels[choice.event_type]}",
            )
    return settings_of(user)


def _shown(row: Subscription, labels: dict[str, str]) -> dict[str, object]:
    """The row as the audit trail keeps it, the event type by its name (the auditor reads Chinese)."""
    return snapshot(row) | {"event_type": labels.get(row.event_type, row.event_type)}


PHONE = re.compile(r"1[3-9]\d{9}")


def contact_save(*, actor: Actor, email: str, phone: str) -> None:
    """Set the actor's own e-mail address and mobile phone, where e-mail and SMS reach them ("" none).
    Checked first: a bad value changes nothing."""
    actor.require("notifications.read")
    user = own_user(actor)
    if user is None:
        raise InvalidInput("只有登录用户才有自己的联系方式。")
    email, phone = email.strip(), phone.strip().replace(" ", "").replace("-", "")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput("电子邮箱格式不正确。") from exc
    if phone and not PHONE.fullmatch(phone):
        raise InvalidInput("手机号码须为 11 位中国大陆手机号，例如 13800000000。")
    with transaction.atomic():
        contact = Contact.objects.filter(user=user).first()
        before = {"email": user.email, "phone": contact.phone if contact else ""}
        after = {"email": email, "phone": phone}
        if before == after:
            return
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        Contact.objects.update_or_create(user=user, defaults={"phone": phone})
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="contact",
            object_id=user.pk,
            before=before,
            after=after,
            object_label=user.get_username(),
        )
