"""Contacts of the demo's duty staff: the duty officer (`dispatcher`, on duty now) and the leader on
duty (`admin`) get e-mail addresses and phone numbers, so a demo started with `CHEMPARK_SMTP_URL`
delivers the escalation of an unacknowledged alarm to that server."""

from __future__ import annotations

from chempark.accounts.models import User
from chempark.notifications.models import Contact

DEMO_CONTACTS = {
    "dispatcher": ("dispatcher@chempark.example", "13800000001"),
    "admin": ("leader@chempark.example", "13800000002"),
    "inspector": ("inspector@chempark.example", "13800000003"),
}


def load() -> str:
    for user in User.objects.filter(username__in=DEMO_CONTACTS):
        email, phone = DEMO_CONTACTS[user.username]
        if not user.email:
            user.email = email
            user.save(update_fields=["email"])
        Contact.objects.get_or_create(user=user, defaults={"phone": phone})
    return "消息通知：值班人员联系方式已设置"
