"""Contacts and subscriptions of the demo accounts. The duty officer (`dispatcher`, on duty now) and
the leader on duty (`admin`) get e-mail addresses and phone numbers, so a demo started with
`CHEMPARK_SMTP_URL` delivers the escalation of an unacknowledged alarm to that server; each account
also chooses a few subscriptions of its own, so 我的订阅 shows saved choices beside role defaults."""

from __future__ import annotations

from django.utils import timezone

from chempark.accounts.models import User
from chempark.core.alarm_feed import FeedSeverity
from chempark.notifications.models import Contact, Subscription

DEMO_CONTACTS = {
    "dispatcher": ("dispatcher@chempark.example", "13800000001"),
    "admin": ("leader@chempark.example", "13800000002"),
    "inspector": ("inspector@chempark.example", "13800000003"),
    "ent1": ("safety@enterprise1.example", "13800000011"),
}
# (user, event type, minimum severity, e-mail, SMS)
DEMO_SUBSCRIPTIONS = [
    ("dispatcher", "alarm.raised", FeedSeverity.CRITICAL, True, True),  # 紧急 alarms at once, by SMS too
    ("dispatcher", "vehicle.violation", FeedSeverity.CRITICAL, True, False),
    ("inspector", "hazard.commitment", FeedSeverity.WARNING, True, False),  # follows the missing commitments
    ("inspector", "danger.overdue", FeedSeverity.WARNING, True, False),
    ("admin", "alarm.escalated", FeedSeverity.MAJOR, True, False),
    ("ent1", "alarm.raised", FeedSeverity.MINOR, True, False),
    ("ent1", "alarm.escalated", FeedSeverity.WARNING, True, True),
    ("ent1", "hazard.duty_check", FeedSeverity.WARNING, True, True),
    ("ent1", "licence.expiring", FeedSeverity.MINOR, True, False),
]


def load() -> str:
    users = {
        u.username: u for u in User.objects.filter(username__in={*DEMO_CONTACTS, *(s[0] for s in DEMO_SUBSCRIPTIONS)})
    }
    for username, (email, phone) in DEMO_CONTACTS.items():
        user = users.get(username)
        if user is None:
            continue
        if not user.email:
            user.email = email
            user.save(update_fields=["email"])
        Contact.objects.get_or_create(user=user, defaults={"phone": phone})
    now = timezone.now()
    for username, code, severity, email_on, sms_on in DEMO_SUBSCRIPTIONS:
        if username in users:
            Subscription.objects.get_or_create(
                user=users[username],
                event_type=code,
                defaults={
                    "enabled": True,
                    "min_severity": severity,
                    "email": email_on,
                    "sms": sms_on,
                    "updated_at": now,
                },
            )
    return "消息通知：值班人员联系方式和演示账号的订阅已设置"
