"""What users can be notified of, and the reminders modules want sent.

The notifications app delivers, but it must not know every module: monitoring's alarms, the
major-hazard reminders, supervision's overdue rectifications and expiring licences, later modules'
own. Each module registers, in its ``AppConfig.ready()``:

* its **event types** (:class:`EventType`): what a user may subscribe to on the page 我的订阅, who
  may (a capability), who is subscribed by default (roles) and from which severity;
* a **reminder source** (:func:`register_reminders`): a read that lists, for a moment, the
  :class:`Reminder` items due — an overdue duty check, a licence 30 days from expiry. It only reads;
  the notifier calls every source and sends each reminder at most once a day to each recipient.

A module whose event happens in one of its own services (an incident taken) calls :func:`announce`
there, inside its transaction: the notifications app, which installs the handler, queues the
messages in the same transaction, so they exist only if the event does. Without the app installed,
an announcement goes nowhere.

Severity uses the alarm scale (``FeedSeverity``: 提示 < 次要 < 重要 < 紧急), so one minimum on a
subscription means the same for an alarm and for a reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from chempark.core.alarm_feed import FeedSeverity

log = logging.getLogger("chempark.notices")

SEVERITY_RANK: dict[FeedSeverity, int] = {
    FeedSeverity.WARNING: 0,
    FeedSeverity.MINOR: 1,
    FeedSeverity.MAJOR: 2,
    FeedSeverity.CRITICAL: 3,
}


@dataclass(frozen=True)
class EventType:
    """Something a user can subscribe to.

    ``capability``: what a user needs to see what the event is about (a user without it can neither
    subscribe nor receive it). ``default_roles``: the roles subscribed while they have saved nothing,
    from ``default_min_severity``, with the channels of ``default_channels`` (``"email"``, ``"sms"``;
    the inbox always). ``alarm_types``: alarm types announced through this event instead of the
    generic "alarm raised" (tracking's violations are alarms, but a user subscribes to them apart).
    """

    code: str
    label: str | Promise
    group: str | Promise
    order: int
    capability: str
    default_roles: frozenset[str] = frozenset()
    default_min_severity: FeedSeverity = FeedSeverity.WARNING
    default_channels: frozenset[str] = frozenset({"email"})
    alarm_types: frozenset[str] = frozenset()
    note: str | Promise = ""


@dataclass(frozen=True)
class Reminder:
    """One matter to remind of (or an event to announce). ``key`` names the matter
    (``"guarantor:12"``), stable from day to day: with the recipient and the day it makes the
    reminder's unique row. ``enterprise_id`` None: a park-level matter, for the bureau only."""

    event: str
    key: str
    severity: FeedSeverity
    enterprise_id: int | None
    title: str
    body: str
    url: str = ""


ReminderSource = Callable[[dt.datetime], list[Reminder]]
Announcer = Callable[[Reminder, dt.datetime | None], int]

_TYPES: dict[str, EventType] = {}
_SOURCES: dict[str, ReminderSource] = {}
_ANNOUNCER: list[Announcer] = []


def register_event_type(*types: EventType) -> None:
    """Add event types (a second registration of a code replaces the first)."""
    for event_type in types:
        _TYPES[event_type.code] = event_type


def event_types() -> list[EventType]:
    """Every registered event type, in page order."""
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.code))


def event_type(code: str) -> EventType | None:
    return _TYPES.get(code)


def event_for_alarm_type(alarm_type: str, default: str) -> str:
    """The event that announces a raised alarm of ``alarm_type``: a module's own, else ``default``."""
    for event_type_ in _TYPES.values():
        if alarm_type in event_type_.alarm_types:
            return event_type_.code
    return default


def register_reminders(name: str, source: ReminderSource) -> None:
    """Add a module's reminder source (a second registration of ``name`` replaces the first)."""
    _SOURCES[name] = source


def reminders(now: dt.datetime) -> list[Reminder]:
    """Every source's reminders at ``now``. A source that fails is logged and skipped: one module's
    bug must not silence the others' reminders."""
    items: list[Reminder] = []
    for name, source in sorted(_SOURCES.items()):
        try:
            items += source(now)
        except Exception:  # any failure of one source must not stop the others
            log.exception("reminder source %s failed", name)
    return items


def at_least(severity: FeedSeverity | str, minimum: FeedSeverity | str) -> bool:
    """Whether ``severity`` reaches ``minimum`` on the scale 提示 < 次要 < 重要 < 紧急."""
    return SEVERITY_RANK[FeedSeverity(severity)] >= SEVERITY_RANK[FeedSeverity(minimum)]


def register_announcer(handler: Announcer) -> None:
    """Install the handler of :func:`announce` (the notifications app's); a second replaces the first."""
    _ANNOUNCER[:] = [handler]


def announce(event: Reminder, now: dt.datetime | None = None) -> int:
    """Announce ``event`` now to its subscribers (each at most once a day for its ``key``); the
    number of users reached, 0 when no handler is installed."""
    return _ANNOUNCER[0](event, now) if _ANNOUNCER else 0
