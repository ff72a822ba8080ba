"""Who receives an event and over which channels: the users' subscriptions (我的订阅) over the event
types modules register in ``chempark.core.notices``.

A user may subscribe to an event type when their role holds its capability and an inbox
(``notifications.read``). While they have saved nothing for a type, the type's default for their
role applies. The inbox always receives a subscribed event; e-mail and SMS only when chosen and the
user has an address (the account's e-mail) or a phone (``Contact``).

Who is *concerned* by an event is decided before subscriptions: an enterprise's matter concerns that
enterprise's users and the bureau's staff; a park-level matter (no enterprise) the bureau's staff
only. Third-party service organisations and machines are never recipients.

The escalation chain of unacknowledged alarms does not pass through here: the officer on duty, the
leader on duty and the administrators are reached whatever they subscribed to (``services``).
"""

from __future__ import annotations

from dataclasses import dataclass

from chempark.accounts.models import User
from chempark.core.actors import Actor, actor_for_user
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.notices import EventType, at_least, event_type, event_types
from chempark.core.roles import ENTERPRISE_SCOPED_ROLES, Role
from chempark.notifications.models import Contact, Subscription

INBOX, EMAIL, SMS = "inbox", "email", "sms"
NEVER_RECIPIENTS = frozenset({Role.MACHINE, Role.SERVICE_ORG})


@dataclass(frozen=True)
class Setting:
    """A user's effective choice for one event type; ``saved`` False: the role's default."""

    event: EventType
    enabled: bool
    min_severity: FeedSeverity
    email: bool
    sms: bool
    saved: bool = False


def own_user(actor: Actor) -> User | None:
    """The actor's own active account (a system or token actor without one has no subscriptions)."""
    if actor.user_id is None:
        return None
    return User.objects.filter(pk=actor.user_id, is_active=True).first()


def may_subscribe(actor: Actor, event: EventType) -> bool:
    return actor.can("notifications.read") and actor.can(event.capability) and actor.role not in NEVER_RECIPIENTS


def subscribable(actor: Actor) -> list[EventType]:
    """The event types ``actor`` may subscribe to, in page order."""
    return [t for t in event_types() if may_subscribe(actor, t)]


def default_setting(event: EventType, role: Role | str) -> Setting:
    return Setting(
        event=event,
        enabled=str(role) in event.default_roles,
        min_severity=event.default_min_severity,
        email=EMAIL in event.default_channels,
        sms=SMS in event.default_channels,
    )


def _from_row(event: EventType, row: Subscription) -> Setting:
    return Setting(event, row.enabled, FeedSeverity(row.min_severity), row.email, row.sms, saved=True)


def settings_of(user: User) -> list[Setting]:
    """The user's effective settings for every event type they may subscribe to."""
    actor = actor_for_user(user)
    rows = {row.event_type: row for row in Subscription.objects.filter(user=user)}
    return [
        _from_row(t, rows[t.code]) if t.code in rows else default_setting(t, user.role) for t in subscribable(actor)
    ]


def channels_for(setting: Setting, severity: FeedSeverity | str, *, email: str, phone: str) -> frozenset[str]:
    """The channels an event of ``severity`` takes to a user with ``setting``: none when not
    subscribed or below the minimum; else the inbox, plus e-mail and SMS when chosen and possible."""
    if not setting.enabled or not at_least(severity, setting.min_severity):
        return frozenset()
    chosen = {INBOX}
    if setting.email and email:
        chosen.add(EMAIL)
    if setting.sms and phone:
        chosen.add(SMS)
    return frozenset(chosen)


class Audience:
    """Everyone an event may reach, with their contacts and saved subscriptions, read once per round
    of the notifier (a round sends many reminders; each must not query the users again)."""

    def __init__(self) -> None:
        users = User.objects.filter(is_active=True).exclude(role__in=[r.value for r in NEVER_RECIPIENTS])
        self.users = list(users.order_by("pk"))
        self.actors = {u.pk: actor_for_user(u) for u in self.users}
        self.phones = dict(Contact.objects.exclude(phone="").values_list("user_id", "phone"))
        self.rows = {(row.user_id, row.event_type): row for row in Subscription.objects.all()}

    def concerned(self, enterprise_id: int | None) -> list[User]:
        """The users an enterprise's matter concerns (its own users and the bureau), or a park-level
        matter's (the bureau)."""
        scoped = {r.value for r in ENTERPRISE_SCOPED_ROLES}
        return [
            u
            for u in self.users
            if u.role not in scoped or (enterprise_id is not None and u.enterprise_id == enterprise_id)
        ]

    def recipients(
        self, code: str, severity: FeedSeverity | str, enterprise_id: int | None
    ) -> list[tuple[User, frozenset[str]]]:
        """The users an event of type ``code`` reaches, each with its channels (never empty)."""
        event = event_type(code)
        if event is None:
            return []
        out = []
        for user in self.concerned(enterprise_id):
            if not may_subscribe(self.actors[user.pk], event):
                continue
            row = self.rows.get((user.pk, code))
            setting = _from_row(event, row) if row is not None else default_setting(event, user.role)
            chosen = channels_for(setting, severity, email=user.email, phone=self.phones.get(user.pk, ""))
            if chosen:
                out.append((user, chosen))
        return out
