"""Subscriptions (我的订阅): filtering by event type, severity and channel; who is concerned by an
enterprise's matter; saving one's own choices (checked whole, audited); the API and the page; alarms
announced to their subscribers; and the escalation chain, which no subscription can stop."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.errors import InvalidInput
from chempark.core.notices import SEVERITY_RANK, event_type
from chempark.core.roles import Role
from chempark.incidents import services as incident_services
from chempark.notifications.events import send_event
from chempark.notifications.models import Contact, Delivery, NoticeSent, Notification, Subscription
from chempark.notifications.services import run_once
from chempark.notifications.subscription_services import Choice, contact_save, subscriptions_save
from chempark.notifications.subscriptions import Audience, Setting, channels_for, default_setting, settings_of
from tests.conftest import SmallPark
from tests.notifications.conftest import ESCALATED, OFFICER_MAIL, OFFICER_PHONE, RAISED, Gateway, Mailbox, raise_alarms
from tests.notifications.test_reminders import only, subjects

NOW = dt.datetime(2027, 6, 3, 1, 0, tzinfo=dt.UTC)
ENTERPRISE_MAIL = "safety@enterprise-a.example"


def setting(**changes: Any) -> Setting:
    event = event_type("alarm.raised")
    assert event is not None
    values: dict[str, Any] = {"enabled": True, "min_severity": FeedSeverity.MAJOR, "email": True, "sms": False}
    return Setting(event, **(values | changes), saved=True)


def test_channels_follow_the_setting_the_severity_and_the_addresses() -> None:
    both = {"email": "a@b.example", "phone": "13800000009"}
    assert channels_for(setting(), "major", **both) == {"inbox", "email"}
    assert channels_for(setting(), "critical", **both) == {"inbox", "email"}
    assert channels_for(setting(), "minor", **both) == frozenset()  # below the minimum
    assert channels_for(setting(enabled=False), "critical", **both) == frozenset()
    assert channels_for(setting(sms=True), "major", **both) == {"inbox", "email", "sms"}
    assert channels_for(setting(sms=True, email=False), "major", **both) == {"inbox", "sms"}
    assert channels_for(setting(sms=True), "major", email="", phone="") == {"inbox"}  # nowhere else to send


def test_role_defaults_and_who_is_concerned(park: SmallPark) -> None:
    alarm_raised = event_type("alarm.raised")
    duban = event_type("danger.supervised")
    assert alarm_raised is not None and duban is not None
    assert default_setting(alarm_raised, Role.ENTERPRISE).enabled
    assert not default_setting(alarm_raised, Role.EXPERT).enabled
    assert default_setting(duban, Role.INSPECTOR).enabled

    audience = Audience()
    of_a = {u.role for u, _c in audience.recipients("danger.supervised", "major", park.enterprise_a.pk)}
    assert of_a == {Role.ENTERPRISE, Role.INSPECTOR, Role.BUREAU_ADMIN}
    of_b = {u.role for u, _c in audience.recipients("danger.supervised", "major", park.enterprise_b.pk)}
    assert of_b == {Role.INSPECTOR, Role.BUREAU_ADMIN}  # enterprise A's user hears nothing of B
    park_level = {u.role for u, _c in audience.recipients("alarm.raised", "critical", None)}
    assert Role.ENTERPRISE not in park_level
    # the auditor, the security administrator and finance have no inbox; a machine is never told
    every = {u.role for u, _c in Audience().recipients("alarm.escalated", "critical", park.enterprise_a.pk)}
    assert not every & {Role.AUDITOR, Role.SECURITY_ADMIN, Role.FINANCE, Role.MACHINE, Role.SERVICE_ORG}
    assert audience.recipients("no.such.type", "critical", None) == []


def test_severity_type_and_channel_filter_an_event(park: SmallPark) -> None:
    inspector, expert, enterprise = (park.users[r] for r in (Role.INSPECTOR, Role.EXPERT, Role.ENTERPRISE))
    enterprise.email = ENTERPRISE_MAIL
    enterprise.save(update_fields=["email"])
    Contact.objects.create(user=enterprise, phone="13800000011")
    Subscription.objects.create(
        user=expert,
        event_type="alarm.raised",
        enabled=True,
        min_severity="critical",
        email=True,
        sms=True,
        updated_at=NOW,
    )
    Subscription.objects.create(
        user=enterprise,
        event_type="alarm.raised",
        enabled=True,
        min_severity="minor",
        email=False,
        sms=True,
        updated_at=NOW,
    )
    only(inspector, "danger.supervised")  # not alarms
    event = {"code": "alarm.raised", "enterprise_id": park.enterprise_a.pk, "title": "报警", "body": "", "now": NOW}
    assert send_event(key="alarm:1", severity="major", **event) == 1
    assert set(Notification.objects.values_list("user__role", flat=True)) == {Role.ENTERPRISE}
    assert list(Delivery.objects.values_list("channel", "address")) == [("sms", "13800000011")]  # no e-mail chosen
    assert send_event(key="alarm:1", severity="major", **event) == 0  # told already today
    assert send_event(key="alarm:2", severity="critical", **event) == 2  # now the expert (inbox only) too
    assert Notification.objects.filter(user=expert).count() == 1
    assert not Delivery.objects.filter(notification__user=expert).exists()  # no address, no phone


def test_saving_ones_own_choices_checks_them_whole_and_audits(park: SmallPark) -> None:
    actor = park.actor(Role.DISPATCHER)
    good = Choice("alarm.raised", True, "critical", True, True)
    for bad, message in [
        (Choice("no.such.type", True, "major", True, False), "没有可订阅的事件类型"),
        (Choice("alarm.worsened", True, "severe", True, False), "最低严重程度"),
        (
            Choice("danger.overdue", True, "major", True, False),
            "没有可订阅的事件类型",
        ),  # the dispatcher lacks danger.read
        (good, "只能出现一次"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            subscriptions_save(actor=actor, choices=[good, bad])
    assert not Subscription.objects.exists()  # nothing changed
    settings = {s.event.code: s for s in subscriptions_save(actor=actor, choices=[good])}
    assert settings["alarm.raised"].saved and settings["alarm.raised"].min_severity == FeedSeverity.CRITICAL
    assert not settings["alarm.worsened"].saved  # untouched: still the role's default
    event = AuditEvent.objects.get(object_type="subscription")
    assert event.actor_username == "dispatcher" and event.after["event_type"] == "报警产生"
    subscriptions_save(actor=actor, choices=[good])  # the same again: no second audit row
    assert AuditEvent.objects.filter(object_type="subscription").count() == 1


def test_contact_details_are_checked(park: SmallPark) -> None:
    actor = park.actor(Role.ENTERPRISE)
    with pytest.raises(InvalidInput, match="手机号码"):
        contact_save(actor=actor, email="a@b.example", phone="12345")
    with pytest.raises(InvalidInput, match="电子邮箱"):
        contact_save(actor=actor, email="not-an-address", phone="")
    assert not Contact.objects.exists() and park.users[Role.ENTERPRISE].email == ""
    contact_save(actor=actor, email="a@b.example", phone="138 0000 0011")
    assert Contact.objects.get(user=park.users[Role.ENTERPRISE]).phone == "13800000011"
    assert AuditEvent.objects.filter(object_type="contact").count() == 1


def test_the_api_lists_and_saves_ones_subscriptions(park: SmallPark, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    listed = client.call("GET", "/notifications/subscriptions").json()
    codes = [row["event_type"] for row in listed]
    assert "hazard.duty_check" in codes and "vehicle.violation" not in codes  # no tracking.read
    assert all(not row["saved"] for row in listed)
    body = {"items": [{"event_type": "alarm.raised", "enabled": False, "min_severity": "minor"}]}
    saved = client.call("PUT", "/notifications/subscriptions", body)
    assert saved.status_code == 200
    [row] = [r for r in saved.json() if r["event_type"] == "alarm.raised"]
    assert (row["enabled"], row["min_severity"], row["saved"]) == (False, "minor", True)
    bad = client.call("PUT", "/notifications/subscriptions", {"items": [{**body["items"][0], "event_type": "x.y"}]})
    assert bad.status_code == 422 and "没有可订阅的事件类型" in bad.json()["message"]
    assert client.call("PUT", "/notifications/subscriptions", {"items": []}).status_code == 422
    assert Subscription.objects.count() == 1


def test_the_page_saves_the_form(park: SmallPark) -> None:
    client = Client()
    client.force_login(park.users[Role.ENTERPRISE])
    page = client.get("/notifications/subscriptions/").content.decode()
    assert "我的订阅" in page and "包保责任人履职检查逾期" in page and "（默认）" in page
    form = {"form": "subscriptions"}  # as a browser sends it: every select, the ticked boxes only
    form |= {f"{s.event.code}:min_severity": s.min_severity.value for s in settings_of(park.users[Role.ENTERPRISE])}
    form |= {
        "hazard.duty_check:enabled": "on",
        "hazard.duty_check:min_severity": "major",
        "hazard.duty_check:sms": "on",
    }
    incomplete = client.post("/notifications/subscriptions/", {"form": "subscriptions"}, follow=True)
    assert "最低严重程度须为" in incomplete.content.decode() and not Subscription.objects.exists()
    assert client.post("/notifications/subscriptions/", form).status_code == 302
    saved = {s.event.code: s for s in settings_of(park.users[Role.ENTERPRISE])}
    duty = saved["hazard.duty_check"]
    assert (duty.enabled, duty.min_severity, duty.email, duty.sms) == (True, "major", False, True)
    assert not saved["alarm.raised"].enabled  # unticked box: off
    bad = client.post("/notifications/subscriptions/", {"form": "contact", "phone": "110"}, follow=True)
    assert "手机号码须为 11 位" in bad.content.decode()


def test_alarms_are_announced_to_their_subscribers_once(on_duty: SmallPark, channels: tuple[Mailbox, Gateway]) -> None:
    run_once(RAISED - dt.timedelta(minutes=1))  # the notifier is running before the alarm
    [alarm] = raise_alarms(on_duty)
    higher = [s for s, rank in SEVERITY_RANK.items() if rank > SEVERITY_RANK[FeedSeverity(alarm.severity)]]
    inspector, expert = on_duty.users[Role.INSPECTOR], on_duty.users[Role.EXPERT]
    only(inspector, "alarm.raised")  # from 提示: hears it
    Subscription.objects.filter(user=inspector).update(email=False)
    if higher:  # the expert asks only for graver alarms than this one
        Subscription.objects.create(
            user=expert, event_type="alarm.raised", enabled=True, min_severity=higher[0], email=False, updated_at=NOW
        )
    run_once(RAISED + dt.timedelta(minutes=1))
    run_once(RAISED + dt.timedelta(minutes=2))
    assert Notification.objects.filter(user=inspector, title__startswith="【报警】").count() == 1
    assert not Notification.objects.filter(user=expert).exists()
    assert Notification.objects.get(user=inspector, title__startswith="【报警】").url.endswith(f"/alarms/{alarm.pk}/")


@pytest.mark.parametrize("officer_subscribes", [False, True], ids=["officer-unsubscribed", "officer-subscribed"])
def test_the_escalation_chain_ignores_subscriptions_and_tells_nobody_twice(
    on_duty: SmallPark, channels: tuple[Mailbox, Gateway], officer_subscribes: bool
) -> None:
    mailbox, gateway = channels
    officer, enterprise = on_duty.users[Role.DISPATCHER], on_duty.users[Role.ENTERPRISE]
    # the officer switched every subscription off, or subscribed to escalations by e-mail and SMS
    only(officer, *(["alarm.escalated"] if officer_subscribes else []), sms=True)
    enterprise.email = ENTERPRISE_MAIL
    enterprise.save(update_fields=["email"])  # the enterprise keeps its default: escalations on
    raise_alarms(on_duty)
    assert run_once(ESCALATED)[0] == 1
    run_once(ESCALATED + dt.timedelta(minutes=1))
    # the chain reaches the officer all the same, exactly once per channel
    assert len(mailbox.to(OFFICER_MAIL)) == 1 and gateway.phones() == [OFFICER_PHONE]
    assert Notification.objects.filter(user=officer).count() == 1
    escalations = [t for t in subjects(mailbox, ENTERPRISE_MAIL) if t.startswith("【报警未确认】")]
    assert len(escalations) == 1  # the subscriber hears of the escalation once
    assert Notification.objects.filter(user=enterprise, title__startswith="【报警未确认】").count() == 1
    assert run_once(ESCALATED + dt.timedelta(minutes=15))[0] == 1  # step 2, the leader: not announced again
    assert [t for t in subjects(mailbox, ENTERPRISE_MAIL) if t.startswith("【报警未确认】")] == escalations
    assert len(mailbox.to(OFFICER_MAIL)) == 1


def test_an_incident_taken_is_announced_in_its_own_transaction(park: SmallPark) -> None:
    """A module announces its own event through ``core.notices.announce``: incidents, when taken."""
    only(park.users[Role.EXPERT], "incident.opened")  # an expert asks for incidents too
    incident = incident_services.incident_create(
        actor=SYSTEM, data=incident_services.IncidentInput(title="液氯泄漏", kind="leak", unit_id=park.unit_a.pk)
    )
    title = f"【突发事件】{park.enterprise_a.name} 液氯泄漏"
    reached = set(Notification.objects.filter(title=title).values_list("user__role", flat=True))
    defaults = {Role.DISPATCHER, Role.INSPECTOR, Role.BUREAU_ADMIN, Role.ENTERPRISE}  # enterprise A's user: its own
    assert reached == {r.value for r in defaults | {Role.EXPERT}}
    assert {n.url for n in Notification.objects.filter(title=title)} == {f"/incidents/{incident.pk}/"}


def test_a_matter_told_meanwhile_by_another_round_is_not_told_twice(
    park: SmallPark, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two notifiers racing: the rows of a matter are written in one transaction; when another round
    told one recipient meanwhile, the unique row refuses it and the others are still told, once."""
    event = {
        "code": "danger.supervised",
        "enterprise_id": park.enterprise_a.pk,
        "title": "督办",
        "body": "",
        "now": NOW,
    }
    only(park.users[Role.INSPECTOR], "danger.supervised")
    assert send_event(key="danger:1", severity="major", **event) == 3  # enterprise, inspector, administrator
    Notification.objects.exclude(user=park.users[Role.INSPECTOR]).delete()
    NoticeSent.objects.exclude(user=park.users[Role.INSPECTOR]).delete()
    monkeypatch.setattr(NoticeSent.objects, "filter", lambda **kw: NoticeSent.objects.none())  # sees nobody told
    assert send_event(key="danger:1", severity="major", **event) == 2
    assert Notification.objects.filter(user=park.users[Role.INSPECTOR]).count() == 1
    assert set(Notification.objects.values_list("user__role", flat=True)) == {
        Role.ENTERPRISE.value,
        Role.INSPECTOR.value,
        Role.BUREAU_ADMIN.value,
    }
