"""The escalation chain end to end over real channels: an alarm left unacknowledged reaches the
officer on duty (inbox, e-mail through a local SMTP server, SMS through a fake gateway that checks
the signature, the duty group's robot), then the leader on duty — each exactly once per step — and
stops when acknowledged; a flood respects the SMS rate limit; a refusing server is retried and
logged with its reason; a channel with no server in the settings is given up at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine

from chempark.core.roles import Role
from chempark.monitoring.services import alarm_acknowledge
from chempark.notifications.models import Delivery, DeliveryStatus, EscalationStep, Notification
from chempark.notifications.services import deliver_due, run_once
from tests.conftest import SmallPark
from tests.notifications.conftest import (
    ESCALATED,
    LEADER_MAIL,
    LEADER_PHONE,
    OFFICER_MAIL,
    OFFICER_PHONE,
    Gateway,
    Mailbox,
    free_port,
    raise_alarms,
)


def test_the_chain_reaches_the_officer_then_the_leader_once_each(
    on_duty: SmallPark, channels: tuple[Mailbox, Gateway]
) -> None:
    mailbox, gateway = channels
    [alarm] = raise_alarms(on_duty)
    assert run_once(ESCALATED - timedelta(minutes=1)) == (0, 0)  # not escalated yet at that moment
    assert run_once(ESCALATED)[0] == 1
    assert run_once(ESCALATED + timedelta(minutes=1))[0] == 0  # step 1 is never taken twice
    assert len(mailbox.to(OFFICER_MAIL)) == 1 and mailbox.to(LEADER_MAIL) == []
    assert gateway.phones() == [OFFICER_PHONE]
    assert gateway.requests[0]["SignName"] == "园区应急" and "报警未确认" in gateway.requests[0]["TemplateParam"]
    [robot] = gateway.webhooks
    assert robot["msgtype"] == "text" and on_duty.enterprise_a.name in robot["text"]["content"]
    assert Notification.objects.get(user=on_duty.users[Role.DISPATCHER]).url.endswith(f"/alarms/{alarm.pk}/")

    assert run_once(ESCALATED + timedelta(minutes=15))[0] == 1
    assert len(mailbox.to(LEADER_MAIL)) == 1 and len(mailbox.to(OFFICER_MAIL)) == 1
    assert gateway.phones() == [OFFICER_PHONE, LEADER_PHONE]

    with time_machine.travel(ESCALATED + timedelta(minutes=20), tick=False):
        alarm_acknowledge(actor=on_duty.actor(Role.DISPATCHER), alarm_id=alarm.pk, note="已处置")
    assert run_once(ESCALATED + timedelta(minutes=31)) == (0, 0)  # acknowledged: no step 3
    assert list(EscalationStep.objects.values_list("step", "recipients")) == [
        (1, ["dispatcher"]),
        (2, ["bureau_admin"]),
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_an_alarm_flood_respects_the_sms_rate_limit(
    on_duty: SmallPark, channels: tuple[Mailbox, Gateway], configure: Callable[..., Any]
) -> None:
    _mailbox, gateway = channels
    raise_alarms(on_duty, count=14)
    steps, _sent = run_once(ESCALATED)
    assert steps == 14
    assert gateway.phones().count(OFFICER_PHONE) == 10  # CHEMPARK_NOTIFY_SMS_PER_HOUR
    limited = Delivery.objects.filter(channel="sms", status=DeliveryStatus.RATE_LIMITED)
    assert limited.count() == 4
    assert Notification.objects.filter(user=on_duty.users[Role.DISPATCHER]).count() == 14  # the inbox gets all


def test_a_refusing_server_is_retried_with_backoff_and_logged(
    on_duty: SmallPark, channels: tuple[Mailbox, Gateway], configure: Callable[..., Any]
) -> None:
    _mailbox, gateway = channels
    configure(smtp_url=f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    gateway.answer_code = "isv.BUSINESS_LIMIT_CONTROL"
    raise_alarms(on_duty)
    run_once(ESCALATED)
    mail = Delivery.objects.get(channel="email", address=OFFICER_MAIL)
    sms = Delivery.objects.get(channel="sms", address=OFFICER_PHONE)
    assert mail.status == DeliveryStatus.PENDING and mail.attempts == 1 and "邮件服务器" in mail.last_error
    assert mail.next_attempt_at == ESCALATED + timedelta(minutes=1)
    assert "isv.BUSINESS_LIMIT_CONTROL" in sms.last_error
    for minutes in (1, 6, 21):
        deliver_due(now=ESCALATED + timedelta(minutes=minutes))
    mail.refresh_from_db()
    assert mail.status == DeliveryStatus.FAILED and mail.attempts == 4 and mail.next_attempt_at is None
    gateway.answer_code = "OK"
    assert Delivery.objects.get(pk=sms.pk).status == DeliveryStatus.FAILED  # given up after 4 attempts too


def test_a_channel_without_settings_is_given_up_at_once(
    on_duty: SmallPark, channels: tuple[Mailbox, Gateway], configure: Callable[..., Any]
) -> None:
    configure(smtp_url="")  # no mail server: no retry can deliver, so none is scheduled
    raise_alarms(on_duty)
    run_once(ESCALATED)
    mail = Delivery.objects.get(channel="email", address=OFFICER_MAIL)
    assert (mail.status, mail.attempts, mail.next_attempt_at) == (DeliveryStatus.FAILED, 1, None)
    assert "CHEMPARK_SMTP_URL" in mail.last_error
    assert Delivery.objects.get(channel="sms", address=OFFICER_PHONE).status == DeliveryStatus.SENT
