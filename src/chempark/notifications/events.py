"""Events and reminders sent according to the users' subscriptions.

Three kinds of input, one way out (``send_event``):

* alarms raised or worsened, read from monitoring's live events after the notifier's cursor (see
  ``announce_alarms`` for why the cursor trails the newest event read);
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
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils import timezone

from chempark.accounts.models import User
from chempark.config import current
from chempark.core import notices
from chempark.core.alarm_feed import FeedSeverity
from chempark.monitoring.models import LiveEvent
from chempark.notifications.models import AnnouncedEvent, NoticeSent, NotifierCursor
from chempark.notifications.outbox import notify
from chempark.notifications.subscriptions import Audience

ALARM_RAISED, ALARM_WORSENED, ALARM_ESCALATED = "alarm.raised", "alarm.worsened", "alarm.escalated"
FIRST_LOOK_BACK = dt.timedelta(minutes=10)
"""A notifier with no cursor yet (its first run) announces the alarms of the last minutes only."""
COMMIT_LAG = dt.timedelta(minutes=2)
"""The longest a transaction that writes a live event may stay open: the cursor moves past an event id
only this long after the event was read, so one that took a lower id and commits within it is read."""
BATCH = 1000
CHANGES = ("raised", "worsened")
"""The alarm changes announced (live events of an alarm also carry acknowledgements and clearing)."""


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
    on: dt.date | None = None,
) -> int:
    """Send the event ``key`` of type ``code`` to its subscribers not yet told on the day ``on`` (by
    default today); the number reached. An event read again later passes the day it happened, so
    reading it again after midnight does not tell anyone twice."""
    audience = audience or Audience()
    key = f"{code}:{key}"[:120]
    today = on or timezone.localtime(now).date()
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
    messages. Alarms of a type a module claims (``EventType.alarm_types``) go out as that event.

    Live event ids are taken at INSERT and become visible at COMMIT, so on PostgreSQL an event may
    appear below an id already read (its transaction began first and committed last). The cursor
    therefore only moves to an id read at least ``COMMIT_LAG`` ago: every transaction holding a lower
    id had begun by then, so it has committed (and been read, as everything above the cursor is read
    each round) or rolled back. Each round reads the events above the cursor less those already
    announced (``AnnouncedEvent``, in the same query), and announces each in one transaction with its
    ``AnnouncedEvent`` row: once, whoever it reaches, also with several notifiers racing. The
    ``NoticeSent`` row of each (alarm change, recipient, day of the event) stays a second guard. This
    relies only on the notifier's clock and the transaction length, not on the writers'
    ``created_at``; all of its state is in the database, so a restarted notifier carries on."""
    now = now or timezone.now()
    cursor = _cursor(now)
    above = LiveEvent.objects.filter(pk__gt=cursor.last_id, kind="alarm")
    newest = int(above.aggregate(top=Max("pk"))["top"] or cursor.last_id)  # every lower id began before now
    pending = above.filter(pk__lte=newest, data__change__in=CHANGES).exclude(
        pk__in=AnnouncedEvent.objects.filter(event_id__gt=cursor.last_id).values("event_id")
    )
    audience, sent, after = Audience(), 0, cursor.last_id
    while True:
        events = list(pending.filter(pk__gt=after).order_by("pk")[:BATCH])
        for event in events:
            sent += _announce_once(event, now, audience)
        if len(events) < BATCH:
            break
        after = events[-1].pk
    _advance(cursor, newest, now)
    return sent


def _announce_once(event: LiveEvent, now: dt.datetime, audience: Audience) -> int:
    """The event's messages and its ``AnnouncedEvent`` row in one transaction; 0 when another
    notifier announced it meanwhile (its row exists: this one waits for that commit, then yields)."""
    try:
        with transaction.atomic():
            AnnouncedEvent.objects.create(event_id=event.pk, at=now)
            return _announce_alarm(event, now, audience)
    except IntegrityError:
        return 0


def _announce_alarm(event: LiveEvent, now: dt.datetime, audience: Audience) -> int:
    data, change = event.data, event.data.get("change", "")
    if change not in CHANGES or data.get("severity") not in FeedSeverity.__members__.values():
        return 0
    code = ALARM_WORSENED if change == "worsened" else notices.event_for_alarm_type(data["type"], ALARM_RAISED)
    title, body = _alarm_text(data, change)
    return send_event(
        code=code,
        key=f"alarm:{data['id']}:{change}",
        severity=data["severity"],
        enterprise_id=event.enterprise_id,
        title=title,
        body=body,
        url=data.get("url", ""),
        now=now,
        audience=audience,
        on=timezone.localtime(event.created_at).date(),
    )


def _advance(cursor: NotifierCursor, newest: int, now: dt.datetime) -> None:
    """Move the cursor to the id read ``COMMIT_LAG`` ago (if any), then note the newest id read now
    unless an earlier one is still waiting: under a steady flow the cursor trails by one to two lags.
    Several notifiers may run: the cursor never moves back, and every noted id was read when noted."""
    last_id, seen_id, seen_at = cursor.last_id, cursor.seen_id, cursor.seen_at
    if seen_at is not None and seen_at <= now - COMMIT_LAG:
        last_id, seen_at = max(last_id, seen_id), None
    if seen_at is None and newest > last_id:
        seen_id, seen_at = newest, now
    NotifierCursor.objects.filter(name=cursor.name).update(
        last_id=Greatest(F("last_id"), last_id), seen_id=seen_id, seen_at=seen_at
    )
    # Below the cursor no round reads them again. A round of another notifier that read the cursor
    # before it moved may still: the rows stay a lag longer, and NoticeSent would catch the rest.
    AnnouncedEvent.objects.filter(event_id__lte=last_id, at__lt=now - COMMIT_LAG).delete()


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
