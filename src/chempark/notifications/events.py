"""Events and reminders sent according to the users' subscriptions.

Three kinds of input, one way out (``send_event``):

* alarms raised or worsened, read from monitoring's live events after the notifier's cursor;
* an alarm's escalation, announced to its subscribers when the chain takes its first step (the chain
  itself reaches the officer on duty whatever the subscriptions say; they are not told twice);
* the reminders of every module's source in ``chempark.core.notices`` (overdue duty checks,
  assessments due, missing commitments, overdue rectifications and 督办, expiring licences …),
  from ``CHEMPARK_REMINDER_HOUR`` in the morning.

Each (matter, recipient, day) is a unique ``NoticeSent`` row created in the same transaction as
the message and its deliveries (one transaction per matter, one per recipient after a conflict):
a reminder reaches a recipient once a day, however often and in however many processes the
notifier runs. Deliveries obey the rate limits of the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chempark.accounts.models import User
from chempark.config import current
from chempark.core import notices
from chempark.core.alarm_feed import FeedSeverity
from chempark.monitoring.models import LiveEvent
from chempark.notifications.models import NoticeSent, NotifierCursor
from chempark.notifications.outbox import notify
from chempark.notifications.subscriptions import Audience

ALARM_RAISED, ALARM_WORSENED, ALARM_ESCALATED = "alarm.raised", "alarm.worsened", "alarm.escalated"
FIRST_LOOK_BACK = dt.timedelta(minutes=10)
"""A notifier with no cursor yet (its first run) announces the alarms of the last minutes only."""
BATCH = 1000


def send_event(
    *,
    code: str,
    key: str,
    severity: FeedSeverity | str,
    enterprise_id: int | None,
    title: str,
    body: str,
    url: str = "",
    now: dt.datetime,
    audience: Audience | None = None,
    exclude: Collection[int] = (),
) -> int:
    """Send the event ``key`` of type ``code`` to its subscribers not yet told today; the number reached."""
    audience = audience or Audience()
    key = f"{code}:{key}"[:120]
    today = timezone.localtime(now).date()
    chosen = [(u, c) for u, c in audience.recipients(code, severity, enterprise_id) if u.pk not in exclude]
    told = set(
        NoticeSent.objects.filter(key=key, on=today, user_id__in=[u.pk for u, _c in chosen]).values_list(
            "user_id", flat=True
        )
    )
    pending = [(user, channels) for user, channels in chosen if user.pk not in told]

    def tell(user: User, channels: frozenset[str]) -> None:
        NoticeSent.objects.create(key=key, user=user, on=today, event_type=code, at=now)
        notify(users=[user], title=title, body=body, url=url, now=now, channels={user.pk: channels})

    try:  # one transaction for the matter's recipients: one commit, not one per message
        with transaction.atomic():
            for user, channels in pending:
                tell(user, channels)
        return len(pending)
    except IntegrityError:
        pass  # another round told some of them at the same moment: one by one, skipping those
    reached = 0
    for user, channels in pending:
        try:
            with transaction.atomic():
                tell(user, channels)
        except IntegrityError:
            continue
        reached += 1
    return reached


def _cursor(now: dt.datetime) -> NotifierCursor:
    cursor = NotifierCursor.objects.filter(name="alarms").first()
    if cursor is None:
        before = LiveEvent.objects.filter(created_at__lt=now - FIRST_LOOK_BACK).order_by("-id").first()
        cursor = NotifierCursor.objects.create(name="alarms", last_id=before.pk if before else 0)
    return cursor


def _alarm_text(data: dict[str, Any], change: str) -> tuple[str, str]:
    head = "【报警】" if change == "raised" else "【报警加重】"
    title = f"{head}{data.get('enterprise') or '园区'} {data.get('source', '')} {data.get('type_label', '')}"
    title += f"（{data.get('severity_label', '')}）"
    body = f"{data.get('raised_at', '')} 报警，状态：{data.get('status_label', '')}。详情：{data.get('url', '')}"
    return title, body


def announce_alarms(*, now: dt.datetime | None = None) -> int:
    """Announce the alarms raised or worsened since the cursor to their subscribers; the number of
    messages. Alarms of a type a module claims (``EventType.alarm_types``) go out as that event."""
    now = now or timezone.now()
    cursor = _cursor(now)
    events = list(LiveEvent.objects.filter(pk__gt=cursor.last_id, kind="alarm").order_by("pk")[:BATCH])
    if not events:
        return 0
    audience, sent = Audience(), 0
    for event in events:
        data, change = event.data, event.data.get("change", "")
        if change not in ("raised", "worsened") or data.get("severity") not in FeedSeverity.__members__.values():
            continue
        code = ALARM_WORSENED if change == "worsened" else notices.event_for_alarm_type(data["type"], ALARM_RAISED)
        title, body = _alarm_text(data, change)
        sent += send_event(
            code=code,
            key=f"alarm:{data['id']}:{change}",
            severity=data["severity"],
            enterprise_id=event.enterprise_id,
            title=title,
            body=body,
            url=data.get("url", ""),
            now=now,
            audience=audience,
        )
    NotifierCursor.objects.filter(name="alarms").update(last_id=events[-1].pk)
    return sent


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Send every module's reminders due at ``now`` (none before ``CHEMPARK_REMINDER_HOUR``); the
    number of messages, 0 for those already sent today."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < current().reminder_hour:
        return 0
    audience, sent = Audience(), 0
    for reminder in notices.reminders(now):
        sent += send_event(
            code=reminder.event,
            key=reminder.key,
            severity=reminder.severity,
            enterprise_id=reminder.enterprise_id,
            title=reminder.title,
            body=reminder.body,
            url=reminder.url,
            now=now,
            audience=audience,
        )
    return sent


def announce(event: notices.Reminder, now: dt.datetime | None = None) -> int:
    """``core.notices.announce``'s handler: send a module's event to its subscribers, inside the
    caller's transaction."""
    return send_event(
        code=event.event,
        key=event.key,
        severity=event.severity,
        enterprise_id=event.enterprise_id,
        title=event.title,
        body=event.body,
        url=event.url,
        now=now or timezone.now(),
    )
