"""The modules' reminders through the notification channels: an overdue duty check reaches the
enterprise's safety manager by e-mail (a local SMTP server) once a day however often the notifier
runs; nothing before the morning hour; supervision's 督办 reaches the bureau by default; the rate
limits hold; a failing source does not silence the others."""

from __future__ import annotations

import datetime as dt
import email
import email.header
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from chempark.core import notices
from chempark.core.actors import SYSTEM
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.roles import Role
from chempark.hazards import services as hazard_services
from chempark.hazards.models import DutyCheck, Guarantor, MajorHazard
from chempark.notifications.events import send_reminders
from chempark.notifications.models import Delivery, DeliveryStatus, NoticeSent, Notification, Subscription
from chempark.notifications.services import deliver_due, run_once
from chempark.supervision.models import HiddenDanger
from tests.conftest import SmallPark
from tests.notifications.conftest import Mailbox

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime(2027, 6, 3, 9, 0, tzinfo=SHANGHAI)
ENTERPRISE_MAIL = "safety@enterprise-a.example"


def subjects(mailbox: Mailbox, address: str) -> list[str]:
    """The decoded subjects of the messages ``address`` received."""
    out = []
    for raw in mailbox.to(address):
        header = email.message_from_string(raw)["Subject"]
        out.append(str(email.header.make_header(email.header.decode_header(header))))
    return out


def only(user: Any, *codes: str, sms: bool = False) -> None:
    """Subscribe ``user`` to ``codes`` alone (every other type they may have switched off)."""
    for event in notices.event_types():
        Subscription.objects.update_or_create(
            user=user,
            event_type=event.code,
            defaults={
                "enabled": event.code in codes,
                "min_severity": FeedSeverity.WARNING,
                "email": True,
                "sms": sms,
                "updated_at": MORNING,
            },
        )


@pytest.fixture
def overdue_check(park: SmallPark) -> Guarantor:
    """The principal of enterprise A's major hazard, assigned in January, never checked: overdue."""
    hazard = MajorHazard.objects.get(unit=park.unit_a)
    guarantor = hazard_services.guarantor_assign(
        actor=SYSTEM, hazard_id=hazard.pk, role="principal", name="王总", check_interval_days=None
    )
    Guarantor.objects.filter(pk=guarantor.pk).update(assigned_on=dt.date(2027, 1, 4))
    user = park.users[Role.ENTERPRISE]
    user.email = ENTERPRISE_MAIL
    user.save(update_fields=["email"])
    return guarantor


@pytest.fixture
def smtp(configure: Callable[..., Any], smtp_server: tuple[str, Mailbox]) -> Mailbox:
    url, mailbox = smtp_server
    configure(smtp_url=url, reminder_hour=8)
    return mailbox


def run_notifier() -> None:
    """One round of ``chempark notify`` at the test's clock (the command's loop closes the database
    connection between rounds, which a test's transaction cannot survive)."""
    run_once(timezone.now())


def test_an_overdue_duty_check_is_mailed_once_a_day_however_often_the_job_runs(
    park: SmallPark, overdue_check: Guarantor, smtp: Mailbox
) -> None:
    with time_machine.travel(MORNING, tick=False):
        run_notifier()
        run_notifier()  # the job runs twice: the reminder's row for today exists already
    overdue = [s for s in subjects(smtp, ENTERPRISE_MAIL) if "履职检查逾期" in s]
    assert overdue == [f"【履职检查逾期】{park.enterprise_a.name} {overdue_check.hazard}"]
    [row] = NoticeSent.objects.filter(event_type="hazard.duty_check", user=park.users[Role.ENTERPRISE])
    assert row.on == MORNING.date() and row.key == f"hazard.duty_check:guarantor:{overdue_check.pk}"
    message = Notification.objects.get(user=park.users[Role.ENTERPRISE], title__startswith="【履职检查逾期】")
    assert "逾期" in message.body and message.url.endswith(f"/hazards/{overdue_check.hazard_id}/")
    sent = Delivery.objects.get(notification=message, channel="email")
    assert (sent.status, sent.attempts, sent.address) == (DeliveryStatus.SENT, 1, ENTERPRISE_MAIL)
    # nobody outside enterprise A hears of it: the other enterprise, and the bureau by default
    others = [park.users[Role.INSPECTOR], park.users[Role.DISPATCHER], park.users[Role.EXPERT]]
    assert not Notification.objects.filter(user__in=others, title__startswith="【履职检查逾期】").exists()

    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):  # still overdue the next day
        run_notifier()
    assert len([s for s in subjects(smtp, ENTERPRISE_MAIL) if "履职检查逾期" in s]) == 2

    DutyCheck.objects.create(guarantor=overdue_check, checked_on=dt.date(2027, 6, 4), recorded_by="王总")
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):  # checked: no more reminders
        run_notifier()
    assert len([s for s in subjects(smtp, ENTERPRISE_MAIL) if "履职检查逾期" in s]) == 2


def test_no_reminder_before_the_morning_hour_and_none_for_the_unsubscribed(
    park: SmallPark, overdue_check: Guarantor, smtp: Mailbox
) -> None:
    assert send_reminders(now=MORNING.replace(hour=7, minute=59)) == 0
    only(park.users[Role.ENTERPRISE], "hazard.assessment")  # switched the duty checks off
    send_reminders(now=MORNING)
    deliver_due(now=MORNING)
    assert [s for s in subjects(smtp, ENTERPRISE_MAIL) if "履职检查逾期" in s] == []
    assert Notification.objects.filter(user=park.users[Role.ENTERPRISE], title__startswith="【安全评估").exists()


def test_a_bureau_member_who_subscribes_receives_every_enterprise_reminder(
    park: SmallPark, overdue_check: Guarantor
) -> None:
    expert = park.users[Role.EXPERT]
    assert send_reminders(now=MORNING) >= 1
    assert not Notification.objects.filter(user=expert).exists()  # not an expert's default
    only(expert, "hazard.duty_check")
    send_reminders(now=MORNING + dt.timedelta(hours=1))
    assert list(Notification.objects.filter(user=expert).values_list("title", flat=True)) == [
        f"【履职检查逾期】{park.enterprise_a.name} {overdue_check.hazard}"
    ]
    assert not Delivery.objects.filter(notification__user=expert).exists()  # no address: the inbox only


def test_the_reminders_respect_the_mail_rate_limit(
    park: SmallPark, overdue_check: Guarantor, smtp: Mailbox, configure: Callable[..., Any]
) -> None:
    configure(notify_mail_per_hour=1)
    hazard_services.guarantor_assign(
        actor=SYSTEM, hazard_id=overdue_check.hazard_id, role="technical", name="李工", check_interval_days=None
    )
    Guarantor.objects.filter(role="technical").update(assigned_on=dt.date(2027, 1, 4))
    only(park.users[Role.ENTERPRISE], "hazard.duty_check")
    assert send_reminders(now=MORNING) == 2
    statuses = sorted(Delivery.objects.filter(address=ENTERPRISE_MAIL).values_list("status", flat=True))
    assert statuses == [DeliveryStatus.PENDING, DeliveryStatus.RATE_LIMITED]
    assert Notification.objects.filter(user=park.users[Role.ENTERPRISE]).count() == 2  # the inbox gets both


def test_supervision_reminds_of_an_overdue_rectification_and_its_duban(park: SmallPark) -> None:
    danger = HiddenDanger.objects.create(
        enterprise=park.enterprise_a,
        source="self_investigation",
        grade="major",
        description="储罐区可燃气体报警器失效",
        found_on=dt.date(2027, 5, 1),
        found_by="张三",
        status="rectifying",
        owner="李四",
        deadline=dt.date(2027, 5, 31),
    )
    send_reminders(now=MORNING)
    titles = set(Notification.objects.values_list("user__role", "title"))
    overdue = f"【隐患逾期未整改】{park.enterprise_a.name} 储罐区可燃气体报警器失效"
    assert (Role.ENTERPRISE.value, overdue) in titles
    assert not any(t.startswith("【隐患") for role, t in titles if role == Role.INSPECTOR.value)

    HiddenDanger.objects.filter(pk=danger.pk).update(escalated_at=MORNING)  # supervision-daily escalated it
    send_reminders(now=MORNING + dt.timedelta(hours=1))
    duban = f"【隐患督办】{park.enterprise_a.name} 储罐区可燃气体报警器失效"
    reached = set(Notification.objects.filter(title=duban).values_list("user__role", flat=True))
    assert reached == {Role.ENTERPRISE.value, Role.INSPECTOR.value, Role.BUREAU_ADMIN.value}
    assert not Notification.objects.filter(user=park.users[Role.AUDITOR]).exists()


def test_a_failing_source_does_not_silence_the_others(
    park: SmallPark, overdue_check: Guarantor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(now: dt.datetime) -> list[notices.Reminder]:
        raise RuntimeError("a bug in a module")

    monkeypatch.setitem(notices._SOURCES, "aaa-broken", broken)
    send_reminders(now=MORNING)
    assert Notification.objects.filter(title__startswith="【履职检查逾期】").exists()
