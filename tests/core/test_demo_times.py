"""The demo tells no time that has not come yet, and gives the enterprise user something to practise on.

Loaded with the clock set just after midnight — when "today at 08:30" is still hours away — no record
was created, raised, reported, submitted or checked after now. Only what is planned or runs out later
may lie ahead (expiry dates, deadlines, planned drills, shifts, permits' validity), and those are
listed here by name. The enterprise user (ent1) finds alarms of their own enterprise and overdue duty
checks of their own responsible persons."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models

from chempark.accounts.models import User
from chempark.core.actors import actor_for_user
from chempark.hazards.selectors import overdue_duty_checks
from chempark.monitoring.models import Alarm

NOW = dt.datetime(2026, 3, 15, 0, 20, tzinfo=ZoneInfo("Asia/Shanghai"))

# (model, field): what is planned or runs out later, so it may lie after now.
AHEAD = {
    ("MajorHazard", "next_safety_assessment_due"),
    ("Carrier", "permit_expires"),
    ("CrewMember", "certificate_expires"),
    ("BlacklistEntry", "expires_on"),
    ("Worker", "certificate_expires"),
    ("DutyShift", "starts_at"),
    ("DutyShift", "ends_at"),
    ("CalendarDay", "date"),
    ("Drill", "planned_on"),
    ("ImprovementAction", "deadline"),
    ("Resource", "expires_on"),
    ("Campaign", "ends_on"),
    ("HiddenDanger", "deadline"),
    ("Licence", "expires_on"),
    ("Certificate", "expires_on"),
    ("SpecialOperation", "starts_at"),
    ("SpecialOperation", "ends_at"),
    ("WorkPermit", "valid_from"),
    ("WorkPermit", "valid_to"),
}


def test_the_demo_has_no_time_after_now_and_practice_for_ent1(transactional_db: None) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("demo", "--no-serve", stdout=io.StringIO())
        future: list[str] = []
        checked = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if (model.__name__, field.name) in AHEAD:
                    continue
                if isinstance(field, models.DateTimeField):
                    limit: dt.date = NOW
                elif isinstance(field, models.DateField):
                    limit = NOW.date()
                else:
                    continue
                checked += 1
                count = model._default_manager.filter(**{f"{field.name}__gt": limit}).count()
                if count:
                    future.append(f"{model.__name__}.{field.name}: {count}")
        assert checked > 100, "every date and time of every model is looked at"
        assert future == [], future

        ent1 = User.objects.get(username="ent1")
        own_alarms = Alarm.objects.filter(enterprise_id=ent1.enterprise_id)
        assert own_alarms.count() >= 2
        assert own_alarms.filter(raised_at__lte=NOW).count() == own_alarms.count()
        overdue = overdue_duty_checks(actor_for_user(ent1))
        assert len(overdue) >= 2
        assert any(row.last_check is None for row in overdue), "one never checked since being named"
        assert any(row.last_check is not None for row in overdue), "one checked, but too long ago"
